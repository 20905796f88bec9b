/*
 * The Notary certificate profile (notary-spec.md section 9): parsing an
 * envelope's DER chain and the code-signing and timestamping chain rules,
 * as notation-go checks them (section 9.2 / 9.3), plus the explicit deny
 * list for SHA-1 and MD5 certificate signatures. No validity-time checks:
 * those belong to the authentic-timestamp step.
 */
#ifndef NV_X509_CHAIN_H
#define NV_X509_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_buf.h"
#include "x509/nv_x509_certs.h"

/* Longest chain accepted. Real code-signing and TSA chains have 2-5
 * certificates. */
#define NV_X509_MAX_CHAIN_LEN 32

/* Parse DER certificates, leaf first. The first one failing is
 * NV_E_LEAF_CERT_MALFORMED ("malformed leaf certificate"), any other
 * NV_E_CERT_PARSE; trailing bytes after a certificate are an error. */
nv_status nv_x509_parse_chain(const nv_buf *ders, size_t count, nv_x509_list *out, nv_diag *d);

/* One certificate of such a chain, at position `index` (0: the leaf, for
 * the error code), with every check and message of nv_x509_parse_chain. */
nv_status nv_x509_parse_chain_cert(const nv_buf *der, size_t index, X509 **out, nv_diag *d);

/* The parser rules nv_x509_parse_chain adds to d2i_X509 (those Go's
 * crypto/x509 enforces) hold for this certificate. */
bool nv_x509_go_parse_ok(X509 *cert);

typedef enum nv_x509_purpose {
  NV_X509_CODE_SIGNING = 0,
  NV_X509_TIMESTAMPING = 1
} nv_x509_purpose;

/* The whole chain rule set for a purpose. Errors: NV_E_CHAIN_* and
 * NV_E_CERT_* codes, NV_E_KEY_UNSUPPORTED for the leaf key, each message
 * naming the certificate's subject and the rule. */
nv_status nv_x509_validate_chain(X509 *const *chain, size_t count, nv_x509_purpose purpose,
                                 nv_diag *d);

/* The same, where the caller knows that the last certificate (of a chain
 * of two or more) passed nv_x509_root_rules_ok(): its self-signature is
 * not verified again. */
nv_status nv_x509_validate_chain_ex(X509 *const *chain, size_t count, nv_x509_purpose purpose,
                                    bool root_checked, nv_diag *d);

/* The rules nv_x509_validate_chain applies to the root (the last
 * certificate of a chain of two or more) apart from the CA rules: no weak
 * signature algorithm, self-signed under Go's CheckSignatureFrom (CA
 * basic constraints and key usage, signature verified with its own key)
 * and raw subject == raw issuer. A pure function of the certificate's
 * bytes, so its answer may be remembered with them (trust stores). */
bool nv_x509_root_rules_ok(X509 *cert);

/* The single-certificate rules, exposed for the conformance runner and
 * for trust stores: a leaf, and a CA certificate that has
 * `expected_path_len` CA certificates below it (the leaf not counted). */
nv_status nv_x509_validate_leaf(X509 *cert, nv_x509_purpose purpose, nv_diag *d);
nv_status nv_x509_validate_ca(X509 *cert, nv_x509_purpose purpose, int expected_path_len,
                              nv_diag *d);

/* Self-signed: subject == issuer (raw bytes) and the signature verifies
 * with its own key. */
bool nv_x509_is_self_signed(X509 *cert);

/* `issuer` issued `cert`: raw issuer == issuer's raw subject and the
 * signature verifies with issuer's key. */
bool nv_x509_is_issued_by(X509 *cert, X509 *issuer);

/* Whether a CRL or OCSP response signed with `alg` may be believed: the
 * algorithms certificates may use (SHA-2 RSA, RSA-PSS and ECDSA,
 * Ed25519) and SHA-1 RSA/ECDSA (Go's CheckSignature, which notation-go
 * uses for both, allows them); never MD2/MD4/MD5, DSA or anything
 * unknown. The algorithm's name goes into `name`. */
typedef struct X509_algor_st X509_ALGOR;
bool nv_x509_sigalg_trusted(const X509_ALGOR *alg, char *name, size_t size);

/* The subject as "CN=x,O=y,C=z" (most specific first, RFC 4514 escaping)
 * into buf; always NUL-terminated. */
const char *nv_x509_subject(X509 *cert, char *buf, size_t size);

/* Any name (subject or issuer) in the same form, truncated at a UTF-8
 * boundary; "" for NULL. */
typedef struct X509_name_st X509_NAME;
void nv_x509_name_text(const X509_NAME *name, char *buf, size_t size);

#endif /* NV_X509_CHAIN_H */
