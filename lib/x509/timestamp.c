/*
 * RFC 3161 TimeStampToken parsing and verification; see
 * nv_x509_timestamp.h and notary-spec.md section 10.3.
 *
 * OpenSSL's CMS decoder gives the structure (BER accepted); what it does
 * not expose (the SignedData and SignerInfo versions, the certificate
 * choices, the content of signingCertificateV2) is read from the token's
 * DER re-encoding with the small bounded reader below. The CMS signature
 * is verified before the TSTInfo is decoded.
 */
#include "base/nv_time.h"
#include "x509/nv_x509_timestamp.h"

#include <openssl/asn1.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_time.h"

/* ------------------------------------------------------------------ */
/* a bounded DER reader                                                */

typedef struct der {
  const uint8_t *p;
  size_t len;
} der;

/* Read one TLV (low tag numbers, definite lengths of at most 4 bytes).
 * `tlv` (may be NULL) receives the whole element. */
static bool der_next(der *in, unsigned *tag, der *content, der *tlv)
{
  if (in->len < 2)
    return false;
  const uint8_t *start = in->p;
  unsigned t = in->p[0];
  if ((t & 0x1f) == 0x1f)
    return false;
  size_t pos = 1;
  size_t l = in->p[pos++];
  if (l & 0x80) {
    size_t n = l & 0x7f;
    if (n == 0 || n > 4 || in->len - pos < n)
      return false;
    l = 0;
    for (size_t i = 0; i < n; i++)
      l = (l << 8) | in->p[pos++];
  }
  if (in->len - pos < l)
    return false;
  *tag = t;
  content->p = in->p + pos;
  content->len = l;
  in->p += pos + l;
  in->len -= pos + l;
  if (tlv != NULL) {
    tlv->p = start;
    tlv->len = pos + l;
  }
  return true;
}

static bool der_expect(der *in, unsigned tag, der *content, der *tlv)
{
  unsigned t;
  der save = *in;
  if (!der_next(in, &t, content, tlv) || t != tag) {
    *in = save;
    return false;
  }
  return true;
}

/* A small non-negative INTEGER. */
static bool der_small_int(const der *c, long *out)
{
  if (c->len == 0 || c->len > 4 || (c->p[0] & 0x80))
    return false;
  long v = 0;
  for (size_t i = 0; i < c->len; i++)
    v = (v << 8) | c->p[i];
  *out = v;
  return true;
}

/* What the DER walk of the SignedData found. */
typedef struct sd_shape {
  long version;
  size_t certs;          /* certificate choices */
  bool certs_all_x509;
  size_t signers;
  bool signers_all_v1;
} sd_shape;

static bool walk_signed_data(const uint8_t *p, size_t len, sd_shape *s)
{
  memset(s, 0, sizeof(*s));
  s->certs_all_x509 = true;
  s->signers_all_v1 = true;
  der in = {p, len}, ci, oid, expl, sd, v, x;
  if (!der_expect(&in, 0x30, &ci, NULL) || in.len != 0)
    return false;
  if (!der_expect(&ci, 0x06, &oid, NULL) || !der_expect(&ci, 0xa0, &expl, NULL))
    return false;
  if (!der_expect(&expl, 0x30, &sd, NULL))
    return false;
  if (!der_expect(&sd, 0x02, &v, NULL) || !der_small_int(&v, &s->version))
    return false;
  if (!der_expect(&sd, 0x31, &x, NULL) || !der_expect(&sd, 0x30, &x, NULL))
    return false;
  der certs;
  if (der_expect(&sd, 0xa0, &certs, NULL)) {
    while (certs.len > 0) {
      unsigned t;
      der c;
      if (!der_next(&certs, &t, &c, NULL))
        return false;
      s->certs++;
      if (t != 0x30)
        s->certs_all_x509 = false;
    }
  }
  der crls;
  (void)der_expect(&sd, 0xa1, &crls, NULL);
  der sis;
  if (!der_expect(&sd, 0x31, &sis, NULL))
    return false;
  while (sis.len > 0) {
    der si, sv;
    long ver = 0;
    if (!der_expect(&sis, 0x30, &si, NULL) || !der_expect(&si, 0x02, &sv, NULL) ||
        !der_small_int(&sv, &ver))
      return false;
    s->signers++;
    if (ver != 1)
      s->signers_all_v1 = false;
  }
  return true;
}

/* ------------------------------------------------------------------ */

void nv_x509_tst_init(nv_x509_tst *t)
{
  memset(t, 0, sizeof(*t));
  nv_x509_list_init(&t->certs);
}

void nv_x509_tst_free(nv_x509_tst *t)
{
  if (t == NULL)
    return;
  nv_x509_list_free(&t->certs);
  nv_x509_tst_init(t);
}

