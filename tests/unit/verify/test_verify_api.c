/*
 * The public verification API (nv_verify on OCI image layouts,
 * nv_verify_envelope, nv_verify_blob, the options and the result object)
 * as a program sees it: <notaryc.h> and the shared library. Internal code
 * is used only by the helpers: base/nv_json.h reads the JSON form of a
 * result back, base/nv_digest.h (in layout_helpers.c) names the blobs of
 * tampered layouts.
 *
 * Inputs: the demo layouts of tools/demo (envelopes made by notation-go
 * over tests/bench/fixtures/artifact-manifest.json, RSA-3072 PS384, trust
 * store bench-rsa3072), copies of them rewritten in temporary directories,
 * and the blob signatures of data/make_blob_sig.py (an independent
 * signer, P-384 ES384) and of data/revocation/make_revocation.py (the
 * same signer; P-256 ES256, a leaf naming a CRL and an OCSP responder).
 * Every verification pins its time with nv_verify_opts_set_time: the demo
 * certificates are valid 2024-01-01 .. 2044-12-31, the blob and revocation
 * ones 2025-01-01 .. 2045-01-01.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "layout_helpers.h"
#include "test_files.h"

#include <notaryc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/nv_json.h"

#define DEMO NV_DEMO
#define BLOB_DATA NV_TEST_DATA "/blob"
#define SCOPE "example.local/notaryc-demo"

/* 2027-01-01T00:00:00Z: inside every certificate's validity */
#define T_NOW INT64_C(1798761600)
#define T_NOW_TEXT "2027-01-01T00:00:00Z"
/* 2045-06-01T00:00:00Z: after every certificate's notAfter */
#define T_EXPIRED INT64_C(2379888000)
/* 2023-06-01T00:00:00Z: before the demo certificates' notBefore */
#define T_EARLY INT64_C(1685577600)
/* 2031-01-01T00:00:00Z: after blob-expiring.jws.sig's expiry */
#define T_AFTER_EXPIRY INT64_C(1924992000)

#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_ARTIFACT "application/vnd.oci.artifact.manifest.v1+json"
#define MT_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_EMPTY "application/vnd.oci.empty.v1+json"
#define AT_SIGNATURE "application/vnd.cncf.notary.signature"
#define MT_JWS "application/jose+json"
#define MT_COSE "application/cose"

/* tools/demo/make_demo_layout.py prints these */
#define ART_HEX "f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268"
#define ART_DIGEST "sha256:" ART_HEX
#define ART_SIZE 246
#define EMPTY_DIGEST "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
#define JWS_SIG_MANIFEST "sha256:f373032ea65f525bf6805652470b63619c2d8de3f4a70ed2c1d43fd77fc9e86b"
#define JWS_SIG_MANIFEST_SIZE 862
#define JWS_ENVELOPE_HEX "e366265c6b5c733e43642db6b1371b59227f0d3796fc066a9ec06c90fb955502"
#define JWS_ENVELOPE "sha256:" JWS_ENVELOPE_HEX
#define JWS_ENVELOPE_SIZE 4296
#define COSE_SIG_MANIFEST "sha256:aca947b9dae6579529c49cdd4b64e2a268592fdbebf20fee36ba5a8c3860eeba"
#define COSE_ENVELOPE "sha256:897cd608e8dcd4949a6009b8791892cea439b13ac7a8097e4459a8ce74fd5b25"
#define T_SIGNED INT64_C(1795757469) /* 2026-11-27T05:31:09Z */
#define T_SIGNED_TEXT "2026-11-27T05:31:09Z"

#define IDENTITY \
  "x509.subject: C=US, ST=WA, L=Seattle, O=Notary Bench, CN=Notary Bench RSA-3072 Signer"
#define WRONG_IDENTITY "x509.subject: C=US, ST=WA, O=Somebody Else, CN=Not The Signer"
#define SIGNER "CN=Notary Bench RSA-3072 Signer,O=Notary Bench,L=Seattle,ST=WA,C=US"

/* data/make_blob_sig.py */
#define BLOB_SIGNED_TIME INT64_C(1772366400) /* 2026-03-01T12:00:00Z */
#define BLOB_EXPIRY INT64_C(1893456000)      /* 2030-01-01T00:00:00Z */
#define BLOB_SIZE 40000
#define BLOB_DIGEST                                                                            \
  "sha384:8dcf63f37c21670048af783ce73ca9123082fa07a387f19d622a17911b9f63f27466ca60f26e16ecbae2e3b3b8e93980"
#define BLOB_SIGNER "CN=Blob Witness Signer,O=Notary Blob Witness,L=Seattle,ST=WA,C=US"
#define BLOB_IDENTITY "x509.subject: C=US, ST=WA, O=Notary Blob Witness, CN=Blob Witness Signer"

/* ------------------------------------------------------------------ */
/* fixture                                                             */

typedef struct fx {
  nv_ctx *ctx;
  nv_truststore *store;     /* ca:bench-rsa3072 and ca:blob-witness */
  nv_trust_policy *policy;  /* tools/demo/trustpolicy.json */
  nv_verify_opts *opts;     /* T_NOW, the demo scope */
  char tmp[TL_PATH_MAX];    /* removed by teardown */
  char layout[TL_PATH_MAX + 16]; /* tmp/layout, for copies */
  nv_trust_policy *variant; /* a policy written by a test, freed by teardown */
  nv_result *result;        /* freed by teardown */
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof(*f));
  if (f == NULL || nv_global_init(NV_INIT_DEFAULT) != NV_OK || nv_ctx_new(&f->ctx) != NV_OK)
    return -1;
  if (nv_truststore_new(f->ctx, &f->store) != NV_OK ||
      nv_truststore_load_named(f->ctx, f->store, DEMO "/truststore", NV_STORE_CA,
                               "bench-rsa3072") != NV_OK)
    return -1;
  bytes root = slurp_in(BLOB_DATA, "root.crt");
  nv_status rc =
      nv_truststore_add_certs(f->ctx, f->store, NV_STORE_CA, "blob-witness", root.data, root.len);
  bytes_free(&root);
  if (rc != NV_OK ||
      nv_trust_policy_load(f->ctx, NV_POLICY_OCI, DEMO "/trustpolicy.json", &f->policy) != NV_OK)
    return -1;
  if (nv_verify_opts_new(&f->opts) != NV_OK || nv_verify_opts_set_time(f->opts, T_NOW) != NV_OK ||
      nv_verify_opts_set_oci_layout(f->opts, SCOPE) != NV_OK)
    return -1;
  tmp_dir_new(f->tmp, sizeof(f->tmp), "nv-verify");
  snprintf(f->layout, sizeof(f->layout), "%s/layout", f->tmp);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  nv_result_free(f->result);
  nv_trust_policy_free(f->variant);
  nv_verify_opts_free(f->opts);
  nv_trust_policy_free(f->policy);
  nv_truststore_free(f->store);
  nv_ctx_free(f->ctx);
  rm_tree(f->tmp);
  tl_free_strings();
  free(f);
  nv_global_cleanup();
  return 0;
}

/* ------------------------------------------------------------------ */
/* assertions                                                          */

#define assert_status(got, want) assert_status_at((got), (want), __FILE__, __LINE__)

static void assert_status_at(nv_status got, nv_status want, const char *file, int line)
{
  if (got != want)
    fail_msg("%s:%d: status %s (%d), expected %s (%d)", file, line, nv_status_name(got), (int)got,
             nv_status_name(want), (int)want);
}

#define assert_contains(hay, needle) assert_contains_at((hay), (needle), __FILE__, __LINE__)

static void assert_contains_at(const char *hay, const char *needle, const char *file, int line)
{
  if (hay == NULL || strstr(hay, needle) == NULL)
    fail_msg("%s:%d: \"%s\" does not contain \"%s\"", file, line, hay ? hay : "(null)", needle);
}

/* The action, outcome and status of one check of a signature. */
static void expect_sig_check(const nv_signature *s, nv_check check, nv_action action,
                         nv_outcome outcome, nv_status status)
{
  if (nv_signature_check_action(s, check) != action ||
      nv_signature_check_outcome(s, check) != outcome ||
      nv_signature_check_status(s, check) != status)
    fail_msg("check %d: action %d outcome %d status %s, expected %d %d %s (%s)", (int)check,
             (int)nv_signature_check_action(s, check), (int)nv_signature_check_outcome(s, check),
             nv_status_name(nv_signature_check_status(s, check)), (int)action, (int)outcome,
             nv_status_name(status), nv_signature_check_message(s, check));
  if (outcome == NV_OUTCOME_FAILED)
    assert_true(nv_signature_check_message(s, check)[0] != '\0');
  else
    assert_string_equal(nv_signature_check_message(s, check), "");
}

/* The one warning that contains `needle`. */
static void expect_warning(const nv_result *r, const char *needle)
{
  for (size_t i = 0; i < nv_result_warning_count(r); i++)
    if (strstr(nv_result_warning(r, i), needle) != NULL)
      return;
  fail_msg("no warning contains \"%s\" (%zu warnings)", needle, nv_result_warning_count(r));
}

/* ------------------------------------------------------------------ */
/* JSON of a result, read back with the library's parser               */

/* "a.b.0.c": members by name, array elements by index. */
static const nv_json *jpath(const nv_json *node, const char *path)
{
  char buf[256];
  snprintf(buf, sizeof(buf), "%s", path);
  for (char *save = NULL, *tok = strtok_r(buf, ".", &save); tok != NULL && node != NULL;
       tok = strtok_r(NULL, ".", &save)) {
    if (nv_json_type_of(node) == NV_JSON_ARRAY)
      node = nv_json_at(node, (size_t)strtoul(tok, NULL, 10));
    else
      node = nv_json_member(node, tok);
  }
  if (node == NULL)
    fail_msg("JSON has no %s", path);
  return node;
}

static void expect_jstr(const nv_json *root, const char *path, const char *want)
{
  const char *got = nv_json_string(jpath(root, path));
  if (got == NULL || strcmp(got, want) != 0)
    fail_msg("JSON %s is \"%s\", expected \"%s\"", path, got ? got : "(not a string)", want);
}

static void expect_jnum(const nv_json *root, const char *path, double want)
{
  double got = 0;
  if (!nv_json_number(jpath(root, path), &got) || got != want)
    fail_msg("JSON %s is %g, expected %g", path, got, want);
}

static void expect_jbool(const nv_json *root, const char *path, bool want)
{
  const nv_json *j = jpath(root, path);
  assert_int_equal(nv_json_type_of(j), NV_JSON_BOOL);
  if (nv_json_is_true(j) != want)
    fail_msg("JSON %s is %s", path, want ? "false" : "true");
}

static void expect_jnull(const nv_json *root, const char *path)
{
  assert_int_equal(nv_json_type_of(jpath(root, path)), NV_JSON_NULL);
}

/* nv_result_to_json parsed; free with nv_json_free(). */
static nv_json *result_json(const nv_result *r)
{
  char *text = NULL;
  size_t len = 0;
  assert_status(nv_result_to_json(r, &text, &len), NV_OK);
  assert_non_null(text);
  assert_int_equal(len, strlen(text));
  nv_json *root = NULL;
  nv_status rc = nv_json_parse(text, len, len + 1, "result", &root, NULL);
  if (rc != NV_OK)
    fail_msg("nv_result_to_json gave invalid JSON (%s): %s", nv_status_name(rc), text);
  nv_free(text);
  assert_int_equal(nv_json_type_of(root), NV_JSON_OBJECT);
  return root;
}

/* ------------------------------------------------------------------ */
/* running verifications                                               */

/* nv_verify of layout + suffix (":v1", "@sha256:..."); the result is kept
 * in f->result (the previous one freed). */
static nv_status verify_at(fx *f, const nv_trust_policy *policy, const char *layout,
                           const char *suffix, const nv_verify_opts *opts)
{
  nv_result_free(f->result);
  f->result = NULL;
  char ref[TL_PATH_MAX + 128];
  snprintf(ref, sizeof(ref), "%s%s", layout, suffix);
  nv_status rc = nv_verify(f->ctx, policy, f->store, ref, opts, &f->result);
  assert_status(nv_ctx_last_status(f->ctx), rc);
  if (rc == NV_OK)
    assert_string_equal(nv_ctx_last_error(f->ctx), "");
  else
    assert_true(nv_ctx_last_error(f->ctx)[0] != '\0');
  assert_non_null(f->result);
  assert_status(nv_result_status(f->result), rc);
  assert_string_equal(nv_result_reference(f->result), ref);
  if (rc == NV_OK)
    assert_string_equal(nv_result_message(f->result), "");
  else
    assert_string_equal(nv_result_message(f->result), nv_ctx_last_error(f->ctx));
  return rc;
}

/* The verification of the temporary layout by the artifact's digest. */
static nv_status verify_copy(fx *f, const nv_trust_policy *policy)
{
  return verify_at(f, policy, f->layout, "@" ART_DIGEST, f->opts);
}

/* A trust policy written into the temporary directory and loaded: one
 * statement for the demo scope with `level`, the members in `override`
 * (",\"override\":{...}" or "") and the identity (NULL: no stores and no
 * identities, for level skip). Kept in f->variant. */
static const nv_trust_policy *policy_variant(fx *f, const char *level, const char *override,
                                             const char *identity)
{
  char *text;
  if (identity == NULL)
    text = tl_strf("{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"variant\","
                   "\"registryScopes\":[\"" SCOPE "\"],"
                   "\"signatureVerification\":{\"level\":\"%s\"%s},"
                   "\"trustStores\":[],\"trustedIdentities\":[]}]}",
                   level, override);
  else
    text = tl_strf("{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"variant\","
                   "\"registryScopes\":[\"" SCOPE "\"],"
                   "\"signatureVerification\":{\"level\":\"%s\"%s},"
                   "\"trustStores\":[\"ca:bench-rsa3072\"],\"trustedIdentities\":[\"%s\"]}]}",
                   level, override, identity);
  char path[TL_PATH_MAX + 32];
  snprintf(path, sizeof(path), "%s/trustpolicy.json", f->tmp);
  write_path(path, text, strlen(text));
  nv_trust_policy_free(f->variant);
  f->variant = NULL;
  nv_status rc = nv_trust_policy_load(f->ctx, NV_POLICY_OCI, path, &f->variant);
  if (rc != NV_OK)
    fail_msg("policy variant: %s: %s", nv_status_name(rc), nv_ctx_last_error(f->ctx));
  return f->variant;
}

/* ------------------------------------------------------------------ */
/* the demo layouts verify                                             */

