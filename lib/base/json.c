/*
 * Strict JSON over cJSON.
 *
 * nv_json_parse() works in three steps:
 *
 *   1. scan():  a single-pass, iterative RFC 8259 validator over the raw
 *      bytes. It enforces every rule that cJSON does not (strict UTF-8, no
 *      BOM, no NUL, no "\u0000", paired surrogate escapes, no raw control
 *      characters in strings, exact number grammar, nothing after the value)
 *      plus the depth and value-count limits. Nothing is allocated before it
 *      has accepted the whole text.
 *   2. build_tree(): the cJSON tree of the validated text, as cJSON_Parse
 *      would build it, made here (cJSON's parser scans every string twice,
 *      copies it byte by byte and writes a process-wide error position on
 *      every call, a data race between threads). The text is known to be
 *      valid, so a failure here means memory ran out.
 *   3. post_walk(): an iterative walk that rejects duplicate member names
 *      and annotates number nodes with facts about their original token
 *      (cJSON keeps only the double), so nv_json_get_uint64() can tell
 *      "100" from "1e2", "100.0" and "-0".
 */
#include "base/nv_json.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_limits.h"
#include "base/nv_text.h"


/* cJSON copies a number token into a 64-byte buffer before strtod() and
 * stops at 63 characters; longer tokens would be misparsed, so scan()
 * refuses them. */
#define NV_JSON_NUMBER_MAX_CHARS 63

/* 2^53: the largest integer below which every integer is a double. */
#define NV_JSON_UINT_MAX ((uint64_t)1 << 53)

/* Flags kept in the spare high bits of cJSON's `type` for number nodes
 * (cJSON uses the low byte for the type, 256 and 512 for its own flags and
 * masks the rest everywhere). Set by post_walk(). */
#define NV_NUM_SEEN 0x1000      /* the token below was matched to this node */
#define NV_NUM_NEGATIVE 0x2000  /* token starts with '-' */
#define NV_NUM_FRAC_EXP 0x4000  /* token has a fraction or an exponent */
#define NV_NUM_OVER_2_53 0x8000 /* integer part above 2^53 */

/* Room for a member name or a path quoted in a message. */
#define NV_JSON_NAME_SHOWN 64
#define NV_JSON_PATH_SHOWN 256

/* ------------------------------------------------------------------ */
/* Message helpers                                                    */
/* ------------------------------------------------------------------ */

static const char *doc_name(const char *what)
{
  return (what != NULL && what[0] != '\0') ? what : "JSON document";
}


/* Copy a member name (valid UTF-8 without NUL) into out for a message:
 * control characters become '?', and long names are cut at a character
 * boundary and end in "...". */
static void show_name(char *out, size_t cap, const char *name)
{
  const unsigned char *s = (const unsigned char *)name;
  if (cap < 4) {
    if (cap > 0)
      out[0] = '\0';
    return;
  }
  size_t len = s != NULL ? strlen(name) : 0;
  /* the output has as many bytes as the input */
  bool cut = len >= cap;
  size_t limit = cut ? cap - 4 : len;
  size_t i = 0;
  while (i < len) {
    size_t n = nv_utf8_seq(s + i, len - i);
    if (n == 0)
      n = 1; /* not expected after scan(); shown as '?' */
    if (i + n > limit)
      break;
    if (n == 1) {
      unsigned char c = s[i];
      out[i] = (c < 0x20 || c == 0x7F || c >= 0x80) ? '?' : (char)c;
    } else {
      memcpy(out + i, s + i, n);
    }
    i += n;
  }
  if (cut) {
    memcpy(out + i, "...", 3);
    i += 3;
  }
  out[i] = '\0';
}

/* ------------------------------------------------------------------ */
/* Step 1: the validating scanner                                     */
/* ------------------------------------------------------------------ */

typedef struct scanner {
  const unsigned char *p;
  size_t len;
  size_t pos;
  size_t values;
  const char *what;
  nv_diag *d;
} scanner;

