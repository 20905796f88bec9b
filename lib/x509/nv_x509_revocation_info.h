/*
 * Whether a certificate names revocation sources (notary-spec.md 15): OCSP
 * responders in its Authority Information Access extension, CRL
 * distribution points. Used to fail closed while revocation checking is
 * not available.
 */
#ifndef NV_X509_REVOCATION_INFO_H
#define NV_X509_REVOCATION_INFO_H
#include <stdbool.h>
#include "x509/nv_x509_certs.h"

/* Set *ocsp / *crl (either may be NULL) and return whether the certificate
 * has an OCSP responder URL or a CRL distribution point URL. */
bool nv_x509_revocation_urls(X509 *cert, bool *ocsp, bool *crl);

#endif /* NV_X509_REVOCATION_INFO_H */
