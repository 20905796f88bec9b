#include "registry/nv_reg_layout.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/nv_digest.h"
#include "base/nv_json.h"
#include "base/nv_limits.h"

#define COMPONENT "registry"

/* Longest reference accepted (a path plus a tag or digest). */
#define REF_MAX_BYTES 4096
#define TAG_MAX_BYTES 128

struct nv_reg_layout {
  int dir_fd;
  nv_reg_index index;
};

/* ------------------------------------------------------------------ */
/* references                                                          */

void nv_reg_layout_ref_free(nv_reg_layout_ref *r)
{
  if (r == NULL)
    return;
  free(r->path);
  free(r->tag);
  free(r->digest);
  memset(r, 0, sizeof(*r));
}

static bool tag_char(char c, bool first)
{
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
    return true;
  return !first && (c == '.' || c == '-');
}

/* OCI distribution tag grammar: [A-Za-z0-9_][A-Za-z0-9._-]{0,127} */
static bool valid_tag(const char *s, size_t len)
{
  if (len == 0 || len > TAG_MAX_BYTES)
    return false;
  for (size_t i = 0; i < len; i++)
    if (!tag_char(s[i], i == 0))
      return false;
  return true;
}

static char *dup_range(const char *s, size_t len)
{
  char *p = malloc(len + 1);
  if (p != NULL) {
    memcpy(p, s, len);
    p[len] = '\0';
  }
  return p;
}

nv_status nv_reg_layout_ref_parse(const char *ref, nv_reg_layout_ref *out, nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "layout reference: no output");
  memset(out, 0, sizeof(*out));
  if (ref == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "layout reference: NULL");
  size_t len = strnlen(ref, REF_MAX_BYTES + 1);
  if (len > REF_MAX_BYTES)
    return nv_diag_set(d, NV_E_REFERENCE_INVALID, "layout reference longer than %d bytes",
                       REF_MAX_BYTES);
  nv_quoted q = nv_quote(ref, len);
  const char *at = strrchr(ref, '@');
  const char *sep;
  bool is_digest = at != NULL;
  if (is_digest) {
    sep = at;
  } else {
    const char *colon = strrchr(ref, ':');
    const char *slash = strrchr(ref, '/');
    if (colon == NULL || (slash != NULL && colon < slash))
      return nv_diag_set(d, NV_E_REFERENCE_INVALID,
                         "layout reference \"%s\" has no tag (PATH:tag) or digest (PATH@digest)",
                         q.s);
    sep = colon;
  }
  size_t path_len = (size_t)(sep - ref);
  const char *rest = sep + 1;
  size_t rest_len = len - path_len - 1;
  if (path_len == 0)
    return nv_diag_set(d, NV_E_REFERENCE_INVALID, "layout reference \"%s\" has an empty path",
                       q.s);
  if (is_digest) {
    nv_digest dg;
    nv_status rc = nv_digest_parse(rest, rest_len, &dg, d);
    if (rc != NV_OK)
      return nv_diag_wrap(d, NV_E_REFERENCE_INVALID, "layout reference \"%s\": ", q.s);
  } else if (!valid_tag(rest, rest_len)) {
    return nv_diag_set(d, NV_E_REFERENCE_INVALID,
                       "layout reference \"%s\": invalid tag (expected "
                       "[A-Za-z0-9_][A-Za-z0-9._-]{0,127})",
                       q.s);
  }
  out->path = dup_range(ref, path_len);
  char *r = dup_range(rest, rest_len);
  if (is_digest)
    out->digest = r;
  else
    out->tag = r;
  if (out->path == NULL || r == NULL) {
    nv_reg_layout_ref_free(out);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* reading regular files without following symlinks                   */

typedef enum rd_result {
  RD_OK,
  RD_MISSING,
  RD_NOT_REGULAR, /* symlink, directory, FIFO, ... */
  RD_TOO_LARGE,
  RD_CHANGED, /* the file's length differed from its fstat size */
  RD_ERROR    /* errno in *err */
} rd_result;

static rd_result open_regular_at(int dfd, const char *name, int *fd_out, struct stat *st, int *err)
{
  *fd_out = -1;
  *err = 0;
  int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    *err = errno;
    if (errno == ENOENT)
      return RD_MISSING;
    if (errno == ELOOP || errno == ENXIO)
      return RD_NOT_REGULAR;
    return RD_ERROR;
  }
  if (fstat(fd, st) != 0) {
    *err = errno;
    close(fd);
    return RD_ERROR;
  }
  if (!S_ISREG(st->st_mode)) {
    close(fd);
    return RD_NOT_REGULAR;
  }
  *fd_out = fd;
  return RD_OK;
}

