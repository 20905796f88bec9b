/*
 * JWS envelope decoder (notary-spec.md section 5): the flattened JWS JSON
 * serialization only.
 *
 *   { "payload": b64url, "protected": b64url, "header": {...}, "signature": b64url }
 *
 * Decisions, where notation-go (GO) is more lenient or does not say:
 *   - Strict top level: exactly the four members of the spec. A general
 *     serialization ("signatures"), the compact form and any other member
 *     are rejected (notation-go ignores unknown members; the spec forbids
 *     them). Member names are matched exactly.
 *   - "payload", "protected" and "signature" are strict base64url without
 *     padding; "x5c" entries and the timestamp token are strict standard
 *     base64 with padding. A stray '=' fails (vector ca_invalid_sig_env).
 *   - The protected header is parsed by the strict JSON parser: duplicate
 *     member names fail. A member whose name matches one of the seven
 *     header names notation-go reads into its header struct (alg, cty,
 *     crit, the scheme and the three times) only when letter case is
 *     ignored (Go's encoding/json folding, which also maps U+017F to 's'
 *     and U+212A to 'k') is rejected: Go would read it as that header, a
 *     case-sensitive reader would not, and the two must never disagree.
 *   - Unknown members of the unprotected header are tolerated. The signing
 *     agent is taken from "io.cncf.notary.signingAgent", or from a member
 *     whose name matches it ignoring case (the reference mock envelopes
 *     write "io.cncf.notary.SigningAgent"); a non-string agent is ignored.
 *   - The crit rules are notation-go's (notary-spec.md 5.2), run after the
 *     scheme-specific header rules, as notation-go orders them.
 *   - The payload must be a JSON object (notation-go's JWT parser requires
 *     it); duplicate members in it fail like everywhere else.
 *   - A known member of the wrong type fails, JSON null included (GO reads
 *     null as "absent" for the times, x5c, the timestamp and the header).
 *   - An expiry of 0001-01-01T00:00:00Z is an expiry (GO treats Go's zero
 *     time as none); fractions of seconds are accepted and truncated.
 *   - Errors use the most specific integrity code: JSON and base64 errors
 *     of the top level, payload, signature and unprotected header are
 *     NV_E_ENVELOPE_PARSE, those of the protected header
 *     NV_E_PROTECTED_HEADER_DECODE; NV_E_NOMEM stays what it is.
 */
#include "envelope/nv_env.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_base64.h"
#include "base/nv_json.h"
#include "base/nv_limits.h"
#include "base/nv_time.h"

#define JWS_PAYLOAD "payload"
#define JWS_PROTECTED "protected"
#define JWS_HEADER "header"
#define JWS_SIGNATURE "signature"
#define JWS_SIGNATURES "signatures"
#define JWS_ALG "alg"
#define JWS_CTY "cty"
#define JWS_CRIT "crit"
#define JWS_X5C "x5c"

/* Room for a member name or a header value quoted in a message. */
#define SHOWN_MAX 72

/* The protected-header names notation-go reads into its header struct;
 * every other protected member is an extended attribute. */
static const char *const reserved_names[] = {
  JWS_ALG,
  JWS_CTY,
  JWS_CRIT,
  NV_HDR_SIGNING_SCHEME,
  NV_HDR_SIGNING_TIME,
  NV_HDR_AUTHENTIC_SIGNING_TIME,
  NV_HDR_EXPIRY,
};
#define N_RESERVED (sizeof(reserved_names) / sizeof(reserved_names[0]))

/* ------------------------------------------------------------------ */
/* Small helpers                                                      */
/* ------------------------------------------------------------------ */

/* Copy `s` for a message: printable ASCII is kept, every other byte shows
 * as '?', and long text is cut and ends in "...". */
