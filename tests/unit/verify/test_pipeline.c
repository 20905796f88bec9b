/*
 * The per-signature pipeline (nv_vfy_verify_signature, notary-spec.md
 * section 14) on the benchmark fixtures made by notation-go (RSA-3072,
 * JWS and COSE, signed 2026-11-27T05:31:09Z, certificates valid
 * 2024-2044): each verification level against each class of failure,
 * with the enforced / logged / fatal outcome of every check. The
 * revocation step runs on data/revocation, made by the independent signer
 * tests/signer/notary_signer.py, with a fetch callback whose responders
 * do not answer (so a certificate naming OCSP / CRL URLs is "unknown") and
 * in offline mode; the OCSP / CRL judgements themselves are tested in
 * tests/unit/x509/test_revocation.c and test_revocation.c here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_json.h"
#include "envelope/nv_env.h"
#include "envelope/nv_env_payload.h"
#include "verify/nv_vfy_pipeline.h"
#include "verify/nv_vfy_revocation.h"
#include "x509/nv_x509_revocation_info.h"

#define MT_JWS "application/jose+json"
#define MT_COSE "application/cose"
#define T_2027 INT64_C(1798761600) /* 2027-01-01T00:00:00Z */
#define T_2050 INT64_C(2524608000) /* 2050-01-01T00:00:00Z */
#define T_2020 INT64_C(1577836800) /* 2020-01-01T00:00:00Z */
#define SIGNER_DN "x509.subject:C=US, ST=WA, L=Seattle, O=Notary Bench, CN=Notary Bench RSA-3072 Signer"


/* A one-statement OCI policy. */
static nv_pol_doc *policy(const char *level, const char *override, const char *stores,
                          const char *identity, const char *extra)
{
  char text[4096];
  snprintf(text, sizeof(text),
           "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"t\",\"registryScopes\":[\"*\"],"
           "\"signatureVerification\":{\"level\":\"%s\"%s%s%s},"
           "\"trustStores\":[%s],\"trustedIdentities\":[\"%s\"]}]}",
           level, override ? ",\"override\":" : "", override ? override : "",
           extra ? extra : "", stores, identity);
  nv_diag d;
  nv_diag_init(&d);
  nv_pol_doc *doc = NULL;
  if (nv_pol_parse(NV_POL_DOC_OCI, text, strlen(text), &doc, &d) != NV_OK)
    fail_msg("policy: %s (%s)", d.msg, text);
  return doc;
}

/* What the trusted() callback works with. */
typedef struct trust_slot {
  nv_pol_certset *cs; /* the last set handed out */
  const nv_pol_statement *stmt;
  const char *dir; /* an x509 directory */
} trust_slot;

static nv_status trusted(void *user, nv_pol_store_type type, const nv_pol_certset **out,
                         nv_diag *d)
{
  trust_slot *slot = user;
  const nv_pol_statement *stmt = slot->stmt;
  const char *refs[8];
  size_t n = 0;
  for (size_t i = 0; i < stmt->store_count && n < 8; i++)
    refs[n++] = stmt->stores[i].raw;
  nv_pol_certset_free(slot->cs);
  slot->cs = NULL;
  nv_status rc = nv_pol_certset_for_policy(slot->dir, refs, n, type, &slot->cs, d);
  *out = slot->cs;
  return rc;
}

static void load_target(const char *json, nv_descriptor *desc)
{
  nv_json *j = NULL;
  assert_int_equal(nv_json_parse(json, strlen(json), 1 << 20, "target", &j, NULL), NV_OK);
  nv_descriptor_init(desc);
  assert_int_equal(nv_descriptor_from_json(j, desc, NULL), NV_OK);
  nv_json_free(j);
}

typedef struct run_opts {
  const char *level;
  const char *override;
  const char *stores;
  const char *identity;
  const char *extra;
  const char *envelope;
  const char *media_type;
  int64_t now;
  const char *target_json; /* NULL: the fixture descriptor */
  bool own_target;         /* the target is the one the envelope names */
  const char *store_dir;   /* NULL: the fixtures' x509 directory */
  const char *const *md_keys;
  const char *const *md_values;
  size_t md_count;
  const nv_vfy_rev_settings *revocation; /* NULL: the defaults */
  nv_vfy_tsa_revocation_fn tsa_revocation; /* NULL: the pipeline's own */
  void *tsa_revocation_user;
  nv_log_cb log_cb; /* NULL: no log */
  void *log_user;
} run_opts;

