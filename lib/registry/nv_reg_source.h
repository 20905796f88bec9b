/*
 * Where nv_verify() finds an artifact and its signatures: an OCI image
 * layout directory (layout.c) or, with the registry client, a remote
 * registry. One interface, so the verification loop in lib/verify is the
 * same for both and every source applies the same rules: sizes checked
 * before anything is read, digests checked on every byte fetched.
 */
#ifndef NV_REGISTRY_SOURCE_H
#define NV_REGISTRY_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include "base/nv_descriptor.h"
#include "base/nv_diag.h"
#include "registry/nv_reg_manifest.h"

/* What a fetch is for: selects the status codes of its failures. */
typedef enum nv_reg_fetch_kind {
  /* NV_E_CONTENT_TOO_LARGE, NV_E_CONTENT_DIGEST_MISMATCH,
   * NV_E_ARTIFACT_NOT_FOUND, NV_E_OCI_LAYOUT_INVALID (not a regular file),
   * NV_E_IO, NV_E_DIGEST_FORMAT / NV_E_DIGEST_UNSUPPORTED */
  NV_REG_FETCH_CONTENT = 0,
  /* NV_E_SIG_MANIFEST_TOO_LARGE, NV_E_SIG_DIGEST_MISMATCH, and
   * NV_E_SIG_FETCH_FAILED for everything else */
  NV_REG_FETCH_SIG_MANIFEST = 1,
  /* NV_E_SIG_BLOB_TOO_LARGE, NV_E_SIG_DIGEST_MISMATCH, NV_E_SIG_FETCH_FAILED */
  NV_REG_FETCH_SIG_BLOB = 2
} nv_reg_fetch_kind;

typedef struct nv_reg_source nv_reg_source;

typedef struct nv_reg_source_ops {
  /* The artifact's descriptor (a deep copy into `out`). */
  nv_status (*resolve)(nv_reg_source *s, nv_descriptor *out, nv_diag *d);
  /* The signature-manifest descriptors of `subject`, in the order they
   * are to be tried, into a list initialised with the attempt limit. */
  nv_status (*list_signatures)(nv_reg_source *s, const nv_descriptor *subject,
                               nv_reg_sig_list *list, nv_diag *d);
  /* The content `desc` names, at most max_bytes, digest-checked; *data is
   * malloc'ed with one NUL after the content. */
  nv_status (*fetch)(nv_reg_source *s, const nv_descriptor *desc, size_t max_bytes,
                     nv_reg_fetch_kind kind, uint8_t **data, size_t *len, nv_diag *d);
  void (*close)(nv_reg_source *s);
} nv_reg_source_ops;

struct nv_reg_source {
  const nv_reg_source_ops *ops;
  const char *tag; /* the reference's tag, NULL for a digest reference */
  const char *name; /* the reference without tag or digest, for messages */
};

/* An OCI image layout reference "PATH:tag" or "PATH@<digest>"
 * (nv_reg_layout_ref_parse rules), opened with nv_reg_layout_open(). */
nv_status nv_reg_source_open_layout(const char *reference, nv_reg_source **out, nv_diag *d);

/* Release a source (NULL does nothing). */
void nv_reg_source_close(nv_reg_source *s);

#endif /* NV_REGISTRY_SOURCE_H */
