/*
 * The registry client of one context: its settings (transport security,
 * proxy, time-out, user agent, credentials and their sources, referrers
 * mode, fetch override), its one HTTP transport (one libcurl handle, so
 * connections are reused), the Bearer token cache, and what it learnt
 * about each registry (authentication scheme and token service, whether
 * the Referrers API is served).
 *
 * Requests go through nv_reg_repo_get(), which adds the Accept and
 * User-Agent headers, authenticates (RFC 9110 challenges: Basic, or a
 * Bearer token from the registry's token service — anonymous, with a
 * username and password, or with an identity token — per the
 * distribution token specification), and follows redirects itself: at
 * most NV_REG_MAX_REDIRECTS, never from HTTPS to HTTP, and never with the
 * Authorization header to another origin. A context is used by one thread
 * at a time, and so is its client.
 */
#ifndef NV_REGISTRY_CLIENT_H
#define NV_REGISTRY_CLIENT_H

#include <notaryc/nv_registry.h>
#include <stdbool.h>
#include <stdint.h>
#include "base/nv_diag.h"
#include "registry/nv_reg_creds.h"
#include "registry/nv_reg_http.h"
#include "registry/nv_reg_tokens.h"

#define NV_REG_MAX_REDIRECTS 5
/* Registries remembered per client (authentication, referrers support);
 * past this the oldest is forgotten. */
#define NV_REG_MAX_HOSTS 64
/* Rules and credentials set per registry. */
#define NV_REG_MAX_RULES 256
/* A token service answer larger than this is refused. */
#define NV_REG_TOKEN_RESPONSE_MAX_BYTES ((size_t)1 << 20)
#define NV_REG_USER_AGENT_MAX 256

typedef struct nv_reg_client nv_reg_client;

nv_status nv_reg_client_new(nv_reg_client **out, nv_diag *d);
void nv_reg_client_free(nv_reg_client *c);

/* ---- settings (see include/notaryc/nv_registry.h for the meaning);
 * `registry` NULL means "every registry" where the public API allows it.
 * NV_E_INVALID_ARG (with a message) for a malformed registry name or
 * value, NV_E_LIMIT past NV_REG_MAX_RULES, NV_E_NOMEM. ---- */
nv_status nv_reg_client_set_plain_http(nv_reg_client *c, const char *registry, bool enable,
                                       nv_diag *d);
nv_status nv_reg_client_set_skip_tls_verify(nv_reg_client *c, const char *registry, bool enable,
                                            nv_diag *d);
nv_status nv_reg_client_set_ca_file(nv_reg_client *c, const char *path, nv_diag *d);
nv_status nv_reg_client_set_proxy(nv_reg_client *c, const char *proxy, nv_diag *d);
nv_status nv_reg_client_set_timeout_ms(nv_reg_client *c, uint32_t ms, nv_diag *d);
nv_status nv_reg_client_set_user_agent(nv_reg_client *c, const char *ua, nv_diag *d);
/* `cred` NULL or NV_REG_CRED_NONE removes the registry's credentials. */
nv_status nv_reg_client_set_credential(nv_reg_client *c, const char *registry,
                                       const nv_credential *cred, nv_diag *d);
void nv_reg_client_set_credential_cb(nv_reg_client *c, nv_credential_cb cb, void *user_data);
/* NULL: off; "": docker's default location; else a file. */
nv_status nv_reg_client_set_docker_config(nv_reg_client *c, const char *path, nv_diag *d);
void nv_reg_client_set_referrers_mode(nv_reg_client *c, nv_referrers_mode mode);
nv_referrers_mode nv_reg_client_referrers_mode(const nv_reg_client *c);
void nv_reg_client_set_fetch_cb(nv_reg_client *c, nv_http_fetch_cb cb, void *user_data);

/* Start one verification: its time budget (the timeout setting) starts
 * now. */
void nv_reg_client_begin(nv_reg_client *c);
/* Replace the clock (tests of token expiry); NULL restores nv_reg_now_ms. */
void nv_reg_client_set_clock(nv_reg_client *c, int64_t (*now_ms)(void));

/* What the client remembers about a registry's referrers support. */
typedef enum nv_reg_referrers_state {
  NV_REG_REFERRERS_UNKNOWN = 0,
  NV_REG_REFERRERS_API = 1, /* the Referrers API answered */
  NV_REG_REFERRERS_TAG = 2  /* it does not serve it: use the tag schema */
} nv_reg_referrers_state;

nv_reg_referrers_state nv_reg_client_referrers_state(nv_reg_client *c, const char *registry);
void nv_reg_client_remember_referrers(nv_reg_client *c, const char *registry,
                                      nv_reg_referrers_state state);

/* One repository of one registry, for the requests of a verification. */
typedef struct nv_reg_repo {
  nv_reg_client *client;
  char *registry;   /* "host[:port]" as in the reference */
  char *repository;
  char *origin;     /* "https://host[:port]" of the API host */
  char *scope;      /* "repository:<repository>:pull" */
  bool plain_http;
  bool verify_tls;
  bool cred_resolved;
  nv_credential cred;
  uint32_t requests; /* HTTP requests sent (every hop and token request) */
} nv_reg_repo;

/* NV_E_INVALID_ARG for an invalid registry name; NV_E_NOMEM. */
nv_status nv_reg_repo_open(nv_reg_client *c, const char *registry, const char *repository,
                           nv_reg_repo *out, nv_diag *d);
void nv_reg_repo_close(nv_reg_repo *r);

/* GET `url` (absolute, on the repository's origin) with `accept`, a 2xx
 * body of at most max_bytes, authenticating as the registry asks.
 * Returns NV_OK with the final response of any status, except:
 *   NV_E_REGISTRY_AUTH     the registry or its token service refused the
 *                          credentials (or their absence) after one
 *                          authentication attempt, or asked for a scheme
 *                          the client cannot answer;
 *   NV_E_REGISTRY_DENIED   the token does not grant the scope
 *                          (error="insufficient_scope");
 *   NV_E_CREDENTIALS       a credential source failed;
 *   NV_E_REDIRECT_REFUSED  a redirect that is not followed (to HTTP from
 *                          HTTPS, with userinfo, too many);
 *   NV_E_REGISTRY_PROTOCOL a malformed challenge or Location;
 *   and the transport's errors (NV_E_TIMEOUT when the budget is spent).
 * A 401 without any challenge is returned as a response (Harbor answers
 * the Referrers API that way). */
nv_status nv_reg_repo_get(nv_reg_repo *r, const char *url, const char *accept, size_t max_bytes,
                          nv_http_response *resp, nv_diag *d);

/* "<origin>/v2/<repository>/<kind>/<reference>" (kind "manifests",
 * "blobs" or "referrers"). NULL when out of memory. */
char *nv_reg_repo_url(const nv_reg_repo *r, const char *kind, const char *reference);

#endif /* NV_REGISTRY_CLIENT_H */
