/* Trust policy operations: categories trust-policy and trusted-identity. */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy/nv_pol_policy.h"
#include "x509/nv_x509_certs.h"

/* The "document" input: "oci" (the default) or "blob". */
static bool doc_kind(case_ctx *c, nv_pol_doc_kind *kind)
{
  const char *k = in_string(c, "document");
  if (k == NULL || strcmp(k, "oci") == 0) {
    *kind = NV_POL_DOC_OCI;
    return true;
  }
  if (strcmp(k, "blob") == 0) {
    *kind = NV_POL_DOC_BLOB;
    return true;
  }
  op_failure_msg(c, NV_E_INVALID_ARG, "input \"document\" must be \"oci\" or \"blob\"");
  return false;
}

/* Read and validate the "policy" input; NULL after reporting a failure. */
static nv_pol_doc *load_policy(case_ctx *c)
{
  nv_pol_doc_kind kind;
  if (!doc_kind(c, &kind))
    return NULL;
  const char *path = in_string(c, "policy");
  if (path == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "input \"policy\" (a file) is required");
    return NULL;
  }
  nv_buf data;
  if (!read_input_file(c, path, &data))
    return NULL;
  nv_diag d;
  nv_diag_init(&d);
  nv_pol_doc *doc = NULL;
  nv_status rc = nv_pol_parse(kind, data.data, data.len, &doc, &d);
  nv_buf_free(&data);
  if (rc != NV_OK) {
    op_failure(c, &d);
    return NULL;
  }
  return doc;
}

static void op_validate(case_ctx *c)
{
  nv_pol_doc *doc = load_policy(c);
  if (doc != NULL)
    op_success(c);
  nv_pol_doc_free(doc);
}

static void op_validate_effective_level(case_ctx *c)
{
  nv_pol_doc *doc = load_policy(c);
  if (doc == NULL)
    return;
  if (doc->count != 1) {
    op_failure_msg(c, NV_E_INVALID_ARG,
                   "validate-trust-policy+effective-level needs a document with one statement");
    nv_pol_doc_free(doc);
    return;
  }
  const nv_pol_statement *st = &doc->statements[0];
  nv_buf b;
  nv_buf_init(&b, 1 << 12);
  nv_buf_append_byte(&b, '{', NULL);
  for (size_t k = 0; k < NV_POL_CHECK_COUNT; k++) {
    if (k > 0)
      nv_buf_append_byte(&b, ',', NULL);
    json_append_string(&b, nv_pol_check_name((nv_pol_check)k));
    nv_buf_append_byte(&b, ':', NULL);
    const char *action = nv_pol_action_name(nv_pol_stmt_action(st, (nv_pol_check)k));
    json_append_string(&b, action != NULL ? action : "?");
  }
  nv_buf_append_byte(&b, '}', NULL);
  nv_buf_terminate(&b, NULL);
  report_json(c, "enforcement", (const char *)b.data);
  nv_buf_free(&b);
  op_success(c);
  nv_pol_doc_free(doc);
}

static void report_selected(case_ctx *c, nv_status rc, const nv_pol_statement *st,
                            const nv_diag *d)
{
  if (rc != NV_OK) {
    op_failure(c, d);
    return;
  }
  report_string(c, "policy", st->name);
  op_success(c);
}

static void op_select_oci(case_ctx *c)
{
  const char *reference = in_string(c, "reference");
  if (reference == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "input \"reference\" (a string) is required");
    return;
  }
  nv_pol_doc *doc = load_policy(c);
  if (doc == NULL)
    return;
  nv_diag d;
  nv_diag_init(&d);
  const nv_pol_statement *st = NULL;
  nv_status rc = nv_pol_select_oci(doc, reference, &st, &d);
  report_selected(c, rc, st, &d);
  nv_pol_doc_free(doc);
}

