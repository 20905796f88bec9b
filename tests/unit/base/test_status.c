/* The status table against the public header, and the category ranges. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <notaryc/nv_errors.h>

struct enumerator {
  const char *name;
  nv_status value;
  long long written; /* the literal as written in the header */
};

static const struct enumerator all[] = {
#include "status_list.h"
};
#define N_ALL (sizeof(all) / sizeof(all[0]))

static void every_enumerator_has_a_row(void **state)
{
  (void)state;
  assert_true(N_ALL > 150); /* the whole catalogue, not a stub */
  for (size_t i = 0; i < N_ALL; i++) {
    const char *name = nv_status_name(all[i].value);
    if (name == NULL || strcmp(name, all[i].name) != 0)
      fail_msg("%s (%d) is named \"%s\" by nv_status_name", all[i].name, (int)all[i].value,
               name ? name : "(null)");
    const char *text = nv_strerror(all[i].value);
    assert_non_null(text);
    assert_true(strlen(text) > 3);
    assert_string_not_equal(text, nv_strerror(-999999));
  }
}

static void values_are_unique_and_fixed_width(void **state)
{
  (void)state;
  for (size_t i = 0; i < N_ALL; i++) {
    assert_int_equal((long long)all[i].value, all[i].written);
    for (size_t j = i + 1; j < N_ALL; j++)
      if (all[i].value == all[j].value)
        fail_msg("%s and %s share the value %d", all[i].name, all[j].name, (int)all[i].value);
  }
  assert_int_equal(sizeof(nv_status), 4);
}

static void categories_follow_ranges(void **state)
{
  (void)state;
  for (size_t i = 0; i < N_ALL; i++) {
    nv_status v = all[i].value;
    nv_category c = nv_status_category(v);
    if (v == NV_OK)
      assert_int_equal(c, NV_CAT_OK);
    else if (v > 0)
      assert_int_equal(c, NV_CAT_INFO);
    else if (v > -1000)
      assert_int_equal(c, NV_CAT_OPERATIONAL);
    else if (v > -2000)
      assert_int_equal(c, NV_CAT_VERDICT);
    else if (v > -3000)
      assert_int_equal(c, NV_CAT_CHECK);
    else
      fail_msg("%s (%d) is outside every range", all[i].name, (int)v);
  }
  /* boundaries and unknown values: fail closed */
  assert_int_equal(nv_status_category(-999), NV_CAT_OPERATIONAL);
  assert_int_equal(nv_status_category(-1000), NV_CAT_VERDICT);
  assert_int_equal(nv_status_category(-1999), NV_CAT_VERDICT);
  assert_int_equal(nv_status_category(-2000), NV_CAT_CHECK);
  assert_int_equal(nv_status_category(-2999), NV_CAT_CHECK);
  assert_int_equal(nv_status_category(-3000), NV_CAT_OPERATIONAL);
  assert_int_equal(nv_status_category(INT32_MIN), NV_CAT_OPERATIONAL);
  assert_int_equal(nv_status_category(INT32_MAX), NV_CAT_INFO);
}

static void unknown_values(void **state)
{
  (void)state;
  assert_null(nv_status_name(-4242));
  assert_string_equal(nv_strerror(-4242), "unknown status code");
  assert_string_equal(nv_strerror(INT32_MIN), "unknown status code");
  assert_string_equal(nv_status_name(NV_OK), "NV_OK");
  assert_string_equal(nv_strerror(NV_E_SKIPPED),
                      "verification skipped: the trust policy level is skip");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_enumerator_has_a_row),
    cmocka_unit_test(values_are_unique_and_fixed_width),
    cmocka_unit_test(categories_follow_ranges),
    cmocka_unit_test(unknown_values),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
