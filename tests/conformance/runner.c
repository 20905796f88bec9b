/*
 * nv-conformance --root DIR --cases FILE [--report FILE.json]
 *                [--categories a,b,...] [--deviations FILE]
 *
 * Runs every case of FILE (schema: tests/conformance/vectors/README.md)
 * through the library and prints one line per case (PASS, FAIL,
 * DEVIATION, SKIP), then "N passed, N failed, N skipped, N deviations".
 * Exit status 0 when no case failed.
 */
#include "runner.h"

#include <notaryc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/nv_time.h"

extern const op_def revocation_ops[]; /* ops_revocation.c */

extern const op_def timestamp_ops[]; /* ops_timestamp.c */

static const op_def *const op_tables[] = {envelope_ops, x509_ops, policy_ops, store_ops,
                                             verify_ops,   blob_ops, plugin_ops,
                                             revocation_ops, timestamp_ops};

/* ---------- inputs and outcome ---------- */

const nv_json *in_value(case_ctx *c, const char *name)
{
  return nv_json_member(c->inputs, name);
}

bool in_present(case_ctx *c, const char *name)
{
  const nv_json *v = in_value(c, name);
  return v != NULL && nv_json_type_of(v) != NV_JSON_NULL;
}

const char *in_string(case_ctx *c, const char *name)
{
  return nv_json_string(in_value(c, name));
}

bool read_input_file(case_ctx *c, const char *path, nv_buf *out)
{
  char full[4096];
  nv_buf_init(out, (size_t)64 << 20);
  if ((size_t)snprintf(full, sizeof(full), "%s/%s", c->root, path) >= sizeof(full)) {
    op_failure_msg(c, NV_E_INVALID_ARG, "input path too long");
    return false;
  }
  nv_diag d;
  nv_diag_init(&d);
  if (!read_whole_file(full, out, &d)) {
    nv_buf_free(out);
    op_failure(c, &d);
    return false;
  }
  return true;
}

bool read_file_or_inline(case_ctx *c, const char *file_key, const char *bytes_key, nv_buf *out)
{
  nv_buf_init(out, (size_t)64 << 20); /* `out` can be freed whatever happens */
  if (in_present(c, file_key))
    return read_input_file(c, in_string(c, file_key), out);
  const char *inline_bytes = in_string(c, bytes_key);
  if (inline_bytes != NULL && nv_buf_append_str(out, inline_bytes, NULL) != NV_OK) {
    nv_buf_free(out);
    op_failure_msg(c, NV_E_NOMEM, "inline bytes too large");
    return false;
  }
  return true;
}

void op_success(case_ctx *c)
{
  c->ok = true;
  c->code = NV_OK;
  c->message[0] = '\0';
}

void op_failure_msg(case_ctx *c, nv_status code, const char *msg)
{
  c->ok = false;
  c->code = code;
  size_t n = msg ? strlen(msg) : 0;
  if (n >= sizeof(c->message))
    n = sizeof(c->message) - 1; /* long messages are cut */
  memcpy(c->message, msg ? msg : "", n);
  c->message[n] = '\0';
}

void op_failure(case_ctx *c, const nv_diag *d)
{
  op_failure_msg(c, d->status != NV_OK ? d->status : NV_E_GENERIC, d->msg);
}

void op_skip(case_ctx *c, const char *reason)
{
  c->skipped = true;
  snprintf(c->message, sizeof(c->message), "%s", reason);
}

void op_note(case_ctx *c, const char *note)
{
  size_t len = strlen(c->note);
  snprintf(c->note + len, sizeof(c->note) - len, "%s%s", len ? "; " : "", note);
}

/* ---------- reported fields ---------- */