/* Read exactly `size` bytes from `fd` into a new buffer (plus a NUL).
 * One byte more is asked for, to notice a file that grew. */
static rd_result read_exact(int fd, size_t size, uint8_t **data, int *err)
{
  *data = NULL;
  *err = 0;
  size_t cap = size + 1;
  uint8_t *buf = malloc(cap);
  if (buf == NULL) {
    *err = ENOMEM;
    return RD_ERROR;
  }
  size_t got = 0;
  while (got < cap) {
    ssize_t n = read(fd, buf + got, cap - got);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      *err = errno;
      free(buf);
      return RD_ERROR;
    }
    if (n == 0)
      break;
    got += (size_t)n;
  }
  if (got != size) {
    free(buf);
    return RD_CHANGED;
  }
  buf[size] = '\0';
  *data = buf;
  return RD_OK;
}

/* A small top-level file of the layout (oci-layout, index.json). */
static nv_status read_layout_file(int dfd, const char *name, size_t limit, uint8_t **data,
                                  size_t *len, nv_diag *d)
{
  *data = NULL;
  *len = 0;
  int fd, err;
  struct stat st;
  rd_result r = open_regular_at(dfd, name, &fd, &st, &err);
  if (r == RD_MISSING)
    return nv_diag_set(d, NV_E_OCI_LAYOUT_INVALID, "%s is missing", name);
  if (r == RD_NOT_REGULAR)
    return nv_diag_set(d, NV_E_OCI_LAYOUT_INVALID, "%s is not a regular file (or is a symlink)",
                       name);
  if (r == RD_ERROR)
    return nv_diag_set(d, err == EACCES ? NV_E_PERMISSION : NV_E_IO, "%s: %s", name,
                       strerror(err));
  if (st.st_size < 0 || (uintmax_t)st.st_size > limit) {
    close(fd);
    return nv_diag_set(d, NV_E_OCI_LAYOUT_INVALID, "%s is larger than %zu bytes", name, limit);
  }
  uint8_t *buf = NULL;
  r = read_exact(fd, (size_t)st.st_size, &buf, &err);
  close(fd);
  if (r == RD_CHANGED)
    return nv_diag_set(d, NV_E_IO, "%s changed while being read", name);
  if (r != RD_OK)
    return nv_diag_set(d, err == ENOMEM ? NV_E_NOMEM : NV_E_IO, "%s: %s", name, strerror(err));
  *data = buf;
  *len = (size_t)st.st_size;
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* open                                                                */

static nv_status check_oci_layout(int dfd, nv_diag *d)
{
  uint8_t *data = NULL;
  size_t len = 0;
  nv_status rc = read_layout_file(dfd, "oci-layout", NV_REG_LAYOUT_FILE_MAX_BYTES, &data, &len, d);
  if (rc != NV_OK)
    return rc;
  nv_json *root = NULL;
  rc = nv_json_parse(data, len, NV_REG_LAYOUT_FILE_MAX_BYTES, "oci-layout", &root, d);
  free(data);
  if (rc != NV_OK)
    return nv_diag_wrap(d, NV_E_OCI_LAYOUT_INVALID, "oci-layout: ");
  const char *version = NULL;
  if (nv_json_type_of(root) != NV_JSON_OBJECT)
    rc = nv_diag_set(d, NV_E_OCI_LAYOUT_INVALID, "oci-layout: not a JSON object");
  else
    rc = nv_json_get_string(root, "imageLayoutVersion", true, &version, d);
  if (rc == NV_OK && strcmp(version, "1.0.0") != 0) {
    nv_quoted q = nv_quote(version, strlen(version));
    rc = nv_diag_set(d, NV_E_OCI_LAYOUT_INVALID,
                     "oci-layout: imageLayoutVersion \"%s\" is not supported (expected 1.0.0)",
                     q.s);
  } else if (rc != NV_OK && rc != NV_E_OCI_LAYOUT_INVALID) {
    rc = nv_diag_wrap(d, NV_E_OCI_LAYOUT_INVALID, "oci-layout: ");
  }
  nv_json_free(root);
  return rc;
}

static nv_status load_index(int dfd, nv_reg_index *idx, nv_diag *d)
{
  uint8_t *data = NULL;
  size_t len = 0;
  nv_status rc = read_layout_file(dfd, "index.json", NV_LIMIT_MANIFEST_BYTES, &data, &len, d);
  if (rc != NV_OK)
    return rc;
  rc = nv_reg_index_parse(data, len, NV_LIMIT_MANIFEST_BYTES, idx, d);
  free(data);
  if (rc == NV_E_NOMEM)
    return rc;
  if (rc != NV_OK)
    return nv_diag_wrap(d, NV_E_OCI_LAYOUT_INVALID, "index.json: ");
  return NV_OK;
}

nv_status nv_reg_layout_open(const char *path, nv_reg_layout **out, nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "OCI layout: no output");
  *out = NULL;
  if (path == NULL || path[0] == '\0')
    return nv_diag_set(d, NV_E_INVALID_ARG, "OCI layout: no path");
  int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) {
    int e = errno;
    nv_quoted q = nv_quote(path, strlen(path));
    nv_status code = e == ENOENT   ? NV_E_NOT_FOUND
                     : e == EACCES ? NV_E_PERMISSION
                     : e == ENOTDIR ? NV_E_OCI_LAYOUT_INVALID
                                    : NV_E_IO;
    return nv_diag_set(d, code, "OCI layout \"%s\": %s", q.s, strerror(e));
  }
  nv_reg_layout *l = calloc(1, sizeof(*l));
  if (l == NULL) {
    close(dfd);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  l->dir_fd = dfd;
  nv_reg_index_init(&l->index);
  nv_status rc = check_oci_layout(dfd, d);
  if (rc == NV_OK)
    rc = load_index(dfd, &l->index, d);
  if (rc != NV_OK) {
    nv_quoted q = nv_quote(path, strlen(path));
    nv_reg_layout_close(l);
    return nv_diag_wrap(d, rc, "OCI layout \"%s\": ", q.s);
  }
  *out = l;
  return NV_OK;
}

