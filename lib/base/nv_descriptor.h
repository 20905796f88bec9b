/*
 * OCI content descriptors ({mediaType, digest, size, artifactType,
 * annotations}): in signed payloads (targetArtifact), manifests, indexes.
 */
#ifndef NV_BASE_DESCRIPTOR_H
#define NV_BASE_DESCRIPTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_json.h"

/* Most annotations one descriptor may carry. */
#define NV_DESCRIPTOR_MAX_ANNOTATIONS 256

typedef struct nv_descriptor {
  char *media_type;
  char *digest; /* validated "alg:hex" */
  uint64_t size;
  char *artifact_type; /* NULL when absent */
  char **annotation_keys;
  char **annotation_values;
  size_t annotation_count;
} nv_descriptor;

void nv_descriptor_init(nv_descriptor *desc);
void nv_descriptor_free(nv_descriptor *desc);

/* Read a descriptor object: mediaType, digest and size required; digest
 * must be a valid digest string; annotations, if present, an object of
 * strings; other members are ignored (as OCI requires). Errors are the base
 * JSON / digest codes with a message naming the member; `out` is freed and
 * re-initialised on failure. */
nv_status nv_descriptor_from_json(const nv_json *obj, nv_descriptor *out, nv_diag *d);

/* The value of an annotation, or NULL. */
const char *nv_descriptor_annotation(const nv_descriptor *desc, const char *key);

/* The OCI equality used to bind a signature to an artifact: same media
 * type, digest and size (artifactType and annotations are not compared). */
bool nv_descriptor_equal(const nv_descriptor *a, const nv_descriptor *b);

#endif /* NV_BASE_DESCRIPTOR_H */
