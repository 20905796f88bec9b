/*
 * Fuzz target: CRL bytes through the x509 layer (nv_x509_revocation.h):
 * nv_x509_crl_parse; on success its numbers, Freshest CRL URLs,
 * validation against the test CA of tests/unit/x509/data/revocation (as
 * a complete and as a delta CRL), the delta rules against itself, its
 * scope (issuing distribution point against the certificate's CRL
 * distribution points) and the lookup of a certificate of that CA, with
 * and without a signing time.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static X509 *ca, *leaf;
  if (ca == NULL) {
    ca = one_cert(ca_pem);
    leaf = one_cert(leaf_pem);
  }
  nv_diag d;
  nv_diag_init(&d);
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
  size_t len = 0;
  (void)nv_x509_crl_der(crl, &len);
  nv_x509_crl_free(crl);
  return 0;
}
