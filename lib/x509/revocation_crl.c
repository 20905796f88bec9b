/*
 * CRLs (RFC 5280 section 5, notary-spec.md 11.3): parsing, validation
 * against the issuer and a time, delta CRLs, and the lookup of one
 * certificate. See nv_x509_revocation.h.
 */
#include "x509/nv_x509_time.h"
#include "x509/nv_x509_revocation.h"
#include "x509/nv_x509_revocation_info.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/nv_limits.h"
#include "x509/nv_x509_chain.h"

struct nv_x509_crl {
  X509_CRL *crl;
  nv_x509_crl_info info;
};

#define CHECK_ERROR NV_E_REVOCATION_CHECK_ERROR

/* A non-negative INTEGER extension value, or -1. */
static int64_t integer_ext(X509_CRL *crl, int nid, bool *bad)
{
  int crit = 0;
  ASN1_INTEGER *v = X509_CRL_get_ext_d2i(crl, nid, &crit, NULL);
  if (v == NULL) {
    if (crit != -1) /* present but malformed, or present twice */
      *bad = true;
    return -1;
  }
  int64_t n = -1;
  if (ASN1_INTEGER_get_int64(&n, v) != 1 || n < 0)
    n = -1;
  ASN1_INTEGER_free(v);
  return n;
}

