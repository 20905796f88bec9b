/*
 * Trust stores (notary-spec.md section 12).
 *
 * An nv_pol_store holds named stores, each identified by (type, name) with
 * type "ca", "signingAuthority" or "tsa" and a name matching
 * ^[a-zA-Z0-9_.-]+$. A named store is the list of certificates read from
 * notation's directory layout <x509_dir>/<type>/<name>/ or added from
 * bytes, every certificate validated as notation-go validates trust store
 * files:
 *   - ca / signingAuthority: each certificate is a CA (basicConstraints
 *     cA=true) or self-signed;
 *   - tsa: in addition each certificate is a root (self-signed under Go's
 *     CheckSignatureFrom rules, raw subject == raw issuer).
 * A named store keeps its certificates in load order, duplicates included
 * (notation-go does; the count of a store is what the files hold).
 *
 * For one verification the trust policy's "trustStores" entries
 * ("type:name") are resolved into an nv_pol_certset: the certificates of
 * the named stores of the type the signing scheme needs (ca for
 * notary.x509, signingAuthority for notary.x509.signingAuthority, tsa for
 * timestamps), in policy order, duplicates removed. A certset answers
 * "is this certificate byte-identical to a trusted one" (authenticity,
 * spec section 9.4) and gives the certificates as a list (anchors for an
 * X509_STORE).
 *
 * Threads and mutation. The mutators are nv_pol_store_add_bytes,
 * nv_pol_store_load_dir and nv_pol_store_load_refs; they are used by one
 * thread while the store is built. nv_pol_store_freeze() ends the build:
 * afterwards every mutator fails with NV_E_INVALID_ARG, and the other
 * functions (which only read) may be called from any number of threads at
 * once. A certset is immutable from its creation and holds its own
 * certificate references, so it may outlive the store and be shared
 * between threads. The certificates must be treated as read-only.
 *
 * Limits, checked before memory is committed: NV_POL_STORE_MAX_FILES
 * directory entries per store, NV_LIMIT_CERT_FILE_BYTES per file
 * (checked with fstat before reading), NV_POL_STORE_MAX_CERTS
 * certificates per named store, NV_POL_STORE_MAX_TOTAL_CERTS per
 * nv_pol_store, NV_POL_STORE_MAX_STORES named stores per nv_pol_store,
 * NV_POL_STORE_NAME_MAX bytes per name. Exceeding one is
 * NV_E_TRUSTSTORE_TOO_LARGE.
 */
#ifndef NV_POLICY_STORE_H
#define NV_POLICY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_diag.h"
#include "policy/nv_pol_types.h"
#include "x509/nv_x509_cache.h"
#include "x509/nv_x509_certs.h"

#define NV_POL_STORE_MAX_FILES 1000
#define NV_POL_STORE_MAX_CERTS 10000
#define NV_POL_STORE_MAX_TOTAL_CERTS 100000
#define NV_POL_STORE_MAX_STORES 1000
#define NV_POL_STORE_NAME_MAX 255

typedef struct nv_pol_store nv_pol_store;
typedef struct nv_pol_certset nv_pol_certset;

/* ---------------------------------------------------------------- */
/* the store object                                                  */

nv_status nv_pol_store_new(nv_pol_store **out, nv_diag *d);
void nv_pol_store_free(nv_pol_store *s);

/* Mutator. Parse `data` (PEM: every block must be a CERTIFICATE; else one
 * or more concatenated DER certificates), validate every certificate for
 * the store type, and append them to the named store (type, name),
 * creating it. `what` names the source in messages (a file name, a secret
 * key). Nothing is added unless every certificate is valid. Errors:
 * NV_E_TRUSTSTORE_TYPE_INVALID, NV_E_TRUSTSTORE_NAME_INVALID,
 * NV_E_TRUSTSTORE_CERT_PARSE ("failed to read the trusted certificate
 * <what> in trust store <name> of type <type>"),
 * NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED ("failed to validate the
 * trusted certificate <what> ..."), NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT
 * ("trusted certificate <what> in trust store <name> of type tsa is
 * invalid: <reason>"), NV_E_TRUSTSTORE_TOO_LARGE, NV_E_INVALID_ARG (frozen
 * store, NULL argument), NV_E_NOMEM. */
nv_status nv_pol_store_add_bytes(nv_pol_store *s, const char *type, const char *name,
                                 const uint8_t *data, size_t len, const char *what, nv_diag *d);

