/*
 * Diagnostics: the status and message of the last failure, and the log
 * hook. Every layer reports through an nv_diag that the caller owns (the
 * public nv_ctx embeds one), so errors are per context, not per thread.
 * A NULL nv_diag is allowed everywhere and discards what is reported.
 */
#ifndef NV_BASE_DIAG_H
#define NV_BASE_DIAG_H

#include <stdarg.h>
#include <notaryc/nv_context.h>
#include <notaryc/nv_errors.h>

#define NV_DIAG_MSG_MAX 1024

#if defined(__GNUC__)
#  define NV_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#  define NV_PRINTF(fmt, args)
#endif

typedef struct nv_diag {
  nv_status status;
  char msg[NV_DIAG_MSG_MAX];
  nv_log_cb log_cb;
  nv_log_level log_max;
  void *log_user_data;
} nv_diag;

void nv_diag_init(nv_diag *d);

/* Forget the last failure (status NV_OK, empty message). */
void nv_diag_clear(nv_diag *d);

/* Record a failure and return `code`, so callers can write
 * `return nv_diag_set(d, NV_E_X, "...")`. Long messages are truncated. */
nv_status nv_diag_set(nv_diag *d, nv_status code, const char *fmt, ...) NV_PRINTF(3, 4);
nv_status nv_diag_setv(nv_diag *d, nv_status code, const char *fmt, va_list ap) NV_PRINTF(3, 0);

/* Put context in front of the recorded message ("trust policy: " + msg) and
 * optionally replace the code (pass NV_OK to keep it). Returns the code,
 * never NV_OK: with nothing recorded (or a NULL diag) it is NV_E_GENERIC. */
nv_status nv_diag_wrap(nv_diag *d, nv_status code, const char *fmt, ...) NV_PRINTF(3, 4);

/* The recorded status (NV_OK for a NULL diag). */
nv_status nv_diag_status(const nv_diag *d);

/* Deliver a log line if a callback is installed and `level` passes. */
void nv_log(const nv_diag *d, nv_log_level level, const char *component,
            const char *fmt, ...) NV_PRINTF(4, 5);

/* A printable copy of untrusted text for messages: at most NV_QUOTE_MAX
 * bytes, anything outside printable ASCII (and '"', '\\') as '?', "..."
 * when cut. Returned by value, so it needs no allocation. */
#define NV_QUOTE_MAX 64
typedef struct nv_quoted {
  char s[NV_QUOTE_MAX + 4];
} nv_quoted;
nv_quoted nv_quote(const char *s, size_t len);

#endif /* NV_BASE_DIAG_H */
