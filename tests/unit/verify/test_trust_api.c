/*
 * The public trust API as a program sees it (notaryc.h and the shared
 * library only): trust policy documents (nv_trust_policy_parse / _load,
 * the statement accessors, nv_trust_policy_select for OCI and blob
 * documents), the NV_E_POLICY_* code and message of every rule violation
 * tried here, trust stores (nv_truststore_add_certs / _load_named /
 * _load_for_policy / _cert_count) on the benchmark fixtures and on
 * notation-go's reference trust stores, Flux verification-secret
 * directories (nv_trust_load_flux_secret, default and NV_FLUX_COMPAT), and
 * the NULL-safety of every function.
 *
 * Files that must be created (symlinks, directories, Flux secrets) are made
 * in a mkdtemp() directory and removed again by the test that made them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <notaryc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BENCH_POLICY NV_BENCH_FIXTURES "/trustpolicy.json"
#define BENCH_STORE NV_BENCH_FIXTURES "/truststore"
#define BENCH_ROOT NV_BENCH_FIXTURES "/rsa3072/root.crt"
#define BENCH_LEAF NV_BENCH_FIXTURES "/rsa3072/leaf.crt"
#define BENCH_CHAIN NV_BENCH_FIXTURES "/rsa3072/chain.crt"
#define BENCH_ROOT_KEY NV_BENCH_FIXTURES "/rsa3072/root.key"
#define BENCH_EC_ROOT NV_BENCH_FIXTURES "/ecp256/root.crt"
#define REF_STORE NV_VECTORS "/notation-go/verifier/testdata/truststore"
#define INTERMEDIATE NV_VECTORS "/inline/notation-core-go/x509/intermediateCertPem1.pem"

#define DIGEST "sha256:f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268"
#define RSA_REPO "localhost:5000/notary-bench/net-monitor-rsa3072"
#define EC_REPO "localhost:5000/notary-bench/net-monitor-ecp256"

/* 1 MiB, the documented policy size limit (NV_LIMIT_POLICY_BYTES) */
#define POLICY_LIMIT ((size_t)1024 * 1024)

/* ------------------------------------------------------------------ */
/* JSON building blocks                                                */

#define Q(s) "\"" s "\""
#define DOC(stmts) "{\"version\":\"1.0\",\"trustPolicies\":[" stmts "]}"
#define SV(level) "\"signatureVerification\":{\"level\":\"" level "\"}"
#define SV_OV(level, ov) "\"signatureVerification\":{\"level\":\"" level "\",\"override\":{" ov "}}"
#define ID_BENCH "x509.subject: C=US, ST=WA, L=Seattle, O=Notary Bench"
/* An OCI statement; `scopes`, `stores` and `ids` are lists of quoted strings. */
#define OCI(name, scopes, sv, stores, ids)                                                     \
  "{\"name\":\"" name "\",\"registryScopes\":[" scopes "]," sv ",\"trustStores\":[" stores     \
  "],\"trustedIdentities\":[" ids "]}"
#define OCI_OK(name, scope, level) OCI(name, Q(scope), SV(level), Q("ca:s"), Q("*"))
#define BLOB(name, sv, stores, ids, extra)                                                     \
  "{\"name\":\"" name "\"," sv ",\"trustStores\":[" stores "],\"trustedIdentities\":[" ids     \
  "]" extra "}"

static int setup(void **state)
{
  nv_ctx *ctx = NULL;
  if (nv_global_init(NV_INIT_DEFAULT) != NV_OK || nv_ctx_new(&ctx) != NV_OK)
    return -1;
  *state = ctx;
  return 0;
}

static int teardown(void **state)
{
  nv_ctx_free(*state);
  nv_global_cleanup();
  return 0;
}

/* ------------------------------------------------------------------ */

/* The text in a heap buffer of exactly its length (no NUL). */
static bytes text_copy(const char *s)
{
  size_t n = strlen(s);
  bytes b = {malloc(n ? n : 1), n};
  assert_non_null(b.data);
  memcpy(b.data, s, n);
  return b;
}

/* The call failed with `want`; the context reports it with a message. */
static void expect_fail(nv_ctx *ctx, nv_status rc, nv_status want, const char *what)
{
  if (rc != want)
    fail_msg("%s: got %d (%s), want %d (%s): %s", what, rc,
             nv_status_name(rc) ? nv_status_name(rc) : "?", want,
             nv_status_name(want) ? nv_status_name(want) : "?", nv_ctx_last_error(ctx));
  assert_int_equal(nv_ctx_last_status(ctx), want);
  assert_true(strlen(nv_ctx_last_error(ctx)) > 0);
}

/* The last message contains `needle` (NULL: no check). */
static void expect_msg(nv_ctx *ctx, const char *needle, const char *what)
{
  if (needle != NULL && strstr(nv_ctx_last_error(ctx), needle) == NULL)
    fail_msg("%s: message \"%s\" does not contain \"%s\"", what, nv_ctx_last_error(ctx),
             needle);
}

static void expect_ok(nv_ctx *ctx, nv_status rc, const char *what)
{
  if (rc != NV_OK)
    fail_msg("%s: got %d (%s): %s", what, rc, nv_status_name(rc) ? nv_status_name(rc) : "?",
             nv_ctx_last_error(ctx));
  assert_int_equal(nv_ctx_last_status(ctx), NV_OK);
  assert_string_equal(nv_ctx_last_error(ctx), "");
}

/* Parse `json` (copied into an exact-size buffer) and require success. */
static nv_trust_policy *parse_ok(nv_ctx *ctx, nv_policy_kind kind, const char *json)
{
  bytes b = text_copy(json);
  nv_trust_policy *p = NULL;
  nv_status rc = nv_trust_policy_parse(ctx, kind, b.data, b.len, &p);
  expect_ok(ctx, rc, json);
  assert_non_null(p);
  /* the policy keeps nothing of the caller's bytes */
  memset(b.data, 'x', b.len);
  bytes_free(&b);
  return p;
}

static size_t select_ok(nv_ctx *ctx, const nv_trust_policy *p, const char *target)
{
  size_t index = (size_t)-1;
  nv_status rc = nv_trust_policy_select(ctx, p, target, &index);
  expect_ok(ctx, rc, target != NULL ? target : "(NULL target)");
  assert_true(index < nv_trust_policy_statement_count(p));
  return index;
}

static void expect_actions(const nv_trust_policy *p, size_t i, nv_action integrity,
                           nv_action authenticity, nv_action timestamp, nv_action expiry,
                           nv_action revocation)
{
  assert_int_equal(nv_trust_policy_statement_action(p, i, NV_CHECK_INTEGRITY), integrity);
  assert_int_equal(nv_trust_policy_statement_action(p, i, NV_CHECK_AUTHENTICITY), authenticity);
  assert_int_equal(nv_trust_policy_statement_action(p, i, NV_CHECK_AUTHENTIC_TIMESTAMP),
                   timestamp);
  assert_int_equal(nv_trust_policy_statement_action(p, i, NV_CHECK_EXPIRY), expiry);
  assert_int_equal(nv_trust_policy_statement_action(p, i, NV_CHECK_REVOCATION), revocation);
}

/* A mkdtemp() directory; every path made in it is recorded and removed
 * in reverse order by tmp_cleanup(). */
#define TMP_MAX_PATHS 32
typedef struct tmpdir {
  char root[512];
  char paths[TMP_MAX_PATHS][700];
  int is_dir[TMP_MAX_PATHS];
  size_t count;
} tmpdir;

static void tmp_init(tmpdir *t)
{
  tmp_dir_new(t->root, sizeof(t->root), "nv-trust-api");
  t->count = 0;
}

static const char *tmp_record(tmpdir *t, const char *name, int is_dir)
{
  assert_true(t->count < TMP_MAX_PATHS);
  char *p = t->paths[t->count];
  char buf[sizeof(t->paths[0])];
  int n = snprintf(buf, sizeof(buf), "%s/%s", t->root, name);
  assert_true(n > 0 && (size_t)n < sizeof(buf));
  memcpy(p, buf, (size_t)n + 1);
  t->is_dir[t->count++] = is_dir;
  return p;
}

static const char *tmp_write(tmpdir *t, const char *name, const void *data, size_t len)
{
  const char *p = tmp_record(t, name, 0);
  write_path(p, data, len);
  return p;
}

static const char *tmp_write_text(tmpdir *t, const char *name, const char *text)
{
  return tmp_write(t, name, text, strlen(text));
}

static const char *tmp_copy(tmpdir *t, const char *name, const char *src)
{
  bytes b = slurp_path(src);
  const char *p = tmp_write(t, name, b.data, b.len);
  bytes_free(&b);
  return p;
}

static const char *tmp_mkdir(tmpdir *t, const char *name)
{
  const char *p = tmp_record(t, name, 1);
  if (mkdir(p, 0700) != 0)
    fail_msg("cannot create directory %s", p);
  return p;
}

static const char *tmp_symlink(tmpdir *t, const char *name, const char *target)
{
  const char *p = tmp_record(t, name, 0);
  if (symlink(target, p) != 0)
    fail_msg("cannot create symlink %s", p);
  return p;
}

/* Remove the last recorded path (for a test that changes the directory). */
static void tmp_remove_last(tmpdir *t)
{
  assert_true(t->count > 0);
  t->count--;
  int rc = t->is_dir[t->count] ? rmdir(t->paths[t->count]) : unlink(t->paths[t->count]);
  assert_int_equal(rc, 0);
}

static void tmp_cleanup(tmpdir *t)
{
  while (t->count > 0)
    tmp_remove_last(t);
  assert_int_equal(rmdir(t->root), 0);
}

/* ------------------------------------------------------------------ */
/* the benchmark trust policy                                          */

