/*
 * Verification operations: category verify-oci. One envelope through the
 * per-signature pipeline (lib/verify/pipeline.c) under a trust policy
 * statement selected for an OCI reference.
 *
 * With "policy_pattern" and "levels" the operation runs once per level
 * ({level} replaced in the pattern) and reports "per_level": for each
 * level {"overall": "success"|"failure"|"skipped", "result_for_<type>":
 * {"action": ..., "error": null|message}} for every validation type that
 * ran; runner.c's judge() compares it with the case's per_level.
 */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/nv_descriptor.h"
#include "base/nv_time.h"
#include "policy/nv_pol_policy.h"
#include "policy/nv_pol_store.h"
#include "verify/nv_vfy_pipeline.h"

/* Trusted sets for the pipeline, loaded on first use per store type. */
typedef struct trust_ctx {
  const char *store_dir;
  const nv_pol_statement *stmt;
  nv_pol_certset *sets[4];
} trust_ctx;

static nv_status get_trusted(void *user, nv_pol_store_type type, const nv_pol_certset **out,
                             nv_diag *d)
{
  trust_ctx *t = user;
  if ((int)type < 0 || (int)type > 3)
    return nv_diag_set(d, NV_E_INVALID_ARG, "bad store type");
  if (t->sets[type] == NULL) {
    const char **refs = calloc(t->stmt->store_count + 1, sizeof(*refs));
    if (refs == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory");
    for (size_t i = 0; i < t->stmt->store_count; i++)
      refs[i] = t->stmt->stores[i].raw;
    nv_status rc = nv_pol_certset_for_policy(t->store_dir, refs, t->stmt->store_count, type,
                                             &t->sets[type], d);
    free(refs);
    if (rc != NV_OK)
      return nv_diag_wrap(d, NV_OK, "error while loading the trust store, ");
  }
  *out = t->sets[type];
  return NV_OK;
}

/* The inputs every level shares. */
typedef struct verify_in {
  nv_buf envelope;
  const char *media_type;
  char store_dir[4096];
  const char *reference;
  int64_t now;
  nv_descriptor target;
  bool has_target;
  const char **keys;
  const char **values;
  size_t metadata_count;
} verify_in;

/* The JSON text of `j` as a C string (NULL when out of memory). */
static char *finish(nv_buf *j)
{
  if (nv_buf_terminate(j, NULL) != NV_OK) {
    nv_buf_free(j);
    return NULL;
  }
  return (char *)j->data;
}

/* One level: the verdict as a JSON object (caller frees); *ok receives
 * whether the signature was accepted, *code / msg why not. */
static char *run_one(case_ctx *c, const verify_in *vi, const char *policy_path, bool *ok,
                     nv_status *code, char *msg, size_t msg_size)
{
  nv_buf j;
  nv_buf_init(&j, 1 << 20);
  nv_buf policy;
  nv_diag d;
  nv_diag_init(&d);
  nv_pol_doc *doc = NULL;
  const nv_pol_statement *stmt = NULL;
  *ok = false;
  *code = NV_E_GENERIC;
  msg[0] = '\0';
  if (!read_input_file(c, policy_path, &policy)) {
    *code = c->code;
    snprintf(msg, msg_size, "%s", c->message);
    nv_buf_append_str(&j, "{\"overall\":\"failure\"}", NULL);
    return finish(&j);
  }
  nv_status rc = nv_pol_parse(NV_POL_DOC_OCI, policy.data, policy.len, &doc, &d);
  nv_buf_free(&policy);
  if (rc == NV_OK)
    rc = nv_pol_select_oci(doc, vi->reference, &stmt, &d);
  if (rc != NV_OK) {
    *code = rc;
    snprintf(msg, msg_size, "%s", d.msg);
    nv_buf_append_str(&j, "{\"overall\":\"failure\",\"error\":", NULL);
    json_append_string(&j, d.msg);
    nv_buf_append_str(&j, "}", NULL);
    nv_pol_doc_free(doc);
    return finish(&j);
  }
  if (stmt->level == NV_POL_LEVEL_SKIP) {
    *ok = true;
    *code = NV_E_SKIPPED;
    nv_buf_append_str(&j, "{\"overall\":\"skipped\"}", NULL);
    nv_pol_doc_free(doc);
    return finish(&j);
  }
  trust_ctx t = {vi->store_dir, stmt, {NULL, NULL, NULL, NULL}};
  nv_vfy_inputs in = {
      .stmt = stmt,
      .trusted = get_trusted,
      .trusted_user = &t,
      .now = vi->now,
      .target = vi->has_target ? &vi->target : NULL,
      .metadata_keys = vi->keys,
      .metadata_values = vi->values,
      .metadata_count = vi->metadata_count,
  };
  nv_vfy_sig_result res;
  rc = nv_vfy_verify_signature(vi->media_type, vi->envelope.data, vi->envelope.len, &in, &res,
                               &d);
  *ok = rc == NV_OK;
  *code = rc;
  snprintf(msg, msg_size, "%s", rc == NV_OK ? "" : res.message);
  nv_buf_append_str(&j, rc == NV_OK ? "{\"overall\":\"success\"" : "{\"overall\":\"failure\"",
                    NULL);
  if (rc != NV_OK) {
    nv_buf_append_str(&j, ",\"error\":", NULL);
    json_append_string(&j, res.message);
  }
  for (int k = 0; k < NV_POL_CHECK_COUNT; k++) {
    const nv_vfy_check *chk = &res.checks[k];
    if (chk->outcome == NV_VFY_CHECK_NOT_RUN)
      continue;
    nv_buf_append_str(&j, ",\"result_for_", NULL);
    nv_buf_append_str(&j, nv_pol_check_name((nv_pol_check)k), NULL);
    nv_buf_append_str(&j, "\":{\"action\":", NULL);
    json_append_string(&j, nv_pol_action_name(chk->action));
    nv_buf_append_str(&j, ",\"error\":", NULL);
    if (chk->outcome == NV_VFY_CHECK_FAILED)
      json_append_string(&j, chk->message);
    else
      nv_buf_append_str(&j, "null", NULL);
    nv_buf_append_str(&j, "}", NULL);
  }
  nv_buf_append_str(&j, "}", NULL);
  for (int k = 1; k < 4; k++)
    nv_pol_certset_free(t.sets[k]);
  nv_pol_doc_free(doc);
  return finish(&j);
}

/* Replace "{level}" in `pattern`. */
static bool level_path(const char *pattern, const char *level, char *out, size_t size)
{
  const char *p = strstr(pattern, "{level}");
  if (p == NULL)
    return false;
  int n = snprintf(out, size, "%.*s%s%s", (int)(p - pattern), pattern, level, p + 7);
  return n > 0 && (size_t)n < size;
}

static bool read_inputs(case_ctx *c, verify_in *vi)
{
  nv_diag d;
  nv_diag_init(&d);
  vi->media_type = in_string(c, "media_type");
  const char *store = in_string(c, "store_dir");
  vi->reference = in_string(c, "artifact_reference");
  const char *env_path = in_string(c, "envelope");
  const char *when = in_string(c, "verification_time");
  const char *tsa_rev = in_string(c, "tsa_revocation");
  if (vi->media_type == NULL || store == NULL || vi->reference == NULL ||
      when == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG,
                   "inputs media_type, store_dir, artifact_reference and verification_time "
                   "are required");
    return false;
  }
  snprintf(vi->store_dir, sizeof(vi->store_dir), "%s/%s", c->root, store);
  if (tsa_rev != NULL && strcmp(tsa_rev, "stub-not-revoked") != 0) {
    op_skip(c, "tsa_revocation other than \"stub-not-revoked\" is not supported");
    return false;
  }
  if (env_path != NULL && !read_input_file(c, env_path, &vi->envelope))
    return false;
  if (nv_time_parse_rfc3339(when, strlen(when), &vi->now, NULL, &d) != NV_OK) {
    op_failure(c, &d);
    return false;
  }
  const nv_json *target = in_value(c, "target_descriptor");
  if (target != NULL) {
    if (nv_descriptor_from_json(target, &vi->target, &d) != NV_OK) {
      op_failure(c, &d);
      return false;
    }
    vi->has_target = true;
  }
  const nv_json *md = in_value(c, "user_metadata");
  if (md != NULL) {
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
  }
  return true;
}