nv_status nv_x509_crl_parse(const uint8_t *der, size_t len, nv_x509_crl **out, nv_diag *d)
{
  *out = NULL;
  if (der == NULL && len > 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "no CRL bytes");
  /* notary-spec.md 11.3: exactly 32 MiB counts as too large */
  if (len >= NV_LIMIT_CRL_BYTES)
    return nv_diag_set(d, NV_E_LIMIT, "the CRL is %zu bytes, not less than the limit of %zu",
                       len, (size_t)NV_LIMIT_CRL_BYTES);
  if (len == 0)
    return nv_diag_set(d, CHECK_ERROR, "the CRL is empty");
  const unsigned char *p = der;
  X509_CRL *x = d2i_X509_CRL(NULL, &p, (long)len);
  if (x == NULL) {
    ERR_clear_error(); /* OpenSSL's queue is not our report */
    return nv_diag_set(d, CHECK_ERROR, "the CRL is not a DER CertificateList");
  }
  if (p != der + len) {
    X509_CRL_free(x);
    return nv_diag_set(d, CHECK_ERROR, "%zu bytes follow the CRL", (size_t)(der + len - p));
  }
  nv_x509_crl *c = calloc(1, sizeof(*c));
  if (c == NULL) {
    X509_CRL_free(x);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  c->crl = x;
  bool bad = false;
  if (!nv_x509_asn1_time(X509_CRL_get0_lastUpdate(x), &c->info.this_update))
    bad = true;
  const ASN1_TIME *next = X509_CRL_get0_nextUpdate(x);
  c->info.has_next_update = next != NULL;
  if (next != NULL && !nv_x509_asn1_time(next, &c->info.next_update))
    bad = true;
  c->info.crl_number = integer_ext(x, NID_crl_number, &bad);
  c->info.delta_indicator = integer_ext(x, NID_delta_crl, &bad);
  STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(x);
  c->info.revoked = rev == NULL ? 0 : (size_t)sk_X509_REVOKED_num(rev);
  if (bad) {
    nv_x509_crl_free(c);
    return nv_diag_set(d, CHECK_ERROR,
                       "the CRL has a malformed time, CRL number or delta CRL indicator");
  }
  *out = c;
  return NV_OK;
}

nv_x509_crl *nv_x509_crl_share(const nv_x509_crl *crl)
{
  nv_x509_crl *c = malloc(sizeof(*c));
  if (c == NULL || X509_CRL_up_ref(crl->crl) != 1) {
    free(c);
    return NULL;
  }
  *c = *crl;
  return c;
}

void nv_x509_crl_free(nv_x509_crl *crl)
{
  if (crl == NULL)
    return;
  X509_CRL_free(crl->crl);
  free(crl);
}

void nv_x509_crl_get_info(const nv_x509_crl *crl, nv_x509_crl_info *out)
{
  *out = crl->info;
}

nv_status nv_x509_crl_freshest_urls(const nv_x509_crl *crl, nv_x509_urls *out, nv_diag *d)
{
  memset(out, 0, sizeof(*out));
  STACK_OF(DIST_POINT) *dps = X509_CRL_get_ext_d2i(crl->crl, NID_freshest_crl, NULL, NULL);
  nv_status rc = nv_x509_dist_point_urls(dps, out, d);
  sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
  if (rc != NV_OK)
    nv_x509_urls_free(out);
  return rc;
}

/* The tbsCertList of a DER CertificateList as an opaque value (no entry
 * decoded), its signatureAlgorithm and signatureValue. */
static bool split_crl(const uint8_t *der, size_t len, ASN1_TYPE **tbs, X509_ALGOR **alg,
                      ASN1_BIT_STRING **sig)
{
  *tbs = NULL;
  *alg = NULL;
  *sig = NULL;
  const unsigned char *p = der;
  long n = 0;
  int tag = 0, cls = 0;
  /* definite lengths only: 0x20 is "constructed", anything else (error,
   * indefinite) is refused */
  if (ASN1_get_object(&p, &n, &tag, &cls, (long)len) != V_ASN1_CONSTRUCTED ||
      tag != V_ASN1_SEQUENCE || cls != V_ASN1_UNIVERSAL || p + n != der + len)
    return false;
  const unsigned char *end = p + n;
  *tbs = d2i_ASN1_TYPE(NULL, &p, end - p);
  if (*tbs != NULL && ASN1_TYPE_get(*tbs) == V_ASN1_SEQUENCE)
    *alg = d2i_X509_ALGOR(NULL, &p, end - p);
  if (*alg != NULL)
    *sig = d2i_ASN1_BIT_STRING(NULL, &p, end - p);
  if (*sig != NULL && p == end)
    return true;
  ASN1_TYPE_free(*tbs);
  X509_ALGOR_free(*alg);
  ASN1_BIT_STRING_free(*sig);
  *tbs = NULL;
  *alg = NULL;
  *sig = NULL;
  return false;
}

nv_status nv_x509_crl_check_signature(const uint8_t *der, size_t len, X509 *issuer, nv_diag *d)
{
  /* notary-spec.md 11.3: exactly 32 MiB counts as too large */
  if (len >= NV_LIMIT_CRL_BYTES)
    return nv_diag_set(d, NV_E_LIMIT, "the CRL is %zu bytes, not less than the limit of %zu",
                       len, (size_t)NV_LIMIT_CRL_BYTES);
  ASN1_TYPE *tbs;
  X509_ALGOR *alg;
  ASN1_BIT_STRING *sig;
  char name[256], alg_name[80];
  nv_status rc = NV_OK;
  if (!split_crl(der, len, &tbs, &alg, &sig))
    rc = nv_diag_set(d, CHECK_ERROR, "the CRL is not a DER CertificateList");
  else if (!nv_x509_sigalg_trusted(alg, alg_name, sizeof(alg_name)))
    rc = nv_diag_set(d, CHECK_ERROR, "the CRL is signed with %s, which is not accepted",
                     alg_name);
  else if (X509_get0_pubkey(issuer) == NULL ||
           ASN1_item_verify(ASN1_ITEM_rptr(ASN1_ANY), alg, sig, tbs,
                            X509_get0_pubkey(issuer)) != 1)
    rc = nv_diag_set(d, CHECK_ERROR, "the CRL's signature does not verify with the key of %s",
                     nv_x509_subject(issuer, name, sizeof(name)));
  ASN1_TYPE_free(tbs);
  X509_ALGOR_free(alg);
  ASN1_BIT_STRING_free(sig);
  ERR_clear_error();
  return rc;
}

static const char *show_time(int64_t t, char *buf, size_t size)
{
  ASN1_TIME *a = ASN1_TIME_set(NULL, (time_t)t);
  struct tm tm;
  if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1)
    snprintf(buf, size, "%lld", (long long)t);
  else
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  ASN1_TIME_free(a);
  return buf;
}