static void bench_policy(void **state)
{
  nv_ctx *ctx = *state;
  bytes b = slurp_path(BENCH_POLICY);
  nv_trust_policy *p = NULL;
  expect_ok(ctx, nv_trust_policy_parse(ctx, NV_POLICY_OCI, b.data, b.len, &p), "bench policy");
  assert_non_null(p);
  bytes_free(&b);

  assert_int_equal(nv_trust_policy_statement_count(p), 2);
  assert_string_equal(nv_trust_policy_statement_name(p, 0), "bench-rsa3072");
  assert_string_equal(nv_trust_policy_statement_name(p, 1), "bench-ecp256");
  for (size_t i = 0; i < 2; i++) {
    assert_string_equal(nv_trust_policy_statement_level(p, i), "strict");
    /* strict, then "revocation": "skip" */
    expect_actions(p, i, NV_ACTION_ENFORCE, NV_ACTION_ENFORCE, NV_ACTION_ENFORCE,
                   NV_ACTION_ENFORCE, NV_ACTION_SKIP);
    /* checks outside 1..5 */
    assert_int_equal(nv_trust_policy_statement_action(p, i, 0), 0);
    assert_int_equal(nv_trust_policy_statement_action(p, i, 6), 0);
    assert_int_equal(nv_trust_policy_statement_action(p, i, -1), 0);
  }
  /* indexes past the end */
  assert_null(nv_trust_policy_statement_name(p, 2));
  assert_null(nv_trust_policy_statement_level(p, 2));
  assert_int_equal(nv_trust_policy_statement_action(p, 2, NV_CHECK_INTEGRITY), 0);
  assert_null(nv_trust_policy_statement_name(p, (size_t)-1));

  assert_int_equal(select_ok(ctx, p, RSA_REPO "@" DIGEST), 0);
  assert_int_equal(select_ok(ctx, p, EC_REPO "@" DIGEST), 1);

  /* a repository no statement names: nothing applies (no "*" statement) */
  size_t index = 77;
  nv_status rc =
    nv_trust_policy_select(ctx, p, "localhost:5000/notary-bench/other@" DIGEST, &index);
  expect_fail(ctx, rc, NV_E_NO_APPLICABLE_POLICY, "unknown repository");
  expect_msg(ctx, "localhost:5000/notary-bench/other@" DIGEST, "unknown repository");
  expect_msg(ctx, "no applicable", "unknown repository");
  /* a scope is a whole repository, not a prefix */
  rc = nv_trust_policy_select(ctx, p, RSA_REPO "/sub@" DIGEST, &index);
  expect_fail(ctx, rc, NV_E_NO_APPLICABLE_POLICY, "sub-repository");
  rc = nv_trust_policy_select(ctx, p, "localhost:5000/notary-bench@" DIGEST, &index);
  expect_fail(ctx, rc, NV_E_NO_APPLICABLE_POLICY, "parent repository");

  /* references that cannot be parsed: no '@', or an invalid repository */
  rc = nv_trust_policy_select(ctx, p, RSA_REPO ":v1", &index);
  expect_fail(ctx, rc, NV_E_NO_APPLICABLE_POLICY, "reference without '@'");
  expect_msg(ctx, "could not be parsed", "reference without '@'");
  rc = nv_trust_policy_select(ctx, p, "", &index);
  expect_fail(ctx, rc, NV_E_NO_APPLICABLE_POLICY, "empty reference");
  rc = nv_trust_policy_select(ctx, p, "localhost:5000/Notary-Bench/net-monitor-rsa3072@" DIGEST,
                              &index);
  expect_fail(ctx, rc, NV_E_NO_APPLICABLE_POLICY, "upper-case repository");
  rc = nv_trust_policy_select(ctx, p, "https://" RSA_REPO "@" DIGEST, &index);
  expect_fail(ctx, rc, NV_E_NO_APPLICABLE_POLICY, "reference with a scheme");

  /* a success after failures clears the context's error */
  assert_int_equal(select_ok(ctx, p, EC_REPO "@" DIGEST), 1);
  nv_trust_policy_free(p);
}

