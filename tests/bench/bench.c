/*
 * nv-bench: time the library against the OpenSSL floor measured in the
 * same process (docs/performance.md). One line per case:
 *   BENCH <name> <median µs> us <floor units> units
 * A floor unit is the median time of one bare RSA-3072 RSASSA-PSS verify
 * with the fixture's own key (EVP_DigestVerify, key already parsed),
 * measured before and after the library cases (the lower median counts).
 * Every line is printed at the end.
 *
 *   nv-bench FIXTURES_DIR [--iterations N] [--revocation DIR]
 *
 * Per fixture (RSA-3072 / EC P-256 x JWS / COSE):
 *   decode_*        the envelope decoder alone
 *   integrity_*     the integrity step from bytes, nothing cached
 *   verify_*        nv_vfy_verify_signature (integrity, authenticity with
 *                   the fixtures' trust store and statement, expiry,
 *                   timestamp validity, payload; revocation skipped as the
 *                   statement says) with one certificate cache reused
 *                   across iterations (warm: a long-running verifier that
 *                   sees the same signer again)
 *   verify_*_cold   the same with a new cache every iteration (only the
 *                   trust store, built once, is shared)
 *   api_verify_*    the public nv_verify_envelope with one context reused
 *                   (it creates its own per-call state; its result object
 *                   is built and freed each time)
 *   api_verify_*_cold  the same with a new context (empty certificate
 *                   cache) per call: a verifier that sees a signer once
 *
 * With --revocation DIR (tests/unit/x509/data/revocation, made by openssl
 * ca and openssl ocsp), the revocation check of one leaf below its CA
 * (nv_vfy_revocation_check_chain), answers served from memory by a fetch
 * callback:
 *   revocation_ocsp   an OCSP "good" answer; revocation cache reused
 *   revocation_crl    OCSP fails (HTTP 500), the CRL and its delta answer;
 *                     cache reused (the CRLs kept parsed)
 *   revocation_*_cold the same with a new cache every iteration
 */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <notaryc/nv_global.h>
#include <notaryc/nv_trust.h>
#include <notaryc/nv_verify.h>
#include "base/nv_buf.h"
#include "base/nv_descriptor.h"
#include "base/nv_json.h"
#include "envelope/nv_env.h"
#include "policy/nv_pol_policy.h"
#include "policy/nv_pol_store.h"
#include "verify/nv_vfy_integrity.h"
#include "verify/nv_vfy_pipeline.h"
#include "x509/nv_x509_cache.h"
#include "x509/nv_x509_revocation.h"
#include "verify/nv_vfy_revocation.h"
#include <notaryc/nv_registry.h>

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

/* ---- the whole per-signature pipeline ---- */

struct verify_arg {
  const char *media_type;
  const nv_buf *data;
  nv_vfy_inputs in;
  nv_pol_store *store;    /* built once, shared by every iteration */
  nv_pol_certset *trusted;
  nv_x509_cache *cache;   /* the warm cases' */
  int cold;
};

static nv_status bench_trusted(void *user, nv_pol_store_type type, const nv_pol_certset **out,
                               nv_diag *d)
{
  (void)d;
  const struct verify_arg *a = user;
  *out = type == NV_POL_STORE_CA ? a->trusted : NULL;
  return NV_OK;
}

static int run_verify(void *p)
{
  struct verify_arg *a = p;
  nv_x509_cache *cache = a->cache;
  if (a->cold) {
    if (nv_x509_cache_new(0, 0, &cache, NULL) != NV_OK)
      return -1;
    nv_x509_cache_set_anchors(cache, nv_pol_store_anchors(a->store));
  }
  a->in.cache = cache;
  nv_vfy_sig_result r;
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc =
      nv_vfy_verify_signature(a->media_type, a->data->data, a->data->len, &a->in, &r, &d);
  if (a->cold)
    nv_x509_cache_free(cache);
  if (rc != NV_OK)
    fprintf(stderr, "nv-bench: verification failed: %s\n", d.msg);
  return rc == NV_OK ? 0 : -1;
}