static bool is_ws(unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The code unit of "\uXXXX" at p[at] (the backslash), or -1. */
static long u_escape_at(const scanner *s, size_t at)
{
  if (s->len - at < 6 || s->p[at] != '\\' || s->p[at + 1] != 'u')
    return -1;
  long v = 0;
  for (size_t i = 2; i < 6; i++) {
    int h = nv_hex_value(s->p[at + i]);
    if (h < 0)
      return -1;
    v = v * 16 + h;
  }
  return v;
}

/* A byte where a token should start, or after one, that cannot be there. */
static nv_status unexpected(scanner *s, const char *expected)
{
  unsigned char c = s->p[s->pos];
  if (c == 0)
    return nv_diag_set(s->d, NV_E_JSON_ENCODING, "%s: NUL byte at byte %zu", doc_name(s->what),
                       s->pos);
  if (c >= 0x80) {
    if (nv_utf8_seq(s->p + s->pos, s->len - s->pos) == 0)
      return nv_diag_set(s->d, NV_E_JSON_ENCODING, "%s: invalid UTF-8 at byte %zu",
                         doc_name(s->what), s->pos);
    return nv_diag_set(s->d, NV_E_JSON_SYNTAX, "%s: expected %s, found a non-ASCII character at byte %zu",
                       doc_name(s->what), expected, s->pos);
  }
  if (c < 0x20 || c == 0x7F)
    return nv_diag_set(s->d, NV_E_JSON_SYNTAX, "%s: expected %s, found byte 0x%02x at byte %zu",
                       doc_name(s->what), expected, c, s->pos);
  return nv_diag_set(s->d, NV_E_JSON_SYNTAX, "%s: expected %s, found '%c' at byte %zu",
                     doc_name(s->what), expected, (char)c, s->pos);
}

/* Does any of the 8 bytes of `w` need a closer look inside a string: a
 * quote, a backslash, a control character (< 0x20) or a non-ASCII byte?
 * Each such byte sets the high bit of its own byte in one of the terms: a
 * quote or a backslash becomes 0 by the XOR and wraps when 1 is taken
 * away, a control character wraps when 0x20 is, a non-ASCII byte has it
 * already (the XOR constants leave bit 7 alone). A borrow only runs on
 * from a byte that wrapped itself. So the answer is never a false "no"; a
 * false "yes" only sends the caller to its byte-by-byte loop. */
static inline bool word_has_special(uint64_t w)
{
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
  return (((quote - ones) | (backslash - ones) | (w - ones * 0x20) | w) & highs) != 0;
}

/* A string token; s->pos is at the opening quote. */
static nv_status scan_string(scanner *s)
{
  const unsigned char *p = s->p;
  size_t start = s->pos;
  size_t i = s->pos + 1;
  for (;;) {
    /* Plain printable ASCII, eight bytes at a time. */
    while (s->len - i >= 8) {
      uint64_t w;
      memcpy(&w, p + i, sizeof(w));
      if (word_has_special(w))
        break;
      i += 8;
    }
    if (i >= s->len)
      return nv_diag_set(s->d, NV_E_JSON_SYNTAX, "%s: unterminated string starting at byte %zu",
                         doc_name(s->what), start);
    unsigned char c = p[i];
    if (c == '"') {
      s->pos = i + 1;
      return NV_OK;
    }
    if (c >= 0x20 && c < 0x80 && c != '\\') {
      i++;
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= s->len)
        return nv_diag_set(s->d, NV_E_JSON_SYNTAX, "%s: unterminated string starting at byte %zu",
                           doc_name(s->what), start);
      switch (p[i + 1]) {
      case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        i += 2;
        continue;
      case 'u':
        break;
      case 0:
        return nv_diag_set(s->d, NV_E_JSON_ENCODING, "%s: NUL byte at byte %zu",
                           doc_name(s->what), i + 1);
      default:
        return nv_diag_set(s->d, NV_E_JSON_SYNTAX, "%s: invalid escape sequence at byte %zu",
                           doc_name(s->what), i);
      }
      long cu = u_escape_at(s, i);
      if (cu < 0)
        return nv_diag_set(s->d, NV_E_JSON_SYNTAX, "%s: invalid \\u escape at byte %zu",
                           doc_name(s->what), i);
      if (cu == 0)
        return nv_diag_set(s->d, NV_E_JSON_ENCODING, "%s: escaped NUL (\\u0000) at byte %zu",
                           doc_name(s->what), i);
      if (cu >= 0xDC00 && cu <= 0xDFFF)
        return nv_diag_set(s->d, NV_E_JSON_ENCODING,
                           "%s: unpaired low surrogate escape at byte %zu", doc_name(s->what), i);
      if (cu >= 0xD800 && cu <= 0xDBFF) {
        long lo = u_escape_at(s, i + 6);
        if (lo < 0xDC00 || lo > 0xDFFF)
          return nv_diag_set(s->d, NV_E_JSON_ENCODING,
                             "%s: unpaired high surrogate escape at byte %zu", doc_name(s->what), i);
        i += 12;
      } else {
        i += 6;
      }
      continue;
    }
    if (c == 0)
      return nv_diag_set(s->d, NV_E_JSON_ENCODING, "%s: NUL byte at byte %zu", doc_name(s->what),
                         i);
    if (c < 0x20)
      return nv_diag_set(s->d, NV_E_JSON_SYNTAX,
                         "%s: unescaped control character 0x%02x in a string at byte %zu",
                         doc_name(s->what), c, i);
    size_t n = nv_utf8_seq(p + i, s->len - i);
    if (n == 0)
      return nv_diag_set(s->d, NV_E_JSON_ENCODING, "%s: invalid UTF-8 at byte %zu",
                         doc_name(s->what), i);
    i += n;
  }
}

static bool is_digit(unsigned char c)
{
  return c >= '0' && c <= '9';
}

/* A number token per RFC 8259 section 6; s->pos is at '-' or a digit. */
static nv_status scan_number(scanner *s)
{
  const unsigned char *p = s->p;
  size_t start = s->pos;
  size_t i = s->pos;
  if (p[i] == '-')
    i++;
  if (i >= s->len || !is_digit(p[i]))
    return nv_diag_set(s->d, NV_E_JSON_SYNTAX, "%s: expected a digit at byte %zu",
                       doc_name(s->what), i);
  if (p[i] == '0') {
    i++;
    if (i < s->len && is_digit(p[i]))
      return nv_diag_set(s->d, NV_E_JSON_SYNTAX, "%s: number with a leading zero at byte %zu",
                         doc_name(s->what), start);
  } else {
    while (i < s->len && is_digit(p[i]))
      i++;
  }
  if (i < s->len && p[i] == '.') {
    i++;
    if (i >= s->len || !is_digit(p[i]))
      return nv_diag_set(s->d, NV_E_JSON_SYNTAX,
                         "%s: expected a digit after the decimal point at byte %zu",
                         doc_name(s->what), i);
    while (i < s->len && is_digit(p[i]))
      i++;
  }
  if (i < s->len && (p[i] == 'e' || p[i] == 'E')) {
    i++;
    if (i < s->len && (p[i] == '+' || p[i] == '-'))
      i++;
    if (i >= s->len || !is_digit(p[i]))
      return nv_diag_set(s->d, NV_E_JSON_SYNTAX,
                         "%s: expected a digit in the exponent at byte %zu", doc_name(s->what), i);
    while (i < s->len && is_digit(p[i]))
      i++;
  }
  if (i - start > NV_JSON_NUMBER_MAX_CHARS)
    return nv_diag_set(s->d, NV_E_LIMIT,
                       "%s: number at byte %zu is longer than %d characters", doc_name(s->what),
                       start, NV_JSON_NUMBER_MAX_CHARS);
  s->pos = i;
  return NV_OK;
}

