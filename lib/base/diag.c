#include "base/nv_diag.h"

#include <stdio.h>
#include <string.h>

void nv_diag_init(nv_diag *d)
{
  if (d == NULL)
    return;
  memset(d, 0, sizeof(*d));
}

void nv_diag_clear(nv_diag *d)
{
  if (d == NULL)
    return;
  d->status = NV_OK;
  d->msg[0] = '\0';
}

nv_status nv_diag_setv(nv_diag *d, nv_status code, const char *fmt, va_list ap)
{
  if (d == NULL)
    return code;
  d->status = code;
  if (fmt == NULL) {
    d->msg[0] = '\0';
    return code;
  }
  /* vsnprintf truncates safely; a negative return leaves an empty message. */
  if (vsnprintf(d->msg, sizeof(d->msg), fmt, ap) < 0)
    d->msg[0] = '\0';
  return code;
}

nv_status nv_diag_set(nv_diag *d, nv_status code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  nv_status rc = nv_diag_setv(d, code, fmt, ap);
  va_end(ap);
  return rc;
}

nv_status nv_diag_wrap(nv_diag *d, nv_status code, const char *fmt, ...)
{
  /* NV_OK means "keep the recorded code"; without a diag there is none,
   * and a failure must never come back as success. */
  if (d == NULL)
    return code == NV_OK ? NV_E_GENERIC : code;
  if (code == NV_OK)
    code = d->status != NV_OK ? d->status : NV_E_GENERIC;
  char prefix[NV_DIAG_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(prefix, sizeof(prefix), fmt, ap);
  va_end(ap);
  if (n < 0)
    prefix[0] = '\0';
  char joined[NV_DIAG_MSG_MAX];
  snprintf(joined, sizeof(joined), "%s%s", prefix, d->msg);
  memcpy(d->msg, joined, sizeof(d->msg));
  d->status = code;
  return code;
}

nv_status nv_diag_status(const nv_diag *d)
{
  return d == NULL ? NV_OK : d->status;
}

void nv_log(const nv_diag *d, nv_log_level level, const char *component,
            const char *fmt, ...)
{
  if (d == NULL || d->log_cb == NULL || level > d->log_max)
    return;
  char line[NV_DIAG_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  d->log_cb(level, component, line, d->log_user_data);
}

nv_quoted nv_quote(const char *s, size_t len)
{
  nv_quoted q;
  size_t n = len < NV_QUOTE_MAX ? len : NV_QUOTE_MAX;
  size_t i = 0;
  for (; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    q.s[i] = (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') ? (char)c : '?';
  }
  if (len > NV_QUOTE_MAX) {
    memcpy(q.s + i, "...", 3);
    i += 3;
  }
  q.s[i] = '\0';
  return q;
}
