/*
 * Trust store operations (category trust-store): load-trust-store,
 * load-trust-stores-for-policy, load-tsa-trust-stores-for-policy,
 * validate-trust-store-certs, on top of lib/policy/nv_pol_store.h.
 *
 * The symlink fixtures (NOTES.md trap 16): in the vendored copy of
 * derived/truststore-symlinks/x509 every upstream symlink is a small
 * regular file whose name contains "_SYMLINK" and whose content is the
 * link target. For that store_dir the tree is copied into a fresh
 * temporary directory with each such file turned into a real (relative)
 * symlink, the case runs there, and the copy is removed afterwards.
 */
#include "runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/nv_pol_store.h"
#include "x509/nv_x509_certs.h"

#define SYMLINK_FIXTURE "derived/truststore-symlinks/x509"
#define SYMLINK_MARK "_SYMLINK"
#define PATH_LEN 4096
#define MAX_REFS 64

/* ---------- the store directory of a case ---------- */

typedef struct store_dir {
  char path[PATH_LEN]; /* what the library loads from */
  char tmp[PATH_LEN];  /* the temporary copy to remove, or "" */
} store_dir;

static bool join(char *out, const char *a, const char *b)
{
  return (size_t)snprintf(out, PATH_LEN, "%s/%s", a, b) < PATH_LEN;
}

/* Remove `path` and everything below it, never following symlinks. */
static void remove_tree(const char *path)
{
  struct stat st;
  if (lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    DIR *dir = opendir(path);
    if (dir != NULL) {
      struct dirent *e;
      while ((e = readdir(dir)) != NULL) {
        char child[PATH_LEN];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            !join(child, path, e->d_name))
          continue;
        remove_tree(child);
      }
      closedir(dir);
    }
    rmdir(path);
  } else {
    unlink(path);
  }
}

static bool copy_file(const char *from, const char *to)
{
  FILE *in = fopen(from, "rb");
  if (in == NULL)
    return false;
  FILE *out = fopen(to, "wb");
  if (out == NULL) {
    fclose(in);
    return false;
  }
  char buf[65536];
  size_t n;
  bool ok = true;
  while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
    if (fwrite(buf, 1, n, out) != n)
      ok = false;
  if (ferror(in))
    ok = false;
  fclose(in);
  if (fclose(out) != 0)
    ok = false;
  return ok;
}

/* A "_SYMLINK" placeholder file: its content (trailing white space
 * removed) is the link target. */
static bool make_symlink(const char *placeholder, const char *link)
{
  char target[PATH_LEN];
  FILE *f = fopen(placeholder, "rb");
  if (f == NULL)
    return false;
  size_t n = fread(target, 1, sizeof(target) - 1, f);
  bool complete = feof(f) && !ferror(f);
  fclose(f);
  if (!complete)
    return false;
  while (n > 0 && (target[n - 1] == '\n' || target[n - 1] == '\r' || target[n - 1] == ' '))
    n--;
  target[n] = '\0';
  if (n == 0 || target[0] == '/' || memchr(target, '\0', n) != NULL)
    return false; /* only relative targets inside the copy */
  return symlink(target, link) == 0;
}

static bool copy_tree(const char *from, const char *to)
{
  if (mkdir(to, 0700) != 0)
    return false;
  DIR *dir = opendir(from);
  if (dir == NULL)
    return false;
  bool ok = true;
  struct dirent *e;
  while (ok && (e = readdir(dir)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    char src[PATH_LEN], dst[PATH_LEN];
    struct stat st;
    if (!join(src, from, e->d_name) || !join(dst, to, e->d_name) || lstat(src, &st) != 0) {
      ok = false;
    } else if (S_ISDIR(st.st_mode)) {
      ok = copy_tree(src, dst);
    } else if (S_ISREG(st.st_mode) && strstr(e->d_name, SYMLINK_MARK) != NULL) {
      ok = make_symlink(src, dst);
    } else if (S_ISREG(st.st_mode)) {
      ok = copy_file(src, dst);
    } else if (S_ISLNK(st.st_mode)) {
      /* a checkout that kept the real symlink: copy the link itself */
      char target[PATH_LEN];
      ssize_t n = readlink(src, target, sizeof(target) - 1);
      ok = n > 0;
      if (ok) {
        target[n] = '\0';
        ok = symlink(target, dst) == 0;
      }
    } else {
      ok = false;
    }
  }
  closedir(dir);
  return ok;
}

static bool open_store_dir(case_ctx *c, store_dir *sd)
{
  sd->tmp[0] = '\0';
  const char *rel = in_string(c, "store_dir");
  if (rel == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "store_dir must be a path");
    return false;
  }
  char src[PATH_LEN];
  if (!join(src, c->root, rel)) {
    op_failure_msg(c, NV_E_INVALID_ARG, "store_dir path too long");
    return false;
  }
  if (strcmp(rel, SYMLINK_FIXTURE) != 0) {
    snprintf(sd->path, sizeof(sd->path), "%s", src);
    return true;
  }
  const char *base = getenv("TMPDIR");
  if (base == NULL || base[0] == '\0')
    base = "/tmp";
  if ((size_t)snprintf(sd->tmp, sizeof(sd->tmp), "%s/nv-truststore-XXXXXX", base) >=
        sizeof(sd->tmp) ||
      mkdtemp(sd->tmp) == NULL) {
    sd->tmp[0] = '\0';
    op_failure_msg(c, NV_E_IO, "cannot create a temporary directory for the symlink fixtures");
    return false;
  }
  if (!join(sd->path, sd->tmp, "x509") || !copy_tree(src, sd->path)) {
    remove_tree(sd->tmp);
    sd->tmp[0] = '\0';
    op_failure_msg(c, NV_E_IO, "cannot materialise the symlink fixtures");
    return false;
  }
  return true;
}

