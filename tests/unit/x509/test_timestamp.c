/* RFC 3161 tokens (lib/x509/timestamp.c) on tspclient-go's GlobalSign
 * token over "notation" (genTime 2021-09-17T14:09:10Z, accuracy 1 s; the
 * TSA chain reaches GlobalSign Root R3 through the R6 cross-certificate,
 * valid until 2029-03-18). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509/nv_x509_timestamp.h"

#define TOKEN NV_VECTORS "/tspclient-go/testdata/TimeStampToken.p7s"
#define R3_ROOT NV_VECTORS "/tspclient-go/testdata/GlobalSignRootCA.crt"
#define OTHER_ROOT \
  NV_VECTORS "/notation-go/verifier/testdata/truststore/x509/ca/valid-trust-store/NotationTestRoot.pem"
#define GEN_TIME INT64_C(1631887750) /* 2021-09-17T14:09:10Z */
#define T_2022 INT64_C(1640995200)
#define T_2030 INT64_C(1893456000)

static void load_roots(const char *path, nv_x509_list *out)
{
  bytes b = slurp_path(path);
  nv_x509_list_init(out);
  assert_int_equal(nv_x509_read_certs(b.data, b.len, path, out, NULL), NV_OK);
  free(b.data);
}

/* The GlobalSign token (TOKEN), parsed into t; its bytes are returned,
 * for the caller to free after nv_x509_tst_free. */
static bytes parse_token(nv_x509_tst *t, nv_diag *d)
{
  bytes b = slurp_path(TOKEN);
  nv_diag_init(d);
  assert_int_equal(nv_x509_tst_parse(b.data, b.len, t, d), NV_OK);
  return b;
}

static void test_parse(void **state)
{
  (void)state;
  nv_x509_tst t;
  nv_diag d;
  bytes b = parse_token(&t, &d);
  assert_int_equal(t.gen_time, GEN_TIME);
  assert_int_equal(t.gen_time_us, 0);
  assert_int_equal(t.accuracy_us, 1000000);
  assert_int_equal(t.certs.count, 4);
  assert_int_equal(t.signer_infos, 1);
  assert_ptr_equal(t.signer, t.certs.items[0]);
  assert_int_equal(t.imprint_len, 32);
  assert_int_equal(nv_x509_tst_check_imprint(&t, (const uint8_t *)"notation", 8, &d), NV_OK);
  assert_int_equal(nv_x509_tst_check_imprint(&t, (const uint8_t *)"notatioN", 8, &d),
                   NV_E_TSTINFO_IMPRINT_MISMATCH);
  assert_string_equal(d.msg, "invalid TSTInfo: mismatched message");
  assert_int_equal(nv_x509_tst_lower_us(&t), (GEN_TIME - 1) * 1000000);
  assert_int_equal(nv_x509_tst_upper_us(&t), (GEN_TIME + 1) * 1000000);
  nv_x509_tst_free(&t);
  free(b.data);
}

/* Header length of the DER TLV at p (short or long form). */
static size_t tlv_header(const uint8_t *p, size_t *content_len)
{
  if (p[1] < 0x80) {
    *content_len = p[1];
    return 2;
  }
  size_t n = p[1] & 0x7f, len = 0;
  for (size_t i = 0; i < n; i++)
    len = (len << 8) | p[2 + i];
  *content_len = len;
  return 2 + n;
}

/* The same token as BER: ContentInfo, its [0] and the SignedData with
 * indefinite lengths (notary-spec.md 10.1: BER is allowed). */
static void test_ber(void **state)
{
  (void)state;
  bytes b = slurp_path(TOKEN);
  size_t l0, l1, l2, l3;
  size_t h0 = tlv_header(b.data, &l0);
  size_t h1 = tlv_header(b.data + h0, &l1); /* contentType OID */
  const uint8_t *expl = b.data + h0 + h1 + l1;
  size_t h2 = tlv_header(expl, &l2);
  const uint8_t *sd = expl + h2;
  size_t h3 = tlv_header(sd, &l3);
  uint8_t *ber = malloc(b.len + 16);
  assert_non_null(ber);
  size_t n = 0;
  ber[n++] = 0x30, ber[n++] = 0x80;
  memcpy(ber + n, b.data + h0, h1 + l1), n += h1 + l1;
  ber[n++] = 0xa0, ber[n++] = 0x80, ber[n++] = 0x30, ber[n++] = 0x80;
  memcpy(ber + n, sd + h3, l3), n += l3;
  memset(ber + n, 0, 6), n += 6;
  nv_x509_tst t;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_x509_tst_parse(ber, n, &t, &d), NV_OK);
  assert_int_equal(t.gen_time, GEN_TIME);
  assert_int_equal(t.certs.count, 4);
  nv_x509_tst_free(&t);
  free(ber);
  free(b.data);
}

static void test_limits_and_garbage(void **state)
{
  (void)state;
  nv_x509_tst t;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_x509_tst_parse(NULL, 0, &t, &d), NV_E_TIMESTAMP_MISSING);
  size_t big_len = NV_X509_TST_MAX_BYTES + 1;
  uint8_t *big = calloc(1, big_len);
  assert_non_null(big);
  big[0] = 0x30;
  assert_int_equal(nv_x509_tst_parse(big, big_len, &t, &d), NV_E_LIMIT);
  free(big);
  bytes b = slurp_path(TOKEN);
  /* every truncation fails, none crashes */
  for (size_t n = 1; n < b.len; n += 97)
    assert_int_not_equal(nv_x509_tst_parse(b.data, n, &t, &d), NV_OK);
  /* trailing bytes are refused */
  uint8_t *longer = malloc(b.len + 1);
  assert_non_null(longer);
  memcpy(longer, b.data, b.len);
  longer[b.len] = 0;
  assert_int_equal(nv_x509_tst_parse(longer, b.len + 1, &t, &d), NV_E_TIMESTAMP_PARSE);
  /* one flipped bit in the TSTInfo breaks the message digest */
  memcpy(longer, b.data, b.len);
  size_t at = 0;
  for (size_t i = 0; i + 8 < b.len; i++)
    if (memcmp(b.data + i, "20210917", 8) == 0) {
      at = i;
      break;
    }
  assert_true(at > 0);
  longer[at + 7] ^= 0x01;
  assert_int_equal(nv_x509_tst_parse(longer, b.len, &t, &d), NV_E_TIMESTAMP_SIGNED_ATTRS);
  free(longer);
  free(b.data);
}

