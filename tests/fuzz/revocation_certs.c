/* The revocation test certificates of the CRL and OCSP fuzz targets; see
 * revocation_certs.h. */
#include "revocation_certs.h"

#include <stdint.h>
#include <string.h>

#include "x509/nv_x509_certs.h"

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
static const char good_pem[] =
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
static const char revoked_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIICTzCCAfWgAwIBAgICEAIwCgYIKoZIzj0EAwIwHTEbMBkGA1UEAwwSUmV2b2Nh\n"
  "dGlvbiBUZXN0IENBMB4XDTI2MTEyNzEwMjM1NVoXDTM2MTEyNDEwMjM1NVowFzEV\n"
  "MBMGA1UEAwwMUmV2b2tlZCBMZWFmMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n"
  "fWsrIFK44+Z24HBRXz25VF69xRUChcprvVWDu8ORJkbmqKH/qiWU/hg+rU7bjfEi\n"
  "CWEAYXS0G8bJglKhmzh+tqOCASkwggElMAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/\n"
  "BAQDAgeAMBMGA1UdJQQMMAoGCCsGAQUFBwMDMEwGA1UdHwRFMEMwH6AdoBuGGWh0\n"
  "dHA6Ly8xMjcuMC4wLjE6MS9jYS5jcmwwIKAeoByGGmh0dHA6Ly8xMjcuMC4wLjE6\n"
  "MS9jYTIuY3JsMDMGCCsGAQUFBwEBBCcwJTAjBggrBgEFBQcwAYYXaHR0cDovLzEy\n"
  "Ny4wLjAuMToxL29jc3AwLQYDVR0uBCYwJDAioCCgHoYcaHR0cDovLzEyNy4wLjAu\n"
  "MToxL2RlbHRhLmNybDAdBgNVHQ4EFgQUo0GYscowZBXILoQchoiSNncsTIwwHwYD\n"
  "VR0jBBgwFoAUZJOb8MaRzlg5ANyXo9Pe4APvbNwwCgYIKoZIzj0EAwIDSAAwRQIh\n"
  "AIBTwytIzhAyCH9EmIe01vyWqN28ykTJYaMeC4D4LY5GAiAeKYs4sYInLP6cNzTf\n"
  "Ruu8xmNobujaP4zszzAmBRTtoA==\n"
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

X509 *fuzz_revocation_cert(fuzz_revocation_cert_id id)
{
  static const char *const pems[] = {ca_pem, good_pem, revoked_pem};
  static X509 *certs[sizeof(pems) / sizeof(pems[0])];
  if (certs[id] == NULL)
    certs[id] = one_cert(pems[id]);
  return certs[id];
}
