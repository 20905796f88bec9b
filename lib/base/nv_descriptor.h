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

/* String annotations of a descriptor, manifest or index (keys unique: the
 * JSON layer refuses duplicate members). */
typedef struct nv_annotations {
  char **keys;
  char **values;
  size_t count;
} nv_annotations;

/* Read the optional "annotations" member of `obj` (an object of strings, at
 * most NV_DESCRIPTOR_MAX_ANNOTATIONS). `out` must be empty; on failure it
 * may hold part of the entries: free it. */
nv_status nv_annotations_from_json(const nv_json *obj, nv_annotations *out, nv_diag *d);
nv_status nv_annotations_copy(const nv_annotations *src, nv_annotations *dst, nv_diag *d);
void nv_annotations_free(nv_annotations *a);
/* The value of `key`, or NULL. */
const char *nv_annotations_get(const nv_annotations *a, const char *key);

typedef struct nv_descriptor {
  char *media_type;
  char *digest; /* validated "alg:hex" */
  uint64_t size;
  char *artifact_type; /* NULL when absent */
  nv_annotations annotations;
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

/* A deep copy; `dst` is initialised by the call (and freed on failure). */
nv_status nv_descriptor_copy(nv_descriptor *dst, const nv_descriptor *src, nv_diag *d);

/* The OCI equality used to bind a signature to an artifact: same media
 * type, digest and size (artifactType and annotations are not compared). */
bool nv_descriptor_equal(const nv_descriptor *a, const nv_descriptor *b);

#endif /* NV_BASE_DESCRIPTOR_H */
