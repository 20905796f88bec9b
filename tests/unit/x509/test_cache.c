/*
 * The per-context certificate cache and trust-store anchors
 * (nv_x509_cache.h) and the direct certificate parser under them
 * (nv_x509_parse.h):
 *  - nv_x509_d2i gives what d2i_X509 gives (key, hash, parser rules) for
 *    every certificate of the test data, RSA, EC, Ed25519 and broken ones;
 *  - identical DER is served from the cache (same X509, no parse),
 *    different DER is not;
 *  - the entry count never exceeds the bound, oldest dropped first;
 *  - a remembered chain does not let another chain, or the same chain
 *    under another purpose, pass;
 *  - a certificate byte-identical to an anchor is the anchor's X509, and
 *    the anchor's checked self-signature is not verified again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_pem.h"

#include <dirent.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509/nv_x509_cache.h"
#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_leaf.h"
#include "x509/nv_x509_parse.h"

#define GEN(name) NV_TEST_DATA "/" name
#define REF(name) NV_VECTORS "/inline/notation-core-go/x509/" name ".pem"

/* The DER bytes of a PEM file's first certificate. */
static nv_buf der_of(const char *path)
{
  X509 *c = load_cert_file(path);
  unsigned char *der = NULL;
  int n = i2d_X509(c, &der);
  assert_true(n > 0);
  nv_buf b;
  nv_buf_init(&b, 1 << 20);
  assert_int_equal(nv_buf_append(&b, der, (size_t)n, NULL), NV_OK);
  OPENSSL_free(der);
  X509_free(c);
  return b;
}

static uint8_t *find_bytes(const nv_buf *b, const char *text)
{
  size_t n = strlen(text);
  for (size_t i = 0; i + n <= b->len; i++)
    if (memcmp(b->data + i, text, n) == 0)
      return b->data + i;
  return NULL;
}

static nv_x509_cache *new_cache(size_t certs, size_t chains)
{
  nv_x509_cache *c = NULL;
  assert_int_equal(nv_x509_cache_new(certs, chains, &c, NULL), NV_OK);
  return c;
}

static nv_x509_cache_stats stats(const nv_x509_cache *c)
{
  nv_x509_cache_stats s;
  nv_x509_cache_get_stats(c, &s);
  return s;
}

/* ------------------------------------------------------------------ */
/* the direct parser                                                   */

static void check_same_as_d2i(const char *path)
{
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  X509 *ref = PEM_read_X509(f, NULL, NULL, NULL);
  fclose(f);
  ERR_clear_error();
  if (ref == NULL)
    return; /* not a PEM certificate file */
  unsigned char *der = NULL;
  int n = i2d_X509(ref, &der);
  assert_true(n > 0);
  size_t used = 0;
  X509 *fast = nv_x509_d2i(der, (size_t)n, &used);
  assert_non_null(fast);
  assert_int_equal(used, (size_t)n);
  /* the same key (or none in both) */
  EVP_PKEY *a = X509_get0_pubkey(ref), *b = nv_x509_pubkey(fast);
  ERR_clear_error();
  if (a == NULL) {
    assert_null(b);
  } else {
    assert_non_null(b);
    if (EVP_PKEY_eq(a, b) != 1)
      fail_msg("%s: the directly decoded key differs from d2i_X509's", path);
  }
  /* the same X509_digest, remembered */
  uint8_t h1[32], h2[32], memo[32];
  assert_int_equal(nv_x509_cert_sha256(ref, h1, NULL), NV_OK);
  assert_true(nv_x509_sha256_memo(fast, memo));
  assert_int_equal(nv_x509_cert_sha256(fast, h2, NULL), NV_OK);
  assert_memory_equal(h1, h2, 32);
  assert_memory_equal(h1, memo, 32);
  /* the same parser and chain-rule answers */
  assert_int_equal(nv_x509_go_parse_ok(ref), nv_x509_go_parse_ok(fast));
  assert_int_equal(nv_x509_is_self_signed(ref), nv_x509_is_self_signed(fast));
  assert_int_equal(nv_x509_validate_leaf(ref, NV_X509_CODE_SIGNING, NULL),
                   nv_x509_validate_leaf(fast, NV_X509_CODE_SIGNING, NULL));
  /* the same subject text, cut the same way for every buffer size, from
   * the text the certificate keeps after the first call */
  static const size_t sizes[] = {512, 1, 2, 7, 16, 23, 64, 512};
  for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
    char want[512], got[512];
    nv_x509_subject(ref, want, sizes[k]);
    nv_x509_subject(fast, got, sizes[k]);
    assert_string_equal(want, got);
  }
  /* a copy keeps its own key */
  X509 *dup = X509_dup(fast);
  assert_non_null(dup);
  if (a != NULL)
    assert_int_equal(EVP_PKEY_eq(a, nv_x509_pubkey(dup)), 1);
  X509_free(dup);
  X509_free(fast);
  X509_free(ref);
  OPENSSL_free(der);
}

