/*
 * Verification from several threads at once, through the public API:
 * THREADS threads, each with its own nv_ctx, share one trust policy, one
 * trust store and one options object (built before the threads start and
 * not changed afterwards, as nv_trust.h and nv_verify.h allow). Each
 * thread verifies both demo layouts (tools/demo) and the demo envelopes
 * through nv_verify_envelope in every iteration, and one verification
 * under a second shared policy whose trusted identity is wrong, which
 * must fail, interleaved with them.
 *
 * The threads do not call cmocka: each records its counts and the first
 * unexpected outcome, and the main thread asserts afterwards.
 *
 * NV_THREADS_ITERATIONS overrides the number of iterations (default 50).
 * meson runs this test as it is (suite unit and threads) and under
 * valgrind --tool=helgrind (suite threads); helgrind.supp says what is
 * suppressed there and why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <notaryc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO NV_DEMO
#define SCOPE "example.local/notaryc-demo"
#define THREADS 8
#define DEFAULT_ITERATIONS 50u

/* 2027-01-01T00:00:00Z: inside the demo certificates' validity */
#define T_NOW INT64_C(1798761600)

#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_JWS "application/jose+json"
#define MT_COSE "application/cose"
#define ART_DIGEST "sha256:f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268"
#define ART_SIZE 246
#define JWS_ENVELOPE "e366265c6b5c733e43642db6b1371b59227f0d3796fc066a9ec06c90fb955502"
#define COSE_ENVELOPE "897cd608e8dcd4949a6009b8791892cea439b13ac7a8097e4459a8ce74fd5b25"

#define WRONG_POLICY                                                                           \
  "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"wrong-identity\","                     \
  "\"registryScopes\":[\"" SCOPE "\"],"                                                        \
  "\"signatureVerification\":{\"level\":\"strict\",\"override\":{\"revocation\":\"skip\"}}," \
  "\"trustStores\":[\"ca:bench-rsa3072\"],"                                                    \
  "\"trustedIdentities\":[\"x509.subject: C=US, ST=WA, O=Somebody Else\"]}]}"

/* What every thread shares; read-only once the threads run. */
typedef struct shared {
  const nv_trust_policy *policy;
  const nv_trust_policy *wrong;
  const nv_truststore *store;
  const nv_verify_opts *opts;
  bytes jws;
  bytes cose;
  unsigned iterations;
  pthread_barrier_t start;
} shared;

typedef struct worker {
  shared *sh;
  pthread_t thread;
  unsigned index;
  unsigned passed;   /* verifications that returned NV_OK as expected */
  unsigned rejected; /* wrong-identity verifications that failed as expected */
  unsigned warnings; /* log lines at warning level (tag resolution) */
  unsigned bad;      /* unexpected outcomes */
  char first_error[1024];
} worker;

static void note(worker *w, const char *what, nv_ctx *ctx, nv_status rc)
{
  if (w->bad++ == 0)
    snprintf(w->first_error, sizeof(w->first_error), "thread %u: %s: %s (%d): %s", w->index, what,
             nv_status_name(rc), (int)rc, ctx != NULL ? nv_ctx_last_error(ctx) : "");
}

static void log_line(nv_log_level level, const char *component, const char *message, void *user)
{
  worker *w = user;
  (void)component;
  if (level == NV_LOG_WARN && message[0] != '\0')
    w->warnings++;
}

/* Check one verification's outcome and result; frees the result. */
static void check(worker *w, nv_ctx *ctx, const char *what, nv_status rc, nv_result *r,
                  nv_status want, nv_status want_sig)
{
  bool ok = rc == want && r != NULL && nv_result_status(r) == want &&
            nv_ctx_last_status(ctx) == want && strcmp(nv_result_digest(r), ART_DIGEST) == 0 &&
            nv_result_signature_count(r) == 1 &&
            nv_signature_status(nv_result_signature(r, 0)) == want_sig &&
            (want == NV_OK) == (nv_result_verified_signature(r) != NULL);
  char *json = NULL;
  if (ok && nv_result_to_json(r, &json, NULL) != NV_OK)
    ok = false;
  if (ok && strstr(json, want == NV_OK ? "\"verified\":true" : "\"verified\":false") == NULL)
    ok = false;
  nv_free(json);
  if (!ok)
    note(w, what, ctx, rc);
  else if (want == NV_OK)
    w->passed++;
  else
    w->rejected++;
  nv_result_free(r);
}

static nv_status envelope(nv_ctx *ctx, const nv_trust_policy *policy, const shared *sh, bool cose,
                          nv_result **r)
{
  const bytes *e = cose ? &sh->cose : &sh->jws;
  return nv_verify_envelope(ctx, policy, sh->store, SCOPE "@" ART_DIGEST, MT_MANIFEST, ART_DIGEST,
                            ART_SIZE, cose ? MT_COSE : MT_JWS, e->data, e->len, sh->opts, r);
}

