/*
 * notaryc: command-line front end of libnotaryc, built only on the public
 * API <notaryc.h>.
 *
 *   verify, verify-envelope, verify-blob   run nv_verify / nv_verify_envelope /
 *                                          nv_verify_blob and report the result
 *   policy validate|match, inspect         read policies, decode envelopes
 *   version
 *
 * Exit status: 0 verified, 1 not verified, 2 usage or operational error,
 * 3 skipped by policy (README.md).
 */
#include <notaryc.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Exit status (README.md, design section 8). */
enum { EXIT_VERIFIED = 0, EXIT_NOT_VERIFIED = 1, EXIT_USAGE = 2, EXIT_SKIPPED = 3 };

/* Long-only options share these values across commands. */
enum {
  OPT_OCI_LAYOUT = 256,
  OPT_SCOPE,
  OPT_TRUST_POLICY,
  OPT_TRUST_STORE,
  OPT_MAX_SIGNATURES,
  OPT_AT,
  OPT_OUTPUT,
  OPT_PLAIN_HTTP,
  OPT_INSECURE,
  OPT_CA_FILE,
  OPT_USERNAME,
  OPT_PASSWORD_STDIN,
  OPT_ENVELOPE,
  OPT_MEDIA_TYPE,
  OPT_TARGET,
  OPT_SIGNATURE,
  OPT_POLICY_NAME,
  OPT_BLOB_MEDIA_TYPE,
  OPT_BLOB,
  OPT_GLOBAL,
  OPT_OCI,
  OPT_TIMEOUT,
  OPT_REVOCATION_OFFLINE,
  OPT_CRL,
  OPT_REVOCATION_CACHE,
  OPT_OCSP_TIMEOUT,
  OPT_CRL_TIMEOUT
};

static int nc_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int nc_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A content descriptor read from JSON (only the three members used). */
typedef struct nc_descriptor {
  char *media_type;
  char *digest;
  uint64_t size;
} nc_descriptor;

/* "notaryc CMD: message" and a pointer to --help on stderr; EXIT_USAGE. */
static int nc_usage_error(const char *cmd, const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "notaryc %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nRun 'notaryc %s --help' for usage.\n", cmd);
  return EXIT_USAGE;
}

/* "notaryc: message" on stderr; EXIT_USAGE. */
static int nc_error(const char *fmt, ...)
{
  va_list ap;
  fputs("notaryc: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return EXIT_USAGE;
}

/* The usage error for what getopt_long() returned as '?' or ':'. */
static int nc_getopt_error(const char *cmd, int c, char **argv)
{
  /* A long option is named by the argument getopt_long() just consumed;
   * a short one by optopt. */
  const char *arg = optind > 0 ? argv[optind - 1] : "?";
  char shortopt[3] = {'-', (char)optopt, '\0'};
  const char *name = optopt > 0 && optopt < 256 && strncmp(arg, "--", 2) != 0 ? shortopt : arg;
  if (c == ':')
    return nc_usage_error(cmd, "option %s needs an argument", name);
  return nc_usage_error(cmd, "unknown option %s", name);
}

/* Write text that may come from a signature, a policy or a file: control
 * characters (C0, DEL, C1) are shown escaped so they cannot drive the
 * terminal. */
static void nc_put_len(FILE *out, const uint8_t *s, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    if (s[i] < 0x20 || s[i] == 0x7f) {
      fprintf(out, "\\x%02x", s[i]);
    } else if (s[i] == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f) {
      fprintf(out, "\\u%04x", s[i + 1]); /* a C1 control character in UTF-8 */
      i++;
    } else {
      fputc(s[i], out);
    }
  }
}

static void nc_put(FILE *out, const char *s)
{
  if (s != NULL)
    nc_put_len(out, (const uint8_t *)s, strlen(s));
}

/* ---- files ---- */

/* Read a whole regular file of at most `max` bytes (a NUL follows the
 * data). 0, or EXIT_USAGE with the message printed. */
static int nc_read_file(const char *path, size_t max, const char *what, uint8_t **data,
                        size_t *len)
{
  *data = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return nc_error("cannot open %s %s: %s", what, path, strerror(errno));
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    fclose(f);
    return nc_error("%s %s is not a regular file", what, path);
  }
  if ((uint64_t)st.st_size > (uint64_t)max) {
    fclose(f);
    return nc_error("%s %s is too large (%lld bytes, at most %zu)", what, path,
                    (long long)st.st_size, max);
  }
  uint8_t *buf = malloc((size_t)st.st_size + 1);
  if (buf == NULL) {
    fclose(f);
    return nc_error("out of memory reading %s", path);
  }
  size_t n = fread(buf, 1, (size_t)st.st_size, f);
  int err = ferror(f) || fgetc(f) != EOF; /* the file must not have grown */
  fclose(f);
  if (err || n != (size_t)st.st_size) {
    free(buf);
    return nc_error("cannot read %s %s (it changed while being read, or an I/O error)", what,
                    path);
  }
  buf[n] = '\0';
  *data = buf;
  *len = n;
  return 0;
}

static int nc_file_exists(const char *path)
{
  struct stat st;
  return lstat(path, &st) == 0;
}

static char *nc_path_join(const char *dir, const char *name)
{
  size_t n = strlen(dir) + 1 + strlen(name) + 1;
  char *p = malloc(n);
  if (p != NULL)
    snprintf(p, n, "%s/%s", dir, name);
  return p;
}

/* notation's configuration directory: $NOTATION_CONFIG, else
 * $XDG_CONFIG_HOME/notation, else $HOME/.config/notation. Malloc'd; NULL
 * with a message printed when there is none (or no memory). */
static char *nc_config_dir(void)
{
  const char *v = getenv("NOTATION_CONFIG");
  if (v != NULL && *v != '\0')
    return strdup(v);
  v = getenv("XDG_CONFIG_HOME");
  if (v != NULL && *v != '\0')
    return nc_path_join(v, "notation");
  v = getenv("HOME");
  if (v != NULL && *v != '\0')
    return nc_path_join(v, ".config/notation");
  nc_error("cannot find notation's configuration directory: set NOTATION_CONFIG, "
           "XDG_CONFIG_HOME or HOME, or give --trust-policy and --trust-store");
  return NULL;
}

/* ---- times ---- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int digits(const char **p, int n, int *out)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    char c = (*p)[i];
    if (c < '0' || c > '9')
      return -1;
    v = v * 10 + (c - '0');
  }
  *p += n;
  *out = v;
  return 0;
}

static int expect(const char **p, char c)
{
  if (**p != c)
    return -1;
  (*p)++;
  return 0;
}

/* Strict RFC 3339: "2027-01-01T00:00:00Z", an optional fraction (dropped),
 * "Z" or "+hh:mm"/"-hh:mm"; T and Z may be lower case (RFC 3339 5.6); leap
 * seconds are refused. Unix seconds in *out; 0 or -1. */
static int nc_parse_rfc3339(const char *s, int64_t *out)
{
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
  const char *p = s;
  if (digits(&p, 4, &y) || expect(&p, '-') || digits(&p, 2, &mo) || expect(&p, '-') ||
      digits(&p, 2, &d))
    return -1;
  if (*p != 'T' && *p != 't')
    return -1;
  p++;
  if (digits(&p, 2, &h) || expect(&p, ':') || digits(&p, 2, &mi) || expect(&p, ':') ||
      digits(&p, 2, &sec))
    return -1;
  if (*p == '.') {
    p++;
    if (*p < '0' || *p > '9')
      return -1;
    while (*p >= '0' && *p <= '9')
      p++;
  }
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    sign = *p == '+' ? 1 : -1;
    p++;
    if (digits(&p, 2, &oh) || expect(&p, ':') || digits(&p, 2, &om))
      return -1;
  } else {
    return -1;
  }
  if (*p != '\0')
    return -1;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap) || h > 23 ||
      mi > 59 || sec > 59 || oh > 23 || om > 59)
    return -1;
  int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
  t -= sign * (oh * 3600 + om * 60);
  *out = t;
  return 0;
}

/* Unix seconds as "YYYY-MM-DDTHH:MM:SSZ". */
static void nc_format_time(int64_t t, char *buf, size_t cap)
{
  time_t tt = (time_t)t;
  struct tm tm;
  if (gmtime_r(&tt, &tm) == NULL || strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    snprintf(buf, cap, "@%lld", (long long)t);
}

/* ---- names ---- */

/* The validation types, in the order of the pipeline. */
static const nv_check all_checks[] = {NV_CHECK_INTEGRITY, NV_CHECK_AUTHENTICITY,
                                      NV_CHECK_AUTHENTIC_TIMESTAMP, NV_CHECK_EXPIRY,
                                      NV_CHECK_REVOCATION};
#define CHECK_COUNT (sizeof(all_checks) / sizeof(all_checks[0]))


static const char *nc_check_name(nv_check check)
{
  switch (check) {
  case NV_CHECK_INTEGRITY: return "integrity";
  case NV_CHECK_AUTHENTICITY: return "authenticity";
  case NV_CHECK_AUTHENTIC_TIMESTAMP: return "authenticTimestamp";
  case NV_CHECK_EXPIRY: return "expiry";
  case NV_CHECK_REVOCATION: return "revocation";
  default: return "?";
  }
}

static const char *nc_action_name(nv_action action)
{
  switch (action) {
  case NV_ACTION_ENFORCE: return "enforce";
  case NV_ACTION_LOG: return "log";
  case NV_ACTION_SKIP: return "skip";
  default: return "-";
  }
}

/* The log callback of -v: one line per message on stderr. */
static void nc_log_to_stderr(nv_log_level level, const char *component, const char *message,
                             void *user_data)
{
  (void)user_data;
  static const char *const names[] = {"?", "error", "warn", "info", "debug"};
  fprintf(stderr, "notaryc: [%s] %s: ", level >= 1 && level <= 4 ? names[level] : "?",
          component != NULL ? component : "");
  nc_put(stderr, message);
  fputc('\n', stderr);
}

/* ---- descriptor JSON ----
 * verify-envelope's --target: a strict reader for one JSON object that has
 * mediaType and digest (printable ASCII strings) and size (an integer that
 * fits uint64) exactly once; other members are checked for syntax and
 * ignored. */

typedef struct jr {
  const char *start, *p, *end;
  char *err;
  size_t errlen;
} jr;

static int jfail(jr *r, const char *msg)
{
  snprintf(r->err, r->errlen, "%s at byte %zu", msg, (size_t)(r->p - r->start));
  return -1;
}

static void jskip_ws(jr *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static int hex4(const char *s, unsigned *out)
{
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned)(c - 'A' + 10);
    else
      return -1;
  }
  *out = v;
  return 0;
}

