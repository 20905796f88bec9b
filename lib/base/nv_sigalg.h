/*
 * The six signature algorithms of the Notary Project (notary-spec.md
 * section 7): the vocabulary the envelope layer (which reads them from
 * headers) and the x509 layer (which verifies with them) share.
 */
#ifndef NV_BASE_SIGALG_H
#define NV_BASE_SIGALG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_digest.h"

typedef enum nv_sig_alg {
  NV_SIG_NONE = 0,
  NV_SIG_PS256, /* RSASSA-PSS SHA-256, RSA 2048 */
  NV_SIG_PS384, /* RSASSA-PSS SHA-384, RSA 3072 */
  NV_SIG_PS512, /* RSASSA-PSS SHA-512, RSA 4096 */
  NV_SIG_ES256, /* ECDSA P-256 SHA-256 */
  NV_SIG_ES384, /* ECDSA P-384 SHA-384 */
  NV_SIG_ES512  /* ECDSA P-521 SHA-512 */
} nv_sig_alg;

/* JWS "alg" names ("PS256" ...), exact match; NV_SIG_NONE when unknown. */
nv_sig_alg nv_sig_alg_from_jws(const char *name);
const char *nv_sig_alg_jws_name(nv_sig_alg alg); /* NULL for NV_SIG_NONE */

/* COSE algorithm identifiers (-37 PS256 ... -36 ES512). */
nv_sig_alg nv_sig_alg_from_cose(int64_t id);
int64_t nv_sig_alg_cose_id(nv_sig_alg alg); /* 0 for NV_SIG_NONE */

/* The hash of the algorithm (also used for blob digests and TSA requests). */
nv_digest_alg nv_sig_alg_digest(nv_sig_alg alg);

bool nv_sig_alg_is_ecdsa(nv_sig_alg alg);
/* Length of a raw R||S signature: 64, 96, 132; 0 for RSA or NONE. */
size_t nv_sig_alg_ecdsa_sig_len(nv_sig_alg alg);

#endif /* NV_BASE_SIGALG_H */
