/*
 * RFC 3339 parsing and formatting: known instants, offsets, fractions, every
 * kind of malformed input, and round trips.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/nv_time.h"

static int64_t parse_ok(const char *s, int32_t *nanos)
{
  nv_diag d;
  nv_diag_init(&d);
  int64_t t = INT64_MIN;
  int32_t ns = -1;
  nv_status rc = nv_time_parse_rfc3339(s, strlen(s), &t, &ns, &d);
  if (rc != NV_OK)
    fail_msg("\"%s\" was refused (%d): %s", s, (int)rc, d.msg);
  if (nanos != NULL)
    *nanos = ns;
  return t;
}

/* Refused with NV_E_TIME_FORMAT; `word`, when given, must be in the message. */
static void parse_bad_n(const char *s, size_t len, const char *word)
{
  nv_diag d;
  nv_diag_init(&d);
  int64_t t = 12345;
  int32_t ns = 678;
  nv_status rc = nv_time_parse_rfc3339(s, len, &t, &ns, &d);
  if (rc != NV_E_TIME_FORMAT)
    fail_msg("\"%.*s\" gave %d, expected NV_E_TIME_FORMAT", (int)len, s, (int)rc);
  assert_int_equal(nv_diag_status(&d), NV_E_TIME_FORMAT);
  /* outputs untouched on failure */
  assert_int_equal(t, 12345);
  assert_int_equal(ns, 678);
  if (word != NULL && strstr(d.msg, word) == NULL)
    fail_msg("message for \"%.*s\" lacks \"%s\": %s", (int)len, s, word, d.msg);
}

static void parse_bad(const char *s, const char *word)
{
  parse_bad_n(s, strlen(s), word);
}

static void test_known_instants(void **state)
{
  (void)state;
  int32_t ns;
  assert_int_equal(parse_ok("1970-01-01T00:00:00Z", &ns), 0);
  assert_int_equal(ns, 0);
  assert_int_equal(parse_ok("2000-02-29T12:00:00Z", NULL), INT64_C(951825600));
  assert_int_equal(parse_ok("2000-03-01T00:00:00Z", NULL), INT64_C(951868800));
  assert_int_equal(parse_ok("1969-12-31T23:59:59Z", NULL), -1);
  assert_int_equal(parse_ok("2038-01-19T03:14:08Z", NULL), INT64_C(2147483648));
  assert_int_equal(parse_ok("2024-02-29T00:00:00Z", NULL), INT64_C(1709164800));
  assert_int_equal(parse_ok("9999-12-31T23:59:59Z", NULL), INT64_C(253402300799));
  assert_int_equal(parse_ok("0000-01-01T00:00:00Z", NULL), INT64_C(-62167219200));
  assert_int_equal(parse_ok("1900-03-01T00:00:00Z", NULL), INT64_C(-2203891200));
  assert_int_equal(parse_ok("1600-02-29T00:00:00Z", NULL), INT64_C(-11670998400));
}

static void test_offsets(void **state)
{
  (void)state;
  int64_t z = parse_ok("2023-06-15T04:30:00Z", NULL);
  assert_int_equal(z, INT64_C(1686803400));
  assert_int_equal(parse_ok("2023-06-15T12:30:00+08:00", NULL), z);
  assert_int_equal(parse_ok("2023-06-14T21:30:00-07:00", NULL), z);
  assert_int_equal(parse_ok("2023-06-15T04:30:00+00:00", NULL), z);
  assert_int_equal(parse_ok("2023-06-15T04:30:00-00:00", NULL), z);
  assert_int_equal(parse_ok("2023-06-15T10:15:00+05:45", NULL), z);
  assert_int_equal(parse_ok("2023-06-14T04:31:00-23:59", NULL), z);
  assert_int_equal(parse_ok("2023-06-16T04:29:00+23:59", NULL), z);
  /* offset carries the instant across a day and a year */
  assert_int_equal(parse_ok("1970-01-01T08:00:00+08:00", NULL), 0);
  assert_int_equal(parse_ok("1969-12-31T17:00:00-07:00", NULL), 0);
  assert_int_equal(parse_ok("2000-01-01T00:00:00+00:01", NULL), INT64_C(946684740));
}

