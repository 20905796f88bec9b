#include "base/nv_buf.h"
#include "base/nv_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nv_buf_init(nv_buf *b, size_t limit)
{
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->limit = limit;
}

void nv_buf_free(nv_buf *b)
{
  if (b == NULL)
    return;
  free(b->data);
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
}

void nv_buf_free_secure(nv_buf *b)
{
  if (b == NULL)
    return;
  if (b->data != NULL) {
    /* volatile stops the compiler from dropping the wipe before free() */
    volatile uint8_t *p = b->data;
    for (size_t i = 0; i < b->cap; i++)
      p[i] = 0;
  }
  nv_buf_free(b);
}

void nv_buf_reset(nv_buf *b)
{
  b->len = 0;
}

nv_status nv_buf_reserve(nv_buf *b, size_t extra, nv_diag *d)
{
  /* +1 keeps room for nv_buf_terminate's NUL inside the same limit check. */
  if (extra > b->limit || b->len > b->limit - extra)
    return nv_diag_set(d, NV_E_LIMIT, "data exceeds the limit of %zu bytes", b->limit);
  size_t need = b->len + extra + 1;
  if (need <= b->cap)
    return NV_OK;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  if (cap > b->limit + 1)
    cap = b->limit + 1;
  uint8_t *p = realloc(b->data, cap);
  if (p == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory allocating %zu bytes", cap);
  b->data = p;
  b->cap = cap;
  return NV_OK;
}

nv_status nv_buf_append(nv_buf *b, const void *p, size_t n, nv_diag *d)
{
  if (n == 0)
    return NV_OK;
  nv_status rc = nv_buf_reserve(b, n, d);
  if (rc != NV_OK)
    return rc;
  memcpy(b->data + b->len, p, n);
  b->len += n;
  return NV_OK;
}

nv_status nv_buf_append_byte(nv_buf *b, uint8_t c, nv_diag *d)
{
  return nv_buf_append(b, &c, 1, d);
}

nv_status nv_buf_append_str(nv_buf *b, const char *s, nv_diag *d)
{
  return nv_buf_append(b, s, strlen(s), d);
}

nv_status nv_buf_append_json_string(nv_buf *b, const char *s, nv_diag *d)
{
  if (s == NULL)
    return nv_buf_append_str(b, "null", d);
  nv_status rc = nv_buf_append_byte(b, '"', d);
  const unsigned char *p = (const unsigned char *)s;
  size_t left = strlen(s);
  while (rc == NV_OK && left > 0) {
    char esc[8];
    size_t n = 1;
    if (*p == '"' || *p == '\\') {
      esc[0] = '\\';
      esc[1] = (char)*p;
      rc = nv_buf_append(b, esc, 2, d);
    } else if (*p < 0x20 || *p == 0x7f) {
      snprintf(esc, sizeof(esc), "\\u%04x", *p);
      rc = nv_buf_append_str(b, esc, d);
    } else if (*p < 0x80) {
      rc = nv_buf_append_byte(b, *p, d);
    } else if ((n = nv_utf8_seq(p, left)) > 0) {
      rc = nv_buf_append(b, p, n, d);
    } else {
      n = 1;
      rc = nv_buf_append_str(b, "\\ufffd", d);
    }
    p += n;
    left -= n;
  }
  return rc == NV_OK ? nv_buf_append_byte(b, '"', d) : rc;
}

nv_status nv_buf_terminate(nv_buf *b, nv_diag *d)
{
  nv_status rc = nv_buf_reserve(b, 0, d);
  if (rc != NV_OK)
    return rc;
  b->data[b->len] = 0;
  return NV_OK;
}

uint8_t *nv_buf_detach(nv_buf *b, size_t *len_out)
{
  uint8_t *p = b->data;
  if (len_out != NULL)
    *len_out = b->len;
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  return p;
}
