/*
 * Library-wide initialisation.
 */
#ifndef NOTARYC_NV_GLOBAL_H
#define NOTARYC_NV_GLOBAL_H

#include <notaryc/nv_common.h>
#include <notaryc/nv_errors.h>

NV_BEGIN_DECLS

/* Flags for nv_global_init(). */
#define NV_INIT_DEFAULT 0u
/* The application initialises libcurl itself (curl_global_init); the
 * library must neither initialise nor clean it up. */
#define NV_INIT_NO_CURL (1u << 0)

/*
 * Initialise the library. Must succeed before nv_ctx_new().
 *
 * Reference-counted and thread-safe: every successful call must be paired
 * with one nv_global_cleanup(); the work is done by the first call and undone
 * by the last cleanup. The flags of the first call win; later calls must pass
 * the same flags or get NV_E_INVALID_ARG. Unknown flag bits are rejected
 * with NV_E_INVALID_ARG.
 */
NV_API nv_status nv_global_init(uint32_t flags);

/*
 * Drop one reference taken by nv_global_init(). The last one releases the
 * global state. Calling it more often than nv_global_init() does nothing.
 */
NV_API void nv_global_cleanup(void);

NV_END_DECLS

#endif /* NOTARYC_NV_GLOBAL_H */
