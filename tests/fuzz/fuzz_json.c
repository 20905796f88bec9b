/*
 * Fuzz target for base/json.c: parse the input strictly and, when it is
 * accepted, walk the whole tree through the public getters. Besides
 * crashes and sanitizer reports, broken invariants abort():
 *   - a failure leaves *out NULL and records its status and a message;
 *   - the parser never reports NV_E_NOMEM or NV_E_INTERNAL (these would
 *     mean cJSON and the strict scanner disagree);
 *   - an accepted document has no NUL byte and no BOM;
 *   - every member is found again by name (no duplicates survive), and
 *     the typed getter of its own type succeeds.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_json.h"
#include "base/nv_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* nv_json_at() is linear, so bound the walk of large arrays. */
#define FUZZ_MAX_CHILDREN 512
#define FUZZ_MAX_NODES 8192

static void require(bool ok)
{
  if (!ok)
    abort();
}

static bool is_parse_error(nv_status rc)
{
  return rc == NV_E_LIMIT || rc == NV_E_JSON_SYNTAX || rc == NV_E_JSON_DEPTH ||
         rc == NV_E_JSON_ENCODING || rc == NV_E_JSON_DUPLICATE_MEMBER;
}

/* The getter matching the member's own type must succeed and agree. */
static void check_member(const nv_json *obj, const nv_json *m)
{
  nv_diag d;
  nv_diag_init(&d);
  const char *key = nv_json_key(m);
  require(key != NULL);
  require(nv_json_member(obj, key) == m);

  const char *s = NULL;
  const nv_json *node = NULL;
  bool b = false, present = false;
  uint64_t u = 0;
  nv_status rc;
  switch (nv_json_type_of(m)) {
  case NV_JSON_STRING:
    require(nv_json_get_string(obj, key, true, &s, &d) == NV_OK);
    require(s != NULL && s == nv_json_string(m));
    require(nv_json_get_object(obj, key, false, &node, &d) == NV_E_JSON_TYPE);
    require(node == NULL && d.msg[0] != '\0');
    break;
  case NV_JSON_NUMBER:
    rc = nv_json_get_uint64(obj, key, true, &u, &present, &d);
    require(rc == NV_OK || rc == NV_E_JSON_NUMBER);
    require(present == (rc == NV_OK));
    require(u <= ((uint64_t)1 << 53));
    require(nv_json_get_string(obj, key, false, &s, &d) == NV_E_JSON_TYPE);
    break;
  case NV_JSON_BOOL:
    require(nv_json_get_bool(obj, key, true, &b, &present, &d) == NV_OK);
    require(present && b == nv_json_is_true(m));
    require(nv_json_get_uint64(obj, key, true, &u, &present, NULL) == NV_E_JSON_TYPE);
    break;
  case NV_JSON_OBJECT:
    require(nv_json_get_object(obj, key, true, &node, &d) == NV_OK && node == m);
    require(nv_json_get_array(obj, key, true, &node, &d) == NV_E_JSON_TYPE && node == NULL);
    break;
  case NV_JSON_ARRAY:
    require(nv_json_get_array(obj, key, true, &node, &d) == NV_OK && node == m);
    require(nv_json_get_bool(obj, key, false, &b, NULL, &d) == NV_E_JSON_TYPE);
    break;
  case NV_JSON_NULL:
    require(nv_json_get_string(obj, key, true, &s, &d) == NV_E_JSON_TYPE);
    require(strstr(d.msg, "found null") != NULL);
    break;
  case NV_JSON_INVALID:
  default:
    abort();
  }
}

/* Getters on names that notation documents use. */
static void probe_object(const nv_json *obj)
{
  static const char *const names[] = {"mediaType", "digest",   "size",      "level",
                                      "version",   "payload",  "protected", "header",
                                      "signature", "annotations", "", NULL};
  nv_diag d;
  nv_diag_init(&d);
  const char *s;
  const nv_json *node;
  bool b, present;
  uint64_t u;
  for (size_t i = 0; names[i] != NULL; i++) {
    bool required = (i & 1) != 0;
    nv_diag *dd = (i % 3 == 0) ? NULL : &d;
    (void)nv_json_get_string(obj, names[i], required, &s, dd);
    (void)nv_json_get_object(obj, names[i], required, &node, dd);
    (void)nv_json_get_array(obj, names[i], required, &node, dd);
    (void)nv_json_get_bool(obj, names[i], required, &b, &present, dd);
    (void)nv_json_get_uint64(obj, names[i], required, &u, &present, dd);
    require(u <= ((uint64_t)1 << 53));
  }
  nv_status rc = nv_json_check_members(obj, names, &d);
  require(rc == NV_OK || (rc == NV_E_JSON_UNKNOWN_MEMBER && d.msg[0] != '\0'));
}

static void walk(const nv_json *root)
{
  struct {
    const nv_json *node;
    size_t next;
  } stack[NV_LIMIT_JSON_DEPTH + 1];
  size_t depth = 0;
  size_t visited = 0;

  stack[depth].node = root;
  stack[depth].next = 0;
  depth++;
  while (depth > 0 && visited < FUZZ_MAX_NODES) {
    const nv_json *node = stack[depth - 1].node;
    nv_json_type t = nv_json_type_of(node);
    require(t != NV_JSON_INVALID);
    require(nv_json_type_name(t) != NULL);
    size_t i = stack[depth - 1].next;
    if (i == 0) {
      visited++;
      if (t == NV_JSON_OBJECT)
        probe_object(node);
      if (t == NV_JSON_STRING)
        require(nv_json_string(node) != NULL);
    }
    size_t count = nv_json_count(node);
    if (i >= count || i >= FUZZ_MAX_CHILDREN) {
      require(count > 0 || nv_json_at(node, 0) == NULL);
      depth--;
      continue;
    }
    stack[depth - 1].next = i + 1;
    const nv_json *child = nv_json_at(node, i);
    require(child != NULL);
    if (t == NV_JSON_OBJECT)
      check_member(node, child);
    else
      require(nv_json_key(child) == NULL);
    /* 32 containers and a scalar at most */
    require(depth < sizeof(stack) / sizeof(stack[0]));
    stack[depth].node = child;
    stack[depth].next = 0;
    depth++;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  nv_diag d;
  nv_diag_init(&d);
  nv_json *j = NULL;
  nv_status rc = nv_json_parse(data, size, NV_LIMIT_ENVELOPE_BYTES, "fuzz input", &j, &d);
  if (rc != NV_OK) {
    require(j == NULL);
    require(is_parse_error(rc));
    require(d.status == rc && d.msg[0] != '\0');
  } else {
    require(j != NULL);
    require(size == 0 || memchr(data, 0, size) == NULL);
    require(!(size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF));
    walk(j);
    nv_json_free(j);
  }

  /* one byte over the limit is refused before anything else */
  if (size > 0) {
    j = (nv_json *)(uintptr_t)1;
    require(nv_json_parse(data, size, size - 1, NULL, &j, NULL) == NV_E_LIMIT);
    require(j == NULL);
  }
  return 0;
}
