/*
 * The per-context certificate cache and trust-store anchors (see
 * nv_x509_cache.h).
 *
 * Both caches are small rings searched linearly: at most a few hundred
 * entries, skipped by a length and 8 bytes (certificates) or 8 bytes of
 * the hash (chains) before a full comparison, so a lookup costs well under
 * a microsecond and eviction is "drop the oldest". Anchors are a sorted
 * array searched by bisection.
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

/* What is known of an anchor, found out on first need (a pure function of
 * its bytes, so threads that race to find it out store the same value). */
enum {
  VERDICT_UNKNOWN = 0,
  VERDICT_NO = 1,
  VERDICT_PARSE_OK = 2, /* nv_x509_go_parse_ok(): an envelope may use it */
  VERDICT_ROOT_OK = 3   /* and nv_x509_root_rules_ok() passed */
};

typedef struct anchor {
  uint8_t hash[HASH_LEN];
  X509 *cert;         /* own reference */
  atomic_int verdict; /* VERDICT_* */
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

static anchor *anchors_find(const nv_x509_anchors *a, const uint8_t hash[HASH_LEN])
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

nv_status nv_x509_anchors_new(X509 *const *certs, size_t count, nv_x509_anchors **out,
                              nv_diag *d)
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
    atomic_init(&e->verdict, VERDICT_UNKNOWN);
    a->count++;
  }
  qsort(a->items, a->count, sizeof(*a->items), cmp_anchor);
  size_t n = 0;
  for (size_t i = 0; i < a->count; i++) {
    if (n > 0 && memcmp(a->items[n - 1].hash, a->items[i].hash, HASH_LEN) == 0) {
      X509_free(a->items[i].cert);
      continue;
    }
    if (n != i) {
      memcpy(a->items[n].hash, a->items[i].hash, HASH_LEN);
      a->items[n].cert = a->items[i].cert;
      atomic_init(&a->items[n].verdict, VERDICT_UNKNOWN);
    }
    n++;
  }
  a->count = n;
  *out = a;
  return NV_OK;
}

/* The anchor's verdict, found out on first need: the parser rules, then
 * (only for a certificate named as its own issuer; the others cost no
 * signature verification) the root rules. */
static int anchor_verdict(anchor *e)
{
  int v = atomic_load(&e->verdict);
  if (v != VERDICT_UNKNOWN)
    return v;
  if (!nv_x509_go_parse_ok(e->cert))
    v = VERDICT_NO;
  else if (same_name_der(e->cert) && nv_x509_root_rules_ok(e->cert))
    v = VERDICT_ROOT_OK;
  else
    v = VERDICT_PARSE_OK;
  atomic_store(&e->verdict, v);
  return v;
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
  uint8_t *der;   /* a copy of the DER bytes: a lookup compares them all */
  size_t der_len;
  uint64_t tail;  /* the last 8 of them (signature bits), to skip quickly */
  uint8_t hash[HASH_LEN]; /* their SHA-256 */
  X509 *cert;     /* own reference */
  bool root_ok;   /* it came from an anchor whose root rules passed */
} cert_entry;

typedef struct chain_entry {
  uint64_t tag;
  uint8_t hash[HASH_LEN];
  nv_x509_purpose purpose;
} chain_entry;

/* A ring of entries of one size: n used, grown by doubling up to max;
 * once full, the oldest (at next) is reused. */
typedef struct ring {
  void *items;
  size_t size, max, cap, n, next;
} ring;

struct nv_x509_cache {
  ring certs;  /* cert_entry */
  ring chains; /* chain_entry */
  nv_x509_anchors *anchors;
  nv_x509_cache_stats stats;
};

#define CERTS(c) ((cert_entry *)(c)->certs.items)
#define CHAINS(c) ((chain_entry *)(c)->chains.items)

/* The slot for one more entry: a new one while there is room (or memory
 * to grow), else the one added longest ago (*reused: the caller releases
 * what it held). NULL when there is no slot at all. */
static void *ring_slot(ring *r, bool *reused)
{
  *reused = false;
  if (r->n == r->cap && r->cap < r->max) {
    size_t want = r->cap == 0 ? 8 : r->cap * 2;
    if (want > r->max)
      want = r->max;
    void *p = realloc(r->items, want * r->size);
    if (p != NULL) {
      r->items = p;
      r->cap = want;
    }
  }
  if (r->n < r->cap)
    return (char *)r->items + r->n++ * r->size;
  if (r->n == 0)
    return NULL;
  size_t slot = r->next % r->n;
  r->next = slot + 1;
  *reused = true;
  return (char *)r->items + slot * r->size;
}

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
  if (c == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory creating a certificate cache");
  c->certs = (ring){NULL, sizeof(cert_entry), max_certs, 0, 0, 0};
  c->chains = (ring){NULL, sizeof(chain_entry), max_chains, 0, 0, 0};
  *out = c;
  return NV_OK;
}

