/*
 * Trust policies and trust stores: which statement applies to an artifact,
 * what each validation type does, and which certificates are trusted.
 *
 * Both objects are immutable once built and may then be shared by any
 * number of threads and contexts. A trust store is built with
 * nv_truststore_add_certs() / nv_truststore_load_*() and must be complete
 * before it is shared.
 */
#ifndef NOTARYC_NV_TRUST_H
#define NOTARYC_NV_TRUST_H

#include <notaryc/nv_common.h>
#include <notaryc/nv_context.h>
#include <notaryc/nv_errors.h>

NV_BEGIN_DECLS

typedef struct nv_trust_policy nv_trust_policy;
typedef struct nv_truststore nv_truststore;

/* Trust policy documents. */
typedef int32_t nv_policy_kind;
enum {
  NV_POLICY_OCI = 1, /* trustpolicy.oci.json (or the legacy trustpolicy.json) */
  NV_POLICY_BLOB = 2 /* trustpolicy.blob.json */
};

/* Trust store types. */
typedef int32_t nv_store_type;
enum {
  NV_STORE_CA = 1,                /* "ca": roots for notary.x509 signatures */
  NV_STORE_SIGNING_AUTHORITY = 2, /* "signingAuthority": roots for notary.x509.signingAuthority */
  NV_STORE_TSA = 3                /* "tsa": timestamping roots */
};

/* Validation types and the actions a policy gives them. */
typedef int32_t nv_check;
enum {
  NV_CHECK_INTEGRITY = 1,
  NV_CHECK_AUTHENTICITY = 2,
  NV_CHECK_AUTHENTIC_TIMESTAMP = 3,
  NV_CHECK_EXPIRY = 4,
  NV_CHECK_REVOCATION = 5
};
typedef int32_t nv_action;
enum {
  NV_ACTION_ENFORCE = 1,
  NV_ACTION_LOG = 2,
  NV_ACTION_SKIP = 3
};

/*
 * Parse and validate a trust policy document (version "1.0") of `kind`
 * from `len` bytes of JSON. Every rule of the document format is checked
 * here; a violation is an NV_E_POLICY_* code whose message names the
 * statement and the member. Member names are exact (case-sensitive);
 * unknown members and duplicate members are errors.
 */
NV_API nv_status nv_trust_policy_parse(nv_ctx *ctx, nv_policy_kind kind, const uint8_t *json,
                                       size_t len, nv_trust_policy **out);

/* The same from a file, which must be a regular file (not a symlink). */
NV_API nv_status nv_trust_policy_load(nv_ctx *ctx, nv_policy_kind kind, const char *path,
                                      nv_trust_policy **out);

/* Release a policy. NULL does nothing. */
NV_API void nv_trust_policy_free(nv_trust_policy *policy);

/* Statements, in document order: count, name, level as written
 * ("strict", "permissive", "audit", "skip"), and the effective action of a
 * validation type after overrides (0 for an invalid index or check). */
NV_API size_t nv_trust_policy_statement_count(const nv_trust_policy *policy);
NV_API const char *nv_trust_policy_statement_name(const nv_trust_policy *policy, size_t index);
NV_API const char *nv_trust_policy_statement_level(const nv_trust_policy *policy, size_t index);
NV_API nv_action nv_trust_policy_statement_action(const nv_trust_policy *policy, size_t index,
                                                  nv_check check);

/* A statement's "trustStores" entries ("ca:acme-rockets") and
 * "trustedIdentities" entries ("x509.subject: C=US, ...", "*"), as written
 * and in document order: count, then entry `i` (NULL out of range).
 * Borrowed from the policy. */
NV_API size_t nv_trust_policy_statement_store_count(const nv_trust_policy *policy,
                                                   size_t index);
NV_API const char *nv_trust_policy_statement_store(const nv_trust_policy *policy, size_t index,
                                                   size_t i);
NV_API size_t nv_trust_policy_statement_identity_count(const nv_trust_policy *policy,
                                                      size_t index);
NV_API const char *nv_trust_policy_statement_identity(const nv_trust_policy *policy,
                                                      size_t index, size_t i);

/*
 * The statement that applies. OCI policies: `target` is a reference
 * "registry/repository@sha256:..." (an exact registry scope wins over "*").
 * Blob policies: `target` is a statement name, or NULL for the statement
 * with globalPolicy (an empty or blank name is an error, as in notation-go). NV_E_NO_APPLICABLE_POLICY when none applies,
 * also for a reference that cannot be parsed (as notation-go reports it).
 */