static nv_status run(const run_opts *o, nv_vfy_sig_result *res)
{
  nv_pol_doc *doc = policy(o->level, o->override,
                           o->stores ? o->stores : "\"ca:bench-rsa3072\"",
                           o->identity ? o->identity : SIGNER_DN, o->extra);
  bytes target_file = slurp_path(NV_BENCH_FIXTURES "/artifact-descriptor.json");
  char *tj = calloc(1, target_file.len + 1);
  assert_non_null(tj);
  memcpy(tj, target_file.data, target_file.len);
  nv_descriptor target;
  bytes env = slurp_path(o->envelope ? o->envelope : NV_BENCH_FIXTURES "/rsa3072/signature.jws");
  if (o->own_target) { /* the envelope's own payload (vectors without a descriptor file) */
    nv_env e;
    nv_env_format fmt;
    assert_int_equal(nv_env_format_from_media_type(o->media_type ? o->media_type : MT_JWS, &fmt,
                                                   NULL),
                     NV_OK);
    assert_int_equal(nv_env_decode(fmt, env.data, env.len, &e, NULL), NV_OK);
    nv_descriptor_init(&target);
    assert_int_equal(nv_env_parse_payload(&e, &target, NULL), NV_OK);
    nv_env_free(&e);
  } else {
    load_target(o->target_json ? o->target_json : tj, &target);
  }
  trust_slot slot = {NULL, &doc->statements[0],
                     o->store_dir ? o->store_dir : NV_BENCH_FIXTURES "/truststore/x509"};
  nv_vfy_inputs in = {
      .stmt = &doc->statements[0],
      .trusted = trusted,
      .trusted_user = &slot,
      .now = o->now ? o->now : T_2027,
      .target = &target,
      .metadata_keys = o->md_keys,
      .metadata_values = o->md_values,
      .metadata_count = o->md_count,
      .revocation = o->revocation,
      .tsa_revocation = o->tsa_revocation,
      .tsa_revocation_user = o->tsa_revocation_user,
  };
  nv_diag d;
  nv_diag_init(&d);
  d.log_cb = o->log_cb;
  d.log_max = NV_LOG_DEBUG;
  d.log_user_data = o->log_user;
  nv_status rc = nv_vfy_verify_signature(o->media_type ? o->media_type : MT_JWS, env.data,
                                         env.len, &in, res, &d);
  assert_int_equal(rc, res->status);
  assert_int_equal(nv_diag_status(&d), rc);
  if (rc != NV_OK)
    assert_string_equal(d.msg, res->message);
  nv_pol_certset_free(slot.cs);
  nv_descriptor_free(&target);
  free(env.data);
  free(target_file.data);
  free(tj);
  nv_pol_doc_free(doc);
  return rc;
}

static void assert_check(const nv_vfy_sig_result *r, nv_pol_check chk, nv_pol_action action,
                         int outcome, nv_status code)
{
  assert_int_equal(r->checks[chk].action, action);
  assert_int_equal(r->checks[chk].outcome, outcome);
  assert_int_equal(r->checks[chk].code, code);
}

static const char *const levels[] = {"strict", "permissive", "audit"};

/* ------------------------------------------------------------------ */

static void test_success_every_level(void **state)
{
  (void)state;
  const char *envs[][2] = {{NV_BENCH_FIXTURES "/rsa3072/signature.jws", MT_JWS},
                           {NV_BENCH_FIXTURES "/rsa3072/signature.cose", MT_COSE}};
  for (size_t e = 0; e < 2; e++)
    for (size_t l = 0; l < 3; l++) {
      nv_vfy_sig_result r;
      run_opts o = {.level = levels[l], .envelope = envs[e][0], .media_type = envs[e][1]};
      assert_int_equal(run(&o, &r), NV_OK);
      assert_int_equal(r.failed_check, NV_POL_CHECK_COUNT);
      assert_int_equal(r.scheme, NV_SCHEME_X509);
      assert_true(r.has_signing_time);
      assert_int_equal(r.signing_time, INT64_C(1795757469)); /* 2026-11-27T05:31:09Z */
      assert_false(r.has_expiry);
      assert_non_null(strstr(r.signer_subject, "Notary Bench RSA-3072 Signer"));
      assert_check(&r, NV_POL_CHECK_INTEGRITY, NV_POL_ACTION_ENFORCE, NV_VFY_CHECK_PASSED, NV_OK);
      assert_int_equal(r.checks[NV_POL_CHECK_AUTHENTICITY].outcome, NV_VFY_CHECK_PASSED);
      assert_int_equal(r.checks[NV_POL_CHECK_EXPIRY].outcome, NV_VFY_CHECK_PASSED);
      assert_int_equal(r.checks[NV_POL_CHECK_AUTHENTIC_TIMESTAMP].outcome, NV_VFY_CHECK_PASSED);
      /* no OCSP / CRL URL in the chain: revocation passes with a warning */
      assert_int_equal(r.checks[NV_POL_CHECK_REVOCATION].outcome, NV_VFY_CHECK_PASSED);
      assert_non_null(strstr(r.checks[NV_POL_CHECK_REVOCATION].message,
                             "not checked for revocation"));
    }
}

static void test_override_skip_not_run(void **state)
{
  (void)state;
  nv_vfy_sig_result r;
  run_opts o = {.level = "strict", .override = "{\"revocation\":\"skip\"}"};
  assert_int_equal(run(&o, &r), NV_OK);
  assert_check(&r, NV_POL_CHECK_REVOCATION, NV_POL_ACTION_SKIP, NV_VFY_CHECK_NOT_RUN, NV_OK);
}

