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
#include "registry/nv_reg_ref.h"

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

/* The Referrers API pages read for one subject at most; a registry that
 * keeps sending "next" links beyond this fails the listing
 * (NV_E_REFERRERS_LIST_FAILED). A page holds many entries and the list
 * stops at the attempt limit anyway, so real registries stay far below. */
#define NV_REG_MAX_REFERRERS_PAGES 64

typedef struct nv_reg_client nv_reg_client; /* registry/nv_reg_client.h */

/* A repository of a remote registry (lib/registry/remote.c), reached
 * through `client` (the context's: settings, connections, tokens), for a
 * parsed reference. The client's time budget starts now.
 *   resolve: GET of the manifest by tag or digest (at most
 *     NV_LIMIT_MANIFEST_BYTES); its media type is the Content-Type, its
 *     digest the hash of the bytes received (in the algorithm of the
 *     reference's digest, else of Docker-Content-Digest, else sha256).
 *     A digest reference must get exactly that digest back, and a
 *     Docker-Content-Digest header must agree with the bytes:
 *     NV_E_RESOLVED_DIGEST_MISMATCH (CVE-2023-33959) /
 *     NV_E_CONTENT_DIGEST_MISMATCH. 404: NV_E_ARTIFACT_NOT_FOUND.
 *   list_signatures: the Referrers API with the artifactType filter, every
 *     page filtered again here, "next" Links followed on the same origin
 *     up to NV_REG_MAX_REFERRERS_PAGES; when the registry does not serve
 *     the API (404 other than NAME_UNKNOWN, 401 without a challenge, 200
 *     that is not an image index), the referrers tag schema
 *     ("<alg>-<hex>"; 404: no signatures). What worked is remembered per
 *     registry in the client (mode NV_REFERRERS_AUTO).
 *   fetch: manifests by digest from /manifests/, the rest from /blobs/,
 *     at most the descriptor's size (a bigger body is stopped at the
 *     first byte too many), digest-checked.
 * Network, time-out, TLS, authentication and credential failures keep
 * their own codes (NV_E_NETWORK, NV_E_TIMEOUT, NV_E_TLS,
 * NV_E_REGISTRY_AUTH, NV_E_REGISTRY_DENIED, NV_E_CREDENTIALS,
 * NV_E_CALLBACK): they are not a signature's fault. */
nv_status nv_reg_source_open_remote(nv_reg_client *client, const nv_reg_ref *ref,
                                    nv_reg_source **out, nv_diag *d);

/* The HTTP requests a remote source has sent (every redirect hop and
 * token request counted); 0 for other sources. */
uint32_t nv_reg_source_request_count(const nv_reg_source *s);

/* Release a source (NULL does nothing). */
void nv_reg_source_close(nv_reg_source *s);

#endif /* NV_REGISTRY_SOURCE_H */
