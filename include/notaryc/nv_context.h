/*
 * The context: per-caller state of the library (error detail, logging, and
 * later connections and caches). A context is used by one thread at a time;
 * different contexts may be used concurrently.
 */
#ifndef NOTARYC_NV_CONTEXT_H
#define NOTARYC_NV_CONTEXT_H

#include <notaryc/nv_common.h>
#include <notaryc/nv_errors.h>

NV_BEGIN_DECLS

typedef struct nv_ctx nv_ctx;

/* Log levels, from most to least severe. */
typedef int32_t nv_log_level;
enum {
  NV_LOG_ERROR = 1,
  NV_LOG_WARN = 2,
  NV_LOG_INFO = 3,
  NV_LOG_DEBUG = 4
};

/*
 * Log callback. `component` names the layer ("verify", "registry", ...),
 * `message` is one line of UTF-8 without a trailing newline. Both are
 * borrowed for the duration of the call. The callback runs synchronously on
 * the thread that called into the library, never after that call returns.
 */
typedef void NV_CALLBACK(nv_log_cb)(nv_log_level level, const char *component,
                                    const char *message, void *user_data);

/*
 * Create a context. Returns NV_E_NOT_INITIALIZED before nv_global_init(),
 * NV_E_INVALID_ARG if `out` is NULL. On success *out must be released with
 * nv_ctx_free(); on failure *out is set to NULL.
 */
NV_API nv_status nv_ctx_new(nv_ctx **out);

/* Release a context and everything it owns. NULL does nothing. */
NV_API void nv_ctx_free(nv_ctx *ctx);

/*
 * The message of the last failure of a call on `ctx`: what failed and what
 * to do about it. Never NULL ("" after a success). Owned by the context and
 * valid until the next call that takes `ctx`.
 */
NV_API const char *nv_ctx_last_error(const nv_ctx *ctx);

/* The status of the last call on `ctx` that reports errors through it. */
NV_API nv_status nv_ctx_last_status(const nv_ctx *ctx);

/*
 * Route the library's log lines for this context to `cb`; only lines at
 * `max_level` or more severe are delivered. A NULL `cb` turns logging off.
 * Returns NV_E_INVALID_ARG for a NULL context or a level outside
 * NV_LOG_ERROR .. NV_LOG_DEBUG.
 */
NV_API nv_status nv_ctx_set_log_cb(nv_ctx *ctx, nv_log_cb cb, nv_log_level max_level,
                                   void *user_data);

NV_END_DECLS

#endif /* NOTARYC_NV_CONTEXT_H */