static void test_target_mismatch_fatal(void **state)
{
  (void)state;
  static const char other[] =
      "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":"
      "\"sha256:0000000000000000000000000000000000000000000000000000000000000000\","
      "\"size\":246}";
  for (size_t l = 0; l < 3; l++) {
    nv_vfy_sig_result r;
    run_opts o = {.level = levels[l], .target_json = other};
    assert_int_equal(run(&o, &r), NV_E_TARGET_ARTIFACT_MISMATCH);
    assert_int_equal(r.failed_check, NV_POL_CHECK_COUNT);
    assert_non_null(strstr(r.message, "sha256:f20c4316"));
  }
  /* the size is part of the binding too */
  static const char size[] =
      "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":"
      "\"sha256:f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268\","
      "\"size\":247}";
  nv_vfy_sig_result r;
  run_opts o = {.level = "audit", .target_json = size};
  assert_int_equal(run(&o, &r), NV_E_TARGET_ARTIFACT_MISMATCH);
}

static void test_untrusted_store(void **state)
{
  (void)state;
  nv_vfy_sig_result r;
  run_opts o = {.level = "strict", .stores = "\"ca:bench-ecp256\""};
  assert_int_equal(run(&o, &r), NV_E_CHAIN_NOT_TRUSTED);
  assert_int_equal(r.failed_check, NV_POL_CHECK_AUTHENTICITY);
  assert_string_equal(r.message,
                      "the signature's certificate chain does not contain any trusted certificate");
  /* enforced: nothing after authenticity ran */
  assert_int_equal(r.checks[NV_POL_CHECK_EXPIRY].outcome, NV_VFY_CHECK_NOT_RUN);

  o.level = "permissive";
  assert_int_equal(run(&o, &r), NV_E_CHAIN_NOT_TRUSTED);

  o.level = "audit";
  assert_int_equal(run(&o, &r), NV_OK);
  assert_check(&r, NV_POL_CHECK_AUTHENTICITY, NV_POL_ACTION_LOG, NV_VFY_CHECK_FAILED,
               NV_E_CHAIN_NOT_TRUSTED);
  assert_int_equal(r.checks[NV_POL_CHECK_EXPIRY].outcome, NV_VFY_CHECK_PASSED);
}

static void test_no_trusted_certs(void **state)
{
  (void)state;
  /* a signingAuthority store only: no ca certificates for notary.x509 */
  nv_vfy_sig_result r;
  run_opts o = {.level = "strict", .stores = "\"signingAuthority:bench-rsa3072\""};
  assert_int_equal(run(&o, &r), NV_E_NO_TRUSTED_CERTS);
  assert_int_equal(r.failed_check, NV_POL_CHECK_AUTHENTICITY);
}

static void test_store_load_error(void **state)
{
  (void)state;
  nv_vfy_sig_result r;
  run_opts o = {.level = "strict", .stores = "\"ca:no-such-store\""};
  assert_int_equal(run(&o, &r), NV_E_TRUSTSTORE_NOT_FOUND);
  assert_int_equal(r.failed_check, NV_POL_CHECK_AUTHENTICITY);
  o.level = "audit";
  assert_int_equal(run(&o, &r), NV_OK);
  assert_check(&r, NV_POL_CHECK_AUTHENTICITY, NV_POL_ACTION_LOG, NV_VFY_CHECK_FAILED,
               NV_E_TRUSTSTORE_NOT_FOUND);
}

static void test_identity_mismatch(void **state)
{
  (void)state;
  nv_vfy_sig_result r;
  run_opts o = {.level = "strict", .identity = "x509.subject:C=US, ST=WA, O=Notary Bench, CN=Someone Else"};
  assert_int_equal(run(&o, &r), NV_E_IDENTITY_MISMATCH);
  assert_int_equal(r.failed_check, NV_POL_CHECK_AUTHENTICITY);
  o.level = "audit";
  assert_int_equal(run(&o, &r), NV_OK);
  assert_check(&r, NV_POL_CHECK_AUTHENTICITY, NV_POL_ACTION_LOG, NV_VFY_CHECK_FAILED,
               NV_E_IDENTITY_MISMATCH);
  /* "*" matches any signer */
  o.level = "strict";
  o.identity = "*";
  assert_int_equal(run(&o, &r), NV_OK);
}

static void test_cert_expired(void **state)
{
  (void)state;
  nv_vfy_sig_result r;
  run_opts o = {.level = "strict", .now = T_2050};
  assert_int_equal(run(&o, &r), NV_E_CERT_EXPIRED);
  assert_int_equal(r.failed_check, NV_POL_CHECK_AUTHENTIC_TIMESTAMP);

  o.level = "permissive";
  assert_int_equal(run(&o, &r), NV_OK);
  assert_check(&r, NV_POL_CHECK_AUTHENTIC_TIMESTAMP, NV_POL_ACTION_LOG, NV_VFY_CHECK_FAILED,
               NV_E_CERT_EXPIRED);

  o.level = "strict";
  o.now = T_2020;
  assert_int_equal(run(&o, &r), NV_E_CERT_NOT_YET_VALID);
}

