/* The public trust policy and trust store objects over the policy layer. */
#include <notaryc/nv_trust.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy/nv_pol_policy.h"
#include "policy/nv_pol_store.h"
#include "verify/nv_vfy_context.h"
#include "verify/nv_vfy_trust.h"

/* Public enumerations to the policy layer's. */
static nv_pol_doc_kind doc_kind(nv_policy_kind kind)
{
  return kind == NV_POLICY_OCI ? NV_POL_DOC_OCI : kind == NV_POLICY_BLOB ? NV_POL_DOC_BLOB : 0;
}

static const char *store_type_name(nv_store_type type)
{
  switch (type) {
  case NV_STORE_CA:
    return nv_pol_store_type_name(NV_POL_STORE_CA);
  case NV_STORE_SIGNING_AUTHORITY:
    return nv_pol_store_type_name(NV_POL_STORE_SIGNING_AUTHORITY);
  case NV_STORE_TSA:
    return nv_pol_store_type_name(NV_POL_STORE_TSA);
  default:
    return NULL;
  }
}

/* Start of every entry point that takes a context: clear its last error. */
static nv_diag *begin(nv_ctx *ctx)
{
  if (ctx == NULL)
    return NULL;
  nv_diag_clear(&ctx->diag);
  return &ctx->diag;
}