static void select_blob(case_ctx *c, bool by_name)
{
  const char *name = NULL;
  if (by_name && (name = in_string(c, "policy_name")) == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "input \"policy_name\" (a string) is required");
    return;
  }
  nv_pol_doc *doc = load_policy(c);
  if (doc == NULL)
    return;
  nv_diag d;
  nv_diag_init(&d);
  const nv_pol_statement *st = NULL;
  nv_status rc = nv_pol_select_blob(doc, name, &st, &d);
  report_selected(c, rc, st, &d);
  nv_pol_doc_free(doc);
}

static void op_select_blob_by_name(case_ctx *c)
{
  select_blob(c, true);
}

static void op_select_global_blob(case_ctx *c)
{
  select_blob(c, false);
}

/* The library's file loader (regular-file checks included). */
static void op_load_file(case_ctx *c)
{
  nv_pol_doc_kind kind;
  if (!doc_kind(c, &kind))
    return;
  const char *path = in_string(c, "policy");
  if (path == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "input \"policy\" (a file) is required");
    return;
  }
  char full[4096];
  if ((size_t)snprintf(full, sizeof(full), "%s/%s", c->root, path) >= sizeof(full)) {
    op_failure_msg(c, NV_E_INVALID_ARG, "input path too long");
    return;
  }
  nv_diag d;
  nv_diag_init(&d);
  nv_pol_doc *doc = NULL;
  if (nv_pol_load_file(kind, full, &doc, &d) == NV_OK)
    op_success(c);
  else
    op_failure(c, &d);
  nv_pol_doc_free(doc);
}

static void op_match_identities(case_ctx *c)
{
  const char *leaf_path = in_string(c, "leaf_cert");
  const nv_json *ids = in_value(c, "trusted_identities");
  const char *name = in_string(c, "policy_name");
  if (leaf_path == NULL || nv_json_type_of(ids) != NV_JSON_ARRAY) {
    op_failure_msg(c, NV_E_INVALID_ARG,
                   "inputs \"leaf_cert\" (a file) and \"trusted_identities\" (an array of "
                   "strings) are required");
    return;
  }
  size_t n = nv_json_count(ids);
  const char **list = calloc(n ? n : 1, sizeof(*list));
  if (list == NULL) {
    op_failure_msg(c, NV_E_NOMEM, "out of memory");
    return;
  }
  for (size_t i = 0; i < n; i++)
    if ((list[i] = nv_json_string(nv_json_at(ids, i))) == NULL) {
      op_failure_msg(c, NV_E_INVALID_ARG, "\"trusted_identities\" must hold only strings");
      free(list);
      return;
    }
  nv_buf data;
  if (!read_input_file(c, leaf_path, &data)) {
    free(list);
    return;
  }
  nv_diag d;
  nv_diag_init(&d);
  nv_x509_list certs;
  nv_x509_list_init(&certs);
  nv_status rc = nv_x509_read_certs(data.data, data.len, leaf_path, &certs, &d);
  nv_buf_free(&data);
  if (rc == NV_OK && certs.count == 0)
    rc = nv_diag_set(&d, NV_E_INVALID_ARG, "leaf_cert holds no certificate");
  if (rc == NV_OK)
    rc = nv_pol_match_identities(name != NULL ? name : "", list, n, certs.items[0], &d);
  if (rc == NV_OK)
    op_success(c);
  else
    op_failure(c, &d);
  nv_x509_list_free(&certs);
  free(list);
}

const op_def policy_ops[] = {
  {"validate-trust-policy", op_validate, {"policy", "document", "policy_delta"}},
  {"validate-trust-policy+effective-level", op_validate_effective_level,
   {"policy", "document", "policy_delta"}},
  {"select-oci-policy-for-reference", op_select_oci,
   {"policy", "document", "policy_delta", "reference"}},
  {"select-blob-policy-by-name", op_select_blob_by_name,
   {"policy", "document", "policy_delta", "policy_name"}},
  {"select-global-blob-policy", op_select_global_blob, {"policy", "document", "policy_delta"}},
  {"load-trust-policy-file", op_load_file, {"policy", "document", "policy_delta"}},
  {"match-trusted-identities", op_match_identities,
   {"leaf_cert", "trusted_identities", "policy_name"}},
  {NULL, NULL, {NULL}},
};
