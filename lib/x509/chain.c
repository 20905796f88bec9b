/*
 * The Notary certificate profile (notary-spec.md sections 9.1-9.3): parsing
 * an envelope chain, and the code-signing and timestamping chain rules in
 * the order and with the messages notation-go uses
 * (notation-core-go x509.ValidateCodeSigningCertChain /
 * ValidateTimestampingCertChain, which call Go's crypto/x509
 * CheckSignatureFrom / CheckSignature).
 *
 * Differences from notation-go, on purpose (each is stricter):
 *  - SHA-1 / MD5 / DSA certificate signatures are refused for every
 *    certificate with NV_E_CERT_WEAK_SIGNATURE_ALGORITHM, including a
 *    single self-signed certificate, which Go's CheckSignature accepts with
 *    SHA-1 (notary-spec.md section 7: the spec forbids it).
 *  - A chain longer than MAX_CHAIN_LEN certificates is NV_E_CHAIN_TOO_LONG
 *    (Go has no limit; each certificate costs two public-key operations).
 *  - A negative basicConstraints pathLenConstraint makes a CA certificate
 *    invalid (Go treats it as "no limit").
 * Where Go is more lenient than the spec, this follows Go so that what
 * notation accepts verifies here too; each such rule is noted at its check
 * (CA basicConstraints criticality, anyExtendedKeyUsage on a code-signing
 * leaf, timestamping keyUsage criticality).
 *
 * Certificate names are compared as raw DER (X509_NAME_get0_der keeps the
 * bytes as received), never with X509_NAME_cmp, which compares a
 * canonical form.
 */
#include "x509/nv_x509_chain.h"

#include "base/nv_text.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "x509/nv_x509_parse.h"
#include "x509/nv_x509_sig.h"

/* Longest chain accepted (NV_X509_MAX_CHAIN_LEN). */
#define MAX_CHAIN_LEN NV_X509_MAX_CHAIN_LEN

/* Subject text sizes: a plain subject, and the same in Go %q quotes
 * (every byte may double, plus quotes). Two quoted subjects plus the
 * longest fixed text stay below NV_DIAG_MSG_MAX. */
#define SUBJECT_MAX 256
#define QUOTED_MAX (2 * SUBJECT_MAX + 3)

/* Printing a name longer than this (DER bytes) is not attempted. */
#define NAME_PRINT_MAX_DER 16384

/* keyUsage bit numbers (RFC 5280 4.2.1.3; notary-spec.md section 20). */
enum {
  KUBIT_DIGITAL_SIGNATURE = 0,
  KUBIT_CONTENT_COMMITMENT = 1,
  KUBIT_KEY_ENCIPHERMENT = 2,
  KUBIT_DATA_ENCIPHERMENT = 3,
  KUBIT_KEY_AGREEMENT = 4,
  KUBIT_KEY_CERT_SIGN = 5,
  KUBIT_CRL_SIGN = 6,
  KUBIT_ENCIPHER_ONLY = 7,
  KUBIT_DECIPHER_ONLY = 8
};

/* ------------------------------------------------------------------ */
/* names                                                               */

/* Print `name` in RFC 2253 / 4514 form, most specific RDN first (as Go
 * prints names), into buf (always NUL-terminated, truncated at a UTF-8
 * boundary). UTF-8 stays UTF-8 (Go does not escape it either); control
 * characters stay escaped, so messages hold no raw control bytes. */
/* Copy `len` bytes of text into buf (always NUL-terminated), cut at a
 * UTF-8 character boundary when they do not fit. */
static void cut_copy(char *buf, size_t size, const char *data, size_t len)
{
  if (len > size - 1) {
    len = size - 1;
    while (len > 0 && ((unsigned char)data[len] & 0xC0) == 0x80)
      len--;
  }
  if (len > 0)
    memcpy(buf, data, len);
  buf[len] = '\0';
}

/* nv_x509_name_text; false when the text was cut to fit `size` or could
 * not be made. */
static bool name_text(const X509_NAME *name, char *buf, size_t size)
{
  const unsigned char *der = NULL;
  size_t der_len = 0;
  buf[0] = '\0';
  if (name == NULL || X509_NAME_get0_der(name, &der, &der_len) != 1) {
    ERR_clear_error();
    return false;
  }
  if (der_len > NAME_PRINT_MAX_DER) {
    int n = snprintf(buf, size, "<name of %zu bytes>", der_len);
    return n >= 0 && (size_t)n < size;
  }
  BIO *bio = BIO_new(BIO_s_mem());
  if (bio == NULL) {
    ERR_clear_error();
    return false;
  }
  bool whole = true;
  unsigned long flags = (ASN1_STRFLGS_RFC2253 & ~(unsigned long)ASN1_STRFLGS_ESC_MSB) |
                        XN_FLAG_SEP_COMMA_PLUS | XN_FLAG_DN_REV | XN_FLAG_FN_SN |
                        XN_FLAG_DUMP_UNKNOWN_FIELDS;
  if (X509_NAME_print_ex(bio, name, 0, flags) < 0) {
    int n = snprintf(buf, size, "<unprintable name>");
    whole = n >= 0 && (size_t)n < size;
  } else {
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);
    size_t len = n > 0 && data != NULL ? (size_t)n : 0;
    whole = len <= size - 1;
    cut_copy(buf, size, data, len);
  }
  BIO_free(bio);
  ERR_clear_error();
  return whole;
}

void nv_x509_name_text(const X509_NAME *name, char *buf, size_t size)
{
  (void)name_text(name, buf, size);
}

/* Longest subject kept with a certificate (nv_x509_subject_slot). */
#define SUBJECT_KEPT_MAX 1024

