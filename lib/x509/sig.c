/*
 * Signature primitives (notary-spec.md section 7; toolchain.md section 5a).
 *
 * The signing key decides the algorithm: RSA 2048/3072/4096 -> PS256/384/512
 * and EC P-256/P-384/P-521 -> ES256/384/512, nothing else. Envelope
 * signatures are RSASSA-PSS (MGF1 with the message hash) or ECDSA with a raw
 * R||S value, which OpenSSL only accepts as a DER ECDSA-Sig-Value, so it is
 * converted here.
 */
#include "x509/nv_x509_sig.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <string.h>

/* OpenSSL's EVP verification functions take a non-const key although they
 * do not modify it; convert without a qualifier-dropping cast. */
static EVP_PKEY *mutable_key(const EVP_PKEY *key)
{
  EVP_PKEY *k;
  memcpy(&k, &key, sizeof(k));
  return k;
}

static nv_status key_alg_rsa(const EVP_PKEY *key, nv_sig_alg *out, nv_diag *d)
{
  int bits = EVP_PKEY_get_bits(key);
  if (bits <= 0) {
    ERR_clear_error();
    return nv_diag_set(d, NV_E_KEY_UNSUPPORTED, "unsupported public key type");
  }
  /* notation-go measures the modulus in whole bytes (rsa.PublicKey.Size()
   * * 8), so a 2047-bit modulus counts as 2048. */
  long size = ((long)bits + 7) / 8 * 8;
  switch (size) {
  case 2048:
    *out = NV_SIG_PS256;
    return NV_OK;
  case 3072:
    *out = NV_SIG_PS384;
    return NV_OK;
  case 4096:
    *out = NV_SIG_PS512;
    return NV_OK;
  default:
    return nv_diag_set(d, NV_E_KEY_UNSUPPORTED, "rsa key size %ld bits is not supported", size);
  }
}

static nv_status key_alg_ec(const EVP_PKEY *key, nv_sig_alg *out, nv_diag *d)
{
  char group[64];
  size_t group_len = 0;
  char encoding[32];
  size_t encoding_len = 0;
  int bits = EVP_PKEY_get_bits(key);

  if (EVP_PKEY_get_group_name(key, group, sizeof(group), &group_len) != 1) {
    ERR_clear_error();
    /* No name: explicit curve parameters, which notation-go (Go
     * crypto/x509) refuses outright. */
    return nv_diag_set(d, NV_E_KEY_UNSUPPORTED,
                       "ecdsa key with explicit curve parameters is not supported");
  }
  /* A key read with explicit parameters that happen to equal a named curve
   * still reports the curve's name; Go accepts only the named-curve form. */
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_EC_ENCODING, encoding,
                                     sizeof(encoding), &encoding_len) == 1 &&
      strcmp(encoding, OSSL_PKEY_EC_ENCODING_EXPLICIT) == 0)
    return nv_diag_set(d, NV_E_KEY_UNSUPPORTED,
                       "ecdsa key with explicit curve parameters is not supported");
  ERR_clear_error();

  if (strcmp(group, "prime256v1") == 0 && bits == 256) {
    *out = NV_SIG_ES256;
    return NV_OK;
  }
  if (strcmp(group, "secp384r1") == 0 && bits == 384) {
    *out = NV_SIG_ES384;
    return NV_OK;
  }
  if (strcmp(group, "secp521r1") == 0 && bits == 521) {
    *out = NV_SIG_ES512;
    return NV_OK;
  }
  if (bits == 256 || bits == 384 || bits == 521)
    /* Same size as a supported curve (brainpoolP256r1, secp256k1, ...):
     * say which curve, the size alone would be a confusing message. */
    return nv_diag_set(d, NV_E_KEY_UNSUPPORTED, "ecdsa curve %.60s is not supported", group);
  return nv_diag_set(d, NV_E_KEY_UNSUPPORTED, "ecdsa key size %d bits is not supported", bits);
}

