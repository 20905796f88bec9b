/*
 * nv-conformance: runs the cases of ../shared/conformance's schema through
 * the library's own code. runner.c reads cases and compares outcomes; the
 * ops_*.c files implement one operation each on top of the layers.
 */
#ifndef NV_CONFORMANCE_RUNNER_H
#define NV_CONFORMANCE_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_buf.h"
#include "base/nv_diag.h"
#include "base/nv_json.h"
#include "vectors_util.h"

#define CASE_MAX_FIELDS 32

typedef struct case_field {
  char key[64];
  char *json; /* the reported value as JSON text */
} case_field;

typedef struct case_ctx {
  const char *root;     /* --root: paths in inputs are relative to it */
  const char *id;
  const nv_json *inputs;
  /* outcome, filled by the operation */
  bool ok;
  bool skipped;
  nv_status code;
  char message[NV_DIAG_MSG_MAX];
  char note[512]; /* for the report: how the case was run, "" if nothing to say */
  case_field fields[CASE_MAX_FIELDS];
  size_t field_count;
} case_ctx;

typedef void (*op_fn)(case_ctx *c);

typedef struct op_def {
  const char *name;
  op_fn fn;
  const char *inputs[16]; /* the input fields the operation understands */
} op_def;

/* inputs */
const char *in_string(case_ctx *c, const char *name);       /* NULL if absent or not a string */
const nv_json *in_value(case_ctx *c, const char *name);     /* NULL if absent */
bool in_present(case_ctx *c, const char *name);
/* Read root/<path> into `out` (limit 64 MiB); false and a failure on error. */
bool read_input_file(case_ctx *c, const char *path, nv_buf *out);
/* Bytes given as a file (input `file_key`; absent or null: none) or inline
 * (input `bytes_key`, text, may be empty); empty when neither is given.
 * False after reporting a failure. */
bool read_file_or_inline(case_ctx *c, const char *file_key, const char *bytes_key, nv_buf *out);

/* outcome */
void op_success(case_ctx *c);
void op_failure(case_ctx *c, const nv_diag *d);
void op_failure_msg(case_ctx *c, nv_status code, const char *msg);
void op_skip(case_ctx *c, const char *reason);
/* Note for the report (--report's "note"); does not decide the case. */
void op_note(case_ctx *c, const char *note);

/* reported fields (compared with the case's expected fields) */
void report_json(case_ctx *c, const char *key, const char *json);
void report_string(case_ctx *c, const char *key, const char *value);
void report_int(case_ctx *c, const char *key, int64_t value);
void report_bool(case_ctx *c, const char *key, bool value);
void report_time(case_ctx *c, const char *key, int64_t unix_secs);

/* JSON text helpers */
void json_append_string(nv_buf *b, const char *s);


/* the operations, by module */
extern const op_def envelope_ops[];
extern const op_def x509_ops[];
extern const op_def policy_ops[];
extern const op_def store_ops[];
extern const op_def verify_ops[];
extern const op_def blob_ops[];
extern const op_def plugin_ops[];

/* ops_plugin.c: the installed_plugin(s) inputs of a verify case, noted
 * for the report; false after reporting a failure (malformed input). */
bool plugin_inputs(case_ctx *c);

#endif /* NV_CONFORMANCE_RUNNER_H */
