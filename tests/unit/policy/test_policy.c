/* Trust policy documents (notary-spec.md 13): policy/policy.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <errno.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/nv_buf.h"
#include "base/nv_limits.h"
#include "policy/nv_pol_policy.h"
#include "x509/nv_x509_certs.h"

#define OCI NV_POL_DOC_OCI
#define BLOB NV_POL_DOC_BLOB

/* Pieces of documents. */
#define DOC(stmts) "{\"version\":\"1.0\",\"trustPolicies\":[" stmts "]}"
#define NAME(n) "\"name\":\"" n "\""
#define SCOPES(s) "\"registryScopes\":[" s "]"
#define SV(s) "\"signatureVerification\":{" s "}"
#define STRICT SV("\"level\":\"strict\"")
#define SKIP SV("\"level\":\"skip\"")
#define STORES(s) "\"trustStores\":[" s "]"
#define IDS(s) "\"trustedIdentities\":[" s "]"
#define ID_ORG "\"x509.subject:C=US,ST=WA,O=Org\""
/* A valid OCI statement and a valid blob statement, given the rest. */
#define OSTMT(name, scopes, sv) \
  "{" NAME(name) "," SCOPES(scopes) "," sv "," STORES("\"ca:store\"") "," IDS(ID_ORG) "}"
#define BSTMT(name, sv) "{" NAME(name) "," sv "," STORES("\"ca:store\"") "," IDS(ID_ORG) "}"
#define OCI_WITH(members) DOC("{" NAME("s") "," SCOPES("\"r.io/app\"") "," members "}")
#define BLOB_WITH(members) DOC("{" NAME("s") "," members "}")

static const char *const base_oci = DOC(OSTMT("s", "\"r.io/app\"", STRICT));

static nv_pol_doc *parse_ok_at(const char *file, int line, nv_pol_doc_kind kind,
                               const char *json)
{
  nv_diag d;
  nv_diag_init(&d);
  nv_pol_doc *doc = NULL;
  nv_status rc = nv_pol_parse(kind, json, strlen(json), &doc, &d);
  if (rc != NV_OK || doc == NULL) {
    print_error("%s:%d: expected NV_OK, got %s: %s\n", file, line, nv_status_name(rc), d.msg);
    fail();
  }
  return doc;
}
#define PARSE_OK(kind, json) parse_ok_at(__FILE__, __LINE__, kind, json)
#define ACCEPTS(kind, json) nv_pol_doc_free(PARSE_OK(kind, json))

static void fails_at(const char *file, int line, nv_pol_doc_kind kind, const char *json,
                     size_t len, nv_status code, const char *msg, bool exact)
{
  nv_diag d;
  nv_diag_init(&d);
  nv_pol_doc *doc = (nv_pol_doc *)&d; /* must be reset to NULL */
  nv_status rc = nv_pol_parse(kind, json, len, &doc, &d);
  bool msg_ok = msg == NULL || (exact ? strcmp(d.msg, msg) == 0 : strstr(d.msg, msg) != NULL);
  if (rc != code || doc != NULL || !msg_ok || d.status != code) {
    print_error("%s:%d: expected %s%s%s%s, got %s: %s\n", file, line, nv_status_name(code),
                msg ? " '" : "", msg ? msg : "", msg ? "'" : "", nv_status_name(rc), d.msg);
    if (rc == NV_OK)
      nv_pol_doc_free(doc);
    fail();
  }
}
#define FAILS(kind, json, code, msg) \
  fails_at(__FILE__, __LINE__, kind, json, strlen(json), code, msg, false)
#define FAILS_EXACT(kind, json, code, msg) \
  fails_at(__FILE__, __LINE__, kind, json, strlen(json), code, msg, true)

/* ---------- accepted documents ---------- */

static void base_document(void **state)
{
  (void)state;
  const char *json =
    DOC("{" NAME("wabbit") "," SCOPES("\"registry.acme-rockets.io/software/net-monitor\"") ","
        STRICT "," STORES("\"ca:acme-rockets\", \"tsa:publicly-trusted-tsa\"") ","
        IDS("\"x509.subject: C=US, ST=WA, L=Seattle, O=acme-rockets.io, OU=Finance, "
            "CN=SecureBuilder\"") "}");
  nv_pol_doc *doc = PARSE_OK(OCI, json);
  assert_int_equal(doc->kind, OCI);
  assert_int_equal(doc->count, 1);
  const nv_pol_statement *st = &doc->statements[0];
  assert_string_equal(st->name, "wabbit");
  assert_int_equal(st->index, 0);
  assert_int_equal(st->level, NV_POL_LEVEL_STRICT);
  assert_false(st->custom);
  for (int k = 0; k < NV_POL_CHECK_COUNT; k++)
    assert_int_equal(nv_pol_stmt_action(st, (nv_pol_check)k), NV_POL_ACTION_ENFORCE);
  assert_int_equal(st->verify_timestamp, NV_POL_VERIFY_TS_ALWAYS);
  assert_false(st->global);
  assert_int_equal(st->scope_count, 1);
  assert_string_equal(st->scopes[0], "registry.acme-rockets.io/software/net-monitor");
  assert_int_equal(st->store_count, 2);
  assert_int_equal(st->stores[0].type, NV_POL_STORE_CA);
  assert_string_equal(st->stores[0].name, "acme-rockets");
  assert_string_equal(st->stores[0].raw, "ca:acme-rockets");
  assert_int_equal(st->stores[1].type, NV_POL_STORE_TSA);
  assert_string_equal(st->stores[1].name, "publicly-trusted-tsa");
  assert_int_equal(st->identity_count, 1);
  assert_int_equal(st->identities[0].kind, NV_POL_IDENTITY_X509_SUBJECT);
  assert_false(st->wildcard_identity);
  assert_string_equal(nv_pol_dn_get(&st->identities[0].dn, "O"), "acme-rockets.io");
  assert_string_equal(nv_pol_dn_get(&st->identities[0].dn, "CN"), "SecureBuilder");
  assert_int_equal(nv_pol_stmt_action(NULL, NV_POL_CHECK_EXPIRY), NV_POL_ACTION_NONE);
  assert_int_equal(nv_pol_stmt_action(st, NV_POL_CHECK_COUNT), NV_POL_ACTION_NONE);
  nv_pol_doc_free(doc);
  nv_pol_doc_free(NULL);
  assert_string_equal(nv_pol_doc_kind_name(OCI), "oci");
  assert_string_equal(nv_pol_doc_kind_name(BLOB), "blob");
  assert_null(nv_pol_doc_kind_name((nv_pol_doc_kind)0));
}

static void blob_document_and_overrides(void **state)
{
  (void)state;
  const char *json = DOC(
    "{" NAME("g") ",\"globalPolicy\":true,"
    SV("\"level\":\"permissive\",\"override\":{\"authenticity\":\"log\",\"revocation\":\"skip\","
       "\"authenticTimestamp\":\"enforce\"},\"verifyTimestamp\":\"afterCertExpiry\"") ","
    STORES("\"signingAuthority:sa\"") "," IDS("\"*\"") "},"
    "{" NAME("other") "," SV("\"level\":\"audit\",\"verifyTimestamp\":\"always\"") ","
    STORES("\"ca:s\"") "," IDS("\"x509.subject:C=US,ST=WA,O=Org\", \"custom:anything\"") "}");
  nv_pol_doc *doc = PARSE_OK(BLOB, json);
  assert_int_equal(doc->kind, BLOB);
  assert_int_equal(doc->count, 2);
  const nv_pol_statement *g = &doc->statements[0], *o = &doc->statements[1];
  assert_true(g->global);
  assert_false(o->global);
  assert_int_equal(g->level, NV_POL_LEVEL_PERMISSIVE);
  assert_true(g->custom);
  assert_int_equal(g->actions[NV_POL_CHECK_INTEGRITY], NV_POL_ACTION_ENFORCE);
  assert_int_equal(g->actions[NV_POL_CHECK_AUTHENTICITY], NV_POL_ACTION_LOG);
  assert_int_equal(g->actions[NV_POL_CHECK_AUTHENTIC_TIMESTAMP], NV_POL_ACTION_ENFORCE);
  assert_int_equal(g->actions[NV_POL_CHECK_EXPIRY], NV_POL_ACTION_LOG);
  assert_int_equal(g->actions[NV_POL_CHECK_REVOCATION], NV_POL_ACTION_SKIP);
  assert_int_equal(g->verify_timestamp, NV_POL_VERIFY_TS_AFTER_CERT_EXPIRY);
  assert_int_equal(g->stores[0].type, NV_POL_STORE_SIGNING_AUTHORITY);
  assert_true(g->wildcard_identity);
  assert_int_equal(g->identities[0].kind, NV_POL_IDENTITY_WILDCARD);
  assert_int_equal(g->scope_count, 0);
  assert_int_equal(o->verify_timestamp, NV_POL_VERIFY_TS_ALWAYS);
  assert_int_equal(o->index, 1);
  assert_int_equal(o->identities[1].kind, NV_POL_IDENTITY_OTHER);
  assert_string_equal(o->identities[1].raw, "custom:anything");
  assert_int_equal(o->actions[NV_POL_CHECK_AUTHENTICITY], NV_POL_ACTION_LOG);
  nv_pol_doc_free(doc);
}

