/*
 * The code-signing and timestamping chain rules (notary-spec.md section 9)
 * on the reference certificates of notation-core-go (conformance vectors,
 * expected outcomes from cases.json categories codesigning-chain,
 * codesigning-cert, timestamping-chain, timestamping-cert) and on
 * certificates made by data/gen_sig.py (python3-cryptography / openssl
 * CLI): SHA-1 deny list, RSASSA-PSS and ECDSA certificate signatures, the
 * self-issued-but-not-self-signed trap, subject printing, and
 * nv_x509_parse_chain.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_pem.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509/nv_x509_chain.h"

#define REF(name) NV_VECTORS "/inline/notation-core-go/x509/" name ".pem"
#define TESTDATA(name) NV_VECTORS "/notation-core-go/x509/testdata/" name
#define GEN(name) NV_TEST_DATA "/" name

#define LEAF REF("codeSigningLeafPem")
#define INT2 REF("intermediateCertPem2")
#define INT1 REF("intermediateCertPem1")
#define ROOT REF("rootCertPem")
#define TSA_LEAF TESTDATA("timestamp_leaf.crt")
#define TSA_INT TESTDATA("timestamp_intermediate.crt")
#define TSA_ROOT TESTDATA("timestamp_root.crt")

#define MAX_FILES 40

/* Validate the chain made of the given files (NULL-terminated). */
static nv_status chain_files(nv_x509_purpose purpose, nv_diag *d, ...)
{
  X509 *certs[MAX_FILES];
  size_t n = 0;
  va_list ap;
  va_start(ap, d);
  for (const char *p = va_arg(ap, const char *); p != NULL; p = va_arg(ap, const char *)) {
    assert_true(n < MAX_FILES);
    certs[n++] = load_cert_file(p);
  }
  va_end(ap);
  if (d != NULL)
    nv_diag_init(d);
  nv_status rc = nv_x509_validate_chain(certs, n, purpose, d);
  for (size_t i = 0; i < n; i++)
    X509_free(certs[i]);
  return rc;
}

static nv_status leaf_file(const char *path, nv_x509_purpose purpose, nv_diag *d)
{
  X509 *c = load_cert_file(path);
  nv_diag_init(d);
  nv_status rc = nv_x509_validate_leaf(c, purpose, d);
  X509_free(c);
  return rc;
}

static nv_status ca_file(const char *path, nv_x509_purpose purpose, int path_len, nv_diag *d)
{
  X509 *c = load_cert_file(path);
  nv_diag_init(d);
  nv_status rc = nv_x509_validate_ca(c, purpose, path_len, d);
  X509_free(c);
  return rc;
}

#define CS NV_X509_CODE_SIGNING
#define TS NV_X509_TIMESTAMPING

/* ------------------------------------------------- codesigning-chain cases */

static void csc_valid_chains(void **state)
{
  (void)state;
  nv_diag d;
  /* CSC-001 / CSC-008 (the signing-time part belongs to another step). */
  assert_int_equal(chain_files(CS, &d, LEAF, INT2, INT1, ROOT, NULL), NV_OK);
  assert_int_equal(d.status, NV_OK);
  /* CSC-002: a single self-signed leaf. */
  assert_int_equal(chain_files(CS, &d, TESTDATA("openssl-minimum-self-signed.pem"), NULL), NV_OK);
  /* The NULL diag is allowed. */
  assert_int_equal(chain_files(CS, NULL, LEAF, INT2, INT1, ROOT, NULL), NV_OK);
}

static void csc_empty_chain(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  /* CSC-003 / TSC-002 */
  assert_int_equal(nv_x509_validate_chain(NULL, 0, CS, &d), NV_E_CERT_CHAIN_MISSING);
  assert_string_equal(d.msg, "certificate chain must contain at least one certificate");
  assert_int_equal(nv_x509_validate_chain(NULL, 0, TS, NULL), NV_E_CERT_CHAIN_MISSING);
}

static void csc_single_not_self_signed(void **state)
{
  (void)state;
  nv_diag d;
  /* CSC-004 */
  assert_int_equal(chain_files(CS, &d, LEAF, NULL), NV_E_CHAIN_SELF_SIGNED_INVALID);
  assert_string_equal(d.msg, "invalid self-signed certificate. subject: \"CN=CodeSigningLeaf\". "
                             "Error: crypto/rsa: verification error");
}

static void csc_root_not_self_signed(void **state)
{
  (void)state;
  nv_diag d;
  /* CSC-009 */
  assert_int_equal(chain_files(CS, &d, LEAF, INT2, INT1, NULL), NV_E_CHAIN_ROOT_NOT_SELF_SIGNED);
  assert_string_equal(d.msg,
                      "root certificate with subject \"CN=Intermediate1\" is invalid or not "
                      "self-signed. Certificate chain must end with a valid self-signed root "
                      "certificate. Error: crypto/rsa: verification error");
}

