/* The bodies of the public nv_result / nv_signature and how the entry
 * points fill them (internal). */
#ifndef NV_VERIFY_RESULT_H
#define NV_VERIFY_RESULT_H

#include <notaryc/nv_verify.h>
#include "base/nv_diag.h"
#include "policy/nv_pol_policy.h"
#include "verify/nv_vfy_pipeline.h"

struct nv_signature {
  nv_vfy_sig_result r;
  char *manifest_digest; /* "" when not from a signature manifest */
  char *media_type;
};

struct nv_result {
  nv_status status;
  char *message;
  char *reference;
  char *digest;
  char *policy_name;        /* the statement's name, "" if none */
  const char *policy_level; /* static, "" if none */
  int64_t time;
  char **warnings;
  size_t warning_count;
  nv_signature *sigs;
  size_t sig_count;
  size_t sig_cap;
  bool has_verified;
  size_t verified; /* index into sigs when has_verified */
};

/* A new result for `reference` at verification time `now`. NULL when out
 * of memory. */
nv_result *nv_vfy_result_new(const char *reference, int64_t now);

/* Setters; each returns NV_E_NOMEM (also reported in d) or NV_OK. */
nv_status nv_vfy_result_set_digest(nv_result *r, const char *digest, nv_diag *d);
nv_status nv_vfy_result_set_statement(nv_result *r, const nv_pol_statement *stmt, nv_diag *d);
nv_status nv_vfy_result_warn(nv_result *r, nv_diag *d, const char *fmt, ...) NV_PRINTF(3, 4);

/* Append a signature (its pipeline result is copied); *out, if not NULL,
 * points at it until the next append. Failures of logged checks become
 * warnings. */
nv_status nv_vfy_result_add_signature(nv_result *r, const nv_vfy_sig_result *sr,
                                      const char *manifest_digest, const char *media_type,
                                      nv_diag *d);

/* A signature that failed before the pipeline ran (retrieval): status,
 * message and the manifest digest only. */
nv_status nv_vfy_result_add_retrieval_failure(nv_result *r, const char *manifest_digest,
                                              const char *media_type, nv_status code,
                                              const char *message, nv_diag *d);

/* Record the verdict: r->status = code, the message from d (or "" for
 * NV_OK). Returns code. */
nv_status nv_vfy_result_finish(nv_result *r, nv_status code, const nv_diag *d);

#endif /* NV_VERIFY_RESULT_H */