static void test_timestamp_policy(void **state)
{
  (void)state;
  /* a tsa store and verifyTimestamp "always": the token is required */
  nv_vfy_sig_result r;
  run_opts o = {.level = "strict", .stores = "\"ca:bench-rsa3072\",\"tsa:some-tsa\""};
  assert_int_equal(run(&o, &r), NV_E_TIMESTAMP_MISSING);
  assert_int_equal(r.failed_check, NV_POL_CHECK_AUTHENTIC_TIMESTAMP);
  o.level = "permissive";
  assert_int_equal(run(&o, &r), NV_OK);
  assert_check(&r, NV_POL_CHECK_AUTHENTIC_TIMESTAMP, NV_POL_ACTION_LOG, NV_VFY_CHECK_FAILED,
               NV_E_TIMESTAMP_MISSING);
  /* afterCertExpiry with a valid chain: validity at the verification time */
  o.level = "strict";
  o.extra = ",\"verifyTimestamp\":\"afterCertExpiry\"";
  assert_int_equal(run(&o, &r), NV_OK);
  o.now = T_2050;
  assert_int_equal(run(&o, &r), NV_E_TIMESTAMP_MISSING);
}

/* TSA-chain revocation stubs for the authentic-timestamp step, passed in
 * nv_vfy_inputs.tsa_revocation. */
static nv_status tsa_not_revoked(void *user, X509 *const *chain, size_t count, int64_t gen_time,
                                 nv_diag *d)
{
  (void)chain, (void)gen_time, (void)d;
  *(size_t *)user = count;
  return NV_OK;
}

static nv_status tsa_revoked(void *user, X509 *const *chain, size_t count, int64_t gen_time,
                             nv_diag *d)
{
  (void)user, (void)chain, (void)count, (void)gen_time;
  return nv_diag_set(d, NV_E_TSA_CERT_REVOKED, "timestamping certificate is revoked");
}

static run_opts timestamp_opts(const char *envelope)
{
  run_opts o = {
      .level = "strict",
      .stores = "\"ca:valid-trust-store\",\"tsa:test-timestamp\"",
      .identity = "*",
      .extra = ",\"verifyTimestamp\":\"always\"",
      .envelope = envelope,
      .now = INT64_C(1735689600), /* 2025-01-01T00:00:00Z */
      .own_target = true,
      .store_dir = NV_VECTORS "/notation-go/verifier/testdata/truststore/x509",
  };
  return o;
}

#define SIGENV NV_VECTORS "/notation-go/verifier/testdata/timestamp/sigEnv/"

/* The GlobalSign TSA chain names OCSP and CRL URLs: with no revocation
 * checker the step fails closed (logged under permissive and audit). */
static void test_timestamp_tsa_revocation_fails_closed(void **state)
{
  (void)state;
  nv_vfy_sig_result r;
  run_opts o = timestamp_opts(SIGENV "jwsWithTimestamp.sig");
  assert_int_equal(run(&o, &r), NV_E_TSA_REVOCATION_CHECK_ERROR);
  assert_int_equal(r.failed_check, NV_POL_CHECK_AUTHENTIC_TIMESTAMP);
  assert_check(&r, NV_POL_CHECK_AUTHENTIC_TIMESTAMP, NV_POL_ACTION_ENFORCE, NV_VFY_CHECK_FAILED,
               NV_E_TSA_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(r.message, "not available"));
  assert_false(r.has_timestamp);
  o.level = "permissive";
  assert_int_equal(run(&o, &r), NV_OK);
  assert_check(&r, NV_POL_CHECK_AUTHENTIC_TIMESTAMP, NV_POL_ACTION_LOG, NV_VFY_CHECK_FAILED,
               NV_E_TSA_REVOCATION_CHECK_ERROR);
  o.level = "audit";
  assert_int_equal(run(&o, &r), NV_OK);
  assert_check(&r, NV_POL_CHECK_AUTHENTIC_TIMESTAMP, NV_POL_ACTION_LOG, NV_VFY_CHECK_FAILED,
               NV_E_TSA_REVOCATION_CHECK_ERROR);
  /* with revocation settings the revocation layer checks the TSA chain:
   * offline, nothing answers for GlobalSign, so its status is unknown */
  nv_vfy_rev_settings offline;
  memset(&offline, 0, sizeof(offline));
  offline.offline = true;
  o.level = "strict";
  o.revocation = &offline;
  assert_int_equal(run(&o, &r), NV_E_TSA_REVOCATION_UNKNOWN);
  assert_int_equal(r.failed_check, NV_POL_CHECK_AUTHENTIC_TIMESTAMP);
  /* a statement that skips revocation skips the TSA chain's too */
  o.override = "{\"revocation\":\"skip\"}";
  assert_int_equal(run(&o, &r), NV_OK);
  assert_true(r.has_timestamp);
  o.revocation = NULL;
  assert_int_equal(run(&o, &r), NV_OK);
}