/* The fixtures' trust policy, store and target, for the pipeline cases. */
struct fixture_trust {
  nv_pol_doc *doc;
  nv_pol_store *store;
  nv_descriptor target;
};

static int load_trust(const char *fixtures, struct fixture_trust *t)
{
  memset(t, 0, sizeof(*t));
  nv_descriptor_init(&t->target);
  char path[4200];
  nv_diag d;
  nv_diag_init(&d);
  nv_buf bytes;
  nv_json *j = NULL;
  snprintf(path, sizeof(path), "%s/trustpolicy.json", fixtures);
  if (nv_pol_load_file(NV_POL_DOC_OCI, path, &t->doc, &d) != NV_OK ||
      nv_pol_store_new(&t->store, &d) != NV_OK)
    goto fail;
  snprintf(path, sizeof(path), "%s/truststore/x509", fixtures);
  for (size_t i = 0; i < t->doc->count; i++) {
    const nv_pol_statement *st = &t->doc->statements[i];
    for (size_t k = 0; k < st->store_count; k++) {
      const char *ref = st->stores[k].raw;
      if (nv_pol_store_load_refs(t->store, path, &ref, 1, NV_POL_STORE_CA, &d) != NV_OK)
        goto fail;
    }
  }
  nv_pol_store_freeze(t->store);
  if (slurp(fixtures, "artifact-descriptor.json", &bytes) != 0)
    return -1;
  nv_status rc = nv_json_parse(bytes.data, bytes.len, bytes.len, "descriptor", &j, &d);
  if (rc == NV_OK)
    rc = nv_descriptor_from_json(j, &t->target, &d);
  nv_json_free(j);
  nv_buf_free(&bytes);
  if (rc == NV_OK)
    return 0;
fail:
  fprintf(stderr, "nv-bench: cannot load the fixtures' trust policy or store: %s\n", d.msg);
  return -1;
}

static const nv_pol_statement *statement_for(const struct fixture_trust *t, const char *key)
{
  char name[64];
  snprintf(name, sizeof(name), "bench-%s", key);
  for (size_t i = 0; i < t->doc->count; i++)
    if (strcmp(t->doc->statements[i].name, name) == 0)
      return &t->doc->statements[i];
  return NULL;
}

/* ---- the public API ---- */

struct api_arg {
  nv_ctx *ctx;
  const nv_trust_policy *policy;
  const nv_truststore *store;
  char reference[256];
  const nv_descriptor *target;
  const char *media_type;
  const nv_buf *data;
  int cold; /* a new context (so an empty certificate cache) per call */
};

static int run_api(void *p)
{
  struct api_arg *a = p;
  nv_result *res = NULL;
  nv_ctx *fresh = NULL;
  if (a->cold && nv_ctx_new(&fresh) != NV_OK)
    return -1;
  nv_ctx *ctx = a->cold ? fresh : a->ctx;
  nv_status rc = nv_verify_envelope(ctx, a->policy, a->store, a->reference,
                                    a->target->media_type, a->target->digest, a->target->size,
                                    a->media_type, a->data->data, a->data->len, NULL, &res);
  if (rc != NV_OK)
    fprintf(stderr, "nv-bench: nv_verify_envelope failed: %s\n", nv_ctx_last_error(ctx));
  nv_result_free(res);
  nv_ctx_free(fresh);
  return rc == NV_OK ? 0 : -1;
}

/* ---- revocation ---- */

struct rev_arg {
  X509 *chain[2];
  nv_buf ocsp, crl, delta; /* ocsp empty: HTTP 500 */
  nv_vfy_rev_cache *cache; /* the warm cases' */
  int cold;
  int64_t now;
};

static nv_status rev_serve(const nv_http_request *req, nv_http_response *resp, void *user)
{
  const struct rev_arg *a = user;
  const char *url = nv_http_request_url(req);
  const nv_buf *b = strstr(url, "/ocsp") != NULL    ? &a->ocsp
                    : strstr(url, "/ca.crl") != NULL ? &a->crl
                    : strstr(url, "/delta.crl") != NULL ? &a->delta
                                                        : NULL;
  if (b == NULL || b->len == 0)
    return nv_http_response_set_status(resp, 500);
  nv_status rc = nv_http_response_set_status(resp, 200);
  return rc == NV_OK ? nv_http_response_append_body(resp, b->data, b->len) : rc;
}