/* A JSON string; with `out`, decoded into a malloc'd buffer that must be
 * printable ASCII (descriptor media types and digests are). */
static int jstring(jr *r, char **out)
{
  if (r->p >= r->end || *r->p != '"')
    return jfail(r, "expected a string");
  r->p++;
  size_t cap = (size_t)(r->end - r->p) + 1, n = 0;
  char *buf = out != NULL ? malloc(cap) : NULL;
  if (out != NULL && buf == NULL)
    return jfail(r, "out of memory");
  int ascii = 1;
  while (r->p < r->end && *r->p != '"') {
    unsigned char c = (unsigned char)*r->p;
    if (c < 0x20) {
      free(buf);
      return jfail(r, "control character in a string");
    }
    if (c == '\\') {
      if (r->end - r->p < 2) {
        free(buf);
        return jfail(r, "truncated escape");
      }
      char e = r->p[1];
      unsigned u = 0;
      r->p += 2;
      switch (e) {
      case '"': case '\\': case '/': c = (unsigned char)e; break;
      case 'b': c = '\b'; break;
      case 'f': c = '\f'; break;
      case 'n': c = '\n'; break;
      case 'r': c = '\r'; break;
      case 't': c = '\t'; break;
      case 'u':
        if (r->end - r->p < 4 || hex4(r->p, &u) != 0) {
          free(buf);
          return jfail(r, "bad \\u escape");
        }
        r->p += 4;
        if (u == 0) {
          free(buf);
          return jfail(r, "escaped NUL in a string");
        }
        c = u < 0x80 ? (unsigned char)u : '?';
        if (u >= 0x80)
          ascii = 0;
        break;
      default:
        free(buf);
        return jfail(r, "bad escape");
      }
    } else {
      r->p++;
    }
    if (c < 0x20 || c >= 0x7f)
      ascii = 0;
    if (buf != NULL)
      buf[n++] = (char)c;
  }
  if (r->p >= r->end) {
    free(buf);
    return jfail(r, "unterminated string");
  }
  r->p++;
  if (out != NULL) {
    if (!ascii) {
      free(buf);
      return jfail(r, "mediaType and digest must be printable ASCII");
    }
    buf[n] = '\0';
    *out = buf;
  }
  return 0;
}

/* A JSON number; with `out`, a non-negative integer that fits uint64. */
static int jnumber(jr *r, uint64_t *out)
{
  const char *s = r->p;
  if (r->p < r->end && *r->p == '-')
    r->p++;
  if (r->p >= r->end || *r->p < '0' || *r->p > '9')
    return jfail(r, "expected a number");
  if (*r->p == '0' && r->end - r->p > 1 && r->p[1] >= '0' && r->p[1] <= '9')
    return jfail(r, "leading zero in a number");
  while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
    r->p++;
  const char *int_end = r->p;
  if (r->p < r->end && *r->p == '.') {
    r->p++;
    if (r->p >= r->end || *r->p < '0' || *r->p > '9')
      return jfail(r, "bad fraction");
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
      r->p++;
  }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
    r->p++;
    if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
      r->p++;
    if (r->p >= r->end || *r->p < '0' || *r->p > '9')
      return jfail(r, "bad exponent");
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
      r->p++;
  }
  if (out == NULL)
    return 0;
  if (*s == '-' || int_end != r->p)
    return jfail(r, "size must be a non-negative integer");
  uint64_t v = 0;
  for (const char *q = s; q < int_end; q++) {
    unsigned dgt = (unsigned)(*q - '0');
    if (v > (UINT64_MAX - dgt) / 10)
      return jfail(r, "size is too large");
    v = v * 10 + dgt;
  }
  *out = v;
  return 0;
}

static int jvalue(jr *r, int depth);

static int jliteral(jr *r, const char *lit)
{
  size_t n = strlen(lit);
  if ((size_t)(r->end - r->p) < n || memcmp(r->p, lit, n) != 0)
    return jfail(r, "unexpected character");
  r->p += n;
  return 0;
}