/* The benchmark policy and a copy of it through nv_trust_policy_load. */
static void bench_policy_load(void **state)
{
  nv_ctx *ctx = *state;
  nv_trust_policy *p = NULL;
  expect_ok(ctx, nv_trust_policy_load(ctx, NV_POLICY_OCI, BENCH_POLICY, &p), "load bench");
  assert_non_null(p);
  assert_int_equal(nv_trust_policy_statement_count(p), 2);
  assert_string_equal(nv_trust_policy_statement_name(p, 1), "bench-ecp256");
  assert_int_equal(select_ok(ctx, p, RSA_REPO "@" DIGEST), 0);
  nv_trust_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* selection and levels on small documents                             */

static void wildcard_and_exact_scope(void **state)
{
  nv_ctx *ctx = *state;
  /* "*" first: an exact scope still wins, wherever it is */
  nv_trust_policy *p = parse_ok(ctx, NV_POLICY_OCI,
                                DOC(OCI_OK("global", "*", "audit") ","
                                    OCI_OK("app", "registry.io/acme/app", "strict") ","
                                    OCI("multi", Q("registry.io/acme/a") "," Q("registry.io/acme/b"),
                                        SV("permissive"), Q("ca:s"), Q("*"))));
  assert_int_equal(nv_trust_policy_statement_count(p), 3);
  assert_int_equal(select_ok(ctx, p, "registry.io/acme/app@" DIGEST), 1);
  assert_int_equal(select_ok(ctx, p, "registry.io/acme/a@" DIGEST), 2);
  assert_int_equal(select_ok(ctx, p, "registry.io/acme/b@" DIGEST), 2);
  assert_int_equal(select_ok(ctx, p, "registry.io/acme/app2@" DIGEST), 0);
  assert_int_equal(select_ok(ctx, p, "registry.io/acme/app/sub@" DIGEST), 0);
  assert_int_equal(select_ok(ctx, p, "other.io:5000/x@" DIGEST), 0);
  /* "*" covers valid references only */
  size_t index = 0;
  expect_fail(ctx, nv_trust_policy_select(ctx, p, "registry.io/acme/app", &index),
              NV_E_NO_APPLICABLE_POLICY, "no '@' with a '*' statement");
  expect_fail(ctx, nv_trust_policy_select(ctx, p, "noslash@" DIGEST, &index),
              NV_E_NO_APPLICABLE_POLICY, "repository without a registry");
  nv_trust_policy_free(p);

  /* the exact statement first, "*" last */
  p = parse_ok(ctx, NV_POLICY_OCI,
               DOC(OCI_OK("app", "registry.io/acme/app", "strict") ","
                   OCI_OK("global", "*", "permissive")));
  assert_int_equal(select_ok(ctx, p, "registry.io/acme/app@" DIGEST), 0);
  assert_int_equal(select_ok(ctx, p, "registry.io/acme/other@" DIGEST), 1);
  nv_trust_policy_free(p);
}

static void levels_and_overrides(void **state)
{
  nv_ctx *ctx = *state;
  nv_trust_policy *p = parse_ok(
    ctx, NV_POLICY_OCI,
    DOC(OCI_OK("permissive", "r.io/permissive", "permissive") ","
        OCI_OK("audit", "r.io/audit", "audit") ","
        "{\"name\":\"skip\",\"registryScopes\":[\"r.io/skip\"]," SV("skip") "},"
        OCI("strict-custom", Q("r.io/strict"),
            SV_OV("strict", Q("expiry") ":" Q("log") "," Q("authenticTimestamp") ":" Q("log")),
            Q("ca:s"), Q("*")) ","
        OCI("audit-custom", Q("r.io/audit2"),
            SV_OV("audit", Q("authenticity") ":" Q("enforce") "," Q("revocation") ":" Q("skip")),
            Q("ca:s"), Q("*")) ","
        "{\"name\":\"ts\",\"registryScopes\":[\"r.io/ts\"],\"signatureVerification\":"
        "{\"level\":\"strict\",\"verifyTimestamp\":\"afterCertExpiry\"},"
        "\"trustStores\":[\"ca:s\",\"tsa:t\",\"signingAuthority:u\"],"
        "\"trustedIdentities\":[\"" ID_BENCH "\",\"x509.subject: C=US, ST=WA, O=Other\","
        "\"x509.subject:C=US,S=WA,O=notary bench\",\"x509.subject:C=US,ST=WA,O=Esc\\\\,aped\","
        "\"x509.custom:anything\"]}"));
  assert_int_equal(nv_trust_policy_statement_count(p), 6);

  assert_string_equal(nv_trust_policy_statement_name(p, 0), "permissive");
  assert_string_equal(nv_trust_policy_statement_level(p, 0), "permissive");
  expect_actions(p, 0, NV_ACTION_ENFORCE, NV_ACTION_ENFORCE, NV_ACTION_LOG, NV_ACTION_LOG,
                 NV_ACTION_LOG);

  assert_string_equal(nv_trust_policy_statement_level(p, 1), "audit");
  expect_actions(p, 1, NV_ACTION_ENFORCE, NV_ACTION_LOG, NV_ACTION_LOG, NV_ACTION_LOG,
                 NV_ACTION_LOG);

  assert_string_equal(nv_trust_policy_statement_name(p, 2), "skip");
  assert_string_equal(nv_trust_policy_statement_level(p, 2), "skip");
  expect_actions(p, 2, NV_ACTION_SKIP, NV_ACTION_SKIP, NV_ACTION_SKIP, NV_ACTION_SKIP,
                 NV_ACTION_SKIP);
  /* a skip statement is selected like any other */
  assert_int_equal(select_ok(ctx, p, "r.io/skip@" DIGEST), 2);

  /* the level stays as written, the actions follow the override */
  assert_string_equal(nv_trust_policy_statement_level(p, 3), "strict");
  expect_actions(p, 3, NV_ACTION_ENFORCE, NV_ACTION_ENFORCE, NV_ACTION_LOG, NV_ACTION_LOG,
                 NV_ACTION_ENFORCE);
  assert_string_equal(nv_trust_policy_statement_level(p, 4), "audit");
  expect_actions(p, 4, NV_ACTION_ENFORCE, NV_ACTION_ENFORCE, NV_ACTION_LOG, NV_ACTION_LOG,
                 NV_ACTION_SKIP);
  assert_string_equal(nv_trust_policy_statement_level(p, 5), "strict");
  expect_actions(p, 5, NV_ACTION_ENFORCE, NV_ACTION_ENFORCE, NV_ACTION_ENFORCE,
                 NV_ACTION_ENFORCE, NV_ACTION_ENFORCE);
  assert_int_equal(select_ok(ctx, p, "r.io/ts@" DIGEST), 5);
  assert_int_equal(select_ok(ctx, p, "r.io/audit2@" DIGEST), 4);
  nv_trust_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* invalid documents                                                   */

typedef struct bad_case {
  const char *what;
  nv_policy_kind kind;
  const char *json;
  nv_status want;
  const char *msg1; /* the message names these (NULL: no check) */
  const char *msg2;
} bad_case;

#define GOOD_STMT OCI_OK("s1", "r.io/a", "strict")

static const bad_case bad_cases[] = {
  {"not JSON", NV_POLICY_OCI, "this is not json", NV_E_POLICY_MALFORMED, "malformed", NULL},
  {"truncated JSON", NV_POLICY_OCI, "{\"version\":\"1.0\",\"trustPolicies\":[", NV_E_POLICY_MALFORMED,
   "malformed", NULL},
  {"JSON array", NV_POLICY_OCI, "[]", NV_E_POLICY_MALFORMED, "object", NULL},
  {"wrong version", NV_POLICY_OCI,
   "{\"version\":\"2.0\",\"trustPolicies\":[" GOOD_STMT "]}", NV_E_POLICY_VERSION_UNSUPPORTED,
   "\"2.0\"", NULL},
  {"missing version", NV_POLICY_OCI, "{\"trustPolicies\":[" GOOD_STMT "]}",
   NV_E_POLICY_VERSION_MISSING, "version", NULL},
  {"version a number", NV_POLICY_OCI, "{\"version\":1.0,\"trustPolicies\":[" GOOD_STMT "]}",
   NV_E_POLICY_MALFORMED, "version", NULL},
  {"no statements", NV_POLICY_OCI, DOC(""), NV_E_POLICY_EMPTY, "zero", NULL},
  {"duplicate member", NV_POLICY_OCI,
   "{\"version\":\"1.0\",\"version\":\"1.0\",\"trustPolicies\":[" GOOD_STMT "]}",
   NV_E_POLICY_MALFORMED, "version", NULL},
  {"duplicate member in a statement", NV_POLICY_OCI,
   DOC("{\"name\":\"s1\",\"name\":\"s2\",\"registryScopes\":[\"r.io/a\"]," SV("strict")
       ",\"trustStores\":[\"ca:s\"],\"trustedIdentities\":[\"*\"]}"),
   NV_E_POLICY_MALFORMED, "name", NULL},
  {"unknown top-level member", NV_POLICY_OCI,
   "{\"version\":\"1.0\",\"comment\":\"x\",\"trustPolicies\":[" GOOD_STMT "]}",
   NV_E_POLICY_UNKNOWN_MEMBER, "\"comment\"", NULL},
  {"unknown statement member", NV_POLICY_OCI,
   DOC("{\"name\":\"s1\",\"registryScopes\":[\"r.io/a\"]," SV("strict")
       ",\"trustStores\":[\"ca:s\"],\"trustedIdentites\":[\"*\"]}"),
   NV_E_POLICY_UNKNOWN_MEMBER, "\"trustedIdentites\"", "\"s1\""},
  {"Level instead of level", NV_POLICY_OCI,
   DOC("{\"name\":\"s1\",\"registryScopes\":[\"r.io/a\"],\"signatureVerification\":"
       "{\"Level\":\"strict\"},\"trustStores\":[\"ca:s\"],\"trustedIdentities\":[\"*\"]}"),
   NV_E_POLICY_UNKNOWN_MEMBER, "\"Level\"", "case-sensitive"},
  {"globalPolicy in an OCI document", NV_POLICY_OCI,
   DOC("{\"name\":\"s1\",\"registryScopes\":[\"r.io/a\"]," SV("strict")
       ",\"trustStores\":[\"ca:s\"],\"trustedIdentities\":[\"*\"],\"globalPolicy\":true}"),
   NV_E_POLICY_UNKNOWN_MEMBER, "globalPolicy", NULL},
  {"registryScopes in a blob document", NV_POLICY_BLOB,
   DOC("{\"name\":\"b1\",\"registryScopes\":[\"r.io/a\"]," SV("strict")
       ",\"trustStores\":[\"ca:s\"],\"trustedIdentities\":[\"*\"]}"),
   NV_E_POLICY_UNKNOWN_MEMBER, "registryScopes", NULL},
  {"statement name a number", NV_POLICY_OCI,
   DOC("{\"name\":5,\"registryScopes\":[\"r.io/a\"]," SV("strict")
       ",\"trustStores\":[\"ca:s\"],\"trustedIdentities\":[\"*\"]}"),
   NV_E_POLICY_MALFORMED, "name", NULL},
  {"missing name", NV_POLICY_OCI,
   DOC("{\"registryScopes\":[\"r.io/a\"]," SV("strict")
       ",\"trustStores\":[\"ca:s\"],\"trustedIdentities\":[\"*\"]}"),
   NV_E_POLICY_NAME_MISSING, "name", NULL},
  {"duplicate statement name", NV_POLICY_OCI,
   DOC(GOOD_STMT "," OCI_OK("s1", "r.io/b", "strict")), NV_E_POLICY_NAME_DUPLICATE, "\"s1\"",
   NULL},
  {"missing level", NV_POLICY_OCI,
   DOC("{\"name\":\"s1\",\"registryScopes\":[\"r.io/a\"],\"signatureVerification\":{},"
       "\"trustStores\":[\"ca:s\"],\"trustedIdentities\":[\"*\"]}"),
   NV_E_POLICY_LEVEL_MISSING, "\"s1\"", NULL},
  {"level Strict", NV_POLICY_OCI, DOC(OCI_OK("s1", "r.io/a", "Strict")),
   NV_E_POLICY_LEVEL_INVALID, "\"Strict\"", "\"s1\""},
  {"missing trustStores", NV_POLICY_OCI,
   DOC("{\"name\":\"s1\",\"registryScopes\":[\"r.io/a\"]," SV("strict")
       ",\"trustedIdentities\":[\"*\"]}"),
   NV_E_POLICY_MISSING_STORES_OR_IDENTITIES, "\"s1\"", "trust stores"},
  {"empty trustedIdentities", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:s"), "")),
   NV_E_POLICY_MISSING_STORES_OR_IDENTITIES, "\"s1\"", NULL},
  {"integrity override", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV_OV("strict", Q("integrity") ":" Q("log")), Q("ca:s"), Q("*"))),
   NV_E_POLICY_OVERRIDE_INTEGRITY, "\"integrity\"", "\"s1\""},
  {"expiry skipped", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV_OV("strict", Q("expiry") ":" Q("skip")), Q("ca:s"), Q("*"))),
   NV_E_POLICY_OVERRIDE_SKIP_NOT_ALLOWED, "\"expiry\"", "\"s1\""},
  {"authenticity skipped", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV_OV("audit", Q("authenticity") ":" Q("skip")), Q("ca:s"),
           Q("*"))),
   NV_E_POLICY_OVERRIDE_SKIP_NOT_ALLOWED, "\"authenticity\"", NULL},
  {"override of an unknown check", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV_OV("strict", Q("Expiry") ":" Q("log")), Q("ca:s"), Q("*"))),
   NV_E_POLICY_OVERRIDE_TYPE_INVALID, "\"Expiry\"", NULL},
  {"override with an unknown action", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV_OV("strict", Q("expiry") ":" Q("warn")), Q("ca:s"), Q("*"))),
   NV_E_POLICY_OVERRIDE_ACTION_INVALID, "\"warn\"", NULL},
  {"override not a string", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV_OV("strict", Q("expiry") ":true"), Q("ca:s"), Q("*"))),
   NV_E_POLICY_MALFORMED, "expiry", NULL},
  {"override on level skip", NV_POLICY_OCI,
   DOC("{\"name\":\"s1\",\"registryScopes\":[\"r.io/a\"],"
       SV_OV("skip", Q("revocation") ":" Q("skip")) "}"),
   NV_E_POLICY_OVERRIDE_WITH_SKIP, "\"s1\"", NULL},
  {"verifyTimestamp invalid", NV_POLICY_OCI,
   DOC("{\"name\":\"s1\",\"registryScopes\":[\"r.io/a\"],\"signatureVerification\":"
       "{\"level\":\"strict\",\"verifyTimestamp\":\"never\"},"
       "\"trustStores\":[\"ca:s\"],\"trustedIdentities\":[\"*\"]}"),
   NV_E_POLICY_VERIFY_TIMESTAMP_INVALID, "\"never\"", NULL},
  {"skip with trust stores", NV_POLICY_OCI, DOC(OCI_OK("s1", "r.io/a", "skip")),
   NV_E_POLICY_SKIP_HAS_STORES_OR_IDENTITIES, "\"s1\"", NULL},
  {"skip with identities only", NV_POLICY_OCI,
   DOC("{\"name\":\"s1\",\"registryScopes\":[\"r.io/a\"]," SV("skip")
       ",\"trustedIdentities\":[\"*\"]}"),
   NV_E_POLICY_SKIP_HAS_STORES_OR_IDENTITIES, "\"s1\"", NULL},
  {"'*' mixed with other scopes", NV_POLICY_OCI,
   DOC(OCI("s1", Q("*") "," Q("r.io/a"), SV("strict"), Q("ca:s"), Q("*"))),
   NV_E_POLICY_SCOPE_WILDCARD_MIXED, "\"s1\"", NULL},
  {"duplicate scope across statements", NV_POLICY_OCI,
   DOC(GOOD_STMT "," OCI_OK("s2", "r.io/b", "strict") "," OCI_OK("s3", "r.io/a", "audit")),
   NV_E_POLICY_SCOPE_DUPLICATE, "\"r.io/a\"", NULL},
  {"two '*' statements", NV_POLICY_OCI,
   DOC(OCI_OK("s1", "*", "strict") "," OCI_OK("s2", "*", "audit")), NV_E_POLICY_SCOPE_DUPLICATE,
   "\"*\"", NULL},
  {"no registry scopes", NV_POLICY_OCI, DOC(OCI("s1", "", SV("strict"), Q("ca:s"), Q("*"))),
   NV_E_POLICY_SCOPE_EMPTY, "\"s1\"", NULL},
  {"scope with a tag", NV_POLICY_OCI, DOC(OCI_OK("s1", "r.io/a:v1", "strict")),
   NV_E_POLICY_SCOPE_INVALID, "\"r.io/a:v1\"", NULL},
  {"scope with a wildcard", NV_POLICY_OCI, DOC(OCI_OK("s1", "r.io/*", "strict")),
   NV_E_POLICY_SCOPE_INVALID, "\"r.io/*\"", NULL},
  {"scope without a repository", NV_POLICY_OCI, DOC(OCI_OK("s1", "r.io", "strict")),
   NV_E_POLICY_SCOPE_INVALID, "\"r.io\"", NULL},
  {"trust store \"ca\"", NV_POLICY_OCI, DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca"), Q("*"))),
   NV_E_POLICY_TRUSTSTORE_MALFORMED, "\"ca\"", "\"s1\""},
  {"trust store type foo", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:s") "," Q("foo:bar"), Q("*"))),
   NV_E_POLICY_TRUSTSTORE_TYPE_INVALID, "\"foo\"", "\"foo:bar\""},
  {"trust store type CA", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("CA:s"), Q("*"))),
   NV_E_POLICY_TRUSTSTORE_TYPE_INVALID, "\"CA\"", NULL},
  {"trust store name a/b", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:a/b"), Q("*"))),
   NV_E_POLICY_TRUSTSTORE_NAME_INVALID, "\"a/b\"", NULL},
  {"trust store without a name", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:"), Q("*"))),
   NV_E_POLICY_TRUSTSTORE_NAME_INVALID, "\"ca:\"", NULL},
  {"trust store entry a number", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), "7", Q("*"))), NV_E_POLICY_MALFORMED, "trustStores",
   NULL},
  {"identity without C, ST, O", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:s"), Q("x509.subject:CN=signer"))),
   NV_E_POLICY_IDENTITY_DN_INVALID, "CN=signer", "\"s1\""},
  {"identity without O", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:s"), Q("x509.subject:C=US,ST=WA,CN=x"))),
   NV_E_POLICY_IDENTITY_DN_INVALID, "\"O\"", NULL},
  {"identity with =#", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:s"),
           Q("x509.subject:C=US,ST=WA,O=#04024869"))),
   NV_E_POLICY_IDENTITY_DN_INVALID, "=#", NULL},
  {"multi-valued RDN", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:s"), Q("x509.subject:C=US+ST=WA,O=x"))),
   NV_E_POLICY_IDENTITY_DN_INVALID, "multi-valued", NULL},
  {"overlapping identities", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:s"),
           Q("x509.subject:C=US,ST=WA,O=Acme") "," Q("x509.subject:C=US,ST=WA,O=Acme,CN=x"))),
   NV_E_POLICY_IDENTITY_OVERLAP, "overlap", "\"s1\""},
  {"S and ST are the same attribute", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:s"),
           Q("x509.subject:C=US,S=WA,O=Acme") "," Q("x509.subject:C=US,ST=WA,O=Acme"))),
   NV_E_POLICY_IDENTITY_OVERLAP, "overlap", NULL},
  {"repeated DN attribute", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:s"), Q("x509.subject:C=US,ST=WA,O=A,O=B"))),
   NV_E_POLICY_IDENTITY_DN_INVALID, "duplicate", NULL},
  {"'*' mixed with other identities", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:s"), Q("*") "," Q(ID_BENCH))),
   NV_E_POLICY_IDENTITY_WILDCARD_MIXED, "\"s1\"", NULL},
  {"identity without separator", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:s"), Q("C=US,ST=WA,O=Acme"))),
   NV_E_POLICY_IDENTITY_NO_SEPARATOR, "C=US,ST=WA,O=Acme", NULL},
  {"empty identity", NV_POLICY_OCI, DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:s"), Q(""))),
   NV_E_POLICY_IDENTITY_EMPTY, "\"s1\"", NULL},
  {"x509.subject without a value", NV_POLICY_OCI,
   DOC(OCI("s1", Q("r.io/a"), SV("strict"), Q("ca:s"), Q("x509.subject:"))),
   NV_E_POLICY_IDENTITY_EMPTY_VALUE, "\"s1\"", NULL},
  {"two global blob statements", NV_POLICY_BLOB,
   DOC(BLOB("b1", SV("strict"), Q("ca:s"), Q("*"), ",\"globalPolicy\":true") ","
       BLOB("b2", SV("audit"), Q("ca:s"), Q("*"), ",\"globalPolicy\":true")),
   NV_E_POLICY_BLOB_MULTIPLE_GLOBAL, "globalPolicy", NULL},
  {"global blob statement with level skip", NV_POLICY_BLOB,
   DOC("{\"name\":\"b1\"," SV("skip") ",\"globalPolicy\":true}"), NV_E_POLICY_BLOB_GLOBAL_SKIP,
   "\"b1\"", NULL},
  {"globalPolicy a string", NV_POLICY_BLOB,
   DOC(BLOB("b1", SV("strict"), Q("ca:s"), Q("*"), ",\"globalPolicy\":\"true\"")),
   NV_E_POLICY_MALFORMED, "globalPolicy", NULL},
};