static int run_revocation(void *p)
{
  struct rev_arg *a = p;
  nv_vfy_rev_cache *cache = a->cache;
  if (a->cold && nv_vfy_rev_cache_new(&cache) != NV_OK)
    return -1;
  nv_vfy_rev_settings s = {.fetch_cb = rev_serve, .fetch_user = a, .cache = cache};
  nv_vfy_rev_outcome out;
  nv_status rc = nv_vfy_revocation_check_chain(&s, a->chain, 2, a->now, 0, &out, NULL);
  if (a->cold)
    nv_vfy_rev_cache_free(cache);
  return rc == NV_OK && out.checked == 1 ? 0 : -1;
}

static X509 *pem_cert(const char *dir, const char *name)
{
  char path[4200];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  X509 *c = f != NULL ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
  if (f != NULL)
    fclose(f);
  if (c == NULL)
    fprintf(stderr, "nv-bench: cannot read %s\n", path);
  return c;
}

static void report(const char *what, const char *suffix, double us);

/* The four revocation cases on DIR's good.crt, ca.crt, CRLs and OCSP
 * answer; 0, or -1 when the data cannot be read or a check fails. */
static int bench_revocation(const char *dir)
{
  struct rev_arg a;
  memset(&a, 0, sizeof(a));
  a.chain[0] = pem_cert(dir, "good.crt");
  a.chain[1] = pem_cert(dir, "ca.crt");
  nv_x509_crl *crl = NULL;
  int rc = -1;
  if (a.chain[0] == NULL || a.chain[1] == NULL || slurp(dir, "ocsp-good.ocsp", &a.ocsp) != 0 ||
      slurp(dir, "base.crl", &a.crl) != 0 || slurp(dir, "delta.crl", &a.delta) != 0 ||
      nv_x509_crl_parse(a.crl.data, a.crl.len, &crl, NULL) != NV_OK)
    goto out;
  nv_x509_crl_info info;
  nv_x509_crl_get_info(crl, &info);
  a.now = info.this_update + 60; /* the data's own time: its OCSP answer holds a day */
  static const char *const names[] = {"ocsp", "crl"};
  for (int k = 0; k < 2; k++) {
    nv_buf ocsp = a.ocsp;
    if (k == 1)
      a.ocsp.len = 0; /* OCSP fails: the CRLs answer */
    if (nv_vfy_rev_cache_new(&a.cache) != NV_OK)
      goto out;
    a.cold = 0;
    double warm = median_us(run_revocation, &a);
    a.cold = 1;
    double cold = median_us(run_revocation, &a);
    nv_vfy_rev_cache_free(a.cache);
    a.cache = NULL;
    a.ocsp = ocsp;
    if (warm < 0 || cold < 0)
      goto out;
    char name[32];
    snprintf(name, sizeof(name), "%s_cold", names[k]);
    report("revocation", names[k], warm);
    report("revocation", name, cold);
  }
  rc = 0;
out:
  nv_x509_crl_free(crl);
  nv_buf_free(&a.ocsp);
  nv_buf_free(&a.crl);
  nv_buf_free(&a.delta);
  X509_free(a.chain[0]);
  X509_free(a.chain[1]);
  return rc;
}

/* Results are printed at the end, against the final floor. */
#define MAX_RESULTS 64
static struct {
  char name[64];
  double us;
} results[MAX_RESULTS];
static size_t n_results;

static void report(const char *what, const char *suffix, double us)
{
  if (us >= 0 && n_results < MAX_RESULTS) {
    snprintf(results[n_results].name, sizeof(results[n_results].name), "%s_%s", what, suffix);
    results[n_results++].us = us;
  }
}

