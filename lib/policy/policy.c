/*
 * Trust policy documents (notary-spec.md 13.1-13.7).
 *
 * Parsing runs in two passes over the strict JSON tree (base/nv_json.h:
 * duplicate members, invalid UTF-8, "\u0000" and deep nesting are already
 * refused there):
 *   1. shape: every member has the expected JSON type and is known; counts
 *      are within NV_POL_MAX_STATEMENTS / NV_POL_MAX_LIST_ENTRIES. A shape
 *      error is what notation-go's json.Unmarshal would fail on, so it comes
 *      before any rule, as "malformed trust policy".
 *   2. rules, in notation-go's order and with its messages (Document.Validate,
 *      BlobDocument.Validate, validatePolicyCore, GetVerificationLevel,
 *      validateRegistryScopes), each with its own NV_E_POLICY_* code.
 *
 * Decisions, and where this differs from notation-go (GO):
 *   - Member names are matched exactly (GO: case-insensitively), and an
 *     unknown member is refused with NV_E_POLICY_UNKNOWN_MEMBER naming it
 *     (GO ignores it). A misspelt "trustedIdentites" or "Level" would
 *     otherwise silently change what is verified. None of the conformance
 *     documents has an extra member. "registryScopes" in a blob document
 *     and "globalPolicy" in an OCI document are unknown members too.
 *   - null counts as an absent member (GO's json.Unmarshal leaves the zero
 *     value, and GO writes nil lists as null); null inside a list is a
 *     shape error.
 *   - Registry scope "*" with level "skip" is ACCEPTED, as GO does, although
 *     the specification forbids it: conformance case TP-SEL-003 selects such
 *     a statement successfully. It is logged as a warning.
 *   - A blob statement with "globalPolicy": true and level "skip" is refused
 *     (NV_E_POLICY_BLOB_GLOBAL_SKIP), as the specification says (GO's check
 *     compares a string with a struct and never fires).
 *   - Override members are applied in document order (GO: map order, which
 *     is random when two members are bad; the first bad one is reported).
 *   - The first duplicated registry scope in document order is reported
 *     (GO: random map order).
 *   - DN rules stricter than GO are listed in nv_pol_dn.h.
 *   - Text that is not JSON gets GO's exact message; the parser's detail
 *     (byte offset) goes to the log at NV_LOG_ERROR.
 */
#include "policy/nv_pol_policy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/nv_json.h"
#include "base/nv_text.h"
#include "base/nv_limits.h"
#include "x509/nv_x509_chain.h"

#define POLICY_LINK "https://notaryproject.dev/docs/quickstart/#create-a-trust-policy"
#define SCOPE_HELP                                                                             \
  "make sure it is a fully qualified repository without the scheme, protocol or tag. For "   \
  "example domain.com/my/repository or a local scope like local/myOCILayout"
#define QMAX 400
#define WILDCARD "*"
#define X509_SUBJECT "x509.subject"

static const char *q(char *buf, size_t size, const char *s)
{
  size_t len = 0;
  buf[0] = '\0';
  nv_quote_go(buf, size, &len, s);
  return buf;
}

const char *nv_pol_doc_kind_name(nv_pol_doc_kind kind)
{
  switch (kind) {
  case NV_POL_DOC_OCI: return "oci";
  case NV_POL_DOC_BLOB: return "blob";
  }
  return NULL;
}

/* ---------- freeing ---------- */

static void free_statement(nv_pol_statement *st)
{
  free(st->name);
  for (size_t i = 0; i < st->scope_count; i++)
    free(st->scopes[i]);
  free(st->scopes);
  for (size_t i = 0; i < st->store_count; i++)
    free(st->stores[i].raw);
  free(st->stores);
  for (size_t i = 0; i < st->identity_count; i++) {
    free(st->identities[i].raw);
    nv_pol_dn_free(&st->identities[i].dn);
  }
  free(st->identities);
  memset(st, 0, sizeof(*st));
}

void nv_pol_doc_free(nv_pol_doc *doc)
{
  if (doc == NULL)
    return;
  for (size_t i = 0; i < doc->count; i++)
    free_statement(&doc->statements[i]);
  free(doc->statements);
  free(doc);
}

nv_pol_action nv_pol_stmt_action(const nv_pol_statement *stmt, nv_pol_check check)
{
  if (stmt == NULL || (size_t)check >= NV_POL_CHECK_COUNT)
    return NV_POL_ACTION_NONE;
  return stmt->actions[check];
}

/* ---------- pass 1: shape ---------- */

typedef struct pctx {
  nv_pol_doc_kind kind;
  const char *kn; /* "oci" / "blob" */
  nv_diag *d;
} pctx;

static const char *const top_members[] = {"version", "trustPolicies", NULL};
static const char *const oci_members[] = {"name", "registryScopes", "signatureVerification",
                                          "trustStores", "trustedIdentities", NULL};
static const char *const blob_members[] = {"name", "signatureVerification", "trustStores",
                                           "trustedIdentities", "globalPolicy", NULL};
static const char *const sv_members[] = {"level", "override", "verifyTimestamp", NULL};

static bool ascii_case_equal(const char *a, const char *b)
{
  for (; *a && *b; a++, b++) {
    char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
    char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;
    if (x != y)
      return false;
  }
  return *a == *b;
}

/* "oci trust policy statement #2 ("name")" or the document itself. */
static void where_statement(const pctx *c, const nv_json *stmt, size_t index, char *buf,
                            size_t size)
{
  char qn[QMAX];
  const char *name = nv_json_string(nv_json_member(stmt, "name"));
  if (name != NULL)
    snprintf(buf, size, "%s trust policy statement #%zu (%s)", c->kn, index + 1,
             q(qn, sizeof(qn), name));
  else
    snprintf(buf, size, "%s trust policy statement #%zu", c->kn, index + 1);
}

static nv_status check_known(const pctx *c, const nv_json *obj, const char *const *allowed,
                             const char *where)
{
  for (size_t i = 0; i < nv_json_count(obj); i++) {
    const char *key = nv_json_key(nv_json_at(obj, i));
    bool known = false;
    for (const char *const *a = allowed; *a != NULL && !known; a++)
      known = strcmp(*a, key) == 0;
    if (known)
      continue;
    char qk[QMAX], hint[300] = "";
    for (const char *const *a = allowed; *a != NULL; a++)
      if (ascii_case_equal(*a, key))
        snprintf(hint, sizeof(hint), "member names are case-sensitive: write \"%s\"", *a);
    if (hint[0] == '\0') {
      if (c->kind == NV_POL_DOC_BLOB && strcmp(key, "registryScopes") == 0)
        snprintf(hint, sizeof(hint),
                 "blob trust policies have no registry scopes; remove it (use \"globalPolicy\" "
                 "for a statement that applies to every blob)");
      else if (c->kind == NV_POL_DOC_OCI && strcmp(key, "globalPolicy") == 0)
        snprintf(hint, sizeof(hint),
                 "\"globalPolicy\" exists only in blob trust policies; use the registry scope "
                 "\"*\" instead");
      else {
        size_t n = (size_t)snprintf(hint, sizeof(hint), "the members allowed here are");
        for (const char *const *a = allowed; *a != NULL && n < sizeof(hint); a++)
          n += (size_t)snprintf(hint + n, sizeof(hint) - n, "%s \"%s\"",
                                a == allowed ? "" : ",", *a);
      }
    }
    return nv_diag_set(c->d, NV_E_POLICY_UNKNOWN_MEMBER, "%s has unknown member %s; %s", where,
                       q(qk, sizeof(qk), key), hint);
  }
  return NV_OK;
}