static nv_status scan_literal(scanner *s)
{
  static const char *const lits[] = {"true", "false", "null"};
  for (size_t k = 0; k < sizeof(lits) / sizeof(lits[0]); k++) {
    size_t n = strlen(lits[k]);
    if (s->p[s->pos] == (unsigned char)lits[k][0]) {
      if (s->len - s->pos >= n && memcmp(s->p + s->pos, lits[k], n) == 0) {
        s->pos += n;
        return NV_OK;
      }
      return nv_diag_set(s->d, NV_E_JSON_SYNTAX, "%s: invalid literal at byte %zu (expected %s)",
                         doc_name(s->what), s->pos, lits[k]);
    }
  }
  return unexpected(s, "a value");
}

enum scan_state {
  ST_VALUE,              /* a value must come */
  ST_VALUE_OR_END_ARRAY, /* just after '[' */
  ST_KEY,                /* after ',' in an object */
  ST_KEY_OR_END_OBJECT,  /* just after '{' */
  ST_COLON,              /* after a member name */
  ST_AFTER_VALUE         /* ',' or the closing bracket, or the end */
};

/* Validate the whole text (see the top of this file). */
static nv_status scan(scanner *s)
{
  /* stack[i] is '[' or '{' for the container open at depth i + 1 */
  char stack[NV_LIMIT_JSON_DEPTH];
  size_t depth = 0;
  enum scan_state st = ST_VALUE;
  nv_status rc;

  if (s->len >= 3 && s->p[0] == 0xEF && s->p[1] == 0xBB && s->p[2] == 0xBF)
    return nv_diag_set(s->d, NV_E_JSON_ENCODING, "%s: byte-order mark at byte 0",
                       doc_name(s->what));

  for (;;) {
    while (s->pos < s->len && is_ws(s->p[s->pos]))
      s->pos++;
    if (s->pos >= s->len) {
      if (st == ST_AFTER_VALUE && depth == 0)
        return NV_OK;
      if (s->len == 0)
        return nv_diag_set(s->d, NV_E_JSON_SYNTAX, "%s: empty input", doc_name(s->what));
      return nv_diag_set(s->d, NV_E_JSON_SYNTAX, "%s: unexpected end of input at byte %zu",
                         doc_name(s->what), s->pos);
    }
    unsigned char c = s->p[s->pos];
    switch (st) {
    case ST_VALUE_OR_END_ARRAY:
      if (c == ']') {
        depth--;
        s->pos++;
        st = ST_AFTER_VALUE;
        break;
      }
      /* fall through */
    case ST_VALUE:
      if (++s->values > NV_LIMIT_JSON_VALUES)
        return nv_diag_set(s->d, NV_E_LIMIT, "%s: more than %zu values (at byte %zu)",
                           doc_name(s->what), (size_t)NV_LIMIT_JSON_VALUES, s->pos);
      if (c == '{' || c == '[') {
        if (depth >= NV_LIMIT_JSON_DEPTH)
          return nv_diag_set(s->d, NV_E_JSON_DEPTH,
                             "%s: nesting deeper than %d levels at byte %zu", doc_name(s->what),
                             NV_LIMIT_JSON_DEPTH, s->pos);
        stack[depth++] = (char)c;
        s->pos++;
        st = c == '{' ? ST_KEY_OR_END_OBJECT : ST_VALUE_OR_END_ARRAY;
        break;
      }
      if (c == '"')
        rc = scan_string(s);
      else if (c == '-' || is_digit(c))
        rc = scan_number(s);
      else if (c >= 'a' && c <= 'z')
        rc = scan_literal(s);
      else
        rc = unexpected(s, "a value");
      if (rc != NV_OK)
        return rc;
      st = ST_AFTER_VALUE;
      break;
    case ST_KEY_OR_END_OBJECT:
      if (c == '}') {
        depth--;
        s->pos++;
        st = ST_AFTER_VALUE;
        break;
      }
      /* fall through */
    case ST_KEY:
      if (c != '"')
        return unexpected(s, "a member name");
      rc = scan_string(s);
      if (rc != NV_OK)
        return rc;
      st = ST_COLON;
      break;
    case ST_COLON:
      if (c != ':')
        return unexpected(s, "':'");
      s->pos++;
      st = ST_VALUE;
      break;
    case ST_AFTER_VALUE:
      if (depth == 0) {
        if (c == 0 || c >= 0x80)
          return unexpected(s, "the end of input");
        return nv_diag_set(s->d, NV_E_JSON_SYNTAX, "%s: unexpected data after the value at byte %zu",
                           doc_name(s->what), s->pos);
      }
      if (c == ',') {
        s->pos++;
        st = stack[depth - 1] == '{' ? ST_KEY : ST_VALUE;
      } else if ((c == '}' && stack[depth - 1] == '{') || (c == ']' && stack[depth - 1] == '[')) {
        depth--;
        s->pos++;
        st = ST_AFTER_VALUE;
      } else {
        return unexpected(s, stack[depth - 1] == '{' ? "',' or '}'" : "',' or ']'");
      }
      break;
    }
  }
}

