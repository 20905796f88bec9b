/*
 * nv-bench: time the library against the OpenSSL floor measured in the
 * same process (docs/performance.md). One line per case:
 *   BENCH <name> <median µs> us <floor units> units
 * A floor unit is the median time of one bare RSA-3072 RSASSA-PSS verify
 * with the fixture's own key (EVP_DigestVerify, key already parsed).
 *
 *   nv-bench FIXTURES_DIR [--iterations N]
 */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/nv_buf.h"
#include "envelope/nv_env.h"
#include "verify/nv_vfy_integrity.h"

static int iterations = 1000;

static double now_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef int (*bench_fn)(void *arg);

/* Median of `iterations` timed runs after a short warm-up; -1 on failure. */
static double median_us(bench_fn fn, void *arg)
{
  double *t = malloc((size_t)iterations * sizeof(double));
  if (t == NULL)
    return -1;
  for (int i = 0; i < 10; i++)
    if (fn(arg) != 0) {
      free(t);
      return -1;
    }
  for (int i = 0; i < iterations; i++) {
    double start = now_us();
    if (fn(arg) != 0) {
      free(t);
      return -1;
    }
    t[i] = now_us() - start;
  }
  qsort(t, (size_t)iterations, sizeof(double), cmp_double);
  double m = t[iterations / 2];
  free(t);
  return m;
}

static int slurp(const char *dir, const char *name, nv_buf *out)
{
  char path[8400];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "nv-bench: cannot open %s\n", path);
    return -1;
  }
  nv_buf_init(out, (size_t)64 << 20);
  uint8_t chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    nv_buf_append(out, chunk, n, NULL);
  fclose(f);
  return 0;
}

/* ---- the floor: one signature verification with a parsed key ---- */

struct floor_arg {
  EVP_PKEY *key;
  const EVP_MD *md;
  int pss;
  const uint8_t *msg;
  size_t msg_len;
  uint8_t *sig;
  size_t sig_len;
};

static int floor_verify(void *p)
{
  struct floor_arg *a = p;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX *pctx = NULL;
  int ok = EVP_DigestVerifyInit(ctx, &pctx, a->md, NULL, a->key) == 1;
  if (ok && a->pss)
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, a->md) > 0;
  /* the result is not checked: a bare ECDSA DER signature is synthesised
   * below only when available; the cost is the same either way */
  if (ok)
    (void)EVP_DigestVerify(ctx, a->sig, a->sig_len, a->msg, a->msg_len);
  EVP_MD_CTX_free(ctx);
  return ok ? 0 : -1;
}

static EVP_PKEY *leaf_key(const char *dir)
{
  char path[4200];
  snprintf(path, sizeof(path), "%s/leaf.crt", dir);
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return NULL;
  X509 *cert = PEM_read_X509(f, NULL, NULL, NULL);
  fclose(f);
  EVP_PKEY *key = cert ? X509_get_pubkey(cert) : NULL;
  X509_free(cert);
  return key;
}

/* ---- library cases ---- */

struct lib_arg {
  const char *media_type;
  nv_buf data;
};

static int run_integrity(void *p)
{
  struct lib_arg *a = p;
  nv_vfy_signed s;
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_vfy_check_integrity(a->media_type, a->data.data, a->data.len, &s, &d);
  nv_vfy_signed_free(&s);
  if (rc != NV_OK)
    fprintf(stderr, "nv-bench: integrity failed: %s\n", d.msg);
  return rc == NV_OK ? 0 : -1;
}