/* Mutator. Load <x509_dir>/<type>/<name>/ as notation-go's
 * x509TrustStore.GetCertificates does and append its certificates to the
 * named store (creating it). The store directory is lstat'ed: missing ->
 * NV_E_TRUSTSTORE_NOT_FOUND ("the trust store "<name>" of type "<type>"
 * does not exist"); a symlink or not a directory ->
 * NV_E_TRUSTSTORE_NOT_DIRECTORY; unreadable -> NV_E_TRUSTSTORE_ACCESS.
 * Every entry must be a regular file (a sub-directory, symlink or special
 * file is NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR), whatever its extension;
 * files are read in byte-wise name order, opened with O_NOFOLLOW and
 * checked again with fstat, and each is validated as in
 * nv_pol_store_add_bytes. A directory with no file is
 * NV_E_TRUSTSTORE_EMPTY. Any error leaves the object unchanged. The names
 * "." and ".." are refused (NV_E_TRUSTSTORE_NAME_INVALID) although the
 * name pattern allows them. */
nv_status nv_pol_store_load_dir(nv_pol_store *s, const char *x509_dir, const char *type,
                                const char *name, nv_diag *d);

/* Mutator. For each "type:name" entry of `refs` (a trust policy's
 * trustStores) whose type is `want` and which the object does not hold
 * yet, nv_pol_store_load_dir(x509_dir, ...), in order; the first error
 * aborts. Every entry is checked for syntax whatever its type:
 * NV_E_TRUSTSTORE_INVALID (no ':'), NV_E_TRUSTSTORE_TYPE_INVALID,
 * NV_E_TRUSTSTORE_NAME_INVALID. */
nv_status nv_pol_store_load_refs(nv_pol_store *s, const char *x509_dir, const char *const *refs,
                                 size_t ref_count, nv_pol_store_type want, nv_diag *d);

/* End the build (idempotent). */
void nv_pol_store_freeze(nv_pol_store *s);
bool nv_pol_store_frozen(const nv_pol_store *s);

/* The store's certificates indexed for the per-context certificate cache
 * (nv_x509_cache_set_anchors: an envelope certificate byte-identical to a
 * store certificate is the store's, never parsed again). Made by
 * nv_pol_store_freeze; for a store that is shared without being frozen,
 * made once by the first call (under a lock of its own; the certificates
 * themselves are not touched: their SHA-256 is remembered with each as it
 * is loaded). NULL for a store without certificates, or if indexing
 * failed. Owned by the store; a cache takes its own reference. */
nv_x509_anchors *nv_pol_store_anchors(const nv_pol_store *s);

/* The certificates of a named store, in load order (duplicates kept);
 * NULL if the object has no such store. Owned by the store. */
const nv_x509_list *nv_pol_store_certs(const nv_pol_store *s, nv_pol_store_type type,
                                       const char *name);

/* Number of named stores held. */
size_t nv_pol_store_count(const nv_pol_store *s);

/* Read-only. Resolve `refs` for the store type `want` against the stores
 * the object holds (nothing is read from disk): matching entries in
 * order, repeated entries once, certificates deduplicated by SHA-256 of
 * their DER encoding. A matching entry the object does not hold is
 * NV_E_TRUSTSTORE_NOT_FOUND; one held but empty (possible for a Flux tsa
 * store, see below) is NV_E_TRUSTSTORE_EMPTY. No matching entry at all
 * gives an empty certset and NV_OK (notation-go then fails authenticity
 * with "no trusted certificates are found"). Syntax errors as in
 * nv_pol_store_load_refs. */
nv_status nv_pol_store_select(const nv_pol_store *s, const char *const *refs, size_t ref_count,
                              nv_pol_store_type want, nv_pol_certset **out, nv_diag *d);

/* One shot: a temporary store, nv_pol_store_load_refs from x509_dir, then
 * nv_pol_store_select. */
nv_status nv_pol_certset_for_policy(const char *x509_dir, const char *const *refs,
                                    size_t ref_count, nv_pol_store_type want,
                                    nv_pol_certset **out, nv_diag *d);

/* The trust-store rule for one certificate: CA or self-signed; for
 * NV_POL_STORE_TSA also a root. Errors (message = notation-go's inner
 * text, naming the subject): NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED,
 * NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT, NV_E_TRUSTSTORE_TYPE_INVALID. */
nv_status nv_pol_store_validate_cert(X509 *cert, nv_pol_store_type type, nv_diag *d);

/* Split "type:name" (at the first ':') and validate both parts; `name`
 * receives the name (NUL-terminated). Errors as in nv_pol_store_load_refs. */
nv_status nv_pol_store_parse_ref(const char *ref, nv_pol_store_type *type,
                                 char name[NV_POL_STORE_NAME_MAX + 1], nv_diag *d);

/* ---------------------------------------------------------------- */
/* merged certificates for one verification                          */

void nv_pol_certset_free(nv_pol_certset *cs);

/* The certificates, deduplicated, in policy order. */
const nv_x509_list *nv_pol_certset_list(const nv_pol_certset *cs);
size_t nv_pol_certset_count(const nv_pol_certset *cs);