static void csc_not_issued_by_next(void **state)
{
  (void)state;
  nv_diag d;
  /* CSC-011: "Hello" is no CA, so Go refuses it as a parent. */
  assert_int_equal(chain_files(CS, &d, LEAF, REF("unrelatedCertPem"), INT1, ROOT, NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  assert_string_equal(d.msg, "invalid certificates or certificate with subject "
                             "\"CN=CodeSigningLeaf\" is not issued by \"CN=Hello\". Error: x509: "
                             "invalid signature: parent certificate cannot sign this kind of "
                             "certificate");
  /* Wrong order: the leaf's issuer is Intermediate2, not Intermediate1. */
  assert_int_equal(chain_files(CS, &d, LEAF, INT1, INT2, ROOT, NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  assert_string_equal(d.msg, "invalid certificates or certificate with subject "
                             "\"CN=CodeSigningLeaf\" is not issued by \"CN=Intermediate1\". "
                             "Error: crypto/rsa: verification error");
  /* A missing middle certificate. */
  assert_int_equal(chain_files(CS, &d, LEAF, INT1, ROOT, NULL), NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
}

static void csc_leaf_self_signed_in_chain(void **state)
{
  (void)state;
  nv_diag d;
  /* CSC-012 */
  assert_int_equal(chain_files(CS, &d, ROOT, ROOT, ROOT, NULL), NV_E_CHAIN_UNEXPECTED_SELF_SIGNED);
  assert_string_equal(d.msg, "leaf certificate with subject \"CN=Root\" is self-signed. "
                             "Certificate chain must not contain self-signed leaf certificate");
  /* The intermediate variant: the generated leaf is issued by its root,
   * which then appears twice. */
  assert_int_equal(
      chain_files(CS, &d, GEN("sig-cert-leaf.pem"), GEN("sig-cert-root.pem"),
                  GEN("sig-cert-root.pem"), NULL),
      NV_E_CHAIN_UNEXPECTED_SELF_SIGNED);
  assert_string_equal(d.msg, "intermediate certificate with subject "
                             "\"CN=Sig Test Root,O=libnotaryc,C=US\" is self-signed. Certificate "
                             "chain must not contain self-signed intermediate certificate");
}

static void csc_is_self_signed(void **state)
{
  (void)state;
  /* CSC-015 */
  const struct {
    const char *file;
    bool self_signed;
  } cases[] = {
    {LEAF, false}, {INT1, false}, {INT2, false}, {ROOT, true},
    {TSA_ROOT, true}, {TSA_LEAF, false},
    /* Trap 1: subject == issuer, but signed by the root's key. */
    {GEN("sig-cert-selfissued-leaf.pem"), false},
    /* Go's CheckSignature accepts SHA-1; the deny list is a chain rule. */
    {GEN("sig-cert-sha1-self.pem"), true},
    {GEN("sig-cert-ed25519.pem"), true},
    {GEN("sig-cert-ec-root.pem"), true},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    X509 *c = load_cert_file(cases[i].file);
    if (nv_x509_is_self_signed(c) != cases[i].self_signed)
      fail_msg("%s: expected self_signed=%d", cases[i].file, cases[i].self_signed);
    X509_free(c);
  }
  assert_false(nv_x509_is_self_signed(NULL));
}

static void csc_is_issued_by(void **state)
{
  (void)state;
  X509 *leaf = load_cert_file(LEAF), *int1 = load_cert_file(INT1), *int2 = load_cert_file(INT2), *root = load_cert_file(ROOT);
  X509 *si = load_cert_file(GEN("sig-cert-selfissued-leaf.pem")), *groot = load_cert_file(GEN("sig-cert-root.pem"));
  assert_true(nv_x509_is_issued_by(leaf, int2));
  assert_true(nv_x509_is_issued_by(int2, int1));
  assert_true(nv_x509_is_issued_by(int1, root));
  assert_true(nv_x509_is_issued_by(root, root));
  assert_false(nv_x509_is_issued_by(leaf, int1));
  assert_false(nv_x509_is_issued_by(int1, int2));
  assert_false(nv_x509_is_issued_by(root, leaf));
  assert_true(nv_x509_is_issued_by(si, groot));
  assert_false(nv_x509_is_issued_by(si, si));
  assert_false(nv_x509_is_issued_by(NULL, root));
  assert_false(nv_x509_is_issued_by(leaf, NULL));
  X509_free(leaf);
  X509_free(int1);
  X509_free(int2);
  X509_free(root);
  X509_free(si);
  X509_free(groot);
}

static void self_issued_leaf_trap(void **state)
{
  (void)state;
  nv_diag d;
  /* NOTES.md trap 1: as a chain under its real root it is valid ... */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-selfissued-leaf.pem"),
                               GEN("sig-cert-root.pem"), NULL),
                   NV_OK);
  /* ... alone it is not self-signed, even though subject == issuer. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-selfissued-leaf.pem"), NULL),
                   NV_E_CHAIN_SELF_SIGNED_INVALID);
  assert_string_equal(d.msg, "invalid self-signed certificate. subject: "
                             "\"CN=Sig Test Root,O=libnotaryc,C=US\". Error: crypto/rsa: "
                             "verification error");
}

static void path_length(void **state)
{
  (void)state;
  nv_diag d;
  /* Intermediate2 (pathLen 0) has a CA below it. */
  assert_int_equal(chain_files(CS, &d, REF("codeSigningLeafInvalidPathLenPem"),
                               REF("intermediateCertInvalidPathLenPem"), INT2, INT1, ROOT, NULL),
                   NV_E_CERT_PATH_LENGTH);
  assert_string_equal(d.msg, "certificate with subject \"CN=Intermediate2\": expected path "
                             "length of 1 but certificate has path length 0 instead");
  /* Without the root the chain is rejected for its shape first. */
  assert_int_equal(chain_files(CS, &d, REF("codeSigningLeafInvalidPathLenPem"),
                               REF("intermediateCertInvalidPathLenPem"), INT2, NULL),
                   NV_E_CHAIN_ROOT_NOT_SELF_SIGNED);
}

/* -------------------------------------------------- codesigning-cert cases */

static void csc_ca_rules(void **state)
{
  (void)state;
  nv_diag d;
  /* CSC-020 */
  assert_int_equal(ca_file(ROOT, CS, 2, &d), NV_OK);
  /* CSC-021 */
  assert_int_equal(ca_file(ROOT, CS, 3, &d), NV_E_CERT_PATH_LENGTH);
  assert_string_equal(d.msg, "certificate with subject \"CN=Root\": expected path length of 3 "
                             "but certificate has path length 2 instead");
  /* An explicit pathLen of 0 is present (not "unlimited"). */
  assert_int_equal(ca_file(INT2, CS, 0, &d), NV_OK);
  assert_int_equal(ca_file(INT2, CS, 1, &d), NV_E_CERT_PATH_LENGTH);
  /* No pathLen: any depth (the TSA root). */
  assert_int_equal(ca_file(TSA_ROOT, CS, 1000, &d), NV_OK);
  /* CSC-022 */
  assert_int_equal(ca_file(REF("noBasicConstraintsCaPem"), CS, 3, &d),
                   NV_E_CERT_BASIC_CONSTRAINTS_INVALID);
  assert_string_equal(d.msg, "certificate with subject \"CN=Hello\": ca field in basic "
                             "constraints must be present, critical, and set to true");
  /* cA=false with a pathLen. */
  assert_int_equal(ca_file(REF("basicConstraintsNotCaPem"), CS, 0, &d),
                   NV_E_CERT_BASIC_CONSTRAINTS_INVALID);
  /* CSC-024 */
  assert_int_equal(ca_file(REF("kuNotCriticalCertSignCaPem"), CS, 3, &d),
                   NV_E_CERT_KEY_USAGE_MISSING);
  assert_string_equal(d.msg,
                      "certificate with subject \"CN=Hello\": key usage extension must be marked "
                      "critical");
  /* CSC-025 */
  assert_int_equal(ca_file(REF("kuMissingCaPem"), CS, 3, &d), NV_E_CERT_KEY_USAGE_MISSING);
  assert_string_equal(d.msg, "certificate with subject \"CN=Hello\": key usage extension must be "
                             "present");
  assert_int_equal(ca_file(REF("kuNotCertSignCaPem"), CS, 3, &d),
                   NV_E_CERT_KEY_CERT_SIGN_MISSING);
  /* basicConstraints not critical: notation-go does not check it; neither
   * do we (spec section 19 row 7). */
  assert_int_equal(ca_file(GEN("sig-cert-ca-bc-noncrit.pem"), CS, 0, &d), NV_OK);
  assert_int_equal(ca_file(GEN("sig-cert-ca-bc-noncrit.pem"), CS, 1, &d), NV_E_CERT_PATH_LENGTH);
  /* A leaf is not a CA. */
  assert_int_equal(ca_file(LEAF, CS, 0, &d), NV_E_CERT_BASIC_CONSTRAINTS_INVALID);
}

static void csc_leaf_rules(void **state)
{
  (void)state;
  nv_diag d;
  /* CSC-030, CSC-036 */
  assert_int_equal(leaf_file(REF("validNoOptionsLeafPem"), CS, &d), NV_OK);
  assert_int_equal(leaf_file(LEAF, CS, &d), NV_OK);
  /* CSC-031 */
  assert_int_equal(leaf_file(REF("caTrueLeafPem"), CS, &d), NV_E_CERT_LEAF_IS_CA);
  assert_string_equal(d.msg, "certificate with subject \"CN=Hello\": if the basic constraints "
                             "extension is present, the ca field must be set to false");
  /* CSC-032 */
  assert_int_equal(leaf_file(REF("kuNoDigitalSignatureLeafPem"), CS, &d),
                   NV_E_CERT_KEY_USAGE_INVALID);
  assert_string_equal(d.msg, "the certificate with subject \"CN=Hello\" is invalid. The key "
                             "usage must have the bit positions for \"Digital Signature\" set");
  assert_int_equal(leaf_file(REF("kuWrongValuesLeafPem"), CS, &d), NV_E_CERT_KEY_USAGE_INVALID);
  assert_string_equal(d.msg, "the certificate with subject \"CN=Hello\" is invalid. The key "
                             "usage must be \"Digital Signature\" only, but found \"CertSign\", "
                             "\"CRLSign\"");
  /* Every forbidden bit, in notation-go's order (nonRepudiation is fine). */
  assert_int_equal(leaf_file(GEN("sig-cert-ku-all.pem"), CS, &d), NV_E_CERT_KEY_USAGE_INVALID);
  assert_string_equal(d.msg, "the certificate with subject \"CN=Sig KU All\" is invalid. The key "
                             "usage must be \"Digital Signature\" only, but found "
                             "\"KeyEncipherment\", \"DataEncipherment\", \"KeyAgreement\", "
                             "\"CertSign\", \"CRLSign\", \"EncipherOnly\", \"DecipherOnly\"");
  /* CSC-034 and its EC sibling */
  assert_int_equal(leaf_file(REF("rsaKeyTooSmallLeafPem"), CS, &d), NV_E_KEY_UNSUPPORTED);
  assert_string_equal(d.msg,
                      "certificate with subject \"CN=Hello\": rsa key size 1024 bits is not "
                      "supported");
  assert_int_equal(leaf_file(REF("ecdsaKeyTooSmallLeafPem"), CS, &d), NV_E_KEY_UNSUPPORTED);
  assert_string_equal(d.msg,
                      "certificate with subject \"CN=Hello\": ecdsa key size 224 bits is not "
                      "supported");
  assert_int_equal(leaf_file(GEN("sig-cert-ed25519.pem"), CS, &d), NV_E_KEY_UNSUPPORTED);
  assert_string_equal(d.msg,
                      "certificate with subject \"CN=Sig Ed25519\": unsupported public key type");
  /* CSC-037: the first forbidden EKU in certificate order. */
  assert_int_equal(leaf_file(REF("ekuWrongValuesCodeLeafPem"), CS, &d), NV_E_CERT_EKU_INVALID);
  assert_string_equal(d.msg, "certificate with subject \"CN=Hello\": extended key usage must not "
                             "contain ServerAuth eku");
  assert_int_equal(leaf_file(REF("ekuMissingCodeSigningLeafPem"), CS, &d),
                   NV_E_CERT_EKU_INVALID);
  assert_string_equal(d.msg, "certificate with subject \"CN=Hello\": extended key usage must not "
                             "contain OCSPSigning eku");
  assert_int_equal(leaf_file(GEN("sig-cert-eku-client.pem"), CS, &d), NV_E_CERT_EKU_INVALID);
  assert_string_equal(d.msg, "certificate with subject \"CN=Sig EKU Client\": extended key usage "
                             "must not contain ClientAuth eku");
  assert_int_equal(leaf_file(REF("ekuNonCriticalTimeLeafPem"), CS, &d), NV_E_CERT_EKU_INVALID);
  assert_string_equal(d.msg, "certificate with subject \"CN=TimeStampingLeaf\": extended key "
                             "usage must not contain Timestamping eku");
  /* anyExtendedKeyUsage is allowed, as in notation-go (spec section 19
   * row 6). */
  assert_int_equal(leaf_file(GEN("sig-cert-anyeku.pem"), CS, &d), NV_OK);
  /* keyUsage must be present and critical for code signing. */
  assert_int_equal(leaf_file(GEN("sig-cert-no-ku.pem"), CS, &d), NV_E_CERT_KEY_USAGE_MISSING);
  assert_string_equal(d.msg, "certificate with subject \"CN=Sig No KU\": key usage extension "
                             "must be present");
  assert_int_equal(leaf_file(GEN("sig-cert-ku-noncrit.pem"), CS, &d),
                   NV_E_CERT_KEY_USAGE_MISSING);
  assert_string_equal(d.msg, "certificate with subject \"CN=Sig KU Noncritical\": key usage "
                             "extension must be marked critical");
  /* A CA certificate as leaf. */
  assert_int_equal(leaf_file(ROOT, CS, &d), NV_E_CERT_LEAF_IS_CA);
  /* A supported EC key. */
  assert_int_equal(leaf_file(GEN("sig-cert-p521.pem"), CS, &d), NV_OK);
}

static void single_cert_leaf_rules_wrapped(void **state)
{
  (void)state;
  nv_diag d;
  /* A one-certificate chain reports the leaf rule with its own code. */
  assert_int_equal(chain_files(CS, &d, REF("caTrueLeafPem"), NULL), NV_E_CERT_LEAF_IS_CA);
  assert_string_equal(d.msg, "invalid self-signed certificate. Error: certificate with subject "
                             "\"CN=Hello\": if the basic constraints extension is present, the "
                             "ca field must be set to false");
  assert_int_equal(chain_files(CS, &d, REF("ecdsaKeyTooSmallLeafPem"), NULL),
                   NV_E_KEY_UNSUPPORTED);
  assert_string_equal(d.msg, "invalid self-signed certificate. Error: certificate with subject "
                             "\"CN=Hello\": ecdsa key size 224 bits is not supported");
  assert_int_equal(chain_files(CS, &d, REF("rsaKeyTooSmallLeafPem"), NULL), NV_E_KEY_UNSUPPORTED);
  assert_int_equal(chain_files(CS, &d, REF("kuNoDigitalSignatureLeafPem"), NULL),
                   NV_E_CERT_KEY_USAGE_INVALID);
  assert_int_equal(chain_files(CS, &d, REF("ekuWrongValuesCodeLeafPem"), NULL),
                   NV_E_CERT_EKU_INVALID);
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-ed25519.pem"), NULL), NV_E_KEY_UNSUPPORTED);
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-p521.pem"), NULL), NV_OK);
  assert_int_equal(chain_files(CS, NULL, REF("caTrueLeafPem"), NULL), NV_E_CERT_LEAF_IS_CA);
}

/* ------------------------------------------------ timestamping-chain cases */

static void tsc_chains(void **state)
{
  (void)state;
  nv_diag d;
  /* TSC-001 */
  assert_int_equal(chain_files(TS, &d, TSA_LEAF, TSA_INT, TSA_ROOT, NULL), NV_OK);
  /* The same chain is no code-signing chain (timeStamping EKU). */
  assert_int_equal(chain_files(CS, &d, TSA_LEAF, TSA_INT, TSA_ROOT, NULL), NV_E_CERT_EKU_INVALID);
  /* TSC-003: Go %q doubles the RFC 4514 backslash. */
  assert_int_equal(chain_files(TS, &d, TSA_LEAF, INT2, INT1, ROOT, NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  assert_string_equal(d.msg, "invalid certificates or certificate with subject \"CN=DigiCert "
                             "Timestamp 2023,O=DigiCert\\\\, Inc.,C=US\" is not issued by "
                             "\"CN=Intermediate2\". Error: crypto/rsa: verification error");
  /* TSC-004 */
  assert_int_equal(chain_files(TS, &d, TSA_LEAF, NULL), NV_E_CHAIN_SELF_SIGNED_INVALID);
  assert_string_equal(d.msg, "invalid self-signed certificate. subject: \"CN=DigiCert Timestamp "
                             "2023,O=DigiCert\\\\, Inc.,C=US\". Error: crypto/rsa: verification "
                             "error");
  /* TSC-006 */
  assert_int_equal(chain_files(TS, &d, TSA_ROOT, TSA_ROOT, NULL),
                   NV_E_CHAIN_UNEXPECTED_SELF_SIGNED);
  assert_string_equal(d.msg, "leaf certificate with subject \"CN=DigiCert Trusted Root "
                             "G4,OU=www.digicert.com,O=DigiCert Inc,C=US\" is self-signed. "
                             "Certificate chain must not contain self-signed leaf certificate");
  /* A self-signed TSA certificate with a non-critical keyUsage: fine for
   * timestamping (presence only), not for code signing. */
  assert_int_equal(chain_files(TS, &d, GEN("sig-cert-tsa-self.pem"), NULL), NV_OK);
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-tsa-self.pem"), NULL),
                   NV_E_CERT_KEY_USAGE_MISSING);
  /* A code-signing chain is no timestamping chain. */
  assert_int_equal(chain_files(TS, &d, LEAF, INT2, INT1, ROOT, NULL), NV_E_CERT_EKU_INVALID);
  assert_string_equal(d.msg, "timestamp signing certificate with subject \"CN=CodeSigningLeaf\" "
                             "must have and only have Timestamping as extended key usage");
}

static void tsc_cert_rules(void **state)
{
  (void)state;
  nv_diag d;
  /* TSC-010 */
  assert_int_equal(leaf_file(REF("ekuNonCriticalTimeLeafPem"), TS, &d), NV_E_CERT_EKU_INVALID);
  assert_string_equal(d.msg, "timestamp signing certificate with subject \"CN=TimeStampingLeaf\" "
                             "must have extended key usage extension marked as critical");
  /* TSC-011 (timeStamping listed twice) and TSC-013 (no EKU) */
  assert_int_equal(leaf_file(REF("ekuWrongValuesTimeLeafPem"), TS, &d), NV_E_CERT_EKU_INVALID);
  assert_string_equal(d.msg, "timestamp signing certificate with subject \"CN=Hello\" must have "
                             "and only have Timestamping as extended key usage");
  assert_int_equal(leaf_file(REF("validNoOptionsLeafPem"), TS, &d), NV_E_CERT_EKU_INVALID);
  assert_string_equal(d.msg, "timestamp signing certificate with subject \"CN=Hello\" must have "
                             "and only have Timestamping as extended key usage");
  assert_int_equal(leaf_file(REF("ekuMissingTimestampingLeafPem"), TS, &d),
                   NV_E_CERT_EKU_INVALID);
  /* TSC-014 */
  assert_int_equal(leaf_file(REF("caTrueLeafPem"), TS, &d), NV_E_CERT_LEAF_IS_CA);
  assert_string_equal(d.msg, "certificate with subject \"CN=Hello\": if the basic constraints "
                             "extension is present, the ca field must be set to false");
  assert_int_equal(leaf_file(TSA_LEAF, TS, &d), NV_OK);
  assert_int_equal(leaf_file(GEN("sig-cert-tsa-self.pem"), TS, &d), NV_OK);
  assert_int_equal(leaf_file(GEN("sig-cert-no-ku.pem"), TS, &d), NV_E_CERT_KEY_USAGE_MISSING);
  /* TSC-020 */
  assert_int_equal(ca_file(REF("noBasicConstraintsCaPem"), TS, 3, &d),
                   NV_E_CERT_BASIC_CONSTRAINTS_INVALID);
  assert_string_equal(d.msg, "certificate with subject \"CN=Hello\": ca field in basic "
                             "constraints must be present, critical, and set to true");
  /* TSC-021 */
  assert_int_equal(ca_file(REF("kuMissingCaPem"), TS, 3, &d), NV_E_CERT_KEY_USAGE_MISSING);
  assert_string_equal(d.msg, "certificate with subject \"CN=Hello\": key usage extension must be "
                             "present");
  /* TSC-023 */
  assert_int_equal(ca_file(REF("kuNotCertSignCaPem"), TS, 3, &d),
                   NV_E_CERT_KEY_CERT_SIGN_MISSING);
  assert_string_equal(d.msg, "certificate with subject \"CN=Hello\": key usage must have the bit "
                             "positions for key cert sign set");
  /* keyUsage criticality is not required for TSA CAs. */
  assert_int_equal(ca_file(REF("kuNotCriticalCertSignCaPem"), TS, 3, &d), NV_OK);
  assert_int_equal(ca_file(TSA_INT, TS, 0, &d), NV_OK);
  assert_int_equal(ca_file(TSA_INT, TS, 1, &d), NV_E_CERT_PATH_LENGTH);
}

/* ------------------------------------------- certificate signature algorithms */

static void weak_signatures(void **state)
{
  (void)state;
  nv_diag d;
  /* Go accepts a single SHA-1 self-signed certificate; the spec does not. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-sha1-self.pem"), NULL),
                   NV_E_CERT_WEAK_SIGNATURE_ALGORITHM);
  assert_string_equal(d.msg, "certificate with subject \"CN=Sig SHA1 Self\" is signed with "
                             "sha1WithRSAEncryption; SHA-1, MD5 and DSA certificate signatures "
                             "are not allowed");
  /* A SHA-1 leaf under a good root; the same leaf with SHA-256 passes. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-sha1-leaf.pem"), GEN("sig-cert-root.pem"),
                               NULL),
                   NV_E_CERT_WEAK_SIGNATURE_ALGORITHM);
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-leaf.pem"), GEN("sig-cert-root.pem"), NULL),
                   NV_OK);
  /* A root whose own signature is SHA-1. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-sha1root-leaf.pem"),
                               GEN("sig-cert-sha1-root.pem"), NULL),
                   NV_E_CERT_WEAK_SIGNATURE_ALGORITHM);
  assert_string_equal(d.msg, "certificate with subject \"CN=Sig SHA1 Root\" is signed with "
                             "sha1WithRSAEncryption; SHA-1, MD5 and DSA certificate signatures "
                             "are not allowed");
  /* RSASSA-PSS with the default (SHA-1) parameters. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-pss-sha1-leaf.pem"),
                               GEN("sig-cert-root.pem"), NULL),
                   NV_E_CERT_WEAK_SIGNATURE_ALGORITHM);
  /* Timestamping chains get the same deny list. */
  assert_int_equal(chain_files(TS, &d, GEN("sig-cert-sha1-leaf.pem"), GEN("sig-cert-root.pem"),
                               NULL),
                   NV_E_CERT_WEAK_SIGNATURE_ALGORITHM);
}

static void pss_and_ecdsa_certificates(void **state)
{
  (void)state;
  nv_diag d;
  /* RSASSA-PSS SHA-256, salt 32: one of Go's PSS profiles. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-pss-leaf.pem"), GEN("sig-cert-root.pem"),
                               NULL),
                   NV_OK);
  /* The maximum salt is valid PSS but Go cannot verify it. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-pss-saltmax-leaf.pem"),
                               GEN("sig-cert-root.pem"), NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  assert_string_equal(d.msg, "invalid certificates or certificate with subject \"CN=Sig PSS "
                             "Leaf,O=libnotaryc,C=US\" is not issued by \"CN=Sig Test "
                             "Root,O=libnotaryc,C=US\". Error: x509: cannot verify signature: "
                             "algorithm unimplemented");
  /* ECDSA: P-256 leaf under a P-384 root (ecdsa-with-SHA384). */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-ec-leaf.pem"), GEN("sig-cert-ec-root.pem"),
                               NULL),
                   NV_OK);
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-ec-root.pem"), GEN("sig-cert-ec-leaf.pem"),
                               NULL),
                   NV_E_CHAIN_UNEXPECTED_SELF_SIGNED);
  /* MGF1 with SHA-384 under a SHA-256 PSS hash: not one of Go's profiles. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-pss-mgf1sha384-leaf.pem"),
                               GEN("sig-cert-root.pem"), NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  assert_non_null(strstr(d.msg, "Error: x509: cannot verify signature: algorithm unimplemented"));
  /* An RSA-signed leaf against an EC root. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-leaf.pem"), GEN("sig-cert-ec-root.pem"),
                               NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  assert_non_null(strstr(d.msg, "Error: x509: signature algorithm specifies an RSA public key, "
                                "but have public key of type *ecdsa.PublicKey"));
  /* An ECDSA-signed leaf under an RSA root (wrong key type and name). */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-ec-leaf.pem"), GEN("sig-cert-root.pem"),
                               NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
}

