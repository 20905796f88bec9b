/* Verification levels, actions and override rules (notary-spec.md 13.4). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "policy/nv_pol_level.h"

static void level_table(void **state)
{
  (void)state;
  /* expected actions as spelled in the specification's table */
  static const struct {
    const char *level;
    const char *actions[NV_POL_CHECK_COUNT];
  } rows[] = {
    {"strict", {"enforce", "enforce", "enforce", "enforce", "enforce"}},
    {"permissive", {"enforce", "enforce", "log", "log", "log"}},
    {"audit", {"enforce", "log", "log", "log", "log"}},
    {"skip", {"skip", "skip", "skip", "skip", "skip"}},
  };
  for (size_t r = 0; r < 4; r++) {
    nv_pol_level level = nv_pol_level_from_name(rows[r].level);
    assert_int_not_equal(level, NV_POL_LEVEL_NONE);
    assert_string_equal(nv_pol_level_name(level), rows[r].level);
    for (int c = 0; c < NV_POL_CHECK_COUNT; c++)
      assert_string_equal(nv_pol_action_name(nv_pol_level_action(level, (nv_pol_check)c)),
                          rows[r].actions[c]);
  }
}

static void names_are_exact(void **state)
{
  (void)state;
  assert_int_equal(nv_pol_level_from_name("Strict"), NV_POL_LEVEL_NONE);
  assert_int_equal(nv_pol_level_from_name("custom"), NV_POL_LEVEL_NONE);
  assert_int_equal(nv_pol_level_from_name(""), NV_POL_LEVEL_NONE);
  assert_int_equal(nv_pol_level_from_name(NULL), NV_POL_LEVEL_NONE);
  assert_int_equal(nv_pol_check_from_name("authenticTimestamp"), NV_POL_CHECK_AUTHENTIC_TIMESTAMP);
  assert_int_equal(nv_pol_check_from_name("authentictimestamp"), NV_POL_CHECK_COUNT);
  assert_int_equal(nv_pol_action_from_name("log"), NV_POL_ACTION_LOG);
  assert_int_equal(nv_pol_action_from_name("Log"), NV_POL_ACTION_NONE);
  assert_null(nv_pol_level_name(NV_POL_LEVEL_NONE));
  assert_null(nv_pol_check_name(NV_POL_CHECK_COUNT));
  assert_null(nv_pol_action_name(NV_POL_ACTION_NONE));
  assert_int_equal(nv_pol_level_action(NV_POL_LEVEL_NONE, NV_POL_CHECK_EXPIRY), NV_POL_ACTION_NONE);
}

static void override_rules(void **state)
{
  (void)state;
  nv_pol_level strict = NV_POL_LEVEL_STRICT;
  assert_int_equal(nv_pol_override_allowed(strict, NV_POL_CHECK_REVOCATION, NV_POL_ACTION_SKIP, NULL), NV_OK);
  assert_int_equal(nv_pol_override_allowed(strict, NV_POL_CHECK_EXPIRY, NV_POL_ACTION_LOG, NULL), NV_OK);
  assert_int_equal(nv_pol_override_allowed(NV_POL_LEVEL_AUDIT, NV_POL_CHECK_AUTHENTICITY, NV_POL_ACTION_ENFORCE, NULL), NV_OK);
  assert_int_equal(nv_pol_override_allowed(NV_POL_LEVEL_SKIP, NV_POL_CHECK_EXPIRY, NV_POL_ACTION_LOG, NULL),
                   NV_E_POLICY_OVERRIDE_WITH_SKIP);
  assert_int_equal(nv_pol_override_allowed(strict, NV_POL_CHECK_INTEGRITY, NV_POL_ACTION_ENFORCE, NULL),
                   NV_E_POLICY_OVERRIDE_INTEGRITY);
  assert_int_equal(nv_pol_override_allowed(strict, NV_POL_CHECK_AUTHENTICITY, NV_POL_ACTION_SKIP, NULL),
                   NV_E_POLICY_OVERRIDE_SKIP_NOT_ALLOWED);
  assert_int_equal(nv_pol_override_allowed(strict, NV_POL_CHECK_EXPIRY, NV_POL_ACTION_SKIP, NULL),
                   NV_E_POLICY_OVERRIDE_SKIP_NOT_ALLOWED);
  assert_int_equal(nv_pol_override_allowed(strict, NV_POL_CHECK_AUTHENTIC_TIMESTAMP, NV_POL_ACTION_SKIP, NULL),
                   NV_E_POLICY_OVERRIDE_SKIP_NOT_ALLOWED);
  assert_int_equal(nv_pol_override_allowed(strict, NV_POL_CHECK_COUNT, NV_POL_ACTION_LOG, NULL),
                   NV_E_POLICY_OVERRIDE_TYPE_INVALID);
  assert_int_equal(nv_pol_override_allowed(strict, NV_POL_CHECK_EXPIRY, NV_POL_ACTION_NONE, NULL),
                   NV_E_POLICY_OVERRIDE_ACTION_INVALID);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(level_table),
    cmocka_unit_test(names_are_exact),
    cmocka_unit_test(override_rules),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