static nv_status validate(const nv_x509_crl *crl, X509 *issuer, int64_t now, bool delta,
                          bool check_signature, nv_diag *d);

nv_status nv_x509_crl_validate(const nv_x509_crl *crl, X509 *issuer, int64_t now, bool delta,
                               nv_diag *d)
{
  return validate(crl, issuer, now, delta, true, d);
}

nv_status nv_x509_crl_revalidate(const nv_x509_crl *crl, X509 *issuer, int64_t now, bool delta,
                                 nv_diag *d)
{
  return validate(crl, issuer, now, delta, false, d);
}

static nv_status validate(const nv_x509_crl *crl, X509 *issuer, int64_t now, bool delta,
                          bool check_signature, nv_diag *d)
{
  X509_CRL *x = crl->crl;
  char name[256];
  if (issuer == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "no CRL issuer certificate");
  if (X509_NAME_cmp(X509_CRL_get_issuer(x), X509_get_subject_name(issuer)) != 0)
    return nv_diag_set(d, CHECK_ERROR, "the CRL was not issued by %s (issuer names differ)",
                       nv_x509_subject(issuer, name, sizeof(name)));
  uint32_t flags = X509_get_extension_flags(issuer);
  if ((flags & EXFLAG_KUSAGE) != 0 && (X509_get_key_usage(issuer) & KU_CRL_SIGN) == 0)
    return nv_diag_set(d, CHECK_ERROR, "the CRL issuer %s may not sign CRLs (no cRLSign)",
                       nv_x509_subject(issuer, name, sizeof(name)));
  const X509_ALGOR *alg = NULL;
  X509_CRL_get0_signature(x, NULL, &alg);
  char alg_name[80];
  if (!nv_x509_sigalg_trusted(alg, alg_name, sizeof(alg_name)))
    return nv_diag_set(d, CHECK_ERROR, "the CRL is signed with %s, which is not accepted",
                       alg_name);
  EVP_PKEY *key = X509_get0_pubkey(issuer);
  if (check_signature && (key == NULL || X509_CRL_verify(x, key) != 1)) {
    ERR_clear_error();
    return nv_diag_set(d, CHECK_ERROR, "the CRL's signature does not verify with the key of %s",
                       nv_x509_subject(issuer, name, sizeof(name)));
  }
  char t1[64], t2[64];
  if (now < crl->info.this_update)
    return nv_diag_set(d, CHECK_ERROR, "the CRL's thisUpdate %s is after the time %s",
                       show_time(crl->info.this_update, t1, sizeof(t1)),
                       show_time(now, t2, sizeof(t2)));
  if (!crl->info.has_next_update)
    return nv_diag_set(d, CHECK_ERROR, "the CRL has no nextUpdate");
  if (now > crl->info.next_update)
    return nv_diag_set(d, CHECK_ERROR, "the CRL expired: nextUpdate %s is before the time %s",
                       show_time(crl->info.next_update, t1, sizeof(t1)),
                       show_time(now, t2, sizeof(t2)));
  for (int i = 0; i < X509_CRL_get_ext_count(x); i++) {
    X509_EXTENSION *ext = X509_CRL_get_ext(x, i);
    if (!X509_EXTENSION_get_critical(ext))
      continue;
    int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
    if (nid != NID_issuing_distribution_point && nid != NID_delta_crl &&
        nid != NID_crl_number && nid != NID_authority_key_identifier) {
      char oid[80];
      OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(ext), 1);
      return nv_diag_set(d, CHECK_ERROR, "the CRL has an unknown critical extension %s", oid);
    }
  }
  int crit = 0;
  ISSUING_DIST_POINT *idp = X509_CRL_get_ext_d2i(x, NID_issuing_distribution_point, &crit, NULL);
  if (idp == NULL && crit != -1)
    return nv_diag_set(d, CHECK_ERROR, "the CRL's issuing distribution point is malformed");
  bool indirect = idp != NULL && idp->indirectCRL;
  ISSUING_DIST_POINT_free(idp);
  if (indirect)
    return nv_diag_set(d, CHECK_ERROR, "indirect CRLs are not supported");
  if (delta && crl->info.delta_indicator < 0)
    return nv_diag_set(d, CHECK_ERROR, "the delta CRL has no delta CRL indicator");
  if (!delta && crl->info.delta_indicator >= 0)
    return nv_diag_set(d, CHECK_ERROR, "a delta CRL was given where a complete CRL is needed");
  return NV_OK;
}

