/*
 * Content digests ("sha256:<hex>" and friends) on top of OpenSSL EVP.
 */
#include "base/nv_digest.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

struct nv_digest_ctx {
  nv_digest_alg alg;
  EVP_MD_CTX *md;
  bool failed;
};


size_t nv_digest_size(nv_digest_alg alg)
{
  switch (alg) {
  case NV_DIGEST_SHA256:
    return 32;
  case NV_DIGEST_SHA384:
    return 48;
  case NV_DIGEST_SHA512:
    return 64;
  case NV_DIGEST_NONE:
  default:
    return 0;
  }
}

const char *nv_digest_alg_name(nv_digest_alg alg)
{
  switch (alg) {
  case NV_DIGEST_SHA256:
    return "sha256";
  case NV_DIGEST_SHA384:
    return "sha384";
  case NV_DIGEST_SHA512:
    return "sha512";
  case NV_DIGEST_NONE:
  default:
    return NULL;
  }
}

static const EVP_MD *evp_md(nv_digest_alg alg)
{
  switch (alg) {
  case NV_DIGEST_SHA256:
    return EVP_sha256();
  case NV_DIGEST_SHA384:
    return EVP_sha384();
  case NV_DIGEST_SHA512:
    return EVP_sha512();
  case NV_DIGEST_NONE:
  default:
    return NULL;
  }
}

static int hex_value(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Characters that may make up an algorithm name we do not support; anything
 * else in front of the ':' is a malformed digest string. */
static bool alg_name_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '+' || c == '.' || c == '_' || c == '-';
}

nv_status nv_digest_parse(const char *s, size_t len, nv_digest *out, nv_diag *d)
{
  if ((s == NULL && len != 0) || out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "digest: NULL argument");
  if (len == 0)
    return nv_diag_set(d, NV_E_DIGEST_FORMAT, "digest: empty string");

  const char *colon = memchr(s, ':', len);
  if (colon == NULL) {
    nv_quoted q = nv_quote(s, len);
    return nv_diag_set(d, NV_E_DIGEST_FORMAT, "digest: missing ':' in \"%s\"", q.s);
  }
  size_t name_len = (size_t)(colon - s);
  if (name_len == 0) {
    nv_quoted q = nv_quote(s, len);
    return nv_diag_set(d, NV_E_DIGEST_FORMAT, "digest: empty algorithm name in \"%s\"", q.s);
  }

  nv_digest_alg alg = NV_DIGEST_NONE;
  static const nv_digest_alg known[] = { NV_DIGEST_SHA256, NV_DIGEST_SHA384, NV_DIGEST_SHA512 };
  for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
    const char *name = nv_digest_alg_name(known[i]);
    if (strlen(name) == name_len && memcmp(name, s, name_len) == 0) {
      alg = known[i];
      break;
    }
  }
  if (alg == NV_DIGEST_NONE) {
    for (size_t i = 0; i < name_len; i++) {
      if (!alg_name_char(s[i])) {
        nv_quoted q = nv_quote(s, len);
        return nv_diag_set(d, NV_E_DIGEST_FORMAT,
                           "digest: invalid character at offset %zu of the algorithm in \"%s\"",
                           i, q.s);
      }
    }
    nv_quoted q = nv_quote(s, name_len);
    return nv_diag_set(d, NV_E_DIGEST_UNSUPPORTED,
                       "digest: unsupported algorithm \"%s\" (sha256, sha384 or sha512)", q.s);
  }

  const char *hex = colon + 1;
  size_t hex_len = len - name_len - 1;
  size_t n = nv_digest_size(alg);
  if (hex_len != 2 * n) {
    nv_quoted q = nv_quote(s, len);
    return nv_diag_set(d, NV_E_DIGEST_FORMAT,
                       "digest: %s needs %zu hex characters, got %zu in \"%s\"",
                       nv_digest_alg_name(alg), 2 * n, hex_len, q.s);
  }
  nv_digest tmp;
  memset(&tmp, 0, sizeof(tmp));
  for (size_t i = 0; i < n; i++) {
    int hi = hex_value(hex[2 * i]);
    int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      size_t at = name_len + 1 + 2 * i + (hi < 0 ? 0 : 1);
      nv_quoted q = nv_quote(s, len);
      return nv_diag_set(d, NV_E_DIGEST_FORMAT,
                         "digest: expected a lower-case hex digit at offset %zu in \"%s\"", at,
                         q.s);
    }
    tmp.bytes[i] = (uint8_t)((hi << 4) | lo);
  }
  tmp.alg = alg;
  tmp.len = n;
  *out = tmp;
  return NV_OK;
}

static nv_status crypto_fail(nv_diag *d, const char *what)
{
  unsigned long e = ERR_peek_last_error();
  char detail[256];
  if (e != 0)
    ERR_error_string_n(e, detail, sizeof(detail));
  else
    detail[0] = '\0';
  ERR_clear_error();
  return nv_diag_set(d, NV_E_CRYPTO, "digest: %s failed%s%s", what, e != 0 ? ": " : "",
                     detail);
}