void report_json(case_ctx *c, const char *key, const char *json)
{
  for (size_t i = 0; i < c->field_count; i++)
    if (strcmp(c->fields[i].key, key) == 0) {
      free(c->fields[i].json);
      c->fields[i].json = strdup(json);
      return;
    }
  if (c->field_count == CASE_MAX_FIELDS)
    return;
  case_field *f = &c->fields[c->field_count++];
  snprintf(f->key, sizeof(f->key), "%s", key);
  f->json = strdup(json);
}

void json_append_string(nv_buf *b, const char *s)
{
  nv_buf_append_byte(b, '"', NULL);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    char esc[8];
    if (*p == '"' || *p == '\\') {
      esc[0] = '\\';
      esc[1] = (char)*p;
      nv_buf_append(b, esc, 2, NULL);
    } else if (*p < 0x20) {
      snprintf(esc, sizeof(esc), "\\u%04x", *p);
      nv_buf_append_str(b, esc, NULL);
    } else {
      nv_buf_append_byte(b, *p, NULL);
    }
  }
  nv_buf_append_byte(b, '"', NULL);
}

void report_string(case_ctx *c, const char *key, const char *value)
{
  nv_buf b;
  nv_buf_init(&b, (size_t)16 << 20);
  if (value == NULL)
    nv_buf_append_str(&b, "null", NULL);
  else
    json_append_string(&b, value);
  nv_buf_terminate(&b, NULL);
  report_json(c, key, (const char *)b.data);
  nv_buf_free(&b);
}

void report_int(case_ctx *c, const char *key, int64_t value)
{
  char text[32];
  snprintf(text, sizeof(text), "%lld", (long long)value);
  report_json(c, key, text);
}

void report_bool(case_ctx *c, const char *key, bool value)
{
  report_json(c, key, value ? "true" : "false");
}

void report_time(case_ctx *c, const char *key, int64_t unix_secs)
{
  char text[NV_TIME_RFC3339_MAX];
  if (nv_time_format_rfc3339(unix_secs, text, sizeof(text), NULL) != NV_OK)
    snprintf(text, sizeof(text), "@%lld", (long long)unix_secs);
  report_string(c, key, text);
}

/* ---------- canonical JSON for comparing values ---------- */

static int cmp_keys(const void *a, const void *b)
{
  const nv_json *const *x = a, *const *y = b;
  return strcmp(nv_json_key(*x), nv_json_key(*y));
}

static void canon(const nv_json *j, nv_buf *out)
{
  char num[64];
  double v;
  switch (nv_json_type_of(j)) {
  case NV_JSON_NULL:
    nv_buf_append_str(out, "null", NULL);
    break;
  case NV_JSON_BOOL:
    nv_buf_append_str(out, nv_json_is_true(j) ? "true" : "false", NULL);
    break;
  case NV_JSON_NUMBER:
    v = 0;
    nv_json_number(j, &v);
    snprintf(num, sizeof(num), "%.17g", v);
    nv_buf_append_str(out, num, NULL);
    break;
  case NV_JSON_STRING:
    json_append_string(out, nv_json_string(j));
    break;
  case NV_JSON_ARRAY:
    nv_buf_append_byte(out, '[', NULL);
    for (size_t i = 0; i < nv_json_count(j); i++) {
      if (i)
        nv_buf_append_byte(out, ',', NULL);
      canon(nv_json_at(j, i), out);
    }
    nv_buf_append_byte(out, ']', NULL);
    break;
  case NV_JSON_OBJECT: {
    size_t n = nv_json_count(j);
    const nv_json **members = calloc(n ? n : 1, sizeof(*members));
    for (size_t i = 0; i < n; i++)
      members[i] = nv_json_at(j, i);
    qsort(members, n, sizeof(*members), cmp_keys);
    nv_buf_append_byte(out, '{', NULL);
    for (size_t i = 0; i < n; i++) {
      if (i)
        nv_buf_append_byte(out, ',', NULL);
      json_append_string(out, nv_json_key(members[i]));
      nv_buf_append_byte(out, ':', NULL);
      canon(members[i], out);
    }
    nv_buf_append_byte(out, '}', NULL);
    free(members);
    break;
  }
  default:
    nv_buf_append_str(out, "?", NULL);
  }
}

