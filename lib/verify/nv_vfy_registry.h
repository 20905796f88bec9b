/* The context's registry client (internal; see lib/verify/registry_api.c). */
#ifndef NV_VERIFY_REGISTRY_H
#define NV_VERIFY_REGISTRY_H

#include "registry/nv_reg_client.h"
#include "verify/nv_vfy_context.h"

/* ctx->registry, made on first use with the default settings. NULL (and
 * NV_E_NOMEM in ctx's diag) when it cannot be made. */
nv_reg_client *nv_vfy_ctx_registry(nv_ctx *ctx);

#endif /* NV_VERIFY_REGISTRY_H */
