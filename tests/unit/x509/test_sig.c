/*
 * nv_x509_key_alg and nv_x509_verify_signature against keys and signatures
 * made by an independent signer (python3-cryptography and the openssl CLI,
 * data/gen_sig.py): every algorithm verifies, tampering fails, ECDSA
 * length and range edge cases, PSS salt modes, key/algorithm mismatches
 * and unsupported keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509/nv_x509_sig.h"

static EVP_PKEY *load_key(const char *name)
{
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", NV_TEST_DATA, name);
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    fail_msg("cannot open %s", path);
  EVP_PKEY *k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
  fclose(f);
  if (k == NULL)
    fail_msg("cannot read key %s", path);
  return k;
}

static nv_status verify(const char *keyfile, nv_sig_alg alg, nv_pss_salt salt, const bytes *msg,
                        const uint8_t *sig, size_t sig_len, nv_diag *d)
{
  EVP_PKEY *k = load_key(keyfile);
  nv_status rc = nv_x509_verify_signature(k, alg, salt, msg->data, msg->len, sig, sig_len, d);
  EVP_PKEY_free(k);
  return rc;
}

static const struct {
  nv_sig_alg alg;
  const char *key;
  const char *sig;
} valid[] = {
  {NV_SIG_PS256, "sig-rsa2048.pub.pem", "sig-PS256.sig"},
  {NV_SIG_PS384, "sig-rsa3072.pub.pem", "sig-PS384.sig"},
  {NV_SIG_PS512, "sig-rsa4096.pub.pem", "sig-PS512.sig"},
  {NV_SIG_ES256, "sig-p256.pub.pem", "sig-ES256.sig"},
  {NV_SIG_ES256, "sig-p256.pub.pem", "sig-ES256-r-lz.sig"},
  {NV_SIG_ES384, "sig-p384.pub.pem", "sig-ES384.sig"},
  {NV_SIG_ES512, "sig-p521.pub.pem", "sig-ES512.sig"},
};
#define N_VALID (sizeof(valid) / sizeof(valid[0]))

/* ---------------------------------------------------------------- key set */

static void key_alg_supported(void **state)
{
  (void)state;
  const struct {
    const char *key;
    nv_sig_alg alg;
  } cases[] = {
    {"sig-rsa2048.pub.pem", NV_SIG_PS256}, {"sig-rsa3072.pub.pem", NV_SIG_PS384},
    {"sig-rsa4096.pub.pem", NV_SIG_PS512}, {"sig-p256.pub.pem", NV_SIG_ES256},
    {"sig-p384.pub.pem", NV_SIG_ES384},    {"sig-p521.pub.pem", NV_SIG_ES512},
    /* notation-go sizes RSA keys in whole bytes: 2047 bits count as 2048. */
    {"sig-rsa2047.pub.pem", NV_SIG_PS256},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    EVP_PKEY *k = load_key(cases[i].key);
    nv_sig_alg alg = NV_SIG_NONE;
    nv_diag d;
    nv_diag_init(&d);
    assert_int_equal(nv_x509_key_alg(k, &alg, &d), NV_OK);
    assert_int_equal(alg, cases[i].alg);
    EVP_PKEY_free(k);
  }
}

