/*
 * Revocation judgements over bytes (notary-spec.md section 11): CRLs
 * (RFC 5280 section 5) and OCSP responses (RFC 6960). Pure functions of
 * the bytes, the certificates and a time; the fetching is done by the
 * verify layer.
 *
 * Results of a check, as status codes:
 *   NV_OK                        the certificate is not revoked (good)
 *   NV_E_CERT_REVOKED            it is revoked
 *   NV_E_REVOCATION_UNKNOWN      the source answered "unknown"
 *   NV_E_REVOCATION_CHECK_ERROR  the source cannot be used: malformed,
 *                                wrong signer, stale, unknown critical
 *                                extension, wrong scope
 * NV_E_LIMIT (too large) and NV_E_NOMEM can come from the parsers.
 */
#ifndef NV_X509_REVOCATION_H
#define NV_X509_REVOCATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_buf.h"
#include "x509/nv_x509_certs.h"

/* ---- URLs named by a certificate or a CRL ---- */

/* The most URLs taken from one extension; further ones are ignored. */
#define NV_X509_MAX_URLS 8
/* Longer URLs are ignored. */
#define NV_X509_MAX_URL_LEN 2048

typedef struct nv_x509_urls {
  char *items[NV_X509_MAX_URLS];
  size_t count;
  /* the extension is there but unusable in part or whole: it does not
   * decode, a point or responder has no URI, a URI is too long or holds
   * a NUL */
  bool unusable;
} nv_x509_urls;

void nv_x509_urls_free(nv_x509_urls *u);

/* The URI fullNames of the OCSP responders (AIA 1.3.6.1.5.5.7.48.1), of the
 * CRL distribution points (2.5.29.31) and of the Freshest CRL extension
 * (2.5.29.46), in order. Names that are not URIs (or an extension that
 * does not decode) give no URL and set `unusable`. `out` is always
 * initialised. Only NV_E_NOMEM fails. */
nv_status nv_x509_ocsp_urls(X509 *cert, nv_x509_urls *out, nv_diag *d);
nv_status nv_x509_crl_urls(X509 *cert, nv_x509_urls *out, nv_diag *d);
nv_status nv_x509_freshest_crl_urls(X509 *cert, nv_x509_urls *out, nv_diag *d);

/* ---- CRLs ---- */

typedef struct nv_x509_crl nv_x509_crl;

typedef struct nv_x509_crl_info {
  int64_t this_update;  /* Unix seconds */
  int64_t next_update;  /* 0 when absent */
  bool has_next_update;
  int64_t crl_number;   /* -1 when absent (or beyond int64) */
  int64_t delta_indicator; /* -1 when absent: a base (complete) CRL */
  size_t revoked;       /* entries */
} nv_x509_crl_info;

/* Parse one DER CRL (nothing may follow it). Inputs over
 * NV_LIMIT_CRL_BYTES and more are NV_E_LIMIT before anything is allocated;
 * malformed input is NV_E_REVOCATION_CHECK_ERROR. */
nv_status nv_x509_crl_parse(const uint8_t *der, size_t len, nv_x509_crl **out, nv_diag *d);
void nv_x509_crl_free(nv_x509_crl *crl);
/* Another handle on the same parsed CRL (NULL when out of memory): the
 * functions here only read a CRL, so handles may be used on several
 * threads at once; each is freed on its own. */
nv_x509_crl *nv_x509_crl_share(const nv_x509_crl *crl);
void nv_x509_crl_get_info(const nv_x509_crl *crl, nv_x509_crl_info *out);
/* The CRL's own Freshest CRL URLs (where its delta CRL is). */
nv_status nv_x509_crl_freshest_urls(const nv_x509_crl *crl, nv_x509_urls *out, nv_diag *d);

/* The signature of the DER CRL by `issuer`'s key (and its algorithm, see
 * nv_x509_sigalg_trusted), checked without decoding the CRL's entries:
 * an unsigned CRL of millions of entries costs a copy of its bytes, not
 * the memory of parsing them. NV_E_LIMIT from NV_LIMIT_CRL_BYTES on,
 * NV_E_REVOCATION_CHECK_ERROR otherwise. */
nv_status nv_x509_crl_check_signature(const uint8_t *der, size_t len, X509 *issuer, nv_diag *d);

/* A CRL usable for `issuer`'s certificates at `now`: issuer name equal to
 * the issuer's subject, signature by the issuer's key (which, when it has
 * a key usage extension, must allow cRLSign), thisUpdate <= now, a
 * nextUpdate with now <= nextUpdate, no unknown critical extension, not
 * an indirect CRL. With `delta` false it must be a complete CRL (no Delta
 * CRL Indicator); with true it must be a delta CRL. */
nv_status nv_x509_crl_validate(const nv_x509_crl *crl, X509 *issuer, int64_t now, bool delta,
                               nv_diag *d);
