/*
 * Bearer tokens of one context, per (registry, scope), kept until they
 * expire (design.md section 6: one token exchange per verification, not
 * one per request). Bounded: at most NV_REG_TOKEN_CACHE_MAX entries; when
 * full, expired entries go first, then the one that expires soonest.
 * Token text is overwritten before it is freed. Times are milliseconds of
 * the monotonic clock (nv_reg_now_ms), passed in so tests can move time.
 */
#ifndef NV_REGISTRY_TOKENS_H
#define NV_REGISTRY_TOKENS_H

#include <stddef.h>
#include <stdint.h>
#include "base/nv_diag.h"

#define NV_REG_TOKEN_CACHE_MAX 32
/* Token lifetimes: "expires_in" absent or < 60 s counts as 60 s (the
 * distribution token specification's minimum), more than a day as a day;
 * a token is dropped NV_REG_TOKEN_MARGIN_MS before it expires, so a
 * request is not sent with a token that runs out on the way. */
#define NV_REG_TOKEN_DEFAULT_LIFETIME_S 60
#define NV_REG_TOKEN_MAX_LIFETIME_S 86400
#define NV_REG_TOKEN_MARGIN_MS 10000

typedef struct nv_reg_token_entry {
  char *registry;
  char *scope;
  char *token;
  int64_t expires_ms;
} nv_reg_token_entry;

typedef struct nv_reg_token_cache {
  nv_reg_token_entry entries[NV_REG_TOKEN_CACHE_MAX];
  size_t count;
} nv_reg_token_cache;

void nv_reg_token_cache_init(nv_reg_token_cache *c);
void nv_reg_token_cache_free(nv_reg_token_cache *c);

/* The token for (registry, scope) if it is still valid at now_ms, else
 * NULL (an expired entry is removed). Owned by the cache, valid until the
 * next call that changes it. */
const char *nv_reg_token_cache_get(nv_reg_token_cache *c, const char *registry,
                                   const char *scope, int64_t now_ms);

/* Store (or replace) the token for (registry, scope), valid until
 * expires_ms. NV_E_NOMEM. */
nv_status nv_reg_token_cache_put(nv_reg_token_cache *c, const char *registry, const char *scope,
                                 const char *token, int64_t expires_ms, int64_t now_ms,
                                 nv_diag *d);

/* Forget the token for (registry, scope) (the registry refused it). */
void nv_reg_token_cache_drop(nv_reg_token_cache *c, const char *registry, const char *scope);

/* When a token issued at now_ms with "expires_in" seconds (<= 0: absent)
 * stops being used, per the rules above. */
int64_t nv_reg_token_expiry_ms(int64_t now_ms, int64_t expires_in_s);

#endif /* NV_REGISTRY_TOKENS_H */
