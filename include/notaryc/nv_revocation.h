/*
 * Revocation settings of a context: the time-outs of OCSP and CRL
 * requests, and an offline mode. See nv_verify(3) for the revocation
 * check itself. The context's fetch override (nv_registry_set_fetch_cb)
 * carries the OCSP and CRL requests too.
 */
#ifndef NOTARYC_NV_REVOCATION_H
#define NOTARYC_NV_REVOCATION_H

#include <stddef.h>
#include <stdint.h>
#include <notaryc/nv_common.h>
#include <notaryc/nv_context.h>
#include <notaryc/nv_errors.h>

NV_BEGIN_DECLS

/* Per-request time-outs in milliseconds, 1 .. 60000; 0 restores a default
 * (2000 for OCSP, 5000 for CRLs). */
NV_API nv_status nv_revocation_set_timeouts(nv_ctx *ctx, uint32_t ocsp_ms, uint32_t crl_ms);

/* 1: no OCSP or CRL request at all; a certificate that names an OCSP
 * responder or a CRL distribution point then has an unknown status (the
 * policy's revocation action decides). 0: online (the default). */
NV_API nv_status nv_revocation_set_offline(nv_ctx *ctx, int32_t enable);

/* Keep a DER CRL in the context for the revocation check (before any
 * download, and offline). It is used for the certificates of its issuer
 * that its scope takes in while it validates (issuer signature,
 * thisUpdate <= now <= nextUpdate), also for a certificate that names
 * only an OCSP responder when OCSP gives no answer. `der` is copied. */
NV_API nv_status nv_revocation_preload_crl(nv_ctx *ctx, const uint8_t *der, size_t len);

/* Keep downloaded CRLs in the existing directory `dir` too (NULL: no
 * longer): written atomically inside it, checked when read, used until
 * their nextUpdate, also offline. */
NV_API nv_status nv_revocation_set_cache_dir(nv_ctx *ctx, const char *dir);

NV_END_DECLS

#endif /* NOTARYC_NV_REVOCATION_H */
