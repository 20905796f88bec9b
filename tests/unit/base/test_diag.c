/* Per-context diagnostics: codes, messages, truncation, wrapping, logging. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include "base/nv_diag.h"

static void set_returns_code_and_keeps_message(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_diag_status(&d), NV_OK);
  assert_string_equal(d.msg, "");
  assert_int_equal(nv_diag_set(&d, NV_E_PARSE, "bad %s at %d", "thing", 7), NV_E_PARSE);
  assert_int_equal(nv_diag_status(&d), NV_E_PARSE);
  assert_string_equal(d.msg, "bad thing at 7");
  nv_diag_clear(&d);
  assert_int_equal(nv_diag_status(&d), NV_OK);
  assert_string_equal(d.msg, "");
}

static void null_diag_is_allowed(void **state)
{
  (void)state;
  assert_int_equal(nv_diag_set(NULL, NV_E_LIMIT, "x"), NV_E_LIMIT);
  assert_int_equal(nv_diag_wrap(NULL, NV_E_IO, "y"), NV_E_IO);
  /* "keep the code" without a diag must not turn a failure into NV_OK */
  assert_int_equal(nv_diag_wrap(NULL, NV_OK, "y"), NV_E_GENERIC);
  nv_diag empty;
  nv_diag_init(&empty);
  assert_int_equal(nv_diag_wrap(&empty, NV_OK, "y"), NV_E_GENERIC);
  assert_int_equal(nv_diag_status(NULL), NV_OK);
  nv_diag_clear(NULL);
  nv_log(NULL, NV_LOG_ERROR, "t", "nothing");
}

static void long_messages_are_truncated(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  char big[3 * NV_DIAG_MSG_MAX];
  memset(big, 'a', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  nv_diag_set(&d, NV_E_PARSE, "%s", big);
  assert_int_equal(strlen(d.msg), NV_DIAG_MSG_MAX - 1);
  nv_diag_wrap(&d, NV_OK, "prefix: ");
  assert_int_equal(strlen(d.msg), NV_DIAG_MSG_MAX - 1);
  assert_memory_equal(d.msg, "prefix: aaa", 11);
}

static void wrap_prefixes_and_can_recode(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  nv_diag_set(&d, NV_E_JSON_TYPE, "member \"level\" must be a string");
  assert_int_equal(nv_diag_wrap(&d, NV_OK, "statement \"%s\": ", "s1"), NV_E_JSON_TYPE);
  assert_string_equal(d.msg, "statement \"s1\": member \"level\" must be a string");
  assert_int_equal(nv_diag_wrap(&d, NV_E_POLICY_MALFORMED, "trust policy: "), NV_E_POLICY_MALFORMED);
  assert_int_equal(nv_diag_status(&d), NV_E_POLICY_MALFORMED);
  assert_string_equal(d.msg, "trust policy: statement \"s1\": member \"level\" must be a string");
}

struct seen {
  int calls;
  nv_log_level level;
  char component[32];
  char message[128];
};

static void record(nv_log_level level, const char *component, const char *message, void *ud)
{
  struct seen *s = ud;
  s->calls++;
  s->level = level;
  strncpy(s->component, component, sizeof(s->component) - 1);
  strncpy(s->message, message, sizeof(s->message) - 1);
}

static void log_respects_level_and_user_data(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  struct seen s;
  memset(&s, 0, sizeof(s));
  nv_log(&d, NV_LOG_ERROR, "x", "no callback yet");
  d.log_cb = record;
  d.log_max = NV_LOG_WARN;
  d.log_user_data = &s;
  nv_log(&d, NV_LOG_INFO, "verify", "too verbose");
  assert_int_equal(s.calls, 0);
  nv_log(&d, NV_LOG_WARN, "verify", "tag %s is mutable", "v1");
  assert_int_equal(s.calls, 1);
  assert_int_equal(s.level, NV_LOG_WARN);
  assert_string_equal(s.component, "verify");
  assert_string_equal(s.message, "tag v1 is mutable");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(set_returns_code_and_keeps_message),
    cmocka_unit_test(null_diag_is_allowed),
    cmocka_unit_test(long_messages_are_truncated),
    cmocka_unit_test(wrap_prefixes_and_can_recode),
    cmocka_unit_test(log_respects_level_and_user_data),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
