/* Temporary OCI image layouts for the verification tests; see
 * layout_helpers.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "layout_helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/nv_digest.h"

void tl_mkdtemp(char out[TL_PATH_MAX])
{
  const char *tmp = getenv("TMPDIR");
  if (tmp == NULL || tmp[0] == '\0')
    tmp = "/tmp";
  int n = snprintf(out, TL_PATH_MAX, "%s/nv-verify-XXXXXX", tmp);
  assert_true(n > 0 && n < TL_PATH_MAX);
  if (mkdtemp(out) == NULL)
    fail_msg("mkdtemp %s: %s", out, strerror(errno));
}

static void join(char out[TL_PATH_MAX], const char *dir, const char *name)
{
  int n = snprintf(out, TL_PATH_MAX, "%s/%s", dir, name);
  assert_true(n > 0 && n < TL_PATH_MAX);
}

void tl_rmtree(const char *path)
{
  struct stat st;
  if (lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    DIR *dir = opendir(path);
    assert_non_null(dir);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      char child[TL_PATH_MAX];
      join(child, path, e->d_name);
      tl_rmtree(child);
    }
    closedir(dir);
    if (rmdir(path) != 0)
      fail_msg("rmdir %s: %s", path, strerror(errno));
  } else if (unlink(path) != 0) {
    fail_msg("unlink %s: %s", path, strerror(errno));
  }
}

static void write_path(const char *path, const void *data, size_t len)
{
  FILE *f = fopen(path, "wb");
  if (f == NULL)
    fail_msg("cannot create %s: %s", path, strerror(errno));
  assert_int_equal(fwrite(data, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

static void copy_file(const char *src, const char *dst)
{
  bytes b = slurp_path(src);
  write_path(dst, b.data, b.len);
  bytes_free(&b);
}

static void make_dir(const char *path)
{
  if (mkdir(path, 0700) != 0)
    fail_msg("mkdir %s: %s", path, strerror(errno));
}

void tl_copy_layout(const char *src, const char *dst)
{
  char s[TL_PATH_MAX], d[TL_PATH_MAX];
  struct stat st;
  if (stat(dst, &st) != 0)
    make_dir(dst);
  static const char *const top[] = {"oci-layout", "index.json"};
  for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++) {
    join(s, src, top[i]);
    join(d, dst, top[i]);
    copy_file(s, d);
  }
  join(d, dst, "blobs");
  make_dir(d);
  join(d, dst, "blobs/sha256");
  make_dir(d);
  join(s, src, "blobs/sha256");
  DIR *dir = opendir(s);
  if (dir == NULL)
    fail_msg("opendir %s: %s", s, strerror(errno));
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char from[TL_PATH_MAX], to[TL_PATH_MAX];
    join(from, s, e->d_name);
    join(to, d, e->d_name);
    copy_file(from, to);
  }
  closedir(dir);
}

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
  char path[TL_PATH_MAX];
  join(path, layout, name);
  write_path(path, text, strlen(text));
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
