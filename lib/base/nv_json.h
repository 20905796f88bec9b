/*
 * Strict JSON over cJSON. The only place in the project that includes
 * cJSON.h is base/json.c; other layers see nv_json as an opaque node.
 *
 * nv_json_parse() accepts exactly RFC 8259 JSON text and additionally
 * rejects, before building anything: input over the caller's size limit,
 * nesting deeper than NV_LIMIT_JSON_DEPTH, invalid UTF-8, a byte-order
 * mark, "\u0000" escapes (cJSON would cut the string there), duplicate
 * member names in any object, and anything but whitespace after the value.
 * Member lookup is exact (case-sensitive).
 */
#ifndef NV_BASE_JSON_H
#define NV_BASE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_diag.h"

typedef struct cJSON nv_json;

typedef enum nv_json_type {
  NV_JSON_INVALID = 0,
  NV_JSON_NULL,
  NV_JSON_BOOL,
  NV_JSON_NUMBER,
  NV_JSON_STRING,
  NV_JSON_ARRAY,
  NV_JSON_OBJECT
} nv_json_type;

/* Parse `len` bytes (no NUL terminator needed). `what` names the document
 * in messages ("trust policy"). Errors: NV_E_LIMIT (over max_bytes, more
 * than 2^20 values, or a number token over 63 characters), NV_E_JSON_DEPTH,
 * NV_E_JSON_ENCODING, NV_E_JSON_DUPLICATE_MEMBER, NV_E_JSON_SYNTAX,
 * NV_E_NOMEM. Messages give the byte offset of the problem (for a
 * duplicate member, the JSON Pointer of its object, e.g. "/layers/0"). */
nv_status nv_json_parse(const void *text, size_t len, size_t max_bytes, const char *what,
                        nv_json **out, nv_diag *d);
void nv_json_free(nv_json *j);

nv_json_type nv_json_type_of(const nv_json *j);
/* "object", "array", "string", "number", "boolean", "null" */
const char *nv_json_type_name(nv_json_type t);

/* Arrays and objects: number of elements / members (0 for other types). */
size_t nv_json_count(const nv_json *j);
/* Array element or object member by position; NULL when out of range.
 * Linear in `index`: to visit every element use nv_json_next. */
const nv_json *nv_json_at(const nv_json *j, size_t index);
/* The element or member after `item` in its array or object; NULL after
 * the last. `for (e = nv_json_at(a, 0); e != NULL; e = nv_json_next(e))`
 * visits an array in one pass. */
const nv_json *nv_json_next(const nv_json *item);
/* Name of an object member returned by nv_json_at() on an object. */
const char *nv_json_key(const nv_json *member);
/* Exact, case-sensitive member lookup; NULL when absent or not an object. */
const nv_json *nv_json_member(const nv_json *obj, const char *name);

/* Scalar values; NULL / false when the node has another type. */
const char *nv_json_string(const nv_json *j);
bool nv_json_is_true(const nv_json *j);
/* A number's value as a double; false when the node is not a number. */
bool nv_json_number(const nv_json *j, double *out);

/* Typed member getters. When the member is absent: NV_OK with *out cleared
 * if !required, else NV_E_JSON_MISSING_MEMBER. A member of another type is
 * NV_E_JSON_TYPE. Messages name the member and what was expected, e.g.
 * 'member "level" must be a string, found a number'. */
nv_status nv_json_get_string(const nv_json *obj, const char *name, bool required,
                             const char **out, nv_diag *d);
nv_status nv_json_get_object(const nv_json *obj, const char *name, bool required,
                             const nv_json **out, nv_diag *d);
nv_status nv_json_get_array(const nv_json *obj, const char *name, bool required,
                            const nv_json **out, nv_diag *d);
/* *present tells whether the member was there (may be NULL). */
nv_status nv_json_get_bool(const nv_json *obj, const char *name, bool required, bool *out,
                           bool *present, nv_diag *d);
/* A non-negative integer up to 2^53 written without fraction or exponent
 * (as descriptor sizes are); else NV_E_JSON_NUMBER. The original token is
 * checked, not only its value: 1.0, 1e2, -0 and 9007199254740993 (which a
 * double rounds to 2^53) are all refused. */
nv_status nv_json_get_uint64(const nv_json *obj, const char *name, bool required, uint64_t *out,
                             bool *present, nv_diag *d);

/* Every member of `obj` must be one of the NULL-terminated `allowed` names;
 * otherwise NV_E_JSON_UNKNOWN_MEMBER naming the first stranger. */
nv_status nv_json_check_members(const nv_json *obj, const char *const *allowed, nv_diag *d);

#endif /* NV_BASE_JSON_H */