static int run_decode(void *p)
{
  struct lib_arg *a = p;
  nv_env e;
  nv_env_format f = strcmp(a->media_type, "application/cose") == 0 ? NV_ENV_FORMAT_COSE
                                                                   : NV_ENV_FORMAT_JWS;
  nv_status rc = nv_env_decode(f, a->data.data, a->data.len, &e, NULL);
  nv_env_free(&e);
  return rc == NV_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: nv-bench FIXTURES_DIR [--iterations N]\n");
    return 2;
  }
  const char *fixtures = argv[1];
  if (argc == 4 && strcmp(argv[2], "--iterations") == 0)
    iterations = atoi(argv[3]) > 0 ? atoi(argv[3]) : iterations;

  /* The floor: RSA-3072 PSS/SHA-384 and P-256 ECDSA/SHA-256 verifies over
   * the fixtures' real signing inputs with their real keys. */
  char dir[4096];
  double floor_rsa = -1, floor_ec = -1;
  const char *keys[] = {"rsa3072", "ecp256"};
  for (int k = 0; k < 2; k++) {
    snprintf(dir, sizeof(dir), "%s/%s", fixtures, keys[k]);
    nv_buf jws;
    if (slurp(dir, "signature.jws", &jws) != 0)
      return 1;
    nv_env e;
    if (nv_env_decode(NV_ENV_FORMAT_JWS, jws.data, jws.len, &e, NULL) != NV_OK) {
      fprintf(stderr, "nv-bench: cannot decode %s/signature.jws\n", dir);
      return 1;
    }
    struct floor_arg fa = {leaf_key(dir), k == 0 ? EVP_sha384() : EVP_sha256(), k == 0,
                           e.signing_input.data, e.signing_input.len, NULL, 0};
    if (fa.key == NULL) {
      fprintf(stderr, "nv-bench: cannot read %s/leaf.crt\n", dir);
      return 1;
    }
    if (k == 0) {
      fa.sig = e.signature.data;
      fa.sig_len = e.signature.len;
      floor_rsa = median_us(floor_verify, &fa);
    } else {
      /* ECDSA verify wants DER; convert the raw R||S of the fixture */
      ECDSA_SIG *es = ECDSA_SIG_new();
      ECDSA_SIG_set0(es, BN_bin2bn(e.signature.data, 32, NULL),
                     BN_bin2bn(e.signature.data + 32, 32, NULL));
      unsigned char *der = NULL;
      int der_len = i2d_ECDSA_SIG(es, &der);
      fa.sig = der;
      fa.sig_len = der_len > 0 ? (size_t)der_len : 0;
      floor_ec = median_us(floor_verify, &fa);
      OPENSSL_free(der);
      ECDSA_SIG_free(es);
    }
    EVP_PKEY_free(fa.key);
    nv_env_free(&e);
    nv_buf_free(&jws);
  }
  if (floor_rsa <= 0 || floor_ec <= 0)
    return 1;
  printf("BENCH floor_rsa3072_verify %.1f us 1.00 units\n", floor_rsa);
  printf("BENCH floor_ecp256_verify %.1f us %.2f units\n", floor_ec, floor_ec / floor_rsa);

  static const struct {
    const char *key, *file, *media_type, *suffix;
  } cases[] = {
    {"rsa3072", "signature.jws", "application/jose+json", "rsa3072_jws"},
    {"rsa3072", "signature.cose", "application/cose", "rsa3072_cose"},
    {"ecp256", "signature.jws", "application/jose+json", "ecp256_jws"},
    {"ecp256", "signature.cose", "application/cose", "ecp256_cose"},
  };
  int failed = 0;
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    snprintf(dir, sizeof(dir), "%s/%s", fixtures, cases[i].key);
    struct lib_arg a = {cases[i].media_type, {0}};
    if (slurp(dir, cases[i].file, &a.data) != 0)
      return 1;
    double dec = median_us(run_decode, &a);
    double integ = median_us(run_integrity, &a);
    if (dec < 0 || integ < 0) {
      failed = 1;
    } else {
      printf("BENCH decode_%s %.1f us %.2f units\n", cases[i].suffix, dec, dec / floor_rsa);
      printf("BENCH integrity_%s %.1f us %.2f units\n", cases[i].suffix, integ, integ / floor_rsa);
    }
    nv_buf_free(&a.data);
  }
  return failed;
}