const char *nv_x509_subject(X509 *cert, char *buf, size_t size)
{
  if (buf == NULL || size == 0)
    return "";
  buf[0] = '\0';
  if (cert == NULL)
    return buf;
  /* A certificate parsed here keeps its subject's text: printing it costs
   * more than the rest of a cached verification. */
  _Atomic(char *) *slot = nv_x509_subject_slot(cert);
  char *kept = slot != NULL ? atomic_load(slot) : NULL;
  if (kept == NULL && slot != NULL) {
    char full[SUBJECT_KEPT_MAX];
    if (name_text(X509_get_subject_name(cert), full, sizeof(full)) &&
        (kept = strdup(full)) != NULL) {
      char *expected = NULL;
      if (!atomic_compare_exchange_strong(slot, &expected, kept)) {
        free(kept); /* another thread kept the same text first */
        kept = expected;
      }
    }
  }
  if (kept != NULL)
    cut_copy(buf, size, kept, strlen(kept));
  else
    nv_x509_name_text(X509_get_subject_name(cert), buf, size);
  return buf;
}

/* The subject in Go's %q form: quotes, backslash and quote escaped,
 * control bytes as \xNN. Truncated (still quoted) if it does not fit. */
static const char *quoted_subject(X509 *cert, char *out, size_t size)
{
  char raw[SUBJECT_MAX];
  nv_x509_subject(cert, raw, sizeof(raw));
  size_t len = 0;
  out[0] = '\0';
  nv_quote_go(out, size, &len, raw);
  return out;
}

static bool name_der(const X509_NAME *name, const unsigned char **der, size_t *len)
{
  if (name == NULL || X509_NAME_get0_der(name, der, len) != 1) {
    ERR_clear_error();
    return false;
  }
  return true;
}

/* Raw subject of `a` == raw issuer of `b`. */
static bool subject_is_issuer_of(X509 *a, X509 *b)
{
  const unsigned char *s = NULL, *i = NULL;
  size_t sl = 0, il = 0;
  if (!name_der(X509_get_subject_name(a), &s, &sl) || !name_der(X509_get_issuer_name(b), &i, &il))
    return false;
  return sl == il && memcmp(s, i, sl) == 0;
}

/* ------------------------------------------------------------------ */
/* extensions                                                          */

typedef enum ext_state { EXT_ABSENT, EXT_PRESENT, EXT_MALFORMED } ext_state;

/* Decode the extension `nid`. A duplicated or undecodable extension is
 * EXT_MALFORMED (Go refuses such certificates when parsing them). */
static ext_state get_ext(const X509 *cert, int nid, void **value, bool *critical)
{
  int crit = -1;
  *value = X509_get_ext_d2i(cert, nid, &crit, NULL);
  *critical = crit == 1;
  if (*value != NULL)
    return EXT_PRESENT;
  ERR_clear_error();
  return crit == -1 ? EXT_ABSENT : EXT_MALFORMED;
}

typedef struct bc_info {
  ext_state state;
  bool critical;
  bool ca;
  bool has_path_len;
  int64_t path_len; /* INT64_MAX for a larger value; may be negative */
} bc_info;

static void get_basic_constraints(const X509 *cert, bc_info *bc)
{
  void *v = NULL;
  memset(bc, 0, sizeof(*bc));
  bc->state = get_ext(cert, NID_basic_constraints, &v, &bc->critical);
  if (bc->state != EXT_PRESENT)
    return;
  BASIC_CONSTRAINTS *b = v;
  bc->ca = b->ca != 0;
  if (b->pathlen != NULL) {
    bc->has_path_len = true;
    int64_t pl = 0;
    if (ASN1_INTEGER_get_int64(&pl, b->pathlen) == 1)
      bc->path_len = pl;
    else
      bc->path_len = ASN1_STRING_type(b->pathlen) == V_ASN1_NEG_INTEGER ? -1 : INT64_MAX;
    ERR_clear_error();
  }
  BASIC_CONSTRAINTS_free(b);
}

typedef struct ku_info {
  ext_state state;
  bool critical;
  unsigned bits; /* bit n set = keyUsage bit n (0 = digitalSignature) */
} ku_info;

static void get_key_usage(const X509 *cert, ku_info *ku)
{
  void *v = NULL;
  memset(ku, 0, sizeof(*ku));
  ku->state = get_ext(cert, NID_key_usage, &v, &ku->critical);
  if (ku->state != EXT_PRESENT)
    return;
  ASN1_BIT_STRING *bs = v;
  /* Go reads the first nine bits, like this. */
  for (int i = 0; i <= KUBIT_DECIPHER_ONLY; i++)
    if (ASN1_BIT_STRING_get_bit(bs, i))
      ku->bits |= 1u << i;
  ASN1_BIT_STRING_free(bs);
}

static bool ku_has(const ku_info *ku, int bit)
{
  return (ku->bits & (1u << bit)) != 0;
}

/* ------------------------------------------------------------------ */
/* certificate signature algorithms                                    */

typedef enum sigalg_class {
  SIGALG_OK,          /* one Go verifies: SHA-2 RSA / RSA-PSS / ECDSA, Ed25519 */
  SIGALG_SHA1,        /* sha1WithRSA, ecdsa-with-SHA1: Go's CheckSignature allows them */
  SIGALG_WEAK,        /* MD2/MD4/MD5, DSA, PSS with SHA-1 or MD5 */
  SIGALG_UNSUPPORTED  /* anything else, including PSS outside Go's three profiles */
} sigalg_class;

static bool is_null_or_absent(int ptype)
{
  return ptype == V_ASN1_UNDEF || ptype == V_ASN1_NULL;
}

static bool is_weak_digest(int md)
{
  return md == NID_md2 || md == NID_md4 || md == NID_md5 || md == NID_md5_sha1 ||
         md == NID_mdc2 || md == NID_sha1 || md == NID_sha;
}

/* RSASSA-PSS: Go accepts exactly SHA-256/384/512 with MGF1 over the same
 * hash, salt length = hash length and trailer field 1; hash and MGF must
 * be explicit. */