nv_status nv_x509_key_alg(const EVP_PKEY *key, nv_sig_alg *out, nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_key_alg: NULL output");
  *out = NV_SIG_NONE;
  if (key == NULL)
    return nv_diag_set(d, NV_E_KEY_UNSUPPORTED, "unsupported public key type");
  /* The base id, not EVP_PKEY_is_a(): an RSASSA-PSS-only key (id
   * RSASSA-PSS in the SubjectPublicKeyInfo) is a different type, which Go
   * does not support either. */
  switch (EVP_PKEY_get_base_id(key)) {
  case EVP_PKEY_RSA:
    return key_alg_rsa(key, out, d);
  case EVP_PKEY_EC:
    return key_alg_ec(key, out, d);
  default:
    return nv_diag_set(d, NV_E_KEY_UNSUPPORTED, "unsupported public key type");
  }
}

static const char *digest_name(nv_sig_alg alg)
{
  switch (nv_sig_alg_digest(alg)) {
  case NV_DIGEST_SHA256:
    return "SHA256";
  case NV_DIGEST_SHA384:
    return "SHA384";
  case NV_DIGEST_SHA512:
    return "SHA512";
  default:
    return NULL;
  }
}

/* Raw R||S (two big-endian halves of equal length) -> DER ECDSA-Sig-Value.
 * On success *der is OPENSSL_malloc'ed. */
static nv_status ecdsa_raw_to_der(const uint8_t *sig, size_t sig_len, unsigned char **der,
                                  int *der_len, nv_diag *d)
{
  size_t half = sig_len / 2;
  *der = NULL;
  *der_len = 0;
  BIGNUM *r = BN_bin2bn(sig, (int)half, NULL);
  BIGNUM *s = BN_bin2bn(sig + half, (int)half, NULL);
  ECDSA_SIG *es = ECDSA_SIG_new();
  if (r == NULL || s == NULL || es == NULL) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(es);
    ERR_clear_error();
    return nv_diag_set(d, NV_E_NOMEM, "out of memory converting an ECDSA signature");
  }
  /* r and s must lie in [1, n-1]. OpenSSL refuses zero and values >= n
   * itself; zero is refused here too, so the rule does not depend on it. */
  if (BN_is_zero(r) || BN_is_zero(s)) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(es);
    return nv_diag_set(d, NV_E_SIGNATURE_INVALID,
                       "signature is invalid: ECDSA r or s is zero");
  }
  if (ECDSA_SIG_set0(es, r, s) != 1) { /* takes r and s only on success */
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(es);
    ERR_clear_error();
    return nv_diag_set(d, NV_E_CRYPTO, "cannot build an ECDSA signature");
  }
  int n = i2d_ECDSA_SIG(es, der);
  ECDSA_SIG_free(es);
  if (n <= 0 || *der == NULL) {
    ERR_clear_error();
    return nv_diag_set(d, NV_E_CRYPTO, "cannot encode an ECDSA signature");
  }
  *der_len = n;
  return NV_OK;
}

/* The key must be of the algorithm's family: for ES* exactly the curve the
 * algorithm names; for PS* an RSA key of at least 2048 bits. Which RSA size
 * goes with which hash is the Notary profile (nv_x509_key_alg), checked by
 * the callers that verify envelopes, not by this primitive, so that generic
 * vectors (go-cose, Wycheproof) go through the very same code. */
static nv_status key_fits(const EVP_PKEY *key, nv_sig_alg alg, nv_diag *d)
{
  const char *alg_name = nv_sig_alg_jws_name(alg);
  if (!nv_sig_alg_is_ecdsa(alg) && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
    int bits = EVP_PKEY_get_bits(key);
    if (bits < 2048 || bits > 16384)
      return nv_diag_set(d, NV_E_KEY_UNSUPPORTED, "rsa key size %d bits is not supported", bits);
    return NV_OK;
  }
  nv_sig_alg key_alg = NV_SIG_NONE;
  nv_status rc = nv_x509_key_alg(key, &key_alg, d);
  if (rc != NV_OK)
    return rc;
  if (key_alg != alg)
    return nv_diag_set(d, NV_E_ALG_KEY_MISMATCH,
                       "mismatch between signature algorithm derived from signing certificate "
                       "(%s) and signing algorithm specified (%s)",
                       nv_sig_alg_jws_name(key_alg), alg_name);
  return NV_OK;
}

