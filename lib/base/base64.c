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

/* The 6-bit value of `c` in the chosen alphabet, or -1. No table so that the
 * two alphabets cannot be confused through a shared lookup. */
static int sextet(unsigned char c, bool url)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (url) {
    if (c == '-')
      return 62;
    if (c == '_')
      return 63;
  } else {
    if (c == '+')
      return 62;
    if (c == '/')
      return 63;
  }
  return -1;
}

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

  /* Every data character must be in the alphabet; checked before anything
   * else so that the message names the first offending character. */
  for (size_t i = 0; i < nchars; i++) {
    unsigned char c = (unsigned char)in[i];
    if (sextet(c, url) < 0) {
      if (c == '=')
        return nv_diag_set(d, NV_E_BASE64, "%s: unexpected padding '=' at offset %zu", what, i);
      return bad_char(d, what, c, i);
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

  size_t rem = nchars % 4;
  size_t outlen = nchars / 4 * 3 + (rem == 0 ? 0 : rem - 1);

  nv_status rc = nv_buf_reserve(out, outlen, d);
  if (rc != NV_OK)
    return rc;

  /* Decode into the reserved room; out->len is only advanced at the end, so
   * a failure leaves the buffer's length and contents as they were. */
  uint8_t *dst = out->data + out->len;
  size_t o = 0;
  uint32_t acc = 0;
  unsigned nbits = 0;
  for (size_t i = 0; i < nchars; i++) {
    int v = sextet((unsigned char)in[i], url);
    if (v < 0)
      return nv_diag_set(d, NV_E_INTERNAL, "%s: character at offset %zu changed", what, i);
    acc = (acc << 6) | (uint32_t)v;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      dst[o++] = (uint8_t)(acc >> nbits);
      acc &= (1u << nbits) - 1u;
    }
  }
  /* 4 or 2 bits are left over after a 2- or 3-character tail; they must be 0
   * or several encodings would decode to the same bytes. */
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
