#include "x509/nv_x509_keys.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

/* Build a key of `type` from a parameter list; consumes `bld`. */
static nv_status key_from_params(const char *type, OSSL_PARAM_BLD *bld, EVP_PKEY **out,
                                 nv_diag *d)
{
  OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
  OSSL_PARAM_BLD_free(bld);
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
  nv_status rc = NV_OK;
  if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
      EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) <= 0 || *out == NULL)
    rc = nv_diag_set(d, NV_E_PARSE, "invalid %s public key", type);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  ERR_clear_error();
  return rc;
}

nv_status nv_x509_pubkey_from_ec(int curve_bits, const uint8_t *x, size_t x_len, const uint8_t *y,
                                 size_t y_len, EVP_PKEY **out, nv_diag *d)
{
  *out = NULL;
  const char *group;
  size_t coord;
  switch (curve_bits) {
  case 256: group = "P-256"; coord = 32; break;
  case 384: group = "P-384"; coord = 48; break;
  case 521: group = "P-521"; coord = 66; break;
  default:
    return nv_diag_set(d, NV_E_KEY_UNSUPPORTED, "EC curve of %d bits is not supported", curve_bits);
  }
  if (x_len != coord || y_len != coord)
    return nv_diag_set(d, NV_E_PARSE, "EC %s coordinates must be %zu bytes each", group, coord);
  uint8_t point[1 + 2 * 66];
  point[0] = 0x04; /* uncompressed point */
  memcpy(point + 1, x, coord);
  memcpy(point + 1 + coord, y, coord);
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  if (bld == NULL ||
      !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, 1 + 2 * coord)) {
    OSSL_PARAM_BLD_free(bld);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  nv_status rc = key_from_params("EC", bld, out, d);
  if (rc == NV_OK) {
    /* fromdata does not insist on a point on the curve; check it */
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, *out, NULL);
    if (ctx == NULL || EVP_PKEY_public_check(ctx) != 1) {
      EVP_PKEY_free(*out);
      *out = NULL;
      rc = nv_diag_set(d, NV_E_PARSE, "EC public key is not a point on %s", group);
    }
    EVP_PKEY_CTX_free(ctx);
    ERR_clear_error();
  }
  return rc;
}

nv_status nv_x509_pubkey_from_rsa(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                                  EVP_PKEY **out, nv_diag *d)
{
  *out = NULL;
  if (n_len == 0 || e_len == 0 || n_len > 2048 || e_len > 2048)
    return nv_diag_set(d, NV_E_PARSE, "RSA modulus or exponent of invalid length");
  BIGNUM *bn_n = BN_bin2bn(n, (int)n_len, NULL);
  BIGNUM *bn_e = BN_bin2bn(e, (int)e_len, NULL);
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  nv_status rc;
  if (bn_n == NULL || bn_e == NULL || bld == NULL ||
      !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) ||
      !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e)) {
    OSSL_PARAM_BLD_free(bld);
    rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
  } else {
    rc = key_from_params("RSA", bld, out, d);
  }
  BN_free(bn_n);
  BN_free(bn_e);
  return rc;
}

nv_status nv_x509_pubkey_from_spki(const uint8_t *der, size_t len, EVP_PKEY **out, nv_diag *d)
{
  *out = NULL;
  if (len > 1 << 20)
    return nv_diag_set(d, NV_E_LIMIT, "public key too large");
  const unsigned char *p = der;
  *out = d2i_PUBKEY(NULL, &p, (long)len);
  if (*out == NULL || p != der + len) {
    EVP_PKEY_free(*out);
    *out = NULL;
    ERR_clear_error();
    return nv_diag_set(d, NV_E_PARSE, "invalid SubjectPublicKeyInfo");
  }
  return NV_OK;
}

void nv_x509_pubkey_free(EVP_PKEY *key)
{
  EVP_PKEY_free(key);
}
