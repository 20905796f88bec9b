/*
 * The revocation test CA of tests/unit/x509/data/revocation (ca.crt) and
 * two of its leaves (good.crt, revoked.crt), embedded, for the CRL and
 * OCSP fuzz targets. Each is parsed on first use and kept (NULL if it
 * cannot be parsed).
 */
#ifndef NV_FUZZ_REVOCATION_CERTS_H
#define NV_FUZZ_REVOCATION_CERTS_H

#include <openssl/x509.h>

typedef enum fuzz_revocation_cert_id {
  FUZZ_REV_CA,           /* CN=Revocation Test CA */
  FUZZ_REV_GOOD_LEAF,    /* CN=Good Leaf, serial 0x1001 */
  FUZZ_REV_REVOKED_LEAF, /* CN=Revoked Leaf, serial 0x1002 */
} fuzz_revocation_cert_id;

X509 *fuzz_revocation_cert(fuzz_revocation_cert_id id);

#endif /* NV_FUZZ_REVOCATION_CERTS_H */
