#include "base/nv_descriptor.h"

#include <stdlib.h>
#include <string.h>
#include "base/nv_digest.h"

void nv_descriptor_init(nv_descriptor *desc)
{
  memset(desc, 0, sizeof(*desc));
}

void nv_descriptor_free(nv_descriptor *desc)
{
  if (desc == NULL)
    return;
  free(desc->media_type);
  free(desc->digest);
  free(desc->artifact_type);
  for (size_t i = 0; i < desc->annotation_count; i++) {
    free(desc->annotation_keys[i]);
    free(desc->annotation_values[i]);
  }
  free(desc->annotation_keys);
  free(desc->annotation_values);
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

static nv_status read_annotations(const nv_json *obj, nv_descriptor *out, nv_diag *d)
{
  const nv_json *ann = NULL;
  nv_status rc = nv_json_get_object(obj, "annotations", false, &ann, d);
  if (rc != NV_OK || ann == NULL)
    return rc;
  size_t n = nv_json_count(ann);
  if (n > NV_DESCRIPTOR_MAX_ANNOTATIONS)
    return nv_diag_set(d, NV_E_LIMIT, "more than %d annotations", NV_DESCRIPTOR_MAX_ANNOTATIONS);
  if (n == 0)
    return NV_OK;
  out->annotation_keys = calloc(n, sizeof(char *));
  out->annotation_values = calloc(n, sizeof(char *));
  if (out->annotation_keys == NULL || out->annotation_values == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    const nv_json *member = nv_json_at(ann, i);
    const char *value = nv_json_string(member);
    if (value == NULL)
      return nv_diag_set(d, NV_E_JSON_TYPE, "annotation \"%.128s\" must be a string",
                         nv_json_key(member));
    rc = copy_string(nv_json_key(member), &out->annotation_keys[i], d);
    if (rc == NV_OK)
      rc = copy_string(value, &out->annotation_values[i], d);
    if (rc != NV_OK)
      return rc;
    out->annotation_count = i + 1;
  }
  return NV_OK;
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
    rc = read_annotations(obj, out, d);
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
  for (size_t i = 0; i < desc->annotation_count; i++)
    if (strcmp(desc->annotation_keys[i], key) == 0)
      return desc->annotation_values[i];
  return NULL;
}

bool nv_descriptor_equal(const nv_descriptor *a, const nv_descriptor *b)
{
  return a->size == b->size && a->media_type != NULL && b->media_type != NULL &&
         a->digest != NULL && b->digest != NULL && strcmp(a->media_type, b->media_type) == 0 &&
         strcmp(a->digest, b->digest) == 0;
}