static void op_verify(case_ctx *c)
{
  verify_in vi;
  memset(&vi, 0, sizeof(vi));
  nv_buf_init(&vi.envelope, (size_t)64 << 20);
  nv_descriptor_init(&vi.target);
  if (!read_inputs(c, &vi))
    goto out;
  const char *policy = in_string(c, "policy");
  const char *pattern = in_string(c, "policy_pattern");
  const nv_json *levels = in_value(c, "levels");
  bool ok;
  nv_status code;
  char msg[NV_DIAG_MSG_MAX];
  if (policy != NULL) {
    char *verdict = run_one(c, &vi, policy, &ok, &code, msg, sizeof(msg));
    if (verdict != NULL)
      report_json(c, "verdict", verdict);
    free(verdict);
    if (ok)
      op_success(c);
    else
      op_failure_msg(c, code, msg);
    goto out;
  }
  if (pattern == NULL || nv_json_type_of(levels) != NV_JSON_ARRAY) {
    op_failure_msg(c, NV_E_INVALID_ARG, "input \"policy\" or \"policy_pattern\" + \"levels\" "
                                        "is required");
    goto out;
  }
  nv_buf all;
  nv_buf_init(&all, (size_t)4 << 20);
  nv_buf_append_str(&all, "{", NULL);
  for (size_t i = 0; i < nv_json_count(levels); i++) {
    const char *level = nv_json_string(nv_json_at(levels, i));
    char path[1024];
    if (level == NULL || !level_path(pattern, level, path, sizeof(path))) {
      op_failure_msg(c, NV_E_INVALID_ARG, "levels must be strings and policy_pattern must "
                                          "contain {level}");
      nv_buf_free(&all);
      goto out;
    }
    char *verdict = run_one(c, &vi, path, &ok, &code, msg, sizeof(msg));
    if (i > 0)
      nv_buf_append_str(&all, ",", NULL);
    json_append_string(&all, level);
    nv_buf_append_str(&all, ":", NULL);
    nv_buf_append_str(&all, verdict != NULL ? verdict : "null", NULL);
    free(verdict);
  }
  nv_buf_append_str(&all, "}", NULL);
  nv_buf_terminate(&all, NULL);
  report_json(c, "per_level", (const char *)all.data);
  nv_buf_free(&all);
  op_success(c);
out:
  nv_buf_free(&vi.envelope);
  nv_descriptor_free(&vi.target);
  free(vi.keys);
  free(vi.values);
}

const op_def verify_ops[] = {
  {"verify", op_verify,
   {"envelope", "media_type", "policy", "policy_pattern", "levels", "store_dir",
    "artifact_reference", "target_descriptor", "verification_time", "user_metadata",
    "tsa_revocation"}},
  {NULL, NULL, {NULL}},
};
