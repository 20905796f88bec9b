/*
 * Digests: FIPS 180 vectors, "alg:hex" parsing and formatting, comparison,
 * and the incremental interface.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/nv_digest.h"

struct kat {
  nv_digest_alg alg;
  const char *msg;
  const char *hex;
};

/* FIPS 180-4 example values (and the empty message). */
static const struct kat kats[] = {
  { NV_DIGEST_SHA256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
  { NV_DIGEST_SHA256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
  { NV_DIGEST_SHA256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
  { NV_DIGEST_SHA384, "",
    "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
    "274edebfe76f65fbd51ad2f14898b95b" },
  { NV_DIGEST_SHA384, "abc",
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
    "8086072ba1e7cc2358baeca134c825a7" },
  { NV_DIGEST_SHA512, "",
    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e" },
  { NV_DIGEST_SHA512, "abc",
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
};

static const char *const sha256_abc =
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static void test_sizes_and_names(void **state)
{
  (void)state;
  assert_int_equal(nv_digest_size(NV_DIGEST_SHA256), 32);
  assert_int_equal(nv_digest_size(NV_DIGEST_SHA384), 48);
  assert_int_equal(nv_digest_size(NV_DIGEST_SHA512), 64);
  assert_int_equal(nv_digest_size(NV_DIGEST_NONE), 0);
  assert_int_equal(nv_digest_size((nv_digest_alg)42), 0);
  assert_string_equal(nv_digest_alg_name(NV_DIGEST_SHA256), "sha256");
  assert_string_equal(nv_digest_alg_name(NV_DIGEST_SHA384), "sha384");
  assert_string_equal(nv_digest_alg_name(NV_DIGEST_SHA512), "sha512");
  assert_null(nv_digest_alg_name(NV_DIGEST_NONE));
  assert_null(nv_digest_alg_name((nv_digest_alg)42));
}

static void test_known_answers(void **state)
{
  (void)state;
  for (size_t i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
    const struct kat *k = &kats[i];
    nv_digest dg;
    nv_diag d;
    nv_diag_init(&d);
    assert_int_equal(nv_digest_compute(k->alg, k->msg, strlen(k->msg), &dg, &d), NV_OK);
    assert_int_equal(dg.alg, k->alg);
    assert_int_equal(dg.len, nv_digest_size(k->alg));

    char want[NV_DIGEST_STRING_MAX];
    snprintf(want, sizeof(want), "%s:%s", nv_digest_alg_name(k->alg), k->hex);
    char got[NV_DIGEST_STRING_MAX];
    assert_int_equal(nv_digest_format(&dg, got, sizeof(got), &d), NV_OK);
    assert_string_equal(got, want);

    /* parsing the expected string gives the same digest */
    nv_digest parsed;
    assert_int_equal(nv_digest_parse(want, strlen(want), &parsed, &d), NV_OK);
    assert_true(nv_digest_equal(&parsed, &dg));
    assert_memory_equal(parsed.bytes, dg.bytes, dg.len);
  }
}

static void test_compute_empty_null(void **state)
{
  (void)state;
  nv_digest a, b;
  assert_int_equal(nv_digest_compute(NV_DIGEST_SHA256, NULL, 0, &a, NULL), NV_OK);
  assert_int_equal(nv_digest_compute(NV_DIGEST_SHA256, "", 0, &b, NULL), NV_OK);
  assert_true(nv_digest_equal(&a, &b));
  assert_int_equal(nv_digest_compute(NV_DIGEST_SHA256, NULL, 1, &a, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_digest_compute(NV_DIGEST_NONE, "x", 1, &a, NULL), NV_E_DIGEST_UNSUPPORTED);
  assert_int_equal(nv_digest_compute(NV_DIGEST_SHA256, "x", 1, NULL, NULL), NV_E_INVALID_ARG);
}

static void test_parse_format_roundtrip(void **state)
{
  (void)state;
  static const char *const good[] = {
    "sha256:0000000000000000000000000000000000000000000000000000000000000000",
    "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "sha384:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffffffffffffff",
    "sha512:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
  };
  for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
    nv_digest dg;
    nv_diag d;
    nv_diag_init(&d);
    assert_int_equal(nv_digest_parse(good[i], strlen(good[i]), &dg, &d), NV_OK);
    char buf[NV_DIGEST_STRING_MAX];
    assert_int_equal(nv_digest_format(&dg, buf, sizeof(buf), &d), NV_OK);
    assert_string_equal(buf, good[i]);
  }
  nv_digest dg;
  assert_int_equal(nv_digest_parse(good[1], strlen(good[1]), &dg, NULL), NV_OK);
  assert_int_equal(dg.alg, NV_DIGEST_SHA256);
  assert_int_equal(dg.len, 32);
  assert_int_equal(dg.bytes[0], 0x01);
  assert_int_equal(dg.bytes[1], 0x23);
  assert_int_equal(dg.bytes[7], 0xef);
  assert_int_equal(dg.bytes[31], 0xef);
}

static void parse_fails(const char *s, size_t len, nv_status want)
{
  nv_digest dg;
  memset(&dg, 0xa5, sizeof(dg));
  nv_digest before = dg;
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_digest_parse(s, len, &dg, &d);
  if (rc != want)
    fail_msg("\"%.*s\" gave %d, expected %d (%s)", (int)len, s, (int)rc, (int)want, d.msg);
  assert_int_equal(nv_diag_status(&d), want);
  assert_true(strlen(d.msg) > 0);
  /* the output is untouched on failure */
  assert_memory_equal(&dg, &before, sizeof(dg));
}

#define FORMAT_ERR(s) parse_fails((s), strlen(s), NV_E_DIGEST_FORMAT)
#define UNSUPPORTED(s) parse_fails((s), strlen(s), NV_E_DIGEST_UNSUPPORTED)

static void test_parse_unsupported(void **state)
{
  (void)state;
  UNSUPPORTED("md5:d41d8cd98f00b204e9800998ecf8427e");
  UNSUPPORTED("md5:");
  UNSUPPORTED("sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709");
  UNSUPPORTED("SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  UNSUPPORTED("sha512-256:aaaa");
  UNSUPPORTED("sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564");
  UNSUPPORTED("sha25:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  UNSUPPORTED("sha2566:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_parse_format_errors(void **state)
{
  (void)state;
  /* no colon, empty */
  FORMAT_ERR("");
  parse_fails(NULL, 0, NV_E_DIGEST_FORMAT);
  FORMAT_ERR("sha256");
  FORMAT_ERR("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  FORMAT_ERR(":e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  /* upper-case hex */
  FORMAT_ERR("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
  FORMAT_ERR("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85A");
  /* wrong length */
  FORMAT_ERR("sha256:");
  FORMAT_ERR("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85");
  FORMAT_ERR("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555");
  FORMAT_ERR("sha384:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  FORMAT_ERR("sha512:38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
             "274edebfe76f65fbd51ad2f14898b95b");
  /* non-hex */
  FORMAT_ERR("sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  FORMAT_ERR("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85 ");
  FORMAT_ERR("sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85");
  FORMAT_ERR("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8:5");
  FORMAT_ERR("sha256::3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  /* whitespace or odd bytes around the name */
  FORMAT_ERR(" sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  FORMAT_ERR("sha 256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  /* a NUL inside the given length */
  static const char nul_hex[] =
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8\0005";
  parse_fails(nul_hex, sizeof(nul_hex) - 1, NV_E_DIGEST_FORMAT);
  static const char nul_name[] =
      "sha\000256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  parse_fails(nul_name, sizeof(nul_name) - 1, NV_E_DIGEST_FORMAT);
}

/* Only `len` bytes are read. */
static void test_parse_respects_len(void **state)
{
  (void)state;
  char s[200];
  snprintf(s, sizeof(s), "%s%s", sha256_abc, "00");
  nv_digest dg;
  assert_int_equal(nv_digest_parse(s, strlen(sha256_abc), &dg, NULL), NV_OK);
  assert_int_equal(nv_digest_parse(s, strlen(s), &dg, NULL), NV_E_DIGEST_FORMAT);
  assert_int_equal(nv_digest_parse(s, 6, &dg, NULL), NV_E_DIGEST_FORMAT);
  assert_int_equal(nv_digest_parse(s, 7, &dg, NULL), NV_E_DIGEST_FORMAT);
}

static void test_equal(void **state)
{
  (void)state;
  nv_digest a, b;
  assert_int_equal(nv_digest_compute(NV_DIGEST_SHA256, "abc", 3, &a, NULL), NV_OK);
  assert_int_equal(nv_digest_parse(sha256_abc, strlen(sha256_abc), &b, NULL), NV_OK);
  assert_true(nv_digest_equal(&a, &b));
  assert_true(nv_digest_equal(&b, &a));

  /* one bit different, first or last byte */
  b.bytes[31] ^= 1;
  assert_false(nv_digest_equal(&a, &b));
  b.bytes[31] ^= 1;
  b.bytes[0] ^= 0x80;
  assert_false(nv_digest_equal(&a, &b));
  b.bytes[0] ^= 0x80;
  assert_true(nv_digest_equal(&a, &b));

  /* same bytes, different algorithm */
  nv_digest c = a;
  c.alg = NV_DIGEST_SHA384;
  assert_false(nv_digest_equal(&a, &c));
  /* same algorithm, different length */
  c = a;
  c.len = 31;
  assert_false(nv_digest_equal(&a, &c));
  assert_false(nv_digest_equal(&c, &c));
  /* a sha512 digest whose first 32 bytes are a sha256 value */
  nv_digest e;
  assert_int_equal(nv_digest_compute(NV_DIGEST_SHA512, "abc", 3, &e, NULL), NV_OK);
  memcpy(e.bytes, a.bytes, 32);
  assert_false(nv_digest_equal(&a, &e));

  /* empty digests and NULL never match */
  nv_digest z1, z2;
  memset(&z1, 0, sizeof(z1));
  memset(&z2, 0, sizeof(z2));
  assert_false(nv_digest_equal(&z1, &z2));
  assert_false(nv_digest_equal(&a, NULL));
  assert_false(nv_digest_equal(NULL, &a));
  assert_true(nv_digest_equal(&a, &a));
}

static void test_incremental(void **state)
{
  (void)state;
  uint8_t data[5000];
  for (size_t i = 0; i < sizeof(data); i++)
    data[i] = (uint8_t)(i * 131 + (i >> 8));
  static const nv_digest_alg algs[] = { NV_DIGEST_SHA256, NV_DIGEST_SHA384, NV_DIGEST_SHA512 };
  static const size_t chunks[] = { 1, 3, 63, 64, 65, 127, 128, 129, 1000, 5000 };
  for (size_t a = 0; a < 3; a++) {
    nv_digest one;
    assert_int_equal(nv_digest_compute(algs[a], data, sizeof(data), &one, NULL), NV_OK);
    for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
      nv_digest_ctx *ctx = NULL;
      assert_int_equal(nv_digest_begin(algs[a], &ctx, NULL), NV_OK);
      assert_non_null(ctx);
      for (size_t off = 0; off < sizeof(data); off += chunks[c]) {
        size_t n = sizeof(data) - off < chunks[c] ? sizeof(data) - off : chunks[c];
        assert_int_equal(nv_digest_update(ctx, data + off, n, NULL), NV_OK);
        /* empty updates change nothing */
        assert_int_equal(nv_digest_update(ctx, NULL, 0, NULL), NV_OK);
      }
      nv_digest inc;
      assert_int_equal(nv_digest_end(ctx, &inc, NULL), NV_OK);
      assert_true(nv_digest_equal(&one, &inc));
    }
    /* a different split of different data does not match */
    nv_digest_ctx *ctx = NULL;
    assert_int_equal(nv_digest_begin(algs[a], &ctx, NULL), NV_OK);
    assert_int_equal(nv_digest_update(ctx, data, sizeof(data) - 1, NULL), NV_OK);
    nv_digest shorter;
    assert_int_equal(nv_digest_end(ctx, &shorter, NULL), NV_OK);
    assert_false(nv_digest_equal(&one, &shorter));
  }

  /* "abc" in three pieces gives the FIPS value */
  nv_digest_ctx *ctx = NULL;
  assert_int_equal(nv_digest_begin(NV_DIGEST_SHA256, &ctx, NULL), NV_OK);
  assert_int_equal(nv_digest_update(ctx, "a", 1, NULL), NV_OK);
  assert_int_equal(nv_digest_update(ctx, "b", 1, NULL), NV_OK);
  assert_int_equal(nv_digest_update(ctx, "c", 1, NULL), NV_OK);
  nv_digest dg;
  assert_int_equal(nv_digest_end(ctx, &dg, NULL), NV_OK);
  char buf[NV_DIGEST_STRING_MAX];
  assert_int_equal(nv_digest_format(&dg, buf, sizeof(buf), NULL), NV_OK);
  assert_string_equal(buf, sha256_abc);
}

static void test_incremental_errors(void **state)
{
  (void)state;
  nv_digest_ctx *ctx = (nv_digest_ctx *)&ctx; /* must be reset to NULL */
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_digest_begin(NV_DIGEST_NONE, &ctx, &d), NV_E_DIGEST_UNSUPPORTED);
  assert_null(ctx);
  assert_int_equal(nv_digest_begin((nv_digest_alg)99, &ctx, &d), NV_E_DIGEST_UNSUPPORTED);
  assert_null(ctx);
  assert_int_equal(nv_digest_begin(NV_DIGEST_SHA256, NULL, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_digest_update(NULL, "x", 1, &d), NV_E_INVALID_ARG);
  nv_digest dg;
  assert_int_equal(nv_digest_end(NULL, &dg, &d), NV_E_INVALID_ARG);
  nv_digest_abort(NULL);

  /* end with a NULL output still frees (checked under valgrind / ASan) */
  assert_int_equal(nv_digest_begin(NV_DIGEST_SHA384, &ctx, &d), NV_OK);
  assert_int_equal(nv_digest_update(ctx, NULL, 5, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_digest_end(ctx, NULL, &d), NV_E_INVALID_ARG);

  /* abort frees a context in the middle of hashing */
  assert_int_equal(nv_digest_begin(NV_DIGEST_SHA512, &ctx, &d), NV_OK);
  assert_int_equal(nv_digest_update(ctx, "abc", 3, &d), NV_OK);
  nv_digest_abort(ctx);
}

static void test_format_errors(void **state)
{
  (void)state;
  nv_digest dg;
  assert_int_equal(nv_digest_compute(NV_DIGEST_SHA512, "abc", 3, &dg, NULL), NV_OK);
  char buf[NV_DIGEST_STRING_MAX];
  /* exactly enough: "sha512:" + 128 + NUL = 136 */
  assert_int_equal(NV_DIGEST_STRING_MAX, 136);
  assert_int_equal(nv_digest_format(&dg, buf, 136, NULL), NV_OK);
  assert_int_equal(strlen(buf), 135);
  memset(buf, 'x', sizeof(buf));
  assert_int_equal(nv_digest_format(&dg, buf, 135, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_digest_format(&dg, buf, 0, NULL), NV_E_INVALID_ARG);
  assert_int_equal(buf[0], 'x');

  nv_digest s256;
  assert_int_equal(nv_digest_compute(NV_DIGEST_SHA256, "abc", 3, &s256, NULL), NV_OK);
  char small[72];
  assert_int_equal(nv_digest_format(&s256, small, 72, NULL), NV_OK);
  assert_string_equal(small, sha256_abc);
  assert_int_equal(nv_digest_format(&s256, small, 71, NULL), NV_E_INVALID_ARG);

  nv_digest empty;
  memset(&empty, 0, sizeof(empty));
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_digest_format(&empty, buf, sizeof(buf), &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_diag_status(&d), NV_E_INVALID_ARG);
  nv_digest odd = s256;
  odd.len = 20;
  assert_int_equal(nv_digest_format(&odd, buf, sizeof(buf), NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_digest_format(NULL, buf, sizeof(buf), NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_digest_format(&s256, NULL, sizeof(buf), NULL), NV_E_INVALID_ARG);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sizes_and_names),
    cmocka_unit_test(test_known_answers),
    cmocka_unit_test(test_compute_empty_null),
    cmocka_unit_test(test_parse_format_roundtrip),
    cmocka_unit_test(test_parse_unsupported),
    cmocka_unit_test(test_parse_format_errors),
    cmocka_unit_test(test_parse_respects_len),
    cmocka_unit_test(test_equal),
    cmocka_unit_test(test_incremental),
    cmocka_unit_test(test_incremental_errors),
    cmocka_unit_test(test_format_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