static void levels(void **state)
{
  (void)state;
  static const struct {
    const char *json;
    nv_pol_action want[NV_POL_CHECK_COUNT];
  } rows[] = {
#define E NV_POL_ACTION_ENFORCE
#define L NV_POL_ACTION_LOG
#define S NV_POL_ACTION_SKIP
    {OCI_WITH(SV("\"level\":\"strict\"") "," STORES("\"ca:s\"") "," IDS("\"*\"")), {E, E, E, E, E}},
    {OCI_WITH(SV("\"level\":\"permissive\"") "," STORES("\"ca:s\"") "," IDS("\"*\"")), {E, E, L, L, L}},
    {OCI_WITH(SV("\"level\":\"audit\"") "," STORES("\"ca:s\"") "," IDS("\"*\"")), {E, L, L, L, L}},
    {OCI_WITH(SKIP), {S, S, S, S, S}},
    {OCI_WITH(SV("\"level\":\"audit\",\"override\":{\"authenticity\":\"enforce\",\"expiry\":"
                 "\"enforce\"}") "," STORES("\"ca:s\"") "," IDS("\"*\"")), {E, E, L, E, L}},
    {OCI_WITH(SV("\"level\":\"strict\",\"override\":{}") "," STORES("\"ca:s\"") "," IDS("\"*\"")),
     {E, E, E, E, E}},
    {OCI_WITH(SV("\"level\":\"skip\",\"override\":{}")), {S, S, S, S, S}},
#undef E
#undef L
#undef S
  };
  for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
    nv_pol_doc *doc = PARSE_OK(OCI, rows[r].json);
    for (int k = 0; k < NV_POL_CHECK_COUNT; k++)
      if (doc->statements[0].actions[k] != rows[r].want[k]) {
        print_error("row %zu check %d: got %d want %d\n", r, k, doc->statements[0].actions[k],
                    rows[r].want[k]);
        fail();
      }
    nv_pol_doc_free(doc);
  }
}

/* ---------- rules, in notation-go's order ---------- */

static void rules_document(void **state)
{
  (void)state;
  FAILS_EXACT(OCI, "{\"trustPolicies\":[]}", NV_E_POLICY_VERSION_MISSING,
              "oci trust policy document has empty version, version must be specified");
  FAILS_EXACT(BLOB, "{\"version\":\"\"}", NV_E_POLICY_VERSION_MISSING,
              "blob trust policy document has empty version, version must be specified");
  FAILS(OCI, "{\"version\":null}", NV_E_POLICY_VERSION_MISSING, "empty version");
  FAILS_EXACT(OCI, "{\"version\":\"1.1\",\"trustPolicies\":[]}", NV_E_POLICY_VERSION_UNSUPPORTED,
              "oci trust policy document uses unsupported version \"1.1\"");
  FAILS(OCI, "{\"version\":\"1\"}", NV_E_POLICY_VERSION_UNSUPPORTED, "\"1\"");
  FAILS_EXACT(OCI, "{\"version\":\"1.0\"}", NV_E_POLICY_EMPTY,
              "oci trust policy document can not have zero trust policy statements");
  FAILS(OCI, "{\"version\":\"1.0\",\"trustPolicies\":null}", NV_E_POLICY_EMPTY, "zero trust");
  FAILS(BLOB, "{\"version\":\"1.0\",\"trustPolicies\":[]}", NV_E_POLICY_EMPTY, "blob trust");
}

static void rules_statement(void **state)
{
  (void)state;
  /* duplicate names, found before the second statement is checked */
  FAILS(OCI, DOC(OSTMT("a", "\"r.io/x\"", STRICT) ",{" NAME("a") "," SV("\"level\":1") "}"),
        NV_E_POLICY_MALFORMED, "member \"level\" must be a string");
  FAILS_EXACT(OCI, DOC(OSTMT("a", "\"r.io/x\"", STRICT) ",{" NAME("a") "}"),
              NV_E_POLICY_NAME_DUPLICATE,
              "multiple oci trust policy statements use the same name \"a\", statement names "
              "must be unique");
  FAILS_EXACT(BLOB, DOC(BSTMT("a", STRICT) "," BSTMT("a", STRICT)), NV_E_POLICY_NAME_DUPLICATE,
              "multiple blob trust policy statements use the same name \"a\", statement names "
              "must be unique");
  FAILS_EXACT(OCI, DOC("{" SCOPES("\"r.io/x\"") "," STRICT "}"), NV_E_POLICY_NAME_MISSING,
              "oci trust policy: a trust policy statement is missing a name, every statement "
              "requires a name");
  FAILS(BLOB, DOC("{" NAME("") "," STRICT "}"), NV_E_POLICY_NAME_MISSING,
        "blob trust policy: a trust policy statement is missing a name");
  /* level */
  FAILS_EXACT(OCI, OCI_WITH(STORES("\"ca:s\"")), NV_E_POLICY_LEVEL_MISSING,
              "oci trust policy: trust policy statement \"s\" has invalid signatureVerification: "
              "signature verification level is empty or missing in the trust policy statement");
  FAILS(OCI, OCI_WITH(SV("")), NV_E_POLICY_LEVEL_MISSING, "empty or missing");
  FAILS(OCI, OCI_WITH(SV("\"level\":\"\"")), NV_E_POLICY_LEVEL_MISSING, "empty or missing");
  FAILS(OCI, OCI_WITH("\"signatureVerification\":null"), NV_E_POLICY_LEVEL_MISSING, "missing");
  FAILS_EXACT(OCI, OCI_WITH(SV("\"level\":\"Strict\"")), NV_E_POLICY_LEVEL_INVALID,
              "oci trust policy: trust policy statement \"s\" has invalid signatureVerification: "
              "invalid signature verification level \"Strict\"");
  FAILS(OCI, OCI_WITH(SV("\"level\":\"custom\"")), NV_E_POLICY_LEVEL_INVALID, "\"custom\"");
  /* override */
  FAILS_EXACT(OCI, OCI_WITH(SV("\"level\":\"skip\",\"override\":{\"expiry\":\"log\"}")),
              NV_E_POLICY_OVERRIDE_WITH_SKIP,
              "oci trust policy: trust policy statement \"s\" has invalid signatureVerification: "
              "signature verification level \"skip\" can't be used to customize signature "
              "verification");
  FAILS_EXACT(OCI, OCI_WITH(SV("\"level\":\"strict\",\"override\":{\"Expiry\":\"log\"}")),
              NV_E_POLICY_OVERRIDE_TYPE_INVALID,
              "oci trust policy: trust policy statement \"s\" has invalid signatureVerification: "
              "verification type \"Expiry\" in custom signature verification is not supported, "
              "supported values are [\"integrity\" \"authenticity\" \"authenticTimestamp\" "
              "\"expiry\" \"revocation\"]");
  FAILS_EXACT(OCI, OCI_WITH(SV("\"level\":\"strict\",\"override\":{\"expiry\":\"warn\"}")),
              NV_E_POLICY_OVERRIDE_ACTION_INVALID,
              "oci trust policy: trust policy statement \"s\" has invalid signatureVerification: "
              "verification action \"warn\" in custom signature verification is not supported, "
              "supported values are [\"enforce\" \"log\" \"skip\"]");
  /* the type is checked before the action */
  FAILS(OCI, OCI_WITH(SV("\"level\":\"strict\",\"override\":{\"x\":\"warn\"}")),
        NV_E_POLICY_OVERRIDE_TYPE_INVALID, "\"x\"");
  FAILS(OCI, OCI_WITH(SV("\"level\":\"strict\",\"override\":{\"integrity\":\"warn\"}")),
        NV_E_POLICY_OVERRIDE_ACTION_INVALID, "\"warn\"");
  /* integrity cannot be overridden, not even with its own action */
  FAILS(OCI, OCI_WITH(SV("\"level\":\"strict\",\"override\":{\"integrity\":\"enforce\"}")),
        NV_E_POLICY_OVERRIDE_INTEGRITY, NULL);
  FAILS_EXACT(OCI, OCI_WITH(SV("\"level\":\"audit\",\"override\":{\"integrity\":\"log\"}")),
              NV_E_POLICY_OVERRIDE_INTEGRITY,
              "oci trust policy: trust policy statement \"s\" has invalid signatureVerification: "
              "\"integrity\" verification can not be overridden in custom signature verification");
  static const char *const no_skip[] = {
    OCI_WITH(SV("\"level\":\"strict\",\"override\":{\"authenticity\":\"skip\"}")),
    OCI_WITH(SV("\"level\":\"strict\",\"override\":{\"authenticTimestamp\":\"skip\"}")),
    OCI_WITH(SV("\"level\":\"strict\",\"override\":{\"expiry\":\"skip\"}")),
  };
  static const char *const no_skip_msg[] = {
    "\"authenticity\" verification can not be skipped",
    ("\"authenticTimestamp\" verification can not be skipped"),
    "\"expiry\" verification can not be skipped",
  };
  for (int i = 0; i < 3; i++)
    FAILS(OCI, no_skip[i], NV_E_POLICY_OVERRIDE_SKIP_NOT_ALLOWED, no_skip_msg[i]);
  /* first bad override member in document order */
  FAILS(OCI,
        OCI_WITH(SV("\"level\":\"strict\",\"override\":{\"expiry\":\"log\",\"revocation\":\"x\","
                    "\"integrity\":\"log\"}")),
        NV_E_POLICY_OVERRIDE_ACTION_INVALID, "\"x\"");
  /* verifyTimestamp, after the level */
  FAILS_EXACT(OCI, OCI_WITH(SV("\"level\":\"strict\",\"verifyTimestamp\":\"never\"")),
              NV_E_POLICY_VERIFY_TIMESTAMP_INVALID,
              "oci trust policy: trust policy statement \"s\" has invalid signatureVerification: "
              "verifyTimestamp must be \"always\" or \"afterCertExpiry\", but got \"never\"");
  FAILS(OCI, OCI_WITH(SV("\"level\":\"bad\",\"verifyTimestamp\":\"never\"")),
        NV_E_POLICY_LEVEL_INVALID, NULL);
  FAILS(OCI, OCI_WITH(SV("\"level\":\"skip\",\"verifyTimestamp\":\"Always\"")),
        NV_E_POLICY_VERIFY_TIMESTAMP_INVALID, "\"Always\"");
  /* skip versus stores and identities */
  FAILS_EXACT(OCI, OCI_WITH(SKIP "," STORES("\"ca:s\"")), NV_E_POLICY_SKIP_HAS_STORES_OR_IDENTITIES,
              "oci trust policy: trust policy statement \"s\" is set to skip signature "
              "verification but configured with trust stores and/or trusted identities, remove "
              "them if signature verification needs to be skipped");
  FAILS(OCI, OCI_WITH(SKIP "," IDS("\"*\"")), NV_E_POLICY_SKIP_HAS_STORES_OR_IDENTITIES, NULL);
  ACCEPTS(OCI, OCI_WITH(SKIP "," STORES("") "," IDS("")));
  /* skip statements are not checked further: bad entries cannot be there */
  FAILS_EXACT(OCI, OCI_WITH(STRICT "," STORES("\"ca:s\"")),
              NV_E_POLICY_MISSING_STORES_OR_IDENTITIES,
              "oci trust policy: trust policy statement \"s\" is either missing trust stores or "
              "trusted identities, both must be specified");
  FAILS(OCI, OCI_WITH(STRICT "," IDS("\"*\"")), NV_E_POLICY_MISSING_STORES_OR_IDENTITIES, NULL);
  FAILS(OCI, OCI_WITH(STRICT "," STORES("") "," IDS("")), NV_E_POLICY_MISSING_STORES_OR_IDENTITIES,
        NULL);
}

