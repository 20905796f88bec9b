/*
 * OCI manifests and image indexes as a verifier meets them: signature
 * manifests (notary-spec.md 2.1, 2.3), referrers indexes (2.2) and the
 * index.json of an OCI image layout.
 *
 * Every parser checks its size limit before parsing, parses through the
 * strict JSON layer (duplicate members, trailing bytes and invalid UTF-8
 * are refused) and bounds the number of entries it keeps. Unknown members
 * are ignored, as the OCI image specification requires.
 */
#ifndef NV_REGISTRY_MANIFEST_H
#define NV_REGISTRY_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_descriptor.h"
#include "base/nv_diag.h"

/* notary-spec.md section 20 */
#define NV_REG_MT_IMAGE_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define NV_REG_MT_ARTIFACT_MANIFEST "application/vnd.oci.artifact.manifest.v1+json"
#define NV_REG_MT_IMAGE_INDEX "application/vnd.oci.image.index.v1+json"
#define NV_REG_MT_EMPTY "application/vnd.oci.empty.v1+json"
#define NV_REG_ARTIFACT_TYPE_SIGNATURE "application/vnd.cncf.notary.signature"
#define NV_REG_ANN_REF_NAME "org.opencontainers.image.ref.name"
#define NV_REG_ANN_FILTERS_APPLIED "org.opencontainers.referrers.filtersApplied"
#define NV_REG_ANN_THUMBPRINT "io.cncf.notary.x509chain.thumbprint#S256"

/* Counted limits: a manifest keeps at most this many layers (or blobs), an
 * index at most this many manifests; more is NV_E_LIMIT. Both are far
 * beyond real documents (a signature manifest has one layer, a referrers
 * page a few dozen entries) and bound the memory a 4 MiB document costs. */
#define NV_REG_MAX_LAYERS 1000
#define NV_REG_MAX_INDEX_ENTRIES 10000


typedef enum nv_reg_manifest_kind {
  NV_REG_MANIFEST_NONE = 0,
  NV_REG_MANIFEST_IMAGE = 1,   /* application/vnd.oci.image.manifest.v1+json */
  NV_REG_MANIFEST_ARTIFACT = 2 /* legacy application/vnd.oci.artifact.manifest.v1+json */
} nv_reg_manifest_kind;

typedef struct nv_reg_manifest {
  nv_reg_manifest_kind kind;
  char *media_type;    /* the document's "mediaType"; NULL when absent */
  char *artifact_type; /* NULL when absent (may be "" when written so) */
  bool has_config;     /* image manifests always have one */
  nv_descriptor config;
  nv_descriptor *layers; /* "layers" (image) or "blobs" (artifact), in order */
  size_t layer_count;
  bool has_subject;
  nv_descriptor subject;
  nv_annotations annotations;
} nv_reg_manifest;

void nv_reg_manifest_init(nv_reg_manifest *m);
void nv_reg_manifest_free(nv_reg_manifest *m);

/* Parse an image manifest or a legacy artifact manifest.
 *
 * `media_type_hint` is the media type the caller expects (the descriptor's
 * mediaType), or NULL. The kind comes from the document's "mediaType"
 * member; when that is absent (image-spec allows it), from the hint. If
 * both are present they must be equal.
 *
 * Rules: `len` <= NV_LIMIT_MANIFEST_BYTES, checked first
 * (NV_E_CONTENT_TOO_LARGE); the JSON layer's errors (NV_E_JSON_*,
 * NV_E_LIMIT); the top level must be an object (NV_E_JSON_TYPE);
 * "schemaVersion", when present, must be 2 (NV_E_PARSE); a media type that
 * is neither manifest type, or no media type at all, is NV_E_UNSUPPORTED; a
 * document media type different from the hint is NV_E_PARSE. Image
 * manifests need "config" (a descriptor) and "layers" (an array of
 * descriptors); artifact manifests have an optional "blobs" array and no
 * config. "subject" and "annotations" (an object of strings) are optional.
 * More than NV_REG_MAX_LAYERS layers or NV_DESCRIPTOR_MAX_ANNOTATIONS
 * annotations: NV_E_LIMIT. Descriptor errors are the base layer's
 * (NV_E_JSON_*, NV_E_DIGEST_*), with the member named in the message.
 * `out` is initialised first and left initialised on failure. */
