/* URLs, WWW-Authenticate, Link, media types and error bodies (see
 * nv_reg_headers.h). */
#include "registry/nv_reg_headers.h"
#include "registry/nv_reg_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/nv_json.h"

static bool is_alpha(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static char lower(char c)
{
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* ------------------------------------------------------------------ */
/* URLs                                                                */

void nv_reg_url_free(nv_reg_url *u)
{
  if (u == NULL)
    return;
  free(u->host);
  free(u->path);
  memset(u, 0, sizeof(*u));
}

/* Visible ASCII, no space: what may appear in a URL we send. */
static bool url_chars(const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
      return false;
  return true;
}

static bool host_char(char c)
{
  return is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_';
}

nv_status nv_reg_url_parse(const char *url, nv_reg_url *out, nv_diag *d)
{
  memset(out, 0, sizeof(*out));
  size_t len = strnlen(url, NV_REG_URL_MAX_BYTES + 1);
  if (len > NV_REG_URL_MAX_BYTES)
    return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "URL longer than %d bytes",
                       NV_REG_URL_MAX_BYTES);
  /* messages quote the URL only up to its authority's '@', if any */
  size_t shown = len;
  const char *sep = strstr(url, "://");
  if (sep != NULL) {
    size_t alen = strcspn(sep + 3, "/?#");
    const char *at = memchr(sep + 3, '@', alen);
    if (at != NULL)
      shown = (size_t)(sep + 3 - url);
  }
  nv_quoted q = nv_quote(url, shown);
  if (!url_chars(url, len))
    return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                       "URL \"%s\" contains a space, a control or a non-ASCII character", q.s);
  size_t skip;
  if (len >= 8 && strncasecmp(url, "https://", 8) == 0) {
    out->https = true;
    skip = 8;
  } else if (len >= 7 && strncasecmp(url, "http://", 7) == 0) {
    skip = 7;
  } else {
    return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "URL \"%s\" is not http:// or https://", q.s);
  }
  const char *auth = url + skip;
  size_t auth_len = strcspn(auth, "/?#");
  const char *at = memchr(auth, '@', auth_len);
  if (at != NULL) {
    /* the user information may hold a password: not quoted */
    nv_quoted h = nv_quote(at + 1, auth_len - (size_t)(at + 1 - auth));
    return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                       "a URL for host \"%s\" carries user information (user@host): refused",
                       h.s);
  }
  size_t host_len;
  if (auth_len > 0 && auth[0] == '[') {
    const char *close = memchr(auth, ']', auth_len);
    if (close == NULL)
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "URL \"%s\": unterminated IPv6 host", q.s);
    host_len = (size_t)(close - auth) + 1;
    for (size_t i = 1; i + 1 < host_len; i++) {
      char c = auth[i];
      if (!(is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f') || c == ':' || c == '.'))
        return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "URL \"%s\": invalid IPv6 host", q.s);
    }
    if (host_len < 4)
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "URL \"%s\": invalid IPv6 host", q.s);
  } else {
    const char *colon = memchr(auth, ':', auth_len);
    host_len = colon != NULL ? (size_t)(colon - auth) : auth_len;
    if (host_len == 0)
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "URL \"%s\" has no host", q.s);
    for (size_t i = 0; i < host_len; i++)
      if (!host_char(auth[i]))
        return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "URL \"%s\": invalid host", q.s);
  }
  out->port = out->https ? 443 : 80;
  if (host_len < auth_len) {
    if (auth[host_len] != ':')
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "URL \"%s\": invalid host", q.s);
    size_t plen = auth_len - host_len - 1;
    unsigned port = 0;
    if (plen == 0 || plen > 5)
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "URL \"%s\": invalid port", q.s);
    for (size_t i = 0; i < plen; i++) {
      char c = auth[host_len + 1 + i];
      if (!is_digit(c))
        return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "URL \"%s\": invalid port", q.s);
      port = port * 10 + (unsigned)(c - '0');
    }
    if (port == 0 || port > 65535)
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "URL \"%s\": invalid port", q.s);
    out->port = port;
  }
  const char *rest = auth + auth_len;
  size_t rest_len = strcspn(rest, "#");
  bool need_slash = rest_len == 0 || rest[0] != '/';
  out->host = nv_reg_dup_range(auth, host_len);
  out->path = malloc(rest_len + 2);
  if (out->host == NULL || out->path == NULL) {
    nv_reg_url_free(out);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < host_len; i++)
    out->host[i] = lower(out->host[i]);
  snprintf(out->path, rest_len + 2, "%s%.*s", need_slash ? "/" : "", (int)rest_len, rest);
  return NV_OK;
}

