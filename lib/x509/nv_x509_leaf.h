/* Small accessors for layers that must not include OpenSSL themselves. */
#ifndef NV_X509_LEAF_H
#define NV_X509_LEAF_H

#include <stddef.h>
#include <stdint.h>
#include "x509/nv_x509_certs.h"

typedef struct evp_pkey_st EVP_PKEY;

/* The certificate's public key, owned by the certificate. */
const EVP_PKEY *nv_x509_leaf_key(X509 *cert);

/* SHA-256 of the certificate's DER encoding. */
nv_status nv_x509_cert_sha256(X509 *cert, uint8_t out[32], nv_diag *d);

/* The subject's last commonName, or "" when there is none. */
const char *nv_x509_common_name(X509 *cert, char *buf, size_t size);

#endif /* NV_X509_LEAF_H */