nv_status nv_reg_manifest_parse(const void *data, size_t len, const char *media_type_hint,
                                nv_reg_manifest *out, nv_diag *d);

/* The artifact type a registry reports for the manifest in a referrers
 * listing: "artifactType" when non-empty, else the config's media type
 * (image manifests), else NULL. */
const char *nv_reg_manifest_artifact_type(const nv_reg_manifest *m);

/* ---- image index ---- */

typedef struct nv_reg_index {
  char *media_type;    /* NULL when absent */
  char *artifact_type; /* NULL when absent */
  nv_descriptor *manifests;
  size_t manifest_count;
  nv_annotations annotations;
  /* the org.opencontainers.referrers.filtersApplied annotation lists
   * "artifactType" (comma separated, surrounding blanks ignored) */
  bool filters_applied_artifact_type;
} nv_reg_index;

void nv_reg_index_init(nv_reg_index *idx);
void nv_reg_index_free(nv_reg_index *idx);

/* Parse an image index (a referrers response, a referrers tag schema
 * index, an OCI layout's index.json). `max_bytes` is the caller's limit
 * (NV_LIMIT_REFERRERS_PAGE_BYTES for referrers, NV_LIMIT_MANIFEST_BYTES for
 * index.json), checked first: NV_E_CONTENT_TOO_LARGE. "mediaType", when
 * present, must be the image index type (NV_E_UNSUPPORTED);
 * "schemaVersion", when present, must be 2 (NV_E_PARSE); "manifests" is
 * required, an array of at most NV_REG_MAX_INDEX_ENTRIES descriptors
 * (NV_E_LIMIT beyond). Other errors as nv_reg_manifest_parse(). */
nv_status nv_reg_index_parse(const void *data, size_t len, size_t max_bytes, nv_reg_index *out,
                             nv_diag *d);

/* ---- signature candidates ---- */

/* One signature-manifest descriptor found for a subject, in the order
 * found. `status` is NV_OK for a usable candidate; otherwise the entry is
 * known to be bad and `status` is the per-signature code to record for it
 * (it still counts as an attempt). */
typedef struct nv_reg_sig_candidate {
  nv_descriptor desc;
  nv_status status;
} nv_reg_sig_candidate;

/* A bounded list of candidates. `max` (> 0) is the signature attempt
 * limit: the list never holds more entries than that. `truncated` is set
 * when a listing stopped at `max` while more candidates were, or may have
 * been, there (see each producer). */
typedef struct nv_reg_sig_list {
  nv_reg_sig_candidate *items;
  size_t count;
  size_t cap; /* allocated entries (internal) */
  size_t max;
  bool truncated;
} nv_reg_sig_list;

void nv_reg_sig_list_init(nv_reg_sig_list *list, size_t max);
void nv_reg_sig_list_free(nv_reg_sig_list *list);
/* The list holds `max` entries. */
bool nv_reg_sig_list_full(const nv_reg_sig_list *list);
/* An entry with this digest is in the list. */
bool nv_reg_sig_list_contains(const nv_reg_sig_list *list, const char *digest);
/* Append a deep copy of `desc` with `status`. NV_E_LIMIT when full,
 * NV_E_NOMEM. Duplicates are not checked here. */
nv_status nv_reg_sig_list_add(nv_reg_sig_list *list, const nv_descriptor *desc, nv_status status,
                              nv_diag *d);

/* Append the signature entries of a referrers index (a Referrers API page
 * or the referrers tag schema index) for the subject whose digest is
 * `subject_digest`, in index order:
 *   - entries whose artifactType is not application/vnd.cncf.notary.signature
 *     are skipped (client-side filtering, also when the server says it
 *     filtered: it costs nothing and a server may lie);
 *   - an entry whose digest is already in the list is skipped (pages and
 *     sources may overlap);
 *   - an entry whose digest is the subject's own digest (an index that
 *     points back at the subject, oras-go#1396) is not followed: it is
 *     added with status NV_E_SIG_MANIFEST_SUBJECT and a warning is logged,
 *     so it is reported as a failed signature while the other entries are
 *     kept;
 *   - once the list is full, the next candidate sets `truncated` and the
 *     walk stops.
 * Fails only on NV_E_NOMEM / NV_E_INVALID_ARG; the entries added so far
 * stay in the list. */