/* "scheme://host[:port]" + path into a new string. */
static char *format_url(const nv_reg_url *u, const char *path, size_t path_len)
{
  char port[8] = "";
  if (u->port != (u->https ? 443u : 80u))
    snprintf(port, sizeof(port), ":%u", u->port);
  size_t n = strlen(u->host) + strlen(port) + path_len + 16;
  char *s = malloc(n);
  if (s != NULL)
    snprintf(s, n, "%s://%s%s%.*s", u->https ? "https" : "http", u->host, port, (int)path_len,
             path);
  return s;
}

/* RFC 3986 5.2.4 on the path part of `in` (up to '?'); the query is kept.
 * Returns a new string. */
static char *remove_dot_segments(const char *in)
{
  size_t qpos = strcspn(in, "?");
  size_t n = strlen(in);
  char *out = malloc(n + 2);
  if (out == NULL)
    return NULL;
  size_t olen = 0;
  size_t i = 0;
  while (i < qpos) {
    const char *p = in + i;
    size_t left = qpos - i;
    if (left >= 3 && memcmp(p, "../", 3) == 0) {
      i += 3;
    } else if (left >= 2 && memcmp(p, "./", 2) == 0) {
      i += 2;
    } else if (left >= 3 && memcmp(p, "/./", 3) == 0) {
      i += 2;
    } else if (left == 2 && memcmp(p, "/.", 2) == 0) {
      out[olen++] = '/';
      i += 2;
    } else if ((left >= 4 && memcmp(p, "/../", 4) == 0) || (left == 3 && memcmp(p, "/..", 3) == 0)) {
      while (olen > 0 && out[olen - 1] != '/')
        olen--;
      if (olen > 0)
        olen--;
      if (left == 3) {
        out[olen++] = '/';
        i += 3;
      } else {
        i += 3; /* leaves "/" at the front of the input */
      }
    } else if ((left == 1 && p[0] == '.') || (left == 2 && memcmp(p, "..", 2) == 0)) {
      i += left;
    } else {
      size_t seg = 1;
      while (seg < left && p[seg] != '/')
        seg++;
      if (p[0] != '/') {
        seg = 0;
        while (seg < left && p[seg] != '/')
          seg++;
      }
      memcpy(out + olen, p, seg);
      olen += seg;
      i += seg;
    }
  }
  memcpy(out + olen, in + qpos, n - qpos);
  olen += n - qpos;
  out[olen] = '\0';
  return out;
}

