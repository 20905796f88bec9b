/*
 * Revocation judgements of nv_x509_revocation.h on CRLs made by
 * `openssl ca -gencrl` (data/revocation/gen.sh): parsing and its size
 * limit, the issuer's signature and cRLSign, freshness, unknown critical
 * extensions, scope, delta CRLs, hold / removeFromCRL, the invalidity
 * date against the signing time; the URL lists of a certificate; OCSP
 * requests and responses made by `openssl ocsp` (status, issuer or
 * delegated responder, CertID match, freshness, size limit).
 * "now" is taken from the base CRL's thisUpdate, so the data does not age.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"
#include "test_pem.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_limits.h"
#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_revocation.h"
#include "x509/nv_x509_revocation_info.h"

#define DATA(name) NV_TEST_DATA "/revocation/" name

static nv_x509_crl *load_crl(const char *path)
{
  nv_buf b = slurp_buf(path, NV_LIMIT_CRL_BYTES);
  nv_x509_crl *crl = NULL;
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_x509_crl_parse(b.data, b.len, &crl, &d);
  if (rc != NV_OK)
    fail_msg("%s: %s", path, d.msg);
  nv_buf_free(&b);
  return crl;
}

typedef struct fx {
  X509 *ca;
  nv_x509_crl *base;
  nv_x509_crl *delta;
  int64_t now;
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof(*f));
  f->ca = load_cert_file(DATA("ca.crt"));
  f->base = load_crl(DATA("base.crl"));
  f->delta = load_crl(DATA("delta.crl"));
  nv_x509_crl_info info;
  nv_x509_crl_get_info(f->base, &info);
  f->now = info.this_update + 60;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  X509_free(f->ca);
  nv_x509_crl_free(f->base);
  nv_x509_crl_free(f->delta);
  free(f);
  return 0;
}

static nv_status check(fx *f, const char *cert_file, bool with_delta, int64_t signing_time,
                       nv_diag *d)
{
  X509 *cert = load_cert_file(cert_file);
  nv_diag_init(d);
  nv_status rc = nv_x509_crl_check_cert(f->base, with_delta ? f->delta : NULL, cert,
                                        signing_time, d);
  X509_free(cert);
  return rc;
}

static void test_parse_info(void **state)
{
  fx *f = *state;
  nv_x509_crl_info b, dl;
  nv_x509_crl_get_info(f->base, &b);
  nv_x509_crl_get_info(f->delta, &dl);
  assert_int_equal(b.crl_number, 1);
  assert_int_equal(b.delta_indicator, -1);
  assert_int_equal(b.revoked, 4);
  assert_true(b.has_next_update);
  assert_true(b.next_update > b.this_update);
  assert_int_equal(dl.crl_number, 2);
  assert_int_equal(dl.delta_indicator, 1);
  nv_x509_urls u;
  assert_int_equal(nv_x509_crl_freshest_urls(f->base, &u, NULL), NV_OK);
  assert_int_equal(u.count, 1);
  assert_string_equal(u.items[0], "http://127.0.0.1:1/delta.crl");
  nv_x509_urls_free(&u);
}

static void test_parse_rejects(void **state)
{
  (void)state;
  nv_x509_crl *crl = (nv_x509_crl *)1;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_x509_crl_parse((const uint8_t *)"", 0, &crl, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_null(crl);
  static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};
  assert_int_equal(nv_x509_crl_parse(junk, sizeof(junk), &crl, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  /* The limit is checked before the bytes are looked at. */
  assert_int_equal(nv_x509_crl_parse(junk, NV_LIMIT_CRL_BYTES + 1, &crl, &d), NV_E_LIMIT);
  /* exactly 32 MiB is too large too (notary-spec.md 11.3) */
  assert_int_equal(nv_x509_crl_parse(junk, NV_LIMIT_CRL_BYTES, &crl, &d), NV_E_LIMIT);
  assert_int_equal(nv_x509_crl_check_signature(junk, NV_LIMIT_CRL_BYTES, NULL, &d), NV_E_LIMIT);
  /* Trailing bytes. */
  nv_buf b = slurp_buf(DATA("base.crl"), NV_LIMIT_CRL_BYTES);
  assert_int_equal(nv_buf_append_byte(&b, 0, NULL), NV_OK);
  assert_int_equal(nv_x509_crl_parse(b.data, b.len, &crl, &d), NV_E_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(d.msg, "follow"));
  /* Every truncation fails cleanly. */
  for (size_t n = 0; n + 1 < b.len; n += 7) {
    assert_int_not_equal(nv_x509_crl_parse(b.data, n, &crl, &d), NV_OK);
    assert_null(crl);
  }
  nv_buf_free(&b);
}