/* Canonical text of a JSON value given as text; NULL if it does not parse. */
static char *canon_text(const char *json)
{
  nv_json *doc = NULL;
  if (nv_json_parse(json, strlen(json), (size_t)16 << 20, "value", &doc, NULL) != NV_OK)
    return NULL;
  nv_buf b;
  nv_buf_init(&b, (size_t)16 << 20);
  canon(doc, &b);
  nv_buf_terminate(&b, NULL);
  nv_json_free(doc);
  return (char *)nv_buf_detach(&b, NULL);
}

static char *canon_node(const nv_json *j)
{
  nv_buf b;
  nv_buf_init(&b, (size_t)16 << 20);
  canon(j, &b);
  nv_buf_terminate(&b, NULL);
  return (char *)nv_buf_detach(&b, NULL);
}

/* ---------- one case ---------- */

typedef enum { R_PASS, R_FAIL, R_SKIP, R_DEVIATION } result_kind;

typedef struct run_stats {
  unsigned passed, failed, skipped, deviations;
  unsigned messages, exact_messages;
} run_stats;

static const op_def *find_op(const char *name)
{
  for (size_t t = 0; t < sizeof(op_tables) / sizeof(op_tables[0]); t++)
    for (const op_def *op = op_tables[t]; op->name != NULL; op++)
      if (strcmp(op->name, name) == 0)
        return op;
  return NULL;
}

static bool op_accepts(const op_def *op, const char *input)
{
  for (size_t i = 0; i < sizeof(op->inputs) / sizeof(op->inputs[0]) && op->inputs[i]; i++)
    if (strcmp(op->inputs[i], input) == 0)
      return true;
  return false;
}

static const char *field_json(const case_ctx *c, const char *key)
{
  for (size_t i = 0; i < c->field_count; i++)
    if (strcmp(c->fields[i].key, key) == 0)
      return c->fields[i].json;
  return NULL;
}

/* per_level cases (category verify-oci): the operation ran every level and
 * reported "per_level" {level: {"overall", "result_for_<type>": {"action",
 * "error"}}}. Each level must have the expected overall outcome, and each
 * validation type the case names the expected action and the same failed
 * / passed outcome (error null or not; the texts are notation-go's). */
static result_kind judge_per_level(const case_ctx *c, const nv_json *want, char *detail,
                                   size_t size)
{
  const char *text = field_json(c, "per_level");
  nv_json *got = NULL;
  if (text == NULL || nv_json_parse(text, strlen(text), (size_t)16 << 20, "per_level", &got,
                                    NULL) != NV_OK) {
    snprintf(detail, size, "the operation reported no per_level result: %s", c->message);
    return R_FAIL;
  }
  size_t used = 0;
  for (size_t i = 0; i < nv_json_count(want) && used < size; i++) {
    const nv_json *wl = nv_json_at(want, i);
    const char *level = nv_json_key(wl);
    const nv_json *gl = nv_json_member(got, level);
    for (size_t k = 0; k < nv_json_count(wl) && used < size; k++) {
      const nv_json *wm = nv_json_at(wl, k);
      const char *key = nv_json_key(wm);
      const nv_json *gm = nv_json_member(gl, key);
      const char *want_s = NULL, *got_s = NULL;
      char want_b[64], got_b[64];
      if (strcmp(key, "overall") == 0) {
        want_s = nv_json_string(wm);
        got_s = nv_json_string(gm);
      } else if (strncmp(key, "result_for_", 11) == 0) {
        /* "<action>/<passed|failed|not run>" on both sides */
        const char *wa = nv_json_string(nv_json_member(wm, "action"));
        const char *ga = nv_json_string(nv_json_member(gm, "action"));
        bool w_failed = nv_json_type_of(nv_json_member(wm, "error")) == NV_JSON_STRING;
        bool g_failed = nv_json_type_of(nv_json_member(gm, "error")) == NV_JSON_STRING;
        snprintf(want_b, sizeof(want_b), "%s/%s", wa ? wa : "?", w_failed ? "failed" : "passed");
        snprintf(got_b, sizeof(got_b), "%s/%s", ga ? ga : "?",
                 gm == NULL ? "not run" : g_failed ? "failed" : "passed");
        want_s = want_b;
        got_s = got_b;
      } else {
        continue;
      }
      if (want_s == NULL || got_s == NULL || strcmp(want_s, got_s) != 0) {
        const char *why = nv_json_string(nv_json_member(gl, "error"));
        int n = snprintf(detail + used, size - used, "%s%s %s: expected %s, got %s%s%.300s",
                         used ? "; " : "", level, key, want_s ? want_s : "?",
                         got_s ? got_s : "?", why ? ": " : "", why ? why : "");
        if (n > 0)
          used += (size_t)n;
      }
    }
  }
  nv_json_free(got);
  return used > 0 ? R_FAIL : R_PASS;
}

