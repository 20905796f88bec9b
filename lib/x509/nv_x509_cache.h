/*
 * Per-context certificate cache (docs/design.md section 6,
 * docs/performance.md "Caches").
 *
 * An nv_x509_cache remembers, for one verification context:
 *   - parsed envelope certificates with their DER bytes and the SHA-256
 *     of them: a certificate whose bytes are seen again is not parsed
 *     again (X509_up_ref of the remembered one). Entries are found by
 *     comparing the bytes themselves (cheaper than hashing them again;
 *     the hash is computed once, for a certificate not found). At most
 *     `max_certs` entries of at most NV_X509_CACHE_MAX_DER bytes each
 *     (a larger certificate is parsed every time); when full, the entry
 *     added longest ago is dropped (its certificate lives on in the
 *     lists that still hold it).
 *   - chains that passed the chain rules (nv_x509_validate_chain), keyed
 *     by a SHA-256 over the purpose and every certificate's DER hash, in
 *     order. The chain rules do not depend on the time (validity periods
 *     belong to the authentic-timestamp step) nor on anything but those
 *     bytes and the purpose, so a hit means the same chain passed the same
 *     rules before. Failures are not remembered. At most `max_chains`
 *     entries, dropped oldest first.
 * and it can use a trust store's anchors (nv_x509_anchors): an envelope
 * certificate whose DER hash is the hash of an anchor is the anchor's
 * X509 (X509_up_ref), never parsed, and a chain ending in an anchor whose
 * root rules passed when the anchors were built does not verify the
 * root's self-signature again.
 *
 * A cache is used by one thread at a time (no lock). Anchors are
 * immutable once built and reference counted (atomically), so one set may
 * be shared by the caches of many threads and outlive its trust store.
 * Every cached object is a pure function of the bytes it is keyed by;
 * nothing is keyed by a pointer.
 */
#ifndef NV_X509_CACHE_H
#define NV_X509_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_buf.h"
#include "x509/nv_x509_chain.h"

#define NV_X509_CACHE_DEFAULT_CERTS 256
#define NV_X509_CACHE_DEFAULT_CHAINS 256
/* Largest certificate remembered: 256 entries hold at most 2 MiB. */
#define NV_X509_CACHE_MAX_DER 8192

typedef struct nv_x509_cache nv_x509_cache;
typedef struct nv_x509_anchors nv_x509_anchors;

/* ---- anchors: a trust store's certificates, indexed by hash ---- */

/* Index `certs` (duplicates are indexed once) by their X509_digest
 * SHA-256 (remembered with each certificate where the owner had it
 * remembered, nv_x509_remember_sha256; computed otherwise). Each
 * certificate gets one more reference. On first use as an envelope's
 * certificate, an anchor is checked once against the parser rules and, if
 * it is named as its own issuer, the root rules (nv_x509_root_rules_ok:
 * one signature verification); the verdict is kept in the index (atomic:
 * an index may be used by many threads at once). The result starts with
 * one reference. */
nv_status nv_x509_anchors_new(X509 *const *certs, size_t count, nv_x509_anchors **out,
                              nv_diag *d);
nv_x509_anchors *nv_x509_anchors_ref(nv_x509_anchors *a);
void nv_x509_anchors_unref(nv_x509_anchors *a);
size_t nv_x509_anchors_count(const nv_x509_anchors *a);

/* ---- the cache ---- */

/* 0 for a limit means its default. */
nv_status nv_x509_cache_new(size_t max_certs, size_t max_chains, nv_x509_cache **out,
                            nv_diag *d);
void nv_x509_cache_free(nv_x509_cache *c);

/* Use these anchors from now on (a reference is taken; NULL: none). The
 * remembered certificates and chains stay: they depend on bytes only. */
void nv_x509_cache_set_anchors(nv_x509_cache *c, nv_x509_anchors *a);

/* What nv_x509_cache_parse_chain learnt about the chain, for
 * nv_x509_cache_validate_chain. */
typedef struct nv_x509_chain_key {
  bool valid;            /* the fields below are set */
  uint8_t hash[32];      /* SHA-256 over the certificates' DER hashes */
  size_t count;          /* the certificates, as parsed: a key is only */
  const X509 *certs[NV_X509_MAX_CHAIN_LEN]; /* used for this very chain */
  bool root_checked;     /* the last is an anchor whose root rules passed */
} nv_x509_chain_key;

/* nv_x509_parse_chain through the cache: same results and errors. With a
 * NULL cache, nv_x509_parse_chain. `key` (may be NULL) is filled on
 * success. */
nv_status nv_x509_cache_parse_chain(nv_x509_cache *c, const nv_buf *ders, size_t count,
                                    nv_x509_list *out, nv_x509_chain_key *key, nv_diag *d);

/* nv_x509_validate_chain through the cache: a chain remembered as passed
 * (same key, same purpose) passes at once; otherwise the rules run and a
 * pass is remembered. `key` must come from nv_x509_cache_parse_chain for
 * this very chain (the same X509 objects, which the caller still holds);
 * with a NULL cache or key, or a key that is not valid or not this
 * chain's, plain nv_x509_validate_chain. */
nv_status nv_x509_cache_validate_chain(nv_x509_cache *c, const nv_x509_chain_key *key,
                                       X509 *const *chain, size_t count,
                                       nv_x509_purpose purpose, nv_diag *d);

/* For tests and the benchmark. */
typedef struct nv_x509_cache_stats {
  size_t certs;        /* certificates held */
  size_t chains;       /* chains held */
  size_t parses;       /* DER certificates parsed (neither cached nor an anchor) */
  size_t cert_hits;    /* certificates served from the cache */
  size_t anchor_hits;  /* certificates served from the anchors */
  size_t chain_hits;   /* chain validations answered from the cache */
} nv_x509_cache_stats;

void nv_x509_cache_get_stats(const nv_x509_cache *c, nv_x509_cache_stats *out);

#endif /* NV_X509_CACHE_H */