static sigalg_class classify_pss(int ptype, const void *pval)
{
  if (ptype != V_ASN1_SEQUENCE || pval == NULL)
    return SIGALG_WEAK; /* absent parameters = SHA-1 defaults */
  const ASN1_STRING *seq = pval;
  const unsigned char *p = ASN1_STRING_get0_data(seq);
  long len = ASN1_STRING_length(seq);
  const unsigned char *end = p + len;
  RSA_PSS_PARAMS *pss = d2i_RSA_PSS_PARAMS(NULL, &p, len);
  sigalg_class cls = SIGALG_UNSUPPORTED;
  if (pss == NULL || p != end)
    goto done;
  if (pss->hashAlgorithm == NULL) {
    cls = SIGALG_WEAK; /* default hash is SHA-1 */
    goto done;
  }
  const ASN1_OBJECT *obj = NULL;
  int hptype = V_ASN1_UNDEF;
  const void *hpval = NULL;
  X509_ALGOR_get0(&obj, &hptype, &hpval, pss->hashAlgorithm);
  int hash = OBJ_obj2nid(obj);
  if (is_weak_digest(hash)) {
    cls = SIGALG_WEAK;
    goto done;
  }
  int64_t want_salt;
  if (hash == NID_sha256)
    want_salt = 32;
  else if (hash == NID_sha384)
    want_salt = 48;
  else if (hash == NID_sha512)
    want_salt = 64;
  else
    goto done;
  if (!is_null_or_absent(hptype) || pss->maskGenAlgorithm == NULL)
    goto done;
  int mptype = V_ASN1_UNDEF;
  const void *mpval = NULL;
  X509_ALGOR_get0(&obj, &mptype, &mpval, pss->maskGenAlgorithm);
  if (OBJ_obj2nid(obj) != NID_mgf1 || mptype != V_ASN1_SEQUENCE || mpval == NULL)
    goto done;
  const ASN1_STRING *mseq = mpval;
  const unsigned char *mp = ASN1_STRING_get0_data(mseq);
  long mlen = ASN1_STRING_length(mseq);
  const unsigned char *mend = mp + mlen;
  X509_ALGOR *mgf_hash = d2i_X509_ALGOR(NULL, &mp, mlen);
  bool mgf_ok = false;
  if (mgf_hash != NULL && mp == mend) {
    int mhptype = V_ASN1_UNDEF;
    const void *mhpval = NULL;
    X509_ALGOR_get0(&obj, &mhptype, &mhpval, mgf_hash);
    mgf_ok = OBJ_obj2nid(obj) == hash && is_null_or_absent(mhptype);
  }
  X509_ALGOR_free(mgf_hash);
  if (!mgf_ok)
    goto done;
  int64_t v = 0;
  if (pss->saltLength == NULL || ASN1_INTEGER_get_int64(&v, pss->saltLength) != 1 ||
      v != want_salt)
    goto done;
  if (pss->trailerField != NULL &&
      (ASN1_INTEGER_get_int64(&v, pss->trailerField) != 1 || v != 1))
    goto done;
  cls = SIGALG_OK;
done:
  RSA_PSS_PARAMS_free(pss);
  ERR_clear_error();
  return cls;
}

/* Classify a signature algorithm; *key_type is the key type
 * (EVP_PKEY_*) the signer must have. */
static sigalg_class classify_algor(const X509_ALGOR *alg, int *key_type)
{
  *key_type = EVP_PKEY_NONE;
  if (alg == NULL)
    return SIGALG_UNSUPPORTED;
  const ASN1_OBJECT *obj = NULL;
  int ptype = V_ASN1_UNDEF;
  const void *pval = NULL;
  X509_ALGOR_get0(&obj, &ptype, &pval, alg);
  int nid = OBJ_obj2nid(obj);
  switch (nid) {
  case NID_sha256WithRSAEncryption:
  case NID_sha384WithRSAEncryption:
  case NID_sha512WithRSAEncryption:
    *key_type = EVP_PKEY_RSA;
    return SIGALG_OK;
  case NID_ecdsa_with_SHA256:
  case NID_ecdsa_with_SHA384:
  case NID_ecdsa_with_SHA512:
    *key_type = EVP_PKEY_EC;
    return SIGALG_OK;
  case NID_ED25519:
    *key_type = EVP_PKEY_ED25519;
    return ptype == V_ASN1_UNDEF ? SIGALG_OK : SIGALG_UNSUPPORTED;
  case NID_rsassaPss:
    *key_type = EVP_PKEY_RSA;
    return classify_pss(ptype, pval);
  case NID_sha1WithRSAEncryption:
    *key_type = EVP_PKEY_RSA;
    return SIGALG_SHA1;
  case NID_ecdsa_with_SHA1:
    *key_type = EVP_PKEY_EC;
    return SIGALG_SHA1;
  default:
    break;
  }
  int md = NID_undef, pk = NID_undef;
  if (nid != NID_undef && OBJ_find_sigid_algs(nid, &md, &pk) == 1 &&
      (is_weak_digest(md) || pk == NID_dsa || pk == NID_dsa_2))
    return SIGALG_WEAK;
  return SIGALG_UNSUPPORTED;
}

/* The same for the certificate's own signature. */
static sigalg_class classify_sigalg(const X509 *cert, int *key_type)
{
  const X509_ALGOR *alg = NULL;
  X509_get0_signature(NULL, &alg, cert);
  return classify_algor(alg, key_type);
}

bool nv_x509_sigalg_trusted(const X509_ALGOR *alg, char *name, size_t size)
{
  int key_type;
  sigalg_class cls = classify_algor(alg, &key_type);
  const ASN1_OBJECT *obj = NULL;
  name[0] = '\0';
  if (alg != NULL)
    X509_ALGOR_get0(&obj, NULL, NULL, alg);
  if (obj == NULL || OBJ_obj2txt(name, (int)size, obj, 0) <= 0)
    snprintf(name, size, "unknown");
  ERR_clear_error();
  return cls == SIGALG_OK || cls == SIGALG_SHA1;
}

static const char *sigalg_name(const X509 *cert, char *buf, size_t size)
{
  const X509_ALGOR *alg = NULL;
  const ASN1_OBJECT *obj = NULL;
  X509_get0_signature(NULL, &alg, cert);
  buf[0] = '\0';
  if (alg != NULL)
    X509_ALGOR_get0(&obj, NULL, NULL, alg);
  if (obj == NULL || OBJ_obj2txt(buf, (int)size, obj, 0) <= 0)
    snprintf(buf, size, "unknown");
  ERR_clear_error();
  return buf;
}

