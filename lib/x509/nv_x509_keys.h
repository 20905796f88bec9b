/*
 * Public keys from their raw parts (JWK members, SubjectPublicKeyInfo DER),
 * for test vectors that give keys without certificates (go-cose, Project
 * Wycheproof). Certificates' keys come from X509_get0_pubkey().
 */
#ifndef NV_X509_KEYS_H
#define NV_X509_KEYS_H

#include <stddef.h>
#include <stdint.h>
#include "base/nv_diag.h"

typedef struct evp_pkey_st EVP_PKEY;

/* EC public key on P-256/P-384/P-521 (`curve_bits` 256, 384, 521) from the
 * big-endian affine coordinates. The point must be on the curve. */
nv_status nv_x509_pubkey_from_ec(int curve_bits, const uint8_t *x, size_t x_len, const uint8_t *y,
                                 size_t y_len, EVP_PKEY **out, nv_diag *d);

/* RSA public key from big-endian modulus and exponent. */
nv_status nv_x509_pubkey_from_rsa(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                                  EVP_PKEY **out, nv_diag *d);

/* A DER SubjectPublicKeyInfo. */
nv_status nv_x509_pubkey_from_spki(const uint8_t *der, size_t len, EVP_PKEY **out, nv_diag *d);

void nv_x509_pubkey_free(EVP_PKEY *key);

#endif /* NV_X509_KEYS_H */