static bool has_scheme(const char *s)
{
  if (!is_alpha(s[0]))
    return false;
  size_t i = 1;
  while (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
    i++;
  return s[i] == ':';
}

nv_status nv_reg_url_resolve(const char *base, const char *ref, char **out, nv_diag *d)
{
  *out = NULL;
  nv_reg_url b;
  nv_status rc = nv_reg_url_parse(base, &b, d);
  if (rc != NV_OK)
    return rc;
  size_t rlen = strnlen(ref, NV_REG_URL_MAX_BYTES + 1);
  if (rlen > NV_REG_URL_MAX_BYTES) {
    nv_reg_url_free(&b);
    return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "URL reference longer than %d bytes",
                       NV_REG_URL_MAX_BYTES);
  }
  rlen = strcspn(ref, "#");
  char *joined = NULL;
  if (has_scheme(ref) || (rlen >= 2 && ref[0] == '/' && ref[1] == '/')) {
    size_t n = rlen + 8;
    joined = malloc(n);
    if (joined != NULL)
      snprintf(joined, n, "%s%.*s", has_scheme(ref) ? "" : (b.https ? "https:" : "http:"),
               (int)rlen, ref);
    nv_reg_url_free(&b);
    if (joined == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory");
    nv_reg_url u;
    rc = nv_reg_url_parse(joined, &u, d);
    free(joined);
    if (rc != NV_OK)
      return rc;
    char *path = remove_dot_segments(u.path);
    *out = path != NULL ? format_url(&u, path, strlen(path)) : NULL;
    free(path);
    nv_reg_url_free(&u);
    return *out != NULL ? NV_OK : nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  /* a reference relative to the base's path */
  size_t bq = strcspn(b.path, "?");
  size_t prefix = 0; /* how much of the base path precedes ref */
  if (rlen == 0)
    prefix = strlen(b.path);
  else if (ref[0] == '/')
    prefix = 0;
  else if (ref[0] == '?')
    prefix = bq;
  else {
    prefix = bq;
    while (prefix > 0 && b.path[prefix - 1] != '/')
      prefix--;
  }
  size_t n = prefix + rlen + 1;
  joined = malloc(n);
  if (joined == NULL) {
    nv_reg_url_free(&b);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  memcpy(joined, b.path, prefix);
  memcpy(joined + prefix, ref, rlen);
  joined[prefix + rlen] = '\0';
  char *path = remove_dot_segments(joined);
  free(joined);
  char *abs = path != NULL ? format_url(&b, path, strlen(path)) : NULL;
  free(path);
  nv_reg_url_free(&b);
  if (abs == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  nv_reg_url check;
  rc = nv_reg_url_parse(abs, &check, d);
  nv_reg_url_free(&check);
  if (rc != NV_OK) {
    free(abs);
    return rc;
  }
  *out = abs;
  return NV_OK;
}

bool nv_reg_url_same_origin(const char *a, const char *b)
{
  nv_reg_url ua, ub;
  if (nv_reg_url_parse(a, &ua, NULL) != NV_OK)
    return false;
  if (nv_reg_url_parse(b, &ub, NULL) != NV_OK) {
    nv_reg_url_free(&ua);
    return false;
  }
  bool same = ua.https == ub.https && ua.port == ub.port && strcasecmp(ua.host, ub.host) == 0;
  nv_reg_url_free(&ua);
  nv_reg_url_free(&ub);
  return same;
}

nv_status nv_reg_url_escape(nv_buf *b, const char *s, nv_diag *d)
{
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
    char c = (char)*p;
    nv_status rc;
    if (is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      rc = nv_buf_append_byte(b, *p, d);
    } else {
      char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
      rc = nv_buf_append(b, e, 3, d);
    }
    if (rc != NV_OK)
      return rc;
  }
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* WWW-Authenticate                                                    */

static bool tchar(char c)
{
  return is_alpha(c) || is_digit(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static size_t token_len(const char *p)
{
  size_t n = 0;
  while (tchar(p[n]))
    n++;
  return n;
}

static bool token68_char(char c)
{
  return is_alpha(c) || is_digit(c) || (c != '\0' && strchr("-._~+/", c) != NULL);
}

static const char *skip_ows(const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* Blanks and empty list elements ("a, ,b"). */
static const char *skip_separators(const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == ',')
    p++;
  return p;
}

void nv_reg_challenges_init(nv_reg_challenges *c)
{
  memset(c, 0, sizeof(*c));
}

void nv_reg_challenges_free(nv_reg_challenges *c)
{
  if (c == NULL)
    return;
  for (size_t i = 0; i < c->count; i++) {
    nv_reg_challenge *ch = &c->items[i];
    free(ch->scheme);
    free(ch->realm);
    free(ch->service);
    free(ch->scope);
    free(ch->error);
  }
  memset(c, 0, sizeof(*c));
}

/* A quoted-string at *pp (on the opening quote): its unescaped content,
 * and *pp past the closing quote. NULL when malformed (*bad set) or out
 * of memory. */
static char *quoted_string(const char **pp, bool *bad)
{
  const char *p = *pp + 1;
  size_t cap = strlen(p) + 1;
  char *out = malloc(cap);
  if (out == NULL)
    return NULL;
  size_t n = 0;
  for (;;) {
    unsigned char c = (unsigned char)*p;
    if (c == '"')
      break;
    if (c == '\\') {
      p++;
      c = (unsigned char)*p;
    }
    if (c == '\0' || (c < 0x20 && c != '\t') || c == 0x7f) {
      free(out);
      *bad = true;
      return NULL;
    }
    out[n++] = (char)c;
    p++;
  }
  out[n] = '\0';
  *pp = p + 1;
  return out;
}

/* The next item after a ',' is a parameter ("name =") rather than a new
 * challenge. */
static bool param_follows(const char *p)
{
  size_t n = token_len(p);
  if (n == 0)
    return false;
  const char *q = skip_ows(p + n);
  if (*q != '=')
    return false;
  /* "scheme token68=" would be a new challenge whose token68 ends in '=';
   * a parameter's '=' is followed by a value */
  q = skip_ows(q + 1);
  return *q != '\0' && *q != ',' && *q != '=';
}

static nv_status store_param(nv_reg_challenge *ch, const char *name, size_t name_len,
                             char *value, nv_diag *d)
{
  char **slot = NULL;
  if (name_len == 5 && strncasecmp(name, "realm", 5) == 0)
    slot = &ch->realm;
  else if (name_len == 7 && strncasecmp(name, "service", 7) == 0)
    slot = &ch->service;
  else if (name_len == 5 && strncasecmp(name, "scope", 5) == 0)
    slot = &ch->scope;
  else if (name_len == 5 && strncasecmp(name, "error", 5) == 0)
    slot = &ch->error;
  if (slot == NULL) {
    free(value);
    return NV_OK;
  }
  if (*slot != NULL) {
    free(value);
    nv_quoted q = nv_quote(name, name_len);
    return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                       "WWW-Authenticate: parameter \"%s\" given twice in one challenge", q.s);
  }
  *slot = value;
  return NV_OK;
}

nv_status nv_reg_challenges_parse(const char *value, nv_reg_challenges *out, nv_diag *d)
{
  const char *p = value;
  for (;;) {
    p = skip_separators(p);
    if (*p == '\0')
      return NV_OK;
    size_t n = token_len(p);
    if (n == 0)
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                         "WWW-Authenticate: expected an authentication scheme at offset %zu",
                         (size_t)(p - value));
    if (out->count == NV_REG_MAX_CHALLENGES)
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                         "WWW-Authenticate: more than %d challenges", NV_REG_MAX_CHALLENGES);
    nv_reg_challenge *ch = &out->items[out->count];
    memset(ch, 0, sizeof(*ch));
    if ((ch->scheme = nv_reg_dup_range(p, n)) == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory");
    out->count++;
    p += n;
    if (*p != '\0' && *p != ' ' && *p != '\t' && *p != ',')
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                         "WWW-Authenticate: unexpected character after the scheme at offset %zu",
                         (size_t)(p - value));
    bool first = true;
    for (;;) {
      p = skip_ows(p);
      if (*p == '\0')
        break;
      if (*p == ',') {
        p = skip_separators(p);
        if (*p == '\0' || !param_follows(p))
          break; /* a new challenge */
      } else if (!first) {
        return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                           "WWW-Authenticate: expected ',' at offset %zu", (size_t)(p - value));
      }
      n = token_len(p);
      const char *q = skip_ows(p + n);
      if (first && *q != '=' ) {
        /* token68, then the end or the next challenge */
        size_t t = 0;
        while (token68_char(p[t]))
          t++;
        while (p[t] == '=')
          t++;
        q = skip_ows(p + t);
        if (t == 0 || (*q != '\0' && *q != ','))
          return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                             "WWW-Authenticate: malformed credentials at offset %zu",
                             (size_t)(p - value));
        p = q;
        first = false;
        break;
      }
      if (n == 0 || *q != '=')
        return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                           "WWW-Authenticate: expected a parameter at offset %zu",
                           (size_t)(p - value));
      const char *name = p;
      size_t name_len = n;
      q = skip_ows(q + 1);
      char *v;
      if (*q == '"') {
        bool bad = false;
        v = quoted_string(&q, &bad);
        if (v == NULL)
          return bad ? nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                                   "WWW-Authenticate: malformed quoted string at offset %zu",
                                   (size_t)(q - value))
                     : nv_diag_set(d, NV_E_NOMEM, "out of memory");
      } else {
        size_t vn = token_len(q);
        if (vn == 0) {
          if (first && (*q == '\0' || *q == ',' || *q == '=')) {
            /* "scheme abc=" is a token68 with padding */
            while (*q == '=')
              q++;
            p = skip_ows(q);
            if (*p != '\0' && *p != ',')
              return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                                 "WWW-Authenticate: malformed credentials at offset %zu",
                                 (size_t)(p - value));
            first = false;
            break;
          }
          return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                             "WWW-Authenticate: parameter without a value at offset %zu",
                             (size_t)(q - value));
        }
        if ((v = nv_reg_dup_range(q, vn)) == NULL)
          return nv_diag_set(d, NV_E_NOMEM, "out of memory");
        q += vn;
      }
      nv_status rc = store_param(ch, name, name_len, v, d);
      if (rc != NV_OK)
        return rc;
      p = q;
      first = false;
    }
  }
}

