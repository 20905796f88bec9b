/*
 * The per-context certificate cache and trust-store anchors (see
 * nv_x509_cache.h).
 *
 * Both caches are small rings searched linearly: at most a few hundred
 * entries, compared by the first 8 bytes of their SHA-256 before the
 * whole 32, so a lookup costs well under a microsecond and eviction is
 * "drop the oldest". Anchors are a sorted array searched by bisection.
 */
#include "x509/nv_x509_cache.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "x509/nv_x509_leaf.h"
#include "x509/nv_x509_parse.h"
#include "x509/nv_x509_store_helpers.h"

#define HASH_LEN 32

/* Most entries a cache may be given. */
#define MAX_ENTRIES 65536

/* ------------------------------------------------------------------ */
/* anchors                                                             */

typedef struct anchor {
  uint8_t hash[HASH_LEN];
  X509 *cert;    /* own reference */
  bool parse_ok; /* nv_x509_go_parse_ok(): an envelope may use it */
  bool root_ok;  /* nv_x509_root_rules_ok() passed */
} anchor;

struct nv_x509_anchors {
  atomic_size_t refs;
  anchor *items; /* ascending by hash, no duplicates */
  size_t count;
};

static int cmp_anchor(const void *a, const void *b)
{
  return memcmp(((const anchor *)a)->hash, ((const anchor *)b)->hash, HASH_LEN);
}

static const anchor *anchors_find(const nv_x509_anchors *a, const uint8_t hash[HASH_LEN])
{
  if (a == NULL || a->count == 0)
    return NULL;
  anchor key;
  memcpy(key.hash, hash, HASH_LEN);
  return bsearch(&key, a->items, a->count, sizeof(*a->items), cmp_anchor);
}

static bool same_name_der(X509 *cert)
{
  const unsigned char *s = NULL, *i = NULL;
  size_t sl = 0, il = 0;
  bool same = X509_NAME_get0_der(X509_get_subject_name(cert), &s, &sl) == 1 &&
              X509_NAME_get0_der(X509_get_issuer_name(cert), &i, &il) == 1 && sl == il &&
              memcmp(s, i, sl) == 0;
  ERR_clear_error();
  return same;
}

static void anchors_free(nv_x509_anchors *a)
{
  for (size_t i = 0; i < a->count; i++)
    X509_free(a->items[i].cert);
  free(a->items);
  free(a);
}