static void bad_policies(void **state)
{
  nv_ctx *ctx = *state;
  for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
    const bad_case *c = &bad_cases[i];
    bytes b = text_copy(c->json);
    nv_trust_policy *p = (nv_trust_policy *)&b; /* not NULL: must be reset */
    nv_status rc = nv_trust_policy_parse(ctx, c->kind, b.data, b.len, &p);
    bytes_free(&b);
    expect_fail(ctx, rc, c->want, c->what);
    assert_null(p);
    expect_msg(ctx, c->msg1, c->what);
    expect_msg(ctx, c->msg2, c->what);
  }
}

/* Empty input and the size limit. */
static void policy_size(void **state)
{
  nv_ctx *ctx = *state;
  nv_trust_policy *p = (nv_trust_policy *)state;
  static const uint8_t empty[1] = {'{'};
  nv_status rc = nv_trust_policy_parse(ctx, NV_POLICY_OCI, empty, 0, &p);
  expect_fail(ctx, rc, NV_E_POLICY_MALFORMED, "empty input");
  assert_null(p);
  p = (nv_trust_policy *)state;
  rc = nv_trust_policy_parse(ctx, NV_POLICY_OCI, NULL, 0, &p);
  expect_fail(ctx, rc, NV_E_POLICY_MALFORMED, "NULL, 0");
  assert_null(p);
  rc = nv_trust_policy_parse(ctx, NV_POLICY_BLOB, empty, 0, &p);
  expect_fail(ctx, rc, NV_E_POLICY_MALFORMED, "empty blob input");

  /* a valid document padded with white space to exactly the limit parses;
   * one byte more is refused before it is parsed */
  static const char doc[] = DOC(OCI_OK("s1", "r.io/a", "strict"));
  uint8_t *big = malloc(POLICY_LIMIT + 1);
  assert_non_null(big);
  memset(big, ' ', POLICY_LIMIT + 1);
  memcpy(big, doc, sizeof(doc) - 1);
  rc = nv_trust_policy_parse(ctx, NV_POLICY_OCI, big, POLICY_LIMIT, &p);
  expect_ok(ctx, rc, "document of exactly 1 MiB");
  assert_int_equal(nv_trust_policy_statement_count(p), 1);
  nv_trust_policy_free(p);
  p = (nv_trust_policy *)state;
  rc = nv_trust_policy_parse(ctx, NV_POLICY_OCI, big, POLICY_LIMIT + 1, &p);
  expect_fail(ctx, rc, NV_E_POLICY_TOO_LARGE, "document of 1 MiB + 1");
  assert_null(p);
  free(big);
}

/* ------------------------------------------------------------------ */
/* blob documents                                                      */

static void blob_policy(void **state)
{
  nv_ctx *ctx = *state;
  nv_trust_policy *p =
    parse_ok(ctx, NV_POLICY_BLOB,
             DOC(BLOB("release", SV("strict"), Q("ca:s"), Q(ID_BENCH), "") ","
                 BLOB("everything", SV("permissive"), Q("ca:s") "," Q("tsa:t"), Q("*"),
                      ",\"globalPolicy\":true") ","
                 "{\"name\":\"skipped\"," SV("skip") "},"
                 BLOB("not-global", SV("audit"), Q("ca:s"), Q("*"), ",\"globalPolicy\":false")));
  assert_int_equal(nv_trust_policy_statement_count(p), 4);
  assert_string_equal(nv_trust_policy_statement_name(p, 1), "everything");
  assert_string_equal(nv_trust_policy_statement_level(p, 1), "permissive");
  assert_string_equal(nv_trust_policy_statement_level(p, 2), "skip");

  assert_int_equal(select_ok(ctx, p, NULL), 1);
  assert_int_equal(select_ok(ctx, p, "release"), 0);
  assert_int_equal(select_ok(ctx, p, "everything"), 1);
  assert_int_equal(select_ok(ctx, p, "skipped"), 2);
  assert_int_equal(select_ok(ctx, p, "not-global"), 3);

  size_t index = 99;
  nv_status rc = nv_trust_policy_select(ctx, p, "unknown", &index);
  expect_fail(ctx, rc, NV_E_NO_APPLICABLE_POLICY, "unknown blob statement");
  expect_msg(ctx, "\"unknown\"", "unknown blob statement");
  /* names are exact */
  rc = nv_trust_policy_select(ctx, p, "Release", &index);
  expect_fail(ctx, rc, NV_E_NO_APPLICABLE_POLICY, "Release");
  rc = nv_trust_policy_select(ctx, p, " ", &index);
  expect_fail(ctx, rc, NV_E_NO_APPLICABLE_POLICY, "blank name");
  /* an OCI reference means nothing to a blob document */
  rc = nv_trust_policy_select(ctx, p, RSA_REPO "@" DIGEST, &index);
  expect_fail(ctx, rc, NV_E_NO_APPLICABLE_POLICY, "reference on a blob policy");
  nv_trust_policy_free(p);

  /* no global statement: NULL selects nothing */
  p = parse_ok(ctx, NV_POLICY_BLOB, DOC(BLOB("only", SV("strict"), Q("ca:s"), Q("*"), "")));
  rc = nv_trust_policy_select(ctx, p, NULL, &index);
  expect_fail(ctx, rc, NV_E_NO_APPLICABLE_POLICY, "no global statement");
  assert_int_equal(select_ok(ctx, p, "only"), 0);
  nv_trust_policy_free(p);

  /* the same bytes as an OCI document: blob statements have no scopes */
  bytes b = text_copy(DOC(BLOB("only", SV("strict"), Q("ca:s"), Q("*"), "")));
  p = NULL;
  rc = nv_trust_policy_parse(ctx, NV_POLICY_OCI, b.data, b.len, &p);
  expect_fail(ctx, rc, NV_E_POLICY_SCOPE_EMPTY, "blob statement in an OCI document");
  assert_null(p);
  bytes_free(&b);
}

/*
 * A blank blob name is refused, also with a global statement: only NULL
 * selects it (docs/api/nv_trust_policy_select.md and notation-go). The
 * comment in nv_trust.h says "NULL / \"\"" -- reported as a header bug.
 */