static int jcontainer(jr *r, int depth, char close)
{
  r->p++;
  jskip_ws(r);
  if (r->p < r->end && *r->p == close) {
    r->p++;
    return 0;
  }
  for (;;) {
    jskip_ws(r);
    if (close == '}') {
      if (jstring(r, NULL) != 0)
        return -1;
      jskip_ws(r);
      if (r->p >= r->end || *r->p != ':')
        return jfail(r, "expected ':'");
      r->p++;
    }
    if (jvalue(r, depth + 1) != 0)
      return -1;
    jskip_ws(r);
    if (r->p < r->end && *r->p == ',') {
      r->p++;
      continue;
    }
    if (r->p < r->end && *r->p == close) {
      r->p++;
      return 0;
    }
    return jfail(r, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
  }
}

static int jvalue(jr *r, int depth)
{
  if (depth > 32)
    return jfail(r, "nested too deeply");
  jskip_ws(r);
  if (r->p >= r->end)
    return jfail(r, "unexpected end");
  switch (*r->p) {
  case '{': return jcontainer(r, depth, '}');
  case '[': return jcontainer(r, depth, ']');
  case '"': return jstring(r, NULL);
  case 't': return jliteral(r, "true");
  case 'f': return jliteral(r, "false");
  case 'n': return jliteral(r, "null");
  default: return jnumber(r, NULL);
  }
}

static void nc_descriptor_free(nc_descriptor *d)
{
  free(d->media_type);
  free(d->digest);
  memset(d, 0, sizeof(*d));
}

static int nc_descriptor_parse(const char *text, size_t len, nc_descriptor *out, char *err,
                               size_t errlen)
{
  memset(out, 0, sizeof(*out));
  jr r = {text, text, text + len, err, errlen};
  if (memchr(text, '\0', len) != NULL)
    return jfail(&r, "NUL byte in the file");
  int have_size = 0;
  jskip_ws(&r);
  if (r.p >= r.end || *r.p != '{')
    return jfail(&r, "expected a JSON object");
  r.p++;
  jskip_ws(&r);
  int empty = r.p < r.end && *r.p == '}';
  if (empty)
    r.p++;
  while (!empty) {
    jskip_ws(&r);
    char *name = NULL;
    /* Names are decoded to compare them exactly; a non-ASCII name is
     * skipped like any other unknown member. */
    const char *name_start = r.p;
    if (jstring(&r, &name) != 0) {
      r.p = name_start;
      if (jstring(&r, NULL) != 0)
        goto fail;
    }
    jskip_ws(&r);
    if (r.p >= r.end || *r.p != ':') {
      free(name);
      jfail(&r, "expected ':'");
      goto fail;
    }
    r.p++;
    jskip_ws(&r);
    int rc;
    if (name != NULL && strcmp(name, "mediaType") == 0) {
      rc = out->media_type != NULL ? jfail(&r, "duplicate member mediaType")
                                   : jstring(&r, &out->media_type);
    } else if (name != NULL && strcmp(name, "digest") == 0) {
      rc = out->digest != NULL ? jfail(&r, "duplicate member digest")
                               : jstring(&r, &out->digest);
    } else if (name != NULL && strcmp(name, "size") == 0) {
      rc = have_size ? jfail(&r, "duplicate member size") : jnumber(&r, &out->size);
      have_size = 1;
    } else {
      rc = jvalue(&r, 1);
    }
    free(name);
    if (rc != 0)
      goto fail;
    jskip_ws(&r);
    if (r.p < r.end && *r.p == ',') {
      r.p++;
      continue;
    }
    if (r.p < r.end && *r.p == '}') {
      r.p++;
      break;
    }
    jfail(&r, "expected ',' or '}'");
    goto fail;
  }
  jskip_ws(&r);
  if (r.p != r.end) {
    jfail(&r, "trailing data after the object");
    goto fail;
  }
  if (out->media_type == NULL || out->digest == NULL || !have_size) {
    snprintf(err, errlen, "the descriptor needs mediaType, digest and size");
    goto fail;
  }
  return 0;
fail:
  nc_descriptor_free(out);
  return -1;
}

static int ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

#define ENVELOPE_FILE_MAX ((size_t)64 << 20)
#define DESCRIPTOR_FILE_MAX ((size_t)1 << 20)
#define CRL_FILE_MAX ((size_t)48 << 20) /* a CRL of the library's 32 MiB, as PEM */
#define CRL_FILES_MAX 64

/* One verify command: its options (each command's option table admits
 * only its own) and what the verification needs and produces. */
typedef struct common {
  const char *cmd;
  void (*help)(void);
  /* shared options */
  const char *policy_file;
  const char *store_dir;
  int json;
  int verbose;
  nv_verify_opts *opts;
  /* verify */
  int oci_layout;
  const char *scope;
  const char *registry_flag; /* the last registry option given, for messages */
  int plain_http;
  int insecure;
  const char *ca_file;
  const char *username;
  int password_stdin;
  uint32_t timeout_ms; /* 0: the library's default */
  /* revocation (every verify command) */
  int rev_offline;
  const char *rev_cache_dir;
  const char *crl_files[CRL_FILES_MAX];
  size_t crl_count;
  uint32_t ocsp_timeout_ms, crl_timeout_ms; /* 0: the library's default */
  /* verify-envelope, verify-blob */
  const char *envelope_file;
  const char *media_type;
  const char *target_file;
  const char *policy_name;
  const char *blob_media_type;
  /* the run */
  nv_ctx *ctx;
  nv_trust_policy *policy;
  nv_truststore *store;
  nv_result *res;
} common;

/* The options every verify command has; close a table with OPTS_END. */
#define TRUST_OPTS                                                                              \
  {"trust-policy", required_argument, NULL, OPT_TRUST_POLICY},                                  \
      {"trust-store", required_argument, NULL, OPT_TRUST_STORE},                                \
      {"user-metadata", required_argument, NULL, 'm'},                                          \
      {"at", required_argument, NULL, OPT_AT}, {"output", required_argument, NULL, OPT_OUTPUT}, \
      {"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'},                    \
      {"revocation-offline", no_argument, NULL, OPT_REVOCATION_OFFLINE},                        \
      {"crl", required_argument, NULL, OPT_CRL},                                                \
      {"revocation-cache", required_argument, NULL, OPT_REVOCATION_CACHE},                      \
      {"ocsp-timeout", required_argument, NULL, OPT_OCSP_TIMEOUT},                              \
      {"crl-timeout", required_argument, NULL, OPT_CRL_TIMEOUT}
#define OPTS_END {NULL, 0, NULL, 0}

static const char trust_help[] =
    "trust options:\n"
    "  --trust-policy FILE     the trust policy (default: notation's configuration\n"
    "                          directory, see below)\n"
    "  --trust-store DIR       notation's trust store directory, holding\n"
    "                          x509/<type>/<name>/ (default: <config>/truststore)\n"
    "  --at RFC3339            verify as of this time (e.g. 2027-01-01T00:00:00Z)\n"
    "                          instead of now\n"
    "  -m, --user-metadata K=V require the signed annotation K with value V\n"
    "                          (repeatable)\n"
    "  --output text|json      the report format (json: one line, nv_result_to_json)\n"
    "  -v, --verbose           the library's log lines on stderr\n"
    "  -h, --help              this text\n"
    "\n"
    "revocation options (when the policy checks revocation):\n"
    "  --revocation-offline    send no OCSP or CRL request: only --crl files and CRLs\n"
    "                          in --revocation-cache answer, otherwise the status is\n"
    "                          unknown and the policy's revocation action decides\n"
    "  --crl FILE              use this CRL (DER or PEM) before downloading any\n"
    "                          (repeatable, at most 64 files; a CRL of at most\n"
    "                          32 MiB)\n"
    "  --revocation-cache DIR  keep downloaded CRLs in the existing directory DIR\n"
    "                          and use them until their nextUpdate, also offline\n"
    "  --ocsp-timeout MS       give up on an OCSP responder after MS milliseconds\n"
    "                          (1..60000, default 2000)\n"
    "  --crl-timeout MS        give up on a CRL download after MS milliseconds\n"
    "                          (1..60000, default 5000)\n"
    "\n"
    "<config> is $NOTATION_CONFIG, else $XDG_CONFIG_HOME/notation, else\n"
    "$HOME/.config/notation.\n"
    "\n"
    "exit status: 0 verified, 1 not verified, 2 usage or operational error,\n"
    "3 skipped by the trust policy (level skip).\n";

static int common_init(common *c, const char *cmd, void (*help)(void))
{
  memset(c, 0, sizeof(*c));
  c->cmd = cmd;
  c->help = help;
  if (nv_verify_opts_new(&c->opts) != NV_OK)
    return nc_error("out of memory");
  return 0;
}

static void common_free(common *c)
{
  nv_result_free(c->res);
  nv_truststore_free(c->store);
  nv_trust_policy_free(c->policy);
  nv_ctx_free(c->ctx);
  nv_verify_opts_free(c->opts);
  memset(c, 0, sizeof(*c));
}

/* One option of a verify command (its option table admits only its own).
 * 0, or the exit status to end with: EXIT_USAGE for a bad value,
 * EXIT_VERIFIED after --help. */
static int verify_option(common *c, int opt, const char *arg, char **argv)
{
  switch (opt) {
  case 'h':
    c->help();
    return EXIT_VERIFIED;
  case 'v':
    c->verbose = 1;
    return 0;
  case OPT_TRUST_POLICY:
    c->policy_file = arg;
    return 0;
  case OPT_TRUST_STORE:
    c->store_dir = arg;
    return 0;
  case OPT_OUTPUT:
    if (strcmp(arg, "json") != 0 && strcmp(arg, "text") != 0)
      return nc_usage_error(c->cmd, "--output must be text or json, not \"%s\"", arg);
    c->json = strcmp(arg, "json") == 0;
    return 0;
  case OPT_AT: {
    int64_t t;
    if (nc_parse_rfc3339(arg, &t) != 0)
      return nc_usage_error(
          c->cmd, "--at \"%s\" is not an RFC 3339 time such as 2027-01-01T00:00:00Z", arg);
    if (t < 0 || nv_verify_opts_set_time(c->opts, t) != NV_OK)
      return nc_usage_error(c->cmd, "--at \"%s\" is before 1970-01-01T00:00:00Z", arg);
    return 0;
  }
  case 'm': {
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg || eq[1] == '\0')
      return nc_usage_error(c->cmd, "--user-metadata \"%s\" must be KEY=VALUE, both non-empty",
                            arg);
    char *key = strdup(arg);
    if (key == NULL)
      return nc_error("out of memory");
    key[eq - arg] = '\0';
    nv_status st = nv_verify_opts_add_user_metadata(c->opts, key, eq + 1);
    free(key);
    if (st == NV_E_LIMIT)
      return nc_usage_error(c->cmd, "at most %u --user-metadata pairs",
                            (unsigned)NV_VERIFY_MAX_USER_METADATA);
    if (st != NV_OK)
      return nc_usage_error(c->cmd,
                            "--user-metadata \"%s\": the key is given twice, or the key or "
                            "value is not valid UTF-8",
                            arg);
    return 0;
  }
  case OPT_MAX_SIGNATURES: {
    char *end = NULL;
    unsigned long long n = 0;
    if (arg[0] >= '0' && arg[0] <= '9')
      n = strtoull(arg, &end, 10);
    if (end == NULL || *end != '\0' || n > UINT32_MAX ||
        nv_verify_opts_set_max_signatures(c->opts, (uint32_t)n) != NV_OK)
      return nc_usage_error(
          c->cmd, "--max-signatures must be a whole number from 1 to 10000, not \"%s\"", arg);
    return 0;
  }
  case OPT_OCI_LAYOUT:
    c->oci_layout = 1;
    return 0;
  case OPT_SCOPE:
    c->scope = arg;
    return 0;
  case OPT_PLAIN_HTTP:
    c->registry_flag = "--plain-http";
    c->plain_http = 1;
    return 0;
  case OPT_INSECURE:
    c->registry_flag = "--insecure-skip-tls-verify";
    c->insecure = 1;
    return 0;
  case OPT_CA_FILE:
    c->registry_flag = "--ca-file";
    c->ca_file = arg;
    return 0;
  case OPT_USERNAME:
    c->registry_flag = "--username";
    c->username = arg;
    return 0;
  case OPT_PASSWORD_STDIN:
    c->registry_flag = "--password-stdin";
    c->password_stdin = 1;
    return 0;
  case OPT_TIMEOUT: {
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' || v < 1 || v > 3600) {
      return nc_usage_error(c->cmd, "--timeout wants whole seconds from 1 to 3600, not \"%s\"",
                            arg);
    }
    c->registry_flag = "--timeout";
    c->timeout_ms = (uint32_t)v * 1000u;
    return 0;
  }
  case OPT_REVOCATION_OFFLINE:
    c->rev_offline = 1;
    return 0;
  case OPT_CRL:
    if (c->crl_count == CRL_FILES_MAX)
      return nc_usage_error(c->cmd, "at most %d --crl files", CRL_FILES_MAX);
    c->crl_files[c->crl_count++] = arg;
    return 0;
  case OPT_REVOCATION_CACHE: {
    struct stat st;
    if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode))
      return nc_usage_error(c->cmd, "--revocation-cache \"%s\" is not an existing directory",
                            arg);
    c->rev_cache_dir = arg;
    return 0;
  }
  case OPT_OCSP_TIMEOUT:
  case OPT_CRL_TIMEOUT: {
    const char *flag = opt == OPT_OCSP_TIMEOUT ? "--ocsp-timeout" : "--crl-timeout";
    char *end = NULL;
    errno = 0;
    unsigned long v = arg[0] >= '0' && arg[0] <= '9' ? strtoul(arg, &end, 10) : 0;
    if (errno != 0 || end == NULL || *end != '\0' || v < 1 || v > 60000)
      return nc_usage_error(c->cmd, "%s wants whole milliseconds from 1 to 60000, not \"%s\"",
                            flag, arg);
    if (opt == OPT_OCSP_TIMEOUT)
      c->ocsp_timeout_ms = (uint32_t)v;
    else
      c->crl_timeout_ms = (uint32_t)v;
    return 0;
  }
  case OPT_ENVELOPE:
  case OPT_SIGNATURE:
    c->envelope_file = arg;
    return 0;
  case OPT_MEDIA_TYPE:
    c->media_type = arg;
    return 0;
  case OPT_TARGET:
    c->target_file = arg;
    return 0;
  case OPT_POLICY_NAME:
    c->policy_name = arg;
    return 0;
  case OPT_BLOB_MEDIA_TYPE:
    c->blob_media_type = arg;
    return 0;
  default:
    return nc_getopt_error(c->cmd, opt, argv);
  }
}

