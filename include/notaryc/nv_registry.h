/*
 * Registry access for nv_verify(): how a context reaches OCI registries
 * (transport security, proxy, time-out, user agent), which credentials it
 * presents, how it discovers signatures, and a fetch override that lets
 * the application carry the HTTP requests itself (air-gapped mirrors,
 * tests, custom transports).
 *
 * Every setting belongs to the context and applies to every later
 * nv_verify() on it. The context also keeps, between calls, the open
 * connections, the Bearer tokens (per registry and scope, until they
 * expire) and, per registry, whether it serves the Referrers API.
 *
 * A registry is named as it appears in references: "host" or
 * "host:port" ("localhost:5000", "[::1]:5000", "registry.example"),
 * compared exactly.
 *
 * The registry is outside the trust boundary: whatever it sends is size
 * limited before it is read and digest checked before it is used. Secrets
 * (passwords and tokens) are never written to log lines, messages or
 * results, are sent only to the registry they belong to and its token
 * service, never along a redirect to another host, and are overwritten
 * when the context releases them.
 */
#ifndef NOTARYC_NV_REGISTRY_H
#define NOTARYC_NV_REGISTRY_H

#include <notaryc/nv_common.h>
#include <notaryc/nv_context.h>
#include <notaryc/nv_errors.h>

NV_BEGIN_DECLS

/* ---- transport ---- */

/*
 * Talk plain HTTP instead of HTTPS to `registry` (NULL: to every
 * registry). `enable` is 1 or 0; a per-registry setting wins over the
 * NULL one. Independent of nv_registry_set_insecure_skip_tls_verify():
 * the two are never one switch. NV_E_INVALID_ARG for a NULL context, a
 * malformed registry name or `enable` other than 0/1.
 */
NV_API nv_status nv_registry_set_plain_http(nv_ctx *ctx, const char *registry, int32_t enable);

/*
 * Use HTTPS to `registry` (NULL: every registry) without checking the
 * server's certificate and host name. Only for tests: anyone on the path
 * can then impersonate the registry (signatures still have to verify, but
 * the registry decides which ones you see). `enable` is 1 or 0.
 */
NV_API nv_status nv_registry_set_insecure_skip_tls_verify(nv_ctx *ctx, const char *registry,
                                                          int32_t enable);

/*
 * Trust the CA certificates of the PEM file `path` for registry TLS, in
 * addition to the system store. NULL: the system store only. The file is
 * read when a connection is made (NV_E_TLS if it cannot be used).
 */
NV_API nv_status nv_registry_set_ca_file(nv_ctx *ctx, const char *path);

/*
 * The proxy for registry traffic ("http://proxy:3128", "socks5h://..."):
 * NULL takes it from the environment (http_proxy, https_proxy, no_proxy),
 * "" uses no proxy even if the environment names one.
 */
NV_API nv_status nv_registry_set_proxy(nv_ctx *ctx, const char *proxy);

/* The default total time one nv_verify() may spend talking to registries. */
#define NV_REGISTRY_DEFAULT_TIMEOUT_MS 30000u

/*
 * The total time, in milliseconds (1 .. 3,600,000), that one nv_verify()
 * may spend on registry traffic: connections, requests, token requests,
 * credential helpers. When it runs out the verification fails closed with
 * NV_E_TIMEOUT; nothing that was not verified passes.
 */
NV_API nv_status nv_registry_set_timeout_ms(nv_ctx *ctx, uint32_t timeout_ms);

/*
 * The User-Agent header (printable ASCII, at most 256 bytes). NULL
 * restores the default, "libnotaryc/<version>".
 */
NV_API nv_status nv_registry_set_user_agent(nv_ctx *ctx, const char *user_agent);

/* ---- credentials ---- */

typedef struct nv_credential nv_credential;

/*
 * Username and password for `registry` (required: credentials are never
 * given to every registry). They are used for HTTP Basic authentication,
 * or to obtain a Bearer token from the registry's token service. NULL
 * `username` removes the credentials set for the registry.
 */
NV_API nv_status nv_registry_set_basic_auth(nv_ctx *ctx, const char *registry,
                                            const char *username, const char *password);

/*
 * An identity token (an OAuth2 refresh token, as `docker login` stores in
 * "identitytoken") for `registry`: exchanged at the registry's token
 * service for access tokens. NULL removes it.
 */
NV_API nv_status nv_registry_set_identity_token(nv_ctx *ctx, const char *registry,
                                                const char *token);

/*
 * A registry access token for `registry`, sent as is ("Authorization:
 * Bearer <token>") with every request to it. NULL removes it.
 */
NV_API nv_status nv_registry_set_access_token(nv_ctx *ctx, const char *registry,
                                              const char *token);

/*
 * Called when `registry` asks for authentication and no credentials were
 * set for it with the functions above. Fill `cred` with one of the
 * nv_credential_set_* functions and return NV_OK; return NV_PASSTHROUGH to
 * go on with the Docker configuration (if enabled) or anonymously. Any
 * other value stops the verification with NV_E_CREDENTIALS. `cred` and
 * `registry` are valid during the call only. Called at most once per
 * registry per nv_verify().
 */
