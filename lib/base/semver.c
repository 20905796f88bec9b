/* Semantic versions: see nv_semver.h. ASCII only, whatever the locale. */
#include "base/nv_semver.h"

#include <stddef.h>
#include <string.h>

typedef struct span {
  const char *p;
  size_t n;
} span;

typedef struct version {
  span num[3];   /* MAJOR, MINOR, PATCH ("0" for a shorthand's missing parts) */
  span pre;      /* the pre-release identifiers without the '-'; n = 0 if none */
} version;

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static bool is_ident_char(char c)
{
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

static bool all_digits(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!is_digit(s[i]))
      return false;
  return true;
}

/* A number without leading zeros at *s; advances *s past it. */
static bool number(const char **s, span *out)
{
  const char *p = *s;
  size_t n = 0;
  while (is_digit(p[n]))
    n++;
  if (n == 0 || (n > 1 && p[0] == '0'))
    return false;
  *out = (span){p, n};
  *s = p + n;
  return true;
}

/* Dot-separated identifiers at *s up to the first byte in `stop` (or the
 * end); not empty, [0-9A-Za-z-] only; numeric ones without leading zeros
 * where `numeric_strict` (pre-release, not build). Advances *s. */
static bool identifiers(const char **s, const char *stop, bool numeric_strict, span *out)
{
  const char *p = *s, *start = p;
  for (;;) {
    if (*p != '\0' && strchr(stop, *p) == NULL && *p != '.') {
      if (!is_ident_char(*p))
        return false;
      p++;
      continue;
    }
    size_t len = (size_t)(p - start);
    if (len == 0)
      return false;
    if (numeric_strict && len > 1 && start[0] == '0' && all_digits(start, len))
      return false;
    if (*p != '.')
      break;
    start = ++p;
  }
  *out = (span){*s, (size_t)(p - *s)};
  *s = p;
  return true;
}

/* Parse `s`; shorthands (MAJOR, MAJOR.MINOR) only where `allow_short`. */
static bool parse(const char *s, bool allow_short, version *v)
{
  static const span zero = {"0", 1};
  if (s == NULL)
    return false;
  memset(v, 0, sizeof(*v));
  for (int i = 0; i < 3; i++) {
    if (i > 0) {
      if (*s == '\0' && allow_short) {
        for (; i < 3; i++)
          v->num[i] = zero;
        return true;
      }
      if (*s++ != '.')
        return false;
    }
    if (!number(&s, &v->num[i]))
      return false;
  }
  span build;
  if (*s == '-') {
    s++;
    if (!identifiers(&s, "+", true, &v->pre))
      return false;
  }
  if (*s == '+') {
    s++;
    if (!identifiers(&s, "", false, &build))
      return false;
  }
  return *s == '\0';
}

bool nv_semver_valid(const char *s)
{
  version v;
  return parse(s, false, &v);
}

static int sign(int x)
{
  return (x > 0) - (x < 0);
}

/* Numbers without leading zeros: the longer is larger. */
static int compare_numbers(const char *a, size_t an, const char *b, size_t bn)
{
  if (an != bn)
    return an < bn ? -1 : 1;
  return sign(memcmp(a, b, an));
}

static size_t ident_len(const char *p, const char *end)
{
  const char *dot = memchr(p, '.', (size_t)(end - p));
  return dot != NULL ? (size_t)(dot - p) : (size_t)(end - p);
}

static int compare_prerelease(span a, span b)
{
  if (a.n == 0 || b.n == 0) /* a release follows its pre-releases */
    return a.n == b.n ? 0 : a.n == 0 ? 1 : -1;
  const char *pa = a.p, *ea = a.p + a.n, *pb = b.p, *eb = b.p + b.n;
  for (;;) {
    size_t na = ident_len(pa, ea), nb = ident_len(pb, eb);
    bool da = all_digits(pa, na), db = all_digits(pb, nb);
    int c;
    if (da != db)
      c = da ? -1 : 1;
    else if (da)
      c = compare_numbers(pa, na, pb, nb);
    else {
      c = sign(memcmp(pa, pb, na < nb ? na : nb));
      if (c == 0 && na != nb)
        c = na < nb ? -1 : 1;
    }
    if (c != 0)
      return c;
    pa += na;
    pb += nb;
    if (pa == ea || pb == eb)
      return pa == ea && pb == eb ? 0 : pa == ea ? -1 : 1;
    pa++; /* the dots */
    pb++;
  }
}

int nv_semver_compare(const char *a, const char *b)
{
  version va, vb;
  bool ok_a = parse(a, true, &va), ok_b = parse(b, true, &vb);
  if (!ok_a || !ok_b)
    return ok_a == ok_b ? 0 : ok_a ? 1 : -1;
  for (int i = 0; i < 3; i++) {
    int c = compare_numbers(va.num[i].p, va.num[i].n, vb.num[i].p, vb.num[i].n);
    if (c != 0)
      return c;
  }
  return compare_prerelease(va.pre, vb.pre);
}