/* Parse a verify command's options and check that exactly one operand
 * (`what`) follows. -1 to go on, else the exit status. */
static int verify_args(common *c, int argc, char **argv, const struct option *longopts,
                       const char *what)
{
  int opt;
  while ((opt = getopt_long(argc, argv, ":hm:v", longopts, NULL)) != -1) {
    int rc = verify_option(c, opt, optarg, argv);
    if (rc != 0 || opt == 'h')
      return rc;
  }
  if (optind != argc - 1)
    return nc_usage_error(c->cmd, optind >= argc ? "a %s is required"
                                                 : "exactly one %s is allowed",
                          what);
  return -1;
}

/* "registry/repository[:tag][@digest]" to the form nv_trust_policy_select()
 * takes. Only the repository selects the statement; without a digest a
 * placeholder of the right form stands in. Malloc'd. */
static char *selection_target(const char *ref, int *placeholder)
{
  *placeholder = 0;
  if (strchr(ref, '@') != NULL)
    return strdup(ref);
  const char *slash = strrchr(ref, '/');
  const char *colon = strrchr(slash != NULL ? slash : ref, ':');
  size_t n = colon != NULL ? (size_t)(colon - ref) : strlen(ref);
  static const char zeros[] =
      "@sha256:0000000000000000000000000000000000000000000000000000000000000000";
  char *out = malloc(n + sizeof(zeros));
  if (out != NULL) {
    memcpy(out, ref, n);
    memcpy(out + n, zeros, sizeof(zeros));
    *placeholder = 1;
  }
  return out;
}

/* ---- revocation options ---- */

/* The value of a base64 character (RFC 4648 section 4), -1 for any other. */
static int b64_value(uint8_t ch)
{
  if (ch >= 'A' && ch <= 'Z')
    return ch - 'A';
  if (ch >= 'a' && ch <= 'z')
    return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9')
    return ch - '0' + 52;
  if (ch == '+')
    return 62;
  if (ch == '/')
    return 63;
  return -1;
}

/* Where a line of data[from..len) starts with `text`, or len. */
static size_t find_line(const uint8_t *data, size_t from, size_t len, const char *text)
{
  size_t n = strlen(text);
  for (size_t i = from; i + n <= len; i++)
    if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, text, n) == 0)
      return i;
  return len;
}

#define PEM_CRL_BEGIN "-----BEGIN X509 CRL-----"
#define PEM_CRL_END "-----END X509 CRL-----"

/* A PEM CRL (RFC 7468) decoded in place to DER: one BEGIN X509 CRL block
 * (text outside it is ignored), strict base64 inside: whitespace between
 * characters, '=' padding only at the end and required, no stray bits.
 * 1: data[0..*len) is the DER now; 0: no PEM at all, the data is taken
 * as DER; -1: a bad block or PEM of another kind, `why` says what. */
static int pem_crl_to_der(uint8_t *data, size_t *len, const char **why)
{
  size_t n = *len;
  size_t begin = find_line(data, 0, n, PEM_CRL_BEGIN);
  if (begin == n) {
    *why = "a PEM file without a " PEM_CRL_BEGIN " block";
    return find_line(data, 0, n, "-----BEGIN ") == n ? 0 : -1;
  }
  size_t p = begin + strlen(PEM_CRL_BEGIN);
  while (p < n && (data[p] == ' ' || data[p] == '\t' || data[p] == '\r'))
    p++;
  *why = "text after " PEM_CRL_BEGIN " on its line";
  if (p < n && data[p] != '\n')
    return -1;
  size_t end = find_line(data, p, n, PEM_CRL_END);
  *why = "no " PEM_CRL_END " line after " PEM_CRL_BEGIN;
  if (end == n)
    return -1;
  *why = "more than one CRL in the file (give each with its own --crl)";
  if (find_line(data, end, n, PEM_CRL_BEGIN) != n)
    return -1;
  *why = "bad base64 in the PEM block";
  size_t out = 0, chars = 0, pads = 0;
  uint32_t acc = 0;
  for (; p < end; p++) {
    uint8_t ch = data[p];
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
      continue;
    if (ch == '=') {
      pads++;
      continue;
    }
    int v = b64_value(ch);
    if (v < 0 || pads > 0)
      return -1;
    acc = acc << 6 | (uint32_t)v;
    if (++chars % 4 == 0) {
      data[out++] = (uint8_t)(acc >> 16);
      data[out++] = (uint8_t)(acc >> 8);
      data[out++] = (uint8_t)acc;
      acc = 0;
    }
  }
  size_t rest = chars % 4;
  if (chars == 0 || pads > 2 || (rest + pads) % 4 != 0 || (rest == 0) != (pads == 0))
    return -1;
  if (rest == 2) { /* 12 bits: one byte and four zero bits */
    if (acc & 0xf)
      return -1;
    data[out++] = (uint8_t)(acc >> 4);
  } else if (rest == 3) { /* 18 bits: two bytes and two zero bits */
    if (acc & 0x3)
      return -1;
    data[out++] = (uint8_t)(acc >> 10);
    data[out++] = (uint8_t)(acc >> 2);
  }
  *len = out;
  return 1;
}

/* The revocation options onto the context, right after it is made. 0 or
 * EXIT_USAGE (message printed). */
static int revocation_setup(common *c)
{
  nv_ctx *ctx = c->ctx;
  if (c->rev_offline && nv_revocation_set_offline(ctx, 1) != NV_OK)
    return nc_error("--revocation-offline: %s", nv_ctx_last_error(ctx));
  if ((c->ocsp_timeout_ms != 0 || c->crl_timeout_ms != 0) &&
      nv_revocation_set_timeouts(ctx, c->ocsp_timeout_ms, c->crl_timeout_ms) != NV_OK)
    return nc_error("--ocsp-timeout, --crl-timeout: %s", nv_ctx_last_error(ctx));
  if (c->rev_cache_dir != NULL && nv_revocation_set_cache_dir(ctx, c->rev_cache_dir) != NV_OK)
    return nc_error("--revocation-cache %s: %s", c->rev_cache_dir, nv_ctx_last_error(ctx));
  for (size_t i = 0; i < c->crl_count; i++) {
    const char *file = c->crl_files[i];
    uint8_t *data = NULL;
    size_t len = 0;
    const char *why = NULL;
    if (nc_read_file(file, CRL_FILE_MAX, "--crl file", &data, &len) != 0)
      return EXIT_USAGE;
    int rc = 0;
    if (pem_crl_to_der(data, &len, &why) < 0)
      rc = nc_error("--crl file %s: %s", file, why);
    else if (nv_revocation_preload_crl(ctx, data, len) != NV_OK)
      rc = nc_error("--crl file %s is not a usable CRL: %s", file, nv_ctx_last_error(ctx));
    free(data);
    if (rc != 0)
      return rc;
  }
  return 0;
}

/* A context (with the log on stderr for -v and the revocation options),
 * the trust policy and the stores of the statement that applies to
 * `target` (a reference for OCI policies, the statement name or NULL for
 * the global statement of blob policies): a store that only other
 * statements name does not matter.
 * When no statement applies nothing is loaded and the verification
 * reports it. Defaults from notation's configuration directory. 0 or
 * EXIT_USAGE (message printed). */