/* Decide the case; `detail` receives what differed. */
static result_kind judge(case_ctx *c, const nv_json *expected, char *detail, size_t size,
                         run_stats *st)
{
  detail[0] = '\0';
  if (c->skipped) {
    snprintf(detail, size, "%s", c->message);
    return R_SKIP;
  }
  const nv_json *per_level = nv_json_member(expected, "per_level");
  if (per_level != NULL)
    return judge_per_level(c, per_level, detail, size);
  const char *result = nv_json_string(nv_json_member(expected, "result"));
  if (result == NULL) {
    snprintf(detail, size, "expected has no \"result\" (per_level cases are not supported yet)");
    return R_FAIL;
  }
  bool want_ok = strcmp(result, "success") == 0;
  const char *want_error = nv_json_string(nv_json_member(expected, "error"));
  if (!want_ok && want_error != NULL && !c->ok) {
    st->messages++;
    const char *match = nv_json_string(nv_json_member(expected, "match"));
    if (match != NULL && strcmp(match, "exact") == 0 && strcmp(want_error, c->message) == 0)
      st->exact_messages++;
  }
  if (want_ok != c->ok) {
    if (want_ok)
      snprintf(detail, size, "expected success, got %s: %s",
               nv_status_name(c->code) ? nv_status_name(c->code) : "error", c->message);
    else
      snprintf(detail, size, "expected failure (%s), got success",
               want_error ? want_error : "any error");
    return R_FAIL;
  }
  size_t used = 0;
  char unchecked[512] = "";
  for (size_t i = 0; i < nv_json_count(expected); i++) {
    const nv_json *m = nv_json_at(expected, i);
    const char *key = nv_json_key(m);
    if (!strcmp(key, "result") || !strcmp(key, "error") || !strcmp(key, "match") ||
        !strcmp(key, "note"))
      continue;
    const char *got = field_json(c, key);
    if (got == NULL) {
      size_t len = strlen(unchecked);
      snprintf(unchecked + len, sizeof(unchecked) - len, "%s%s", len ? "," : "", key);
      continue;
    }
    char *want_c = canon_node(m);
    char *got_c = canon_text(got);
    bool same = got_c != NULL && strcmp(want_c, got_c) == 0;
    if (!same && used < size) {
      int n = snprintf(detail + used, size - used, "%s%s: expected %.200s, got %.200s",
                       used ? "; " : "", key, want_c, got_c ? got_c : got);
      if (n > 0)
        used += (size_t)n;
    }
    free(want_c);
    free(got_c);
  }
  if (used > 0)
    return R_FAIL;
  if (unchecked[0] != '\0')
    snprintf(detail, size, "unchecked: %s", unchecked);
  return R_PASS;
}

