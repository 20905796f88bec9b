/*
 * Verification operations: categories verify-oci, plugin and the verify
 * cases of authentic-timestamp. One envelope through the per-signature
 * pipeline (lib/verify/pipeline.c) under a trust policy statement selected
 * for an OCI reference (verify_common.c). The plugin inputs
 * (installed_plugin(s)) are read by ops_plugin.c; tsa_revocation
 * "stub-not-revoked" answers the TSA chain's revocation check with "not
 * revoked" (verify_tsa_not_revoked).
 *
 * With "policy_pattern" and "levels" the operation runs once per level
 * ({level} replaced in the pattern) and reports "per_level": for each
 * level {"overall": "success"|"failure"|"skipped", "result_for_<type>":
 * {"action": ..., "error": null|message}} for every validation type that
 * ran; runner.c's judge() compares it with the case's per_level.
 */
#include "verify_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  vi->media_type = in_string(c, "media_type");
  vi->reference = in_string(c, "artifact_reference");
  const char *env_path = in_string(c, "envelope");
  const char *tsa_rev = in_string(c, "tsa_revocation");
  if (vi->media_type == NULL || vi->reference == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "inputs media_type and artifact_reference are required");
    return false;
  }
  if (!verify_read_common(c, vi) || !plugin_inputs(c))
    return false;
  if (tsa_rev != NULL && strcmp(tsa_rev, "stub-not-revoked") != 0) {
    op_skip(c, "tsa_revocation other than \"stub-not-revoked\" is not supported");
    return false;
  }
  vi->tsa_not_revoked = tsa_rev != NULL;
  if (env_path != NULL && !read_input_file(c, env_path, &vi->envelope))
    return false;
  const nv_json *target = in_value(c, "target_descriptor");
  if (target != NULL) {
    nv_diag d;
    nv_diag_init(&d);
    if (nv_descriptor_from_json(target, &vi->target, &d) != NV_OK) {
      op_failure(c, &d);
      return false;
    }
    vi->has_target = true;
  }
  return true;
}

static void op_verify(case_ctx *c)
{
  verify_in vi;
  verify_in_init(&vi, NV_POL_DOC_OCI);
  if (!read_inputs(c, &vi))
    goto out;
  const char *policy = in_string(c, "policy");
  const char *pattern = in_string(c, "policy_pattern");
  const nv_json *levels = in_value(c, "levels");
  bool ok;
  nv_status code;
  char msg[NV_DIAG_MSG_MAX];
  if (policy != NULL) {
    char *verdict = verify_run(c, &vi, policy, &ok, &code, msg, sizeof(msg));
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
    char *verdict = verify_run(c, &vi, path, &ok, &code, msg, sizeof(msg));
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
  verify_in_free(&vi);
}

const op_def verify_ops[] = {
  {"verify", op_verify,
   {"envelope", "media_type", "policy", "policy_pattern", "levels", "store_dir",
    "artifact_reference", "target_descriptor", "verification_time", "user_metadata",
    "tsa_revocation", "installed_plugins", "installed_plugin"}},
  {NULL, NULL, {NULL}},
};
