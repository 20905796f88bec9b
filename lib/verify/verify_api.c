/*
 * The public verification entry points (nv_verify, nv_verify_envelope,
 * nv_verify_blob) and their options. Each selects the trust policy
 * statement, handles level skip, and runs the per-signature pipeline
 * (pipeline.c) on one or more envelopes; the result object (result.c)
 * records every signature examined.
 *
 * Retrieval failures of one signature (a signature manifest or envelope
 * that is missing, too large, of the wrong type or digest) are recorded as
 * a failed signature and the next one is tried, within the attempt limit:
 * notation-go aborts the whole verification instead (notary-spec.md 2.3
 * item 7); skipping is as safe (nothing unverified passes) and a junk
 * referrer cannot hide a valid signature.
 */
#include <notaryc/nv_verify.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/nv_digest.h"
#include "base/nv_limits.h"
#include "base/nv_text.h"
#include "registry/nv_reg_source.h"
#include "verify/nv_vfy_context.h"
#include "verify/nv_vfy_pipeline.h"
#include "verify/nv_vfy_registry.h"
#include "verify/nv_vfy_result.h"
#include "verify/nv_vfy_trust.h"

#define MAX_SIGNATURES_LIMIT 10000u

struct nv_verify_opts {
  bool has_time;
  int64_t time;
  uint32_t max_signatures;
  char *keys[NV_VERIFY_MAX_USER_METADATA];
  char *values[NV_VERIFY_MAX_USER_METADATA];
  size_t metadata_count;
  char *layout_scope; /* NULL: references are registry references */
};

static const nv_verify_opts default_opts = {.max_signatures = NV_VERIFY_DEFAULT_MAX_SIGNATURES};

NV_API nv_status nv_verify_opts_new(nv_verify_opts **out)
{
  if (out == NULL)
    return NV_E_INVALID_ARG;
  *out = calloc(1, sizeof(**out));
  if (*out == NULL)
    return NV_E_NOMEM;
  (*out)->max_signatures = NV_VERIFY_DEFAULT_MAX_SIGNATURES;
  return NV_OK;
}

NV_API void nv_verify_opts_free(nv_verify_opts *o)
{
  if (o == NULL)
    return;
  for (size_t i = 0; i < o->metadata_count; i++) {
    free(o->keys[i]);
    free(o->values[i]);
  }
  free(o->layout_scope);
  free(o);
}

NV_API nv_status nv_verify_opts_set_time(nv_verify_opts *o, int64_t unix_seconds)
{
  if (o == NULL || unix_seconds < 0)
    return NV_E_INVALID_ARG;
  o->has_time = true;
  o->time = unix_seconds;
  return NV_OK;
}

NV_API nv_status nv_verify_opts_set_max_signatures(nv_verify_opts *o, uint32_t max)
{
  if (o == NULL || max == 0 || max > MAX_SIGNATURES_LIMIT)
    return NV_E_INVALID_ARG;
  o->max_signatures = max;
  return NV_OK;
}

static bool usable_text(const char *s)
{
  return s != NULL && s[0] != '\0' && nv_utf8_valid(s, strlen(s));
}

NV_API nv_status nv_verify_opts_add_user_metadata(nv_verify_opts *o, const char *key,
                                                  const char *value)
{
  if (o == NULL || !usable_text(key) || !usable_text(value))
    return NV_E_INVALID_ARG;
  for (size_t i = 0; i < o->metadata_count; i++)
    if (strcmp(o->keys[i], key) == 0)
      return NV_E_INVALID_ARG;
  if (o->metadata_count == NV_VERIFY_MAX_USER_METADATA)
    return NV_E_LIMIT;
  char *k = strdup(key), *v = strdup(value);
  if (k == NULL || v == NULL) {
    free(k);
    free(v);
    return NV_E_NOMEM;
  }
  o->keys[o->metadata_count] = k;
  o->values[o->metadata_count] = v;
  o->metadata_count++;
  return NV_OK;
}

NV_API nv_status nv_verify_opts_set_oci_layout(nv_verify_opts *o, const char *scope)
{
  if (o == NULL)
    return NV_E_INVALID_ARG;
  char *copy = NULL;
  if (scope != NULL) {
    if (nv_pol_check_scope(scope, NULL) != NV_OK)
      return NV_E_POLICY_SCOPE_INVALID;
    if ((copy = strdup(scope)) == NULL)
      return NV_E_NOMEM;
  }
  free(o->layout_scope);
  o->layout_scope = copy;
  return NV_OK;
}