/* Whether both CRLs carry the extension `nid` with the same value, or
 * neither does (with `absent_ok`, also when only one does). */
static bool same_ext(X509_CRL *a, X509_CRL *b, int nid, bool absent_ok)
{
  int ia = X509_CRL_get_ext_by_NID(a, nid, -1);
  int ib = X509_CRL_get_ext_by_NID(b, nid, -1);
  if (ia < 0 || ib < 0)
    return (ia < 0 && ib < 0) || absent_ok;
  return ASN1_OCTET_STRING_cmp(X509_EXTENSION_get_data(X509_CRL_get_ext(a, ia)),
                               X509_EXTENSION_get_data(X509_CRL_get_ext(b, ib))) == 0;
}

nv_status nv_x509_crl_check_delta(const nv_x509_crl *base, const nv_x509_crl *delta,
                                  nv_diag *d)
{
  if (X509_NAME_cmp(X509_CRL_get_issuer(base->crl), X509_CRL_get_issuer(delta->crl)) != 0)
    return nv_diag_set(d, CHECK_ERROR, "the delta CRL and the base CRL have different issuers");
  if (!same_ext(base->crl, delta->crl, NID_issuing_distribution_point, false))
    return nv_diag_set(d, CHECK_ERROR,
                       "the delta CRL's scope (issuing distribution point) is not the base CRL's");
  if (!same_ext(base->crl, delta->crl, NID_authority_key_identifier, true))
    return nv_diag_set(d, CHECK_ERROR,
                       "the delta CRL names another authority key than the base CRL");
  if (base->info.crl_number < 0 || delta->info.crl_number < 0)
    return nv_diag_set(d, CHECK_ERROR, "a base or delta CRL without a CRL number");
  if (delta->info.delta_indicator < 0)
    return nv_diag_set(d, CHECK_ERROR, "the delta CRL has no delta CRL indicator");
  if (delta->info.crl_number <= base->info.crl_number)
    return nv_diag_set(d, CHECK_ERROR,
                       "the delta CRL's number %lld is not greater than the base CRL's %lld",
                       (long long)delta->info.crl_number, (long long)base->info.crl_number);
  if (delta->info.delta_indicator > base->info.crl_number)
    return nv_diag_set(d, CHECK_ERROR,
                       "the delta CRL needs base CRL %lld or later, the base CRL is %lld",
                       (long long)delta->info.delta_indicator, (long long)base->info.crl_number);
  return NV_OK;
}

/* Whether two distribution point names share a name (RFC 5280 6.3.3
 * b.2.i). A name relative to the CRL issuer counts as the directory name
 * it stands for (`dpname`, set by DIST_POINT_set_dpname). */
static bool same_point(const DIST_POINT_NAME *a, const DIST_POINT_NAME *b)
{
  if (a->type == 1 && b->type == 1)
    return a->dpname != NULL && b->dpname != NULL && X509_NAME_cmp(a->dpname, b->dpname) == 0;
  if (a->type == 1) {
    const DIST_POINT_NAME *t = a;
    a = b;
    b = t;
  }
  /* a: a full name; b: full or relative */
  for (int i = 0; i < sk_GENERAL_NAME_num(a->name.fullname); i++) {
    GENERAL_NAME *x = sk_GENERAL_NAME_value(a->name.fullname, i);
    if (b->type == 1) {
      if (x->type == GEN_DIRNAME && b->dpname != NULL && X509_NAME_cmp(x->d.dirn, b->dpname) == 0)
        return true;
      continue;
    }
    for (int j = 0; j < sk_GENERAL_NAME_num(b->name.fullname); j++)
      if (GENERAL_NAME_cmp(x, sk_GENERAL_NAME_value(b->name.fullname, j)) == 0)
        return true;
  }
  return false;
}

