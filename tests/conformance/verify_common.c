/* What the verify operations share: see verify_common.h. */
#include "verify_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/nv_time.h"
#include "policy/nv_pol_store.h"
#include "verify/nv_vfy_context.h"
#include "verify/nv_vfy_trust.h"

nv_status verify_tsa_not_revoked(void *user, X509 *const *chain, size_t count,
                                 int64_t gen_time, nv_diag *d)
{
  (void)user, (void)chain, (void)count, (void)gen_time, (void)d;
  return NV_OK;
}

void verify_in_init(verify_in *vi, nv_pol_doc_kind kind)
{
  memset(vi, 0, sizeof(*vi));
  vi->kind = kind;
  nv_buf_init(&vi->envelope, (size_t)64 << 20);
  nv_descriptor_init(&vi->target);
}

void verify_in_free(verify_in *vi)
{
  nv_buf_free(&vi->envelope);
  nv_descriptor_free(&vi->target);
  free(vi->keys);
  free(vi->values);
  vi->keys = NULL;
  vi->values = NULL;
}

/* "user_metadata": {key: value} the payload must carry. */
static bool read_user_metadata(case_ctx *c, verify_in *vi)
{
  const nv_json *md = in_value(c, "user_metadata");
  if (md == NULL)
    return true;
  if (nv_json_type_of(md) != NV_JSON_OBJECT) {
    op_failure_msg(c, NV_E_INVALID_ARG, "user_metadata must be an object");
    return false;
  }
  size_t n = nv_json_count(md);
  vi->keys = calloc(n + 1, sizeof(*vi->keys));
  vi->values = calloc(n + 1, sizeof(*vi->values));
  if (vi->keys == NULL || vi->values == NULL) {
    op_failure_msg(c, NV_E_NOMEM, "out of memory");
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    const nv_json *m = nv_json_at(md, i);
    vi->keys[i] = nv_json_key(m);
    vi->values[i] = nv_json_string(m);
    if (vi->values[i] == NULL) {
      op_failure_msg(c, NV_E_INVALID_ARG, "user_metadata values must be strings");
      return false;
    }
  }
  vi->metadata_count = n;
  return true;
}

bool verify_read_common(case_ctx *c, verify_in *vi)
{
  const char *store = in_string(c, "store_dir");
  const char *when = in_string(c, "verification_time");
  if (store == NULL || when == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "inputs store_dir and verification_time are required");
    return false;
  }
  if ((size_t)snprintf(vi->store_dir, sizeof(vi->store_dir), "%s/%s", c->root, store) >=
      sizeof(vi->store_dir)) {
    op_failure_msg(c, NV_E_INVALID_ARG, "store_dir path too long");
    return false;
  }
  nv_diag d;
  nv_diag_init(&d);
  if (nv_time_parse_rfc3339(when, strlen(when), &vi->now, NULL, &d) != NV_OK) {
    op_failure(c, &d);
    return false;
  }
  return read_user_metadata(c, vi);
}

/* The JSON text of `j` as a C string (NULL when out of memory). */
static char *finish(nv_buf *j)
{
  if (nv_buf_terminate(j, NULL) != NV_OK) {
    nv_buf_free(j);
    return NULL;
  }
  return (char *)j->data;
}

/* A trust store with every store the policy names that can be loaded from
 * vi->store_dir (the parent of its x509 directory). Stores that fail to
 * load are left out: the verification then reports them missing as an
 * authenticity failure under the level's action, as notation-go does when
 * it loads stores lazily during verification. */
static nv_status load_store(nv_ctx *ctx, const verify_in *vi, const nv_trust_policy *policy,
                            nv_truststore **out)
{
  char dir[4096];
  snprintf(dir, sizeof(dir), "%s", vi->store_dir);
  char *slash = strrchr(dir, '/');
  if (slash == NULL || strcmp(slash, "/x509") != 0)
    return NV_E_INVALID_ARG; /* the schema says store_dir is an x509 directory */
  *slash = '\0';
  nv_status rc = nv_truststore_new(ctx, out);
  const nv_pol_doc *doc = policy->doc;
  for (size_t i = 0; rc == NV_OK && i < doc->count; i++)
    for (size_t k = 0; k < doc->statements[i].store_count; k++) {
      const nv_pol_store_ref *ref = &doc->statements[i].stores[k];
      if ((int)ref->type >= NV_STORE_CA && (int)ref->type <= NV_STORE_TSA &&
          nv_truststore_cert_count(*out, (nv_store_type)ref->type, ref->name) == 0)
        nv_truststore_load_named(ctx, *out, dir, (nv_store_type)ref->type, ref->name);
    }
  return rc;
}

/* "result_for_<type>": {"action", "error"} for every validation type that
 * ran on the signature. */
