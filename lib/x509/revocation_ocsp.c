/*
 * OCSP (RFC 6960, notary-spec.md 11.2): request building and the judgement
 * of a response for one certificate. See nv_x509_revocation.h.
 */
#include "x509/nv_x509_revocation.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include "base/nv_limits.h"
#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_time.h"

#define CHECK_ERROR NV_E_REVOCATION_CHECK_ERROR
/* How far a responder's clock may run ahead of ours (thisUpdate). */
#define OCSP_SKEW_SECS 300

nv_status nv_x509_ocsp_request(X509 *cert, X509 *issuer, nv_buf *out, nv_diag *d)
{
  OCSP_REQUEST *req = OCSP_REQUEST_new();
  OCSP_CERTID *id = cert && issuer ? OCSP_cert_to_id(EVP_sha1(), cert, issuer) : NULL;
  unsigned char *der = NULL;
  int n = -1;
  if (req != NULL && id != NULL && OCSP_request_add0_id(req, id) != NULL) {
    id = NULL; /* owned by req */
    n = i2d_OCSP_REQUEST(req, &der);
  }
  OCSP_CERTID_free(id);
  OCSP_REQUEST_free(req);
  if (n <= 0)
    return nv_diag_set(d, CHECK_ERROR, "cannot build the OCSP request");
  nv_status rc = nv_buf_append(out, der, (size_t)n, d);
  OPENSSL_free(der);
  return rc;
}

bool nv_x509_ocsp_get_url(const char *base, const uint8_t *req, size_t req_len, nv_buf *url,
                          nv_diag *d)
{
  /* standard base64, then query escaping of '+', '/' and '=' */
  if (req_len > 1024)
    return false;
  unsigned char b64[1400];
  int n = EVP_EncodeBlock(b64, req, (int)req_len);
  char esc[255];
  size_t e = 0;
  for (int i = 0; i < n; i++) {
    char c = (char)b64[i];
    bool special = c == '+' || c == '/' || c == '=';
    if (e + (special ? 3 : 1) >= sizeof(esc))
      return false; /* 255 characters or more: POST */
    if (special) {
      snprintf(esc + e, 4, "%%%02X", (unsigned)c);
      e += 3;
    } else {
      esc[e++] = c;
    }
  }
  esc[e] = '\0';
  size_t bl = strlen(base);
  if (nv_buf_append_str(url, base, d) != NV_OK ||
      (bl == 0 || base[bl - 1] != '/' ? nv_buf_append_byte(url, '/', d) : NV_OK) != NV_OK ||
      nv_buf_append_str(url, esc, d) != NV_OK || nv_buf_terminate(url, d) != NV_OK)
    return false;
  return true;
}

static const char *resp_status_name(int s)
{
  switch (s) {
  case OCSP_RESPONSE_STATUS_MALFORMEDREQUEST:
    return "malformedRequest";
  case OCSP_RESPONSE_STATUS_INTERNALERROR:
    return "internalError";
  case OCSP_RESPONSE_STATUS_TRYLATER:
    return "tryLater";
  case OCSP_RESPONSE_STATUS_SIGREQUIRED:
    return "sigRequired";
  case OCSP_RESPONSE_STATUS_UNAUTHORIZED:
    return "unauthorized";
  default:
    return "an unknown status";
  }
}

/* The response's signer is the issuer, or a certificate the issuer
 * issued with id-kp-OCSPSigning that is valid at `now`; the signature
 * verifies with its key. */
