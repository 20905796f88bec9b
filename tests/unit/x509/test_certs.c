/* Reading certificates from PEM and DER bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "x509/nv_x509_certs.h"

static size_t read_count(const uint8_t *data, size_t len, nv_status want, nv_diag *d)
{
  nv_x509_list l;
  nv_x509_list_init(&l);
  assert_int_equal(nv_x509_read_certs(data, len, "test", &l, d), want);
  size_t n = l.count;
  if (want != NV_OK)
    assert_int_equal(n, 0);
  for (size_t i = 0; i < n; i++)
    assert_non_null(l.items[i]);
  nv_x509_list_free(&l);
  return n;
}

static void reads_pem_and_der(void **state)
{
  (void)state;
  const struct {
    const char *file;
    size_t count;
  } cases[] = {{"pem.crt", 1}, {"der.der", 1}, {"multi-pem.crt", 2}, {"multi-der.der", 2}};
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    bytes fb = slurp_in(NV_TEST_DATA, cases[i].file);
    assert_int_equal(read_count(fb.data, fb.len, NV_OK, NULL), cases[i].count);
    free(fb.data);
  }
}

static void pem_and_der_agree(void **state)
{
  (void)state;
  bytes pem = slurp_in(NV_TEST_DATA, "pem.crt"), der = slurp_in(NV_TEST_DATA, "der.der");
  nv_x509_list a, b;
  nv_x509_list_init(&a);
  nv_x509_list_init(&b);
  assert_int_equal(nv_x509_read_certs(pem.data, pem.len, "pem", &a, NULL), NV_OK);
  assert_int_equal(nv_x509_read_certs(der.data, der.len, "der", &b, NULL), NV_OK);
  /* both files appended to one list keep their order */
  assert_int_equal(nv_x509_read_certs(der.data, der.len, "der", &a, NULL), NV_OK);
  assert_int_equal(a.count, 2);
  assert_int_equal(X509_cmp(a.items[0], b.items[0]), 0);
  assert_int_equal(X509_cmp(a.items[1], b.items[0]), 0);
  nv_x509_list_free(&a);
  nv_x509_list_free(&b);
  free(pem.data);
  free(der.data);
}

static void rejects_garbage(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  bytes bad = slurp_in(NV_TEST_DATA, "invalid");
  read_count(bad.data, bad.len, NV_E_CERT_PARSE, &d);
  assert_non_null(strstr(d.msg, "neither PEM nor valid DER"));
  free(bad.data);
  read_count((const uint8_t *)"", 0, NV_E_CERT_PARSE, NULL);

  /* DER with a trailing byte: the second "certificate" is garbage */
  bytes der = slurp_in(NV_TEST_DATA, "der.der");
  der.data = realloc(der.data, der.len + 1); /* room for the trailing byte */
  assert_non_null(der.data);
  der.data[der.len++] = 0x00;
  read_count(der.data, der.len, NV_E_CERT_PARSE, &d);
  assert_non_null(strstr(d.msg, "certificate 2"));
  /* truncated DER */
  read_count(der.data, der.len / 2, NV_E_CERT_PARSE, NULL);
  free(der.data);
}

static void rejects_non_certificate_pem(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  bytes pem = slurp_in(NV_TEST_DATA, "pem.crt");
  /* append a key block: the whole file fails and nothing is kept */
  static const char key[] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  uint8_t *buf = malloc(pem.len + sizeof(key));
  memcpy(buf, pem.data, pem.len);
  memcpy(buf + pem.len, key, sizeof(key) - 1);
  read_count(buf, pem.len + sizeof(key) - 1, NV_E_CERT_PARSE, &d);
  assert_non_null(strstr(d.msg, "PEM block 2"));
  /* a corrupted base64 body */
  static const char broken[] = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
  read_count((const uint8_t *)broken, sizeof(broken) - 1, NV_E_CERT_PARSE, NULL);
  /* a CERTIFICATE block whose body is not a certificate */
  static const char notcert[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  read_count((const uint8_t *)notcert, sizeof(notcert) - 1, NV_E_CERT_PARSE, NULL);
  /* text around blocks is ignored, like comments in CA bundles */
  memcpy(buf, "# comment\n", 10);
  memcpy(buf + 10, pem.data, pem.len);
  assert_int_equal(read_count(buf, pem.len + 10, NV_OK, NULL), 1);
  free(buf);
  free(pem.data);
}

static void existing_entries_survive_a_failure(void **state)
{
  (void)state;
  bytes pem = slurp_in(NV_TEST_DATA, "multi-pem.crt");
  nv_x509_list l;
  nv_x509_list_init(&l);
  assert_int_equal(nv_x509_read_certs(pem.data, pem.len, "a", &l, NULL), NV_OK);
  assert_int_equal(l.count, 2);
  assert_int_equal(nv_x509_read_certs((const uint8_t *)"junk", 4, "b", &l, NULL), NV_E_CERT_PARSE);
  assert_int_equal(l.count, 2);
  nv_x509_list_free(&l);
  nv_x509_list_free(NULL);
  free(pem.data);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(reads_pem_and_der),
    cmocka_unit_test(pem_and_der_agree),
    cmocka_unit_test(rejects_garbage),
    cmocka_unit_test(rejects_non_certificate_pem),
    cmocka_unit_test(existing_entries_survive_a_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