static void test_timestamp_verified(void **state)
{
  (void)state;
  nv_vfy_sig_result r;
  size_t tsa_len = 0;
  run_opts o = timestamp_opts(SIGENV "jwsWithTimestamp.sig");
  o.tsa_revocation = tsa_not_revoked;
  o.tsa_revocation_user = &tsa_len;
  assert_int_equal(run(&o, &r), NV_OK);
  assert_check(&r, NV_POL_CHECK_AUTHENTIC_TIMESTAMP, NV_POL_ACTION_ENFORCE, NV_VFY_CHECK_PASSED,
               NV_OK);
  assert_true(r.has_timestamp);
  assert_int_equal(r.timestamp, INT64_C(1718692177)); /* 2024-06-18T06:29:37Z */
  assert_int_equal(r.timestamp_accuracy_us, 1000000);
  assert_int_equal(tsa_len, 3); /* leaf, GlobalSign TS CA G4, Root R6 */
  /* the signing certificate expired 10 minutes after signing: saved by
   * the timestamp (that certificate is in no ca store: authenticity
   * logged) */
  o.override = "{\"authenticity\":\"log\"}";
  o.envelope = SIGENV "coseExpiredWithTimestamp.sig";
  o.media_type = "application/cose";
  assert_int_equal(run(&o, &r), NV_OK);
  assert_true(r.has_timestamp);
  /* ... but not with afterCertExpiry and no tsa store */
  o.stores = "\"ca:valid-trust-store\"";
  assert_int_equal(run(&o, &r), NV_E_CERT_EXPIRED);
  o.stores = "\"ca:valid-trust-store\",\"tsa:test-timestamp\"";
  o.extra = ",\"verifyTimestamp\":\"afterCertExpiry\"";
  assert_int_equal(run(&o, &r), NV_OK);
  assert_true(r.has_timestamp);
  /* afterCertExpiry with an unexpired chain: the token is not looked at */
  o.envelope = SIGENV "withoutTimestamp.sig";
  o.media_type = NULL;
  assert_int_equal(run(&o, &r), NV_OK);
  assert_false(r.has_timestamp);
  o.extra = ",\"verifyTimestamp\":\"always\"";
  assert_int_equal(run(&o, &r), NV_E_TIMESTAMP_MISSING);
  o.envelope = SIGENV "timestampAfterNotAfter.sig";
  o.media_type = "application/cose";
  assert_int_equal(run(&o, &r), NV_E_TIMESTAMP_AFTER_CERT_VALIDITY);
  o.envelope = SIGENV "timestampBeforeNotBefore.sig";
  o.media_type = NULL;
  assert_int_equal(run(&o, &r), NV_E_TIMESTAMP_BEFORE_CERT_VALIDITY);
  /* a revoked TSA chain */
  o.tsa_revocation = tsa_revoked;
  o.tsa_revocation_user = NULL;
  o.envelope = SIGENV "jwsWithTimestamp.sig";
  o.media_type = NULL;
  assert_int_equal(run(&o, &r), NV_E_TSA_CERT_REVOKED);
  assert_int_equal(r.failed_check, NV_POL_CHECK_AUTHENTIC_TIMESTAMP);
}

static void test_user_metadata(void **state)
{
  (void)state;
  nv_vfy_sig_result r;
  static const char *const keys[] = {"io.example.build"};
  static const char *const values[] = {"42"};
  for (size_t l = 0; l < 3; l++) {
    run_opts o = {.level = levels[l], .md_keys = keys, .md_values = values, .md_count = 1};
    assert_int_equal(run(&o, &r), NV_E_USER_METADATA_MISMATCH);
    assert_string_equal(r.message, "unable to find specified metadata in the signature");
  }
}

static void test_integrity_failure(void **state)
{
  (void)state;
  nv_vfy_sig_result r;
  for (size_t l = 0; l < 3; l++) {
    run_opts o = {.level = levels[l], .media_type = "application/unsupported+json"};
    assert_int_not_equal(run(&o, &r), NV_OK);
    assert_int_equal(r.failed_check, NV_POL_CHECK_INTEGRITY);
    assert_check(&r, NV_POL_CHECK_INTEGRITY, NV_POL_ACTION_ENFORCE, NV_VFY_CHECK_FAILED,
                 r.status);
    assert_int_equal(r.checks[NV_POL_CHECK_AUTHENTICITY].outcome, NV_VFY_CHECK_NOT_RUN);
  }
  /* the JWS bytes read as COSE */
  run_opts o = {.level = "audit", .media_type = MT_COSE};
  assert_int_not_equal(run(&o, &r), NV_OK);
  assert_int_equal(r.failed_check, NV_POL_CHECK_INTEGRITY);
}

static void test_plugin_required(void **state)
{
  (void)state;
  nv_vfy_sig_result r;
  for (size_t l = 0; l < 3; l++) {
    run_opts o = {.level = levels[l],
                  .envelope = NV_VECTORS "/notation-go/internal/mock/testdata/ca_plugin_sig_env.json"};
    assert_int_equal(run(&o, &r), NV_E_PLUGIN_REQUIRED);
    assert_int_equal(r.failed_check, NV_POL_CHECK_COUNT);
    assert_int_equal(r.checks[NV_POL_CHECK_INTEGRITY].outcome, NV_VFY_CHECK_PASSED);
    assert_int_equal(r.checks[NV_POL_CHECK_AUTHENTICITY].outcome, NV_VFY_CHECK_NOT_RUN);
  }
}

