/*
 * A certificate's subject as a flat list of attributes, for the trust
 * policy's identity matching (notary-spec.md section 13.6). The policy
 * layer cannot see OpenSSL, so this is the bridge: each attribute carries
 * the short name notation-go prints for it (Go's pkix.Name.String()), its
 * value as UTF-8 and the index of the RDN (SET) that holds it, so the
 * caller can tell multi-valued RDNs apart from repeated attributes.
 */
#ifndef NV_X509_NAME_H
#define NV_X509_NAME_H

#include <stddef.h>
#include "base/nv_diag.h"
#include "x509/nv_x509_certs.h"

/* Most attributes one subject may have; more is NV_E_LIMIT. */
#define NV_X509_NAME_MAX_ATTRS 256

typedef struct nv_x509_name_attr {
  /* "C", "ST", "L", "O", "OU", "CN", "STREET", "POSTALCODE",
   * "SERIALNUMBER" for the attributes Go names, else the dotted OID
   * ("1.2.840.113549.1.9.1"). */
  char *type;
  /* The value converted to UTF-8 and NUL-terminated; value_len is its
   * length, which is less than strlen() only if the value holds a NUL. */
  char *value;
  size_t value_len;
  /* 0-based index of the RDN in the subject's DER order (C first in the
   * usual order); attributes of one multi-valued RDN share it. */
  size_t rdn;
} nv_x509_name_attr;

typedef struct nv_x509_name {
  nv_x509_name_attr *attrs; /* in DER order */
  size_t count;
} nv_x509_name;

/* Fill `out` from the subject of `cert`. Errors: NV_E_INVALID_ARG,
 * NV_E_CERT_PARSE (a value that is not a string type OpenSSL can convert
 * to UTF-8), NV_E_LIMIT (more than NV_X509_NAME_MAX_ATTRS attributes),
 * NV_E_NOMEM. On error `out` is empty. Free with nv_x509_name_free(). */
nv_status nv_x509_subject_attrs(X509 *cert, nv_x509_name *out, nv_diag *d);
void nv_x509_name_free(nv_x509_name *name);

#endif /* NV_X509_NAME_H */