nv_status nv_digest_begin(nv_digest_alg alg, nv_digest_ctx **out, nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "digest: NULL argument");
  *out = NULL;
  const EVP_MD *md = evp_md(alg);
  if (md == NULL)
    return nv_diag_set(d, NV_E_DIGEST_UNSUPPORTED, "digest: unsupported algorithm %d",
                       (int)alg);
  nv_digest_ctx *c = calloc(1, sizeof(*c));
  if (c == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "digest: out of memory");
  c->alg = alg;
  c->md = EVP_MD_CTX_new();
  if (c->md == NULL) {
    free(c);
    return crypto_fail(d, "EVP_MD_CTX_new");
  }
  if (EVP_DigestInit_ex(c->md, md, NULL) != 1) {
    EVP_MD_CTX_free(c->md);
    free(c);
    return crypto_fail(d, "EVP_DigestInit_ex");
  }
  *out = c;
  return NV_OK;
}

nv_status nv_digest_update(nv_digest_ctx *c, const void *data, size_t len, nv_diag *d)
{
  if (c == NULL || (data == NULL && len != 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "digest: NULL argument");
  if (c->failed)
    return nv_diag_set(d, NV_E_CRYPTO, "digest: update after an earlier failure");
  if (len == 0)
    return NV_OK;
  if (EVP_DigestUpdate(c->md, data, len) != 1) {
    c->failed = true;
    return crypto_fail(d, "EVP_DigestUpdate");
  }
  return NV_OK;
}

nv_status nv_digest_end(nv_digest_ctx *c, nv_digest *out, nv_diag *d)
{
  if (c == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "digest: NULL context");
  nv_status rc = NV_OK;
  if (out == NULL) {
    rc = nv_diag_set(d, NV_E_INVALID_ARG, "digest: NULL argument");
  } else if (c->failed) {
    rc = nv_diag_set(d, NV_E_CRYPTO, "digest: finishing after an earlier failure");
  } else {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(c->md, md, &n) != 1) {
      rc = crypto_fail(d, "EVP_DigestFinal_ex");
    } else if (n != nv_digest_size(c->alg)) {
      rc = nv_diag_set(d, NV_E_INTERNAL, "digest: %u bytes from OpenSSL, expected %zu", n,
                       nv_digest_size(c->alg));
    } else {
      memset(out, 0, sizeof(*out));
      out->alg = c->alg;
      out->len = n;
      memcpy(out->bytes, md, n);
    }
  }
  nv_digest_abort(c);
  return rc;
}

void nv_digest_abort(nv_digest_ctx *c)
{
  if (c == NULL)
    return;
  EVP_MD_CTX_free(c->md);
  free(c);
}

nv_status nv_digest_compute(nv_digest_alg alg, const void *data, size_t len, nv_digest *out,
                            nv_diag *d)
{
  if (out == NULL || (data == NULL && len != 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "digest: NULL argument");
  nv_digest_ctx *c = NULL;
  nv_status rc = nv_digest_begin(alg, &c, d);
  if (rc != NV_OK)
    return rc;
  rc = nv_digest_update(c, data, len, d);
  if (rc != NV_OK) {
    nv_digest_abort(c);
    return rc;
  }
  return nv_digest_end(c, out, d);
}

bool nv_digest_equal(const nv_digest *a, const nv_digest *b)
{
  if (a == NULL || b == NULL)
    return false;
  if (a->alg != b->alg || a->len != b->len)
    return false;
  /* An empty or inconsistent digest never matches anything. */
  if (a->len == 0 || a->len != nv_digest_size(a->alg))
    return false;
  return CRYPTO_memcmp(a->bytes, b->bytes, a->len) == 0;
}

nv_status nv_digest_format(const nv_digest *dg, char *buf, size_t size, nv_diag *d)
{
  static const char hexdig[16] = "0123456789abcdef";
  if (dg == NULL || buf == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "digest: NULL argument");
  const char *name = nv_digest_alg_name(dg->alg);
  if (name == NULL || dg->len == 0 || dg->len != nv_digest_size(dg->alg))
    return nv_diag_set(d, NV_E_INVALID_ARG, "digest: empty or inconsistent digest");
  size_t name_len = strlen(name);
  size_t need = name_len + 1 + 2 * dg->len + 1;
  if (size < need)
    return nv_diag_set(d, NV_E_INVALID_ARG, "digest: buffer of %zu bytes, need %zu", size, need);
  memcpy(buf, name, name_len);
  size_t o = name_len;
  buf[o++] = ':';
  for (size_t i = 0; i < dg->len; i++) {
    buf[o++] = hexdig[dg->bytes[i] >> 4];
    buf[o++] = hexdig[dg->bytes[i] & 0x0f];
  }
  buf[o] = '\0';
  return NV_OK;
}
