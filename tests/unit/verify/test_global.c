/* nv_global_init / nv_global_cleanup through the public API. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <notaryc.h>
#include <pthread.h>
#include <string.h>

static void context_needs_init(void **state)
{
  (void)state;
  nv_ctx *ctx = (nv_ctx *)&ctx; /* must be reset to NULL on failure */
  assert_int_equal(nv_ctx_new(&ctx), NV_E_NOT_INITIALIZED);
  assert_null(ctx);
  assert_int_equal(nv_ctx_new(NULL), NV_E_INVALID_ARG);
}

static void refcounted(void **state)
{
  (void)state;
  nv_ctx *ctx = NULL;
  assert_int_equal(nv_global_init(NV_INIT_DEFAULT), NV_OK);
  assert_int_equal(nv_global_init(NV_INIT_DEFAULT), NV_OK);
  nv_global_cleanup();
  assert_int_equal(nv_ctx_new(&ctx), NV_OK); /* one reference left */
  nv_ctx_free(ctx);
  nv_global_cleanup();
  assert_int_equal(nv_ctx_new(&ctx), NV_E_NOT_INITIALIZED);
  nv_global_cleanup(); /* extra cleanups are harmless */
  assert_int_equal(nv_ctx_new(&ctx), NV_E_NOT_INITIALIZED);
}

static void flags_are_checked(void **state)
{
  (void)state;
  assert_int_equal(nv_global_init(1u << 7), NV_E_INVALID_ARG);
  assert_int_equal(nv_global_init(NV_INIT_NO_CURL), NV_OK);
  assert_int_equal(nv_global_init(NV_INIT_DEFAULT), NV_E_INVALID_ARG); /* first flags win */
  assert_int_equal(nv_global_init(NV_INIT_NO_CURL), NV_OK);
  nv_global_cleanup();
  nv_global_cleanup();
  nv_ctx *ctx = NULL;
  assert_int_equal(nv_ctx_new(&ctx), NV_E_NOT_INITIALIZED);
}

#define THREADS 8
#define ROUNDS 200

static void *init_loop(void *arg)
{
  (void)arg;
  for (int i = 0; i < ROUNDS; i++) {
    if (nv_global_init(NV_INIT_DEFAULT) != NV_OK)
      return (void *)1;
    nv_ctx *ctx = NULL;
    if (nv_ctx_new(&ctx) != NV_OK)
      return (void *)1;
    nv_ctx_free(ctx);
    nv_global_cleanup();
  }
  return NULL;
}

static void thread_safe(void **state)
{
  (void)state;
  /* one long-lived reference keeps libcurl initialised, as a real program would */
  assert_int_equal(nv_global_init(NV_INIT_DEFAULT), NV_OK);
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++)
    assert_int_equal(pthread_create(&t[i], NULL, init_loop, NULL), 0);
  for (int i = 0; i < THREADS; i++) {
    void *res = (void *)1;
    assert_int_equal(pthread_join(t[i], &res), 0);
    assert_null(res);
  }
  nv_global_cleanup();
  nv_ctx *ctx = NULL;
  assert_int_equal(nv_ctx_new(&ctx), NV_E_NOT_INITIALIZED);
}

static void version(void **state)
{
  (void)state;
  assert_string_equal(nv_version_string(), NV_VERSION_STRING);
  assert_int_equal(nv_version_number(), NV_VERSION_NUMBER);
  assert_true(NV_VERSION_CHECK(0, 1, 0));
  assert_false(NV_VERSION_CHECK(99, 0, 0));
  nv_free(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(context_needs_init),
    cmocka_unit_test(refcounted),
    cmocka_unit_test(flags_are_checked),
    cmocka_unit_test(thread_safe),
    cmocka_unit_test(version),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
