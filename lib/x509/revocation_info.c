#include "x509/nv_x509_revocation_info.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include "x509/nv_x509_revocation.h"

bool nv_x509_revocation_urls(X509 *cert, bool *ocsp, bool *crl)
{
  nv_x509_urls o, c;
  /* out of memory counts as "names a source": the caller fails closed */
  bool o_any = nv_x509_ocsp_urls(cert, &o, NULL) != NV_OK || o.count > 0 || o.unusable;
  bool c_any = nv_x509_crl_urls(cert, &c, NULL) != NV_OK || c.count > 0 || c.unusable;
  nv_x509_urls_free(&o);
  nv_x509_urls_free(&c);
  if (ocsp != NULL)
    *ocsp = o_any;
  if (crl != NULL)
    *crl = c_any;
  return o_any || c_any;
}

/* ---- URL lists (nv_x509_revocation.h) ---- */

void nv_x509_urls_free(nv_x509_urls *u)
{
  if (u == NULL)
    return;
  for (size_t i = 0; i < u->count; i++)
    free(u->items[i]);
  u->count = 0;
}

/* Add a URI name to `out`; *added tells whether it was one. */
static nv_status add_uri(nv_x509_urls *out, const GENERAL_NAME *gn, bool *added, nv_diag *d)
{
  *added = false;
  if (gn == NULL || gn->type != GEN_URI)
    return NV_OK;
  if (out->count == NV_X509_MAX_URLS) {
    *added = true; /* a URI, just more than we try */
    return NV_OK;
  }
  const ASN1_IA5STRING *s = gn->d.uniformResourceIdentifier;
  int len = ASN1_STRING_length(s);
  const unsigned char *p = ASN1_STRING_get0_data(s);
  if (len <= 0 || len > NV_X509_MAX_URL_LEN || memchr(p, '\0', (size_t)len) != NULL)
    return NV_OK;
  *added = true;
  char *copy = malloc((size_t)len + 1);
  if (copy == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  memcpy(copy, p, (size_t)len);
  copy[len] = '\0';
  out->items[out->count++] = copy;
  return NV_OK;
}

nv_status nv_x509_dist_point_urls(const STACK_OF(DIST_POINT) *dps, nv_x509_urls *out,
                                  nv_diag *d)
{
  nv_status rc = NV_OK;
  for (int i = 0; i < sk_DIST_POINT_num(dps) && rc == NV_OK; i++) {
    const DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
    bool any = false;
    if (dp->distpoint != NULL && dp->distpoint->type == 0) {
      const GENERAL_NAMES *names = dp->distpoint->name.fullname;
      for (int j = 0; j < sk_GENERAL_NAME_num(names) && rc == NV_OK; j++) {
        bool added;
        rc = add_uri(out, sk_GENERAL_NAME_value(names, j), &added, d);
        any = any || added;
      }
    }
    if (!any)
      out->unusable = true; /* a point we cannot fetch from */
  }
  return rc;
}

static nv_status cert_dp_urls(X509 *cert, int nid, nv_x509_urls *out, nv_diag *d)
{
  memset(out, 0, sizeof(*out));
  if (cert == NULL)
    return NV_OK;
  int crit = 0;
  STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(cert, nid, &crit, NULL);
  if (dps == NULL && crit != -1)
    out->unusable = true; /* malformed, or there twice */
  nv_status rc = nv_x509_dist_point_urls(dps, out, d);
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
  int crit = 0;
  AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(cert, NID_info_access, &crit, NULL);
  if (aia == NULL && crit != -1)
    out->unusable = true; /* malformed, or there twice */
  nv_status rc = NV_OK;
  for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia) && rc == NV_OK; i++) {
    const ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);
    if (OBJ_obj2nid(ad->method) != NID_ad_OCSP)
      continue;
    bool added;
    rc = add_uri(out, ad->location, &added, d);
    if (!added)
      out->unusable = true;
  }
  AUTHORITY_INFO_ACCESS_free(aia);
  if (rc != NV_OK)
    nv_x509_urls_free(out);
  return rc;
}