static bool list_push(nv_x509_list *l, X509 *cert)
{
  if (l->count == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    X509 **items = realloc(l->items, cap * sizeof(*items));
    if (items == NULL)
      return false;
    l->items = items;
    l->cap = cap;
  }
  l->items[l->count++] = cert;
  return true;
}

static bool digits(const unsigned char *s, size_t n, int *out)
{
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

/* GeneralizedTime "YYYYMMDDHHMMSS[.f+]Z" (RFC 3161 2.4.2: UTC, no
 * trailing zeros in the fraction; the fraction is kept to microseconds). */
static bool parse_gentime(const ASN1_GENERALIZEDTIME *g, int64_t *secs, int32_t *us)
{
  const unsigned char *s = ASN1_STRING_get0_data(g);
  size_t n = (size_t)ASN1_STRING_length(g);
  int Y, M, D, h, m, sec;
  if (n < 15 || s[n - 1] != 'Z' || !digits(s, 4, &Y) || !digits(s + 4, 2, &M) ||
      !digits(s + 6, 2, &D) || !digits(s + 8, 2, &h) || !digits(s + 10, 2, &m) ||
      !digits(s + 12, 2, &sec))
    return false;
  if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 59)
    return false;
  int32_t frac = 0;
  size_t i = 14;
  if (i < n - 1) {
    if (s[i] != '.' || i + 1 >= n - 1)
      return false;
    int scale = 100000;
    for (i++; i < n - 1; i++) {
      if (s[i] < '0' || s[i] > '9')
        return false;
      if (scale > 0) {
        frac += (s[i] - '0') * scale;
        scale /= 10;
      }
    }
  }
  *secs = nv_time_days_from_civil(Y, M, D) * 86400 + h * 3600 + m * 60 + sec;
  *us = frac;
  return true;
}

static const EVP_MD *imprint_md(int nid)
{
  switch (nid) {
  case NID_sha256: return EVP_sha256();
  case NID_sha384: return EVP_sha384();
  case NID_sha512: return EVP_sha512();
  default: return NULL;
  }
}

/* The (digestAlgorithm, signatureAlgorithm) pairs notary-spec.md 10.3
 * step 6 accepts. */
static bool sig_alg_ok(const X509_ALGOR *dig, const X509_ALGOR *sig)
{
  const ASN1_OBJECT *dobj = NULL, *sobj = NULL;
  X509_ALGOR_get0(&dobj, NULL, NULL, dig);
  X509_ALGOR_get0(&sobj, NULL, NULL, sig);
  int dn = OBJ_obj2nid(dobj), sn = OBJ_obj2nid(sobj);
  if (imprint_md(dn) == NULL)
    return false;
  switch (sn) {
  case NID_rsaEncryption:
  case NID_rsassaPss:
    return true;
  case NID_sha256WithRSAEncryption:
  case NID_ecdsa_with_SHA256:
    return dn == NID_sha256;
  case NID_sha384WithRSAEncryption:
  case NID_ecdsa_with_SHA384:
    return dn == NID_sha384;
  case NID_sha512WithRSAEncryption:
  case NID_ecdsa_with_SHA512:
    return dn == NID_sha512;
  default:
    return false;
  }
}

/* The ESSCertIDv2 that names the TSA certificate. */
typedef struct ess_id {
  int hash_nid;
  der hash;
  bool has_issuer_serial;
  der issuer_name; /* the Name TLV */
  der serial;      /* the INTEGER TLV */
} ess_id;