static int load_trust(common *c, nv_policy_kind kind, const char *target)
{
  if (nv_ctx_new(&c->ctx) != NV_OK)
    return nc_error("cannot create a library context");
  if (c->verbose)
    nv_ctx_set_log_cb(c->ctx, nc_log_to_stderr, NV_LOG_DEBUG, NULL);
  if (revocation_setup(c) != 0)
    return EXIT_USAGE;
  nv_ctx *ctx = c->ctx;
  char *config = NULL, *policy_path = NULL, *store_path = NULL;
  int rc = EXIT_USAGE;
  if (c->policy_file == NULL || c->store_dir == NULL) {
    if ((config = nc_config_dir()) == NULL)
      goto out;
  }
  if (c->policy_file != NULL) {
    policy_path = strdup(c->policy_file);
  } else if (kind == NV_POLICY_BLOB) {
    policy_path = nc_path_join(config, "trustpolicy.blob.json");
  } else {
    policy_path = nc_path_join(config, "trustpolicy.oci.json");
    if (policy_path != NULL && !nc_file_exists(policy_path)) {
      char *legacy = nc_path_join(config, "trustpolicy.json");
      if (legacy != NULL && nc_file_exists(legacy)) {
        free(policy_path);
        policy_path = legacy;
      } else {
        free(legacy);
      }
    }
  }
  store_path = c->store_dir != NULL ? strdup(c->store_dir) : nc_path_join(config, "truststore");
  if (policy_path == NULL || store_path == NULL) {
    nc_error("out of memory");
    goto out;
  }
  if (nv_trust_policy_load(ctx, kind, policy_path, &c->policy) != NV_OK) {
    nc_error("cannot load the %s trust policy %s: %s", kind == NV_POLICY_BLOB ? "blob" : "OCI",
             policy_path, nv_ctx_last_error(ctx));
    goto out;
  }
  if (nv_truststore_new(ctx, &c->store) != NV_OK) {
    nc_error("out of memory");
    goto out;
  }
  int placeholder;
  char *selector = kind == NV_POLICY_BLOB || target == NULL
                       ? NULL
                       : selection_target(target, &placeholder);
  size_t index;
  int applies = nv_trust_policy_select(ctx, c->policy, selector != NULL ? selector : target,
                                        &index) == NV_OK;
  free(selector);
  if (applies &&
      nv_truststore_load_for_statement(ctx, c->store, store_path, c->policy, index) != NV_OK) {
    nc_error("cannot load the trust store %s: %s", store_path, nv_ctx_last_error(ctx));
    goto out;
  }
  rc = 0;
out:
  free(config);
  free(policy_path);
  free(store_path);
  return rc;
}

static int exit_for(nv_status rc)
{
  if (rc == NV_OK)
    return EXIT_VERIFIED;
  if (rc == NV_E_SKIPPED)
    return EXIT_SKIPPED;
  nv_category cat = nv_status_category(rc);
  if (cat == NV_CAT_VERDICT || cat == NV_CAT_CHECK)
    return EXIT_NOT_VERIFIED;
  return EXIT_USAGE;
}

static void label(const char *name)
{
  printf("  %-14s ", name);
}

static void put_or_dash(const char *s)
{
  nc_put(stdout, s != NULL && *s != '\0' ? s : "-");
}

static void print_check(const nv_signature *sig, nv_check check)
{
  nv_action action = nv_signature_check_action(sig, check);
  nv_outcome outcome = nv_signature_check_outcome(sig, check);
  const char *what;
  if (outcome == NV_OUTCOME_PASSED)
    what = "passed";
  else if (outcome == NV_OUTCOME_FAILED)
    what = action == NV_ACTION_LOG ? "failed (logged)" : "FAILED (enforced)";
  else
    what = action == NV_ACTION_SKIP ? "skipped" : "not run";
  printf("    %-19s %-8s %s", nc_check_name(check), nc_action_name(action), what);
  if (outcome == NV_OUTCOME_FAILED) {
    nv_status st = nv_signature_check_status(sig, check);
    const char *name = nv_status_name(st);
    printf(": %s\n      ", name != NULL ? name : "?");
    nc_put(stdout, nv_signature_check_message(sig, check));
  }
  putchar('\n');
}

static void print_signature(const nv_signature *sig, size_t i, size_t n)
{
  printf("signature %zu of %zu", i + 1, n);
  const char *md = nv_signature_manifest_digest(sig);
  if (md != NULL && *md != '\0') {
    printf(": ");
    nc_put(stdout, md);
  }
  putchar('\n');
  label("media type:");
  put_or_dash(nv_signature_media_type(sig));
  putchar('\n');
  const char *scheme = nv_signature_signing_scheme(sig);
  label("scheme:");
  put_or_dash(scheme);
  putchar('\n');
  label("signer:");
  put_or_dash(nv_signature_signer(sig));
  putchar('\n');
  int64_t t;
  char when[40];
  int authentic = scheme != NULL && strcmp(scheme, "notary.x509.signingAuthority") == 0;
  if (nv_signature_signing_time(sig, &t) == NV_OK) {
    nc_format_time(t, when, sizeof(when));
    label("signing time:");
    printf("%s (%s)\n", when,
           authentic ? "authentic signing time" : "claimed by the signer, not authenticated");
  }
  label("expiry:");
  if (nv_signature_expiry(sig, &t) == NV_OK) {
    nc_format_time(t, when, sizeof(when));
    printf("%s\n", when);
  } else {
    printf("none\n");
  }
  int64_t accuracy_us = 0;
  if (nv_signature_timestamp(sig, &t, &accuracy_us) == NV_OK) {
    nc_format_time(t, when, sizeof(when));
    label("timestamp:");
    printf("%s +/- %lld.%06lld s (RFC 3161, verified against the tsa trust store)\n", when,
           (long long)(accuracy_us / 1000000), (long long)(accuracy_us % 1000000));
  }
  size_t ran = 0;
  for (size_t k = 0; k < CHECK_COUNT; k++)
    ran += nv_signature_check_action(sig, all_checks[k]) != 0;
  /* A signature that could not be retrieved or decoded has no checks. */
  printf("  checks:%s\n", ran ? "" : "        none ran");
  int shown = 0;
  nv_status st = nv_signature_status(sig);
  for (size_t k = 0; ran && k < CHECK_COUNT; k++) {
    print_check(sig, all_checks[k]);
    if (st != NV_OK && nv_signature_check_outcome(sig, all_checks[k]) == NV_OUTCOME_FAILED &&
        nv_signature_check_status(sig, all_checks[k]) == st)
      shown = 1;
  }
  label("result:");
  if (st == NV_OK) {
    printf("accepted\n");
  } else {
    const char *name = nv_status_name(st);
    printf("REJECTED (%s)\n", name != NULL ? name : "?");
    if (!shown) {
      printf("    ");
      nc_put(stdout, nv_signature_message(sig));
      putchar('\n');
    }
  }
}

static void print_text(const nv_result *res, nv_status rc, const char *display_ref)
{
  const char *word = rc == NV_OK ? "VERIFIED" : rc == NV_E_SKIPPED ? "SKIPPED" : "NOT VERIFIED";
  printf("%s ", word);
  nc_put(stdout, display_ref);
  const char *digest = nv_result_digest(res);
  if (digest != NULL && *digest != '\0') {
    printf(" (digest ");
    nc_put(stdout, digest);
    putchar(')');
  }
  putchar('\n');
  const char *pname = nv_result_policy_name(res);
  printf("policy: ");
  if (pname != NULL && *pname != '\0') {
    printf("statement \"");
    nc_put(stdout, pname);
    printf("\", level ");
    nc_put(stdout, nv_result_policy_level(res));
  } else {
    printf("no statement applied");
  }
  char when[40];
  nc_format_time(nv_result_verification_time(res), when, sizeof(when));
  printf("; verification time %s\n", when);
  size_t n = nv_result_signature_count(res);
  for (size_t i = 0; i < n; i++)
    print_signature(nv_result_signature(res, i), i, n);
  for (size_t i = 0; i < nv_result_warning_count(res); i++) {
    printf("warning: ");
    nc_put(stdout, nv_result_warning(res, i));
    putchar('\n');
  }
  if (rc != NV_OK) {
    printf("%s: ", rc == NV_E_SKIPPED ? "skipped" : "reason");
    nc_put(stdout, nv_result_message(res));
    putchar('\n');
  }
}

/* Print the result (text or JSON) and give the exit status. */
static int report(const common *c, nv_status rc, const char *display_ref)
{
  const nv_result *res = c->res;
  nv_ctx *ctx = c->ctx;
  if (res == NULL) {
    const char *msg = nv_ctx_last_error(ctx);
    return nc_error("%s", msg != NULL && *msg != '\0' ? msg : nv_strerror(rc));
  }
  int status = exit_for(rc);
  if (c->json) {
    char *json = NULL;
    size_t len = 0;
    if (nv_result_to_json(res, &json, &len) != NV_OK)
      return nc_error("cannot render the result as JSON: %s", nv_ctx_last_error(ctx));
    fwrite(json, 1, len, stdout);
    putchar('\n');
    nv_free(json);
  } else if (status == EXIT_USAGE) {
    fputs("notaryc: ", stderr);
    nc_put(stderr, nv_result_message(res));
    fputc('\n', stderr);
  } else {
    print_text(res, rc, display_ref);
  }
  if (fflush(stdout) != 0)
    return nc_error("cannot write the report");
  return status;
}

/* ---- verify ---- */

/* The password: the first line of standard input (without its line end),
 * at most 4095 bytes. Malloc'd; NULL after printing the problem. */
static char *read_password(void)
{
  char *line = malloc(4097);
  if (line == NULL) {
    nc_error("out of memory");
    return NULL;
  }
  if (fgets(line, 4097, stdin) == NULL) {
    free(line);
    nc_error("--password-stdin: no password on standard input");
    return NULL;
  }
  size_t n = strcspn(line, "\r\n");
  if (n >= 4096 && line[n] == '\0') {
    memset(line, 0, 4097);
    free(line);
    nc_error("--password-stdin: the password line is longer than 4095 bytes");
    return NULL;
  }
  line[n] = '\0';
  return line;
}

/* The registry options onto the context (made by load_trust). 0 or
 * EXIT_USAGE (message printed). */
