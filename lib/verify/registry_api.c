/*
 * The public registry settings (include/notaryc/nv_registry.h): each
 * setter checks its arguments, clears the context's last error and hands
 * the value to the context's registry client (lib/registry/client.c),
 * made on first use. The nv_credential and nv_http_* accessors work on
 * objects the registry layer lends to the callbacks.
 */
#include <notaryc/nv_registry.h>

#include <string.h>

#include "registry/nv_reg_client.h"
#include "registry/nv_reg_creds.h"
#include "registry/nv_reg_http.h"
#include "verify/nv_vfy_registry.h"

nv_reg_client *nv_vfy_ctx_registry(nv_ctx *ctx)
{
  if (ctx->registry == NULL && nv_reg_client_new(&ctx->registry, &ctx->diag) != NV_OK)
    return NULL;
  return ctx->registry;
}

/* The context's client for a setter; NULL with *rc set on failure. */
static nv_reg_client *setter(nv_ctx *ctx, nv_status *rc)
{
  *rc = NV_E_INVALID_ARG;
  if (ctx == NULL)
    return NULL;
  nv_diag_clear(&ctx->diag);
  nv_reg_client *c = nv_vfy_ctx_registry(ctx);
  *rc = c != NULL ? NV_OK : NV_E_NOMEM;
  return c;
}

static nv_status bad_flag(nv_ctx *ctx, const char *fn, int32_t enable)
{
  return nv_diag_set(&ctx->diag, NV_E_INVALID_ARG, "%s: enable must be 0 or 1, not %d", fn,
                     (int)enable);
}

NV_API nv_status nv_registry_set_plain_http(nv_ctx *ctx, const char *registry, int32_t enable)
{
  nv_status rc;
  nv_reg_client *c = setter(ctx, &rc);
  if (c == NULL)
    return rc;
  if (enable != 0 && enable != 1)
    return bad_flag(ctx, "nv_registry_set_plain_http", enable);
  return nv_reg_client_set_plain_http(c, registry, enable == 1, &ctx->diag);
}

NV_API nv_status nv_registry_set_insecure_skip_tls_verify(nv_ctx *ctx, const char *registry,
                                                          int32_t enable)
{
  nv_status rc;
  nv_reg_client *c = setter(ctx, &rc);
  if (c == NULL)
    return rc;
  if (enable != 0 && enable != 1)
    return bad_flag(ctx, "nv_registry_set_insecure_skip_tls_verify", enable);
  return nv_reg_client_set_skip_tls_verify(c, registry, enable == 1, &ctx->diag);
}

NV_API nv_status nv_registry_set_ca_file(nv_ctx *ctx, const char *path)
{
  nv_status rc;
  nv_reg_client *c = setter(ctx, &rc);
  return c == NULL ? rc : nv_reg_client_set_ca_file(c, path, &ctx->diag);
}

NV_API nv_status nv_registry_set_proxy(nv_ctx *ctx, const char *proxy)
{
  nv_status rc;
  nv_reg_client *c = setter(ctx, &rc);
  return c == NULL ? rc : nv_reg_client_set_proxy(c, proxy, &ctx->diag);
}

NV_API nv_status nv_registry_set_timeout_ms(nv_ctx *ctx, uint32_t timeout_ms)
{
  nv_status rc;
  nv_reg_client *c = setter(ctx, &rc);
  return c == NULL ? rc : nv_reg_client_set_timeout_ms(c, timeout_ms, &ctx->diag);
}

NV_API nv_status nv_registry_set_user_agent(nv_ctx *ctx, const char *user_agent)
{
  nv_status rc;
  nv_reg_client *c = setter(ctx, &rc);
  return c == NULL ? rc : nv_reg_client_set_user_agent(c, user_agent, &ctx->diag);
}

/* Credentials for one registry; `secret` NULL (or `username` NULL for
 * Basic) removes them. */
static nv_status set_credential(nv_ctx *ctx, const char *fn, const char *registry,
                                nv_reg_cred_kind kind, const char *username, const char *secret,
                                bool remove)
{
  nv_status rc;
  nv_reg_client *c = setter(ctx, &rc);
  if (c == NULL)
    return rc;
  if (registry == NULL)
    return nv_diag_set(&ctx->diag, NV_E_INVALID_ARG,
                       "%s: a registry is required (credentials are never given to every "
                       "registry)",
                       fn);
  if (remove)
    return nv_reg_client_set_credential(c, registry, NULL, &ctx->diag);
  nv_credential cred;
  nv_reg_cred_init(&cred);
  rc = nv_reg_cred_set(&cred, kind, username, secret);
  if (rc == NV_OK)
    rc = nv_reg_client_set_credential(c, registry, &cred, &ctx->diag);
  else if (rc == NV_E_INVALID_ARG)
    nv_diag_set(&ctx->diag, rc,
                "%s: the %s must be non-empty UTF-8 without control characters%s", fn,
                kind == NV_REG_CRED_BASIC ? "username and password" : "token",
                kind == NV_REG_CRED_BASIC ? " (and no ':' in the username)" : "");
  else
    nv_diag_set(&ctx->diag, rc, "out of memory");
  nv_reg_cred_clear(&cred);
  return rc;
}

NV_API nv_status nv_registry_set_basic_auth(nv_ctx *ctx, const char *registry,
                                            const char *username, const char *password)
{
  return set_credential(ctx, "nv_registry_set_basic_auth", registry, NV_REG_CRED_BASIC, username,
                        password, username == NULL);
}