/* Authenticity: is this certificate byte-identical to one of the set?
 * Binary search over the sorted SHA-256 values (O(log n)). The X509 form
 * hashes OpenSSL's DER encoding of the certificate (as the set does); the
 * DER form hashes the bytes as given. */
bool nv_pol_certset_contains_der(const nv_pol_certset *cs, const uint8_t *der, size_t len);
bool nv_pol_certset_contains_cert(const nv_pol_certset *cs, X509 *cert);

/* ---------------------------------------------------------------- */
/* Flux compatibility: a directory shaped like Flux's verification secret */

/*
 * Flux (source-controller, OCIRepository/HelmChart "notation" provider)
 * reads a Kubernetes secret holding "trustpolicy.json" and certificates
 * under keys ending ".crt" or ".pem"; every other key is ignored. It gives
 * every certificate to every trust store name and type and validates
 * nothing (users.md section 1.2). An nv_pol_flux_secret holds such a
 * secret; the trust policy comes back as bytes (the caller parses it and
 * passes the policy's trustStores entries to
 * nv_pol_flux_secret_build_store).
 *
 * Default mode (flags 0): every PEM block of each file is read; every
 * certificate must be a CA or self-signed; every certificate goes to each
 * named ca and signingAuthority store listed in `refs`; a tsa store listed
 * in `refs` receives only the certificates that are roots (and is empty,
 * so NV_E_TRUSTSTORE_EMPTY at selection time, if none is).
 */
#define NV_POL_FLUX_ALL_STORES 0x1u    /* every certificate to every listed store, tsa included */
#define NV_POL_FLUX_NO_VALIDATION 0x2u /* skip the CA-or-self-signed rule */
#define NV_POL_FLUX_COMPAT (NV_POL_FLUX_ALL_STORES | NV_POL_FLUX_NO_VALIDATION)

/* The secret key of the trust policy. */
#define NV_POL_FLUX_POLICY_KEY "trustpolicy.json"

typedef struct nv_pol_flux_secret nv_pol_flux_secret;

nv_status nv_pol_flux_secret_new(nv_pol_flux_secret **out, nv_diag *d);
void nv_pol_flux_secret_free(nv_pol_flux_secret *fs);

/* Add one key of a secret (key/value form, e.g. from the Kubernetes API).
 * Keys other than "trustpolicy.json" and "*.crt" / "*.pem" are ignored
 * (NV_OK). Errors: NV_E_INVALID_ARG (empty key, a key with '/', a key
 * given twice), NV_E_POLICY_TOO_LARGE, NV_E_TRUSTSTORE_TOO_LARGE (file
 * size or more than NV_POL_STORE_MAX_FILES certificate keys). */
nv_status nv_pol_flux_secret_add(nv_pol_flux_secret *fs, const char *key, const uint8_t *value,
                                 size_t len, nv_diag *d);

/* Read a directory holding the secret's keys as files. Only the entries
 * named "trustpolicy.json", "*.crt" and "*.pem" are looked at; each must
 * be a regular file, or a Kubernetes secret volume's "<key> ->
 * ..data/<key>" link (followed only in that shape, inside the directory),
 * not another symlink, a directory or a special file (
 * NV_E_POLICY_NOT_REGULAR_FILE for the policy,
 * NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR for a certificate file), within the
 * size limits (checked before reading). Then, as Flux:
 * NV_E_POLICY_NOT_FOUND "'trustpolicy.json' not found in secret" and
 * NV_E_TRUSTSTORE_EMPTY "no certificates found in secret". */
nv_status nv_pol_flux_secret_load_dir(const char *dir, nv_pol_flux_secret **out, nv_diag *d);

/* The trust policy bytes (NUL-terminated; `len` excludes the NUL), owned
 * by the secret. NV_E_POLICY_NOT_FOUND when the secret has none. */
nv_status nv_pol_flux_secret_policy(const nv_pol_flux_secret *fs, const uint8_t **data,
                                    size_t *len, nv_diag *d);

/* Number of certificate keys. */
size_t nv_pol_flux_secret_cert_files(const nv_pol_flux_secret *fs);

/* Build a store (not frozen) from the certificate keys, in key order, for
 * the "type:name" entries `refs` (the trustStores of every statement of
 * the policy; repeated entries are fine). `flags` as above. Errors:
 * NV_E_TRUSTSTORE_EMPTY ("no certificates found in secret"),
 * NV_E_TRUSTSTORE_CERT_PARSE and NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED
 * naming the key, ref syntax errors as in nv_pol_store_load_refs, limits. */
nv_status nv_pol_flux_secret_build_store(const nv_pol_flux_secret *fs, const char *const *refs,
                                         size_t ref_count, unsigned flags, nv_pol_store **out,
                                         nv_diag *d);

#endif /* NV_POLICY_STORE_H */
