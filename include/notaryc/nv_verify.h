/*
 * Verification: nv_verify() for an artifact and its signatures,
 * nv_verify_envelope() for an envelope the caller already holds,
 * nv_verify_blob() for a detached signature over a blob. All three run the
 * same per-signature pipeline (notary-spec.md section 14) and return an
 * nv_result that explains the verdict.
 *
 * Fail closed: the return value is NV_OK only when the trust policy is
 * satisfied. A statement of level "skip" returns NV_E_SKIPPED (nothing was
 * verified), never NV_OK.
 */
#ifndef NOTARYC_NV_VERIFY_H
#define NOTARYC_NV_VERIFY_H

#include <notaryc/nv_common.h>
#include <notaryc/nv_context.h>
#include <notaryc/nv_errors.h>
#include <notaryc/nv_trust.h>

NV_BEGIN_DECLS

typedef struct nv_verify_opts nv_verify_opts;
typedef struct nv_result nv_result;
typedef struct nv_signature nv_signature;

/* What happened to one validation type of one signature. */
typedef int32_t nv_outcome;
enum {
  NV_OUTCOME_NOT_RUN = 0, /* skipped by the policy, or an earlier check stopped the signature */
  NV_OUTCOME_PASSED = 1,
  NV_OUTCOME_FAILED = 2   /* with action NV_ACTION_LOG the failure was only recorded */
};

/* notation's default for the number of signatures tried per artifact. */
#define NV_VERIFY_DEFAULT_MAX_SIGNATURES 100u
/* The most user-metadata pairs one verification may require. */
#define NV_VERIFY_MAX_USER_METADATA 64u

/* ---- options ---- */

/* Options with the defaults: the current time, at most
 * NV_VERIFY_DEFAULT_MAX_SIGNATURES signatures, no user metadata, `reference`
 * is a registry reference. Release with nv_verify_opts_free(). An options
 * object may be shared by threads once it is no longer changed. */
NV_API nv_status nv_verify_opts_new(nv_verify_opts **out);
NV_API void nv_verify_opts_free(nv_verify_opts *opts);

/* Pin the verification time (Unix seconds, UTC) instead of reading the
 * clock when the verification starts. NV_E_INVALID_ARG for a negative
 * time. */
NV_API nv_status nv_verify_opts_set_time(nv_verify_opts *opts, int64_t unix_seconds);

/* How many signatures nv_verify() examines at most before it gives up with
 * NV_E_MAX_SIGNATURE_ATTEMPTS (1 .. 10000; NV_E_INVALID_ARG otherwise).
 * Signatures that cannot be fetched or parsed count too. */
NV_API nv_status nv_verify_opts_set_max_signatures(nv_verify_opts *opts, uint32_t max);

/* Require the signed payload to carry the annotation key = value (exact,
 * case-sensitive). Both must be non-empty UTF-8; a key may be given once.
 * NV_E_INVALID_ARG, NV_E_LIMIT beyond NV_VERIFY_MAX_USER_METADATA pairs,
 * NV_E_NOMEM. */
NV_API nv_status nv_verify_opts_add_user_metadata(nv_verify_opts *opts, const char *key,
                                                  const char *value);

/* Make nv_verify() read an OCI image layout: its reference is then
 * "PATH:tag" or "PATH@sha256:<hex>", and `scope` ("registry/repository",
 * validated like a trust policy registry scope) stands for the repository
 * when the trust policy statement is selected. NULL switches back to
 * registry references. NV_E_POLICY_SCOPE_INVALID for a bad scope. */
NV_API nv_status nv_verify_opts_set_oci_layout(nv_verify_opts *opts, const char *scope);

/* ---- verification ---- */