static void append_checks(nv_buf *j, const nv_signature *sig)
{
  for (nv_check k = NV_CHECK_INTEGRITY; k <= NV_CHECK_REVOCATION; k++) {
    nv_outcome outcome = nv_signature_check_outcome(sig, k);
    if (outcome == NV_OUTCOME_NOT_RUN)
      continue;
    nv_buf_append_str(j, ",\"result_for_", NULL);
    nv_buf_append_str(j, nv_pol_check_name((nv_pol_check)(k - 1)), NULL);
    nv_buf_append_str(j, "\":{\"action\":", NULL);
    json_append_string(j, nv_pol_action_name((nv_pol_action)nv_signature_check_action(sig, k)));
    nv_buf_append_str(j, ",\"error\":", NULL);
    if (outcome == NV_OUTCOME_FAILED)
      json_append_string(j, nv_signature_check_message(sig, k));
    else
      nv_buf_append_str(j, "null", NULL);
    nv_buf_append_str(j, "}", NULL);
  }
}

/* One verification through the public API; the result or NULL with the
 * error in ctx. */
static nv_status run_public(nv_ctx *ctx, const verify_in *vi, const nv_trust_policy *policy,
                            const nv_truststore *store, nv_result **result)
{
  nv_verify_opts *opts = NULL;
  nv_status rc = nv_verify_opts_new(&opts);
  if (rc == NV_OK)
    rc = nv_verify_opts_set_time(opts, vi->now);
  for (size_t i = 0; rc == NV_OK && i < vi->metadata_count; i++)
    rc = nv_verify_opts_add_user_metadata(opts, vi->keys[i], vi->values[i]);
  if (rc == NV_OK) {
    const uint8_t *env = vi->envelope.data;
    size_t len = vi->envelope.len;
    if (vi->kind == NV_POL_DOC_BLOB)
      rc = nv_verify_blob(ctx, policy, store, vi->policy_name, vi->media_type, env, len,
                          vi->blob_read, vi->blob_user, vi->blob_media_type, opts, result);
    else
      rc = nv_verify_envelope(ctx, policy, store, vi->reference, vi->target.media_type,
                              vi->target.digest, vi->target.size, vi->media_type, env, len,
                              opts, result);
  }
  nv_verify_opts_free(opts);
  return rc;
}

char *verify_run(case_ctx *c, const verify_in *vi, const char *policy_path, bool *ok,
                 nv_status *code, char *msg, size_t msg_size)
{
  nv_buf j;
  nv_buf_init(&j, 1 << 20);
  *ok = false;
  *code = NV_E_GENERIC;
  msg[0] = '\0';
  char path[4096];
  nv_ctx *ctx = NULL;
  nv_trust_policy *policy = NULL;
  nv_truststore *store = NULL;
  nv_result *result = NULL;
  nv_status rc = nv_ctx_new(&ctx);
  if (rc == NV_OK && vi->tsa_not_revoked)
    ctx->tsa_revocation = verify_tsa_not_revoked; /* internal: no public setter */
  if (rc == NV_OK && (size_t)snprintf(path, sizeof(path), "%s/%s", c->root, policy_path) >=
                         sizeof(path))
    rc = NV_E_INVALID_ARG;
  if (rc == NV_OK)
    rc = nv_trust_policy_load(ctx, vi->kind == NV_POL_DOC_BLOB ? NV_POLICY_BLOB : NV_POLICY_OCI,
                              path, &policy);
  if (rc == NV_OK)
    rc = load_store(ctx, vi, policy, &store);
  if (rc == NV_OK && !vi->has_target && vi->kind != NV_POL_DOC_BLOB)
    rc = NV_E_INVALID_ARG; /* nv_verify_envelope needs the target descriptor */
  if (rc == NV_OK)
    rc = run_public(ctx, vi, policy, store, &result);
  *code = rc;
  *ok = rc == NV_OK || rc == NV_E_SKIPPED;
  snprintf(msg, msg_size, "%s", ctx != NULL ? nv_ctx_last_error(ctx) : "no context");
  const nv_signature *sig = result != NULL && nv_result_signature_count(result) > 0
                                ? nv_result_signature(result, 0)
                                : NULL;
  if (sig != NULL && rc != NV_OK)
    snprintf(msg, msg_size, "%s", nv_signature_message(sig)); /* the signature's own reason */
  nv_buf_append_str(&j, "{\"overall\":", NULL);
  nv_buf_append_str(&j, rc == NV_OK ? "\"success\"" : rc == NV_E_SKIPPED ? "\"skipped\"" : "\"failure\"",
                    NULL);
  if (!*ok) {
    nv_buf_append_str(&j, ",\"error\":", NULL);
    json_append_string(&j, msg);
  }
  if (sig != NULL)
    append_checks(&j, sig);
  nv_buf_append_str(&j, "}", NULL);
  nv_result_free(result);
  nv_truststore_free(store);
  nv_trust_policy_free(policy);
  nv_ctx_free(ctx);
  return finish(&j);
}
