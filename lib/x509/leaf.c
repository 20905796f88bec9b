#include "x509/nv_x509_leaf.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <string.h>

#include "x509/nv_x509_parse.h"

const EVP_PKEY *nv_x509_leaf_key(X509 *cert)
{
  return nv_x509_pubkey(cert);
}

nv_status nv_x509_cert_sha256(X509 *cert, uint8_t out[32], nv_diag *d)
{
  if (nv_x509_sha256_memo(cert, out))
    return NV_OK;
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), out, &len) != 1 || len != 32) {
    ERR_clear_error();
    return nv_diag_set(d, NV_E_CRYPTO, "cannot hash certificate");
  }
  return NV_OK;
}

const char *nv_x509_common_name(X509 *cert, char *buf, size_t size)
{
  if (size == 0)
    return buf;
  buf[0] = '\0';
  const X509_NAME *name = X509_get_subject_name(cert);
  int last = -1, i = -1;
  while ((i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) >= 0)
    last = i;
  if (last < 0)
    return buf;
  const ASN1_STRING *value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last));
  unsigned char *utf8 = NULL;
  int n = ASN1_STRING_to_UTF8(&utf8, value);
  if (n > 0) {
    size_t copy = (size_t)n < size - 1 ? (size_t)n : size - 1;
    memcpy(buf, utf8, copy);
    buf[copy] = '\0';
  }
  OPENSSL_free(utf8);
  ERR_clear_error();
  return buf;
}
