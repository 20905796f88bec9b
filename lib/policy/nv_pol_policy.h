/*
 * Trust policy documents (notary-spec.md section 13): parsing, validation
 * in notation-go's order with its messages, statement selection for OCI
 * artifacts and blobs, and trusted-identity matching against the leaf
 * certificate.
 *
 * A document is validated completely by nv_pol_parse() / nv_pol_load_file();
 * an invalid document is never returned. After that the document and its
 * statements are read-only: no function changes them, so one document can
 * be shared by any number of threads. Treat every field as const.
 *
 * What the parser accepts, and where it differs from notation-go, is
 * described at the top of policy.c.
 */
#ifndef NV_POLICY_POLICY_H
#define NV_POLICY_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include "base/nv_diag.h"
#include "policy/nv_pol_dn.h"
#include "policy/nv_pol_level.h"
#include "policy/nv_pol_types.h"
#include "x509/nv_x509_certs.h"

/* Bounds, checked before anything is allocated (NV_E_LIMIT). Real
 * documents have a handful of statements with a few entries each. */
#define NV_POL_MAX_STATEMENTS 1000
#define NV_POL_MAX_LIST_ENTRIES 1000 /* registryScopes, trustStores, trustedIdentities */

typedef enum nv_pol_doc_kind {
  NV_POL_DOC_OCI = 1, /* trustpolicy.oci.json (or the legacy trustpolicy.json) */
  NV_POL_DOC_BLOB = 2 /* trustpolicy.blob.json */
} nv_pol_doc_kind;

/* "oci" / "blob" (NULL for other values). */
const char *nv_pol_doc_kind_name(nv_pol_doc_kind kind);

typedef enum nv_pol_verify_ts {
  NV_POL_VERIFY_TS_ALWAYS = 0,          /* "always", also when absent */
  NV_POL_VERIFY_TS_AFTER_CERT_EXPIRY = 1 /* "afterCertExpiry" */
} nv_pol_verify_ts;

typedef struct nv_pol_store_ref {
  nv_pol_store_type type;
  const char *name; /* the part after the first ':' (points into raw) */
  char *raw;        /* the entry as written, "ca:acme-rockets" */
} nv_pol_store_ref;

typedef enum nv_pol_identity_kind {
  NV_POL_IDENTITY_WILDCARD = 1,     /* "*" */
  NV_POL_IDENTITY_X509_SUBJECT = 2, /* "x509.subject:<DN>", dn parsed */
  NV_POL_IDENTITY_OTHER = 3         /* "<prefix>:<value>": accepted, ignored when matching */
} nv_pol_identity_kind;

typedef struct nv_pol_identity {
  nv_pol_identity_kind kind;
  char *raw;     /* as written */
  nv_pol_dn dn;  /* NV_POL_IDENTITY_X509_SUBJECT only */
} nv_pol_identity;

typedef struct nv_pol_statement {
  char *name;
  size_t index; /* position in the document */
  nv_pol_level level; /* the level as written */
  bool custom;        /* "override" changed it (notation-go calls the result "custom") */
  /* Effective action of each validation type: the level's, then override. */
  nv_pol_action actions[NV_POL_CHECK_COUNT];
  nv_pol_verify_ts verify_timestamp;
  /* OCI: the statement has registry scope "*". Blob: "globalPolicy": true. */
  bool global;
  char **scopes; /* OCI only */
  size_t scope_count;
  nv_pol_store_ref *stores;
  size_t store_count;
  nv_pol_identity *identities;
  size_t identity_count;
  bool wildcard_identity; /* trustedIdentities is ["*"] */
} nv_pol_statement;

typedef struct nv_pol_doc {
  nv_pol_doc_kind kind;
  nv_pol_statement *statements;
  size_t count;
} nv_pol_doc;

/* Parse and validate a document of `kind` from `len` bytes. Errors:
 * NV_E_POLICY_TOO_LARGE (over NV_LIMIT_POLICY_BYTES), NV_E_POLICY_MALFORMED
 * (not JSON, or a member of the wrong type), NV_E_POLICY_UNKNOWN_MEMBER,
 * NV_E_LIMIT (more than NV_POL_MAX_STATEMENTS statements or
 * NV_POL_MAX_LIST_ENTRIES entries in a list, or NV_POL_DN_MAX_ATTRS DN
 * attributes), every NV_E_POLICY_* rule code of notary-spec.md 13.3/13.7,
 * NV_E_NOMEM, NV_E_INVALID_ARG. On success *out owns a new document. */