static void parent_must_be_able_to_sign(void **state)
{
  (void)state;
  nv_diag d;
  /* Go's CheckSignatureFrom: the parent's keyUsage must allow keyCertSign
   * and its basicConstraints must say cA, even though its key made the
   * signature. Both fail at the leaf, before the CA rules run. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-nocertsign-leaf.pem"),
                               GEN("sig-cert-nocertsign-root.pem"), NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  assert_string_equal(d.msg, "invalid certificates or certificate with subject \"CN=Sig Leaf "
                             "nocertsign\" is not issued by \"CN=Sig Root nocertsign\". Error: "
                             "x509: invalid signature: parent certificate cannot sign this kind "
                             "of certificate");
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-notca-leaf.pem"),
                               GEN("sig-cert-notca-root.pem"), NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  assert_non_null(strstr(d.msg, "parent certificate cannot sign this kind of certificate"));
  /* A v3 parent without basicConstraints (its keyUsage does allow
   * keyCertSign): Go does not let it sign, so this self-signed
   * certificate is not "self-signed" in first position of a chain. */
  X509 *nobc = load_cert_file(REF("noBasicConstraintsCaPem"));
  assert_true(nv_x509_is_self_signed(nobc));
  X509_free(nobc);
  assert_int_equal(chain_files(CS, &d, REF("noBasicConstraintsCaPem"),
                               REF("noBasicConstraintsCaPem"), NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  assert_string_equal(d.msg, "invalid certificates or certificate with subject \"CN=Hello\" is "
                             "not issued by \"CN=Hello\". Error: x509: invalid signature: parent "
                             "certificate cannot sign this kind of certificate");
  /* The plain issued-by test (Go's CheckSignature) only looks at the
   * signature and the names. */
  X509 *leaf = load_cert_file(GEN("sig-cert-notca-leaf.pem")), *root = load_cert_file(GEN("sig-cert-notca-root.pem"));
  assert_true(nv_x509_is_issued_by(leaf, root));
  assert_true(nv_x509_is_self_signed(root));
  X509_free(leaf);
  X509_free(root);
}

static void names_must_match(void **state)
{
  (void)state;
  nv_diag d;
  /* Signed by the root's key, but naming another issuer. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-wrongissuer-leaf.pem"),
                               GEN("sig-cert-root.pem"), NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  assert_string_equal(d.msg, "certificate with subject \"CN=Sig Wrong Issuer Leaf\" is not "
                             "issued by \"CN=Sig Test Root,O=libnotaryc,C=US\"");
  /* Signed by its own key, issuer != subject: not self-signed. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-wrongissuer-self.pem"), NULL),
                   NV_E_CHAIN_SELF_SIGNED_INVALID);
  assert_string_equal(d.msg, "invalid self-signed certificate. subject: \"CN=Sig Own Key\". "
                             "Error: issuer(CN=Someone Else) and subject(CN=Sig Own Key) are not "
                             "the same");
  /* A CA signed by its own key whose issuer is another name is not
   * self-signed in first position either. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-wrongissuer-root.pem"),
                               GEN("sig-cert-root.pem"), NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  /* ... nor is a leaf: it fails as not issued by the next one. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-wrongissuer-self.pem"),
                               GEN("sig-cert-root.pem"), NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  /* As a root. */
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-oddroot-leaf.pem"),
                               GEN("sig-cert-wrongissuer-root.pem"), NULL),
                   NV_E_CHAIN_ROOT_NOT_SELF_SIGNED);
  assert_string_equal(d.msg, "root certificate with subject \"CN=Sig Odd Root\" is not "
                             "self-signed. Certificate chain must end with a valid self-signed "
                             "root certificate");
  X509 *c = load_cert_file(GEN("sig-cert-wrongissuer-self.pem"));
  assert_false(nv_x509_is_self_signed(c));
  X509_free(c);
}