static int registry_setup(common *c, const char *reference)
{
  nv_ctx *ctx = c->ctx;
  char agent[64];
  snprintf(agent, sizeof(agent), "notaryc/%s", nv_version_string());
  nv_status rc = nv_registry_set_user_agent(ctx, agent);
  if (rc == NV_OK && c->plain_http)
    rc = nv_registry_set_plain_http(ctx, NULL, 1);
  if (rc == NV_OK && c->insecure)
    rc = nv_registry_set_insecure_skip_tls_verify(ctx, NULL, 1);
  if (rc == NV_OK && c->ca_file != NULL)
    rc = nv_registry_set_ca_file(ctx, c->ca_file);
  if (rc == NV_OK && c->timeout_ms != 0)
    rc = nv_registry_set_timeout_ms(ctx, c->timeout_ms);
  if (rc == NV_OK && c->username != NULL) {
    /* the credentials are for the reference's registry: host[:port] */
    size_t host_len = strcspn(reference, "/");
    char *host = strndup(reference, host_len);
    char *password = host != NULL ? read_password() : NULL;
    if (password == NULL) {
      free(host);
      return EXIT_USAGE;
    }
    rc = nv_registry_set_basic_auth(ctx, host, c->username, password);
    memset(password, 0, strlen(password));
    free(password);
    free(host);
  } else if (rc == NV_OK) {
    rc = nv_registry_set_docker_config(ctx, NV_REGISTRY_DOCKER_CONFIG_DEFAULT);
  }
  if (rc != NV_OK)
    return nc_error("registry options: %s", nv_ctx_last_error(ctx));
  return 0;
}

static void verify_help(void)
{
  printf("usage: notaryc verify --oci-layout --scope SCOPE [options] PATH:TAG|PATH@sha256:HEX\n"
         "       notaryc verify [options] REGISTRY/REPOSITORY:TAG|REGISTRY/REPOSITORY@sha256:HEX\n"
         "\n"
         "Verify that an artifact carries a Notary Project signature that its trust\n"
         "policy statement accepts.\n"
         "\n"
         "  --oci-layout            REFERENCE is an OCI image layout directory with a tag\n"
         "                          or digest\n"
         "  --scope SCOPE           with --oci-layout (required): the registry/repository\n"
         "                          that selects the trust policy statement\n"
         "  --max-signatures N      examine at most N signatures (1..10000, default %u)\n"
         "\n"
         "registry options (not with --oci-layout):\n"
         "  --plain-http            talk HTTP, not HTTPS, to the registry\n"
         "  --insecure-skip-tls-verify  HTTPS without checking the registry's certificate\n"
         "                          (a separate switch: never implied by --plain-http)\n"
         "  --ca-file FILE          trust these CA certificates too (PEM), besides the\n"
         "                          system's\n"
         "  --username USER --password-stdin\n"
         "                          Basic credentials for the reference's registry; the\n"
         "                          password is the first line of standard input.\n"
         "                          Without them: ~/.docker/config.json (auths,\n"
         "                          credsStore, credHelpers), else anonymous\n"
         "  --timeout SECONDS       give up on the registry after this long (default %u)\n"
         "\n",
         (unsigned)NV_VERIFY_DEFAULT_MAX_SIGNATURES,
         (unsigned)(NV_REGISTRY_DEFAULT_TIMEOUT_MS / 1000u));
  fputs(trust_help, stdout);
  printf("\nThe default trust policy is <config>/trustpolicy.oci.json, else\n"
         "<config>/trustpolicy.json.\n");
}

