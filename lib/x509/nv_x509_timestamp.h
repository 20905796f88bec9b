/*
 * RFC 3161 TimeStampToken (notary-spec.md section 10): a CMS ContentInfo
 * (BER accepted) wrapping SignedData whose eContent is a TSTInfo.
 *
 * nv_x509_tst_parse() checks the structure and verifies the CMS signature
 * of a SignerInfo (signingCertificateV2 names the TSA certificate, which
 * must be among the token's certificates and match the hash; the
 * signature algorithm pair, the contentType and messageDigest signed
 * attributes) before it decodes the TSTInfo (version 1, SHA-256/384/512
 * imprint, accuracy, genTime). nv_x509_tst_check_imprint() compares the
 * imprint with the bytes the token should cover, and
 * nv_x509_tst_verify_chain() builds and checks the TSA chain from the
 * token's certificates to one of the given roots.
 */
#ifndef NV_X509_TIMESTAMP_H
#define NV_X509_TIMESTAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "x509/nv_x509_certs.h"

/* Largest token accepted (checked before anything is decoded). */
#define NV_X509_TST_MAX_BYTES (256u * 1024u)
/* Most certificates and SignerInfos a token may carry. */
#define NV_X509_TST_MAX_CERTS 32
#define NV_X509_TST_MAX_SIGNERS 8

typedef struct nv_x509_tst {
  nv_x509_list certs;   /* the token's certificates, in token order (own) */
  X509 *signer;         /* the TSA certificate (one of certs) */
  size_t signer_infos;  /* how many SignerInfos the token has */
  int64_t gen_time;     /* genTime, Unix seconds */
  int32_t gen_time_us;  /* and its fraction, microseconds */
  int64_t accuracy_us;  /* accuracy used for the window, microseconds */
  bool has_signing_time; /* the optional signingTime signed attribute */
  int64_t signing_time;
  int imprint_nid;      /* NID_sha256 / NID_sha384 / NID_sha512 */
  uint8_t imprint[64];
  size_t imprint_len;
} nv_x509_tst;

void nv_x509_tst_init(nv_x509_tst *t);
void nv_x509_tst_free(nv_x509_tst *t);

/* Parse and verify the token's CMS signature; see above. Codes:
 * NV_E_TIMESTAMP_MISSING (empty), NV_E_LIMIT (too large),
 * NV_E_TIMESTAMP_PARSE, NV_E_TIMESTAMP_NO_SIGNERINFO,
 * NV_E_TIMESTAMP_SIGNERINFO_VERSION, NV_E_TIMESTAMP_SIGNING_CERT_V2,
 * NV_E_TIMESTAMP_SIGNER_CERT_NOT_FOUND, NV_E_TIMESTAMP_SIG_ALG_UNKNOWN,
 * NV_E_TIMESTAMP_SIGNED_ATTRS, NV_E_TIMESTAMP_SIGNATURE_INVALID,
 * NV_E_TSTINFO_PARSE, NV_E_TSTINFO_VERSION, NV_E_TSTINFO_HASH_UNSUPPORTED,
 * NV_E_TSTINFO_ACCURACY_INVALID. */
nv_status nv_x509_tst_parse(const uint8_t *der, size_t len, nv_x509_tst *out, nv_diag *d);

/* The imprint must be H(msg) for the token's hash:
 * NV_E_TSTINFO_IMPRINT_MISMATCH otherwise. */
nv_status nv_x509_tst_check_imprint(const nv_x509_tst *t, const uint8_t *msg, size_t len,
                                    nv_diag *d);

/* Build the chain from the TSA certificate through the token's
 * certificates to one of `roots` (self-signed trust anchors), valid at
 * `at` (Unix seconds; the genTime for Notary); then the timestamping chain
 * rules (nv_x509_validate_chain, TSA leaf EKU exactly timeStamping and
 * critical) and, when present, the signingTime attribute inside every
 * chain certificate's validity. `chain_out` (may be NULL) receives the
 * chain leaf first, root last. Codes: NV_E_TSA_NO_TRUSTED_CERTS (no
 * roots), NV_E_TSA_EKU_INVALID, NV_E_TSA_CHAIN_UNTRUSTED (no path to a
 * root), NV_E_TSA_CHAIN_INVALID (any other chain failure). */
nv_status nv_x509_tst_verify_chain(const nv_x509_tst *t, X509 *const *roots, size_t nroots,
                                   int64_t at, nv_x509_list *chain_out, nv_diag *d);

/* The window [genTime - accuracy, genTime + accuracy] in microseconds. */
int64_t nv_x509_tst_lower_us(const nv_x509_tst *t);
int64_t nv_x509_tst_upper_us(const nv_x509_tst *t);

/* Every certificate must contain the whole window (inclusive bounds):
 * NV_E_TIMESTAMP_BEFORE_CERT_VALIDITY / NV_E_TIMESTAMP_AFTER_CERT_VALIDITY. */
nv_status nv_x509_tst_check_window(const nv_x509_tst *t, X509 *const *chain, size_t count,
                                   nv_diag *d);

#endif /* NV_X509_TIMESTAMP_H */