/* ------------------------------------------------------------------ */
/* signature checks                                                    */

typedef enum sig_check {
  SIG_OK,
  SIG_BAD,             /* the signature does not verify */
  SIG_ALG_UNSUPPORTED, /* algorithm Go cannot verify */
  SIG_ALG_INSECURE,    /* MD2/MD4/MD5, DSA, RSASSA-PSS with SHA-1 */
  SIG_PARENT_NOT_CA,   /* Go: parent cannot sign certificates */
  SIG_KEY_UNSUPPORTED, /* the signer's key cannot be used */
  SIG_KEY_TYPE_MISMATCH /* the algorithm is for another key type */
} sig_check;

typedef enum sig_mode {
  MODE_SELF_CHECK,  /* Go Certificate.CheckSignature: signature only */
  MODE_ISSUED_FROM  /* Go Certificate.CheckSignatureFrom: also the parent's CA rules */
} sig_mode;

static bool ec_curve_supported(const EVP_PKEY *key)
{
  char group[64], encoding[32];
  size_t len = 0;
  if (EVP_PKEY_get_group_name(key, group, sizeof(group), &len) != 1) {
    ERR_clear_error();
    return false;
  }
  /* Go accepts only the named-curve form of the parameters. */
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_EC_ENCODING, encoding,
                                     sizeof(encoding), &len) == 1 &&
      strcmp(encoding, OSSL_PKEY_EC_ENCODING_EXPLICIT) == 0)
    return false;
  ERR_clear_error();
  /* The curves Go's crypto/x509 can parse. */
  return strcmp(group, "secp224r1") == 0 || strcmp(group, "prime256v1") == 0 ||
         strcmp(group, "secp384r1") == 0 || strcmp(group, "secp521r1") == 0;
}

/* Does `signer`'s key verify `cert`'s signature, as Go would decide it? */
static sig_check check_signature(X509 *cert, X509 *signer, sig_mode mode)
{
  if (mode == MODE_ISSUED_FROM) {
    /* RFC 5280 4.2.1.9 as Go applies it: a v3 parent needs
     * basicConstraints cA=true; a parent with key usage needs keyCertSign. */
    bc_info bc;
    ku_info ku;
    get_basic_constraints(signer, &bc);
    get_key_usage(signer, &ku);
    if (bc.state == EXT_MALFORMED || ku.state == EXT_MALFORMED)
      return SIG_PARENT_NOT_CA;
    if ((X509_get_version(signer) == X509_VERSION_3 && bc.state == EXT_ABSENT) ||
        (bc.state == EXT_PRESENT && !bc.ca))
      return SIG_PARENT_NOT_CA;
    if (ku.bits != 0 && !ku_has(&ku, KUBIT_KEY_CERT_SIGN))
      return SIG_PARENT_NOT_CA;
  }
  int key_type = EVP_PKEY_NONE;
  switch (classify_sigalg(cert, &key_type)) {
  case SIGALG_OK:
    break;
  case SIGALG_SHA1:
    /* Go's CheckSignatureFrom refuses SHA-1 and CheckSignature allows it.
     * validate_chain applies its deny list to every certificate before
     * any signature check, so this only matters for the plain
     * nv_x509_is_self_signed / nv_x509_is_issued_by, which follow
     * CheckSignature. */
    break;
  case SIGALG_WEAK:
    return SIG_ALG_INSECURE;
  default:
    return SIG_ALG_UNSUPPORTED;
  }
  EVP_PKEY *key = nv_x509_pubkey(signer);
  if (key == NULL) {
    ERR_clear_error();
    return SIG_KEY_UNSUPPORTED;
  }
  if (EVP_PKEY_get_base_id(key) != key_type)
    return SIG_KEY_TYPE_MISMATCH;
  if (key_type == EVP_PKEY_EC && !ec_curve_supported(key))
    return SIG_KEY_UNSUPPORTED;
  int ok = X509_verify(cert, key);
  ERR_clear_error();
  return ok == 1 ? SIG_OK : SIG_BAD;
}

/* The error text Go would give for a failed check, so messages match
 * notation-go's where they can. */
static const char *key_family(int type)
{
  return type == EVP_PKEY_RSA ? "RSA" : type == EVP_PKEY_EC ? "ECDSA" : "Ed25519";
}

static const char *go_key_type(const EVP_PKEY *key)
{
  switch (key != NULL ? EVP_PKEY_get_base_id(key) : EVP_PKEY_NONE) {
  case EVP_PKEY_RSA:
    return "*rsa.PublicKey";
  case EVP_PKEY_EC:
    return "*ecdsa.PublicKey";
  case EVP_PKEY_ED25519:
    return "ed25519.PublicKey";
  default:
    return "unknown";
  }
}

static const char *sig_check_text(sig_check r, X509 *cert, X509 *signer, char *buf, size_t size)
{
  switch (r) {
  case SIG_KEY_TYPE_MISMATCH: {
    int key_type = EVP_PKEY_NONE;
    (void)classify_sigalg(cert, &key_type);
    snprintf(buf, size,
             "x509: signature algorithm specifies an %s public key, but have public key of "
             "type %s",
             key_family(key_type), go_key_type(nv_x509_pubkey(signer)));
    ERR_clear_error();
    return buf;
  }
  case SIG_OK:
    return "ok";
  case SIG_BAD: {
    EVP_PKEY *key = nv_x509_pubkey(signer);
    int type = key != NULL ? EVP_PKEY_get_base_id(key) : EVP_PKEY_NONE;
    ERR_clear_error();
    if (type == EVP_PKEY_RSA)
      return "crypto/rsa: verification error";
    if (type == EVP_PKEY_EC)
      return "x509: ECDSA verification failure";
    if (type == EVP_PKEY_ED25519)
      return "x509: Ed25519 verification failure";
    return "x509: signature verification failure";
  }
  case SIG_ALG_INSECURE:
    return "x509: cannot verify signature: insecure algorithm";
  case SIG_PARENT_NOT_CA:
    return "x509: invalid signature: parent certificate cannot sign this kind of certificate";
  case SIG_KEY_UNSUPPORTED:
    return "x509: cannot verify signature: unsupported public key";
  case SIG_ALG_UNSUPPORTED:
  default:
    snprintf(buf, size, "x509: cannot verify signature: algorithm unimplemented");
    return buf;
  }
}

