/*
 * Whether a certificate names revocation sources (notary-spec.md 15): OCSP
 * responders in its Authority Information Access extension, CRL
 * distribution points. Used to fail closed where revocation cannot be
 * checked.
 */
#ifndef NV_X509_REVOCATION_INFO_H
#define NV_X509_REVOCATION_INFO_H
#include <stdbool.h>
#include <openssl/x509v3.h>
#include "x509/nv_x509_certs.h"
#include "x509/nv_x509_revocation.h"

/* Set *ocsp / *crl (either may be NULL) and return whether the certificate
 * names an OCSP responder or a CRL distribution point (usable or not: see
 * nv_x509_urls.unusable). */
bool nv_x509_revocation_urls(X509 *cert, bool *ocsp, bool *crl);

/* The fullName URIs of distribution points (CRL distribution points and
 * Freshest CRL share the syntax) appended to `out`; see nv_x509_crl_urls. */
nv_status nv_x509_dist_point_urls(const STACK_OF(DIST_POINT) *dps, nv_x509_urls *out,
                                  nv_diag *d);

#endif /* NV_X509_REVOCATION_INFO_H */