static int nc_cmd_verify(int argc, char **argv)
{
  static const struct option longopts[] = {
      {"oci-layout", no_argument, NULL, OPT_OCI_LAYOUT},
      {"scope", required_argument, NULL, OPT_SCOPE},
      {"max-signatures", required_argument, NULL, OPT_MAX_SIGNATURES},
      {"plain-http", no_argument, NULL, OPT_PLAIN_HTTP},
      {"insecure-skip-tls-verify", no_argument, NULL, OPT_INSECURE},
      {"ca-file", required_argument, NULL, OPT_CA_FILE},
      {"username", required_argument, NULL, OPT_USERNAME},
      {"password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN},
      {"timeout", required_argument, NULL, OPT_TIMEOUT},
      TRUST_OPTS,
      OPTS_END};
  common c;
  if (common_init(&c, "verify", verify_help) != 0)
    return EXIT_USAGE;
  int status = verify_args(&c, argc, argv, longopts, "REFERENCE");
  if (status >= 0)
    goto out;
  status = EXIT_USAGE;
  const char *reference = argv[optind];
  if (c.registry_flag != NULL && c.oci_layout) {
    nc_usage_error(c.cmd, "%s applies to registry references, not to --oci-layout",
                   c.registry_flag);
    goto out;
  }
  if ((c.username != NULL) != (c.password_stdin != 0)) {
    nc_usage_error(c.cmd, "--username and --password-stdin go together");
    goto out;
  }
  if (c.oci_layout && c.scope == NULL) {
    nc_usage_error(c.cmd, "--oci-layout needs --scope REGISTRY/REPOSITORY to select the trust "
                          "policy statement");
    goto out;
  }
  if (!c.oci_layout && c.scope != NULL) {
    nc_usage_error(c.cmd, "--scope is only for --oci-layout");
    goto out;
  }
  if (c.oci_layout) {
    nv_status st = nv_verify_opts_set_oci_layout(c.opts, c.scope);
    if (st != NV_OK) {
      nc_usage_error(c.cmd, "--scope \"%s\" is not a registry/repository scope (%s)", c.scope,
                     nv_strerror(st));
      goto out;
    }
  }
  if (load_trust(&c, NV_POLICY_OCI, c.oci_layout ? c.scope : reference) != 0 ||
      (!c.oci_layout && registry_setup(&c, reference) != 0))
    goto out;
  nv_status rc = nv_verify(c.ctx, c.policy, c.store, reference, c.opts, &c.res);
  status = report(&c, rc, reference);
out:
  common_free(&c);
  return status;
}

/* ---- verify-envelope ---- */

static void verify_envelope_help(void)
{
  printf("usage: notaryc verify-envelope --envelope FILE --media-type MT --target FILE\n"
         "                               [options] REGISTRY/REPOSITORY[@sha256:HEX]\n"
         "\n"
         "Verify one signature envelope you fetched yourself, for the artifact that the\n"
         "target descriptor describes.\n"
         "\n"
         "  --envelope FILE         the signature envelope\n"
         "  --media-type MT         its media type: application/jose+json or\n"
         "                          application/cose\n"
         "  --target FILE           the artifact's descriptor, JSON with mediaType,\n"
         "                          digest and size\n"
         "\n"
         "REFERENCE names the repository, which selects the trust policy statement; a\n"
         "digest in it, when given, must be the descriptor's.\n"
         "\n");
  fputs(trust_help, stdout);
}

static int nc_cmd_verify_envelope(int argc, char **argv)
{
  static const struct option longopts[] = {
      {"envelope", required_argument, NULL, OPT_ENVELOPE},
      {"media-type", required_argument, NULL, OPT_MEDIA_TYPE},
      {"target", required_argument, NULL, OPT_TARGET},
      TRUST_OPTS,
      OPTS_END};
  common c;
  if (common_init(&c, "verify-envelope", verify_envelope_help) != 0)
    return EXIT_USAGE;
  uint8_t *envelope = NULL, *target_json = NULL;
  size_t envelope_len = 0, target_len = 0;
  nc_descriptor desc = {NULL, NULL, 0};
  int status = verify_args(&c, argc, argv, longopts, "REFERENCE");
  if (status >= 0)
    goto out;
  status = EXIT_USAGE;
  const char *reference = argv[optind];
  if (c.envelope_file == NULL || c.media_type == NULL || c.target_file == NULL) {
    nc_usage_error(c.cmd, "--envelope, --media-type and --target are required");
    goto out;
  }
  if (nc_read_file(c.target_file, DESCRIPTOR_FILE_MAX, "target descriptor", &target_json,
                   &target_len) != 0)
    goto out;
  char err[160];
  if (nc_descriptor_parse((const char *)target_json, target_len, &desc, err, sizeof(err)) !=
      0) {
    nc_usage_error(c.cmd, "target descriptor %s: %s", c.target_file, err);
    goto out;
  }
  /* The library only warns about a differing digest in the reference;
   * the tool insists that both name the same artifact. */
  const char *at = strrchr(reference, '@');
  if (at != NULL && strcmp(at + 1, desc.digest) != 0) {
    nc_usage_error(c.cmd, "the reference's digest %s is not the target descriptor's %s", at + 1,
                   desc.digest);
    goto out;
  }
  if (nc_read_file(c.envelope_file, ENVELOPE_FILE_MAX, "envelope", &envelope,
                   &envelope_len) != 0 ||
      load_trust(&c, NV_POLICY_OCI, reference) != 0)
    goto out;
  nv_status rc = nv_verify_envelope(c.ctx, c.policy, c.store, reference, desc.media_type,
                                    desc.digest, desc.size, c.media_type, envelope,
                                    envelope_len, c.opts, &c.res);
  status = report(&c, rc, reference);
out:
  free(envelope);
  free(target_json);
  nc_descriptor_free(&desc);
  common_free(&c);
  return status;
}

/* ---- verify-blob ---- */

static void verify_blob_help(void)
{
  printf("usage: notaryc verify-blob --signature FILE [options] BLOBFILE\n"
         "\n"
         "Verify a detached signature over a file under a blob trust policy.\n"
         "\n"
         "  --signature FILE        the signature envelope (*.jws.sig or *.cose.sig)\n"
         "  --media-type MT         the envelope's media type (default: from the file\n"
         "                          name: .jws.sig application/jose+json, .cose.sig\n"
         "                          application/cose)\n"
         "  --policy-name NAME      the blob trust policy statement (default: the one\n"
         "                          with globalPolicy)\n"
         "  --blob-media-type MT    require the signed media type of the blob\n"
         "\n");
  fputs(trust_help, stdout);
  printf("\nThe default trust policy is <config>/trustpolicy.blob.json.\n");
}

static nv_status read_file_cb(void *user_data, uint8_t *buf, size_t cap, size_t *got)
{
  FILE *f = user_data;
  *got = fread(buf, 1, cap, f);
  return ferror(f) ? NV_E_IO : NV_OK;
}

static int nc_cmd_verify_blob(int argc, char **argv)
{
  static const struct option longopts[] = {
      {"signature", required_argument, NULL, OPT_SIGNATURE},
      {"media-type", required_argument, NULL, OPT_MEDIA_TYPE},
      {"policy-name", required_argument, NULL, OPT_POLICY_NAME},
      {"blob-media-type", required_argument, NULL, OPT_BLOB_MEDIA_TYPE},
      TRUST_OPTS,
      OPTS_END};
  common c;
  if (common_init(&c, "verify-blob", verify_blob_help) != 0)
    return EXIT_USAGE;
  uint8_t *envelope = NULL;
  size_t envelope_len = 0;
  FILE *blob = NULL;
  int status = verify_args(&c, argc, argv, longopts, "BLOBFILE");
  if (status >= 0)
    goto out;
  status = EXIT_USAGE;
  const char *blob_file = argv[optind];
  const char *media_type = c.media_type;
  if (c.envelope_file == NULL) {
    nc_usage_error(c.cmd, "--signature FILE is required");
    goto out;
  }
  if (media_type == NULL && ends_with(c.envelope_file, ".jws.sig"))
    media_type = "application/jose+json";
  else if (media_type == NULL && ends_with(c.envelope_file, ".cose.sig"))
    media_type = "application/cose";
  if (media_type == NULL) {
    nc_usage_error(c.cmd, "cannot tell the envelope format of %s from its name (.jws.sig or "
                          ".cose.sig): give --media-type",
                   c.envelope_file);
    goto out;
  }
  if (nc_read_file(c.envelope_file, ENVELOPE_FILE_MAX, "signature", &envelope,
                   &envelope_len) != 0)
    goto out;
  if ((blob = fopen(blob_file, "rb")) == NULL) {
    nc_error("cannot open the blob %s: %s", blob_file, strerror(errno));
    goto out;
  }
  if (load_trust(&c, NV_POLICY_BLOB, c.policy_name) != 0)
    goto out;
  nv_status rc = nv_verify_blob(c.ctx, c.policy, c.store, c.policy_name, media_type, envelope,
                                envelope_len, read_file_cb, blob, c.blob_media_type, c.opts,
                                &c.res);
  status = report(&c, rc, blob_file);
out:
  if (blob != NULL)
    fclose(blob);
  free(envelope);
  common_free(&c);
  return status;
}

/* ---- policy and inspect: reading, never verifying ---- */

static const char *kind_name(nv_policy_kind kind)
{
  return kind == NV_POLICY_BLOB ? "blob" : "OCI";
}

static nv_ctx *new_ctx(void)
{
  nv_ctx *ctx = NULL;
  if (nv_ctx_new(&ctx) != NV_OK)
    nc_error("cannot create a library context");
  return ctx;
}

/* ---- policy ---- */

static void policy_help(void)
{
  printf("usage: notaryc policy validate [--oci|--blob] FILE\n"
         "       notaryc policy match FILE REGISTRY/REPOSITORY[:TAG|@sha256:HEX]\n"
         "       notaryc policy match (--blob NAME | --global) FILE\n"
         "\n"
         "validate: check a trust policy document and list its statements with their\n"
         "  level and the effective action of each validation type. The kind is blob for\n"
         "  a file named *.blob.json, else OCI, unless --oci or --blob says otherwise.\n"
         "  Exit 0 valid, 2 invalid (with the reason).\n"
         "match: print the statement that applies to an artifact (OCI policy) or the blob\n"
         "  statement named NAME / the global blob statement, with its effective actions.\n"
         "  Exit 0 when one applies, 1 when none does, 2 on errors.\n");
}

static void print_actions(const nv_trust_policy *policy, size_t index, const char *indent)
{
  for (size_t k = 0; k < CHECK_COUNT; k++)
    printf("%s%-19s %s\n", indent, nc_check_name(all_checks[k]),
           nc_action_name(nv_trust_policy_statement_action(policy, index, all_checks[k])));
}

static void print_statement(const nv_trust_policy *policy, size_t index)
{
  printf("statement \"");
  nc_put(stdout, nv_trust_policy_statement_name(policy, index));
  printf("\", level ");
  nc_put(stdout, nv_trust_policy_statement_level(policy, index));
  putchar('\n');
}

static int policy_validate(int argc, char **argv)
{
  static const struct option longopts[] = {{"oci", no_argument, NULL, OPT_OCI},
                                           {"blob", no_argument, NULL, OPT_BLOB},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  int opt, kind = 0;
  while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (opt) {
    case 'h':
      policy_help();
      return EXIT_VERIFIED;
    case OPT_OCI:
      kind = NV_POLICY_OCI;
      break;
    case OPT_BLOB:
      kind = NV_POLICY_BLOB;
      break;
    default:
      return nc_getopt_error("policy validate", opt, argv);
    }
  }
  if (optind != argc - 1)
    return nc_usage_error("policy validate", "exactly one FILE is required");
  const char *file = argv[optind];
  if (kind == 0)
    kind = ends_with(file, ".blob.json") ? NV_POLICY_BLOB : NV_POLICY_OCI;
  nv_ctx *ctx = new_ctx();
  if (ctx == NULL)
    return EXIT_USAGE;
  nv_trust_policy *policy = NULL;
  int status = EXIT_USAGE;
  nv_status rc = nv_trust_policy_load(ctx, kind, file, &policy);
  if (rc != NV_OK) {
    const char *name = nv_status_name(rc);
    fprintf(stderr, "INVALID %s trust policy %s: %s: ", kind_name(kind), file,
            name != NULL ? name : "?");
    nc_put(stderr, nv_ctx_last_error(ctx));
    fputc('\n', stderr);
  } else {
    size_t n = nv_trust_policy_statement_count(policy);
    printf("VALID %s trust policy %s (%zu statement%s)\n", kind_name(kind), file, n,
           n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
      printf("  ");
      print_statement(policy, i);
      print_actions(policy, i, "    ");
    }
    status = EXIT_VERIFIED;
  }
  nv_trust_policy_free(policy);
  nv_ctx_free(ctx);
  return status;
}

static int policy_match(int argc, char **argv)
{
  static const struct option longopts[] = {{"blob", required_argument, NULL, OPT_BLOB},
                                           {"global", no_argument, NULL, OPT_GLOBAL},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  int opt, global = 0;
  const char *blob_name = NULL;
  while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (opt) {
    case 'h':
      policy_help();
      return EXIT_VERIFIED;
    case OPT_BLOB:
      blob_name = optarg;
      break;
    case OPT_GLOBAL:
      global = 1;
      break;
    default:
      return nc_getopt_error("policy match", opt, argv);
    }
  }
  int blob = blob_name != NULL || global;
  if (blob_name != NULL && global)
    return nc_usage_error("policy match", "--blob NAME and --global exclude each other");
  if (blob && optind != argc - 1)
    return nc_usage_error("policy match", "a blob policy match takes exactly one FILE");
  if (!blob && optind != argc - 2)
    return nc_usage_error("policy match", "FILE and REFERENCE are required");
  const char *file = argv[optind];
  const char *ref = blob ? NULL : argv[optind + 1];
  nv_policy_kind kind = blob ? NV_POLICY_BLOB : NV_POLICY_OCI;
  nv_ctx *ctx = new_ctx();
  if (ctx == NULL)
    return EXIT_USAGE;
  nv_trust_policy *policy = NULL;
  char *target = NULL;
  int status = EXIT_USAGE, placeholder = 0;
  if (nv_trust_policy_load(ctx, kind, file, &policy) != NV_OK) {
    nc_error("cannot load the %s trust policy %s: %s", kind_name(kind), file,
             nv_ctx_last_error(ctx));
    goto out;
  }
  if (!blob && (target = selection_target(ref, &placeholder)) == NULL) {
    nc_error("out of memory");
    goto out;
  }
  size_t index = 0;
  nv_status rc = nv_trust_policy_select(ctx, policy, blob ? blob_name : target, &index);
  if (rc == NV_E_NO_APPLICABLE_POLICY) {
    printf("NO MATCH: ");
    if (placeholder) {
      printf("no statement of %s applies to ", file);
      nc_put(stdout, ref);
      printf(" (registryScopes select by registry/repository)\n");
    } else {
      nc_put(stdout, nv_ctx_last_error(ctx));
      putchar('\n');
    }
    status = EXIT_NOT_VERIFIED;
    goto out;
  }
  if (rc != NV_OK) {
    nc_error("%s", nv_ctx_last_error(ctx));
    goto out;
  }
  print_statement(policy, index);
  printf("  applies to ");
  if (global) {
    printf("blobs verified without --policy-name (globalPolicy)");
  } else if (blob_name != NULL) {
    printf("blobs verified with --policy-name ");
    nc_put(stdout, blob_name);
  } else {
    nc_put(stdout, ref);
  }
  putchar('\n');
  print_actions(policy, index, "  ");
  if (strcmp(nv_trust_policy_statement_level(policy, index), "skip") == 0)
    printf("  level skip: signatures are not verified (notaryc verify exits 3)\n");
  status = EXIT_VERIFIED;
out:
  free(target);
  nv_trust_policy_free(policy);
  nv_ctx_free(ctx);
  return status;
}

static int nc_cmd_policy(int argc, char **argv)
{
  if (argc < 2)
    return nc_usage_error("policy", "a sub-command is required: validate or match");
  const char *sub = argv[1];
  if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
    policy_help();
    return EXIT_VERIFIED;
  }
  if (strcmp(sub, "validate") == 0)
    return policy_validate(argc - 1, argv + 1);
  if (strcmp(sub, "match") == 0)
    return policy_match(argc - 1, argv + 1);
  return nc_usage_error("policy", "unknown sub-command \"%s\" (validate or match)", sub);
}