const nv_reg_challenge *nv_reg_challenges_find(const nv_reg_challenges *c, const char *scheme)
{
  for (size_t i = 0; i < c->count; i++)
    if (strcasecmp(c->items[i].scheme, scheme) == 0)
      return &c->items[i];
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Link                                                                */

/* The relation types (space separated) include "next". */
static bool rel_has_next(const char *v, size_t len)
{
  size_t i = 0;
  while (i < len) {
    while (i < len && (v[i] == ' ' || v[i] == '\t'))
      i++;
    size_t s = i;
    while (i < len && v[i] != ' ' && v[i] != '\t')
      i++;
    if (i - s == 4 && strncasecmp(v + s, "next", 4) == 0)
      return true;
  }
  return false;
}

nv_status nv_reg_link_next(const char *value, char **out, nv_diag *d)
{
  *out = NULL;
  const char *p = value;
  for (;;) {
    p = skip_separators(p);
    if (*p == '\0')
      return NV_OK;
    if (*p != '<')
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "Link: expected '<' at offset %zu",
                         (size_t)(p - value));
    const char *target = p + 1;
    const char *gt = strchr(target, '>');
    if (gt == NULL)
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "Link: unterminated <URI>");
    size_t target_len = (size_t)(gt - target);
    for (size_t i = 0; i < target_len; i++)
      if ((unsigned char)target[i] <= 0x20 || (unsigned char)target[i] >= 0x7f ||
          target[i] == '<')
        return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "Link: invalid character in <URI>");
    p = gt + 1;
    bool next = false;
    for (;;) {
      p = skip_ows(p);
      if (*p == '\0' || *p == ',')
        break;
      if (*p != ';')
        return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "Link: expected ';' at offset %zu",
                           (size_t)(p - value));
      p = skip_ows(p + 1);
      size_t n = token_len(p);
      if (n == 0)
        return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                           "Link: expected a parameter name at offset %zu", (size_t)(p - value));
      const char *name = p;
      p = skip_ows(p + n);
      if (*p != '=')
        continue; /* a parameter without a value */
      p = skip_ows(p + 1);
      const char *v;
      size_t vn;
      char *unq = NULL;
      if (*p == '"') {
        bool bad = false;
        unq = quoted_string(&p, &bad);
        if (unq == NULL)
          return bad ? nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "Link: malformed quoted string")
                     : nv_diag_set(d, NV_E_NOMEM, "out of memory");
        v = unq;
        vn = strlen(unq);
      } else {
        vn = token_len(p);
        if (vn == 0) {
          return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                             "Link: parameter without a value at offset %zu",
                             (size_t)(p - value));
        }
        v = p;
        p += vn;
      }
      if (n == 3 && strncasecmp(name, "rel", 3) == 0 && rel_has_next(v, vn))
        next = true;
      free(unq);
    }
    if (next) {
      if ((*out = nv_reg_dup_range(target, target_len)) == NULL)
        return nv_diag_set(d, NV_E_NOMEM, "out of memory");
      return NV_OK;
    }
  }
}

