#include "base/nv_descriptor.h"

#include <stdlib.h>
#include <string.h>
#include "base/nv_digest.h"

void nv_descriptor_init(nv_descriptor *desc)
{
  memset(desc, 0, sizeof(*desc));
}

void nv_annotations_free(nv_annotations *a)
{
  if (a == NULL)
    return;
  for (size_t i = 0; i < a->count; i++) {
    free(a->keys[i]);
    free(a->values[i]);
  }
  free(a->keys);
  free(a->values);
  memset(a, 0, sizeof(*a));
}

void nv_descriptor_free(nv_descriptor *desc)
{
  if (desc == NULL)
    return;
  free(desc->media_type);
  free(desc->digest);
  free(desc->artifact_type);
  nv_annotations_free(&desc->annotations);
  nv_descriptor_init(desc);
}

static nv_status copy_string(const char *s, char **out, nv_diag *d)
{
  *out = NULL;
  if (s == NULL)
    return NV_OK;
  if ((*out = strdup(s)) == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  return NV_OK;
}

/* Room for `n` entries; count grows as they are filled, so a partial
 * result is always safe to free. */
static nv_status annotations_alloc(nv_annotations *a, size_t n, nv_diag *d)
{
  if (n == 0)
    return NV_OK;
  a->keys = calloc(n, sizeof(char *));
  a->values = calloc(n, sizeof(char *));
  if (a->keys == NULL || a->values == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  return NV_OK;
}

nv_status nv_annotations_from_json(const nv_json *obj, nv_annotations *out, nv_diag *d)
{
  const nv_json *ann = NULL;
  nv_status rc = nv_json_get_object(obj, "annotations", false, &ann, d);
  if (rc != NV_OK || ann == NULL)
    return rc;
  size_t n = nv_json_count(ann);
  if (n > NV_DESCRIPTOR_MAX_ANNOTATIONS)
    return nv_diag_set(d, NV_E_LIMIT, "more than %d annotations", NV_DESCRIPTOR_MAX_ANNOTATIONS);
  rc = annotations_alloc(out, n, d);
  size_t i = 0;
  for (const nv_json *member = nv_json_at(ann, 0); rc == NV_OK && member != NULL && i < n;
       member = nv_json_next(member), i++) {
    const char *value = nv_json_string(member);
    if (value == NULL) {
      nv_quoted q = nv_quote(nv_json_key(member), strlen(nv_json_key(member)));
      return nv_diag_set(d, NV_E_JSON_TYPE, "annotation \"%s\" must be a string", q.s);
    }
    out->count = i + 1;
    rc = copy_string(nv_json_key(member), &out->keys[i], d);
    if (rc == NV_OK)
      rc = copy_string(value, &out->values[i], d);
  }
  return rc;
}

nv_status nv_annotations_copy(const nv_annotations *src, nv_annotations *dst, nv_diag *d)
{
  nv_status rc = annotations_alloc(dst, src->count, d);
  for (size_t i = 0; rc == NV_OK && i < src->count; i++) {
    dst->count = i + 1;
    rc = copy_string(src->keys[i], &dst->keys[i], d);
    if (rc == NV_OK)
      rc = copy_string(src->values[i], &dst->values[i], d);
  }
  return rc;
}

const char *nv_annotations_get(const nv_annotations *a, const char *key)
{
  if (a == NULL || key == NULL)
    return NULL;
  for (size_t i = 0; i < a->count; i++)
    if (strcmp(a->keys[i], key) == 0)
      return a->values[i];
  return NULL;
}

static nv_status read_descriptor(const nv_json *obj, nv_descriptor *out, nv_diag *d)
{
  if (nv_json_type_of(obj) != NV_JSON_OBJECT)
    return nv_diag_set(d, NV_E_JSON_TYPE, "descriptor must be an object");
  const char *media_type = NULL, *digest = NULL, *artifact_type = NULL;
  nv_status rc = nv_json_get_string(obj, "mediaType", true, &media_type, d);
  if (rc == NV_OK)
    rc = nv_json_get_string(obj, "digest", true, &digest, d);
  if (rc == NV_OK)
    rc = nv_json_get_uint64(obj, "size", true, &out->size, NULL, d);
  if (rc == NV_OK)
    rc = nv_json_get_string(obj, "artifactType", false, &artifact_type, d);
  if (rc != NV_OK)
    return rc;
  nv_digest parsed;
  rc = nv_digest_parse(digest, strlen(digest), &parsed, d);
  if (rc != NV_OK)
    return nv_diag_wrap(d, rc, "member \"digest\": ");
  rc = copy_string(media_type, &out->media_type, d);
  if (rc == NV_OK)
    rc = copy_string(digest, &out->digest, d);
  if (rc == NV_OK)
    rc = copy_string(artifact_type, &out->artifact_type, d);
  if (rc == NV_OK)
    rc = nv_annotations_from_json(obj, &out->annotations, d);
  return rc;
}

nv_status nv_descriptor_from_json(const nv_json *obj, nv_descriptor *out, nv_diag *d)
{
  nv_descriptor_init(out);
  nv_status rc = read_descriptor(obj, out, d);
  if (rc != NV_OK)
    nv_descriptor_free(out);
  return rc;
}

const char *nv_descriptor_annotation(const nv_descriptor *desc, const char *key)
{
  return desc != NULL ? nv_annotations_get(&desc->annotations, key) : NULL;
}

nv_status nv_descriptor_copy(nv_descriptor *dst, const nv_descriptor *src, nv_diag *d)
{
  nv_descriptor_init(dst);
  nv_status rc = copy_string(src->media_type, &dst->media_type, d);
  if (rc == NV_OK)
    rc = copy_string(src->digest, &dst->digest, d);
  if (rc == NV_OK)
    rc = copy_string(src->artifact_type, &dst->artifact_type, d);
  dst->size = src->size;
  if (rc == NV_OK)
    rc = nv_annotations_copy(&src->annotations, &dst->annotations, d);
  if (rc != NV_OK)
    nv_descriptor_free(dst);
  return rc;
}

bool nv_descriptor_equal(const nv_descriptor *a, const nv_descriptor *b)
{
  return a->size == b->size && a->media_type != NULL && b->media_type != NULL &&
         a->digest != NULL && b->digest != NULL && strcmp(a->media_type, b->media_type) == 0 &&
         strcmp(a->digest, b->digest) == 0;
}
