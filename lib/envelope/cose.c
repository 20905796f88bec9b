/*
 * COSE_Sign1: a strict, bounded CBOR reader, the generic COSE_Sign1 decoder
 * and Sig_structure, and the Notary reading of the headers
 * (notary-spec.md sections 4 and 6). See nv_cose.h for the rules.
 *
 * Why the reader is ours and not libcbor's decoder: libcbor 0.8 (Debian 12)
 * rejects the one-byte form of tag 18 that every COSE_Sign1 starts with,
 * in cbor_load and in cbor_stream_decode alike, and cbor_load allocates
 * whatever an array or map head claims (6 bytes can cost 18 GB). Working
 * around both needs a full bounded pre-scan anyway; the two-pass reader
 * below is that pre-scan plus node filling. libcbor encodes Sig_structure.
 */
#include "envelope/nv_cose.h"

#include <cbor.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/nv_base64.h"
#include "base/nv_limits.h"
#include "base/nv_text.h"
#include "envelope/nv_env.h"

/* Budget for the JSON renderings of all extended attributes of one
 * envelope (a byte of input can render to six bytes of JSON). */
#define COSE_ATTR_JSON_BUDGET (8 * NV_MIB)

/* ------------------------------------------------------------------ */
/* CBOR reading                                                        */
/* ------------------------------------------------------------------ */

typedef struct rd {
  const uint8_t *p;
  const uint8_t *end;
} rd;

typedef struct head {
  uint8_t major;
  uint8_t ai;
  uint64_t arg;
} head;

/* Read one head. Returns NULL or a description of what is wrong. */
static const char *read_head(rd *r, head *h)
{
  if (r->p >= r->end)
    return "unexpected end of data";
  uint8_t ib = *r->p++;
  h->major = (uint8_t)(ib >> 5);
  h->ai = (uint8_t)(ib & 0x1f);
  if (h->ai < 24) {
    h->arg = h->ai;
    return NULL;
  }
  if (h->ai == 31)
    return h->major == 7 ? "unexpected break byte 0xff"
                         : "indefinite-length items are not allowed";
  if (h->ai > 27)
    return "reserved additional information value (28-30)";
  size_t n = (size_t)1 << (h->ai - 24);
  if ((size_t)(r->end - r->p) < n)
    return "unexpected end of data";
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++)
    v = (v << 8) | r->p[i];
  r->p += n;
  h->arg = v;
  return NULL;
}


/* First pass: validate and count, allocating nothing. */
typedef struct scan {
  const uint8_t *base; /* offsets in messages are relative to this */
  size_t items;
  bool tags_ok;
  nv_status code;
  const char *what;
  nv_diag *d;
} scan;

static nv_status scan_fail(const scan *s, const uint8_t *at, const char *msg)
{
  return nv_diag_set(s->d, s->code, "%s: malformed CBOR at byte offset %zu: %s", s->what,
                     (size_t)(at - s->base), msg);
}

static nv_status scan_item(scan *s, rd *r, unsigned depth)
{
  const uint8_t *start = r->p;
  if (depth > NV_COSE_MAX_DEPTH)
    return nv_diag_set(s->d, s->code, "%s: CBOR nested more than %d levels at byte offset %zu",
                       s->what, NV_COSE_MAX_DEPTH, (size_t)(start - s->base));
  if (s->items >= NV_COSE_MAX_ITEMS)
    return nv_diag_set(s->d, s->code, "%s: more than %d CBOR data items", s->what,
                       NV_COSE_MAX_ITEMS);
  s->items++;
  head h;
  const char *err = read_head(r, &h);
  if (err != NULL)
    return scan_fail(s, start, err);
  size_t left = (size_t)(r->end - r->p);
  nv_status rc;
  switch (h.major) {
  case 0:
  case 1:
    return NV_OK;
  case 2:
  case 3:
    if (h.arg > left)
      return nv_diag_set(s->d, s->code,
                         "%s: malformed CBOR at byte offset %zu: string length %" PRIu64
                         " exceeds the %zu remaining bytes",
                         s->what, (size_t)(start - s->base), h.arg, left);
    if (h.major == 3 && !nv_utf8_valid(r->p, (size_t)h.arg))
      return scan_fail(s, start, "text string is not valid UTF-8");
    r->p += h.arg;
    return NV_OK;
  case 4:
  case 5: {
    /* every item takes at least one byte: a count the remaining input
     * cannot hold is rejected before anything is read or allocated */
    uint64_t per = h.major == 5 ? 2 : 1;
    if (h.arg > left / per)
      return nv_diag_set(s->d, s->code,
                         "%s: malformed CBOR at byte offset %zu: %s of %" PRIu64
                         " %s cannot fit in the %zu remaining bytes",
                         s->what, (size_t)(start - s->base), h.major == 5 ? "map" : "array",
                         h.arg, h.major == 5 ? "pairs" : "items", left);
    if (h.arg > (NV_COSE_MAX_ITEMS - s->items) / per)
      return nv_diag_set(s->d, s->code, "%s: more than %d CBOR data items", s->what,
                         NV_COSE_MAX_ITEMS);
    uint64_t n = h.arg * per;
    for (uint64_t i = 0; i < n; i++)
      if ((rc = scan_item(s, r, depth + 1)) != NV_OK)
        return rc;
    return NV_OK;
  }
  case 6:
    if (!s->tags_ok)
      return nv_diag_set(s->d, s->code,
                         "%s: CBOR tag %" PRIu64 " at byte offset %zu: tags are not allowed "
                         "outside the protected header",
                         s->what, h.arg, (size_t)(start - s->base));
    return scan_item(s, r, depth + 1);
  default: /* 7 */
    if (h.ai == 24 && h.arg < 32)
      return scan_fail(s, start, "two-byte simple value below 32");
    return NV_OK;
  }
}

static double half_to_double(uint16_t hv)
{
  int e = (hv >> 10) & 0x1f;
  int m = hv & 0x3ff;
  double v;
  if (e == 0)
    v = ldexp(m, -24);
  else if (e == 31)
    v = m == 0 ? INFINITY : NAN;
  else
    v = ldexp(m + 1024, e - 25);
  return (hv & 0x8000) ? -v : v;
}

/* Second pass over validated input: fill the nodes. */
typedef struct build {
  nv_cbor_item *pool;
  size_t next;
} build;