bool nv_x509_is_self_signed(X509 *cert)
{
  if (cert == NULL)
    return false;
  return subject_is_issuer_of(cert, cert) && check_signature(cert, cert, MODE_SELF_CHECK) == SIG_OK;
}

bool nv_x509_is_issued_by(X509 *cert, X509 *issuer)
{
  if (cert == NULL || issuer == NULL)
    return false;
  return subject_is_issuer_of(issuer, cert) &&
         check_signature(cert, issuer, MODE_SELF_CHECK) == SIG_OK;
}

/* ------------------------------------------------------------------ */
/* single-certificate rules                                            */

static nv_status validate_leaf_key(X509 *cert, const char *q, nv_diag *d)
{
  nv_diag kd;
  nv_diag_init(&kd);
  nv_sig_alg alg = NV_SIG_NONE;
  EVP_PKEY *key = nv_x509_pubkey(cert);
  ERR_clear_error();
  nv_status rc = nv_x509_key_alg(key, &alg, &kd);
  if (rc != NV_OK)
    return nv_diag_set(d, rc, "certificate with subject %s: %s", q, kd.msg);
  return NV_OK;
}

static nv_status validate_leaf_eku(X509 *cert, nv_x509_purpose purpose, const char *q,
                                   nv_diag *d)
{
  void *v = NULL;
  bool critical = false;
  ext_state st = get_ext(cert, NID_ext_key_usage, &v, &critical);
  if (st == EXT_MALFORMED)
    return nv_diag_set(d, NV_E_CERT_PARSE,
                       "certificate with subject %s: malformed extended key usage extension", q);
  EXTENDED_KEY_USAGE *eku = v;
  int n = eku != NULL ? sk_ASN1_OBJECT_num(eku) : 0;
  nv_status rc = NV_OK;
  if (purpose == NV_X509_TIMESTAMPING) {
    /* RFC 3161 2.3: present, critical, and only id-kp-timeStamping. */
    if (n != 1 || OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, 0)) != NID_time_stamp)
      rc = nv_diag_set(d, NV_E_CERT_EKU_INVALID,
                       "timestamp signing certificate with subject %s must have and only have "
                       "Timestamping as extended key usage",
                       q);
    else if (!critical)
      rc = nv_diag_set(d, NV_E_CERT_EKU_INVALID,
                       "timestamp signing certificate with subject %s must have extended key "
                       "usage extension marked as critical",
                       q);
  } else {
    /* The spec also forbids anyExtendedKeyUsage; notation-go allows it, and
     * so does this library (notary-spec.md section 19 row 6). Unknown EKU
     * OIDs are ignored. The first forbidden EKU in certificate order is
     * reported, as Go does. */
    for (int i = 0; i < n && rc == NV_OK; i++) {
      const char *bad = NULL;
      switch (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i))) {
      case NID_server_auth:
        bad = "ServerAuth";
        break;
      case NID_client_auth:
        bad = "ClientAuth";
        break;
      case NID_email_protect:
        bad = "EmailProtection";
        break;
      case NID_time_stamp:
        bad = "Timestamping";
        break;
      case NID_OCSP_sign:
        bad = "OCSPSigning";
        break;
      default:
        break;
      }
      if (bad != NULL)
        rc = nv_diag_set(d, NV_E_CERT_EKU_INVALID,
                         "certificate with subject %s: extended key usage must not contain %s eku",
                         q, bad);
    }
  }
  EXTENDED_KEY_USAGE_free(eku);
  return rc;
}

/* keyUsage present; critical for code signing (timestamping: the spec
 * says SHOULD, notation-go checks presence only, and so does this). */
static nv_status require_key_usage(const ku_info *ku, nv_x509_purpose purpose, const char *q,
                                   nv_diag *d)
{
  if (ku->state == EXT_MALFORMED)
    return nv_diag_set(d, NV_E_CERT_PARSE,
                       "certificate with subject %s: malformed key usage extension", q);
  if (ku->state == EXT_ABSENT)
    return nv_diag_set(d, NV_E_CERT_KEY_USAGE_MISSING,
                       "certificate with subject %s: key usage extension must be present", q);
  if (purpose == NV_X509_CODE_SIGNING && !ku->critical)
    return nv_diag_set(d, NV_E_CERT_KEY_USAGE_MISSING,
                       "certificate with subject %s: key usage extension must be marked critical",
                       q);
  return NV_OK;
}

static bool valid_purpose(nv_x509_purpose purpose)
{
  return purpose == NV_X509_CODE_SIGNING || purpose == NV_X509_TIMESTAMPING;
}

/* Printing a subject costs more than the rules that may need it: the
 * single-certificate rules run first without a subject and without a
 * diagnostic, and only when one fails again, the same way, with both. */
static nv_status leaf_rules(X509 *cert, nv_x509_purpose purpose, const char *q, nv_diag *d);
static nv_status ca_rules(X509 *cert, nv_x509_purpose purpose, int expected_path_len,
                          const char *q, nv_diag *d);

nv_status nv_x509_validate_leaf(X509 *cert, nv_x509_purpose purpose, nv_diag *d)
{
  if (cert == NULL || !valid_purpose(purpose))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_validate_leaf: invalid argument");
  if (leaf_rules(cert, purpose, "", NULL) == NV_OK)
    return NV_OK;
  char q[QUOTED_MAX];
  return leaf_rules(cert, purpose, quoted_subject(cert, q, sizeof(q)), d);
}