static const char *type_phrase(nv_json_type t)
{
  switch (t) {
  case NV_JSON_NULL: return "null";
  case NV_JSON_BOOL: return "a boolean";
  case NV_JSON_NUMBER: return "a number";
  case NV_JSON_STRING: return "a string";
  case NV_JSON_ARRAY: return "an array";
  case NV_JSON_OBJECT: return "an object";
  default: return "an invalid value";
  }
}

/* The member is absent, null or of type `want`. */
static nv_status check_type(const pctx *c, const nv_json *obj, const char *member,
                            nv_json_type want, const char *where)
{
  const nv_json *v = nv_json_member(obj, member);
  nv_json_type t = nv_json_type_of(v);
  if (v == NULL || t == NV_JSON_NULL || t == want)
    return NV_OK;
  return nv_diag_set(c->d, NV_E_POLICY_MALFORMED,
                     "malformed trust policy: %s: member \"%s\" must be %s, found %s", where,
                     member, type_phrase(want), type_phrase(t));
}

/* The member is absent, null or an array of at most `max` strings. */
static nv_status check_list(const pctx *c, const nv_json *obj, const char *member, size_t max,
                            const char *where)
{
  nv_status rc = check_type(c, obj, member, NV_JSON_ARRAY, where);
  if (rc != NV_OK)
    return rc;
  const nv_json *v = nv_json_member(obj, member);
  if (nv_json_type_of(v) != NV_JSON_ARRAY)
    return NV_OK;
  size_t n = nv_json_count(v);
  if (n > max)
    return nv_diag_set(c->d, NV_E_LIMIT,
                       "%s: member \"%s\" has %zu entries, more than the limit of %zu", where,
                       member, n, max);
  for (size_t i = 0; i < n; i++) {
    nv_json_type t = nv_json_type_of(nv_json_at(v, i));
    if (t != NV_JSON_STRING)
      return nv_diag_set(c->d, NV_E_POLICY_MALFORMED,
                         "malformed trust policy: %s: entry %zu of \"%s\" must be a string, "
                         "found %s",
                         where, i + 1, member, type_phrase(t));
  }
  return NV_OK;
}

static nv_status check_statement_shape(const pctx *c, const nv_json *st, size_t index)
{
  char where[QMAX + 64];
  where_statement(c, st, index, where, sizeof(where));
  nv_json_type t = nv_json_type_of(st);
  if (t != NV_JSON_OBJECT)
    return nv_diag_set(c->d, NV_E_POLICY_MALFORMED,
                       "malformed trust policy: %s must be an object, found %s", where,
                       type_phrase(t));
  nv_status rc = check_known(c, st, c->kind == NV_POL_DOC_OCI ? oci_members : blob_members,
                             where);
  if (rc == NV_OK)
    rc = check_type(c, st, "name", NV_JSON_STRING, where);
  if (rc == NV_OK)
    rc = check_type(c, st, "signatureVerification", NV_JSON_OBJECT, where);
  if (rc == NV_OK && c->kind == NV_POL_DOC_OCI)
    rc = check_list(c, st, "registryScopes", NV_POL_MAX_LIST_ENTRIES, where);
  if (rc == NV_OK)
    rc = check_list(c, st, "trustStores", NV_POL_MAX_LIST_ENTRIES, where);
  if (rc == NV_OK)
    rc = check_list(c, st, "trustedIdentities", NV_POL_MAX_LIST_ENTRIES, where);
  if (rc == NV_OK && c->kind == NV_POL_DOC_BLOB)
    rc = check_type(c, st, "globalPolicy", NV_JSON_BOOL, where);
  if (rc != NV_OK)
    return rc;
  const nv_json *sv = nv_json_member(st, "signatureVerification");
  if (nv_json_type_of(sv) != NV_JSON_OBJECT)
    return NV_OK;
  char where_sv[sizeof(where) + 32];
  snprintf(where_sv, sizeof(where_sv), "%s, signatureVerification", where);
  rc = check_known(c, sv, sv_members, where_sv);
  if (rc == NV_OK)
    rc = check_type(c, sv, "level", NV_JSON_STRING, where_sv);
  if (rc == NV_OK)
    rc = check_type(c, sv, "verifyTimestamp", NV_JSON_STRING, where_sv);
  if (rc == NV_OK)
    rc = check_type(c, sv, "override", NV_JSON_OBJECT, where_sv);
  if (rc != NV_OK)
    return rc;
  const nv_json *ov = nv_json_member(sv, "override");
  for (size_t i = 0; i < nv_json_count(ov); i++) {
    const nv_json *m = nv_json_at(ov, i);
    nv_json_type mt = nv_json_type_of(m);
    if (mt != NV_JSON_STRING) {
      char qk[QMAX];
      return nv_diag_set(c->d, NV_E_POLICY_MALFORMED,
                         "malformed trust policy: %s: override %s must be a string (enforce, "
                         "log or skip), found %s",
                         where_sv, q(qk, sizeof(qk), nv_json_key(m)), type_phrase(mt));
    }
  }
  return NV_OK;
}

static nv_status check_shape(const pctx *c, const nv_json *root)
{
  char where[64];
  snprintf(where, sizeof(where), "%s trust policy document", c->kn);
  nv_json_type t = nv_json_type_of(root);
  if (t != NV_JSON_OBJECT)
    return nv_diag_set(c->d, NV_E_POLICY_MALFORMED,
                       "malformed trust policy: the document must be a JSON object, found %s",
                       type_phrase(t));
  nv_status rc = check_known(c, root, top_members, where);
  if (rc == NV_OK)
    rc = check_type(c, root, "version", NV_JSON_STRING, where);
  if (rc == NV_OK)
    rc = check_type(c, root, "trustPolicies", NV_JSON_ARRAY, where);
  if (rc != NV_OK)
    return rc;
  const nv_json *list = nv_json_member(root, "trustPolicies");
  size_t n = nv_json_count(list);
  if (n > NV_POL_MAX_STATEMENTS)
    return nv_diag_set(c->d, NV_E_LIMIT,
                       "%s has %zu trust policy statements, more than the limit of %d", where,
                       n, NV_POL_MAX_STATEMENTS);
  for (size_t i = 0; i < n && rc == NV_OK; i++)
    rc = check_statement_shape(c, nv_json_at(list, i), i);
  return rc;
}