static void test_fractions(void **state)
{
  (void)state;
  int32_t ns;
  assert_int_equal(parse_ok("1970-01-01T00:00:00.5Z", &ns), 0);
  assert_int_equal(ns, 500000000);
  assert_int_equal(parse_ok("1970-01-01T00:00:01.123456789Z", &ns), 1);
  assert_int_equal(ns, 123456789);
  assert_int_equal(parse_ok("1970-01-01T00:00:01.000000001+00:00", &ns), 1);
  assert_int_equal(ns, 1);
  assert_int_equal(parse_ok("1970-01-01T00:00:01.05Z", &ns), 1);
  assert_int_equal(ns, 50000000);
  assert_int_equal(parse_ok("1970-01-01T00:00:01.999999999Z", &ns), 1);
  assert_int_equal(ns, 999999999);
  /* the fraction does not move the seconds, also before 1970 */
  assert_int_equal(parse_ok("1969-12-31T23:59:59.75Z", &ns), -1);
  assert_int_equal(ns, 750000000);
  /* nanos_out may be NULL */
  assert_int_equal(parse_ok("1970-01-01T00:00:00.5Z", NULL), 0);

  parse_bad("1970-01-01T00:00:01.1234567890Z", "fraction");
  parse_bad("1970-01-01T00:00:01.000000000000000000001Z", "fraction");
  parse_bad("1970-01-01T00:00:01.Z", "digit");
  parse_bad("1970-01-01T00:00:01.", "digit");
  parse_bad("1970-01-01T00:00:01,5Z", NULL);
  parse_bad("1970-01-01T00:00:01.5.5Z", NULL);
}

static void test_rejections(void **state)
{
  (void)state;
  /* lower-case letters */
  parse_bad("1970-01-01t00:00:00Z", "'T'");
  parse_bad("1970-01-01T00:00:00z", "'Z'");
  parse_bad("1970-01-01 00:00:00Z", "'T'");
  /* seconds */
  parse_bad("2016-12-31T23:59:60Z", "second 60");
  parse_bad("1970-01-01T00:00:99Z", "second");
  /* leap years */
  parse_bad("2023-02-29T00:00:00Z", "day 29");
  parse_bad("1900-02-29T00:00:00Z", "day 29");
  parse_bad("2100-02-29T00:00:00Z", "day 29");
  parse_ok("2000-02-29T00:00:00Z", NULL);
  parse_ok("2400-02-29T00:00:00Z", NULL);
  parse_ok("0000-02-29T00:00:00Z", NULL);
  parse_bad("2024-02-30T00:00:00Z", "day 30");
  /* months and days */
  parse_bad("2023-00-10T00:00:00Z", "month 0 out of range");
  parse_bad("2023-13-10T00:00:00Z", "month 13 out of range");
  parse_bad("2023-01-32T00:00:00Z", "day 32");
  parse_bad("2023-01-00T00:00:00Z", "day 0");
  parse_bad("2023-04-31T00:00:00Z", "day 31");
  parse_ok("2023-01-31T00:00:00Z", NULL);
  parse_ok("2023-12-31T00:00:00Z", NULL);
  /* hours and minutes */
  parse_bad("2023-01-01T24:00:00Z", "hour 24");
  parse_bad("2023-01-01T00:60:00Z", "minute 60");
  parse_ok("2023-01-01T23:59:59Z", NULL);
  /* offsets */
  parse_bad("2023-01-01T00:00:00", "offset");
  parse_bad("2023-01-01T00:00:00.5", "offset");
  parse_bad("2023-01-01T00:00:00+24:00", "offset hour 24");
  parse_bad("2023-01-01T00:00:00+05:60", "offset minute 60");
  parse_bad("2023-01-01T00:00:00+0500", NULL);
  parse_bad("2023-01-01T00:00:00+05", NULL);
  parse_bad("2023-01-01T00:00:00+5:00", NULL);
  parse_bad("2023-01-01T00:00:00 Z", NULL);
  parse_bad("2023-01-01T00:00:00UTC", NULL);
  /* trailing garbage */
  parse_bad("2023-01-01T00:00:00Zx", "trailing");
  parse_bad("2023-01-01T00:00:00ZZ", "trailing");
  parse_bad("2023-01-01T00:00:00+01:00 ", "trailing");
  parse_bad("2023-01-01T00:00:00Z\n", "trailing");
  /* digit counts and separators */
  parse_bad("23-01-01T00:00:00Z", NULL);
  parse_bad("02023-01-01T00:00:00Z", NULL);
  parse_bad("2023-1-01T00:00:00Z", NULL);
  parse_bad("2023-01-1T00:00:00Z", NULL);
  parse_bad("2023-01-01T0:00:00Z", NULL);
  parse_bad("2023-01-01T00:0:00Z", NULL);
  parse_bad("2023-01-01T00:00:0Z", NULL);
  parse_bad("2023/01/01T00:00:00Z", NULL);
  parse_bad("2023-01-01T00-00-00Z", NULL);
  parse_bad("+2023-01-01T00:00:00Z", NULL);
  parse_bad("-001-01-01T00:00:00Z", NULL);
  parse_bad("\xef\xbc\x92" "023-01-01T00:00:00Z", NULL);
  parse_bad(" 2023-01-01T00:00:00Z", NULL);
  parse_bad("", "empty");
  /* a NUL inside the given length */
  parse_bad_n("2023-01-01T00:00:00Z\0", 21, "trailing");
  parse_bad_n("2023-01-01T00:00\0:00Z", 21, NULL);
  parse_bad_n("2023-01-01\0T00:00:00Z", 21, NULL);
}