static void build_item(build *b, rd *r, nv_cbor_item *it)
{
  const uint8_t *start = r->p;
  head h = {0, 0, 0};
  (void)read_head(r, &h); /* validated by scan_item */
  memset(it, 0, sizeof(*it));
  switch (h.major) {
  case 0:
    it->type = NV_CBOR_UINT;
    it->u = h.arg;
    break;
  case 1:
    it->type = NV_CBOR_NEGINT;
    it->u = h.arg;
    break;
  case 2:
  case 3:
    it->type = h.major == 2 ? NV_CBOR_BSTR : NV_CBOR_TSTR;
    it->str.data = r->p;
    it->str.len = (size_t)h.arg;
    r->p += h.arg;
    break;
  case 4:
  case 5: {
    size_t n = (size_t)h.arg * (h.major == 5 ? 2 : 1);
    nv_cbor_item *kids = b->pool + b->next;
    b->next += n;
    it->type = h.major == 4 ? NV_CBOR_ARRAY : NV_CBOR_MAP;
    it->count = (size_t)h.arg;
    it->items = kids;
    for (size_t i = 0; i < n; i++)
      build_item(b, r, &kids[i]);
    break;
  }
  case 6: {
    nv_cbor_item *kid = b->pool + b->next;
    b->next++;
    it->type = NV_CBOR_TAG;
    it->u = h.arg;
    it->count = 1;
    it->items = kid;
    build_item(b, r, kid);
    break;
  }
  default:
    if (h.ai < 25) {
      it->type = NV_CBOR_SIMPLE;
      it->u = h.arg;
    } else if (h.ai == 25) {
      it->type = NV_CBOR_FLOAT;
      it->f = half_to_double((uint16_t)h.arg);
    } else if (h.ai == 26) {
      uint32_t bits = (uint32_t)h.arg;
      float fv;
      memcpy(&fv, &bits, sizeof(fv));
      it->type = NV_CBOR_FLOAT;
      it->f = fv;
    } else {
      uint64_t bits = h.arg;
      double dv;
      memcpy(&dv, &bits, sizeof(dv));
      it->type = NV_CBOR_FLOAT;
      it->f = dv;
    }
    break;
  }
  it->raw.data = start;
  it->raw.len = (size_t)(r->p - start);
}

