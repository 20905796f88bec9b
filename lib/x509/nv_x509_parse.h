/*
 * Parsing one DER certificate without OpenSSL 3.0's eager public-key
 * decoding (docs/design.md section 6, docs/performance.md).
 *
 * d2i_X509 decodes the certificate's public key through the provider
 * decoder framework as it parses, which costs more than a signature
 * verification (~100-200 us per certificate). nv_x509_d2i parses the
 * certificate in a library context that holds only OpenSSL's "null"
 * provider, so that decoding finds no decoder and is skipped (~30 us),
 * then decodes RSA (rsaEncryption, NULL parameters) and named-curve EC
 * (P-224/256/384/521) keys directly (d2i_PublicKey for RSA; the curve's
 * parameters copied from a per-process template plus the encoded point
 * for EC) and attaches the key to the certificate. Any other key (or one
 * of these in a form the direct path does not take) makes it parse the
 * certificate again with d2i_X509, so the result is always what d2i_X509
 * would give.
 *
 * The certificate's key must then be read with nv_x509_pubkey(), never
 * with X509_get0_pubkey() (which returns NULL for such a certificate).
 * Every certificate function of this layer does so.
 */
#ifndef NV_X509_PARSE_H
#define NV_X509_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "x509/nv_x509_certs.h"

typedef struct evp_pkey_st EVP_PKEY;

/* Parse one certificate from the start of `der`; *used receives the bytes
 * it took (the caller decides about trailing data). NULL if the bytes are
 * not a certificate that d2i_X509 accepts. The X509_digest SHA-256 of the
 * certificate is computed once here and remembered (nv_x509_cert_sha256). */
X509 *nv_x509_d2i(const uint8_t *der, size_t len, size_t *used);

/* The certificate's public key: the one nv_x509_d2i attached, else
 * X509_get0_pubkey(). Owned by the certificate; NULL if it has none that
 * OpenSSL can decode. */
EVP_PKEY *nv_x509_pubkey(const X509 *cert);

/* The remembered SHA-256 of the certificate's encoding, if any. */
bool nv_x509_sha256_memo(const X509 *cert, uint8_t out[32]);

/* Remember `hash` (X509_digest SHA-256) on a certificate this thread may
 * still modify (one being loaded into a trust store, before it is shared).
 * Best effort: false when it cannot be attached. */
bool nv_x509_remember_sha256(X509 *cert, const uint8_t hash[32]);

/* SHA-256 of bytes, with the digest fetched once per process (SHA256()
 * and EVP_sha256() look the implementation up on every call). */
bool nv_x509_sha256(const void *data, size_t len, uint8_t out[32]);

/* Where the printed subject of a certificate parsed by nv_x509_d2i is
 * kept once asked for (nv_x509_subject): a pure function of its bytes,
 * filled at most once by compare-and-swap from NULL, so threads sharing
 * the certificate may race for it harmlessly; freed with it. NULL for any
 * other certificate (a trust store's are never written). */
_Atomic(char *) *nv_x509_subject_slot(const X509 *cert);

#endif /* NV_X509_PARSE_H */
