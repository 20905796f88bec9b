/*
 * Reading test inputs for the verify-layer tests. Include after <cmocka.h>.
 * Files are read into buffers of exactly their size, so a read past the end
 * is caught by ASan and valgrind.
 */
#ifndef NV_TEST_FILES_H
#define NV_TEST_FILES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct bytes {
  uint8_t *data;
  size_t len;
} bytes;

static inline bytes slurp_path(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    fail_msg("cannot open %s", path);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  long n = ftell(f);
  assert_true(n > 0);
  assert_int_equal(fseek(f, 0, SEEK_SET), 0);
  bytes b = {malloc((size_t)n), (size_t)n};
  assert_non_null(b.data);
  assert_int_equal(fread(b.data, 1, b.len, f), b.len);
  fclose(f);
  return b;
}

static inline bytes slurp_in(const char *dir, const char *name)
{
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  return slurp_path(path);
}

static inline void bytes_free(bytes *b)
{
  free(b->data);
  b->data = NULL;
  b->len = 0;
}

#endif /* NV_TEST_FILES_H */
