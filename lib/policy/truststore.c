/*
 * Trust stores (notary-spec.md section 12; notation-go
 * verifier/truststore/truststore.go and verifier/helpers.go), and the
 * Flux verification-secret loader (users.md sections 1.2-1.3).
 *
 * Messages follow notation-go's texts where notation-go has one, so that
 * users see the same words; the detail of a parse or validation failure
 * (which PEM block, which subject) goes to the log at debug level, since
 * notation-go's message does not carry it either.
 */
#include "policy/nv_pol_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/nv_digest.h"
#include "base/nv_limits.h"
#include "x509/nv_x509_cache.h"
#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_leaf.h"
#include "x509/nv_x509_parse.h"
#include "x509/nv_x509_store_helpers.h"

#define HASH_LEN 32
#define PATH_MAX_LEN 4096
#define LOG_COMPONENT "truststore"

typedef struct hash32 {
  uint8_t b[HASH_LEN];
} hash32;

/* One named store: certificates in load order and the SHA-256 of each. */
typedef struct named_store {
  nv_pol_store_type type;
  char name[NV_POL_STORE_NAME_MAX + 1];
  nv_x509_list certs;
  hash32 *hashes; /* hashes[i] belongs to certs.items[i] */
  size_t hash_cap;
} named_store;

struct nv_pol_store {
  named_store *stores;
  size_t count;
  size_t cap;
  size_t total_certs;
  bool frozen;
  /* The certificates indexed for envelope certificates to reuse: made by
   * nv_pol_store_freeze, or for a store that is never frozen on first use
   * (under anchors_lock), dropped by every change while it is built. */
  _Atomic(nv_x509_anchors *) anchors;
  pthread_mutex_t anchors_lock;
};

struct nv_pol_certset {
  nv_x509_list certs; /* own references, policy order, no duplicates */
  hash32 *sorted;     /* the same certificates' hashes, ascending */
};

/* ------------------------------------------------------------------ */
/* names                                                               */

/* ^[a-zA-Z0-9_.-]+$ in ASCII whatever the locale (isalnum() accepts more
 * bytes in some locales), at most NV_POL_STORE_NAME_MAX bytes, and not
 * "." or "..", which would leave the type directory. */
static bool store_name_ok(const char *name)
{
  size_t n = 0;
  for (const char *p = name; *p != '\0'; p++, n++) {
    char ch = *p;
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '_' || ch == '.' || ch == '-'))
      return false;
  }
  return n > 0 && n <= NV_POL_STORE_NAME_MAX && strcmp(name, ".") != 0 &&
         strcmp(name, "..") != 0 && nv_pol_name_valid(name);
}

static nv_status check_type_name(const char *type_name, const char *name, nv_pol_store_type *type,
                                 nv_diag *d)
{
  *type = nv_pol_store_type_from_name(type_name);
  if (*type == NV_POL_STORE_NONE)
    return nv_diag_set(d, NV_E_TRUSTSTORE_TYPE_INVALID, "unsupported trust store type: %.64s",
                       type_name != NULL ? type_name : "(null)");
  if (name == NULL || !store_name_ok(name))
    return nv_diag_set(d, NV_E_TRUSTSTORE_NAME_INVALID,
                       "trust store name needs to follow [a-zA-Z0-9_.-]+ format, %.300s is invalid",
                       name != NULL ? name : "(null)");
  return NV_OK;
}

