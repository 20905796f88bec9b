/* Bounded buffers: limits are enforced before allocation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include "base/nv_buf.h"

static void append_and_terminate(void **state)
{
  (void)state;
  nv_buf b;
  nv_buf_init(&b, 100);
  assert_int_equal(nv_buf_append_str(&b, "hello", NULL), NV_OK);
  assert_int_equal(nv_buf_append_byte(&b, ' ', NULL), NV_OK);
  assert_int_equal(nv_buf_append(&b, "world!", 5, NULL), NV_OK);
  assert_int_equal(nv_buf_terminate(&b, NULL), NV_OK);
  assert_int_equal(b.len, 11);
  assert_string_equal((char *)b.data, "hello world");
  assert_int_equal(nv_buf_append(&b, NULL, 0, NULL), NV_OK);
  assert_int_equal(b.len, 11);
  nv_buf_free(&b);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
}

static void limit_is_exact(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  nv_buf b;
  nv_buf_init(&b, 8);
  assert_int_equal(nv_buf_append(&b, "12345678", 8, &d), NV_OK);
  assert_int_equal(nv_buf_terminate(&b, &d), NV_OK); /* the NUL is not counted */
  assert_int_equal(nv_buf_append_byte(&b, '9', &d), NV_E_LIMIT);
  assert_non_null(strstr(d.msg, "8 bytes"));
  assert_int_equal(b.len, 8);
  assert_memory_equal(b.data, "12345678", 8);
  nv_buf_free(&b);
}

static void huge_requests_fail_without_allocating(void **state)
{
  (void)state;
  nv_buf b;
  nv_buf_init(&b, 1024);
  assert_int_equal(nv_buf_reserve(&b, SIZE_MAX, NULL), NV_E_LIMIT);
  assert_int_equal(nv_buf_reserve(&b, 1025, NULL), NV_E_LIMIT);
  assert_null(b.data);
  assert_int_equal(nv_buf_append_byte(&b, 1, NULL), NV_OK);
  assert_int_equal(nv_buf_reserve(&b, SIZE_MAX - 1, NULL), NV_E_LIMIT);
  assert_true(b.cap <= 1025);
  nv_buf_free(&b);
}

static void detach_hands_over(void **state)
{
  (void)state;
  nv_buf b;
  nv_buf_init(&b, 64);
  assert_int_equal(nv_buf_append_str(&b, "abc", NULL), NV_OK);
  size_t n = 0;
  uint8_t *p = nv_buf_detach(&b, &n);
  assert_int_equal(n, 3);
  assert_memory_equal(p, "abc", 3);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  free(p);
  nv_buf_reset(&b);
  nv_buf_free_secure(&b);
}

static void secure_free_and_reuse(void **state)
{
  (void)state;
  nv_buf b;
  nv_buf_init(&b, 64);
  assert_int_equal(nv_buf_append_str(&b, "secret", NULL), NV_OK);
  nv_buf_free_secure(&b);
  assert_null(b.data);
  assert_int_equal(nv_buf_append_str(&b, "again", NULL), NV_OK);
  assert_int_equal(b.len, 5);
  nv_buf_reset(&b);
  assert_int_equal(b.len, 0);
  nv_buf_free(&b);
  nv_buf_free(NULL);
  nv_buf_free_secure(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(append_and_terminate),
    cmocka_unit_test(limit_is_exact),
    cmocka_unit_test(huge_requests_fail_without_allocating),
    cmocka_unit_test(detach_hands_over),
    cmocka_unit_test(secure_free_and_reuse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