nv_status nv_x509_validate_ca(X509 *cert, nv_x509_purpose purpose, int expected_path_len,
                              nv_diag *d)
{
  if (cert == NULL || !valid_purpose(purpose))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_validate_ca: invalid argument");
  if (ca_rules(cert, purpose, expected_path_len, "", NULL) == NV_OK)
    return NV_OK;
  char q[QUOTED_MAX];
  return ca_rules(cert, purpose, expected_path_len, quoted_subject(cert, q, sizeof(q)), d);
}

static nv_status leaf_rules(X509 *cert, nv_x509_purpose purpose, const char *q, nv_diag *d)
{

  bc_info bc;
  get_basic_constraints(cert, &bc);
  if (bc.state == EXT_MALFORMED)
    return nv_diag_set(d, NV_E_CERT_PARSE,
                       "certificate with subject %s: malformed basic constraints extension", q);
  if (bc.state == EXT_PRESENT && bc.ca)
    return nv_diag_set(d, NV_E_CERT_LEAF_IS_CA,
                       "certificate with subject %s: if the basic constraints extension is "
                       "present, the ca field must be set to false",
                       q);

  ku_info ku;
  get_key_usage(cert, &ku);
  nv_status rc = require_key_usage(&ku, purpose, q, d);
  if (rc != NV_OK)
    return rc;
  if (!ku_has(&ku, KUBIT_DIGITAL_SIGNATURE))
    return nv_diag_set(d, NV_E_CERT_KEY_USAGE_INVALID,
                       "the certificate with subject %s is invalid. The key usage must have the "
                       "bit positions for \"Digital Signature\" set",
                       q);
  static const struct {
    int bit;
    const char *name;
  } forbidden[] = {
    {KUBIT_KEY_ENCIPHERMENT, "\"KeyEncipherment\""}, {KUBIT_DATA_ENCIPHERMENT, "\"DataEncipherment\""},
    {KUBIT_KEY_AGREEMENT, "\"KeyAgreement\""},       {KUBIT_KEY_CERT_SIGN, "\"CertSign\""},
    {KUBIT_CRL_SIGN, "\"CRLSign\""},                 {KUBIT_ENCIPHER_ONLY, "\"EncipherOnly\""},
    {KUBIT_DECIPHER_ONLY, "\"DecipherOnly\""},
  };
  char found[256];
  size_t flen = 0;
  found[0] = '\0';
  for (size_t i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++) {
    if (!ku_has(&ku, forbidden[i].bit))
      continue;
    int n = snprintf(found + flen, sizeof(found) - flen, "%s%s", flen ? ", " : "",
                     forbidden[i].name);
    if (n > 0 && (size_t)n < sizeof(found) - flen)
      flen += (size_t)n;
  }
  if (flen > 0)
    return nv_diag_set(d, NV_E_CERT_KEY_USAGE_INVALID,
                       "the certificate with subject %s is invalid. The key usage must be "
                       "\"Digital Signature\" only, but found %s",
                       q, found);

  rc = validate_leaf_eku(cert, purpose, q, d);
  if (rc != NV_OK)
    return rc;
  return validate_leaf_key(cert, q, d);
}