/* ---------- pass 2: rules ---------- */

/* String member, or NULL when absent or null (the shape is checked). */
static const char *mstr(const nv_json *obj, const char *name)
{
  return nv_json_string(nv_json_member(obj, name));
}

static size_t mcount(const nv_json *obj, const char *name)
{
  const nv_json *v = nv_json_member(obj, name);
  return nv_json_type_of(v) == NV_JSON_ARRAY ? nv_json_count(v) : 0;
}

static const char *mitem(const nv_json *obj, const char *name, size_t i)
{
  return nv_json_string(nv_json_at(nv_json_member(obj, name), i));
}

static nv_status nomem(const pctx *c)
{
  return nv_diag_set(c->d, NV_E_NOMEM, "out of memory reading the trust policy");
}

/* "<kind> trust policy: trust policy statement "<name>" " is the prefix of
 * most rule messages; `qn` is the quoted name. */
#define STMT_FMT "%s trust policy: trust policy statement %s "

static nv_status override_error(const pctx *c, const char *qn, nv_status code, const char *key,
                                const char *value)
{
  char qk[QMAX], qv[QMAX];
  switch (code) {
  case NV_E_POLICY_OVERRIDE_WITH_SKIP:
    return nv_diag_set(c->d, code,
                       STMT_FMT "has invalid signatureVerification: signature verification "
                                "level \"skip\" can't be used to customize signature "
                                "verification",
                       c->kn, qn);
  case NV_E_POLICY_OVERRIDE_TYPE_INVALID:
    return nv_diag_set(c->d, code,
                       STMT_FMT "has invalid signatureVerification: verification type %s in "
                                "custom signature verification is not supported, supported "
                                "values are [\"integrity\" \"authenticity\" "
                                "\"authenticTimestamp\" \"expiry\" \"revocation\"]",
                       c->kn, qn, q(qk, sizeof(qk), key));
  case NV_E_POLICY_OVERRIDE_ACTION_INVALID:
    return nv_diag_set(c->d, code,
                       STMT_FMT "has invalid signatureVerification: verification action %s in "
                                "custom signature verification is not supported, supported "
                                "values are [\"enforce\" \"log\" \"skip\"]",
                       c->kn, qn, q(qv, sizeof(qv), value));
  case NV_E_POLICY_OVERRIDE_INTEGRITY:
    return nv_diag_set(c->d, code,
                       STMT_FMT "has invalid signatureVerification: %s verification can not be "
                                "overridden in custom signature verification",
                       c->kn, qn, q(qk, sizeof(qk), key));
  case NV_E_POLICY_OVERRIDE_SKIP_NOT_ALLOWED:
    return nv_diag_set(c->d, code,
                       STMT_FMT "has invalid signatureVerification: %s verification can not be "
                                "skipped in custom signature verification",
                       c->kn, qn, q(qk, sizeof(qk), key));
  default:
    return nv_diag_set(c->d, code, STMT_FMT "has invalid signatureVerification override %s",
                       c->kn, qn, q(qk, sizeof(qk), key));
  }
}

/* GetVerificationLevel and the verifyTimestamp rule. */
static nv_status check_level(const pctx *c, const nv_json *js, nv_pol_statement *st,
                             const char *qn)
{
  const nv_json *sv = nv_json_member(js, "signatureVerification");
  const char *level = mstr(sv, "level");
  char ql[QMAX];
  if (level == NULL || level[0] == '\0')
    return nv_diag_set(c->d, NV_E_POLICY_LEVEL_MISSING,
                       STMT_FMT "has invalid signatureVerification: signature verification "
                                "level is empty or missing in the trust policy statement",
                       c->kn, qn);
  st->level = nv_pol_level_from_name(level);
  if (st->level == NV_POL_LEVEL_NONE)
    return nv_diag_set(c->d, NV_E_POLICY_LEVEL_INVALID,
                       STMT_FMT "has invalid signatureVerification: invalid signature "
                                "verification level %s",
                       c->kn, qn, q(ql, sizeof(ql), level));
  for (size_t k = 0; k < NV_POL_CHECK_COUNT; k++)
    st->actions[k] = nv_pol_level_action(st->level, (nv_pol_check)k);
  const nv_json *ov = nv_json_member(sv, "override");
  size_t n = nv_json_count(ov);
  if (n > 0) {
    if (st->level == NV_POL_LEVEL_SKIP)
      return override_error(c, qn, NV_E_POLICY_OVERRIDE_WITH_SKIP, NULL, NULL);
    for (size_t i = 0; i < n; i++) {
      const nv_json *m = nv_json_at(ov, i);
      const char *key = nv_json_key(m), *value = nv_json_string(m);
      nv_pol_check check = nv_pol_check_from_name(key);
      nv_pol_action action = nv_pol_action_from_name(value);
      /* notation-go checks the type, then the action, then the rules;
       * level.c decides the rules, the message is notation-go's. */
      nv_status code = NV_OK;
      if (check == NV_POL_CHECK_COUNT)
        code = NV_E_POLICY_OVERRIDE_TYPE_INVALID;
      else if (action == NV_POL_ACTION_NONE)
        code = NV_E_POLICY_OVERRIDE_ACTION_INVALID;
      else
        code = nv_pol_override_allowed(st->level, check, action, NULL);
      if (code != NV_OK)
        return override_error(c, qn, code, key, value);
      st->actions[check] = action;
    }
    st->custom = true;
  }
  const char *vts = mstr(sv, "verifyTimestamp");
  if (vts == NULL || vts[0] == '\0' || strcmp(vts, "always") == 0)
    st->verify_timestamp = NV_POL_VERIFY_TS_ALWAYS;
  else if (strcmp(vts, "afterCertExpiry") == 0)
    st->verify_timestamp = NV_POL_VERIFY_TS_AFTER_CERT_EXPIRY;
  else
    return nv_diag_set(c->d, NV_E_POLICY_VERIFY_TIMESTAMP_INVALID,
                       STMT_FMT "has invalid signatureVerification: verifyTimestamp must be "
                                "\"always\" or \"afterCertExpiry\", but got %s",
                       c->kn, qn, q(ql, sizeof(ql), vts));
  return NV_OK;
}