static void test_chain(void **state)
{
  (void)state;
  nv_x509_tst t;
  nv_diag d;
  bytes b = parse_token(&t, &d);
  nv_x509_list r3, other, chain;
  load_roots(R3_ROOT, &r3);
  load_roots(OTHER_ROOT, &other);
  assert_int_equal(nv_x509_tst_verify_chain(&t, NULL, 0, T_2022, &chain, &d),
                   NV_E_TSA_NO_TRUSTED_CERTS);
  assert_string_equal(d.msg, "no trusted TSA certificate found in trust store");
  assert_int_equal(nv_x509_tst_verify_chain(&t, r3.items, r3.count, T_2022, &chain, &d), NV_OK);
  assert_int_equal(chain.count, 4); /* leaf, TS CA, R6 cross, R3 */
  nv_x509_list_free(&chain);
  assert_int_equal(nv_x509_tst_verify_chain(&t, r3.items, r3.count, GEN_TIME, &chain, &d),
                   NV_OK);
  nv_x509_list_free(&chain);
  assert_int_equal(nv_x509_tst_verify_chain(&t, other.items, other.count, T_2022, &chain, &d),
                   NV_E_TSA_CHAIN_UNTRUSTED);
  /* after R3 and the cross-certificate expired */
  assert_int_equal(nv_x509_tst_verify_chain(&t, r3.items, r3.count, T_2030, &chain, &d),
                   NV_E_TSA_CHAIN_INVALID);
  nv_x509_list_free(&r3);
  nv_x509_list_free(&other);
  nv_x509_tst_free(&t);
  free(b.data);
}

/* The TSA leaf is valid 2021-05-27T09:55:23Z .. 2032-06-28T09:55:22Z:
 * the window must lie inside, bounds included. */
static void test_window(void **state)
{
  (void)state;
  nv_x509_tst t;
  nv_diag d;
  bytes b = parse_token(&t, &d);
  X509 *leaf = t.certs.items[0];
  const int64_t nb = INT64_C(1622109323), na = INT64_C(1972029322);
  assert_int_equal(nv_x509_tst_check_window(&t, &leaf, 1, &d), NV_OK);
  t.gen_time = nb + 1; /* lower bound == notBefore */
  assert_int_equal(nv_x509_tst_check_window(&t, &leaf, 1, &d), NV_OK);
  t.gen_time_us = -1; /* one microsecond earlier */
  assert_int_equal(nv_x509_tst_check_window(&t, &leaf, 1, &d),
                   NV_E_TIMESTAMP_BEFORE_CERT_VALIDITY);
  t.gen_time = na - 1; /* upper bound == notAfter */
  t.gen_time_us = 0;
  assert_int_equal(nv_x509_tst_check_window(&t, &leaf, 1, &d), NV_OK);
  t.gen_time_us = 1;
  assert_int_equal(nv_x509_tst_check_window(&t, &leaf, 1, &d),
                   NV_E_TIMESTAMP_AFTER_CERT_VALIDITY);
  t.gen_time = na;
  t.gen_time_us = 0;
  t.accuracy_us = 0; /* zero accuracy: genTime itself */
  assert_int_equal(nv_x509_tst_check_window(&t, &leaf, 1, &d), NV_OK);
  nv_x509_tst_free(&t);
  free(b.data);
}

/* Signed attributes in reverse order, signed in that order
 * (data/timestamp/gen.py): verified over the received bytes. */
static void test_unsorted_signed_attributes(void **state)
{
  (void)state;
  bytes b = slurp_path(NV_TEST_DATA "/timestamp/unsorted-attrs.tsr");
  nv_x509_tst t;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_x509_tst_parse(b.data, b.len, &t, &d), NV_OK);
  assert_int_equal(nv_x509_tst_check_imprint(&t, (const uint8_t *)"notation", 8, &d), NV_OK);
  nv_x509_list root, chain;
  load_roots(NV_TEST_DATA "/timestamp/tsa-root.pem", &root);
  assert_int_equal(nv_x509_tst_verify_chain(&t, root.items, root.count, t.gen_time, &chain, &d),
                   NV_OK);
  assert_int_equal(chain.count, 2);
  nv_x509_list_free(&chain);
  nv_x509_list_free(&root);
  nv_x509_tst_free(&t);
  /* the same bytes with one attribute byte changed do not verify */
  for (size_t i = 0; i + 20 < b.len; i++)
    if (memcmp(b.data + i, "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x09\x04", 11) == 0) {
      b.data[i + 13 + 5] ^= 0x01; /* inside the messageDigest value */
      break;
    }
  assert_int_not_equal(nv_x509_tst_parse(b.data, b.len, &t, &d), NV_OK);
  free(b.data);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse),
      cmocka_unit_test(test_ber),
      cmocka_unit_test(test_limits_and_garbage),
      cmocka_unit_test(test_chain),
      cmocka_unit_test(test_window),
      cmocka_unit_test(test_unsorted_signed_attributes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