static nv_status read_signing_cert_v2(CMS_SignerInfo *si, ess_id *id, nv_diag *d)
{
  memset(id, 0, sizeof(*id));
  int idx = CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1);
  if (idx < 0)
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2,
                       "failed to get SigningCertificateV2 from signed attributes: attribute "
                       "not found");
  X509_ATTRIBUTE *attr = CMS_signed_get_attr(si, idx);
  ASN1_TYPE *at = attr != NULL && X509_ATTRIBUTE_count(attr) == 1
                      ? X509_ATTRIBUTE_get0_type(attr, 0)
                      : NULL;
  if (at == NULL || at->type != V_ASN1_SEQUENCE ||
      CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, idx) >= 0)
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2,
                       "failed to get SigningCertificateV2 from signed attributes: the "
                       "attribute must have exactly one value, a SEQUENCE");
  der in = {ASN1_STRING_get0_data(at->value.sequence),
            (size_t)ASN1_STRING_length(at->value.sequence)};
  der scv2, ids, first;
  if (!der_expect(&in, 0x30, &scv2, NULL) || in.len != 0 || !der_expect(&scv2, 0x30, &ids, NULL))
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2,
                       "failed to get SigningCertificateV2 from signed attributes: malformed "
                       "SigningCertificateV2");
  if (ids.len == 0)
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2,
                       "signingCertificateV2 does not contain any certificate");
  if (!der_expect(&ids, 0x30, &first, NULL))
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2,
                       "failed to get SigningCertificateV2 from signed attributes: malformed "
                       "ESSCertIDv2");
  der alg;
  id->hash_nid = NID_sha256; /* DEFAULT id-sha256 */
  if (der_expect(&first, 0x30, &alg, NULL)) {
    der oid, oid_tlv;
    if (!der_expect(&alg, 0x06, &oid, &oid_tlv))
      return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2,
                         "malformed hash algorithm in ESSCertIDv2");
    const unsigned char *tp = oid_tlv.p;
    ASN1_OBJECT *obj = d2i_ASN1_OBJECT(NULL, &tp, (long)oid_tlv.len);
    id->hash_nid = obj != NULL ? OBJ_obj2nid(obj) : NID_undef;
    ASN1_OBJECT_free(obj);
  }
  if (!der_expect(&first, 0x04, &id->hash, NULL))
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2,
                       "failed to get SigningCertificateV2 from signed attributes: ESSCertIDv2 "
                       "has no certHash");
  der is;
  if (der_expect(&first, 0x30, &is, NULL)) {
    der names;
    if (!der_expect(&is, 0x30, &names, NULL))
      return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2, "malformed IssuerSerial");
    bool found = false;
    while (names.len > 0 && !found) {
      unsigned t;
      der gn;
      if (!der_next(&names, &t, &gn, NULL))
        return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2, "malformed IssuerSerial");
      if (t == 0xa4) {
        der name_c;
        if (!der_expect(&gn, 0x30, &name_c, &id->issuer_name) || gn.len != 0)
          return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2, "malformed IssuerSerial");
        found = true;
      }
    }
    if (!found)
      return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2,
                         "issuer name is missing in IssuerSerial");
    der serial_c;
    if (!der_expect(&is, 0x02, &serial_c, &id->serial))
      return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2, "malformed IssuerSerial");
    id->has_issuer_serial = true;
  }
  return NV_OK;
}

static bool cert_matches_issuer_serial(X509 *cert, const ess_id *id)
{
  const unsigned char *nd = NULL;
  size_t nl = 0;
  if (!X509_NAME_get0_der(X509_get_issuer_name(cert), &nd, &nl) || nl != id->issuer_name.len ||
      memcmp(nd, id->issuer_name.p, nl) != 0)
    return false;
  unsigned char *sd = NULL;
  int sl = i2d_ASN1_INTEGER(X509_get0_serialNumber(cert), &sd);
  bool same = sl > 0 && (size_t)sl == id->serial.len && memcmp(sd, id->serial.p, (size_t)sl) == 0;
  OPENSSL_free(sd);
  return same;
}

/* Find the TSA certificate for `si` and check its hash. */
static nv_status find_signer_cert(CMS_SignerInfo *si, const nv_x509_tst *t, X509 **out,
                                  nv_diag *d)
{
  ess_id id;
  nv_status rc = read_signing_cert_v2(si, &id, d);
  if (rc != NV_OK)
    return rc;
  X509 *cert = NULL;
  for (size_t i = 0; i < t->certs.count && cert == NULL; i++) {
    X509 *c = t->certs.items[i];
    if (id.has_issuer_serial ? cert_matches_issuer_serial(c, &id)
                             : CMS_SignerInfo_cert_cmp(si, c) == 0)
      cert = c;
  }
  if (cert == NULL)
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNER_CERT_NOT_FOUND,
                       "signing certificate not found in the timestamp token");
  const EVP_MD *md = imprint_md(id.hash_nid);
  if (md == NULL && id.hash_nid == NID_sha1)
    md = EVP_sha1(); /* RFC 5035 allows it for the certificate hash */
  if (md == NULL)
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2,
                       "unsupported hash algorithm in signingCertificateV2");
  unsigned char *cd = NULL;
  int cl = i2d_X509(cert, &cd);
  unsigned char h[EVP_MAX_MD_SIZE];
  unsigned hl = 0;
  bool ok = cl > 0 && EVP_Digest(cd, (size_t)cl, h, &hl, md, NULL) == 1;
  OPENSSL_free(cd);
  if (!ok)
    return nv_diag_set(d, NV_E_INTERNAL, "cannot hash the TSA certificate");
  if (hl != id.hash.len || memcmp(h, id.hash.p, hl) != 0)
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNING_CERT_V2,
                       "signing certificate hash does not match the certHash of "
                       "signingCertificateV2");
  *out = cert;
  return NV_OK;
}