/* ------------------------------------------------------------------ */
/* Step 2: the tree                                                   */
/* ------------------------------------------------------------------ */

/*
 * The cJSON tree of text that scan() accepted, built as cJSON_Parse builds
 * it (node types, valuestring / string / valueint / valuedouble, children
 * in order with the first child's prev on the last, allocation through
 * cJSON_malloc so that cJSON_Delete frees it), without cJSON's parser:
 * that one copies every string byte by byte behind a second scan and
 * writes a process-wide error position on every call (a data race between
 * threads). The text is known to be valid here, so this only has to find
 * boundaries; every allocation failure is NV_E_NOMEM.
 */

typedef struct builder {
  const unsigned char *p;
  size_t len;
  size_t pos;
  locale_t c_numeric; /* for strtod_c */
} builder;

static void skip_ws(builder *b)
{
  while (b->pos < b->len && is_ws(b->p[b->pos]))
    b->pos++;
}

static cJSON *new_node(int type)
{
  cJSON *n = cJSON_malloc(sizeof(*n));
  if (n != NULL) {
    memset(n, 0, sizeof(*n));
    n->type = type;
  }
  return n;
}

/* UTF-8 of a code point (below 0x110000). */
static size_t put_utf8(unsigned char *out, unsigned long cp)
{
  if (cp < 0x80) {
    out[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (unsigned char)(0xC0 | (cp >> 6));
    out[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (unsigned char)(0xE0 | (cp >> 12));
    out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (unsigned char)(0xF0 | (cp >> 18));
  out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

static unsigned long hex4(const unsigned char *h)
{
  unsigned long v = 0;
  for (int i = 0; i < 4; i++)
    v = v * 16 + (unsigned long)nv_hex_value(h[i]);
  return v;
}

/* The string token at b->pos (its opening quote), unescaped, NUL-ended;
 * b->pos moves past the closing quote. NULL when out of memory. */
static char *build_string(builder *b)
{
  const unsigned char *p = b->p;
  size_t start = b->pos + 1, i = start;
  bool escapes = false;
  /* Most strings have no escape: the first quote ends them. */
  const unsigned char *q = memchr(p + start, '"', b->len - start);
  if (q != NULL && memchr(p + start, '\\', (size_t)(q - (p + start))) == NULL) {
    i = (size_t)(q - p);
  } else {
    for (;;) {
      if (p[i] == '"')
        break;
      if (p[i] == '\\') {
        escapes = true;
        i += 2; /* the escape's first character is never a quote that ends */
      } else {
        i++;
      }
    }
  }
  size_t raw = i - start;
  b->pos = i + 1;
  /* an escape never decodes to more bytes than it takes */
  unsigned char *out = cJSON_malloc(raw + 1);
  if (out == NULL)
    return NULL;
  if (!escapes) {
    memcpy(out, p + start, raw);
    out[raw] = '\0';
    return (char *)out;
  }
  size_t o = 0;
  for (size_t k = start; k < i;) {
    if (p[k] != '\\') {
      out[o++] = p[k++];
      continue;
    }
    unsigned char e = p[k + 1];
    k += 2;
    switch (e) {
    case 'b': out[o++] = '\b'; break;
    case 'f': out[o++] = '\f'; break;
    case 'n': out[o++] = '\n'; break;
    case 'r': out[o++] = '\r'; break;
    case 't': out[o++] = '\t'; break;
    case 'u': {
      unsigned long cp = hex4(p + k);
      k += 4;
      if (cp >= 0xD800 && cp <= 0xDBFF) { /* scan() saw the low half follow */
        unsigned long lo = hex4(p + k + 2);
        k += 6;
        cp = 0x10000 + (((cp & 0x3FF) << 10) | (lo & 0x3FF));
      }
      o += put_utf8(out + o, cp);
      break;
    }
    default: /* '"', '\\', '/' */
      out[o++] = e;
      break;
    }
  }
  out[o] = '\0';
  return (char *)out;
}

/* The "C" numeric locale, made on first use: numbers are read with '.'
 * whatever locale the program set, and without localeconv(), whose static
 * result is rewritten by every call (a data race between threads). A
 * mutex rather than pthread_once() publishes it, so thread checkers
 * (Helgrind) see the ordering. (locale_t)0 when it cannot be made. */
static locale_t c_numeric_locale(void)
{
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  static locale_t made = (locale_t)0;
  static bool tried = false;
  pthread_mutex_lock(&lock);
  if (!tried) {
    made = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    tried = true;
  }
  locale_t loc = made;
  pthread_mutex_unlock(&lock);
  return loc;
}

/* strtod in the "C" locale (this thread only, through uselocale). Without
 * the locale object (out of memory) the thread's own locale is used, which
 * is "C" unless the program called setlocale(). */
static double strtod_c(const char *text, locale_t c_numeric)
{
  if (c_numeric == (locale_t)0)
    return strtod(text, NULL);
  locale_t old = uselocale(c_numeric);
  double v = strtod(text, NULL);
  uselocale(old);
  return v;
}

/* The number token at b->pos, as cJSON reads it in the "C" locale
 * (valueint saturated to int). */
static void build_number(builder *b, cJSON *n)
{
  char buf[NV_JSON_NUMBER_MAX_CHARS + 1];
  size_t k = 0;
  while (b->pos < b->len && k < NV_JSON_NUMBER_MAX_CHARS) {
    unsigned char c = b->p[b->pos];
    if (!(is_digit(c) || c == '-' || c == '+' || c == 'e' || c == 'E' || c == '.'))
      break;
    buf[k++] = (char)c;
    b->pos++;
  }
  buf[k] = '\0';
  double v = strtod_c(buf, b->c_numeric);
  n->valuedouble = v;
  if (v >= INT_MAX)
    n->valueint = INT_MAX;
  else if (v <= (double)INT_MIN)
    n->valueint = INT_MIN;
  else
    n->valueint = (int)v;
}

/* One scalar or an empty-or-not container's node at b->pos. */
static cJSON *build_value_node(builder *b)
{
  unsigned char c = b->p[b->pos];
  cJSON *n;
  switch (c) {
  case '{':
  case '[':
    b->pos++;
    return new_node(c == '{' ? cJSON_Object : cJSON_Array);
  case '"':
    if ((n = new_node(cJSON_String)) != NULL && (n->valuestring = build_string(b)) == NULL) {
      cJSON_Delete(n);
      n = NULL;
    }
    return n;
  case 't':
    b->pos += 4;
    if ((n = new_node(cJSON_True)) != NULL)
      n->valueint = 1;
    return n;
  case 'f':
    b->pos += 5;
    return new_node(cJSON_False);
  case 'n':
    b->pos += 4;
    return new_node(cJSON_NULL);
  default:
    if ((n = new_node(cJSON_Number)) != NULL)
      build_number(b, n);
    return n;
  }
}

typedef struct build_frame {
  cJSON *node;
  cJSON *last; /* its last child so far */
} build_frame;

/* Close the container on top: the first child's prev is the last. */
static void close_frame(build_frame *f)
{
  if (f->node->child != NULL)
    f->node->child->prev = f->last;
}

static nv_status build_tree(const unsigned char *text, size_t len, cJSON **out)
{
  builder b = {text, len, 0, c_numeric_locale()};
  build_frame stack[NV_LIMIT_JSON_DEPTH + 1];
  size_t depth = 0;
  cJSON *root = NULL;
  skip_ws(&b);
  for (;;) {
    /* a member name first, inside an object */
    char *key = NULL;
    if (depth > 0 && (stack[depth - 1].node->type & 0xFF) == cJSON_Object) {
      if ((key = build_string(&b)) == NULL)
        goto nomem;
      skip_ws(&b);
      b.pos++; /* ':' */
      skip_ws(&b);
    }
    cJSON *n = build_value_node(&b);
    if (n == NULL) {
      cJSON_free(key);
      goto nomem;
    }
    n->string = key;
    if (depth == 0) {
      root = n;
    } else {
      build_frame *f = &stack[depth - 1];
      if (f->last == NULL) {
        f->node->child = n;
      } else {
        f->last->next = n;
        n->prev = f->last;
      }
      f->last = n;
    }
    if (cJSON_IsObject(n) || cJSON_IsArray(n)) {
      if (depth >= NV_LIMIT_JSON_DEPTH + 1)
        goto internal;
      stack[depth++] = (build_frame){n, NULL};
    }
    /* what follows: a comma (next member or element), or closing brackets */
    for (;;) {
      skip_ws(&b);
      if (depth == 0) {
        *out = root;
        return NV_OK;
      }
      unsigned char c = b.pos < b.len ? b.p[b.pos] : 0;
      if (c == '}' || c == ']') {
        b.pos++;
        close_frame(&stack[--depth]);
        continue;
      }
      if (c == ',') {
        b.pos++;
        skip_ws(&b);
        break;
      }
      if (stack[depth - 1].last == NULL) /* the first of a container */
        break;
      goto internal;
    }
  }
nomem:
  cJSON_Delete(root);
  return NV_E_NOMEM;
internal:
  cJSON_Delete(root);
  return NV_E_INTERNAL;
}

/* ------------------------------------------------------------------ */
/* Step 3: duplicate members and number tokens                        */
/* ------------------------------------------------------------------ */

/* Finds the number tokens of the validated text in order. */
typedef struct num_lexer {
  const unsigned char *p;
  size_t len;
  size_t pos;
} num_lexer;

/* Flags (NV_NUM_*) of the next number token; false when there is none. */
static bool next_number(num_lexer *lx, int *flags)
{
  const unsigned char *p = lx->p;
  size_t i = lx->pos;
  while (i < lx->len) {
    unsigned char c = p[i];
    if (c == '"') {
      for (i++; i < lx->len && p[i] != '"'; i++)
        if (p[i] == '\\')
          i++;
      i++;
      continue;
    }
    if (c == '-' || is_digit(c))
      break;
    i++;
  }
  if (i >= lx->len)
    return false;
  int f = NV_NUM_SEEN;
  if (p[i] == '-') {
    f |= NV_NUM_NEGATIVE;
    i++;
  }
  uint64_t v = 0;
  for (; i < lx->len && is_digit(p[i]); i++) {
    if (v <= NV_JSON_UINT_MAX)
      v = v * 10 + (uint64_t)(p[i] - '0'); /* at most 2^53 * 10 + 9: no overflow */
  }
  if (v > NV_JSON_UINT_MAX)
    f |= NV_NUM_OVER_2_53;
  for (; i < lx->len; i++) {
    unsigned char c = p[i];
    if (c == '.' || c == 'e' || c == 'E')
      f |= NV_NUM_FRAC_EXP;
    else if (!(c == '+' || c == '-' || is_digit(c)))
      break;
  }
  lx->pos = i;
  *flags = f;
  return true;
}

static int cmp_names(const void *a, const void *b)
{
  const char *x = *(const char *const *)a;
  const char *y = *(const char *const *)b;
  return strcmp(x, y);
}

typedef struct walk_frame {
  const cJSON *node;  /* the container */
  cJSON *child;       /* the child being visited */
  size_t index;       /* its position */
} walk_frame;

/* The JSON Pointer (RFC 6901) of the container at frames[0..n-1]'s last
 * level, for messages. */
static void frame_path(char *out, size_t cap, const walk_frame *frames, size_t n)
{
  size_t o = 0;
  out[0] = '\0';
  for (size_t k = 0; k + 1 < n; k++) {
    char part[NV_JSON_NAME_SHOWN + 24];
    if (cJSON_IsObject(frames[k].node)) {
      char name[NV_JSON_NAME_SHOWN];
      show_name(name, sizeof(name), frames[k].child->string);
      size_t q = 0;
      part[q++] = '/';
      for (const char *c = name; *c != '\0' && q + 3 < sizeof(part); c++) {
        if (*c == '~' || *c == '/') {
          part[q++] = '~';
          part[q++] = *c == '~' ? '0' : '1';
        } else {
          part[q++] = *c;
        }
      }
      part[q] = '\0';
    } else {
      snprintf(part, sizeof(part), "/%zu", frames[k].index);
    }
    size_t pl = strlen(part);
    if (o + pl + 4 > cap) {
      memcpy(out + o, "...", 4);
      return;
    }
    memcpy(out + o, part, pl + 1);
    o += pl;
  }
}

/* Report a repeated name in the object at frames[n-1] (n == 0: never). */
static nv_status check_object(const cJSON *obj, const walk_frame *frames, size_t n,
                              const char *what, nv_diag *d)
{
  size_t count = 0;
  for (const cJSON *m = obj->child; m != NULL; m = m->next)
    count++;
  if (count < 2)
    return NV_OK;

  const char *local[32];
  const char **names = local;
  if (count > sizeof(local) / sizeof(local[0])) {
    if (count > SIZE_MAX / sizeof(*names))
      return nv_diag_set(d, NV_E_NOMEM, "%s: out of memory", doc_name(what));
    names = malloc(count * sizeof(*names));
    if (names == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "%s: out of memory checking member names",
                         doc_name(what));
  }
  size_t k = 0;
  for (const cJSON *m = obj->child; m != NULL; m = m->next)
    names[k++] = m->string != NULL ? m->string : "";
  qsort(names, count, sizeof(*names), cmp_names);
  const char *dup = NULL;
  for (k = 1; k < count; k++) {
    if (strcmp(names[k - 1], names[k]) == 0) {
      dup = names[k];
      break;
    }
  }
  nv_status rc = NV_OK;
  if (dup != NULL) {
    char name[NV_JSON_NAME_SHOWN];
    char path[NV_JSON_PATH_SHOWN];
    show_name(name, sizeof(name), dup);
    frame_path(path, sizeof(path), frames, n);
    rc = nv_diag_set(d, NV_E_JSON_DUPLICATE_MEMBER, "%s: duplicate member \"%s\" in the object at %s",
                     doc_name(what), name, path[0] != '\0' ? path : "the top level");
  }
  if (names != local)
    free(names);
  return rc;
}

/* Visit one node: annotate a number, check an object's names. */
static nv_status visit(cJSON *node, num_lexer *lx, const walk_frame *frames, size_t n,
                       const char *what, nv_diag *d)
{
  if (cJSON_IsNumber(node)) {
    int f;
    if (!next_number(lx, &f))
      return nv_diag_set(d, NV_E_INTERNAL, "%s: number tokens do not match the tree",
                         doc_name(what));
    node->type |= f;
  } else if (cJSON_IsObject(node)) {
    return check_object(node, frames, n, what, d);
  }
  return NV_OK;
}

static nv_status post_walk(cJSON *root, const unsigned char *text, size_t len, const char *what,
                           nv_diag *d)
{
  walk_frame frames[NV_LIMIT_JSON_DEPTH + 1];
  size_t n = 0;
  num_lexer lx = {text, len, 0};
  cJSON *node = root;
  nv_status rc;

  for (;;) {
    /* node is the next one to visit; frames[0..n-1] lead to its parent */
    if (n < sizeof(frames) / sizeof(frames[0]))
      frames[n] = (walk_frame){node, NULL, 0}; /* so that the path reaches node */
    rc = visit(node, &lx, frames, n + 1, what, d);
    if (rc != NV_OK)
      return rc;
    if ((cJSON_IsArray(node) || cJSON_IsObject(node)) && node->child != NULL) {
      if (n >= NV_LIMIT_JSON_DEPTH)
        return nv_diag_set(d, NV_E_INTERNAL, "%s: tree deeper than the scanner allowed",
                           doc_name(what));
      frames[n].child = node->child;
      frames[n].index = 0;
      n++;
      node = node->child;
      continue;
    }
    /* climb until a container has another child */
    for (;;) {
      if (n == 0)
        return NV_OK;
      walk_frame *top = &frames[n - 1];
      if (top->child->next != NULL) {
        top->child = top->child->next;
        top->index++;
        node = top->child;
        break;
      }
      n--;
    }
  }
}

/* ------------------------------------------------------------------ */
/* Parsing                                                            */
/* ------------------------------------------------------------------ */

nv_status nv_json_parse(const void *text, size_t len, size_t max_bytes, const char *what,
                        nv_json **out, nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_json_parse: out is NULL");
  *out = NULL;
  if (text == NULL && len != 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_json_parse: text is NULL");
  if (len > max_bytes)
    return nv_diag_set(d, NV_E_LIMIT, "%s: %zu bytes is over the limit of %zu bytes",
                       doc_name(what), len, max_bytes);

  scanner s = {(const unsigned char *)text, len, 0, 0, what, d};
  nv_status rc = scan(&s);
  if (rc != NV_OK)
    return rc;

  cJSON *root = NULL;
  rc = build_tree((const unsigned char *)text, len, &root);
  if (rc == NV_E_NOMEM)
    return nv_diag_set(d, rc, "%s: out of memory building the JSON tree", doc_name(what));
  if (rc != NV_OK)
    return nv_diag_set(d, rc, "%s: the tree builder lost its way in accepted text",
                       doc_name(what));

  rc = post_walk(root, (const unsigned char *)text, len, what, d);
  if (rc != NV_OK) {
    cJSON_Delete(root);
    return rc;
  }
  *out = root;
  return NV_OK;
}

void nv_json_free(nv_json *j)
{
  if (j != NULL)
    cJSON_Delete(j);
}

/* ------------------------------------------------------------------ */
/* Navigation                                                         */
/* ------------------------------------------------------------------ */

nv_json_type nv_json_type_of(const nv_json *j)
{
  if (j == NULL)
    return NV_JSON_INVALID;
  switch (j->type & 0xFF) {
  case cJSON_NULL:
    return NV_JSON_NULL;
  case cJSON_False:
  case cJSON_True:
    return NV_JSON_BOOL;
  case cJSON_Number:
    return NV_JSON_NUMBER;
  case cJSON_String:
    return NV_JSON_STRING;
  case cJSON_Array:
    return NV_JSON_ARRAY;
  case cJSON_Object:
    return NV_JSON_OBJECT;
  default:
    return NV_JSON_INVALID;
  }
}

const char *nv_json_type_name(nv_json_type t)
{
  switch (t) {
  case NV_JSON_NULL:
    return "null";
  case NV_JSON_BOOL:
    return "boolean";
  case NV_JSON_NUMBER:
    return "number";
  case NV_JSON_STRING:
    return "string";
  case NV_JSON_ARRAY:
    return "array";
  case NV_JSON_OBJECT:
    return "object";
  case NV_JSON_INVALID:
  default:
    return "invalid value";
  }
}

/* "a string", "an object", "null": for "must be X, found Y". */
static const char *type_phrase(nv_json_type t)
{
  switch (t) {
  case NV_JSON_NULL:
    return "null";
  case NV_JSON_BOOL:
    return "a boolean";
  case NV_JSON_NUMBER:
    return "a number";
  case NV_JSON_STRING:
    return "a string";
  case NV_JSON_ARRAY:
    return "an array";
  case NV_JSON_OBJECT:
    return "an object";
  case NV_JSON_INVALID:
  default:
    return "an invalid value";
  }
}

static bool is_container(const nv_json *j)
{
  nv_json_type t = nv_json_type_of(j);
  return t == NV_JSON_ARRAY || t == NV_JSON_OBJECT;
}

size_t nv_json_count(const nv_json *j)
{
  if (!is_container(j))
    return 0;
  size_t n = 0;
  for (const cJSON *c = j->child; c != NULL; c = c->next)
    n++;
  return n;
}

const nv_json *nv_json_at(const nv_json *j, size_t index)
{
  if (!is_container(j))
    return NULL;
  const cJSON *c = j->child;
  while (c != NULL && index > 0) {
    c = c->next;
    index--;
  }
  return c;
}

const nv_json *nv_json_next(const nv_json *item)
{
  return item != NULL ? item->next : NULL;
}

const char *nv_json_key(const nv_json *member)
{
  return member != NULL ? member->string : NULL;
}

const nv_json *nv_json_member(const nv_json *obj, const char *name)
{
  if (name == NULL || nv_json_type_of(obj) != NV_JSON_OBJECT)
    return NULL;
  for (const cJSON *c = obj->child; c != NULL; c = c->next)
    if (c->string != NULL && strcmp(c->string, name) == 0)
      return c;
  return NULL;
}

const char *nv_json_string(const nv_json *j)
{
  return nv_json_type_of(j) == NV_JSON_STRING ? j->valuestring : NULL;
}

bool nv_json_is_true(const nv_json *j)
{
  return j != NULL && (j->type & 0xFF) == cJSON_True;
}

bool nv_json_number(const nv_json *j, double *out)
{
  if (j == NULL || (j->type & 0xFF) != cJSON_Number)
    return false;
  *out = j->valuedouble;
  return true;
}

/* ------------------------------------------------------------------ */
/* Typed member getters                                               */
/* ------------------------------------------------------------------ */

/* Find `name` in `obj` and check its type. *found is NULL when the member
 * is absent and optional (NV_OK). */
static nv_status lookup(const nv_json *obj, const char *name, bool required, nv_json_type want,
                        const nv_json **found, nv_diag *d)
{
  *found = NULL;
  if (name == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "JSON member lookup without a name");
  char shown[NV_JSON_NAME_SHOWN];
  show_name(shown, sizeof(shown), name);
  if (obj == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "no object to look up member \"%s\" in", shown);
  nv_json_type ot = nv_json_type_of(obj);
  if (ot != NV_JSON_OBJECT)
    return nv_diag_set(d, NV_E_JSON_TYPE, "cannot look up member \"%s\" in %s", shown,
                       type_phrase(ot));
  const nv_json *m = nv_json_member(obj, name);
  if (m == NULL) {
    if (required)
      return nv_diag_set(d, NV_E_JSON_MISSING_MEMBER, "required member \"%s\" is missing", shown);
    return NV_OK;
  }
  nv_json_type t = nv_json_type_of(m);
  if (t != want)
    return nv_diag_set(d, NV_E_JSON_TYPE, "member \"%s\" must be %s, found %s", shown,
                       type_phrase(want), type_phrase(t));
  *found = m;
  return NV_OK;
}

nv_status nv_json_get_string(const nv_json *obj, const char *name, bool required,
                             const char **out, nv_diag *d)
{
  const nv_json *m;
  if (out != NULL)
    *out = NULL;
  nv_status rc = lookup(obj, name, required, NV_JSON_STRING, &m, d);
  if (rc == NV_OK && m != NULL && out != NULL)
    *out = m->valuestring;
  return rc;
}

nv_status nv_json_get_object(const nv_json *obj, const char *name, bool required,
                             const nv_json **out, nv_diag *d)
{
  const nv_json *m;
  if (out != NULL)
    *out = NULL;
  nv_status rc = lookup(obj, name, required, NV_JSON_OBJECT, &m, d);
  if (rc == NV_OK && out != NULL)
    *out = m;
  return rc;
}

nv_status nv_json_get_array(const nv_json *obj, const char *name, bool required,
                            const nv_json **out, nv_diag *d)
{
  const nv_json *m;
  if (out != NULL)
    *out = NULL;
  nv_status rc = lookup(obj, name, required, NV_JSON_ARRAY, &m, d);
  if (rc == NV_OK && out != NULL)
    *out = m;
  return rc;
}

nv_status nv_json_get_bool(const nv_json *obj, const char *name, bool required, bool *out,
                           bool *present, nv_diag *d)
{
  const nv_json *m;
  if (out != NULL)
    *out = false;
  if (present != NULL)
    *present = false;
  nv_status rc = lookup(obj, name, required, NV_JSON_BOOL, &m, d);
  if (rc == NV_OK && m != NULL) {
    if (out != NULL)
      *out = nv_json_is_true(m);
    if (present != NULL)
      *present = true;
  }
  return rc;
}

nv_status nv_json_get_uint64(const nv_json *obj, const char *name, bool required, uint64_t *out,
                             bool *present, nv_diag *d)
{
  const nv_json *m;
  if (out != NULL)
    *out = 0;
  if (present != NULL)
    *present = false;
  nv_status rc = lookup(obj, name, required, NV_JSON_NUMBER, &m, d);
  if (rc != NV_OK || m == NULL)
    return rc;

  char shown[NV_JSON_NAME_SHOWN];
  show_name(shown, sizeof(shown), name);
  int f = m->type;
  double v = m->valuedouble;
  /* Every number node of a parsed document carries NV_NUM_SEEN; the double
   * checks repeat the token checks as a second guard. */
  if (!(f & NV_NUM_SEEN))
    return nv_diag_set(d, NV_E_JSON_NUMBER, "member \"%s\": number of unknown origin", shown);
  if (f & NV_NUM_NEGATIVE)
    return nv_diag_set(d, NV_E_JSON_NUMBER, "member \"%s\" must not be negative", shown);
  if (f & NV_NUM_FRAC_EXP)
    return nv_diag_set(d, NV_E_JSON_NUMBER,
                       "member \"%s\" must be an integer written without fraction or exponent",
                       shown);
  if ((f & NV_NUM_OVER_2_53) || !isfinite(v) || v < 0 || v > (double)NV_JSON_UINT_MAX)
    return nv_diag_set(d, NV_E_JSON_NUMBER, "member \"%s\" is above the limit of 2^53 (%llu)",
                       shown, (unsigned long long)NV_JSON_UINT_MAX);
  uint64_t u = (uint64_t)v;
  if ((double)u < v) /* u is v truncated: a fraction was dropped */
    return nv_diag_set(d, NV_E_JSON_NUMBER, "member \"%s\" must be an integer", shown);
  if (out != NULL)
    *out = u;
  if (present != NULL)
    *present = true;
  return NV_OK;
}

nv_status nv_json_check_members(const nv_json *obj, const char *const *allowed, nv_diag *d)
{
  nv_json_type t = nv_json_type_of(obj);
  if (t != NV_JSON_OBJECT)
    return nv_diag_set(d, NV_E_JSON_TYPE, "expected an object, found %s", type_phrase(t));
  for (const cJSON *m = obj->child; m != NULL; m = m->next) {
    bool known = false;
    for (size_t i = 0; allowed != NULL && allowed[i] != NULL && !known; i++)
      known = m->string != NULL && strcmp(m->string, allowed[i]) == 0;
    if (!known) {
      char shown[NV_JSON_NAME_SHOWN];
      show_name(shown, sizeof(shown), m->string);
      return nv_diag_set(d, NV_E_JSON_UNKNOWN_MEMBER, "member \"%s\" is not allowed here",
                         shown);
    }
  }
  return NV_OK;
}
