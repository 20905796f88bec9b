/*
 * Signature primitives: the Notary key set (notary-spec.md section 7) and
 * verification of an envelope signature with OpenSSL EVP. This is the one
 * function every signature check of the library goes through (envelope
 * signatures, and the Wycheproof runner), so its glue — lengths, R||S to
 * DER, PSS parameters, key/algorithm matching — is tested once, here.
 */
#ifndef NV_X509_SIG_H
#define NV_X509_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_diag.h"
#include "base/nv_sigalg.h"

typedef struct evp_pkey_st EVP_PKEY;

/* The algorithm a key must sign with: RSA 2048/3072/4096 -> PS256/384/512,
 * EC P-256/P-384/P-521 -> ES256/384/512. Any other key is
 * NV_E_KEY_UNSUPPORTED ("rsa key size 1024 bits is not supported",
 * "unsupported public key type"). */
nv_status nv_x509_key_alg(const EVP_PKEY *key, nv_sig_alg *out, nv_diag *d);

typedef enum nv_pss_salt {
  NV_PSS_SALT_DIGEST = 0, /* salt length = hash length (COSE, the Notary rule) */
  NV_PSS_SALT_AUTO = 1    /* any salt length (what notation-go accepts for JWS) */
} nv_pss_salt;

/*
 * Verify `sig` over `msg` with `key` under `alg`. The key must be of the
 * algorithm's family: the algorithm's curve for ES* (else
 * NV_E_ALG_KEY_MISMATCH), an RSA key of 2048 bits or more for PS*. ECDSA
 * signatures are raw R||S of exactly nv_sig_alg_ecdsa_sig_len() bytes;
 * RSASSA-PSS signatures are exactly the modulus length and use MGF1 with
 * the same hash. A signature that does not verify, or is malformed, is
 * NV_E_SIGNATURE_INVALID. The Notary pairing of RSA key sizes with hashes
 * (RSA-3072 signs with PS384 only, ...) is not checked here: callers that
 * verify envelopes check nv_x509_key_alg() == alg first.
 */
nv_status nv_x509_verify_signature(const EVP_PKEY *key, nv_sig_alg alg, nv_pss_salt salt,
                                   const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                                   size_t sig_len, nv_diag *d);

#endif /* NV_X509_SIG_H */
