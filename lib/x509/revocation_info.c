#include "x509/nv_x509_revocation_info.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

static bool has_ocsp(X509 *cert)
{
  STACK_OF(OPENSSL_STRING) *urls = X509_get1_ocsp(cert);
  bool found = urls != NULL && sk_OPENSSL_STRING_num(urls) > 0;
  X509_email_free(urls);
  return found;
}

static bool has_crl(X509 *cert)
{
  int crit = 0;
  STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(cert, NID_crl_distribution_points, &crit, NULL);
  bool found = false;
  for (int i = 0; dps != NULL && i < sk_DIST_POINT_num(dps) && !found; i++) {
    const DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
    if (dp->distpoint == NULL || dp->distpoint->type != 0)
      continue;
    const GENERAL_NAMES *names = dp->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(names); j++)
      if (sk_GENERAL_NAME_value(names, j)->type == GEN_URI) {
        found = true;
        break;
      }
  }
  sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
  return found;
}

bool nv_x509_revocation_urls(X509 *cert, bool *ocsp, bool *crl)
{
  bool o = cert != NULL && has_ocsp(cert);
  bool c = cert != NULL && has_crl(cert);
  if (ocsp != NULL)
    *ocsp = o;
  if (crl != NULL)
    *crl = c;
  return o || c;
}

/* ---- URL lists (nv_x509_revocation.h) ---- */

#include <stdlib.h>
#include <string.h>
#include "x509/nv_x509_revocation.h"

void nv_x509_urls_free(nv_x509_urls *u)
{
  if (u == NULL)
    return;
  for (size_t i = 0; i < u->count; i++)
    free(u->items[i]);
  u->count = 0;
}

static nv_status add_uri(nv_x509_urls *out, const GENERAL_NAME *gn, nv_diag *d)
{
  if (gn == NULL || gn->type != GEN_URI || out->count == NV_X509_MAX_URLS)
    return NV_OK;
  const ASN1_IA5STRING *s = gn->d.uniformResourceIdentifier;
  int len = ASN1_STRING_length(s);
  const unsigned char *p = ASN1_STRING_get0_data(s);
  if (len <= 0 || len > NV_X509_MAX_URL_LEN || memchr(p, '\0', (size_t)len) != NULL)
    return NV_OK;
  char *copy = malloc((size_t)len + 1);
  if (copy == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  memcpy(copy, p, (size_t)len);
  copy[len] = '\0';
  out->items[out->count++] = copy;
  return NV_OK;
}

/* The fullName URIs of distribution points (CDP and Freshest CRL share
 * the syntax). */
static nv_status dist_point_urls(STACK_OF(DIST_POINT) *dps, nv_x509_urls *out, nv_diag *d)
{
  nv_status rc = NV_OK;
  for (int i = 0; i < sk_DIST_POINT_num(dps) && rc == NV_OK; i++) {
    const DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
    if (dp->distpoint == NULL || dp->distpoint->type != 0)
      continue;
    const GENERAL_NAMES *names = dp->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(names) && rc == NV_OK; j++)
      rc = add_uri(out, sk_GENERAL_NAME_value(names, j), d);
  }
  return rc;
}

static nv_status cert_dp_urls(X509 *cert, int nid, nv_x509_urls *out, nv_diag *d)
{
  memset(out, 0, sizeof(*out));
  if (cert == NULL)
    return NV_OK;
  STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(cert, nid, NULL, NULL);
  nv_status rc = dist_point_urls(dps, out, d);
  sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
  if (rc != NV_OK)
    nv_x509_urls_free(out);
  return rc;
}

nv_status nv_x509_crl_urls(X509 *cert, nv_x509_urls *out, nv_diag *d)
{
  return cert_dp_urls(cert, NID_crl_distribution_points, out, d);
}

nv_status nv_x509_freshest_crl_urls(X509 *cert, nv_x509_urls *out, nv_diag *d)
{
  return cert_dp_urls(cert, NID_freshest_crl, out, d);
}

nv_status nv_x509_ocsp_urls(X509 *cert, nv_x509_urls *out, nv_diag *d)
{
  memset(out, 0, sizeof(*out));
  if (cert == NULL)
    return NV_OK;
  AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(cert, NID_info_access, NULL, NULL);
  nv_status rc = NV_OK;
  for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia) && rc == NV_OK; i++) {
    const ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);
    if (OBJ_obj2nid(ad->method) == NID_ad_OCSP)
      rc = add_uri(out, ad->location, d);
  }
  AUTHORITY_INFO_ACCESS_free(aia);
  if (rc != NV_OK)
    nv_x509_urls_free(out);
  return rc;
}