static void blob_select_empty_name(void **state)
{
  nv_ctx *ctx = *state;
  nv_trust_policy *p =
    parse_ok(ctx, NV_POLICY_BLOB,
             DOC(BLOB("named", SV("strict"), Q("ca:s"), Q("*"), "") ","
                 BLOB("global", SV("audit"), Q("ca:s"), Q("*"), ",\"globalPolicy\":true")));
  static const char *const blank[] = {"", " ", "\t\n", "\xc2\xa0" /* U+00A0 */};
  for (size_t i = 0; i < sizeof(blank) / sizeof(blank[0]); i++) {
    size_t index = 99;
    nv_status rc = nv_trust_policy_select(ctx, p, blank[i], &index);
    expect_fail(ctx, rc, NV_E_NO_APPLICABLE_POLICY, "blank blob statement name");
    expect_msg(ctx, "cannot be empty", "blank blob statement name");
  }
  assert_int_equal(select_ok(ctx, p, NULL), 1);
  assert_int_equal(select_ok(ctx, p, "named"), 0);
  nv_trust_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* nv_trust_policy_load                                                */

static void policy_load_files(void **state)
{
  nv_ctx *ctx = *state;
  tmpdir t;
  tmp_init(&t);
  const char *file = tmp_copy(&t, "trustpolicy.json", BENCH_POLICY);
  const char *link = tmp_symlink(&t, "link.json", file);
  const char *dir = tmp_mkdir(&t, "dir.json");
  const char *bad = tmp_write_text(&t, "bad.json", "{\"version\":\"1.0\"");
  const char *blob = tmp_write_text(
    &t, "trustpolicy.blob.json",
    DOC(BLOB("b", SV("strict"), Q("ca:s"), Q("*"), ",\"globalPolicy\":true")));
  char missing[800];
  snprintf(missing, sizeof(missing), "%s/missing.json", t.root);
  char below_file[800];
  snprintf(below_file, sizeof(below_file), "%s/x.json", file);

  nv_trust_policy *p = NULL;
  expect_ok(ctx, nv_trust_policy_load(ctx, NV_POLICY_OCI, file, &p), "regular file");
  assert_int_equal(nv_trust_policy_statement_count(p), 2);
  nv_trust_policy_free(p);

  p = (nv_trust_policy *)state;
  expect_fail(ctx, nv_trust_policy_load(ctx, NV_POLICY_OCI, link, &p),
              NV_E_POLICY_NOT_REGULAR_FILE, "symlink");
  assert_null(p);
  expect_msg(ctx, "link.json", "symlink");

  p = (nv_trust_policy *)state;
  expect_fail(ctx, nv_trust_policy_load(ctx, NV_POLICY_OCI, dir, &p),
              NV_E_POLICY_NOT_REGULAR_FILE, "directory");
  assert_null(p);

  p = (nv_trust_policy *)state;
  expect_fail(ctx, nv_trust_policy_load(ctx, NV_POLICY_OCI, missing, &p),
              NV_E_POLICY_NOT_FOUND, "missing file");
  assert_null(p);
  expect_msg(ctx, "missing.json", "missing file");
  expect_fail(ctx, nv_trust_policy_load(ctx, NV_POLICY_OCI, below_file, &p),
              NV_E_POLICY_NOT_FOUND, "path below a file");

  expect_fail(ctx, nv_trust_policy_load(ctx, NV_POLICY_OCI, bad, &p), NV_E_POLICY_MALFORMED,
              "invalid content");
  assert_null(p);

  expect_ok(ctx, nv_trust_policy_load(ctx, NV_POLICY_BLOB, blob, &p), "blob file");
  assert_int_equal(select_ok(ctx, p, NULL), 0);
  nv_trust_policy_free(p);
  /* the kind decides the rules, not the file name */
  expect_fail(ctx, nv_trust_policy_load(ctx, NV_POLICY_OCI, blob, &p),
              NV_E_POLICY_UNKNOWN_MEMBER, "blob document loaded as OCI");
  assert_null(p);

  /* a file over the limit is refused */
  uint8_t *big = malloc(POLICY_LIMIT + 1);
  assert_non_null(big);
  memset(big, ' ', POLICY_LIMIT + 1);
  static const char doc[] = DOC(OCI_OK("s1", "r.io/a", "strict"));
  memcpy(big, doc, sizeof(doc) - 1);
  const char *large = tmp_write(&t, "large.json", big, POLICY_LIMIT + 1);
  free(big);
  expect_fail(ctx, nv_trust_policy_load(ctx, NV_POLICY_OCI, large, &p), NV_E_POLICY_TOO_LARGE,
              "file of 1 MiB + 1");
  assert_null(p);

  tmp_cleanup(&t);
}

/* ------------------------------------------------------------------ */
/* trust stores from memory                                            */

static void truststore_add_certs(void **state)
{
  nv_ctx *ctx = *state;
  nv_truststore *s = NULL;
  expect_ok(ctx, nv_truststore_new(ctx, &s), "nv_truststore_new");
  assert_non_null(s);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 0);

  bytes root = slurp_path(BENCH_ROOT);
  bytes leaf = slurp_path(BENCH_LEAF);
  bytes chain = slurp_path(BENCH_CHAIN);
  bytes key = slurp_path(BENCH_ROOT_KEY);
  bytes inter = slurp_path(INTERMEDIATE);
  bytes ec_root = slurp_path(BENCH_EC_ROOT);

  expect_ok(ctx, nv_truststore_add_certs(ctx, s, NV_STORE_CA, "bench-rsa3072", root.data, root.len),
            "root PEM");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 1);
  /* (type, name) identifies a store */
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "bench-rsa3072"), 0);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_SIGNING_AUTHORITY, "bench-rsa3072"), 0);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-RSA3072"), 0);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "other"), 0);

  /* a leaf is neither a CA nor self-signed: refused, nothing added */
  nv_status rc =
    nv_truststore_add_certs(ctx, s, NV_STORE_CA, "bench-rsa3072", leaf.data, leaf.len);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED, "leaf");
  expect_msg(ctx, "bench-rsa3072", "leaf");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 1);
  /* leaf + root in one PEM: all or nothing */
  rc = nv_truststore_add_certs(ctx, s, NV_STORE_CA, "bench-rsa3072", chain.data, chain.len);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED, "leaf + root");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 1);
  /* a failed first add leaves no empty store behind */
  rc = nv_truststore_add_certs(ctx, s, NV_STORE_CA, "leaf-only", leaf.data, leaf.len);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED, "leaf in a new store");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "leaf-only"), 0);

  /* not a certificate */
  static const uint8_t garbage[] = "this is not a certificate";
  rc = nv_truststore_add_certs(ctx, s, NV_STORE_CA, "bench-rsa3072", garbage,
                               sizeof(garbage) - 1);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_PARSE, "garbage");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 1);
  rc = nv_truststore_add_certs(ctx, s, NV_STORE_CA, "bench-rsa3072", key.data, key.len);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_PARSE, "PEM private key");
  /* root PEM then a key block in the same input: all or nothing */
  {
    bytes both = {malloc(root.len + key.len), root.len + key.len};
    assert_non_null(both.data);
    memcpy(both.data, root.data, root.len);
    memcpy(both.data + root.len, key.data, key.len);
    rc = nv_truststore_add_certs(ctx, s, NV_STORE_CA, "bench-rsa3072", both.data, both.len);
    expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_PARSE, "root + key");
    assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 1);
    bytes_free(&both);
  }
  rc = nv_truststore_add_certs(ctx, s, NV_STORE_CA, "bench-rsa3072", root.data, 0);
  assert_int_not_equal(rc, NV_OK);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 1);
  rc = nv_truststore_add_certs(ctx, s, NV_STORE_CA, "bench-rsa3072", root.data, root.len / 2);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_PARSE, "truncated PEM");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 1);

  /* the same root again is kept (notation-go keeps what the files hold),
   * then a second CA in the same store */
  expect_ok(ctx, nv_truststore_add_certs(ctx, s, NV_STORE_CA, "bench-rsa3072", root.data, root.len),
            "root again");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 2);
  expect_ok(ctx, nv_truststore_add_certs(ctx, s, NV_STORE_CA, "bench-rsa3072", inter.data, inter.len),
            "intermediate CA");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 3);

  /* tsa: roots only */
  rc = nv_truststore_add_certs(ctx, s, NV_STORE_TSA, "tsa", inter.data, inter.len);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT, "intermediate in a tsa store");
  expect_msg(ctx, "tsa", "intermediate in a tsa store");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "tsa"), 0);
  rc = nv_truststore_add_certs(ctx, s, NV_STORE_TSA, "tsa", leaf.data, leaf.len);
  assert_int_not_equal(rc, NV_OK);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "tsa"), 0);
  expect_ok(ctx, nv_truststore_add_certs(ctx, s, NV_STORE_TSA, "tsa", ec_root.data, ec_root.len),
            "root in a tsa store");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "tsa"), 1);
  expect_ok(ctx,
            nv_truststore_add_certs(ctx, s, NV_STORE_SIGNING_AUTHORITY, "sa", inter.data, inter.len),
            "intermediate in a signingAuthority store");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_SIGNING_AUTHORITY, "sa"), 1);

  /* invalid types and names */
  rc = nv_truststore_add_certs(ctx, s, 9, "bench-rsa3072", root.data, root.len);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_TYPE_INVALID, "type 9");
  rc = nv_truststore_add_certs(ctx, s, 0, "bench-rsa3072", root.data, root.len);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_TYPE_INVALID, "type 0");
  assert_int_equal(nv_truststore_cert_count(s, 9, "bench-rsa3072"), 0);
  static const char *const bad_names[] = {"a/b", "", ".", "..", "a b", "ca:x", "é"};
  for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
    rc = nv_truststore_add_certs(ctx, s, NV_STORE_CA, bad_names[i], root.data, root.len);
    expect_fail(ctx, rc, NV_E_TRUSTSTORE_NAME_INVALID, bad_names[i]);
    assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, bad_names[i]), 0);
  }
  char long_name[300];
  memset(long_name, 'a', sizeof(long_name) - 1);
  long_name[sizeof(long_name) - 1] = '\0';
  rc = nv_truststore_add_certs(ctx, s, NV_STORE_CA, long_name, root.data, root.len);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_NAME_INVALID, "name of 299 bytes");
  expect_ok(ctx, nv_truststore_add_certs(ctx, s, NV_STORE_CA, "A-z_0.9", root.data, root.len),
            "name with every allowed class");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "A-z_0.9"), 1);

  /* nothing of the above changed the first store */
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 3);

  bytes_free(&root);
  bytes_free(&leaf);
  bytes_free(&chain);
  bytes_free(&key);
  bytes_free(&inter);
  bytes_free(&ec_root);
  nv_truststore_free(s);
}

/* The DER form of the reference GlobalSign root is read like PEM. */
static void truststore_add_der(void **state)
{
  nv_ctx *ctx = *state;
  nv_truststore *s = NULL;
  expect_ok(ctx, nv_truststore_new(ctx, &s), "nv_truststore_new");
  bytes der = slurp_path(REF_STORE "/x509/ca/valid-trust-store/GlobalSign.der");
  expect_ok(ctx, nv_truststore_add_certs(ctx, s, NV_STORE_CA, "der", der.data, der.len), "DER");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "der"), 1);
  /* two DER certificates back to back */
  bytes two = {malloc(2 * der.len), 2 * der.len};
  assert_non_null(two.data);
  memcpy(two.data, der.data, der.len);
  memcpy(two.data + der.len, der.data, der.len);
  expect_ok(ctx, nv_truststore_add_certs(ctx, s, NV_STORE_CA, "der", two.data, two.len),
            "two DER certificates");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "der"), 3);
  /* a DER certificate with trailing bytes */
  two.len = der.len + 3;
  nv_status rc = nv_truststore_add_certs(ctx, s, NV_STORE_CA, "der", two.data, two.len);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_PARSE, "DER with trailing bytes");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "der"), 3);
  bytes_free(&two);
  bytes_free(&der);
  nv_truststore_free(s);
}

/* ------------------------------------------------------------------ */
/* trust stores from notation's directory layout                       */

static void truststore_load_named(void **state)
{
  nv_ctx *ctx = *state;
  nv_truststore *s = NULL;
  expect_ok(ctx, nv_truststore_new(ctx, &s), "nv_truststore_new");

  expect_ok(ctx, nv_truststore_load_named(ctx, s, BENCH_STORE, NV_STORE_CA, "bench-rsa3072"),
            "bench store");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 1);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-ecp256"), 0);

  nv_status rc = nv_truststore_load_named(ctx, s, BENCH_STORE, NV_STORE_CA, "missing");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_NOT_FOUND, "missing store");
  expect_msg(ctx, "missing", "missing store");
  rc = nv_truststore_load_named(ctx, s, BENCH_STORE, NV_STORE_TSA, "bench-rsa3072");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_NOT_FOUND, "store of another type");
  rc = nv_truststore_load_named(ctx, s, NV_BENCH_FIXTURES "/nowhere", NV_STORE_CA,
                                "bench-rsa3072");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_NOT_FOUND, "missing trust store directory");
  rc = nv_truststore_load_named(ctx, s, BENCH_STORE, 9, "bench-rsa3072");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_TYPE_INVALID, "type 9");
  rc = nv_truststore_load_named(ctx, s, BENCH_STORE, NV_STORE_CA, "a/b");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_NAME_INVALID, "name a/b");
  rc = nv_truststore_load_named(ctx, s, BENCH_STORE, NV_STORE_CA, "..");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_NAME_INVALID, "name ..");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 1);

  /* notation-go's reference stores */
  expect_ok(ctx, nv_truststore_load_named(ctx, s, REF_STORE, NV_STORE_CA, "valid-trust-store"),
            "valid-trust-store");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "valid-trust-store"), 6);
  expect_ok(ctx, nv_truststore_load_named(ctx, s, REF_STORE, NV_STORE_CA, "valid-trust-store-2"),
            "valid-trust-store-2");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "valid-trust-store-2"), 2);
  expect_ok(ctx,
            nv_truststore_load_named(ctx, s, REF_STORE, NV_STORE_CA,
                                     "valid-trust-store-self-signed"),
            "valid-trust-store-self-signed");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "valid-trust-store-self-signed"), 1);
  expect_ok(ctx,
            nv_truststore_load_named(ctx, s, REF_STORE, NV_STORE_SIGNING_AUTHORITY,
                                     "valid-trust-store"),
            "signingAuthority valid-trust-store");
  assert_int_equal(
    nv_truststore_cert_count(s, NV_STORE_SIGNING_AUTHORITY, "valid-trust-store"), 3);
  expect_ok(ctx, nv_truststore_load_named(ctx, s, REF_STORE, NV_STORE_TSA, "test-timestamp"),
            "tsa test-timestamp");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "test-timestamp"), 1);

  rc = nv_truststore_load_named(ctx, s, REF_STORE, NV_STORE_CA, "trust-store-with-leaf-certs");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED, "trust-store-with-leaf-certs");
  expect_msg(ctx, "non-ca.crt", "trust-store-with-leaf-certs");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "trust-store-with-leaf-certs"), 0);
  rc = nv_truststore_load_named(ctx, s, REF_STORE, NV_STORE_CA,
                                "trust-store-with-leaf-certs-in-single-file");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED, "leaf certs in a single file");
  rc = nv_truststore_load_named(ctx, s, REF_STORE, NV_STORE_CA, "trust-store-with-invalid-certs");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_PARSE, "trust-store-with-invalid-certs");
  expect_msg(ctx, "certificate invalid in", "trust-store-with-invalid-certs");
  rc = nv_truststore_load_named(ctx, s, REF_STORE, NV_STORE_TSA, "test-nonCA");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT, "tsa test-nonCA");
  rc = nv_truststore_load_named(ctx, s, REF_STORE, NV_STORE_TSA, "test-nonSelfIssued");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT, "tsa test-nonSelfIssued");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "test-nonCA"), 0);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "test-nonSelfIssued"), 0);

  /* the earlier stores are untouched */
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "valid-trust-store"), 6);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 1);
  nv_truststore_free(s);
}