typedef struct demo {
  const char *dir;
  const char *envelope_media_type;
  const char *sig_manifest;
  const char *envelope;
} demo;

static const demo demo_jws = {DEMO "/layout-jws", MT_JWS, JWS_SIG_MANIFEST, JWS_ENVELOPE};
static const demo demo_cose = {DEMO "/layout-cose", MT_COSE, COSE_SIG_MANIFEST, COSE_ENVELOPE};

static void expect_demo_result(const nv_result *r, const demo *d, bool by_tag)
{
  assert_string_equal(nv_result_digest(r), ART_DIGEST);
  assert_string_equal(nv_result_policy_name(r), "notaryc-demo");
  assert_string_equal(nv_result_policy_level(r), "strict");
  assert_int_equal(nv_result_verification_time(r), T_NOW);
  assert_int_equal(nv_result_signature_count(r), 1);
  const nv_signature *s = nv_result_signature(r, 0);
  assert_non_null(s);
  assert_ptr_equal(nv_result_verified_signature(r), s);
  assert_null(nv_result_signature(r, 1));
  assert_status(nv_signature_status(s), NV_OK);
  assert_string_equal(nv_signature_message(s), "");
  assert_string_equal(nv_signature_manifest_digest(s), d->sig_manifest);
  assert_string_equal(nv_signature_media_type(s), d->envelope_media_type);
  assert_string_equal(nv_signature_signing_scheme(s), "notary.x509");
  assert_string_equal(nv_signature_signer(s), SIGNER);
  int64_t t = 0;
  assert_status(nv_signature_signing_time(s, &t), NV_OK);
  assert_int_equal(t, T_SIGNED);
  t = 42;
  assert_status(nv_signature_expiry(s, &t), NV_E_NOT_FOUND);
  assert_int_equal(t, 42);
  /* strict with revocation skipped */
  expect_sig_check(s, NV_CHECK_INTEGRITY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_AUTHENTICITY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_EXPIRY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_REVOCATION, NV_ACTION_SKIP, NV_OUTCOME_NOT_RUN, NV_OK);
  /* checks outside the range */
  assert_int_equal(nv_signature_check_action(s, 0), 0);
  assert_int_equal(nv_signature_check_outcome(s, 6), NV_OUTCOME_NOT_RUN);
  assert_status(nv_signature_check_status(s, 6), NV_E_INVALID_ARG);
  assert_string_equal(nv_signature_check_message(s, -1), "");

  if (by_tag) {
    assert_int_equal(nv_result_warning_count(r), 1);
    assert_contains(nv_result_warning(r, 0), "tag \"v1\" resolved to " ART_DIGEST);
    assert_contains(nv_result_warning(r, 0), "tags are mutable");
  } else {
    assert_int_equal(nv_result_warning_count(r), 0);
  }
  assert_null(nv_result_warning(r, 1));

  nv_json *j = result_json(r);
  expect_jstr(j, "reference", nv_result_reference(r));
  expect_jstr(j, "digest", ART_DIGEST);
  expect_jbool(j, "verified", true);
  expect_jstr(j, "status", "NV_OK");
  expect_jnum(j, "code", 0);
  expect_jstr(j, "message", "");
  expect_jstr(j, "policy.name", "notaryc-demo");
  expect_jstr(j, "policy.level", "strict");
  expect_jstr(j, "verification_time", T_NOW_TEXT);
  assert_int_equal(nv_json_count(jpath(j, "warnings")), by_tag ? 1 : 0);
  if (by_tag)
    expect_jstr(j, "warnings.0", nv_result_warning(r, 0));
  assert_int_equal(nv_json_count(jpath(j, "signatures")), 1);
  expect_jstr(j, "signatures.0.manifest_digest", d->sig_manifest);
  expect_jstr(j, "signatures.0.media_type", d->envelope_media_type);
  expect_jstr(j, "signatures.0.signing_scheme", "notary.x509");
  expect_jstr(j, "signatures.0.signer", SIGNER);
  expect_jstr(j, "signatures.0.signing_time", T_SIGNED_TEXT);
  expect_jnull(j, "signatures.0.expiry");
  expect_jbool(j, "signatures.0.verified", true);
  expect_jstr(j, "signatures.0.status", "NV_OK");
  expect_jnum(j, "signatures.0.code", 0);
  expect_jstr(j, "signatures.0.message", "");
  assert_int_equal(nv_json_count(jpath(j, "signatures.0.checks")), 5);
  static const char *const names[] = {"integrity", "authenticity", "authenticTimestamp",
                                      "expiry"};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    char p[128];
    snprintf(p, sizeof(p), "signatures.0.checks.%s.action", names[i]);
    expect_jstr(j, p, "enforce");
    snprintf(p, sizeof(p), "signatures.0.checks.%s.outcome", names[i]);
    expect_jstr(j, p, "passed");
    snprintf(p, sizeof(p), "signatures.0.checks.%s.status", names[i]);
    expect_jstr(j, p, "NV_OK");
    snprintf(p, sizeof(p), "signatures.0.checks.%s.message", names[i]);
    expect_jstr(j, p, "");
  }
  expect_jstr(j, "signatures.0.checks.revocation.action", "skip");
  expect_jstr(j, "signatures.0.checks.revocation.outcome", "not_run");
  nv_json_free(j);
}

static void verify_demo(void **state, const demo *d, bool by_tag)
{
  fx *f = *state;
  assert_status(verify_at(f, f->policy, d->dir, by_tag ? ":v1" : "@" ART_DIGEST, f->opts), NV_OK);
  expect_demo_result(f->result, d, by_tag);
}

static void test_demo_jws_by_tag(void **state)
{
  verify_demo(state, &demo_jws, true);
}

static void test_demo_jws_by_digest(void **state)
{
  verify_demo(state, &demo_jws, false);
}

static void test_demo_cose_by_tag(void **state)
{
  verify_demo(state, &demo_cose, true);
}

static void test_demo_cose_by_digest(void **state)
{
  verify_demo(state, &demo_cose, false);
}

/* A copy in a temporary directory verifies like the original (the base
 * of every tampering test below). */
static void test_demo_copy(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  assert_status(verify_copy(f, f->policy), NV_OK);
  expect_demo_result(f->result, &demo_jws, false);
}

/* ------------------------------------------------------------------ */
/* levels and overrides (notary-spec.md 13.4)                          */

/* The failed-identity signature of a level that enforces authenticity. */
static void expect_identity_rejected(fx *f, const char *level)
{
  const nv_result *r = f->result;
  assert_string_equal(nv_result_policy_name(r), "variant");
  assert_string_equal(nv_result_policy_level(r), level);
  assert_contains(nv_result_message(r), "signature");
  assert_contains(nv_result_message(r), "NV_E_IDENTITY_MISMATCH");
  assert_int_equal(nv_result_signature_count(r), 1);
  assert_null(nv_result_verified_signature(r));
  const nv_signature *s = nv_result_signature(r, 0);
  assert_status(nv_signature_status(s), NV_E_IDENTITY_MISMATCH);
  assert_contains(nv_signature_message(s), "does not match");
  assert_contains(nv_signature_message(s), "Somebody Else");
  /* the signer is still reported */
  assert_string_equal(nv_signature_signer(s), SIGNER);
  expect_sig_check(s, NV_CHECK_INTEGRITY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_AUTHENTICITY, NV_ACTION_ENFORCE, NV_OUTCOME_FAILED,
               NV_E_IDENTITY_MISMATCH);
  /* an enforced failure stops the signature: nothing after it ran */
  assert_int_equal(nv_signature_check_outcome(s, NV_CHECK_EXPIRY), NV_OUTCOME_NOT_RUN);
  assert_int_equal(nv_signature_check_outcome(s, NV_CHECK_AUTHENTIC_TIMESTAMP),
                   NV_OUTCOME_NOT_RUN);
  assert_int_equal(nv_signature_check_outcome(s, NV_CHECK_REVOCATION), NV_OUTCOME_NOT_RUN);

  nv_json *j = result_json(r);
  expect_jbool(j, "verified", false);
  expect_jstr(j, "status", "NV_E_VERIFICATION_FAILED");
  expect_jnum(j, "code", NV_E_VERIFICATION_FAILED);
  expect_jstr(j, "message", nv_result_message(r));
  expect_jstr(j, "policy.level", level);
  expect_jbool(j, "signatures.0.verified", false);
  expect_jstr(j, "signatures.0.status", "NV_E_IDENTITY_MISMATCH");
  expect_jstr(j, "signatures.0.checks.authenticity.action", "enforce");
  expect_jstr(j, "signatures.0.checks.authenticity.outcome", "failed");
  expect_jstr(j, "signatures.0.checks.authenticity.status", "NV_E_IDENTITY_MISMATCH");
  expect_jstr(j, "signatures.0.checks.authenticity.message", nv_signature_message(s));
  expect_jstr(j, "signatures.0.checks.expiry.outcome", "not_run");
  nv_json_free(j);
}

static void test_identity_strict(void **state)
{
  fx *f = *state;
  const nv_trust_policy *p = policy_variant(f, "strict", "", WRONG_IDENTITY);
  assert_status(verify_at(f, p, demo_jws.dir, "@" ART_DIGEST, f->opts), NV_E_VERIFICATION_FAILED);
  expect_identity_rejected(f, "strict");
  /* strict enforces revocation too */
  expect_sig_check(nv_result_signature(f->result, 0), NV_CHECK_REVOCATION, NV_ACTION_ENFORCE,
               NV_OUTCOME_NOT_RUN, NV_OK);
}

static void test_identity_permissive(void **state)
{
  fx *f = *state;
  const nv_trust_policy *p = policy_variant(f, "permissive", "", WRONG_IDENTITY);
  assert_status(verify_at(f, p, demo_cose.dir, "@" ART_DIGEST, f->opts),
                NV_E_VERIFICATION_FAILED);
  expect_identity_rejected(f, "permissive");
  /* permissive logs the later checks (not run here) */
  const nv_signature *s = nv_result_signature(f->result, 0);
  assert_int_equal(nv_signature_check_action(s, NV_CHECK_EXPIRY), NV_ACTION_LOG);
  assert_int_equal(nv_signature_check_action(s, NV_CHECK_AUTHENTIC_TIMESTAMP), NV_ACTION_LOG);
  assert_int_equal(nv_signature_check_action(s, NV_CHECK_REVOCATION), NV_ACTION_LOG);
}

/* audit only logs authenticity: the signature passes with a warning */
static void test_identity_audit(void **state)
{
  fx *f = *state;
  const nv_trust_policy *p = policy_variant(f, "audit", "", WRONG_IDENTITY);
  assert_status(verify_at(f, p, demo_jws.dir, "@" ART_DIGEST, f->opts), NV_OK);
  const nv_result *r = f->result;
  assert_string_equal(nv_result_policy_level(r), "audit");
  assert_int_equal(nv_result_warning_count(r), 1);
  expect_warning(r, "authenticity failed, only logged by the policy");
  expect_warning(r, "Somebody Else");
  const nv_signature *s = nv_result_verified_signature(r);
  assert_non_null(s);
  assert_status(nv_signature_status(s), NV_OK);
  expect_sig_check(s, NV_CHECK_INTEGRITY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_AUTHENTICITY, NV_ACTION_LOG, NV_OUTCOME_FAILED,
               NV_E_IDENTITY_MISMATCH);
  /* a logged failure does not stop the signature */
  expect_sig_check(s, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_LOG, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_EXPIRY, NV_ACTION_LOG, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_REVOCATION, NV_ACTION_LOG, NV_OUTCOME_PASSED, NV_OK);
  nv_json *j = result_json(r);
  expect_jbool(j, "verified", true);
  expect_jstr(j, "status", "NV_OK");
  expect_jstr(j, "signatures.0.checks.authenticity.action", "log");
  expect_jstr(j, "signatures.0.checks.authenticity.outcome", "failed");
  expect_jstr(j, "signatures.0.checks.authenticity.status", "NV_E_IDENTITY_MISMATCH");
  expect_jstr(j, "signatures.0.checks.revocation.outcome", "passed");
  expect_jstr(j, "warnings.0", nv_result_warning(r, 0));
  nv_json_free(j);
}

/* skip verifies nothing and reads nothing: the layout does not exist */
static void test_level_skip(void **state)
{
  fx *f = *state;
  const nv_trust_policy *p = policy_variant(f, "skip", "", NULL);
  char missing[TL_PATH_MAX + 16];
  snprintf(missing, sizeof(missing), "%s/no-such-layout", f->tmp);
  assert_status(verify_at(f, p, missing, ":v1", f->opts), NV_E_SKIPPED);
  const nv_result *r = f->result;
  assert_contains(nv_result_message(r), "\"variant\" has level skip");
  assert_string_equal(nv_result_policy_name(r), "variant");
  assert_string_equal(nv_result_policy_level(r), "skip");
  assert_string_equal(nv_result_digest(r), "");
  assert_int_equal(nv_result_signature_count(r), 0);
  assert_int_equal(nv_result_warning_count(r), 0);
  assert_null(nv_result_verified_signature(r));
  nv_json *j = result_json(r);
  expect_jbool(j, "verified", false);
  expect_jstr(j, "status", "NV_E_SKIPPED");
  expect_jstr(j, "policy.level", "skip");
  assert_int_equal(nv_json_count(jpath(j, "signatures")), 0);
  nv_json_free(j);
  /* the same for the demo layout by digest: still nothing verified */
  assert_status(verify_at(f, p, demo_jws.dir, "@" ART_DIGEST, f->opts), NV_E_SKIPPED);
  assert_int_equal(nv_result_signature_count(f->result), 0);
}

/* strict with authenticity overridden to log: as audit for that check */
static void test_override_authenticity_log(void **state)
{
  fx *f = *state;
  const nv_trust_policy *p = policy_variant(
      f, "strict", ",\"override\":{\"authenticity\":\"log\",\"revocation\":\"skip\"}",
      WRONG_IDENTITY);
  assert_status(verify_at(f, p, demo_jws.dir, "@" ART_DIGEST, f->opts), NV_OK);
  const nv_result *r = f->result;
  /* the level as written */
  assert_string_equal(nv_result_policy_level(r), "strict");
  expect_warning(r, "authenticity failed, only logged");
  const nv_signature *s = nv_result_verified_signature(r);
  assert_non_null(s);
  expect_sig_check(s, NV_CHECK_AUTHENTICITY, NV_ACTION_LOG, NV_OUTCOME_FAILED,
               NV_E_IDENTITY_MISMATCH);
  expect_sig_check(s, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_EXPIRY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_REVOCATION, NV_ACTION_SKIP, NV_OUTCOME_NOT_RUN, NV_OK);
}