NV_API nv_status nv_trust_policy_select(nv_ctx *ctx, const nv_trust_policy *policy,
                                        const char *target, size_t *index_out);

/* An empty trust store. Release with nv_truststore_free(). */
NV_API nv_status nv_truststore_new(nv_ctx *ctx, nv_truststore **out);

/* Release a store. NULL does nothing. */
NV_API void nv_truststore_free(nv_truststore *store);

/*
 * Add certificates from memory under (type, name): PEM (every CERTIFICATE
 * block; any other block is an error) or DER (one or more certificates).
 * Every certificate must be a CA or self-signed; for NV_STORE_TSA a root.
 * `name` follows ^[a-zA-Z0-9_.-]+$. Nothing is added when an error is
 * returned.
 */
NV_API nv_status nv_truststore_add_certs(nv_ctx *ctx, nv_truststore *store, nv_store_type type,
                                         const char *name, const uint8_t *data, size_t len);

/*
 * Load one named store from notation's layout:
 * `<truststore_dir>/x509/<type>/<name>/`, every regular file in it (PEM or
 * DER, whatever the extension). Symlinks and sub-directories are errors, as
 * is a store without certificates.
 */
NV_API nv_status nv_truststore_load_named(nv_ctx *ctx, nv_truststore *store,
                                          const char *truststore_dir, nv_store_type type,
                                          const char *name);

/* Load, from the same layout, every store any statement of `policy` names
 * (each once, in document order). The first store that fails to load fails
 * the call; stores loaded before it stay in `store`, so discard a store
 * whose loading failed. */
NV_API nv_status nv_truststore_load_for_policy(nv_ctx *ctx, nv_truststore *store,
                                               const char *truststore_dir,
                                               const nv_trust_policy *policy);

/* The same for the stores of one statement only (`index` as from
 * nv_trust_policy_select()): what a verifier that knows which statement
 * applies needs, without failing on stores other statements name. */
NV_API nv_status nv_truststore_load_for_statement(nv_ctx *ctx, nv_truststore *store,
                                                  const char *truststore_dir,
                                                  const nv_trust_policy *policy, size_t index);

/* Certificates held under (type, name); 0 when there is no such store. */
NV_API size_t nv_truststore_cert_count(const nv_truststore *store, nv_store_type type,
                                       const char *name);

/* Flags for nv_trust_load_flux_secret(). */
/* Distribute certificates as Flux does: every certificate goes to every
 * store the policy names, tsa stores included, without the CA-or-self-signed
 * validation. (Unlike Flux, every PEM block of a file is still read.) */
#define NV_FLUX_COMPAT (1u << 0)

/*
 * Build a policy and a store from a directory shaped like Flux's
 * verification secret: `trustpolicy.json` plus any `*.crt` / `*.pem` files
 * (regular files, or a Kubernetes secret volume's `<key> -> ..data/<key>`
 * links; other names are ignored). By default every PEM block is
 * read and validated, the certificates go to every ca and signingAuthority
 * store the policy names, and tsa stores receive only the certificates that
 * are roots. NV_FLUX_COMPAT distributes them as Flux does (docs/compat.md).
 */
NV_API nv_status nv_trust_load_flux_secret(nv_ctx *ctx, const char *dir, uint32_t flags,
                                           nv_trust_policy **policy_out,
                                           nv_truststore **store_out);

/*
 * The same from a secret given key by key, as an embedder that reads the
 * Secret object from the Kubernetes API has it (Flux does this): create,
 * add each key's bytes (keys other than "trustpolicy.json", "*.crt" and
 * "*.pem" are ignored; a key given twice, an empty key or one with '/' is
 * NV_E_INVALID_ARG; the size and count limits of the directory form
 * apply), then build. The secret is only read by nv_trust_from_flux_secret
 * and may be freed afterwards.
 */
typedef struct nv_flux_secret nv_flux_secret;
NV_API nv_status nv_flux_secret_new(nv_ctx *ctx, nv_flux_secret **out);
NV_API void nv_flux_secret_free(nv_flux_secret *secret);
NV_API nv_status nv_flux_secret_add(nv_ctx *ctx, nv_flux_secret *secret, const char *key,
                                    const uint8_t *value, size_t len);
NV_API nv_status nv_trust_from_flux_secret(nv_ctx *ctx, const nv_flux_secret *secret,
                                           uint32_t flags, nv_trust_policy **policy_out,
                                           nv_truststore **store_out);

NV_END_DECLS

#endif /* NOTARYC_NV_TRUST_H */