/* Verify one SignerInfo over the eContent. */
static nv_status verify_signer(CMS_SignerInfo *si, const ASN1_OCTET_STRING *content,
                               nv_x509_tst *t, nv_diag *d)
{
  X509 *cert = NULL;
  nv_status rc = find_signer_cert(si, t, &cert, d);
  if (rc != NV_OK)
    return rc;
  X509_ALGOR *dig = NULL, *sig = NULL;
  CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sig);
  if (dig == NULL || sig == NULL || !sig_alg_ok(dig, sig))
    return nv_diag_set(d, NV_E_TIMESTAMP_SIG_ALG_UNKNOWN,
                       "failed to verify signed token: cms verification failure: unknown "
                       "signature algorithm");
  if (CMS_signed_get_attr_count(si) <= 0)
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNED_ATTRS,
                       "failed to verify signed token: cms verification failure: missing "
                       "signed attributes");
  const ASN1_OBJECT *ct = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_contentType), -3,
                                                      V_ASN1_OBJECT);
  if (ct == NULL || OBJ_obj2nid(ct) != NID_id_smime_ct_TSTInfo)
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNED_ATTRS,
                       "failed to verify signed token: cms verification failure: the "
                       "content-type attribute is missing or is not id-ct-TSTInfo");
  const ASN1_OCTET_STRING *md_attr = CMS_signed_get0_data_by_OBJ(
      si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING);
  if (md_attr == NULL)
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNED_ATTRS,
                       "failed to verify signed token: cms verification failure: the "
                       "message-digest attribute is missing");
  ERR_clear_error();
  CMS_SignerInfo_set1_signer_cert(si, cert);
  /* over the signed attributes as received: OpenSSL's CMS_Attributes_Verify
   * keeps their order (a signer may not have sorted the SET OF), as
   * notation-go does */
  if (CMS_SignerInfo_verify(si) != 1) {
    ERR_clear_error();
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNATURE_INVALID,
                       "failed to verify signed token: cms verification failure: the "
                       "signature does not verify with the TSA certificate's key");
  }
  const ASN1_OBJECT *dobj = NULL;
  X509_ALGOR_get0(&dobj, NULL, NULL, dig);
  const EVP_MD *md = imprint_md(OBJ_obj2nid(dobj));
  unsigned char h[EVP_MAX_MD_SIZE];
  unsigned hl = 0;
  if (md == NULL || EVP_Digest(ASN1_STRING_get0_data(content), (size_t)ASN1_STRING_length(content),
                               h, &hl, md, NULL) != 1)
    return nv_diag_set(d, NV_E_INTERNAL, "cannot hash the TSTInfo");
  if ((size_t)ASN1_STRING_length(md_attr) != hl ||
      memcmp(ASN1_STRING_get0_data(md_attr), h, hl) != 0)
    return nv_diag_set(d, NV_E_TIMESTAMP_SIGNED_ATTRS,
                       "failed to verify signed token: cms verification failure: the "
                       "message-digest attribute does not match the TSTInfo");
  t->has_signing_time = false;
  int sti = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (sti >= 0) {
    X509_ATTRIBUTE *a = CMS_signed_get_attr(si, sti);
    ASN1_TYPE *v = a != NULL && X509_ATTRIBUTE_count(a) == 1 ? X509_ATTRIBUTE_get0_type(a, 0)
                                                             : NULL;
    ASN1_TIME *tm = NULL;
    if (v != NULL && v->type == V_ASN1_UTCTIME)
      tm = v->value.utctime;
    else if (v != NULL && v->type == V_ASN1_GENERALIZEDTIME)
      tm = v->value.generalizedtime;
    if (tm == NULL || !nv_x509_asn1_time(tm, &t->signing_time))
      return nv_diag_set(d, NV_E_TIMESTAMP_SIGNED_ATTRS,
                         "failed to verify signed token: malformed signing-time attribute");
    t->has_signing_time = true;
  }
  t->signer = cert;
  return NV_OK;
}