nv_status nv_pol_store_parse_ref(const char *ref, nv_pol_store_type *type,
                                 char name[NV_POL_STORE_NAME_MAX + 1], nv_diag *d)
{
  if (ref == NULL || type == NULL || name == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "trust store reference: NULL argument");
  *type = NV_POL_STORE_NONE;
  name[0] = '\0';
  const char *colon = strchr(ref, ':');
  if (colon == NULL)
    return nv_diag_set(d, NV_E_TRUSTSTORE_INVALID,
                       "trust store value \"%.300s\" is missing the separator \":\"; the required "
                       "format is <TrustStoreType>:<TrustStoreName>",
                       ref);
  char type_name[32];
  size_t type_len = (size_t)(colon - ref);
  if (type_len >= sizeof(type_name))
    return nv_diag_set(d, NV_E_TRUSTSTORE_TYPE_INVALID, "unsupported trust store type: %.*s",
                       64, ref);
  memcpy(type_name, ref, type_len);
  type_name[type_len] = '\0';
  nv_status rc = check_type_name(type_name, colon + 1, type, d);
  if (rc != NV_OK)
    return rc;
  snprintf(name, NV_POL_STORE_NAME_MAX + 1, "%s", colon + 1);
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* named stores                                                        */

static void ns_init(named_store *ns, nv_pol_store_type type, const char *name)
{
  memset(ns, 0, sizeof(*ns));
  ns->type = type;
  snprintf(ns->name, sizeof(ns->name), "%s", name);
  nv_x509_list_init(&ns->certs);
}

static void ns_free(named_store *ns)
{
  nv_x509_list_free(&ns->certs);
  free(ns->hashes);
  ns->hashes = NULL;
  ns->hash_cap = 0;
}

/* Room for `need` certificates in total. */
static nv_status ns_reserve(named_store *ns, size_t need, nv_diag *d)
{
  if (need <= ns->certs.cap && need <= ns->hash_cap)
    return NV_OK;
  size_t cap = ns->certs.cap > ns->hash_cap ? ns->certs.cap : ns->hash_cap;
  cap = cap < 8 ? 8 : cap;
  while (cap < need)
    cap *= 2;
  if (cap > ns->certs.cap) {
    X509 **items = realloc(ns->certs.items, cap * sizeof(*items));
    if (items == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory loading a trust store");
    ns->certs.items = items;
    ns->certs.cap = cap;
  }
  if (cap > ns->hash_cap) {
    hash32 *hashes = realloc(ns->hashes, cap * sizeof(*hashes));
    if (hashes == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory loading a trust store");
    ns->hashes = hashes;
    ns->hash_cap = cap;
  }
  return NV_OK;
}

/* Move every certificate of `list` to the end of `ns` (hashing each);
 * on success `list` is left empty, on failure both are unchanged. */
static nv_status ns_absorb(named_store *ns, nv_x509_list *list, nv_diag *d)
{
  size_t base = ns->certs.count;
  nv_status rc = ns_reserve(ns, base + list->count, d);
  if (rc != NV_OK)
    return rc;
  for (size_t i = 0; i < list->count; i++) {
    rc = nv_x509_cert_sha256(list->items[i], ns->hashes[base + i].b, d);
    if (rc != NV_OK)
      return rc;
    /* kept with the certificate (it is not shared yet): authenticity and
     * the anchors index look it up without hashing again */
    (void)nv_x509_remember_sha256(list->items[i], ns->hashes[base + i].b);
  }
  memcpy(ns->certs.items + base, list->items, list->count * sizeof(*list->items));
  ns->certs.count += list->count;
  list->count = 0;
  return NV_OK;
}

/* Append one more reference to `cert` with its known hash. */
static nv_status ns_push_ref(named_store *ns, X509 *cert, const hash32 *hash, nv_diag *d)
{
  nv_status rc = ns_reserve(ns, ns->certs.count + 1, d);
  if (rc != NV_OK)
    return rc;
  X509 *ref = nv_x509_ref(cert);
  if (ref == NULL)
    return nv_diag_set(d, NV_E_INTERNAL, "cannot take a certificate reference");
  ns->hashes[ns->certs.count] = *hash;
  ns->certs.items[ns->certs.count++] = ref;
  return NV_OK;
}

static named_store *find_store(const nv_pol_store *s, nv_pol_store_type type, const char *name)
{
  for (size_t i = 0; i < s->count; i++)
    if (s->stores[i].type == type && strcmp(s->stores[i].name, name) == 0)
      return &s->stores[i];
  return NULL;
}

/* How many certificates may still be added to (type, name). */
static nv_status check_room(const nv_pol_store *s, const named_store *tmp, size_t adding,
                            nv_diag *d)
{
  const named_store *existing = find_store(s, tmp->type, tmp->name);
  size_t in_store = tmp->certs.count + (existing != NULL ? existing->certs.count : 0);
  if (existing == NULL && s->count >= NV_POL_STORE_MAX_STORES)
    return nv_diag_set(d, NV_E_TRUSTSTORE_TOO_LARGE, "more than %d named trust stores",
                       NV_POL_STORE_MAX_STORES);
  if (adding > NV_POL_STORE_MAX_CERTS || in_store > NV_POL_STORE_MAX_CERTS - adding)
    return nv_diag_set(d, NV_E_TRUSTSTORE_TOO_LARGE,
                       "trust store %s of type %s would hold more than %d certificates",
                       tmp->name, nv_pol_store_type_name(tmp->type), NV_POL_STORE_MAX_CERTS);
  if (s->total_certs + tmp->certs.count > NV_POL_STORE_MAX_TOTAL_CERTS - adding)
    return nv_diag_set(d, NV_E_TRUSTSTORE_TOO_LARGE,
                       "the trust stores would hold more than %d certificates in total",
                       NV_POL_STORE_MAX_TOTAL_CERTS);
  return NV_OK;
}

/* Index every certificate of every named store for envelope certificates
 * to reuse (nv_pol_store_anchors). Best effort: without an index nothing
 * is reused, and nothing else changes. */
static nv_x509_anchors *index_anchors(const nv_pol_store *s)
{
  X509 **all = calloc(s->total_certs ? s->total_certs : 1, sizeof(*all));
  nv_x509_anchors *index = NULL;
  if (all != NULL) {
    size_t n = 0;
    for (size_t i = 0; i < s->count; i++)
      for (size_t k = 0; k < s->stores[i].certs.count && n < s->total_certs; k++)
        all[n++] = s->stores[i].certs.items[k];
    if (n == 0 || nv_x509_anchors_new(all, n, &index, NULL) != NV_OK)
      index = NULL;
    free(all);
  }
  return index;
}

/* A change while the store is built: the index, if one was made, is out
 * of date. */
static void drop_anchors(nv_pol_store *s)
{
  nv_x509_anchors_unref(atomic_exchange(&s->anchors, NULL));
}

/* Move `tmp` into the object: appended to the named store of the same
 * type and name, or as a new named store (also when empty). `tmp` is left
 * empty; on failure the object is unchanged. */
static nv_status commit(nv_pol_store *s, named_store *tmp, nv_diag *d)
{
  nv_status rc = check_room(s, tmp, 0, d);
  if (rc != NV_OK)
    return rc;
  size_t n = tmp->certs.count;
  named_store *existing = find_store(s, tmp->type, tmp->name);
  if (existing != NULL) {
    rc = ns_reserve(existing, existing->certs.count + n, d);
    if (rc != NV_OK)
      return rc;
    memcpy(existing->certs.items + existing->certs.count, tmp->certs.items,
           n * sizeof(*tmp->certs.items));
    memcpy(existing->hashes + existing->certs.count, tmp->hashes, n * sizeof(*tmp->hashes));
    existing->certs.count += n;
    tmp->certs.count = 0;
  } else {
    if (s->count == s->cap) {
      size_t cap = s->cap ? s->cap * 2 : 4;
      named_store *stores = realloc(s->stores, cap * sizeof(*stores));
      if (stores == NULL)
        return nv_diag_set(d, NV_E_NOMEM, "out of memory loading a trust store");
      s->stores = stores;
      s->cap = cap;
    }
    s->stores[s->count++] = *tmp;
    nv_x509_list_init(&tmp->certs); /* now owned by the object */
    tmp->hashes = NULL;
    tmp->hash_cap = 0;
  }
  s->total_certs += n;
  drop_anchors(s);
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* certificate rules                                                   */

nv_status nv_pol_store_validate_cert(X509 *cert, nv_pol_store_type type, nv_diag *d)
{
  if (cert == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "trust store certificate: NULL argument");
  if (type != NV_POL_STORE_CA && type != NV_POL_STORE_SIGNING_AUTHORITY &&
      type != NV_POL_STORE_TSA)
    return nv_diag_set(d, NV_E_TRUSTSTORE_TYPE_INVALID, "unsupported trust store type: %d",
                       (int)type);
  char subject[256];
  if (!nv_x509_is_ca(cert) && !nv_x509_is_self_signed(cert))
    return nv_diag_set(d, NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED,
                       "certificate with subject \"%s\" is not a CA certificate or self-signed "
                       "signing certificate",
                       nv_x509_subject(cert, subject, sizeof(subject)));
  if (type == NV_POL_STORE_TSA) {
    char why[NV_DIAG_MSG_MAX];
    if (!nv_x509_is_root_ca(cert, why, sizeof(why)))
      return nv_diag_set(d, NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT, "%s", why);
  }
  return NV_OK;
}

/* Parse and validate one source (a file or a caller's bytes) for the
 * named store `tmp` and append its certificates to `tmp`. */
static nv_status absorb_bytes(const nv_pol_store *s, named_store *tmp, const uint8_t *data,
                              size_t len, const char *what, nv_diag *d)
{
  const char *type_name = nv_pol_store_type_name(tmp->type);
  nv_diag inner;
  nv_diag_init(&inner);
  if (d != NULL) {
    inner.log_cb = d->log_cb;
    inner.log_max = d->log_max;
    inner.log_user_data = d->log_user_data;
  }
  nv_x509_list list;
  nv_x509_list_init(&list);
  nv_status rc = nv_x509_read_certs(data, len, what, &list, &inner);
  if (rc != NV_OK) {
    nv_x509_list_free(&list); /* a failed read may leave an empty array behind */
    if (rc == NV_E_NOMEM)
      return nv_diag_set(d, rc, "%s", inner.msg);
    if (rc == NV_E_LIMIT)
      return nv_diag_set(d, NV_E_TRUSTSTORE_TOO_LARGE,
                         "trusted certificate %s in trust store %s of type %s holds more than %d "
                         "certificates",
                         what, tmp->name, type_name, NV_X509_MAX_CERTS_PER_FILE);
    nv_log(d, NV_LOG_DEBUG, LOG_COMPONENT, "%s", inner.msg);
    return nv_diag_set(d, NV_E_TRUSTSTORE_CERT_PARSE,
                       "failed to read the trusted certificate %s in trust store %s of type %s",
                       what, tmp->name, type_name);
  }
  /* notation-go: ValidateCertificates on the file's certificates, then
   * the root rule for tsa stores. */
  for (size_t i = 0; i < list.count && rc == NV_OK; i++) {
    rc = nv_pol_store_validate_cert(list.items[i], NV_POL_STORE_CA, &inner);
    if (rc != NV_OK) {
      nv_log(d, NV_LOG_DEBUG, LOG_COMPONENT, "%s", inner.msg);
      rc = nv_diag_set(d, NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED,
                       "failed to validate the trusted certificate %s in trust store %s of type "
                       "%s",
                       what, tmp->name, type_name);
    }
  }
  for (size_t i = 0; i < list.count && rc == NV_OK && tmp->type == NV_POL_STORE_TSA; i++) {
    rc = nv_pol_store_validate_cert(list.items[i], NV_POL_STORE_TSA, &inner);
    if (rc != NV_OK)
      rc = nv_diag_set(d, NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT,
                       "trusted certificate %s in trust store %s of type %s is invalid: %s", what,
                       tmp->name, type_name, inner.msg);
  }
  if (rc == NV_OK)
    rc = check_room(s, tmp, list.count, d);
  if (rc == NV_OK)
    rc = ns_absorb(tmp, &list, d);
  nv_x509_list_free(&list);
  return rc;
}

/* ------------------------------------------------------------------ */
/* the store object                                                    */

nv_status nv_pol_store_new(nv_pol_store **out, nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "trust store: NULL argument");
  *out = calloc(1, sizeof(**out));
  if (*out == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory creating a trust store");
  atomic_init(&(*out)->anchors, NULL);
  if (pthread_mutex_init(&(*out)->anchors_lock, NULL) != 0) {
    free(*out);
    *out = NULL;
    return nv_diag_set(d, NV_E_NOMEM, "cannot create a trust store lock");
  }
  return NV_OK;
}

void nv_pol_store_free(nv_pol_store *s)
{
  if (s == NULL)
    return;
  for (size_t i = 0; i < s->count; i++)
    ns_free(&s->stores[i]);
  free(s->stores);
  nv_x509_anchors_unref(atomic_load(&s->anchors));
  pthread_mutex_destroy(&s->anchors_lock);
  free(s);
}

void nv_pol_store_freeze(nv_pol_store *s)
{
  if (s == NULL || s->frozen)
    return;
  if (atomic_load(&s->anchors) == NULL)
    atomic_store(&s->anchors, index_anchors(s));
  s->frozen = true;
}

nv_x509_anchors *nv_pol_store_anchors(const nv_pol_store *s)
{
  if (s == NULL)
    return NULL;
  /* A store that is shared without being frozen (its certificates do not
   * change any more, but nobody said so): the first user makes the index,
   * once. Only the index is written, under its own lock; readers take the
   * lock too (uncontended it costs nanoseconds), so the index is published
   * by the mutex, which thread checkers such as Helgrind understand. */
  nv_pol_store *w = (nv_pol_store *)(uintptr_t)s;
  pthread_mutex_lock(&w->anchors_lock);
  nv_x509_anchors *a = atomic_load(&w->anchors);
  if (a == NULL && !s->frozen && (a = index_anchors(s)) != NULL)
    atomic_store(&w->anchors, a);
  pthread_mutex_unlock(&w->anchors_lock);
  return a;
}

bool nv_pol_store_frozen(const nv_pol_store *s)
{
  return s != NULL && s->frozen;
}

size_t nv_pol_store_count(const nv_pol_store *s)
{
  return s != NULL ? s->count : 0;
}

const nv_x509_list *nv_pol_store_certs(const nv_pol_store *s, nv_pol_store_type type,
                                       const char *name)
{
  if (s == NULL || name == NULL)
    return NULL;
  const named_store *ns = find_store(s, type, name);
  return ns != NULL ? &ns->certs : NULL;
}

static nv_status check_mutable(const nv_pol_store *s, nv_diag *d)
{
  if (s == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "trust store: NULL argument");
  if (s->frozen)
    return nv_diag_set(d, NV_E_INVALID_ARG, "trust store is frozen; it cannot be changed");
  return NV_OK;
}

nv_status nv_pol_store_add_bytes(nv_pol_store *s, const char *type, const char *name,
                                 const uint8_t *data, size_t len, const char *what, nv_diag *d)
{
  nv_status rc = check_mutable(s, d);
  if (rc != NV_OK)
    return rc;
  if (data == NULL && len != 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "trust store: NULL data");
  nv_pol_store_type t;
  if ((rc = check_type_name(type, name, &t, d)) != NV_OK)
    return rc;
  if (len > NV_LIMIT_CERT_FILE_BYTES)
    return nv_diag_set(d, NV_E_TRUSTSTORE_TOO_LARGE,
                       "trusted certificate %s in trust store %s of type %s is larger than %zu "
                       "bytes",
                       what != NULL ? what : "(data)", name, type, NV_LIMIT_CERT_FILE_BYTES);
  named_store tmp;
  ns_init(&tmp, t, name);
  static const uint8_t empty[1] = {0};
  rc = absorb_bytes(s, &tmp, data != NULL ? data : empty, len, what != NULL ? what : "(data)", d);
  if (rc == NV_OK)
    rc = commit(s, &tmp, d);
  ns_free(&tmp);
  return rc;
}

/* ------------------------------------------------------------------ */
/* reading files                                                       */

typedef enum read_result {
  READ_OK,
  READ_NOT_REGULAR, /* directory, symlink, special file */
  READ_TOO_LARGE,
  READ_GONE,        /* vanished between listing and opening */
  READ_ERROR        /* errno in *err */
} read_result;

/* Read the regular file `name` in the directory `dfd`, at most `limit`
 * bytes: lstat-like check first, then O_NOFOLLOW open and fstat, size
 * checked before anything is allocated. *data is malloc'ed (one extra NUL
 * byte). */
static read_result read_regular_at(int dfd, const char *name, size_t limit, uint8_t **data,
                                   size_t *len, int *err)
{
  *data = NULL;
  *len = 0;
  *err = 0;
  struct stat st;
  if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    *err = errno;
    return errno == ENOENT ? READ_GONE : READ_ERROR;
  }
  if (!S_ISREG(st.st_mode))
    return READ_NOT_REGULAR;
  if (st.st_size < 0 || (uintmax_t)st.st_size > limit)
    return READ_TOO_LARGE;
  int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    *err = errno;
    if (errno == ELOOP)
      return READ_NOT_REGULAR;
    return errno == ENOENT ? READ_GONE : READ_ERROR;
  }
  read_result result = READ_OK;
  uint8_t *buf = NULL;
  if (fstat(fd, &st) != 0) {
    *err = errno;
    result = READ_ERROR;
  } else if (!S_ISREG(st.st_mode)) {
    result = READ_NOT_REGULAR;
  } else if (st.st_size < 0 || (uintmax_t)st.st_size > limit) {
    result = READ_TOO_LARGE;
  } else {
    /* one byte more than the size, to notice a file that grew */
    size_t cap = (size_t)st.st_size + 1;
    buf = malloc(cap);
    if (buf == NULL) {
      *err = ENOMEM;
      result = READ_ERROR;
    }
    size_t got = 0;
    while (result == READ_OK && got < cap) {
      ssize_t n = read(fd, buf + got, cap - got);
      if (n < 0) {
        if (errno == EINTR)
          continue;
        *err = errno;
        result = READ_ERROR;
      } else if (n == 0) {
        break;
      } else {
        got += (size_t)n;
      }
    }
    if (result == READ_OK && got == cap) {
      result = got > limit ? READ_TOO_LARGE : READ_ERROR;
      *err = EAGAIN; /* changed while being read */
    }
    if (result == READ_OK) {
      buf[got] = '\0';
      *data = buf;
      *len = got;
      buf = NULL;
    }
  }
  free(buf);
  close(fd);
  return result;
}

static int cmp_strings(const void *a, const void *b)
{
  const char *const *x = a;
  const char *const *y = b;
  return strcmp(*x, *y);
}

static void free_names(char **names, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

typedef bool (*name_filter)(const char *name);

/* The entry names of directory `dfd` (without "." and ".."), that pass
 * `keep` (NULL: all), sorted byte-wise. More than `max` kept names ->
 * *too_many. */
static nv_status list_dir(int dfd, name_filter keep, size_t max, char ***out, size_t *count,
                          bool *too_many, int *err, nv_diag *d)
{
  *out = NULL;
  *count = 0;
  *too_many = false;
  *err = 0;
  int fd2 = dup(dfd);
  if (fd2 < 0) {
    *err = errno;
    return NV_E_IO;
  }
  DIR *dir = fdopendir(fd2);
  if (dir == NULL) {
    *err = errno;
    close(fd2);
    return NV_E_IO;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  nv_status rc = NV_OK;
  for (;;) {
    errno = 0;
    struct dirent *e = readdir(dir);
    if (e == NULL) {
      if (errno != 0) {
        *err = errno;
        rc = NV_E_IO;
      }
      break;
    }
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (keep != NULL && !keep(e->d_name))
      continue;
    if (n >= max) {
      *too_many = true;
      rc = NV_E_LIMIT;
      break;
    }
    if (n == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      char **p = realloc(names, ncap * sizeof(*p));
      if (p == NULL) {
        rc = nv_diag_set(d, NV_E_NOMEM, "out of memory listing a directory");
        break;
      }
      names = p;
      cap = ncap;
    }
    names[n] = strdup(e->d_name);
    if (names[n] == NULL) {
      rc = nv_diag_set(d, NV_E_NOMEM, "out of memory listing a directory");
      break;
    }
    n++;
  }
  closedir(dir);
  if (rc != NV_OK) {
    free_names(names, n);
    return rc;
  }
  if (n > 1)
    qsort(names, n, sizeof(*names), cmp_strings);
  *out = names;
  *count = n;
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* loading named stores from notation's directory layout               */

nv_status nv_pol_store_load_dir(nv_pol_store *s, const char *x509_dir, const char *type,
                                const char *name, nv_diag *d)
{
  nv_status rc = check_mutable(s, d);
  if (rc != NV_OK)
    return rc;
  if (x509_dir == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "trust store: NULL directory");
  nv_pol_store_type t;
  if ((rc = check_type_name(type, name, &t, d)) != NV_OK)
    return rc;
  char path[PATH_MAX_LEN];
  if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", x509_dir, type, name) >= sizeof(path))
    return nv_diag_set(d, NV_E_INVALID_ARG, "trust store path too long");

  /* the store directory itself: not a symlink, a directory */
  struct stat st;
  if (lstat(path, &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      return nv_diag_set(d, NV_E_TRUSTSTORE_NOT_FOUND,
                         "the trust store \"%s\" of type \"%s\" does not exist", name, type);
    return nv_diag_set(d, NV_E_TRUSTSTORE_ACCESS,
                       "failed to access the trust store \"%s\" of type \"%s\": %s", name, type,
                       strerror(errno));
  }
  if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode))
    return nv_diag_set(d, NV_E_TRUSTSTORE_NOT_DIRECTORY,
                       "the trust store %s of type %s with path %s is not a regular directory "
                       "(symlinks are not supported)",
                       name, type, path);
  int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dfd < 0) {
    if (errno == ELOOP || errno == ENOTDIR) /* replaced since the lstat */
      return nv_diag_set(d, NV_E_TRUSTSTORE_NOT_DIRECTORY,
                         "the trust store %s of type %s with path %s is not a regular directory "
                         "(symlinks are not supported)",
                         name, type, path);
    if (errno == ENOENT)
      return nv_diag_set(d, NV_E_TRUSTSTORE_NOT_FOUND,
                         "the trust store \"%s\" of type \"%s\" does not exist", name, type);
    return nv_diag_set(d, NV_E_TRUSTSTORE_ACCESS,
                       "failed to read the trust store \"%s\" of type \"%s\": %s", name, type,
                       strerror(errno));
  }

  char **names = NULL;
  size_t n = 0;
  bool too_many = false;
  int err = 0;
  rc = list_dir(dfd, NULL, NV_POL_STORE_MAX_FILES, &names, &n, &too_many, &err, d);
  if (rc != NV_OK) {
    close(dfd);
    if (too_many)
      return nv_diag_set(d, NV_E_TRUSTSTORE_TOO_LARGE,
                         "the trust store \"%s\" of type \"%s\" has more than %d entries", name,
                         type, NV_POL_STORE_MAX_FILES);
    if (rc == NV_E_NOMEM)
      return rc;
    return nv_diag_set(d, NV_E_TRUSTSTORE_ACCESS,
                       "failed to read the trust store \"%s\" of type \"%s\": %s", name, type,
                       strerror(err));
  }

  named_store tmp;
  ns_init(&tmp, t, name);
  for (size_t i = 0; i < n && rc == NV_OK; i++) {
    uint8_t *data = NULL;
    size_t len = 0;
    switch (read_regular_at(dfd, names[i], NV_LIMIT_CERT_FILE_BYTES, &data, &len, &err)) {
    case READ_OK:
      rc = absorb_bytes(s, &tmp, data, len, names[i], d);
      break;
    case READ_NOT_REGULAR:
      rc = nv_diag_set(d, NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR,
                       "trusted certificate %s in trust store %s of type %s is not a regular file "
                       "(directories or symlinks are not supported)",
                       names[i], name, type);
      break;
    case READ_TOO_LARGE:
      rc = nv_diag_set(d, NV_E_TRUSTSTORE_TOO_LARGE,
                       "trusted certificate %s in trust store %s of type %s is larger than %zu "
                       "bytes",
                       names[i], name, type, NV_LIMIT_CERT_FILE_BYTES);
      break;
    case READ_GONE:
    case READ_ERROR:
    default:
      rc = nv_diag_set(d, err == ENOMEM ? NV_E_NOMEM : NV_E_TRUSTSTORE_ACCESS,
                       "failed to read the trusted certificate %s in trust store %s of type %s: "
                       "%s",
                       names[i], name, type, strerror(err));
      break;
    }
    free(data);
  }
  close(dfd);
  free_names(names, n);
  if (rc == NV_OK && tmp.certs.count == 0)
    rc = nv_diag_set(d, NV_E_TRUSTSTORE_EMPTY,
                     "no x509 certificates were found in trust store \"%s\" of type \"%s\"", name,
                     type);
  if (rc == NV_OK)
    rc = commit(s, &tmp, d);
  ns_free(&tmp);
  return rc;
}

nv_status nv_pol_store_load_refs(nv_pol_store *s, const char *x509_dir, const char *const *refs,
                                 size_t ref_count, nv_pol_store_type want, nv_diag *d)
{
  nv_status rc = check_mutable(s, d);
  if (rc != NV_OK)
    return rc;
  if (x509_dir == NULL || (refs == NULL && ref_count > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "trust store: NULL argument");
  for (size_t i = 0; i < ref_count; i++) {
    nv_pol_store_type type = NV_POL_STORE_NONE;
    char name[NV_POL_STORE_NAME_MAX + 1] = "";
    if ((rc = nv_pol_store_parse_ref(refs[i], &type, name, d)) != NV_OK)
      return rc;
    if (type != want || find_store(s, type, name) != NULL)
      continue;
    if ((rc = nv_pol_store_load_dir(s, x509_dir, nv_pol_store_type_name(type), name, d)) != NV_OK)
      return rc;
  }
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* certsets                                                            */

typedef struct candidate {
  hash32 hash;
  size_t seq;
  X509 *cert;
} candidate;

static int cmp_candidates(const void *a, const void *b)
{
  const candidate *x = a, *y = b;
  int c = memcmp(x->hash.b, y->hash.b, HASH_LEN);
  if (c != 0)
    return c;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_hash(const void *a, const void *b)
{
  return memcmp(a, b, HASH_LEN);
}

void nv_pol_certset_free(nv_pol_certset *cs)
{
  if (cs == NULL)
    return;
  nv_x509_list_free(&cs->certs);
  free(cs->sorted);
  free(cs);
}

const nv_x509_list *nv_pol_certset_list(const nv_pol_certset *cs)
{
  return cs != NULL ? &cs->certs : NULL;
}

size_t nv_pol_certset_count(const nv_pol_certset *cs)
{
  return cs != NULL ? cs->certs.count : 0;
}

static bool certset_has(const nv_pol_certset *cs, const uint8_t hash[HASH_LEN])
{
  if (cs == NULL || cs->certs.count == 0)
    return false;
  return bsearch(hash, cs->sorted, cs->certs.count, sizeof(*cs->sorted), cmp_hash) != NULL;
}

bool nv_pol_certset_contains_der(const nv_pol_certset *cs, const uint8_t *der, size_t len)
{
  if (cs == NULL || der == NULL || len == 0)
    return false;
  nv_digest dg;
  if (nv_digest_compute(NV_DIGEST_SHA256, der, len, &dg, NULL) != NV_OK || dg.len != HASH_LEN)
    return false;
  return certset_has(cs, dg.bytes);
}

bool nv_pol_certset_contains_cert(const nv_pol_certset *cs, X509 *cert)
{
  uint8_t hash[HASH_LEN];
  if (cs == NULL || cert == NULL || nv_x509_cert_sha256(cert, hash, NULL) != NV_OK)
    return false;
  return certset_has(cs, hash);
}

/* Is refs[i] a repeat of an earlier entry of the same type and name? */
static bool repeated_ref(const char *const *refs, size_t i, nv_pol_store_type type,
                         const char *name)
{
  for (size_t j = 0; j < i; j++) {
    nv_pol_store_type t;
    char other[NV_POL_STORE_NAME_MAX + 1];
    if (nv_pol_store_parse_ref(refs[j], &t, other, NULL) == NV_OK && t == type &&
        strcmp(other, name) == 0)
      return true;
  }
  return false;
}

nv_status nv_pol_store_select(const nv_pol_store *s, const char *const *refs, size_t ref_count,
                              nv_pol_store_type want, nv_pol_certset **out, nv_diag *d)
{
  if (out != NULL)
    *out = NULL;
  if (s == NULL || out == NULL || (refs == NULL && ref_count > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "trust store: NULL argument");
  if (want != NV_POL_STORE_CA && want != NV_POL_STORE_SIGNING_AUTHORITY &&
      want != NV_POL_STORE_TSA)
    return nv_diag_set(d, NV_E_TRUSTSTORE_TYPE_INVALID, "unsupported trust store type: %d",
                       (int)want);
  /* which named stores, and how many certificates at most */
  size_t total = 0;
  for (size_t i = 0; i < ref_count; i++) {
    nv_pol_store_type type = NV_POL_STORE_NONE;
    char name[NV_POL_STORE_NAME_MAX + 1] = "";
    nv_status rc = nv_pol_store_parse_ref(refs[i], &type, name, d);
    if (rc != NV_OK)
      return rc;
    if (type != want || repeated_ref(refs, i, type, name))
      continue;
    const named_store *ns = find_store(s, type, name);
    if (ns == NULL)
      return nv_diag_set(d, NV_E_TRUSTSTORE_NOT_FOUND,
                         "the trust store \"%s\" of type \"%s\" does not exist", name,
                         nv_pol_store_type_name(type));
    if (ns->certs.count == 0)
      return nv_diag_set(d, NV_E_TRUSTSTORE_EMPTY,
                         "no x509 certificates were found in trust store \"%s\" of type \"%s\"",
                         name, nv_pol_store_type_name(type));
    total += ns->certs.count; /* bounded by s->total_certs */
  }

  nv_pol_certset *cs = calloc(1, sizeof(*cs));
  candidate *cand = calloc(total ? total : 1, sizeof(*cand));
  bool *keep = calloc(total ? total : 1, sizeof(*keep));
  if (cs == NULL || cand == NULL || keep == NULL) {
    free(cs);
    free(cand);
    free(keep);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory selecting trust stores");
  }
  nv_x509_list_init(&cs->certs);
  size_t seq = 0;
  for (size_t i = 0; i < ref_count; i++) {
    nv_pol_store_type type = NV_POL_STORE_NONE;
    char name[NV_POL_STORE_NAME_MAX + 1] = "";
    (void)nv_pol_store_parse_ref(refs[i], &type, name, NULL);
    if (type != want || repeated_ref(refs, i, type, name))
      continue;
    const named_store *ns = find_store(s, type, name);
    for (size_t k = 0; k < ns->certs.count; k++, seq++) {
      cand[seq].hash = ns->hashes[k];
      cand[seq].seq = seq;
      cand[seq].cert = ns->certs.items[k];
    }
  }
  qsort(cand, total, sizeof(*cand), cmp_candidates);
  size_t unique = 0;
  for (size_t i = 0; i < total; i++)
    if (i == 0 || memcmp(cand[i].hash.b, cand[i - 1].hash.b, HASH_LEN) != 0) {
      keep[cand[i].seq] = true;
      unique++;
    }
  nv_status rc = NV_OK;
  cs->sorted = calloc(unique ? unique : 1, sizeof(*cs->sorted));
  cs->certs.items = calloc(unique ? unique : 1, sizeof(*cs->certs.items));
  if (cs->sorted == NULL || cs->certs.items == NULL) {
    rc = nv_diag_set(d, NV_E_NOMEM, "out of memory selecting trust stores");
  } else {
    cs->certs.cap = unique ? unique : 1;
    size_t u = 0;
    for (size_t i = 0; i < total; i++)
      if (keep[cand[i].seq])
        cs->sorted[u++] = cand[i].hash;
    /* the list in policy order: walk the candidates by sequence number */
    X509 **by_seq = calloc(total ? total : 1, sizeof(*by_seq));
    if (by_seq == NULL) {
      rc = nv_diag_set(d, NV_E_NOMEM, "out of memory selecting trust stores");
    } else {
      for (size_t i = 0; i < total; i++)
        by_seq[cand[i].seq] = cand[i].cert;
      for (size_t i = 0; i < total && rc == NV_OK; i++) {
        if (!keep[i])
          continue;
        X509 *ref = nv_x509_ref(by_seq[i]);
        if (ref == NULL)
          rc = nv_diag_set(d, NV_E_INTERNAL, "cannot take a certificate reference");
        else
          cs->certs.items[cs->certs.count++] = ref;
      }
      free(by_seq);
    }
  }
  free(cand);
  free(keep);
  if (rc != NV_OK) {
    nv_pol_certset_free(cs);
    return rc;
  }
  *out = cs;
  return NV_OK;
}

nv_status nv_pol_certset_for_policy(const char *x509_dir, const char *const *refs,
                                    size_t ref_count, nv_pol_store_type want,
                                    nv_pol_certset **out, nv_diag *d)
{
  if (out != NULL)
    *out = NULL;
  nv_pol_store *s = NULL;
  nv_status rc = nv_pol_store_new(&s, d);
  if (rc == NV_OK)
    rc = nv_pol_store_load_refs(s, x509_dir, refs, ref_count, want, d);
  if (rc == NV_OK) {
    nv_pol_store_freeze(s);
    rc = nv_pol_store_select(s, refs, ref_count, want, out, d);
  }
  nv_pol_store_free(s);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Flux verification secrets                                           */

typedef struct flux_entry {
  char *key;
  uint8_t *data;
  size_t len;
} flux_entry;

struct nv_pol_flux_secret {
  bool has_policy;
  uint8_t *policy; /* NUL-terminated */
  size_t policy_len;
  flux_entry *certs;
  size_t count;
  size_t cap;
};

static bool has_suffix(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Flux's rule for certificate keys (case-sensitive). */
static bool is_cert_key(const char *key)
{
  return has_suffix(key, ".crt") || has_suffix(key, ".pem");
}

static bool is_secret_key(const char *key)
{
  return strcmp(key, NV_POL_FLUX_POLICY_KEY) == 0 || is_cert_key(key);
}

nv_status nv_pol_flux_secret_new(nv_pol_flux_secret **out, nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "flux secret: NULL argument");
  *out = calloc(1, sizeof(**out));
  if (*out == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory creating a flux secret");
  return NV_OK;
}

void nv_pol_flux_secret_free(nv_pol_flux_secret *fs)
{
  if (fs == NULL)
    return;
  for (size_t i = 0; i < fs->count; i++) {
    free(fs->certs[i].key);
    free(fs->certs[i].data);
  }
  free(fs->certs);
  free(fs->policy);
  free(fs);
}

static uint8_t *copy_bytes(const uint8_t *value, size_t len)
{
  uint8_t *p = malloc(len + 1);
  if (p == NULL)
    return NULL;
  if (len > 0)
    memcpy(p, value, len);
  p[len] = '\0';
  return p;
}

nv_status nv_pol_flux_secret_add(nv_pol_flux_secret *fs, const char *key, const uint8_t *value,
                                 size_t len, nv_diag *d)
{
  if (fs == NULL || key == NULL || (value == NULL && len > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "flux secret: NULL argument");
  if (key[0] == '\0' || strchr(key, '/') != NULL || strlen(key) > NV_POL_STORE_NAME_MAX)
    return nv_diag_set(d, NV_E_INVALID_ARG, "flux secret: invalid key \"%.300s\"", key);
  if (strcmp(key, NV_POL_FLUX_POLICY_KEY) == 0) {
    if (fs->has_policy)
      return nv_diag_set(d, NV_E_INVALID_ARG, "flux secret: key \"%s\" given twice", key);
    if (len > NV_LIMIT_POLICY_BYTES)
      return nv_diag_set(d, NV_E_POLICY_TOO_LARGE, "'%s' in secret is larger than %zu bytes", key,
                         NV_LIMIT_POLICY_BYTES);
    uint8_t *p = copy_bytes(value, len);
    if (p == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory reading a flux secret");
    fs->policy = p;
    fs->policy_len = len;
    fs->has_policy = true;
    return NV_OK;
  }
  if (!is_cert_key(key))
    return NV_OK; /* Flux ignores every other key */
  for (size_t i = 0; i < fs->count; i++)
    if (strcmp(fs->certs[i].key, key) == 0)
      return nv_diag_set(d, NV_E_INVALID_ARG, "flux secret: key \"%s\" given twice", key);
  if (fs->count >= NV_POL_STORE_MAX_FILES)
    return nv_diag_set(d, NV_E_TRUSTSTORE_TOO_LARGE, "more than %d certificate files in secret",
                       NV_POL_STORE_MAX_FILES);
  if (len > NV_LIMIT_CERT_FILE_BYTES)
    return nv_diag_set(d, NV_E_TRUSTSTORE_TOO_LARGE,
                       "certificate file %s in secret is larger than %zu bytes", key,
                       NV_LIMIT_CERT_FILE_BYTES);
  if (fs->count == fs->cap) {
    size_t cap = fs->cap ? fs->cap * 2 : 8;
    flux_entry *p = realloc(fs->certs, cap * sizeof(*p));
    if (p == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory reading a flux secret");
    fs->certs = p;
    fs->cap = cap;
  }
  flux_entry *e = &fs->certs[fs->count];
  e->key = strdup(key);
  e->data = copy_bytes(value, len);
  e->len = len;
  if (e->key == NULL || e->data == NULL) {
    free(e->key);
    free(e->data);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory reading a flux secret");
  }
  fs->count++;
  return NV_OK;
}

/* Kubernetes mounts a secret as `<key> -> ..data/<key>` and
 * `..data -> ..<timestamp>` (a directory beside them), swapped atomically
 * on update. Only that shape is followed, one link each, inside the secret
 * directory: `<key>` must point exactly at "..data/<key>" and `..data` at
 * a name starting with ".." without a '/'. Returns that directory, opened
 * (close it), or -1 when `key` is not such a link. */
static int k8s_data_dir(int dfd, const char *key)
{
  char link[NAME_MAX + 16], want[NAME_MAX + 16];
  ssize_t n = readlinkat(dfd, key, link, sizeof(link) - 1);
  if (n <= 0 || (size_t)n >= sizeof(link) - 1)
    return -1;
  link[n] = '\0';
  snprintf(want, sizeof(want), "..data/%s", key);
  if (strcmp(link, want) != 0)
    return -1;
  n = readlinkat(dfd, "..data", link, sizeof(link) - 1);
  if (n <= 2 || (size_t)n >= sizeof(link) - 1)
    return -1;
  link[n] = '\0';
  if (strncmp(link, "..", 2) != 0 || strchr(link, '/') != NULL || strcmp(link, "..") == 0 ||
      strcmp(link, "..data") == 0)
    return -1;
  return openat(dfd, link, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static nv_status flux_read_entry(nv_pol_flux_secret *fs, int dfd, const char *key, nv_diag *d)
{
  bool policy = strcmp(key, NV_POL_FLUX_POLICY_KEY) == 0;
  size_t limit = policy ? NV_LIMIT_POLICY_BYTES : NV_LIMIT_CERT_FILE_BYTES;
  uint8_t *data = NULL;
  size_t len = 0;
  int err = 0;
  nv_status rc;
  read_result got = read_regular_at(dfd, key, limit, &data, &len, &err);
  if (got == READ_NOT_REGULAR) { /* perhaps a Kubernetes secret volume */
    int kdfd = k8s_data_dir(dfd, key);
    if (kdfd >= 0) {
      got = read_regular_at(kdfd, key, limit, &data, &len, &err);
      close(kdfd);
    }
  }
  switch (got) {
  case READ_OK:
    rc = nv_pol_flux_secret_add(fs, key, data, len, d);
    break;
  case READ_NOT_REGULAR:
    rc = nv_diag_set(d, policy ? NV_E_POLICY_NOT_REGULAR_FILE : NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR,
                     "'%s' in secret directory is not a regular file (directories or symlinks "
                     "are not supported, except a Kubernetes secret volume's '%s -> ..data/%s')",
                     key, key, key);
    break;
  case READ_TOO_LARGE:
    rc = nv_diag_set(d, policy ? NV_E_POLICY_TOO_LARGE : NV_E_TRUSTSTORE_TOO_LARGE,
                     "'%s' in secret directory is larger than %zu bytes", key, limit);
    break;
  case READ_GONE:
  case READ_ERROR:
  default:
    rc = nv_diag_set(d,
                     err == ENOMEM ? NV_E_NOMEM
                     : policy      ? NV_E_POLICY_PERMISSION
                                   : NV_E_TRUSTSTORE_ACCESS,
                     "failed to read '%s' in secret directory: %s", key, strerror(err));
    break;
  }
  free(data);
  return rc;
}

nv_status nv_pol_flux_secret_load_dir(const char *dir, nv_pol_flux_secret **out, nv_diag *d)
{
  if (out != NULL)
    *out = NULL;
  if (dir == NULL || out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "flux secret: NULL argument");
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return nv_diag_set(d, errno == ENOENT ? NV_E_NOT_FOUND : NV_E_IO,
                       "cannot open the secret directory %s: %s", dir, strerror(errno));
  char **names = NULL;
  size_t n = 0;
  bool too_many = false;
  int err = 0;
  /* at most one policy and NV_POL_STORE_MAX_FILES certificate files */
  nv_status rc =
    list_dir(dfd, is_secret_key, NV_POL_STORE_MAX_FILES + 1, &names, &n, &too_many, &err, d);
  if (rc != NV_OK) {
    close(dfd);
    if (too_many)
      return nv_diag_set(d, NV_E_TRUSTSTORE_TOO_LARGE,
                         "more than %d certificate files in secret directory %s",
                         NV_POL_STORE_MAX_FILES, dir);
    if (rc == NV_E_NOMEM)
      return rc;
    return nv_diag_set(d, NV_E_IO, "cannot read the secret directory %s: %s", dir,
                       strerror(err));
  }
  nv_pol_flux_secret *fs = NULL;
  rc = nv_pol_flux_secret_new(&fs, d);
  for (size_t i = 0; i < n && rc == NV_OK; i++)
    rc = flux_read_entry(fs, dfd, names[i], d);
  close(dfd);
  free_names(names, n);
  if (rc == NV_OK && !fs->has_policy)
    rc = nv_diag_set(d, NV_E_POLICY_NOT_FOUND, "'%s' not found in secret", NV_POL_FLUX_POLICY_KEY);
  if (rc == NV_OK && fs->count == 0)
    rc = nv_diag_set(d, NV_E_TRUSTSTORE_EMPTY, "no certificates found in secret");
  if (rc != NV_OK) {
    nv_pol_flux_secret_free(fs);
    return rc;
  }
  *out = fs;
  return NV_OK;
}

nv_status nv_pol_flux_secret_policy(const nv_pol_flux_secret *fs, const uint8_t **data,
                                    size_t *len, nv_diag *d)
{
  if (data != NULL)
    *data = NULL;
  if (len != NULL)
    *len = 0;
  if (fs == NULL || data == NULL || len == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "flux secret: NULL argument");
  if (!fs->has_policy)
    return nv_diag_set(d, NV_E_POLICY_NOT_FOUND, "'%s' not found in secret",
                       NV_POL_FLUX_POLICY_KEY);
  *data = fs->policy;
  *len = fs->policy_len;
  return NV_OK;
}

size_t nv_pol_flux_secret_cert_files(const nv_pol_flux_secret *fs)
{
  return fs != NULL ? fs->count : 0;
}

static int cmp_entries(const void *a, const void *b)
{
  const flux_entry *const *x = a;
  const flux_entry *const *y = b;
  return strcmp((*x)->key, (*y)->key);
}

/* Every certificate of the secret, in key order, validated unless asked
 * not to; hashes[i] belongs to all->items[i]. */
static nv_status flux_collect(const nv_pol_flux_secret *fs, unsigned flags, named_store *all,
                              nv_diag *d)
{
  const flux_entry **order = calloc(fs->count, sizeof(*order));
  if (order == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory reading a flux secret");
  for (size_t i = 0; i < fs->count; i++)
    order[i] = &fs->certs[i];
  qsort(order, fs->count, sizeof(*order), cmp_entries);
  nv_status rc = NV_OK;
  nv_diag inner;
  nv_diag_init(&inner);
  for (size_t i = 0; i < fs->count && rc == NV_OK; i++) {
    const flux_entry *e = order[i];
    nv_x509_list list;
    nv_x509_list_init(&list);
    rc = nv_x509_read_certs(e->data, e->len, e->key, &list, &inner);
    if (rc == NV_E_NOMEM)
      rc = nv_diag_set(d, rc, "%s", inner.msg);
    else if (rc == NV_E_LIMIT)
      rc = nv_diag_set(d, NV_E_TRUSTSTORE_TOO_LARGE, "%s", inner.msg);
    else if (rc != NV_OK)
      rc = nv_diag_set(d, NV_E_TRUSTSTORE_CERT_PARSE,
                       "failed to read the certificates of '%s' in secret: %s", e->key, inner.msg);
    for (size_t k = 0; k < list.count && rc == NV_OK && !(flags & NV_POL_FLUX_NO_VALIDATION);
         k++)
      if (nv_pol_store_validate_cert(list.items[k], NV_POL_STORE_CA, &inner) != NV_OK)
        rc = nv_diag_set(d, NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED,
                         "failed to validate the certificate file '%s' in secret: %s", e->key,
                         inner.msg);
    if (rc == NV_OK && (list.count > NV_POL_STORE_MAX_CERTS ||
                        all->certs.count > NV_POL_STORE_MAX_CERTS - list.count))
      rc = nv_diag_set(d, NV_E_TRUSTSTORE_TOO_LARGE, "more than %d certificates in secret",
                       NV_POL_STORE_MAX_CERTS);
    if (rc == NV_OK)
      rc = ns_absorb(all, &list, d);
    nv_x509_list_free(&list);
  }
  free(order);
  return rc;
}

nv_status nv_pol_flux_secret_build_store(const nv_pol_flux_secret *fs, const char *const *refs,
                                         size_t ref_count, unsigned flags, nv_pol_store **out,
                                         nv_diag *d)
{
  if (out != NULL)
    *out = NULL;
  if (fs == NULL || out == NULL || (refs == NULL && ref_count > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "flux secret: NULL argument");
  if ((flags & ~(unsigned)NV_POL_FLUX_COMPAT) != 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "flux secret: unknown flags 0x%x", flags);
  if (fs->count == 0)
    return nv_diag_set(d, NV_E_TRUSTSTORE_EMPTY, "no certificates found in secret");
  /* the references first: a syntax error costs no parsing */
  for (size_t i = 0; i < ref_count; i++) {
    nv_pol_store_type type = NV_POL_STORE_NONE;
    char name[NV_POL_STORE_NAME_MAX + 1] = "";
    nv_status rc = nv_pol_store_parse_ref(refs[i], &type, name, d);
    if (rc != NV_OK)
      return rc;
  }
  named_store all;
  ns_init(&all, NV_POL_STORE_CA, "secret");
  nv_status rc = flux_collect(fs, flags, &all, d);
  bool *root = NULL;
  if (rc == NV_OK && !(flags & NV_POL_FLUX_ALL_STORES)) {
    root = calloc(all.certs.count ? all.certs.count : 1, sizeof(*root));
    if (root == NULL)
      rc = nv_diag_set(d, NV_E_NOMEM, "out of memory building a trust store");
    for (size_t i = 0; rc == NV_OK && i < all.certs.count; i++)
      root[i] = nv_x509_is_root_ca(all.certs.items[i], NULL, 0);
  }
  nv_pol_store *s = NULL;
  if (rc == NV_OK)
    rc = nv_pol_store_new(&s, d);
  for (size_t i = 0; i < ref_count && rc == NV_OK; i++) {
    nv_pol_store_type type = NV_POL_STORE_NONE;
    char name[NV_POL_STORE_NAME_MAX + 1] = "";
    (void)nv_pol_store_parse_ref(refs[i], &type, name, NULL);
    if (find_store(s, type, name) != NULL)
      continue; /* repeated entry */
    named_store tmp;
    ns_init(&tmp, type, name);
    rc = check_room(s, &tmp, all.certs.count, d);
    for (size_t k = 0; k < all.certs.count && rc == NV_OK; k++) {
      if (type == NV_POL_STORE_TSA && root != NULL && !root[k])
        continue; /* default mode: tsa stores receive roots only */
      rc = ns_push_ref(&tmp, all.certs.items[k], &all.hashes[k], d);
    }
    if (rc == NV_OK)
      rc = commit(s, &tmp, d);
    ns_free(&tmp);
  }
  free(root);
  ns_free(&all);
  if (rc != NV_OK) {
    nv_pol_store_free(s);
    return rc;
  }
  *out = s;
  return NV_OK;
}
