/*
 * RFC 3339 date-times, parsed and formatted by hand: no timegm(), mktime()
 * or strptime(), so nothing depends on the locale, TZ or the C library's
 * time_t range. Days are converted with a proleptic Gregorian day count in
 * int64_t arithmetic.
 */
#include "base/nv_time.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SECS_PER_DAY INT64_C(86400)
/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z */
#define MIN_UNIX INT64_C(-62167219200)
#define MAX_UNIX INT64_C(253402300799)

static bool is_leap(int64_t y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
  static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (m == 2 && is_leap(y))
    return 29;
  return dim[m - 1];
}

/* Floor division for a positive divisor. */
static int64_t floor_div(int64_t a, int64_t b)
{
  int64_t q = a / b;
  if ((a % b) != 0 && a < 0)
    q--;
  return q;
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date. The year is counted
 * from March so that the leap day is the last day of the counted year;
 * 400-year cycles have exactly 146097 days.
 */
int64_t nv_time_days_from_civil(int64_t y, int m, int d)
{
  int64_t ym = m > 2 ? y : y - 1;         /* year starting on March 1st */
  int64_t cycle = floor_div(ym, 400);
  int64_t yc = ym - cycle * 400;           /* 0..399 within the cycle */
  int mm = m > 2 ? m - 3 : m + 9;          /* 0 = March .. 11 = February */
  int64_t doy = (153 * mm + 2) / 5 + (d - 1); /* day of the March-based year */
  int64_t doc = yc * 365 + yc / 4 - yc / 100 + doy;
  /* 719468 = days from 0000-03-01 to 1970-01-01 */
  return cycle * 146097 + doc - 719468;
}

static void civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
  int64_t z = days + 719468;               /* days since 0000-03-01 */
  int64_t cycle = floor_div(z, 146097);
  int64_t doc = z - cycle * 146097;        /* 0..146096 */
  /* Year within the cycle: remove the leap days counted so far. */
  int64_t yc = (doc - doc / 1460 + doc / 36524 - doc / 146096) / 365;
  int64_t doy = doc - (yc * 365 + yc / 4 - yc / 100);
  int64_t mm = (5 * doy + 2) / 153;        /* 0 = March */
  *d = (int)(doy - (153 * mm + 2) / 5 + 1);
  *m = (int)(mm < 10 ? mm + 3 : mm - 9);
  *y = cycle * 400 + yc + (*m <= 2 ? 1 : 0);
}

typedef struct parser {
  const char *s;
  size_t len;
  size_t pos;
  nv_diag *d;
} parser;

static nv_status fail(const parser *p, const char *what, size_t at)
{
  nv_quoted q = nv_quote(p->s, p->len);
  return nv_diag_set(p->d, NV_E_TIME_FORMAT, "RFC 3339 time: %s at offset %zu in \"%s\"",
                     what, at, q.s);
}

/* Exactly `n` ASCII digits. */
static nv_status digits(parser *p, size_t n, const char *field, int *out)
{
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    size_t at = p->pos + i;
    if (at >= p->len) {
      nv_quoted q = nv_quote(p->s, p->len);
      return nv_diag_set(p->d, NV_E_TIME_FORMAT,
                         "RFC 3339 time: truncated in the %s (expected %zu digits) in \"%s\"",
                         field, n, q.s);
    }
    char c = p->s[at];
    if (c < '0' || c > '9') {
      nv_quoted q = nv_quote(p->s, p->len);
      return nv_diag_set(p->d, NV_E_TIME_FORMAT,
                         "RFC 3339 time: %s: expected a digit at offset %zu in \"%s\"", field,
                         at, q.s);
    }
    v = v * 10 + (c - '0');
  }
  p->pos += n;
  *out = v;
  return NV_OK;
}

static nv_status literal(parser *p, char want, const char *what)
{
  if (p->pos >= p->len) {
    nv_quoted q = nv_quote(p->s, p->len);
    return nv_diag_set(p->d, NV_E_TIME_FORMAT, "RFC 3339 time: truncated, expected %s in \"%s\"",
                       what, q.s);
  }
  if (p->s[p->pos] != want) {
    char msg[64];
    snprintf(msg, sizeof(msg), "expected %s", what);
    return fail(p, msg, p->pos);
  }
  p->pos++;
  return NV_OK;
}

static nv_status range(const parser *p, const char *field, int v, int lo, int hi)
{
  if (v >= lo && v <= hi)
    return NV_OK;
  nv_quoted q = nv_quote(p->s, p->len);
  return nv_diag_set(p->d, NV_E_TIME_FORMAT, "RFC 3339 time: %s %d out of range in \"%s\"",
                     field, v, q.s);
}

#define TRY(expr)                                                                              \
  do {                                                                                         \
    nv_status rc_ = (expr);                                                                    \
    if (rc_ != NV_OK)                                                                          \
      return rc_;                                                                              \
  } while (0)