/* Only `len` bytes are read: a valid time followed by more text in memory. */
static void test_length_is_respected(void **state)
{
  (void)state;
  const char *s = "1970-01-01T00:00:10Zgarbage";
  int64_t t = -1;
  assert_int_equal(nv_time_parse_rfc3339(s, 20, &t, NULL, NULL), NV_OK);
  assert_int_equal(t, 10);
  assert_int_equal(nv_time_parse_rfc3339(s, 21, &t, NULL, NULL), NV_E_TIME_FORMAT);
}

static void test_every_prefix_is_refused(void **state)
{
  (void)state;
  static const char *const valid[] = {
    "2023-06-15T12:30:45Z",
    "2023-06-15T12:30:45.123456789Z",
    "2023-06-15T12:30:45+08:00",
    "2023-06-15T12:30:45.5-07:30",
  };
  for (size_t v = 0; v < sizeof(valid) / sizeof(valid[0]); v++) {
    size_t n = strlen(valid[v]);
    parse_ok(valid[v], NULL);
    for (size_t k = 0; k < n; k++) {
      /* Cutting after the last fraction digit leaves a valid fraction but
       * no offset; every prefix must still be refused. */
      parse_bad_n(valid[v], k, NULL);
    }
  }
}

static void test_message_is_bounded_and_sanitised(void **state)
{
  (void)state;
  char s[300];
  memcpy(s, "2023-13-01T00:00:00Z", 20);
  for (size_t i = 20; i < sizeof(s); i++)
    s[i] = (i % 2) ? '\x01' : '"';
  nv_diag d;
  nv_diag_init(&d);
  int64_t t;
  assert_int_equal(nv_time_parse_rfc3339(s, sizeof(s), &t, NULL, &d), NV_E_TIME_FORMAT);
  assert_non_null(strstr(d.msg, "month 13"));
  assert_true(strlen(d.msg) < 200);
  for (const char *p = d.msg; *p; p++)
    assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
  /* the only quotes are the two around the input */
  size_t quotes = 0;
  for (const char *p = d.msg; *p; p++)
    quotes += *p == '"';
  assert_int_equal(quotes, 2);
}

static void format_is(int64_t t, const char *want)
{
  char buf[NV_TIME_RFC3339_MAX];
  memset(buf, 'x', sizeof(buf));
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_time_format_rfc3339(t, buf, sizeof(buf), &d);
  if (rc != NV_OK)
    fail_msg("formatting %lld failed: %s", (long long)t, d.msg);
  assert_string_equal(buf, want);
}

static void test_format(void **state)
{
  (void)state;
  format_is(0, "1970-01-01T00:00:00Z");
  format_is(INT64_C(253402300799), "9999-12-31T23:59:59Z");
  format_is(INT64_C(-62167219200), "0000-01-01T00:00:00Z");
  format_is(INT64_C(951825600), "2000-02-29T12:00:00Z");
  format_is(-1, "1969-12-31T23:59:59Z");
  format_is(INT64_C(-86401), "1969-12-30T23:59:59Z");
  format_is(INT64_C(1709164800), "2024-02-29T00:00:00Z");
  format_is(INT64_C(4107542400), "2100-03-01T00:00:00Z");
  format_is(INT64_C(-2203891201), "1900-02-28T23:59:59Z");
  format_is(INT64_C(-62162035201), "0000-02-29T23:59:59Z");
}