/*
 * Verify the artifact `reference` against `policy` (an OCI policy) with
 * the certificates of `store`. `opts` may be NULL (defaults).
 *
 * The reference is resolved to a descriptor once (a tag is resolved to a
 * digest and a warning is recorded); its signature manifests are listed
 * and examined in order — each fetched within its size limit and checked
 * against its digest — until one signature passes or max_signatures have
 * been examined. A signature manifest that cannot be fetched or is
 * malformed is recorded as a failed signature and the next one is tried.
 *
 * `reference` is a registry reference "host[:port]/repository:tag" or
 * "...@sha256:<hex>" (fully qualified: Docker Hub short names are not
 * expanded), fetched with the context's registry settings (nv_registry.h),
 * or with nv_verify_opts_set_oci_layout() an OCI image layout reference.
 * The trust policy statement is selected for the repository (or the
 * layout's scope) before anything is fetched.
 *
 * Returns NV_OK (verified), NV_E_SKIPPED (level skip), a verdict
 * (NV_E_VERIFICATION_FAILED, NV_E_NO_SIGNATURES,
 * NV_E_MAX_SIGNATURE_ATTEMPTS, NV_E_NO_APPLICABLE_POLICY) or an operational
 * error (NV_E_REFERENCE_INVALID, NV_E_OCI_LAYOUT_INVALID,
 * NV_E_ARTIFACT_NOT_FOUND, NV_E_REFERRERS_LIST_FAILED, NV_E_NETWORK,
 * NV_E_TIMEOUT, NV_E_TLS, NV_E_REGISTRY_AUTH, NV_E_REGISTRY_DENIED, ...:
 * failures of the registry itself stop the verification, they are not
 * held against one signature). The details are in nv_ctx_last_error(ctx)
 * and in *result.
 *
 * *result is set for every return value except NV_E_INVALID_ARG and
 * NV_E_NOMEM (then it is NULL); release it with nv_result_free().
 */
NV_API nv_status nv_verify(nv_ctx *ctx, const nv_trust_policy *policy,
                           const nv_truststore *store, const char *reference,
                           const nv_verify_opts *opts, nv_result **result);

/*
 * Verify one envelope (`envelope_len` bytes of media type
 * `envelope_media_type`: "application/jose+json" or "application/cose")
 * that the caller fetched itself. The signed payload must name exactly the
 * target descriptor (`target_media_type`, `target_digest`
 * "sha256:<hex>", `target_size`): the artifact whose signature this is.
 * `reference` ("registry/repository", optionally with "@digest" or
 * ":tag") selects the statement of the OCI `policy` by its repository; it
 * names no content, so a digest in it that differs from target_digest
 * only adds a warning to the result. Return values and *result as
 * nv_verify(); the verdict of a failing signature is
 * NV_E_VERIFICATION_FAILED and the signature's own code is in the result.
 * opts' max_signatures and OCI layout scope do not apply.
 */
NV_API nv_status nv_verify_envelope(nv_ctx *ctx, const nv_trust_policy *policy,
                                    const nv_truststore *store, const char *reference,
                                    const char *target_media_type, const char *target_digest,
                                    uint64_t target_size, const char *envelope_media_type,
                                    const uint8_t *envelope, size_t envelope_len,
                                    const nv_verify_opts *opts, nv_result **result);

/*
 * Reads the next bytes of a blob into buf (at most `cap`); *got = 0 marks
 * the end. Any status other than NV_OK stops the blob's signature: it
 * fails with NV_E_IO (a message names the callback's status) and the
 * verification returns NV_E_VERIFICATION_FAILED.
 */
typedef nv_status NV_CALLBACK(nv_read_cb)(void *user_data, uint8_t *buf, size_t cap,
                                          size_t *got);

/*
 * Verify a detached signature over a blob under a blob trust policy
 * (`policy` of kind NV_POLICY_BLOB): the statement named `policy_name`, or
 * the global statement when it is NULL. The blob is read once through
 * `read` after every policy check has passed, hashed with the signature
 * algorithm's hash and compared with the signed digest and size; when
 * `blob_media_type` is not NULL it must equal the signed media type.
 * Return values and *result as nv_verify_envelope().
 */
NV_API nv_status nv_verify_blob(nv_ctx *ctx, const nv_trust_policy *policy,
                                const nv_truststore *store, const char *policy_name,
                                const char *envelope_media_type, const uint8_t *envelope,
                                size_t envelope_len, nv_read_cb read, void *read_user_data,
                                const char *blob_media_type, const nv_verify_opts *opts,
                                nv_result **result);

/* ---- the result ---- */

/* Release a result and its signatures. NULL does nothing. */
NV_API void nv_result_free(nv_result *result);

/* The status the verification returned, and a one-line explanation ("" for
 * NV_OK). */
NV_API nv_status nv_result_status(const nv_result *result);
NV_API const char *nv_result_message(const nv_result *result);

/* The reference as given; the digest of the artifact that was verified
 * ("" when it was not resolved, and for blobs); the name of
 * the trust policy statement that applied and its level, as written (""
 * when none applied); the verification time used (Unix seconds). All
 * strings are owned by the result. */
