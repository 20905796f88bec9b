/*
 * The integrity step (notary-spec.md 14 step 2): decode the envelope, parse
 * its certificate chain, check that the leaf key decides the algorithm,
 * verify the signature and apply the code-signing chain rules. All failures
 * here are integrity failures, enforced at every level.
 */
#ifndef NV_VERIFY_INTEGRITY_H
#define NV_VERIFY_INTEGRITY_H

#include "envelope/nv_env.h"
#include "x509/nv_x509_cache.h"
#include "x509/nv_x509_certs.h"

typedef struct nv_vfy_signed {
  nv_env env;          /* the decoded envelope */
  nv_x509_list chain;  /* its parsed certificates, leaf first */
} nv_vfy_signed;

void nv_vfy_signed_init(nv_vfy_signed *s);
void nv_vfy_signed_free(nv_vfy_signed *s);

/* Run the integrity step on envelope bytes of a media type. `out` is
 * initialised by the call and must be freed, also after a failure (a
 * partly filled result helps to explain the failure). */
nv_status nv_vfy_check_integrity(const char *media_type, const uint8_t *data, size_t len,
                                 nv_vfy_signed *out, nv_diag *d);

/* The same through a per-context certificate cache (NULL: none, as
 * above): envelope certificates already seen are not parsed again, a
 * certificate byte-identical to one of the cache's trust-store anchors is
 * the anchor's, and a chain that passed the chain rules before passes
 * without running them. Results and errors are those of the uncached
 * step. */
nv_status nv_vfy_check_integrity_cached(const char *media_type, const uint8_t *data, size_t len,
                                        nv_x509_cache *cache, nv_vfy_signed *out, nv_diag *d);

/* The checks after decoding: chain present, leaf key decides the algorithm,
 * signature, chain rules. For envelopes decoded earlier (the public
 * nv_envelope). */
nv_status nv_vfy_verify_decoded(const nv_env *env, const nv_x509_list *chain, nv_diag *d);

#endif /* NV_VERIFY_INTEGRITY_H */
