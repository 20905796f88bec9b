#include <notaryc/nv_context.h>

#include <stdlib.h>
#include "registry/nv_reg_client.h"
#include "verify/nv_vfy_context.h"
#include "verify/nv_vfy_global.h"

NV_API nv_status nv_ctx_new(nv_ctx **out)
{
  if (out == NULL)
    return NV_E_INVALID_ARG;
  *out = NULL;
  if (!nv_vfy_global_ready())
    return NV_E_NOT_INITIALIZED;
  nv_ctx *ctx = calloc(1, sizeof(*ctx));
  if (ctx == NULL)
    return NV_E_NOMEM;
  nv_diag_init(&ctx->diag);
  if (nv_vfy_rev_cache_new(&ctx->revocation.cache) != NV_OK) {
    free(ctx);
    return NV_E_NOMEM;
  }
  *out = ctx;
  return NV_OK;
}

NV_API void nv_ctx_free(nv_ctx *ctx)
{
  if (ctx == NULL)
    return;
  nv_x509_cache_free(ctx->cache);
  nv_reg_client_free(ctx->registry);
  nv_vfy_rev_cache_free(ctx->revocation.cache);
  free(ctx->revocation.cache_dir);
  free(ctx);
}

nv_x509_cache *nv_vfy_ctx_cache(nv_ctx *ctx, const nv_pol_store *store)
{
  if (ctx == NULL)
    return NULL;
  if (ctx->cache == NULL &&
      nv_x509_cache_new(NV_X509_CACHE_DEFAULT_CERTS, NV_X509_CACHE_DEFAULT_CHAINS, &ctx->cache,
                        NULL) != NV_OK)
    return NULL;
  nv_x509_cache_set_anchors(ctx->cache, nv_pol_store_anchors(store));
  return ctx->cache;
}

NV_API const char *nv_ctx_last_error(const nv_ctx *ctx)
{
  if (ctx == NULL)
    return "no context given (NULL nv_ctx)";
  return ctx->diag.msg;
}

NV_API nv_status nv_ctx_last_status(const nv_ctx *ctx)
{
  return ctx == NULL ? NV_E_INVALID_ARG : ctx->diag.status;
}

NV_API nv_status nv_ctx_set_log_cb(nv_ctx *ctx, nv_log_cb cb, nv_log_level max_level,
                                   void *user_data)
{
  if (ctx == NULL)
    return NV_E_INVALID_ARG;
  nv_diag_clear(&ctx->diag);
  if (cb != NULL && (max_level < NV_LOG_ERROR || max_level > NV_LOG_DEBUG))
    return nv_diag_set(&ctx->diag, NV_E_INVALID_ARG,
                       "log level %d is outside NV_LOG_ERROR (1) .. NV_LOG_DEBUG (4)",
                       (int)max_level);
  ctx->diag.log_cb = cb;
  ctx->diag.log_max = max_level;
  ctx->diag.log_user_data = user_data;
  nv_log(&ctx->diag, NV_LOG_DEBUG, "context", "log callback installed (max level %d)",
         (int)max_level);
  return NV_OK;
}