/* A CRL whose issuing distribution point has a name covers only the
 * certificates that name that point in their CRL distribution points. */
static bool cert_names_point(const DIST_POINT_NAME *idp_name, X509 *cert)
{
  STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(cert, NID_crl_distribution_points, NULL, NULL);
  bool found = false;
  for (int i = 0; i < sk_DIST_POINT_num(dps) && !found; i++) {
    DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
    if (dp->distpoint == NULL || dp->CRLissuer != NULL)
      continue; /* indirect CRLs are refused anyway */
    if (dp->distpoint->type == 1 &&
        DIST_POINT_set_dpname(dp->distpoint, X509_get_issuer_name(cert)) != 1)
      continue;
    found = same_point(idp_name, dp->distpoint);
  }
  sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
  ERR_clear_error();
  return found;
}

nv_status nv_x509_crl_covers(const nv_x509_crl *crl, X509 *cert, nv_diag *d)
{
  ISSUING_DIST_POINT *idp = X509_CRL_get_ext_d2i(crl->crl, NID_issuing_distribution_point,
                                                 NULL, NULL);
  if (idp == NULL)
    return NV_OK;
  bool ca = X509_check_ca(cert) != 0;
  const char *why = NULL;
  if (idp->onlyuser && ca)
    why = "only user certificates";
  else if (idp->onlyCA && !ca)
    why = "only CA certificates";
  else if (idp->onlyattr)
    why = "only attribute certificates";
  else if (idp->onlysomereasons != NULL)
    why = "only some revocation reasons";
  else if (idp->distpoint != NULL) {
    if (idp->distpoint->type == 1 &&
        DIST_POINT_set_dpname(idp->distpoint, X509_CRL_get_issuer(crl->crl)) != 1)
      why = "a distribution point named relative to its issuer that cannot be resolved";
    else if (!cert_names_point(idp->distpoint, cert))
      why = "a distribution point that the certificate does not name";
  }
  ISSUING_DIST_POINT_free(idp);
  ERR_clear_error();
  if (why != NULL)
    return nv_diag_set(d, CHECK_ERROR, "the CRL covers %s", why);
  return NV_OK;
}

typedef struct lookup {
  bool revoked;       /* a permanent reason (or none) */
  int reason;         /* of that entry, -1 none */
  int64_t when;
  bool temp_seen;     /* certificateHold / removeFromCRL entries */
  bool temp_hold;     /* the latest of them is a hold */
  int64_t temp_when;
} lookup;

