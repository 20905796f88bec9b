/* The registry client: settings, authentication, redirects (see
 * nv_reg_client.h). */
#include "registry/nv_reg_client.h"

#include <notaryc/nv_version.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/nv_base64.h"
#include "base/nv_buf.h"
#include "base/nv_json.h"
#include "registry/nv_reg_headers.h"
#include "registry/nv_reg_ref.h"
#include "registry/nv_reg_util.h"

#define COMPONENT "registry"

/* A setting for one registry; -1 leaves the every-registry setting. */
typedef struct rule {
  char *registry;
  int8_t plain_http;
  int8_t skip_verify;
  nv_credential cred;
} rule;

typedef enum auth_scheme { AUTH_UNKNOWN = 0, AUTH_NONE, AUTH_BASIC, AUTH_BEARER } auth_scheme;

typedef struct host_state {
  char *registry;
  auth_scheme scheme;
  nv_reg_referrers_state referrers;
} host_state;

struct nv_reg_client {
  nv_reg_http *http;
  bool plain_all;
  bool skip_all;
  rule *rules;
  size_t rule_count;
  char *ca_file;
  char *proxy;
  bool proxy_set;
  char *user_agent;
  uint32_t timeout_ms;
  nv_credential_cb cred_cb;
  void *cred_user;
  char *docker_config; /* NULL: off; "": default location */
  nv_referrers_mode mode;
  nv_http_fetch_cb fetch_cb;
  void *fetch_user;
  nv_reg_token_cache tokens;
  host_state hosts[NV_REG_MAX_HOSTS];
  size_t host_count;
  int64_t deadline_ms;
  int64_t (*now)(void);
};