nv_status nv_reg_index_filter_signatures(const nv_reg_index *idx, const char *subject_digest,
                                         nv_reg_sig_list *list, nv_diag *d);

/* ---- signature manifest rules (notary-spec.md 2.1, 2.3) ---- */

/* Checks on the descriptor before anything is fetched (2.3 steps 2-3):
 * mediaType must be the image manifest or the legacy artifact manifest
 * type (NV_E_SIG_MANIFEST_MEDIATYPE); size <= NV_LIMIT_MANIFEST_BYTES
 * (NV_E_SIG_MANIFEST_TOO_LARGE). */
nv_status nv_reg_sig_manifest_check_descriptor(const nv_descriptor *desc, nv_diag *d);

/* The artifactType / config.mediaType rule of notary-spec.md 2.1: image
 * manifests need either (a) artifactType ==
 * application/vnd.cncf.notary.signature and config.mediaType ==
 * application/vnd.oci.empty.v1+json, or (b) no artifactType (absent or "",
 * as notation-go reads it) and config.mediaType ==
 * application/vnd.cncf.notary.signature; legacy artifact manifests need
 * artifactType == the signature type. Otherwise
 * NV_E_SIG_MANIFEST_ARTIFACT_TYPE. */
nv_status nv_reg_sig_manifest_check_artifact_type(const nv_reg_manifest *m, nv_diag *d);

/* Do not apply the artifactType / config.mediaType rule (notation-go does
 * not check it on the Referrers API path). */
#define NV_REG_SIG_ANY_ARTIFACT_TYPE 0x1u

typedef struct nv_reg_sig_manifest {
  nv_reg_manifest manifest;
  const nv_descriptor *envelope;   /* &manifest.layers[0] */
  const char *envelope_media_type; /* envelope->media_type: selects JWS or COSE */
} nv_reg_sig_manifest;

void nv_reg_sig_manifest_init(nv_reg_sig_manifest *s);
void nv_reg_sig_manifest_free(nv_reg_sig_manifest *s);

/* Validate fetched signature-manifest bytes against their descriptor and
 * the signature-manifest rules, in this order, each with its own code:
 *   1. nv_reg_sig_manifest_check_descriptor(desc);
 *   2. `len` equals desc->size and the bytes hash to desc->digest
 *      (NV_E_SIG_DIGEST_MISMATCH), so the function is safe to use on bytes
 *      from any source;
 *   3. parse (nv_reg_manifest_parse with the descriptor's media type as the
 *      hint); a parse error becomes NV_E_SIG_MANIFEST_PARSE (the message
 *      keeps the detail), a document mediaType other than the descriptor's
 *      NV_E_SIG_MANIFEST_MEDIATYPE;
 *   4. exactly one layer (blob): NV_E_SIG_MANIFEST_LAYER_COUNT "signature
 *      manifest requires exactly one signature envelope blob";
 *   5. layer size <= NV_LIMIT_ENVELOPE_BYTES: NV_E_SIG_BLOB_TOO_LARGE;
 *   6. unless NV_REG_SIG_ANY_ARTIFACT_TYPE:
 *      nv_reg_sig_manifest_check_artifact_type() (NV_E_SIG_MANIFEST_ARTIFACT_TYPE);
 *   7. if `target` is not NULL: a subject equal to it (mediaType, digest,
 *      size), else NV_E_SIG_MANIFEST_SUBJECT (the layout / tag-schema path).
 * On success `out` holds the manifest and points at the envelope layer;
 * on failure it is left initialised. */
nv_status nv_reg_sig_manifest_parse(const nv_descriptor *desc, const void *data, size_t len,
                                    const nv_descriptor *target, unsigned flags,
                                    nv_reg_sig_manifest *out, nv_diag *d);


#endif /* NV_REGISTRY_MANIFEST_H */