/* ------------------------------------------------------------------ */
/* media types, lists, error bodies                                    */

void nv_reg_media_type(const char *value, char *buf, size_t size)
{
  if (size == 0)
    return;
  buf[0] = '\0';
  if (value == NULL)
    return;
  const char *p = skip_ows(value);
  size_t n = strcspn(p, ";");
  while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
    n--;
  if (n >= size)
    n = size - 1;
  for (size_t i = 0; i < n; i++)
    buf[i] = lower(p[i]);
  buf[n] = '\0';
}

bool nv_reg_list_has(const char *value, const char *item)
{
  if (value == NULL)
    return false;
  size_t ilen = strlen(item);
  const char *p = value;
  while (*p != '\0') {
    p = skip_ows(p);
    size_t n = strcspn(p, ",");
    size_t m = n;
    while (m > 0 && (p[m - 1] == ' ' || p[m - 1] == '\t'))
      m--;
    if (m == ilen && memcmp(p, item, ilen) == 0)
      return true;
    p += n;
    if (*p == ',')
      p++;
  }
  return false;
}

static void copy_printable(const char *s, char *buf, size_t size)
{
  if (size == 0)
    return;
  size_t n = 0;
  if (s != NULL)
    for (; s[n] != '\0' && n + 1 < size; n++)
      buf[n] = ((unsigned char)s[n] >= 0x20 && (unsigned char)s[n] < 0x7f && s[n] != '"')
                   ? s[n]
                   : '?';
  buf[n] = '\0';
}

void nv_reg_error_body(const void *body, size_t len, char *code, size_t code_size,
                       char *message, size_t message_size)
{
  copy_printable(NULL, code, code_size);
  copy_printable(NULL, message, message_size);
  if (body == NULL || len == 0)
    return;
  nv_json *root = NULL;
  if (nv_json_parse(body, len, len, "registry error", &root, NULL) != NV_OK)
    return;
  const nv_json *errors = nv_json_member(root, "errors");
  const nv_json *first = nv_json_type_of(errors) == NV_JSON_ARRAY ? nv_json_at(errors, 0) : NULL;
  if (nv_json_type_of(first) == NV_JSON_OBJECT) {
    copy_printable(nv_json_string(nv_json_member(first, "code")), code, code_size);
    copy_printable(nv_json_string(nv_json_member(first, "message")), message, message_size);
  }
  nv_json_free(root);
}
