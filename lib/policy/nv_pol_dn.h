/*
 * Distinguished names of "x509.subject:" trusted identities and of leaf
 * certificate subjects (notary-spec.md section 13.6).
 *
 * Parsing follows notation-go's pkix.ParseDistinguishedName (go-ldap's
 * RFC 4514 parser plus notation's rules), with messages in its words:
 *   - a DN containing "=#" is refused (no hex/BER values);
 *   - ',' or ';' separate RDNs; '+' makes a multi-valued RDN, refused;
 *   - unescaped spaces around types and values are trimmed, an escaped
 *     space ("\ ") is kept; "\X" (X one of  "#+,;<=>\ and space) and
 *     "\hh" escapes are decoded; the decoded text must be UTF-8 without NUL;
 *   - type names are kept as written (case-sensitive), except "S" becomes
 *     "ST"; a repeated type is refused;
 *   - C, ST and O must be present with non-empty values.
 * Stricter than notation-go, and documented as such:
 *   - an empty attribute value ("OU=") is refused (go-ldap keeps it in the
 *     middle of a DN and silently drops it at the end, so it had no
 *     dependable meaning); an empty type ("=x") is refused;
 *   - a repeated type is refused even after an empty value (Go lets
 *     "O=,O=x" through); a DN ending inside an escape is refused;
 *   - at most NV_POL_DN_MAX_ATTRS attributes (NV_E_LIMIT).
 *
 * A parsed DN is immutable and can be shared across threads.
 */
#ifndef NV_POLICY_DN_H
#define NV_POLICY_DN_H

#include <stdbool.h>
#include <stddef.h>
#include "base/nv_diag.h"
#include "x509/nv_x509_certs.h"

#define NV_POL_DN_MAX_ATTRS 128

typedef struct nv_pol_dn_attr {
  char *type;  /* as written; "S" stored as "ST" */
  char *value; /* decoded UTF-8 */
} nv_pol_dn_attr;

typedef struct nv_pol_dn {
  nv_pol_dn_attr *attrs; /* sorted by type (strcmp order), types unique */
  size_t count;
} nv_pol_dn;

/* Parse `text` (NUL-terminated). Errors: NV_E_POLICY_IDENTITY_DN_INVALID
 * with notation-go's message ('unsupported distinguished name (DN) "..."',
 * 'parsing distinguished name (DN) "..." failed with err: ...',
 * '... has multi-valued RDN attributes ...', '... has duplicate RDN
 * attribute for "ST" ...', '... has no mandatory RDN attribute for "O" ...'),
 * NV_E_LIMIT, NV_E_NOMEM, NV_E_INVALID_ARG. On error *out is empty. */
nv_status nv_pol_dn_parse(const char *text, nv_pol_dn *out, nv_diag *d);
void nv_pol_dn_free(nv_pol_dn *dn);

/* The value of attribute `type` (exact spelling), or NULL. */
const char *nv_pol_dn_get(const nv_pol_dn *dn, const char *type);

/* Every (type, value) of `a` appears in `b` with exactly the same value
 * (byte comparison, case-sensitive). An empty `a` is a subset of anything. */
bool nv_pol_dn_is_subset(const nv_pol_dn *a, const nv_pol_dn *b);

/* The subject of the leaf certificate as a DN, with the consequences of
 * notation-go comparing against pkix.Name.String(): only C, ST, L, O, OU,
 * CN, STREET, POSTALCODE and SERIALNUMBER are representable. Any other
 * attribute, a multi-valued RDN, a repeated attribute, a value containing
 * "=#" or a NUL, or a missing or empty C, ST or O makes the subject
 * unparsable: NV_E_LEAF_SUBJECT_UNPARSABLE with a message saying which
 * attribute and that only the "*" identity can match such a certificate.
 * Attributes with empty values are kept (they never match a policy DN).
 * Also NV_E_NOMEM, NV_E_INVALID_ARG. */
nv_status nv_pol_dn_from_cert(X509 *cert, nv_pol_dn *out, nv_diag *d);


#endif /* NV_POLICY_DN_H */