static nv_status decode_tstinfo(const ASN1_OCTET_STRING *content, nv_x509_tst *t, nv_diag *d)
{
  const unsigned char *p = ASN1_STRING_get0_data(content);
  long len = ASN1_STRING_length(content);
  TS_TST_INFO *info = d2i_TS_TST_INFO(NULL, &p, len);
  if (info == NULL || p != ASN1_STRING_get0_data(content) + len) {
    TS_TST_INFO_free(info);
    ERR_clear_error();
    return nv_diag_set(d, NV_E_TSTINFO_PARSE,
                       "cannot unmarshal TSTInfo from timestamp token: malformed TSTInfo");
  }
  nv_status rc = NV_OK;
  long version = TS_TST_INFO_get_version(info);
  TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(info);
  X509_ALGOR *alg = mi != NULL ? TS_MSG_IMPRINT_get_algo(mi) : NULL;
  ASN1_OCTET_STRING *msg = mi != NULL ? TS_MSG_IMPRINT_get_msg(mi) : NULL;
  const ASN1_OBJECT *aobj = NULL;
  if (alg != NULL)
    X509_ALGOR_get0(&aobj, NULL, NULL, alg);
  int nid = OBJ_obj2nid(aobj);
  const EVP_MD *md = imprint_md(nid);
  if (version != 1) {
    rc = nv_diag_set(d, NV_E_TSTINFO_VERSION,
                     "invalid TSTInfo: version %ld is not supported, expected 1", version);
    goto out;
  }
  if (md == NULL || msg == NULL) {
    char name[80] = "?";
    if (aobj != NULL)
      OBJ_obj2txt(name, sizeof(name), aobj, 1);
    rc = nv_diag_set(d, NV_E_TSTINFO_HASH_UNSUPPORTED,
                     "invalid TSTInfo: unsupported hashing algorithm %s (SHA-256, SHA-384 or "
                     "SHA-512 expected)",
                     name);
    goto out;
  }
  if ((size_t)ASN1_STRING_length(msg) != (size_t)EVP_MD_get_size(md)) {
    rc = nv_diag_set(d, NV_E_TSTINFO_PARSE,
                     "invalid TSTInfo: the hashed message has the wrong length for its algorithm");
    goto out;
  }
  t->imprint_nid = nid;
  t->imprint_len = (size_t)ASN1_STRING_length(msg);
  memcpy(t->imprint, ASN1_STRING_get0_data(msg), t->imprint_len);
  if (!parse_gentime(TS_TST_INFO_get_time(info), &t->gen_time, &t->gen_time_us)) {
    rc = nv_diag_set(d, NV_E_TSTINFO_PARSE, "invalid TSTInfo: malformed genTime");
    goto out;
  }
  /* Accuracy (notary-spec.md 10.3 step 4): seconds >= 0, millis and micros
   * 1..999 when present. An accuracy that is given is used as given (an
   * explicit zero is zero); one that is absent is 1 s under the baseline
   * time-stamp policy 0.4.0.2023.1.1, 0 otherwise. */
  TS_ACCURACY *acc = TS_TST_INFO_get_accuracy(info);
  const ASN1_INTEGER *as = acc ? TS_ACCURACY_get_seconds(acc) : NULL;
  const ASN1_INTEGER *am = acc ? TS_ACCURACY_get_millis(acc) : NULL;
  const ASN1_INTEGER *au = acc ? TS_ACCURACY_get_micros(acc) : NULL;
  if (as == NULL && am == NULL && au == NULL) {
    ASN1_OBJECT *pol = TS_TST_INFO_get_policy_id(info);
    char ptxt[80] = "";
    if (pol != NULL)
      OBJ_obj2txt(ptxt, sizeof(ptxt), pol, 1);
    t->accuracy_us = strcmp(ptxt, "0.4.0.2023.1.1") == 0 ? 1000000 : 0;
  } else {
    long s = 0, ms = 0, us = 0;
    bool ok = true;
    if (as != NULL) {
      int64_t v = 0;
      if (!ASN1_INTEGER_get_int64(&v, as) || v < 0 || v > 366L * 86400)
        ok = false;
      s = (long)v;
    }
    if (ok && am != NULL) {
      int64_t v = 0;
      if (!ASN1_INTEGER_get_int64(&v, am) || v < 1 || v > 999)
        ok = false;
      ms = (long)v;
    }
    if (ok && au != NULL) {
      int64_t v = 0;
      if (!ASN1_INTEGER_get_int64(&v, au) || v < 1 || v > 999)
        ok = false;
      us = (long)v;
    }
    if (!ok) {
      rc = nv_diag_set(d, NV_E_TSTINFO_ACCURACY_INVALID,
                       "invalid TSTInfo: accuracy out of range (seconds must not be negative, "
                       "millis and micros must be 1..999)");
      goto out;
    }
    t->accuracy_us = (int64_t)s * 1000000 + (int64_t)ms * 1000 + us;
  }
out:
  TS_TST_INFO_free(info);
  return rc;
}

