/*
 * The per-signature verification pipeline (notary-spec.md section 14) for
 * one envelope: integrity, the plugin gate, authenticity, expiry,
 * authentic timestamp, revocation, then the payload binding (target
 * artifact and user metadata). Each validation type runs under the action
 * the trust policy statement gives it: enforce (a failure stops the
 * pipeline and rejects the signature), log (recorded, the pipeline goes
 * on) or skip (not run). Integrity, the plugin gate and the payload checks
 * are enforced at every level.
 */
#ifndef NV_VERIFY_PIPELINE_H
#define NV_VERIFY_PIPELINE_H
#include <stddef.h>
#include <stdint.h>
#include "base/nv_descriptor.h"
#include "base/nv_diag.h"
#include "envelope/nv_env.h"
#include "policy/nv_pol_policy.h"
#include "policy/nv_pol_store.h"

#define NV_VFY_CHECK_NOT_RUN 0
#define NV_VFY_CHECK_PASSED 1
#define NV_VFY_CHECK_FAILED 2

typedef struct nv_vfy_check {
  nv_pol_action action;
  int outcome;     /* NV_VFY_CHECK_NOT_RUN / _PASSED / _FAILED */
  nv_status code;  /* why it failed (NV_OK otherwise) */
  char message[512];
} nv_vfy_check;

#define NV_VFY_SUBJECT_MAX 512

typedef struct nv_vfy_sig_result {
  nv_vfy_check checks[NV_POL_CHECK_COUNT];
  /* NV_OK: accepted. Otherwise why not: the enforced check that failed,
   * or a failure of the plugin gate or the payload checks. */
  nv_status status;
  char message[NV_DIAG_MSG_MAX];
  /* the validation type whose enforced failure rejected the signature,
   * NV_POL_CHECK_COUNT when none (accepted, or a plugin / payload failure) */
  nv_pol_check failed_check;
  /* filled as far as decoding got */
  nv_env_scheme scheme;
  bool has_signing_time;
  int64_t signing_time; /* signingTime or authenticSigningTime */
  bool has_expiry;
  int64_t expiry;
  char signer_subject[NV_VFY_SUBJECT_MAX]; /* the leaf's subject, "" if unknown */
  /* set when the authentic-timestamp step verified a timestamp token */
  bool has_timestamp;
  int64_t timestamp;     /* genTime, Unix seconds (fraction dropped) */
  int64_t timestamp_accuracy_us;
} nv_vfy_sig_result;

/* Gives the trusted certificates of a store type (ca for notary.x509,
 * signingAuthority for notary.x509.signingAuthority) for the statement.
 * *out stays owned by the caller. An error (a store that cannot be loaded)
 * is an authenticity failure with the callback's code and message. */
typedef nv_status (*nv_vfy_trusted_fn)(void *user, nv_pol_store_type type,
                                       const nv_pol_certset **out, nv_diag *d);

/* Reads up to `cap` bytes of the blob into `buf`; *got = 0 at the end.
 * A failure stops the verification with its code. */
typedef nv_status (*nv_vfy_read_fn)(void *user, uint8_t *buf, size_t cap, size_t *got,
                                    nv_diag *d);

/* The signed blob of a blob signature (notary-spec.md 3.2), read once, in
 * the payload step, after every policy check has passed. */
typedef struct nv_vfy_blob {
  nv_vfy_read_fn read;
  void *user;
  const char *media_type; /* compared with the payload's when not NULL */
} nv_vfy_blob;

/* Checks the revocation of the TSA chain of a verified timestamp token
 * (leaf first, the trust-store root last; notary-spec.md 10.3 step 9) for
 * the authentic-timestamp step. NV_OK: not revoked (or nothing to check);
 * otherwise NV_E_TSA_CERT_REVOKED, NV_E_TSA_REVOCATION_UNKNOWN or
 * NV_E_TSA_REVOCATION_CHECK_ERROR with a message naming the certificate. */
typedef struct x509_st X509;
typedef nv_status (*nv_vfy_tsa_revocation_fn)(void *user, X509 *const *chain, size_t count,
                                              int64_t gen_time, nv_diag *d);

typedef struct nv_vfy_inputs {
  const nv_pol_statement *stmt; /* the applicable statement (not level skip) */
  nv_vfy_trusted_fn trusted;    /* see above */
  void *trusted_user;
  int64_t now;                  /* the verification time, Unix seconds */
  const nv_descriptor *target;  /* the artifact the signature must name; NULL only with
                                 * `blob` (both NULL: NV_E_INVALID_ARG) */
  const nv_vfy_blob *blob;      /* or, for a blob signature, the blob */
  const char *const *metadata_keys; /* user metadata the payload must carry */
  const char *const *metadata_values;
  size_t metadata_count;
  nv_x509_cache *cache;  /* per-context certificate cache, may be NULL */
  /* TSA-chain revocation for the authentic-timestamp step (test programs
   * pass a stub here). NULL: the revocation layer checks the TSA chain
   * with `revocation`'s settings (nv_vfy_revocation_check_tsa_chain);
   * without settings either, a TSA chain whose certificates below the
   * root name an OCSP responder or a CRL distribution point fails closed
   * with NV_E_TSA_REVOCATION_CHECK_ERROR. A statement whose revocation
   * action is skip does not check the TSA chain's revocation either. */
  nv_vfy_tsa_revocation_fn tsa_revocation;
  void *tsa_revocation_user;
  /* OCSP / CRL settings of the revocation step (time-outs, fetch
   * override, offline); NULL: the defaults (libcurl, 2 s / 5 s) */
  const struct nv_vfy_rev_settings *revocation;
} nv_vfy_inputs;

/* Run the pipeline. `out` is always filled. Returns out->status (NV_OK
 * when the signature is accepted at the statement's level); `d` receives
 * the rejecting failure. NV_E_INVALID_ARG for NULL arguments. */
nv_status nv_vfy_verify_signature(const char *media_type, const uint8_t *env, size_t len,
                                  const nv_vfy_inputs *in, nv_vfy_sig_result *out, nv_diag *d);

/* The authentic-timestamp step alone (notary-spec.md 10.2-10.4) on a
 * signature that passed the integrity step: the authentic signing time
 * for notary.x509.signingAuthority; for notary.x509 the timestamp token
 * (when the statement has a tsa store and verifyTimestamp is always, or
 * afterCertExpiry with an expired signing chain: token, TSA chain at
 * genTime, the [genTime - accuracy, genTime + accuracy] window inside every
 * signing certificate, TSA-chain revocation) or else the verification
 * time. Fills out->has_timestamp / timestamp / timestamp_accuracy_us when
 * a token was verified. */
typedef struct nv_vfy_signed nv_vfy_signed;
nv_status nv_vfy_check_authentic_timestamp(const nv_vfy_inputs *in, const nv_vfy_signed *s,
                                           nv_vfy_sig_result *out, nv_diag *d);

#endif /* NV_VERIFY_PIPELINE_H */