nv_status nv_time_parse_rfc3339(const char *s, size_t len, int64_t *unix_out,
                                int32_t *nanos_out, nv_diag *d)
{
  if ((s == NULL && len != 0) || unix_out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "RFC 3339 time: NULL argument");
  if (len == 0)
    return nv_diag_set(d, NV_E_TIME_FORMAT, "RFC 3339 time: empty string");

  parser p = { s, len, 0, d };
  int year, month, day, hour, minute, second;
  TRY(digits(&p, 4, "year", &year));
  TRY(literal(&p, '-', "'-' after the year"));
  TRY(digits(&p, 2, "month", &month));
  TRY(range(&p, "month", month, 1, 12));
  TRY(literal(&p, '-', "'-' after the month"));
  TRY(digits(&p, 2, "day", &day));
  {
    int dim = days_in_month(year, month);
    if (day < 1 || day > dim) {
      nv_quoted q = nv_quote(s, len);
      return nv_diag_set(d, NV_E_TIME_FORMAT,
                         "RFC 3339 time: day %d out of range (1..%d for %04d-%02d) in \"%s\"",
                         day, dim, year, month, q.s);
    }
  }
  TRY(literal(&p, 'T', "upper-case 'T' between date and time"));
  TRY(digits(&p, 2, "hour", &hour));
  TRY(range(&p, "hour", hour, 0, 23));
  TRY(literal(&p, ':', "':' after the hour"));
  TRY(digits(&p, 2, "minute", &minute));
  TRY(range(&p, "minute", minute, 0, 59));
  TRY(literal(&p, ':', "':' after the minute"));
  TRY(digits(&p, 2, "second", &second));
  TRY(range(&p, "second", second, 0, 59));

  int32_t nanos = 0;
  if (p.pos < len && s[p.pos] == '.') {
    p.pos++;
    size_t start = p.pos;
    while (p.pos < len && s[p.pos] >= '0' && s[p.pos] <= '9') {
      if (p.pos - start == 9)
        return fail(&p, "fraction longer than 9 digits", p.pos);
      nanos = nanos * 10 + (s[p.pos] - '0');
      p.pos++;
    }
    size_t nd = p.pos - start;
    if (nd == 0)
      return fail(&p, "expected a digit after '.'", p.pos);
    for (; nd < 9; nd++)
      nanos *= 10;
  }

  int64_t offset = 0;
  if (p.pos >= len) {
    nv_quoted q = nv_quote(s, len);
    return nv_diag_set(d, NV_E_TIME_FORMAT,
                       "RFC 3339 time: missing time zone offset ('Z' or +HH:MM) in \"%s\"", q.s);
  }
  char z = s[p.pos];
  if (z == 'Z') {
    p.pos++;
  } else if (z == '+' || z == '-') {
    p.pos++;
    int oh, om;
    TRY(digits(&p, 2, "offset hour", &oh));
    TRY(range(&p, "offset hour", oh, 0, 23));
    TRY(literal(&p, ':', "':' in the offset"));
    TRY(digits(&p, 2, "offset minute", &om));
    TRY(range(&p, "offset minute", om, 0, 59));
    offset = (int64_t)oh * 3600 + (int64_t)om * 60;
    if (z == '-')
      offset = -offset;
  } else {
    return fail(&p, "expected upper-case 'Z', '+' or '-' (time zone offset)", p.pos);
  }
  if (p.pos != len)
    return fail(&p, "trailing characters", p.pos);

  int64_t days = nv_time_days_from_civil(year, month, day);
  int64_t local = days * SECS_PER_DAY + (int64_t)hour * 3600 + (int64_t)minute * 60 + second;
  *unix_out = local - offset;
  if (nanos_out != NULL)
    *nanos_out = nanos;
  return NV_OK;
}

nv_status nv_time_format_rfc3339(int64_t unix_secs, char *buf, size_t size, nv_diag *d)
{
  if (buf == NULL || size < NV_TIME_RFC3339_MAX)
    return nv_diag_set(d, NV_E_INVALID_ARG,
                       "RFC 3339 time: output buffer of %zu bytes is smaller than %d", size,
                       NV_TIME_RFC3339_MAX);
  if (unix_secs < MIN_UNIX || unix_secs > MAX_UNIX)
    return nv_diag_set(d, NV_E_TIME_FORMAT,
                       "RFC 3339 time: %lld seconds is outside the years 0000..9999",
                       (long long)unix_secs);
  int64_t days = floor_div(unix_secs, SECS_PER_DAY);
  int64_t sod = unix_secs - days * SECS_PER_DAY;
  int64_t y;
  int m, dd;
  civil_from_days(days, &y, &m, &dd);
  int n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, dd,
                   (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
  if (n != NV_TIME_RFC3339_MAX - 1)
    return nv_diag_set(d, NV_E_INTERNAL, "RFC 3339 time: formatting produced %d characters", n);
  return NV_OK;
}