nv_status nv_x509_anchors_new(X509 *const *certs, size_t count, const nv_x509_anchors *base,
                              nv_x509_anchors **out, nv_diag *d)
{
  if (out == NULL || (certs == NULL && count > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_anchors_new: NULL argument");
  *out = NULL;
  nv_x509_anchors *a = calloc(1, sizeof(*a));
  if (a == NULL || (a->items = calloc(count ? count : 1, sizeof(*a->items))) == NULL) {
    free(a);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory indexing trust anchors");
  }
  atomic_init(&a->refs, 1);
  for (size_t i = 0; i < count; i++) {
    anchor *e = &a->items[a->count];
    nv_status rc = nv_x509_cert_sha256(certs[i], e->hash, d);
    if (rc == NV_OK && (e->cert = nv_x509_ref(certs[i])) == NULL)
      rc = nv_diag_set(d, NV_E_INTERNAL, "cannot take a certificate reference");
    if (rc != NV_OK) {
      anchors_free(a);
      return rc;
    }
    a->count++;
  }
  qsort(a->items, a->count, sizeof(*a->items), cmp_anchor);
  size_t n = 0;
  for (size_t i = 0; i < a->count; i++) {
    if (n > 0 && memcmp(a->items[n - 1].hash, a->items[i].hash, HASH_LEN) == 0) {
      X509_free(a->items[i].cert);
      continue;
    }
    a->items[n++] = a->items[i];
  }
  a->count = n;
  for (size_t i = 0; i < a->count; i++) {
    anchor *e = &a->items[i];
    const anchor *known = anchors_find(base, e->hash);
    if (known != NULL) {
      e->parse_ok = known->parse_ok;
      e->root_ok = known->root_ok;
      continue;
    }
    (void)nv_x509_remember_sha256(e->cert, e->hash);
    e->parse_ok = nv_x509_go_parse_ok(e->cert);
    /* Only a certificate named as its own issuer can pass; the others
     * cost no signature verification. */
    e->root_ok = e->parse_ok && same_name_der(e->cert) && nv_x509_root_rules_ok(e->cert);
  }
  *out = a;
  return NV_OK;
}

nv_x509_anchors *nv_x509_anchors_ref(nv_x509_anchors *a)
{
  if (a != NULL)
    atomic_fetch_add(&a->refs, 1);
  return a;
}

void nv_x509_anchors_unref(nv_x509_anchors *a)
{
  if (a != NULL && atomic_fetch_sub(&a->refs, 1) == 1)
    anchors_free(a);
}

size_t nv_x509_anchors_count(const nv_x509_anchors *a)
{
  return a != NULL ? a->count : 0;
}

/* ------------------------------------------------------------------ */
/* the cache                                                           */

typedef struct cert_entry {
  uint64_t tag; /* the first 8 bytes of hash, for a quick comparison */
  uint8_t hash[HASH_LEN];
  X509 *cert;   /* own reference */
  bool root_ok; /* it came from an anchor whose root rules passed */
} cert_entry;

typedef struct chain_entry {
  uint64_t tag;
  uint8_t hash[HASH_LEN];
  nv_x509_purpose purpose;
} chain_entry;

/* A ring: `count` entries used, the oldest at `next` once full. */
struct nv_x509_cache {
  cert_entry *certs;
  size_t max_certs, n_certs, next_cert;
  chain_entry *chains;
  size_t max_chains, n_chains, next_chain;
  nv_x509_anchors *anchors;
  nv_x509_cache_stats stats;
};

static uint64_t tag_of(const uint8_t hash[HASH_LEN])
{
  uint64_t t;
  memcpy(&t, hash, sizeof(t));
  return t;
}

nv_status nv_x509_cache_new(size_t max_certs, size_t max_chains, nv_x509_cache **out,
                            nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_cache_new: NULL argument");
  *out = NULL;
  if (max_certs == 0)
    max_certs = NV_X509_CACHE_DEFAULT_CERTS;
  if (max_chains == 0)
    max_chains = NV_X509_CACHE_DEFAULT_CHAINS;
  if (max_certs > MAX_ENTRIES || max_chains > MAX_ENTRIES)
    return nv_diag_set(d, NV_E_INVALID_ARG, "certificate cache limits above %d entries",
                       MAX_ENTRIES);
  nv_x509_cache *c = calloc(1, sizeof(*c));
  if (c != NULL) {
    c->certs = calloc(max_certs, sizeof(*c->certs));
    c->chains = calloc(max_chains, sizeof(*c->chains));
  }
  if (c == NULL || c->certs == NULL || c->chains == NULL) {
    nv_x509_cache_free(c);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory creating a certificate cache");
  }
  c->max_certs = max_certs;
  c->max_chains = max_chains;
  *out = c;
  return NV_OK;
}

void nv_x509_cache_free(nv_x509_cache *c)
{
  if (c == NULL)
    return;
  for (size_t i = 0; c->certs != NULL && i < c->n_certs; i++)
    X509_free(c->certs[i].cert);
  free(c->certs);
  free(c->chains);
  nv_x509_anchors_unref(c->anchors);
  free(c);
}

void nv_x509_cache_set_anchors(nv_x509_cache *c, nv_x509_anchors *a)
{
  if (c == NULL || c->anchors == a)
    return;
  nv_x509_anchors_ref(a);
  nv_x509_anchors_unref(c->anchors);
  c->anchors = a;
}

static cert_entry *find_cert(nv_x509_cache *c, const uint8_t hash[HASH_LEN])
{
  uint64_t tag = tag_of(hash);
  for (size_t i = 0; i < c->n_certs; i++)
    if (c->certs[i].tag == tag && memcmp(c->certs[i].hash, hash, HASH_LEN) == 0)
      return &c->certs[i];
  return NULL;
}

/* Remember `cert` (a new reference is taken); best effort. */
static void add_cert(nv_x509_cache *c, const uint8_t hash[HASH_LEN], X509 *cert, bool root_ok)
{
  X509 *ref = nv_x509_ref(cert);
  if (ref == NULL)
    return;
  cert_entry *e;
  if (c->n_certs < c->max_certs) {
    e = &c->certs[c->n_certs++];
  } else {
    e = &c->certs[c->next_cert];
    c->next_cert = (c->next_cert + 1) % c->max_certs;
    X509_free(e->cert);
  }
  e->tag = tag_of(hash);
  memcpy(e->hash, hash, HASH_LEN);
  e->cert = ref;
  e->root_ok = root_ok;
}

static bool find_chain(const nv_x509_cache *c, const uint8_t hash[HASH_LEN],
                       nv_x509_purpose purpose)
{
  uint64_t tag = tag_of(hash);
  for (size_t i = 0; i < c->n_chains; i++)
    if (c->chains[i].tag == tag && c->chains[i].purpose == purpose &&
        memcmp(c->chains[i].hash, hash, HASH_LEN) == 0)
      return true;
  return false;
}

static void add_chain(nv_x509_cache *c, const uint8_t hash[HASH_LEN], nv_x509_purpose purpose)
{
  chain_entry *e;
  if (c->n_chains < c->max_chains) {
    e = &c->chains[c->n_chains++];
  } else {
    e = &c->chains[c->next_chain];
    c->next_chain = (c->next_chain + 1) % c->max_chains;
  }
  e->tag = tag_of(hash);
  memcpy(e->hash, hash, HASH_LEN);
  e->purpose = purpose;
}

/* Certificate `index` of a chain through the cache: *out gets a new
 * reference. Errors are nv_x509_parse_chain_cert's. Only certificates
 * that passed every parser rule are remembered, so a hit passes them. */
static nv_status cached_cert(nv_x509_cache *c, const nv_buf *b, size_t index,
                             const uint8_t hash[HASH_LEN], X509 **out, bool *root_ok,
                             nv_diag *d)
{
  *root_ok = false;
  cert_entry *e = find_cert(c, hash);
  if (e != NULL && (*out = nv_x509_ref(e->cert)) != NULL) {
    c->stats.cert_hits++;
    *root_ok = e->root_ok;
    return NV_OK;
  }
  /* An anchor's hash is the SHA-256 of its DER encoding: these bytes are
   * that encoding, so the anchor is what parsing them would give. */
  const anchor *a = anchors_find(c->anchors, hash);
  if (a != NULL && a->parse_ok && (*out = nv_x509_ref(a->cert)) != NULL) {
    c->stats.anchor_hits++;
    add_cert(c, hash, a->cert, a->root_ok);
    *root_ok = a->root_ok;
    return NV_OK;
  }
  c->stats.parses++;
  nv_status rc = nv_x509_parse_chain_cert(b, index, out, d);
  if (rc == NV_OK)
    add_cert(c, hash, *out, false);
  return rc;
}

nv_status nv_x509_cache_parse_chain(nv_x509_cache *c, const nv_buf *ders, size_t count,
                                    nv_x509_list *out, nv_x509_chain_key *key, nv_diag *d)
{
  if (key != NULL)
    memset(key, 0, sizeof(*key));
  /* The bounds and argument errors of the uncached parser, with its
   * messages; it also appends to a list that is not empty. */
  if (c == NULL || out == NULL || ders == NULL || count == 0 || count > NV_X509_MAX_CHAIN_LEN ||
      out->count > 0)
    return nv_x509_parse_chain(ders, count, out, d);

  X509 **items = realloc(out->items, count * sizeof(*items));
  if (items == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory parsing the certificate chain");
  out->items = items;
  out->cap = count;
  /* The chain key: SHA-256 over the count and each certificate's hash. */
  uint8_t hashes[4 + NV_X509_MAX_CHAIN_LEN * HASH_LEN];
  hashes[0] = (uint8_t)(count >> 24);
  hashes[1] = (uint8_t)(count >> 16);
  hashes[2] = (uint8_t)(count >> 8);
  hashes[3] = (uint8_t)count;
  bool root_ok = false, hashed = true;
  for (size_t i = 0; i < count; i++) {
    uint8_t *hash = hashes + 4 + i * HASH_LEN;
    const nv_buf *b = &ders[i];
    nv_status rc;
    X509 *cert = NULL;
    root_ok = false;
    if (b->data == NULL || b->len == 0 || !nv_x509_sha256(b->data, b->len, hash)) {
      hashed = false;
      rc = nv_x509_parse_chain_cert(b, i, &cert, d); /* no cache without the hash */
    } else {
      rc = cached_cert(c, b, i, hash, &cert, &root_ok, d);
    }
    if (rc != NV_OK) {
      X509_free(cert);
      while (out->count > 0)
        X509_free(out->items[--out->count]);
      return rc;
    }
    out->items[out->count++] = cert;
  }
  if (key != NULL && hashed && nv_x509_sha256(hashes, 4 + count * HASH_LEN, key->hash)) {
    key->count = count;
    for (size_t i = 0; i < count; i++)
      key->certs[i] = out->items[i];
    key->root_checked = count > 1 && root_ok;
    key->valid = true;
  }
  return NV_OK;
}

/* Was `key` made for exactly these certificates? */
static bool key_is_for(const nv_x509_chain_key *key, X509 *const *chain, size_t count)
{
  if (key == NULL || !key->valid || chain == NULL || count == 0 || count != key->count)
    return false;
  for (size_t i = 0; i < count; i++)
    if (chain[i] != key->certs[i])
      return false;
  return true;
}

nv_status nv_x509_cache_validate_chain(nv_x509_cache *c, const nv_x509_chain_key *key,
                                       X509 *const *chain, size_t count,
                                       nv_x509_purpose purpose, nv_diag *d)
{
  if (c == NULL || !key_is_for(key, chain, count))
    return nv_x509_validate_chain(chain, count, purpose, d);
  if (find_chain(c, key->hash, purpose)) {
    c->stats.chain_hits++;
    return NV_OK;
  }
  nv_status rc = nv_x509_validate_chain_ex(chain, count, purpose, key->root_checked, d);
  if (rc == NV_OK)
    add_chain(c, key->hash, purpose);
  return rc;
}

void nv_x509_cache_get_stats(const nv_x509_cache *c, nv_x509_cache_stats *out)
{
  memset(out, 0, sizeof(*out));
  if (c == NULL)
    return;
  *out = c->stats;
  out->certs = c->n_certs;
  out->chains = c->n_chains;
}
