/*
 * One DER certificate without the eager provider key decoding of
 * d2i_X509 (see nv_x509_parse.h).
 *
 * Process-wide state, made once (CRYPTO_THREAD_run_once) and read-only
 * afterwards: a library context holding only the "null" provider, the
 * ex_data index under which a certificate carries its directly decoded key
 * and SHA-256, and one parameters-only key per supported EC curve (the
 * template copied into each EC key). If any of it cannot be made, every
 * certificate is parsed with d2i_X509.
 */
#include "x509/nv_x509_parse.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a certificate parsed here carries (ex_data). */
typedef struct cert_extra {
  EVP_PKEY *key; /* NULL: the certificate's own (X509_get0_pubkey) */
  bool has_sha256;
  uint8_t sha256[32];
  bool parsed_here;         /* by nv_x509_d2i: the subject may be kept */
  _Atomic(char *) subject;  /* its printed subject, once asked for */
} cert_extra;

static const struct {
  int nid;
  const char *group;
} curves[] = {
  {NID_X9_62_prime256v1, "prime256v1"},
  {NID_secp384r1, "secp384r1"},
  {NID_secp521r1, "secp521r1"},
  {NID_secp224r1, "secp224r1"},
};
#define N_CURVES (sizeof(curves) / sizeof(curves[0]))

static CRYPTO_ONCE once = CRYPTO_ONCE_STATIC_INIT;
static int extra_index = -1;
static OSSL_LIB_CTX *null_ctx;     /* only the null provider: no decoders */
static EVP_PKEY *templates[N_CURVES]; /* curve parameters only */
static EVP_MD *sha256_md;          /* fetched once: EVP_sha256() fetches per call */
static bool fast_ready;

static void extra_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
                       void *argp)
{
  (void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
  cert_extra *x = ptr;
  if (x != NULL) {
    EVP_PKEY_free(x->key);
    free(atomic_load(&x->subject));
    free(x);
  }
}

/* X509_dup and friends copy ex_data pointers: give the copy its own. */
static int extra_dup(CRYPTO_EX_DATA *to, const CRYPTO_EX_DATA *from, void **from_d, int idx,
                     long argl, void *argp)
{
  (void)to, (void)from, (void)idx, (void)argl, (void)argp;
  cert_extra *src = *from_d;
  if (src == NULL)
    return 1;
  cert_extra *copy = calloc(1, sizeof(*copy));
  if (copy == NULL)
    return 0;
  copy->key = src->key;
  copy->has_sha256 = src->has_sha256;
  memcpy(copy->sha256, src->sha256, sizeof(copy->sha256));
  copy->parsed_here = false; /* the copy is not ours to keep texts on */
  atomic_init(&copy->subject, NULL);
  if (copy->key != NULL && EVP_PKEY_up_ref(copy->key) != 1) {
    free(copy);
    return 0;
  }
  *from_d = copy;
  return 1;
}

static EVP_PKEY *curve_template(const char *group)
{
  char name[32];
  snprintf(name, sizeof(name), "%s", group);
  OSSL_PARAM params[2];
  params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, name, 0);
  params[1] = OSSL_PARAM_construct_end();
  EVP_PKEY *key = NULL;
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
  if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
      EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEY_PARAMETERS, params) != 1)
    key = NULL;
  EVP_PKEY_CTX_free(ctx);
  return key;
}

static void init_once(void)
{
  extra_index = X509_get_ex_new_index(0, NULL, NULL, extra_dup, extra_free);
  sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
  null_ctx = OSSL_LIB_CTX_new();
  bool ok = extra_index >= 0 && null_ctx != NULL &&
            OSSL_PROVIDER_load(null_ctx, "null") != NULL;
  for (size_t i = 0; ok && i < N_CURVES; i++)
    ok = (templates[i] = curve_template(curves[i].group)) != NULL;
  fast_ready = ok;
  ERR_clear_error();
}

static bool ready(void)
{
  return CRYPTO_THREAD_run_once(&once, init_once) == 1 && extra_index >= 0;
}

static cert_extra *extra_of(const X509 *cert)
{
  if (cert == NULL || !ready())
    return NULL;
  return X509_get_ex_data(cert, extra_index);
}

/* The key of an undecoded certificate, decoded directly; NULL when the
 * direct path does not take this key. */