void nv_reg_layout_close(nv_reg_layout *l)
{
  if (l == NULL)
    return;
  if (l->dir_fd >= 0)
    close(l->dir_fd);
  nv_reg_index_free(&l->index);
  free(l);
}

const nv_reg_index *nv_reg_layout_index(const nv_reg_layout *l)
{
  return l != NULL ? &l->index : NULL;
}

/* ------------------------------------------------------------------ */
/* blobs                                                               */

typedef struct fetch_codes {
  nv_status too_large;
  nv_status mismatch;
  nv_status not_found;
  nv_status invalid; /* not a regular file, symlink */
  nv_status io;
  bool keep_digest_code; /* an invalid digest keeps NV_E_DIGEST_* */
} fetch_codes;

static const fetch_codes content_codes = {NV_E_CONTENT_TOO_LARGE,  NV_E_CONTENT_DIGEST_MISMATCH,
                                          NV_E_ARTIFACT_NOT_FOUND, NV_E_OCI_LAYOUT_INVALID,
                                          NV_E_IO,                 true};
static const fetch_codes sig_manifest_codes = {NV_E_SIG_MANIFEST_TOO_LARGE, NV_E_SIG_DIGEST_MISMATCH,
                                               NV_E_SIG_FETCH_FAILED,       NV_E_SIG_FETCH_FAILED,
                                               NV_E_SIG_FETCH_FAILED,       false};
static const fetch_codes sig_blob_codes = {NV_E_SIG_BLOB_TOO_LARGE, NV_E_SIG_DIGEST_MISMATCH,
                                           NV_E_SIG_FETCH_FAILED,   NV_E_SIG_FETCH_FAILED,
                                           NV_E_SIG_FETCH_FAILED,   false};

static const fetch_codes *codes_for(nv_reg_fetch_kind kind)
{
  switch (kind) {
  case NV_REG_FETCH_SIG_MANIFEST:
    return &sig_manifest_codes;
  case NV_REG_FETCH_SIG_BLOB:
    return &sig_blob_codes;
  case NV_REG_FETCH_CONTENT:
  default:
    return &content_codes;
  }
}

static nv_status parse_blob_digest(const char *digest, const fetch_codes *c, nv_digest *dg,
                                   nv_diag *d)
{
  if (digest == NULL)
    return nv_diag_set(d, c->keep_digest_code ? NV_E_DIGEST_FORMAT : c->io,
                       "descriptor has no digest");
  nv_status rc = nv_digest_parse(digest, strlen(digest), dg, d);
  if (rc != NV_OK)
    return nv_diag_wrap(d, c->keep_digest_code ? rc : c->io, "blob: ");
  return NV_OK;
}

