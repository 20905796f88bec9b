/*
 * An OCI image layout directory as an offline source of artifacts and
 * signatures (https://github.com/opencontainers/image-spec, image-layout):
 *
 *   oci-layout     {"imageLayoutVersion":"1.0.0"}
 *   index.json     an image index; tags are the
 *                  "org.opencontainers.image.ref.name" annotations
 *   blobs/<alg>/<hex>
 *
 * Files are read only if they are regular files reached without following
 * a symbolic link (every component below the layout directory is opened
 * with O_NOFOLLOW relative to the directory, then checked with fstat()),
 * and only after their size has been checked against the limit. Blob paths
 * are built from a validated digest (sha256/sha384/sha512 and lowercase
 * hex of the right length), so no digest can name a path outside blobs/.
 * The layout directory itself may be reached through a symlink: it is the
 * user's own argument.
 *
 * A layout handle holds an open descriptor of the directory (later renames
 * of the path do not matter) and index.json as read once by
 * nv_reg_layout_open(); it is not changed afterwards, so several threads
 * may use one handle, each with its own nv_diag.
 */
#ifndef NV_REGISTRY_LAYOUT_H
#define NV_REGISTRY_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_descriptor.h"
#include "base/nv_diag.h"
#include "registry/nv_reg_manifest.h"
#include "registry/nv_reg_source.h"

/* The oci-layout file is a few dozen bytes; more is refused. */
#define NV_REG_LAYOUT_FILE_MAX_BYTES ((size_t)4096)


/* ---- references ---- */

/* "PATH:tag" or "PATH@<alg>:<hex>". */
typedef struct nv_reg_layout_ref {
  char *path;
  char *tag;    /* NULL for a digest reference */
  char *digest; /* NULL for a tag reference */
} nv_reg_layout_ref;

/* Split a reference the way notation does: at the LAST '@' (the rest is a
 * digest), or, when there is none, at the LAST ':' that comes after the
 * last '/' (the rest is a tag). The path must be non-empty; a tag must
 * match [A-Za-z0-9_][A-Za-z0-9._-]{0,127}; a digest must parse
 * (nv_digest_parse). Any failure is NV_E_REFERENCE_INVALID, with the
 * reason in the message. `out` is left zeroed on failure. */
nv_status nv_reg_layout_ref_parse(const char *ref, nv_reg_layout_ref *out, nv_diag *d);
void nv_reg_layout_ref_free(nv_reg_layout_ref *r);

/* ---- the layout ---- */

typedef struct nv_reg_layout nv_reg_layout;

/* Open the layout at `path`: the directory (NV_E_NOT_FOUND when missing,
 * NV_E_PERMISSION when access is denied, NV_E_OCI_LAYOUT_INVALID when not
 * a directory), then oci-layout (at most NV_REG_LAYOUT_FILE_MAX_BYTES, a
 * JSON object with "imageLayoutVersion" exactly "1.0.0") and index.json
 * (at most NV_LIMIT_MANIFEST_BYTES, nv_reg_index_parse rules). A missing,
 * non-regular (symlink, directory, FIFO) or malformed file, a wrong
 * version, too many entries: NV_E_OCI_LAYOUT_INVALID, the message naming
 * the file and the reason. NV_E_NOMEM, NV_E_IO. */
nv_status nv_reg_layout_open(const char *path, nv_reg_layout **out, nv_diag *d);
void nv_reg_layout_close(nv_reg_layout *l);

/* index.json as parsed (owned by the layout). */
const nv_reg_index *nv_reg_layout_index(const nv_reg_layout *l);

