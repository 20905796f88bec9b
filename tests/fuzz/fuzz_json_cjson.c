/*
 * Differential fuzz target for base/json.c's tree builder. nv_json_parse()
 * builds the cJSON tree of the text its scanner accepted itself, without
 * cJSON's parser; that tree must be the one cJSON's parser makes. For
 * every input that nv_json_parse() accepts, cJSON_ParseWithLengthOpts()
 * parses the same bytes and the two trees are compared node by node;
 * abort() on any difference:
 *   - cJSON must accept the text too, ending at the end of the value with
 *     only whitespace after it (the strict parser never accepts what cJSON
 *     cannot parse);
 *   - same type (the strict parser's number nodes carry flags above
 *     cJSON's type bits, which are masked), same member name and string
 *     value (bytes and length), same valueint and the same bits of
 *     valuedouble (so -0 is not 0);
 *   - same children in the same order and count, each list linked as
 *     cJSON links it (next, prev, and the first child's prev on the last).
 * An input that the strict parser refuses is not compared (cJSON accepts
 * far more), but the refusal must be a parse error: NV_E_INTERNAL (the
 * builder lost its way in accepted text) or NV_E_NOMEM fails.
 */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_json.h"
#include "base/nv_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What cJSON itself keeps in `type`: the type byte and its two flags. */
#define CJSON_OWN_TYPE_BITS (0xFF | cJSON_IsReference | cJSON_StringIsConst)

static void require(bool ok)
{
  if (!ok)
    abort();
}

/* The children of a container, checked to be linked as cJSON links them;
 * returns their count. */
static size_t linked_children(const cJSON *parent)
{
  const cJSON *last = NULL;
  size_t count = 0;
  for (const cJSON *c = parent->child; c != NULL; c = c->next) {
    if (last != NULL)
      require(c->prev == last);
    last = c;
    count++;
  }
  if (parent->child != NULL)
    require(parent->child->prev == last);
  return count;
}

/* Both NULL, or the same bytes up to the same terminating NUL. */
static void same_text(const char *ours, const char *theirs)
{
  require((ours == NULL) == (theirs == NULL));
  if (ours == NULL)
    return;
  size_t n = strlen(ours);
  require(strlen(theirs) == n);
  require(memcmp(ours, theirs, n) == 0);
}

static void same_node(const cJSON *ours, const cJSON *theirs)
{
  require((theirs->type & ~CJSON_OWN_TYPE_BITS) == 0);
  if (theirs->type == cJSON_Number)
    require((ours->type & CJSON_OWN_TYPE_BITS) == cJSON_Number);
  else
    require(ours->type == theirs->type);
  same_text(ours->string, theirs->string);
  same_text(ours->valuestring, theirs->valuestring);
  require(ours->valueint == theirs->valueint);
  require(memcmp(&ours->valuedouble, &theirs->valuedouble, sizeof(double)) == 0);
  require(linked_children(ours) == linked_children(theirs));
}

/* Walk both trees in step. Each level of the stack holds the next child
 * to compare in each tree; same_node() has checked that the counts agree,
 * so the two lists run out together. */
static void same_tree(const cJSON *ours, const cJSON *theirs)
{
  const cJSON *mine[NV_LIMIT_JSON_DEPTH + 1];
  const cJSON *other[NV_LIMIT_JSON_DEPTH + 1];
  size_t depth = 0;

  require(ours->next == NULL && ours->prev == NULL);
  require(theirs->next == NULL && theirs->prev == NULL);
  same_node(ours, theirs);
  if (ours->child != NULL) {
    mine[depth] = ours->child;
    other[depth] = theirs->child;
    depth++;
  }
  while (depth > 0) {
    const cJSON *a = mine[depth - 1], *b = other[depth - 1];
    same_node(a, b);
    mine[depth - 1] = a->next;
    other[depth - 1] = b->next;
    if (a->child != NULL) {
      require(depth < sizeof(mine) / sizeof(mine[0]));
      mine[depth] = a->child;
      other[depth] = b->child;
      depth++;
    }
    while (depth > 0 && mine[depth - 1] == NULL) {
      require(other[depth - 1] == NULL);
      depth--;
    }
  }
}

static bool is_json_ws(uint8_t c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  nv_diag d;
  nv_diag_init(&d);
  nv_json *ours = NULL;
  nv_status rc = nv_json_parse(data, size, NV_LIMIT_ENVELOPE_BYTES, "fuzz input", &ours, &d);
  if (rc != NV_OK) {
    require(ours == NULL);
    require(rc == NV_E_LIMIT || rc == NV_E_JSON_SYNTAX || rc == NV_E_JSON_DEPTH ||
            rc == NV_E_JSON_ENCODING || rc == NV_E_JSON_DUPLICATE_MEMBER);
    return 0;
  }
  require(ours != NULL);
  /* accepted text has no NUL byte, so NUL-ended strings lose nothing */
  require(memchr(data, 0, size) == NULL);

  const char *end = NULL;
  cJSON *theirs = cJSON_ParseWithLengthOpts((const char *)data, size, &end, 0);
  require(theirs != NULL);
  require(end != NULL && end >= (const char *)data && end <= (const char *)data + size);
  for (size_t i = (size_t)(end - (const char *)data); i < size; i++)
    require(is_json_ws(data[i]));

  same_tree(ours, theirs);
  cJSON_Delete(theirs);
  nv_json_free(ours);
  return 0;
}