static void test_direct_parse_matches_d2i(void **state)
{
  (void)state;
  const char *dirs[] = {NV_TEST_DATA, NV_VECTORS "/inline/notation-core-go/x509"};
  size_t seen = 0;
  for (size_t k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
    DIR *dir = opendir(dirs[k]);
    assert_non_null(dir);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
      size_t len = strlen(e->d_name);
      if (len < 4 || strcmp(e->d_name + len - 4, ".pem") != 0)
        continue;
      char path[4096];
      snprintf(path, sizeof(path), "%s/%s", dirs[k], e->d_name);
      check_same_as_d2i(path);
      seen++;
    }
    closedir(dir);
  }
  assert_true(seen > 20);
}

static void test_direct_parse_rejects_what_d2i_rejects(void **state)
{
  (void)state;
  nv_buf b = der_of(GEN("sig-cert-leaf.pem"));
  size_t used = 0;
  /* truncated */
  assert_null(nv_x509_d2i(b.data, b.len - 1, &used));
  /* trailing data is left to the caller */
  uint8_t *longer = malloc(b.len + 3);
  memcpy(longer, b.data, b.len);
  memset(longer + b.len, 0, 3);
  X509 *c = nv_x509_d2i(longer, b.len + 3, &used);
  assert_non_null(c);
  assert_int_equal(used, b.len);
  X509_free(c);
  /* a flipped byte in the key makes it another (or no) certificate */
  b.data[b.len / 2] ^= 0xFF;
  c = nv_x509_d2i(b.data, b.len, &used);
  X509_free(c);
  assert_null(nv_x509_d2i(NULL, 10, &used));
  assert_null(nv_x509_d2i(b.data, 0, &used));
  free(longer);
  nv_buf_free(&b);
}

/* ------------------------------------------------------------------ */
/* certificates                                                        */

