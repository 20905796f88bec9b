/* Contexts: last error per context, log callback with user data. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <notaryc.h>
#include <string.h>

static int setup(void **state)
{
  nv_ctx *ctx = NULL;
  if (nv_global_init(NV_INIT_DEFAULT) != NV_OK || nv_ctx_new(&ctx) != NV_OK)
    return -1;
  *state = ctx;
  return 0;
}

static int teardown(void **state)
{
  nv_ctx_free(*state);
  nv_global_cleanup();
  return 0;
}

struct log_seen {
  int calls;
  nv_log_level level;
  char component[32];
  char message[256];
};

static void on_log(nv_log_level level, const char *component, const char *message, void *ud)
{
  struct log_seen *s = ud;
  s->calls++;
  s->level = level;
  strncpy(s->component, component, sizeof(s->component) - 1);
  strncpy(s->message, message, sizeof(s->message) - 1);
}

static void fresh_context_has_no_error(void **state)
{
  nv_ctx *ctx = *state;
  assert_non_null(nv_ctx_last_error(ctx));
  assert_string_equal(nv_ctx_last_error(ctx), "");
  assert_int_equal(nv_ctx_last_status(ctx), NV_OK);
  /* never NULL, even without a context */
  assert_non_null(nv_ctx_last_error(NULL));
  assert_true(strlen(nv_ctx_last_error(NULL)) > 0);
  assert_int_equal(nv_ctx_last_status(NULL), NV_E_INVALID_ARG);
}

static void log_callback_gets_user_data(void **state)
{
  nv_ctx *ctx = *state;
  struct log_seen seen;
  memset(&seen, 0, sizeof(seen));
  assert_int_equal(nv_ctx_set_log_cb(ctx, on_log, NV_LOG_DEBUG, &seen), NV_OK);
  assert_int_equal(seen.calls, 1);
  assert_int_equal(seen.level, NV_LOG_DEBUG);
  assert_string_equal(seen.component, "context");
  assert_non_null(strstr(seen.message, "log callback installed"));

  /* a less verbose level filters the DEBUG line */
  memset(&seen, 0, sizeof(seen));
  assert_int_equal(nv_ctx_set_log_cb(ctx, on_log, NV_LOG_WARN, &seen), NV_OK);
  assert_int_equal(seen.calls, 0);
  assert_int_equal(nv_ctx_set_log_cb(ctx, NULL, 0, NULL), NV_OK);
}

static void bad_level_is_reported_on_the_context(void **state)
{
  nv_ctx *ctx = *state;
  struct log_seen seen;
  memset(&seen, 0, sizeof(seen));
  assert_int_equal(nv_ctx_set_log_cb(ctx, on_log, 9, &seen), NV_E_INVALID_ARG);
  assert_int_equal(nv_ctx_last_status(ctx), NV_E_INVALID_ARG);
  assert_non_null(strstr(nv_ctx_last_error(ctx), "log level 9"));
  assert_int_equal(seen.calls, 0);
  assert_int_equal(nv_ctx_set_log_cb(ctx, on_log, 0, &seen), NV_E_INVALID_ARG);
  assert_int_equal(nv_ctx_set_log_cb(NULL, on_log, NV_LOG_INFO, &seen), NV_E_INVALID_ARG);
  /* the next successful call clears the error */
  assert_int_equal(nv_ctx_set_log_cb(ctx, on_log, NV_LOG_INFO, &seen), NV_OK);
  assert_string_equal(nv_ctx_last_error(ctx), "");
  assert_int_equal(nv_ctx_last_status(ctx), NV_OK);
}

static void errors_are_per_context(void **state)
{
  nv_ctx *a = *state;
  nv_ctx *b = NULL;
  assert_int_equal(nv_ctx_new(&b), NV_OK);
  assert_int_equal(nv_ctx_set_log_cb(a, on_log, 42, NULL), NV_E_INVALID_ARG);
  assert_string_equal(nv_ctx_last_error(b), "");
  assert_int_equal(nv_ctx_last_status(b), NV_OK);
  assert_int_not_equal(nv_ctx_last_status(a), NV_OK);
  nv_ctx_free(b);
  nv_ctx_free(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(fresh_context_has_no_error, setup, teardown),
    cmocka_unit_test_setup_teardown(log_callback_gets_user_data, setup, teardown),
    cmocka_unit_test_setup_teardown(bad_level_is_reported_on_the_context, setup, teardown),
    cmocka_unit_test_setup_teardown(errors_are_per_context, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
