/*
 * Strict base64 / base64url (RFC 4648 sections 4 and 5).
 *
 * Every byte string has exactly one accepted encoding: the decoders refuse
 * anything outside the alphabet (whitespace and NUL included), wrong or
 * missing padding, and non-zero unused bits in the last character. That
 * matters for signatures: two envelopes that differ only by a stray '='
 * must not both be accepted.
 */
#include "base/nv_base64.h"

#include <stdbool.h>
#include <string.h>

static const char std_alphabet[64] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char url_alphabet[64] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The 6-bit value of each byte in one alphabet, or NOT_B64: one constant
 * table per alphabet (the two differ in the characters for 62 and 63), so
 * the two cannot be confused. Made by the compiler from the alphabet's
 * rule, the inverse of the strings above. */
#define NOT_B64 0xFF
#define B64_VALUE(c, c62, c63)                                                                    \
  (uint8_t)((c) >= 'A' && (c) <= 'Z'   ? (c) - 'A'                                                \
            : (c) >= 'a' && (c) <= 'z' ? (c) - 'a' + 26                                           \
            : (c) >= '0' && (c) <= '9' ? (c) - '0' + 52                                           \
            : (c) == (c62)             ? 62                                                       \
            : (c) == (c63)             ? 63                                                       \
                                       : NOT_B64)
#define B64_ROW(b, c62, c63)                                                                      \
  B64_VALUE((b) + 0, c62, c63), B64_VALUE((b) + 1, c62, c63), B64_VALUE((b) + 2, c62, c63),       \
    B64_VALUE((b) + 3, c62, c63), B64_VALUE((b) + 4, c62, c63), B64_VALUE((b) + 5, c62, c63),     \
    B64_VALUE((b) + 6, c62, c63), B64_VALUE((b) + 7, c62, c63), B64_VALUE((b) + 8, c62, c63),     \
    B64_VALUE((b) + 9, c62, c63), B64_VALUE((b) + 10, c62, c63), B64_VALUE((b) + 11, c62, c63),   \
    B64_VALUE((b) + 12, c62, c63), B64_VALUE((b) + 13, c62, c63), B64_VALUE((b) + 14, c62, c63),  \
    B64_VALUE((b) + 15, c62, c63)
#define B64_TABLE(c62, c63)                                                                       \
  {                                                                                               \
    B64_ROW(0, c62, c63), B64_ROW(16, c62, c63), B64_ROW(32, c62, c63), B64_ROW(48, c62, c63),    \
      B64_ROW(64, c62, c63), B64_ROW(80, c62, c63), B64_ROW(96, c62, c63),                        \
      B64_ROW(112, c62, c63), B64_ROW(128, c62, c63), B64_ROW(144, c62, c63),                     \
      B64_ROW(160, c62, c63), B64_ROW(176, c62, c63), B64_ROW(192, c62, c63),                     \
      B64_ROW(208, c62, c63), B64_ROW(224, c62, c63), B64_ROW(240, c62, c63)                      \
  }
static const uint8_t std_values[256] = B64_TABLE('+', '/');
static const uint8_t url_values[256] = B64_TABLE('-', '_');

static nv_status bad_char(nv_diag *d, const char *what, unsigned char c, size_t off)
{
  if (c >= 0x21 && c <= 0x7e)
    return nv_diag_set(d, NV_E_BASE64, "%s: invalid character '%c' at offset %zu", what, c, off);
  return nv_diag_set(d, NV_E_BASE64, "%s: invalid byte 0x%02x at offset %zu", what, c, off);
}