static void revocation_urls_of(const char *path, bool want_ocsp, bool want_crl)
{
  bytes b = slurp_path(path);
  nv_x509_list certs;
  nv_x509_list_init(&certs);
  assert_int_equal(nv_x509_read_certs(b.data, b.len, path, &certs, NULL), NV_OK);
  bool ocsp = !want_ocsp, crl = !want_crl;
  assert_int_equal(nv_x509_revocation_urls(certs.items[0], &ocsp, &crl), want_ocsp || want_crl);
  assert_int_equal(ocsp, want_ocsp);
  assert_int_equal(crl, want_crl);
  nv_x509_list_free(&certs);
  free(b.data);
}

/* The helper behind the revocation step's fail-closed rule. */
static void test_revocation_urls(void **state)
{
  (void)state;
  revocation_urls_of(NV_VECTORS "/notation-core-go/x509/testdata/timestamp_leaf.crt", true, true);
  revocation_urls_of(NV_BENCH_FIXTURES "/rsa3072/leaf.crt", false, false);
  assert_false(nv_x509_revocation_urls(NULL, NULL, NULL));
}

/* ------------------------------------------------------------------ */
/* revocation: data/revocation (make_revocation.py), P-256 chains valid
 * 2025-01-01 .. 2045-01-01 under ca:revocation-test, signed over
 * data/revocation/target.json; its URLs (crl.example.test,
 * ocsp.example.test) reach a fetch callback that answers 503. */

#define REV_DATA NV_TEST_DATA "/revocation"
#define REV_SIGNER "x509.subject:C=US, ST=WA, O=Notary Revocation Test, CN=Revocation Test Signer"

typedef struct rev_server {
  int requests;
  bool ocsp, crl; /* which were asked */
} rev_server;

static nv_status rev_unavailable(const nv_http_request *req, nv_http_response *resp, void *user)
{
  rev_server *sv = user;
  sv->requests++;
  const char *url = nv_http_request_url(req);
  if (strncmp(url, "http://ocsp.example.test/", 25) == 0)
    sv->ocsp = true;
  if (strcmp(url, "http://crl.example.test/revocation-test.crl") == 0)
    sv->crl = true;
  return nv_http_response_set_status(resp, 503);
}

static rev_server rev_sv;
static const nv_vfy_rev_settings rev_settings = {.fetch_cb = rev_unavailable,
                                                 .fetch_user = &rev_sv};

/* The run_opts of a revocation envelope at `level`; *target holds
 * target.json's text until the caller frees it. */
static run_opts rev_opts(const char *envelope, const char *level, char **target)
{
  bytes b = slurp_path(REV_DATA "/target.json");
  *target = calloc(1, b.len + 1);
  assert_non_null(*target);
  memcpy(*target, b.data, b.len);
  free(b.data);
  memset(&rev_sv, 0, sizeof(rev_sv));
  run_opts o = {.level = level,
                .stores = "\"ca:revocation-test\"",
                .identity = REV_SIGNER,
                .envelope = envelope,
                .target_json = *target,
                .store_dir = REV_DATA "/truststore/x509",
                .revocation = &rev_settings};
  return o;
}

/* Every check before revocation passed: a failure below is revocation's. */
static void assert_passed_up_to_revocation(const nv_vfy_sig_result *r)
{
  assert_int_equal(r->checks[NV_POL_CHECK_INTEGRITY].outcome, NV_VFY_CHECK_PASSED);
  assert_int_equal(r->checks[NV_POL_CHECK_AUTHENTICITY].outcome, NV_VFY_CHECK_PASSED);
  assert_int_equal(r->checks[NV_POL_CHECK_EXPIRY].outcome, NV_VFY_CHECK_PASSED);
  assert_int_equal(r->checks[NV_POL_CHECK_AUTHENTIC_TIMESTAMP].outcome, NV_VFY_CHECK_PASSED);
}

/* The same root and signer without any URL pass everywhere, without a
 * request, and the check says the leaf was not checked. */
static void test_revocation_no_urls_passes(void **state)
{
  (void)state;
  char *target;
  for (size_t l = 0; l < 3; l++) {
    nv_vfy_sig_result r;
    run_opts o = rev_opts(REV_DATA "/none.jws", levels[l], &target);
    assert_int_equal(run(&o, &r), NV_OK);
    free(target);
    assert_int_equal(rev_sv.requests, 0);
    assert_passed_up_to_revocation(&r);
    const nv_vfy_check *c = &r.checks[NV_POL_CHECK_REVOCATION];
    assert_int_equal(c->outcome, NV_VFY_CHECK_PASSED);
    assert_non_null(strstr(c->message, "warning: 1 certificate below the root names no OCSP"));
    assert_non_null(strstr(c->message, "Revocation Test Signer"));
  }
}