/* Verify the demo at time t under `p`; the signature's authenticTimestamp
 * check must have failed with `code`. */
static const nv_signature *verify_at_time(fx *f, const nv_trust_policy *p, int64_t t,
                                          nv_status want)
{
  nv_verify_opts *o = NULL;
  assert_status(nv_verify_opts_new(&o), NV_OK);
  assert_status(nv_verify_opts_set_time(o, t), NV_OK);
  assert_status(nv_verify_opts_set_oci_layout(o, SCOPE), NV_OK);
  nv_status rc = verify_at(f, p, demo_jws.dir, "@" ART_DIGEST, o);
  nv_verify_opts_free(o);
  assert_status(rc, want);
  assert_int_equal(nv_result_verification_time(f->result), t);
  assert_int_equal(nv_result_signature_count(f->result), 1);
  return nv_result_signature(f->result, 0);
}

/* After notAfter: without a TSA store the certificates must be valid at
 * the verification time; strict enforces that (authenticTimestamp). */
static void test_expired_strict(void **state)
{
  fx *f = *state;
  const nv_signature *s = verify_at_time(f, f->policy, T_EXPIRED, NV_E_VERIFICATION_FAILED);
  assert_status(nv_signature_status(s), NV_E_CERT_EXPIRED);
  assert_contains(nv_signature_message(s), "is not valid at the verification time");
  assert_contains(nv_signature_message(s), "2045-06-01T00:00:00Z");
  expect_sig_check(s, NV_CHECK_AUTHENTICITY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_EXPIRY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_ENFORCE, NV_OUTCOME_FAILED,
               NV_E_CERT_EXPIRED);
  assert_contains(nv_result_message(f->result), "NV_E_CERT_EXPIRED");
  nv_json *j = result_json(f->result);
  expect_jstr(j, "verification_time", "2045-06-01T00:00:00Z");
  expect_jstr(j, "signatures.0.checks.authenticTimestamp.outcome", "failed");
  expect_jstr(j, "signatures.0.checks.authenticTimestamp.status", "NV_E_CERT_EXPIRED");
  nv_json_free(j);
}

static void test_not_yet_valid_strict(void **state)
{
  fx *f = *state;
  const nv_signature *s = verify_at_time(f, f->policy, T_EARLY, NV_E_VERIFICATION_FAILED);
  assert_status(nv_signature_status(s), NV_E_CERT_NOT_YET_VALID);
  expect_sig_check(s, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_ENFORCE, NV_OUTCOME_FAILED,
               NV_E_CERT_NOT_YET_VALID);
}

/* permissive and audit only log authenticTimestamp */
static void expired_logged(void **state, const char *level)
{
  fx *f = *state;
  const nv_trust_policy *p = policy_variant(f, level, "", IDENTITY);
  const nv_signature *s = verify_at_time(f, p, T_EXPIRED, NV_OK);
  assert_ptr_equal(nv_result_verified_signature(f->result), s);
  expect_sig_check(s, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_LOG, NV_OUTCOME_FAILED,
               NV_E_CERT_EXPIRED);
  expect_sig_check(s, NV_CHECK_EXPIRY, NV_ACTION_LOG, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_REVOCATION, NV_ACTION_LOG, NV_OUTCOME_PASSED, NV_OK);
  assert_int_equal(nv_result_warning_count(f->result), 1);
  expect_warning(f->result, "authenticTimestamp failed, only logged");
}

static void test_expired_permissive(void **state)
{
  expired_logged(state, "permissive");
}

static void test_expired_audit(void **state)
{
  expired_logged(state, "audit");
}

/* permissive with authenticTimestamp overridden to enforce */
static void test_override_timestamp_enforce(void **state)
{
  fx *f = *state;
  const nv_trust_policy *p =
      policy_variant(f, "permissive", ",\"override\":{\"authenticTimestamp\":\"enforce\"}",
                     IDENTITY);
  const nv_signature *s = verify_at_time(f, p, T_EXPIRED, NV_E_VERIFICATION_FAILED);
  assert_status(nv_signature_status(s), NV_E_CERT_EXPIRED);
  expect_sig_check(s, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_ENFORCE, NV_OUTCOME_FAILED,
               NV_E_CERT_EXPIRED);
  assert_int_equal(nv_signature_check_outcome(s, NV_CHECK_REVOCATION), NV_OUTCOME_NOT_RUN);
}

/* ------------------------------------------------------------------ */
/* options and arguments                                               */

static void test_opts_arguments(void **state)
{
  (void)state;
  nv_verify_opts *o = NULL;
  assert_status(nv_verify_opts_new(NULL), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_new(&o), NV_OK);

  assert_status(nv_verify_opts_set_time(NULL, 1), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_set_time(o, -1), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_set_time(o, 0), NV_OK);

  assert_status(nv_verify_opts_set_max_signatures(NULL, 5), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_set_max_signatures(o, 0), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_set_max_signatures(o, 10001), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_set_max_signatures(o, UINT32_MAX), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_set_max_signatures(o, 1), NV_OK);
  assert_status(nv_verify_opts_set_max_signatures(o, 10000), NV_OK);

  assert_status(nv_verify_opts_add_user_metadata(NULL, "k", "v"), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_add_user_metadata(o, "", "v"), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_add_user_metadata(o, NULL, "v"), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_add_user_metadata(o, "k", ""), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_add_user_metadata(o, "k", NULL), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_add_user_metadata(o, "\xff", "v"), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_add_user_metadata(o, "k", "\xc3"), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_add_user_metadata(o, "key-0", "v"), NV_OK);
  /* a key may be given once, whatever the value */
  assert_status(nv_verify_opts_add_user_metadata(o, "key-0", "v"), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_add_user_metadata(o, "key-0", "other"), NV_E_INVALID_ARG);
  for (unsigned i = 1; i < NV_VERIFY_MAX_USER_METADATA; i++) {
    char key[32];
    snprintf(key, sizeof(key), "key-%u", i);
    assert_status(nv_verify_opts_add_user_metadata(o, key, "v"), NV_OK);
  }
  assert_status(nv_verify_opts_add_user_metadata(o, "key-64", "v"), NV_E_LIMIT);
  /* a duplicate is still a duplicate when full */
  assert_status(nv_verify_opts_add_user_metadata(o, "key-63", "v"), NV_E_INVALID_ARG);

  assert_status(nv_verify_opts_set_oci_layout(NULL, SCOPE), NV_E_INVALID_ARG);
  assert_status(nv_verify_opts_set_oci_layout(o, "no-repository"), NV_E_POLICY_SCOPE_INVALID);
  assert_status(nv_verify_opts_set_oci_layout(o, "*"), NV_E_POLICY_SCOPE_INVALID);
  assert_status(nv_verify_opts_set_oci_layout(o, "example.local/*"), NV_E_POLICY_SCOPE_INVALID);
  assert_status(nv_verify_opts_set_oci_layout(o, "example.local/Upper"),
                NV_E_POLICY_SCOPE_INVALID);
  assert_status(nv_verify_opts_set_oci_layout(o, ""), NV_E_POLICY_SCOPE_INVALID);
  assert_status(nv_verify_opts_set_oci_layout(o, SCOPE), NV_OK);
  assert_status(nv_verify_opts_set_oci_layout(o, "localhost:5000/a/b"), NV_OK);
  assert_status(nv_verify_opts_set_oci_layout(o, NULL), NV_OK);
  nv_verify_opts_free(o);
  nv_verify_opts_free(NULL);
}

/* A bad scope leaves the previous one in place. */
static void test_opts_bad_scope_keeps_previous(void **state)
{
  fx *f = *state;
  assert_status(nv_verify_opts_set_oci_layout(f->opts, "not a scope"),
                NV_E_POLICY_SCOPE_INVALID);
  assert_status(verify_at(f, f->policy, demo_jws.dir, "@" ART_DIGEST, f->opts), NV_OK);
}

/* The payload has no annotations: a required pair fails the signature at
 * every level (here strict), after every check passed. */