/* ---- one verification ---- */

/* What every entry point shares while it runs. */
typedef struct session {
  nv_diag *d;
  const nv_verify_opts *opts;
  const nv_truststore *store;
  const nv_pol_statement *stmt;
  nv_pol_certset *sets[4]; /* by nv_pol_store_type, selected on first use */
  nv_result *result;
  nv_vfy_inputs in;
} session;

/* The pipeline's source of trusted certificates: the statement's stores
 * of one type, from the caller's trust store (nothing is read from disk). */
static nv_status trusted_certs(void *user, nv_pol_store_type type, const nv_pol_certset **out,
                               nv_diag *d)
{
  session *s = user;
  if ((size_t)type >= sizeof(s->sets) / sizeof(s->sets[0]))
    return nv_diag_set(d, NV_E_INTERNAL, "trust store type %d out of range", (int)type);
  if (s->sets[type] == NULL) {
    const char **refs = calloc(s->stmt->store_count + 1, sizeof(*refs));
    if (refs == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory");
    for (size_t i = 0; i < s->stmt->store_count; i++)
      refs[i] = s->stmt->stores[i].raw;
    nv_status rc = nv_pol_store_select(s->store->store, refs, s->stmt->store_count, type,
                                       &s->sets[type], d);
    free(refs);
    if (rc != NV_OK)
      return nv_diag_wrap(d, NV_OK,
                          "error while loading the trust store of policy statement \"%s\": ",
                          s->stmt->name);
  }
  *out = s->sets[type];
  return NV_OK;
}

static void session_free(session *s)
{
  for (size_t i = 0; i < sizeof(s->sets) / sizeof(s->sets[0]); i++)
    nv_pol_certset_free(s->sets[i]);
}

/* Checks shared by the entry points, then a result to fill. NV_OK or
 * NV_E_INVALID_ARG / NV_E_NOMEM (no result). */
static nv_status session_start(session *s, nv_ctx *ctx, const nv_trust_policy *policy,
                               nv_policy_kind kind, const nv_truststore *store,
                               const char *reference, const nv_verify_opts *opts,
                               nv_result **result, const char *fn)
{
  memset(s, 0, sizeof(*s));
  if (result != NULL)
    *result = NULL;
  if (ctx == NULL)
    return NV_E_INVALID_ARG;
  s->d = &ctx->diag;
  nv_diag_clear(s->d);
  if (policy == NULL || store == NULL || result == NULL)
    return nv_diag_set(s->d, NV_E_INVALID_ARG, "%s: the policy, store and result arguments "
                                               "are required", fn);
  nv_pol_doc_kind want = kind == NV_POLICY_BLOB ? NV_POL_DOC_BLOB : NV_POL_DOC_OCI;
  if (policy->doc->kind != want)
    return nv_diag_set(s->d, NV_E_INVALID_ARG, "%s needs %s trust policy, not %s one", fn,
                       want == NV_POL_DOC_BLOB ? "a blob" : "an OCI",
                       want == NV_POL_DOC_BLOB ? "an OCI" : "a blob");
  s->opts = opts != NULL ? opts : &default_opts;
  s->store = store;
  int64_t now = s->opts->has_time ? s->opts->time : (int64_t)time(NULL);
  s->result = nv_vfy_result_new(reference, now);
  if (s->result == NULL)
    return nv_diag_set(s->d, NV_E_NOMEM, "out of memory");
  s->in.trusted = trusted_certs;
  s->in.trusted_user = s;
  s->in.now = now;
  s->in.metadata_keys = (const char *const *)s->opts->keys;
  s->in.metadata_values = (const char *const *)s->opts->values;
  s->in.metadata_count = s->opts->metadata_count;
  s->in.cache = nv_vfy_ctx_cache(ctx, store->store); /* NULL: verify without one */
  s->in.revocation = &ctx->revocation;
  s->in.tsa_revocation = ctx->tsa_revocation;
  s->in.tsa_revocation_user = ctx->tsa_revocation_user;
  return NV_OK;
}

/* The statement is chosen: record it; level skip ends the verification. */
static bool use_statement(session *s, const nv_pol_statement *stmt, nv_status *rc)
{
  s->stmt = stmt;
  s->in.stmt = stmt;
  if ((*rc = nv_vfy_result_set_statement(s->result, stmt, s->d)) != NV_OK)
    return false;
  if (stmt->level != NV_POL_LEVEL_SKIP)
    return true;
  *rc = nv_diag_set(s->d, NV_E_SKIPPED,
                    "trust policy statement \"%s\" has level skip: the signatures were not "
                    "verified",
                    stmt->name);
  return false;
}

/* Run the pipeline on one envelope and record it. Returns the signature's
 * status, or NV_E_NOMEM. */
static nv_status verify_one(session *s, const char *manifest_digest, const char *media_type,
                            const uint8_t *env, size_t len)
{
  nv_vfy_sig_result sr;
  nv_status rc = nv_vfy_verify_signature(media_type, env, len, &s->in, &sr, s->d);
  nv_status add = nv_vfy_result_add_signature(s->result, &sr, manifest_digest, media_type, s->d);
  return add != NV_OK ? add : rc;
}

/* End a verification: the status and message go into the result, which
 * is handed over (or freed on NV_E_NOMEM). */
static nv_status session_end(session *s, nv_status rc, nv_result **result)
{
  session_free(s);
  if (rc == NV_E_NOMEM) {
    nv_result_free(s->result);
    return rc;
  }
  nv_vfy_result_finish(s->result, rc, s->d);
  *result = s->result;
  return rc;
}

/* The verdict for a single signature that did not pass. */
static nv_status single_verdict(session *s, nv_status sig_rc)
{
  if (sig_rc == NV_OK || sig_rc == NV_E_NOMEM)
    return sig_rc;
  return nv_diag_wrap(s->d, NV_E_VERIFICATION_FAILED, "signature verification failed: ");
}

/* ---- nv_verify_envelope ---- */

/* "<repository>@<digest>" for statement selection from a reference that
 * may carry a tag or a digest; a digest other than the target's adds a
 * warning. NULL when out of memory (reported in d). */
static char *selection_reference(session *s, const char *reference, const char *digest)
{
  size_t repo_len = strlen(reference);
  const char *at = strrchr(reference, '@');
  const char *slash = strrchr(reference, '/');
  const char *colon = strrchr(reference, ':');
  if (at != NULL) {
    repo_len = (size_t)(at - reference);
    if (strcmp(at + 1, digest) != 0 &&
        nv_vfy_result_warn(s->result, s->d,
                           "the reference names %s but the target descriptor is %s: the "
                           "target descriptor is what the signature is verified against",
                           at + 1, digest) != NV_OK)
      return NULL;
  } else if (colon != NULL && slash != NULL && colon > slash) {
    repo_len = (size_t)(colon - reference); /* a tag: only the repository counts */
  }
  size_t n = repo_len + 1 + strlen(digest) + 1;
  char *out = malloc(n);
  if (out == NULL) {
    nv_diag_set(s->d, NV_E_NOMEM, "out of memory");
    return NULL;
  }
  snprintf(out, n, "%.*s@%s", (int)repo_len, reference, digest);
  return out;
}

NV_API nv_status nv_verify_envelope(nv_ctx *ctx, const nv_trust_policy *policy,
                                    const nv_truststore *store, const char *reference,
                                    const char *target_media_type, const char *target_digest,
                                    uint64_t target_size, const char *envelope_media_type,
                                    const uint8_t *envelope, size_t envelope_len,
                                    const nv_verify_opts *opts, nv_result **result)
{
  session s;
  nv_status rc = session_start(&s, ctx, policy, NV_POLICY_OCI, store, reference, opts, result,
                               "nv_verify_envelope");
  if (rc != NV_OK)
    return rc;
  if (reference == NULL || target_media_type == NULL || target_digest == NULL ||
      envelope_media_type == NULL || (envelope == NULL && envelope_len > 0)) {
    nv_result_free(s.result);
    return nv_diag_set(s.d, NV_E_INVALID_ARG,
                       "nv_verify_envelope: reference, target descriptor and envelope are "
                       "required");
  }
  nv_descriptor target;
  nv_descriptor_init(&target);
  const nv_pol_statement *stmt = NULL;
  char *selector = NULL;
  nv_digest dg;
  if ((rc = nv_digest_parse(target_digest, strlen(target_digest), &dg, s.d)) != NV_OK) {
    nv_diag_wrap(s.d, NV_OK, "invalid target digest: ");
    goto out;
  }
  target.media_type = strdup(target_media_type);
  target.digest = strdup(target_digest);
  target.size = target_size;
  if (target.media_type == NULL || target.digest == NULL) {
    rc = nv_diag_set(s.d, NV_E_NOMEM, "out of memory");
    goto out;
  }
  if ((rc = nv_vfy_result_set_digest(s.result, target_digest, s.d)) != NV_OK)
    goto out;
  if ((selector = selection_reference(&s, reference, target_digest)) == NULL) {
    rc = nv_diag_status(s.d);
    goto out;
  }
  if ((rc = nv_pol_select_oci(policy->doc, selector, &stmt, s.d)) != NV_OK)
    goto out;
  if (!use_statement(&s, stmt, &rc))
    goto out;
  s.in.target = &target;
  rc = single_verdict(&s, verify_one(&s, "", envelope_media_type, envelope, envelope_len));
out:
  free(selector);
  nv_descriptor_free(&target);
  return session_end(&s, rc, result);
}

/* ---- nv_verify_blob ---- */

typedef struct blob_reader {
  nv_read_cb read;
  void *user;
} blob_reader;

static nv_status read_blob(void *user, uint8_t *buf, size_t cap, size_t *got, nv_diag *d)
{
  blob_reader *b = user;
  *got = 0;
  nv_status rc = b->read(b->user, buf, cap, got);
  if (rc != NV_OK)
    return nv_diag_set(d, NV_E_IO, "the blob read callback failed with %s (%d)",
                       nv_status_name(rc), (int)rc);
  return NV_OK;
}

NV_API nv_status nv_verify_blob(nv_ctx *ctx, const nv_trust_policy *policy,
                                const nv_truststore *store, const char *policy_name,
                                const char *envelope_media_type, const uint8_t *envelope,
                                size_t envelope_len, nv_read_cb read, void *read_user_data,
                                const char *blob_media_type, const nv_verify_opts *opts,
                                nv_result **result)
{
  session s;
  nv_status rc = session_start(&s, ctx, policy, NV_POLICY_BLOB, store,
                               policy_name != NULL ? policy_name : "", opts, result,
                               "nv_verify_blob");
  if (rc != NV_OK)
    return rc;
  if (envelope_media_type == NULL || read == NULL || (envelope == NULL && envelope_len > 0)) {
    nv_result_free(s.result);
    return nv_diag_set(s.d, NV_E_INVALID_ARG,
                       "nv_verify_blob: envelope media type, envelope and read callback are "
                       "required");
  }
  const nv_pol_statement *stmt = NULL;
  if ((rc = nv_pol_select_blob(policy->doc, policy_name, &stmt, s.d)) != NV_OK)
    return session_end(&s, rc, result);
  if (!use_statement(&s, stmt, &rc))
    return session_end(&s, rc, result);
  blob_reader br = {read, read_user_data};
  nv_vfy_blob blob = {read_blob, &br, blob_media_type};
  s.in.blob = &blob;
  rc = single_verdict(&s, verify_one(&s, "", envelope_media_type, envelope, envelope_len));
  return session_end(&s, rc, result);
}

/* ---- nv_verify on an OCI image layout ---- */

/* Fetch and check one signature manifest and its envelope, then verify.
 * A retrieval failure is recorded as the signature's failure. */
static nv_status try_signature(session *s, nv_reg_source *src, const nv_reg_sig_candidate *c,
                               const nv_descriptor *subject)
{
  nv_diag *d = s->d;
  const char *mdigest = c->desc.digest;
  if (c->status != NV_OK)
    return nv_vfy_result_add_retrieval_failure(s->result, mdigest, "", c->status,
                                               "the referrers index lists the artifact itself "
                                               "as its signature; entry ignored",
                                               d) == NV_OK
               ? c->status
               : NV_E_NOMEM;
  uint8_t *mbytes = NULL, *env = NULL;
  size_t mlen = 0, elen = 0;
  nv_reg_sig_manifest sm;
  nv_reg_sig_manifest_init(&sm);
  nv_status rc = nv_reg_sig_manifest_check_descriptor(&c->desc, d);
  if (rc == NV_OK)
    rc = src->ops->fetch(src, &c->desc, NV_LIMIT_MANIFEST_BYTES, NV_REG_FETCH_SIG_MANIFEST,
                         &mbytes, &mlen, d);
  if (rc == NV_OK)
    rc = nv_reg_sig_manifest_parse(&c->desc, mbytes, mlen, subject, 0, &sm, d);
  if (rc == NV_OK)
    rc = src->ops->fetch(src, sm.envelope, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_SIG_BLOB, &env,
                         &elen, d);
  if (rc == NV_OK) {
    rc = verify_one(s, mdigest, sm.envelope_media_type, env, elen);
  } else if (rc != NV_E_NOMEM) {
    nv_status code = rc;
    rc = nv_vfy_result_add_retrieval_failure(
        s->result, mdigest, sm.envelope_media_type ? sm.envelope_media_type : "", code, d->msg, d);
    if (rc == NV_OK)
      rc = code;
  }
  free(mbytes);
  free(env);
  nv_reg_sig_manifest_free(&sm);
  return rc;
}

/* The verdict after every listed signature failed. */
static nv_status all_failed(session *s, const nv_reg_sig_list *list, const char *what)
{
  if (list->count == 0)
    return nv_diag_set(s->d, NV_E_NO_SIGNATURES, "no signature is associated with %s, make "
                                                 "sure the artifact was signed successfully",
                       what);
  if (list->truncated)
    return nv_diag_set(s->d, NV_E_MAX_SIGNATURE_ATTEMPTS,
                       "signature evaluation stopped. The configured limit of %zu signatures "
                       "to verify per artifact exceeded (none of them passed; raise the limit "
                       "with --max-signatures to examine more)",
                       list->max);
  const nv_signature *last = &s->result->sigs[s->result->sig_count - 1];
  return nv_diag_set(s->d, NV_E_VERIFICATION_FAILED,
                     "none of the %zu signatures of %s passed verification; the last one "
                     "failed with %s: %s",
                     s->result->sig_count, what, nv_status_name(last->r.status), last->r.message);
}

/* Failures that are not one signature's fault (the registry cannot be
 * reached, the time is up, access is refused): the verification stops
 * with them instead of trying the next signature. OCI layouts never
 * return them. */
static bool stops_verification(nv_status rc)
{
  return rc == NV_E_NOMEM || rc == NV_E_TIMEOUT || rc == NV_E_NETWORK || rc == NV_E_TLS ||
         rc == NV_E_REGISTRY_AUTH || rc == NV_E_REGISTRY_DENIED || rc == NV_E_CREDENTIALS ||
         rc == NV_E_CALLBACK;
}

/* Resolve the artifact of `src`, list its signatures and try them in
 * order until one passes or the attempt limit is reached. */
static nv_status verify_source(session *s, nv_reg_source *src, const char *reference)
{
  nv_diag *d = s->d;
  nv_descriptor subject;
  nv_descriptor_init(&subject);
  nv_reg_sig_list list;
  nv_reg_sig_list_init(&list, s->opts->max_signatures);
  nv_status rc = src->ops->resolve(src, &subject, d);
  if (rc == NV_OK)
    rc = nv_vfy_result_set_digest(s->result, subject.digest, d);
  if (rc == NV_OK && src->tag != NULL)
    rc = nv_vfy_result_warn(s->result, d,
                            "tag \"%s\" resolved to %s: tags are mutable, refer to the "
                            "artifact by digest (%s@%s)",
                            src->tag, subject.digest, src->name, subject.digest);
  if (rc == NV_OK)
    rc = src->ops->list_signatures(src, &subject, &list, d);
  if (rc == NV_OK) {
    s->in.target = &subject;
    rc = NV_E_NO_SIGNATURES;
    for (size_t i = 0; i < list.count && rc != NV_OK && !stops_verification(rc); i++) {
      nv_diag_clear(d);
      rc = try_signature(s, src, &list.items[i], &subject);
    }
    if (rc != NV_OK && !stops_verification(rc))
      rc = all_failed(s, &list, reference);
    s->in.target = NULL;
  }
  nv_reg_sig_list_free(&list);
  nv_descriptor_free(&subject);
  return rc;
}

/* An OCI image layout: the statement is selected for the caller's scope
 * (the digest, unknown yet for a tag, does not take part in the
 * selection), so a skip level needs no layout at all. */
static nv_status verify_layout(session *s, const nv_trust_policy *policy, const char *reference)
{
  nv_diag *d = s->d;
  const nv_pol_statement *stmt = NULL;
  nv_reg_source *src = NULL;
  size_t n = strlen(s->opts->layout_scope) + sizeof("@sha256:");
  char *selector = malloc(n);
  if (selector == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  snprintf(selector, n, "%s@sha256:", s->opts->layout_scope);
  nv_status rc = nv_pol_select_oci(policy->doc, selector, &stmt, d);
  free(selector);
  if (rc == NV_E_NO_APPLICABLE_POLICY) /* the selector is ours: name the scope instead */
    rc = nv_diag_set(d, rc,
                     "no trust policy statement applies to scope \"%s\" (given for the OCI "
                     "layout %s): add the scope to a statement's registryScopes, or use a "
                     "statement with the scope \"*\"",
                     s->opts->layout_scope, reference);
  if (rc != NV_OK || !use_statement(s, stmt, &rc))
    return rc;
  if ((rc = nv_reg_source_open_layout(reference, &src, d)) == NV_OK)
    rc = verify_source(s, src, reference);
  nv_reg_source_close(src);
  return rc;
}

/* A registry reference: parsed strictly (no Docker Hub short names), the
 * statement selected for its repository before any request, so a skip
 * level costs no network; then the context's registry client. */
static nv_status verify_registry(session *s, nv_ctx *ctx, const nv_trust_policy *policy,
                                 const char *reference)
{
  nv_diag *d = s->d;
  nv_reg_ref ref;
  nv_status rc = nv_reg_ref_parse(reference, &ref, d);
  if (rc != NV_OK)
    return rc;
  const nv_pol_statement *stmt = NULL;
  nv_reg_source *src = NULL;
  size_t n = strlen(ref.registry) + strlen(ref.repository) + sizeof("/@sha256:");
  char *selector = malloc(n);
  if (selector == NULL) {
    nv_reg_ref_free(&ref);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  snprintf(selector, n, "%s/%s@sha256:", ref.registry, ref.repository);
  rc = nv_pol_select_oci(policy->doc, selector, &stmt, d);
  free(selector);
  if (rc == NV_E_NO_APPLICABLE_POLICY) /* the selector is ours: name the repository */
    rc = nv_diag_set(d, rc,
                     "no trust policy statement applies to the repository \"%s/%s\" of %s: add "
                     "it to a statement's registryScopes, or use a statement with the scope \"*\"",
                     ref.registry, ref.repository, reference);
  if (rc == NV_OK && use_statement(s, stmt, &rc)) {
    nv_reg_client *client = nv_vfy_ctx_registry(ctx);
    if (client == NULL)
      rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
    else if ((rc = nv_reg_source_open_remote(client, &ref, &src, d)) == NV_OK)
      rc = verify_source(s, src, reference);
    if (src != NULL)
      nv_log(d, NV_LOG_INFO, "registry", "%s: %u HTTP request(s)", reference,
             (unsigned)nv_reg_source_request_count(src));
  }
  nv_reg_source_close(src);
  nv_reg_ref_free(&ref);
  return rc;
}

NV_API nv_status nv_verify(nv_ctx *ctx, const nv_trust_policy *policy,
                           const nv_truststore *store, const char *reference,
                           const nv_verify_opts *opts, nv_result **result)
{
  session s;
  nv_status rc = session_start(&s, ctx, policy, NV_POLICY_OCI, store, reference, opts, result,
                               "nv_verify");
  if (rc != NV_OK)
    return rc;
  if (reference == NULL) {
    nv_result_free(s.result);
    return nv_diag_set(s.d, NV_E_INVALID_ARG, "nv_verify: no reference");
  }
  if (s.opts->layout_scope != NULL)
    rc = verify_layout(&s, policy, reference);
  else
    rc = verify_registry(&s, ctx, policy, reference);
  return session_end(&s, rc, result);
}