/* The same for a CRL that `issuer`'s key verified before (a parsed CRL
 * kept with the issuer it was checked with): everything but the
 * signature, which would cost a hash over the whole CRL again. */
nv_status nv_x509_crl_revalidate(const nv_x509_crl *crl, X509 *issuer, int64_t now, bool delta,
                                 nv_diag *d);

/* `delta` is a delta of `base`: both validated; same issuer, same scope
 * (issuing distribution points equal) and, when both name it, the same
 * authority key identifier (RFC 5280 6.3.3 c); the delta's CRL number is
 * greater than the base's and its Delta CRL Indicator at most the base's
 * number. NV_E_REVOCATION_CHECK_ERROR otherwise. */
nv_status nv_x509_crl_check_delta(const nv_x509_crl *base, const nv_x509_crl *delta,
                                  nv_diag *d);

/* Whether the scope of the CRL (its issuing distribution point) takes
 * in `cert`: user or CA certificates as the certificate is, every reason,
 * and, when the point has a name, a CRL distribution point of `cert` with
 * that name. NV_OK, else NV_E_REVOCATION_CHECK_ERROR saying why not. */
nv_status nv_x509_crl_covers(const nv_x509_crl *crl, X509 *cert, nv_diag *d);

/* The status of `cert` (issued by the CRLs' issuer) in `base` and the
 * optional `delta`. An entry whose invalidityDate is after a non-zero
 * `signing_time` (the authentic signing time) does not revoke it;
 * certificateHold and removeFromCRL are temporary and the latest such
 * entry (by revocation date) decides. Unknown critical entry extensions
 * and a scope (issuing distribution point) that excludes the certificate
 * are NV_E_REVOCATION_CHECK_ERROR. The CRLs must have been validated. */
nv_status nv_x509_crl_check_cert(const nv_x509_crl *base, const nv_x509_crl *delta, X509 *cert,
                                 int64_t signing_time, nv_diag *d);

/* ---- OCSP ---- */

/* A DER OCSPRequest for `cert` issued by `issuer`: one SHA-1 CertID, no
 * nonce, no signature. */
nv_status nv_x509_ocsp_request(X509 *cert, X509 *issuer, nv_buf *out, nv_diag *d);

/* The GET URL for a request (`base` + "/" + URL-escaped standard base64)
 * when the escaped base64 is shorter than 255 characters; else false
 * (send a POST with Content-Type application/ocsp-request). */
bool nv_x509_ocsp_get_url(const char *base, const uint8_t *req, size_t req_len, nv_buf *url,
                          nv_diag *d);

/* Judge a DER OCSPResponse (at most NV_LIMIT_OCSP_RESPONSE_BYTES, else
 * NV_E_LIMIT) for `cert` issued by `issuer` at `now`: status successful,
 * basic response, signed by the issuer or by a certificate it embeds that
 * the issuer signed and that has id-kp-OCSPSigning, a SingleResponse whose
 * CertID matches (hash algorithm, issuer name and key hashes, serial),
 * thisUpdate <= now <= nextUpdate (a missing nextUpdate counts as
 * expired), no critical single extension. A revoked response with an
 * invalidityDate after a non-zero `signing_time` is good. Returns NV_OK,
 * NV_E_CERT_REVOKED, NV_E_REVOCATION_UNKNOWN or
 * NV_E_REVOCATION_CHECK_ERROR. */
nv_status nv_x509_ocsp_check_response(const uint8_t *der, size_t len, X509 *cert, X509 *issuer,
                                      int64_t now, int64_t signing_time, nv_diag *d);

/* When an answer is good: the times it stays good for the same
 * certificate (thisUpdate less the clock skew allowed, to nextUpdate,
 * within a delegated responder's validity). */
typedef struct nv_x509_ocsp_window {
  int64_t from;
  int64_t until;
} nv_x509_ocsp_window;

/* The same; when the response was signed by a delegated responder whose
 * certificate lacks id-pkix-ocsp-nocheck (1.3.6.1.5.5.7.48.1.5), and the
 * answer is good, revoked or unknown, *check_responder receives that
 * certificate (a new reference: nv_x509_ocsp_responder_free it), whose own
 * revocation the caller should check (RFC 6960 4.2.2.2.1) before trusting
 * the answer; otherwise NULL. `good` (may be NULL) receives the window of
 * a good answer (until < from otherwise). */
nv_status nv_x509_ocsp_check_response_ex(const uint8_t *der, size_t len, X509 *cert,
                                         X509 *issuer, int64_t now, int64_t signing_time,
                                         X509 **check_responder, nv_x509_ocsp_window *good,
                                         nv_diag *d);
/* Release a certificate handed back above (NULL is fine). */
void nv_x509_ocsp_responder_free(X509 *responder);

#endif /* NV_X509_REVOCATION_H */
