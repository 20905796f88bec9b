/*
 * Fuzz target: CRL bytes through the x509 layer (nv_x509_revocation.h):
 * the signature check before parsing, nv_x509_crl_parse; on success its
 * numbers, Freshest CRL URLs, validation against the test CA of tests/unit/x509/data/revocation (as
 * a complete and as a delta CRL), the delta rules against itself, its
 * scope (issuing distribution point against the certificate's CRL
 * distribution points) and the lookup of a certificate of that CA, with
 * and without a signing time.
 */
#include <stddef.h>
#include <stdint.h>

#include "revocation_certs.h"
#include "x509/nv_x509_revocation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  X509 *ca = fuzz_revocation_cert(FUZZ_REV_CA);
  X509 *leaf = fuzz_revocation_cert(FUZZ_REV_REVOKED_LEAF);
  nv_diag d;
  nv_diag_init(&d);
  (void)nv_x509_crl_check_signature(data, size, ca, &d); /* before any parse */
  nv_x509_crl *crl = NULL;
  if (nv_x509_crl_parse(data, size, &crl, &d) != NV_OK)
    return 0;
  nv_x509_crl_info info;
  nv_x509_crl_get_info(crl, &info);
  nv_x509_urls urls;
  if (nv_x509_crl_freshest_urls(crl, &urls, &d) == NV_OK)
    nv_x509_urls_free(&urls);
  int64_t now = info.this_update + 1;
  (void)nv_x509_crl_validate(crl, ca, now, false, &d);
  (void)nv_x509_crl_validate(crl, ca, now, true, &d);
  (void)nv_x509_crl_check_delta(crl, crl, &d);
  (void)nv_x509_crl_covers(crl, leaf, &d); /* whatever the issuer */
  (void)nv_x509_crl_check_cert(crl, NULL, leaf, 0, &d);
  (void)nv_x509_crl_check_cert(crl, crl, leaf, 1767225599, &d);
  nv_x509_crl_free(crl);
  return 0;
}