static nv_status check_stores(const pctx *c, const nv_json *js, nv_pol_statement *st,
                              const char *qn)
{
  size_t n = mcount(js, "trustStores");
  st->stores = calloc(n ? n : 1, sizeof(*st->stores));
  if (st->stores == NULL)
    return nomem(c);
  char qe[QMAX], qt[QMAX];
  for (size_t i = 0; i < n; i++) {
    const char *entry = mitem(js, "trustStores", i);
    const char *colon = strchr(entry, ':');
    if (colon == NULL)
      return nv_diag_set(c->d, NV_E_POLICY_TRUSTSTORE_MALFORMED,
                         STMT_FMT "has malformed trust store value %s. The required format is "
                                  "<TrustStoreType>:<TrustStoreName>",
                         c->kn, qn, q(qe, sizeof(qe), entry));
    nv_pol_store_ref *ref = &st->stores[i];
    ref->raw = strdup(entry);
    if (ref->raw == NULL)
      return nomem(c);
    st->store_count = i + 1;
    size_t tlen = (size_t)(colon - entry);
    ref->raw[tlen] = '\0'; /* temporarily: the type */
    ref->type = nv_pol_store_type_from_name(ref->raw);
    if (ref->type == NV_POL_STORE_NONE) {
      q(qt, sizeof(qt), ref->raw);
      ref->raw[tlen] = ':';
      return nv_diag_set(c->d, NV_E_POLICY_TRUSTSTORE_TYPE_INVALID,
                         STMT_FMT "uses an unsupported trust store type %s in trust store value "
                                  "%s",
                         c->kn, qn, qt, q(qe, sizeof(qe), entry));
    }
    ref->raw[tlen] = ':';
    ref->name = ref->raw + tlen + 1;
    if (!nv_pol_name_valid(ref->name))
      return nv_diag_set(c->d, NV_E_POLICY_TRUSTSTORE_NAME_INVALID,
                         STMT_FMT "uses an unsupported trust store name %s in trust store value "
                                  "%s. Named store name needs to follow [a-zA-Z0-9_.-]+ format",
                         c->kn, qn, q(qt, sizeof(qt), ref->name), q(qe, sizeof(qe), entry));
  }
  return NV_OK;
}

static nv_status check_identities(const pctx *c, const nv_json *js, nv_pol_statement *st,
                                  const char *qn)
{
  size_t n = mcount(js, "trustedIdentities");
  char qe[QMAX], qf[QMAX];
  if (n > 1)
    for (size_t i = 0; i < n; i++)
      if (strcmp(mitem(js, "trustedIdentities", i), WILDCARD) == 0)
        return nv_diag_set(c->d, NV_E_POLICY_IDENTITY_WILDCARD_MIXED,
                           STMT_FMT "uses a wildcard trusted identity '*', a wildcard identity "
                                    "cannot be used in conjunction with other values",
                           c->kn, qn);
  st->identities = calloc(n ? n : 1, sizeof(*st->identities));
  if (st->identities == NULL)
    return nomem(c);
  for (size_t i = 0; i < n; i++) {
    const char *entry = mitem(js, "trustedIdentities", i);
    if (entry[0] == '\0')
      return nv_diag_set(c->d, NV_E_POLICY_IDENTITY_EMPTY,
                         STMT_FMT "has an empty trusted identity", c->kn, qn);
    nv_pol_identity *id = &st->identities[i];
    id->raw = strdup(entry);
    if (id->raw == NULL)
      return nomem(c);
    st->identity_count = i + 1;
    if (strcmp(entry, WILDCARD) == 0) {
      id->kind = NV_POL_IDENTITY_WILDCARD;
      st->wildcard_identity = true;
      continue;
    }
    const char *colon = strchr(entry, ':');
    if (colon == NULL)
      return nv_diag_set(c->d, NV_E_POLICY_IDENTITY_NO_SEPARATOR,
                         STMT_FMT "has trusted identity %s missing separator", c->kn, qn,
                         q(qe, sizeof(qe), entry));
    size_t plen = (size_t)(colon - entry);
    if (plen != strlen(X509_SUBJECT) || strncmp(entry, X509_SUBJECT, plen) != 0) {
      id->kind = NV_POL_IDENTITY_OTHER; /* notation-go ignores other prefixes */
      continue;
    }
    id->kind = NV_POL_IDENTITY_X509_SUBJECT;
    if (colon[1] == '\0')
      return nv_diag_set(c->d, NV_E_POLICY_IDENTITY_EMPTY_VALUE,
                         STMT_FMT "has trusted identity %s without an identity value", c->kn,
                         qn, q(qe, sizeof(qe), entry));
    nv_diag inner;
    nv_diag_init(&inner);
    nv_status rc = nv_pol_dn_parse(colon + 1, &id->dn, &inner);
    if (rc != NV_OK)
      return nv_diag_set(c->d, rc,
                         STMT_FMT "has trusted identity %s with invalid identity value: %s",
                         c->kn, qn, q(qe, sizeof(qe), entry), inner.msg);
  }
  /* Overlap: a DN that is a subset of another one (exact duplicates too). */
  for (size_t i = 0; i < n; i++) {
    const nv_pol_identity *a = &st->identities[i];
    if (a->kind != NV_POL_IDENTITY_X509_SUBJECT)
      continue;
    for (size_t j = 0; j < n; j++) {
      const nv_pol_identity *b = &st->identities[j];
      if (i != j && b->kind == NV_POL_IDENTITY_X509_SUBJECT &&
          nv_pol_dn_is_subset(&a->dn, &b->dn))
        return nv_diag_set(c->d, NV_E_POLICY_IDENTITY_OVERLAP,
                           STMT_FMT "has overlapping x509 trustedIdentities, %s overlaps with %s",
                           c->kn, qn, q(qe, sizeof(qe), a->raw), q(qf, sizeof(qf), b->raw));
    }
  }
  return NV_OK;
}

/* validatePolicyCore, for statement `js` whose name is already checked for
 * duplicates. */
static nv_status check_core(const pctx *c, const nv_json *js, nv_pol_statement *st)
{
  const char *name = mstr(js, "name");
  if (name == NULL || name[0] == '\0')
    return nv_diag_set(c->d, NV_E_POLICY_NAME_MISSING,
                       "%s trust policy: a trust policy statement is missing a name, every "
                       "statement requires a name",
                       c->kn);
  st->name = strdup(name);
  if (st->name == NULL)
    return nomem(c);
  char qn[QMAX];
  q(qn, sizeof(qn), name);
  nv_status rc = check_level(c, js, st, qn);
  if (rc != NV_OK)
    return rc;
  size_t stores = mcount(js, "trustStores"), ids = mcount(js, "trustedIdentities");
  if (st->level == NV_POL_LEVEL_SKIP) {
    if (stores > 0 || ids > 0)
      return nv_diag_set(c->d, NV_E_POLICY_SKIP_HAS_STORES_OR_IDENTITIES,
                         STMT_FMT "is set to skip signature verification but configured with "
                                  "trust stores and/or trusted identities, remove them if "
                                  "signature verification needs to be skipped",
                         c->kn, qn);
    return NV_OK;
  }
  if (stores == 0 || ids == 0)
    return nv_diag_set(c->d, NV_E_POLICY_MISSING_STORES_OR_IDENTITIES,
                       STMT_FMT "is either missing trust stores or trusted identities, both "
                                "must be specified",
                       c->kn, qn);
  rc = check_stores(c, js, st, qn);
  if (rc == NV_OK)
    rc = check_identities(c, js, st, qn);
  return rc;
}

