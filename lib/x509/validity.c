#include "x509/nv_x509_time.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <time.h>
#include "base/nv_time.h"
#include "x509/nv_x509_chain.h"

bool nv_x509_asn1_time(const ASN1_TIME *t, int64_t *out)
{
  struct tm tm;
  if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) {
    ERR_clear_error();
    return false;
  }
  *out = nv_time_days_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 86400 +
         (int64_t)tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
  return true;
}

static nv_status asn1_to_unix(const ASN1_TIME *t, int64_t *out, nv_diag *d)
{
  if (!nv_x509_asn1_time(t, out))
    return nv_diag_set(d, NV_E_CERT_PARSE, "certificate has an invalid validity time");
  return NV_OK;
}

nv_status nv_x509_validity(X509 *cert, int64_t *not_before, int64_t *not_after, nv_diag *d)
{
  nv_status rc = asn1_to_unix(X509_get0_notBefore(cert), not_before, d);
  if (rc == NV_OK)
    rc = asn1_to_unix(X509_get0_notAfter(cert), not_after, d);
  return rc;
}

/* RFC 3339 for messages; years outside 0..9999 print as seconds. */
static const char *show_time(int64_t t, char *buf, size_t size)
{
  if (nv_time_format_rfc3339(t, buf, size, NULL) != NV_OK)
    snprintf(buf, size, "@%lld", (long long)t);
  return buf;
}

nv_status nv_x509_check_valid_at(X509 *const *chain, size_t count, int64_t t, const char *what,
                                 nv_status code_not_yet_valid, nv_status code_expired, nv_diag *d)
{
  for (size_t i = 0; i < count; i++) {
    int64_t nb, na;
    nv_status rc = nv_x509_validity(chain[i], &nb, &na, d);
    if (rc != NV_OK)
      return rc;
    if (t >= nb && t <= na)
      continue;
    char subject[256], at[32], from[32], to[32];
    nv_x509_subject(chain[i], subject, sizeof(subject));
    return nv_diag_set(d, t < nb ? code_not_yet_valid : code_expired,
                       "certificate with subject \"%s\" is not valid at the %s %s: it is valid "
                       "from %s to %s",
                       subject, what, show_time(t, at, sizeof(at)), show_time(nb, from, sizeof(from)),
                       show_time(na, to, sizeof(to)));
  }
  return NV_OK;
}
