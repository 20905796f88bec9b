/* What the verify operations share: see verify_common.h. */
#include "verify_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/nv_time.h"
#include "policy/nv_pol_store.h"

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

/* The JSON text of `j` as a C string (NULL when out of memory). */
static char *finish(nv_buf *j)
{
  if (nv_buf_terminate(j, NULL) != NV_OK) {
    nv_buf_free(j);
    return NULL;
  }
  return (char *)j->data;
}

/* Parse the document and select the statement as the kind says. */
static nv_status select_statement(const verify_in *vi, const nv_buf *policy, nv_pol_doc **doc,
                                  const nv_pol_statement **stmt, nv_diag *d)
{
  nv_status rc = nv_pol_parse(vi->kind, policy->data, policy->len, doc, d);
  if (rc != NV_OK)
    return rc;
  return vi->kind == NV_POL_DOC_BLOB ? nv_pol_select_blob(*doc, vi->policy_name, stmt, d)
                                     : nv_pol_select_oci(*doc, vi->reference, stmt, d);
}

static void append_checks(nv_buf *j, const nv_vfy_sig_result *res)
{
  for (int k = 0; k < NV_POL_CHECK_COUNT; k++) {
    const nv_vfy_check *chk = &res->checks[k];
    if (chk->outcome == NV_VFY_CHECK_NOT_RUN)
      continue;
    nv_buf_append_str(j, ",\"result_for_", NULL);
    nv_buf_append_str(j, nv_pol_check_name((nv_pol_check)k), NULL);
    nv_buf_append_str(j, "\":{\"action\":", NULL);
    json_append_string(j, nv_pol_action_name(chk->action));
    nv_buf_append_str(j, ",\"error\":", NULL);
    if (chk->outcome == NV_VFY_CHECK_FAILED)
      json_append_string(j, chk->message);
    else
      nv_buf_append_str(j, "null", NULL);
    nv_buf_append_str(j, "}", NULL);
  }
}

char *verify_run(case_ctx *c, const verify_in *vi, const char *policy_path, bool *ok,
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
  nv_status rc = select_statement(vi, &policy, &doc, &stmt, &d);
  nv_buf_free(&policy);
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
      .blob = vi->blob,
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
  append_checks(&j, &res);
  nv_buf_append_str(&j, "}", NULL);
  for (int k = 1; k < 4; k++)
    nv_pol_certset_free(t.sets[k]);
  nv_pol_doc_free(doc);
  return finish(&j);
}