/* strict: a leaf naming a CRL distribution point and an OCSP responder
 * that do not answer: OCSP, then the CRL fallback, then "unknown", which
 * rejects the signature. */
static void test_revocation_enforced_strict(void **state)
{
  (void)state;
  char *target;
  nv_vfy_sig_result r;
  run_opts o = rev_opts(REV_DATA "/crl-ocsp.jws", "strict", &target);
  assert_int_equal(run(&o, &r), NV_E_REVOCATION_UNKNOWN);
  assert_true(rev_sv.ocsp);
  assert_true(rev_sv.crl);
  assert_int_equal(rev_sv.requests, 2);
  assert_int_equal(r.failed_check, NV_POL_CHECK_REVOCATION);
  assert_passed_up_to_revocation(&r);
  assert_check(&r, NV_POL_CHECK_REVOCATION, NV_POL_ACTION_ENFORCE, NV_VFY_CHECK_FAILED,
               NV_E_REVOCATION_UNKNOWN);
  assert_non_null(strstr(r.message, "Revocation Test Signer"));
  assert_non_null(strstr(r.message, "revocation status is unknown"));
  assert_non_null(strstr(r.message, "503"));
  /* an override to enforce under permissive is the same */
  o.level = "permissive";
  o.override = "{\"revocation\":\"enforce\"}";
  assert_int_equal(run(&o, &r), NV_E_REVOCATION_UNKNOWN);
  assert_int_equal(r.failed_check, NV_POL_CHECK_REVOCATION);
  free(target);
}

/* Offline: no request at all, and "unknown". */
static void test_revocation_offline(void **state)
{
  (void)state;
  char *target;
  nv_vfy_sig_result r;
  run_opts o = rev_opts(REV_DATA "/crl-ocsp.jws", "strict", &target);
  nv_vfy_rev_settings offline = rev_settings;
  offline.offline = true;
  o.revocation = &offline;
  assert_int_equal(run(&o, &r), NV_E_REVOCATION_UNKNOWN);
  assert_int_equal(rev_sv.requests, 0);
  assert_non_null(strstr(r.message, "offline"));
  free(target);
}

/* permissive and audit (and strict with revocation "log"): logged, never
 * passed: the signature is accepted with the check recorded as FAILED. */
static void test_revocation_logged(void **state)
{
  (void)state;
  static const struct {
    const char *level, *override;
  } cases[] = {{"permissive", NULL}, {"audit", NULL}, {"strict", "{\"revocation\":\"log\"}"}};
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *target;
    nv_vfy_sig_result r;
    run_opts o = rev_opts(REV_DATA "/crl-ocsp.jws", cases[i].level, &target);
    o.override = cases[i].override;
    assert_int_equal(run(&o, &r), NV_OK);
    free(target);
    assert_int_equal(r.failed_check, NV_POL_CHECK_COUNT);
    assert_passed_up_to_revocation(&r);
    assert_check(&r, NV_POL_CHECK_REVOCATION, NV_POL_ACTION_LOG, NV_VFY_CHECK_FAILED,
                 NV_E_REVOCATION_UNKNOWN);
    assert_non_null(strstr(r.checks[NV_POL_CHECK_REVOCATION].message,
                           "revocation status is unknown"));
  }
}

/* override revocation: skip: the step does not run at any level, and asks
 * nothing. */
static void test_revocation_skipped(void **state)
{
  (void)state;
  for (size_t l = 0; l < 3; l++) {
    char *target;
    nv_vfy_sig_result r;
    run_opts o = rev_opts(REV_DATA "/crl-ocsp.jws", levels[l], &target);
    o.override = "{\"revocation\":\"skip\"}";
    assert_int_equal(run(&o, &r), NV_OK);
    free(target);
    assert_int_equal(rev_sv.requests, 0);
    assert_passed_up_to_revocation(&r);
    assert_check(&r, NV_POL_CHECK_REVOCATION, NV_POL_ACTION_SKIP, NV_VFY_CHECK_NOT_RUN, NV_OK);
  }
}

/* One source only: only it is asked; logged at audit. */
static void one_revocation_url(const char *envelope, bool ocsp, bool crl)
{
  char *target;
  nv_vfy_sig_result r;
  run_opts o = rev_opts(envelope, "strict", &target);
  assert_int_equal(run(&o, &r), NV_E_REVOCATION_UNKNOWN);
  assert_int_equal(r.failed_check, NV_POL_CHECK_REVOCATION);
  assert_int_equal(rev_sv.ocsp, ocsp);
  assert_int_equal(rev_sv.crl, crl);
  assert_int_equal(rev_sv.requests, 1);
  assert_non_null(strstr(r.message, ocsp ? "no OCSP responder answered" : "crl.example.test"));
  o.level = "audit";
  assert_int_equal(run(&o, &r), NV_OK);
  assert_check(&r, NV_POL_CHECK_REVOCATION, NV_POL_ACTION_LOG, NV_VFY_CHECK_FAILED,
               NV_E_REVOCATION_UNKNOWN);
  free(target);
}

static void test_revocation_crl_only(void **state)
{
  (void)state;
  one_revocation_url(REV_DATA "/crl.jws", false, true);
}