int main(int argc, char **argv)
{
  const char *fixtures = argc >= 2 ? argv[1] : NULL, *revocation_dir = NULL;
  for (int i = 2; fixtures != NULL && i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--iterations") == 0 && atoi(argv[i + 1]) > 0)
      iterations = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--revocation") == 0)
      revocation_dir = argv[i + 1];
    else
      fixtures = NULL;
  }
  if (fixtures == NULL || argc % 2 != 0) {
    fprintf(stderr, "usage: nv-bench FIXTURES_DIR [--iterations N] [--revocation DIR]\n");
    return 2;
  }

  /* The floor: RSA-3072 PSS/SHA-384 and P-256 ECDSA/SHA-256 verifies over
   * the fixtures' real signing inputs with their real keys, measured
   * before and again after the library cases; the lower median of each is
   * the floor, so a burst of load during one measurement does not move
   * every unit. */
  char dir[4096];
  const char *keys[] = {"rsa3072", "ecp256"};
  struct floor_arg fa[2];
  nv_buf floor_jws[2];
  nv_env floor_env[2];
  unsigned char *ec_der = NULL;
  for (int k = 0; k < 2; k++) {
    snprintf(dir, sizeof(dir), "%s/%s", fixtures, keys[k]);
    if (slurp(dir, "signature.jws", &floor_jws[k]) != 0)
      return 1;
    nv_env *e = &floor_env[k];
    if (nv_env_decode(NV_ENV_FORMAT_JWS, floor_jws[k].data, floor_jws[k].len, e, NULL) != NV_OK) {
      fprintf(stderr, "nv-bench: cannot decode %s/signature.jws\n", dir);
      return 1;
    }
    fa[k] = (struct floor_arg){leaf_key(dir), k == 0 ? EVP_sha384() : EVP_sha256(), k == 0,
                               e->signing_input.data, e->signing_input.len, NULL, 0};
    if (fa[k].key == NULL) {
      fprintf(stderr, "nv-bench: cannot read %s/leaf.crt\n", dir);
      return 1;
    }
    if (k == 0) {
      fa[k].sig = e->signature.data;
      fa[k].sig_len = e->signature.len;
    } else {
      /* ECDSA verify wants DER; convert the raw R||S of the fixture */
      ECDSA_SIG *es = ECDSA_SIG_new();
      ECDSA_SIG_set0(es, BN_bin2bn(e->signature.data, 32, NULL),
                     BN_bin2bn(e->signature.data + 32, 32, NULL));
      int der_len = i2d_ECDSA_SIG(es, &ec_der);
      fa[k].sig = ec_der;
      fa[k].sig_len = der_len > 0 ? (size_t)der_len : 0;
      ECDSA_SIG_free(es);
    }
  }
  double floor_rsa = median_us(floor_verify, &fa[0]);
  double floor_ec = median_us(floor_verify, &fa[1]);
  if (floor_rsa <= 0 || floor_ec <= 0)
    return 1;

  static const struct {
    const char *key, *file, *media_type, *suffix;
  } cases[] = {
    {"rsa3072", "signature.jws", "application/jose+json", "rsa3072_jws"},
    {"rsa3072", "signature.cose", "application/cose", "rsa3072_cose"},
    {"ecp256", "signature.jws", "application/jose+json", "ecp256_jws"},
    {"ecp256", "signature.cose", "application/cose", "ecp256_cose"},
  };
  struct fixture_trust trust;
  if (load_trust(fixtures, &trust) != 0)
    return 1;
  /* The public API's own objects, from the same files. */
  nv_ctx *ctx = NULL;
  nv_trust_policy *policy = NULL;
  nv_truststore *store = NULL;
  char path[4200];
  snprintf(path, sizeof(path), "%s/trustpolicy.json", fixtures);
  if (nv_global_init(NV_INIT_NO_CURL) != NV_OK || nv_ctx_new(&ctx) != NV_OK ||
      nv_trust_policy_load(ctx, NV_POLICY_OCI, path, &policy) != NV_OK ||
      nv_truststore_new(ctx, &store) != NV_OK) {
    fprintf(stderr, "nv-bench: cannot set up the public API: %s\n", nv_ctx_last_error(ctx));
    return 1;
  }
  snprintf(path, sizeof(path), "%s/truststore", fixtures);
  if (nv_truststore_load_for_policy(ctx, store, path, policy) != NV_OK) {
    fprintf(stderr, "nv-bench: cannot load the trust store: %s\n", nv_ctx_last_error(ctx));
    return 1;
  }

  int failed = 0;
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    snprintf(dir, sizeof(dir), "%s/%s", fixtures, cases[i].key);
    struct lib_arg a = {cases[i].media_type, {0}};
    if (slurp(dir, cases[i].file, &a.data) != 0)
      return 1;
    double dec = median_us(run_decode, &a);
    double integ = median_us(run_integrity, &a);

    struct verify_arg v;
    memset(&v, 0, sizeof(v));
    v.media_type = cases[i].media_type;
    v.data = &a.data;
    v.store = trust.store;
    v.in.stmt = statement_for(&trust, cases[i].key);
    v.in.trusted = bench_trusted;
    v.in.trusted_user = &v;
    v.in.now = (int64_t)time(NULL);
    v.in.target = &trust.target;
    double warm = -1, cold = -1;
    const char *refs[8];
    size_t nrefs = 0;
    for (size_t k = 0; v.in.stmt != NULL && k < v.in.stmt->store_count && k < 8; k++)
      refs[nrefs++] = v.in.stmt->stores[k].raw;
    if (v.in.stmt != NULL &&
        nv_pol_store_select(trust.store, refs, nrefs, NV_POL_STORE_CA, &v.trusted, NULL) == NV_OK &&
        nv_x509_cache_new(0, 0, &v.cache, NULL) == NV_OK) {
      nv_x509_cache_set_anchors(v.cache, nv_pol_store_anchors(trust.store));
      warm = median_us(run_verify, &v);
      v.cold = 1;
      cold = median_us(run_verify, &v);
    }
    nv_x509_cache_free(v.cache);
    nv_pol_certset_free(v.trusted);

    struct api_arg api = {ctx, policy, store, "", &trust.target, cases[i].media_type, &a.data, 0};
    snprintf(api.reference, sizeof(api.reference),
             "localhost:5000/notary-bench/net-monitor-%s@%s", cases[i].key, trust.target.digest);
    double pub = median_us(run_api, &api);
    api.cold = 1;
    double pub_cold = median_us(run_api, &api);

    if (dec < 0 || integ < 0 || warm < 0 || cold < 0 || pub < 0 || pub_cold < 0)
      failed = 1;
    report("decode", cases[i].suffix, dec);
    report("integrity", cases[i].suffix, integ);
    char name[64];
    snprintf(name, sizeof(name), "%s_cold", cases[i].suffix);
    report("verify", cases[i].suffix, warm);
    report("verify", name, cold);
    report("api_verify", cases[i].suffix, pub);
    report("api_verify", name, pub_cold);
    nv_buf_free(&a.data);
  }

  if (revocation_dir != NULL && bench_revocation(revocation_dir) != 0) {
    fprintf(stderr, "nv-bench: the revocation cases failed (%s)\n", revocation_dir);
    failed = 1;
  }

  double again = median_us(floor_verify, &fa[0]);
  if (again > 0 && again < floor_rsa)
    floor_rsa = again;
  again = median_us(floor_verify, &fa[1]);
  if (again > 0 && again < floor_ec)
    floor_ec = again;
  printf("BENCH floor_rsa3072_verify %.1f us 1.00 units\n", floor_rsa);
  printf("BENCH floor_ecp256_verify %.1f us %.2f units\n", floor_ec, floor_ec / floor_rsa);
  for (size_t i = 0; i < n_results; i++)
    printf("BENCH %s %.1f us %.2f units\n", results[i].name, results[i].us,
           results[i].us / floor_rsa);
  for (int k = 0; k < 2; k++) {
    EVP_PKEY_free(fa[k].key);
    nv_env_free(&floor_env[k]);
    nv_buf_free(&floor_jws[k]);
  }
  OPENSSL_free(ec_der);
  nv_truststore_free(store);
  nv_trust_policy_free(policy);
  nv_ctx_free(ctx);
  nv_global_cleanup();
  nv_pol_store_free(trust.store);
  nv_pol_doc_free(trust.doc);
  nv_descriptor_free(&trust.target);
  return failed;
}