nv_status nv_reg_client_new(nv_reg_client **out, nv_diag *d)
{
  *out = NULL;
  nv_reg_client *c = calloc(1, sizeof(*c));
  if (c == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  nv_status rc = nv_reg_http_new(&c->http, d);
  if (rc != NV_OK) {
    free(c);
    return rc;
  }
  c->timeout_ms = NV_REGISTRY_DEFAULT_TIMEOUT_MS;
  c->now = nv_reg_now_ms;
  nv_reg_token_cache_init(&c->tokens);
  c->deadline_ms = c->now() + c->timeout_ms;
  *out = c;
  return NV_OK;
}

void nv_reg_client_free(nv_reg_client *c)
{
  if (c == NULL)
    return;
  nv_reg_http_free(c->http);
  for (size_t i = 0; i < c->rule_count; i++) {
    free(c->rules[i].registry);
    nv_reg_cred_clear(&c->rules[i].cred);
  }
  free(c->rules);
  free(c->ca_file);
  free(c->proxy);
  free(c->user_agent);
  free(c->docker_config);
  nv_reg_token_cache_free(&c->tokens);
  for (size_t i = 0; i < c->host_count; i++)
    free(c->hosts[i].registry);
  free(c);
}

/* ------------------------------------------------------------------ */
/* settings                                                            */

static nv_status bad_registry(const char *registry, nv_diag *d)
{
  nv_quoted q = nv_quote(registry, strlen(registry));
  return nv_diag_set(d, NV_E_INVALID_ARG,
                     "\"%s\" is not a registry name (host or host:port, as in references)", q.s);
}

static rule *find_rule(const nv_reg_client *c, const char *registry)
{
  for (size_t i = 0; i < c->rule_count; i++)
    if (strcasecmp(c->rules[i].registry, registry) == 0)
      return &c->rules[i];
  return NULL;
}

static nv_status get_rule(nv_reg_client *c, const char *registry, rule **out, nv_diag *d)
{
  if (!nv_reg_registry_valid(registry))
    return bad_registry(registry, d);
  if ((*out = find_rule(c, registry)) != NULL)
    return NV_OK;
  if (c->rule_count == NV_REG_MAX_RULES)
    return nv_diag_set(d, NV_E_LIMIT, "more than %d registries configured", NV_REG_MAX_RULES);
  rule *grown = realloc(c->rules, (c->rule_count + 1) * sizeof(*grown));
  if (grown == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  c->rules = grown;
  rule *r = &c->rules[c->rule_count];
  memset(r, 0, sizeof(*r));
  if ((r->registry = strdup(registry)) == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  r->plain_http = -1;
  r->skip_verify = -1;
  c->rule_count++;
  *out = r;
  return NV_OK;
}

/* A transport switch for one registry, or (NULL) for every registry
 * without a setting of its own. */
static nv_status set_switch(nv_reg_client *c, const char *registry, bool enable, bool *all,
                            size_t rule_field, nv_diag *d)
{
  if (registry == NULL) {
    *all = enable;
    return NV_OK;
  }
  rule *r = NULL;
  nv_status rc = get_rule(c, registry, &r, d);
  if (rc == NV_OK)
    *(int8_t *)((char *)r + rule_field) = enable ? 1 : 0;
  return rc;
}

nv_status nv_reg_client_set_plain_http(nv_reg_client *c, const char *registry, bool enable,
                                       nv_diag *d)
{
  return set_switch(c, registry, enable, &c->plain_all, offsetof(rule, plain_http), d);
}

nv_status nv_reg_client_set_skip_tls_verify(nv_reg_client *c, const char *registry, bool enable,
                                            nv_diag *d)
{
  return set_switch(c, registry, enable, &c->skip_all, offsetof(rule, skip_verify), d);
}

static nv_status replace_string(char **slot, const char *value, nv_diag *d)
{
  char *copy = NULL;
  if (value != NULL && (copy = strdup(value)) == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  free(*slot);
  *slot = copy;
  return NV_OK;
}

static bool printable_ascii(const char *s, size_t max, bool allow_empty)
{
  size_t n = strnlen(s, max + 1);
  if (n > max || (n == 0 && !allow_empty))
    return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
      return false;
  return true;
}

nv_status nv_reg_client_set_ca_file(nv_reg_client *c, const char *path, nv_diag *d)
{
  if (path != NULL && (path[0] == '\0' || strlen(path) >= 4096))
    return nv_diag_set(d, NV_E_INVALID_ARG, "the CA file path is empty or too long");
  return replace_string(&c->ca_file, path, d);
}

nv_status nv_reg_client_set_proxy(nv_reg_client *c, const char *proxy, nv_diag *d)
{
  if (proxy != NULL && !printable_ascii(proxy, 2048, true))
    return nv_diag_set(d, NV_E_INVALID_ARG, "the proxy must be printable ASCII");
  nv_status rc = replace_string(&c->proxy, proxy, d);
  if (rc == NV_OK)
    c->proxy_set = proxy != NULL;
  return rc;
}

nv_status nv_reg_client_set_timeout_ms(nv_reg_client *c, uint32_t ms, nv_diag *d)
{
  if (ms == 0 || ms > 3600000u)
    return nv_diag_set(d, NV_E_INVALID_ARG,
                       "registry time-out %u ms is outside 1 .. 3600000 ms", (unsigned)ms);
  c->timeout_ms = ms;
  return NV_OK;
}

nv_status nv_reg_client_set_user_agent(nv_reg_client *c, const char *ua, nv_diag *d)
{
  if (ua != NULL && !printable_ascii(ua, NV_REG_USER_AGENT_MAX, false))
    return nv_diag_set(d, NV_E_INVALID_ARG,
                       "the user agent must be 1 .. %d bytes of printable ASCII",
                       NV_REG_USER_AGENT_MAX);
  return replace_string(&c->user_agent, ua, d);
}

nv_status nv_reg_client_set_credential(nv_reg_client *c, const char *registry,
                                       const nv_credential *cred, nv_diag *d)
{
  if (registry == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG,
                       "credentials need a registry: they are never sent to every registry");
  rule *r = NULL;
  if (cred == NULL || cred->kind == NV_REG_CRED_NONE) {
    if (!nv_reg_registry_valid(registry))
      return bad_registry(registry, d);
    r = find_rule(c, registry);
    if (r != NULL)
      nv_reg_cred_clear(&r->cred);
  } else {
    nv_status rc = get_rule(c, registry, &r, d);
    if (rc != NV_OK)
      return rc;
    rc = nv_reg_cred_copy(&r->cred, cred);
    if (rc != NV_OK)
      return nv_diag_set(d, rc, rc == NV_E_NOMEM ? "out of memory" : "invalid credentials");
  }
  /* tokens obtained with other credentials are not reused */
  for (size_t i = c->tokens.count; i-- > 0;)
    if (strcasecmp(c->tokens.entries[i].registry, registry) == 0)
      nv_reg_token_cache_drop(&c->tokens, registry, c->tokens.entries[i].scope);
  return NV_OK;
}

void nv_reg_client_set_credential_cb(nv_reg_client *c, nv_credential_cb cb, void *user_data)
{
  c->cred_cb = cb;
  c->cred_user = cb != NULL ? user_data : NULL;
}

nv_status nv_reg_client_set_docker_config(nv_reg_client *c, const char *path, nv_diag *d)
{
  if (path != NULL && strlen(path) >= 4096)
    return nv_diag_set(d, NV_E_INVALID_ARG, "the docker config path is too long");
  return replace_string(&c->docker_config, path, d);
}

void nv_reg_client_set_referrers_mode(nv_reg_client *c, nv_referrers_mode mode)
{
  c->mode = mode;
}

nv_referrers_mode nv_reg_client_referrers_mode(const nv_reg_client *c)
{
  return c->mode;
}

void nv_reg_client_set_fetch_cb(nv_reg_client *c, nv_http_fetch_cb cb, void *user_data)
{
  c->fetch_cb = cb;
  c->fetch_user = cb != NULL ? user_data : NULL;
}

void nv_reg_client_begin(nv_reg_client *c)
{
  c->deadline_ms = c->now() + c->timeout_ms;
}

void nv_reg_client_set_clock(nv_reg_client *c, int64_t (*now_ms)(void))
{
  c->now = now_ms != NULL ? now_ms : nv_reg_now_ms;
}

/* ------------------------------------------------------------------ */
/* what the client remembers per registry                              */

static host_state *host(nv_reg_client *c, const char *registry)
{
  for (size_t i = 0; i < c->host_count; i++)
    if (strcasecmp(c->hosts[i].registry, registry) == 0)
      return &c->hosts[i];
  char *copy = strdup(registry);
  if (copy == NULL)
    return NULL;
  if (c->host_count == NV_REG_MAX_HOSTS) {
    free(c->hosts[0].registry);
    memmove(&c->hosts[0], &c->hosts[1], (NV_REG_MAX_HOSTS - 1) * sizeof(c->hosts[0]));
    c->host_count--;
  }
  host_state *h = &c->hosts[c->host_count++];
  memset(h, 0, sizeof(*h));
  h->registry = copy;
  return h;
}

nv_reg_referrers_state nv_reg_client_referrers_state(nv_reg_client *c, const char *registry)
{
  host_state *h = host(c, registry);
  return h != NULL ? h->referrers : NV_REG_REFERRERS_UNKNOWN;
}

void nv_reg_client_remember_referrers(nv_reg_client *c, const char *registry,
                                      nv_reg_referrers_state state)
{
  host_state *h = host(c, registry);
  if (h != NULL)
    h->referrers = state;
}

/* ------------------------------------------------------------------ */
/* repositories                                                        */

static bool plain_for(const nv_reg_client *c, const char *registry)
{
  const rule *r = find_rule(c, registry);
  return r != NULL && r->plain_http >= 0 ? r->plain_http == 1 : c->plain_all;
}

static bool skip_for(const nv_reg_client *c, const char *registry)
{
  const rule *r = find_rule(c, registry);
  return r != NULL && r->skip_verify >= 0 ? r->skip_verify == 1 : c->skip_all;
}

nv_status nv_reg_repo_open(nv_reg_client *c, const char *registry, const char *repository,
                           nv_reg_repo *out, nv_diag *d)
{
  memset(out, 0, sizeof(*out));
  if (!nv_reg_registry_valid(registry))
    return bad_registry(registry, d);
  out->client = c;
  out->plain_http = plain_for(c, registry);
  out->verify_tls = !skip_for(c, registry);
  const char *api = nv_reg_api_host(registry);
  size_t on = strlen(api) + 16;
  size_t sn = strlen(repository) + 32;
  out->registry = strdup(registry);
  out->repository = strdup(repository);
  out->origin = malloc(on);
  out->scope = malloc(sn);
  if (out->registry == NULL || out->repository == NULL || out->origin == NULL ||
      out->scope == NULL) {
    nv_reg_repo_close(out);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  snprintf(out->origin, on, "%s://%s", out->plain_http ? "http" : "https", api);
  snprintf(out->scope, sn, "repository:%s:pull", repository);
  const rule *r = find_rule(c, registry);
  if (r != NULL && r->cred.kind != NV_REG_CRED_NONE) {
    if (nv_reg_cred_copy(&out->cred, &r->cred) != NV_OK) {
      nv_reg_repo_close(out);
      return nv_diag_set(d, NV_E_NOMEM, "out of memory");
    }
    out->cred_resolved = true;
  }
  if (out->plain_http)
    nv_log(d, NV_LOG_WARN, COMPONENT,
           "registry %s is reached over plain HTTP: anyone on the network path can read and "
           "change the traffic",
           registry);
  if (!out->verify_tls && !out->plain_http)
    nv_log(d, NV_LOG_WARN, COMPONENT,
           "the TLS certificate of registry %s is not verified: anyone on the network path can "
           "impersonate it",
           registry);
  return NV_OK;
}

void nv_reg_repo_close(nv_reg_repo *r)
{
  if (r == NULL)
    return;
  free(r->registry);
  free(r->repository);
  free(r->origin);
  free(r->scope);
  nv_reg_cred_clear(&r->cred);
  memset(r, 0, sizeof(*r));
}

char *nv_reg_repo_url(const nv_reg_repo *r, const char *kind, const char *reference)
{
  size_t n = strlen(r->origin) + strlen(r->repository) + strlen(kind) + strlen(reference) + 8;
  char *url = malloc(n);
  if (url != NULL)
    snprintf(url, n, "%s/v2/%s/%s/%s", r->origin, r->repository, kind, reference);
  return url;
}

/* ------------------------------------------------------------------ */
/* sending, with redirects                                             */

/* The registry name ("host" or "host:port") of an absolute URL, for the
 * per-registry TLS setting of hosts reached through redirects. */
static bool url_verify_tls(const nv_reg_client *c, const nv_reg_repo *r, const char *url)
{
  nv_reg_url u;
  if (nv_reg_url_parse(url, &u, NULL) != NV_OK)
    return true;
  char name[300];
  if (u.port == (u.https ? 443u : 80u))
    snprintf(name, sizeof(name), "%s", u.host);
  else
    snprintf(name, sizeof(name), "%s:%u", u.host, u.port);
  nv_reg_url_free(&u);
  if (nv_reg_url_same_origin(url, r->origin))
    return r->verify_tls;
  return !skip_for(c, name);
}

typedef struct send_args {
  const char *method;
  const char *url;
  const char *accept;
  const char *content_type;
  const char *auth;        /* Authorization value, or NULL */
  const char *auth_origin; /* the only origin that gets it */
  const uint8_t *body;
  size_t body_len;
  size_t max_bytes;
} send_args;

static nv_status time_left(nv_reg_client *c, uint32_t *ms, nv_diag *d)
{
  int64_t left = c->deadline_ms - c->now();
  if (left <= 0)
    return nv_diag_set(d, NV_E_TIMEOUT,
                       "the registry time-out of %u ms ran out (nv_registry_set_timeout_ms)",
                       (unsigned)c->timeout_ms);
  *ms = left > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)left;
  return NV_OK;
}

static bool is_redirect(int32_t status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* Send, following redirects; *at_registry (may be NULL) tells whether the
 * final response came from the registry's own origin. */
static nv_status send_follow(nv_reg_repo *r, const send_args *a, nv_http_response *resp,
                             bool *at_registry, nv_diag *d)
{
  nv_reg_client *c = r->client;
  char *cur = strdup(a->url);
  if (cur == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  nv_reg_http_config cfg = {c->ca_file, c->proxy_set ? c->proxy : NULL, c->fetch_cb,
                            c->fetch_user};
  char ua[NV_REG_USER_AGENT_MAX + 1];
  snprintf(ua, sizeof(ua), "%s",
           c->user_agent != NULL ? c->user_agent : "libnotaryc/" NV_VERSION_STRING);
  nv_status rc = NV_OK;
  for (int hop = 0;; hop++) {
    nv_http_request req;
    uint32_t left = 0;
    if ((rc = time_left(c, &left, d)) != NV_OK)
      break;
    if ((rc = nv_reg_http_request_init(&req, a->method, cur, a->max_bytes, d)) != NV_OK)
      break;
    req.timeout_ms = left;
    req.verify_tls = url_verify_tls(c, r, cur);
    req.body = a->body;
    req.body_len = a->body_len;
    rc = nv_reg_http_request_add_header(&req, "Accept", a->accept, d);
    if (rc == NV_OK)
      rc = nv_reg_http_request_add_header(&req, "User-Agent", ua, d);
    if (rc == NV_OK && a->content_type != NULL)
      rc = nv_reg_http_request_add_header(&req, "Content-Type", a->content_type, d);
    bool with_auth = a->auth != NULL && nv_reg_url_same_origin(cur, a->auth_origin);
    if (rc == NV_OK && with_auth)
      rc = nv_reg_http_request_add_header(&req, "Authorization", a->auth, d);
    if (rc == NV_OK) {
      r->requests++;
      rc = nv_reg_http_send(c->http, &cfg, &req, resp, d);
    }
    nv_reg_http_request_free(&req);
    if (rc != NV_OK || !is_redirect(resp->status))
      break;
    const char *loc = nv_reg_http_response_header(resp, "Location", 0);
    if (loc == NULL)
      break; /* no target: the 3xx is the answer */
    nv_quoted from = nv_quote(cur, strcspn(cur, "?"));
    if (strcmp(a->method, "GET") != 0) {
      rc = nv_diag_set(d, NV_E_REDIRECT_REFUSED,
                       "%s \"%s\" was redirected; a request with a body is not redirected",
                       a->method, from.s);
      break;
    }
    if (hop == NV_REG_MAX_REDIRECTS) {
      rc = nv_diag_set(d, NV_E_REDIRECT_REFUSED, "\"%s\": more than %d redirects", from.s,
                       NV_REG_MAX_REDIRECTS);
      break;
    }
    char *next = NULL;
    if ((rc = nv_reg_url_resolve(cur, loc, &next, d)) != NV_OK) {
      if (rc != NV_E_NOMEM)
        rc = nv_diag_wrap(d, NV_E_REDIRECT_REFUSED, "redirect from \"%s\" refused: ", from.s);
      break;
    }
    if (strncmp(cur, "https:", 6) == 0 && strncmp(next, "http:", 5) == 0) {
      nv_quoted to = nv_quote(next, strcspn(next, "?"));
      free(next);
      rc = nv_diag_set(d, NV_E_REDIRECT_REFUSED,
                       "redirect from \"%s\" to plain HTTP \"%s\" refused", from.s, to.s);
      break;
    }
    if (a->auth != NULL && !nv_reg_url_same_origin(next, a->auth_origin)) {
      nv_quoted to = nv_quote(next, strcspn(next, "?"));
      nv_log(d, NV_LOG_DEBUG, COMPONENT,
             "redirected to another host (\"%s\"); the credentials are not sent there", to.s);
    }
    free(cur);
    cur = next;
  }
  if (at_registry != NULL)
    *at_registry = nv_reg_url_same_origin(cur, r->origin);
  free(cur);
  return rc;
}

/* ------------------------------------------------------------------ */
/* authentication                                                      */

/* "Basic base64(user:password)" or "Bearer <token>" into a new string. */
static nv_status auth_value(const char *scheme, const char *user, const char *secret, char **out,
                            nv_diag *d)
{
  *out = NULL;
  nv_buf plain, enc;
  nv_buf_init(&plain, NV_REG_CRED_MAX_USERNAME + NV_REG_CRED_MAX_SECRET + 2);
  nv_buf_init(&enc, 2 * (NV_REG_CRED_MAX_USERNAME + NV_REG_CRED_MAX_SECRET) + 64);
  nv_status rc = nv_buf_append_str(&enc, scheme, d);
  if (rc == NV_OK)
    rc = nv_buf_append_byte(&enc, ' ', d);
  if (user != NULL) {
    if (rc == NV_OK)
      rc = nv_buf_append_str(&plain, user, d);
    if (rc == NV_OK)
      rc = nv_buf_append_byte(&plain, ':', d);
    if (rc == NV_OK)
      rc = nv_buf_append_str(&plain, secret, d);
    if (rc == NV_OK)
      rc = nv_base64_encode(plain.data, plain.len, &enc, d);
  } else if (rc == NV_OK) {
    rc = nv_buf_append_str(&enc, secret, d);
  }
  if (rc == NV_OK)
    rc = nv_buf_terminate(&enc, d);
  nv_buf_free_secure(&plain);
  if (rc != NV_OK) {
    nv_buf_free_secure(&enc);
    return nv_diag_set(d, rc == NV_E_NOMEM ? rc : NV_E_CREDENTIALS,
                       "could not build the Authorization header");
  }
  *out = (char *)nv_buf_detach(&enc, NULL);
  return NV_OK;
}

static const char *cred_source_name(nv_reg_cred_kind k)
{
  switch (k) {
  case NV_REG_CRED_BASIC:
    return "a username and password";
  case NV_REG_CRED_IDENTITY_TOKEN:
    return "an identity token";
  case NV_REG_CRED_ACCESS_TOKEN:
    return "an access token";
  case NV_REG_CRED_NONE:
  default:
    return "no credentials";
  }
}

static nv_status creds_from_docker_config(nv_reg_repo *r, nv_diag *d)
{
  nv_reg_client *c = r->client;
  uint8_t *data = NULL;
  size_t len = 0;
  nv_status rc = nv_reg_docker_config_read(c->docker_config, &data, &len, d);
  if (rc == NV_E_NOT_FOUND) {
    nv_log(d, NV_LOG_DEBUG, COMPONENT, "%s", d != NULL ? d->msg : "no docker config");
    if (d != NULL)
      nv_diag_clear(d);
    return NV_OK;
  }
  if (rc != NV_OK)
    return rc;
  nv_credential from_auths;
  nv_reg_cred_init(&from_auths);
  char *helper = NULL;
  rc = nv_reg_docker_config_lookup(data, len, r->registry, &from_auths, &helper, d);
  free(data);
  if (rc != NV_OK)
    return nv_diag_wrap(d, rc, "docker config: ");
  if (helper != NULL) {
    uint32_t left = 0;
    rc = time_left(c, &left, d);
    if (rc == NV_OK)
      rc = nv_reg_cred_helper_get(helper, nv_reg_docker_server(r->registry), left, &r->cred, d);
    if (rc == NV_OK && r->cred.kind != NV_REG_CRED_NONE)
      nv_log(d, NV_LOG_INFO, COMPONENT, "credentials for %s: %s from docker-credential-%s",
             r->registry, cred_source_name(r->cred.kind), helper);
    free(helper);
  }
  if (rc == NV_OK && r->cred.kind == NV_REG_CRED_NONE && from_auths.kind != NV_REG_CRED_NONE) {
    rc = nv_reg_cred_copy(&r->cred, &from_auths);
    if (rc == NV_OK)
      nv_log(d, NV_LOG_INFO, COMPONENT, "credentials for %s: %s from the docker config",
             r->registry, cred_source_name(r->cred.kind));
    else
      rc = nv_diag_set(d, rc, "out of memory");
  }
  nv_reg_cred_clear(&from_auths);
  return rc;
}

/* The credentials of the repository's registry, looked for once: set
 * explicitly (done at open), the callback, the docker config. */
static nv_status resolve_creds(nv_reg_repo *r, nv_diag *d)
{
  if (r->cred_resolved)
    return NV_OK;
  r->cred_resolved = true;
  nv_reg_client *c = r->client;
  if (c->cred_cb != NULL) {
    nv_credential tmp;
    nv_reg_cred_init(&tmp);
    nv_status rc = c->cred_cb(&tmp, r->registry, c->cred_user);
    if (rc == NV_OK && tmp.kind != NV_REG_CRED_NONE) {
      nv_reg_cred_clear(&r->cred);
      r->cred = tmp;
      nv_log(d, NV_LOG_INFO, COMPONENT, "credentials for %s: %s from the credential callback",
             r->registry, cred_source_name(r->cred.kind));
      return NV_OK;
    }
    nv_reg_cred_clear(&tmp);
    if (rc != NV_OK && rc != NV_PASSTHROUGH)
      return nv_diag_set(d, NV_E_CREDENTIALS,
                         "the credential callback failed for registry %s with %s (%d)",
                         r->registry,
                         nv_status_name(rc) != NULL ? nv_status_name(rc) : "an unknown status",
                         (int)rc);
    if (rc == NV_OK)
      return NV_OK; /* answered: anonymous */
  }
  if (c->docker_config != NULL)
    return creds_from_docker_config(r, d);
  return NV_OK;
}

/* The token service's answer: "token" or "access_token", "expires_in". */
static nv_status read_token(const nv_http_response *resp, const char *realm, char **token,
                            int64_t *expires_in, nv_diag *d)
{
  *token = NULL;
  *expires_in = 0;
  nv_json *root = NULL;
  nv_quoted q = nv_quote(realm, strcspn(realm, "?"));
  if (nv_json_parse(resp->body.data, resp->body.len, NV_REG_TOKEN_RESPONSE_MAX_BYTES,
                    "token response", &root, NULL) != NV_OK ||
      nv_json_type_of(root) != NV_JSON_OBJECT) {
    nv_json_free(root);
    return nv_diag_set(d, NV_E_REGISTRY_AUTH,
                       "token service \"%s\" answered with something that is not a JSON object",
                       q.s);
  }
  const char *t = nv_json_string(nv_json_member(root, "token"));
  if (t == NULL || t[0] == '\0')
    t = nv_json_string(nv_json_member(root, "access_token"));
  double e = 0;
  if (nv_json_number(nv_json_member(root, "expires_in"), &e) && e > 0 && e < 1e9)
    *expires_in = (int64_t)e;
  nv_status rc = NV_OK;
  size_t tlen = t != NULL ? strnlen(t, NV_REG_CRED_MAX_SECRET + 1) : 0;
  bool ok = tlen > 0 && tlen <= NV_REG_CRED_MAX_SECRET;
  for (size_t i = 0; ok && i < tlen; i++)
    ok = (unsigned char)t[i] > 0x20 && (unsigned char)t[i] < 0x7f;
  if (!ok)
    rc = nv_diag_set(d, NV_E_REGISTRY_AUTH,
                     "token service \"%s\" answered without a usable \"token\"", q.s);
  else if ((*token = strdup(t)) == NULL)
    rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
  nv_json_free(root);
  return rc;
}

/* Whether `host` (as nv_reg_url_parse gives it) is the host part of the
 * registry name "host[:port]" ("[v6]:port" for IPv6). */
static bool registry_host_is(const char *registry, const char *host)
{
  size_t n = strlen(registry);
  if (registry[0] == '[') {
    const char *close = strchr(registry, ']');
    n = close != NULL ? (size_t)(close - registry) + 1 : n;
  } else {
    const char *colon = strrchr(registry, ':');
    n = colon != NULL ? (size_t)(colon - registry) : n;
  }
  return strlen(host) == n && strncasecmp(registry, host, n) == 0;
}

/* Obtain a Bearer token for the repository's scope from the challenge's
 * token service, and cache it. */
static nv_status fetch_token(nv_reg_repo *r, const nv_reg_challenge *ch, char **token,
                             nv_diag *d)
{
  *token = NULL;
  nv_reg_client *c = r->client;
  if (ch->realm == NULL || ch->realm[0] == '\0')
    return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                       "registry %s asked for a Bearer token without a realm", r->registry);
  nv_reg_url realm;
  nv_status rc = nv_reg_url_parse(ch->realm, &realm, d);
  if (rc != NV_OK)
    return nv_diag_wrap(d, rc, "registry %s: token realm: ", r->registry);
  /* credentials go over plain HTTP only to a plain-HTTP registry's own
   * host (its token service on another port, as in a local set-up) */
  bool realm_ok = realm.https || (r->plain_http && registry_host_is(r->registry, realm.host));
  nv_reg_url_free(&realm);
  nv_quoted rq = nv_quote(ch->realm, strcspn(ch->realm, "?"));
  nv_reg_cred_kind kind = r->cred.kind;
  if (!realm_ok && (kind == NV_REG_CRED_BASIC || kind == NV_REG_CRED_IDENTITY_TOKEN))
    return nv_diag_set(d, NV_E_REGISTRY_AUTH,
                       "registry %s names a plain-HTTP token service \"%s\": credentials are "
                       "not sent there",
                       r->registry, rq.s);
  nv_buf form;
  nv_buf_init(&form, NV_REG_URL_MAX_BYTES + 2 * NV_REG_CRED_MAX_SECRET);
  bool post = kind == NV_REG_CRED_IDENTITY_TOKEN;
  if (!post) {
    rc = nv_buf_append_str(&form, ch->realm, d);
    if (rc == NV_OK)
      rc = nv_buf_append_byte(&form, strchr(ch->realm, '?') != NULL ? '&' : '?', d);
  } else {
    rc = nv_buf_append_str(&form, "grant_type=refresh_token&client_id=notaryc&", d);
  }
  if (rc == NV_OK && ch->service != NULL) {
    rc = nv_buf_append_str(&form, "service=", d);
    if (rc == NV_OK)
      rc = nv_reg_url_escape(&form, ch->service, d);
    if (rc == NV_OK)
      rc = nv_buf_append_byte(&form, '&', d);
  }
  if (rc == NV_OK)
    rc = nv_buf_append_str(&form, "scope=", d);
  if (rc == NV_OK)
    rc = nv_reg_url_escape(&form, r->scope, d);
  if (rc == NV_OK && post) {
    rc = nv_buf_append_str(&form, "&refresh_token=", d);
    if (rc == NV_OK)
      rc = nv_reg_url_escape(&form, r->cred.secret, d);
  }
  if (rc == NV_OK)
    rc = nv_buf_terminate(&form, d);
  char *basic = NULL;
  if (rc == NV_OK && kind == NV_REG_CRED_BASIC)
    rc = auth_value("Basic", r->cred.username, r->cred.secret, &basic, d);
  if (rc != NV_OK) {
    nv_buf_free_secure(&form);
    return rc;
  }
  nv_http_response resp;
  nv_reg_http_response_init(&resp, NV_REG_TOKEN_RESPONSE_MAX_BYTES);
  send_args a = {post ? "POST" : "GET",
                 post ? ch->realm : (const char *)form.data,
                 "application/json",
                 post ? "application/x-www-form-urlencoded" : NULL,
                 basic,
                 ch->realm,
                 post ? form.data : NULL,
                 post ? form.len : 0,
                 NV_REG_TOKEN_RESPONSE_MAX_BYTES};
  rc = send_follow(r, &a, &resp, NULL, d);
  nv_reg_wipe_free(basic);
  nv_buf_free_secure(&form);
  if (rc == NV_E_CONTENT_TOO_LARGE)
    rc = nv_diag_wrap(d, NV_E_REGISTRY_AUTH, "token service: ");
  if (rc == NV_OK && resp.status != 200) {
    if (resp.status == 401 || resp.status == 403)
      rc = kind == NV_REG_CRED_NONE
               ? nv_diag_set(d, NV_E_REGISTRY_AUTH,
                             "token service \"%s\" of registry %s refused anonymous access "
                             "(HTTP %d): configure credentials for the registry",
                             rq.s, r->registry, (int)resp.status)
               : nv_diag_set(d, NV_E_REGISTRY_AUTH,
                             "token service \"%s\" of registry %s refused %s (HTTP %d)", rq.s,
                             r->registry, cred_source_name(kind), (int)resp.status);
    else
      rc = nv_diag_set(d, NV_E_REGISTRY_AUTH,
                       "token service \"%s\" of registry %s answered HTTP %d", rq.s, r->registry,
                       (int)resp.status);
  }
  int64_t expires_in = 0;
  if (rc == NV_OK)
    rc = read_token(&resp, ch->realm, token, &expires_in, d);
  nv_buf_free_secure(&resp.body);
  nv_reg_http_response_free(&resp);
  if (rc != NV_OK)
    return rc;
  int64_t now = c->now();
  rc = nv_reg_token_cache_put(&c->tokens, r->registry, r->scope, *token,
                              nv_reg_token_expiry_ms(now, expires_in), now, d);
  if (rc != NV_OK) {
    nv_reg_wipe_free(*token);
    *token = NULL;
    return rc;
  }
  nv_log(d, NV_LOG_DEBUG, COMPONENT, "obtained a token for %s %s (valid %lld s)", r->registry,
         r->scope, (long long)(expires_in > 0 ? expires_in : NV_REG_TOKEN_DEFAULT_LIFETIME_S));
  return NV_OK;
}

/* The Authorization value to send before any challenge, or NULL. */
static nv_status first_auth(nv_reg_repo *r, char **out, bool *cached_token, nv_diag *d)
{
  *out = NULL;
  *cached_token = false;
  nv_reg_client *c = r->client;
  if (r->cred.kind == NV_REG_CRED_ACCESS_TOKEN)
    return auth_value("Bearer", NULL, r->cred.secret, out, d);
  host_state *h = host(c, r->registry);
  if (h == NULL)
    return NV_OK;
  if (h->scheme == AUTH_BASIC && r->cred_resolved && r->cred.kind == NV_REG_CRED_BASIC)
    return auth_value("Basic", r->cred.username, r->cred.secret, out, d);
  if (h->scheme == AUTH_BEARER) {
    const char *tok = nv_reg_token_cache_get(&c->tokens, r->registry, r->scope, c->now());
    if (tok != NULL) {
      *cached_token = true;
      return auth_value("Bearer", NULL, tok, out, d);
    }
  }
  return NV_OK;
}

static nv_status parse_challenges(const nv_http_response *resp, nv_reg_challenges *ch,
                                  nv_diag *d)
{
  nv_reg_challenges_init(ch);
  for (size_t i = 0;; i++) {
    const char *v = nv_reg_http_response_header(resp, "WWW-Authenticate", i);
    if (v == NULL)
      return NV_OK;
    nv_status rc = nv_reg_challenges_parse(v, ch, d);
    if (rc != NV_OK)
      return rc;
  }
}

/* Answer a 401 with challenges: the Authorization value for the retry. */
static nv_status answer_challenge(nv_reg_repo *r, const nv_reg_challenges *chs, bool sent,
                                  bool sent_cached, char **auth, nv_diag *d)
{
  *auth = NULL;
  nv_reg_client *c = r->client;
  const nv_reg_challenge *bearer = nv_reg_challenges_find(chs, "Bearer");
  const nv_reg_challenge *basic = nv_reg_challenges_find(chs, "Basic");
  host_state *h = host(c, r->registry);
  if (bearer != NULL) {
    if (sent && bearer->error != NULL && strcmp(bearer->error, "insufficient_scope") == 0 &&
        !sent_cached)
      return nv_diag_set(d, NV_E_REGISTRY_DENIED,
                         "registry %s denied %s: the token does not grant it "
                         "(insufficient_scope)",
                         r->registry, r->scope);
    if (sent_cached)
      nv_reg_token_cache_drop(&c->tokens, r->registry, r->scope);
    else if (sent && r->cred.kind == NV_REG_CRED_ACCESS_TOKEN)
      return nv_diag_set(d, NV_E_REGISTRY_AUTH, "registry %s refused the access token",
                         r->registry);
    if (h != NULL)
      h->scheme = AUTH_BEARER;
    nv_status rc = resolve_creds(r, d);
    if (rc != NV_OK)
      return rc;
    if (r->cred.kind == NV_REG_CRED_ACCESS_TOKEN)
      return auth_value("Bearer", NULL, r->cred.secret, auth, d);
    char *token = NULL;
    rc = fetch_token(r, bearer, &token, d);
    if (rc != NV_OK)
      return rc;
    rc = auth_value("Bearer", NULL, token, auth, d);
    nv_reg_wipe_free(token);
    return rc;
  }
  if (basic != NULL) {
    if (sent)
      return nv_diag_set(d, NV_E_REGISTRY_AUTH, "registry %s refused the username and password",
                         r->registry);
    nv_status rc = resolve_creds(r, d);
    if (rc != NV_OK)
      return rc;
    if (r->cred.kind != NV_REG_CRED_BASIC)
      return nv_diag_set(d, NV_E_REGISTRY_AUTH,
                         "registry %s requires a username and password (HTTP Basic) and %s "
                         "configured for it",
                         r->registry,
                         r->cred.kind == NV_REG_CRED_NONE ? "none is" : "no password is");
    if (h != NULL)
      h->scheme = AUTH_BASIC;
    return auth_value("Basic", r->cred.username, r->cred.secret, auth, d);
  }
  nv_quoted q = nv_quote(chs->items[0].scheme, strlen(chs->items[0].scheme));
  return nv_diag_set(d, NV_E_REGISTRY_AUTH,
                     "registry %s asks for authentication scheme \"%s\", which is not supported "
                     "(Basic and Bearer are)",
                     r->registry, q.s);
}

nv_status nv_reg_repo_get(nv_reg_repo *r, const char *url, const char *accept, size_t max_bytes,
                          nv_http_response *resp, nv_diag *d)
{
  char *auth = NULL;
  bool cached = false;
  nv_status rc = first_auth(r, &auth, &cached, d);
  bool sent = auth != NULL;
  send_args a = {"GET", url, accept, NULL, auth, r->origin, NULL, 0, max_bytes};
  bool at_registry = true;
  if (rc == NV_OK)
    rc = send_follow(r, &a, resp, &at_registry, d);
  for (int attempt = 0; rc == NV_OK && resp->status == 401; attempt++) {
    if (!at_registry) {
      /* a redirect target is not the registry: its challenge would get
       * the registry's credentials */
      rc = nv_diag_set(d, NV_E_REGISTRY_AUTH,
                       "registry %s redirected to another host, which asked for credentials; "
                       "the registry's credentials are not sent there",
                       r->registry);
      break;
    }
    nv_reg_challenges chs;
    rc = parse_challenges(resp, &chs, d);
    if (rc != NV_OK) {
      nv_reg_challenges_free(&chs);
      rc = nv_diag_wrap(d, NV_E_REGISTRY_PROTOCOL, "registry %s: ", r->registry);
      break;
    }
    if (chs.count == 0) {
      nv_reg_challenges_free(&chs);
      break; /* the caller decides what a bare 401 means */
    }
    if (attempt == 1) { /* answered once already: refused */
      const nv_reg_challenge *b = nv_reg_challenges_find(&chs, "Bearer");
      if (b != NULL && b->error != NULL && strcmp(b->error, "insufficient_scope") == 0)
        rc = nv_diag_set(d, NV_E_REGISTRY_DENIED,
                         "registry %s denied %s: the token does not grant it "
                         "(insufficient_scope)",
                         r->registry, r->scope);
      else if (r->cred.kind == NV_REG_CRED_NONE)
        rc = nv_diag_set(d, NV_E_REGISTRY_AUTH,
                         "registry %s refused anonymous access to %s: configure credentials for "
                         "it",
                         r->registry, r->repository);
      else
        rc = nv_diag_set(d, NV_E_REGISTRY_AUTH, "registry %s refused %s for %s", r->registry,
                         cred_source_name(r->cred.kind), r->repository);
      nv_reg_challenges_free(&chs);
      break;
    }
    char *next = NULL;
    rc = answer_challenge(r, &chs, sent, cached, &next, d);
    nv_reg_challenges_free(&chs);
    nv_reg_wipe_free(auth);
    auth = next;
    if (rc != NV_OK)
      break;
    sent = true;
    cached = false;
    a.auth = auth;
    rc = send_follow(r, &a, resp, &at_registry, d);
  }
  nv_reg_wipe_free(auth);
  return rc;
}