static void test_format_errors(void **state)
{
  (void)state;
  char buf[64];
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_time_format_rfc3339(INT64_C(253402300800), buf, sizeof(buf), &d),
                   NV_E_TIME_FORMAT);
  assert_int_equal(nv_time_format_rfc3339(INT64_C(-62167219201), buf, sizeof(buf), &d),
                   NV_E_TIME_FORMAT);
  assert_int_equal(nv_time_format_rfc3339(INT64_MAX, buf, sizeof(buf), &d), NV_E_TIME_FORMAT);
  assert_int_equal(nv_time_format_rfc3339(INT64_MIN, buf, sizeof(buf), &d), NV_E_TIME_FORMAT);
  /* short buffer */
  assert_int_not_equal(nv_time_format_rfc3339(0, buf, NV_TIME_RFC3339_MAX - 1, &d), NV_OK);
  assert_int_not_equal(nv_time_format_rfc3339(0, buf, 0, &d), NV_OK);
  assert_int_not_equal(nv_time_format_rfc3339(0, NULL, 64, &d), NV_OK);
  assert_int_equal(nv_time_format_rfc3339(0, buf, NV_TIME_RFC3339_MAX, &d), NV_OK);
  assert_int_equal(nv_time_format_rfc3339(0, buf, sizeof(buf), NULL), NV_OK);
}

static void roundtrip(int64_t t)
{
  char buf[NV_TIME_RFC3339_MAX];
  assert_int_equal(nv_time_format_rfc3339(t, buf, sizeof(buf), NULL), NV_OK);
  int64_t back = INT64_MIN;
  int32_t ns = -1;
  assert_int_equal(nv_time_parse_rfc3339(buf, strlen(buf), &back, &ns, NULL), NV_OK);
  if (back != t)
    fail_msg("%lld -> %s -> %lld", (long long)t, buf, (long long)back);
  assert_int_equal(ns, 0);
}

static void test_roundtrips(void **state)
{
  (void)state;
  const int64_t lo = INT64_C(-62167219200);
  const int64_t hi = INT64_C(253402300799);
  /* every 13th day of the whole range, at a time of day that drifts so
   * that every second of the day is visited along the way */
  int64_t n = 0;
  for (int64_t t = lo; t <= hi; t += 13 * 86400 + 7, n++)
    roundtrip(t);
  assert_true(n > 280000);
  /* every second around the epoch and the ends of the range */
  for (int64_t t = -30000; t <= 30000; t++)
    roundtrip(t);
  for (int64_t t = lo; t < lo + 30000; t++)
    roundtrip(t);
  for (int64_t t = hi - 30000; t <= hi; t++)
    roundtrip(t);
}

/* Parsing agrees with a naive day count: walk the calendar day by day. */
static void test_calendar_walk(void **state)
{
  (void)state;
  static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  int64_t expect = INT64_C(-62167219200);
  char s[32];
  for (int y = 0; y <= 9999; y++) {
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    for (int m = 1; m <= 12; m++) {
      int days = dim[m - 1] + (m == 2 && leap);
      /* first, last, and one past the last day of every month */
      snprintf(s, sizeof(s), "%04d-%02d-01T00:00:00Z", y, m);
      assert_int_equal(parse_ok(s, NULL), expect);
      snprintf(s, sizeof(s), "%04d-%02d-%02dT23:59:59Z", y, m, days);
      assert_int_equal(parse_ok(s, NULL), expect + (int64_t)days * 86400 - 1);
      snprintf(s, sizeof(s), "%04d-%02d-%02dT00:00:00Z", y, m, days + 1);
      parse_bad(s, "day");
      expect += (int64_t)days * 86400;
    }
  }
  assert_int_equal(expect, INT64_C(253402300800));
}

static void test_null_args(void **state)
{
  (void)state;
  int64_t t;
  assert_int_not_equal(nv_time_parse_rfc3339("1970-01-01T00:00:00Z", 20, NULL, NULL, NULL),
                       NV_OK);
  assert_int_not_equal(nv_time_parse_rfc3339(NULL, 20, &t, NULL, NULL), NV_OK);
  assert_int_equal(nv_time_parse_rfc3339(NULL, 0, &t, NULL, NULL), NV_E_TIME_FORMAT);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_known_instants),
    cmocka_unit_test(test_offsets),
    cmocka_unit_test(test_fractions),
    cmocka_unit_test(test_rejections),
    cmocka_unit_test(test_length_is_respected),
    cmocka_unit_test(test_every_prefix_is_refused),
    cmocka_unit_test(test_message_is_bounded_and_sanitised),
    cmocka_unit_test(test_format),
    cmocka_unit_test(test_format_errors),
    cmocka_unit_test(test_roundtrips),
    cmocka_unit_test(test_calendar_walk),
    cmocka_unit_test(test_null_args),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