static void unsupported_issuer_curve(void **state)
{
  (void)state;
  nv_diag d;
  assert_int_equal(chain_files(CS, &d, GEN("sig-cert-k1-leaf.pem"), GEN("sig-cert-k1-root.pem"),
                               NULL),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  assert_string_equal(d.msg, "invalid certificates or certificate with subject \"CN=Sig Leaf "
                             "Under K1\" is not issued by \"CN=Sig K1 Root\". Error: x509: "
                             "cannot verify signature: unsupported public key");
}

/* ------------------------------------------------------------ misc */

static void subject_printing(void **state)
{
  (void)state;
  X509 *c = load_cert_file(GEN("sig-cert-names.pem"));
  char buf[256];
  /* RFC 4514 escaping as Go prints it: leading '#', quotes, trailing
   * space, '+', ';', ','; UTF-8 left as is. */
  const char *want = "CN=\\#hash \\\"quoted\\\"\\ ,OU=a\\+b\\;c,O=Ünïcödé\\, Inc.,C=US";
  assert_string_equal(nv_x509_subject(c, buf, sizeof(buf)), want);
  /* Truncation keeps UTF-8 sequences whole: room for all bytes before
   * "Ü" plus one of its two bytes gives just the bytes before it. */
  const char *u = strstr(want, "Ü");
  assert_non_null(u);
  size_t before = (size_t)(u - want);
  char small[64];
  assert_true(before + 2 <= sizeof(small));
  nv_x509_subject(c, small, before + 2);
  assert_int_equal(strlen(small), before);
  assert_memory_equal(small, want, before);
  nv_x509_subject(c, small, 4);
  assert_string_equal(small, "CN=");
  assert_string_equal(nv_x509_subject(c, NULL, 10), "");
  assert_string_equal(nv_x509_subject(NULL, buf, sizeof(buf)), "");
  X509_free(c);

  /* Go's %q quoting in a message: backslashes doubled, quotes escaped. */
  nv_diag d;
  assert_int_equal(leaf_file(GEN("sig-cert-names.pem"), TS, &d), NV_E_CERT_EKU_INVALID);
  assert_string_equal(d.msg, "timestamp signing certificate with subject \"CN=\\\\#hash "
                             "\\\\\\\"quoted\\\\\\\"\\\\ ,OU=a\\\\+b\\\\;c,O=Ünïcödé\\\\, "
                             "Inc.,C=US\" must have and only have Timestamping as extended key "
                             "usage");

  X509 *t = load_cert_file(TSA_ROOT);
  assert_string_equal(nv_x509_subject(t, buf, sizeof(buf)),
                      "CN=DigiCert Trusted Root G4,OU=www.digicert.com,O=DigiCert Inc,C=US");
  X509_free(t);
}

static void bad_arguments(void **state)
{
  (void)state;
  X509 *leaf = load_cert_file(LEAF);
  X509 *chain[2] = {leaf, NULL};
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_x509_validate_chain(NULL, 2, CS, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_x509_validate_chain(chain, 2, CS, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_x509_validate_chain(chain, 1, (nv_x509_purpose)5, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_x509_validate_leaf(NULL, CS, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_x509_validate_leaf(leaf, (nv_x509_purpose)-1, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_x509_validate_ca(NULL, TS, 0, &d), NV_E_INVALID_ARG);
  /* Too long: 33 certificates. */
  X509 *many[33];
  for (size_t i = 0; i < 33; i++)
    many[i] = leaf;
  assert_int_equal(nv_x509_validate_chain(many, 33, CS, &d), NV_E_CHAIN_TOO_LONG);
  X509_free(leaf);
}

/* ------------------------------------------------------------ parsing */

typedef struct {
  uint8_t *data;
  size_t len;
} der_bytes;

static der_bytes der_of(const char *path)
{
  X509 *c = load_cert_file(path);
  der_bytes b = {NULL, 0};
  int n = i2d_X509(c, NULL);
  assert_true(n > 0);
  b.data = malloc((size_t)n + 1); /* one spare byte for trailing-data tests */
  assert_non_null(b.data);
  unsigned char *p = b.data;
  assert_int_equal(i2d_X509(c, &p), n);
  b.len = (size_t)n;
  X509_free(c);
  return b;
}

static nv_buf as_buf(const der_bytes *b)
{
  nv_buf nb;
  memset(&nb, 0, sizeof(nb));
  nb.data = b->data;
  nb.len = b->len;
  nb.cap = b->len;
  nb.limit = b->len;
  return nb;
}

static nv_status parse(der_bytes *certs, size_t n, nv_x509_list *out, nv_diag *d)
{
  nv_buf bufs[8];
  assert_true(n <= 8);
  for (size_t i = 0; i < n; i++)
    bufs[i] = as_buf(&certs[i]);
  nv_diag_init(d);
  return nv_x509_parse_chain(bufs, n, out, d);
}

/* The certificate must still be accepted by d2i_X509, so that it is the
 * Go-parity check of nv_x509_parse_chain that refuses it. */
static void assert_openssl_parses(const der_bytes *b)
{
  const unsigned char *p = b->data;
  X509 *c = d2i_X509(NULL, &p, (long)b->len);
  assert_non_null(c);
  assert_ptr_equal(p, b->data + b->len);
  X509_free(c);
}

static void parse_chain(void **state)
{
  (void)state;
  der_bytes certs[4] = {der_of(LEAF), der_of(INT2), der_of(INT1), der_of(ROOT)};
  nv_x509_list l;
  nv_x509_list_init(&l);
  nv_diag d;

  assert_int_equal(parse(certs, 4, &l, &d), NV_OK);
  assert_int_equal(l.count, 4);
  assert_int_equal(nv_x509_validate_chain(l.items, l.count, CS, &d), NV_OK);
  /* Appends; a failure leaves the list as it was. */
  assert_int_equal(parse(certs, 1, &l, &d), NV_OK);
  assert_int_equal(l.count, 5);

  /* Trailing byte: leaf and non-leaf. */
  certs[0].data[certs[0].len] = 0;
  certs[0].len++;
  assert_int_equal(parse(certs, 4, &l, &d), NV_E_LEAF_CERT_MALFORMED);
  assert_string_equal(d.msg, "malformed leaf certificate");
  assert_int_equal(l.count, 5);
  certs[0].len--;
  certs[2].data[certs[2].len] = 0;
  certs[2].len++;
  assert_int_equal(parse(certs, 4, &l, &d), NV_E_CERT_PARSE);
  assert_string_equal(d.msg, "certificate 3 of the chain is malformed: x509: trailing data");
  assert_int_equal(l.count, 5);
  certs[2].len--;
  /* Truncated. */
  certs[0].len -= 1;
  assert_int_equal(parse(certs, 4, &l, &d), NV_E_LEAF_CERT_MALFORMED);
  certs[0].len += 1;
  certs[1].len = 10;
  assert_int_equal(parse(certs, 2, &l, &d), NV_E_CERT_PARSE);
  der_bytes again = der_of(INT2);
  free(certs[1].data);
  certs[1] = again;
  /* Empty buffer and empty list. */
  der_bytes empty = {certs[0].data, 0};
  assert_int_equal(parse(&empty, 1, &l, &d), NV_E_LEAF_CERT_MALFORMED);
  assert_int_equal(parse(certs, 0, &l, &d), NV_E_CERT_CHAIN_MISSING);
  assert_int_equal(nv_x509_parse_chain(NULL, 1, &l, &d), NV_E_INVALID_ARG);
  assert_int_equal(l.count, 5);
  nv_x509_list_free(&l);
  for (size_t i = 0; i < 4; i++)
    free(certs[i].data);
}

static void parse_chain_go_rules(void **state)
{
  (void)state;
  nv_x509_list l;
  nv_x509_list_init(&l);
  nv_diag d;
  der_bytes certs[2] = {der_of(LEAF), der_of(INT2)};
  /* Both start 30 82 LL LL 30 82 LL LL a0 03 02 01 02 02 01 01: a one-byte
   * serial at offset 15. */
  for (size_t i = 0; i < 2; i++) {
    assert_int_equal(certs[i].data[13], 0x02);
    assert_int_equal(certs[i].data[14], 0x01);
    assert_int_equal(certs[i].data[15], 0x01);
  }

  /* Negative serial number. */
  certs[1].data[15] = 0x81;
  assert_openssl_parses(&certs[1]);
  assert_int_equal(parse(certs, 2, &l, &d), NV_E_CERT_PARSE);
  assert_string_equal(d.msg, "certificate 2 of the chain is malformed: x509: negative serial "
                             "number");
  certs[1].data[15] = 0x01;
  assert_int_equal(parse(certs, 2, &l, &d), NV_OK);
  nv_x509_list_free(&l);

  /* Duplicate extensions: turn the basicConstraints OID (2.5.29.19) of the
   * leaf into a second keyUsage OID (2.5.29.15). */
  static const uint8_t bc_oid[] = {0x06, 0x03, 0x55, 0x1d, 0x13};
  uint8_t *hit = NULL;
  for (size_t i = 0; i + sizeof(bc_oid) <= certs[0].len && hit == NULL; i++)
    if (memcmp(certs[0].data + i, bc_oid, sizeof(bc_oid)) == 0)
      hit = certs[0].data + i;
  assert_non_null(hit);
  hit[4] = 0x0f;
  assert_openssl_parses(&certs[0]);
  assert_int_equal(parse(certs, 2, &l, &d), NV_E_LEAF_CERT_MALFORMED);
  assert_string_equal(d.msg, "malformed leaf certificate");
  /* Its rules, validated directly, report the broken extension. */
  {
    const unsigned char *p = certs[0].data;
    X509 *c = d2i_X509(NULL, &p, (long)certs[0].len);
    assert_non_null(c);
    nv_diag_init(&d);
    assert_int_equal(nv_x509_validate_leaf(c, CS, &d), NV_E_CERT_PARSE);
    X509_free(c);
  }
  hit[4] = 0x13;
  assert_int_equal(parse(certs, 2, &l, &d), NV_OK);
  nv_x509_list_free(&l);
  /* The same on the intermediate, where the message names the reason. */
  hit = NULL;
  for (size_t i = 0; i + sizeof(bc_oid) <= certs[1].len && hit == NULL; i++)
    if (memcmp(certs[1].data + i, bc_oid, sizeof(bc_oid)) == 0)
      hit = certs[1].data + i;
  assert_non_null(hit);
  hit[4] = 0x0f;
  assert_openssl_parses(&certs[1]);
  assert_int_equal(parse(certs, 2, &l, &d), NV_E_CERT_PARSE);
  assert_string_equal(d.msg, "certificate 2 of the chain is malformed: x509: certificate contains "
                             "duplicate extensions");
  hit[4] = 0x13;
  assert_int_equal(l.count, 0);

  /* A key on a curve Go cannot parse. */
  der_bytes k1[2] = {der_of(GEN("sig-cert-k1-leaf.pem")), der_of(GEN("sig-cert-k1-root.pem"))};
  assert_int_equal(parse(k1, 2, &l, &d), NV_E_CERT_PARSE);
  assert_string_equal(d.msg, "certificate 2 of the chain is malformed: x509: unsupported elliptic "
                             "curve");
  free(k1[0].data);
  free(k1[1].data);

  /* Outer signature algorithm sha384WithRSA while the TBS says sha256. */
  size_t tbs_end = 4 + 4 + (((size_t)certs[1].data[6] << 8) | certs[1].data[7]);
  static const uint8_t sha256rsa[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                      0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00};
  assert_memory_equal(certs[1].data + tbs_end, sha256rsa, sizeof(sha256rsa));
  certs[1].data[tbs_end + 12] = 0x0c;
  assert_openssl_parses(&certs[1]);
  assert_int_equal(parse(certs, 2, &l, &d), NV_E_CERT_PARSE);
  assert_string_equal(d.msg, "certificate 2 of the chain is malformed: x509: inner and outer "
                             "signature algorithm identifiers don't match");
  assert_int_equal(l.count, 0);
  nv_x509_list_free(&l);
  free(certs[0].data);
  free(certs[1].data);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(csc_valid_chains),
    cmocka_unit_test(csc_empty_chain),
    cmocka_unit_test(csc_single_not_self_signed),
    cmocka_unit_test(csc_root_not_self_signed),
    cmocka_unit_test(csc_not_issued_by_next),
    cmocka_unit_test(csc_leaf_self_signed_in_chain),
    cmocka_unit_test(csc_is_self_signed),
    cmocka_unit_test(csc_is_issued_by),
    cmocka_unit_test(self_issued_leaf_trap),
    cmocka_unit_test(path_length),
    cmocka_unit_test(csc_ca_rules),
    cmocka_unit_test(csc_leaf_rules),
    cmocka_unit_test(single_cert_leaf_rules_wrapped),
    cmocka_unit_test(tsc_chains),
    cmocka_unit_test(tsc_cert_rules),
    cmocka_unit_test(weak_signatures),
    cmocka_unit_test(pss_and_ecdsa_certificates),
    cmocka_unit_test(parent_must_be_able_to_sign),
    cmocka_unit_test(names_must_match),
    cmocka_unit_test(unsupported_issuer_curve),
    cmocka_unit_test(subject_printing),
    cmocka_unit_test(bad_arguments),
    cmocka_unit_test(parse_chain),
    cmocka_unit_test(parse_chain_go_rules),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
