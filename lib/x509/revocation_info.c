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