/* ---------- registry scopes ---------- */

static bool is_alnum(char ch)
{
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

static bool is_lower_alnum(char ch)
{
  return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}

/* ^label(\.label)*(:[0-9]+)?$ with label = [a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])? */
static bool domain_ok(const char *s, size_t n)
{
  const char *colon = memchr(s, ':', n);
  size_t host = colon != NULL ? (size_t)(colon - s) : n;
  if (colon != NULL) {
    size_t digits = n - host - 1;
    if (digits == 0)
      return false;
    for (size_t i = host + 1; i < n; i++)
      if (s[i] < '0' || s[i] > '9')
        return false;
  }
  size_t start = 0;
  for (size_t i = 0; i <= host; i++) {
    if (i < host && s[i] != '.') {
      if (!is_alnum(s[i]) && s[i] != '-')
        return false;
      continue;
    }
    if (i == start || !is_alnum(s[start]) || !is_alnum(s[i - 1]))
      return false;
    start = i + 1;
  }
  return true;
}

/* [a-z0-9]+((\.|_|__|-*)[a-z0-9]+)* */
static bool component_ok(const char *s, size_t n)
{
  size_t i = 0;
  if (n == 0 || !is_lower_alnum(s[0]))
    return false;
  while (i < n) {
    while (i < n && is_lower_alnum(s[i]))
      i++;
    if (i == n)
      return true;
    if (s[i] == '.') {
      i++;
    } else if (s[i] == '_') {
      i++;
      if (i < n && s[i] == '_')
        i++;
    } else if (s[i] == '-') {
      while (i < n && s[i] == '-')
        i++;
    } else {
      return false;
    }
    if (i == n || !is_lower_alnum(s[i]))
      return false;
  }
  return true;
}

static bool repository_ok(const char *s, size_t n)
{
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] != '/')
      continue;
    if (!component_ok(s + start, i - start))
      return false;
    start = i + 1;
  }
  return true;
}