static nv_status scan(const nv_x509_crl *crl, const ASN1_INTEGER *serial, int64_t signing_time,
                      lookup *lk, nv_diag *d)
{
  STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(crl->crl);
  for (int i = 0; i < sk_X509_REVOKED_num(rev); i++) {
    X509_REVOKED *r = sk_X509_REVOKED_value(rev, i);
    if (ASN1_INTEGER_cmp(X509_REVOKED_get0_serialNumber(r), serial) != 0)
      continue;
    for (int j = 0; j < X509_REVOKED_get_ext_count(r); j++) {
      X509_EXTENSION *ext = X509_REVOKED_get_ext(r, j);
      int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
      if (X509_EXTENSION_get_critical(ext) && nid != NID_crl_reason &&
          nid != NID_invalidity_date)
        return nv_diag_set(d, CHECK_ERROR,
                           "the CRL entry of the certificate has an unknown critical extension");
    }
    int64_t when = 0;
    if (!nv_x509_asn1_time(X509_REVOKED_get0_revocationDate(r), &when))
      return nv_diag_set(d, CHECK_ERROR, "the CRL entry has a malformed revocation date");
    int crit = 0;
    ASN1_GENERALIZEDTIME *inv = X509_REVOKED_get_ext_d2i(r, NID_invalidity_date, &crit, NULL);
    if (inv == NULL && crit != -1)
      return nv_diag_set(d, CHECK_ERROR, "the CRL entry has a malformed invalidity date");
    int64_t invalid_from = 0;
    bool has_inv = inv != NULL && nv_x509_asn1_time(inv, &invalid_from);
    ASN1_GENERALIZEDTIME_free(inv);
    if (inv != NULL && !has_inv)
      return nv_diag_set(d, CHECK_ERROR, "the CRL entry has a malformed invalidity date");
    ASN1_ENUMERATED *reason_v = X509_REVOKED_get_ext_d2i(r, NID_crl_reason, &crit, NULL);
    if (reason_v == NULL && crit != -1)
      return nv_diag_set(d, CHECK_ERROR, "the CRL entry has a malformed reason code");
    int64_t code = -1;
    bool code_ok = reason_v == NULL || ASN1_ENUMERATED_get_int64(&code, reason_v) == 1;
    ASN1_ENUMERATED_free(reason_v);
    if (!code_ok)
      return nv_diag_set(d, CHECK_ERROR, "the CRL entry has a malformed reason code");
    /* a code RFC 5280 does not define revokes for good (reason -2) */
    int reason = code < 0 ? -1 : code > 10 || code == 7 ? -2 : (int)code;
    if (reason == CRL_REASON_CERTIFICATE_HOLD || reason == CRL_REASON_REMOVE_FROM_CRL) {
      if (!lk->temp_seen || when >= lk->temp_when) {
        lk->temp_seen = true;
        lk->temp_when = when;
        lk->temp_hold = reason == CRL_REASON_CERTIFICATE_HOLD;
      }
      continue;
    }
    /* Signed before the key was compromised: not revoked for this
     * signature. */
    if (has_inv && signing_time != 0 && signing_time < invalid_from)
      continue;
    if (!lk->revoked) {
      lk->revoked = true;
      lk->reason = reason;
      lk->when = when;
    }
  }
  return NV_OK;
}

static const char *reason_name(int r)
{
  static const char *const names[] = {
    "unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
    "cessationOfOperation", "certificateHold", "value 7", "removeFromCRL",
    "privilegeWithdrawn", "aACompromise",
  };
  if (r == -2)
    return "an undefined reason code";
  if (r < 0)
    return "no reason given";
  return r < (int)(sizeof(names) / sizeof(names[0])) ? names[r] : "unknown reason";
}

nv_status nv_x509_crl_check_cert(const nv_x509_crl *base, const nv_x509_crl *delta, X509 *cert,
                                 int64_t signing_time, nv_diag *d)
{
  char name[256];
  if (X509_NAME_cmp(X509_CRL_get_issuer(base->crl), X509_get_issuer_name(cert)) != 0)
    return nv_diag_set(d, CHECK_ERROR, "the CRL's issuer is not the issuer of %s",
                       nv_x509_subject(cert, name, sizeof(name)));
  nv_status rc = nv_x509_crl_covers(base, cert, d);
  if (rc == NV_OK && delta != NULL)
    rc = nv_x509_crl_covers(delta, cert, d);
  if (rc != NV_OK)
    return rc;
  lookup lk = {.reason = -1};
  const ASN1_INTEGER *serial = X509_get0_serialNumber(cert);
  if ((rc = scan(base, serial, signing_time, &lk, d)) != NV_OK ||
      (delta != NULL && (rc = scan(delta, serial, signing_time, &lk, d)) != NV_OK))
    return rc;
  char t[64];
  if (lk.revoked)
    return nv_diag_set(d, NV_E_CERT_REVOKED, "%s was revoked on %s (%s)",
                       nv_x509_subject(cert, name, sizeof(name)),
                       show_time(lk.when, t, sizeof(t)), reason_name(lk.reason));
  if (lk.temp_seen && lk.temp_hold)
    return nv_diag_set(d, NV_E_CERT_REVOKED, "%s is on hold since %s (certificateHold)",
                       nv_x509_subject(cert, name, sizeof(name)),
                       show_time(lk.temp_when, t, sizeof(t)));
  return NV_OK;
}
