/*
 * Test inputs and temporary directories for the unit tests of every layer.
 * Include after <cmocka.h>: each helper fails the current test on an error.
 * Files are read into buffers of exactly their size, so a read past the end
 * is caught by ASan and valgrind (slurp_text adds only its NUL).
 */
#ifndef NV_TEST_FILES_H
#define NV_TEST_FILES_H

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct bytes {
  uint8_t *data;
  size_t len;
} bytes;

/* dir/name into out (fails the test when it does not fit). */
static inline void path_join(char *out, size_t size, const char *dir, const char *name)
{
  int n = snprintf(out, size, "%s/%s", dir, name);
  assert_true(n > 0 && (size_t)n < size);
}

/* The file's bytes, `extra` zero bytes after them (not counted in len). */
static inline bytes slurp_padded(const char *path, size_t extra)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    fail_msg("cannot open %s", path);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  long n = ftell(f);
  assert_true(n >= 0);
  assert_int_equal(fseek(f, 0, SEEK_SET), 0);
  bytes b = {malloc((size_t)n + extra), (size_t)n};
  assert_non_null(b.data);
  assert_int_equal(fread(b.data, 1, b.len, f), b.len);
  if (extra > 0)
    memset(b.data + b.len, 0, extra);
  fclose(f);
  return b;
}

/* A file that must not be empty, in a buffer of exactly its size. */
static inline bytes slurp_path(const char *path)
{
  bytes b = slurp_padded(path, 0);
  assert_true(b.len > 0);
  return b;
}

static inline bytes slurp_in(const char *dir, const char *name)
{
  char path[1024];
  path_join(path, sizeof(path), dir, name);
  return slurp_path(path);
}

/* A text file (may be empty) with a NUL after its bytes. */
static inline bytes slurp_text(const char *path)
{
  return slurp_padded(path, 1);
}

static inline void bytes_free(bytes *b)
{
  free(b->data);
  b->data = NULL;
  b->len = 0;
}

/* Create or truncate `path` with `len` bytes of `data`. */
static inline void write_path(const char *path, const void *data, size_t len)
{
  FILE *f = fopen(path, "wb");
  if (f == NULL)
    fail_msg("cannot create %s: %s", path, strerror(errno));
  assert_int_equal(fwrite(data, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

static inline void write_in(const char *dir, const char *name, const void *data, size_t len)
{
  char path[1024];
  path_join(path, sizeof(path), dir, name);
  write_path(path, data, len);
}

/* A new empty directory <$TMPDIR or /tmp>/<prefix>-XXXXXX, its path in out. */
static inline void tmp_dir_new(char *out, size_t size, const char *prefix)
{
  const char *base = getenv("TMPDIR");
  int n = snprintf(out, size, "%s/%s-XXXXXX", base != NULL && base[0] != '\0' ? base : "/tmp",
                   prefix);
  assert_true(n > 0 && (size_t)n < size);
  if (mkdtemp(out) == NULL)
    fail_msg("mkdtemp %s: %s", out, strerror(errno));
}

static inline DIR *open_dir(const char *path)
{
  DIR *dir = opendir(path);
  if (dir == NULL)
    fail_msg("opendir %s: %s", path, strerror(errno));
  return dir;
}

/* The next entry of `dir` other than "." and "..", NULL at the end. */
static inline const char *next_name(DIR *dir)
{
  struct dirent *e;
  while ((e = readdir(dir)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      return e->d_name;
  return NULL;
}

/* Remove a directory tree without following symbolic links (a missing
 * path is not an error). */
static inline void rm_tree(const char *path)
{
  struct stat st;
  if (lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    DIR *dir = open_dir(path);
    for (const char *name; (name = next_name(dir)) != NULL;) {
      char child[4096];
      path_join(child, sizeof(child), path, name);
      rm_tree(child);
    }
    closedir(dir);
    if (rmdir(path) != 0)
      fail_msg("rmdir %s: %s", path, strerror(errno));
  } else if (unlink(path) != 0) {
    fail_msg("unlink %s: %s", path, strerror(errno));
  }
}

/* Copy the directory tree `src` (directories and regular files only) into
 * `dst`, made when missing. */
static inline void copy_tree(const char *src, const char *dst)
{
  struct stat st;
  if (stat(dst, &st) != 0 && mkdir(dst, 0700) != 0)
    fail_msg("mkdir %s: %s", dst, strerror(errno));
  DIR *dir = open_dir(src);
  for (const char *name; (name = next_name(dir)) != NULL;) {
    char from[4096], to[4096];
    path_join(from, sizeof(from), src, name);
    path_join(to, sizeof(to), dst, name);
    if (lstat(from, &st) != 0)
      fail_msg("lstat %s: %s", from, strerror(errno));
    if (S_ISDIR(st.st_mode)) {
      copy_tree(from, to);
    } else if (S_ISREG(st.st_mode)) {
      bytes b = slurp_padded(from, 1);
      write_path(to, b.data, b.len);
      bytes_free(&b);
    } else {
      fail_msg("copy_tree: %s is neither a directory nor a regular file", from);
    }
  }
  closedir(dir);
}

#endif /* NV_TEST_FILES_H */