static EVP_PKEY *direct_key(X509 *cert)
{
  ASN1_OBJECT *oid = NULL;
  const unsigned char *pk = NULL;
  int pk_len = 0;
  X509_ALGOR *alg = NULL;
  if (X509_PUBKEY_get0_param(&oid, &pk, &pk_len, &alg, X509_get_X509_PUBKEY(cert)) != 1 ||
      pk == NULL || pk_len <= 0)
    return NULL;
  int ptype = V_ASN1_UNDEF;
  const void *pval = NULL;
  X509_ALGOR_get0(NULL, &ptype, &pval, alg);
  EVP_PKEY *key = NULL;
  switch (OBJ_obj2nid(oid)) {
  case NID_rsaEncryption: {
    if (ptype != V_ASN1_NULL)
      return NULL;
    const unsigned char *p = pk;
    key = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, pk_len);
    if (key != NULL && p != pk + pk_len) {
      EVP_PKEY_free(key);
      key = NULL;
    }
    return key;
  }
  case NID_X9_62_id_ecPublicKey: {
    if (ptype != V_ASN1_OBJECT || pval == NULL)
      return NULL; /* explicit or implicit curve parameters */
    int curve = OBJ_obj2nid(pval);
    for (size_t i = 0; i < N_CURVES; i++) {
      if (curves[i].nid != curve)
        continue;
      key = EVP_PKEY_new();
      if (key == NULL || EVP_PKEY_copy_parameters(key, templates[i]) != 1 ||
          EVP_PKEY_set1_encoded_public_key(key, pk, (size_t)pk_len) != 1) {
        EVP_PKEY_free(key);
        key = NULL;
      }
      return key;
    }
    return NULL;
  }
  default:
    return NULL;
  }
}

static bool attach(X509 *cert, EVP_PKEY *key)
{
  cert_extra *x = calloc(1, sizeof(*x));
  if (x == NULL)
    return false;
  x->key = key;
  x->parsed_here = true;
  atomic_init(&x->subject, NULL);
  unsigned int len = 0;
  x->has_sha256 = X509_digest(cert, sha256_md != NULL ? sha256_md : EVP_sha256(), x->sha256,
                              &len) == 1 &&
                  len == 32;
  if (X509_set_ex_data(cert, extra_index, x) != 1) {
    free(x);
    return false;
  }
  return true;
}

/* The fast path; NULL when it does not apply (the caller falls back). */
static X509 *d2i_direct(const uint8_t *der, long len, size_t *used)
{
  const unsigned char *p = der;
  X509 *cert = (X509 *)ASN1_item_d2i_ex(NULL, &p, len, ASN1_ITEM_rptr(X509), null_ctx, NULL);
  if (cert == NULL)
    return NULL;
  EVP_PKEY *key = direct_key(cert);
  if (key == NULL || !attach(cert, key)) {
    EVP_PKEY_free(key);
    X509_free(cert);
    return NULL;
  }
  *used = (size_t)(p - der);
  return cert;
}

X509 *nv_x509_d2i(const uint8_t *der, size_t len, size_t *used)
{
  *used = 0;
  if (der == NULL || len == 0 || len > (size_t)LONG_MAX)
    return NULL;
  X509 *cert = NULL;
  if (ready() && fast_ready)
    cert = d2i_direct(der, (long)len, used);
  if (cert == NULL) {
    const unsigned char *p = der;
    cert = d2i_X509(NULL, &p, (long)len);
    if (cert != NULL) {
      *used = (size_t)(p - der);
      if (ready())
        (void)attach(cert, NULL); /* the SHA-256 only */
    }
  }
  ERR_clear_error();
  return cert;
}

EVP_PKEY *nv_x509_pubkey(const X509 *cert)
{
  if (cert == NULL)
    return NULL;
  cert_extra *x = extra_of(cert);
  if (x != NULL && x->key != NULL)
    return x->key;
  EVP_PKEY *key = X509_get0_pubkey(cert);
  if (key == NULL)
    ERR_clear_error();
  return key;
}

bool nv_x509_sha256_memo(const X509 *cert, uint8_t out[32])
{
  cert_extra *x = extra_of(cert);
  if (x == NULL || !x->has_sha256)
    return false;
  memcpy(out, x->sha256, 32);
  return true;
}

bool nv_x509_remember_sha256(X509 *cert, const uint8_t hash[32])
{
  if (cert == NULL || !ready())
    return false;
  cert_extra *x = X509_get_ex_data(cert, extra_index);
  if (x == NULL) {
    if ((x = calloc(1, sizeof(*x))) == NULL)
      return false;
    atomic_init(&x->subject, NULL);
    if (X509_set_ex_data(cert, extra_index, x) != 1) {
      free(x);
      return false;
    }
  }
  memcpy(x->sha256, hash, 32);
  x->has_sha256 = true;
  return true;
}

bool nv_x509_sha256(const void *data, size_t len, uint8_t out[32])
{
  unsigned int n = 0;
  const EVP_MD *md = ready() && sha256_md != NULL ? sha256_md : EVP_sha256();
  bool ok = EVP_Digest(data, len, out, &n, md, NULL) == 1 && n == 32;
  if (!ok)
    ERR_clear_error();
  return ok;
}

_Atomic(char *) *nv_x509_subject_slot(const X509 *cert)
{
  cert_extra *x = extra_of(cert);
  return x != NULL && x->parsed_here ? &x->subject : NULL;
}
