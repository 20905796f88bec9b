/* Temporary OCI image layouts for the verification tests; see
 * layout_helpers.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "layout_helpers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/nv_digest.h"

void tl_blob_path(const char *layout, const char *digest, char out[TL_PATH_MAX])
{
  const char *colon = strchr(digest, ':');
  assert_non_null(colon);
  int n = snprintf(out, TL_PATH_MAX, "%s/blobs/%.*s/%s", layout, (int)(colon - digest), digest,
                   colon + 1);
  assert_true(n > 0 && n < TL_PATH_MAX);
}

bytes tl_read_blob(const char *layout, const char *digest)
{
  char path[TL_PATH_MAX];
  tl_blob_path(layout, digest, path);
  return slurp_path(path);
}

void tl_replace_blob(const char *layout, const char *digest, const void *data, size_t len)
{
  char path[TL_PATH_MAX];
  tl_blob_path(layout, digest, path);
  write_path(path, data, len);
}

tl_blob tl_add_blob(const char *layout, const void *data, size_t len)
{
  tl_blob b;
  nv_digest dg;
  assert_int_equal(nv_digest_compute(NV_DIGEST_SHA256, data, len, &dg, NULL), NV_OK);
  char text[NV_DIGEST_STRING_MAX];
  assert_int_equal(nv_digest_format(&dg, text, sizeof(text), NULL), NV_OK);
  assert_true(strlen(text) < TL_DIGEST_MAX);
  snprintf(b.digest, sizeof(b.digest), "%s", text);
  b.size = len;
  tl_replace_blob(layout, b.digest, data, len);
  return b;
}

tl_blob tl_add_text(const char *layout, const char *text)
{
  return tl_add_blob(layout, text, strlen(text));
}

void tl_remove_blob(const char *layout, const char *digest)
{
  char path[TL_PATH_MAX];
  tl_blob_path(layout, digest, path);
  if (unlink(path) != 0)
    fail_msg("unlink %s: %s", path, strerror(errno));
}

void tl_write_file(const char *layout, const char *name, const char *text)
{
  write_in(layout, name, text, strlen(text));
}

static char **strings;
static size_t string_count;

void tl_free_strings(void)
{
  for (size_t i = 0; i < string_count; i++)
    free(strings[i]);
  free(strings);
  strings = NULL;
  string_count = 0;
}

char *tl_strf(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  assert_true(n >= 0);
  char *s = malloc((size_t)n + 1);
  assert_non_null(s);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  char **grown = realloc(strings, (string_count + 1) * sizeof(*grown));
  assert_non_null(grown);
  strings = grown;
  strings[string_count++] = s;
  return s;
}