/* Symlinks, sub-directories and empty stores, made in a temporary layout. */
static void truststore_layout_errors(void **state)
{
  nv_ctx *ctx = *state;
  tmpdir t;
  tmp_init(&t);
  tmp_mkdir(&t, "x509");
  tmp_mkdir(&t, "x509/ca");
  const char *good = tmp_mkdir(&t, "x509/ca/good");
  tmp_copy(&t, "x509/ca/good/root.crt", BENCH_ROOT);
  tmp_copy(&t, "x509/ca/good/inter.any-extension", INTERMEDIATE);
  tmp_symlink(&t, "x509/ca/linked", good);
  tmp_mkdir(&t, "x509/ca/with-link");
  tmp_copy(&t, "x509/ca/with-link/root.crt", BENCH_ROOT);
  tmp_symlink(&t, "x509/ca/with-link/link.crt", BENCH_ROOT);
  tmp_mkdir(&t, "x509/ca/with-dir");
  tmp_copy(&t, "x509/ca/with-dir/root.crt", BENCH_ROOT);
  tmp_mkdir(&t, "x509/ca/with-dir/sub");
  tmp_mkdir(&t, "x509/ca/empty");
  tmp_write_text(&t, "x509/ca/file", "not a directory");

  nv_truststore *s = NULL;
  expect_ok(ctx, nv_truststore_new(ctx, &s), "nv_truststore_new");
  expect_ok(ctx, nv_truststore_load_named(ctx, s, t.root, NV_STORE_CA, "good"), "good");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "good"), 2);

  nv_status rc = nv_truststore_load_named(ctx, s, t.root, NV_STORE_CA, "linked");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_NOT_DIRECTORY, "symlinked store");
  rc = nv_truststore_load_named(ctx, s, t.root, NV_STORE_CA, "file");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_NOT_DIRECTORY, "store that is a file");
  rc = nv_truststore_load_named(ctx, s, t.root, NV_STORE_CA, "with-link");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR, "symlink in a store");
  expect_msg(ctx, "link.crt", "symlink in a store");
  rc = nv_truststore_load_named(ctx, s, t.root, NV_STORE_CA, "with-dir");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR, "sub-directory in a store");
  rc = nv_truststore_load_named(ctx, s, t.root, NV_STORE_CA, "empty");
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_EMPTY, "empty store");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "linked"), 0);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "with-link"), 0);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "with-dir"), 0);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "empty"), 0);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "good"), 2);
  nv_truststore_free(s);
  tmp_cleanup(&t);
}

/* One statement's stores only; the statement's stores and identities as
 * written. */
static void truststore_load_for_statement(void **state)
{
  nv_ctx *ctx = *state;
  nv_trust_policy *p = parse_ok(
      ctx, NV_POLICY_OCI,
      DOC(OCI("a", Q("r.io/a"), SV("strict"), Q("ca:bench-rsa3072"), Q(ID_BENCH) "," Q("x509.subject: C=US, ST=WA, O=B")) ","
          OCI("b", Q("r.io/b"), SV("strict"), Q("ca:absent") "," Q("tsa:absent-too"), Q("*"))));
  assert_int_equal(nv_trust_policy_statement_store_count(p, 0), 1);
  assert_string_equal(nv_trust_policy_statement_store(p, 0, 0), "ca:bench-rsa3072");
  assert_null(nv_trust_policy_statement_store(p, 0, 1));
  assert_int_equal(nv_trust_policy_statement_store_count(p, 1), 2);
  assert_string_equal(nv_trust_policy_statement_store(p, 1, 1), "tsa:absent-too");
  assert_int_equal(nv_trust_policy_statement_identity_count(p, 0), 2);
  assert_string_equal(nv_trust_policy_statement_identity(p, 0, 0), ID_BENCH);
  assert_string_equal(nv_trust_policy_statement_identity(p, 0, 1), "x509.subject: C=US, ST=WA, O=B");
  assert_string_equal(nv_trust_policy_statement_identity(p, 1, 0), "*");
  assert_null(nv_trust_policy_statement_identity(p, 1, 1));
  assert_int_equal(nv_trust_policy_statement_store_count(p, 2), 0);
  assert_null(nv_trust_policy_statement_store(p, 2, 0));
  assert_int_equal(nv_trust_policy_statement_identity_count(NULL, 0), 0);
  assert_null(nv_trust_policy_statement_identity(NULL, 0, 0));

  nv_truststore *s = NULL;
  expect_ok(ctx, nv_truststore_new(ctx, &s), "nv_truststore_new");
  /* statement a loads although statement b names stores that do not exist */
  expect_ok(ctx, nv_truststore_load_for_statement(ctx, s, BENCH_STORE, p, 0), "statement a");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 1);
  expect_fail(ctx, nv_truststore_load_for_statement(ctx, s, BENCH_STORE, p, 1),
              NV_E_TRUSTSTORE_NOT_FOUND, "statement b");
  expect_msg(ctx, "absent", "statement b");
  expect_fail(ctx, nv_truststore_load_for_statement(ctx, s, BENCH_STORE, p, 2),
              NV_E_INVALID_ARG, "index out of range");
  expect_fail(ctx, nv_truststore_load_for_statement(ctx, s, NULL, p, 0), NV_E_INVALID_ARG,
              "no directory");
  assert_int_equal(nv_truststore_load_for_statement(NULL, s, BENCH_STORE, p, 0),
                   NV_E_INVALID_ARG);
  nv_truststore_free(s);
  nv_trust_policy_free(p);
}

static void truststore_load_for_policy(void **state)
{
  nv_ctx *ctx = *state;
  nv_trust_policy *p = NULL;
  expect_ok(ctx, nv_trust_policy_load(ctx, NV_POLICY_OCI, BENCH_POLICY, &p), "bench policy");
  nv_truststore *s = NULL;
  expect_ok(ctx, nv_truststore_new(ctx, &s), "nv_truststore_new");
  expect_ok(ctx, nv_truststore_load_for_policy(ctx, s, BENCH_STORE, p), "load for bench policy");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 1);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-ecp256"), 1);
  /* a second call loads nothing twice */
  expect_ok(ctx, nv_truststore_load_for_policy(ctx, s, BENCH_STORE, p), "load again");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 1);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-ecp256"), 1);
  nv_truststore_free(s);
  nv_trust_policy_free(p);

  /* every type, a store named by two statements, a skip statement */
  p = parse_ok(ctx, NV_POLICY_OCI,
               DOC(OCI("a", Q("r.io/a"), SV("strict"),
                       Q("ca:valid-trust-store") "," Q("tsa:test-timestamp"), Q("*")) ","
                   OCI("b", Q("r.io/b"), SV("audit"),
                       Q("signingAuthority:valid-trust-store") "," Q("ca:valid-trust-store") ","
                       Q("ca:valid-trust-store-2"),
                       Q("*")) ","
                   "{\"name\":\"c\",\"registryScopes\":[\"r.io/c\"]," SV("skip") "}"));
  expect_ok(ctx, nv_truststore_new(ctx, &s), "nv_truststore_new");
  expect_ok(ctx, nv_truststore_load_for_policy(ctx, s, REF_STORE, p), "reference stores");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "valid-trust-store"), 6);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "valid-trust-store-2"), 2);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_SIGNING_AUTHORITY, "valid-trust-store"),
                   3);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "test-timestamp"), 1);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "valid-trust-store"), 0);
  nv_truststore_free(s);
  nv_trust_policy_free(p);

  /* a store that does not exist fails the call */
  p = parse_ok(ctx, NV_POLICY_OCI,
               DOC(OCI("a", Q("r.io/a"), SV("strict"), Q("ca:bench-rsa3072") "," Q("ca:absent"),
                       Q("*"))));
  expect_ok(ctx, nv_truststore_new(ctx, &s), "nv_truststore_new");
  expect_fail(ctx, nv_truststore_load_for_policy(ctx, s, BENCH_STORE, p),
              NV_E_TRUSTSTORE_NOT_FOUND, "absent store");
  expect_msg(ctx, "absent", "absent store");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "absent"), 0);
  nv_truststore_free(s);
  nv_trust_policy_free(p);

  /* an invalid store fails the call */
  p = parse_ok(ctx, NV_POLICY_OCI,
               DOC(OCI("a", Q("r.io/a"), SV("strict"), Q("ca:trust-store-with-leaf-certs"),
                       Q("*"))));
  expect_ok(ctx, nv_truststore_new(ctx, &s), "nv_truststore_new");
  expect_fail(ctx, nv_truststore_load_for_policy(ctx, s, REF_STORE, p),
              NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED, "store with a leaf");
  nv_truststore_free(s);
  nv_trust_policy_free(p);

  /* a blob policy works the same way */
  p = parse_ok(ctx, NV_POLICY_BLOB,
               DOC(BLOB("b", SV("strict"), Q("ca:bench-ecp256"), Q("*"), "")));
  expect_ok(ctx, nv_truststore_new(ctx, &s), "nv_truststore_new");
  expect_ok(ctx, nv_truststore_load_for_policy(ctx, s, BENCH_STORE, p), "blob policy");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-ecp256"), 1);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 0);
  nv_truststore_free(s);
  nv_trust_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* Flux verification secrets                                           */

#define FLUX_POLICY                                                                            \
  DOC(OCI("flux", Q("example.io/app"), SV("strict"), Q("ca:flux-ca") "," Q("tsa:flux-tsa"),   \
          Q("*")))

/* A secret directory: trustpolicy.json, root.crt, intermediate.pem and a
 * README.md that is not read. */
static void flux_secret_dir(tmpdir *t, const char *policy)
{
  tmp_init(t);
  if (policy != NULL)
    tmp_write_text(t, "trustpolicy.json", policy);
  tmp_copy(t, "root.crt", BENCH_ROOT);
  tmp_copy(t, "intermediate.pem", INTERMEDIATE);
  tmp_write_text(t, "README.md", "not a certificate, and not read\n");
}

/* The secret given key by key (as read from the Kubernetes API): the same
 * policy and stores as the directory form; Flux's own checks. */