static void free_case(case_ctx *c)
{
  for (size_t i = 0; i < c->field_count; i++)
    free(c->fields[i].json);
  c->field_count = 0;
}

static bool in_list(const char *list, const char *item)
{
  if (list == NULL)
    return true;
  size_t n = strlen(item);
  for (const char *p = list; *p;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    if (len == n && strncmp(p, item, n) == 0)
      return true;
    p += len + (comma ? 1 : 0);
  }
  return false;
}

static nv_json *load_json(const char *path, const char *what)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "nv-conformance: cannot open %s %s\n", what, path);
    return NULL;
  }
  nv_buf b;
  nv_buf_init(&b, (size_t)64 << 20);
  uint8_t chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    if (nv_buf_append(&b, chunk, n, NULL) != NV_OK)
      break;
  fclose(f);
  nv_diag d;
  nv_diag_init(&d);
  nv_json *doc = NULL;
  if (nv_json_parse(b.data, b.len, (size_t)64 << 20, what, &doc, &d) != NV_OK)
    fprintf(stderr, "nv-conformance: %s %s: %s\n", what, path, d.msg);
  nv_buf_free(&b);
  return doc;
}

int main(int argc, char **argv)
{
  const char *root = NULL, *cases_path = NULL, *report_path = NULL, *categories = NULL,
             *deviations_path = NULL;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char **slot = !strcmp(arg, "--root")         ? &root
                        : !strcmp(arg, "--cases")      ? &cases_path
                        : !strcmp(arg, "--report")     ? &report_path
                        : !strcmp(arg, "--categories") ? &categories
                        : !strcmp(arg, "--deviations") ? &deviations_path
                                                       : NULL;
    if (slot == NULL || i + 1 >= argc) {
      fprintf(stderr,
              "usage: nv-conformance --root DIR --cases FILE [--report FILE.json] "
              "[--categories a,b] [--deviations FILE]\n");
      return 2;
    }
    *slot = argv[++i];
  }
  if (root == NULL || cases_path == NULL) {
    fprintf(stderr, "nv-conformance: --root and --cases are required\n");
    return 2;
  }
  nv_json *cases = load_json(cases_path, "cases file");
  if (cases == NULL || nv_json_type_of(cases) != NV_JSON_ARRAY) {
    fprintf(stderr, "nv-conformance: %s is not a JSON array of cases\n", cases_path);
    nv_json_free(cases);
    return 2;
  }
  nv_json *deviations = NULL;
  if (deviations_path != NULL &&
      ((deviations = load_json(deviations_path, "deviations file")) == NULL ||
       nv_json_type_of(deviations) != NV_JSON_OBJECT)) {
    fprintf(stderr, "nv-conformance: %s must be a JSON object {case id: reason}\n",
            deviations_path);
    nv_json_free(cases);
    nv_json_free(deviations);
    return 2;
  }

  FILE *report = NULL;
  if (report_path != NULL && (report = fopen(report_path, "w")) == NULL) {
    fprintf(stderr, "nv-conformance: cannot write %s\n", report_path);
    return 2;
  }
  if (report)
    fputs("{\"cases\":[\n", report);

  if (nv_global_init(NV_INIT_DEFAULT) != NV_OK) { /* for the public API */
    fprintf(stderr, "nv_global_init failed\n");
    return 2;
  }
  run_stats st = {0};
  bool first_report = true;
  for (size_t i = 0; i < nv_json_count(cases); i++) {
    const nv_json *k = nv_json_at(cases, i);
    const char *id = nv_json_string(nv_json_member(k, "id"));
    const char *category = nv_json_string(nv_json_member(k, "category"));
    const char *operation = nv_json_string(nv_json_member(k, "operation"));
    const nv_json *inputs = nv_json_member(k, "inputs");
    const nv_json *expected = nv_json_member(k, "expected");
    if (id == NULL)
      id = "(no id)";
    if (category != NULL && !in_list(categories, category))
      continue;

    case_ctx c;
    memset(&c, 0, sizeof(c));
    c.root = root;
    c.id = id;
    c.inputs = inputs;
    char detail[2048] = "";
    result_kind kind;
    const op_def *op = operation ? find_op(operation) : NULL;
    if (category == NULL || operation == NULL || nv_json_type_of(inputs) != NV_JSON_OBJECT ||
        nv_json_type_of(expected) != NV_JSON_OBJECT) {
      kind = R_FAIL;
      snprintf(detail, sizeof(detail), "malformed case (category, operation, inputs, expected)");
    } else if (op == NULL) {
      kind = R_FAIL;
      snprintf(detail, sizeof(detail), "unknown operation \"%s\"", operation);
    } else {
      kind = R_PASS;
      for (size_t m = 0; m < nv_json_count(inputs); m++) {
        const char *name = nv_json_key(nv_json_at(inputs, m));
        if (!op_accepts(op, name)) {
          kind = R_FAIL;
          snprintf(detail, sizeof(detail), "unknown input field \"%s\" for operation \"%s\"",
                   name, operation);
          break;
        }
      }
      if (kind == R_PASS) {
        op->fn(&c);
        kind = judge(&c, expected, detail, sizeof(detail), &st);
      }
    }
    const char *deviation = nv_json_string(nv_json_member(deviations, id));
    if (deviation != NULL) {
      if (kind == R_FAIL) {
        kind = R_DEVIATION;
        snprintf(detail, sizeof(detail), "%s", deviation);
      } else if (kind == R_PASS) {
        kind = R_FAIL;
        snprintf(detail, sizeof(detail), "listed in deviations.json but the case passes");
      }
    }
    static const char *const label[] = {"PASS", "FAIL", "SKIP", "DEVIATION"};
    if (detail[0])
      printf("%s %s: %s\n", label[kind], id, detail);
    else
      printf("%s %s\n", label[kind], id);
    switch (kind) {
    case R_PASS: st.passed++; break;
    case R_FAIL: st.failed++; break;
    case R_SKIP: st.skipped++; break;
    case R_DEVIATION: st.deviations++; break;
    }
    if (report) {
      nv_buf line;
      nv_buf_init(&line, 1 << 16);
      nv_buf_append_str(&line, first_report ? " {\"id\":" : ",{\"id\":", NULL);
      json_append_string(&line, id);
      nv_buf_append_str(&line, ",\"status\":", NULL);
      json_append_string(&line, label[kind]);
      nv_buf_append_str(&line, ",\"detail\":", NULL);
      json_append_string(&line, detail);
      nv_buf_append_str(&line, ",\"code\":", NULL);
      json_append_string(&line, nv_status_name(c.code) ? nv_status_name(c.code) : "");
      nv_buf_append_str(&line, ",\"message\":", NULL);
      json_append_string(&line, c.message);
      if (c.note[0] != '\0') {
        nv_buf_append_str(&line, ",\"note\":", NULL);
        json_append_string(&line, c.note);
      }
      nv_buf_append_str(&line, "}\n", NULL);
      fwrite(line.data, 1, line.len, report);
      nv_buf_free(&line);
      first_report = false;
    }
    free_case(&c);
  }
  printf("%u passed, %u failed, %u skipped, %u deviations\n", st.passed, st.failed, st.skipped,
         st.deviations);
  if (report) {
    fprintf(report,
            "],\"summary\":{\"passed\":%u,\"failed\":%u,\"skipped\":%u,\"deviations\":%u,"
            "\"failure_messages\":%u,\"exact_message_matches\":%u}}\n",
            st.passed, st.failed, st.skipped, st.deviations, st.messages, st.exact_messages);
    fclose(report);
  }
  nv_json_free(cases);
  nv_json_free(deviations);
  nv_global_cleanup();
  return st.failed == 0 ? 0 : 1;
}