static void rules_stores(void **state)
{
  (void)state;
#define WITH_STORES(s) OCI_WITH(STRICT "," STORES(s) "," IDS("\"*\""))
  FAILS_EXACT(OCI, WITH_STORES("\"ca\""), NV_E_POLICY_TRUSTSTORE_MALFORMED,
              "oci trust policy: trust policy statement \"s\" has malformed trust store value "
              "\"ca\". The required format is <TrustStoreType>:<TrustStoreName>");
  FAILS(OCI, WITH_STORES("\"\""), NV_E_POLICY_TRUSTSTORE_MALFORMED, "value \"\"");
  FAILS_EXACT(OCI, WITH_STORES("\"CA:s\""), NV_E_POLICY_TRUSTSTORE_TYPE_INVALID,
              "oci trust policy: trust policy statement \"s\" uses an unsupported trust store "
              "type \"CA\" in trust store value \"CA:s\"");
  FAILS(OCI, WITH_STORES("\":s\""), NV_E_POLICY_TRUSTSTORE_TYPE_INVALID, "type \"\"");
  FAILS_EXACT(OCI, WITH_STORES("\"ca:\""), NV_E_POLICY_TRUSTSTORE_NAME_INVALID,
              "oci trust policy: trust policy statement \"s\" uses an unsupported trust store "
              "name \"\" in trust store value \"ca:\". Named store name needs to follow "
              "[a-zA-Z0-9_.-]+ format");
  FAILS(OCI, WITH_STORES("\"ca:a/b\""), NV_E_POLICY_TRUSTSTORE_NAME_INVALID, "\"a/b\"");
  FAILS(OCI, WITH_STORES("\"tsa:a:b\""), NV_E_POLICY_TRUSTSTORE_NAME_INVALID, "\"a:b\"");
  /* in order: the first bad entry */
  FAILS(OCI, WITH_STORES("\"ca:ok\",\"x:y\",\"bad\""), NV_E_POLICY_TRUSTSTORE_TYPE_INVALID, "x");
  /* stores are checked before identities */
  FAILS(OCI, OCI_WITH(STRICT "," STORES("\"bad\"") "," IDS("\"\"")),
        NV_E_POLICY_TRUSTSTORE_MALFORMED, NULL);
  nv_pol_doc *doc = PARSE_OK(OCI, WITH_STORES("\"ca:a\",\"signingAuthority:A-b_c.9\",\"tsa:t\""));
  assert_int_equal(doc->statements[0].store_count, 3);
  assert_string_equal(doc->statements[0].stores[1].name, "A-b_c.9");
  assert_int_equal(doc->statements[0].stores[2].type, NV_POL_STORE_TSA);
  nv_pol_doc_free(doc);
#undef WITH_STORES
}

static void rules_identities(void **state)
{
  (void)state;
#define WITH_IDS(s) OCI_WITH(STRICT "," STORES("\"ca:s\"") "," IDS(s))
  FAILS_EXACT(OCI, WITH_IDS("\"x509.subject:C=US,ST=WA,O=x\",\"*\""),
              NV_E_POLICY_IDENTITY_WILDCARD_MIXED,
              "oci trust policy: trust policy statement \"s\" uses a wildcard trusted identity "
              "'*', a wildcard identity cannot be used in conjunction with other values");
  FAILS(OCI, WITH_IDS("\"*\",\"*\""), NV_E_POLICY_IDENTITY_WILDCARD_MIXED, NULL);
  FAILS(OCI, WITH_IDS("\"\",\"*\""), NV_E_POLICY_IDENTITY_WILDCARD_MIXED, NULL);
  FAILS_EXACT(OCI, WITH_IDS("\"\""), NV_E_POLICY_IDENTITY_EMPTY,
              "oci trust policy: trust policy statement \"s\" has an empty trusted identity");
  FAILS_EXACT(OCI, WITH_IDS("\"x509.subject\""), NV_E_POLICY_IDENTITY_NO_SEPARATOR,
              "oci trust policy: trust policy statement \"s\" has trusted identity "
              "\"x509.subject\" missing separator");
  FAILS_EXACT(OCI, WITH_IDS("\"x509.subject:\""), NV_E_POLICY_IDENTITY_EMPTY_VALUE,
              "oci trust policy: trust policy statement \"s\" has trusted identity "
              "\"x509.subject:\" without an identity value");
  FAILS_EXACT(OCI, WITH_IDS("\"x509.subject:C=US,ST=WA\""), NV_E_POLICY_IDENTITY_DN_INVALID,
              "oci trust policy: trust policy statement \"s\" has trusted identity "
              "\"x509.subject:C=US,ST=WA\" with invalid identity value: distinguished name (DN) "
              "\"C=US,ST=WA\" has no mandatory RDN attribute for \"O\", it must contain 'C', 'ST' "
              "or 'S', and 'O' RDN attributes at a minimum");
  FAILS(OCI, WITH_IDS("\"x509.subject:C=US,ST=WA,O=#00\""), NV_E_POLICY_IDENTITY_DN_INVALID,
        "containing \"=#\"");
  /* the prefix is case-sensitive: other prefixes are accepted and ignored */
  nv_pol_doc *doc = PARSE_OK(OCI, WITH_IDS("\"X509.subject:nonsense\",\"unknown:\","
                                           "\"x509.subject:C=US,ST=WA,O=x\""));
  assert_int_equal(doc->statements[0].identities[0].kind, NV_POL_IDENTITY_OTHER);
  assert_int_equal(doc->statements[0].identities[1].kind, NV_POL_IDENTITY_OTHER);
  assert_int_equal(doc->statements[0].identities[2].kind, NV_POL_IDENTITY_X509_SUBJECT);
  nv_pol_doc_free(doc);
  /* overlap: subsets and exact duplicates, in either order */
  FAILS_EXACT(OCI,
              WITH_IDS("\"x509.subject:C=US,ST=WA,O=MyOrg\",\"x509.subject:C=US,ST=WA,O=MyOrg,"
                       "X=Y\""),
              NV_E_POLICY_IDENTITY_OVERLAP,
              "oci trust policy: trust policy statement \"s\" has overlapping x509 "
              "trustedIdentities, \"x509.subject:C=US,ST=WA,O=MyOrg\" overlaps with "
              "\"x509.subject:C=US,ST=WA,O=MyOrg,X=Y\"");
  FAILS(OCI,
        WITH_IDS("\"x509.subject:C=US,ST=WA,O=MyOrg,X=Y\",\"x509.subject:O=MyOrg,S=WA,C=US\""),
        NV_E_POLICY_IDENTITY_OVERLAP,
        "\"x509.subject:O=MyOrg,S=WA,C=US\" overlaps with \"x509.subject:C=US,ST=WA,O=MyOrg,X=Y\"");
  FAILS(OCI, WITH_IDS("\"x509.subject:C=US,ST=WA,O=a\",\"x509.subject:C=US,ST=WA,O=a\""),
        NV_E_POLICY_IDENTITY_OVERLAP, "overlapping");
  /* different values, or overlaps through attributes the other lacks: fine */
  ACCEPTS(OCI, WITH_IDS("\"x509.subject:C=US,ST=WA,O=a\",\"x509.subject:C=US,ST=WA,O=b\","
                        "\"x509.subject:C=US,ST=WA,O=c,OU=1\\\\,2\""));
  FAILS(OCI,
        WITH_IDS("\"x509.subject:C=US,ST=WA,O=a,OU=x\",\"x509.subject:C=US,ST=WA,O=a,CN=y\","
                 "\"x509.subject:C=US,ST=WA,O=a\""),
        NV_E_POLICY_IDENTITY_OVERLAP, "\"x509.subject:C=US,ST=WA,O=a\" overlaps");
  /* DN errors come before overlaps */
  FAILS(OCI,
        WITH_IDS("\"x509.subject:C=US,ST=WA,O=a\",\"x509.subject:C=US,ST=WA,O=a\","
                 "\"x509.subject:bad\""),
        NV_E_POLICY_IDENTITY_DN_INVALID, NULL);
#undef WITH_IDS
}