static void close_store_dir(store_dir *sd)
{
  if (sd->tmp[0] != '\0')
    remove_tree(sd->tmp);
  sd->tmp[0] = '\0';
}

/* ---------- operations ---------- */

static void op_load_trust_store(case_ctx *c)
{
  const char *type = in_string(c, "type");
  const char *name = in_string(c, "name");
  if (type == NULL || name == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "type and name must be strings");
    return;
  }
  store_dir sd;
  if (!open_store_dir(c, &sd))
    return;
  nv_diag d;
  nv_diag_init(&d);
  nv_pol_store *s = NULL;
  nv_status rc = nv_pol_store_new(&s, &d);
  if (rc == NV_OK)
    rc = nv_pol_store_load_dir(s, sd.path, type, name, &d);
  if (rc == NV_OK) {
    const nv_x509_list *certs = nv_pol_store_certs(s, nv_pol_store_type_from_name(type), name);
    report_int(c, "count", certs != NULL ? (int64_t)certs->count : 0);
    op_success(c);
  } else {
    op_failure(c, &d);
  }
  nv_pol_store_free(s);
  close_store_dir(&sd);
}

static void load_for_policy(case_ctx *c, bool tsa)
{
  const char *scheme = in_string(c, "signing_scheme");
  const nv_json *stores = in_value(c, "trust_stores");
  if (scheme == NULL || nv_json_type_of(stores) != NV_JSON_ARRAY) {
    op_failure_msg(c, NV_E_INVALID_ARG, "signing_scheme must be a string, trust_stores an array");
    return;
  }
  nv_pol_store_type want;
  char msg[512];
  if (tsa) {
    /* notation-go loadX509TSATrustStores */
    if (strcmp(scheme, "notary.x509") != 0) {
      snprintf(msg, sizeof(msg),
               "error while loading the TSA trust store, signing scheme must be notary.x509, but "
               "got %.200s",
               scheme);
      op_failure_msg(c, NV_E_TRUSTSTORE_INVALID, msg);
      return;
    }
    want = NV_POL_STORE_TSA;
  } else if (strcmp(scheme, "notary.x509") == 0) {
    want = NV_POL_STORE_CA;
  } else if (strcmp(scheme, "notary.x509.signingAuthority") == 0) {
    want = NV_POL_STORE_SIGNING_AUTHORITY;
  } else {
    snprintf(msg, sizeof(msg),
             "error while loading the trust store, unrecognized signing scheme \"%.200s\"",
             scheme);
    op_failure_msg(c, NV_E_TRUSTSTORE_INVALID, msg);
    return;
  }
  size_t n = nv_json_count(stores);
  if (n > MAX_REFS) {
    op_failure_msg(c, NV_E_LIMIT, "too many trust_stores entries");
    return;
  }
  const char *refs[MAX_REFS];
  for (size_t i = 0; i < n; i++) {
    refs[i] = nv_json_string(nv_json_at(stores, i));
    if (refs[i] == NULL) {
      op_failure_msg(c, NV_E_INVALID_ARG, "trust_stores entries must be strings");
      return;
    }
  }
  store_dir sd;
  if (!open_store_dir(c, &sd))
    return;
  nv_diag d;
  nv_diag_init(&d);
  nv_pol_certset *cs = NULL;
  nv_status rc = nv_pol_certset_for_policy(sd.path, refs, n, want, &cs, &d);
  if (rc == NV_OK) {
    report_int(c, "count", (int64_t)nv_pol_certset_count(cs));
    op_success(c);
  } else {
    op_failure(c, &d);
  }
  nv_pol_certset_free(cs);
  close_store_dir(&sd);
}

static void op_load_trust_stores_for_policy(case_ctx *c)
{
  load_for_policy(c, false);
}

static void op_load_tsa_trust_stores_for_policy(case_ctx *c)
{
  load_for_policy(c, true);
}

/* notation-go truststore.ValidateCertificates on a file's certificates. */
static void op_validate_trust_store_certs(case_ctx *c)
{
  const char *path = in_string(c, "file");
  if (path == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "file must be a path");
    return;
  }
  nv_buf data;
  if (!read_input_file(c, path, &data))
    return;
  nv_diag d;
  nv_diag_init(&d);
  nv_x509_list certs;
  nv_x509_list_init(&certs);
  nv_status rc = nv_x509_read_certs(data.data, data.len, path, &certs, &d);
  nv_buf_free(&data);
  for (size_t i = 0; rc == NV_OK && i < certs.count; i++)
    rc = nv_pol_store_validate_cert(certs.items[i], NV_POL_STORE_CA, &d);
  if (rc == NV_OK) {
    report_int(c, "count", (int64_t)certs.count);
    op_success(c);
  } else {
    op_failure(c, &d);
  }
  nv_x509_list_free(&certs);
}

const op_def store_ops[] = {
  {"load-trust-store", op_load_trust_store, {"store_dir", "type", "name"}},
  {"load-trust-stores-for-policy", op_load_trust_stores_for_policy,
   {"store_dir", "trust_stores", "signing_scheme"}},
  {"load-tsa-trust-stores-for-policy", op_load_tsa_trust_stores_for_policy,
   {"store_dir", "trust_stores", "signing_scheme"}},
  {"validate-trust-store-certs", op_validate_trust_store_certs, {"file"}},
  {NULL, NULL, {NULL}},
};