static nv_status ca_rules(X509 *cert, nv_x509_purpose purpose, int expected_path_len,
                          const char *q, nv_diag *d)
{

  /* The spec requires basicConstraints to be critical; notation-go does
   * not check criticality (notary-spec.md section 19 row 7) and neither
   * does this, so that chains notation accepts verify here too. */
  bc_info bc;
  get_basic_constraints(cert, &bc);
  if (bc.state == EXT_MALFORMED)
    return nv_diag_set(d, NV_E_CERT_PARSE,
                       "certificate with subject %s: malformed basic constraints extension", q);
  if (bc.state != EXT_PRESENT || !bc.ca)
    return nv_diag_set(d, NV_E_CERT_BASIC_CONSTRAINTS_INVALID,
                       "certificate with subject %s: ca field in basic constraints must be "
                       "present, critical, and set to true",
                       q);
  if (bc.has_path_len && bc.path_len < 0)
    return nv_diag_set(d, NV_E_CERT_BASIC_CONSTRAINTS_INVALID,
                       "certificate with subject %s: basic constraints path length is negative",
                       q);
  /* An explicit pathLenConstraint of 0 counts as present. */
  if (bc.has_path_len && bc.path_len < (int64_t)expected_path_len)
    return nv_diag_set(d, NV_E_CERT_PATH_LENGTH,
                       "certificate with subject %s: expected path length of %d but certificate "
                       "has path length %lld instead",
                       q, expected_path_len, (long long)bc.path_len);

  ku_info ku;
  get_key_usage(cert, &ku);
  nv_status rc = require_key_usage(&ku, purpose, q, d);
  if (rc != NV_OK)
    return rc;
  if (!ku_has(&ku, KUBIT_KEY_CERT_SIGN))
    return nv_diag_set(d, NV_E_CERT_KEY_CERT_SIGN_MISSING,
                       "certificate with subject %s: key usage must have the bit positions for "
                       "key cert sign set",
                       q);
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* chains                                                              */

/* The explicit deny list (notary-spec.md section 7). */
static nv_status check_not_weak(X509 *cert, nv_diag *d)
{
  int key_type = EVP_PKEY_NONE;
  sigalg_class cls = classify_sigalg(cert, &key_type);
  if (cls != SIGALG_SHA1 && cls != SIGALG_WEAK)
    return NV_OK;
  char q[QUOTED_MAX], alg[80];
  return nv_diag_set(d, NV_E_CERT_WEAK_SIGNATURE_ALGORITHM,
                     "certificate with subject %s is signed with %s; SHA-1, MD5 and DSA "
                     "certificate signatures are not allowed",
                     quoted_subject(cert, q, sizeof(q)), sigalg_name(cert, alg, sizeof(alg)));
}

/* Prefix a leaf-rule failure of a one-certificate chain, keeping its code. */
static nv_status wrap_self_signed(nv_status rc, nv_diag *d)
{
  if (d != NULL)
    nv_diag_wrap(d, rc, "invalid self-signed certificate. Error: ");
  return rc;
}

static nv_status validate_single(X509 *cert, nv_x509_purpose purpose, nv_diag *d)
{
  char q[QUOTED_MAX], buf[160];
  nv_status rc = check_not_weak(cert, d);
  if (rc != NV_OK)
    return rc;
  sig_check r = check_signature(cert, cert, MODE_SELF_CHECK);
  if (r != SIG_OK)
    return nv_diag_set(d, NV_E_CHAIN_SELF_SIGNED_INVALID,
                       "invalid self-signed certificate. subject: %s. Error: %s",
                       quoted_subject(cert, q, sizeof(q)),
                       sig_check_text(r, cert, cert, buf, sizeof(buf)));
  if (!subject_is_issuer_of(cert, cert)) {
    char subj[SUBJECT_MAX], iss[SUBJECT_MAX];
    nv_x509_subject(cert, subj, sizeof(subj));
    nv_x509_name_text(X509_get_issuer_name(cert), iss, sizeof(iss));
    return nv_diag_set(d, NV_E_CHAIN_SELF_SIGNED_INVALID,
                       "invalid self-signed certificate. subject: %s. Error: issuer(%s) and "
                       "subject(%s) are not the same",
                       quoted_subject(cert, q, sizeof(q)), iss, subj);
  }
  rc = nv_x509_validate_leaf(cert, purpose, d);
  return rc == NV_OK ? NV_OK : wrap_self_signed(rc, d);
}

bool nv_x509_root_rules_ok(X509 *cert)
{
  return cert != NULL && check_not_weak(cert, NULL) == NV_OK &&
         check_signature(cert, cert, MODE_ISSUED_FROM) == SIG_OK &&
         subject_is_issuer_of(cert, cert);
}

nv_status nv_x509_validate_chain(X509 *const *chain, size_t count, nv_x509_purpose purpose,
                                 nv_diag *d)
{
  return nv_x509_validate_chain_ex(chain, count, purpose, false, d);
}

nv_status nv_x509_validate_chain_ex(X509 *const *chain, size_t count, nv_x509_purpose purpose,
                                    bool root_checked, nv_diag *d)
{
  if (!valid_purpose(purpose) || (chain == NULL && count > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_validate_chain: invalid argument");
  if (count == 0)
    return nv_diag_set(d, NV_E_CERT_CHAIN_MISSING,
                       "certificate chain must contain at least one certificate");
  if (count > MAX_CHAIN_LEN)
    return nv_diag_set(d, NV_E_CHAIN_TOO_LONG,
                       "certificate chain has %zu certificates; at most %d are allowed", count,
                       MAX_CHAIN_LEN);
  for (size_t i = 0; i < count; i++)
    if (chain[i] == NULL)
      return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_validate_chain: NULL certificate");

  if (count == 1)
    return validate_single(chain[0], purpose, d);

  char q[QUOTED_MAX], qp[QUOTED_MAX], buf[160];
  for (size_t i = 0; i < count; i++) {
    X509 *cert = chain[i];
    nv_status rc = check_not_weak(cert, d);
    if (rc != NV_OK)
      return rc;
    if (i == count - 1 && root_checked) {
      /* nv_x509_root_rules_ok() passed for this very certificate */
    } else if (i == count - 1) {
      sig_check r = check_signature(cert, cert, MODE_ISSUED_FROM);
      if (r != SIG_OK)
        return nv_diag_set(d, NV_E_CHAIN_ROOT_NOT_SELF_SIGNED,
                           "root certificate with subject %s is invalid or not self-signed. "
                           "Certificate chain must end with a valid self-signed root "
                           "certificate. Error: %s",
                           quoted_subject(cert, q, sizeof(q)),
                           sig_check_text(r, cert, cert, buf, sizeof(buf)));
      if (!subject_is_issuer_of(cert, cert))
        return nv_diag_set(d, NV_E_CHAIN_ROOT_NOT_SELF_SIGNED,
                           "root certificate with subject %s is not self-signed. Certificate "
                           "chain must end with a valid self-signed root certificate",
                           quoted_subject(cert, q, sizeof(q)));
    } else {
      /* Self-signed needs both the name match and the signature; checking
       * the names first saves a public-key operation per certificate and
       * gives the same answer. */
      if (subject_is_issuer_of(cert, cert) &&
          check_signature(cert, cert, MODE_ISSUED_FROM) == SIG_OK) {
        if (i == 0)
          return nv_diag_set(d, NV_E_CHAIN_UNEXPECTED_SELF_SIGNED,
                             "leaf certificate with subject %s is self-signed. Certificate chain "
                             "must not contain self-signed leaf certificate",
                             quoted_subject(cert, q, sizeof(q)));
        return nv_diag_set(d, NV_E_CHAIN_UNEXPECTED_SELF_SIGNED,
                           "intermediate certificate with subject %s is self-signed. Certificate "
                           "chain must not contain self-signed intermediate certificate",
                           quoted_subject(cert, q, sizeof(q)));
      }
      X509 *parent = chain[i + 1];
      sig_check r = check_signature(cert, parent, MODE_ISSUED_FROM);
      if (r != SIG_OK)
        return nv_diag_set(d, NV_E_CHAIN_NOT_ISSUED_BY_NEXT,
                           "invalid certificates or certificate with subject %s is not issued "
                           "by %s. Error: %s",
                           quoted_subject(cert, q, sizeof(q)),
                           quoted_subject(parent, qp, sizeof(qp)),
                           sig_check_text(r, cert, parent, buf, sizeof(buf)));
      if (!subject_is_issuer_of(parent, cert))
        return nv_diag_set(d, NV_E_CHAIN_NOT_ISSUED_BY_NEXT,
                           "certificate with subject %s is not issued by %s",
                           quoted_subject(cert, q, sizeof(q)),
                           quoted_subject(parent, qp, sizeof(qp)));
    }
    rc = i == 0 ? nv_x509_validate_leaf(cert, purpose, d)
                : nv_x509_validate_ca(cert, purpose, (int)i - 1, d);
    if (rc != NV_OK)
      return rc;
  }
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* parsing                                                             */

static int cmp_ext_oid(const void *a, const void *b)
{
  const ASN1_OBJECT *const *x = a;
  const ASN1_OBJECT *const *y = b;
  return OBJ_cmp(*x, *y);
}

/* Rules Go's crypto/x509 parser enforces that d2i_X509 does not, limited to
 * those that matter for the chain rules. NULL if the certificate passes,
 * else the reason. */
static const char *go_parse_problem(X509 *cert)
{
  long version = X509_get_version(cert);
  if (version < X509_VERSION_1 || version > X509_VERSION_3)
    return "x509: invalid version";
  const ASN1_INTEGER *serial = X509_get0_serialNumber(cert);
  if (serial == NULL || ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER)
    return "x509: negative serial number";
  const X509_ALGOR *outer = NULL;
  X509_get0_signature(NULL, &outer, cert);
  if (outer == NULL || X509_ALGOR_cmp(outer, X509_get0_tbs_sigalg(cert)) != 0)
    return "x509: inner and outer signature algorithm identifiers don't match";

  int n = X509_get_ext_count(cert);
  if (n > 1) {
    const ASN1_OBJECT **oids = malloc((size_t)n * sizeof(*oids));
    if (oids == NULL)
      return "x509: out of memory";
    for (int i = 0; i < n; i++)
      oids[i] = X509_EXTENSION_get_object(X509_get_ext(cert, i));
    qsort(oids, (size_t)n, sizeof(*oids), cmp_ext_oid);
    bool dup = false;
    for (int i = 1; i < n && !dup; i++)
      dup = OBJ_cmp(oids[i - 1], oids[i]) == 0;
    free(oids);
    if (dup)
      return "x509: certificate contains duplicate extensions";
  }
  bc_info bc;
  ku_info ku;
  get_basic_constraints(cert, &bc);
  if (bc.state == EXT_MALFORMED)
    return "x509: malformed basic constraints extension";
  get_key_usage(cert, &ku);
  if (ku.state == EXT_MALFORMED)
    return "x509: malformed key usage extension";
  void *v = NULL;
  bool crit = false;
  ext_state eku = get_ext(cert, NID_ext_key_usage, &v, &crit);
  EXTENDED_KEY_USAGE_free(v);
  if (eku == EXT_MALFORMED)
    return "x509: malformed extended key usage extension";

  /* A key of a type Go knows must decode (OpenSSL keeps a certificate
   * whose key it cannot decode; Go refuses it). */
  ASN1_OBJECT *kalg = NULL;
  X509_PUBKEY *spki = X509_get_X509_PUBKEY(cert);
  if (spki == NULL || X509_PUBKEY_get0_param(&kalg, NULL, NULL, NULL, spki) != 1)
    return "x509: malformed public key";
  int knid = OBJ_obj2nid(kalg);
  if (knid == NID_rsaEncryption || knid == NID_X9_62_id_ecPublicKey || knid == NID_ED25519) {
    EVP_PKEY *key = nv_x509_pubkey(cert);
    ERR_clear_error();
    if (key == NULL)
      return "x509: malformed public key";
    if (knid == NID_X9_62_id_ecPublicKey && !ec_curve_supported(key))
      return "x509: unsupported elliptic curve";
  }
  ERR_clear_error();
  return NULL;
}

static nv_status parse_failure(size_t index, const char *reason, nv_diag *d)
{
  if (index == 0)
    return nv_diag_set(d, NV_E_LEAF_CERT_MALFORMED, "malformed leaf certificate");
  return nv_diag_set(d, NV_E_CERT_PARSE, "certificate %zu of the chain is malformed: %s",
                     index + 1, reason);
}

bool nv_x509_go_parse_ok(X509 *cert)
{
  return cert != NULL && go_parse_problem(cert) == NULL;
}

nv_status nv_x509_parse_chain_cert(const nv_buf *b, size_t index, X509 **out, nv_diag *d)
{
  *out = NULL;
  if (b == NULL || b->data == NULL || b->len == 0 || b->len > (size_t)LONG_MAX)
    return parse_failure(index, "x509: malformed certificate", d);
  size_t used = 0;
  X509 *cert = nv_x509_d2i(b->data, b->len, &used);
  if (cert == NULL)
    return parse_failure(index, "x509: malformed certificate", d);
  if (used != b->len) {
    X509_free(cert);
    return parse_failure(index, "x509: trailing data", d);
  }
  const char *problem = go_parse_problem(cert);
  if (problem != NULL) {
    X509_free(cert);
    return parse_failure(index, problem, d);
  }
  *out = cert;
  return NV_OK;
}

nv_status nv_x509_parse_chain(const nv_buf *ders, size_t count, nv_x509_list *out, nv_diag *d)
{
  if (out == NULL || (ders == NULL && count > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_parse_chain: NULL argument");
  if (count == 0)
    return nv_diag_set(d, NV_E_CERT_CHAIN_MISSING, "certificate-chain not present or is empty");
  if (count > MAX_CHAIN_LEN)
    return nv_diag_set(d, NV_E_CHAIN_TOO_LONG,
                       "certificate chain has %zu certificates; at most %d are allowed", count,
                       MAX_CHAIN_LEN);
  if (out->count > SIZE_MAX / sizeof(X509 *) - count)
    return nv_diag_set(d, NV_E_LIMIT, "certificate list too large");
  size_t need = out->count + count;
  if (need > out->cap) {
    X509 **p = realloc(out->items, need * sizeof(*p));
    if (p == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory parsing the certificate chain");
    out->items = p;
    out->cap = need;
  }
  size_t mark = out->count;
  nv_status rc = NV_OK;
  for (size_t i = 0; i < count && rc == NV_OK; i++) {
    X509 *cert = NULL;
    rc = nv_x509_parse_chain_cert(&ders[i], i, &cert, d);
    if (rc == NV_OK)
      out->items[out->count++] = cert;
  }
  if (rc != NV_OK)
    while (out->count > mark)
      X509_free(out->items[--out->count]);
  return rc;
}
