/* The Bearer token cache (see nv_reg_tokens.h). */
#include "registry/nv_reg_tokens.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "registry/nv_reg_util.h"

static void entry_free(nv_reg_token_entry *e)
{
  free(e->registry);
  free(e->scope);
  nv_reg_wipe_free(e->token);
  memset(e, 0, sizeof(*e));
}

static void remove_at(nv_reg_token_cache *c, size_t i)
{
  entry_free(&c->entries[i]);
  c->entries[i] = c->entries[c->count - 1];
  memset(&c->entries[c->count - 1], 0, sizeof(c->entries[0]));
  c->count--;
}

void nv_reg_token_cache_init(nv_reg_token_cache *c)
{
  memset(c, 0, sizeof(*c));
}

void nv_reg_token_cache_free(nv_reg_token_cache *c)
{
  if (c == NULL)
    return;
  for (size_t i = 0; i < c->count; i++)
    entry_free(&c->entries[i]);
  c->count = 0;
}

static size_t find(const nv_reg_token_cache *c, const char *registry, const char *scope)
{
  for (size_t i = 0; i < c->count; i++)
    if (strcasecmp(c->entries[i].registry, registry) == 0 &&
        strcmp(c->entries[i].scope, scope) == 0)
      return i;
  return SIZE_MAX;
}

const char *nv_reg_token_cache_get(nv_reg_token_cache *c, const char *registry,
                                   const char *scope, int64_t now_ms)
{
  size_t i = find(c, registry, scope);
  if (i == SIZE_MAX)
    return NULL;
  if (now_ms >= c->entries[i].expires_ms) {
    remove_at(c, i);
    return NULL;
  }
  return c->entries[i].token;
}

nv_status nv_reg_token_cache_put(nv_reg_token_cache *c, const char *registry, const char *scope,
                                 const char *token, int64_t expires_ms, int64_t now_ms,
                                 nv_diag *d)
{
  nv_reg_token_cache_drop(c, registry, scope);
  for (size_t i = c->count; i-- > 0;)
    if (now_ms >= c->entries[i].expires_ms)
      remove_at(c, i);
  if (c->count == NV_REG_TOKEN_CACHE_MAX) {
    size_t soonest = 0;
    for (size_t i = 1; i < c->count; i++)
      if (c->entries[i].expires_ms < c->entries[soonest].expires_ms)
        soonest = i;
    remove_at(c, soonest);
  }
  nv_reg_token_entry *e = &c->entries[c->count];
  e->registry = strdup(registry);
  e->scope = strdup(scope);
  e->token = strdup(token);
  e->expires_ms = expires_ms;
  if (e->registry == NULL || e->scope == NULL || e->token == NULL) {
    entry_free(e);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  c->count++;
  return NV_OK;
}

void nv_reg_token_cache_drop(nv_reg_token_cache *c, const char *registry, const char *scope)
{
  size_t i = find(c, registry, scope);
  if (i != SIZE_MAX)
    remove_at(c, i);
}

int64_t nv_reg_token_expiry_ms(int64_t now_ms, int64_t expires_in_s)
{
  if (expires_in_s < NV_REG_TOKEN_DEFAULT_LIFETIME_S)
    expires_in_s = NV_REG_TOKEN_DEFAULT_LIFETIME_S;
  if (expires_in_s > NV_REG_TOKEN_MAX_LIFETIME_S)
    expires_in_s = NV_REG_TOKEN_MAX_LIFETIME_S;
  return now_ms + expires_in_s * 1000 - NV_REG_TOKEN_MARGIN_MS;
}
