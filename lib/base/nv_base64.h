/*
 * Strict base64 (RFC 4648 section 4, '=' padding required) and base64url
 * (section 5, no padding). No whitespace, no characters outside the
 * alphabet, no wrong or missing padding, and the unused low bits of the
 * last character must be zero, so every byte string has exactly one
 * accepted encoding. Decoded bytes are appended to a bounded buffer.
 */
#ifndef NV_BASE_BASE64_H
#define NV_BASE_BASE64_H

#include <stddef.h>
#include <stdint.h>
#include "base/nv_buf.h"

/* Errors: NV_E_BASE64 (with the offset of the offending character),
 * NV_E_LIMIT / NV_E_NOMEM from the buffer. `out` is unchanged on error. */
nv_status nv_base64_decode(const char *in, size_t len, nv_buf *out, nv_diag *d);
nv_status nv_base64url_decode(const char *in, size_t len, nv_buf *out, nv_diag *d);

/* Encoders (padding for base64, none for base64url); output not terminated. */
nv_status nv_base64_encode(const uint8_t *in, size_t len, nv_buf *out, nv_diag *d);
nv_status nv_base64url_encode(const uint8_t *in, size_t len, nv_buf *out, nv_diag *d);

#endif /* NV_BASE_BASE64_H */