static void *work(void *arg)
{
  worker *w = arg;
  shared *sh = w->sh;
  nv_ctx *ctx = NULL;
  nv_status rc = nv_ctx_new(&ctx);
  if (rc == NV_OK)
    rc = nv_ctx_set_log_cb(ctx, log_line, NV_LOG_WARN, w);
  if (rc != NV_OK)
    note(w, "nv_ctx_new", NULL, rc);
  pthread_barrier_wait(&sh->start);
  if (rc != NV_OK)
    return NULL;
  for (unsigned i = 0; i < sh->iterations; i++) {
    bool odd = ((i + w->index) & 1u) != 0;
    nv_result *r = NULL;
    rc = nv_verify(ctx, sh->policy, sh->store, DEMO "/layout-jws:v1", sh->opts, &r);
    check(w, ctx, "layout-jws:v1", rc, r, NV_OK, NV_OK);
    if (odd) {
      /* the failing case between the passing ones */
      rc = nv_verify(ctx, sh->wrong, sh->store, DEMO "/layout-cose@" ART_DIGEST, sh->opts, &r);
      check(w, ctx, "layout-cose, wrong identity", rc, r, NV_E_VERIFICATION_FAILED,
            NV_E_IDENTITY_MISMATCH);
    }
    rc = nv_verify(ctx, sh->policy, sh->store, DEMO "/layout-cose@" ART_DIGEST, sh->opts, &r);
    check(w, ctx, "layout-cose@digest", rc, r, NV_OK, NV_OK);
    if (!odd) {
      rc = envelope(ctx, sh->wrong, sh, false, &r);
      check(w, ctx, "envelope jws, wrong identity", rc, r, NV_E_VERIFICATION_FAILED,
            NV_E_IDENTITY_MISMATCH);
    }
    rc = envelope(ctx, sh->policy, sh, odd, &r);
    check(w, ctx, odd ? "envelope cose" : "envelope jws", rc, r, NV_OK, NV_OK);
  }
  nv_ctx_free(ctx);
  return NULL;
}

static unsigned iterations(void)
{
  const char *s = getenv("NV_THREADS_ITERATIONS");
  if (s == NULL || s[0] == '\0')
    return DEFAULT_ITERATIONS;
  char *end = NULL;
  unsigned long n = strtoul(s, &end, 10);
  if (*end != '\0' || n == 0 || n > 100000)
    fail_msg("NV_THREADS_ITERATIONS=%s: expected 1 .. 100000", s);
  return (unsigned)n;
}

static void test_shared_objects(void **state)
{
  (void)state;
  assert_int_equal(nv_global_init(NV_INIT_DEFAULT), NV_OK);
  nv_ctx *ctx = NULL;
  assert_int_equal(nv_ctx_new(&ctx), NV_OK);

  nv_trust_policy *policy = NULL, *wrong = NULL;
  nv_truststore *store = NULL;
  nv_verify_opts *opts = NULL;
  assert_int_equal(nv_trust_policy_load(ctx, NV_POLICY_OCI, DEMO "/trustpolicy.json", &policy),
                   NV_OK);
  assert_int_equal(nv_trust_policy_parse(ctx, NV_POLICY_OCI, (const uint8_t *)WRONG_POLICY,
                                         strlen(WRONG_POLICY), &wrong),
                   NV_OK);
  assert_int_equal(nv_truststore_new(ctx, &store), NV_OK);
  assert_int_equal(nv_truststore_load_for_policy(ctx, store, DEMO "/truststore", policy), NV_OK);
  assert_int_equal(nv_verify_opts_new(&opts), NV_OK);
  assert_int_equal(nv_verify_opts_set_time(opts, T_NOW), NV_OK);
  assert_int_equal(nv_verify_opts_set_oci_layout(opts, SCOPE), NV_OK);

  shared sh;
  memset(&sh, 0, sizeof(sh));
  sh.policy = policy;
  sh.wrong = wrong;
  sh.store = store;
  sh.opts = opts;
  sh.iterations = iterations();
  sh.jws = slurp_in(DEMO "/layout-jws/blobs/sha256", JWS_ENVELOPE);
  sh.cose = slurp_in(DEMO "/layout-cose/blobs/sha256", COSE_ENVELOPE);
  assert_int_equal(pthread_barrier_init(&sh.start, NULL, THREADS), 0);

  worker workers[THREADS];
  memset(workers, 0, sizeof(workers));
  for (unsigned i = 0; i < THREADS; i++) {
    workers[i].sh = &sh;
    workers[i].index = i;
    assert_int_equal(pthread_create(&workers[i].thread, NULL, work, &workers[i]), 0);
  }
  for (unsigned i = 0; i < THREADS; i++)
    assert_int_equal(pthread_join(workers[i].thread, NULL), 0);
  pthread_barrier_destroy(&sh.start);

  unsigned bad = 0;
  for (unsigned i = 0; i < THREADS; i++) {
    if (workers[i].bad > 0)
      print_error("%s (and %u more)\n", workers[i].first_error, workers[i].bad - 1);
    bad += workers[i].bad;
  }
  /* the shared objects are unchanged: one more verification here */
  nv_result *r = NULL;
  nv_status rc = nv_verify(ctx, policy, store, DEMO "/layout-jws@" ART_DIGEST, opts, &r);
  nv_result_free(r);

  bytes_free(&sh.jws);
  bytes_free(&sh.cose);
  nv_verify_opts_free(opts);
  nv_truststore_free(store);
  nv_trust_policy_free(wrong);
  nv_trust_policy_free(policy);
  nv_ctx_free(ctx);
  nv_global_cleanup();

  assert_int_equal(bad, 0);
  assert_int_equal(rc, NV_OK);
  unsigned n = sh.iterations;
  for (unsigned i = 0; i < THREADS; i++) {
    /* three passing verifications per iteration, one failing one */
    assert_int_equal(workers[i].passed, 3 * n);
    assert_int_equal(workers[i].rejected, n);
    /* the tag warning of every layout-jws:v1 verification reached this
     * thread's own callback */
    assert_true(workers[i].warnings >= n);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_shared_objects),
  };
  return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
