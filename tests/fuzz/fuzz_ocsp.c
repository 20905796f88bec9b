/*
 * Fuzz target: OCSP response bytes through nv_x509_ocsp_check_response
 * for a certificate of the test CA of tests/unit/x509/data/revocation, at
 * a time inside the seed responses' validity, with and without a signing
 * time; the first bytes also go through nv_x509_ocsp_get_url as a request.
 */
#include <stddef.h>
#include <stdint.h>

#include "revocation_certs.h"
#include "x509/nv_x509_revocation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  X509 *ca = fuzz_revocation_cert(FUZZ_REV_CA);
  X509 *leaf = fuzz_revocation_cert(FUZZ_REV_GOOD_LEAF);
  nv_diag d;
  nv_diag_init(&d);
  /* 2026-11-27T12:00:00Z: inside the seed responses' thisUpdate..nextUpdate */
  const int64_t now = 1795780800;
  (void)nv_x509_ocsp_check_response(data, size, leaf, ca, now, 0, &d);
  (void)nv_x509_ocsp_check_response(data, size, leaf, ca, now, 1767225599, &d);
  nv_buf url;
  nv_buf_init(&url, 1 << 12);
  (void)nv_x509_ocsp_get_url("http://127.0.0.1/ocsp", data, size < 300 ? size : 300, &url, &d);
  nv_buf_free(&url);
  return 0;
}