static const char *show(char *out, size_t cap, const char *s)
{
  size_t i = 0;
  if (s == NULL)
    s = "";
  while (s[i] != '\0' && i + 1 < cap) {
    unsigned char c = (unsigned char)s[i];
    out[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    i++;
  }
  if (s[i] != '\0' && cap >= 4) {
    memcpy(out + cap - 4, "...", 3);
    i = cap - 1;
  }
  out[i] = '\0';
  return out;
}

/* Keep allocation and internal failures as they are; every other failure
 * of a lower layer becomes `code`, with `prefix` put before its message. */
static nv_status recode(nv_diag *d, nv_status rc, nv_status code, const char *prefix)
{
  if (rc == NV_E_NOMEM || rc == NV_E_INTERNAL || rc == NV_E_INVALID_ARG)
    code = rc;
  return nv_diag_wrap(d, code, "%s", prefix);
}

static const char *type_name_of(const nv_json *j)
{
  return nv_json_type_name(nv_json_type_of(j));
}

static bool is_ws(unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_b64url_char(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_';
}

/*
 * Does `s` (valid UTF-8) equal the ASCII name `ascii` under Go's
 * encoding/json key folding? Go folds each rune to the smallest rune of
 * its Unicode simple-fold set; the only non-ASCII runes whose set holds an
 * ASCII letter are U+017F (long s, folds with 's') and U+212A (Kelvin
 * sign, folds with 'k').
 */
static bool go_fold_equal(const char *s, const char *ascii)
{
  const unsigned char *p = (const unsigned char *)s;
  const unsigned char *q = (const unsigned char *)ascii;
  while (*q != '\0') {
    int want = *q;
    if (want >= 'a' && want <= 'z')
      want -= 'a' - 'A';
    int got;
    if (*p == '\0') {
      return false;
    } else if (*p < 0x80) {
      got = *p;
      if (got >= 'a' && got <= 'z')
        got -= 'a' - 'A';
      p++;
    } else if (p[0] == 0xC5 && p[1] == 0xBF) {
      got = 'S';
      p += 2;
    } else if (p[0] == 0xE2 && p[1] == 0x84 && p[2] == 0xAA) {
      got = 'K';
      p += 3;
    } else {
      return false;
    }
    if (got != want)
      return false;
    q++;
  }
  return *p == '\0';
}

static bool is_reserved(const char *name)
{
  for (size_t i = 0; i < N_RESERVED; i++)
    if (strcmp(name, reserved_names[i]) == 0)
      return true;
  return false;
}

/* ------------------------------------------------------------------ */
/* Raw value spans of the protected header                            */
/* ------------------------------------------------------------------ */

/*
 * The extended attributes keep their value as compact JSON text. The JSON
 * tree does not give back number tokens, so the values are cut from the
 * decoded header text itself. That text has already been accepted by the
 * strict parser, so this walk only has to find boundaries; it still checks
 * every bound and reports NV_E_INTERNAL if the text is not what it expects.
 * The i-th span belongs to the i-th member of the parsed object (the tree
 * keeps members in text order).
 */
typedef struct span {
  size_t off;
  size_t len;
  size_t key_off; /* the member name between its quotes, still escaped */
  size_t key_len;
} span;

static size_t skip_ws(const char *t, size_t n, size_t p)
{
  while (p < n && is_ws((unsigned char)t[p]))
    p++;
  return p;
}

/* At an opening quote: move past the closing quote. */
static bool skip_string(const char *t, size_t n, size_t *pos)
{
  size_t p = *pos;
  if (p >= n || t[p] != '"')
    return false;
  for (p++; p < n; p++) {
    if (t[p] == '\\') {
      p++;
    } else if (t[p] == '"') {
      *pos = p + 1;
      return true;
    }
  }
  return false;
}

static bool skip_value(const char *t, size_t n, size_t *pos)
{
  size_t p = *pos;
  if (p >= n)
    return false;
  if (t[p] == '"')
    return skip_string(t, n, pos);
  if (t[p] == '{' || t[p] == '[') {
    size_t depth = 0;
    while (p < n) {
      char c = t[p];
      if (c == '"') {
        if (!skip_string(t, n, &p))
          return false;
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0)
          return false;
        if (--depth == 0) {
          *pos = p + 1;
          return true;
        }
      }
      p++;
    }
    return false;
  }
  /* number, true, false, null */
  while (p < n && t[p] != ',' && t[p] != '}' && t[p] != ']' && !is_ws((unsigned char)t[p]))
    p++;
  if (p == *pos)
    return false;
  *pos = p;
  return true;
}

static nv_status member_spans(const char *t, size_t n, span *spans, size_t max, size_t *count,
                              nv_diag *d)
{
  *count = 0;
  size_t p = skip_ws(t, n, 0);
  if (p >= n || t[p] != '{')
    goto bad;
  p = skip_ws(t, n, p + 1);
  if (p < n && t[p] == '}')
    return NV_OK;
  for (;;) {
    if (*count >= max)
      goto bad;
    span *s = &spans[*count];
    size_t key_start = p;
    if (!skip_string(t, n, &p))
      goto bad;
    s->key_off = key_start + 1;
    s->key_len = p - key_start - 2;
    p = skip_ws(t, n, p);
    if (p >= n || t[p] != ':')
      goto bad;
    p = skip_ws(t, n, p + 1);
    s->off = p;
    if (!skip_value(t, n, &p))
      goto bad;
    s->len = p - s->off;
    (*count)++;
    p = skip_ws(t, n, p);
    if (p < n && t[p] == ',') {
      p = skip_ws(t, n, p + 1);
      continue;
    }
    if (p < n && t[p] == '}')
      return NV_OK;
    goto bad;
  }
bad:
  return nv_diag_set(d, NV_E_INTERNAL,
                     "JWS protected header: cannot find the member boundaries of accepted JSON");
}

/* The span's JSON text without insignificant whitespace, NUL-terminated. */
static char *compact_json(const char *t, const span *s)
{
  char *out = malloc(s->len + 1);
  if (out == NULL)
    return NULL;
  size_t o = 0;
  bool in_string = false;
  for (size_t i = s->off; i < s->off + s->len; i++) {
    char c = t[i];
    if (in_string) {
      out[o++] = c;
      if (c == '\\' && i + 1 < s->off + s->len)
        out[o++] = t[++i];
      else if (c == '"')
        in_string = false;
    } else if (!is_ws((unsigned char)c)) {
      out[o++] = c;
      if (c == '"')
        in_string = true;
    }
  }
  out[o] = '\0';
  return out;
}

/* ------------------------------------------------------------------ */
/* Top level                                                          */
/* ------------------------------------------------------------------ */

/* Base64url segments joined by exactly two dots: the compact form. */
static bool looks_compact(const uint8_t *data, size_t len)
{
  size_t dots = 0, i = 0;
  while (i < len && is_ws(data[i]))
    i++;
  size_t end = len;
  while (end > i && is_ws(data[end - 1]))
    end--;
  if (i == end)
    return false;
  for (; i < end; i++) {
    if (data[i] == '.')
      dots++;
    else if (!is_b64url_char(data[i]))
      return false;
  }
  return dots == 2;
}

typedef struct jws_parts {
  const char *payload;
  const char *protected_b64;
  const char *signature;
  const nv_json *header; /* NULL when absent */
} jws_parts;

static nv_status parse_top(const nv_json *root, jws_parts *parts, nv_diag *d)
{
  static const char *const allowed[] = {JWS_PAYLOAD, JWS_PROTECTED, JWS_HEADER, JWS_SIGNATURE,
                                        NULL};
  if (nv_json_type_of(root) != NV_JSON_OBJECT)
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE,
                       "JWS envelope must be a JSON object (flattened JSON serialization), "
                       "found %s",
                       type_name_of(root));
  if (nv_json_member(root, JWS_SIGNATURES) != NULL)
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE,
                       "JWS general JSON serialization (member \"signatures\") is not supported; "
                       "a Notary JWS envelope is the flattened JSON serialization");
  nv_status rc = nv_json_check_members(root, allowed, d);
  if (rc != NV_OK)
    return recode(d, rc, NV_E_ENVELOPE_PARSE,
                  "JWS envelope (only \"payload\", \"protected\", \"header\" and \"signature\" "
                  "are allowed): ");
  if ((rc = nv_json_get_string(root, JWS_PAYLOAD, true, &parts->payload, d)) != NV_OK ||
      (rc = nv_json_get_string(root, JWS_PROTECTED, true, &parts->protected_b64, d)) != NV_OK ||
      (rc = nv_json_get_string(root, JWS_SIGNATURE, true, &parts->signature, d)) != NV_OK ||
      (rc = nv_json_get_object(root, JWS_HEADER, false, &parts->header, d)) != NV_OK)
    return recode(d, rc, NV_E_ENVELOPE_PARSE, "JWS envelope: ");
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* Unprotected header                                                 */
/* ------------------------------------------------------------------ */