nv_status nv_pol_check_scope(const char *scope, nv_diag *d)
{
  if (scope == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_check_scope: scope is NULL");
  char qs[QMAX];
  /* notation-go: a lone "*" gets the general message */
  if (scope[0] != '\0' && scope[1] != '\0' && strchr(scope, '*') != NULL)
    return nv_diag_set(d, NV_E_POLICY_SCOPE_INVALID,
                       "registry scope %s with wild card(s) is not valid, " SCOPE_HELP,
                       q(qs, sizeof(qs), scope));
  const char *slash = strchr(scope, '/');
  size_t n = strlen(scope);
  if (slash == NULL || slash == scope || slash[1] == '\0' ||
      !domain_ok(scope, (size_t)(slash - scope)) ||
      !repository_ok(slash + 1, n - (size_t)(slash - scope) - 1))
    return nv_diag_set(d, NV_E_POLICY_SCOPE_INVALID, "registry scope %s is not valid, " SCOPE_HELP,
                       q(qs, sizeof(qs), scope));
  return NV_OK;
}

typedef struct scope_ref {
  const char *scope;
  size_t order;
} scope_ref;

static int cmp_scope(const void *a, const void *b)
{
  const scope_ref *x = a, *y = b;
  int c = strcmp(x->scope, y->scope);
  if (c != 0)
    return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* validateRegistryScopes: every statement's scopes, then uniqueness. */
static nv_status check_scopes(const pctx *c, const nv_json *list, nv_pol_doc *doc)
{
  char qn[QMAX], qs[QMAX];
  size_t total = 0;
  for (size_t i = 0; i < doc->count; i++) {
    const nv_json *js = nv_json_at(list, i);
    nv_pol_statement *st = &doc->statements[i];
    size_t n = mcount(js, "registryScopes");
    q(qn, sizeof(qn), st->name);
    if (n == 0)
      return nv_diag_set(c->d, NV_E_POLICY_SCOPE_EMPTY,
                         "oci trust policy statement %s has zero registry scopes, it must specify "
                         "registry scopes with at least one value",
                         qn);
    st->scopes = calloc(n, sizeof(*st->scopes));
    if (st->scopes == NULL)
      return nomem(c);
    for (size_t k = 0; k < n; k++) {
      const char *scope = mitem(js, "registryScopes", k);
      if (n > 1 && strcmp(scope, WILDCARD) == 0)
        return nv_diag_set(c->d, NV_E_POLICY_SCOPE_WILDCARD_MIXED,
                           "oci trust policy statement %s uses wildcard registry scope '*', a "
                           "wildcard scope cannot be used in conjunction with other scope values",
                           qn);
    }
    for (size_t k = 0; k < n; k++) {
      const char *scope = mitem(js, "registryScopes", k);
      if (strcmp(scope, WILDCARD) == 0) {
        st->global = true;
      } else {
        nv_status rc = nv_pol_check_scope(scope, c->d);
        if (rc != NV_OK)
          return rc;
      }
      st->scopes[k] = strdup(scope);
      if (st->scopes[k] == NULL)
        return nomem(c);
      st->scope_count = k + 1;
    }
    total += n;
  }
  scope_ref *all = calloc(total ? total : 1, sizeof(*all));
  if (all == NULL)
    return nomem(c);
  size_t k = 0;
  for (size_t i = 0; i < doc->count; i++)
    for (size_t j = 0; j < doc->statements[i].scope_count; j++, k++) {
      all[k].scope = doc->statements[i].scopes[j];
      all[k].order = k;
    }
  qsort(all, total, sizeof(*all), cmp_scope);
  /* Report the duplicate whose second use comes first in the document. */
  const char *dup = NULL;
  size_t dup_order = SIZE_MAX;
  for (size_t i = 1; i < total; i++)
    if (strcmp(all[i].scope, all[i - 1].scope) == 0 &&
        (i < 2 || strcmp(all[i - 2].scope, all[i].scope) != 0) && all[i].order < dup_order) {
      dup = all[i].scope;
      dup_order = all[i].order;
    }
  nv_status rc = NV_OK;
  if (dup != NULL)
    rc = nv_diag_set(c->d, NV_E_POLICY_SCOPE_DUPLICATE,
                     "registry scope %s is present in multiple oci trust policy statements, one "
                     "registry scope value can only be associated with one statement",
                     q(qs, sizeof(qs), dup));
  free(all);
  if (rc != NV_OK)
    return rc;
  for (size_t i = 0; i < doc->count; i++)
    if (doc->statements[i].global && doc->statements[i].level == NV_POL_LEVEL_SKIP)
      nv_log(c->d, NV_LOG_WARN, "policy",
             "oci trust policy statement %s applies level \"skip\" to every repository without "
             "a statement of its own (registry scope \"*\"); the Notary Project specification "
             "forbids this, notation-go accepts it",
             q(qn, sizeof(qn), doc->statements[i].name));
  return NV_OK;
}

/* ---------- document ---------- */

static nv_status check_document(const pctx *c, const nv_json *root, nv_pol_doc *doc)
{
  const char *version = mstr(root, "version");
  char qv[QMAX];
  if (version == NULL || version[0] == '\0')
    return nv_diag_set(c->d, NV_E_POLICY_VERSION_MISSING,
                       "%s trust policy document has empty version, version must be specified",
                       c->kn);
  if (strcmp(version, "1.0") != 0)
    return nv_diag_set(c->d, NV_E_POLICY_VERSION_UNSUPPORTED,
                       "%s trust policy document uses unsupported version %s", c->kn,
                       q(qv, sizeof(qv), version));
  const nv_json *list = nv_json_member(root, "trustPolicies");
  size_t n = nv_json_count(list);
  if (n == 0)
    return nv_diag_set(c->d, NV_E_POLICY_EMPTY,
                       "%s trust policy document can not have zero trust policy statements",
                       c->kn);
  doc->statements = calloc(n, sizeof(*doc->statements));
  if (doc->statements == NULL)
    return nomem(c);
  doc->count = n;
  bool found_global = false;
  for (size_t i = 0; i < n; i++) {
    const nv_json *js = nv_json_at(list, i);
    nv_pol_statement *st = &doc->statements[i];
    st->index = i;
    const char *name = mstr(js, "name");
    if (name == NULL)
      name = "";
    for (size_t j = 0; j < i; j++)
      if (strcmp(doc->statements[j].name, name) == 0)
        return nv_diag_set(c->d, NV_E_POLICY_NAME_DUPLICATE,
                           "multiple %s trust policy statements use the same name %s, statement "
                           "names must be unique",
                           c->kn, q(qv, sizeof(qv), name));
    nv_status rc = check_core(c, js, st);
    if (rc != NV_OK)
      return rc;
    if (c->kind == NV_POL_DOC_BLOB && nv_json_is_true(nv_json_member(js, "globalPolicy"))) {
      if (found_global)
        return nv_diag_set(c->d, NV_E_POLICY_BLOB_MULTIPLE_GLOBAL,
                           "multiple blob trust policy statements have globalPolicy set to "
                           "true. Only one trust policy statement can be marked as global policy");
      if (st->level == NV_POL_LEVEL_SKIP)
        return nv_diag_set(c->d, NV_E_POLICY_BLOB_GLOBAL_SKIP,
                           "global blob trust policy statement %s cannot have verification "
                           "level set to skip; choose strict, permissive or audit, or remove "
                           "\"globalPolicy\"",
                           q(qv, sizeof(qv), st->name));
      found_global = true;
      st->global = true;
    }
  }
  if (c->kind == NV_POL_DOC_OCI)
    return check_scopes(c, list, doc);
  return NV_OK;
}

nv_status nv_pol_parse(nv_pol_doc_kind kind, const void *bytes, size_t len, nv_pol_doc **out,
                       nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_parse: out is NULL");
  *out = NULL;
  if (kind != NV_POL_DOC_OCI && kind != NV_POL_DOC_BLOB)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_parse: unknown document kind %d", (int)kind);
  if (bytes == NULL && len > 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_parse: bytes is NULL");
  if (len > NV_LIMIT_POLICY_BYTES)
    return nv_diag_set(d, NV_E_POLICY_TOO_LARGE,
                       "trust policy is %zu bytes, over the limit of %zu bytes", len,
                       (size_t)NV_LIMIT_POLICY_BYTES);
  pctx c = {kind, nv_pol_doc_kind_name(kind), d};
  nv_json *root = NULL;
  nv_diag inner;
  nv_diag_init(&inner);
  nv_status rc = nv_json_parse(bytes != NULL ? bytes : "", len, NV_LIMIT_POLICY_BYTES,
                               "malformed trust policy", &root, &inner);
  if (rc != NV_OK) {
    switch (rc) {
    case NV_E_NOMEM:
      return nv_diag_set(d, rc, "%s", inner.msg);
    case NV_E_LIMIT:
      return nv_diag_set(d, NV_E_LIMIT, "%s", inner.msg);
    case NV_E_JSON_SYNTAX:
      nv_log(d, NV_LOG_ERROR, "policy", "%s", inner.msg);
      return nv_diag_set(d, NV_E_POLICY_MALFORMED,
                         "malformed trust policy. To create a trust policy, see: " POLICY_LINK);
    default:
      return nv_diag_set(d, NV_E_POLICY_MALFORMED, "%s", inner.msg);
    }
  }
  nv_pol_doc *doc = calloc(1, sizeof(*doc));
  if (doc == NULL) {
    nv_json_free(root);
    return nomem(&c);
  }
  doc->kind = kind;
  rc = check_shape(&c, root);
  if (rc == NV_OK)
    rc = check_document(&c, root, doc);
  nv_json_free(root);
  if (rc != NV_OK) {
    nv_pol_doc_free(doc);
    return rc;
  }
  *out = doc;
  return NV_OK;
}

/* ---------- files ---------- */

static nv_status file_error(int err, const char *path, nv_diag *d)
{
  char qp[QMAX], why[128] = "";
  q(qp, sizeof(qp), path);
  switch (err) {
  case ENOENT:
  case ENOTDIR:
    return nv_diag_set(d, NV_E_POLICY_NOT_FOUND,
                       "trust policy is not present (%s does not exist). To create a trust "
                       "policy, see: " POLICY_LINK,
                       qp);
  case EACCES:
  case EPERM:
    return nv_diag_set(d, NV_E_POLICY_PERMISSION,
                       "unable to read trust policy due to file permissions, please verify the "
                       "permissions of %s",
                       qp);
  case ELOOP:
    return nv_diag_set(d, NV_E_POLICY_NOT_REGULAR_FILE,
                       "trust policy %s is not a regular file (symlinks are not supported). To "
                       "create a trust policy, see: " POLICY_LINK,
                       qp);
  default:
    if (strerror_r(err, why, sizeof(why)) != 0)
      snprintf(why, sizeof(why), "error %d", err);
    return nv_diag_set(d, NV_E_IO, "cannot read trust policy %s: %s", qp, why);
  }
}

static nv_status not_regular(const char *path, nv_diag *d)
{
  char qp[QMAX];
  return nv_diag_set(d, NV_E_POLICY_NOT_REGULAR_FILE,
                     "trust policy %s is not a regular file (symlinks are not supported). To "
                     "create a trust policy, see: " POLICY_LINK,
                     q(qp, sizeof(qp), path));
}

static nv_status too_large(const char *path, size_t size, nv_diag *d)
{
  char qp[QMAX];
  return nv_diag_set(d, NV_E_POLICY_TOO_LARGE,
                     "trust policy %s is %zu bytes, over the limit of %zu bytes",
                     q(qp, sizeof(qp), path), size, (size_t)NV_LIMIT_POLICY_BYTES);
}

/* Read the whole regular file behind `fd`, whose fstat() size is `size`. */
static nv_status read_fd(int fd, const char *path, size_t size, uint8_t **data, size_t *len,
                         nv_diag *d)
{
  char qp[QMAX];
  uint8_t *buf = malloc(size + 1);
  if (buf == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory reading the trust policy");
  size_t got = 0;
  for (;;) {
    ssize_t r = read(fd, buf + got, size + 1 - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      int err = errno;
      free(buf);
      return file_error(err, path, d);
    }
    if (r == 0)
      break;
    got += (size_t)r;
    if (got > size) {
      free(buf);
      return nv_diag_set(d, NV_E_IO,
                         "trust policy %s grew while it was being read; try again once it is "
                         "written completely",
                         q(qp, sizeof(qp), path));
    }
  }
  *data = buf;
  *len = got;
  return NV_OK;
}

nv_status nv_pol_load_file(nv_pol_doc_kind kind, const char *path, nv_pol_doc **out,
                           nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_load_file: out is NULL");
  *out = NULL;
  if (path == NULL || path[0] == '\0')
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_load_file: path is empty");
  if (kind != NV_POL_DOC_OCI && kind != NV_POL_DOC_BLOB)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_load_file: unknown document kind %d",
                       (int)kind);
  struct stat ls, fs;
  if (lstat(path, &ls) != 0)
    return file_error(errno, path, d);
  if (!S_ISREG(ls.st_mode))
    return not_regular(path, d);
  if (ls.st_size < 0 || (uintmax_t)ls.st_size > NV_LIMIT_POLICY_BYTES)
    return too_large(path, (size_t)ls.st_size, d);
  /* O_NOFOLLOW: a symlink swapped in after lstat() fails with ELOOP;
   * O_NONBLOCK: a FIFO swapped in does not block the open. */
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return file_error(errno, path, d);
  nv_status rc;
  uint8_t *data = NULL;
  size_t len = 0;
  if (fstat(fd, &fs) != 0)
    rc = file_error(errno, path, d);
  else if (!S_ISREG(fs.st_mode))
    rc = not_regular(path, d);
  else if (fs.st_dev != ls.st_dev || fs.st_ino != ls.st_ino) {
    char qp[QMAX];
    rc = nv_diag_set(d, NV_E_IO, "trust policy %s was replaced while it was being opened; try "
                                 "again", q(qp, sizeof(qp), path));
  } else if (fs.st_size < 0 || (uintmax_t)fs.st_size > NV_LIMIT_POLICY_BYTES)
    rc = too_large(path, (size_t)fs.st_size, d);
  else
    rc = read_fd(fd, path, (size_t)fs.st_size, &data, &len, d);
  close(fd);
  if (rc != NV_OK)
    return rc;
  rc = nv_pol_parse(kind, data, len, out, d);
  free(data);
  return rc;
}

/* ---------- selection ---------- */

nv_status nv_pol_select_oci(const nv_pol_doc *doc, const char *reference,
                            const nv_pol_statement **out, nv_diag *d)
{
  if (out != NULL)
    *out = NULL;
  if (doc == NULL || reference == NULL || out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_select_oci: NULL argument");
  if (doc->kind != NV_POL_DOC_OCI)
    return nv_diag_set(d, NV_E_INVALID_ARG,
                       "nv_pol_select_oci: the trust policy is a blob document, not an oci one");
  char qr[QMAX];
  const char *at = strrchr(reference, '@');
  if (at == NULL)
    return nv_diag_set(d, NV_E_NO_APPLICABLE_POLICY,
                       "artifact URI %s could not be parsed, make sure it is the fully qualified "
                       "oci artifact URI without the scheme/protocol. e.g "
                       "domain.com:80/my/repository@sha256:digest",
                       q(qr, sizeof(qr), reference));
  size_t plen = (size_t)(at - reference);
  char *path = malloc(plen + 1);
  if (path == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory selecting a trust policy");
  memcpy(path, reference, plen);
  path[plen] = '\0';
  nv_status rc = nv_pol_check_scope(path, d);
  if (rc == NV_E_POLICY_SCOPE_INVALID)
    rc = nv_diag_wrap(d, NV_E_NO_APPLICABLE_POLICY, "%s", "");
  const nv_pol_statement *exact = NULL, *wildcard = NULL;
  for (size_t i = 0; i < doc->count && rc == NV_OK && exact == NULL; i++) {
    const nv_pol_statement *st = &doc->statements[i];
    if (st->global) {
      wildcard = st;
      continue;
    }
    for (size_t k = 0; k < st->scope_count && exact == NULL; k++)
      if (strcmp(st->scopes[k], path) == 0)
        exact = st;
  }
  free(path);
  if (rc != NV_OK)
    return rc;
  *out = exact != NULL ? exact : wildcard;
  if (*out == NULL)
    return nv_diag_set(d, NV_E_NO_APPLICABLE_POLICY,
                       "artifact %s has no applicable oci trust policy statement. Trust policy "
                       "applicability for a given artifact is determined by registryScopes. To "
                       "create a trust policy, see: " POLICY_LINK,
                       q(qr, sizeof(qr), reference));
  return NV_OK;
}

/* The code point of the UTF-8 sequence at s (length in *len), or -1. */
static long utf8_decode(const unsigned char *s, size_t *len)
{
  if (s[0] < 0x80) {
    *len = 1;
    return s[0];
  }
  if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
    *len = 2;
    return ((long)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
  }
  if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
    *len = 3;
    return ((long)(s[0] & 0x0F) << 12) | ((long)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  }
  *len = 1;
  return -1;
}

/* Go's strings.TrimSpace(s) == "": every rune is unicode.IsSpace. */
static bool all_space(const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  while (*p != '\0') {
    size_t n;
    long cp = utf8_decode(p, &n);
    bool space = cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 ||
                 cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
                 cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    if (!space)
      return false;
    p += n;
  }
  return true;
}

nv_status nv_pol_select_blob(const nv_pol_doc *doc, const char *name,
                             const nv_pol_statement **out, nv_diag *d)
{
  if (out != NULL)
    *out = NULL;
  if (doc == NULL || out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_select_blob: NULL argument");
  if (doc->kind != NV_POL_DOC_BLOB)
    return nv_diag_set(d, NV_E_INVALID_ARG,
                       "nv_pol_select_blob: the trust policy is an oci document, not a blob one");
  if (name == NULL) {
    for (size_t i = 0; i < doc->count; i++)
      if (doc->statements[i].global) {
        *out = &doc->statements[i];
        return NV_OK;
      }
    return nv_diag_set(d, NV_E_NO_APPLICABLE_POLICY, "no global blob trust policy");
  }
  if (all_space(name))
    return nv_diag_set(d, NV_E_NO_APPLICABLE_POLICY, "policy name cannot be empty");
  for (size_t i = 0; i < doc->count; i++)
    if (strcmp(doc->statements[i].name, name) == 0) {
      *out = &doc->statements[i];
      return NV_OK;
    }
  char qn[QMAX];
  return nv_diag_set(d, NV_E_NO_APPLICABLE_POLICY,
                     "no applicable blob trust policy with name %s", q(qn, sizeof(qn), name));
}

/* ---------- trusted identities ---------- */

/* verifyX509TrustedIdentities after the identities are parsed: `dns` are
 * the x509.subject DNs, `raws` their identity strings. */
static nv_status match_dns(const char *policy_name, const nv_pol_dn *const *dns,
                           const char *const *raws, size_t n, X509 *leaf, nv_diag *d)
{
  char qn[QMAX];
  q(qn, sizeof(qn), policy_name != NULL ? policy_name : "");
  if (n == 0)
    return nv_diag_set(d, NV_E_NO_X509_IDENTITIES,
                       "no x509 trusted identities are configured in the trust policy %s", qn);
  if (leaf == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "no leaf certificate to match trusted identities");
  nv_pol_dn subject;
  nv_diag inner;
  nv_diag_init(&inner);
  nv_status rc = nv_pol_dn_from_cert(leaf, &subject, &inner);
  if (rc != NV_OK)
    return nv_diag_set(d, rc,
                       "error while parsing the certificate subject from the digital signature. "
                       "error : %s",
                       inner.msg);
  bool matched = false;
  for (size_t i = 0; i < n && !matched; i++)
    matched = nv_pol_dn_is_subset(dns[i], &subject);
  nv_pol_dn_free(&subject);
  if (matched)
    return NV_OK;
  char list[NV_DIAG_MSG_MAX / 2];
  size_t len = 0;
  list[len++] = '[';
  list[len] = '\0';
  for (size_t i = 0; i < n && len + 8 < sizeof(list); i++) {
    if (i > 0)
      list[len++] = ' ';
    nv_quote_go(list, sizeof(list) - 1, &len, raws[i]);
  }
  if (len + 1 < sizeof(list)) {
    list[len++] = ']';
    list[len] = '\0';
  }
  char subj[300], qs[QMAX];
  nv_x509_subject(leaf, subj, sizeof(subj));
  return nv_diag_set(d, NV_E_IDENTITY_MISMATCH,
                     "signing certificate from the digital signature does not match the X.509 "
                     "trusted identities %s defined in the trust policy %s (certificate subject "
                     "%s)",
                     list, qn, q(qs, sizeof(qs), subj));
}

nv_status nv_pol_match_identity(const nv_pol_statement *stmt, X509 *leaf, nv_diag *d)
{
  if (stmt == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_match_identity: statement is NULL");
  if (stmt->wildcard_identity)
    return NV_OK;
  size_t n = 0;
  for (size_t i = 0; i < stmt->identity_count; i++)
    n += stmt->identities[i].kind == NV_POL_IDENTITY_X509_SUBJECT;
  const nv_pol_dn **dns = calloc(n ? n : 1, sizeof(*dns));
  const char **raws = calloc(n ? n : 1, sizeof(*raws));
  nv_status rc;
  if (dns == NULL || raws == NULL) {
    rc = nv_diag_set(d, NV_E_NOMEM, "out of memory matching trusted identities");
  } else {
    size_t k = 0;
    for (size_t i = 0; i < stmt->identity_count; i++)
      if (stmt->identities[i].kind == NV_POL_IDENTITY_X509_SUBJECT) {
        dns[k] = &stmt->identities[i].dn;
        raws[k++] = stmt->identities[i].raw;
      }
    rc = match_dns(stmt->name, dns, raws, n, leaf, d);
  }
  free(dns);
  free(raws);
  return rc;
}

nv_status nv_pol_match_identities(const char *policy_name, const char *const *identities,
                                  size_t count, X509 *leaf, nv_diag *d)
{
  if (identities == NULL && count > 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_match_identities: identities is NULL");
  if (count > NV_POL_MAX_LIST_ENTRIES)
    return nv_diag_set(d, NV_E_LIMIT, "%zu trusted identities, more than the limit of %d",
                       count, NV_POL_MAX_LIST_ENTRIES);
  char qn[QMAX], qe[QMAX];
  q(qn, sizeof(qn), policy_name != NULL ? policy_name : "");
  for (size_t i = 0; i < count; i++) {
    if (identities[i] == NULL)
      return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_match_identities: identity %zu is NULL",
                         i);
    if (strcmp(identities[i], WILDCARD) == 0)
      return NV_OK;
  }
  nv_pol_dn *dns = calloc(count ? count : 1, sizeof(*dns));
  const nv_pol_dn **dnp = calloc(count ? count : 1, sizeof(*dnp));
  const char **raws = calloc(count ? count : 1, sizeof(*raws));
  size_t n = 0;
  nv_status rc = NV_OK;
  if (dns == NULL || dnp == NULL || raws == NULL)
    rc = nv_diag_set(d, NV_E_NOMEM, "out of memory matching trusted identities");
  for (size_t i = 0; i < count && rc == NV_OK; i++) {
    const char *colon = strchr(identities[i], ':');
    if (colon == NULL) {
      rc = nv_diag_set(d, NV_E_IDENTITY_NO_SEPARATOR,
                       "trust policy statement %s has trusted identity %s missing separator", qn,
                       q(qe, sizeof(qe), identities[i]));
      break;
    }
    size_t plen = (size_t)(colon - identities[i]);
    if (plen != strlen(X509_SUBJECT) || strncmp(identities[i], X509_SUBJECT, plen) != 0)
      continue;
    if (colon[1] == '\0') {
      rc = nv_diag_set(d, NV_E_POLICY_IDENTITY_EMPTY_VALUE,
                       "trust policy statement %s has trusted identity %s without an identity "
                       "value",
                       qn, q(qe, sizeof(qe), identities[i]));
      break;
    }
    rc = nv_pol_dn_parse(colon + 1, &dns[n], d);
    if (rc == NV_OK) {
      dnp[n] = &dns[n];
      raws[n] = identities[i];
      n++;
    }
  }
  if (rc == NV_OK)
    rc = match_dns(policy_name, dnp, raws, n, leaf, d);
  for (size_t i = 0; i < n; i++)
    nv_pol_dn_free(&dns[i]);
  free(dns);
  free(dnp);
  free(raws);
  return rc;
}