static void key_alg_unsupported(void **state)
{
  (void)state;
  const struct {
    const char *key;
    const char *msg;
  } cases[] = {
    {"sig-rsa1024.pub.pem", "rsa key size 1024 bits is not supported"},
    {"sig-rsa2040.pub.pem", "rsa key size 2040 bits is not supported"},
    {"sig-p224.pub.pem", "ecdsa key size 224 bits is not supported"},
    {"sig-secp256k1.pub.pem", "ecdsa curve secp256k1 is not supported"},
    {"sig-p256-explicit.pub.pem", "ecdsa key with explicit curve parameters is not supported"},
    {"sig-ed25519.pub.pem", "unsupported public key type"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    EVP_PKEY *k = load_key(cases[i].key);
    nv_sig_alg alg = NV_SIG_PS256;
    nv_diag d;
    nv_diag_init(&d);
    assert_int_equal(nv_x509_key_alg(k, &alg, &d), NV_E_KEY_UNSUPPORTED);
    assert_string_equal(d.msg, cases[i].msg);
    assert_int_equal(alg, NV_SIG_NONE);
    EVP_PKEY_free(k);
  }
  nv_sig_alg alg = NV_SIG_PS256;
  assert_int_equal(nv_x509_key_alg(NULL, &alg, NULL), NV_E_KEY_UNSUPPORTED);
  assert_int_equal(alg, NV_SIG_NONE);
}

/* ---------------------------------------------------------------- verify */

static void every_alg_verifies(void **state)
{
  (void)state;
  bytes msg = slurp_in(NV_TEST_DATA, "sig-message.bin");
  for (size_t i = 0; i < N_VALID; i++) {
    bytes sig = slurp_in(NV_TEST_DATA, valid[i].sig);
    nv_diag d;
    nv_diag_init(&d);
    nv_status rc = verify(valid[i].key, valid[i].alg, NV_PSS_SALT_DIGEST, &msg, sig.data,
                          sig.len, &d);
    if (rc != NV_OK)
      fail_msg("%s: %d %s", valid[i].sig, rc, d.msg);
    /* AUTO accepts a salt of hash length too; ECDSA ignores the mode. */
    assert_int_equal(verify(valid[i].key, valid[i].alg, NV_PSS_SALT_AUTO, &msg, sig.data,
                            sig.len, NULL),
                     NV_OK);
    free(sig.data);
  }
  free(msg.data);
}

static void tampered_message_fails(void **state)
{
  (void)state;
  bytes msg = slurp_in(NV_TEST_DATA, "sig-message.bin");
  for (size_t i = 0; i < N_VALID; i++) {
    bytes sig = slurp_in(NV_TEST_DATA, valid[i].sig);
    msg.data[3] ^= 0x01;
    nv_diag d;
    nv_diag_init(&d);
    assert_int_equal(verify(valid[i].key, valid[i].alg, NV_PSS_SALT_AUTO, &msg, sig.data,
                            sig.len, &d),
                     NV_E_SIGNATURE_INVALID);
    msg.data[3] ^= 0x01;
    /* One byte shorter message. */
    msg.len--;
    assert_int_equal(verify(valid[i].key, valid[i].alg, NV_PSS_SALT_AUTO, &msg, sig.data,
                            sig.len, NULL),
                     NV_E_SIGNATURE_INVALID);
    msg.len++;
    free(sig.data);
  }
  free(msg.data);
}

static void tampered_signature_fails(void **state)
{
  (void)state;
  bytes msg = slurp_in(NV_TEST_DATA, "sig-message.bin");
  for (size_t i = 0; i < N_VALID; i++) {
    bytes sig = slurp_in(NV_TEST_DATA, valid[i].sig);
    const size_t positions[] = {0, sig.len / 2 - 1, sig.len / 2, sig.len - 1};
    for (size_t p = 0; p < sizeof(positions) / sizeof(positions[0]); p++) {
      sig.data[positions[p]] ^= 0x40;
      assert_int_equal(verify(valid[i].key, valid[i].alg, NV_PSS_SALT_AUTO, &msg, sig.data,
                              sig.len, NULL),
                       NV_E_SIGNATURE_INVALID);
      sig.data[positions[p]] ^= 0x40;
    }
    /* Sanity: the restored signature still verifies. */
    assert_int_equal(
        verify(valid[i].key, valid[i].alg, NV_PSS_SALT_AUTO, &msg, sig.data, sig.len, NULL),
        NV_OK);
    free(sig.data);
  }
  free(msg.data);
}

static void pss_salt_modes(void **state)
{
  (void)state;
  bytes msg = slurp_in(NV_TEST_DATA, "sig-message.bin");
  bytes sig = slurp_in(NV_TEST_DATA, "sig-PS256-saltmax.sig");
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(verify("sig-rsa2048.pub.pem", NV_SIG_PS256, NV_PSS_SALT_DIGEST, &msg, sig.data,
                          sig.len, &d),
                   NV_E_SIGNATURE_INVALID);
  assert_int_equal(verify("sig-rsa2048.pub.pem", NV_SIG_PS256, NV_PSS_SALT_AUTO, &msg, sig.data,
                          sig.len, NULL),
                   NV_OK);
  assert_int_equal(verify("sig-rsa2048.pub.pem", NV_SIG_PS256, (nv_pss_salt)7, &msg, sig.data,
                          sig.len, NULL),
                   NV_E_INVALID_ARG);
  free(sig.data);
  free(msg.data);
}

static void rsa_signature_length(void **state)
{
  (void)state;
  bytes msg = slurp_in(NV_TEST_DATA, "sig-message.bin");
  bytes sig = slurp_in(NV_TEST_DATA, "sig-PS256.sig");
  assert_int_equal(sig.len, 256);
  uint8_t buf[258];
  /* A leading zero byte makes the same integer but the wrong length. */
  buf[0] = 0;
  memcpy(buf + 1, sig.data, sig.len);
  assert_int_equal(verify("sig-rsa2048.pub.pem", NV_SIG_PS256, NV_PSS_SALT_AUTO, &msg, buf,
                          sig.len + 1, NULL),
                   NV_E_SIGNATURE_INVALID);
  assert_int_equal(verify("sig-rsa2048.pub.pem", NV_SIG_PS256, NV_PSS_SALT_AUTO, &msg, sig.data,
                          sig.len - 1, NULL),
                   NV_E_SIGNATURE_INVALID);
  assert_int_equal(verify("sig-rsa2048.pub.pem", NV_SIG_PS256, NV_PSS_SALT_AUTO, &msg, sig.data,
                          0, NULL),
                   NV_E_SIGNATURE_INVALID);
  assert_int_equal(verify("sig-rsa2048.pub.pem", NV_SIG_PS256, NV_PSS_SALT_AUTO, &msg, NULL, 0,
                          NULL),
                   NV_E_SIGNATURE_INVALID);
  /* A valid signature whose first byte is zero: dropped, the integer is
   * unchanged (OpenSSL alone would accept it) but the length is wrong. */
  bytes lz = slurp_in(NV_TEST_DATA, "sig-PS256-lz.sig");
  assert_int_equal(lz.len, 256);
  assert_int_equal(lz.data[0], 0);
  assert_int_equal(verify("sig-rsa2048.pub.pem", NV_SIG_PS256, NV_PSS_SALT_DIGEST, &msg, lz.data,
                          lz.len, NULL),
                   NV_OK);
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(verify("sig-rsa2048.pub.pem", NV_SIG_PS256, NV_PSS_SALT_DIGEST, &msg,
                          lz.data + 1, lz.len - 1, &d),
                   NV_E_SIGNATURE_INVALID);
  assert_string_equal(d.msg, "signature is invalid: PS256 signature must be 256 bytes, got 255");
  free(lz.data);
  /* All zero / all ones of the right length. */
  memset(buf, 0, sizeof(buf));
  assert_int_equal(verify("sig-rsa2048.pub.pem", NV_SIG_PS256, NV_PSS_SALT_AUTO, &msg, buf,
                          sig.len, NULL),
                   NV_E_SIGNATURE_INVALID);
  memset(buf, 0xff, sizeof(buf));
  assert_int_equal(verify("sig-rsa2048.pub.pem", NV_SIG_PS256, NV_PSS_SALT_AUTO, &msg, buf,
                          sig.len, NULL),
                   NV_E_SIGNATURE_INVALID);
  free(sig.data);
  free(msg.data);
}

static void ecdsa_wrong_lengths(void **state)
{
  (void)state;
  bytes msg = slurp_in(NV_TEST_DATA, "sig-message.bin");
  /* r has a leading zero byte: dropping it gives a 63-byte signature whose
   * DER form would be the same r and s, and prepending or appending a zero
   * gives 65 bytes; none may verify. */
  bytes lz = slurp_in(NV_TEST_DATA, "sig-ES256-r-lz.sig");
  assert_int_equal(lz.len, 64);
  assert_int_equal(lz.data[0], 0);
  uint8_t buf[200];
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(verify("sig-p256.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, lz.data + 1,
                          63, &d),
                   NV_E_SIGNATURE_INVALID);
  assert_string_equal(d.msg, "signature is invalid: ES256 signature must be 64 bytes, got 63");
  buf[0] = 0;
  memcpy(buf + 1, lz.data, 64);
  assert_int_equal(verify("sig-p256.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, buf, 65,
                          NULL),
                   NV_E_SIGNATURE_INVALID);
  memcpy(buf, lz.data, 64);
  buf[64] = 0;
  assert_int_equal(verify("sig-p256.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, buf, 65,
                          NULL),
                   NV_E_SIGNATURE_INVALID);
  /* The untouched signature verifies (the cases above fail for length). */
  assert_int_equal(verify("sig-p256.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, lz.data, 64,
                          NULL),
                   NV_OK);

  /* ES512: 131 and 133 bytes; a P-521 signature under an ES384 length. */
  bytes s512 = slurp_in(NV_TEST_DATA, "sig-ES512.sig");
  assert_int_equal(s512.len, 132);
  assert_int_equal(verify("sig-p521.pub.pem", NV_SIG_ES512, NV_PSS_SALT_DIGEST, &msg, s512.data,
                          131, NULL),
                   NV_E_SIGNATURE_INVALID);
  buf[0] = 0;
  memcpy(buf + 1, s512.data, 132);
  assert_int_equal(verify("sig-p521.pub.pem", NV_SIG_ES512, NV_PSS_SALT_DIGEST, &msg, buf, 133,
                          NULL),
                   NV_E_SIGNATURE_INVALID);
  assert_int_equal(verify("sig-p521.pub.pem", NV_SIG_ES512, NV_PSS_SALT_DIGEST, &msg, s512.data,
                          96, NULL),
                   NV_E_SIGNATURE_INVALID);
  /* The DER encoding of the valid signature is not accepted either. */
  ECDSA_SIG *es = ECDSA_SIG_new();
  assert_non_null(es);
  assert_int_equal(
      ECDSA_SIG_set0(es, BN_bin2bn(lz.data, 32, NULL), BN_bin2bn(lz.data + 32, 32, NULL)), 1);
  unsigned char *der = NULL;
  int der_len = i2d_ECDSA_SIG(es, &der);
  ECDSA_SIG_free(es);
  assert_true(der_len > 0 && der_len != 64);
  assert_int_equal(verify("sig-p256.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, der,
                          (size_t)der_len, NULL),
                   NV_E_SIGNATURE_INVALID);
  OPENSSL_free(der);
  free(s512.data);
  free(lz.data);
  free(msg.data);
}

/* The P-256 group order n, big-endian. */
static void p256_order(uint8_t out[32])
{
  EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  assert_non_null(g);
  assert_int_equal(BN_bn2binpad(EC_GROUP_get0_order(g), out, 32), 32);
  EC_GROUP_free(g);
}

static void ecdsa_r_s_range(void **state)
{
  (void)state;
  bytes msg = slurp_in(NV_TEST_DATA, "sig-message.bin");
  bytes sig = slurp_in(NV_TEST_DATA, "sig-ES256.sig");
  uint8_t n[32], buf[64];
  p256_order(n);
  nv_diag d;

  /* r = 0 and s = 0. */
  memcpy(buf, sig.data, 64);
  memset(buf, 0, 32);
  nv_diag_init(&d);
  assert_int_equal(
      verify("sig-p256.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, buf, 64, &d),
      NV_E_SIGNATURE_INVALID);
  assert_string_equal(d.msg, "signature is invalid: ECDSA r or s is zero");
  memcpy(buf, sig.data, 64);
  memset(buf + 32, 0, 32);
  nv_diag_init(&d);
  assert_int_equal(
      verify("sig-p256.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, buf, 64, &d),
      NV_E_SIGNATURE_INVALID);
  assert_string_equal(d.msg, "signature is invalid: ECDSA r or s is zero");
  memset(buf, 0, 64);
  assert_int_equal(
      verify("sig-p256.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, buf, 64, NULL),
      NV_E_SIGNATURE_INVALID);
  /* r = n, s = n, and all-ones (> n). */
  memcpy(buf, n, 32);
  memcpy(buf + 32, sig.data + 32, 32);
  assert_int_equal(
      verify("sig-p256.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, buf, 64, NULL),
      NV_E_SIGNATURE_INVALID);
  memcpy(buf, sig.data, 32);
  memcpy(buf + 32, n, 32);
  assert_int_equal(
      verify("sig-p256.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, buf, 64, NULL),
      NV_E_SIGNATURE_INVALID);
  memset(buf, 0xff, 64);
  assert_int_equal(
      verify("sig-p256.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, buf, 64, NULL),
      NV_E_SIGNATURE_INVALID);

  /* (r, n - s) is the other valid signature for the same r (ECDSA is
   * malleable; Go and OpenSSL both accept it), which shows the check
   * above fails because of the range and not the arithmetic. */
  BIGNUM *bn = BN_bin2bn(n, 32, NULL);
  BIGNUM *bs = BN_bin2bn(sig.data + 32, 32, NULL);
  assert_non_null(bn);
  assert_non_null(bs);
  assert_int_equal(BN_sub(bn, bn, bs), 1);
  memcpy(buf, sig.data, 32);
  assert_int_equal(BN_bn2binpad(bn, buf + 32, 32), 32);
  BN_free(bn);
  BN_free(bs);
  assert_int_equal(
      verify("sig-p256.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, buf, 64, NULL), NV_OK);
  free(sig.data);
  free(msg.data);
}

static void alg_key_mismatch(void **state)
{
  (void)state;
  bytes msg = slurp_in(NV_TEST_DATA, "sig-message.bin");
  bytes es256 = slurp_in(NV_TEST_DATA, "sig-ES256.sig");
  bytes ps256 = slurp_in(NV_TEST_DATA, "sig-PS256.sig");
  nv_diag d;

  nv_diag_init(&d);
  assert_int_equal(verify("sig-p384.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, es256.data,
                          es256.len, &d),
                   NV_E_ALG_KEY_MISMATCH);
  assert_string_equal(d.msg, "mismatch between signature algorithm derived from signing "
                             "certificate (ES384) and signing algorithm specified (ES256)");
  /* RSA sizes are not paired with hashes here (the envelope callers check
   * nv_x509_key_alg first): a PS256 signature of a 2048-bit key checked with
   * a 3072-bit key is simply a wrong signature. */
  nv_diag_init(&d);
  assert_int_equal(verify("sig-rsa3072.pub.pem", NV_SIG_PS256, NV_PSS_SALT_DIGEST, &msg,
                          ps256.data, ps256.len, &d),
                   NV_E_SIGNATURE_INVALID);
  /* The other direction: the key is right for ES256/PS256 but the header
   * claims a bigger algorithm. */
  assert_int_equal(verify("sig-p256.pub.pem", NV_SIG_ES384, NV_PSS_SALT_DIGEST, &msg, es256.data,
                          es256.len, NULL),
                   NV_E_ALG_KEY_MISMATCH);
  assert_int_equal(verify("sig-rsa2048.pub.pem", NV_SIG_PS384, NV_PSS_SALT_DIGEST, &msg,
                          ps256.data, ps256.len, NULL),
                   NV_E_SIGNATURE_INVALID);
  /* Key type against algorithm family. */
  assert_int_equal(verify("sig-p256.pub.pem", NV_SIG_PS256, NV_PSS_SALT_DIGEST, &msg, ps256.data,
                          ps256.len, NULL),
                   NV_E_ALG_KEY_MISMATCH);
  nv_diag_init(&d);
  assert_int_equal(verify("sig-rsa2048.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg,
                          es256.data, es256.len, &d),
                   NV_E_ALG_KEY_MISMATCH);
  assert_string_equal(d.msg, "mismatch between signature algorithm derived from signing "
                             "certificate (PS256) and signing algorithm specified (ES256)");
  free(ps256.data);
  free(es256.data);
  free(msg.data);
}

static void unsupported_keys(void **state)
{
  (void)state;
  bytes msg = slurp_in(NV_TEST_DATA, "sig-message.bin");
  bytes sig = slurp_in(NV_TEST_DATA, "sig-ES256.sig");
  const char *keys[] = {"sig-rsa1024.pub.pem", "sig-rsa2040.pub.pem", "sig-p224.pub.pem",
                        "sig-secp256k1.pub.pem", "sig-ed25519.pub.pem",
                        "sig-p256-explicit.pub.pem"};
  for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
    nv_diag d;
    nv_diag_init(&d);
    assert_int_equal(
        verify(keys[i], NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg, sig.data, sig.len, &d),
        NV_E_KEY_UNSUPPORTED);
    assert_int_equal(d.status, NV_E_KEY_UNSUPPORTED);
  }
  /* The explicit-parameter key made a valid ES256 signature (openssl
   * verifies it); refusing it is the key rule, not the signature. */
  bytes esig = slurp_in(NV_TEST_DATA, "sig-ES256-explicit.sig");
  assert_int_equal(verify("sig-p256-explicit.pub.pem", NV_SIG_ES256, NV_PSS_SALT_DIGEST, &msg,
                          esig.data, esig.len, NULL),
                   NV_E_KEY_UNSUPPORTED);
  free(esig.data);
  free(sig.data);
  free(msg.data);
}

static void bad_arguments(void **state)
{
  (void)state;
  bytes msg = slurp_in(NV_TEST_DATA, "sig-message.bin");
  bytes sig = slurp_in(NV_TEST_DATA, "sig-ES256.sig");
  EVP_PKEY *k = load_key("sig-p256.pub.pem");
  assert_int_equal(nv_x509_verify_signature(k, NV_SIG_NONE, NV_PSS_SALT_DIGEST, msg.data, msg.len,
                                            sig.data, sig.len, NULL),
                   NV_E_ALG_UNSUPPORTED);
  assert_int_equal(nv_x509_verify_signature(k, (nv_sig_alg)99, NV_PSS_SALT_DIGEST, msg.data,
                                            msg.len, sig.data, sig.len, NULL),
                   NV_E_ALG_UNSUPPORTED);
  assert_int_equal(nv_x509_verify_signature(NULL, NV_SIG_ES256, NV_PSS_SALT_DIGEST, msg.data,
                                            msg.len, sig.data, sig.len, NULL),
                   NV_E_INVALID_ARG);
  assert_int_equal(nv_x509_verify_signature(k, NV_SIG_ES256, NV_PSS_SALT_DIGEST, NULL, msg.len,
                                            sig.data, sig.len, NULL),
                   NV_E_INVALID_ARG);
  /* Empty message: valid call, wrong signature. */
  assert_int_equal(nv_x509_verify_signature(k, NV_SIG_ES256, NV_PSS_SALT_DIGEST, NULL, 0,
                                            sig.data, sig.len, NULL),
                   NV_E_SIGNATURE_INVALID);
  assert_int_equal(nv_x509_key_alg(k, NULL, NULL), NV_E_INVALID_ARG);
  EVP_PKEY_free(k);
  free(sig.data);
  free(msg.data);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(key_alg_supported),
    cmocka_unit_test(key_alg_unsupported),
    cmocka_unit_test(every_alg_verifies),
    cmocka_unit_test(tampered_message_fails),
    cmocka_unit_test(tampered_signature_fails),
    cmocka_unit_test(pss_salt_modes),
    cmocka_unit_test(rsa_signature_length),
    cmocka_unit_test(ecdsa_wrong_lengths),
    cmocka_unit_test(ecdsa_r_s_range),
    cmocka_unit_test(alg_key_mismatch),
    cmocka_unit_test(unsupported_keys),
    cmocka_unit_test(bad_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