static void flux_secret_in_memory(void **state)
{
  nv_ctx *ctx = *state;
  bytes root = slurp_path(BENCH_ROOT);
  bytes inter = slurp_path(INTERMEDIATE);
  const char *policy = FLUX_POLICY;
  nv_flux_secret *sec = NULL;
  expect_ok(ctx, nv_flux_secret_new(ctx, &sec), "nv_flux_secret_new");
  expect_ok(ctx, nv_flux_secret_add(ctx, sec, "trustpolicy.json", (const uint8_t *)policy,
                                    strlen(policy)),
            "add the policy");
  expect_ok(ctx, nv_flux_secret_add(ctx, sec, "root.crt", root.data, root.len), "add root.crt");
  expect_ok(ctx, nv_flux_secret_add(ctx, sec, "intermediate.pem", inter.data, inter.len),
            "add intermediate.pem");
  expect_ok(ctx, nv_flux_secret_add(ctx, sec, "README.md", (const uint8_t *)"x", 1),
            "other keys are ignored");
  expect_fail(ctx, nv_flux_secret_add(ctx, sec, "root.crt", root.data, root.len),
              NV_E_INVALID_ARG, "a key given twice");
  expect_fail(ctx, nv_flux_secret_add(ctx, sec, "a/b.pem", root.data, root.len),
              NV_E_INVALID_ARG, "a key with a slash");
  nv_trust_policy *p = NULL;
  nv_truststore *s = NULL;
  expect_ok(ctx, nv_trust_from_flux_secret(ctx, sec, 0, &p, &s), "build");
  assert_string_equal(nv_trust_policy_statement_name(p, 0), "flux");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "flux-ca"), 2);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "flux-tsa"), 1);
  nv_truststore_free(s);
  nv_trust_policy_free(p);
  expect_ok(ctx, nv_trust_from_flux_secret(ctx, sec, NV_FLUX_COMPAT, &p, &s), "compat");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "flux-tsa"), 2);
  nv_truststore_free(s);
  nv_trust_policy_free(p);
  expect_fail(ctx, nv_trust_from_flux_secret(ctx, sec, 0x80, &p, &s), NV_E_INVALID_ARG,
              "unknown flag");
  nv_flux_secret_free(sec);

  /* no policy key; no certificate key */
  expect_ok(ctx, nv_flux_secret_new(ctx, &sec), "nv_flux_secret_new");
  expect_ok(ctx, nv_flux_secret_add(ctx, sec, "root.crt", root.data, root.len), "add root.crt");
  expect_fail(ctx, nv_trust_from_flux_secret(ctx, sec, 0, &p, &s), NV_E_POLICY_NOT_FOUND,
              "no trustpolicy.json");
  expect_msg(ctx, "'trustpolicy.json' not found in secret", "no trustpolicy.json");
  assert_null(p);
  assert_null(s);
  nv_flux_secret_free(sec);
  expect_ok(ctx, nv_flux_secret_new(ctx, &sec), "nv_flux_secret_new");
  expect_ok(ctx, nv_flux_secret_add(ctx, sec, "trustpolicy.json", (const uint8_t *)policy,
                                    strlen(policy)),
            "add the policy");
  expect_fail(ctx, nv_trust_from_flux_secret(ctx, sec, 0, &p, &s), NV_E_TRUSTSTORE_EMPTY,
              "no certificates");
  expect_msg(ctx, "no certificates found in secret", "no certificates");
  nv_flux_secret_free(sec);
  nv_flux_secret_free(NULL);
  assert_int_equal(nv_flux_secret_new(NULL, &sec), NV_E_INVALID_ARG);
  bytes_free(&root);
  bytes_free(&inter);
}

static void flux_default(void **state)
{
  nv_ctx *ctx = *state;
  tmpdir t;
  flux_secret_dir(&t, FLUX_POLICY);
  nv_trust_policy *p = NULL;
  nv_truststore *s = NULL;
  expect_ok(ctx, nv_trust_load_flux_secret(ctx, t.root, 0, &p, &s), "flux default");
  assert_non_null(p);
  assert_non_null(s);
  assert_int_equal(nv_trust_policy_statement_count(p), 1);
  assert_string_equal(nv_trust_policy_statement_name(p, 0), "flux");
  assert_int_equal(select_ok(ctx, p, "example.io/app@" DIGEST), 0);
  /* every certificate in the ca store, only the root in the tsa store */
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "flux-ca"), 2);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "flux-tsa"), 1);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "flux-tsa"), 0);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "flux-ca"), 0);
  /* the store can still be added to */
  bytes root = slurp_path(BENCH_EC_ROOT);
  expect_ok(ctx, nv_truststore_add_certs(ctx, s, NV_STORE_CA, "flux-ca", root.data, root.len),
            "add to a flux store");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "flux-ca"), 3);
  bytes_free(&root);
  nv_truststore_free(s);
  nv_trust_policy_free(p);

  /* NV_FLUX_COMPAT: the tsa store receives everything */
  expect_ok(ctx, nv_trust_load_flux_secret(ctx, t.root, NV_FLUX_COMPAT, &p, &s), "flux compat");
  assert_int_equal(nv_trust_policy_statement_count(p), 1);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "flux-ca"), 2);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "flux-tsa"), 2);
  nv_truststore_free(s);
  nv_trust_policy_free(p);

  /* a leaf certificate: refused by default, taken in compat mode */
  tmp_copy(&t, "leaf.crt", BENCH_LEAF);
  p = (nv_trust_policy *)state;
  s = (nv_truststore *)state;
  nv_status rc = nv_trust_load_flux_secret(ctx, t.root, 0, &p, &s);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED, "leaf in a secret");
  expect_msg(ctx, "leaf.crt", "leaf in a secret");
  assert_null(p);
  assert_null(s);
  expect_ok(ctx, nv_trust_load_flux_secret(ctx, t.root, NV_FLUX_COMPAT, &p, &s),
            "leaf in a secret, compat");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "flux-ca"), 3);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "flux-tsa"), 3);
  nv_truststore_free(s);
  nv_trust_policy_free(p);
  tmp_remove_last(&t);

  /* a file that is not PEM: refused in both modes */
  tmp_write_text(&t, "garbage.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  rc = nv_trust_load_flux_secret(ctx, t.root, 0, &p, &s);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_PARSE, "garbage.pem");
  expect_msg(ctx, "garbage.pem", "garbage.pem");
  rc = nv_trust_load_flux_secret(ctx, t.root, NV_FLUX_COMPAT, &p, &s);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_CERT_PARSE, "garbage.pem, compat");
  assert_null(p);
  assert_null(s);
  tmp_remove_last(&t);

  /* other names are ignored, whatever they hold */
  tmp_write_text(&t, "notes.txt", "garbage");
  tmp_copy(&t, "leaf.crt.bak", BENCH_LEAF);
  expect_ok(ctx, nv_trust_load_flux_secret(ctx, t.root, 0, &p, &s), "ignored names");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "flux-ca"), 2);
  nv_truststore_free(s);
  nv_trust_policy_free(p);

  /* an unknown flag bit */
  p = (nv_trust_policy *)state;
  s = (nv_truststore *)state;
  rc = nv_trust_load_flux_secret(ctx, t.root, 1u << 1, &p, &s);
  expect_fail(ctx, rc, NV_E_INVALID_ARG, "flag bit 1");
  assert_null(p);
  assert_null(s);
  rc = nv_trust_load_flux_secret(ctx, t.root, 0x80000000u | NV_FLUX_COMPAT, &p, &s);
  expect_fail(ctx, rc, NV_E_INVALID_ARG, "flag bit 31");
  tmp_cleanup(&t);
}

static void flux_stores_of_every_type(void **state)
{
  nv_ctx *ctx = *state;
  tmpdir t;
  flux_secret_dir(&t,
                  DOC(OCI("a", Q("example.io/a"), SV("strict"),
                          Q("ca:one") "," Q("signingAuthority:sa") "," Q("tsa:ts"), Q("*")) ","
                      OCI("b", Q("*"), SV("audit"), Q("ca:one") "," Q("ca:two"), Q("*")) ","
                      "{\"name\":\"c\",\"registryScopes\":[\"example.io/c\"]," SV("skip") "}"));
  nv_trust_policy *p = NULL;
  nv_truststore *s = NULL;
  expect_ok(ctx, nv_trust_load_flux_secret(ctx, t.root, 0, &p, &s), "three statements");
  assert_int_equal(nv_trust_policy_statement_count(p), 3);
  assert_int_equal(select_ok(ctx, p, "example.io/a@" DIGEST), 0);
  assert_int_equal(select_ok(ctx, p, "example.io/other@" DIGEST), 1);
  assert_int_equal(select_ok(ctx, p, "example.io/c@" DIGEST), 2);
  /* "ca:one" named twice holds the certificates once */
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "one"), 2);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "two"), 2);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_SIGNING_AUTHORITY, "sa"), 2);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_TSA, "ts"), 1);
  nv_truststore_free(s);
  nv_trust_policy_free(p);
  tmp_cleanup(&t);
}

static void flux_errors(void **state)
{
  nv_ctx *ctx = *state;
  nv_trust_policy *p = NULL;
  nv_truststore *s = NULL;
  tmpdir t;

  /* no trustpolicy.json */
  flux_secret_dir(&t, NULL);
  p = (nv_trust_policy *)state;
  s = (nv_truststore *)state;
  nv_status rc = nv_trust_load_flux_secret(ctx, t.root, 0, &p, &s);
  expect_fail(ctx, rc, NV_E_POLICY_NOT_FOUND, "no trustpolicy.json");
  expect_msg(ctx, "trustpolicy.json", "no trustpolicy.json");
  assert_null(p);
  assert_null(s);
  /* a trustpolicy.json that is a symlink or a directory */
  const char *real = tmp_write_text(&t, "real.json", FLUX_POLICY);
  tmp_symlink(&t, "trustpolicy.json", real);
  rc = nv_trust_load_flux_secret(ctx, t.root, 0, &p, &s);
  expect_fail(ctx, rc, NV_E_POLICY_NOT_REGULAR_FILE, "symlinked trustpolicy.json");
  tmp_remove_last(&t);
  tmp_mkdir(&t, "trustpolicy.json");
  rc = nv_trust_load_flux_secret(ctx, t.root, 0, &p, &s);
  expect_fail(ctx, rc, NV_E_POLICY_NOT_REGULAR_FILE, "trustpolicy.json directory");
  tmp_remove_last(&t);
  tmp_cleanup(&t);

  /* no certificates: only the policy and a README */
  tmp_init(&t);
  tmp_write_text(&t, "trustpolicy.json", FLUX_POLICY);
  tmp_write_text(&t, "README.md", "-----BEGIN CERTIFICATE-----\n");
  rc = nv_trust_load_flux_secret(ctx, t.root, 0, &p, &s);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_EMPTY, "no certificates");
  assert_null(p);
  assert_null(s);
  rc = nv_trust_load_flux_secret(ctx, t.root, NV_FLUX_COMPAT, &p, &s);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_EMPTY, "no certificates, compat");
  /* a certificate file that is a symlink */
  tmp_symlink(&t, "root.crt", BENCH_ROOT);
  rc = nv_trust_load_flux_secret(ctx, t.root, 0, &p, &s);
  expect_fail(ctx, rc, NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR, "symlinked root.crt");
  assert_null(p);
  assert_null(s);
  tmp_cleanup(&t);

  /* an invalid policy: the rule's own code */
  flux_secret_dir(&t, DOC(OCI("bad", Q("example.io/app"), SV("strict"), Q("ca"), Q("*"))));
  rc = nv_trust_load_flux_secret(ctx, t.root, 0, &p, &s);
  expect_fail(ctx, rc, NV_E_POLICY_TRUSTSTORE_MALFORMED, "invalid policy in a secret");
  assert_null(p);
  assert_null(s);
  tmp_cleanup(&t);
  flux_secret_dir(&t, "not json");
  rc = nv_trust_load_flux_secret(ctx, t.root, 0, &p, &s);
  expect_fail(ctx, rc, NV_E_POLICY_MALFORMED, "policy that is not JSON");
  tmp_cleanup(&t);

  /* a directory that does not exist */
  p = (nv_trust_policy *)state;
  s = (nv_truststore *)state;
  rc = nv_trust_load_flux_secret(ctx, NV_BENCH_FIXTURES "/no-such-secret", 0, &p, &s);
  assert_int_not_equal(rc, NV_OK);
  assert_int_equal(nv_ctx_last_status(ctx), rc);
  assert_true(strlen(nv_ctx_last_error(ctx)) > 0);
  assert_null(p);
  assert_null(s);
}

