/*
 * What the registry client reads from HTTP: URLs (absolute http/https
 * only, relative references resolved as RFC 3986 section 5 says),
 * WWW-Authenticate challenges (RFC 9110 section 11), Link headers
 * (RFC 8288), media types and the registries' JSON error bodies. All of
 * it comes from an untrusted server: every parser is bounded and total
 * (it fails cleanly on any input), and is fuzzed (tests/fuzz/fuzz_http_headers.c).
 */
#ifndef NV_REGISTRY_HEADERS_H
#define NV_REGISTRY_HEADERS_H

#include <stdbool.h>
#include <stddef.h>
#include "base/nv_buf.h"
#include "base/nv_diag.h"

#define NV_REG_URL_MAX_BYTES 8192

/* ---- URLs ---- */

typedef struct nv_reg_url {
  bool https;
  char *host;   /* as written (IPv6 with brackets); DNS names lowercased */
  unsigned port; /* explicit, or 80 / 443 */
  char *path;   /* "/..." with the query, without a fragment */
} nv_reg_url;

/* An absolute "http://" or "https://" URL (scheme case-insensitive): a
 * host (DNS name, IPv4 or [IPv6]), an optional port (1..65535), an
 * optional path and query; a fragment is dropped. Userinfo ("user@host")
 * is refused, so a URL can never carry credentials into libcurl.
 * NV_E_REGISTRY_PROTOCOL with the reason; NV_E_NOMEM. */
nv_status nv_reg_url_parse(const char *url, nv_reg_url *out, nv_diag *d);
void nv_reg_url_free(nv_reg_url *u);

/* Resolve `ref` (absolute, "//host...", "/path", "?query" or a relative
 * path) against the absolute URL `base` into a new absolute URL (free()
 * it), dot segments removed. The result must parse with
 * nv_reg_url_parse(). */
nv_status nv_reg_url_resolve(const char *base, const char *ref, char **out, nv_diag *d);

/* Same scheme, host (case-insensitive) and port. False if either does
 * not parse. */
bool nv_reg_url_same_origin(const char *a, const char *b);

/* Append `s` percent-encoded for a query component (everything but
 * ALPHA / DIGIT / "-" / "." / "_" / "~"). */
nv_status nv_reg_url_escape(nv_buf *b, const char *s, nv_diag *d);

/* ---- WWW-Authenticate ---- */

#define NV_REG_MAX_CHALLENGES 8

typedef struct nv_reg_challenge {
  char *scheme; /* as sent; compare case-insensitively */
  /* the parameters the client uses (NULL when absent); others are
   * skipped */
  char *realm;
  char *service;
  char *scope;
  char *error;
} nv_reg_challenge;

typedef struct nv_reg_challenges {
  nv_reg_challenge items[NV_REG_MAX_CHALLENGES];
  size_t count;
} nv_reg_challenges;

void nv_reg_challenges_init(nv_reg_challenges *c);
void nv_reg_challenges_free(nv_reg_challenges *c);

/* Append the challenges of one WWW-Authenticate header value:
 *   challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param = token BWS "=" BWS ( token / quoted-string )
 * several challenges per value, comma separated (a parameter value may
 * itself hold commas when quoted). Parameter names are case-insensitive;
 * a parameter repeated in one challenge, an unterminated quoted string, a
 * control character or more than NV_REG_MAX_CHALLENGES challenges are
 * NV_E_REGISTRY_PROTOCOL (what was appended stays). */
nv_status nv_reg_challenges_parse(const char *value, nv_reg_challenges *out, nv_diag *d);

/* The first challenge of `scheme` (case-insensitive), or NULL. */
const nv_reg_challenge *nv_reg_challenges_find(const nv_reg_challenges *c, const char *scheme);

/* ---- Link ---- */

/* The target of the first link-value in a Link header value whose "rel"
 * lists "next" (relation types are space separated, case-insensitive):
 *   link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )
 * *out is NULL (and NV_OK) when there is none; free() it otherwise.
 * Malformed values are NV_E_REGISTRY_PROTOCOL. The target is not
 * resolved. */
nv_status nv_reg_link_next(const char *value, char **out, nv_diag *d);

/* ---- media types, lists, error bodies ---- */

/* The media type of a Content-Type value: the text before any ';',
 * without surrounding blanks, lowercased, into buf (cut to fit; "" when
 * `value` is NULL). */
void nv_reg_media_type(const char *value, char *buf, size_t size);

/* A comma-separated header value (OCI-Filters-Applied) lists `item`
 * exactly (blanks around elements ignored). */
bool nv_reg_list_has(const char *value, const char *item);

/* The first "code" and "message" of a registry error body
 * ({"errors":[{"code":"NAME_UNKNOWN","message":"..."}]}), printable and
 * cut to fit; "" when the body is not such a document. */
void nv_reg_error_body(const void *body, size_t len, char *code, size_t code_size,
                       char *message, size_t message_size);

#endif /* NV_REGISTRY_HEADERS_H */