static void test_user_metadata_absent(void **state)
{
  fx *f = *state;
  assert_status(nv_verify_opts_add_user_metadata(f->opts, "buildId", "42"), NV_OK);
  assert_status(verify_at(f, f->policy, demo_jws.dir, "@" ART_DIGEST, f->opts),
                NV_E_VERIFICATION_FAILED);
  const nv_signature *s = nv_result_signature(f->result, 0);
  assert_status(nv_signature_status(s), NV_E_USER_METADATA_MISMATCH);
  assert_contains(nv_signature_message(s), "unable to find specified metadata");
  assert_contains(nv_result_message(f->result), "NV_E_USER_METADATA_MISMATCH");
  expect_sig_check(s, NV_CHECK_INTEGRITY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_AUTHENTICITY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  /* audit too */
  const nv_trust_policy *p = policy_variant(f, "audit", "", IDENTITY);
  assert_status(verify_at(f, p, demo_cose.dir, "@" ART_DIGEST, f->opts), NV_E_VERIFICATION_FAILED);
  assert_status(nv_signature_status(nv_result_signature(f->result, 0)),
                NV_E_USER_METADATA_MISMATCH);
}

static void test_verify_arguments(void **state)
{
  fx *f = *state;
  nv_result *r = (nv_result *)1;
  const char *ref = DEMO "/layout-jws:v1";
  assert_status(nv_verify(NULL, f->policy, f->store, ref, f->opts, &r), NV_E_INVALID_ARG);
  assert_null(r);
  r = (nv_result *)1;
  assert_status(nv_verify(f->ctx, NULL, f->store, ref, f->opts, &r), NV_E_INVALID_ARG);
  assert_null(r);
  assert_status(nv_verify(f->ctx, f->policy, NULL, ref, f->opts, &r), NV_E_INVALID_ARG);
  assert_null(r);
  assert_status(nv_verify(f->ctx, f->policy, f->store, ref, f->opts, NULL), NV_E_INVALID_ARG);
  r = (nv_result *)1;
  assert_status(nv_verify(f->ctx, f->policy, f->store, NULL, f->opts, &r), NV_E_INVALID_ARG);
  assert_null(r);
  assert_contains(nv_ctx_last_error(f->ctx), "no reference");

  /* a blob policy is refused by nv_verify */
  static const char blob_policy[] =
      "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"b\",\"globalPolicy\":true,"
      "\"signatureVerification\":{\"level\":\"strict\"},"
      "\"trustStores\":[\"ca:bench-rsa3072\"],\"trustedIdentities\":[\"*\"]}]}";
  nv_trust_policy *bp = NULL;
  assert_status(nv_trust_policy_parse(f->ctx, NV_POLICY_BLOB, (const uint8_t *)blob_policy,
                                      strlen(blob_policy), &bp),
                NV_OK);
  r = (nv_result *)1;
  assert_status(nv_verify(f->ctx, bp, f->store, ref, f->opts, &r), NV_E_INVALID_ARG);
  assert_null(r);
  assert_contains(nv_ctx_last_error(f->ctx), "needs an OCI trust policy");
  nv_trust_policy_free(bp);

  /* results and signatures given as NULL */
  assert_status(nv_result_status(NULL), NV_E_INVALID_ARG);
  assert_string_equal(nv_result_message(NULL), "");
  assert_string_equal(nv_result_digest(NULL), "");
  assert_int_equal(nv_result_signature_count(NULL), 0);
  assert_null(nv_result_signature(NULL, 0));
  assert_null(nv_result_verified_signature(NULL));
  assert_null(nv_result_warning(NULL, 0));
  assert_status(nv_signature_status(NULL), NV_E_INVALID_ARG);
  assert_string_equal(nv_signature_signer(NULL), "");
  int64_t t;
  assert_status(nv_signature_signing_time(NULL, &t), NV_E_INVALID_ARG);
  char *json = (char *)1;
  size_t len = 9;
  assert_status(nv_result_to_json(NULL, &json, &len), NV_E_INVALID_ARG);
  assert_null(json);
  assert_int_equal(len, 0);
  nv_result_free(NULL);
}

/* The result owns its strings: it outlives the policy, the store, the
 * options and the context it came from. */
static void test_result_outlives_inputs(void **state)
{
  fx *f = *state;
  const nv_trust_policy *p = policy_variant(f, "audit", "", WRONG_IDENTITY);
  assert_status(verify_at(f, p, demo_jws.dir, ":v1", f->opts), NV_OK);
  nv_trust_policy_free(f->variant);
  f->variant = NULL;
  nv_truststore_free(f->store);
  f->store = NULL;
  nv_verify_opts_free(f->opts);
  f->opts = NULL;
  nv_ctx_free(f->ctx);
  f->ctx = NULL;
  const nv_result *r = f->result;
  assert_string_equal(nv_result_policy_name(r), "variant");
  assert_string_equal(nv_result_policy_level(r), "audit");
  assert_string_equal(nv_result_digest(r), ART_DIGEST);
  assert_contains(nv_result_reference(r), "layout-jws:v1");
  assert_int_equal(nv_result_warning_count(r), 2);
  const nv_signature *s = nv_result_verified_signature(r);
  assert_string_equal(nv_signature_signer(s), SIGNER);
  assert_contains(nv_signature_check_message(s, NV_CHECK_AUTHENTICITY), "Somebody Else");
  nv_json *j = result_json(r);
  expect_jstr(j, "policy.name", "variant");
  nv_json_free(j);
}

/* Without nv_verify_opts_set_oci_layout (or with NULL options, the
 * defaults) the reference is a registry one. nv_verify.h: NV_E_UNSUPPORTED
 * in this release, with a result. The registry client is being added (it
 * selects the statement before any request): the cases are chosen so that
 * no request can be made either way, the statement for the demo scope
 * having level skip and no statement covering the other scope, and both
 * outcomes are accepted until the header changes (then drop the
 * NV_E_UNSUPPORTED branch). */
static void expect_registry_outcome(fx *f, nv_status rc, const char *reference, nv_status later)
{
  const nv_result *r = f->result;
  assert_non_null(r);
  assert_status(nv_result_status(r), rc);
  assert_string_equal(nv_result_reference(r), reference);
  assert_int_equal(nv_result_signature_count(r), 0);
  if (rc == NV_E_UNSUPPORTED)
    assert_contains(nv_result_message(r), "registry references are not supported");
  else
    assert_status(rc, later);
  nv_json *j = result_json(r);
  expect_jstr(j, "status", nv_status_name(rc));
  expect_jbool(j, "verified", false);
  nv_json_free(j);
}

static void test_registry_reference(void **state)
{
  fx *f = *state;
  const nv_trust_policy *skip = policy_variant(f, "skip", "", NULL);
  nv_verify_opts *o = NULL;
  assert_status(nv_verify_opts_new(&o), NV_OK);
  assert_status(nv_verify_opts_set_time(o, T_NOW), NV_OK);
  nv_status rc = verify_at(f, skip, SCOPE "@" ART_DIGEST, "", o);
  expect_registry_outcome(f, rc, SCOPE "@" ART_DIGEST, NV_E_SKIPPED);
  rc = verify_at(f, skip, "other.example/repo:v1", "", o);
  expect_registry_outcome(f, rc, "other.example/repo:v1", NV_E_NO_APPLICABLE_POLICY);
  nv_verify_opts_free(o);
  /* NULL options */
  nv_result_free(f->result);
  f->result = NULL;
  rc = nv_verify(f->ctx, skip, f->store, SCOPE "@" ART_DIGEST, NULL, &f->result);
  expect_registry_outcome(f, rc, SCOPE "@" ART_DIGEST, NV_E_SKIPPED);
}

/* A scope no statement covers (the demo policy has no "*"). */
static void test_no_applicable_policy(void **state)
{
  fx *f = *state;
  assert_status(nv_verify_opts_set_oci_layout(f->opts, "other.example/repo"), NV_OK);
  assert_status(verify_at(f, f->policy, demo_jws.dir, ":v1", f->opts), NV_E_NO_APPLICABLE_POLICY);
  assert_contains(nv_result_message(f->result), "other.example/repo");
  assert_string_equal(nv_result_policy_name(f->result), "");
  nv_json *j = result_json(f->result);
  expect_jnull(j, "policy");
  nv_json_free(j);
}

static void test_layout_references(void **state)
{
  fx *f = *state;
  assert_status(verify_at(f, f->policy, demo_jws.dir, "", f->opts), NV_E_REFERENCE_INVALID);
  assert_contains(nv_result_message(f->result), "has no tag");
  assert_status(verify_at(f, f->policy, demo_jws.dir, ":bad tag", f->opts),
                NV_E_REFERENCE_INVALID);
  assert_status(verify_at(f, f->policy, demo_jws.dir, "@sha256:1234", f->opts),
                NV_E_REFERENCE_INVALID);
  assert_status(verify_at(f, f->policy, demo_jws.dir, ":v2", f->opts), NV_E_ARTIFACT_NOT_FOUND);
  assert_contains(nv_result_message(f->result), "tag \"v2\" not found");
  /* a digest that is not in the layout */
  assert_status(verify_at(f, f->policy, demo_jws.dir,
                          "@sha256:0000000000000000000000000000000000000000000000000000000000000000",
                          f->opts),
                NV_E_ARTIFACT_NOT_FOUND);
  char missing[TL_PATH_MAX + 16];
  snprintf(missing, sizeof(missing), "%s/no-such-layout", f->tmp);
  assert_status(verify_at(f, f->policy, missing, ":v1", f->opts), NV_E_NOT_FOUND);
  /* the statement applied before the layout was opened */
  assert_string_equal(nv_result_policy_name(f->result), "notaryc-demo");
}

/* ------------------------------------------------------------------ */
/* tampered layouts                                                    */

/* An index.json entry without a tag. */
static char *entry_json(const char *media_type, const tl_blob *b)
{
  return tl_strf("{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu}", media_type, b->digest,
                 b->size);
}

/* index.json with the artifact `art` tagged v1 and then `more`. */
static void write_index_for(fx *f, const tl_blob *art, const char *more)
{
  tl_write_file(f->layout, "index.json",
                tl_strf("{\"schemaVersion\":2,\"mediaType\":\"" MT_INDEX "\",\"manifests\":["
                        "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"%s\",\"size\":%zu,"
                        "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}%s]}",
                        art->digest, art->size, more));
}

/* index.json listing the artifact (tag v1) and then `more` ("" or ",..."). */
static void write_index(fx *f, const char *more)
{
  static const tl_blob art = {ART_DIGEST, ART_SIZE};
  write_index_for(f, &art, more);
}

/* A referrers-tag index of `entries`, stored as a blob; its index.json
 * entry (",{...}" tagged sha256-<artifact hex>) is returned. */
static char *referrers_tag_entry(fx *f, const char *entries)
{
  tl_blob b = tl_add_text(
      f->layout,
      tl_strf("{\"schemaVersion\":2,\"mediaType\":\"" MT_INDEX "\",\"manifests\":[%s]}", entries));
  return tl_strf(",{\"mediaType\":\"" MT_INDEX "\",\"digest\":\"%s\",\"size\":%zu,"
                 "\"annotations\":{\"org.opencontainers.image.ref.name\":\"sha256-" ART_HEX "\"}}",
                 b.digest, b.size);
}

/* A referrers index entry for a signature manifest. */
static char *referrer_json(const char *media_type, const char *digest, uint64_t size)
{
  return tl_strf("{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%llu,"
                 "\"artifactType\":\"" AT_SIGNATURE "\"}",
                 media_type, digest, (unsigned long long)size);
}

static char *layer_json(const char *media_type, const char *digest, uint64_t size)
{
  return tl_strf("{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%llu}", media_type, digest,
                 (unsigned long long)size);
}

/* A signature manifest for the demo artifact as notation writes it, with
 * `layers` and an annotation that makes it unique; `head` is inserted
 * before "config" (the mediaType and artifactType members). */
static char *sig_manifest_json(const char *head, const char *config_media_type,
                               const char *layers, const char *note)
{
  return tl_strf("{\"schemaVersion\":2,%s\"config\":{\"mediaType\":\"%s\",\"digest\":\"" EMPTY_DIGEST
                 "\",\"size\":2},\"layers\":[%s],\"subject\":{\"mediaType\":\"" MT_MANIFEST
                 "\",\"digest\":\"" ART_DIGEST "\",\"size\":246},"
                 "\"annotations\":{\"test.note\":\"%s\"}}",
                 head, config_media_type, layers, note);
}

#define SIG_HEAD "\"mediaType\":\"" MT_MANIFEST "\",\"artifactType\":\"" AT_SIGNATURE "\","

/* A standard signature manifest over the given envelope layer. */
static tl_blob add_sig_manifest(fx *f, const char *layers, const char *note)
{
  return tl_add_text(f->layout, sig_manifest_json(SIG_HEAD, MT_EMPTY, layers, note));
}

/* The demo JWS envelope's layer. */
static char *jws_layer(void)
{
  return layer_json(MT_JWS, JWS_ENVELOPE, JWS_ENVELOPE_SIZE);
}

/* The copy holds a single signature, the first, failed with `code`; its
 * message and the verdict's name the problem. */
static const nv_signature *expect_single_failure(fx *f, const char *manifest_digest,
                                                 nv_status code, const char *needle)
{
  assert_status(verify_copy(f, f->policy), NV_E_VERIFICATION_FAILED);
  const nv_result *r = f->result;
  assert_string_equal(nv_result_digest(r), ART_DIGEST);
  assert_int_equal(nv_result_signature_count(r), 1);
  assert_null(nv_result_verified_signature(r));
  const nv_signature *s = nv_result_signature(r, 0);
  assert_status(nv_signature_status(s), code);
  if (manifest_digest != NULL)
    assert_string_equal(nv_signature_manifest_digest(s), manifest_digest);
  assert_contains(nv_signature_message(s), needle);
  assert_contains(nv_result_message(r), "none of the 1 signatures");
  assert_contains(nv_result_message(r), nv_status_name(code));
  assert_contains(nv_result_message(r), needle);
  return s;
}

/* A signature that failed before the pipeline ran: no check has an
 * action or an outcome, and the JSON lists no checks. */
static void expect_retrieval_failure(fx *f, const nv_signature *s)
{
  for (nv_check c = NV_CHECK_INTEGRITY; c <= NV_CHECK_REVOCATION; c++) {
    assert_int_equal(nv_signature_check_action(s, c), 0);
    assert_int_equal(nv_signature_check_outcome(s, c), NV_OUTCOME_NOT_RUN);
  }
  assert_string_equal(nv_signature_signer(s), "");
  assert_string_equal(nv_signature_signing_scheme(s), "");
  int64_t t;
  assert_status(nv_signature_signing_time(s, &t), NV_E_NOT_FOUND);
  nv_json *j = result_json(f->result);
  expect_jbool(j, "verified", false);
  expect_jstr(j, "status", "NV_E_VERIFICATION_FAILED");
  expect_jstr(j, "signatures.0.status", nv_status_name(nv_signature_status(s)));
  expect_jstr(j, "signatures.0.message", nv_signature_message(s));
  expect_jnull(j, "signatures.0.signing_time");
  assert_int_equal(nv_json_count(jpath(j, "signatures.0.checks")), 0);
  nv_json_free(j);
}

/* One byte of the envelope changed in place: its digest no longer holds. */
static void test_tamper_envelope_byte(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  bytes env = tl_read_blob(f->layout, JWS_ENVELOPE);
  env.data[env.len / 2] ^= 0x01;
  tl_replace_blob(f->layout, JWS_ENVELOPE, env.data, env.len);
  bytes_free(&env);
  const nv_signature *s = expect_single_failure(f, JWS_SIG_MANIFEST, NV_E_SIG_DIGEST_MISMATCH,
                                                "does not match its digest " JWS_ENVELOPE);
  assert_string_equal(nv_signature_media_type(s), MT_JWS);
  expect_retrieval_failure(f, s);
}

/* The envelope's signature changed and the envelope stored under its new
 * digest, with a signature manifest naming it: retrieval succeeds, the
 * integrity check fails. */
static void test_tamper_envelope_resigned(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  bytes env = tl_read_blob(f->layout, JWS_ENVELOPE);
  char *text = malloc(env.len + 1);
  assert_non_null(text);
  memcpy(text, env.data, env.len);
  text[env.len] = '\0';
  char *sig = strstr(text, "\"signature\":\"");
  assert_non_null(sig);
  char *c = sig + strlen("\"signature\":\"") + 10;
  *c = *c == 'A' ? 'B' : 'A';
  tl_blob tampered = tl_add_blob(f->layout, text, env.len);
  free(text);
  bytes_free(&env);
  tl_blob m = add_sig_manifest(f, layer_json(MT_JWS, tampered.digest, tampered.size), "resigned");
  write_index(f, tl_strf(",%s", entry_json(MT_MANIFEST, &m)));
  const nv_signature *s =
      expect_single_failure(f, m.digest, NV_E_SIGNATURE_INVALID, "signature is invalid (PS384)");
  expect_sig_check(s, NV_CHECK_INTEGRITY, NV_ACTION_ENFORCE, NV_OUTCOME_FAILED,
               NV_E_SIGNATURE_INVALID);
  expect_sig_check(s, NV_CHECK_AUTHENTICITY, NV_ACTION_ENFORCE, NV_OUTCOME_NOT_RUN, NV_OK);
  /* what could be decoded is still reported */
  assert_string_equal(nv_signature_signer(s), SIGNER);
}

static void test_envelope_missing(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  tl_remove_blob(f->layout, JWS_ENVELOPE);
  const nv_signature *s =
      expect_single_failure(f, JWS_SIG_MANIFEST, NV_E_SIG_FETCH_FAILED, "not found");
  assert_contains(nv_signature_message(s), JWS_ENVELOPE);
  expect_retrieval_failure(f, s);
}

/* The layer claims 33 MiB: refused from the manifest, before the
 * envelope is opened. The envelope's file is a FIFO without a writer, so
 * an attempt to open it would give another code (not a regular file) and
 * reading it would block. */
static void test_layer_too_large(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  char path[TL_PATH_MAX];
  tl_blob_path(f->layout, JWS_ENVELOPE, path);
  assert_int_equal(unlink(path), 0);
  assert_int_equal(mkfifo(path, 0600), 0);
  tl_blob m = add_sig_manifest(f, layer_json(MT_JWS, JWS_ENVELOPE, (uint64_t)33 << 20), "big");
  write_index(f, tl_strf(",%s", entry_json(MT_MANIFEST, &m)));
  const nv_signature *s = expect_single_failure(f, m.digest, NV_E_SIG_BLOB_TOO_LARGE,
                                                "signature envelope size 34603008 exceeds the "
                                                "limit of 33554432 bytes");
  expect_retrieval_failure(f, s);
}

static void test_two_layers(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  tl_blob m = add_sig_manifest(f, tl_strf("%s,%s", jws_layer(), jws_layer()), "two");
  write_index(f, tl_strf(",%s", entry_json(MT_MANIFEST, &m)));
  expect_single_failure(f, m.digest, NV_E_SIG_MANIFEST_LAYER_COUNT,
                        "requires exactly one signature envelope blob, found 2");
  /* none at all */
  tl_blob none = add_sig_manifest(f, "", "none");
  write_index(f, tl_strf(",%s", entry_json(MT_MANIFEST, &none)));
  expect_single_failure(f, none.digest, NV_E_SIG_MANIFEST_LAYER_COUNT, "found 0");
}

/* Entries of the referrers-tag index are fetched whatever they claim, so
 * their descriptor and content are checked there. */
static void test_sig_manifest_media_type(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  /* the descriptor is not a manifest type */
  write_index(f, referrers_tag_entry(
                     f, referrer_json(MT_INDEX, JWS_SIG_MANIFEST, JWS_SIG_MANIFEST_SIZE)));
  expect_single_failure(f, JWS_SIG_MANIFEST, NV_E_SIG_MANIFEST_MEDIATYPE,
                        "signature manifest descriptor has media type \"" MT_INDEX "\"");
  /* the document's mediaType is not the descriptor's */
  tl_blob m = tl_add_text(f->layout,
                          sig_manifest_json("\"mediaType\":\"" MT_ARTIFACT
                                            "\",\"artifactType\":\"" AT_SIGNATURE "\",",
                                            MT_EMPTY, jws_layer(), "mt"));
  write_index(f, referrers_tag_entry(f, referrer_json(MT_MANIFEST, m.digest, m.size)));
  expect_single_failure(f, m.digest, NV_E_SIG_MANIFEST_MEDIATYPE, MT_ARTIFACT);
}

static void test_sig_manifest_artifact_type(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  tl_blob m = tl_add_text(
      f->layout, sig_manifest_json("\"mediaType\":\"" MT_MANIFEST
                                   "\",\"artifactType\":\"application/vnd.example.sbom\",",
                                   MT_EMPTY, jws_layer(), "at"));
  /* listed by the referrers-tag index as a signature: fetched and refused */
  write_index(f, referrers_tag_entry(f, referrer_json(MT_MANIFEST, m.digest, m.size)));
  expect_single_failure(f, m.digest, NV_E_SIG_MANIFEST_ARTIFACT_TYPE,
                        "not a Notary Project signature: artifactType "
                        "\"application/vnd.example.sbom\"");
  /* a predecessor of another type is not a signature at all */
  write_index(f, tl_strf(",%s", entry_json(MT_MANIFEST, &m)));
  assert_status(verify_copy(f, f->policy), NV_E_NO_SIGNATURES);
  /* the signature artifactType with a config other than the empty one */
  tl_blob c = tl_add_text(f->layout,
                          sig_manifest_json(SIG_HEAD, "application/vnd.example.config",
                                            jws_layer(), "config"));
  write_index(f, referrers_tag_entry(f, referrer_json(MT_MANIFEST, c.digest, c.size)));
  expect_single_failure(f, c.digest, NV_E_SIG_MANIFEST_ARTIFACT_TYPE,
                        "config.mediaType \"application/vnd.example.config\"");
}

/* A referrers entry claiming a 5 MiB manifest is refused before fetching
 * (the manifest itself is the demo's). */
static void test_sig_manifest_too_large(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  write_index(f, referrers_tag_entry(f, referrer_json(MT_MANIFEST, JWS_SIG_MANIFEST,
                                                      (uint64_t)5 << 20)));
  expect_single_failure(f, JWS_SIG_MANIFEST, NV_E_SIG_MANIFEST_TOO_LARGE,
                        "signature manifest size 5242880 exceeds the limit of 4194304 bytes");
  /* one byte over 4 MiB */
  write_index(f, referrers_tag_entry(f, referrer_json(MT_MANIFEST, JWS_SIG_MANIFEST,
                                                      ((uint64_t)4 << 20) + 1)));
  expect_single_failure(f, JWS_SIG_MANIFEST, NV_E_SIG_MANIFEST_TOO_LARGE, "4194305");
  /* a size that differs from the file within the limit */
  write_index(f, referrers_tag_entry(f, referrer_json(MT_MANIFEST, JWS_SIG_MANIFEST,
                                                      JWS_SIG_MANIFEST_SIZE + 1)));
  expect_single_failure(f, JWS_SIG_MANIFEST, NV_E_SIG_DIGEST_MISMATCH, "its descriptor says 863");
}

/* The artifact manifest changed. */
static void test_artifact_changed(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  bytes art = tl_read_blob(f->layout, ART_DIGEST);
  assert_int_equal(art.len, ART_SIZE);
  uint8_t *longer = malloc(art.len + 1);
  assert_non_null(longer);
  memcpy(longer, art.data, art.len);
  longer[art.len] = '\n';

  /* (a) the same bytes in place, one byte longer: the file is not what
   * index.json says */
  tl_replace_blob(f->layout, ART_DIGEST, longer, art.len + 1);
  assert_status(verify_at(f, f->policy, f->layout, ":v1", f->opts), NV_E_CONTENT_DIGEST_MISMATCH);
  assert_contains(nv_result_message(f->result), "the file is 247 bytes, its descriptor says 246");
  assert_int_equal(nv_result_signature_count(f->result), 0);

  /* (b) one byte changed in place, same size: the artifact's content is
   * read and checked against its digest (notation-go's OCI layout store
   * only compares the descriptor), so the verdict covers the bytes */
  art.data[10] = art.data[10] == ' ' ? '\t' : ' ';
  tl_replace_blob(f->layout, ART_DIGEST, art.data, art.len);
  assert_status(verify_at(f, f->policy, f->layout, ":v1", f->opts), NV_E_CONTENT_DIGEST_MISMATCH);
  assert_contains(nv_result_message(f->result), ART_DIGEST);
  assert_int_equal(nv_result_signature_count(f->result), 0);
  bytes_free(&art);

  /* (c) stored under its new digest, tag v1 moved to it: the signatures
   * name the old digest */
  tl_blob moved = tl_add_blob(f->layout, longer, ART_SIZE + 1);
  free(longer);
  write_index_for(f, &moved,
                  tl_strf(",%s", layer_json(MT_MANIFEST, JWS_SIG_MANIFEST, JWS_SIG_MANIFEST_SIZE)));
  assert_status(verify_at(f, f->policy, f->layout, ":v1", f->opts), NV_E_NO_SIGNATURES);
  assert_string_equal(nv_result_digest(f->result), moved.digest);

  /* (d) and a referrers-tag index of the new digest listing the old
   * signature manifest: its subject is not the artifact */
  tl_blob idx = tl_add_text(
      f->layout,
      tl_strf("{\"schemaVersion\":2,\"mediaType\":\"" MT_INDEX "\",\"manifests\":[%s]}",
              referrer_json(MT_MANIFEST, JWS_SIG_MANIFEST, JWS_SIG_MANIFEST_SIZE)));
  write_index_for(f, &moved,
                  tl_strf(",{\"mediaType\":\"" MT_INDEX "\",\"digest\":\"%s\",\"size\":%zu,"
                          "\"annotations\":{\"org.opencontainers.image.ref.name\":\"sha256-%s\"}}",
                          idx.digest, idx.size, strchr(moved.digest, ':') + 1));
  assert_status(verify_at(f, f->policy, f->layout, ":v1", f->opts), NV_E_VERIFICATION_FAILED);
  const nv_signature *s = nv_result_signature(f->result, 0);
  assert_status(nv_signature_status(s), NV_E_SIG_MANIFEST_SUBJECT);
  assert_contains(nv_signature_message(s), "is not the target");
  assert_contains(nv_result_message(f->result), "NV_E_SIG_MANIFEST_SUBJECT");
}

/* The referrers-tag index lists the artifact itself (oras-go#1396): the
 * entry is recorded as a failed signature, not followed. */
static void test_referrers_self(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  write_index(f, referrers_tag_entry(f, referrer_json(MT_MANIFEST, ART_DIGEST, ART_SIZE)));
  const nv_signature *s =
      expect_single_failure(f, ART_DIGEST, NV_E_SIG_MANIFEST_SUBJECT, "lists the artifact itself");
  expect_retrieval_failure(f, s);
  /* the real signature after it still verifies */
  write_index(f, referrers_tag_entry(
                     f, tl_strf("%s,%s", referrer_json(MT_MANIFEST, ART_DIGEST, ART_SIZE),
                                referrer_json(MT_MANIFEST, JWS_SIG_MANIFEST,
                                              JWS_SIG_MANIFEST_SIZE))));
  assert_status(verify_copy(f, f->policy), NV_OK);
  assert_int_equal(nv_result_signature_count(f->result), 2);
  assert_status(nv_signature_status(nv_result_signature(f->result, 0)), NV_E_SIG_MANIFEST_SUBJECT);
  assert_ptr_equal(nv_result_verified_signature(f->result), nv_result_signature(f->result, 1));
}

static void test_no_signatures(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  write_index(f, "");
  assert_status(verify_at(f, f->policy, f->layout, ":v1", f->opts), NV_E_NO_SIGNATURES);
  assert_contains(nv_result_message(f->result), "no signature is associated with");
  assert_contains(nv_result_message(f->result), f->layout);
  assert_string_equal(nv_result_digest(f->result), ART_DIGEST);
  assert_int_equal(nv_result_signature_count(f->result), 0);
  /* an empty referrers-tag index changes nothing */
  write_index(f, referrers_tag_entry(f, ""));
  assert_status(verify_copy(f, f->policy), NV_E_NO_SIGNATURES);
}

/* Three signatures that fail, each another way: index.json entries
 * ",bad1,bad2,bad3". */
static const char *bad_signatures(fx *f)
{
  /* 1: the EC P-256 notation envelope over the same artifact; its root
   * is not in the policy's store */
  bytes ec = slurp_in(NV_BENCH_FIXTURES, "ecp256/signature.jws");
  tl_blob ec_env = tl_add_blob(f->layout, ec.data, ec.len);
  bytes_free(&ec);
  tl_blob m1 = add_sig_manifest(f, layer_json(MT_JWS, ec_env.digest, ec_env.size), "bad-1");
  /* 2: the COSE envelope read as JWS */
  bytes cose = tl_read_blob(demo_cose.dir, COSE_ENVELOPE);
  tl_blob cose_env = tl_add_blob(f->layout, cose.data, cose.len);
  bytes_free(&cose);
  tl_blob m2 = add_sig_manifest(f, layer_json(MT_JWS, cose_env.digest, cose_env.size), "bad-2");
  /* 3: an envelope that is not in the layout */
  tl_blob m3 = add_sig_manifest(
      f,
      layer_json(MT_JWS,
                 "sha256:1111111111111111111111111111111111111111111111111111111111111111", 100),
      "bad-3");
  return tl_strf(",%s,%s,%s", entry_json(MT_MANIFEST, &m1), entry_json(MT_MANIFEST, &m2),
                 entry_json(MT_MANIFEST, &m3));
}

/* The three bad signatures, then the valid one. */
static const char *bad_then_valid(fx *f)
{
  static const tl_blob valid = {JWS_SIG_MANIFEST, JWS_SIG_MANIFEST_SIZE};
  return tl_strf("%s,%s", bad_signatures(f), entry_json(MT_MANIFEST, &valid));
}

static const nv_status bad_codes[] = {NV_E_CHAIN_NOT_TRUSTED, NV_E_ENVELOPE_PARSE,
                                      NV_E_SIG_FETCH_FAILED};

static void test_max_signatures(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  write_index(f, bad_then_valid(f));

  /* limit 3: the valid fourth is never reached */
  assert_status(nv_verify_opts_set_max_signatures(f->opts, 3), NV_OK);
  assert_status(verify_copy(f, f->policy), NV_E_MAX_SIGNATURE_ATTEMPTS);
  assert_contains(nv_result_message(f->result), "limit of 3 signatures");
  assert_int_equal(nv_result_signature_count(f->result), 3);
  for (size_t i = 0; i < 3; i++)
    assert_status(nv_signature_status(nv_result_signature(f->result, i)), bad_codes[i]);
  assert_null(nv_result_verified_signature(f->result));
  nv_json *j = result_json(f->result);
  expect_jstr(j, "status", "NV_E_MAX_SIGNATURE_ATTEMPTS");
  assert_int_equal(nv_json_count(jpath(j, "signatures")), 3);
  nv_json_free(j);

  /* limit 1 */
  assert_status(nv_verify_opts_set_max_signatures(f->opts, 1), NV_OK);
  assert_status(verify_copy(f, f->policy), NV_E_MAX_SIGNATURE_ATTEMPTS);
  assert_contains(nv_result_message(f->result), "limit of 1 signatures");
  assert_int_equal(nv_result_signature_count(f->result), 1);

  /* limit 4: the valid one is the last signature */
  assert_status(nv_verify_opts_set_max_signatures(f->opts, 4), NV_OK);
  assert_status(verify_copy(f, f->policy), NV_OK);
  const nv_result *r = f->result;
  assert_int_equal(nv_result_signature_count(r), 4);
  for (size_t i = 0; i < 3; i++) {
    const nv_signature *s = nv_result_signature(r, i);
    assert_status(nv_signature_status(s), bad_codes[i]);
    assert_true(nv_signature_message(s)[0] != '\0');
  }
  assert_contains(nv_signature_message(nv_result_signature(r, 0)),
                  "does not contain any trusted certificate");
  assert_string_equal(nv_signature_signer(nv_result_signature(r, 0)),
                      "CN=Notary Bench EC P-256 Signer,O=Notary Bench,L=Seattle,ST=WA,C=US");
  assert_ptr_equal(nv_result_verified_signature(r), nv_result_signature(r, 3));
  assert_string_equal(nv_signature_manifest_digest(nv_result_signature(r, 3)), JWS_SIG_MANIFEST);
  j = result_json(r);
  expect_jbool(j, "verified", true);
  expect_jbool(j, "signatures.0.verified", false);
  expect_jstr(j, "signatures.0.checks.authenticity.status", "NV_E_CHAIN_NOT_TRUSTED");
  expect_jstr(j, "signatures.2.status", "NV_E_SIG_FETCH_FAILED");
  expect_jbool(j, "signatures.3.verified", true);
  nv_json_free(j);

  /* the default limit (100) */
  nv_verify_opts_free(f->opts);
  assert_status(nv_verify_opts_new(&f->opts), NV_OK);
  assert_status(nv_verify_opts_set_time(f->opts, T_NOW), NV_OK);
  assert_status(nv_verify_opts_set_oci_layout(f->opts, SCOPE), NV_OK);
  assert_status(verify_copy(f, f->policy), NV_OK);
  assert_int_equal(nv_result_signature_count(f->result), 4);

  /* exactly `max` signatures, all bad: every one was examined, so the
   * verdict is a plain failure, not the attempt limit */
  write_index(f, bad_signatures(f));
  assert_status(nv_verify_opts_set_max_signatures(f->opts, 3), NV_OK);
  assert_status(verify_copy(f, f->policy), NV_E_VERIFICATION_FAILED);
  assert_int_equal(nv_result_signature_count(f->result), 3);
  assert_contains(nv_result_message(f->result), "none of the 3 signatures");
  assert_contains(nv_result_message(f->result), "NV_E_SIG_FETCH_FAILED");
}

/* A fresh copy of the demo layout in which `rel` (a file or directory)
 * is moved out of the layout and replaced by a symbolic link to it. */
static void link_out(fx *f, const char *rel)
{
  char path[TL_PATH_MAX + 160], outside[TL_PATH_MAX + 160];
  rm_tree(f->layout);
  copy_tree(demo_jws.dir, f->layout);
  const char *base = strrchr(rel, '/') != NULL ? strrchr(rel, '/') + 1 : rel;
  snprintf(path, sizeof(path), "%s/%s", f->layout, rel);
  snprintf(outside, sizeof(outside), "%s/moved-%s", f->tmp, base);
  rm_tree(outside);
  assert_int_equal(rename(path, outside), 0);
  assert_int_equal(symlink(outside, path), 0);
}

/* Symbolic links inside the layout are refused, whatever they point at
 * (here: the same content, moved out). */
static void test_symlinks(void **state)
{
  fx *f = *state;
  /* the envelope: a failed signature */
  link_out(f, "blobs/sha256/" JWS_ENVELOPE_HEX);
  const nv_signature *s = expect_single_failure(f, JWS_SIG_MANIFEST, NV_E_SIG_FETCH_FAILED,
                                                "is not a regular file (or is a symlink)");
  expect_retrieval_failure(f, s);
  /* the layout's own files: the layout is invalid */
  static const struct {
    const char *rel;
    const char *needle;
  } cases[] = {
    {"blobs/sha256/" ART_HEX, "blob " ART_DIGEST " is not a regular file (or is a symlink)"},
    {"index.json", "index.json is not a regular file (or is a symlink)"},
    {"oci-layout", "oci-layout is not a regular file (or is a symlink)"},
    {"blobs/sha256", "blobs/sha256 is not a directory (or is a symlink)"},
    {"blobs", "blobs is not a directory (or is a symlink)"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    link_out(f, cases[i].rel);
    assert_status(verify_at(f, f->policy, f->layout, ":v1", f->opts), NV_E_OCI_LAYOUT_INVALID);
    assert_contains(nv_result_message(f->result), cases[i].needle);
    assert_int_equal(nv_result_signature_count(f->result), 0);
  }
}

static void test_oci_layout_file(void **state)
{
  fx *f = *state;
  copy_tree(demo_jws.dir, f->layout);
  tl_write_file(f->layout, "oci-layout", "{\"imageLayoutVersion\":\"2.0.0\"}");
  assert_status(verify_copy(f, f->policy), NV_E_OCI_LAYOUT_INVALID);
  assert_contains(nv_result_message(f->result), "oci-layout");
  assert_contains(nv_result_message(f->result), "2.0.0");
  assert_int_equal(nv_result_signature_count(f->result), 0);
  tl_write_file(f->layout, "oci-layout", "{}");
  assert_status(verify_copy(f, f->policy), NV_E_OCI_LAYOUT_INVALID);
  assert_contains(nv_result_message(f->result), "oci-layout");
  char path[TL_PATH_MAX + 32];
  snprintf(path, sizeof(path), "%s/oci-layout", f->layout);
  assert_int_equal(unlink(path), 0);
  assert_status(verify_copy(f, f->policy), NV_E_OCI_LAYOUT_INVALID);
  assert_contains(nv_result_message(f->result), "oci-layout is missing");
}

/* ------------------------------------------------------------------ */
/* nv_verify_envelope                                                  */

/* nv_verify_envelope of a demo envelope for the target descriptor
 * (media type, digest, size); the result is kept in f->result. */
static nv_status verify_envelope(fx *f, const nv_trust_policy *p, const char *reference,
                                 const char *media_type, const char *digest, uint64_t size,
                                 const demo *d)
{
  nv_result_free(f->result);
  f->result = NULL;
  bytes env = tl_read_blob(d->dir, d->envelope);
  nv_status rc = nv_verify_envelope(f->ctx, p, f->store, reference, media_type, digest, size,
                                    d->envelope_media_type, env.data, env.len, f->opts,
                                    &f->result);
  bytes_free(&env);
  assert_status(nv_ctx_last_status(f->ctx), rc);
  if (f->result != NULL)
    assert_status(nv_result_status(f->result), rc);
  return rc;
}

static void test_envelope_api(void **state)
{
  fx *f = *state;
  static const demo *const demos[] = {&demo_jws, &demo_cose};
  for (size_t i = 0; i < sizeof(demos) / sizeof(demos[0]); i++) {
    const char *ref = SCOPE "@" ART_DIGEST;
    assert_status(verify_envelope(f, f->policy, ref, MT_MANIFEST, ART_DIGEST, ART_SIZE, demos[i]),
                  NV_OK);
    const nv_result *r = f->result;
    assert_string_equal(nv_result_reference(r), ref);
    assert_string_equal(nv_result_digest(r), ART_DIGEST);
    assert_string_equal(nv_result_policy_name(r), "notaryc-demo");
    assert_string_equal(nv_result_message(r), "");
    assert_int_equal(nv_result_warning_count(r), 0);
    assert_int_equal(nv_result_signature_count(r), 1);
    const nv_signature *s = nv_result_verified_signature(r);
    assert_non_null(s);
    assert_string_equal(nv_signature_manifest_digest(s), "");
    assert_string_equal(nv_signature_media_type(s), demos[i]->envelope_media_type);
    assert_string_equal(nv_signature_signer(s), SIGNER);
    expect_sig_check(s, NV_CHECK_AUTHENTICITY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
    nv_json *j = result_json(r);
    expect_jstr(j, "signatures.0.manifest_digest", "");
    expect_jbool(j, "verified", true);
    nv_json_free(j);
  }
}

static void test_envelope_target_mismatch(void **state)
{
  fx *f = *state;
  const char *ref = SCOPE "@" ART_DIGEST;
  /* the signature names 246 bytes */
  assert_status(verify_envelope(f, f->policy, ref, MT_MANIFEST, ART_DIGEST, ART_SIZE + 1,
                                &demo_jws),
                NV_E_VERIFICATION_FAILED);
  const nv_signature *s = nv_result_signature(f->result, 0);
  assert_status(nv_signature_status(s), NV_E_TARGET_ARTIFACT_MISMATCH);
  assert_contains(nv_signature_message(s), "content descriptor mismatch");
  assert_contains(nv_result_message(f->result), "signature verification failed");
  assert_contains(nv_result_message(f->result), "content descriptor mismatch");
  /* every policy check passed: the payload binding is what failed */
  expect_sig_check(s, NV_CHECK_AUTHENTICITY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  /* another media type, another digest: the same, at every level */
  const nv_trust_policy *audit = policy_variant(f, "audit", "", IDENTITY);
  assert_status(verify_envelope(f, audit, ref, MT_INDEX, ART_DIGEST, ART_SIZE, &demo_cose),
                NV_E_VERIFICATION_FAILED);
  assert_status(nv_signature_status(nv_result_signature(f->result, 0)),
                NV_E_TARGET_ARTIFACT_MISMATCH);
  assert_status(verify_envelope(f, audit, SCOPE, MT_MANIFEST, EMPTY_DIGEST, ART_SIZE, &demo_jws),
                NV_E_VERIFICATION_FAILED);
  assert_status(nv_signature_status(nv_result_signature(f->result, 0)),
                NV_E_TARGET_ARTIFACT_MISMATCH);
  assert_string_equal(nv_result_digest(f->result), EMPTY_DIGEST);
}

/* The reference only selects the statement, by its repository. */
static void test_envelope_references(void **state)
{
  fx *f = *state;
  assert_status(verify_envelope(f, f->policy, SCOPE, MT_MANIFEST, ART_DIGEST, ART_SIZE,
                                &demo_jws),
                NV_OK);
  assert_int_equal(nv_result_warning_count(f->result), 0);
  assert_status(verify_envelope(f, f->policy, SCOPE ":v1", MT_MANIFEST, ART_DIGEST, ART_SIZE,
                                &demo_jws),
                NV_OK);
  assert_int_equal(nv_result_warning_count(f->result), 0);
  /* a digest in the reference that is not the target's: a warning */
  assert_status(verify_envelope(f, f->policy, SCOPE "@" EMPTY_DIGEST, MT_MANIFEST, ART_DIGEST,
                                ART_SIZE, &demo_cose),
                NV_OK);
  assert_string_equal(nv_result_digest(f->result), ART_DIGEST);
  assert_int_equal(nv_result_warning_count(f->result), 1);
  expect_warning(f->result, "the reference names " EMPTY_DIGEST);
  /* a scope no statement covers */
  assert_status(verify_envelope(f, f->policy, "other.example/repo@" ART_DIGEST, MT_MANIFEST,
                                ART_DIGEST, ART_SIZE, &demo_jws),
                NV_E_NO_APPLICABLE_POLICY);
  assert_non_null(f->result);
  assert_int_equal(nv_result_signature_count(f->result), 0);
  /* the target digest must be one */
  assert_status(verify_envelope(f, f->policy, SCOPE, MT_MANIFEST, "sha256:1234", ART_SIZE,
                                &demo_jws),
                NV_E_DIGEST_FORMAT);
  assert_contains(nv_result_message(f->result), "invalid target digest");
  assert_int_equal(nv_result_signature_count(f->result), 0);
  /* a policy of the wrong kind */
  static const char blob_policy[] =
      "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"b\",\"globalPolicy\":true,"
      "\"signatureVerification\":{\"level\":\"strict\"},"
      "\"trustStores\":[\"ca:bench-rsa3072\"],\"trustedIdentities\":[\"*\"]}]}";
  nv_trust_policy *bp = NULL;
  assert_status(nv_trust_policy_parse(f->ctx, NV_POLICY_BLOB, (const uint8_t *)blob_policy,
                                      strlen(blob_policy), &bp),
                NV_OK);
  assert_status(verify_envelope(f, bp, SCOPE, MT_MANIFEST, ART_DIGEST, ART_SIZE, &demo_jws),
                NV_E_INVALID_ARG);
  assert_null(f->result);
  nv_trust_policy_free(bp);
  /* missing arguments */
  nv_result *r = (nv_result *)1;
  assert_status(nv_verify_envelope(f->ctx, f->policy, f->store, NULL, MT_MANIFEST, ART_DIGEST,
                                   ART_SIZE, MT_JWS, (const uint8_t *)"{}", 2, f->opts, &r),
                NV_E_INVALID_ARG);
  assert_null(r);
  r = (nv_result *)1;
  assert_status(nv_verify_envelope(f->ctx, f->policy, f->store, SCOPE, MT_MANIFEST, NULL,
                                   ART_SIZE, MT_JWS, (const uint8_t *)"{}", 2, f->opts, &r),
                NV_E_INVALID_ARG);
  assert_null(r);
  r = (nv_result *)1;
  assert_status(nv_verify_envelope(f->ctx, f->policy, f->store, SCOPE, MT_MANIFEST, ART_DIGEST,
                                   ART_SIZE, MT_JWS, NULL, 2, f->opts, &r),
                NV_E_INVALID_ARG);
  assert_null(r);
  /* an envelope that is not one: an integrity failure of the signature */
  assert_status(nv_verify_envelope(f->ctx, f->policy, f->store, SCOPE, MT_MANIFEST, ART_DIGEST,
                                   ART_SIZE, "text/plain", (const uint8_t *)"{}", 2, f->opts,
                                   &r),
                NV_E_VERIFICATION_FAILED);
  assert_status(nv_signature_status(nv_result_signature(r, 0)), NV_E_ENVELOPE_FORMAT_UNSUPPORTED);
  expect_sig_check(nv_result_signature(r, 0), NV_CHECK_INTEGRITY, NV_ACTION_ENFORCE,
                   NV_OUTCOME_FAILED, NV_E_ENVELOPE_FORMAT_UNSUPPORTED);
  nv_result_free(r);
}

/* ------------------------------------------------------------------ */
/* revocation fails closed (data/revocation, make_revocation.py)       */

#define REV_DATA NV_TEST_DATA "/revocation"
/* target.json */
#define REV_DIGEST "sha256:e715b181f27942f176bb8ecfc1ba03d60d1d54568cc65ed91d1d5051a083201c"
#define REV_SIZE 36
#define REV_IDENTITY \
  "x509.subject: C=US, ST=WA, O=Notary Revocation Test, CN=Revocation Test Signer"

/* nv_verify_envelope of crl-ocsp.jws (its leaf names a CRL distribution
 * point and an OCSP responder) under a statement for every repository with
 * `level` and `override` (",\"override\":{...}" or ""), into f->result. */
static nv_status verify_revocation(fx *f, const char *level, const char *override)
{
  char *text = tl_strf("{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"revocation\","
                       "\"registryScopes\":[\"*\"],"
                       "\"signatureVerification\":{\"level\":\"%s\"%s},"
                       "\"trustStores\":[\"ca:revocation-test\"],"
                       "\"trustedIdentities\":[\"" REV_IDENTITY "\"]}]}",
                       level, override);
  nv_trust_policy_free(f->variant);
  f->variant = NULL;
  assert_status(nv_trust_policy_parse(f->ctx, NV_POLICY_OCI, (const uint8_t *)text,
                                      strlen(text), &f->variant),
                NV_OK);
  bytes env = slurp_in(REV_DATA, "crl-ocsp.jws");
  nv_result_free(f->result);
  f->result = NULL;
  nv_status rc = nv_verify_envelope(f->ctx, f->variant, f->store, "example.local/revocation",
                                    MT_MANIFEST, REV_DIGEST, REV_SIZE, MT_JWS, env.data, env.len,
                                    f->opts, &f->result);
  bytes_free(&env);
  assert_status(nv_ctx_last_status(f->ctx), rc);
  assert_non_null(f->result);
  assert_status(nv_result_status(f->result), rc);
  return rc;
}

/* A fetch override whose OCSP and CRL servers answer 503. */
static nv_status rev_unavailable(const nv_http_request *req, nv_http_response *resp, void *user)
{
  (void)req;
  ++*(int *)user;
  return nv_http_response_set_status(resp, 503);
}

static void test_envelope_revocation_fails_closed(void **state)
{
  fx *f = *state;
  bytes root = slurp_in(REV_DATA, "root.crt");
  nv_status rc = nv_truststore_add_certs(f->ctx, f->store, NV_STORE_CA, "revocation-test",
                                         root.data, root.len);
  bytes_free(&root);
  assert_status(rc, NV_OK);

  /* strict: rejected by the revocation check: the leaf names an OCSP
   * responder and a CRL distribution point under example.test, which do
   * not resolve, so its status is unknown */
  assert_status(verify_revocation(f, "strict", ""), NV_E_VERIFICATION_FAILED);
  assert_null(nv_result_verified_signature(f->result));
  const nv_signature *s = nv_result_signature(f->result, 0);
  assert_status(nv_signature_status(s), NV_E_REVOCATION_UNKNOWN);
  assert_contains(nv_signature_message(s), "Revocation Test Signer");
  assert_contains(nv_signature_message(s), "revocation status is unknown");
  expect_sig_check(s, NV_CHECK_AUTHENTICITY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_REVOCATION, NV_ACTION_ENFORCE, NV_OUTCOME_FAILED,
                   NV_E_REVOCATION_UNKNOWN);

  /* permissive: accepted, the failure logged */
  assert_status(verify_revocation(f, "permissive", ""), NV_OK);
  s = nv_result_verified_signature(f->result);
  assert_non_null(s);
  expect_sig_check(s, NV_CHECK_REVOCATION, NV_ACTION_LOG, NV_OUTCOME_FAILED,
                   NV_E_REVOCATION_UNKNOWN);
  expect_warning(f->result, "revocation failed, only logged");

  /* revocation skipped: not run */
  assert_status(verify_revocation(f, "strict", ",\"override\":{\"revocation\":\"skip\"}"), NV_OK);
  expect_sig_check(nv_result_verified_signature(f->result), NV_CHECK_REVOCATION, NV_ACTION_SKIP,
                   NV_OUTCOME_NOT_RUN, NV_OK);

  /* the context's fetch override carries the OCSP and CRL requests */
  int requests = 0;
  assert_status(nv_registry_set_fetch_cb(f->ctx, rev_unavailable, &requests), NV_OK);
  assert_status(nv_revocation_set_timeouts(f->ctx, 500, 500), NV_OK);
  assert_status(verify_revocation(f, "strict", ""), NV_E_VERIFICATION_FAILED);
  assert_int_equal(requests, 2); /* OCSP, then the CRL */
  s = nv_result_signature(f->result, 0);
  assert_status(nv_signature_status(s), NV_E_REVOCATION_UNKNOWN);
  assert_contains(nv_signature_message(s), "503");

  /* offline: no request, unknown */
  assert_status(nv_revocation_set_offline(f->ctx, 1), NV_OK);
  assert_status(verify_revocation(f, "strict", ""), NV_E_VERIFICATION_FAILED);
  assert_int_equal(requests, 2);
  assert_contains(nv_signature_message(nv_result_signature(f->result, 0)), "offline");
  assert_status(nv_revocation_set_offline(f->ctx, 0), NV_OK);
  assert_status(nv_registry_set_fetch_cb(f->ctx, NULL, NULL), NV_OK);
  assert_status(nv_revocation_set_timeouts(f->ctx, 0, 0), NV_OK);

  /* bad arguments */
  assert_status(nv_revocation_set_offline(f->ctx, 2), NV_E_INVALID_ARG);
  assert_contains(nv_ctx_last_error(f->ctx), "not 0 or 1");
  assert_status(nv_revocation_set_timeouts(f->ctx, 60001, 0), NV_E_INVALID_ARG);
  assert_status(nv_revocation_set_timeouts(NULL, 0, 0), NV_E_INVALID_ARG);
  assert_status(nv_revocation_set_offline(NULL, 0), NV_E_INVALID_ARG);
  static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};
  assert_status(nv_revocation_preload_crl(f->ctx, junk, sizeof(junk)),
                NV_E_REVOCATION_CHECK_ERROR);
  assert_contains(nv_ctx_last_error(f->ctx), "nv_revocation_preload_crl: ");
  assert_status(nv_revocation_preload_crl(f->ctx, NULL, 0), NV_E_INVALID_ARG);
  assert_status(nv_revocation_preload_crl(NULL, junk, sizeof(junk)), NV_E_INVALID_ARG);
}

/* ------------------------------------------------------------------ */
/* nv_verify_blob                                                      */

typedef struct reader {
  const uint8_t *data;
  size_t len;
  size_t pos;
  size_t chunk; /* at most this many bytes per call */
  unsigned calls;
  nv_status fail_with; /* NV_OK, or returned on the second call */
} reader;

static nv_status read_cb(void *user, uint8_t *buf, size_t cap, size_t *got)
{
  reader *rd = user;
  rd->calls++;
  if (rd->fail_with != NV_OK && rd->calls == 2)
    return rd->fail_with;
  size_t n = rd->len - rd->pos;
  if (n > cap)
    n = cap;
  if (n > rd->chunk)
    n = rd->chunk;
  if (n > 0)
    memcpy(buf, rd->data + rd->pos, n);
  rd->pos += n;
  *got = n;
  return NV_OK;
}

/* Claims more than it was asked for. */
static nv_status overflowing_cb(void *user, uint8_t *buf, size_t cap, size_t *got)
{
  (void)user;
  (void)buf;
  *got = cap + 1;
  return NV_OK;
}

#define BLOB_POLICY_FMT                                                                        \
  "{\"version\":\"1.0\",\"trustPolicies\":["                                                   \
  "{\"name\":\"blob-witness\",\"globalPolicy\":true,"                                          \
  "\"signatureVerification\":{\"level\":\"%s\"},"                                              \
  "\"trustStores\":[\"ca:blob-witness\"],\"trustedIdentities\":[\"%s\"]},"                     \
  "{\"name\":\"skipped\",\"signatureVerification\":{\"level\":\"skip\"}}]}"

typedef struct blob_case {
  nv_trust_policy *policy;
  bytes blob;
  bytes sig;
} blob_case;

static void blob_case_open(fx *f, blob_case *c, const char *level, const char *identity,
                           const char *sig_file)
{
  char *text = tl_strf(BLOB_POLICY_FMT, level, identity);
  nv_status rc =
      nv_trust_policy_parse(f->ctx, NV_POLICY_BLOB, (const uint8_t *)text, strlen(text), &c->policy);
  if (rc != NV_OK)
    fail_msg("blob policy: %s: %s", nv_status_name(rc), nv_ctx_last_error(f->ctx));
  c->blob = slurp_in(BLOB_DATA, "blob.txt");
  assert_int_equal(c->blob.len, BLOB_SIZE);
  c->sig = slurp_in(BLOB_DATA, sig_file);
}

static void blob_case_close(blob_case *c)
{
  nv_trust_policy_free(c->policy);
  bytes_free(&c->blob);
  bytes_free(&c->sig);
}

/* nv_verify_blob of c->blob (read in chunks of 7000 bytes) into f->result. */
static nv_status verify_blob(fx *f, const blob_case *c, const char *name, const char *media_type,
                             const nv_verify_opts *opts, reader *rd)
{
  nv_result_free(f->result);
  f->result = NULL;
  reader local = {c->blob.data, c->blob.len, 0, 7000, 0, NV_OK};
  if (rd == NULL)
    rd = &local;
  nv_status rc = nv_verify_blob(f->ctx, c->policy, f->store, name, MT_JWS, c->sig.data,
                                c->sig.len, read_cb, rd, media_type, opts, &f->result);
  assert_status(nv_ctx_last_status(f->ctx), rc);
  assert_non_null(f->result);
  assert_status(nv_result_status(f->result), rc);
  return rc;
}

static void test_blob_ok(void **state)
{
  fx *f = *state;
  blob_case c;
  blob_case_open(f, &c, "strict", BLOB_IDENTITY, "blob.jws.sig");
  reader rd = {c.blob.data, c.blob.len, 0, 7000, 0, NV_OK};
  assert_status(verify_blob(f, &c, NULL, NULL, f->opts, &rd), NV_OK);
  /* 40000 bytes in 7000-byte pieces, then the end: read once */
  assert_int_equal(rd.calls, 7);
  const nv_result *r = f->result;
  assert_string_equal(nv_result_reference(r), "");
  /* nv_verify.h: no artifact digest for blobs */
  assert_string_equal(nv_result_digest(r), "");
  assert_string_equal(nv_result_policy_name(r), "blob-witness");
  assert_string_equal(nv_result_policy_level(r), "strict");
  const nv_signature *s = nv_result_verified_signature(r);
  assert_non_null(s);
  assert_string_equal(nv_signature_manifest_digest(s), "");
  assert_string_equal(nv_signature_media_type(s), MT_JWS);
  assert_string_equal(nv_signature_signing_scheme(s), "notary.x509");
  assert_string_equal(nv_signature_signer(s), BLOB_SIGNER);
  int64_t t = 0;
  assert_status(nv_signature_signing_time(s, &t), NV_OK);
  assert_int_equal(t, BLOB_SIGNED_TIME);
  assert_status(nv_signature_expiry(s, &t), NV_E_NOT_FOUND);
  expect_sig_check(s, NV_CHECK_INTEGRITY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_AUTHENTICITY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_EXPIRY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  expect_sig_check(s, NV_CHECK_REVOCATION, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  /* by name, with the signed media type, and in one piece */
  assert_status(verify_blob(f, &c, "blob-witness", "text/plain", f->opts, NULL), NV_OK);
  reader whole = {c.blob.data, c.blob.len, 0, SIZE_MAX, 0, NV_OK};
  assert_status(verify_blob(f, &c, NULL, NULL, f->opts, &whole), NV_OK);
  /* the verifier's buffer is smaller than the blob: several calls */
  assert_true(whole.calls >= 3);
  blob_case_close(&c);
}

static void test_blob_modified(void **state)
{
  fx *f = *state;
  blob_case c;
  blob_case_open(f, &c, "strict", BLOB_IDENTITY, "blob.jws.sig");
  c.blob.data[12345] ^= 0x20;
  assert_status(verify_blob(f, &c, NULL, NULL, f->opts, NULL), NV_E_VERIFICATION_FAILED);
  const nv_signature *s = nv_result_signature(f->result, 0);
  assert_status(nv_signature_status(s), NV_E_BLOB_DIGEST_MISMATCH);
  assert_contains(nv_signature_message(s), "signature does not match the given blob");
  assert_contains(nv_result_message(f->result), "signature does not match the given blob");
  /* the policy checks passed; the blob is what failed */
  expect_sig_check(s, NV_CHECK_AUTHENTICITY, NV_ACTION_ENFORCE, NV_OUTCOME_PASSED, NV_OK);
  c.blob.data[12345] ^= 0x20;
  /* one byte short */
  c.blob.len--;
  assert_status(verify_blob(f, &c, NULL, NULL, f->opts, NULL), NV_E_VERIFICATION_FAILED);
  assert_status(nv_signature_status(nv_result_signature(f->result, 0)),
                NV_E_BLOB_DIGEST_MISMATCH);
  assert_contains(nv_signature_message(nv_result_signature(f->result, 0)), "39999 bytes");
  c.blob.len++;
  /* audit too: the blob binding is enforced at every level */
  blob_case_close(&c);
  blob_case_open(f, &c, "audit", BLOB_IDENTITY, "blob.jws.sig");
  c.blob.data[0] ^= 0x01;
  assert_status(verify_blob(f, &c, NULL, NULL, f->opts, NULL), NV_E_VERIFICATION_FAILED);
  assert_status(nv_signature_status(nv_result_signature(f->result, 0)),
                NV_E_BLOB_DIGEST_MISMATCH);
  blob_case_close(&c);
}

static void test_blob_media_type(void **state)
{
  fx *f = *state;
  blob_case c;
  blob_case_open(f, &c, "strict", BLOB_IDENTITY, "blob.jws.sig");
  assert_status(verify_blob(f, &c, NULL, "application/octet-stream", f->opts, NULL),
                NV_E_VERIFICATION_FAILED);
  const nv_signature *s = nv_result_signature(f->result, 0);
  assert_status(nv_signature_status(s), NV_E_BLOB_DIGEST_MISMATCH);
  assert_contains(nv_signature_message(s), "media type \"text/plain\"");
  assert_contains(nv_signature_message(s), "media type \"application/octet-stream\"");
  /* exact comparison */
  assert_status(verify_blob(f, &c, NULL, "Text/Plain", f->opts, NULL), NV_E_VERIFICATION_FAILED);
  blob_case_close(&c);
}

static void test_blob_read_fails(void **state)
{
  fx *f = *state;
  blob_case c;
  blob_case_open(f, &c, "strict", BLOB_IDENTITY, "blob.jws.sig");
  reader rd = {c.blob.data, c.blob.len, 0, 7000, 0, NV_E_CALLBACK};
  /* nv_verify.h: the signature fails with NV_E_IO, the verification with
   * NV_E_VERIFICATION_FAILED */
  assert_status(verify_blob(f, &c, NULL, NULL, f->opts, &rd), NV_E_VERIFICATION_FAILED);
  assert_int_equal(rd.calls, 2);
  assert_contains(nv_result_message(f->result), "the blob read callback failed with NV_E_CALLBACK");
  assert_null(nv_result_verified_signature(f->result));
  const nv_signature *s = nv_result_signature(f->result, 0);
  assert_status(nv_signature_status(s), NV_E_IO);
  assert_contains(nv_signature_message(s), "read callback");
  /* more bytes than asked for */
  nv_result_free(f->result);
  f->result = NULL;
  assert_status(nv_verify_blob(f->ctx, c.policy, f->store, NULL, MT_JWS, c.sig.data, c.sig.len,
                               overflowing_cb, NULL, NULL, f->opts, &f->result),
                NV_E_VERIFICATION_FAILED);
  assert_status(nv_signature_status(nv_result_signature(f->result, 0)), NV_E_IO);
  assert_contains(nv_result_message(f->result), "more bytes than asked for");
  blob_case_close(&c);
}

/* The blob is read only after every policy check passed. */
static void test_blob_not_read_on_failure(void **state)
{
  fx *f = *state;
  blob_case c;
  blob_case_open(f, &c, "strict",
                 "x509.subject: C=US, ST=WA, O=Notary Blob Witness, CN=Someone Else",
                 "blob.jws.sig");
  reader rd = {c.blob.data, c.blob.len, 0, 7000, 0, NV_OK};
  assert_status(verify_blob(f, &c, NULL, NULL, f->opts, &rd), NV_E_VERIFICATION_FAILED);
  assert_status(nv_signature_status(nv_result_signature(f->result, 0)), NV_E_IDENTITY_MISMATCH);
  assert_int_equal(rd.calls, 0);
  /* level skip: nothing is verified, nothing read */
  rd.calls = 0;
  assert_status(verify_blob(f, &c, "skipped", NULL, f->opts, &rd), NV_E_SKIPPED);
  assert_int_equal(rd.calls, 0);
  assert_string_equal(nv_result_policy_name(f->result), "skipped");
  assert_int_equal(nv_result_signature_count(f->result), 0);
  blob_case_close(&c);
}

static void test_blob_policy_selection(void **state)
{
  fx *f = *state;
  blob_case c;
  blob_case_open(f, &c, "strict", BLOB_IDENTITY, "blob.jws.sig");
  assert_status(verify_blob(f, &c, "unknown", NULL, f->opts, NULL), NV_E_NO_APPLICABLE_POLICY);
  assert_contains(nv_result_message(f->result), "no applicable blob trust policy with name");
  assert_contains(nv_result_message(f->result), "unknown");
  assert_string_equal(nv_result_reference(f->result), "unknown");
  assert_string_equal(nv_result_policy_name(f->result), "");
  assert_int_equal(nv_result_signature_count(f->result), 0);
  assert_status(verify_blob(f, &c, " ", NULL, f->opts, NULL), NV_E_NO_APPLICABLE_POLICY);
  assert_contains(nv_result_message(f->result), "policy name cannot be empty");
  /* NULL: the global statement */
  assert_status(verify_blob(f, &c, NULL, NULL, f->opts, NULL), NV_OK);
  assert_string_equal(nv_result_policy_name(f->result), "blob-witness");
  blob_case_close(&c);

  /* a blob policy without a global statement */
  static const char no_global[] =
      "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"only\","
      "\"signatureVerification\":{\"level\":\"strict\"},"
      "\"trustStores\":[\"ca:blob-witness\"],\"trustedIdentities\":[\"*\"]}]}";
  blob_case_open(f, &c, "strict", BLOB_IDENTITY, "blob.jws.sig");
  nv_trust_policy_free(c.policy);
  c.policy = NULL;
  assert_status(nv_trust_policy_parse(f->ctx, NV_POLICY_BLOB, (const uint8_t *)no_global,
                                      strlen(no_global), &c.policy),
                NV_OK);
  assert_status(verify_blob(f, &c, NULL, NULL, f->opts, NULL), NV_E_NO_APPLICABLE_POLICY);
  assert_contains(nv_result_message(f->result), "no global blob trust policy");
  assert_status(verify_blob(f, &c, "only", NULL, f->opts, NULL), NV_OK);
  blob_case_close(&c);

  /* an OCI policy is refused; so are missing arguments */
  nv_result *r = (nv_result *)1;
  bytes sig = slurp_in(BLOB_DATA, "blob.jws.sig");
  reader rd = {NULL, 0, 0, 1, 0, NV_OK};
  assert_status(nv_verify_blob(f->ctx, f->policy, f->store, NULL, MT_JWS, sig.data, sig.len,
                               read_cb, &rd, NULL, f->opts, &r),
                NV_E_INVALID_ARG);
  assert_null(r);
  assert_contains(nv_ctx_last_error(f->ctx), "needs a blob trust policy");
  blob_case_open(f, &c, "strict", BLOB_IDENTITY, "blob.jws.sig");
  r = (nv_result *)1;
  assert_status(nv_verify_blob(f->ctx, c.policy, f->store, NULL, MT_JWS, sig.data, sig.len, NULL,
                               &rd, NULL, f->opts, &r),
                NV_E_INVALID_ARG);
  assert_null(r);
  assert_int_equal(rd.calls, 0);
  blob_case_close(&c);
  bytes_free(&sig);
}

static void test_blob_user_metadata(void **state)
{
  fx *f = *state;
  blob_case c;
  blob_case_open(f, &c, "strict", BLOB_IDENTITY, "blob.jws.sig");
  assert_status(nv_verify_opts_add_user_metadata(f->opts, "buildId", "42"), NV_OK);
  assert_status(verify_blob(f, &c, NULL, NULL, f->opts, NULL), NV_OK);
  nv_verify_opts *o = NULL;
  assert_status(nv_verify_opts_new(&o), NV_OK);
  assert_status(nv_verify_opts_set_time(o, T_NOW), NV_OK);
  assert_status(nv_verify_opts_add_user_metadata(o, "buildId", "43"), NV_OK);
  nv_status rc = verify_blob(f, &c, NULL, NULL, o, NULL);
  nv_verify_opts_free(o);
  assert_status(rc, NV_E_VERIFICATION_FAILED);
  assert_status(nv_signature_status(nv_result_signature(f->result, 0)),
                NV_E_USER_METADATA_MISMATCH);
  assert_contains(nv_result_message(f->result), "unable to find specified metadata");
  blob_case_close(&c);
}

/* The envelope's expiry: enforced at strict, logged at permissive. */
static void test_blob_expiry(void **state)
{
  fx *f = *state;
  blob_case c;
  blob_case_open(f, &c, "strict", BLOB_IDENTITY, "blob-expiring.jws.sig");
  assert_status(verify_blob(f, &c, NULL, NULL, f->opts, NULL), NV_OK);
  int64_t t = 0;
  assert_status(nv_signature_expiry(nv_result_signature(f->result, 0), &t), NV_OK);
  assert_int_equal(t, BLOB_EXPIRY);
  nv_json *j = result_json(f->result);
  expect_jstr(j, "signatures.0.expiry", "2030-01-01T00:00:00Z");
  nv_json_free(j);

  assert_status(nv_verify_opts_set_time(f->opts, T_AFTER_EXPIRY), NV_OK);
  assert_status(verify_blob(f, &c, NULL, NULL, f->opts, NULL), NV_E_VERIFICATION_FAILED);
  const nv_signature *s = nv_result_signature(f->result, 0);
  assert_status(nv_signature_status(s), NV_E_SIGNATURE_EXPIRED);
  assert_contains(nv_signature_message(s), "digital signature has expired");
  expect_sig_check(s, NV_CHECK_EXPIRY, NV_ACTION_ENFORCE, NV_OUTCOME_FAILED, NV_E_SIGNATURE_EXPIRED);
  expect_sig_check(s, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_ENFORCE, NV_OUTCOME_NOT_RUN, NV_OK);
  blob_case_close(&c);

  blob_case_open(f, &c, "permissive", BLOB_IDENTITY, "blob-expiring.jws.sig");
  assert_status(verify_blob(f, &c, NULL, NULL, f->opts, NULL), NV_OK);
  s = nv_result_signature(f->result, 0);
  expect_sig_check(s, NV_CHECK_EXPIRY, NV_ACTION_LOG, NV_OUTCOME_FAILED, NV_E_SIGNATURE_EXPIRED);
  expect_sig_check(s, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_LOG, NV_OUTCOME_PASSED, NV_OK);
  expect_warning(f->result, "expiry failed, only logged");
  blob_case_close(&c);
}

/* ------------------------------------------------------------------ */
/* messages                                                             */

/* The payload mismatch names both descriptors in full: the digests are
 * equal when the size or the media type is what differs. */
static void test_target_mismatch_message(void **state)
{
  fx *f = *state;
  assert_status(verify_envelope(f, f->policy, SCOPE, MT_MANIFEST, ART_DIGEST, ART_SIZE + 1,
                                &demo_jws),
                NV_E_VERIFICATION_FAILED);
  const char *msg = nv_signature_message(nv_result_signature(f->result, 0));
  assert_contains(msg, "246");
  assert_contains(msg, "247");
}

/* With an OCI layout, the statement is selected for the scope: the
 * message names the scope, not an artifact "<scope>@sha256:" that was
 * never given (verify_layout's internal selector). */
static void test_layout_no_policy_message(void **state)
{
  fx *f = *state;
  assert_status(nv_verify_opts_set_oci_layout(f->opts, "other.example/repo"), NV_OK);
  assert_status(verify_at(f, f->policy, demo_jws.dir, ":v1", f->opts), NV_E_NO_APPLICABLE_POLICY);
  if (strstr(nv_result_message(f->result), "repo@sha256:\"") != NULL)
    fail_msg("message quotes a reference nobody gave: %s", nv_result_message(f->result));
  assert_contains(nv_result_message(f->result), "scope \"other.example/repo\"");
}

/* A JWS with an RFC 3161 token (notation-go's test data, stamped by a
 * public TSA) under a statement with a tsa store and verifyTimestamp
 * always: the timestamp is verified and reported (revocation is skipped:
 * the TSA chain names OCSP/CRL URLs that no test may fetch). */
static void test_envelope_timestamp_reported(void **state)
{
  fx *f = *state;
  static const char policy_json[] =
      "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"ts\",\"registryScopes\":[\"*\"],"
      "\"signatureVerification\":{\"level\":\"strict\",\"override\":{\"revocation\":\"skip\"},"
      "\"verifyTimestamp\":\"always\"},\"trustStores\":[\"ca:valid-trust-store\","
      "\"tsa:test-timestamp\"],\"trustedIdentities\":[\"*\"]}]}";
  nv_trust_policy *p = NULL;
  nv_truststore *st = NULL;
  assert_status(nv_trust_policy_parse(f->ctx, NV_POLICY_OCI, (const uint8_t *)policy_json,
                                      strlen(policy_json), &p),
                NV_OK);
  assert_status(nv_truststore_new(f->ctx, &st), NV_OK);
  assert_status(nv_truststore_load_for_policy(
                    f->ctx, st, NV_VECTORS "/notation-go/verifier/testdata/truststore", p),
                NV_OK);
  bytes env = slurp_path(NV_VECTORS
                         "/notation-go/verifier/testdata/timestamp/sigEnv/jwsWithTimestamp.sig");
  nv_result *r = NULL;
  assert_status(nv_verify_opts_set_time(f->opts, INT64_C(1735689600)), NV_OK); /* 2025-01-01 */
  assert_status(nv_verify_envelope(f->ctx, p, st, "registry.example/app",
                                   "application/vnd.docker.distribution.manifest.v2+json",
                                   "sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda",
                                   528, "application/jose+json", env.data, env.len, f->opts, &r),
                NV_OK);
  const nv_signature *sig = nv_result_signature(r, 0);
  int64_t t = 0, acc = -1;
  assert_status(nv_signature_timestamp(sig, &t, &acc), NV_OK);
  assert_true(t > INT64_C(1577836800) && t < INT64_C(1735689600)); /* 2020 .. 2025 */
  assert_true(acc >= 0);
  assert_status(nv_signature_timestamp(sig, NULL, NULL), NV_OK);
  assert_int_equal(nv_signature_check_outcome(sig, NV_CHECK_AUTHENTIC_TIMESTAMP),
                   NV_OUTCOME_PASSED);
  char *json = NULL;
  assert_status(nv_result_to_json(r, &json, NULL), NV_OK);
  assert_non_null(strstr(json, "\"timestamp\":\"20"));
  assert_null(strstr(json, "\"timestamp_accuracy_us\":null"));
  nv_free(json);
  nv_result_free(r);
  /* without a tsa store in the statement no timestamp is verified */
  assert_status(nv_verify_envelope(f->ctx, f->policy, f->store, SCOPE, MT_MANIFEST, ART_DIGEST,
                                   ART_SIZE, "application/jose+json", env.data, env.len, f->opts,
                                   &r),
                NV_E_VERIFICATION_FAILED);
  assert_status(nv_signature_timestamp(nv_result_signature(r, 0), &t, &acc), NV_E_NOT_FOUND);
  assert_status(nv_signature_timestamp(NULL, &t, &acc), NV_E_INVALID_ARG);
  nv_result_free(r);
  bytes_free(&env);
  nv_truststore_free(st);
  nv_trust_policy_free(p);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_demo_jws_by_tag, setup, teardown),
    cmocka_unit_test_setup_teardown(test_demo_jws_by_digest, setup, teardown),
    cmocka_unit_test_setup_teardown(test_demo_cose_by_tag, setup, teardown),
    cmocka_unit_test_setup_teardown(test_demo_cose_by_digest, setup, teardown),
    cmocka_unit_test_setup_teardown(test_demo_copy, setup, teardown),
    cmocka_unit_test_setup_teardown(test_identity_strict, setup, teardown),
    cmocka_unit_test_setup_teardown(test_identity_permissive, setup, teardown),
    cmocka_unit_test_setup_teardown(test_identity_audit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_level_skip, setup, teardown),
    cmocka_unit_test_setup_teardown(test_override_authenticity_log, setup, teardown),
    cmocka_unit_test_setup_teardown(test_expired_strict, setup, teardown),
    cmocka_unit_test_setup_teardown(test_not_yet_valid_strict, setup, teardown),
    cmocka_unit_test_setup_teardown(test_expired_permissive, setup, teardown),
    cmocka_unit_test_setup_teardown(test_expired_audit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_override_timestamp_enforce, setup, teardown),
    cmocka_unit_test_setup_teardown(test_opts_arguments, setup, teardown),
    cmocka_unit_test_setup_teardown(test_opts_bad_scope_keeps_previous, setup, teardown),
    cmocka_unit_test_setup_teardown(test_user_metadata_absent, setup, teardown),
    cmocka_unit_test_setup_teardown(test_verify_arguments, setup, teardown),
    cmocka_unit_test_setup_teardown(test_result_outlives_inputs, setup, teardown),
    cmocka_unit_test_setup_teardown(test_registry_reference, setup, teardown),
    cmocka_unit_test_setup_teardown(test_no_applicable_policy, setup, teardown),
    cmocka_unit_test_setup_teardown(test_layout_references, setup, teardown),
    cmocka_unit_test_setup_teardown(test_tamper_envelope_byte, setup, teardown),
    cmocka_unit_test_setup_teardown(test_tamper_envelope_resigned, setup, teardown),
    cmocka_unit_test_setup_teardown(test_envelope_missing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_layer_too_large, setup, teardown),
    cmocka_unit_test_setup_teardown(test_two_layers, setup, teardown),
    cmocka_unit_test_setup_teardown(test_sig_manifest_media_type, setup, teardown),
    cmocka_unit_test_setup_teardown(test_sig_manifest_artifact_type, setup, teardown),
    cmocka_unit_test_setup_teardown(test_sig_manifest_too_large, setup, teardown),
    cmocka_unit_test_setup_teardown(test_artifact_changed, setup, teardown),
    cmocka_unit_test_setup_teardown(test_referrers_self, setup, teardown),
    cmocka_unit_test_setup_teardown(test_no_signatures, setup, teardown),
    cmocka_unit_test_setup_teardown(test_max_signatures, setup, teardown),
    cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
    cmocka_unit_test_setup_teardown(test_oci_layout_file, setup, teardown),
    cmocka_unit_test_setup_teardown(test_envelope_api, setup, teardown),
    cmocka_unit_test_setup_teardown(test_envelope_target_mismatch, setup, teardown),
    cmocka_unit_test_setup_teardown(test_envelope_references, setup, teardown),
    cmocka_unit_test_setup_teardown(test_envelope_revocation_fails_closed, setup, teardown),
    cmocka_unit_test_setup_teardown(test_blob_ok, setup, teardown),
    cmocka_unit_test_setup_teardown(test_blob_modified, setup, teardown),
    cmocka_unit_test_setup_teardown(test_blob_media_type, setup, teardown),
    cmocka_unit_test_setup_teardown(test_blob_read_fails, setup, teardown),
    cmocka_unit_test_setup_teardown(test_blob_not_read_on_failure, setup, teardown),
    cmocka_unit_test_setup_teardown(test_blob_policy_selection, setup, teardown),
    cmocka_unit_test_setup_teardown(test_blob_user_metadata, setup, teardown),
    cmocka_unit_test_setup_teardown(test_blob_expiry, setup, teardown),
    cmocka_unit_test_setup_teardown(test_target_mismatch_message, setup, teardown),
    cmocka_unit_test_setup_teardown(test_layout_no_policy_message, setup, teardown),
    cmocka_unit_test_setup_teardown(test_envelope_timestamp_reported, setup, teardown),
  };
  return cmocka_run_group_tests_name("verify_api", tests, NULL, NULL);
}