/* ---- inspect ---- */

static void inspect_help(void)
{
  printf("usage: notaryc inspect --envelope FILE [--media-type MT]\n"
         "\n"
         "Decode a signature envelope and print what it claims: media type, signing\n"
         "scheme, algorithm, times, signing agent, certificate subjects, extended\n"
         "attributes and the signed payload. This is NOT verification: nothing is\n"
         "checked against a trust policy or trust store, and the signature itself is\n"
         "not checked. Use notaryc verify for that.\n"
         "\n"
         "  --envelope FILE   the envelope\n"
         "  --media-type MT   application/jose+json or application/cose (default: from\n"
         "                    the name, *.jws[.sig] or *.cose[.sig], else from the\n"
         "                    content: JSON is JWS, anything else COSE)\n");
}

static void print_time(const char *name, nv_status rc, int64_t t, const char *note)
{
  printf("%-24s ", name);
  if (rc == NV_OK) {
    char buf[40];
    nc_format_time(t, buf, sizeof(buf));
    printf("%s%s\n", buf, note);
  } else {
    printf("none\n");
  }
}

static void print_envelope(const nv_envelope *env)
{
  const char *scheme = nv_envelope_signing_scheme(env);
  printf("%-24s ", "media type:");
  nc_put(stdout, nv_envelope_media_type(env));
  printf("\n%-24s ", "signing scheme:");
  nc_put(stdout, scheme);
  printf("\n%-24s ", "signature algorithm:");
  nc_put(stdout, nv_envelope_signature_algorithm(env));
  printf("\n%-24s ", "content type:");
  nc_put(stdout, nv_envelope_content_type(env));
  putchar('\n');
  int64_t t = 0;
  nv_status rc = nv_envelope_signing_time(env, &t);
  print_time("signing time:", rc, t, " (claimed by the signer, not authenticated)");
  rc = nv_envelope_authentic_signing_time(env, &t);
  print_time("authentic signing time:", rc, t, " (trusted only once the signature verifies)");
  rc = nv_envelope_expiry(env, &t);
  print_time("expiry:", rc, t, "");
  const char *agent = nv_envelope_signing_agent(env);
  printf("%-24s ", "signing agent:");
  if (agent != NULL) {
    nc_put(stdout, agent);
    printf(" (unsigned)\n");
  } else {
    printf("none\n");
  }
  size_t tslen = 0;
  printf("%-24s ", "timestamp:");
  if (nv_envelope_timestamp_token(env, &tslen) != NULL)
    printf("RFC 3161 token, %zu bytes (not checked here)\n", tslen);
  else
    printf("none\n");
  size_t n = nv_envelope_cert_count(env);
  printf("%-24s %zu, leaf first\n", "certificates:", n);
  for (size_t i = 0; i < n; i++) {
    printf("  [%zu] ", i);
    nc_put(stdout, nv_envelope_cert_subject(env, i));
    putchar('\n');
  }
  size_t na = nv_envelope_attribute_count(env), crit = 0;
  for (size_t i = 0; i < na; i++)
    crit += nv_envelope_attribute_critical(env, i) == 1;
  printf("%-24s %zu (%zu critical)\n", "extended attributes:", na, crit);
  for (size_t i = 0; i < na; i++) {
    printf("  %s ", nv_envelope_attribute_critical(env, i) == 1 ? "critical" : "        ");
    nc_put(stdout, nv_envelope_attribute_name(env, i));
    printf(" = ");
    nc_put(stdout, nv_envelope_attribute_value(env, i));
    putchar('\n');
  }
  size_t plen = 0;
  const uint8_t *payload = nv_envelope_payload(env, &plen);
  printf("payload (%zu bytes):\n  ", plen);
  if (payload != NULL)
    nc_put_len(stdout, payload, plen);
  putchar('\n');
}

static int nc_cmd_inspect(int argc, char **argv)
{
  static const struct option longopts[] = {{"envelope", required_argument, NULL, OPT_ENVELOPE},
                                           {"media-type", required_argument, NULL,
                                            OPT_MEDIA_TYPE},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  int opt;
  const char *file = NULL, *media_type = NULL;
  while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (opt) {
    case 'h':
      inspect_help();
      return EXIT_VERIFIED;
    case OPT_ENVELOPE:
      file = optarg;
      break;
    case OPT_MEDIA_TYPE:
      media_type = optarg;
      break;
    default:
      return nc_getopt_error("inspect", opt, argv);
    }
  }
  if (file == NULL)
    return nc_usage_error("inspect", "--envelope FILE is required");
  if (optind != argc)
    return nc_usage_error("inspect", "unexpected argument \"%s\"", argv[optind]);
  uint8_t *data = NULL;
  size_t len = 0;
  if (nc_read_file(file, ENVELOPE_FILE_MAX, "envelope", &data, &len) != 0)
    return EXIT_USAGE;
  const char *how = "";
  if (media_type == NULL) {
    if (ends_with(file, ".jws.sig") || ends_with(file, ".jws")) {
      media_type = "application/jose+json";
    } else if (ends_with(file, ".cose.sig") || ends_with(file, ".cose")) {
      media_type = "application/cose";
    } else {
      size_t i = 0;
      while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
        i++;
      media_type = i < len && data[i] == '{' ? "application/jose+json" : "application/cose";
      how = " (media type guessed from the content; give --media-type to be sure)";
    }
  }
  nv_ctx *ctx = new_ctx();
  if (ctx == NULL) {
    free(data);
    return EXIT_USAGE;
  }
  nv_envelope *env = NULL;
  int status = EXIT_USAGE;
  nv_status rc = nv_envelope_parse(ctx, media_type, data, len, &env);
  if (rc != NV_OK) {
    const char *name = nv_status_name(rc);
    fprintf(stderr, "notaryc: cannot decode %s as %s: %s: ", file, media_type,
            name != NULL ? name : "?");
    nc_put(stderr, nv_ctx_last_error(ctx));
    fputc('\n', stderr);
  } else {
    printf("ENVELOPE %s%s\n", file, how);
    printf("decoded only: this is NOT verification. Nothing below is checked against a trust\n"
           "policy or trust store, and the signature is not checked; use notaryc verify.\n");
    print_envelope(env);
    status = EXIT_VERIFIED;
  }
  nv_envelope_free(env);
  nv_ctx_free(ctx);
  free(data);
  return status;
}

static void usage(FILE *out)
{
  fprintf(out,
          "usage: notaryc <command> [options]\n"
          "\n"
          "commands:\n"
          "  verify            verify the signatures of an artifact (an OCI image layout\n"
          "                    with --oci-layout --scope)\n"
          "  verify-envelope   verify one envelope for a given target descriptor\n"
          "  verify-blob       verify a detached signature over a file\n"
          "  policy validate   check a trust policy document\n"
          "  policy match      show the statement that applies to an artifact\n"
          "  inspect           decode an envelope (no verification)\n"
          "  version           print the library and tool versions\n"
          "  help              print this text\n"
          "\n"
          "Run 'notaryc <command> --help' for the options of a command.\n"
          "exit status: 0 verified, 1 not verified, 2 usage or operational error,\n"
          "3 skipped by the trust policy.\n");
}

static int cmd_version(int argc, char **argv)
{
  (void)argv;
  if (argc > 1)
    return nc_usage_error("version", "no arguments are taken");
  printf("notaryc %s (headers %s)\n", nv_version_string(), NV_VERSION_STRING);
  return EXIT_VERIFIED;
}

int main(int argc, char **argv)
{
  static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
  } commands[] = {
      {"verify", nc_cmd_verify},   {"verify-envelope", nc_cmd_verify_envelope},
      {"verify-blob", nc_cmd_verify_blob}, {"policy", nc_cmd_policy},
      {"inspect", nc_cmd_inspect}, {"version", cmd_version},
      {"--version", cmd_version},
  };
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    usage(stdout);
    return EXIT_VERIFIED;
  }
  int (*run)(int, char **) = NULL;
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
    if (strcmp(cmd, commands[i].name) == 0)
      run = commands[i].run;
  if (run == NULL) {
    fprintf(stderr, "notaryc: unknown command \"%s\"\n\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
  }
  nv_status rc = nv_global_init(NV_INIT_DEFAULT);
  if (rc != NV_OK) {
    fprintf(stderr, "notaryc: %s\n", nv_strerror(rc));
    return EXIT_USAGE;
  }
  int status = run(argc - 1, argv + 1);
  nv_global_cleanup();
  return status;
}