static nv_status check_signer(OCSP_BASICRESP *bs, X509 *issuer, int64_t now, X509 **delegated,
                              nv_diag *d)
{
  *delegated = NULL;
  STACK_OF(X509) *extra = sk_X509_new_null();
  if (extra == NULL || !sk_X509_push(extra, issuer)) {
    sk_X509_free(extra);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  X509 *signer = NULL;
  /* the issuer is looked at first, then the certificates in the response */
  int found = OCSP_resp_get0_signer(bs, &signer, extra);
  sk_X509_free(extra);
  if (found != 1 || signer == NULL)
    return nv_diag_set(d, CHECK_ERROR,
                       "the OCSP responder is neither the issuer nor a certificate in the "
                       "response");
  char name[256];
  bool is_issuer = X509_cmp(signer, issuer) == 0;
  if (!is_issuer) {
    if (!nv_x509_is_issued_by(signer, issuer))
      return nv_diag_set(d, CHECK_ERROR,
                         "the OCSP responder %s was not issued by the certificate's issuer",
                         nv_x509_subject(signer, name, sizeof(name)));
    uint32_t flags = X509_get_extension_flags(signer);
    if ((flags & EXFLAG_XKUSAGE) == 0 || (X509_get_extended_key_usage(signer) & XKU_OCSP_SIGN) == 0)
      return nv_diag_set(d, CHECK_ERROR,
                         "the delegated OCSP responder %s lacks id-kp-OCSPSigning",
                         nv_x509_subject(signer, name, sizeof(name)));
    int64_t nb = 0, na = 0;
    if (nv_x509_validity(signer, &nb, &na, d) != NV_OK || now < nb || now > na)
      return nv_diag_set(d, CHECK_ERROR, "the delegated OCSP responder %s is not valid now",
                         nv_x509_subject(signer, name, sizeof(name)));
  }
  char alg_name[80];
  if (!nv_x509_sigalg_trusted(OCSP_resp_get0_tbs_sigalg(bs), alg_name, sizeof(alg_name)))
    return nv_diag_set(d, CHECK_ERROR, "the OCSP response is signed with %s, which is not accepted",
                       alg_name);
  STACK_OF(X509) *one = sk_X509_new_null();
  if (one == NULL || !sk_X509_push(one, signer)) {
    sk_X509_free(one);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  int ok = OCSP_basic_verify(bs, one, NULL, OCSP_NOINTERN | OCSP_NOVERIFY | OCSP_NOCHECKS);
  sk_X509_free(one);
  if (ok != 1)
    return nv_diag_set(d, CHECK_ERROR, "the OCSP response's signature does not verify with %s",
                       nv_x509_subject(signer, name, sizeof(name)));
  if (!is_issuer)
    *delegated = signer;
  return NV_OK;
}

/* The SingleResponse about `cert`: same hash algorithm (SHA-1 or SHA-2),
 * issuer name hash, issuer key hash and serial number. */
static OCSP_SINGLERESP *find_single(OCSP_BASICRESP *bs, X509 *cert, X509 *issuer)
{
  const EVP_MD *mds[] = {EVP_sha1(), EVP_sha256(), EVP_sha384(), EVP_sha512()};
  for (int i = 0; i < OCSP_resp_count(bs); i++) {
    OCSP_SINGLERESP *single = OCSP_resp_get0(bs, i);
    const OCSP_CERTID *cid = OCSP_SINGLERESP_get0_id(single);
    for (size_t m = 0; cid != NULL && m < sizeof(mds) / sizeof(mds[0]); m++) {
      OCSP_CERTID *mine = OCSP_cert_to_id(mds[m], cert, issuer);
      bool same = mine != NULL && OCSP_id_cmp(mine, cid) == 0;
      OCSP_CERTID_free(mine);
      if (same)
        return single;
    }
  }
  return NULL;
}

static nv_status judge(OCSP_BASICRESP *bs, X509 *cert, X509 *issuer, int64_t now,
                       int64_t signing_time, X509 **delegated, nv_x509_ocsp_window *good,
                       nv_diag *d)
{
  nv_status rc = check_signer(bs, issuer, now, delegated, d);
  if (rc != NV_OK)
    return rc;
  for (int i = 0; i < OCSP_BASICRESP_get_ext_count(bs); i++) {
    X509_EXTENSION *ext = OCSP_BASICRESP_get_ext(bs, i);
    if (X509_EXTENSION_get_critical(ext) &&
        OBJ_obj2nid(X509_EXTENSION_get_object(ext)) != NID_id_pkix_OCSP_Nonce)
      return nv_diag_set(d, CHECK_ERROR, "the OCSP response has an unknown critical extension");
  }
  char name[256];
  OCSP_SINGLERESP *single = find_single(bs, cert, issuer);
  if (single == NULL)
    return nv_diag_set(d, CHECK_ERROR, "the OCSP response does not answer for %s",
                       nv_x509_subject(cert, name, sizeof(name)));
  for (int i = 0; i < OCSP_SINGLERESP_get_ext_count(single); i++)
    if (X509_EXTENSION_get_critical(OCSP_SINGLERESP_get_ext(single, i)))
      return nv_diag_set(d, CHECK_ERROR, "the OCSP response has a critical single extension");
  int reason = -1;
  ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
  int status = OCSP_single_get0_status(single, &reason, &rev, &thisupd, &nextupd);
  int64_t t_this = 0, t_next = 0;
  if (!nv_x509_asn1_time(thisupd, &t_this))
    return nv_diag_set(d, CHECK_ERROR, "the OCSP response has no valid thisUpdate");
  if (t_this > now + OCSP_SKEW_SECS)
    return nv_diag_set(d, CHECK_ERROR, "the OCSP response's thisUpdate is in the future");
  /* A response without nextUpdate counts as expired (as in notation-go). */
  if (nextupd == NULL || !nv_x509_asn1_time(nextupd, &t_next) || now > t_next)
    return nv_diag_set(d, CHECK_ERROR, "expired OCSP response");
  switch (status) {
  case V_OCSP_CERTSTATUS_GOOD:
    if (good != NULL) {
      /* the times this judgement holds for: the answer's, within the
       * delegated responder's validity */
      good->from = t_this - OCSP_SKEW_SECS;
      good->until = t_next;
      int64_t nb = 0, na = 0;
      if (*delegated != NULL && nv_x509_validity(*delegated, &nb, &na, NULL) == NV_OK) {
        good->from = nb > good->from ? nb : good->from;
        good->until = na < good->until ? na : good->until;
      }
    }
    return NV_OK;
  case V_OCSP_CERTSTATUS_UNKNOWN:
    return nv_diag_set(d, NV_E_REVOCATION_UNKNOWN, "the OCSP responder does not know %s",
                       nv_x509_subject(cert, name, sizeof(name)));
  case V_OCSP_CERTSTATUS_REVOKED:
    break;
  default:
    return nv_diag_set(d, CHECK_ERROR, "the OCSP response has a malformed status");
  }
  int crit = 0;
  ASN1_GENERALIZEDTIME *inv = OCSP_SINGLERESP_get1_ext_d2i(single, NID_invalidity_date, &crit,
                                                           NULL);
  int64_t t_inv = 0;
  bool has_inv = inv != NULL && nv_x509_asn1_time(inv, &t_inv);
  ASN1_GENERALIZEDTIME_free(inv);
  if (has_inv && signing_time != 0 && signing_time < t_inv)
    return NV_OK; /* signed before the key became invalid */
  return nv_diag_set(d, NV_E_CERT_REVOKED, "%s is revoked (OCSP, %s)",
                     nv_x509_subject(cert, name, sizeof(name)),
                     reason >= 0 ? OCSP_crl_reason_str(reason) : "no reason given");
}

nv_status nv_x509_ocsp_check_response(const uint8_t *der, size_t len, X509 *cert, X509 *issuer,
                                      int64_t now, int64_t signing_time, nv_diag *d)
{
  return nv_x509_ocsp_check_response_ex(der, len, cert, issuer, now, signing_time, NULL, NULL,
                                        d);
}

nv_status nv_x509_ocsp_check_response_ex(const uint8_t *der, size_t len, X509 *cert,
                                         X509 *issuer, int64_t now, int64_t signing_time,
                                         X509 **check_responder, nv_x509_ocsp_window *good,
                                         nv_diag *d)
{
  if (check_responder != NULL)
    *check_responder = NULL;
  if (good != NULL)
    *good = (nv_x509_ocsp_window){0, -1};
  if (cert == NULL || issuer == NULL || (der == NULL && len > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "no OCSP response, certificate or issuer");
  if (len > NV_LIMIT_OCSP_RESPONSE_BYTES)
    return nv_diag_set(d, NV_E_LIMIT, "the OCSP response is %zu bytes, more than the limit of %zu",
                       len, (size_t)NV_LIMIT_OCSP_RESPONSE_BYTES);
  const unsigned char *p = der;
  OCSP_RESPONSE *resp = len > 0 ? d2i_OCSP_RESPONSE(NULL, &p, (long)len) : NULL;
  if (resp == NULL) {
    ERR_clear_error();
    return nv_diag_set(d, CHECK_ERROR, "the OCSP response is not a DER OCSPResponse");
  }
  nv_status rc;
  OCSP_BASICRESP *bs = NULL;
  int status = OCSP_response_status(resp);
  if (p != der + len)
    rc = nv_diag_set(d, CHECK_ERROR, "bytes follow the OCSP response");
  else if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL)
    rc = nv_diag_set(d, CHECK_ERROR, "the OCSP responder answered %s", resp_status_name(status));
  else if ((bs = OCSP_response_get1_basic(resp)) == NULL)
    rc = nv_diag_set(d, CHECK_ERROR, "the OCSP response is not a basic response");
  else {
    X509 *delegated = NULL; /* owned by bs */
    rc = judge(bs, cert, issuer, now, signing_time, &delegated, good, d);
    if (check_responder != NULL && delegated != NULL &&
        (rc == NV_OK || rc == NV_E_CERT_REVOKED || rc == NV_E_REVOCATION_UNKNOWN) &&
        X509_get_ext_by_NID(delegated, NID_id_pkix_OCSP_noCheck, -1) < 0 &&
        X509_up_ref(delegated) == 1)
      *check_responder = delegated;
  }
  OCSP_BASICRESP_free(bs);
  OCSP_RESPONSE_free(resp);
  ERR_clear_error(); /* OpenSSL's queue is not our report */
  return rc;
}

void nv_x509_ocsp_responder_free(X509 *responder)
{
  X509_free(responder);
}