void nv_x509_cache_free(nv_x509_cache *c)
{
  if (c == NULL)
    return;
  for (size_t i = 0; i < c->certs.n; i++) {
    X509_free(CERTS(c)[i].cert);
    free(CERTS(c)[i].der);
  }
  free(c->certs.items);
  free(c->chains.items);
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

static uint64_t tail_of(const uint8_t *der, size_t len)
{
  uint64_t t = 0;
  size_t n = len < sizeof(t) ? len : sizeof(t);
  memcpy(&t, der + len - n, n);
  return t;
}

/* The entry holding exactly these DER bytes. Looking up by the bytes
 * themselves costs a comparison, where their SHA-256 would cost more than
 * the rest of a cached verification. */
static cert_entry *find_cert(nv_x509_cache *c, const uint8_t *der, size_t len)
{
  uint64_t tail = tail_of(der, len);
  for (size_t i = 0; i < c->certs.n; i++) {
    cert_entry *e = &CERTS(c)[i];
    if (e->der_len == len && e->tail == tail && memcmp(e->der, der, len) == 0)
      return e;
  }
  return NULL;
}

/* Remember `cert`, parsed from `der` whose SHA-256 is `hash` (a new
 * reference and a copy of the bytes are taken); best effort. */
static void add_cert(nv_x509_cache *c, const uint8_t *der, size_t len,
                     const uint8_t hash[HASH_LEN], X509 *cert, bool root_ok)
{
  if (len == 0 || len > NV_X509_CACHE_MAX_DER)
    return;
  uint8_t *copy = malloc(len);
  X509 *ref = copy != NULL ? nv_x509_ref(cert) : NULL;
  bool reused = false;
  cert_entry *e = ref != NULL ? ring_slot(&c->certs, &reused) : NULL;
  if (e == NULL) {
    X509_free(ref);
    free(copy);
    return;
  }
  if (reused) {
    X509_free(e->cert);
    free(e->der);
  }
  memcpy(copy, der, len);
  e->der = copy;
  e->der_len = len;
  e->tail = tail_of(der, len);
  memcpy(e->hash, hash, HASH_LEN);
  e->cert = ref;
  e->root_ok = root_ok;
}

static bool find_chain(const nv_x509_cache *c, const uint8_t hash[HASH_LEN],
                       nv_x509_purpose purpose)
{
  uint64_t tag = tag_of(hash);
  for (size_t i = 0; i < c->chains.n; i++) {
    const chain_entry *e = &CHAINS(c)[i];
    if (e->tag == tag && e->purpose == purpose && memcmp(e->hash, hash, HASH_LEN) == 0)
      return true;
  }
  return false;
}

static void add_chain(nv_x509_cache *c, const uint8_t hash[HASH_LEN], nv_x509_purpose purpose)
{
  bool reused = false;
  chain_entry *e = ring_slot(&c->chains, &reused);
  if (e == NULL)
    return;
  e->tag = tag_of(hash);
  memcpy(e->hash, hash, HASH_LEN);
  e->purpose = purpose;
}

/* Certificate `index` of a chain through the cache: *out gets a new
 * reference. Errors are nv_x509_parse_chain_cert's. Only certificates
 * that passed every parser rule are remembered, so a hit passes them. */
static nv_status cached_cert(nv_x509_cache *c, const nv_buf *b, size_t index,
                             uint8_t hash[HASH_LEN], X509 **out, bool *root_ok, bool *hashed,
                             nv_diag *d)
{
  *root_ok = false;
  cert_entry *e = find_cert(c, b->data, b->len);
  if (e != NULL && (*out = nv_x509_ref(e->cert)) != NULL) {
    c->stats.cert_hits++;
    memcpy(hash, e->hash, HASH_LEN);
    *root_ok = e->root_ok;
    return NV_OK;
  }
  if (!nv_x509_sha256(b->data, b->len, hash)) {
    *hashed = false; /* no cache without the hash */
    return nv_x509_parse_chain_cert(b, index, out, d);
  }
  /* An anchor's hash is the SHA-256 of its DER encoding: these bytes are
   * that encoding, so the anchor is what parsing them would give. */
  anchor *a = anchors_find(c->anchors, hash);
  int verdict = a != NULL ? anchor_verdict(a) : VERDICT_NO;
  if (verdict != VERDICT_NO && (*out = nv_x509_ref(a->cert)) != NULL) {
    c->stats.anchor_hits++;
    add_cert(c, b->data, b->len, hash, a->cert, verdict == VERDICT_ROOT_OK);
    *root_ok = verdict == VERDICT_ROOT_OK;
    return NV_OK;
  }
  c->stats.parses++;
  nv_status rc = nv_x509_parse_chain_cert(b, index, out, d);
  if (rc == NV_OK)
    add_cert(c, b->data, b->len, hash, *out, false);
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
    if (b->data == NULL || b->len == 0) {
      hashed = false;
      rc = nv_x509_parse_chain_cert(b, i, &cert, d); /* its error */
    } else {
      rc = cached_cert(c, b, i, hash, &cert, &root_ok, &hashed, d);
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
  out->certs = c->certs.n;
  out->chains = c->chains.n;
}