nv_status nv_x509_tst_parse(const uint8_t *der_in, size_t len, nv_x509_tst *out, nv_diag *d)
{
  if (out == NULL || (der_in == NULL && len > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_tst_parse: invalid argument");
  nv_x509_tst_init(out);
  if (len == 0)
    return nv_diag_set(d, NV_E_TIMESTAMP_MISSING,
                       "no timestamp countersignature was found in the signature envelope");
  if (len > NV_X509_TST_MAX_BYTES)
    return nv_diag_set(d, NV_E_LIMIT, "the timestamp token has %zu bytes; at most %u are allowed",
                       len, NV_X509_TST_MAX_BYTES);
  nv_status rc = NV_OK;
  const unsigned char *p = der_in;
  unsigned char *re = NULL;
  STACK_OF(X509) *certs = NULL;
  CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
  if (cms == NULL || p != der_in + len) {
    rc = nv_diag_set(d, NV_E_TIMESTAMP_PARSE,
                     "cannot parse the timestamp token: malformed CMS ContentInfo");
    goto out;
  }
  if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
    rc = nv_diag_set(d, NV_E_TIMESTAMP_PARSE, "cms: content type is not signed-data");
    goto out;
  }
  int rl = i2d_CMS_ContentInfo(cms, &re);
  sd_shape shape;
  if (rl <= 0 || !walk_signed_data(re, (size_t)rl, &shape)) {
    rc = nv_diag_set(d, NV_E_TIMESTAMP_PARSE,
                     "cannot parse the timestamp token: malformed SignedData");
    goto out;
  }
  if (shape.version != 3) {
    rc = nv_diag_set(d, NV_E_TIMESTAMP_PARSE,
                     "cms: SignedData version %ld is not supported, expected 3", shape.version);
    goto out;
  }
  const ASN1_OBJECT *ect = CMS_get0_eContentType(cms);
  if (OBJ_obj2nid(ect) != NID_id_smime_ct_TSTInfo) {
    char name[80] = "?";
    OBJ_obj2txt(name, sizeof(name), ect, 1);
    rc = nv_diag_set(d, NV_E_TIMESTAMP_PARSE,
                     "unexpected content type: %s. Expected to be id-ct-TSTInfo "
                     "(1.2.840.113549.1.9.16.1.4)",
                     name);
    goto out;
  }
  if (!shape.certs_all_x509 || shape.certs > NV_X509_TST_MAX_CERTS) {
    rc = nv_diag_set(d, NV_E_TIMESTAMP_PARSE,
                     "cms: the token's certificates must be at most %d X.509 certificates",
                     NV_X509_TST_MAX_CERTS);
    goto out;
  }
  ASN1_OCTET_STRING **content = CMS_get0_content(cms);
  if (content == NULL || *content == NULL) {
    rc = nv_diag_set(d, NV_E_TIMESTAMP_PARSE, "cms: the token has no encapsulated TSTInfo");
    goto out;
  }
  certs = CMS_get1_certs(cms);
  for (int i = 0; certs != NULL && i < sk_X509_num(certs); i++) {
    X509 *c = sk_X509_value(certs, i);
    if (!X509_up_ref(c) || !list_push(&out->certs, c)) {
      rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
      goto out;
    }
  }
  STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
  int nsi = sis != NULL ? sk_CMS_SignerInfo_num(sis) : 0;
  out->signer_infos = (size_t)(nsi > 0 ? nsi : 0);
  if (nsi <= 0) {
    rc = nv_diag_set(d, NV_E_TIMESTAMP_NO_SIGNERINFO,
                     "failed to verify signed token: cms verification failure: no signer "
                     "information");
    goto out;
  }
  if (nsi > NV_X509_TST_MAX_SIGNERS) {
    rc = nv_diag_set(d, NV_E_LIMIT, "the timestamp token has %d SignerInfos; at most %d are "
                     "allowed", nsi, NV_X509_TST_MAX_SIGNERS);
    goto out;
  }
  if (!shape.signers_all_v1) {
    rc = nv_diag_set(d, NV_E_TIMESTAMP_SIGNERINFO_VERSION,
                     "failed to verify signed token: cms verification failure: SignerInfo "
                     "version must be 1 (issuerAndSerialNumber)");
    goto out;
  }
  /* The first SignerInfo that verifies wins; the first failure is kept. */
  nv_diag first;
  nv_diag_init(&first);
  rc = NV_E_TIMESTAMP_NO_SIGNERINFO;
  for (int i = 0; i < nsi; i++) {
    nv_diag sd;
    nv_diag_init(&sd);
    nv_status r = verify_signer(sk_CMS_SignerInfo_value(sis, i), *content, out, &sd);
    if (r == NV_OK) {
      rc = NV_OK;
      break;
    }
    if (i == 0) {
      first = sd;
      rc = r;
    }
  }
  if (rc != NV_OK) {
    rc = nv_diag_set(d, rc, "%s", first.msg);
    goto out;
  }
  rc = decode_tstinfo(*content, out, d);
out:
  OPENSSL_free(re);
  sk_X509_pop_free(certs, X509_free);
  CMS_ContentInfo_free(cms);
  ERR_clear_error();
  if (rc != NV_OK)
    nv_x509_tst_free(out);
  return rc;
}

nv_status nv_x509_tst_check_imprint(const nv_x509_tst *t, const uint8_t *msg, size_t len,
                                    nv_diag *d)
{
  const EVP_MD *md = t != NULL ? imprint_md(t->imprint_nid) : NULL;
  if (md == NULL || (msg == NULL && len > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_tst_check_imprint: invalid argument");
  unsigned char h[EVP_MAX_MD_SIZE];
  unsigned hl = 0;
  if (EVP_Digest(msg != NULL ? msg : (const uint8_t *)"", len, h, &hl, md, NULL) != 1)
    return nv_diag_set(d, NV_E_INTERNAL, "cannot hash the timestamped bytes");
  if (hl != t->imprint_len || memcmp(h, t->imprint, hl) != 0)
    return nv_diag_set(d, NV_E_TSTINFO_IMPRINT_MISMATCH, "invalid TSTInfo: mismatched message");
  return NV_OK;
}

/* A copy of `cert` decoded by d2i_X509 (the key inside OpenSSL's object,
 * for X509_verify_cert). */
static X509 *full_copy(X509 *cert)
{
  unsigned char *buf = NULL;
  int l = i2d_X509(cert, &buf);
  const unsigned char *p = buf;
  X509 *c = l > 0 ? d2i_X509(NULL, &p, l) : NULL;
  OPENSSL_free(buf);
  return c;
}

static bool untrusted_error(int err)
{
  return err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
         err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
         err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
         err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
         err == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE;
}

nv_status nv_x509_tst_verify_chain(const nv_x509_tst *t, X509 *const *roots, size_t nroots,
                                   int64_t at, nv_x509_list *chain_out, nv_diag *d)
{
  if (chain_out != NULL)
    nv_x509_list_init(chain_out);
  if (t == NULL || t->signer == NULL || (roots == NULL && nroots > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_tst_verify_chain: invalid argument");
  if (nroots == 0)
    return nv_diag_set(d, NV_E_TSA_NO_TRUSTED_CERTS,
                       "no trusted TSA certificate found in trust store");
  char q[300];
  /* The TSA leaf rules first: they give the precise EKU message. */
  nv_diag ld;
  nv_diag_init(&ld);
  nv_status rc = nv_x509_validate_leaf(t->signer, NV_X509_TIMESTAMPING, &ld);
  if (rc != NV_OK)
    return nv_diag_set(d, rc == NV_E_CERT_EKU_INVALID ? NV_E_TSA_EKU_INVALID
                                                      : NV_E_TSA_CHAIN_INVALID,
                       "%s", ld.msg);
  X509_STORE *store = X509_STORE_new();
  X509_STORE_CTX *ctx = X509_STORE_CTX_new();
  STACK_OF(X509) *untrusted = sk_X509_new_null();
  STACK_OF(X509) *built = NULL;
  X509 *leaf = full_copy(t->signer);
  if (store == NULL || ctx == NULL || untrusted == NULL || leaf == NULL) {
    rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
    goto out;
  }
  for (size_t i = 0; i < nroots; i++) {
    X509 *r = full_copy(roots[i]);
    if (r == NULL || !X509_STORE_add_cert(store, r)) {
      X509_free(r);
      rc = nv_diag_set(d, NV_E_NOMEM, "cannot load the TSA trust store certificates");
      goto out;
    }
    X509_free(r);
  }
  for (size_t i = 0; i < t->certs.count; i++) {
    X509 *c = full_copy(t->certs.items[i]);
    if (c == NULL || !sk_X509_push(untrusted, c)) {
      X509_free(c);
      rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
      goto out;
    }
  }
  if (!X509_STORE_CTX_init(ctx, store, leaf, untrusted)) {
    rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
    goto out;
  }
  X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_TIMESTAMP_SIGN);
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)at);
  if (X509_verify_cert(ctx) != 1) {
    int err = X509_STORE_CTX_get_error(ctx);
    nv_x509_subject(t->signer, q, sizeof(q));
    rc = nv_diag_set(d, untrusted_error(err) ? NV_E_TSA_CHAIN_UNTRUSTED
                        : err == X509_V_ERR_INVALID_PURPOSE ? NV_E_TSA_EKU_INVALID
                                                            : NV_E_TSA_CHAIN_INVALID,
                     "failed to verify signed token: the TSA certificate chain of \"%s\" %s: %s",
                     q, untrusted_error(err) ? "does not lead to a trusted TSA root" : "is invalid",
                     X509_verify_cert_error_string(err));
    goto out;
  }
  built = X509_STORE_CTX_get1_chain(ctx);
  size_t n = built != NULL ? (size_t)sk_X509_num(built) : 0;
  X509 **items = n > 0 ? calloc(n, sizeof(*items)) : NULL;
  if (items == NULL) {
    rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
    goto out;
  }
  for (size_t i = 0; i < n; i++)
    items[i] = sk_X509_value(built, (int)i);
  nv_diag_init(&ld);
  rc = nv_x509_validate_chain(items, n, NV_X509_TIMESTAMPING, &ld);
  if (rc != NV_OK)
    rc = nv_diag_set(d, rc == NV_E_CERT_EKU_INVALID ? NV_E_TSA_EKU_INVALID : NV_E_TSA_CHAIN_INVALID,
                     "%s", ld.msg);
  if (rc == NV_OK && t->has_signing_time) {
    nv_diag_init(&ld);
    if (nv_x509_check_valid_at(items, n, t->signing_time, "the token's signing time",
                               NV_E_TIMESTAMP_SIGNED_ATTRS, NV_E_TIMESTAMP_SIGNED_ATTRS,
                               &ld) != NV_OK)
      rc = nv_diag_set(d, NV_E_TIMESTAMP_SIGNED_ATTRS,
                       "failed to verify signed token: signing time attribute: %s", ld.msg);
  }
  if (rc == NV_OK && chain_out != NULL) {
    for (size_t i = 0; i < n; i++) {
      if (!X509_up_ref(items[i]) || !list_push(chain_out, items[i])) {
        rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
        nv_x509_list_free(chain_out);
        break;
      }
    }
  }
  free(items);
out:
  sk_X509_pop_free(built, X509_free);
  sk_X509_pop_free(untrusted, X509_free);
  X509_free(leaf);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  ERR_clear_error();
  return rc;
}

int64_t nv_x509_tst_lower_us(const nv_x509_tst *t)
{
  return t->gen_time * 1000000 + t->gen_time_us - t->accuracy_us;
}

int64_t nv_x509_tst_upper_us(const nv_x509_tst *t)
{
  return t->gen_time * 1000000 + t->gen_time_us + t->accuracy_us;
}

static void fmt_us(int64_t us, char *buf, size_t size)
{
  int64_t s = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
  int64_t frac = us - s * 1000000;
  int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
  int64_t rem = s - days * 86400;
  /* civil_from_days */
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t dd = doy - (153 * mp + 2) / 5 + 1;
  int64_t mm = mp + (mp < 10 ? 3 : -9);
  y += mm <= 2;
  if (frac != 0)
    snprintf(buf, size, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%06lldZ", (long long)y,
             (long long)mm, (long long)dd, (long long)(rem / 3600), (long long)(rem / 60 % 60),
             (long long)(rem % 60), (long long)frac);
  else
    snprintf(buf, size, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y,
             (long long)mm, (long long)dd, (long long)(rem / 3600), (long long)(rem / 60 % 60),
             (long long)(rem % 60));
}

nv_status nv_x509_tst_check_window(const nv_x509_tst *t, X509 *const *chain, size_t count,
                                   nv_diag *d)
{
  int64_t lo = nv_x509_tst_lower_us(t), hi = nv_x509_tst_upper_us(t);
  char lo_s[96], hi_s[96], nb_s[96], na_s[96], q[300];
  for (size_t i = 0; i < count; i++) {
    int64_t nb = 0, na = 0;
    nv_status rc = nv_x509_validity(chain[i], &nb, &na, d);
    if (rc != NV_OK)
      return rc;
    fmt_us(lo, lo_s, sizeof(lo_s));
    fmt_us(hi, hi_s, sizeof(hi_s));
    fmt_us(nb * 1000000, nb_s, sizeof(nb_s));
    fmt_us(na * 1000000, na_s, sizeof(na_s));
    if (lo < nb * 1000000)
      return nv_diag_set(d, NV_E_TIMESTAMP_BEFORE_CERT_VALIDITY,
                         "timestamp can be before certificate \"%s\" validity period, it will "
                         "be valid from \"%s\" (timestamp range [%s, %s])",
                         nv_x509_subject(chain[i], q, sizeof(q)), nb_s, lo_s, hi_s);
    if (hi > na * 1000000)
      return nv_diag_set(d, NV_E_TIMESTAMP_AFTER_CERT_VALIDITY,
                         "timestamp can be after certificate \"%s\" validity period, it was "
                         "expired at \"%s\" (timestamp range [%s, %s])",
                         nv_x509_subject(chain[i], q, sizeof(q)), na_s, lo_s, hi_s);
  }
  return NV_OK;
}