/* Open a directory below `dfd` without following a symlink. */
static nv_status open_subdir(int dfd, const char *name, const char *what, const fetch_codes *c,
                             int *out, nv_diag *d)
{
  *out = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (*out >= 0)
    return NV_OK;
  int e = errno;
  if (e == ENOENT)
    return nv_diag_set(d, c->not_found, "blob not found: %s does not exist", what);
  if (e == ELOOP || e == ENOTDIR)
    return nv_diag_set(d, c->invalid, "%s is not a directory (or is a symlink)", what);
  return nv_diag_set(d, c->io, "%s: %s", what, strerror(e));
}

/* Open blobs/<alg>/<hex> for the validated digest `dg` (whose text is
 * `digest`): a regular file, no symlink on the way. */
static nv_status open_blob(const nv_reg_layout *l, const nv_digest *dg, const char *digest,
                           const fetch_codes *c, int *fd_out, struct stat *st, nv_diag *d)
{
  *fd_out = -1;
  const char *alg = nv_digest_alg_name(dg->alg);
  const char *hex = strchr(digest, ':');
  if (alg == NULL || hex == NULL)
    return nv_diag_set(d, NV_E_INTERNAL, "blob: digest not validated");
  hex++;
  char what[32];
  int blobs_fd = -1, alg_fd = -1;
  nv_status rc = open_subdir(l->dir_fd, "blobs", "blobs", c, &blobs_fd, d);
  if (rc == NV_OK) {
    snprintf(what, sizeof(what), "blobs/%s", alg);
    rc = open_subdir(blobs_fd, alg, what, c, &alg_fd, d);
    close(blobs_fd);
  }
  if (rc != NV_OK)
    return rc;
  int err = 0;
  rd_result r = open_regular_at(alg_fd, hex, fd_out, st, &err);
  close(alg_fd);
  switch (r) {
  case RD_OK:
    return NV_OK;
  case RD_MISSING:
    return nv_diag_set(d, c->not_found, "blob %s not found", digest);
  case RD_NOT_REGULAR:
    return nv_diag_set(d, c->invalid, "blob %s is not a regular file (or is a symlink)", digest);
  case RD_TOO_LARGE:
  case RD_CHANGED:
  case RD_ERROR:
  default:
    return nv_diag_set(d, c->io, "blob %s: %s", digest, strerror(err));
  }
}

/* Read and verify a blob. !has_size: the size is unknown and taken from
 * the file (still at most max_bytes). budget, when not NULL: the bytes
 * this scan may still read; a file larger than that is not read
 * (NV_E_LIMIT), else its size is taken from the budget. */
static nv_status read_blob(const nv_reg_layout *l, const char *digest, bool has_size,
                           uint64_t size, size_t max_bytes, const fetch_codes *c, size_t *budget,
                           uint8_t **data, size_t *len, nv_diag *d)
{
  *data = NULL;
  *len = 0;
  nv_digest want;
  nv_status rc = parse_blob_digest(digest, c, &want, d);
  if (rc != NV_OK)
    return rc;
  if (has_size && size > max_bytes)
    return nv_diag_set(d, c->too_large, "blob %s: size %llu exceeds the limit of %zu bytes",
                       digest, (unsigned long long)size, max_bytes);
  int fd;
  struct stat st;
  rc = open_blob(l, &want, digest, c, &fd, &st, d);
  if (rc != NV_OK)
    return rc;
  if (st.st_size < 0 || (uintmax_t)st.st_size > max_bytes) {
    close(fd);
    if (has_size)
      return nv_diag_set(d, c->mismatch,
                         "blob %s: the file is %lld bytes, its descriptor says %llu", digest,
                         (long long)st.st_size, (unsigned long long)size);
    return nv_diag_set(d, c->too_large, "blob %s: %lld bytes exceed the limit of %zu bytes",
                       digest, (long long)st.st_size, max_bytes);
  }
  if (has_size && (uint64_t)st.st_size != size) {
    close(fd);
    return nv_diag_set(d, c->mismatch, "blob %s: the file is %lld bytes, its descriptor says %llu",
                       digest, (long long)st.st_size, (unsigned long long)size);
  }
  if (budget != NULL) {
    if ((size_t)st.st_size > *budget) {
      close(fd);
      return nv_diag_set(d, NV_E_LIMIT,
                         "blob %s (%lld bytes) not read: the scan of index.json for signatures "
                         "reads at most %zu bytes of manifests (NV_LIMIT_LAYOUT_SCAN_BYTES)",
                         digest, (long long)st.st_size, (size_t)NV_LIMIT_LAYOUT_SCAN_BYTES);
    }
    *budget -= (size_t)st.st_size;
  }
  uint8_t *buf = NULL;
  int err = 0;
  rd_result r = read_exact(fd, (size_t)st.st_size, &buf, &err);
  close(fd);
  if (r == RD_CHANGED)
    return nv_diag_set(d, c->mismatch, "blob %s changed size while being read", digest);
  if (r != RD_OK) {
    if (err == ENOMEM)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory");
    return nv_diag_set(d, c->io, "blob %s: %s", digest, strerror(err));
  }
  nv_digest got;
  rc = nv_digest_compute(want.alg, buf, (size_t)st.st_size, &got, d);
  if (rc == NV_OK && !nv_digest_equal(&want, &got))
    rc = nv_diag_set(d, c->mismatch, "blob content does not match its digest %s", digest);
  if (rc != NV_OK) {
    free(buf);
    return rc;
  }
  *data = buf;
  *len = (size_t)st.st_size;
  return NV_OK;
}

