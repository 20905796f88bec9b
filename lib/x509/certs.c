#include "x509/nv_x509_certs.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

void nv_x509_list_init(nv_x509_list *l)
{
  l->items = NULL;
  l->count = 0;
  l->cap = 0;
}

void nv_x509_list_free(nv_x509_list *l)
{
  if (l == NULL)
    return;
  for (size_t i = 0; i < l->count; i++)
    X509_free(l->items[i]);
  free(l->items);
  nv_x509_list_init(l);
}

/* Takes ownership of `cert` in every case. */
static nv_status list_push(nv_x509_list *l, X509 *cert, nv_diag *d)
{
  if (l->count == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 4;
    X509 **p = realloc(l->items, cap * sizeof(*p));
    if (p == NULL) {
      X509_free(cert);
      return nv_diag_set(d, NV_E_NOMEM, "out of memory reading certificates");
    }
    l->items = p;
    l->cap = cap;
  }
  l->items[l->count++] = cert;
  return NV_OK;
}

/* Remove what was appended after `mark`, so failures leave `l` unchanged. */
static void list_truncate(nv_x509_list *l, size_t mark)
{
  while (l->count > mark)
    X509_free(l->items[--l->count]);
}

static int contains(const uint8_t *data, size_t len, const char *needle)
{
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp(data + i, needle, n) == 0)
      return 1;
  return 0;
}

static nv_status read_pem(const uint8_t *data, size_t len, const char *what, nv_x509_list *out,
                          nv_diag *d)
{
  if (len > INT32_MAX)
    return nv_diag_set(d, NV_E_LIMIT, "%s: too large", what);
  BIO *bio = BIO_new_mem_buf(data, (int)len);
  if (bio == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory reading %s", what);
  nv_status rc = NV_OK;
  for (size_t block = 1;; block++) {
    char *name = NULL, *header = NULL;
    unsigned char *der = NULL;
    long der_len = 0;
    if (!PEM_read_bio(bio, &name, &header, &der, &der_len)) {
      /* PEM_R_NO_START_LINE after at least one block means "no more blocks". */
      unsigned long e = ERR_peek_last_error();
      if (block == 1 || ERR_GET_REASON(e) != PEM_R_NO_START_LINE)
        rc = nv_diag_set(d, NV_E_CERT_PARSE, "%s: PEM block %zu is malformed", what, block);
      ERR_clear_error();
      break;
    }
    if (strcmp(name, "CERTIFICATE") != 0) {
      rc = nv_diag_set(d, NV_E_CERT_PARSE,
                       "%s: PEM block %zu is \"%.64s\", not \"CERTIFICATE\"; "
                       "the file must hold certificates only",
                       what, block, name);
    } else if (header != NULL && header[0] != '\0') {
      rc = nv_diag_set(d, NV_E_CERT_PARSE, "%s: PEM block %zu has headers (encrypted?)", what,
                       block);
    } else if (out->count >= NV_X509_MAX_CERTS_PER_FILE) {
      rc = nv_diag_set(d, NV_E_LIMIT, "%s: more than %d certificates", what,
                       NV_X509_MAX_CERTS_PER_FILE);
    } else {
      const unsigned char *p = der;
      X509 *cert = d2i_X509(NULL, &p, der_len);
      if (cert == NULL || p != der + der_len) {
        X509_free(cert);
        rc = nv_diag_set(d, NV_E_CERT_PARSE, "%s: PEM block %zu is not a valid X.509 certificate",
                         what, block);
      } else {
        rc = list_push(out, cert, d);
      }
    }
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(der);
    if (rc != NV_OK)
      break;
  }
  ERR_clear_error();
  BIO_free(bio);
  return rc;
}

static nv_status read_der(const uint8_t *data, size_t len, const char *what, nv_x509_list *out,
                          nv_diag *d)
{
  if (len == 0)
    return nv_diag_set(d, NV_E_CERT_PARSE, "%s: no certificate found (empty)", what);
  const unsigned char *p = data;
  const unsigned char *end = data + len;
  for (size_t index = 1; p < end; index++) {
    if (out->count >= NV_X509_MAX_CERTS_PER_FILE)
      return nv_diag_set(d, NV_E_LIMIT, "%s: more than %d certificates", what,
                         NV_X509_MAX_CERTS_PER_FILE);
    long remaining = end - p > INT32_MAX ? INT32_MAX : (long)(end - p);
    X509 *cert = d2i_X509(NULL, &p, remaining);
    if (cert == NULL) {
      ERR_clear_error();
      return nv_diag_set(d, NV_E_CERT_PARSE,
                         "%s: certificate %zu is neither PEM nor valid DER X.509", what, index);
    }
    nv_status rc = list_push(out, cert, d);
    if (rc != NV_OK)
      return rc;
  }
  return NV_OK;
}

nv_status nv_x509_read_certs(const uint8_t *data, size_t len, const char *what,
                             nv_x509_list *out, nv_diag *d)
{
  size_t mark = out->count;
  nv_status rc = contains(data, len, "-----BEGIN ") ? read_pem(data, len, what, out, d)
                                                    : read_der(data, len, what, out, d);
  if (rc != NV_OK) {
    list_truncate(out, mark);
    if (mark == 0)
      nv_x509_list_free(out); /* also the array this call allocated */
  }
  return rc;
}