/* ------------------------------------------------------------------ */
/* NULL-safety                                                         */

static void null_arguments(void **state)
{
  nv_ctx *ctx = *state;
  static const char doc[] = DOC(OCI_OK("s1", "r.io/a", "strict"));
  const uint8_t *json = (const uint8_t *)doc;
  size_t len = sizeof(doc) - 1;
  void *junk = state; /* a non-NULL value every *out must lose */
  nv_trust_policy *p = junk;
  nv_truststore *s = junk;
  size_t index = 5;

  /* nv_trust_policy_parse */
  assert_int_equal(nv_trust_policy_parse(NULL, NV_POLICY_OCI, json, len, &p), NV_E_INVALID_ARG);
  assert_null(p);
  assert_int_equal(nv_trust_policy_parse(ctx, NV_POLICY_OCI, json, len, NULL), NV_E_INVALID_ARG);
  p = junk;
  expect_fail(ctx, nv_trust_policy_parse(ctx, NV_POLICY_OCI, NULL, len, &p), NV_E_INVALID_ARG,
              "parse NULL json");
  assert_null(p);
  p = junk;
  expect_fail(ctx, nv_trust_policy_parse(ctx, 0, json, len, &p), NV_E_INVALID_ARG, "kind 0");
  assert_null(p);
  p = junk;
  expect_fail(ctx, nv_trust_policy_parse(ctx, 3, json, len, &p), NV_E_INVALID_ARG, "kind 3");
  assert_null(p);

  /* nv_trust_policy_load */
  p = junk;
  assert_int_equal(nv_trust_policy_load(NULL, NV_POLICY_OCI, BENCH_POLICY, &p), NV_E_INVALID_ARG);
  assert_null(p);
  p = junk;
  expect_fail(ctx, nv_trust_policy_load(ctx, NV_POLICY_OCI, NULL, &p), NV_E_INVALID_ARG,
              "load NULL path");
  assert_null(p);
  expect_fail(ctx, nv_trust_policy_load(ctx, NV_POLICY_OCI, BENCH_POLICY, NULL), NV_E_INVALID_ARG,
              "load NULL out");
  p = junk;
  expect_fail(ctx, nv_trust_policy_load(ctx, -1, BENCH_POLICY, &p), NV_E_INVALID_ARG,
              "load kind -1");
  assert_null(p);
  p = junk;
  assert_int_not_equal(nv_trust_policy_load(ctx, NV_POLICY_OCI, "", &p), NV_OK);
  assert_null(p);

  /* accessors on NULL */
  nv_trust_policy_free(NULL);
  assert_int_equal(nv_trust_policy_statement_count(NULL), 0);
  assert_null(nv_trust_policy_statement_name(NULL, 0));
  assert_null(nv_trust_policy_statement_level(NULL, 0));
  assert_int_equal(nv_trust_policy_statement_action(NULL, 0, NV_CHECK_INTEGRITY), 0);

  /* nv_trust_policy_select */
  nv_trust_policy *oci = parse_ok(ctx, NV_POLICY_OCI, doc);
  nv_trust_policy *blob =
    parse_ok(ctx, NV_POLICY_BLOB,
             DOC(BLOB("b", SV("strict"), Q("ca:s"), Q("*"), ",\"globalPolicy\":true")));
  assert_int_equal(nv_trust_policy_select(NULL, oci, "r.io/a@" DIGEST, &index), NV_E_INVALID_ARG);
  expect_fail(ctx, nv_trust_policy_select(ctx, NULL, "r.io/a@" DIGEST, &index), NV_E_INVALID_ARG,
              "select NULL policy");
  expect_fail(ctx, nv_trust_policy_select(ctx, oci, "r.io/a@" DIGEST, NULL), NV_E_INVALID_ARG,
              "select NULL index");
  expect_fail(ctx, nv_trust_policy_select(ctx, oci, NULL, &index), NV_E_INVALID_ARG,
              "select NULL reference on an OCI policy");
  expect_fail(ctx, nv_trust_policy_select(ctx, blob, NULL, NULL), NV_E_INVALID_ARG,
              "select NULL index on a blob policy");
  assert_int_equal(nv_trust_policy_select(NULL, blob, NULL, &index), NV_E_INVALID_ARG);
  assert_int_equal(select_ok(ctx, oci, "r.io/a@" DIGEST), 0);
  assert_int_equal(select_ok(ctx, blob, NULL), 0);

  /* nv_truststore_new */
  assert_int_equal(nv_truststore_new(NULL, &s), NV_E_INVALID_ARG);
  assert_null(s);
  expect_fail(ctx, nv_truststore_new(ctx, NULL), NV_E_INVALID_ARG, "truststore_new NULL out");
  nv_truststore_free(NULL);

  expect_ok(ctx, nv_truststore_new(ctx, &s), "nv_truststore_new");
  bytes root = slurp_path(BENCH_ROOT);
  /* nv_truststore_add_certs */
  assert_int_equal(nv_truststore_add_certs(NULL, s, NV_STORE_CA, "n", root.data, root.len),
                   NV_E_INVALID_ARG);
  expect_fail(ctx, nv_truststore_add_certs(ctx, NULL, NV_STORE_CA, "n", root.data, root.len),
              NV_E_INVALID_ARG, "add_certs NULL store");
  expect_fail(ctx, nv_truststore_add_certs(ctx, s, NV_STORE_CA, NULL, root.data, root.len),
              NV_E_INVALID_ARG, "add_certs NULL name");
  expect_fail(ctx, nv_truststore_add_certs(ctx, s, NV_STORE_CA, "n", NULL, root.len),
              NV_E_INVALID_ARG, "add_certs NULL data");
  assert_int_not_equal(nv_truststore_add_certs(ctx, s, NV_STORE_CA, "n", NULL, 0), NV_OK);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "n"), 0);
  /* nv_truststore_load_named */
  assert_int_equal(nv_truststore_load_named(NULL, s, BENCH_STORE, NV_STORE_CA, "bench-rsa3072"),
                   NV_E_INVALID_ARG);
  expect_fail(ctx, nv_truststore_load_named(ctx, NULL, BENCH_STORE, NV_STORE_CA, "bench-rsa3072"),
              NV_E_INVALID_ARG, "load_named NULL store");
  expect_fail(ctx, nv_truststore_load_named(ctx, s, NULL, NV_STORE_CA, "bench-rsa3072"),
              NV_E_INVALID_ARG, "load_named NULL dir");
  expect_fail(ctx, nv_truststore_load_named(ctx, s, BENCH_STORE, NV_STORE_CA, NULL),
              NV_E_INVALID_ARG, "load_named NULL name");
  /* nv_truststore_load_for_policy */
  assert_int_equal(nv_truststore_load_for_policy(NULL, s, BENCH_STORE, oci), NV_E_INVALID_ARG);
  expect_fail(ctx, nv_truststore_load_for_policy(ctx, NULL, BENCH_STORE, oci), NV_E_INVALID_ARG,
              "load_for_policy NULL store");
  expect_fail(ctx, nv_truststore_load_for_policy(ctx, s, NULL, oci), NV_E_INVALID_ARG,
              "load_for_policy NULL dir");
  expect_fail(ctx, nv_truststore_load_for_policy(ctx, s, BENCH_STORE, NULL), NV_E_INVALID_ARG,
              "load_for_policy NULL policy");
  /* none of the failures added anything */
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "bench-rsa3072"), 0);
  /* nv_truststore_cert_count */
  expect_ok(ctx, nv_truststore_add_certs(ctx, s, NV_STORE_CA, "n", root.data, root.len), "add");
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, "n"), 1);
  assert_int_equal(nv_truststore_cert_count(NULL, NV_STORE_CA, "n"), 0);
  assert_int_equal(nv_truststore_cert_count(s, NV_STORE_CA, NULL), 0);
  assert_int_equal(nv_truststore_cert_count(s, 0, "n"), 0);
  assert_int_equal(nv_truststore_cert_count(s, 4, "n"), 0);
  assert_int_equal(nv_truststore_cert_count(s, -1, "n"), 0);
  bytes_free(&root);

  /* nv_trust_load_flux_secret */
  p = junk;
  nv_truststore *fs = junk;
  assert_int_equal(nv_trust_load_flux_secret(NULL, NV_BENCH_FIXTURES, 0, &p, &fs),
                   NV_E_INVALID_ARG);
  assert_null(p);
  assert_null(fs);
  p = junk;
  fs = junk;
  expect_fail(ctx, nv_trust_load_flux_secret(ctx, NULL, 0, &p, &fs), NV_E_INVALID_ARG,
              "flux NULL dir");
  assert_null(p);
  assert_null(fs);
  fs = junk;
  expect_fail(ctx, nv_trust_load_flux_secret(ctx, NV_BENCH_FIXTURES, 0, NULL, &fs),
              NV_E_INVALID_ARG, "flux NULL policy_out");
  assert_null(fs);
  p = junk;
  expect_fail(ctx, nv_trust_load_flux_secret(ctx, NV_BENCH_FIXTURES, 0, &p, NULL),
              NV_E_INVALID_ARG, "flux NULL store_out");
  assert_null(p);

  /* the objects still work, and a success clears the context's error */
  assert_int_equal(select_ok(ctx, oci, "r.io/a@" DIGEST), 0);
  nv_truststore_free(s);
  nv_trust_policy_free(oci);
  nv_trust_policy_free(blob);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(bench_policy),
    cmocka_unit_test(bench_policy_load),
    cmocka_unit_test(wildcard_and_exact_scope),
    cmocka_unit_test(levels_and_overrides),
    cmocka_unit_test(bad_policies),
    cmocka_unit_test(policy_size),
    cmocka_unit_test(blob_policy),
    cmocka_unit_test(blob_select_empty_name),
    cmocka_unit_test(policy_load_files),
    cmocka_unit_test(truststore_add_certs),
    cmocka_unit_test(truststore_add_der),
    cmocka_unit_test(truststore_load_named),
    cmocka_unit_test(truststore_layout_errors),
    cmocka_unit_test(truststore_load_for_policy),
    cmocka_unit_test(truststore_load_for_statement),
    cmocka_unit_test(flux_default),
    cmocka_unit_test(flux_secret_in_memory),
    cmocka_unit_test(flux_stores_of_every_type),
    cmocka_unit_test(flux_errors),
    cmocka_unit_test(null_arguments),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