nv_status nv_reg_layout_fetch(const nv_reg_layout *l, const nv_descriptor *desc,
                              size_t max_bytes, nv_reg_fetch_kind kind, uint8_t **data,
                              size_t *len, nv_diag *d)
{
  if (data != NULL)
    *data = NULL;
  if (len != NULL)
    *len = 0;
  if (l == NULL || desc == NULL || data == NULL || len == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "layout fetch: NULL argument");
  return read_blob(l, desc->digest, true, desc->size, max_bytes, codes_for(kind), NULL, data, len,
                   d);
}

/* The artifact's blob: a regular file of `size` bytes whose content hashes
 * to `digest`. It is read (at most NV_LIMIT_MANIFEST_BYTES: an artifact is
 * a manifest or an index), so the verdict speaks for the bytes in the
 * layout, not only for the digest index.json names. */
static nv_status check_artifact_blob(const nv_reg_layout *l, const char *digest, uint64_t size,
                                     nv_diag *d)
{
  uint8_t *data = NULL;
  size_t len = 0;
  nv_status rc = read_blob(l, digest, true, size, NV_LIMIT_MANIFEST_BYTES, &content_codes, NULL,
                           &data, &len, d);
  free(data);
  return rc;
}

/* ------------------------------------------------------------------ */
/* resolve                                                             */

static const char *ref_name(const nv_descriptor *e)
{
  return nv_descriptor_annotation(e, NV_REG_ANN_REF_NAME);
}

/* The one index entry tagged `tag`: NULL with *count 0 when none. */
static const nv_descriptor *find_tag(const nv_reg_index *idx, const char *tag, size_t *count)
{
  const nv_descriptor *found = NULL;
  *count = 0;
  for (size_t i = 0; i < idx->manifest_count; i++) {
    const char *name = ref_name(&idx->manifests[i]);
    if (name != NULL && strcmp(name, tag) == 0) {
      if (found == NULL)
        found = &idx->manifests[i];
      (*count)++;
    }
  }
  return found;
}

static nv_status resolve_tag(const nv_reg_layout *l, const char *tag, nv_descriptor *out,
                             nv_diag *d)
{
  nv_quoted q = nv_quote(tag, strlen(tag));
  size_t n = 0;
  const nv_descriptor *e = find_tag(&l->index, tag, &n);
  if (n == 0)
    return nv_diag_set(d, NV_E_ARTIFACT_NOT_FOUND, "tag \"%s\" not found in index.json", q.s);
  if (n > 1)
    return nv_diag_set(d, NV_E_OCI_LAYOUT_INVALID,
                       "tag \"%s\" names %zu entries of index.json (ambiguous)", q.s, n);
  nv_status rc = check_artifact_blob(l, e->digest, e->size, d);
  if (rc != NV_OK)
    return nv_diag_wrap(d, rc, "tag \"%s\": ", q.s);
  return nv_descriptor_copy(out, e, d);
}

