/*
 * Certificate predicates and reference counting for the layers that must
 * not include OpenSSL themselves: trust stores (lib/policy/truststore.c,
 * notary-spec.md section 12 steps 5 and 6) and the revocation cache
 * (lib/verify/revocation.c).
 */
#ifndef NV_X509_STORE_HELPERS_H
#define NV_X509_STORE_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include "x509/nv_x509_certs.h"

/* Take one more reference on `cert` (X509_up_ref, atomic) and return it;
 * the new reference is released with X509_free / nv_x509_list_free.
 * NULL if `cert` is NULL or the reference cannot be taken. */
X509 *nv_x509_ref(X509 *cert);

/* Release a reference (X509_free); NULL is fine. */
void nv_x509_unref(X509 *cert);

/* The same certificate (equal DER), both non-NULL. */
bool nv_x509_same(X509 *a, X509 *b);

/* Go's Certificate.IsCA: a basicConstraints extension is present and its
 * cA flag is true. A malformed or duplicated extension is not a CA. */
bool nv_x509_is_ca(X509 *cert);

/* notation-go isRootCACertificate: the certificate passes Go's
 * CheckSignatureFrom(itself) -- a v3 certificate needs basicConstraints
 * with cA=true, a certificate with keyUsage needs keyCertSign, a SHA-1 or
 * weaker signature is refused, and the signature must verify with its own
 * key -- and its raw subject equals its raw issuer. On false, `why` (may
 * be NULL) receives notation-go's text:
 *   certificate with subject "<DN>" is not a root CA certificate: <reason>
 */
bool nv_x509_is_root_ca(X509 *cert, char *why, size_t why_size);

#endif /* NV_X509_STORE_HELPERS_H */
