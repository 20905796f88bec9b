/*
 * Certificate predicates for trust stores (notary-spec.md section 12):
 * "is a CA" (Go's IsCA) and "is a root CA" (notation-go's
 * isRootCACertificate, which is Go's CheckSignatureFrom applied to the
 * certificate itself plus a raw subject == raw issuer test).
 */
#include "x509/nv_x509_store_helpers.h"

#include "base/nv_text.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_parse.h"

/* Room for a printed name in messages. */
#define NAME_TEXT_MAX 256

X509 *nv_x509_ref(X509 *cert)
{
  if (cert == NULL || X509_up_ref(cert) != 1) {
    ERR_clear_error();
    return NULL;
  }
  return cert;
}

void nv_x509_unref(X509 *cert)
{
  X509_free(cert);
}

bool nv_x509_same(X509 *a, X509 *b)
{
  return a != NULL && b != NULL && X509_cmp(a, b) == 0;
}

bool nv_x509_is_ca(X509 *cert)
{
  if (cert == NULL)
    return false;
  int crit = -1;
  BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(cert, NID_basic_constraints, &crit, NULL);
  bool ca = bc != NULL && bc->ca != 0;
  BASIC_CONSTRAINTS_free(bc);
  ERR_clear_error();
  return ca;
}


/* `text` in Go's %q form, truncated to fit. */
static void quote(const char *text, char *out, size_t size)
{
  size_t len = 0;
  out[0] = '\0';
  nv_quote_go(out, size, &len, text);
}

static bool same_name_der(const X509_NAME *a, const X509_NAME *b)
{
  const unsigned char *da = NULL, *db = NULL;
  size_t la = 0, lb = 0;
  bool ok = a != NULL && b != NULL && X509_NAME_get0_der(a, &da, &la) == 1 &&
            X509_NAME_get0_der(b, &db, &lb) == 1 && la == lb && memcmp(da, db, la) == 0;
  ERR_clear_error();
  return ok;
}

/* Go's ConstraintViolationError condition for a parent certificate. */
static bool may_sign_certificates(X509 *cert)
{
  if (X509_get_extension_flags(cert) & EXFLAG_INVALID) {
    ERR_clear_error();
    return false; /* Go refuses to parse such a certificate at all */
  }
  int crit = -1;
  BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(cert, NID_basic_constraints, &crit, NULL);
  bool present = bc != NULL;
  bool ca = present && bc->ca != 0;
  BASIC_CONSTRAINTS_free(bc);
  ERR_clear_error();
  if (!present && crit != -1)
    return false; /* malformed or duplicated extension */
  if (X509_get_version(cert) == X509_VERSION_3 && !present)
    return false;
  if (present && !ca)
    return false;
  uint32_t ku = X509_get_key_usage(cert);
  if (ku != UINT32_MAX && ku != 0 && (ku & KU_KEY_CERT_SIGN) == 0)
    return false;
  return true;
}

/* Go's name for a SHA-1 / MD5 signature algorithm; NULL when the
 * algorithm is not one Go calls insecure. */
static const char *insecure_alg_name(X509 *cert)
{
  int nid = X509_get_signature_nid(cert);
  switch (nid) {
  case NID_sha1WithRSAEncryption:
    return "SHA1-RSA";
  case NID_ecdsa_with_SHA1:
    return "ECDSA-SHA1";
  case NID_md5WithRSAEncryption:
    return "MD5-RSA";
  case NID_md2WithRSAEncryption:
    return "MD2-RSA";
  case NID_dsaWithSHA1:
    return "DSA-SHA1";
  default:
    break;
  }
  int md = NID_undef, pk = NID_undef;
  if (nid != NID_undef && OBJ_find_sigid_algs(nid, &md, &pk) == 1 &&
      (md == NID_md4 || md == NID_md5 || md == NID_sha1 || md == NID_md5_sha1 ||
       pk == NID_dsa))
    return "weak";
  return NULL;
}

static const char *verification_error(X509 *cert)
{
  EVP_PKEY *key = nv_x509_pubkey(cert);
  int type = key != NULL ? EVP_PKEY_get_base_id(key) : EVP_PKEY_NONE;
  ERR_clear_error();
  if (type == EVP_PKEY_RSA || type == EVP_PKEY_RSA_PSS)
    return "crypto/rsa: verification error";
  if (type == EVP_PKEY_EC)
    return "x509: ECDSA verification failure";
  if (type == EVP_PKEY_ED25519)
    return "x509: Ed25519 verification failure";
  return "x509: cannot verify signature: unsupported public key";
}

bool nv_x509_is_root_ca(X509 *cert, char *why, size_t why_size)
{
  char reason[2 * NAME_TEXT_MAX + 96];
  reason[0] = '\0';
  bool ok = false;
  const char *weak = NULL;
  if (cert == NULL) {
    snprintf(reason, sizeof(reason), "no certificate");
  } else if (!may_sign_certificates(cert)) {
    snprintf(reason, sizeof(reason),
             "x509: invalid signature: parent certificate cannot sign this kind of certificate");
  } else if ((weak = insecure_alg_name(cert)) != NULL) {
    snprintf(reason, sizeof(reason), "x509: cannot verify signature: insecure algorithm %s",
             weak);
  } else {
    EVP_PKEY *key = nv_x509_pubkey(cert);
    int verified = key != NULL ? X509_verify(cert, key) : 0;
    ERR_clear_error();
    if (verified != 1) {
      snprintf(reason, sizeof(reason), "%s", verification_error(cert));
    } else if (!same_name_der(X509_get_subject_name(cert), X509_get_issuer_name(cert))) {
      char subject[NAME_TEXT_MAX], issuer[NAME_TEXT_MAX];
      nv_x509_name_text(X509_get_subject_name(cert), subject, sizeof(subject));
      nv_x509_name_text(X509_get_issuer_name(cert), issuer, sizeof(issuer));
      snprintf(reason, sizeof(reason), "issuer (%s) and subject (%s) are not the same", issuer,
               subject);
    } else if (!nv_x509_is_self_signed(cert)) {
      /* OpenSSL verified it, but with an algorithm or key Go does not
       * support (the chain layer's rules): refuse, as Go would. */
      snprintf(reason, sizeof(reason), "x509: cannot verify signature: algorithm unimplemented");
    } else {
      ok = true;
    }
  }
  if (!ok && why != NULL && why_size > 0) {
    char subject[NAME_TEXT_MAX], quoted[2 * NAME_TEXT_MAX + 3];
    nv_x509_name_text(cert != NULL ? X509_get_subject_name(cert) : NULL, subject, sizeof(subject));
    quote(subject, quoted, sizeof(quoted));
    snprintf(why, why_size, "certificate with subject %s is not a root CA certificate: %s", quoted,
             reason);
  }
  return ok;
}