static nv_status wrap_policy(nv_pol_doc *doc, nv_trust_policy **out, nv_diag *d)
{
  nv_trust_policy *p = calloc(1, sizeof(*p));
  if (p == NULL) {
    nv_pol_doc_free(doc);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  p->doc = doc;
  *out = p;
  return NV_OK;
}

NV_API nv_status nv_trust_policy_parse(nv_ctx *ctx, nv_policy_kind kind, const uint8_t *json,
                                       size_t len, nv_trust_policy **out)
{
  nv_diag *d = begin(ctx);
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL || out == NULL || (json == NULL && len > 0) || doc_kind(kind) == 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_trust_policy_parse: invalid argument");
  nv_pol_doc *doc = NULL;
  nv_status rc = nv_pol_parse(doc_kind(kind), json, len, &doc, d);
  return rc == NV_OK ? wrap_policy(doc, out, d) : rc;
}

NV_API nv_status nv_trust_policy_load(nv_ctx *ctx, nv_policy_kind kind, const char *path,
                                      nv_trust_policy **out)
{
  nv_diag *d = begin(ctx);
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL || out == NULL || path == NULL || doc_kind(kind) == 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_trust_policy_load: invalid argument");
  nv_pol_doc *doc = NULL;
  nv_status rc = nv_pol_load_file(doc_kind(kind), path, &doc, d);
  return rc == NV_OK ? wrap_policy(doc, out, d) : rc;
}

NV_API void nv_trust_policy_free(nv_trust_policy *policy)
{
  if (policy == NULL)
    return;
  nv_pol_doc_free(policy->doc);
  free(policy);
}

static const nv_pol_statement *statement(const nv_trust_policy *policy, size_t index)
{
  return policy != NULL && index < policy->doc->count ? &policy->doc->statements[index] : NULL;
}

NV_API size_t nv_trust_policy_statement_count(const nv_trust_policy *policy)
{
  return policy != NULL ? policy->doc->count : 0;
}

NV_API const char *nv_trust_policy_statement_name(const nv_trust_policy *policy, size_t index)
{
  const nv_pol_statement *s = statement(policy, index);
  return s ? s->name : NULL;
}

NV_API const char *nv_trust_policy_statement_level(const nv_trust_policy *policy, size_t index)
{
  const nv_pol_statement *s = statement(policy, index);
  return s ? nv_pol_level_name(s->level) : NULL;
}

NV_API size_t nv_trust_policy_statement_store_count(const nv_trust_policy *policy,
                                                   size_t index)
{
  const nv_pol_statement *s = statement(policy, index);
  return s ? s->store_count : 0;
}

NV_API const char *nv_trust_policy_statement_store(const nv_trust_policy *policy, size_t index,
                                                   size_t i)
{
  const nv_pol_statement *s = statement(policy, index);
  return s && i < s->store_count ? s->stores[i].raw : NULL;
}

NV_API size_t nv_trust_policy_statement_identity_count(const nv_trust_policy *policy,
                                                      size_t index)
{
  const nv_pol_statement *s = statement(policy, index);
  return s ? s->identity_count : 0;
}

NV_API const char *nv_trust_policy_statement_identity(const nv_trust_policy *policy,
                                                      size_t index, size_t i)
{
  const nv_pol_statement *s = statement(policy, index);
  return s && i < s->identity_count ? s->identities[i].raw : NULL;
}

NV_API nv_action nv_trust_policy_statement_action(const nv_trust_policy *policy, size_t index,
                                                  nv_check check)
{
  const nv_pol_statement *s = statement(policy, index);
  if (s == NULL || check < NV_CHECK_INTEGRITY || check > NV_CHECK_REVOCATION)
    return 0;
  /* public checks count from 1 in pipeline order, the layer's from 0 */
  return nv_vfy_action(nv_pol_stmt_action(s, (nv_pol_check)(check - 1)));
}

NV_API nv_status nv_trust_policy_select(nv_ctx *ctx, const nv_trust_policy *policy,
                                        const char *target, size_t *index_out)
{
  nv_diag *d = begin(ctx);
  if (ctx == NULL || policy == NULL || index_out == NULL ||
      (policy->doc->kind == NV_POL_DOC_OCI && target == NULL))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_trust_policy_select: invalid argument");
  const nv_pol_statement *s = NULL;
  nv_status rc = policy->doc->kind == NV_POL_DOC_OCI ? nv_pol_select_oci(policy->doc, target, &s, d)
                                                     : nv_pol_select_blob(policy->doc, target, &s, d);
  if (rc == NV_OK)
    *index_out = s->index;
  return rc;
}

NV_API nv_status nv_truststore_new(nv_ctx *ctx, nv_truststore **out)
{
  nv_diag *d = begin(ctx);
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL || out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_truststore_new: invalid argument");
  nv_truststore *ts = calloc(1, sizeof(*ts));
  if (ts == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  nv_status rc = nv_pol_store_new(&ts->store, d);
  if (rc != NV_OK) {
    free(ts);
    return rc;
  }
  *out = ts;
  return NV_OK;
}

NV_API void nv_truststore_free(nv_truststore *store)
{
  if (store == NULL)
    return;
  nv_pol_store_free(store->store);
  free(store);
}

NV_API nv_status nv_truststore_add_certs(nv_ctx *ctx, nv_truststore *store, nv_store_type type,
                                         const char *name, const uint8_t *data, size_t len)
{
  nv_diag *d = begin(ctx);
  if (ctx == NULL || store == NULL || name == NULL || (data == NULL && len > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_truststore_add_certs: invalid argument");
  if (store_type_name(type) == NULL)
    return nv_diag_set(d, NV_E_TRUSTSTORE_TYPE_INVALID,
                       "trust store type %d is not NV_STORE_CA, NV_STORE_SIGNING_AUTHORITY or "
                       "NV_STORE_TSA",
                       (int)type);
  return nv_pol_store_add_bytes(store->store, store_type_name(type), name, data, len,
                                "(in memory)", d);
}

/* <truststore_dir>/x509 */
static nv_status x509_dir(const char *truststore_dir, char *buf, size_t size, nv_diag *d)
{
  if ((size_t)snprintf(buf, size, "%s/x509", truststore_dir) >= size)
    return nv_diag_set(d, NV_E_INVALID_ARG, "trust store directory path is too long");
  return NV_OK;
}

NV_API nv_status nv_truststore_load_named(nv_ctx *ctx, nv_truststore *store,
                                          const char *truststore_dir, nv_store_type type,
                                          const char *name)
{
  nv_diag *d = begin(ctx);
  if (ctx == NULL || store == NULL || truststore_dir == NULL || name == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_truststore_load_named: invalid argument");
  if (store_type_name(type) == NULL)
    return nv_diag_set(d, NV_E_TRUSTSTORE_TYPE_INVALID, "unsupported trust store type %d",
                       (int)type);
  char dir[4096];
  nv_status rc = x509_dir(truststore_dir, dir, sizeof(dir), d);
  if (rc == NV_OK)
    rc = nv_pol_store_load_dir(store->store, dir, store_type_name(type), name, d);
  return rc;
}

nv_action nv_vfy_action(nv_pol_action action)
{
  switch (action) {
  case NV_POL_ACTION_ENFORCE:
    return NV_ACTION_ENFORCE;
  case NV_POL_ACTION_LOG:
    return NV_ACTION_LOG;
  case NV_POL_ACTION_SKIP:
    return NV_ACTION_SKIP;
  default:
    return 0;
  }
}

nv_status nv_vfy_policy_store_refs(const nv_pol_doc *doc, const char ***refs_out,
                                   size_t *count_out, nv_diag *d)
{
  size_t total = 0;
  for (size_t i = 0; i < doc->count; i++)
    total += doc->statements[i].store_count;
  const char **refs = calloc(total ? total : 1, sizeof(*refs));
  if (refs == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  size_t n = 0;
  for (size_t i = 0; i < doc->count; i++)
    for (size_t k = 0; k < doc->statements[i].store_count; k++)
      refs[n++] = doc->statements[i].stores[k].raw;
  *refs_out = refs;
  *count_out = n;
  return NV_OK;
}

/* Load the stores `refs` names from notation's layout under
 * truststore_dir, one entry at a time in order, so the first failing store
 * is the one reported. */
static nv_status load_refs(nv_truststore *store, const char *truststore_dir,
                           const char *const *refs, size_t n, nv_diag *d)
{
  char dir[4096];
  nv_status rc = x509_dir(truststore_dir, dir, sizeof(dir), d);
  for (size_t i = 0; rc == NV_OK && i < n; i++) {
    nv_pol_store_type type;
    char name[NV_POL_STORE_NAME_MAX + 1];
    rc = nv_pol_store_parse_ref(refs[i], &type, name, d);
    if (rc == NV_OK)
      rc = nv_pol_store_load_refs(store->store, dir, &refs[i], 1, type, d);
  }
  return rc;
}

NV_API nv_status nv_truststore_load_for_policy(nv_ctx *ctx, nv_truststore *store,
                                               const char *truststore_dir,
                                               const nv_trust_policy *policy)
{
  nv_diag *d = begin(ctx);
  if (ctx == NULL || store == NULL || truststore_dir == NULL || policy == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_truststore_load_for_policy: invalid argument");
  const char **refs = NULL;
  size_t n = 0;
  nv_status rc = nv_vfy_policy_store_refs(policy->doc, &refs, &n, d);
  if (rc == NV_OK)
    rc = load_refs(store, truststore_dir, refs, n, d);
  free(refs);
  return rc;
}

NV_API nv_status nv_truststore_load_for_statement(nv_ctx *ctx, nv_truststore *store,
                                                  const char *truststore_dir,
                                                  const nv_trust_policy *policy, size_t index)
{
  nv_diag *d = begin(ctx);
  const nv_pol_statement *s = statement(policy, index);
  if (ctx == NULL || store == NULL || truststore_dir == NULL || s == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG,
                       "nv_truststore_load_for_statement: invalid argument (a NULL pointer or "
                       "a statement index out of range)");
  const char **refs = calloc(s->store_count + 1, sizeof(*refs));
  if (refs == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  for (size_t i = 0; i < s->store_count; i++)
    refs[i] = s->stores[i].raw;
  nv_status rc = load_refs(store, truststore_dir, refs, s->store_count, d);
  free(refs);
  return rc;
}

NV_API size_t nv_truststore_cert_count(const nv_truststore *store, nv_store_type type,
                                       const char *name)
{
  if (store == NULL || name == NULL || store_type_name(type) == NULL)
    return 0;
  const nv_x509_list *certs =
    nv_pol_store_certs(store->store, nv_pol_store_type_from_name(store_type_name(type)), name);
  return certs != NULL ? certs->count : 0;
}

/* The policy and store a Flux secret describes (the checks Flux makes on
 * a secret, then the policy parsed, then the store built for it). */
static nv_status trust_from_secret(const nv_pol_flux_secret *fs, uint32_t flags,
                                   nv_trust_policy **policy_out, nv_truststore **store_out,
                                   nv_diag *d)
{
  nv_pol_doc *doc = NULL;
  nv_truststore *ts = NULL;
  const char **refs = NULL;
  size_t n = 0;
  const uint8_t *policy_bytes = NULL;
  size_t policy_len = 0;
  nv_status rc = nv_pol_flux_secret_policy(fs, &policy_bytes, &policy_len, d);
  if (rc == NV_OK && nv_pol_flux_secret_cert_files(fs) == 0)
    rc = nv_diag_set(d, NV_E_TRUSTSTORE_EMPTY, "no certificates found in secret");
  if (rc == NV_OK)
    rc = nv_pol_parse(NV_POL_DOC_OCI, policy_bytes, policy_len, &doc, d);
  if (rc == NV_OK)
    rc = nv_vfy_policy_store_refs(doc, &refs, &n, d);
  if (rc == NV_OK && (ts = calloc(1, sizeof(*ts))) == NULL)
    rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
  if (rc == NV_OK)
    rc = nv_pol_flux_secret_build_store(fs, refs, n,
                                        (flags & NV_FLUX_COMPAT) ? NV_POL_FLUX_COMPAT : 0,
                                        &ts->store, d);
  free(refs);
  if (rc == NV_OK)
    rc = wrap_policy(doc, policy_out, d);
  else
    nv_pol_doc_free(doc);
  if (rc != NV_OK) {
    nv_truststore_free(ts);
    return rc;
  }
  *store_out = ts;
  return NV_OK;
}

NV_API nv_status nv_trust_load_flux_secret(nv_ctx *ctx, const char *dir, uint32_t flags,
                                           nv_trust_policy **policy_out,
                                           nv_truststore **store_out)
{
  nv_diag *d = begin(ctx);
  if (policy_out != NULL)
    *policy_out = NULL;
  if (store_out != NULL)
    *store_out = NULL;
  if (ctx == NULL || dir == NULL || policy_out == NULL || store_out == NULL ||
      (flags & ~NV_FLUX_COMPAT) != 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_trust_load_flux_secret: invalid argument");
  nv_pol_flux_secret *fs = NULL;
  nv_status rc = nv_pol_flux_secret_load_dir(dir, &fs, d);
  if (rc == NV_OK)
    rc = trust_from_secret(fs, flags, policy_out, store_out, d);
  nv_pol_flux_secret_free(fs);
  return rc;
}

/* ---- a Flux secret given key by key ---- */

struct nv_flux_secret {
  nv_pol_flux_secret *fs;
};

NV_API nv_status nv_flux_secret_new(nv_ctx *ctx, nv_flux_secret **out)
{
  nv_diag *d = begin(ctx);
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL || out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_flux_secret_new: invalid argument");
  nv_flux_secret *s = calloc(1, sizeof(*s));
  if (s == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  nv_status rc = nv_pol_flux_secret_new(&s->fs, d);
  if (rc != NV_OK) {
    free(s);
    return rc;
  }
  *out = s;
  return NV_OK;
}

NV_API void nv_flux_secret_free(nv_flux_secret *secret)
{
  if (secret == NULL)
    return;
  nv_pol_flux_secret_free(secret->fs);
  free(secret);
}

NV_API nv_status nv_flux_secret_add(nv_ctx *ctx, nv_flux_secret *secret, const char *key,
                                    const uint8_t *value, size_t len)
{
  nv_diag *d = begin(ctx);
  if (ctx == NULL || secret == NULL || key == NULL || (value == NULL && len > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_flux_secret_add: invalid argument");
  return nv_pol_flux_secret_add(secret->fs, key, value, len, d);
}

NV_API nv_status nv_trust_from_flux_secret(nv_ctx *ctx, const nv_flux_secret *secret,
                                           uint32_t flags, nv_trust_policy **policy_out,
                                           nv_truststore **store_out)
{
  nv_diag *d = begin(ctx);
  if (policy_out != NULL)
    *policy_out = NULL;
  if (store_out != NULL)
    *store_out = NULL;
  if (ctx == NULL || secret == NULL || policy_out == NULL || store_out == NULL ||
      (flags & ~NV_FLUX_COMPAT) != 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_trust_from_flux_secret: invalid argument");
  return trust_from_secret(secret->fs, flags, policy_out, store_out, d);
}