NV_API const char *nv_result_reference(const nv_result *result);
NV_API const char *nv_result_digest(const nv_result *result);
NV_API const char *nv_result_policy_name(const nv_result *result);
NV_API const char *nv_result_policy_level(const nv_result *result);
NV_API int64_t nv_result_verification_time(const nv_result *result);

/* Warnings: a tag that was resolved to a digest, a reference whose digest
 * differs from the target descriptor, checks that failed but were only
 * logged under the policy level. */
NV_API size_t nv_result_warning_count(const nv_result *result);
NV_API const char *nv_result_warning(const nv_result *result, size_t index);

/* The signatures examined, in the order they were tried; the one that
 * passed is the last. Borrowed from the result. NULL for an index out of
 * range. nv_result_verified_signature(): the one that passed, or NULL. */
NV_API size_t nv_result_signature_count(const nv_result *result);
NV_API const nv_signature *nv_result_signature(const nv_result *result, size_t index);
NV_API const nv_signature *nv_result_verified_signature(const nv_result *result);

/* NV_OK when the signature passed, else why not: the code of the enforced
 * check that failed, or of the retrieval, plugin gate or payload failure;
 * and the message (what failed and what to do; "" for NV_OK). */
NV_API nv_status nv_signature_status(const nv_signature *sig);
NV_API const char *nv_signature_message(const nv_signature *sig);

/* The digest of the signature manifest ("" for nv_verify_envelope() and
 * nv_verify_blob()); the envelope media type; the signing scheme
 * ("notary.x509" or "notary.x509.signingAuthority"; "" when the envelope
 * could not be decoded); the signer: the subject of the leaf certificate
 * ("" when unknown). Never NULL for a valid signature. */
NV_API const char *nv_signature_manifest_digest(const nv_signature *sig);
NV_API const char *nv_signature_media_type(const nv_signature *sig);
NV_API const char *nv_signature_signing_scheme(const nv_signature *sig);
NV_API const char *nv_signature_signer(const nv_signature *sig);

/* Times as Unix seconds: the signing time (notary.x509: claimed by the
 * signer, not authenticated; signingAuthority: the authentic signing time)
 * and the expiry. NV_E_NOT_FOUND when the envelope has none. */
NV_API nv_status nv_signature_signing_time(const nv_signature *sig, int64_t *out);
NV_API nv_status nv_signature_expiry(const nv_signature *sig, int64_t *out);

/* The genTime of the RFC 3161 timestamp the authentic-timestamp check
 * verified (Unix seconds, fraction dropped) and its accuracy in
 * microseconds. NV_E_NOT_FOUND when no timestamp was verified (none
 * required by the policy, none present, or the check failed). Either out
 * pointer may be NULL. */
NV_API nv_status nv_signature_timestamp(const nv_signature *sig, int64_t *gen_time,
                                        int64_t *accuracy_us);

/* For each validation type: the action the policy gave it (integrity is
 * always NV_ACTION_ENFORCE; 0 for an invalid check), what happened, the
 * status of a failure (NV_OK otherwise) and its message ("" when it
 * passed or did not run). */
NV_API nv_action nv_signature_check_action(const nv_signature *sig, nv_check check);
NV_API nv_outcome nv_signature_check_outcome(const nv_signature *sig, nv_check check);
NV_API nv_status nv_signature_check_status(const nv_signature *sig, nv_check check);
NV_API const char *nv_signature_check_message(const nv_signature *sig, nv_check check);

/*
 * The whole result as one JSON object (UTF-8, NUL-terminated; *len_out, if
 * not NULL, receives the length without the NUL). Release with nv_free().
 * Members: "reference", "digest", "verified" (bool), "status" (the NV_*
 * name), "code" (number), "message", "policy" {"name","level"} or null,
 * "verification_time" (RFC 3339), "warnings" [strings], "signatures" [{
 * "manifest_digest", "media_type", "signing_scheme", "signer",
 * "signing_time", "expiry", "timestamp" (RFC 3339 or null),
 * "timestamp_accuracy_us" (number or null), "verified" (bool), "status",
 * "code", "message",
 * "checks" {"integrity"|"authenticity"|"authenticTimestamp"|"expiry"|
 * "revocation": {"action", "outcome" ("passed"|"failed"|"not_run"),
 * "status", "code", "message"}}}].
 */
NV_API nv_status nv_result_to_json(const nv_result *result, char **json_out, size_t *len_out);

NV_END_DECLS

#endif /* NOTARYC_NV_VERIFY_H */
