/* The body of the public nv_ctx (internal). */
#ifndef NV_VERIFY_CONTEXT_H
#define NV_VERIFY_CONTEXT_H

#include <notaryc/nv_context.h>
#include "base/nv_diag.h"
#include "policy/nv_pol_store.h"
#include "verify/nv_vfy_pipeline.h"
#include "verify/nv_vfy_revocation.h"
#include "x509/nv_x509_cache.h"

struct nv_ctx {
  nv_diag diag;        /* last error and log hook of this context */
  nv_x509_cache *cache; /* certificates and chains seen; made on first use */
  struct nv_reg_client *registry; /* registry settings, connections, tokens; made on first use */
  nv_vfy_rev_settings revocation; /* OCSP / CRL time-outs, offline, the fetch override */
  /* the TSA-chain revocation checker the public entry points put in
   * nv_vfy_inputs.tsa_revocation: NULL (the default, no public setter)
   * checks with `revocation`; test programs that verify through the
   * public API set a stub on their own context */
  nv_vfy_tsa_revocation_fn tsa_revocation;
  void *tsa_revocation_user;
};

/* The context's certificate cache for a verification against `store`
 * (its anchors are used; NULL: none). Made on first use; NULL if it cannot
 * be made (verification then runs without a cache). Pass it in
 * nv_vfy_inputs.cache. */
nv_x509_cache *nv_vfy_ctx_cache(nv_ctx *ctx, const nv_pol_store *store);

#endif /* NV_VERIFY_CONTEXT_H */
