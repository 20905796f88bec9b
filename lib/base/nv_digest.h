/*
 * Content digests: "<algorithm>:<lowercase hex>" strings as OCI descriptors
 * carry them, for sha256, sha384 and sha512 (OpenSSL EVP underneath).
 */
#ifndef NV_BASE_DIGEST_H
#define NV_BASE_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_diag.h"

typedef enum nv_digest_alg {
  NV_DIGEST_NONE = 0,
  NV_DIGEST_SHA256 = 1,
  NV_DIGEST_SHA384 = 2,
  NV_DIGEST_SHA512 = 3
} nv_digest_alg;

#define NV_DIGEST_MAX_BYTES 64
/* "sha512:" + 128 hex + NUL */
#define NV_DIGEST_STRING_MAX 136

typedef struct nv_digest {
  nv_digest_alg alg;
  size_t len;
  uint8_t bytes[NV_DIGEST_MAX_BYTES];
} nv_digest;

/* Output size in bytes (0 for NV_DIGEST_NONE or unknown values). */
size_t nv_digest_size(nv_digest_alg alg);
/* "sha256", "sha384", "sha512"; NULL for unknown values. */
const char *nv_digest_alg_name(nv_digest_alg alg);

/* Parse "sha256:<64 lowercase hex>" (and sha384/sha512). Errors:
 * NV_E_DIGEST_UNSUPPORTED for another algorithm name, NV_E_DIGEST_FORMAT
 * for anything else (upper-case hex, wrong length, missing ':'). */
nv_status nv_digest_parse(const char *s, size_t len, nv_digest *out, nv_diag *d);

/* Compute the digest of `len` bytes. */
nv_status nv_digest_compute(nv_digest_alg alg, const void *data, size_t len, nv_digest *out,
                            nv_diag *d);

/* Incremental hashing for content read in pieces. */
typedef struct nv_digest_ctx nv_digest_ctx;
nv_status nv_digest_begin(nv_digest_alg alg, nv_digest_ctx **out, nv_diag *d);
nv_status nv_digest_update(nv_digest_ctx *c, const void *data, size_t len, nv_diag *d);
/* Finishes and frees the context, even on failure. */
nv_status nv_digest_end(nv_digest_ctx *c, nv_digest *out, nv_diag *d);
void nv_digest_abort(nv_digest_ctx *c);

/* Same algorithm and same bytes; the byte comparison is constant-time. */
bool nv_digest_equal(const nv_digest *a, const nv_digest *b);

/* Write "sha256:<hex>" with a NUL; `size` >= NV_DIGEST_STRING_MAX is always
 * enough. NV_E_INVALID_ARG for an empty digest or a short buffer. */
nv_status nv_digest_format(const nv_digest *dg, char *buf, size_t size, nv_diag *d);

#endif /* NV_BASE_DIGEST_H */