static void rules_scopes(void **state)
{
  (void)state;
  FAILS_EXACT(OCI, DOC("{" NAME("s") "," STRICT "," STORES("\"ca:s\"") "," IDS("\"*\"") "}"),
              NV_E_POLICY_SCOPE_EMPTY,
              "oci trust policy statement \"s\" has zero registry scopes, it must specify "
              "registry scopes with at least one value");
  FAILS(OCI, DOC(OSTMT("s", "", STRICT)), NV_E_POLICY_SCOPE_EMPTY, NULL);
  FAILS_EXACT(OCI, DOC(OSTMT("s", "\"r.io/a\",\"*\"", STRICT)), NV_E_POLICY_SCOPE_WILDCARD_MIXED,
              "oci trust policy statement \"s\" uses wildcard registry scope '*', a wildcard "
              "scope cannot be used in conjunction with other scope values");
  FAILS(OCI, DOC(OSTMT("s", "\"*\",\"*\"", STRICT)), NV_E_POLICY_SCOPE_WILDCARD_MIXED, NULL);
  FAILS_EXACT(OCI, DOC(OSTMT("s", "\"r.io/*\"", STRICT)), NV_E_POLICY_SCOPE_INVALID,
              "registry scope \"r.io/*\" with wild card(s) is not valid, make sure it is a fully "
              "qualified repository without the scheme, protocol or tag. For example "
              "domain.com/my/repository or a local scope like local/myOCILayout");
  FAILS_EXACT(OCI, DOC(OSTMT("s", "\"r.io/a:tag\"", STRICT)), NV_E_POLICY_SCOPE_INVALID,
              "registry scope \"r.io/a:tag\" is not valid, make sure it is a fully qualified "
              "repository without the scheme, protocol or tag. For example "
              "domain.com/my/repository or a local scope like local/myOCILayout");
  FAILS_EXACT(OCI, DOC(OSTMT("a", "\"r.io/x\"", STRICT) "," OSTMT("b", "\"r.io/x\"", STRICT)),
              NV_E_POLICY_SCOPE_DUPLICATE,
              "registry scope \"r.io/x\" is present in multiple oci trust policy statements, one "
              "registry scope value can only be associated with one statement");
  FAILS(OCI, DOC(OSTMT("a", "\"r.io/x\",\"r.io/x\"", STRICT)), NV_E_POLICY_SCOPE_DUPLICATE,
        "\"r.io/x\"");
  FAILS(OCI, DOC(OSTMT("a", "\"*\"", STRICT) "," OSTMT("b", "\"*\"", STRICT)),
        NV_E_POLICY_SCOPE_DUPLICATE, "\"*\"");
  /* the first duplicate in document order */
  FAILS(OCI,
        DOC(OSTMT("a", "\"r.io/z\",\"r.io/y\"", STRICT) "," OSTMT("b", "\"r.io/y\"", STRICT) ","
            OSTMT("c", "\"r.io/z\"", STRICT)),
        NV_E_POLICY_SCOPE_DUPLICATE, "\"r.io/y\"");
  /* scopes are checked after every statement: a later statement's level
   * error wins over an earlier statement's scope error */
  FAILS(OCI, DOC(OSTMT("a", "\"bad\"", STRICT) ",{" NAME("b") "," SCOPES("\"r.io/b\"") "}"),
        NV_E_POLICY_LEVEL_MISSING, "\"b\"");
  /* format errors of every statement come before duplicates */
  FAILS(OCI,
        DOC(OSTMT("a", "\"r.io/x\"", STRICT) "," OSTMT("b", "\"r.io/x\"", STRICT) ","
            OSTMT("c", "\"r.io/UPPER\"", STRICT)),
        NV_E_POLICY_SCOPE_INVALID, "UPPER");
  /* the specification forbids skip on "*"; notation-go and conformance
   * case TP-SEL-003 accept it */
  ACCEPTS(OCI, DOC("{" NAME("s") "," SCOPES("\"*\"") "," SKIP "}"));
}

static void rules_blob(void **state)
{
  (void)state;
  FAILS_EXACT(BLOB,
              DOC("{" NAME("a") ",\"globalPolicy\":true," STRICT "," STORES("\"ca:s\"") ","
                  IDS("\"*\"") "},{" NAME("b") ",\"globalPolicy\":true," STRICT ","
                  STORES("\"ca:s\"") "," IDS("\"*\"") "}"),
              NV_E_POLICY_BLOB_MULTIPLE_GLOBAL,
              "multiple blob trust policy statements have globalPolicy set to true. Only one "
              "trust policy statement can be marked as global policy");
  FAILS(BLOB, DOC("{" NAME("g") ",\"globalPolicy\":true," SKIP "}"), NV_E_POLICY_BLOB_GLOBAL_SKIP,
        "global blob trust policy statement \"g\" cannot have verification level set to skip");
  ACCEPTS(BLOB, DOC("{" NAME("g") ",\"globalPolicy\":false," SKIP "}"));
  /* the global rules come after the statement's own rules */
  FAILS(BLOB,
        DOC("{" NAME("a") ",\"globalPolicy\":true," STRICT "," STORES("\"ca:s\"") "," IDS("\"*\"")
            "},{" NAME("b") ",\"globalPolicy\":true," STRICT "}"),
        NV_E_POLICY_MISSING_STORES_OR_IDENTITIES, NULL);
}

/* ---------- shape: types, unknown members, null ---------- */

