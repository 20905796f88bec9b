/*
 * Fuzz target: OCSP response bytes through nv_x509_ocsp_check_response
 * for a certificate of the test CA of tests/unit/x509/data/revocation, at
 * a time inside the seed responses' validity, with and without a signing
 * time; the first bytes also go through nv_x509_ocsp_get_url as a request.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "x509/nv_x509_certs.h"
#include "x509/nv_x509_revocation.h"

#include <openssl/x509.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char ca_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBfzCCASSgAwIBAgIUWjOzzJIaqLVcGgvkjhB13IcpvYgwCgYIKoZIzj0EAwIw\n"
  "HTEbMBkGA1UEAwwSUmV2b2NhdGlvbiBUZXN0IENBMB4XDTI2MTEyNzEwMjM1NVoX\n"
  "DTM2MTEyNDEwMjM1NVowHTEbMBkGA1UEAwwSUmV2b2NhdGlvbiBUZXN0IENBMFkw\n"
  "EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAExcwj5xDVtISTN0K2WYd/GeNdKC7+y8Zz\n"
  "q1DwlZMKshud1vV7EdjP0G60fT/rgc4JPy+bi7xo7xtF9Kwh1UGb1KNCMEAwDwYD\n"
  "VR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFGSTm/DGkc5Y\n"
  "OQDcl6PT3uAD72zcMAoGCCqGSM49BAMCA0kAMEYCIQDMPIT+G0ewKXNAiKvBgHP+\n"
  "dZhA/k186kTLmkwvtao8oQIhAKFdA387XdMjP7/XySjkUdMGgcBPrnoXrTawpWUf\n"
  "Luq2\n"
  "-----END CERTIFICATE-----\n";
static const char leaf_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIICTDCCAfKgAwIBAgICEAEwCgYIKoZIzj0EAwIwHTEbMBkGA1UEAwwSUmV2b2Nh\n"
  "dGlvbiBUZXN0IENBMB4XDTI2MTEyNzEwMjM1NVoXDTM2MTEyNDEwMjM1NVowFDES\n"
  "MBAGA1UEAwwJR29vZCBMZWFmMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEzqYx\n"
  "tsw6miWcHXwpc4BgplcYweMq5eJA5GFkey9U1l8+eEMLrIja+F4jw20WV2XB+3mo\n"
  "2ZMpW+7AGCf5LTIkpKOCASkwggElMAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/BAQD\n"
  "AgeAMBMGA1UdJQQMMAoGCCsGAQUFBwMDMEwGA1UdHwRFMEMwH6AdoBuGGWh0dHA6\n"
  "Ly8xMjcuMC4wLjE6MS9jYS5jcmwwIKAeoByGGmh0dHA6Ly8xMjcuMC4wLjE6MS9j\n"
  "YTIuY3JsMDMGCCsGAQUFBwEBBCcwJTAjBggrBgEFBQcwAYYXaHR0cDovLzEyNy4w\n"
  "LjAuMToxL29jc3AwLQYDVR0uBCYwJDAioCCgHoYcaHR0cDovLzEyNy4wLjAuMTox\n"
  "L2RlbHRhLmNybDAdBgNVHQ4EFgQUFfZgOpFKCsf1u5i2tBX7IhEivQYwHwYDVR0j\n"
  "BBgwFoAUZJOb8MaRzlg5ANyXo9Pe4APvbNwwCgYIKoZIzj0EAwIDSAAwRQIgebOC\n"
  "1XCGX9uux/eCgiQ6B8vmJCw6X6UluzLuHz86ZWsCIQCHn0wu/oSDcOck8vI1LYkf\n"
  "PT75e8L0ZTHA/lwVUwNLSQ==\n"
  "-----END CERTIFICATE-----\n";

static X509 *one_cert(const char *pem)
{
  nv_x509_list l;
  nv_x509_list_init(&l);
  X509 *c = NULL;
  if (nv_x509_read_certs((const uint8_t *)pem, strlen(pem), "fuzz", &l, NULL) == NV_OK &&
      l.count == 1) {
    c = l.items[0];
    X509_up_ref(c);
  }
  nv_x509_list_free(&l);
  return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static X509 *ca, *leaf;
  if (ca == NULL) {
    ca = one_cert(ca_pem);
    leaf = one_cert(leaf_pem);
  }
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