nv_status nv_x509_verify_signature(const EVP_PKEY *key, nv_sig_alg alg, nv_pss_salt salt,
                                   const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                                   size_t sig_len, nv_diag *d)
{
  const char *md = digest_name(alg);
  const char *alg_name = nv_sig_alg_jws_name(alg);
  if (md == NULL || alg_name == NULL)
    return nv_diag_set(d, NV_E_ALG_UNSUPPORTED, "signature algorithm not supported");
  if (key == NULL || (msg == NULL && msg_len > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_verify_signature: NULL argument");
  if (salt != NV_PSS_SALT_DIGEST && salt != NV_PSS_SALT_AUTO)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_verify_signature: invalid PSS salt mode");

  nv_status rc = key_fits(key, alg, d);
  if (rc != NV_OK)
    return rc;

  if (sig == NULL || sig_len == 0)
    return nv_diag_set(d, NV_E_SIGNATURE_INVALID, "signature is invalid: empty signature");

  unsigned char *der = NULL;
  const unsigned char *tbv = sig; /* the bytes OpenSSL verifies */
  size_t tbv_len = sig_len;
  if (nv_sig_alg_is_ecdsa(alg)) {
    size_t want = nv_sig_alg_ecdsa_sig_len(alg);
    if (sig_len != want)
      return nv_diag_set(d, NV_E_SIGNATURE_INVALID,
                         "signature is invalid: %s signature must be %zu bytes, got %zu",
                         alg_name, want, sig_len);
    int der_len = 0;
    rc = ecdsa_raw_to_der(sig, sig_len, &der, &der_len, d);
    if (rc != NV_OK)
      return rc;
    tbv = der;
    tbv_len = (size_t)der_len;
  } else {
    /* RSASSA-PSS signatures are exactly the modulus length (Go's
     * rsa.VerifyPSS); OpenSSL would also take a shorter integer. */
    int k = EVP_PKEY_get_size(key);
    if (k <= 0 || sig_len != (size_t)k)
      return nv_diag_set(d, NV_E_SIGNATURE_INVALID,
                         "signature is invalid: %s signature must be %d bytes, got %zu",
                         alg_name, k, sig_len);
  }

  EVP_MD_CTX *mctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX *pctx = NULL;
  if (mctx == NULL) {
    OPENSSL_free(der);
    ERR_clear_error();
    return nv_diag_set(d, NV_E_NOMEM, "out of memory verifying a signature");
  }
  if (EVP_DigestVerifyInit_ex(mctx, &pctx, md, NULL, NULL, mutable_key(key), NULL) != 1) {
    rc = nv_diag_set(d, NV_E_CRYPTO, "cannot initialise %s verification", alg_name);
    goto done;
  }
  if (!nv_sig_alg_is_ecdsa(alg)) {
    int saltlen = salt == NV_PSS_SALT_AUTO ? RSA_PSS_SALTLEN_AUTO : RSA_PSS_SALTLEN_DIGEST;
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, md, NULL) <= 0 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltlen) <= 0) {
      rc = nv_diag_set(d, NV_E_CRYPTO, "cannot set the RSASSA-PSS parameters for %s", alg_name);
      goto done;
    }
  }
  /* 1 = valid; 0 = does not verify; < 0 = the signature could not be
   * processed (malformed), which for the caller is the same answer. */
  if (EVP_DigestVerify(mctx, tbv, tbv_len, msg_len > 0 ? msg : (const uint8_t *)"", msg_len) != 1)
    rc = nv_diag_set(d, NV_E_SIGNATURE_INVALID, "signature is invalid (%s)", alg_name);
  else
    rc = NV_OK;

done:
  ERR_clear_error();
  EVP_MD_CTX_free(mctx); /* frees pctx too */
  OPENSSL_free(der);
  return rc;
}