/* The media type written in an unlisted manifest blob. */
static nv_status resolve_unlisted(const nv_reg_layout *l, const char *digest, nv_descriptor *out,
                                  nv_diag *d)
{
  uint8_t *data = NULL;
  size_t len = 0;
  nv_status rc = read_blob(l, digest, false, 0, NV_LIMIT_MANIFEST_BYTES, &content_codes, NULL,
                           &data, &len, d);
  if (rc != NV_OK)
    return rc;
  nv_json *root = NULL;
  rc = nv_json_parse(data, len, NV_LIMIT_MANIFEST_BYTES, "manifest", &root, d);
  free(data);
  if (rc != NV_OK)
    return nv_diag_wrap(d, NV_E_RESOLVE_FAILED, "%s is not a manifest: ", digest);
  const char *mt = nv_json_type_of(root) == NV_JSON_OBJECT
                       ? nv_json_string(nv_json_member(root, "mediaType"))
                       : NULL;
  if (mt == NULL || mt[0] == '\0') {
    nv_json_free(root);
    return nv_diag_set(d, NV_E_RESOLVE_FAILED,
                       "%s is not listed in index.json and has no \"mediaType\"", digest);
  }
  nv_descriptor_init(out);
  out->media_type = strdup(mt);
  out->digest = strdup(digest);
  out->size = (uint64_t)len;
  nv_json_free(root);
  if (out->media_type == NULL || out->digest == NULL) {
    nv_descriptor_free(out);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  return NV_OK;
}

static nv_status resolve_digest(const nv_reg_layout *l, const char *digest, nv_descriptor *out,
                                nv_diag *d)
{
  const nv_descriptor *found = NULL;
  for (size_t i = 0; i < l->index.manifest_count; i++) {
    const nv_descriptor *e = &l->index.manifests[i];
    if (strcmp(e->digest, digest) != 0)
      continue;
    if (found == NULL) {
      found = e;
    } else if (found->size != e->size || strcmp(found->media_type, e->media_type) != 0) {
      return nv_diag_set(d, NV_E_OCI_LAYOUT_INVALID,
                         "index.json lists %s with different media types or sizes", digest);
    }
  }
  nv_status rc;
  if (found != NULL) {
    rc = check_artifact_blob(l, digest, found->size, d);
    if (rc == NV_OK)
      rc = nv_descriptor_copy(out, found, d);
  } else {
    rc = resolve_unlisted(l, digest, out, d);
  }
  return rc;
}

nv_status nv_reg_layout_resolve(const nv_reg_layout *l, const nv_reg_layout_ref *ref,
                                nv_descriptor *out, nv_diag *d)
{
  if (out != NULL)
    nv_descriptor_init(out);
  if (l == NULL || ref == NULL || out == NULL || (ref->tag == NULL) == (ref->digest == NULL))
    return nv_diag_set(d, NV_E_INVALID_ARG, "layout resolve: need a tag or a digest");
  if (ref->tag != NULL) {
    if (!valid_tag(ref->tag, strlen(ref->tag))) {
      nv_quoted q = nv_quote(ref->tag, strlen(ref->tag));
      return nv_diag_set(d, NV_E_REFERENCE_INVALID, "invalid tag \"%s\"", q.s);
    }
    return resolve_tag(l, ref->tag, out, d);
  }
  nv_digest dg;
  nv_status rc = nv_digest_parse(ref->digest, strlen(ref->digest), &dg, d);
  if (rc != NV_OK)
    return nv_diag_wrap(d, NV_E_REFERENCE_INVALID, "layout reference: ");
  rc = resolve_digest(l, ref->digest, out, d);
  if (rc != NV_OK)
    return rc;
  /* CVE-2023-33959: the descriptor must be the one asked for */
  if (out->digest == NULL || strcmp(out->digest, ref->digest) != 0) {
    nv_descriptor_free(out);
    return nv_diag_set(d, NV_E_RESOLVED_DIGEST_MISMATCH,
                       "user input digest %s does not match the resolved digest", ref->digest);
  }
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* listing signatures                                                  */

static bool is_manifest_type(const char *mt)
{
  return mt != NULL &&
         (strcmp(mt, NV_REG_MT_IMAGE_MANIFEST) == 0 || strcmp(mt, NV_REG_MT_ARTIFACT_MANIFEST) == 0);
}

/* Index entry `e` may be a predecessor of the subject, not yet listed. */
static bool predecessor_candidate(const nv_descriptor *e, const nv_descriptor *subject,
                                  const nv_reg_sig_list *list)
{
  return is_manifest_type(e->media_type) && e->size <= NV_LIMIT_MANIFEST_BYTES &&
         strcmp(e->digest, subject->digest) != 0 && !nv_reg_sig_list_contains(list, e->digest);
}

/* The listed form of a predecessor: the entry's mediaType, digest and size
 * with the manifest's artifact type and annotations. */
static nv_status predecessor_descriptor(const nv_descriptor *e, const nv_reg_manifest *m,
                                        nv_descriptor *out, nv_diag *d)
{
  nv_descriptor_init(out);
  const char *at = nv_reg_manifest_artifact_type(m);
  out->media_type = strdup(e->media_type);
  out->digest = strdup(e->digest);
  out->size = e->size;
  out->artifact_type = at != NULL ? strdup(at) : NULL;
  bool ok = out->media_type != NULL && out->digest != NULL && (at == NULL || out->artifact_type);
  if (!ok) {
    nv_descriptor_free(out);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  nv_status rc = nv_annotations_copy(&m->annotations, &out->annotations, d);
  if (rc != NV_OK)
    nv_descriptor_free(out);
  return rc;
}

/* Examine one index.json entry as a predecessor of `subject`; add it to
 * the list when it is a signature of it. The bytes read are taken from
 * *budget. Only NV_E_NOMEM and NV_E_LIMIT (the budget would be overrun)
 * fail. */
static nv_status examine_predecessor(const nv_reg_layout *l, size_t i, const nv_descriptor *e,
                                     const nv_descriptor *subject, size_t *budget,
                                     nv_reg_sig_list *list, nv_diag *d)
{
  uint8_t *data = NULL;
  size_t len = 0;
  nv_diag local;
  nv_diag_init(&local);
  if (d != NULL) {
    local.log_cb = d->log_cb;
    local.log_max = d->log_max;
    local.log_user_data = d->log_user_data;
  }
  nv_status rc = read_blob(l, e->digest, true, e->size, NV_LIMIT_MANIFEST_BYTES,
                           &sig_manifest_codes, budget, &data, &len, &local);
  if (rc == NV_E_NOMEM || rc == NV_E_LIMIT)
    return nv_diag_set(d, rc, "index.json entry %zu: %s", i, local.msg);
  if (rc != NV_OK) {
    nv_log(d, NV_LOG_WARN, COMPONENT, "index.json entry %zu skipped: %s", i, local.msg);
    return NV_OK;
  }
  nv_reg_manifest m;
  rc = nv_reg_manifest_parse(data, len, e->media_type, &m, &local);
  free(data);
  if (rc == NV_E_NOMEM)
    return nv_diag_set(d, rc, "%s", local.msg);
  if (rc != NV_OK) {
    nv_log(d, NV_LOG_WARN, COMPONENT, "index.json entry %zu skipped: %s", i, local.msg);
    return NV_OK;
  }
  if (!m.has_subject || !nv_descriptor_equal(&m.subject, subject)) {
    nv_reg_manifest_free(&m);
    return NV_OK;
  }
  rc = nv_reg_sig_manifest_check_artifact_type(&m, &local);
  if (rc != NV_OK) {
    const char *at = nv_reg_manifest_artifact_type(&m);
    if ((at != NULL && strcmp(at, NV_REG_ARTIFACT_TYPE_SIGNATURE) == 0) ||
        (m.artifact_type != NULL && strcmp(m.artifact_type, NV_REG_ARTIFACT_TYPE_SIGNATURE) == 0))
      nv_log(d, NV_LOG_WARN, COMPONENT, "index.json entry %zu (%s) skipped: %s", i, e->digest,
             local.msg);
    nv_reg_manifest_free(&m);
    return NV_OK;
  }
  nv_descriptor listed;
  rc = predecessor_descriptor(e, &m, &listed, d);
  nv_reg_manifest_free(&m);
  if (rc != NV_OK)
    return rc;
  rc = nv_reg_sig_list_add(list, &listed, NV_OK, d);
  nv_descriptor_free(&listed);
  return rc;
}

/* Entries equal in mediaType, digest and size are read and judged alike
 * (examine_predecessor depends on nothing else), so only the first of them
 * is examined. Sorting pointers to the entries finds the repeats in
 * O(n log n); ties are broken by position, so the first stays unmarked. */
static int entry_order(const void *a, const void *b)
{
  const nv_descriptor *x = *(const nv_descriptor *const *)a;
  const nv_descriptor *y = *(const nv_descriptor *const *)b;
  int c = strcmp(x->digest, y->digest);
  if (c == 0)
    c = strcmp(x->media_type, y->media_type);
  if (c == 0 && x->size != y->size)
    c = x->size < y->size ? -1 : 1;
  if (c == 0 && x != y)
    c = x < y ? -1 : 1;
  return c;
}

/* *repeat[i]: entry i repeats an earlier entry (free() it; NULL when the
 * index is empty). */
static nv_status mark_repeats(const nv_reg_index *idx, bool **repeat, nv_diag *d)
{
  size_t n = idx->manifest_count;
  *repeat = NULL;
  if (n == 0)
    return NV_OK;
  const nv_descriptor **order = malloc(n * sizeof(*order));
  bool *rep = calloc(n, sizeof(*rep));
  if (order == NULL || rep == NULL) {
    free(order);
    free(rep);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++)
    order[i] = &idx->manifests[i];
  qsort(order, n, sizeof(*order), entry_order);
  for (size_t i = 1; i < n; i++)
    if (nv_descriptor_equal(order[i - 1], order[i]))
      rep[order[i] - idx->manifests] = true;
  free(order);
  *repeat = rep;
  return NV_OK;
}

static nv_status list_predecessors(const nv_reg_layout *l, const nv_descriptor *subject,
                                   nv_reg_sig_list *list, nv_diag *d)
{
  const nv_reg_index *idx = &l->index;
  bool *repeat = NULL;
  nv_status rc = mark_repeats(idx, &repeat, d);
  size_t budget = NV_LIMIT_LAYOUT_SCAN_BYTES;
  for (size_t i = 0; rc == NV_OK && i < idx->manifest_count; i++) {
    const nv_descriptor *e = &idx->manifests[i];
    if (repeat[i] || !predecessor_candidate(e, subject, list))
      continue;
    if (nv_reg_sig_list_full(list)) {
      /* entries are left that were not examined: stop reading here */
      list->truncated = true;
      break;
    }
    rc = examine_predecessor(l, i, e, subject, &budget, list, d);
  }
  free(repeat);
  return rc;
}

static nv_status list_referrers_tag(const nv_reg_layout *l, const nv_descriptor *subject,
                                    const nv_digest *sdg, nv_reg_sig_list *list, nv_diag *d)
{
  /* "<alg>-<hex>": the hex part is what follows ':' in the digest */
  char tag[NV_DIGEST_STRING_MAX];
  const char *hex = strchr(subject->digest, ':');
  if (hex == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "subject digest has no ':'");
  snprintf(tag, sizeof(tag), "%s-%s", nv_digest_alg_name(sdg->alg), hex + 1);
  size_t n = 0;
  const nv_descriptor *e = find_tag(&l->index, tag, &n);
  if (n == 0)
    return NV_OK;
  if (n > 1)
    return nv_diag_set(d, NV_E_REFERRERS_LIST_FAILED,
                       "referrers tag %s names %zu entries of index.json (ambiguous)", tag, n);
  if (e->media_type == NULL || strcmp(e->media_type, NV_REG_MT_IMAGE_INDEX) != 0) {
    const char *mt = e->media_type != NULL ? e->media_type : "";
    nv_quoted q = nv_quote(mt, strlen(mt));
    return nv_diag_set(d, NV_E_REFERRERS_LIST_FAILED,
                       "referrers tag %s is \"%s\", not an image index", tag, q.s);
  }
  uint8_t *data = NULL;
  size_t len = 0;
  nv_status rc = read_blob(l, e->digest, true, e->size, NV_LIMIT_REFERRERS_PAGE_BYTES,
                           &content_codes, NULL, &data, &len, d);
  if (rc != NV_OK)
    return nv_diag_wrap(d, rc == NV_E_NOMEM ? rc : NV_E_REFERRERS_LIST_FAILED,
                        "referrers tag %s: ", tag);
  nv_reg_index idx;
  rc = nv_reg_index_parse(data, len, NV_LIMIT_REFERRERS_PAGE_BYTES, &idx, d);
  free(data);
  if (rc != NV_OK)
    return nv_diag_wrap(d, rc == NV_E_NOMEM ? rc : NV_E_REFERRERS_LIST_FAILED,
                        "referrers tag %s: ", tag);
  rc = nv_reg_index_filter_signatures(&idx, subject->digest, list, d);
  nv_reg_index_free(&idx);
  return rc;
}

nv_status nv_reg_layout_list_signatures(const nv_reg_layout *l, const nv_descriptor *subject,
                                        nv_reg_sig_list *list, nv_diag *d)
{
  if (l == NULL || subject == NULL || list == NULL || list->max == 0 ||
      subject->digest == NULL || subject->media_type == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "layout signatures: invalid argument");
  nv_digest sdg;
  nv_status rc = nv_digest_parse(subject->digest, strlen(subject->digest), &sdg, d);
  if (rc != NV_OK)
    return nv_diag_wrap(d, NV_E_INVALID_ARG, "layout signatures: subject: ");
  rc = list_predecessors(l, subject, list, d);
  if (rc == NV_OK)
    rc = list_referrers_tag(l, subject, &sdg, list, d);
  return rc;
}