static void shape_errors(void **state)
{
  (void)state;
  FAILS(OCI, "[]", NV_E_POLICY_MALFORMED, "must be a JSON object, found an array");
  FAILS(OCI, "\"1.0\"", NV_E_POLICY_MALFORMED, "found a string");
  FAILS(OCI, "{\"version\":1.0}", NV_E_POLICY_MALFORMED,
        "oci trust policy document: member \"version\" must be a string, found a number");
  FAILS(OCI, "{\"version\":\"1.0\",\"trustPolicies\":{}}", NV_E_POLICY_MALFORMED,
        "member \"trustPolicies\" must be an array, found an object");
  FAILS(OCI, DOC("\"s\""), NV_E_POLICY_MALFORMED,
        "oci trust policy statement #1 must be an object, found a string");
  FAILS(OCI, DOC(OSTMT("a", "\"r.io/a\"", STRICT) ",null"), NV_E_POLICY_MALFORMED,
        "statement #2 must be an object, found null");
  FAILS(OCI, DOC("{\"name\":7}"), NV_E_POLICY_MALFORMED, "member \"name\" must be a string");
  FAILS(OCI, OCI_WITH("\"signatureVerification\":\"strict\""), NV_E_POLICY_MALFORMED,
        "statement #1 (\"s\"): member \"signatureVerification\" must be an object, found a "
        "string");
  FAILS(OCI, OCI_WITH(SV("\"level\":[\"strict\"]")), NV_E_POLICY_MALFORMED,
        "(\"s\"), signatureVerification: member \"level\" must be a string, found an array");
  FAILS(OCI, OCI_WITH(SV("\"level\":\"strict\",\"override\":[]")), NV_E_POLICY_MALFORMED,
        "member \"override\" must be an object");
  FAILS(OCI, OCI_WITH(SV("\"level\":\"strict\",\"override\":{\"expiry\":1}")),
        NV_E_POLICY_MALFORMED, "override \"expiry\" must be a string");
  FAILS(OCI, OCI_WITH(SV("\"level\":\"strict\",\"verifyTimestamp\":true")), NV_E_POLICY_MALFORMED,
        "member \"verifyTimestamp\" must be a string, found a boolean");
  FAILS(OCI, DOC("{" NAME("s") ",\"registryScopes\":\"r.io/a\"}"), NV_E_POLICY_MALFORMED,
        "member \"registryScopes\" must be an array");
  FAILS(OCI, OCI_WITH(STRICT ",\"trustStores\":{}"), NV_E_POLICY_MALFORMED,
        "member \"trustStores\" must be an array");
  FAILS(OCI, OCI_WITH(STRICT ",\"trustedIdentities\":\"*\""), NV_E_POLICY_MALFORMED,
        "member \"trustedIdentities\" must be an array");
  FAILS(OCI, OCI_WITH(STRICT "," STORES("\"ca:s\",1")), NV_E_POLICY_MALFORMED,
        "entry 2 of \"trustStores\" must be a string, found a number");
  FAILS(OCI, OCI_WITH(STRICT "," STORES("\"ca:s\"") "," IDS("null")), NV_E_POLICY_MALFORMED,
        "entry 1 of \"trustedIdentities\" must be a string, found null");
  FAILS(OCI, DOC("{" NAME("s") "," SCOPES("[\"r.io/a\"]") "}"), NV_E_POLICY_MALFORMED,
        "entry 1 of \"registryScopes\"");
  FAILS(BLOB, BLOB_WITH("\"globalPolicy\":\"true\""), NV_E_POLICY_MALFORMED,
        "member \"globalPolicy\" must be a boolean, found a string");
  /* shape errors come before every rule, even the version */
  FAILS(OCI, "{\"version\":\"9\",\"trustPolicies\":[{\"name\":1}]}", NV_E_POLICY_MALFORMED,
        NULL);
}

static void unknown_members(void **state)
{
  (void)state;
  FAILS_EXACT(OCI, "{\"version\":\"1.0\",\"trustPolicies\":[],\"extra\":1}",
              NV_E_POLICY_UNKNOWN_MEMBER,
              "oci trust policy document has unknown member \"extra\"; the members allowed here "
              "are \"version\", \"trustPolicies\"");
  FAILS(OCI, "{\"Version\":\"1.0\"}", NV_E_POLICY_UNKNOWN_MEMBER,
        "member names are case-sensitive: write \"version\"");
  FAILS(OCI, OCI_WITH(STRICT ",\"TrustStores\":[]"), NV_E_POLICY_UNKNOWN_MEMBER,
        "oci trust policy statement #1 (\"s\") has unknown member \"TrustStores\"; member names "
        "are case-sensitive: write \"trustStores\"");
  FAILS(OCI, OCI_WITH(STRICT ",\"trustedIdentites\":[]"), NV_E_POLICY_UNKNOWN_MEMBER,
        "unknown member \"trustedIdentites\"; the members allowed here are \"name\", "
        "\"registryScopes\"");
  FAILS(OCI, OCI_WITH(SV("\"Level\":\"strict\"")), NV_E_POLICY_UNKNOWN_MEMBER,
        "signatureVerification has unknown member \"Level\"; member names are case-sensitive: "
        "write \"level\"");
  FAILS(OCI, OCI_WITH(SV("\"level\":\"strict\",\"timestamp\":\"always\"")),
        NV_E_POLICY_UNKNOWN_MEMBER, "\"timestamp\"");
  FAILS(OCI, OCI_WITH(STRICT ",\"globalPolicy\":true"), NV_E_POLICY_UNKNOWN_MEMBER,
        "\"globalPolicy\" exists only in blob trust policies");
  FAILS(BLOB, BLOB_WITH(STRICT "," SCOPES("\"*\"")), NV_E_POLICY_UNKNOWN_MEMBER,
        "blob trust policies have no registry scopes");
  /* an OCI document read as a blob document, and the other way round */
  FAILS(BLOB, base_oci, NV_E_POLICY_UNKNOWN_MEMBER, "registryScopes");
}

static void null_is_absent(void **state)
{
  (void)state;
  nv_pol_doc *doc = PARSE_OK(
    OCI, OCI_WITH(SV("\"level\":\"strict\",\"override\":null,\"verifyTimestamp\":null") ","
                  STORES("\"ca:s\"") "," IDS("\"*\"")));
  assert_false(doc->statements[0].custom);
  assert_int_equal(doc->statements[0].verify_timestamp, NV_POL_VERIFY_TS_ALWAYS);
  nv_pol_doc_free(doc);
  ACCEPTS(OCI, OCI_WITH(SKIP ",\"trustStores\":null,\"trustedIdentities\":null"));
  doc = PARSE_OK(BLOB, BLOB_WITH(SKIP ",\"globalPolicy\":null"));
  assert_false(doc->statements[0].global);
  nv_pol_doc_free(doc);
  FAILS(OCI, DOC("{\"name\":null}"), NV_E_POLICY_NAME_MISSING, NULL);
  FAILS(OCI, DOC("{" NAME("s") ",\"registryScopes\":null," SKIP "}"), NV_E_POLICY_SCOPE_EMPTY,
        NULL);
}

/* ---------- bad bytes ---------- */