static void test_identical_der_is_served_from_cache(void **state)
{
  (void)state;
  nv_x509_cache *c = new_cache(0, 0);
  nv_buf chain[2] = {der_of(GEN("sig-cert-leaf.pem")), der_of(GEN("sig-cert-root.pem"))};
  nv_x509_list a, b;
  nv_x509_list_init(&a);
  nv_x509_list_init(&b);
  assert_int_equal(nv_x509_cache_parse_chain(c, chain, 2, &a, NULL, NULL), NV_OK);
  assert_int_equal(stats(c).parses, 2);
  assert_int_equal(stats(c).certs, 2);
  assert_int_equal(nv_x509_cache_parse_chain(c, chain, 2, &b, NULL, NULL), NV_OK);
  assert_int_equal(stats(c).parses, 2);
  assert_int_equal(stats(c).cert_hits, 2);
  assert_ptr_equal(a.items[0], b.items[0]);
  assert_ptr_equal(a.items[1], b.items[1]);
  nv_x509_list_free(&b);

  /* different DER (another leaf of the same root) is parsed */
  nv_buf other[2] = {der_of(GEN("sig-cert-pss-leaf.pem")), der_of(GEN("sig-cert-root.pem"))};
  assert_int_equal(nv_x509_cache_parse_chain(c, other, 2, &b, NULL, NULL), NV_OK);
  assert_int_equal(stats(c).parses, 3);
  assert_ptr_not_equal(b.items[0], a.items[0]);
  assert_ptr_equal(b.items[1], a.items[1]);
  nv_x509_list_free(&b);

  /* one changed byte is another certificate: in the signature (the last
   * bytes), and in the subject (same length, same last bytes) */
  chain[0].data[chain[0].len - 1] ^= 0x01;
  assert_int_equal(nv_x509_cache_parse_chain(c, chain, 2, &b, NULL, NULL), NV_OK);
  assert_int_equal(stats(c).parses, 4);
  assert_ptr_not_equal(b.items[0], a.items[0]);
  nv_x509_list_free(&b);
  chain[0].data[chain[0].len - 1] ^= 0x01;
  uint8_t *cn = find_bytes(&chain[0], "Sig Test Leaf");
  assert_non_null(cn);
  cn[0] = 'Z';
  assert_int_equal(nv_x509_cache_parse_chain(c, chain, 2, &b, NULL, NULL), NV_OK);
  assert_int_equal(stats(c).parses, 5);
  assert_ptr_not_equal(b.items[0], a.items[0]);
  char subject[128];
  assert_string_equal(nv_x509_subject(b.items[0], subject, sizeof(subject)),
                      "CN=Zig Test Leaf,O=libnotaryc,C=US");
  nv_x509_list_free(&b);
  cn[0] = 'S';
  assert_int_equal(nv_x509_cache_parse_chain(c, chain, 2, &b, NULL, NULL), NV_OK);
  assert_int_equal(stats(c).parses, 5);
  assert_ptr_equal(b.items[0], a.items[0]);
  nv_x509_list_free(&b);

  /* the cache's references outlive the lists */
  nv_x509_list_free(&a);
  assert_int_equal(nv_x509_cache_parse_chain(c, other, 2, &a, NULL, NULL), NV_OK);
  assert_int_equal(stats(c).parses, 5);
  nv_x509_list_free(&a);

  nv_x509_cache_free(c);
  for (int i = 0; i < 2; i++) {
    nv_buf_free(&chain[i]);
    nv_buf_free(&other[i]);
  }
}

static void test_errors_are_the_uncached_parsers(void **state)
{
  (void)state;
  nv_x509_cache *c = new_cache(0, 0);
  nv_buf chain[2] = {der_of(GEN("sig-cert-leaf.pem")), der_of(GEN("sig-cert-root.pem"))};
  nv_x509_list l;
  nv_x509_list_init(&l);
  assert_int_equal(nv_x509_cache_parse_chain(c, chain, 2, &l, NULL, NULL), NV_OK);
  nv_x509_list_free(&l);
  /* a broken second certificate after a cached first one */
  chain[1].len -= 10;
  nv_diag d1, d2;
  nv_diag_init(&d1);
  nv_diag_init(&d2);
  assert_int_equal(nv_x509_cache_parse_chain(c, chain, 2, &l, NULL, &d1), NV_E_CERT_PARSE);
  assert_int_equal(l.count, 0);
  assert_int_equal(nv_x509_parse_chain(chain, 2, &l, &d2), NV_E_CERT_PARSE);
  assert_string_equal(d1.msg, d2.msg);
  /* a broken leaf */
  chain[0].len -= 10;
  assert_int_equal(nv_x509_cache_parse_chain(c, chain, 1, &l, NULL, &d1),
                   NV_E_LEAF_CERT_MALFORMED);
  /* no certificates, too many */
  assert_int_equal(nv_x509_cache_parse_chain(c, chain, 0, &l, NULL, &d1), NV_E_CERT_CHAIN_MISSING);
  nv_x509_list_free(&l);
  nv_x509_cache_free(c);
  nv_buf_free(&chain[0]);
  nv_buf_free(&chain[1]);
}

