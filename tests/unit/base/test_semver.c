/* Semantic versions (nv_semver.h): the semver.org grammar for validation,
 * golang.org/x/mod/semver's precedence for comparison. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/nv_semver.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void valid(void **state)
{
  (void)state;
  static const char *const good[] = {
      "0.0.0", "1.0.0", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7",
      "1.0.0-x.7.z.92", "1.0.0-x-y-z.--", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
      "1.0.0-alpha-a.b-c", "1.0.0+21AF26D3----117B344092BD", "1.0.0+0001", "1.0.0-0a",
      "1.0.0-00a", "99999999999999999999999.0.0", "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
  };
  for (size_t i = 0; i < COUNT(good); i++)
    if (!nv_semver_valid(good[i]))
      fail_msg("\"%s\" should be valid SemVer", good[i]);
}

static void invalid(void **state)
{
  (void)state;
  static const char *const bad[] = {
      "", "1", "1.0", "1.0.", "v1.0.0", "V1.0.0", "1.0.0.0", "01.0.0", "1.02.0", "1.0.00",
      "1.0.0-", "1.0.0-01", "1.0.0-alpha.01", "1.0.0+", "1.0.0-a..b", "1.0.0+a..b",
      "1.0.0-a.", "1.0.0+a.", "1-pre+meta", "1-pre", "1+meta", "1.2-pre", "1.2+meta",
      " 1.0.0", "1.0.0 ", "a.b.c", "1.0.0-\xc3\xa9", "1.0.0+\xc3\xa9", "1.0.0-a_b", "-1.0.0",
      "+1.0.0", "1.0.0-alpha+beta+gamma", "1..0", ".1.0.0",
  };
  for (size_t i = 0; i < COUNT(bad); i++)
    if (nv_semver_valid(bad[i]))
      fail_msg("\"%s\" should not be valid SemVer", bad[i]);
  assert_false(nv_semver_valid(NULL));
}

static void check_order(const char *const *v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      int want = i < j ? -1 : i > j ? 1 : 0;
      int got = nv_semver_compare(v[i], v[j]);
      if (got != want)
        fail_msg("compare(\"%s\", \"%s\") = %d, want %d", v[i], v[j], got, want);
    }
}

/* semver.org 11.4's example, then numbers longer than any integer type. */
static void precedence(void **state)
{
  (void)state;
  static const char *const order[] = {
      "0.9.9", "1.0.0-0", "1.0.0-2", "1.0.0-10", "1.0.0-10.1", "1.0.0-1a", "1.0.0-A",
      "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
      "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0",
      "18446744073709551615.0.0", "18446744073709551616.0.0", "99999999999999999999999.0.0",
  };
  check_order(order, COUNT(order));
}

/* Numeric identifiers order before alphanumeric ones whatever their
 * digits; alphanumeric ones in ASCII order ('-' < digits < upper < lower). */
static void prerelease_identifiers(void **state)
{
  (void)state;
  static const char *const order[] = {
      "1.0.0-99999999999999999999", "1.0.0--", "1.0.0-0-", "1.0.0-1-", "1.0.0-Z",
      "1.0.0-a", "1.0.0-a.0", "1.0.0-a.0.0", "1.0.0-a.1", "1.0.0-a.-", "1.0.0-a.a",
      "1.0.0-aa", "1.0.0-b",
  };
  check_order(order, COUNT(order));
}

static void build_ignored(void **state)
{
  (void)state;
  assert_int_equal(nv_semver_compare("1.0.0+a", "1.0.0+b"), 0);
  assert_int_equal(nv_semver_compare("1.0.0+a", "1.0.0"), 0);
  assert_int_equal(nv_semver_compare("1.0.0-rc.1+9", "1.0.0-rc.1+1"), 0);
  assert_int_equal(nv_semver_compare("1.0.0-rc.1+build", "1.0.0"), -1);
  assert_int_equal(nv_semver_compare("1.0.1+0", "1.0.0+9"), 1);
}

/* x/mod/semver's shorthands: MAJOR and MAJOR.MINOR, nothing after them.
 * "1-pre+meta" is not a version, so it orders before every version; that
 * is why notation-go's min-version check says yes to it. */
static void shorthand(void **state)
{
  (void)state;
  assert_int_equal(nv_semver_compare("1", "1.0.0"), 0);
  assert_int_equal(nv_semver_compare("1.2", "1.2.0"), 0);
  assert_int_equal(nv_semver_compare("1.19", "1.2"), 1);
  assert_int_equal(nv_semver_compare("2", "1.99.99"), 1);
  assert_int_equal(nv_semver_compare("1.0", "1.0.0-rc.1"), 1);
  static const char *const not_versions[] = {"1-pre+meta", "1-pre", "1+meta", "1.2-pre",
                                             "1.2+meta", "v1.0.0", "01", "1.",
                                             "", "1.0.0.0", "bad"};
  for (size_t i = 0; i < COUNT(not_versions); i++) {
    const char *s = not_versions[i];
    if (nv_semver_compare(s, "0.0.0-0") != -1 || nv_semver_compare("0.0.0-0", s) != 1)
      fail_msg("\"%s\" should order before every version", s);
    if (nv_semver_compare(s, "bad") != 0 || nv_semver_compare(s, NULL) != 0)
      fail_msg("\"%s\" should order equal to other non-versions", s);
  }
  assert_int_equal(nv_semver_compare(NULL, NULL), 0);
  /* shorthands are for comparing only */
  assert_false(nv_semver_valid("1"));
  assert_false(nv_semver_valid("1.2"));
}

/* notation-go's TestIsRequiredVerificationPluginVer: plugin 1.0.0
 * satisfies min version m when Compare(plugin, m) != -1. */
static void plugin_min_version(void **state)
{
  (void)state;
  static const struct {
    const char *min;
    bool ok;
  } cases[] = {
      {"0.0.9", true},  {"1.0.0", true},  {"1.0.0-alpha", true}, {"1-pre+meta", true},
      {"1.0.1", false}, {"1.1.0", false}, {"1.2.0", false},      {"1.1.0-alpha", false},
  };
  for (size_t i = 0; i < COUNT(cases); i++)
    assert_int_equal(nv_semver_compare("1.0.0", cases[i].min) != -1, cases[i].ok);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(valid),
    cmocka_unit_test(invalid),
    cmocka_unit_test(precedence),
    cmocka_unit_test(prerelease_identifiers),
    cmocka_unit_test(build_ignored),
    cmocka_unit_test(shorthand),
    cmocka_unit_test(plugin_min_version),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