static void bad_bytes(void **state)
{
  (void)state;
  static const char malformed[] = "malformed trust policy. To create a trust policy, see: "
                                  "https://notaryproject.dev/docs/quickstart/#create-a-trust-"
                                  "policy";
  fails_at(__FILE__, __LINE__, OCI, "", 0, NV_E_POLICY_MALFORMED, malformed, true);
  fails_at(__FILE__, __LINE__, OCI, NULL, 0, NV_E_POLICY_MALFORMED, malformed, true);
  FAILS_EXACT(OCI, " \n\t ", NV_E_POLICY_MALFORMED, malformed);
  FAILS_EXACT(OCI, "{\"invalid", NV_E_POLICY_MALFORMED, malformed);
  FAILS_EXACT(OCI, "{\"version\":\"1.0\",}", NV_E_POLICY_MALFORMED, malformed);
  FAILS_EXACT(BLOB, "{\"version\":\"1.0\"} {}", NV_E_POLICY_MALFORMED, malformed);
  FAILS(OCI, "{\"version\":\"1.0\xff\"}", NV_E_POLICY_MALFORMED, "invalid UTF-8");
  FAILS(OCI, "{\"version\":\"1.0\\u0000\"}", NV_E_POLICY_MALFORMED, "(\\u0000)");
  FAILS(OCI, "\xef\xbb\xbf{}", NV_E_POLICY_MALFORMED, "byte-order mark");
  fails_at(__FILE__, __LINE__, OCI, "{\"version\":\"1.0\"\0}", 17, NV_E_POLICY_MALFORMED,
           "NUL byte", false);
  FAILS(OCI, "{\"version\":\"1.0\",\"version\":\"1.0\"}", NV_E_POLICY_MALFORMED,
        "duplicate member \"version\"");
  FAILS(OCI, OCI_WITH(STRICT ",\"name\":\"t\""), NV_E_POLICY_MALFORMED,
        "duplicate member \"name\"");
  /* nesting deeper than the JSON limit, inside an override */
  char deep[256];
  size_t o = (size_t)snprintf(deep, sizeof(deep), "{\"version\":\"1.0\",\"x\":");
  for (int i = 0; i < NV_LIMIT_JSON_DEPTH + 2; i++)
    deep[o++] = '[';
  for (int i = 0; i < NV_LIMIT_JSON_DEPTH + 2; i++)
    deep[o++] = ']';
  deep[o++] = '}';
  deep[o] = '\0';
  FAILS(OCI, deep, NV_E_POLICY_MALFORMED, "nest");
  /* arguments */
  nv_pol_doc *doc = NULL;
  assert_int_equal(nv_pol_parse(OCI, base_oci, strlen(base_oci), NULL, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_parse((nv_pol_doc_kind)3, base_oci, strlen(base_oci), &doc, NULL),
                   NV_E_INVALID_ARG);
  assert_null(doc);
  assert_int_equal(nv_pol_parse(OCI, NULL, 5, &doc, NULL), NV_E_INVALID_ARG);
}

static void size_limit(void **state)
{
  (void)state;
  /* exactly the limit: the document padded with white space is fine */
  size_t n = NV_LIMIT_POLICY_BYTES;
  char *big = malloc(n + 1);
  assert_non_null(big);
  size_t base = strlen(base_oci);
  memcpy(big, base_oci, base);
  memset(big + base, ' ', n + 1 - base);
  nv_diag d;
  nv_diag_init(&d);
  nv_pol_doc *doc = NULL;
  assert_int_equal(nv_pol_parse(OCI, big, n, &doc, &d), NV_OK);
  nv_pol_doc_free(doc);
  /* one byte more is refused before parsing */
  assert_int_equal(nv_pol_parse(OCI, big, n + 1, &doc, &d), NV_E_POLICY_TOO_LARGE);
  assert_null(doc);
  assert_non_null(strstr(d.msg, "1048577 bytes, over the limit of 1048576 bytes"));
  free(big);
}

/* A document of `count` statements "s<i>" with scope "r.io/s<i>". */
static char *many_statements(size_t count)
{
  nv_buf b;
  nv_buf_init(&b, (size_t)4 << 20);
  nv_buf_append_str(&b, "{\"version\":\"1.0\",\"trustPolicies\":[", NULL);
  for (size_t i = 0; i < count; i++) {
    char stmt[256];
    snprintf(stmt, sizeof(stmt),
             "%s{\"name\":\"s%zu\",\"registryScopes\":[\"r.io/s%zu\"],"
             "\"signatureVerification\":{\"level\":\"skip\"}}",
             i ? "," : "", i, i);
    nv_buf_append_str(&b, stmt, NULL);
  }
  nv_buf_append_str(&b, "]}", NULL);
  nv_buf_terminate(&b, NULL);
  return (char *)nv_buf_detach(&b, NULL);
}

/* A statement with `count` entries in `member`. */
static char *many_entries(const char *member, size_t count)
{
  nv_buf b;
  nv_buf_init(&b, (size_t)4 << 20);
  nv_buf_append_str(&b, "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"s\","
                        "\"signatureVerification\":{\"level\":\"audit\"}", NULL);
  static const char *const members[] = {"registryScopes", "trustStores", "trustedIdentities"};
  for (int m = 0; m < 3; m++) {
    nv_buf_append_str(&b, ",\"", NULL);
    nv_buf_append_str(&b, members[m], NULL);
    nv_buf_append_str(&b, "\":[", NULL);
    if (strcmp(members[m], member) == 0) {
      for (size_t i = 0; i < count; i++) {
        char entry[128];
        if (m == 0)
          snprintf(entry, sizeof(entry), "r.io/a%zu", i);
        else if (m == 1)
          snprintf(entry, sizeof(entry), "ca:s%zu", i);
        else
          snprintf(entry, sizeof(entry), "x509.subject:C=US,ST=WA,O=%zu", i);
        nv_buf_append_str(&b, i ? ",\"" : "\"", NULL);
        nv_buf_append_str(&b, entry, NULL);
        nv_buf_append_str(&b, "\"", NULL);
      }
    } else {
      nv_buf_append_str(&b, m == 0 ? "\"r.io/a\"" : m == 1 ? "\"ca:s\"" : "\"*\"", NULL);
    }
    nv_buf_append_str(&b, "]", NULL);
  }
  nv_buf_append_str(&b, "}]}", NULL);
  nv_buf_terminate(&b, NULL);
  return (char *)nv_buf_detach(&b, NULL);
}

static void count_limits(void **state)
{
  (void)state;
  char *json = many_statements(NV_POL_MAX_STATEMENTS);
  nv_pol_doc *doc = PARSE_OK(OCI, json);
  assert_int_equal(doc->count, NV_POL_MAX_STATEMENTS);
  const nv_pol_statement *st = NULL;
  assert_int_equal(nv_pol_select_oci(doc, "r.io/s999@sha256:1", &st, NULL), NV_OK);
  assert_string_equal(st->name, "s999");
  nv_pol_doc_free(doc);
  free(json);
  json = many_statements(NV_POL_MAX_STATEMENTS + 1);
  FAILS(OCI, json, NV_E_LIMIT, "1001 trust policy statements, more than the limit of 1000");
  free(json);

  json = many_entries("registryScopes", NV_POL_MAX_LIST_ENTRIES);
  ACCEPTS(OCI, json);
  free(json);
  json = many_entries("registryScopes", NV_POL_MAX_LIST_ENTRIES + 1);
  FAILS(OCI, json, NV_E_LIMIT, "member \"registryScopes\" has 1001 entries");
  free(json);
  json = many_entries("trustStores", NV_POL_MAX_LIST_ENTRIES + 1);
  FAILS(OCI, json, NV_E_LIMIT, "member \"trustStores\" has 1001 entries");
  free(json);
  json = many_entries("trustedIdentities", NV_POL_MAX_LIST_ENTRIES);
  doc = PARSE_OK(OCI, json);
  assert_int_equal(doc->statements[0].identity_count, NV_POL_MAX_LIST_ENTRIES);
  nv_pol_doc_free(doc);
  free(json);
  json = many_entries("trustedIdentities", NV_POL_MAX_LIST_ENTRIES + 1);
  FAILS(OCI, json, NV_E_LIMIT, "member \"trustedIdentities\" has 1001 entries");
  free(json);
}

/* ---------- files ---------- */

static char tmpdir[256];

static void load_fails_at(const char *file, int line, const char *path, nv_status code,
                          const char *msg)
{
  nv_diag d;
  nv_diag_init(&d);
  nv_pol_doc *doc = (nv_pol_doc *)&d;
  nv_status rc = nv_pol_load_file(OCI, path, &doc, &d);
  if (rc != code || doc != NULL || strstr(d.msg, msg) == NULL) {
    print_error("%s:%d: %s: expected %s '%s', got %s: %s\n", file, line, path,
                nv_status_name(code), msg, nv_status_name(rc), d.msg);
    if (rc == NV_OK)
      nv_pol_doc_free(doc);
    fail();
  }
}
#define LOAD_FAILS(path, code, msg) load_fails_at(__FILE__, __LINE__, path, code, msg)

static void files(void **state)
{
  (void)state;
  tmp_dir_new(tmpdir, sizeof(tmpdir), "nv-policy-test");
  char good[512], link[512], dir[512], missing[512], below[512], locked[512], big[512],
    fifo[512], bad[512], empty[512], dirlink[512], via[512];
  snprintf(good, sizeof(good), "%s/trustpolicy.oci.json", tmpdir);
  snprintf(link, sizeof(link), "%s/link.json", tmpdir);
  snprintf(dir, sizeof(dir), "%s/dir.json", tmpdir);
  snprintf(missing, sizeof(missing), "%s/missing.json", tmpdir);
  snprintf(below, sizeof(below), "%s/trustpolicy.oci.json/x", tmpdir);
  snprintf(locked, sizeof(locked), "%s/locked.json", tmpdir);
  snprintf(big, sizeof(big), "%s/big.json", tmpdir);
  snprintf(fifo, sizeof(fifo), "%s/fifo.json", tmpdir);
  snprintf(bad, sizeof(bad), "%s/bad.json", tmpdir);
  snprintf(empty, sizeof(empty), "%s/empty.json", tmpdir);
  snprintf(dirlink, sizeof(dirlink), "%s/dirlink", tmpdir);
  snprintf(via, sizeof(via), "%s/dirlink/trustpolicy.oci.json", tmpdir);

  write_path(good, base_oci, strlen(base_oci));
  nv_diag d;
  nv_diag_init(&d);
  nv_pol_doc *doc = NULL;
  assert_int_equal(nv_pol_load_file(OCI, good, &doc, &d), NV_OK);
  assert_string_equal(doc->statements[0].name, "s");
  nv_pol_doc_free(doc);
  /* the rules apply to files too */
  assert_int_equal(nv_pol_load_file(BLOB, good, &doc, &d), NV_E_POLICY_UNKNOWN_MEMBER);

  assert_int_equal(symlink(good, link), 0);
  LOAD_FAILS(link, NV_E_POLICY_NOT_REGULAR_FILE,
             "is not a regular file (symlinks are not supported)");
  assert_int_equal(mkdir(dir, 0700), 0);
  LOAD_FAILS(dir, NV_E_POLICY_NOT_REGULAR_FILE, "is not a regular file");
  LOAD_FAILS(missing, NV_E_POLICY_NOT_FOUND, "trust policy is not present");
  LOAD_FAILS(below, NV_E_POLICY_NOT_FOUND, "trust policy is not present");
  assert_int_equal(mkfifo(fifo, 0600), 0);
  LOAD_FAILS(fifo, NV_E_POLICY_NOT_REGULAR_FILE, "is not a regular file");
  /* a symlinked directory above the file is followed, as notation-go does */
  assert_int_equal(symlink(tmpdir, dirlink), 0);
  assert_int_equal(nv_pol_load_file(OCI, via, &doc, &d), NV_OK);
  nv_pol_doc_free(doc);

  write_path(locked, base_oci, strlen(base_oci));
  assert_int_equal(chmod(locked, 0), 0);
  if (geteuid() != 0)
    LOAD_FAILS(locked, NV_E_POLICY_PERMISSION,
               "unable to read trust policy due to file permissions");

  char *content = malloc(NV_LIMIT_POLICY_BYTES + 1);
  assert_non_null(content);
  memset(content, ' ', NV_LIMIT_POLICY_BYTES + 1);
  memcpy(content, base_oci, strlen(base_oci));
  write_path(big, content, NV_LIMIT_POLICY_BYTES);
  assert_int_equal(nv_pol_load_file(OCI, big, &doc, &d), NV_OK);
  nv_pol_doc_free(doc);
  write_path(big, content, NV_LIMIT_POLICY_BYTES + 1);
  LOAD_FAILS(big, NV_E_POLICY_TOO_LARGE, "1048577 bytes, over the limit of 1048576 bytes");
  free(content);

  write_path(bad, "{\"invalid", 9);
  LOAD_FAILS(bad, NV_E_POLICY_MALFORMED, "malformed trust policy. To create a trust policy");
  write_path(empty, "", 0);
  LOAD_FAILS(empty, NV_E_POLICY_MALFORMED, "malformed trust policy");

  assert_int_equal(nv_pol_load_file(OCI, NULL, &doc, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_load_file(OCI, "", &doc, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_load_file(OCI, good, NULL, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_load_file((nv_pol_doc_kind)9, good, &doc, &d), NV_E_INVALID_ARG);

  const char *const all[] = {good, link, missing, locked, big, fifo, bad, empty, dirlink};
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
    unlink(all[i]);
  rmdir(dir);
  assert_int_equal(rmdir(tmpdir), 0);
}

/* ---------- selection ---------- */

static void select_fails_at(const char *file, int line, const nv_pol_doc *doc, const char *ref,
                            const char *msg)
{
  nv_diag d;
  nv_diag_init(&d);
  const nv_pol_statement *st = (const nv_pol_statement *)&d;
  nv_status rc = nv_pol_select_oci(doc, ref, &st, &d);
  if (rc != NV_E_NO_APPLICABLE_POLICY || st != NULL || strstr(d.msg, msg) == NULL) {
    print_error("%s:%d: '%s': expected NV_E_NO_APPLICABLE_POLICY '%s', got %s: %s\n", file,
                line, ref, msg, nv_status_name(rc), d.msg);
    fail();
  }
}
#define SELECT_FAILS(doc, ref, msg) select_fails_at(__FILE__, __LINE__, doc, ref, msg)

static const char *selected(const nv_pol_doc *doc, const char *ref)
{
  const nv_pol_statement *st = NULL;
  nv_diag d;
  nv_diag_init(&d);
  if (nv_pol_select_oci(doc, ref, &st, &d) != NV_OK) {
    print_error("'%s': %s\n", ref, d.msg);
    return "(error)";
  }
  return st->name;
}

static void select_oci(void **state)
{
  (void)state;
  nv_pol_doc *doc = PARSE_OK(
    OCI, DOC(OSTMT("exact", "\"r.io/app\",\"localhost:5000/ns/app\"", STRICT) ","
             "{" NAME("any") "," SCOPES("\"*\"") "," SKIP "}," OSTMT("other", "\"r.io/other\"",
                                                                     STRICT)));
  assert_string_equal(selected(doc, "r.io/app@sha256:abc"), "exact");
  assert_string_equal(selected(doc, "localhost:5000/ns/app@sha256:abc"), "exact");
  assert_string_equal(selected(doc, "r.io/other@sha256:abc"), "other");
  /* scopes match exactly, not as prefixes */
  assert_string_equal(selected(doc, "r.io/app/sub@sha256:abc"), "any");
  assert_string_equal(selected(doc, "r.io/ap@sha256:abc"), "any");
  /* the digest is not checked */
  assert_string_equal(selected(doc, "r.io/app@"), "exact");
  assert_string_equal(selected(doc, "r.io/app@anything"), "exact");
  nv_pol_doc_free(doc);

  doc = PARSE_OK(OCI, base_oci);
  SELECT_FAILS(doc, "r.io/other@sha256:abc",
               "artifact \"r.io/other@sha256:abc\" has no applicable oci trust policy statement. "
               "Trust policy applicability for a given artifact is determined by registryScopes. "
               "To create a trust policy, see: "
               "https://notaryproject.dev/docs/quickstart/#create-a-trust-policy");
  SELECT_FAILS(doc, "r.io/app", "artifact URI \"r.io/app\" could not be parsed, make sure it is "
                                "the fully qualified oci artifact URI without the "
                                "scheme/protocol. e.g domain.com:80/my/repository@sha256:digest");
  SELECT_FAILS(doc, "", "artifact URI \"\" could not be parsed");
  SELECT_FAILS(doc, "r.io/app:v1", "could not be parsed");
  /* the repository must be a valid scope: the last '@' splits */
  SELECT_FAILS(doc, "r.io/app@x@sha256:1", "registry scope \"r.io/app@x\" is not valid");
  SELECT_FAILS(doc, "r.io/App@sha256:1", "registry scope \"r.io/App\" is not valid");
  SELECT_FAILS(doc, "https://r.io/app@sha256:1", "is not valid");
  SELECT_FAILS(doc, "*@sha256:1", "registry scope \"*\" is not valid");
  SELECT_FAILS(doc, "r.io/*@sha256:1", "registry scope \"r.io/*\" with wild card(s) is not valid");
  SELECT_FAILS(doc, "@sha256:1", "registry scope \"\" is not valid");
  const nv_pol_statement *st = NULL;
  assert_int_equal(nv_pol_select_oci(NULL, "r.io/app@x", &st, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_select_oci(doc, NULL, &st, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_select_oci(doc, "r.io/app@x", NULL, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_select_blob(doc, "s", &st, NULL), NV_E_INVALID_ARG);
  assert_null(st);
  nv_pol_doc_free(doc);
}

static void select_blob(void **state)
{
  (void)state;
  nv_pol_doc *doc = PARSE_OK(BLOB, DOC(BSTMT("a", STRICT) ",{" NAME("g") ",\"globalPolicy\":true,"
                                       STRICT "," STORES("\"ca:s\"") "," IDS("\"*\"") "},"
                                       BSTMT(" padded ", STRICT)));
  const nv_pol_statement *st = NULL;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_pol_select_blob(doc, "a", &st, &d), NV_OK);
  assert_ptr_equal(st, &doc->statements[0]);
  assert_int_equal(nv_pol_select_blob(doc, "g", &st, &d), NV_OK);
  assert_ptr_equal(st, &doc->statements[1]);
  assert_int_equal(nv_pol_select_blob(doc, NULL, &st, &d), NV_OK);
  assert_ptr_equal(st, &doc->statements[1]);
  /* exact names: no trimming, case-sensitive */
  assert_int_equal(nv_pol_select_blob(doc, " padded ", &st, &d), NV_OK);
  assert_ptr_equal(st, &doc->statements[2]);
  assert_int_equal(nv_pol_select_blob(doc, "padded", &st, &d), NV_E_NO_APPLICABLE_POLICY);
  assert_null(st);
  assert_string_equal(d.msg, "no applicable blob trust policy with name \"padded\"");
  assert_int_equal(nv_pol_select_blob(doc, "A", &st, &d), NV_E_NO_APPLICABLE_POLICY);
  static const char *const blank[] = {"", " ", "\t\n\v\f\r", "\xc2\xa0", "\xe3\x80\x80 "};
  for (size_t i = 0; i < sizeof(blank) / sizeof(blank[0]); i++) {
    assert_int_equal(nv_pol_select_blob(doc, blank[i], &st, &d), NV_E_NO_APPLICABLE_POLICY);
    assert_string_equal(d.msg, "policy name cannot be empty");
  }
  assert_int_equal(nv_pol_select_oci(doc, "r.io/a@x", &st, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_select_blob(NULL, "a", &st, &d), NV_E_INVALID_ARG);
  nv_pol_doc_free(doc);

  doc = PARSE_OK(BLOB, DOC(BSTMT("a", STRICT)));
  assert_int_equal(nv_pol_select_blob(doc, NULL, &st, &d), NV_E_NO_APPLICABLE_POLICY);
  assert_string_equal(d.msg, "no global blob trust policy");
  assert_null(st);
  nv_pol_doc_free(doc);
}

static void scope_format(void **state)
{
  (void)state;
  static const char *const valid[] = {
    "example.com/rep", "example.com/rep/subrep/subsub", "10.10.10.10:8080/rep/rep2",
    "domain:1234/rep", "localhost/x", "a-b.c-d.io/x", "A.Example.COM/x", "r.io/a.b_c__d--e-f",
    "r.io/a0/b1/c2", "1/2",
  };
  static const char *const invalid[] = {
    "", "1:1", "abcd", "1111", "example.com/rep:tag", "example.com", "rep/rep2:latest",
    "10.10.10.10", "10.10.10.10:8080/rep/rep2:latest", "local/myOCILayout", "-a.io/x",
    "a-.io/x", "a..io/x", ".a.io/x", "a.io./x", "a.io:/x", "a.io:80a/x", "a.io:80:81/x",
    "a_b.io/x", "/x", "a.io/", "a.io//x", "a.io/x/", "a.io/X", "a.io/x___y", "a.io/x._y",
    "a.io/.x", "a.io/x.", "a.io/x-", "a.io/-x", "a.io/x@y", "https://a.io/x", "a.io/x y",
  };
  nv_diag d;
  nv_diag_init(&d);
  for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
    if (nv_pol_check_scope(valid[i], &d) != NV_OK) {
      print_error("'%s' should be valid: %s\n", valid[i], d.msg);
      fail();
    }
  for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
    if (nv_pol_check_scope(invalid[i], &d) != NV_E_POLICY_SCOPE_INVALID ||
        strstr(d.msg, "is not valid, make sure it is a fully qualified repository") == NULL) {
      print_error("'%s' should be invalid\n", invalid[i]);
      fail();
    }
  assert_int_equal(nv_pol_check_scope("a.io/*", &d), NV_E_POLICY_SCOPE_INVALID);
  assert_non_null(strstr(d.msg, "with wild card(s)"));
  assert_int_equal(nv_pol_check_scope("*", &d), NV_E_POLICY_SCOPE_INVALID);
  assert_null(strstr(d.msg, "with wild card(s)"));
  assert_int_equal(nv_pol_check_scope(NULL, &d), NV_E_INVALID_ARG);
}

/* ---------- trusted identities ---------- */

static X509 *load_leaf(const char *rel)
{
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", NV_VECTORS, rel);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  uint8_t buf[16384];
  size_t n = fread(buf, 1, sizeof(buf), f);
  fclose(f);
  nv_x509_list l;
  nv_x509_list_init(&l);
  assert_int_equal(nv_x509_read_certs(buf, n, rel, &l, NULL), NV_OK);
  X509 *x = l.items[0];
  assert_int_equal(X509_up_ref(x), 1);
  nv_x509_list_free(&l);
  return x;
}

static void free_leaf(X509 *x)
{
  X509_free(x);
}

#define SIGNING_CERT "notation-go/verifier/testdata/verifier/signing-cert.pem"
#define CN_ONLY_CERT "inline/notation-core-go/x509/codeSigningLeafPem.pem"

static nv_status match_stmt(const char *ids, X509 *leaf, nv_diag *d)
{
  char json[1024];
  snprintf(json, sizeof(json),
           DOC("{" NAME("test-statement-name") "," SCOPES("\"*\"") "," STRICT ","
               STORES("\"ca:s\"") ",\"trustedIdentities\":[%s]}"),
           ids);
  nv_pol_doc *doc = PARSE_OK(OCI, json);
  nv_status rc = nv_pol_match_identity(&doc->statements[0], leaf, d);
  nv_pol_doc_free(doc);
  return rc;
}

static void match_identity(void **state)
{
  (void)state;
  X509 *leaf = load_leaf(SIGNING_CERT), *cn_only = load_leaf(CN_ONLY_CERT);
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(match_stmt("\"x509.subject:C=US,O=SomeOrg,ST=WA\"", leaf, &d), NV_OK);
  assert_int_equal(match_stmt("\"x509.subject:C=US,O=SomeOrg,ST=WA,CN=SomeCN,OU=SomeOU,"
                              "L=Seattle\"",
                              leaf, &d),
                   NV_OK);
  assert_int_equal(match_stmt("\"x509.subject:C=US,O=Other,ST=WA\",\"other:x\","
                              "\"x509.subject:C=US,O=SomeOrg,S=WA,L=Seattle\"",
                              leaf, &d),
                   NV_OK);
  assert_int_equal(match_stmt("\"*\"", leaf, &d), NV_OK);
  assert_int_equal(match_stmt("\"*\"", cn_only, &d), NV_OK);
  assert_int_equal(match_stmt("\"x509.subject:C=US,O=someorg,ST=WA\"", leaf, &d),
                   NV_E_IDENTITY_MISMATCH);
  assert_string_equal(d.msg, "signing certificate from the digital signature does not match the "
                             "X.509 trusted identities [\"x509.subject:C=US,O=someorg,ST=WA\"] "
                             "defined in the trust policy \"test-statement-name\" (certificate "
                             "subject \"CN=SomeCN,OU=SomeOU,O=SomeOrg,L=Seattle,ST=WA,C=US\")");
  assert_int_equal(match_stmt("\"x509.subject:C=US,O=SomeOrg,ST=WA,E=x\"", leaf, &d),
                   NV_E_IDENTITY_MISMATCH);
  assert_int_equal(match_stmt("\"x509.subject:C=US,O=SomeOrg,ST=WA\"", cn_only, &d),
                   NV_E_LEAF_SUBJECT_UNPARSABLE);
  assert_non_null(strstr(d.msg, "error while parsing the certificate subject from the digital "
                                "signature. error : certificate subject \"CN=CodeSigningLeaf\""));
  assert_int_equal(match_stmt("\"other:x\"", leaf, &d), NV_E_NO_X509_IDENTITIES);
  assert_string_equal(d.msg, "no x509 trusted identities are configured in the trust policy "
                             "\"test-statement-name\"");
  assert_int_equal(match_stmt("\"x509.subject:C=US,O=SomeOrg,ST=WA\"", NULL, &d),
                   NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_match_identity(NULL, leaf, &d), NV_E_INVALID_ARG);

  /* raw identity lists, as notation-go's verifier checks them */
  const char *ids1[] = {"x509.subject:C=US,O=SomeOrg,ST=WA", "nonX509Prefix:my-custom-identity"};
  assert_int_equal(nv_pol_match_identities("n", ids1, 2, leaf, &d), NV_OK);
  assert_int_equal(nv_pol_match_identities("n", ids1 + 1, 1, leaf, &d), NV_E_NO_X509_IDENTITIES);
  assert_string_equal(d.msg, "no x509 trusted identities are configured in the trust policy "
                             "\"n\"");
  const char *star[] = {"no-separator", "*"};
  assert_int_equal(nv_pol_match_identities("n", star, 2, cn_only, &d), NV_OK);
  assert_int_equal(nv_pol_match_identities("n", star, 1, leaf, &d), NV_E_IDENTITY_NO_SEPARATOR);
  assert_string_equal(d.msg, "trust policy statement \"n\" has trusted identity \"no-separator\" "
                             "missing separator");
  const char *bad_dn[] = {"x509.subject:C=bad=#identity,O=LOL,ST=LOL"};
  assert_int_equal(nv_pol_match_identities("n", bad_dn, 1, leaf, &d),
                   NV_E_POLICY_IDENTITY_DN_INVALID);
  assert_string_equal(d.msg, "unsupported distinguished name (DN) \"C=bad=#identity,O=LOL,"
                             "ST=LOL\": notation does not support x509.subject identities "
                             "containing \"=#\"");
  const char *empty_dn[] = {"x509.subject:"};
  assert_int_equal(nv_pol_match_identities("n", empty_dn, 1, leaf, &d),
                   NV_E_POLICY_IDENTITY_EMPTY_VALUE);
  assert_string_equal(d.msg, "trust policy statement \"n\" has trusted identity \"x509.subject:\" "
                             "without an identity value");
  const char *two[] = {"x509.subject:C=IND,O=SomeOrg,ST=TS", "x509.subject:C=LOL,O=LOL,ST=LOL"};
  assert_int_equal(nv_pol_match_identities("n", two, 2, leaf, &d), NV_E_IDENTITY_MISMATCH);
  assert_non_null(strstr(d.msg, "[\"x509.subject:C=IND,O=SomeOrg,ST=TS\" "
                                "\"x509.subject:C=LOL,O=LOL,ST=LOL\"]"));
  assert_int_equal(nv_pol_match_identities("n", NULL, 0, leaf, &d), NV_E_NO_X509_IDENTITIES);
  assert_int_equal(nv_pol_match_identities("n", NULL, 1, leaf, &d), NV_E_INVALID_ARG);
  const char *nul[] = {NULL};
  assert_int_equal(nv_pol_match_identities("n", nul, 1, leaf, &d), NV_E_INVALID_ARG);
  free_leaf(leaf);
  free_leaf(cn_only);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(base_document),
    cmocka_unit_test(blob_document_and_overrides),
    cmocka_unit_test(levels),
    cmocka_unit_test(rules_document),
    cmocka_unit_test(rules_statement),
    cmocka_unit_test(rules_stores),
    cmocka_unit_test(rules_identities),
    cmocka_unit_test(rules_scopes),
    cmocka_unit_test(rules_blob),
    cmocka_unit_test(shape_errors),
    cmocka_unit_test(unknown_members),
    cmocka_unit_test(null_is_absent),
    cmocka_unit_test(bad_bytes),
    cmocka_unit_test(size_limit),
    cmocka_unit_test(count_limits),
    cmocka_unit_test(files),
    cmocka_unit_test(select_oci),
    cmocka_unit_test(select_blob),
    cmocka_unit_test(scope_format),
    cmocka_unit_test(match_identity),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