/* Decode exactly one item filling [p, p+len) into a freshly allocated tree. */
static nv_status decode_tree(const uint8_t *p, size_t len, bool tags_ok, nv_status code,
                             const char *what, nv_cbor_item **pool_out, size_t *count_out,
                             nv_diag *d)
{
  scan s = {.base = p, .items = 0, .tags_ok = tags_ok, .code = code, .what = what, .d = d};
  rd r = {p, p + len};
  nv_status rc = scan_item(&s, &r, 1);
  if (rc != NV_OK)
    return rc;
  if (r.p != r.end)
    return nv_diag_set(d, code, "%s: %zu trailing bytes after the CBOR item", what,
                       (size_t)(r.end - r.p));
  nv_cbor_item *pool = calloc(s.items, sizeof(*pool));
  if (pool == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  build b = {pool, 1};
  rd r2 = {p, p + len};
  build_item(&b, &r2, &pool[0]);
  *pool_out = pool;
  *count_out = s.items;
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* Item helpers                                                        */
/* ------------------------------------------------------------------ */

bool nv_cbor_get_int64(const nv_cbor_item *it, int64_t *out)
{
  if (it == NULL || it->u > (uint64_t)INT64_MAX)
    return false;
  if (it->type == NV_CBOR_UINT) {
    *out = (int64_t)it->u;
    return true;
  }
  if (it->type == NV_CBOR_NEGINT) {
    *out = -1 - (int64_t)it->u;
    return true;
  }
  return false;
}

static bool is_int(const nv_cbor_item *it)
{
  return it->type == NV_CBOR_UINT || it->type == NV_CBOR_NEGINT;
}

static bool is_int_value(const nv_cbor_item *it, int64_t v)
{
  if (v >= 0)
    return it->type == NV_CBOR_UINT && it->u == (uint64_t)v;
  return it->type == NV_CBOR_NEGINT && it->u == (uint64_t)(-(v + 1));
}

bool nv_cbor_tstr_equals(const nv_cbor_item *it, const char *s)
{
  size_t n = strlen(s);
  return it != NULL && it->type == NV_CBOR_TSTR && it->str.len == n &&
         (n == 0 || memcmp(it->str.data, s, n) == 0);
}

bool nv_cbor_equal(const nv_cbor_item *a, const nv_cbor_item *b)
{
  if (a->type != b->type)
    return false;
  switch (a->type) {
  case NV_CBOR_UINT:
  case NV_CBOR_NEGINT:
  case NV_CBOR_SIMPLE:
    return a->u == b->u;
  case NV_CBOR_BSTR:
  case NV_CBOR_TSTR:
    return a->str.len == b->str.len &&
           (a->str.len == 0 || memcmp(a->str.data, b->str.data, a->str.len) == 0);
  case NV_CBOR_FLOAT:
    return a->f == b->f;
  case NV_CBOR_TAG:
    return a->u == b->u && nv_cbor_equal(&a->items[0], &b->items[0]);
  case NV_CBOR_ARRAY:
  case NV_CBOR_MAP: {
    if (a->count != b->count)
      return false;
    size_t n = a->count * (a->type == NV_CBOR_MAP ? 2 : 1);
    for (size_t i = 0; i < n; i++)
      if (!nv_cbor_equal(&a->items[i], &b->items[i]))
        return false;
    return true;
  }
  }
  return false;
}

const nv_cbor_item *nv_cose_map_get_int(const nv_cbor_item *map, int64_t label)
{
  if (map == NULL || map->type != NV_CBOR_MAP)
    return NULL;
  for (size_t i = 0; i < map->count; i++)
    if (is_int_value(&map->items[2 * i], label))
      return &map->items[2 * i + 1];
  return NULL;
}

const nv_cbor_item *nv_cose_map_get_tstr(const nv_cbor_item *map, const char *label)
{
  if (map == NULL || map->type != NV_CBOR_MAP)
    return NULL;
  for (size_t i = 0; i < map->count; i++)
    if (nv_cbor_tstr_equals(&map->items[2 * i], label))
      return &map->items[2 * i + 1];
  return NULL;
}

static const nv_cbor_item *map_get(const nv_cbor_item *map, const nv_cbor_item *key)
{
  for (size_t i = 0; i < map->count; i++)
    if (nv_cbor_equal(&map->items[2 * i], key))
      return &map->items[2 * i + 1];
  return NULL;
}

static const char *type_name(const nv_cbor_item *it)
{
  switch (it->type) {
  case NV_CBOR_UINT:
  case NV_CBOR_NEGINT:
    return "int";
  case NV_CBOR_BSTR:
    return "bstr";
  case NV_CBOR_TSTR:
    return "tstr";
  case NV_CBOR_ARRAY:
    return "array";
  case NV_CBOR_MAP:
    return "map";
  case NV_CBOR_TAG:
    return "tag";
  case NV_CBOR_FLOAT:
    return "float";
  case NV_CBOR_SIMPLE:
    switch (it->u) {
    case 20:
    case 21:
      return "bool";
    case 22:
      return "null";
    case 23:
      return "undefined";
    default:
      return "simple value";
    }
  }
  return "?";
}

/* Decimal text of an integer item (any range). */
static void int_text(const nv_cbor_item *it, char buf[32])
{
  if (it->type == NV_CBOR_UINT)
    snprintf(buf, 32, "%" PRIu64, it->u);
  else if (it->u == UINT64_MAX)
    snprintf(buf, 32, "-18446744073709551616");
  else
    snprintf(buf, 32, "-%" PRIu64, it->u + 1);
}

/* A short description of a label for messages: 4, "name", or a type. */
static void label_text(const nv_cbor_item *it, char *buf, size_t n)
{
  if (is_int(it)) {
    char t[32];
    int_text(it, t);
    snprintf(buf, n, "%s", t);
  } else if (it->type == NV_CBOR_TSTR) {
    int len = it->str.len > 96 ? 96 : (int)it->str.len;
    snprintf(buf, n, "\"%.*s\"%s", len, (const char *)it->str.data, it->str.len > 96 ? "..." : "");
  } else {
    snprintf(buf, n, "(%s)", type_name(it));
  }
}

/* ------------------------------------------------------------------ */
/* Header map validation (go-cose's generic rules)                     */
/* ------------------------------------------------------------------ */

/* Duplicate keys in any map of a tree. */
static nv_status check_duplicates(const nv_cbor_item *pool, size_t n, nv_status code,
                                  const char *what, nv_diag *d)
{
  for (size_t k = 0; k < n; k++) {
    const nv_cbor_item *m = &pool[k];
    if (m->type != NV_CBOR_MAP)
      continue;
    for (size_t i = 1; i < m->count; i++)
      for (size_t j = 0; j < i; j++)
        if (nv_cbor_equal(&m->items[2 * i], &m->items[2 * j])) {
          char t[128];
          label_text(&m->items[2 * i], t, sizeof(t));
          return nv_diag_set(d, code, "%s: found duplicate map key %s at map element index %zu",
                             what, t, i);
        }
  }
  return NV_OK;
}

/* Header labels must be int (int64 range) or tstr. */
static nv_status check_labels(const nv_cbor_item *map, nv_status code, const char *what,
                              nv_diag *d)
{
  for (size_t i = 0; i < map->count; i++) {
    const nv_cbor_item *k = &map->items[2 * i];
    int64_t v;
    if (k->type == NV_CBOR_TSTR || nv_cbor_get_int64(k, &v))
      continue;
    if (is_int(k))
      return nv_diag_set(d, code, "%s: header label at map element index %zu: int label out of "
                                  "range (must fit in int64)",
                         what, i);
    return nv_diag_set(d, code, "%s: header label at map element index %zu: require int / tstr "
                                "type, got %s",
                       what, i, type_name(k));
  }
  return NV_OK;
}

static bool is_cose_signature(const nv_cbor_item *it)
{
  return it->type == NV_CBOR_ARRAY && it->count == 3 && it->items[0].type == NV_CBOR_BSTR &&
         it->items[1].type == NV_CBOR_MAP && it->items[2].type == NV_CBOR_BSTR &&
         it->items[2].str.len > 0;
}

static nv_status check_crit(const nv_cbor_item *crit, const nv_cbor_item *protected_map,
                            nv_diag *d)
{
  if (crit->type != NV_CBOR_ARRAY)
    return nv_diag_set(d, NV_E_CRIT_MISSING,
                       "protected header: invalid crit header: crit (label 2) must be an array, "
                       "got %s",
                       type_name(crit));
  if (crit->count == 0)
    return nv_diag_set(d, NV_E_CRIT_MISSING, "protected header: empty crit header");
  for (size_t i = 0; i < crit->count; i++) {
    const nv_cbor_item *e = &crit->items[i];
    int64_t v;
    if (e->type != NV_CBOR_TSTR && !nv_cbor_get_int64(e, &v))
      return nv_diag_set(d, NV_E_CRIT_INVALID_LABEL,
                         "protected header: invalid crit header: entry %zu: require int / tstr "
                         "type, got %s",
                         i, type_name(e));
    if (map_get(protected_map, e) == NULL) {
      char t[128];
      label_text(e, t, sizeof(t));
      return nv_diag_set(d, NV_E_CRIT_ENTRY_NOT_PRESENT,
                         "protected header: missing critical header: %s", t);
    }
  }
  return NV_OK;
}

static nv_status check_params(const nv_cbor_item *map, bool is_protected,
                              const nv_cbor_item *protected_map, nv_diag *d)
{
  const char *bucket = is_protected ? "protected header" : "unprotected header";
  bool has_iv = false, has_piv = false;
  for (size_t i = 0; i < map->count; i++) {
    int64_t label;
    if (!nv_cbor_get_int64(&map->items[2 * i], &label))
      continue; /* tstr labels have no generic rules */
    const nv_cbor_item *v = &map->items[2 * i + 1];
    nv_status rc;
    switch (label) {
    case NV_COSE_LABEL_ALG:
      if (!is_int(v) && v->type != NV_CBOR_TSTR)
        return nv_diag_set(d, NV_E_ALG_UNSUPPORTED,
                           "%s: header parameter alg (label 1): require int / tstr type, got %s",
                           bucket, type_name(v));
      break;
    case NV_COSE_LABEL_CRIT:
      if (!is_protected)
        return nv_diag_set(d, NV_E_HEADER_INVALID,
                           "unprotected header: header parameter crit (label 2) is not allowed");
      if ((rc = check_crit(v, protected_map, d)) != NV_OK)
        return rc;
      break;
    case NV_COSE_LABEL_CONTENT_TYPE:
      if (v->type == NV_CBOR_UINT)
        break;
      if (v->type != NV_CBOR_TSTR)
        return nv_diag_set(d, NV_E_CONTENT_TYPE_UNSUPPORTED,
                           "%s: header parameter content type (label 3): require tstr / uint "
                           "type, got %s",
                           bucket, type_name(v));
      if (v->str.len == 0)
        return nv_diag_set(d, NV_E_CONTENT_TYPE_UNSUPPORTED,
                           "%s: header parameter content type (label 3): require non-empty "
                           "string",
                           bucket);
      if (v->str.data[0] == ' ' || v->str.data[v->str.len - 1] == ' ')
        return nv_diag_set(d, NV_E_CONTENT_TYPE_UNSUPPORTED,
                           "%s: header parameter content type (label 3): require no "
                           "leading/trailing whitespace",
                           bucket);
      {
        size_t slashes = 0;
        for (size_t k = 0; k < v->str.len; k++)
          slashes += v->str.data[k] == '/';
        if (slashes != 1)
          return nv_diag_set(d, NV_E_CONTENT_TYPE_UNSUPPORTED,
                             "%s: header parameter content type (label 3): require text of "
                             "form type/subtype",
                             bucket);
      }
      break;
    case NV_COSE_LABEL_KID:
    case NV_COSE_LABEL_IV:
    case NV_COSE_LABEL_PARTIAL_IV:
      if (v->type != NV_CBOR_BSTR)
        return nv_diag_set(d, NV_E_HEADER_INVALID,
                           "%s: header parameter %s (label %" PRId64 "): require bstr type, "
                           "got %s",
                           bucket,
                           label == NV_COSE_LABEL_KID ? "kid"
                           : label == NV_COSE_LABEL_IV ? "IV"
                                                       : "Partial IV",
                           label, type_name(v));
      has_iv |= label == NV_COSE_LABEL_IV;
      has_piv |= label == NV_COSE_LABEL_PARTIAL_IV;
      break;
    case NV_COSE_LABEL_COUNTER_SIGNATURE:
    case NV_COSE_LABEL_COUNTER_SIGNATURE_V2:
      if (is_protected)
        return nv_diag_set(d, NV_E_HEADER_INVALID,
                           "protected header: counter signature (label %" PRId64
                           ") is not allowed",
                           label);
      if (!is_cose_signature(v)) {
        bool list = v->type == NV_CBOR_ARRAY;
        for (size_t k = 0; list && k < v->count; k++)
          list = is_cose_signature(&v->items[k]);
        if (!list)
          return nv_diag_set(d, NV_E_HEADER_INVALID,
                             "unprotected header: counter signature (label %" PRId64
                             ") is not a COSE_Signature or a list of them",
                             label);
      }
      break;
    case NV_COSE_LABEL_COUNTER_SIGNATURE0:
    case NV_COSE_LABEL_COUNTER_SIGNATURE0_V2:
      if (is_protected)
        return nv_diag_set(d, NV_E_HEADER_INVALID,
                           "protected header: countersignature0 (label %" PRId64
                           ") is not allowed",
                           label);
      if (v->type != NV_CBOR_BSTR)
        return nv_diag_set(d, NV_E_HEADER_INVALID,
                           "unprotected header: countersignature0 (label %" PRId64
                           "): require bstr type, got %s",
                           label, type_name(v));
      break;
    default:
      break;
    }
  }
  if (has_iv && has_piv)
    return nv_diag_set(d, NV_E_HEADER_INVALID,
                       "%s: header parameters IV and Partial IV must not both be present",
                       bucket);
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* Generic COSE_Sign1                                                  */
/* ------------------------------------------------------------------ */

static const nv_cbor_item empty_map = {.type = NV_CBOR_MAP};

void nv_cose_sign1_init(nv_cose_sign1 *m)
{
  memset(m, 0, sizeof(*m));
}

void nv_cose_sign1_free(nv_cose_sign1 *m)
{
  if (m == NULL)
    return;
  free(m->outer_nodes_);
  free(m->protected_nodes_);
  nv_cose_sign1_init(m);
}

nv_status nv_cose_sign1_decode(const uint8_t *data, size_t len, nv_cose_sign1 *out, nv_diag *d)
{
  nv_cose_sign1_init(out);
  if (data == NULL || len == 0)
    return nv_diag_set(d, NV_E_ENVELOPE_EMPTY, "COSE_Sign1 message is empty");
  if (len < 2)
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE, "COSE_Sign1 message is truncated (%zu byte)",
                       len);
  if (data[0] != 0xd2) {
    if (data[0] == 0xd8 && data[1] == 0x12)
      return nv_diag_set(d, NV_E_ENVELOPE_PARSE,
                         "invalid COSE_Sign1_Tagged object: tag 18 must be encoded in its "
                         "one-byte form 0xD2, not 0xD8 0x12");
    if (data[0] == 0x84)
      return nv_diag_set(d, NV_E_ENVELOPE_PARSE,
                         "invalid COSE_Sign1_Tagged object: the message is not tagged (CBOR "
                         "tag 18 is required)");
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE,
                       "invalid COSE_Sign1_Tagged object: first byte 0x%02X is not tag 18 "
                       "(0xD2)",
                       data[0]);
  }
  if (data[1] != 0x84)
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE,
                       "invalid COSE_Sign1_Tagged object: tag 18 must be followed by an array "
                       "of 4 elements (0x84), found 0x%02X",
                       data[1]);

  const char *msg_what = "COSE_Sign1 message";
  nv_status rc = decode_tree(data + 1, len - 1, false, NV_E_ENVELOPE_PARSE, msg_what,
                             &out->outer_nodes_, &out->outer_count_, d);
  if (rc != NV_OK)
    return rc;
  const nv_cbor_item *arr = &out->outer_nodes_[0];
  const nv_cbor_item *prot = &arr->items[0];
  const nv_cbor_item *unprot = &arr->items[1];
  const nv_cbor_item *payload = &arr->items[2];
  const nv_cbor_item *sig = &arr->items[3];

  if (prot->type != NV_CBOR_BSTR)
    return nv_diag_set(d, NV_E_PROTECTED_HEADER_DECODE,
                       "invalid protected header: require bstr type, got %s", type_name(prot));
  if (unprot->type != NV_CBOR_MAP)
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE,
                       "invalid unprotected header: require map type, got %s", type_name(unprot));
  if (payload->type == NV_CBOR_SIMPLE && payload->u == 22)
    return nv_diag_set(d, NV_E_PAYLOAD_EMPTY,
                       "missing payload: detached content (nil payload) is not supported");
  if (payload->type != NV_CBOR_BSTR)
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE, "invalid payload: require bstr type, got %s",
                       type_name(payload));
  if (sig->type != NV_CBOR_BSTR)
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE, "invalid signature: require bstr type, got %s",
                       type_name(sig));
  if (sig->str.len == 0)
    return nv_diag_set(d, NV_E_SIGNATURE_EMPTY, "empty signature");

  out->protected_raw = prot->raw;
  out->protected_content = prot->str;
  out->unprotected_map = unprot;
  out->payload = payload->str;
  out->signature = sig->str;

  /* protected: empty bstr = empty map, otherwise exactly one map */
  const char *prot_what = "invalid protected header";
  if (prot->str.len == 0) {
    out->protected_map = &empty_map;
  } else {
    if ((prot->str.data[0] >> 5) != 5)
      return nv_diag_set(d, NV_E_PROTECTED_HEADER_DECODE,
                         "invalid protected header: the bstr does not hold a map (require map "
                         "type)");
    rc = decode_tree(prot->str.data, prot->str.len, true, NV_E_PROTECTED_HEADER_DECODE, prot_what,
                     &out->protected_nodes_, &out->protected_count_, d);
    if (rc != NV_OK)
      return rc;
    out->protected_map = &out->protected_nodes_[0];
    if ((rc = check_labels(out->protected_map, NV_E_PROTECTED_HEADER_DECODE, prot_what, d)) !=
            NV_OK ||
        (rc = check_duplicates(out->protected_nodes_, out->protected_count_,
                               NV_E_PROTECTED_HEADER_DECODE, prot_what, d)) != NV_OK)
      return rc;
  }
  const char *unprot_what = "invalid unprotected header";
  if ((rc = check_labels(unprot, NV_E_ENVELOPE_PARSE, unprot_what, d)) != NV_OK ||
      (rc = check_duplicates(out->outer_nodes_, out->outer_count_, NV_E_ENVELOPE_PARSE,
                             unprot_what, d)) != NV_OK)
    return rc;

  if ((rc = check_params(out->protected_map, true, out->protected_map, d)) != NV_OK ||
      (rc = check_params(unprot, false, out->protected_map, d)) != NV_OK)
    return rc;
  bool p_iv = nv_cose_map_get_int(out->protected_map, NV_COSE_LABEL_IV) != NULL;
  bool p_piv = nv_cose_map_get_int(out->protected_map, NV_COSE_LABEL_PARTIAL_IV) != NULL;
  bool u_iv = nv_cose_map_get_int(unprot, NV_COSE_LABEL_IV) != NULL;
  bool u_piv = nv_cose_map_get_int(unprot, NV_COSE_LABEL_PARTIAL_IV) != NULL;
  if ((p_iv && u_piv) || (p_piv && u_iv))
    return nv_diag_set(d, NV_E_HEADER_INVALID,
                       "IV and Partial IV must not both be present (one in each header bucket)");
  return NV_OK;
}