NV_API nv_status nv_registry_set_identity_token(nv_ctx *ctx, const char *registry,
                                                const char *token)
{
  return set_credential(ctx, "nv_registry_set_identity_token", registry,
                        NV_REG_CRED_IDENTITY_TOKEN, NULL, token, token == NULL);
}

NV_API nv_status nv_registry_set_access_token(nv_ctx *ctx, const char *registry,
                                              const char *token)
{
  return set_credential(ctx, "nv_registry_set_access_token", registry, NV_REG_CRED_ACCESS_TOKEN,
                        NULL, token, token == NULL);
}

NV_API nv_status nv_registry_set_credential_cb(nv_ctx *ctx, nv_credential_cb cb, void *user_data)
{
  nv_status rc;
  nv_reg_client *c = setter(ctx, &rc);
  if (c != NULL)
    nv_reg_client_set_credential_cb(c, cb, user_data);
  return rc;
}

NV_API nv_status nv_credential_set_basic(nv_credential *cred, const char *username,
                                         const char *password)
{
  return nv_reg_cred_set(cred, NV_REG_CRED_BASIC, username, password);
}

NV_API nv_status nv_credential_set_identity_token(nv_credential *cred, const char *token)
{
  return nv_reg_cred_set(cred, NV_REG_CRED_IDENTITY_TOKEN, NULL, token);
}

NV_API nv_status nv_credential_set_access_token(nv_credential *cred, const char *token)
{
  return nv_reg_cred_set(cred, NV_REG_CRED_ACCESS_TOKEN, NULL, token);
}

NV_API nv_status nv_registry_set_docker_config(nv_ctx *ctx, const char *path)
{
  nv_status rc;
  nv_reg_client *c = setter(ctx, &rc);
  return c == NULL ? rc : nv_reg_client_set_docker_config(c, path, &ctx->diag);
}

NV_API nv_status nv_registry_set_referrers_mode(nv_ctx *ctx, nv_referrers_mode mode)
{
  nv_status rc;
  nv_reg_client *c = setter(ctx, &rc);
  if (c == NULL)
    return rc;
  if (mode != NV_REFERRERS_AUTO && mode != NV_REFERRERS_API_ONLY && mode != NV_REFERRERS_TAG_ONLY)
    return nv_diag_set(&ctx->diag, NV_E_INVALID_ARG,
                       "nv_registry_set_referrers_mode: unknown mode %d", (int)mode);
  nv_reg_client_set_referrers_mode(c, mode);
  return NV_OK;
}

NV_API nv_status nv_registry_set_fetch_cb(nv_ctx *ctx, nv_http_fetch_cb cb, void *user_data)
{
  nv_status rc;
  nv_reg_client *c = setter(ctx, &rc);
  if (c != NULL) {
    nv_reg_client_set_fetch_cb(c, cb, user_data);
    ctx->revocation.fetch_cb = cb; /* OCSP and CRL requests too */
    ctx->revocation.fetch_user = user_data;
  }
  return rc;
}

/* ---- the fetch callback's request and response ---- */

NV_API const char *nv_http_request_method(const nv_http_request *request)
{
  return request != NULL ? request->method : NULL;
}

NV_API const char *nv_http_request_url(const nv_http_request *request)
{
  return request != NULL ? request->url : NULL;
}

NV_API size_t nv_http_request_header_count(const nv_http_request *request)
{
  return request != NULL ? request->header_count : 0;
}

NV_API nv_status nv_http_request_header(const nv_http_request *request, size_t index,
                                        const char **name, const char **value)
{
  if (name != NULL)
    *name = NULL;
  if (value != NULL)
    *value = NULL;
  if (request == NULL || name == NULL || value == NULL)
    return NV_E_INVALID_ARG;
  if (index >= request->header_count)
    return NV_E_NOT_FOUND;
  *name = request->headers[index].name;
  *value = request->headers[index].value;
  return NV_OK;
}

NV_API const uint8_t *nv_http_request_body(const nv_http_request *request, size_t *len)
{
  if (len != NULL)
    *len = request != NULL ? request->body_len : 0;
  return request != NULL ? request->body : NULL;
}

NV_API uint64_t nv_http_request_max_bytes(const nv_http_request *request)
{
  return request != NULL ? (uint64_t)request->max_bytes : 0;
}

NV_API uint32_t nv_http_request_timeout_ms(const nv_http_request *request)
{
  return request != NULL ? request->timeout_ms : 0;
}

NV_API nv_status nv_http_response_set_status(nv_http_response *response, int32_t status)
{
  if (response == NULL)
    return NV_E_INVALID_ARG;
  return nv_reg_http_response_set_status(response, status);
}

NV_API nv_status nv_http_response_add_header(nv_http_response *response, const char *name,
                                             const char *value)
{
  if (response == NULL || name == NULL || value == NULL)
    return NV_E_INVALID_ARG;
  return nv_reg_http_response_add_header(response, name, strlen(name), value, strlen(value));
}

NV_API nv_status nv_http_response_append_body(nv_http_response *response, const uint8_t *data,
                                              size_t len)
{
  if (response == NULL || (data == NULL && len > 0))
    return NV_E_INVALID_ARG;
  return nv_reg_http_response_append_body(response, data, len);
}
