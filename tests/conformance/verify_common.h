/*
 * What the verify operations share (ops_verify.c: verify-oci and plugin,
 * ops_blob.c: verify-blob): the common inputs, and one signature through
 * the per-signature pipeline (lib/verify/pipeline.c) under the statement
 * a trust policy document selects, through the public API
 * (nv_verify_envelope, nv_verify_blob).
 */
#ifndef NV_CONFORMANCE_VERIFY_COMMON_H
#define NV_CONFORMANCE_VERIFY_COMMON_H

#include "runner.h"

#include "base/nv_descriptor.h"
#include "policy/nv_pol_policy.h"
#include "verify/nv_vfy_pipeline.h"
#include <notaryc.h>

typedef struct verify_in {
  nv_pol_doc_kind kind;    /* the policy document: OCI or blob */
  nv_buf envelope;
  const char *media_type;  /* of the envelope */
  char store_dir[4096];    /* root/store_dir */
  int64_t now;
  const char *reference;   /* OCI: the statement is selected for it */
  nv_descriptor target;    /* OCI: the artifact the signature must name */
  bool has_target;
  const char *policy_name; /* blob: the statement's name, NULL for the global one */
  nv_read_cb blob_read;    /* blob: the signed blob, read through a callback */
  void *blob_user;
  const char *blob_media_type; /* blob: compared with the signed one if not NULL */
  const char **keys;       /* user_metadata */
  const char **values;
  size_t metadata_count;
  /* tsa_revocation "stub-not-revoked": the TSA chain is checked by
   * verify_tsa_not_revoked instead of the revocation layer */
  bool tsa_not_revoked;
} verify_in;

/* The TSA-chain revocation checker (nv_vfy_tsa_revocation_fn) of the
 * input tsa_revocation "stub-not-revoked": the reference checked the TSA
 * chain online; the case wants that answer without network. */
nv_status verify_tsa_not_revoked(void *user, X509 *const *chain, size_t count,
                                 int64_t gen_time, nv_diag *d);

void verify_in_init(verify_in *vi, nv_pol_doc_kind kind);
void verify_in_free(verify_in *vi);

/* The inputs store_dir and verification_time (required) and user_metadata
 * (optional); false after reporting a failure. */
bool verify_read_common(case_ctx *c, verify_in *vi);

/* Verify under the policy document at root/policy_path (with
 * vi->tsa_not_revoked, the context's TSA-chain checker is
 * verify_tsa_not_revoked). Returns the
 * verdict as a JSON object (caller frees): {"overall": "success" |
 * "failure" | "skipped", "error": ..., "result_for_<type>": {"action",
 * "error"}} for every validation type that ran. *ok receives whether the
 * signature was accepted (true at level skip, with *code NV_E_SKIPPED),
 * *code / msg why not. */
char *verify_run(case_ctx *c, const verify_in *vi, const char *policy_path, bool *ok,
                 nv_status *code, char *msg, size_t msg_size);

#endif /* NV_CONFORMANCE_VERIFY_COMMON_H */