/* Sig_structure is encoded with libcbor's head encoders, which always
 * write the shortest definite form. Decoding is hand-written (see the top of
 * this file): libcbor 0.8 rejects the one-byte tag 18 and sizes allocations
 * from untrusted length fields, in cbor_load and its streaming decoder. */
static nv_status append_bstr(nv_buf *out, const uint8_t *p, size_t n, nv_diag *d)
{
  unsigned char h[9];
  size_t hn = cbor_encode_bytestring_start(n, h, sizeof(h));
  if (hn == 0)
    return nv_diag_set(d, NV_E_INTERNAL, "cannot encode a byte string head");
  nv_status rc = nv_buf_append(out, h, hn, d);
  if (rc == NV_OK && n > 0)
    rc = nv_buf_append(out, p, n, d);
  return rc;
}

nv_status nv_cose_sig_structure(const nv_cose_sign1 *m, const uint8_t *external_aad,
                                size_t aad_len, nv_buf *out, nv_diag *d)
{
  static const char context[] = "Signature1";
  if (m == NULL || m->outer_nodes_ == NULL || (external_aad == NULL && aad_len != 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "no decoded COSE_Sign1 message");
  size_t plen = m->protected_content.len, ylen = m->payload.len;
  if (plen > SIZE_MAX / 4 || aad_len > SIZE_MAX / 4 || ylen > SIZE_MAX / 4)
    return nv_diag_set(d, NV_E_LIMIT, "Sig_structure too large");
  /* one reservation of the exact size, so a too-small buffer fails before
   * anything is written */
  unsigned char h[9];
  size_t total = cbor_encode_array_start(4, h, sizeof(h)) +
                 cbor_encode_string_start(sizeof(context) - 1, h, sizeof(h)) +
                 sizeof(context) - 1 + cbor_encode_bytestring_start(plen, h, sizeof(h)) + plen +
                 cbor_encode_bytestring_start(aad_len, h, sizeof(h)) + aad_len +
                 cbor_encode_bytestring_start(ylen, h, sizeof(h)) + ylen;
  nv_status rc = nv_buf_reserve(out, total, d);
  if (rc != NV_OK)
    return rc;
  size_t hn = cbor_encode_array_start(4, h, sizeof(h));
  if ((rc = nv_buf_append(out, h, hn, d)) != NV_OK)
    return rc;
  hn = cbor_encode_string_start(sizeof(context) - 1, h, sizeof(h));
  if ((rc = nv_buf_append(out, h, hn, d)) != NV_OK ||
      (rc = nv_buf_append(out, context, sizeof(context) - 1, d)) != NV_OK ||
      (rc = append_bstr(out, m->protected_content.data, plen, d)) != NV_OK ||
      (rc = append_bstr(out, external_aad, aad_len, d)) != NV_OK ||
      (rc = append_bstr(out, m->payload.data, ylen, d)) != NV_OK)
    return rc;
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* JSON rendering                                                      */
/* ------------------------------------------------------------------ */

static nv_status json_string(nv_buf *out, const uint8_t *s, size_t n, nv_diag *d)
{
  nv_status rc = nv_buf_append_byte(out, '"', d);
  size_t run = 0; /* bytes copied verbatim in one append */
  for (size_t i = 0; rc == NV_OK && i < n; i++) {
    uint8_t c = s[i];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    if (i > run)
      rc = nv_buf_append(out, s + run, i - run, d);
    char esc[8];
    switch (c) {
    case '"':
      strcpy(esc, "\\\"");
      break;
    case '\\':
      strcpy(esc, "\\\\");
      break;
    case '\n':
      strcpy(esc, "\\n");
      break;
    case '\r':
      strcpy(esc, "\\r");
      break;
    case '\t':
      strcpy(esc, "\\t");
      break;
    case '\b':
      strcpy(esc, "\\b");
      break;
    case '\f':
      strcpy(esc, "\\f");
      break;
    default:
      snprintf(esc, sizeof(esc), "\\u%04x", c);
      break;
    }
    if (rc == NV_OK)
      rc = nv_buf_append_str(out, esc, d);
    run = i + 1;
  }
  if (rc == NV_OK && n > run)
    rc = nv_buf_append(out, s + run, n - run, d);
  if (rc == NV_OK)
    rc = nv_buf_append_byte(out, '"', d);
  return rc;
}

static nv_status json_key(const nv_cbor_item *k, nv_buf *out, nv_diag *d)
{
  if (k->type == NV_CBOR_TSTR)
    return json_string(out, k->str.data, k->str.len, d);
  nv_buf tmp;
  nv_buf_init(&tmp, out->limit);
  nv_status rc = nv_cbor_to_json(k, &tmp, d);
  if (rc == NV_OK) {
    if (k->type == NV_CBOR_BSTR) /* already a JSON string */
      rc = nv_buf_append(out, tmp.data, tmp.len, d);
    else
      rc = json_string(out, tmp.data, tmp.len, d);
  }
  nv_buf_free(&tmp);
  return rc;
}

nv_status nv_cbor_to_json(const nv_cbor_item *it, nv_buf *out, nv_diag *d)
{
  char num[40];
  nv_status rc = NV_OK;
  switch (it->type) {
  case NV_CBOR_UINT:
  case NV_CBOR_NEGINT:
    int_text(it, num);
    return nv_buf_append_str(out, num, d);
  case NV_CBOR_TSTR:
    return json_string(out, it->str.data, it->str.len, d);
  case NV_CBOR_BSTR:
    if ((rc = nv_buf_append_byte(out, '"', d)) == NV_OK &&
        (rc = nv_base64_encode(it->str.data, it->str.len, out, d)) == NV_OK)
      rc = nv_buf_append_byte(out, '"', d);
    return rc;
  case NV_CBOR_ARRAY:
    rc = nv_buf_append_byte(out, '[', d);
    for (size_t i = 0; rc == NV_OK && i < it->count; i++) {
      if (i > 0)
        rc = nv_buf_append_byte(out, ',', d);
      if (rc == NV_OK)
        rc = nv_cbor_to_json(&it->items[i], out, d);
    }
    return rc == NV_OK ? nv_buf_append_byte(out, ']', d) : rc;
  case NV_CBOR_MAP:
    rc = nv_buf_append_byte(out, '{', d);
    for (size_t i = 0; rc == NV_OK && i < it->count; i++) {
      if (i > 0)
        rc = nv_buf_append_byte(out, ',', d);
      if (rc == NV_OK)
        rc = json_key(&it->items[2 * i], out, d);
      if (rc == NV_OK)
        rc = nv_buf_append_byte(out, ':', d);
      if (rc == NV_OK)
        rc = nv_cbor_to_json(&it->items[2 * i + 1], out, d);
    }
    return rc == NV_OK ? nv_buf_append_byte(out, '}', d) : rc;
  case NV_CBOR_TAG:
    return nv_cbor_to_json(&it->items[0], out, d);
  case NV_CBOR_FLOAT:
    if (isnan(it->f))
      return nv_buf_append_str(out, "\"NaN\"", d);
    if (isinf(it->f))
      return nv_buf_append_str(out, it->f > 0 ? "\"Infinity\"" : "\"-Infinity\"", d);
    snprintf(num, sizeof(num), "%.17g", it->f);
    return nv_buf_append_str(out, num, d);
  case NV_CBOR_SIMPLE:
    switch (it->u) {
    case 20:
      return nv_buf_append_str(out, "false", d);
    case 21:
      return nv_buf_append_str(out, "true", d);
    case 22:
    case 23:
      return nv_buf_append_str(out, "null", d);
    default:
      snprintf(num, sizeof(num), "\"simple(%" PRIu64 ")\"", it->u);
      return nv_buf_append_str(out, num, d);
    }
  }
  return nv_diag_set(d, NV_E_INTERNAL, "unknown CBOR item type");
}

/* ------------------------------------------------------------------ */
/* Notary interpretation                                               */
/* ------------------------------------------------------------------ */

static bool has_nul(const nv_cbor_item *it)
{
  return it->str.len > 0 && memchr(it->str.data, 0, it->str.len) != NULL;
}

static char *dup_str(const nv_cbor_item *it)
{
  char *s = malloc(it->str.len + 1);
  if (s != NULL) {
    if (it->str.len > 0)
      memcpy(s, it->str.data, it->str.len);
    s[it->str.len] = '\0';
  }
  return s;
}

/* A Notary time header: CBOR tag 1 around an int, or around an integral
 * float (fractional seconds are rejected: the envelope keeps whole
 * seconds and a signed time is never rounded). */
static nv_status parse_time(const nv_cbor_item *v, const char *what, const char *label,
                            int64_t *out, nv_diag *d)
{
  if (v->type != NV_CBOR_TAG)
    return nv_diag_set(d, NV_E_TIME_ENCODING_INVALID,
                       "invalid %s: header \"%s\" time value does not have a tag (found %s); "
                       "only Tag `1` Datetime CBOR object is supported",
                       what, label, type_name(v));
  if (v->u != 1)
    return nv_diag_set(d, NV_E_TIME_ENCODING_INVALID,
                       "invalid %s: only Tag `1` Datetime CBOR object is supported (header "
                       "\"%s\" has tag %" PRIu64 ")",
                       what, label, v->u);
  const nv_cbor_item *c = &v->items[0];
  if (is_int(c)) {
    if (!nv_cbor_get_int64(c, out))
      return nv_diag_set(d, NV_E_TIME_ENCODING_INVALID,
                         "invalid %s: header \"%s\": epoch seconds out of range", what, label);
    return NV_OK;
  }
  if (c->type == NV_CBOR_FLOAT) {
    double f = c->f;
    if (!isfinite(f) || f < -9223372036854775808.0 || f >= 9223372036854775808.0)
      return nv_diag_set(d, NV_E_TIME_ENCODING_INVALID,
                         "invalid %s: header \"%s\": epoch seconds out of range", what, label);
    if (trunc(f) != f)
      return nv_diag_set(d, NV_E_TIME_ENCODING_INVALID,
                         "invalid %s: header \"%s\": fractional seconds are not supported",
                         what, label);
    *out = (int64_t)f;
    return NV_OK;
  }
  return nv_diag_set(d, NV_E_TIME_ENCODING_INVALID,
                     "invalid %s: only Tag `1` Datetime CBOR object is supported (header \"%s\": "
                     "tag 1 must hold an integer or a float, found %s)",
                     what, label, type_name(c));
}

/* Is `label` listed in crit (typed comparison)? */
static bool in_crit(const nv_cbor_item *crit, const nv_cbor_item *label)
{
  if (crit == NULL)
    return false;
  for (size_t i = 0; i < crit->count; i++)
    if (nv_cbor_equal(&crit->items[i], label))
      return true;
  return false;
}

static bool in_crit_tstr(const nv_cbor_item *crit, const char *name)
{
  if (crit == NULL)
    return false;
  for (size_t i = 0; i < crit->count; i++)
    if (nv_cbor_tstr_equals(&crit->items[i], name))
      return true;
  return false;
}

static bool is_notary_system_label(const nv_cbor_item *k)
{
  int64_t v;
  if (nv_cbor_get_int64(k, &v))
    return v == NV_COSE_LABEL_ALG || v == NV_COSE_LABEL_CRIT || v == NV_COSE_LABEL_CONTENT_TYPE;
  return nv_cbor_tstr_equals(k, NV_HDR_SIGNING_SCHEME) ||
         nv_cbor_tstr_equals(k, NV_HDR_SIGNING_TIME) ||
         nv_cbor_tstr_equals(k, NV_HDR_AUTHENTIC_SIGNING_TIME) ||
         nv_cbor_tstr_equals(k, NV_HDR_EXPIRY);
}

static nv_status notary_crit(const nv_cbor_item *crit, const nv_cbor_item *scheme_item,
                             bool has_expiry, nv_env *out, nv_diag *d)
{
  /* notary-spec.md 6.2 (SPEC): crit MUST NOT list integer labels 0-8 */
  for (size_t i = 0; crit != NULL && i < crit->count; i++) {
    int64_t v;
    if (nv_cbor_get_int64(&crit->items[i], &v) && v >= 0 && v <= 8)
      return nv_diag_set(d, NV_E_CRIT_INVALID_LABEL,
                         "crit header lists the integer label %" PRId64
                         ", but labels 0-8 must not be marked critical",
                         v);
  }
  if (scheme_item == NULL || scheme_item->type != NV_CBOR_TSTR)
    return nv_diag_set(d, NV_E_SIGNING_SCHEME_UNSUPPORTED,
                       "invalid signingScheme: protected header \"%s\" %s", NV_HDR_SIGNING_SCHEME,
                       scheme_item == NULL ? "is missing" : "must be a tstr");
  const char *required[3];
  size_t nreq = 0;
  if (!in_crit_tstr(crit, NV_HDR_SIGNING_SCHEME))
    required[nreq++] = NV_HDR_SIGNING_SCHEME;
  if (nv_cbor_tstr_equals(scheme_item, NV_SCHEME_NAME_SIGNING_AUTHORITY) &&
      !in_crit_tstr(crit, NV_HDR_AUTHENTIC_SIGNING_TIME))
    required[nreq++] = NV_HDR_AUTHENTIC_SIGNING_TIME;
  if (has_expiry && !in_crit_tstr(crit, NV_HDR_EXPIRY))
    required[nreq++] = NV_HDR_EXPIRY;
  if (nreq > 0) {
    char list[160];
    size_t off = 0;
    for (size_t i = 0; i < nreq; i++)
      off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", i ? " " : "", required[i]);
    if (crit == NULL)
      return nv_diag_set(d, NV_E_CRIT_MISSING,
                         "crit header (label 2) is missing: these required headers are not "
                         "marked as critical: [%s]",
                         list);
    return nv_diag_set(d, NV_E_CRIT_REQUIRED_NOT_MARKED,
                       "these required headers are not marked as critical: [%s]", list);
  }
  for (size_t i = 0; crit != NULL && i < crit->count; i++) {
    const nv_cbor_item *e = &crit->items[i];
    nv_status rc;
    if (e->type == NV_CBOR_TSTR) {
      if (has_nul(e))
        return nv_diag_set(d, NV_E_HEADER_INVALID, "crit header entry %zu contains a NUL "
                                                   "character",
                           i);
      char *s = dup_str(e);
      if (s == NULL)
        return nv_diag_set(d, NV_E_NOMEM, "out of memory");
      rc = nv_env_add_crit(out, s, d);
      free(s);
    } else {
      char t[32];
      int_text(e, t);
      rc = nv_env_add_crit(out, t, d);
    }
    if (rc != NV_OK)
      return rc;
  }
  return NV_OK;
}

static nv_status notary_attrs(const nv_cbor_item *ph, const nv_cbor_item *crit, nv_env *out,
                              nv_diag *d)
{
  size_t budget = COSE_ATTR_JSON_BUDGET;
  for (size_t i = 0; i < ph->count; i++) {
    const nv_cbor_item *k = &ph->items[2 * i];
    const nv_cbor_item *v = &ph->items[2 * i + 1];
    if (is_notary_system_label(k))
      continue;
    char num[32];
    char *name = NULL;
    bool int_label = k->type != NV_CBOR_TSTR;
    if (int_label) {
      int_text(k, num);
    } else {
      if (has_nul(k))
        return nv_diag_set(d, NV_E_HEADER_INVALID,
                           "protected header label at map element index %zu contains a NUL "
                           "character",
                           i);
      if ((name = dup_str(k)) == NULL)
        return nv_diag_set(d, NV_E_NOMEM, "out of memory");
    }
    const char *label = int_label ? num : name;
    char *sval = NULL;
    nv_status rc = NV_OK;
    if (v->type == NV_CBOR_TSTR) {
      if (has_nul(v))
        rc = nv_diag_set(d, NV_E_HEADER_INVALID,
                         "extended attribute \"%.128s\": text value contains a NUL character",
                         label);
      else if ((sval = dup_str(v)) == NULL)
        rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
    }
    nv_buf json;
    nv_buf_init(&json, budget);
    if (rc == NV_OK) {
      rc = nv_cbor_to_json(v, &json, d);
      if (rc == NV_OK)
        rc = nv_buf_terminate(&json, d);
      if (rc == NV_E_LIMIT)
        rc = nv_diag_set(d, NV_E_HEADER_INVALID,
                         "extended attributes render to more than %zu bytes of JSON",
                         (size_t)COSE_ATTR_JSON_BUDGET);
    }
    if (rc == NV_OK) {
      budget -= json.len;
      rc = nv_env_add_attr(out, label, int_label, in_crit(crit, k), sval, (const char *)json.data,
                           d);
    }
    nv_buf_free(&json);
    free(sval);
    free(name);
    if (rc != NV_OK)
      return rc;
  }
  return NV_OK;
}

nv_status nv_env_decode_cose(const uint8_t *data, size_t len, nv_env *out, nv_diag *d)
{
  nv_cose_sign1 m;
  nv_status rc = nv_cose_sign1_decode(data, len, &m, d);
  if (rc != NV_OK) {
    nv_cose_sign1_free(&m);
    return rc;
  }
  const nv_cbor_item *ph = m.protected_map;
  const nv_cbor_item *uh = m.unprotected_map;

  /* certificate chain shape first (go-cose Verify step 1); an absent or
   * empty chain decodes and is rejected by integrity verification */
  const nv_cbor_item *x5 = nv_cose_map_get_int(uh, NV_COSE_LABEL_X5CHAIN);
  if (x5 != NULL && x5->type != NV_CBOR_ARRAY) {
    rc = nv_diag_set(d, NV_E_CERT_CHAIN_MISSING,
                     "certificate chain is not present: x5chain (label 33) must be an array "
                     "of bstr, found %s",
                     type_name(x5));
    goto done;
  }

  /* content type (label 3): a tstr; when absent check_common reports it */
  const nv_cbor_item *cty = nv_cose_map_get_int(ph, NV_COSE_LABEL_CONTENT_TYPE);
  if (cty != NULL) {
    if (cty->type != NV_CBOR_TSTR) {
      rc = nv_diag_set(d, NV_E_CONTENT_TYPE_UNSUPPORTED,
                       "content type should be of 'tstr' type (found %s)", type_name(cty));
      goto done;
    }
    if (has_nul(cty)) {
      rc = nv_diag_set(d, NV_E_CONTENT_TYPE_UNSUPPORTED,
                       "content type contains a NUL character");
      goto done;
    }
    if ((out->content_type = dup_str(cty)) == NULL) {
      rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
      goto done;
    }
  }

  /* crit, scheme, alg (validateCritHeaders, then the algorithm) */
  const nv_cbor_item *crit = nv_cose_map_get_int(ph, NV_COSE_LABEL_CRIT);
  const nv_cbor_item *scheme = nv_cose_map_get_tstr(ph, NV_HDR_SIGNING_SCHEME);
  const nv_cbor_item *expiry = nv_cose_map_get_tstr(ph, NV_HDR_EXPIRY);
  if ((rc = notary_crit(crit, scheme, expiry != NULL, out, d)) != NV_OK)
    goto done;

  const nv_cbor_item *alg = nv_cose_map_get_int(ph, NV_COSE_LABEL_ALG);
  int64_t alg_id;
  if (alg == NULL) {
    rc = nv_diag_set(d, NV_E_ALG_UNSUPPORTED, "algorithm not found: protected header alg "
                                              "(label 1) is missing");
    goto done;
  }
  if (alg->type == NV_CBOR_TSTR) {
    rc = nv_diag_set(d, NV_E_ALG_UNSUPPORTED,
                     "signature algorithm not supported: \"%.*s\" (alg must be an integer)",
                     (int)(alg->str.len > 64 ? 64 : alg->str.len), (const char *)alg->str.data);
    goto done;
  }
  if (!nv_cbor_get_int64(alg, &alg_id) || (out->alg = nv_sig_alg_from_cose(alg_id)) ==
                                              NV_SIG_NONE) {
    char t[32];
    int_text(alg, t);
    rc = nv_diag_set(d, NV_E_ALG_UNSUPPORTED, "signature algorithm not supported: %s", t);
    goto done;
  }

  if (has_nul(scheme) ||
      (out->scheme = nv_cbor_tstr_equals(scheme, NV_SCHEME_NAME_X509) ? NV_SCHEME_X509
                     : nv_cbor_tstr_equals(scheme, NV_SCHEME_NAME_SIGNING_AUTHORITY)
                         ? NV_SCHEME_SIGNING_AUTHORITY
                         : NV_SCHEME_NONE) == NV_SCHEME_NONE) {
    rc = nv_diag_set(d, NV_E_SIGNING_SCHEME_UNSUPPORTED, "unsupported signingScheme: %.*s",
                     (int)(scheme->str.len > 128 ? 128 : scheme->str.len),
                     (const char *)scheme->str.data);
    goto done;
  }

  /* times: only the scheme's own time label is read (GO); expiry optional */
  if (out->scheme == NV_SCHEME_X509) {
    const nv_cbor_item *t = nv_cose_map_get_tstr(ph, NV_HDR_SIGNING_TIME);
    if (t != NULL) {
      if ((rc = parse_time(t, "signingTime", NV_HDR_SIGNING_TIME, &out->signing_time, d)) !=
          NV_OK)
        goto done;
      out->has_signing_time = true;
    }
  } else {
    const nv_cbor_item *t = nv_cose_map_get_tstr(ph, NV_HDR_AUTHENTIC_SIGNING_TIME);
    if (t != NULL) {
      if ((rc = parse_time(t, "signingTime", NV_HDR_AUTHENTIC_SIGNING_TIME,
                           &out->authentic_signing_time, d)) != NV_OK)
        goto done;
      out->has_authentic_signing_time = true;
    }
  }
  if (expiry != NULL) {
    if ((rc = parse_time(expiry, "expiry", NV_HDR_EXPIRY, &out->expiry, d)) != NV_OK)
      goto done;
    out->has_expiry = true;
  }

  if ((rc = notary_attrs(ph, crit, out, d)) != NV_OK)
    goto done;

  /* unprotected: x5chain elements, timestamp token, signing agent */
  for (size_t i = 0; x5 != NULL && i < x5->count; i++) {
    const nv_cbor_item *c = &x5->items[i];
    if (c->type != NV_CBOR_BSTR) {
      rc = nv_diag_set(d, NV_E_CERT_CHAIN_MISSING,
                       "certificate chain is not present: x5chain element %zu is a %s, not a "
                       "bstr",
                       i, type_name(c));
      goto done;
    }
    if ((rc = nv_env_add_cert(out, c->str.data, c->str.len, d)) != NV_OK)
      goto done;
  }
  /* unsigned and removable by anyone: a value of the wrong type is ignored,
   * as GO does (the agent MUST NOT cause a failure) */
  const nv_cbor_item *tst = nv_cose_map_get_tstr(uh, NV_HDR_TIMESTAMP_SIGNATURE);
  if (tst != NULL && tst->type == NV_CBOR_BSTR) {
    if ((rc = nv_buf_append(&out->timestamp_token, tst->str.data, tst->str.len, d)) != NV_OK)
      goto done;
    out->has_timestamp = true;
  }
  const nv_cbor_item *agent = nv_cose_map_get_tstr(uh, NV_HDR_SIGNING_AGENT);
  if (agent != NULL && agent->type == NV_CBOR_TSTR && !has_nul(agent) &&
      (out->signing_agent = dup_str(agent)) == NULL) {
    rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
    goto done;
  }

  if ((rc = nv_buf_append(&out->payload, m.payload.data, m.payload.len, d)) != NV_OK ||
      (rc = nv_buf_append(&out->signature, m.signature.data, m.signature.len, d)) != NV_OK ||
      (rc = nv_cose_sig_structure(&m, NULL, 0, &out->signing_input, d)) != NV_OK)
    goto done;

  rc = nv_env_check_common(out, d);
done:
  nv_cose_sign1_free(&m);
  return rc;
}