typedef nv_status NV_CALLBACK(nv_credential_cb)(nv_credential *cred, const char *registry,
                                                void *user_data);

/* Install (or, with NULL, remove) the credential callback. */
NV_API nv_status nv_registry_set_credential_cb(nv_ctx *ctx, nv_credential_cb cb,
                                               void *user_data);

/* Fill a credential inside a credential callback. The library copies the
 * strings (UTF-8, no control characters; the username without ':'). */
NV_API nv_status nv_credential_set_basic(nv_credential *cred, const char *username,
                                         const char *password);
NV_API nv_status nv_credential_set_identity_token(nv_credential *cred, const char *token);
NV_API nv_status nv_credential_set_access_token(nv_credential *cred, const char *token);

/* For nv_registry_set_docker_config(): $DOCKER_CONFIG/config.json, else
 * $HOME/.docker/config.json. */
#define NV_REGISTRY_DOCKER_CONFIG_DEFAULT ""

/*
 * Take credentials from a Docker configuration file when nothing else
 * provided them: "credHelpers" and "credsStore" (the helper program
 * docker-credential-<name> is run without a shell, found on PATH, with a
 * bounded output and the verification's time-out), then "auths" ("auth",
 * "username"/"password", "identitytoken", "registrytoken"). `path`: a
 * file, NV_REGISTRY_DOCKER_CONFIG_DEFAULT for docker's own location, or
 * NULL to stop using one (the default: a library reads no such file
 * unless asked). The file is read when a registry asks for credentials; a
 * missing file means no credentials, a malformed one NV_E_CREDENTIALS.
 */
NV_API nv_status nv_registry_set_docker_config(nv_ctx *ctx, const char *path);

/* ---- signature discovery ---- */

typedef int32_t nv_referrers_mode;
enum {
  /* Referrers API first; if the registry does not serve it, the
   * "sha256-<hex>" tag schema; remembered per registry in the context. */
  NV_REFERRERS_AUTO = 0,
  NV_REFERRERS_API_ONLY = 1, /* never the tag schema */
  NV_REFERRERS_TAG_ONLY = 2  /* never the Referrers API */
};

NV_API nv_status nv_registry_set_referrers_mode(nv_ctx *ctx, nv_referrers_mode mode);

/* ---- fetch override ---- */

typedef struct nv_http_request nv_http_request;
typedef struct nv_http_response nv_http_response;

/*
 * Carry one HTTP request of the registry client: read it through the
 * nv_http_request_* accessors and describe the answer with the
 * nv_http_response_* functions. Return
 *   NV_OK            the response is filled (at least its status);
 *   NV_PASSTHROUGH   the library sends the request itself (over libcurl,
 *                    with the context's settings);
 *   NV_E_NETWORK, NV_E_TIMEOUT, NV_E_TLS
 *                    the request failed that way (verification stops
 *                    with that status);
 *   anything else    verification stops with NV_E_CALLBACK.
 * Redirects are not followed by the callback: return the 3xx response and
 * the library decides (and drops credentials for another host). The
 * request and response are valid during the call only. The callback runs
 * on the thread that called nv_verify(); the time-out is checked when it
 * returns.
 */
typedef nv_status NV_CALLBACK(nv_http_fetch_cb)(const nv_http_request *request,
                                                nv_http_response *response, void *user_data);

/* Install (or, with NULL, remove) the fetch override. */
NV_API nv_status nv_registry_set_fetch_cb(nv_ctx *ctx, nv_http_fetch_cb cb, void *user_data);

/* "GET" or "POST". */
NV_API const char *nv_http_request_method(const nv_http_request *request);
/* The absolute URL ("https://host/v2/..."). */
NV_API const char *nv_http_request_url(const nv_http_request *request);
/* The request headers to send (Accept, User-Agent, Authorization, ...). */
NV_API size_t nv_http_request_header_count(const nv_http_request *request);
NV_API nv_status nv_http_request_header(const nv_http_request *request, size_t index,
                                        const char **name, const char **value);
/* The body of a POST (NULL and 0 for GET). */
NV_API const uint8_t *nv_http_request_body(const nv_http_request *request, size_t *len);
/* The most body bytes a successful (2xx) response may have. */
NV_API uint64_t nv_http_request_max_bytes(const nv_http_request *request);
/* The time left for the verification, in milliseconds (at least 1). */
NV_API uint32_t nv_http_request_timeout_ms(const nv_http_request *request);

/* The HTTP status (100 .. 599); set it before any header or body. */
NV_API nv_status nv_http_response_set_status(nv_http_response *response, int32_t status);
/* A response header (name and value printable ASCII). Content-Length
 * beyond nv_http_request_max_bytes() gives NV_E_CONTENT_TOO_LARGE. */
NV_API nv_status nv_http_response_add_header(nv_http_response *response, const char *name,
                                             const char *value);
/* Append body bytes. NV_E_CONTENT_TOO_LARGE once the body would exceed
 * its limit: return that status from the callback. */
NV_API nv_status nv_http_response_append_body(nv_http_response *response, const uint8_t *data,
                                              size_t len);

NV_END_DECLS

#endif /* NOTARYC_NV_REGISTRY_H */