static void test_revocation_ocsp_only(void **state)
{
  (void)state;
  one_revocation_url(REV_DATA "/ocsp.jws", true, false);
}

/* An intermediate CA below the root counts too, and is named; the leaf
 * without URLs is not what makes the result unknown. */
static void test_revocation_intermediate(void **state)
{
  (void)state;
  char *target;
  nv_vfy_sig_result r;
  run_opts o = rev_opts(REV_DATA "/intermediate.jws", "strict", &target);
  assert_int_equal(run(&o, &r), NV_E_REVOCATION_UNKNOWN);
  free(target);
  assert_int_equal(r.failed_check, NV_POL_CHECK_REVOCATION);
  assert_passed_up_to_revocation(&r);
  assert_non_null(strstr(r.message, "Revocation Test Intermediate"));
  assert_null(strstr(r.message, "Revocation Test Signer"));
}

typedef struct thread_log {
  pthread_t caller;
  int lines;
  int elsewhere; /* lines delivered on another thread */
} thread_log;

static void log_on_which_thread(nv_log_level level, const char *component, const char *message,
                                void *user_data)
{
  (void)level;
  (void)component;
  (void)message;
  thread_log *t = user_data;
  t->lines++;
  if (!pthread_equal(pthread_self(), t->caller))
    t->elsewhere++;
}

/* Without a fetch override the certificates below the root are checked
 * on threads of their own (here the leaf and the intermediate; offline,
 * so nothing leaves the host): the same answer as one after the other,
 * and the log lines of those threads (the CRL fallback warning) reach the
 * callback on the calling thread, as nv_ctx_set_log_cb promises. */
static void test_revocation_threads(void **state)
{
  (void)state;
  char *target;
  nv_vfy_sig_result r;
  run_opts o = rev_opts(REV_DATA "/intermediate.jws", "strict", &target);
  static const nv_vfy_rev_settings offline = {.offline = true};
  o.revocation = &offline;
  thread_log t = {.caller = pthread_self()};
  o.log_cb = log_on_which_thread;
  o.log_user = &t;
  for (int i = 0; i < 20; i++) {
    assert_int_equal(run(&o, &r), NV_E_REVOCATION_UNKNOWN);
    assert_non_null(strstr(r.message, "Revocation Test Intermediate"));
    assert_non_null(strstr(r.message, "offline"));
  }
  free(target);
  assert_true(t.lines >= 20);
  assert_int_equal(t.elsewhere, 0);
}

static void test_bad_args(void **state)
{
  (void)state;
  nv_vfy_sig_result r;
  nv_vfy_inputs in;
  memset(&in, 0, sizeof(in));
  assert_int_equal(nv_vfy_verify_signature(MT_JWS, NULL, 0, &in, &r, NULL), NV_E_INVALID_ARG);
  assert_int_equal(r.status, NV_E_INVALID_ARG);
  assert_int_equal(nv_vfy_verify_signature(MT_JWS, NULL, 0, NULL, NULL, NULL), NV_E_INVALID_ARG);
  /* a statement, but nothing to bind the signature to: refused, not
   * verified without the binding */
  nv_pol_doc *doc = policy("strict", NULL, "\"ca:bench-rsa3072\"", SIGNER_DN, NULL);
  in.stmt = &doc->statements[0];
  bytes env = slurp_path(NV_BENCH_FIXTURES "/rsa3072/signature.jws");
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_vfy_verify_signature(MT_JWS, env.data, env.len, &in, &r, &d),
                   NV_E_INVALID_ARG);
  assert_non_null(strstr(d.msg, "target"));
  bytes_free(&env);
  nv_pol_doc_free(doc);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_success_every_level),
      cmocka_unit_test(test_override_skip_not_run),
      cmocka_unit_test(test_target_mismatch_fatal),
      cmocka_unit_test(test_untrusted_store),
      cmocka_unit_test(test_no_trusted_certs),
      cmocka_unit_test(test_store_load_error),
      cmocka_unit_test(test_identity_mismatch),
      cmocka_unit_test(test_cert_expired),
      cmocka_unit_test(test_timestamp_policy),
      cmocka_unit_test(test_timestamp_tsa_revocation_fails_closed),
      cmocka_unit_test(test_timestamp_verified),
      cmocka_unit_test(test_user_metadata),
      cmocka_unit_test(test_integrity_failure),
      cmocka_unit_test(test_plugin_required),
      cmocka_unit_test(test_revocation_urls),
      cmocka_unit_test(test_revocation_no_urls_passes),
      cmocka_unit_test(test_revocation_enforced_strict),
      cmocka_unit_test(test_revocation_offline),
      cmocka_unit_test(test_revocation_logged),
      cmocka_unit_test(test_revocation_skipped),
      cmocka_unit_test(test_revocation_crl_only),
      cmocka_unit_test(test_revocation_ocsp_only),
      cmocka_unit_test(test_revocation_intermediate),
      cmocka_unit_test(test_revocation_threads),
      cmocka_unit_test(test_bad_args),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