nv_status nv_pol_parse(nv_pol_doc_kind kind, const void *bytes, size_t len, nv_pol_doc **out,
                       nv_diag *d);

/* Read `path` and parse it as nv_pol_parse() does. The path must name a
 * regular file: it is checked with lstat(), opened with O_NOFOLLOW, and the
 * opened descriptor is checked again with fstat() (size included) before
 * a byte is read. Errors besides nv_pol_parse()'s: NV_E_POLICY_NOT_FOUND,
 * NV_E_POLICY_NOT_REGULAR_FILE (a directory, a symlink, a device ...),
 * NV_E_POLICY_PERMISSION, NV_E_POLICY_TOO_LARGE, NV_E_IO. */
nv_status nv_pol_load_file(nv_pol_doc_kind kind, const char *path, nv_pol_doc **out,
                           nv_diag *d);

void nv_pol_doc_free(nv_pol_doc *doc);

/* The effective action of `check` in `stmt` (NV_POL_ACTION_NONE for a bad
 * argument). */
nv_pol_action nv_pol_stmt_action(const nv_pol_statement *stmt, nv_pol_check check);

/* Whether `scope` is a valid registry scope other than "*": a fully
 * qualified repository "domain[:port]/path" without tag or digest
 * (notary-spec.md 13.3 rule 4). NV_E_POLICY_SCOPE_INVALID with
 * notation-go's message otherwise. Also used for --scope of OCI layouts. */
nv_status nv_pol_check_scope(const char *scope, nv_diag *d);

/* The statement that applies to the OCI artifact `reference`
 * ("registry/repo@sha256:..."): the repository is the text before the last
 * '@' and must be a valid scope; a statement naming it exactly wins over
 * the "*" statement. NV_E_NO_APPLICABLE_POLICY (no '@', invalid repository,
 * nothing applies), NV_E_INVALID_ARG (NULL, or a blob document). *out
 * points into `doc`. */
nv_status nv_pol_select_oci(const nv_pol_doc *doc, const char *reference,
                            const nv_pol_statement **out, nv_diag *d);

/* The blob statement named `name` (exact match), or with name == NULL the
 * global statement ("globalPolicy": true). A name of only white space
 * (including "") is refused: "policy name cannot be empty".
 * NV_E_NO_APPLICABLE_POLICY, NV_E_INVALID_ARG (NULL doc or an OCI
 * document). *out points into `doc`. */
nv_status nv_pol_select_blob(const nv_pol_doc *doc, const char *name,
                             const nv_pol_statement **out, nv_diag *d);

/* Match the leaf certificate against the statement's trusted identities
 * (notary-spec.md 13.6): "*" matches any leaf; otherwise some
 * "x509.subject" DN must be a subset of the leaf's subject. Identities
 * with other prefixes are ignored. Errors: NV_E_NO_X509_IDENTITIES,
 * NV_E_LEAF_SUBJECT_UNPARSABLE, NV_E_IDENTITY_MISMATCH, NV_E_NOMEM,
 * NV_E_INVALID_ARG. */
nv_status nv_pol_match_identity(const nv_pol_statement *stmt, X509 *leaf, nv_diag *d);

/* The same on a raw list of identity strings that has not been validated,
 * as notation-go's verifier does it: "*" anywhere matches at once; an
 * entry without ':' is NV_E_IDENTITY_NO_SEPARATOR; an "x509.subject" value
 * that is empty is NV_E_POLICY_IDENTITY_EMPTY_VALUE, one that is not a valid
 * DN NV_E_POLICY_IDENTITY_DN_INVALID. `policy_name`
 * is used in messages. */
nv_status nv_pol_match_identities(const char *policy_name, const char *const *identities,
                                  size_t count, X509 *leaf, nv_diag *d);

#endif /* NV_POLICY_POLICY_H */