/* Resolve ref->tag or ref->digest (ref->path is not used) to the
 * artifact's descriptor (a deep copy; free with nv_descriptor_free()).
 *   tag:    the index.json entry whose ref.name annotation equals the tag.
 *           None: NV_E_ARTIFACT_NOT_FOUND; more than one entry with the
 *           tag: NV_E_OCI_LAYOUT_INVALID (ambiguous).
 *   digest: the index.json entries with that digest (entries that
 *           disagree on mediaType or size: NV_E_OCI_LAYOUT_INVALID); if
 *           none, the blob itself: read (at most NV_LIMIT_MANIFEST_BYTES,
 *           digest verified), its JSON "mediaType" member is the media
 *           type (absent or not a string: NV_E_RESOLVE_FAILED) and the
 *           file size the size. The resolved digest must equal the one
 *           asked for: NV_E_RESOLVED_DIGEST_MISMATCH.
 * Either way the blob must exist (NV_E_ARTIFACT_NOT_FOUND) as a regular
 * file (NV_E_OCI_LAYOUT_INVALID) of the descriptor's size, at most
 * NV_LIMIT_MANIFEST_BYTES (NV_E_CONTENT_TOO_LARGE), whose content hashes to
 * the digest (NV_E_CONTENT_DIGEST_MISMATCH): the verdict is about the
 * bytes in the layout, not only about what index.json says.
 * Tags are mutable: callers should warn and use the digest afterwards. */
nv_status nv_reg_layout_resolve(const nv_reg_layout *l, const nv_reg_layout_ref *ref,
                                nv_descriptor *out, nv_diag *d);

/* Read the blob `desc` names. In this order: the digest is validated; the
 * descriptor's size must be <= max_bytes (too-large code, before any file
 * is opened); the file is opened without following symlinks and must be a
 * regular file whose size (fstat) equals the descriptor's (mismatch code;
 * a file over max_bytes is too-large), checked before anything is read or
 * allocated; the bytes read must hash to the digest (mismatch code). On
 * success *data (malloc'ed, free() it; one extra NUL byte after the
 * content) and *len hold the content; on failure *data is NULL. */
nv_status nv_reg_layout_fetch(const nv_reg_layout *l, const nv_descriptor *desc,
                              size_t max_bytes, nv_reg_fetch_kind kind, uint8_t **data,
                              size_t *len, nv_diag *d);

/* List the signature-manifest descriptors of `subject` into `list`
 * (initialised by the caller with nv_reg_sig_list_init(list, max), max > 0
 * being the signature attempt limit), in this order, de-duplicated by
 * digest:
 *   (a) predecessors: each index.json entry, in index order, whose
 *       mediaType is a manifest type and whose size is within
 *       NV_LIMIT_MANIFEST_BYTES, is read (digest verified) and parsed; it
 *       is listed when its subject equals `subject` (mediaType, digest,
 *       size) and it passes the artifactType / config.mediaType rule of
 *       notary-spec.md 2.1 (notation-go's layout rule). Its listed
 *       descriptor is the index entry's mediaType/digest/size with the
 *       manifest's artifact type and annotations, as a Referrers API
 *       response would show it. Entries that cannot be read or parsed, or
 *       that claim the signature type but break the rule, are skipped
 *       with a warning: they are not known to be signatures of `subject`;
 *   (b) the referrers tag schema: the index.json entry tagged
 *       "<alg>-<hex of the subject digest>", when present, is read (at
 *       most NV_LIMIT_REFERRERS_PAGE_BYTES, digest verified), parsed as an
 *       image index and filtered with nv_reg_index_filter_signatures()
 *       (so an entry pointing back at the subject is listed with status
 *       NV_E_SIG_MANIFEST_SUBJECT). Its entries are not fetched here.
 * Entries that repeat an earlier entry's mediaType, digest and size are
 * not read again; (a) reads at most NV_LIMIT_LAYOUT_SCAN_BYTES in all.
 * The list never grows beyond list->max: once it is full nothing more is
 * read, except the one referrers index (to tell whether it lists more).
 * list->truncated is set when (a) stopped with manifest entries left
 * unexamined, or (b) had a further candidate: there may be more signatures
 * than listed.
 * Errors (the list keeps what was added): NV_E_INVALID_ARG; NV_E_LIMIT
 * when (a) would read more than NV_LIMIT_LAYOUT_SCAN_BYTES (the message
 * names the limit and the entry); the referrers tag on several entries, or
 * its index unreadable or malformed: NV_E_REFERRERS_LIST_FAILED (message
 * with the reason); NV_E_NOMEM. */
nv_status nv_reg_layout_list_signatures(const nv_reg_layout *l, const nv_descriptor *subject,
                                        nv_reg_sig_list *list, nv_diag *d);

#endif /* NV_REGISTRY_LAYOUT_H */
