/*
 * Revocation of a certificate chain (notary-spec.md section 11): for each
 * certificate below the root, OCSP first (its AIA responders, in order),
 * then its CRL distribution points when OCSP gives no answer; the
 * judgements are the x509 layer's (nv_x509_revocation.h), the fetching
 * goes through the registry layer's HTTP transport (nv_reg_http_send), so
 * a context's fetch override carries it.
 *
 * Certificates are checked concurrently (one thread each) when libcurl
 * does the fetching; with a fetch callback (which runs on the calling
 * thread) one after the other, each fetch bounded by its time-out.
 */
#ifndef NV_VERIFY_REVOCATION_H
#define NV_VERIFY_REVOCATION_H

#include <notaryc/nv_registry.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_diag.h"

typedef struct x509_st X509;

#define NV_VFY_REV_OCSP_TIMEOUT_MS 2000u
#define NV_VFY_REV_CRL_TIMEOUT_MS 5000u

/* Revocation data kept in memory per context: downloaded CRLs by URL
 * (used until their nextUpdate), preloaded CRLs, and OCSP answers that
 * gave a status (by "ocsp:" and the SHA-256 of the request; checked
 * again at every use, so a stale one is fetched anew). At most
 * NV_VFY_REV_CACHE_MAX entries and NV_VFY_REV_CACHE_BYTES bytes; the
 * oldest download goes first (preloaded CRLs stay). Thread-safe. */
#define NV_VFY_REV_CACHE_MAX 256
#define NV_VFY_REV_CACHE_BYTES ((size_t)64 << 20)
typedef struct nv_vfy_rev_cache nv_vfy_rev_cache;
nv_status nv_vfy_rev_cache_new(nv_vfy_rev_cache **out);
void nv_vfy_rev_cache_free(nv_vfy_rev_cache *c);
/* Keep DER bytes under `url` (a CRL URL or an "ocsp:" key), valid until
 * `next_update`; `url` NULL: a preloaded CRL. NV_E_LIMIT when it cannot
 * fit (preloaded CRLs are never dropped). */
nv_status nv_vfy_rev_cache_put(nv_vfy_rev_cache *c, const char *url, const uint8_t *der,
                               size_t len, int64_t next_update, nv_diag *d);

typedef struct nv_vfy_rev_settings {
  uint32_t ocsp_timeout_ms; /* per request; 0: NV_VFY_REV_OCSP_TIMEOUT_MS */
  uint32_t crl_timeout_ms;  /* per request; 0: NV_VFY_REV_CRL_TIMEOUT_MS */
  nv_http_fetch_cb fetch_cb; /* NULL: libcurl */
  void *fetch_user;
  const char *ca_file; /* for https URLs (which are refused today); NULL: system */
  const char *proxy;   /* NULL: environment, "": none */
  bool offline; /* no request: only cached answers and preloaded CRLs, else unknown */
  nv_vfy_rev_cache *cache; /* NULL: none */
  /* a directory for downloaded CRLs (file "crl-<sha256 of the URL>"),
   * written atomically inside it, validated when read, used until the
   * CRL's nextUpdate; NULL: none */
  char *cache_dir;
} nv_vfy_rev_settings;

typedef struct nv_vfy_rev_outcome {
  /* certificates below the root that name neither an OCSP responder nor a
   * CRL distribution point, so could not be checked (not a failure) */
  size_t unchecked;
  char warning[512]; /* names them; "" when none */
  size_t checked;    /* certificates with a definite answer (good) */
} nv_vfy_rev_outcome;

/*
 * Check chain[0..count-2] (chain[i] issued by chain[i+1]; the root,
 * chain[count-1], is never checked; a chain of one self-signed
 * certificate has nothing to check) at `now`. `signing_time` non-zero:
 * the authentic signing time, against which invalidity dates are judged.
 * Returns
 *   NV_OK                        every certificate good or unchecked
 *   NV_E_CERT_REVOKED            one is revoked (the message names it)
 *   NV_E_REVOCATION_UNKNOWN      none revoked, one could not be judged
 *                                (the message names the one nearest the
 *                                leaf and the last source error)
 *   NV_E_REVOCATION_CHECK_ERROR  the chain itself is unusable (a
 *                                certificate not issued by the next)
 *   NV_E_NOMEM.
 * `out` is always filled.
 */
nv_status nv_vfy_revocation_check_chain(const nv_vfy_rev_settings *s, X509 *const *chain,
                                        size_t count, int64_t now, int64_t signing_time,
                                        nv_vfy_rev_outcome *out, nv_diag *d);

/*
 * The same for a TSA chain, shaped as nv_vfy_tsa_revocation_fn (see
 * nv_vfy_pipeline.h) for the authentic-timestamp step: `user` is a
 * const nv_vfy_rev_settings * (NULL: the defaults), the time is the
 * current time, invalidity dates are judged against `gen_time`. Codes:
 * NV_E_TSA_CERT_REVOKED, NV_E_TSA_REVOCATION_UNKNOWN,
 * NV_E_TSA_REVOCATION_CHECK_ERROR (and NV_E_NOMEM).
 */
nv_status nv_vfy_revocation_check_tsa_chain(void *user, X509 *const *chain, size_t count,
                                            int64_t gen_time, nv_diag *d);

#endif /* NV_VERIFY_REVOCATION_H */