static nv_status read_x5c(const nv_json *hdr, nv_env *out, nv_diag *d)
{
  const nv_json *x5c = nv_json_member(hdr, JWS_X5C);
  if (x5c == NULL)
    return NV_OK;
  if (nv_json_type_of(x5c) != NV_JSON_ARRAY)
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE,
                       "unprotected header \"x5c\" must be an array of base64 strings, found %s",
                       type_name_of(x5c));
  size_t n = nv_json_count(x5c);
  if (n > NV_ENV_MAX_CHAIN)
    return nv_diag_set(d, NV_E_CHAIN_TOO_LONG,
                       "certificate chain (\"x5c\") has %zu certificates, more than the limit of "
                       "%d",
                       n, NV_ENV_MAX_CHAIN);
  nv_buf der;
  nv_buf_init(&der, NV_LIMIT_ENVELOPE_BYTES);
  nv_status rc = NV_OK;
  for (size_t i = 0; i < n && rc == NV_OK; i++) {
    const nv_json *el = nv_json_at(x5c, i);
    const char *b64 = nv_json_string(el);
    if (b64 == NULL) {
      rc = nv_diag_set(d, NV_E_ENVELOPE_PARSE,
                       "unprotected header \"x5c\"[%zu] must be a base64 string, found %s", i,
                       type_name_of(el));
      break;
    }
    size_t b64_len = strlen(b64);
    if (b64_len == 0) {
      rc = nv_diag_set(d, i == 0 ? NV_E_LEAF_CERT_MALFORMED : NV_E_CERT_PARSE,
                       "certificate \"x5c\"[%zu] is empty", i);
      break;
    }
    nv_buf_reset(&der);
    rc = nv_base64_decode(b64, b64_len, &der, d);
    if (rc != NV_OK) {
      char prefix[64];
      snprintf(prefix, sizeof(prefix), "unprotected header \"x5c\"[%zu]: ", i);
      rc = recode(d, rc, NV_E_ENVELOPE_PARSE, prefix);
      break;
    }
    rc = nv_env_add_cert(out, der.data, der.len, d);
  }
  nv_buf_free(&der);
  return rc;
}