static void test_validate(void **state)
{
  fx *f = *state;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_x509_crl_validate(f->base, f->ca, f->now, false, &d), NV_OK);
  assert_int_equal(nv_x509_crl_validate(f->delta, f->ca, f->now, true, &d), NV_OK);
  assert_int_equal(nv_x509_crl_check_delta(f->base, f->delta, &d), NV_OK);
  /* base and delta swapped */
  assert_int_equal(nv_x509_crl_validate(f->base, f->ca, f->now, true, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_int_equal(nv_x509_crl_validate(f->delta, f->ca, f->now, false, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_int_equal(nv_x509_crl_check_delta(f->delta, f->base, &d), NV_E_REVOCATION_CHECK_ERROR);
  /* before thisUpdate, after nextUpdate */
  nv_x509_crl_info info;
  nv_x509_crl_get_info(f->base, &info);
  assert_int_equal(nv_x509_crl_validate(f->base, f->ca, info.this_update - 1, false, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_int_equal(nv_x509_crl_validate(f->base, f->ca, info.next_update, false, &d), NV_OK);
  assert_int_equal(nv_x509_crl_validate(f->base, f->ca, info.next_update + 1, false, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(d.msg, "expired"));
}

static void expect_invalid(fx *f, const char *crl_file, X509 *issuer, int64_t now,
                           const char *words)
{
  nv_x509_crl *crl = load_crl(crl_file);
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_x509_crl_validate(crl, issuer ? issuer : f->ca, now ? now : f->now, false,
                                        &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  if (strstr(d.msg, words) == NULL)
    fail_msg("%s: \"%s\" lacks \"%s\"", crl_file, d.msg, words);
  nv_x509_crl_free(crl);
}

/* nv_x509_crl_revalidate, for a CRL kept after its issuer's key verified
 * it: everything but the signature. */
static void test_revalidate(void **state)
{
  fx *f = *state;
  nv_diag d;
  nv_diag_init(&d);
  nv_x509_crl *wrong = load_crl(DATA("wrong-key.crl"));
  assert_int_equal(nv_x509_crl_validate(wrong, f->ca, f->now, false, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_int_equal(nv_x509_crl_revalidate(wrong, f->ca, f->now, false, &d), NV_OK);
  nv_x509_crl_free(wrong);
  nv_x509_crl_info info;
  nv_x509_crl_get_info(f->base, &info);
  assert_int_equal(nv_x509_crl_revalidate(f->base, f->ca, info.next_update + 1, false, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(d.msg, "expired"));
  assert_int_equal(nv_x509_crl_revalidate(f->delta, f->ca, f->now, false, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  /* a shared handle reads the same CRL and is freed on its own */
  nv_x509_crl *again = nv_x509_crl_share(f->base);
  assert_non_null(again);
  X509 *good = load_cert_file(DATA("good.crt"));
  assert_int_equal(nv_x509_crl_check_cert(again, NULL, good, 0, &d), NV_OK);
  X509_free(good);
  X509 *revoked = load_cert_file(DATA("revoked.crt"));
  assert_int_equal(nv_x509_crl_check_cert(again, NULL, revoked, 0, &d), NV_E_CERT_REVOKED);
  X509_free(revoked);
  nv_x509_crl_free(again);
}

static void test_validate_rejects(void **state)
{
  fx *f = *state;
  expect_invalid(f, DATA("wrong-key.crl"), NULL, 0, "signature");
  expect_invalid(f, DATA("unknown-critical.crl"), NULL, 0, "1.2.3.4");
  nv_x509_crl *exp = load_crl(DATA("expired.crl"));
  nv_x509_crl_info info;
  nv_x509_crl_get_info(exp, &info);
  nv_x509_crl_free(exp);
  expect_invalid(f, DATA("expired.crl"), NULL, info.next_update + 1, "expired");
  /* The right key, but the issuer may not sign CRLs. */
  X509 *nocrl = load_cert_file(DATA("nocrlsign-ca.crt"));
  expect_invalid(f, DATA("nocrlsign.crl"), nocrl, 0, "cRLSign");
  X509_free(nocrl);
  /* Another issuer name. */
  X509 *leaf = load_cert_file(DATA("good.crt"));
  expect_invalid(f, DATA("base.crl"), leaf, 0, "issuer names differ");
  X509_free(leaf);
  /* A delta that needs a later base. */
  nv_x509_crl *late = load_crl(DATA("delta-needs-later.crl"));
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_x509_crl_validate(late, f->ca, f->now, true, &d), NV_OK);
  assert_int_equal(nv_x509_crl_check_delta(f->base, late, &d), NV_E_REVOCATION_CHECK_ERROR);
  nv_x509_crl_free(late);
}

static void test_lookup(void **state)
{
  fx *f = *state;
  nv_diag d;
  assert_int_equal(check(f, DATA("good.crt"), false, 0, &d), NV_OK);
  assert_int_equal(check(f, DATA("good.crt"), true, 0, &d), NV_OK);
  assert_int_equal(check(f, DATA("revoked.crt"), false, 0, &d), NV_E_CERT_REVOKED);
  assert_non_null(strstr(d.msg, "keyCompromise"));
  assert_non_null(strstr(d.msg, "Revoked Leaf"));
  assert_int_equal(check(f, DATA("revoked.crt"), true, 0, &d), NV_E_CERT_REVOKED);
  /* certificateHold revokes; the delta's removeFromCRL lifts it */
  assert_int_equal(check(f, DATA("hold.crt"), false, 0, &d), NV_E_CERT_REVOKED);
  assert_non_null(strstr(d.msg, "hold"));
  assert_int_equal(check(f, DATA("hold.crt"), true, 0, &d), NV_E_CERT_REVOKED);
  assert_int_equal(check(f, DATA("unhold.crt"), false, 0, &d), NV_E_CERT_REVOKED);
  assert_int_equal(check(f, DATA("unhold.crt"), true, 0, &d), NV_OK);
}

static void test_invalidity_date(void **state)
{
  fx *f = *state;
  nv_diag d;
  /* invalid since 2026-01-01T00:00:00Z = 1767225600 */
  assert_int_equal(check(f, DATA("compromised.crt"), false, 0, &d), NV_E_CERT_REVOKED);
  assert_int_equal(check(f, DATA("compromised.crt"), false, 1767225599, &d), NV_OK);
  assert_int_equal(check(f, DATA("compromised.crt"), false, 1767225600, &d), NV_E_CERT_REVOKED);
  assert_int_equal(check(f, DATA("compromised.crt"), true, 1767225599, &d), NV_OK);
}

static void test_scope_and_issuer(void **state)
{
  fx *f = *state;
  nv_x509_crl *onlyca = load_crl(DATA("onlyca.crl"));
  X509 *leaf = load_cert_file(DATA("good.crt"));
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_x509_crl_validate(onlyca, f->ca, f->now, false, &d), NV_OK);
  assert_int_equal(nv_x509_crl_check_cert(onlyca, NULL, leaf, 0, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(d.msg, "only CA"));
  /* A certificate of the same issuer name that is not listed is good. */
  X509 *evil_leaf = load_cert_file(DATA("evil-ca.crt"));
  assert_int_equal(nv_x509_crl_check_cert(f->base, NULL, evil_leaf, 0, &d), NV_OK);
  X509_free(evil_leaf);
  nv_x509_crl_free(onlyca);
  X509_free(leaf);
}

/* The data of gen_idp.sh, under a CA of its own: the leaf names the
 * points idp-a and idp-b, the OCSP-only leaf no point (both revoked in
 * every CRL); idp-match.crl's point is idp-b, idp-other.crl's another;
 * idp-delta.crl is a delta of idp-full.crl, idp-evil-delta.crl the same
 * by another key under the CA's name. */
typedef struct idp_fx {
  X509 *ca, *leaf, *ocsponly;
  nv_x509_crl *full, *match, *other, *delta, *evil_delta;
} idp_fx;

static int setup_idp(void **state)
{
  idp_fx *f = calloc(1, sizeof(*f));
  f->ca = load_cert_file(DATA("idp-ca.crt"));
  f->leaf = load_cert_file(DATA("idp-leaf.crt"));
  f->ocsponly = load_cert_file(DATA("idp-ocsponly.crt"));
  f->full = load_crl(DATA("idp-full.crl"));
  f->match = load_crl(DATA("idp-match.crl"));
  f->other = load_crl(DATA("idp-other.crl"));
  f->delta = load_crl(DATA("idp-delta.crl"));
  f->evil_delta = load_crl(DATA("idp-evil-delta.crl"));
  *state = f;
  return 0;
}

static int teardown_idp(void **state)
{
  idp_fx *f = *state;
  nv_x509_crl *crls[] = {f->full, f->match, f->other, f->delta, f->evil_delta};
  for (size_t i = 0; i < sizeof(crls) / sizeof(crls[0]); i++)
    nv_x509_crl_free(crls[i]);
  X509_free(f->ocsponly);
  X509_free(f->leaf);
  X509_free(f->ca);
  free(f);
  return 0;
}

/* An issuing distribution point with a name covers only certificates
 * naming that point. */
static void test_scope_distribution_point(void **state)
{
  idp_fx *f = *state;
  nv_x509_crl_info info;
  nv_x509_crl_get_info(f->full, &info);
  nv_diag d;
  nv_diag_init(&d);
  nv_x509_crl *all[] = {f->full, f->match, f->other};
  for (size_t i = 0; i < 3; i++)
    assert_int_equal(nv_x509_crl_validate(all[i], f->ca, info.this_update + 60, false, &d),
                     NV_OK);
  /* no point named: every certificate of the issuer */
  assert_int_equal(nv_x509_crl_covers(f->full, f->leaf, &d), NV_OK);
  assert_int_equal(nv_x509_crl_covers(f->full, f->ocsponly, &d), NV_OK);
  assert_int_equal(nv_x509_crl_check_cert(f->full, NULL, f->ocsponly, 0, &d), NV_E_CERT_REVOKED);
  /* the leaf's second point */
  assert_int_equal(nv_x509_crl_covers(f->match, f->leaf, &d), NV_OK);
  assert_int_equal(nv_x509_crl_check_cert(f->match, NULL, f->leaf, 0, &d), NV_E_CERT_REVOKED);
  /* a point the certificate does not name, or no point at all */
  assert_int_equal(nv_x509_crl_covers(f->other, f->leaf, &d), NV_E_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(d.msg, "does not name"));
  assert_int_equal(nv_x509_crl_check_cert(f->other, NULL, f->leaf, 0, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_int_equal(nv_x509_crl_covers(f->match, f->ocsponly, &d), NV_E_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(d.msg, "does not name"));
  /* as a delta's scope too */
  assert_int_equal(nv_x509_crl_check_cert(f->full, f->other, f->leaf, 0, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
}

/* A delta CRL must have its base's scope and authority key. */
static void test_delta_scope_and_key(void **state)
{
  idp_fx *f = *state;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_x509_crl_check_delta(f->full, f->delta, &d), NV_OK);
  assert_int_equal(nv_x509_crl_check_delta(f->full, f->evil_delta, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(d.msg, "authority key"));
  assert_int_equal(nv_x509_crl_check_delta(f->match, f->delta, &d), NV_E_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(d.msg, "scope"));
}

static void test_urls(void **state)
{
  (void)state;
  X509 *leaf = load_cert_file(DATA("good.crt"));
  nv_x509_urls u;
  assert_int_equal(nv_x509_crl_urls(leaf, &u, NULL), NV_OK);
  assert_int_equal(u.count, 2);
  assert_string_equal(u.items[0], "http://127.0.0.1:1/ca.crl");
  assert_string_equal(u.items[1], "http://127.0.0.1:1/ca2.crl");
  nv_x509_urls_free(&u);
  assert_int_equal(nv_x509_ocsp_urls(leaf, &u, NULL), NV_OK);
  assert_int_equal(u.count, 1);
  assert_string_equal(u.items[0], "http://127.0.0.1:1/ocsp");
  nv_x509_urls_free(&u);
  assert_int_equal(nv_x509_freshest_crl_urls(leaf, &u, NULL), NV_OK);
  assert_int_equal(u.count, 1);
  nv_x509_urls_free(&u);
  X509_free(leaf);
  X509 *none = load_cert_file(DATA("nourl.crt"));
  assert_int_equal(nv_x509_crl_urls(none, &u, NULL), NV_OK);
  assert_int_equal(u.count, 0);
  assert_false(u.unusable);
  assert_int_equal(nv_x509_ocsp_urls(none, &u, NULL), NV_OK);
  assert_int_equal(u.count, 0);
  assert_false(u.unusable);
  X509_free(none);
  /* a distribution point named by a directory name: there, but unusable */
  X509 *dir = load_cert_file(DATA("idp-dirdp.crt"));
  assert_int_equal(nv_x509_crl_urls(dir, &u, NULL), NV_OK);
  assert_int_equal(u.count, 0);
  assert_true(u.unusable);
  bool o = true, c = false;
  assert_true(nv_x509_revocation_urls(dir, &o, &c));
  assert_false(o);
  assert_true(c);
  X509_free(dir);
}

/* A CRL made here with OpenSSL's own API (not our code): a CA of `key`
 * and one entry for `serial` whose reasonCode is `code` (any INTEGER
 * value, which openssl ca cannot write), signed with `md` (NULL: RSASSA-PSS
 * with SHA-256). DER into *der. */
static X509 *crl_signed(EVP_PKEY *key, const EVP_MD *md, const ASN1_INTEGER *serial,
                        int64_t code, nv_buf *der)
{
  X509 *ca = X509_new();
  X509_NAME *name = X509_NAME_new();
  assert_non_null(key);
  assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                              (const unsigned char *)"Reason CA", -1, -1, 0),
                   1);
  X509_set_version(ca, 2);
  X509_set_subject_name(ca, name);
  X509_set_issuer_name(ca, name);
  X509_set_pubkey(ca, key);
  X509_gmtime_adj(X509_getm_notBefore(ca), -3600);
  X509_gmtime_adj(X509_getm_notAfter(ca), 3600);
  assert_true(X509_sign(ca, key, EVP_sha256()) > 0);
  X509_CRL *crl = X509_CRL_new();
  X509_CRL_set_version(crl, 1);
  X509_CRL_set_issuer_name(crl, name);
  ASN1_TIME *t = X509_gmtime_adj(NULL, -60);
  X509_CRL_set1_lastUpdate(crl, t);
  X509_gmtime_adj(t, 3600);
  X509_CRL_set1_nextUpdate(crl, t);
  ASN1_TIME_free(t);
  X509_REVOKED *r = X509_REVOKED_new();
  ASN1_INTEGER *sn = ASN1_INTEGER_dup(serial);
  X509_REVOKED_set_serialNumber(r, sn);
  ASN1_INTEGER_free(sn);
  ASN1_TIME *when = X509_gmtime_adj(NULL, -120);
  X509_REVOKED_set_revocationDate(r, when);
  ASN1_TIME_free(when);
  ASN1_ENUMERATED *e = ASN1_ENUMERATED_new();
  assert_int_equal(ASN1_ENUMERATED_set_int64(e, code), 1);
  assert_int_equal(X509_REVOKED_add1_ext_i2d(r, NID_crl_reason, e, 0, 0), 1);
  ASN1_ENUMERATED_free(e);
  X509_CRL_add0_revoked(crl, r);
  if (md != NULL) {
    assert_true(X509_CRL_sign(crl, key, md) > 0);
  } else { /* RSASSA-PSS with SHA-256, salt = hash length */
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    assert_int_equal(EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), NULL, key), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()), 1);
    assert_true(X509_CRL_sign_ctx(crl, ctx) > 0);
    EVP_MD_CTX_free(ctx);
  }
  unsigned char *p = NULL;
  int n = i2d_X509_CRL(crl, &p);
  assert_true(n > 0);
  nv_buf_init(der, NV_LIMIT_CRL_BYTES);
  assert_int_equal(nv_buf_append(der, p, (size_t)n, NULL), NV_OK);
  OPENSSL_free(p);
  X509_CRL_free(crl);
  X509_NAME_free(name);
  return ca;
}

/* Reason codes RFC 5280 does not define revoke for good; only
 * certificateHold and removeFromCRL are temporary, whatever the width of
 * the INTEGER that says so. */
static void test_reason_codes(void **state)
{
  (void)state;
  X509 *leaf = load_cert_file(DATA("good.crt"));
  X509 *leaf_as_child = X509_dup(leaf);
  static const struct {
    int64_t code;
    nv_status want;
  } cases[] = {
    {1, NV_E_CERT_REVOKED},           /* keyCompromise */
    {8, NV_OK},                       /* removeFromCRL, nothing on hold */
    {6, NV_E_CERT_REVOKED},           /* certificateHold */
    {7, NV_E_CERT_REVOKED},           /* not defined */
    {11, NV_E_CERT_REVOKED},          /* not defined */
    {((int64_t)1 << 32) | 8, NV_E_CERT_REVOKED}, /* 8 in the low bits only */
  };
  EVP_PKEY *key = EVP_EC_gen("P-256");
  assert_non_null(key);
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    nv_buf der;
    X509 *ca = crl_signed(key, EVP_sha256(), X509_get0_serialNumber(leaf), cases[i].code, &der);
    nv_x509_crl *crl = NULL;
    nv_diag d;
    nv_diag_init(&d);
    assert_int_equal(nv_x509_crl_parse(der.data, der.len, &crl, &d), NV_OK);
    nv_x509_crl_info info;
    nv_x509_crl_get_info(crl, &info);
    assert_int_equal(nv_x509_crl_validate(crl, ca, info.this_update + 1, false, &d), NV_OK);
    /* the leaf as if the CA had issued it */
    assert_int_equal(X509_set_issuer_name(leaf_as_child, X509_get_subject_name(ca)), 1);
    nv_status rc = nv_x509_crl_check_cert(crl, NULL, leaf_as_child, 0, &d);
    if (rc != cases[i].want)
      fail_msg("reason code %lld: %s (%s)", (long long)cases[i].code, nv_status_name(rc), d.msg);
    nv_x509_crl_free(crl);
    nv_buf_free(&der);
    X509_free(ca);
  }
  EVP_PKEY_free(key);
  X509_free(leaf_as_child);
  X509_free(leaf);
}

/* The CRL's signature checked before its entries are decoded: the
 * openssl ca CRLs verify with their CA's key, not with another; a
 * flipped signature bit, a cut, trailing bytes or an indefinite length
 * are refused. */
static void test_signature_before_parse(void **state)
{
  fx *f = *state;
  nv_diag d;
  nv_diag_init(&d);
  nv_buf b = slurp_buf(DATA("base.crl"), NV_LIMIT_CRL_BYTES);
  assert_int_equal(nv_x509_crl_check_signature(b.data, b.len, f->ca, &d), NV_OK);
  X509 *evil = load_cert_file(DATA("evil-ca.crt"));
  assert_int_equal(nv_x509_crl_check_signature(b.data, b.len, evil, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(d.msg, "does not verify"));
  X509_free(evil);
  b.data[b.len - 3] ^= 0x01; /* inside the signature value */
  assert_int_equal(nv_x509_crl_check_signature(b.data, b.len, f->ca, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  b.data[b.len - 3] ^= 0x01;
  assert_int_equal(nv_x509_crl_check_signature(b.data, b.len - 1, f->ca, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(d.msg, "not a DER CertificateList"));
  assert_int_equal(nv_buf_append(&b, (const uint8_t *)"\0", 1, NULL), NV_OK);
  assert_int_equal(nv_x509_crl_check_signature(b.data, b.len, f->ca, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  static const uint8_t indefinite[] = {0x30, 0x80, 0x30, 0x00, 0x00, 0x00};
  assert_int_equal(nv_x509_crl_check_signature(indefinite, sizeof(indefinite), f->ca, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_int_equal(nv_x509_crl_check_signature(b.data, 0, f->ca, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  nv_buf_free(&b);
}

/* An OCSP response "good" for `cert`, made here with OpenSSL's API and
 * signed by `ca` (key `key`) with `md`; DER into *der. */
static void ocsp_signed(X509 *cert, X509 *ca, EVP_PKEY *key, const EVP_MD *md, nv_buf *der)
{
  OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
  OCSP_CERTID *id = OCSP_cert_to_id(EVP_sha1(), cert, ca);
  ASN1_TIME *this_upd = X509_gmtime_adj(NULL, -60);
  ASN1_TIME *next_upd = X509_gmtime_adj(NULL, 3600);
  assert_non_null(OCSP_basic_add1_status(bs, id, V_OCSP_CERTSTATUS_GOOD, 0, NULL, this_upd,
                                         next_upd));
  assert_int_equal(OCSP_basic_sign(bs, ca, key, md, NULL, 0), 1);
  OCSP_RESPONSE *resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
  unsigned char *p = NULL;
  int n = i2d_OCSP_RESPONSE(resp, &p);
  assert_true(n > 0);
  nv_buf_init(der, NV_LIMIT_OCSP_RESPONSE_BYTES);
  assert_int_equal(nv_buf_append(der, p, (size_t)n, NULL), NV_OK);
  OPENSSL_free(p);
  OCSP_RESPONSE_free(resp);
  OCSP_BASICRESP_free(bs);
  OCSP_CERTID_free(id);
  ASN1_TIME_free(this_upd);
  ASN1_TIME_free(next_upd);
}

/* CRLs and OCSP responses signed with a weak algorithm are not believed
 * (MD5 with RSA); SHA-1 and SHA-2 with RSA are, as in Go's
 * CheckSignature. */
static void test_signature_algorithms(void **state)
{
  (void)state;
  X509 *leaf = load_cert_file(DATA("good.crt"));
  EVP_PKEY *key = EVP_RSA_gen(2048);
  assert_non_null(key);
  const struct {
    const EVP_MD *md;
    nv_status want;
  } cases[] = {{EVP_md5(), NV_E_REVOCATION_CHECK_ERROR},
               {EVP_sha1(), NV_OK},
               {EVP_sha256(), NV_OK},
               {NULL, NV_OK}};
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    nv_buf der;
    X509 *ca = crl_signed(key, cases[i].md, X509_get0_serialNumber(leaf), 1, &der);
    nv_x509_crl *crl = NULL;
    nv_diag d;
    nv_diag_init(&d);
    assert_int_equal(nv_x509_crl_parse(der.data, der.len, &crl, &d), NV_OK);
    nv_x509_crl_info info;
    nv_x509_crl_get_info(crl, &info);
    nv_status rc = nv_x509_crl_validate(crl, ca, info.this_update + 1, false, &d);
    if (rc != cases[i].want)
      fail_msg("case %zu: %s (%s)", i, nv_status_name(rc), d.msg);
    /* the check without decoding the entries agrees */
    assert_int_equal(nv_x509_crl_check_signature(der.data, der.len, ca, &d), rc);
    if (rc != NV_OK)
      assert_non_null(strstr(d.msg, "md5WithRSAEncryption"));
    if (cases[i].md == NULL) { /* PSS: the CRL only */
      nv_x509_crl_free(crl);
      nv_buf_free(&der);
      X509_free(ca);
      continue;
    }
    nv_buf ocsp_der;
    ocsp_signed(leaf, ca, key, cases[i].md, &ocsp_der);
    rc = nv_x509_ocsp_check_response(ocsp_der.data, ocsp_der.len, leaf, ca,
                                     info.this_update + 1, 0, &d);
    if (rc != cases[i].want)
      fail_msg("OCSP case %zu: %s (%s)", i, nv_status_name(rc), d.msg);
    nv_buf_free(&ocsp_der);
    nv_x509_crl_free(crl);
    nv_buf_free(&der);
    X509_free(ca);
  }
  EVP_PKEY_free(key);
  X509_free(leaf);
}

/* ---- OCSP (responses made by openssl ocsp -respout) ---- */

static nv_status ocsp(fx *f, const char *resp_file, const char *cert_file, int64_t now,
                      int64_t signing_time, nv_diag *d)
{
  nv_buf b = slurp_buf(resp_file, NV_LIMIT_CRL_BYTES);
  X509 *cert = load_cert_file(cert_file);
  nv_diag_init(d);
  nv_status rc = nv_x509_ocsp_check_response(b.data, b.len, cert, f->ca, now ? now : f->now,
                                             signing_time, d);
  X509_free(cert);
  nv_buf_free(&b);
  return rc;
}

static void expect_ocsp(fx *f, const char *resp_file, const char *cert_file, nv_status want,
                        const char *words)
{
  nv_diag d;
  nv_status rc = ocsp(f, resp_file, cert_file, 0, 0, &d);
  if (rc != want || (words != NULL && strstr(d.msg, words) == NULL))
    fail_msg("%s: %d \"%s\", wanted %d with \"%s\"", resp_file, rc, d.msg, want,
             words ? words : "");
}

static void test_ocsp_status(void **state)
{
  fx *f = *state;
  expect_ocsp(f, DATA("ocsp-good.ocsp"), DATA("good.crt"), NV_OK, NULL);
  expect_ocsp(f, DATA("ocsp-nocerts.ocsp"), DATA("good.crt"), NV_OK, NULL);
  expect_ocsp(f, DATA("ocsp-idonly.ocsp"), DATA("good.crt"), NV_OK, NULL);
  expect_ocsp(f, DATA("ocsp-revoked.ocsp"), DATA("revoked.crt"), NV_E_CERT_REVOKED,
              "keyCompromise");
  expect_ocsp(f, DATA("ocsp-unknown.ocsp"), DATA("stranger.crt"), NV_E_REVOCATION_UNKNOWN,
              NULL);
}

static void test_ocsp_responder(void **state)
{
  fx *f = *state;
  expect_ocsp(f, DATA("ocsp-delegated.ocsp"), DATA("good.crt"), NV_OK, NULL);
  expect_ocsp(f, DATA("ocsp-noeku.ocsp"), DATA("good.crt"), NV_E_REVOCATION_CHECK_ERROR,
              "OCSPSigning");
  expect_ocsp(f, DATA("ocsp-wrongkey.ocsp"), DATA("good.crt"), NV_E_REVOCATION_CHECK_ERROR,
              NULL);
  /* an answer about another certificate */
  expect_ocsp(f, DATA("ocsp-other-cert.ocsp"), DATA("good.crt"), NV_E_REVOCATION_CHECK_ERROR,
              "does not answer");
  /* the right serial under another issuer: the issuer hashes differ */
  nv_buf b = slurp_buf(DATA("ocsp-good.ocsp"), NV_LIMIT_CRL_BYTES);
  X509 *cert = load_cert_file(DATA("good.crt"));
  X509 *evil = load_cert_file(DATA("evil-ca.crt"));
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_x509_ocsp_check_response(b.data, b.len, cert, evil, f->now, 0, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  X509_free(evil);
  X509_free(cert);
  nv_buf_free(&b);
}

/* A delegated responder without id-pkix-ocsp-nocheck is handed back for
 * its own revocation check; the issuer's own answer is not. */
static void test_ocsp_responder_to_check(void **state)
{
  fx *f = *state;
  X509 *cert = load_cert_file(DATA("good.crt"));
  nv_buf b = slurp_buf(DATA("ocsp-delegated.ocsp"), NV_LIMIT_CRL_BYTES);
  X509 *responder = (X509 *)1;
  nv_x509_ocsp_window w;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_x509_ocsp_check_response_ex(b.data, b.len, cert, f->ca, f->now, 0,
                                                  &responder, &w, &d),
                   NV_OK);
  assert_non_null(responder);
  char name[128];
  assert_non_null(strstr(nv_x509_subject(responder, name, sizeof(name)), "Delegated Responder"));
  /* a good answer says how long it holds: from its thisUpdate (less the
   * skew) to its nextUpdate (-ndays 1), here within the responder's
   * validity */
  assert_true(w.from <= f->now && f->now <= w.until);
  assert_true(w.until - w.from <= 86400 + 300);
  X509_free(responder);
  nv_buf_free(&b);
  b = slurp_buf(DATA("ocsp-good.ocsp"), NV_LIMIT_CRL_BYTES);
  assert_int_equal(nv_x509_ocsp_check_response_ex(b.data, b.len, cert, f->ca, f->now, 0,
                                                  &responder, &w, &d),
                   NV_OK);
  assert_null(responder);
  nv_buf_free(&b);
  assert_true(w.from <= f->now && f->now <= w.until);
  /* a response that does not verify hands nothing back */
  b = slurp_buf(DATA("ocsp-noeku.ocsp"), NV_LIMIT_CRL_BYTES);
  assert_int_equal(nv_x509_ocsp_check_response_ex(b.data, b.len, cert, f->ca, f->now, 0,
                                                  &responder, &w, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_null(responder);
  assert_true(w.until < w.from);
  nv_buf_free(&b);
  X509_free(cert);
}

static void test_ocsp_freshness_and_bytes(void **state)
{
  fx *f = *state;
  nv_diag d;
  /* no nextUpdate counts as expired */
  assert_int_equal(ocsp(f, DATA("ocsp-good-nonext.ocsp"), DATA("good.crt"), 0, 0, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(d.msg, "expired"));
  /* nextUpdate is a day after thisUpdate */
  assert_int_equal(ocsp(f, DATA("ocsp-good.ocsp"), DATA("good.crt"), f->now + 2 * 86400, 0, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(d.msg, "expired"));
  assert_int_equal(ocsp(f, DATA("ocsp-good.ocsp"), DATA("good.crt"), f->now - 86400, 0, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  /* revoked, but signed before the invalidity date (2026-01-01) */
  assert_int_equal(ocsp(f, DATA("ocsp-compromised.ocsp"), DATA("compromised.crt"), 0, 0, &d),
                   NV_E_CERT_REVOKED);
  assert_int_equal(
    ocsp(f, DATA("ocsp-compromised.ocsp"), DATA("compromised.crt"), 0, 1767225599, &d), NV_OK);
  assert_int_equal(
    ocsp(f, DATA("ocsp-compromised.ocsp"), DATA("compromised.crt"), 0, 1767225600, &d),
    NV_E_CERT_REVOKED);
  /* size limit first, then truncations and trailing bytes */
  X509 *cert = load_cert_file(DATA("good.crt"));
  static const uint8_t junk[4] = {0x30, 0x02, 0x0a, 0x00};
  assert_int_equal(nv_x509_ocsp_check_response(junk, NV_LIMIT_OCSP_RESPONSE_BYTES + 1, cert,
                                               f->ca, f->now, 0, &d),
                   NV_E_LIMIT);
  nv_buf b = slurp_buf(DATA("ocsp-good.ocsp"), NV_LIMIT_CRL_BYTES);
  for (size_t n = 0; n < b.len; n += 5)
    assert_int_equal(nv_x509_ocsp_check_response(b.data, n, cert, f->ca, f->now, 0, &d),
                     NV_E_REVOCATION_CHECK_ERROR);
  assert_int_equal(nv_buf_append_byte(&b, 0, NULL), NV_OK);
  assert_int_equal(nv_x509_ocsp_check_response(b.data, b.len, cert, f->ca, f->now, 0, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  /* a canned error response: malformedRequest */
  static const uint8_t malformed[] = {0x30, 0x03, 0x0a, 0x01, 0x01};
  assert_int_equal(nv_x509_ocsp_check_response(malformed, sizeof(malformed), cert, f->ca, f->now,
                                               0, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  assert_non_null(strstr(d.msg, "malformedRequest"));
  nv_buf_free(&b);
  X509_free(cert);
}

static void test_ocsp_request(void **state)
{
  fx *f = *state;
  X509 *cert = load_cert_file(DATA("good.crt"));
  nv_buf req;
  nv_buf_init(&req, 1 << 16);
  assert_int_equal(nv_x509_ocsp_request(cert, f->ca, &req, NULL), NV_OK);
  /* the same bytes as openssl ocsp -no_nonce -reqout */
  nv_buf want = slurp_buf(DATA("ocsp-good.req"), NV_LIMIT_CRL_BYTES);
  assert_int_equal(req.len, want.len);
  assert_memory_equal(req.data, want.data, want.len);
  nv_buf url;
  nv_buf_init(&url, 1 << 16);
  assert_true(nv_x509_ocsp_get_url("http://127.0.0.1:1/ocsp", req.data, req.len, &url, NULL));
  assert_non_null(strstr((const char *)url.data, "http://127.0.0.1:1/ocsp/MEMwQTA%2FMD0w"));
  assert_null(strchr((const char *)url.data + 8, '+'));
  assert_null(strchr((const char *)url.data + 26, '/'));
  assert_null(strchr((const char *)url.data, '='));
  nv_buf_reset(&url);
  /* a request whose escaped base64 is 255 characters or more: POST */
  uint8_t big[200];
  memset(big, 0xfb, sizeof(big)); /* base64 "+/..." escapes to three characters each */
  assert_false(nv_x509_ocsp_get_url("http://x", big, sizeof(big), &url, NULL));
  assert_true(nv_x509_ocsp_get_url("http://x/", big, 60, &url, NULL));
  nv_buf_free(&url);
  nv_buf_free(&want);
  nv_buf_free(&req);
  X509_free(cert);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_parse_info, setup, teardown),
    cmocka_unit_test_setup_teardown(test_parse_rejects, setup, teardown),
    cmocka_unit_test_setup_teardown(test_validate, setup, teardown),
    cmocka_unit_test_setup_teardown(test_validate_rejects, setup, teardown),
    cmocka_unit_test_setup_teardown(test_revalidate, setup, teardown),
    cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
    cmocka_unit_test_setup_teardown(test_invalidity_date, setup, teardown),
    cmocka_unit_test_setup_teardown(test_scope_and_issuer, setup, teardown),
    cmocka_unit_test_setup_teardown(test_scope_distribution_point, setup_idp, teardown_idp),
    cmocka_unit_test_setup_teardown(test_urls, setup, teardown),
    cmocka_unit_test_setup_teardown(test_delta_scope_and_key, setup_idp, teardown_idp),
    cmocka_unit_test_setup_teardown(test_reason_codes, setup, teardown),
    cmocka_unit_test_setup_teardown(test_signature_algorithms, setup, teardown),
    cmocka_unit_test_setup_teardown(test_signature_before_parse, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ocsp_status, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ocsp_responder, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ocsp_responder_to_check, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ocsp_freshness_and_bytes, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ocsp_request, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