static nv_status decode(const char *in, size_t len, nv_buf *out, nv_diag *d, bool url)
{
  const char *what = url ? "base64url" : "base64";
  if (out == NULL || (in == NULL && len != 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "%s: NULL argument", what);
  if (len == 0)
    return NV_OK;

  /* Number of characters that carry data: everything but the padding
   * (at most two '=' at the very end, base64 only). */
  size_t nchars = len;
  if (!url) {
    if (in[nchars - 1] == '=') {
      nchars--;
      if (nchars > 0 && in[nchars - 1] == '=')
        nchars--;
    }
  }

  const uint8_t *tab = url ? url_values : std_values;
  const unsigned char *src = (const unsigned char *)in;
  size_t rem = nchars % 4;
  size_t outlen = nchars / 4 * 3 + (rem == 0 ? 0 : rem - 1);

  /* One pass: decode into the room after out->len (out->len is advanced
   * only at the very end, so a failure leaves the buffer's length and
   * contents as they were), noting any byte outside the alphabet. The
   * errors are then reported in their fixed order: the first character
   * outside the alphabet, the length, the buffer's room, the unused bits. */
  bool fits = nv_buf_reserve(out, outlen, NULL) == NV_OK;
  uint8_t bad = 0;
  size_t o = 0, i = 0;
  uint32_t acc = 0;
  if (fits) {
    uint8_t *dst = out->data + out->len;
    /* whole groups of four characters: three bytes each */
    for (; i + 4 <= nchars; i += 4) {
      uint8_t a = tab[src[i]], b = tab[src[i + 1]], c = tab[src[i + 2]], e = tab[src[i + 3]];
      bad |= a | b | c | e;
      /* garbage when a value is NOT_B64, but then `bad` refuses it all */
      uint32_t v = ((uint32_t)a << 18) | ((uint32_t)b << 12) | ((uint32_t)c << 6) | e;
      dst[o++] = (uint8_t)(v >> 16);
      dst[o++] = (uint8_t)(v >> 8);
      dst[o++] = (uint8_t)v;
    }
    /* the tail: 2 or 3 characters carry 1 or 2 bytes, and leave 4 or 2
     * bits over (a lone character, refused below, leaves 6) */
    unsigned nbits = 0;
    for (; i < nchars; i++) {
      uint8_t v = tab[src[i]];
      bad |= v;
      acc = (acc << 6) | (v & 63u);
      nbits += 6;
      if (nbits >= 8) {
        nbits -= 8;
        dst[o++] = (uint8_t)(acc >> nbits);
        acc &= (1u << nbits) - 1u;
      }
    }
  }

  /* Every data character must be in the alphabet; the message names the
   * first one that is not. */
  if (!fits || (bad & 0x80)) {
    for (size_t k = 0; k < nchars; k++) {
      unsigned char c = src[k];
      if (tab[c] == NOT_B64) {
        if (c == '=')
          return nv_diag_set(d, NV_E_BASE64, "%s: unexpected padding '=' at offset %zu", what,
                             k);
        return bad_char(d, what, c, k);
      }
    }
  }

  if (!url && len % 4 != 0)
    return nv_diag_set(d, NV_E_BASE64,
                       "base64: length %zu is not a multiple of 4 (padding missing) at offset %zu",
                       len, len);
  if (url && len % 4 == 1)
    return nv_diag_set(d, NV_E_BASE64,
                       "base64url: length %zu leaves a single character at offset %zu", len,
                       len - 1);
  if (!fits) {
    nv_status rc = nv_buf_reserve(out, outlen, d);
    return rc != NV_OK ? rc : nv_diag_set(d, NV_E_INTERNAL, "%s: buffer room changed", what);
  }
  /* The unused bits must be 0, or several encodings would decode to the
   * same bytes. */
  if (acc != 0)
    return nv_diag_set(d, NV_E_BASE64,
                       "%s: non-zero unused bits in the last character at offset %zu (not the "
                       "canonical encoding)",
                       what, nchars - 1);
  if (o != outlen)
    return nv_diag_set(d, NV_E_INTERNAL, "%s: decoded %zu bytes, expected %zu", what, o, outlen);
  out->len += outlen;
  return NV_OK;
}

nv_status nv_base64_decode(const char *in, size_t len, nv_buf *out, nv_diag *d)
{
  return decode(in, len, out, d, false);
}

nv_status nv_base64url_decode(const char *in, size_t len, nv_buf *out, nv_diag *d)
{
  return decode(in, len, out, d, true);
}

static nv_status encode(const uint8_t *in, size_t len, nv_buf *out, nv_diag *d, bool url)
{
  const char *what = url ? "base64url" : "base64";
  if (out == NULL || (in == NULL && len != 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "%s: NULL argument", what);
  if (len == 0)
    return NV_OK;
  if (len / 3 >= SIZE_MAX / 4 - 1)
    return nv_diag_set(d, NV_E_LIMIT, "%s: input of %zu bytes is too large to encode", what, len);

  const char *alpha = url ? url_alphabet : std_alphabet;
  size_t full = len / 3;
  size_t rem = len % 3;
  size_t outlen = full * 4;
  if (rem != 0)
    outlen += url ? rem + 1 : 4;

  nv_status rc = nv_buf_reserve(out, outlen, d);
  if (rc != NV_OK)
    return rc;

  uint8_t *dst = out->data + out->len;
  size_t o = 0;
  size_t i = 0;
  for (; i + 3 <= len; i += 3) {
    uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8) | in[i + 2];
    dst[o++] = (uint8_t)alpha[(v >> 18) & 63];
    dst[o++] = (uint8_t)alpha[(v >> 12) & 63];
    dst[o++] = (uint8_t)alpha[(v >> 6) & 63];
    dst[o++] = (uint8_t)alpha[v & 63];
  }
  if (rem == 1) {
    uint32_t v = (uint32_t)in[i] << 16;
    dst[o++] = (uint8_t)alpha[(v >> 18) & 63];
    dst[o++] = (uint8_t)alpha[(v >> 12) & 63];
    if (!url) {
      dst[o++] = '=';
      dst[o++] = '=';
    }
  } else if (rem == 2) {
    uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8);
    dst[o++] = (uint8_t)alpha[(v >> 18) & 63];
    dst[o++] = (uint8_t)alpha[(v >> 12) & 63];
    dst[o++] = (uint8_t)alpha[(v >> 6) & 63];
    if (!url)
      dst[o++] = '=';
  }
  if (o != outlen)
    return nv_diag_set(d, NV_E_INTERNAL, "%s: encoded %zu characters, expected %zu", what, o,
                       outlen);
  out->len += outlen;
  return NV_OK;
}

nv_status nv_base64_encode(const uint8_t *in, size_t len, nv_buf *out, nv_diag *d)
{
  return encode(in, len, out, d, false);
}

nv_status nv_base64url_encode(const uint8_t *in, size_t len, nv_buf *out, nv_diag *d)
{
  return encode(in, len, out, d, true);
}