static void test_eviction_keeps_the_bound(void **state)
{
  (void)state;
  const char *files[] = {GEN("sig-cert-leaf.pem"), GEN("sig-cert-root.pem"),
                         GEN("sig-cert-ec-leaf.pem"), GEN("sig-cert-ec-root.pem"),
                         GEN("sig-cert-p521.pem")};
  size_t n = sizeof(files) / sizeof(files[0]);
  nv_buf ders[5];
  for (size_t i = 0; i < n; i++)
    ders[i] = der_of(files[i]);
  nv_x509_cache *c = new_cache(3, 2);
  for (size_t round = 0; round < 3; round++) {
    for (size_t i = 0; i < n; i++) {
      nv_x509_list l;
      nv_x509_list_init(&l);
      assert_int_equal(nv_x509_cache_parse_chain(c, &ders[i], 1, &l, NULL, NULL), NV_OK);
      nv_x509_list_free(&l);
      assert_true(stats(c).certs <= 3);
    }
  }
  /* five certificates cycled through three slots, oldest dropped first:
   * every lookup missed */
  assert_int_equal(stats(c).certs, 3);
  assert_int_equal(stats(c).parses, 15);
  assert_int_equal(stats(c).cert_hits, 0);
  /* the three most recent are there */
  nv_x509_list l;
  nv_x509_list_init(&l);
  assert_int_equal(nv_x509_cache_parse_chain(c, &ders[4], 1, &l, NULL, NULL), NV_OK);
  assert_int_equal(stats(c).cert_hits, 1);
  nv_x509_list_free(&l);

  /* chains: at most two remembered */
  nv_x509_chain_key key;
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(nv_x509_cache_parse_chain(c, &ders[i], 1, &l, &key, NULL), NV_OK);
    (void)nv_x509_cache_validate_chain(c, &key, l.items, l.count, NV_X509_CODE_SIGNING, NULL);
    nv_x509_list_free(&l);
    assert_true(stats(c).chains <= 2);
  }
  nv_x509_cache_free(c);
  for (size_t i = 0; i < n; i++)
    nv_buf_free(&ders[i]);
  nv_x509_cache *bad = NULL;
  assert_int_equal(nv_x509_cache_new(1000000, 0, &bad, NULL), NV_E_INVALID_ARG);
  assert_null(bad);
}

/* ------------------------------------------------------------------ */
/* chains                                                              */

static nv_status validate(nv_x509_cache *c, const nv_buf *ders, size_t n,
                          nv_x509_purpose purpose, nv_diag *d)
{
  nv_x509_list l;
  nv_x509_list_init(&l);
  nv_x509_chain_key key;
  nv_diag_init(d);
  nv_status rc = nv_x509_cache_parse_chain(c, ders, n, &l, &key, d);
  if (rc == NV_OK) {
    assert_true(key.valid);
    rc = nv_x509_cache_validate_chain(c, &key, l.items, l.count, purpose, d);
  }
  nv_x509_list_free(&l);
  return rc;
}