static nv_status read_timestamp(const nv_json *hdr, nv_env *out, nv_diag *d)
{
  const nv_json *ts = nv_json_member(hdr, NV_HDR_TIMESTAMP_SIGNATURE);
  if (ts == NULL)
    return NV_OK;
  const char *b64 = nv_json_string(ts);
  if (b64 == NULL)
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE,
                       "unprotected header \"%s\" must be a base64 string, found %s",
                       NV_HDR_TIMESTAMP_SIGNATURE, type_name_of(ts));
  nv_status rc = nv_base64_decode(b64, strlen(b64), &out->timestamp_token, d);
  if (rc != NV_OK)
    return recode(d, rc, NV_E_ENVELOPE_PARSE,
                  "unprotected header \"" NV_HDR_TIMESTAMP_SIGNATURE "\": ");
  /* An empty token is no token, as in notation-go ([]byte of length 0). */
  out->has_timestamp = out->timestamp_token.len > 0;
  return NV_OK;
}

/* The signing agent is informational: it never makes decoding fail. */
static nv_status read_signing_agent(const nv_json *hdr, nv_env *out, nv_diag *d)
{
  const char *agent = nv_json_string(nv_json_member(hdr, NV_HDR_SIGNING_AGENT));
  if (agent == NULL) {
    /* nv_json_at() is linear, so only the first members are searched. */
    size_t n = nv_json_count(hdr);
    if (n > NV_ENV_MAX_HEADERS)
      n = NV_ENV_MAX_HEADERS;
    for (size_t i = 0; i < n && agent == NULL; i++) {
      const nv_json *m = nv_json_at(hdr, i);
      if (go_fold_equal(nv_json_key(m), NV_HDR_SIGNING_AGENT))
        agent = nv_json_string(m);
    }
  }
  if (agent == NULL)
    return NV_OK;
  if ((out->signing_agent = strdup(agent)) == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  return NV_OK;
}

static nv_status read_unprotected(const nv_json *hdr, nv_env *out, nv_diag *d)
{
  if (hdr == NULL)
    return NV_OK;
  nv_status rc = read_x5c(hdr, out, d);
  if (rc == NV_OK)
    rc = read_timestamp(hdr, out, d);
  if (rc == NV_OK)
    rc = read_signing_agent(hdr, out, d);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Protected header                                                   */
/* ------------------------------------------------------------------ */

static nv_status read_time(const nv_json *prot, const char *name, bool *has, int64_t *out,
                           nv_diag *d)
{
  *has = false;
  const nv_json *m = nv_json_member(prot, name);
  if (m == NULL)
    return NV_OK;
  const char *s = nv_json_string(m);
  if (s == NULL)
    return nv_diag_set(d, NV_E_TIME_ENCODING_INVALID,
                       "header \"%s\" must be an RFC 3339 date-time string, found %s", name,
                       type_name_of(m));
  nv_status rc = nv_time_parse_rfc3339(s, strlen(s), out, NULL, d);
  if (rc != NV_OK) {
    char prefix[96];
    snprintf(prefix, sizeof(prefix), "header \"%s\": ", name);
    return recode(d, rc, NV_E_TIME_ENCODING_INVALID, prefix);
  }
  *has = true;
  return NV_OK;
}

/* No member may be one of the reserved names in another letter case. */
static nv_status check_name_case(const nv_json *prot, size_t count, nv_diag *d)
{
  for (size_t i = 0; i < count; i++) {
    const char *key = nv_json_key(nv_json_at(prot, i));
    if (key == NULL)
      return nv_diag_set(d, NV_E_INTERNAL, "JWS protected header: member without a name");
    for (size_t r = 0; r < N_RESERVED; r++) {
      if (strcmp(key, reserved_names[r]) != 0 && go_fold_equal(key, reserved_names[r])) {
        char shown[SHOWN_MAX];
        return nv_diag_set(d, NV_E_HEADER_INVALID,
                           "protected header member \"%s\" differs from the header \"%s\" only "
                           "in letter case; header names are case-sensitive",
                           show(shown, sizeof(shown), key), reserved_names[r]);
      }
    }
  }
  return NV_OK;
}

/* The typed notary headers (everything but alg and crit's contents). */
static nv_status read_typed(const nv_json *prot, const nv_json **crit, nv_env *out,
                            nv_diag *d)
{
  char shown[SHOWN_MAX];
  const nv_json *cty = nv_json_member(prot, JWS_CTY);
  if (cty != NULL) {
    const char *s = nv_json_string(cty);
    if (s == NULL)
      return nv_diag_set(d, NV_E_HEADER_INVALID,
                         "content type header \"cty\" must be a string, found %s",
                         type_name_of(cty));
    if ((out->content_type = strdup(s)) == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }

  *crit = nv_json_member(prot, JWS_CRIT);
  if (*crit != NULL) {
    if (nv_json_type_of(*crit) != NV_JSON_ARRAY)
      return nv_diag_set(d, NV_E_HEADER_INVALID,
                         "\"crit\" header must be an array of strings, found %s",
                         type_name_of(*crit));
    size_t n = nv_json_count(*crit);
    if (n > NV_ENV_MAX_HEADERS)
      return nv_diag_set(d, NV_E_ENVELOPE_PARSE, "crit header has %zu entries, more than %d", n,
                         NV_ENV_MAX_HEADERS);
    for (size_t i = 0; i < n; i++) {
      const nv_json *el = nv_json_at(*crit, i);
      if (nv_json_string(el) == NULL)
        return nv_diag_set(d, NV_E_HEADER_INVALID,
                           "\"crit\" header must be an array of strings: entry %zu is %s", i,
                           type_name_of(el));
    }
  }

  const nv_json *scheme = nv_json_member(prot, NV_HDR_SIGNING_SCHEME);
  if (scheme == NULL)
    return nv_diag_set(d, NV_E_SIGNING_SCHEME_UNSUPPORTED, "missing \"%s\" header",
                       NV_HDR_SIGNING_SCHEME);
  const char *scheme_name = nv_json_string(scheme);
  if (scheme_name == NULL)
    return nv_diag_set(d, NV_E_SIGNING_SCHEME_UNSUPPORTED,
                       "header \"%s\" must be a string, found %s", NV_HDR_SIGNING_SCHEME,
                       type_name_of(scheme));
  out->scheme = nv_env_scheme_from_name(scheme_name);
  if (out->scheme == NV_SCHEME_NONE)
    return nv_diag_set(d, NV_E_SIGNING_SCHEME_UNSUPPORTED,
                       "unsupported SigningScheme: \"%s\" (expected \"%s\" or \"%s\")",
                       show(shown, sizeof(shown), scheme_name), NV_SCHEME_NAME_X509,
                       NV_SCHEME_NAME_SIGNING_AUTHORITY);

  nv_status rc;
  if ((rc = read_time(prot, NV_HDR_SIGNING_TIME, &out->has_signing_time, &out->signing_time,
                      d)) != NV_OK ||
      (rc = read_time(prot, NV_HDR_AUTHENTIC_SIGNING_TIME, &out->has_authentic_signing_time,
                      &out->authentic_signing_time, d)) != NV_OK ||
      (rc = read_time(prot, NV_HDR_EXPIRY, &out->has_expiry, &out->expiry, d)) != NV_OK)
    return rc;
  return NV_OK;
}

static nv_status check_scheme_headers(const nv_env *e, nv_diag *d)
{
  switch (e->scheme) {
  case NV_SCHEME_X509:
    if (e->has_authentic_signing_time)
      return nv_diag_set(d, NV_E_HEADER_NOT_ALLOWED_FOR_SCHEME,
                         "\"%s\" header must not be present for %s signing scheme",
                         NV_HDR_AUTHENTIC_SIGNING_TIME, NV_SCHEME_NAME_X509);
    return NV_OK;
  case NV_SCHEME_SIGNING_AUTHORITY:
    if (e->has_signing_time)
      return nv_diag_set(d, NV_E_HEADER_NOT_ALLOWED_FOR_SCHEME,
                         "\"%s\" header must not be present for %s signing scheme",
                         NV_HDR_SIGNING_TIME, NV_SCHEME_NAME_SIGNING_AUTHORITY);
    if (!e->has_authentic_signing_time)
      return nv_diag_set(d, NV_E_AUTHENTIC_SIGNING_TIME_MISSING,
                         "\"%s\" header must be present for %s signing scheme",
                         NV_HDR_AUTHENTIC_SIGNING_TIME, NV_SCHEME_NAME_SIGNING_AUTHORITY);
    return NV_OK;
  default:
    return nv_diag_set(d, NV_E_SIGNING_SCHEME_UNSUPPORTED, "signing scheme missing or unsupported");
  }
}

/* notation-go's validateCriticalHeaders (notary-spec.md 5.2). */
static nv_status check_crit(const nv_json *prot, const nv_json *crit, const nv_env *e,
                            nv_diag *d)
{
  size_t n = crit != NULL ? nv_json_count(crit) : 0;
  if (n == 0)
    return nv_diag_set(d, NV_E_CRIT_MISSING, "missing \"crit\" header");

  const char *must[3];
  bool pending[3];
  size_t nmust = 0;
  must[nmust++] = NV_HDR_SIGNING_SCHEME;
  if (e->has_expiry)
    must[nmust++] = NV_HDR_EXPIRY;
  if (e->scheme == NV_SCHEME_SIGNING_AUTHORITY)
    must[nmust++] = NV_HDR_AUTHENTIC_SIGNING_TIME;
  for (size_t k = 0; k < nmust; k++)
    pending[k] = true;

  for (size_t i = 0; i < n; i++) {
    const char *name = nv_json_string(nv_json_at(crit, i));
    if (name == NULL)
      return nv_diag_set(d, NV_E_INTERNAL, "crit entry %zu is not a string", i);
    bool matched = false;
    for (size_t k = 0; k < nmust && !matched; k++) {
      if (pending[k] && strcmp(name, must[k]) == 0) {
        pending[k] = false;
        matched = true;
      }
    }
    if (matched)
      continue;
    /* Otherwise it must name an extended attribute that is present. */
    if (is_reserved(name) || nv_json_member(prot, name) == NULL) {
      char shown[SHOWN_MAX];
      return nv_diag_set(d, NV_E_CRIT_ENTRY_NOT_PRESENT,
                         "\"%s\" header is marked critical but not present",
                         show(shown, sizeof(shown), name));
    }
  }

  char list[256];
  size_t used = 0;
  list[0] = '\0';
  for (size_t k = 0; k < nmust; k++) {
    if (!pending[k])
      continue;
    int w = snprintf(list + used, sizeof(list) - used, "%s%s", used > 0 ? " " : "", must[k]);
    if (w > 0 && (size_t)w < sizeof(list) - used)
      used += (size_t)w;
  }
  if (used > 0)
    return nv_diag_set(d, NV_E_CRIT_REQUIRED_NOT_MARKED,
                       "these required headers are not marked as critical: [%s]", list);
  return NV_OK;
}

static nv_status read_alg(const nv_json *prot, nv_env *out, nv_diag *d)
{
  const nv_json *alg = nv_json_member(prot, JWS_ALG);
  if (alg == NULL)
    return nv_diag_set(d, NV_E_ALG_UNSUPPORTED, "missing \"alg\" header");
  const char *name = nv_json_string(alg);
  if (name == NULL)
    return nv_diag_set(d, NV_E_ALG_UNSUPPORTED, "\"alg\" header must be a string, found %s",
                       type_name_of(alg));
  out->alg = nv_sig_alg_from_jws(name);
  if (out->alg == NV_SIG_NONE) {
    char shown[SHOWN_MAX];
    return nv_diag_set(d, NV_E_ALG_UNSUPPORTED,
                       "signature algorithm \"%s\" is not supported (expected PS256, PS384, "
                       "PS512, ES256, ES384 or ES512)",
                       show(shown, sizeof(shown), name));
  }
  return NV_OK;
}

static bool crit_lists(const nv_json *crit, const char *name)
{
  size_t n = nv_json_count(crit);
  for (size_t i = 0; i < n; i++) {
    const char *s = nv_json_string(nv_json_at(crit, i));
    if (s != NULL && strcmp(s, name) == 0)
      return true;
  }
  return false;
}

/* Record the crit list and every extended attribute, in header order. */
static nv_status record_attrs(const nv_json *prot, size_t count, const nv_json *crit,
                              const nv_buf *text, nv_env *out, nv_diag *d)
{
  nv_status rc;
  size_t ncrit = nv_json_count(crit);
  for (size_t i = 0; i < ncrit; i++)
    if ((rc = nv_env_add_crit(out, nv_json_string(nv_json_at(crit, i)), d)) != NV_OK)
      return rc;

  span spans[NV_ENV_MAX_HEADERS];
  size_t nspans = 0;
  const char *t = (const char *)text->data;
  if ((rc = member_spans(t, text->len, spans, NV_ENV_MAX_HEADERS, &nspans, d)) != NV_OK)
    return rc;
  if (nspans != count)
    return nv_diag_set(d, NV_E_INTERNAL,
                       "JWS protected header: %zu members in the text, %zu in the tree", nspans,
                       count);
  for (size_t i = 0; i < count; i++) {
    const nv_json *m = nv_json_at(prot, i);
    const char *name = nv_json_key(m);
    /* A name written without escapes must be the one the tree holds. */
    if (memchr(t + spans[i].key_off, '\\', spans[i].key_len) == NULL &&
        (strlen(name) != spans[i].key_len ||
         memcmp(name, t + spans[i].key_off, spans[i].key_len) != 0))
      return nv_diag_set(d, NV_E_INTERNAL, "JWS protected header: member %zu out of order", i);
    if (is_reserved(name))
      continue;
    char *json = compact_json(t, &spans[i]);
    if (json == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory");
    rc = nv_env_add_attr(out, name, false, crit_lists(crit, name), nv_json_string(m), json, d);
    free(json);
    if (rc != NV_OK)
      return rc;
  }
  return NV_OK;
}

static nv_status read_protected(const char *b64, nv_env *out, nv_buf *text, nv_json **prot,
                                nv_diag *d)
{
  nv_status rc = nv_base64url_decode(b64, strlen(b64), text, d);
  if (rc != NV_OK)
    return recode(d, rc, NV_E_PROTECTED_HEADER_DECODE, "JWS protected header: ");
  rc = nv_json_parse(text->data, text->len, NV_LIMIT_ENVELOPE_BYTES, "JWS protected header",
                     prot, d);
  if (rc != NV_OK)
    return recode(d, rc, NV_E_PROTECTED_HEADER_DECODE, "");
  if (nv_json_type_of(*prot) != NV_JSON_OBJECT)
    return nv_diag_set(d, NV_E_PROTECTED_HEADER_DECODE,
                       "JWS protected header must be a JSON object, found %s",
                       type_name_of(*prot));
  size_t count = nv_json_count(*prot);
  if (count > NV_ENV_MAX_HEADERS)
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE,
                       "JWS protected header has %zu members, more than the limit of %d", count,
                       NV_ENV_MAX_HEADERS);

  const nv_json *crit = NULL;
  if ((rc = check_name_case(*prot, count, d)) != NV_OK ||
      (rc = read_typed(*prot, &crit, out, d)) != NV_OK ||
      (rc = check_scheme_headers(out, d)) != NV_OK ||
      (rc = check_crit(*prot, crit, out, d)) != NV_OK || (rc = read_alg(*prot, out, d)) != NV_OK)
    return rc;
  return record_attrs(*prot, count, crit, text, out, d);
}

/* ------------------------------------------------------------------ */
/* Payload and signature                                              */
/* ------------------------------------------------------------------ */

static nv_status read_payload(const char *b64, nv_env *out, nv_diag *d)
{
  nv_status rc = nv_base64url_decode(b64, strlen(b64), &out->payload, d);
  if (rc != NV_OK)
    return recode(d, rc, NV_E_ENVELOPE_PARSE, "JWS payload: ");
  if (out->payload.len == 0)
    return NV_OK; /* reported as NV_E_PAYLOAD_EMPTY by nv_env_check_common */
  nv_json *j = NULL;
  rc = nv_json_parse(out->payload.data, out->payload.len, NV_LIMIT_ENVELOPE_BYTES,
                     "JWS payload", &j, d);
  if (rc != NV_OK)
    return recode(d, rc, NV_E_ENVELOPE_PARSE, "payload is not a JSON object: ");
  nv_json_type t = nv_json_type_of(j);
  nv_json_free(j);
  if (t != NV_JSON_OBJECT)
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE, "payload is not a JSON object (found %s)",
                       nv_json_type_name(t));
  return NV_OK;
}

static nv_status read_signature(const char *b64, nv_env *out, nv_diag *d)
{
  nv_status rc = nv_base64url_decode(b64, strlen(b64), &out->signature, d);
  if (rc != NV_OK)
    return recode(d, rc, NV_E_ENVELOPE_PARSE, "JWS signature: ");
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* Entry point                                                        */
/* ------------------------------------------------------------------ */

nv_status nv_env_decode_jws(const uint8_t *data, size_t len, nv_env *out, nv_diag *d)
{
  if (out == NULL || (data == NULL && len != 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_env_decode_jws: NULL argument");
  if (looks_compact(data, len))
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE,
                       "JWS compact serialization is not supported; a Notary JWS envelope is "
                       "the flattened JSON serialization");

  nv_json *root = NULL;
  nv_json *prot = NULL;
  jws_parts parts = {0};
  nv_buf prot_text;
  nv_buf_init(&prot_text, NV_LIMIT_ENVELOPE_BYTES);

  nv_status rc = nv_json_parse(data, len, NV_LIMIT_ENVELOPE_BYTES, "JWS envelope", &root, d);
  if (rc != NV_OK) {
    rc = recode(d, rc, NV_E_ENVELOPE_PARSE, "");
    goto done;
  }
  if ((rc = parse_top(root, &parts, d)) != NV_OK ||
      (rc = read_unprotected(parts.header, out, d)) != NV_OK)
    goto done;

  /* The signing input is the two members exactly as received (their JSON
   * string values), never re-encoded. */
  if ((rc = nv_buf_append_str(&out->signing_input, parts.protected_b64, d)) != NV_OK ||
      (rc = nv_buf_append_byte(&out->signing_input, '.', d)) != NV_OK ||
      (rc = nv_buf_append_str(&out->signing_input, parts.payload, d)) != NV_OK)
    goto done;

  if ((rc = read_protected(parts.protected_b64, out, &prot_text, &prot, d)) != NV_OK ||
      (rc = read_payload(parts.payload, out, d)) != NV_OK ||
      (rc = read_signature(parts.signature, out, d)) != NV_OK)
    goto done;

  rc = nv_env_check_common(out, d);

done:
  nv_json_free(prot);
  nv_json_free(root);
  nv_buf_free(&prot_text);
  return rc;
}
