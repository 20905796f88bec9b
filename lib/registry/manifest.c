#include "registry/nv_reg_manifest.h"

#include <stdlib.h>
#include <string.h>
#include "base/nv_digest.h"
#include "base/nv_json.h"
#include "base/nv_limits.h"

#define COMPONENT "registry"

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static nv_status dup_string(const char *s, char **out, nv_diag *d)
{
  *out = NULL;
  if (s == NULL)
    return NV_OK;
  if ((*out = strdup(s)) == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  return NV_OK;
}

/* "schemaVersion": optional, but 2 when present. */
static nv_status check_schema_version(const nv_json *obj, nv_diag *d)
{
  uint64_t v = 0;
  bool present = false;
  nv_status rc = nv_json_get_uint64(obj, "schemaVersion", false, &v, &present, d);
  if (rc != NV_OK)
    return rc;
  if (present && v != 2)
    return nv_diag_set(d, NV_E_PARSE, "schemaVersion must be 2, found %llu",
                       (unsigned long long)v);
  return NV_OK;
}

/* The members manifests and indexes share, first: the root must be an
 * object (`what` names it in the message); "mediaType" and "artifactType"
 * are optional strings (pointers into the tree). */
static nv_status read_type_members(const nv_json *root, const char *what, const char **media_type,
                                   const char **artifact_type, nv_diag *d)
{
  *media_type = NULL;
  *artifact_type = NULL;
  if (nv_json_type_of(root) != NV_JSON_OBJECT)
    return nv_diag_set(d, NV_E_JSON_TYPE, "%s must be a JSON object, found %s", what,
                       nv_json_type_name(nv_json_type_of(root)));
  nv_status rc = nv_json_get_string(root, "mediaType", false, media_type, d);
  if (rc == NV_OK)
    rc = nv_json_get_string(root, "artifactType", false, artifact_type, d);
  return rc;
}

/* Then, once the media type is accepted: schemaVersion, and copies of the
 * two strings into the parsed form. */
static nv_status keep_type_members(const nv_json *root, const char *media_type,
                                   const char *artifact_type, char **media_type_out,
                                   char **artifact_type_out, nv_diag *d)
{
  nv_status rc = check_schema_version(root, d);
  if (rc == NV_OK)
    rc = dup_string(media_type, media_type_out, d);
  if (rc == NV_OK)
    rc = dup_string(artifact_type, artifact_type_out, d);
  return rc;
}

static nv_status read_descriptor_member(const nv_json *obj, const char *name, bool required,
                                        bool *present, nv_descriptor *out, nv_diag *d)
{
  const nv_json *node = NULL;
  *present = false;
  nv_status rc = nv_json_get_object(obj, name, required, &node, d);
  if (rc != NV_OK || node == NULL)
    return rc;
  rc = nv_descriptor_from_json(node, out, d);
  if (rc != NV_OK)
    return nv_diag_wrap(d, rc, "%s: ", name);
  *present = true;
  return NV_OK;
}

/* An array member of descriptors, at most `max` of them. */
static nv_status read_descriptor_array(const nv_json *obj, const char *name, bool required,
                                       size_t max, nv_descriptor **out, size_t *count,
                                       nv_diag *d)
{
  const nv_json *arr = NULL;
  *out = NULL;
  *count = 0;
  nv_status rc = nv_json_get_array(obj, name, required, &arr, d);
  if (rc != NV_OK || arr == NULL)
    return rc;
  size_t n = nv_json_count(arr);
  if (n > max)
    return nv_diag_set(d, NV_E_LIMIT, "%s: %zu entries, more than the limit of %zu", name, n,
                       max);
  if (n == 0)
    return NV_OK;
  nv_descriptor *list = calloc(n, sizeof(*list));
  if (list == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  *out = list;
  /* one pass (nv_json_at from the start each time would be quadratic) */
  size_t i = 0;
  for (const nv_json *e = nv_json_at(arr, 0); e != NULL && i < n; e = nv_json_next(e), i++) {
    rc = nv_descriptor_from_json(e, &list[i], d);
    if (rc != NV_OK)
      return nv_diag_wrap(d, rc, "%s[%zu]: ", name, i);
    *count = i + 1;
  }
  return NV_OK;
}

static bool is_manifest_type(const char *mt)
{
  return mt != NULL &&
         (strcmp(mt, NV_REG_MT_IMAGE_MANIFEST) == 0 || strcmp(mt, NV_REG_MT_ARTIFACT_MANIFEST) == 0);
}

static void descriptors_free(nv_descriptor *list, size_t n)
{
  for (size_t i = 0; i < n; i++)
    nv_descriptor_free(&list[i]);
  free(list);
}

/* ------------------------------------------------------------------ */
/* manifests                                                           */

void nv_reg_manifest_init(nv_reg_manifest *m)
{
  memset(m, 0, sizeof(*m));
  nv_descriptor_init(&m->config);
  nv_descriptor_init(&m->subject);
}

void nv_reg_manifest_free(nv_reg_manifest *m)
{
  if (m == NULL)
    return;
  free(m->media_type);
  free(m->artifact_type);
  nv_descriptor_free(&m->config);
  descriptors_free(m->layers, m->layer_count);
  nv_descriptor_free(&m->subject);
  nv_annotations_free(&m->annotations);
  nv_reg_manifest_init(m);
}

static nv_status parse_manifest_object(const nv_json *root, const char *hint, nv_reg_manifest *out,
                                       bool *type_mismatch, nv_diag *d)
{
  const char *media_type, *artifact_type;
  nv_status rc = read_type_members(root, "manifest", &media_type, &artifact_type, d);
  if (rc != NV_OK)
    return rc;
  const char *kind_type = media_type != NULL ? media_type : hint;
  if (kind_type == NULL)
    return nv_diag_set(d, NV_E_UNSUPPORTED, "manifest has no mediaType");
  if (strcmp(kind_type, NV_REG_MT_IMAGE_MANIFEST) == 0) {
    out->kind = NV_REG_MANIFEST_IMAGE;
  } else if (strcmp(kind_type, NV_REG_MT_ARTIFACT_MANIFEST) == 0) {
    out->kind = NV_REG_MANIFEST_ARTIFACT;
  } else {
    nv_quoted q = nv_quote(kind_type, strlen(kind_type));
    return nv_diag_set(d, NV_E_UNSUPPORTED, "media type \"%s\" is not an OCI manifest", q.s);
  }
  if (media_type != NULL && hint != NULL && strcmp(media_type, hint) != 0) {
    *type_mismatch = true;
    nv_quoted q = nv_quote(media_type, strlen(media_type));
    nv_quoted h = nv_quote(hint, strlen(hint));
    return nv_diag_set(d, NV_E_PARSE, "manifest mediaType \"%s\" differs from the expected \"%s\"",
                       q.s, h.s);
  }
  rc = keep_type_members(root, media_type, artifact_type, &out->media_type, &out->artifact_type,
                         d);
  if (rc != NV_OK)
    return rc;
  if (out->kind == NV_REG_MANIFEST_IMAGE) {
    rc = read_descriptor_member(root, "config", true, &out->has_config, &out->config, d);
    if (rc == NV_OK)
      rc = read_descriptor_array(root, "layers", true, NV_REG_MAX_LAYERS, &out->layers,
                                 &out->layer_count, d);
  } else {
    rc = read_descriptor_array(root, "blobs", false, NV_REG_MAX_LAYERS, &out->layers,
                               &out->layer_count, d);
  }
  if (rc == NV_OK)
    rc = read_descriptor_member(root, "subject", false, &out->has_subject, &out->subject, d);
  if (rc == NV_OK)
    rc = nv_annotations_from_json(root, &out->annotations, d);
  return rc;
}

/* *type_mismatch tells that the failure is a document mediaType other
 * than the hint. */
static nv_status parse_manifest(const void *data, size_t len, const char *media_type_hint,
                                nv_reg_manifest *out, bool *type_mismatch, nv_diag *d)
{
  /* the base layer's descriptor reader needs a diag to keep its status */
  nv_diag local;
  if (d == NULL) {
    nv_diag_init(&local);
    d = &local;
  }
  *type_mismatch = false;
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "manifest: no output");
  nv_reg_manifest_init(out);
  if (data == NULL && len > 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "manifest: no data");
  if (len > NV_LIMIT_MANIFEST_BYTES)
    return nv_diag_set(d, NV_E_CONTENT_TOO_LARGE, "manifest of %zu bytes exceeds the limit of %zu",
                       len, (size_t)NV_LIMIT_MANIFEST_BYTES);
  nv_json *root = NULL;
  nv_status rc = nv_json_parse(data, len, NV_LIMIT_MANIFEST_BYTES, "manifest", &root, d);
  if (rc != NV_OK)
    return rc;
  rc = parse_manifest_object(root, media_type_hint, out, type_mismatch, d);
  nv_json_free(root);
  if (rc != NV_OK) {
    nv_reg_manifest_free(out);
    return nv_diag_wrap(d, rc, "manifest: ");
  }
  return NV_OK;
}

nv_status nv_reg_manifest_parse(const void *data, size_t len, const char *media_type_hint,
                                nv_reg_manifest *out, nv_diag *d)
{
  bool type_mismatch;
  return parse_manifest(data, len, media_type_hint, out, &type_mismatch, d);
}

const char *nv_reg_manifest_artifact_type(const nv_reg_manifest *m)
{
  if (m->artifact_type != NULL && m->artifact_type[0] != '\0')
    return m->artifact_type;
  if (m->kind == NV_REG_MANIFEST_IMAGE && m->has_config)
    return m->config.media_type;
  return NULL;
}

/* ------------------------------------------------------------------ */
/* indexes                                                             */

void nv_reg_index_init(nv_reg_index *idx)
{
  memset(idx, 0, sizeof(*idx));
}

void nv_reg_index_free(nv_reg_index *idx)
{
  if (idx == NULL)
    return;
  free(idx->media_type);
  free(idx->artifact_type);
  descriptors_free(idx->manifests, idx->manifest_count);
  nv_annotations_free(&idx->annotations);
  nv_reg_index_init(idx);
}

/* Does the comma-separated list name "artifactType"? */
static bool lists_artifact_type(const char *list)
{
  static const char want[] = "artifactType";
  const char *p = list;
  while (*p != '\0') {
    while (*p == ' ' || *p == '\t')
      p++;
    const char *start = p;
    while (*p != '\0' && *p != ',')
      p++;
    const char *end = p;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
      end--;
    if ((size_t)(end - start) == sizeof(want) - 1 && memcmp(start, want, sizeof(want) - 1) == 0)
      return true;
    if (*p == ',')
      p++;
  }
  return false;
}

static nv_status parse_index_object(const nv_json *root, nv_reg_index *out, nv_diag *d)
{
  const char *media_type, *artifact_type;
  nv_status rc = read_type_members(root, "image index", &media_type, &artifact_type, d);
  if (rc != NV_OK)
    return rc;
  if (media_type != NULL && strcmp(media_type, NV_REG_MT_IMAGE_INDEX) != 0) {
    nv_quoted q = nv_quote(media_type, strlen(media_type));
    return nv_diag_set(d, NV_E_UNSUPPORTED, "media type \"%s\" is not an OCI image index", q.s);
  }
  rc = keep_type_members(root, media_type, artifact_type, &out->media_type, &out->artifact_type,
                         d);
  if (rc == NV_OK)
    rc = read_descriptor_array(root, "manifests", true, NV_REG_MAX_INDEX_ENTRIES, &out->manifests,
                               &out->manifest_count, d);
  if (rc == NV_OK)
    rc = nv_annotations_from_json(root, &out->annotations, d);
  if (rc == NV_OK) {
    const char *filters = nv_annotations_get(&out->annotations, NV_REG_ANN_FILTERS_APPLIED);
    out->filters_applied_artifact_type = filters != NULL && lists_artifact_type(filters);
  }
  return rc;
}

nv_status nv_reg_index_parse(const void *data, size_t len, size_t max_bytes, nv_reg_index *out,
                             nv_diag *d)
{
  nv_diag local;
  if (d == NULL) {
    nv_diag_init(&local);
    d = &local;
  }
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "image index: no output");
  nv_reg_index_init(out);
  if (data == NULL && len > 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "image index: no data");
  if (len > max_bytes)
    return nv_diag_set(d, NV_E_CONTENT_TOO_LARGE,
                       "image index of %zu bytes exceeds the limit of %zu", len, max_bytes);
  nv_json *root = NULL;
  nv_status rc = nv_json_parse(data, len, max_bytes, "image index", &root, d);
  if (rc != NV_OK)
    return rc;
  rc = parse_index_object(root, out, d);
  nv_json_free(root);
  if (rc != NV_OK) {
    nv_reg_index_free(out);
    return nv_diag_wrap(d, rc, "image index: ");
  }
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* signature candidate lists                                           */

void nv_reg_sig_list_init(nv_reg_sig_list *list, size_t max)
{
  memset(list, 0, sizeof(*list));
  list->max = max;
}

void nv_reg_sig_list_free(nv_reg_sig_list *list)
{
  if (list == NULL)
    return;
  for (size_t i = 0; i < list->count; i++)
    nv_descriptor_free(&list->items[i].desc);
  free(list->items);
  nv_reg_sig_list_init(list, list->max);
}

bool nv_reg_sig_list_full(const nv_reg_sig_list *list)
{
  return list->count >= list->max;
}

bool nv_reg_sig_list_contains(const nv_reg_sig_list *list, const char *digest)
{
  if (digest == NULL)
    return false;
  for (size_t i = 0; i < list->count; i++)
    if (list->items[i].desc.digest != NULL && strcmp(list->items[i].desc.digest, digest) == 0)
      return true;
  return false;
}

nv_status nv_reg_sig_list_add(nv_reg_sig_list *list, const nv_descriptor *desc, nv_status status,
                              nv_diag *d)
{
  if (list == NULL || desc == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "signature list: NULL argument");
  if (nv_reg_sig_list_full(list))
    return nv_diag_set(d, NV_E_LIMIT, "signature list holds its maximum of %zu entries",
                       list->max);
  if (list->count == list->cap) {
    /* grow by doubling, never beyond max */
    size_t cap = list->cap == 0 ? 8 : list->cap * 2;
    if (cap > list->max)
      cap = list->max;
    nv_reg_sig_candidate *p = realloc(list->items, cap * sizeof(*p));
    if (p == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory");
    list->items = p;
    list->cap = cap;
  }
  nv_reg_sig_candidate *c = &list->items[list->count];
  nv_status rc = nv_descriptor_copy(&c->desc, desc, d);
  if (rc != NV_OK)
    return rc;
  c->status = status;
  list->count++;
  return NV_OK;
}

nv_status nv_reg_index_filter_signatures(const nv_reg_index *idx, const char *subject_digest,
                                         nv_reg_sig_list *list, nv_diag *d)
{
  if (idx == NULL || subject_digest == NULL || list == NULL || list->max == 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "signature filter: invalid argument");
  for (size_t i = 0; i < idx->manifest_count; i++) {
    const nv_descriptor *e = &idx->manifests[i];
    if (e->artifact_type == NULL || strcmp(e->artifact_type, NV_REG_ARTIFACT_TYPE_SIGNATURE) != 0)
      continue;
    if (nv_reg_sig_list_contains(list, e->digest))
      continue;
    if (nv_reg_sig_list_full(list)) {
      list->truncated = true;
      break;
    }
    nv_status status = NV_OK;
    if (strcmp(e->digest, subject_digest) == 0) {
      nv_log(d, NV_LOG_WARN, COMPONENT,
             "referrers index entry %zu points back at the subject %s; not followed", i,
             subject_digest);
      status = NV_E_SIG_MANIFEST_SUBJECT;
    }
    nv_status rc = nv_reg_sig_list_add(list, e, status, d);
    if (rc != NV_OK)
      return rc;
  }
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* signature manifests                                                 */

nv_status nv_reg_sig_manifest_check_descriptor(const nv_descriptor *desc, nv_diag *d)
{
  if (desc == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "signature manifest: no descriptor");
  if (!is_manifest_type(desc->media_type)) {
    const char *mt = desc->media_type != NULL ? desc->media_type : "";
    nv_quoted q = nv_quote(mt, strlen(mt));
    return nv_diag_set(d, NV_E_SIG_MANIFEST_MEDIATYPE,
                       "signature manifest descriptor has media type \"%s\"; expected %s or %s",
                       q.s, NV_REG_MT_IMAGE_MANIFEST, NV_REG_MT_ARTIFACT_MANIFEST);
  }
  if (desc->size > NV_LIMIT_MANIFEST_BYTES)
    return nv_diag_set(d, NV_E_SIG_MANIFEST_TOO_LARGE,
                       "signature manifest size %llu exceeds the limit of %zu bytes",
                       (unsigned long long)desc->size, (size_t)NV_LIMIT_MANIFEST_BYTES);
  return NV_OK;
}

void nv_reg_sig_manifest_init(nv_reg_sig_manifest *s)
{
  nv_reg_manifest_init(&s->manifest);
  s->envelope = NULL;
  s->envelope_media_type = NULL;
}

void nv_reg_sig_manifest_free(nv_reg_sig_manifest *s)
{
  if (s == NULL)
    return;
  nv_reg_manifest_free(&s->manifest);
  nv_reg_sig_manifest_init(s);
}

static nv_status check_content_digest(const nv_descriptor *desc, const void *data, size_t len,
                                      nv_diag *d)
{
  if ((uint64_t)len != desc->size)
    return nv_diag_set(d, NV_E_SIG_DIGEST_MISMATCH,
                       "signature manifest is %zu bytes; its descriptor says %llu", len,
                       (unsigned long long)desc->size);
  if (desc->digest == NULL)
    return nv_diag_set(d, NV_E_SIG_DIGEST_MISMATCH, "signature manifest descriptor has no digest");
  nv_digest want, got;
  nv_status rc = nv_digest_parse(desc->digest, strlen(desc->digest), &want, d);
  if (rc != NV_OK)
    return nv_diag_wrap(d, NV_E_SIG_DIGEST_MISMATCH, "signature manifest descriptor: ");
  static const uint8_t empty[1] = {0};
  rc = nv_digest_compute(want.alg, data != NULL ? data : empty, len, &got, d);
  if (rc != NV_OK)
    return rc;
  if (!nv_digest_equal(&want, &got))
    return nv_diag_set(d, NV_E_SIG_DIGEST_MISMATCH,
                       "signature manifest content does not match digest %s", desc->digest);
  return NV_OK;
}

static bool str_eq(const char *a, const char *b)
{
  return a != NULL && b != NULL && strcmp(a, b) == 0;
}

nv_status nv_reg_sig_manifest_check_artifact_type(const nv_reg_manifest *m, nv_diag *d)
{
  const char *at = m->artifact_type;
  bool has_at = at != NULL && at[0] != '\0';
  if (m->kind == NV_REG_MANIFEST_ARTIFACT) {
    if (str_eq(at, NV_REG_ARTIFACT_TYPE_SIGNATURE))
      return NV_OK;
  } else {
    const char *cfg = m->config.media_type;
    if (has_at && str_eq(at, NV_REG_ARTIFACT_TYPE_SIGNATURE) && str_eq(cfg, NV_REG_MT_EMPTY))
      return NV_OK;
    if (!has_at && str_eq(cfg, NV_REG_ARTIFACT_TYPE_SIGNATURE))
      return NV_OK;
  }
  const char *a = has_at ? at : "";
  const char *c = m->kind == NV_REG_MANIFEST_IMAGE && m->config.media_type != NULL
                      ? m->config.media_type
                      : "";
  nv_quoted qa = nv_quote(a, strlen(a));
  nv_quoted qc = nv_quote(c, strlen(c));
  return nv_diag_set(d, NV_E_SIG_MANIFEST_ARTIFACT_TYPE,
                     "not a Notary Project signature: artifactType \"%s\", config.mediaType \"%s\"",
                     qa.s, qc.s);
}

nv_status nv_reg_sig_manifest_parse(const nv_descriptor *desc, const void *data, size_t len,
                                    const nv_descriptor *target, unsigned flags,
                                    nv_reg_sig_manifest *out, nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "signature manifest: no output");
  nv_reg_sig_manifest_init(out);
  if (data == NULL && len > 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "signature manifest: no data");
  nv_status rc = nv_reg_sig_manifest_check_descriptor(desc, d);
  if (rc != NV_OK)
    return rc;
  rc = check_content_digest(desc, data, len, d);
  if (rc != NV_OK)
    return rc;

  nv_reg_manifest *m = &out->manifest;
  bool type_mismatch = false;
  rc = parse_manifest(data, len, desc->media_type, m, &type_mismatch, d);
  if (rc != NV_OK) {
    if (rc == NV_E_NOMEM)
      return rc;
    return nv_diag_wrap(d, type_mismatch ? NV_E_SIG_MANIFEST_MEDIATYPE : NV_E_SIG_MANIFEST_PARSE,
                        "signature ");
  }
  if (m->layer_count != 1) {
    rc = nv_diag_set(d, NV_E_SIG_MANIFEST_LAYER_COUNT,
                     "signature manifest requires exactly one signature envelope blob, found %zu",
                     m->layer_count);
    goto fail;
  }
  if (m->layers[0].size > NV_LIMIT_ENVELOPE_BYTES) {
    rc = nv_diag_set(d, NV_E_SIG_BLOB_TOO_LARGE,
                     "signature envelope size %llu exceeds the limit of %zu bytes",
                     (unsigned long long)m->layers[0].size, (size_t)NV_LIMIT_ENVELOPE_BYTES);
    goto fail;
  }
  if ((flags & NV_REG_SIG_ANY_ARTIFACT_TYPE) == 0) {
    rc = nv_reg_sig_manifest_check_artifact_type(m, d);
    if (rc != NV_OK)
      goto fail;
  }
  if (target != NULL) {
    if (!m->has_subject) {
      rc = nv_diag_set(d, NV_E_SIG_MANIFEST_SUBJECT, "signature manifest has no subject");
      goto fail;
    }
    if (!nv_descriptor_equal(&m->subject, target)) {
      rc = nv_diag_set(d, NV_E_SIG_MANIFEST_SUBJECT,
                       "signature manifest subject %s (size %llu) is not the target %s (size %llu)"
                       " or their media types differ",
                       m->subject.digest, (unsigned long long)m->subject.size,
                       target->digest != NULL ? target->digest : "(none)",
                       (unsigned long long)target->size);
      goto fail;
    }
  }
  out->envelope = &m->layers[0];
  out->envelope_media_type = m->layers[0].media_type;
  return NV_OK;

fail:
  nv_reg_sig_manifest_free(out);
  return rc;
}