static void test_chain_hit_lets_no_other_chain_pass(void **state)
{
  (void)state;
  nv_x509_cache *c = new_cache(0, 0);
  nv_buf good[4] = {der_of(REF("codeSigningLeafPem")), der_of(REF("intermediateCertPem2")),
                    der_of(REF("intermediateCertPem1")), der_of(REF("rootCertPem"))};
  nv_diag d;
  if (validate(c, good, 4, NV_X509_CODE_SIGNING, &d) != NV_OK)
    fail_msg("%s", d.msg);
  assert_int_equal(stats(c).chain_hits, 0);
  assert_int_equal(validate(c, good, 4, NV_X509_CODE_SIGNING, &d), NV_OK);
  assert_int_equal(stats(c).chain_hits, 1);

  /* the same certificates in another order, or one left out */
  nv_buf swapped[4] = {good[0], good[2], good[1], good[3]};
  assert_int_equal(validate(c, swapped, 4, NV_X509_CODE_SIGNING, &d),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  nv_buf skip[3] = {good[0], good[2], good[3]};
  assert_int_equal(validate(c, skip, 3, NV_X509_CODE_SIGNING, &d), NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  /* a leaf of another root under this chain's root */
  nv_buf foreign[2] = {der_of(GEN("sig-cert-leaf.pem")), good[3]};
  assert_int_equal(validate(c, foreign, 2, NV_X509_CODE_SIGNING, &d),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  /* the same chain under the timestamping rules is not the cached answer */
  assert_int_not_equal(validate(c, good, 4, NV_X509_TIMESTAMPING, &d), NV_OK);
  /* failures are not remembered */
  assert_int_equal(validate(c, swapped, 4, NV_X509_CODE_SIGNING, &d),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  assert_int_equal(stats(c).chain_hits, 1);
  assert_int_equal(stats(c).chains, 1);

  /* a key for another chain is not taken for this one */
  nv_x509_list l;
  nv_x509_list_init(&l);
  nv_x509_chain_key key;
  assert_int_equal(nv_x509_cache_parse_chain(c, good, 4, &l, &key, NULL), NV_OK);
  nv_x509_list other;
  nv_x509_list_init(&other);
  assert_int_equal(nv_x509_cache_parse_chain(c, foreign, 2, &other, NULL, NULL), NV_OK);
  assert_int_equal(
      nv_x509_cache_validate_chain(c, &key, other.items, other.count, NV_X509_CODE_SIGNING, &d),
      NV_E_CHAIN_NOT_ISSUED_BY_NEXT);
  nv_x509_list_free(&other);
  nv_x509_list_free(&l);

  nv_x509_cache_free(c);
  nv_buf_free(&foreign[0]);
  for (int i = 0; i < 4; i++)
    nv_buf_free(&good[i]);
}

/* ------------------------------------------------------------------ */
/* anchors                                                             */

static void test_store_root_is_reused(void **state)
{
  (void)state;
  X509 *root = load_cert_file(GEN("sig-cert-root.pem"));
  X509 *ec_root = load_cert_file(GEN("sig-cert-ec-root.pem"));
  X509 *certs[3] = {root, ec_root, root}; /* a duplicate is indexed once */
  nv_x509_anchors *anchors = NULL;
  assert_int_equal(nv_x509_anchors_new(certs, 3, &anchors, NULL), NV_OK);
  assert_int_equal(nv_x509_anchors_count(anchors), 2);

  nv_x509_cache *c = new_cache(0, 0);
  nv_x509_cache_set_anchors(c, anchors);
  nv_x509_anchors_unref(anchors); /* the cache holds its own reference */
  nv_buf chain[2] = {der_of(GEN("sig-cert-leaf.pem")), der_of(GEN("sig-cert-root.pem"))};
  nv_x509_list l;
  nv_x509_list_init(&l);
  nv_x509_chain_key key;
  assert_int_equal(nv_x509_cache_parse_chain(c, chain, 2, &l, &key, NULL), NV_OK);
  assert_ptr_equal(l.items[1], root); /* the store's X509, not a copy */
  assert_int_equal(stats(c).parses, 1);
  assert_int_equal(stats(c).anchor_hits, 1);
  assert_true(key.root_checked);
  assert_int_equal(nv_x509_cache_validate_chain(c, &key, l.items, 2, NV_X509_CODE_SIGNING, NULL),
                   NV_OK);
  nv_x509_list_free(&l);

  /* an envelope root that is not in the store is parsed and checked */
  nv_buf ec[2] = {der_of(GEN("sig-cert-ec-leaf.pem")), der_of(GEN("sig-cert-root.pem"))};
  nv_x509_cache_set_anchors(c, NULL);
  nv_x509_cache *fresh = new_cache(0, 0);
  assert_int_equal(nv_x509_cache_parse_chain(fresh, chain, 2, &l, &key, NULL), NV_OK);
  assert_ptr_not_equal(l.items[1], root);
  assert_false(key.root_checked);
  assert_int_equal(stats(fresh).parses, 2);
  assert_int_equal(
      nv_x509_cache_validate_chain(fresh, &key, l.items, 2, NV_X509_CODE_SIGNING, NULL), NV_OK);
  nv_x509_list_free(&l);
  /* the checked root spares no other rule: a foreign leaf still fails */
  assert_int_equal(nv_x509_anchors_new(certs, 1, &anchors, NULL), NV_OK);
  nv_x509_cache_set_anchors(fresh, anchors);
  nv_x509_anchors_unref(anchors);
  nv_diag d;
  assert_int_equal(validate(fresh, ec, 2, NV_X509_CODE_SIGNING, &d),
                   NV_E_CHAIN_NOT_ISSUED_BY_NEXT);

  nv_x509_cache_free(fresh);
  nv_x509_cache_free(c);
  /* the anchors' references are gone with the caches; ours remain */
  X509_free(root);
  X509_free(ec_root);
  for (int i = 0; i < 2; i++) {
    nv_buf_free(&chain[i]);
    nv_buf_free(&ec[i]);
  }
}

static void test_anchor_root_rules(void **state)
{
  (void)state;
  /* an intermediate in a store is not a checked root; a SHA-1 root is not
   * either (so the chain rules still refuse it) */
  X509 *certs[3] = {load_cert_file(REF("intermediateCertPem1")), load_cert_file(GEN("sig-cert-sha1-root.pem")),
                    load_cert_file(REF("rootCertPem"))};
  nv_x509_anchors *a = NULL;
  assert_int_equal(nv_x509_anchors_new(certs, 3, &a, NULL), NV_OK);
  nv_x509_cache *c = new_cache(0, 0);
  nv_x509_cache_set_anchors(c, a);
  struct {
    const char *leaf, *root;
    bool root_checked;
  } cases[] = {
    {REF("codeSigningLeafPem"), REF("intermediateCertPem1"), false},
    {GEN("sig-cert-sha1root-leaf.pem"), GEN("sig-cert-sha1-root.pem"), false},
    {REF("intermediateCertPem1"), REF("rootCertPem"), true},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    nv_buf chain[2] = {der_of(cases[i].leaf), der_of(cases[i].root)};
    nv_x509_list l;
    nv_x509_list_init(&l);
    nv_x509_chain_key key;
    assert_int_equal(nv_x509_cache_parse_chain(c, chain, 2, &l, &key, NULL), NV_OK);
    assert_int_equal(key.root_checked, cases[i].root_checked);
    nv_x509_list_free(&l);
    nv_buf_free(&chain[0]);
    nv_buf_free(&chain[1]);
  }
  assert_int_equal(nv_x509_anchors_count(a), 3);
  nv_x509_anchors_unref(a);
  nv_x509_cache_free(c);
  for (int i = 0; i < 3; i++)
    X509_free(certs[i]);
}

static void test_null_cache_is_uncached(void **state)
{
  (void)state;
  nv_buf chain[2] = {der_of(GEN("sig-cert-leaf.pem")), der_of(GEN("sig-cert-root.pem"))};
  nv_x509_list l;
  nv_x509_list_init(&l);
  nv_x509_chain_key key;
  assert_int_equal(nv_x509_cache_parse_chain(NULL, chain, 2, &l, &key, NULL), NV_OK);
  assert_false(key.valid);
  assert_int_equal(nv_x509_cache_validate_chain(NULL, &key, l.items, 2, NV_X509_CODE_SIGNING,
                                                NULL),
                   NV_OK);
  nv_x509_list_free(&l);
  nv_x509_cache_free(NULL);
  nv_x509_cache_set_anchors(NULL, NULL);
  nv_x509_anchors_unref(NULL);
  nv_buf_free(&chain[0]);
  nv_buf_free(&chain[1]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_direct_parse_matches_d2i),
    cmocka_unit_test(test_direct_parse_rejects_what_d2i_rejects),
    cmocka_unit_test(test_identical_der_is_served_from_cache),
    cmocka_unit_test(test_errors_are_the_uncached_parsers),
    cmocka_unit_test(test_eviction_keeps_the_bound),
    cmocka_unit_test(test_chain_hit_lets_no_other_chain_pass),
    cmocka_unit_test(test_store_root_is_reused),
    cmocka_unit_test(test_anchor_root_rules),
    cmocka_unit_test(test_null_cache_is_uncached),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
