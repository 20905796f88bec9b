/*
 * Bounded byte buffers. A buffer has a hard limit fixed at init; growing past
 * it fails with NV_E_LIMIT before any allocation happens.
 */
#ifndef NV_BASE_BUF_H
#define NV_BASE_BUF_H

#include <stddef.h>
#include <stdint.h>
#include "base/nv_diag.h"

typedef struct nv_buf {
  uint8_t *data;
  size_t len;
  size_t cap;
  size_t limit;
} nv_buf;

/* A read-only view of bytes owned by someone else. */
typedef struct nv_bytes {
  const uint8_t *data;
  size_t len;
} nv_bytes;

void nv_buf_init(nv_buf *b, size_t limit);
void nv_buf_free(nv_buf *b);
/* Free the contents after overwriting them with zeros (for secrets). */
void nv_buf_free_secure(nv_buf *b);
void nv_buf_reset(nv_buf *b);

/* Make room for `extra` more bytes. NV_E_LIMIT or NV_E_NOMEM on failure. */
nv_status nv_buf_reserve(nv_buf *b, size_t extra, nv_diag *d);
nv_status nv_buf_append(nv_buf *b, const void *p, size_t n, nv_diag *d);
nv_status nv_buf_append_byte(nv_buf *b, uint8_t c, nv_diag *d);
nv_status nv_buf_append_str(nv_buf *b, const char *s, nv_diag *d);

/* Append `s` as a JSON string literal: quotes, escapes for '"', '\\' and
 * control characters, and U+FFFD for each byte that does not start valid
 * UTF-8, so the output is always valid JSON. NULL appends null. */
nv_status nv_buf_append_json_string(nv_buf *b, const char *s, nv_diag *d);

/* Append a NUL that is not counted in len, so data can be used as a C string. */
nv_status nv_buf_terminate(nv_buf *b, nv_diag *d);

/* Hand the contents to the caller (free() them) and reset the buffer. */
uint8_t *nv_buf_detach(nv_buf *b, size_t *len_out);

#endif /* NV_BASE_BUF_H */
