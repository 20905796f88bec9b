/*
 * Strict base64 / base64url: RFC 4648 vectors both ways, and every class of
 * input that must be refused, with the output buffer left untouched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/nv_base64.h"

#define LIMIT 4096

typedef nv_status (*decode_fn)(const char *in, size_t len, nv_buf *out, nv_diag *d);
typedef nv_status (*encode_fn)(const uint8_t *in, size_t len, nv_buf *out, nv_diag *d);

struct vector {
  const char *plain;
  const char *std;
  const char *url;
};

/* RFC 4648 section 10, plus bytes that differ between the two alphabets. */
static const struct vector vectors[] = {
  { "", "", "" },
  { "f", "Zg==", "Zg" },
  { "fo", "Zm8=", "Zm8" },
  { "foo", "Zm9v", "Zm9v" },
  { "foob", "Zm9vYg==", "Zm9vYg" },
  { "fooba", "Zm9vYmE=", "Zm9vYmE" },
  { "foobar", "Zm9vYmFy", "Zm9vYmFy" },
  { "\xfb\xff\xbf", "+/+/", "-_-_" },
  { "\xff\xff\xff\xfe", "/////g==", "_____g" },
  { "\x00", "AA==", "AA" },
  { "\x00\x00\x00", "AAAA", "AAAA" },
};

static size_t plain_len(const struct vector *v)
{
  /* The NUL-byte vectors: the decoded length follows from the encoding. */
  size_t n = strlen(v->std);
  size_t pad = 0;
  while (pad < n && v->std[n - 1 - pad] == '=')
    pad++;
  return n / 4 * 3 - pad;
}

static void check_decode(decode_fn fn, const char *enc, const uint8_t *want, size_t want_len)
{
  nv_buf b;
  nv_diag d;
  nv_diag_init(&d);
  nv_buf_init(&b, LIMIT);
  assert_int_equal(fn(enc, strlen(enc), &b, &d), NV_OK);
  assert_int_equal(b.len, want_len);
  if (want_len > 0)
    assert_memory_equal(b.data, want, want_len);
  nv_buf_free(&b);
}

static void check_encode(encode_fn fn, const uint8_t *in, size_t len, const char *want)
{
  nv_buf b;
  nv_diag d;
  nv_diag_init(&d);
  nv_buf_init(&b, LIMIT);
  assert_int_equal(fn(in, len, &b, &d), NV_OK);
  assert_int_equal(b.len, strlen(want));
  if (b.len > 0)
    assert_memory_equal(b.data, want, b.len);
  nv_buf_free(&b);
}

static void test_vectors(void **state)
{
  (void)state;
  for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
    const struct vector *v = &vectors[i];
    const uint8_t *p = (const uint8_t *)v->plain;
    size_t n = plain_len(v);
    check_decode(nv_base64_decode, v->std, p, n);
    check_decode(nv_base64url_decode, v->url, p, n);
    check_encode(nv_base64_encode, p, n, v->std);
    check_encode(nv_base64url_encode, p, n, v->url);
  }
}

/* Decoding appends after what the buffer already holds. */
static void test_decode_appends(void **state)
{
  (void)state;
  nv_buf b;
  nv_buf_init(&b, LIMIT);
  assert_int_equal(nv_buf_append(&b, "xy", 2, NULL), NV_OK);
  assert_int_equal(nv_base64url_decode("Zm9vYg", 6, &b, NULL), NV_OK);
  assert_int_equal(b.len, 6);
  assert_memory_equal(b.data, "xyfoob", 6);
  assert_int_equal(nv_base64_encode((const uint8_t *)"f", 1, &b, NULL), NV_OK);
  assert_int_equal(b.len, 10);
  assert_memory_equal(b.data, "xyfoobZg==", 10);
  nv_buf_free(&b);
}

/* Every byte value and every tail length round-trips through both codecs. */
static void test_roundtrip_all_bytes(void **state)
{
  (void)state;
  uint8_t in[300];
  for (size_t i = 0; i < sizeof(in); i++)
    in[i] = (uint8_t)(i * 7 + 3);
  for (size_t n = 0; n <= sizeof(in); n += (n < 16 ? 1 : 37)) {
    for (int url = 0; url <= 1; url++) {
      nv_buf enc, dec;
      nv_buf_init(&enc, LIMIT);
      nv_buf_init(&dec, LIMIT);
      encode_fn ef = url ? nv_base64url_encode : nv_base64_encode;
      decode_fn df = url ? nv_base64url_decode : nv_base64_decode;
      assert_int_equal(ef(in, n, &enc, NULL), NV_OK);
      if (!url)
        assert_int_equal(enc.len % 4, 0);
      assert_int_equal(df((const char *)enc.data, enc.len, &dec, NULL), NV_OK);
      assert_int_equal(dec.len, n);
      if (n > 0)
        assert_memory_equal(dec.data, in, n);
      nv_buf_free(&enc);
      nv_buf_free(&dec);
    }
  }
}

/*
 * Expect NV_E_BASE64; the pre-filled buffer must keep its length and bytes,
 * and the message must name `offset` when one is given (>= 0).
 */
static void expect_reject(decode_fn fn, const char *in, size_t len, long offset)
{
  nv_buf b;
  nv_diag d;
  nv_diag_init(&d);
  nv_buf_init(&b, LIMIT);
  assert_int_equal(nv_buf_append(&b, "PREFILL", 7, NULL), NV_OK);
  nv_status rc = fn(in, len, &b, &d);
  if (rc != NV_E_BASE64)
    fail_msg("input \"%.*s\" gave %d, expected NV_E_BASE64", (int)len, in, (int)rc);
  assert_int_equal(nv_diag_status(&d), NV_E_BASE64);
  assert_int_equal(b.len, 7);
  assert_memory_equal(b.data, "PREFILL", 7);
  if (offset >= 0) {
    char want[64];
    snprintf(want, sizeof(want), "offset %ld", offset);
    if (strstr(d.msg, want) == NULL)
      fail_msg("message \"%s\" does not mention \"%s\"", d.msg, want);
  }
  nv_buf_free(&b);
}

#define REJECT_STD(s, off) expect_reject(nv_base64_decode, (s), sizeof(s) - 1, (off))
#define REJECT_URL(s, off) expect_reject(nv_base64url_decode, (s), sizeof(s) - 1, (off))

static void test_url_rejects_padding(void **state)
{
  (void)state;
  /* the JWS case: a canonical segment plus a stray '=' */
  REJECT_URL("Zm9vYg=", 6);
  REJECT_URL("Zm9vYg==", 6);
  REJECT_URL("Zm8=", 3);
  REJECT_URL("Zm9v=", 4);
  REJECT_URL("=", 0);
  REJECT_URL("Zm=9v", 2);
}

static void test_std_padding_rules(void **state)
{
  (void)state;
  /* missing padding */
  REJECT_STD("Zg", -1);
  REJECT_STD("Zm8", -1);
  REJECT_STD("Zm9vYg", -1);
  REJECT_STD("Zg=", -1);
  /* padding in the middle */
  REJECT_STD("Zg==Zm9v", 2);
  REJECT_STD("Zm=v", 2);
  REJECT_STD("=m9v", 0);
  /* too much padding */
  REJECT_STD("Z===", 1);
  REJECT_STD("====", 0);
  REJECT_STD("Zm9v====", 4);
}

static void test_wrong_alphabet(void **state)
{
  (void)state;
  REJECT_STD("-_-_", 0);
  REJECT_STD("+/+_", 3);
  REJECT_URL("+/+/", 0);
  REJECT_URL("-_-/", 3);
  /* and the right characters in each are accepted */
  check_decode(nv_base64_decode, "+/+/", (const uint8_t *)"\xfb\xff\xbf", 3);
  check_decode(nv_base64url_decode, "-_-_", (const uint8_t *)"\xfb\xff\xbf", 3);
}

static void test_whitespace_and_other_bytes(void **state)
{
  (void)state;
  REJECT_STD(" Zm9v", 0);
  REJECT_STD("Zm9v ", 4);
  REJECT_STD("Zm9v\nZm9v", 4);
  REJECT_STD("Zm 9", 2);
  REJECT_STD("Zm\t9", 2);
  REJECT_STD("Zm\r\n", 2);
  REJECT_URL("Zm 9v", 2);
  REJECT_URL("Zm9v\n", 4);
  REJECT_URL("Zm9v\r\n", 4);
  REJECT_URL("Zm.9", 2);
  REJECT_URL("Zm9*", 3);
  REJECT_STD("Zm9\x80", 3);
  REJECT_URL("Zm9\xff", 3);
  /* NUL inside the given length */
  REJECT_STD("Zm\0v", 2);
  REJECT_URL("Zm9v\0\0", 4);
  REJECT_URL("\0", 0);
}

static void test_noncanonical_trailing_bits(void **state)
{
  (void)state;
  /* 1-byte tail: 4 unused bits */
  check_decode(nv_base64_decode, "QQ==", (const uint8_t *)"A", 1);
  REJECT_STD("QR==", 1);
  REJECT_STD("QX==", 1);
  REJECT_STD("Q/==", 1);
  check_decode(nv_base64url_decode, "QQ", (const uint8_t *)"A", 1);
  REJECT_URL("QR", 1);
  REJECT_URL("Q_", 1);
  REJECT_URL("Zm9vYh", 5);
  /* 2-byte tail: 2 unused bits */
  check_decode(nv_base64_decode, "QUI=", (const uint8_t *)"AB", 2);
  REJECT_STD("QUJ=", 2);
  REJECT_STD("QUL=", 2);
  REJECT_STD("Zm9=", 2);
  check_decode(nv_base64url_decode, "QUI", (const uint8_t *)"AB", 2);
  REJECT_URL("QUJ", 2);
  REJECT_URL("QUK", 2);
  REJECT_URL("Zm9vYmF", 6);
}

static void test_url_length_mod_4(void **state)
{
  (void)state;
  REJECT_URL("Z", 0);
  REJECT_URL("Zm9vZ", 4);
  REJECT_URL("Zm9vYmFyZ", 8);
  /* a lone 'A' carries no set bits, so only the length check refuses it */
  REJECT_URL("A", 0);
  REJECT_URL("AAAAA", 4);
  REJECT_URL("Zm9vA", 4);
  /* std refuses every length that is not a multiple of 4 */
  REJECT_STD("Z", -1);
  REJECT_STD("Zm9vZ", -1);
}

static void test_empty(void **state)
{
  (void)state;
  nv_buf b;
  nv_buf_init(&b, 16);
  assert_int_equal(nv_base64_decode("", 0, &b, NULL), NV_OK);
  assert_int_equal(nv_base64url_decode("", 0, &b, NULL), NV_OK);
  assert_int_equal(nv_base64_decode(NULL, 0, &b, NULL), NV_OK);
  assert_int_equal(nv_base64_encode(NULL, 0, &b, NULL), NV_OK);
  assert_int_equal(nv_base64url_encode(NULL, 0, &b, NULL), NV_OK);
  assert_int_equal(b.len, 0);
  nv_buf_free(&b);
}

static void test_limit(void **state)
{
  (void)state;
  nv_buf b;
  nv_diag d;
  nv_diag_init(&d);
  /* "foobar" needs 6 bytes */
  nv_buf_init(&b, 5);
  assert_int_equal(nv_base64_decode("Zm9vYmFy", 8, &b, &d), NV_E_LIMIT);
  assert_int_equal(nv_diag_status(&d), NV_E_LIMIT);
  assert_int_equal(b.len, 0);
  assert_int_equal(nv_base64url_decode("Zm9vYmFy", 8, &b, &d), NV_E_LIMIT);
  assert_int_equal(b.len, 0);
  /* 5 bytes fit exactly */
  assert_int_equal(nv_base64url_decode("Zm9vYmE", 7, &b, &d), NV_OK);
  assert_int_equal(b.len, 5);
  /* a full buffer refuses one more byte and keeps its contents */
  assert_int_equal(nv_base64_decode("Zg==", 4, &b, &d), NV_E_LIMIT);
  assert_int_equal(b.len, 5);
  assert_memory_equal(b.data, "fooba", 5);
  nv_buf_free(&b);

  /* encoding: 3 bytes make 4 characters */
  nv_buf_init(&b, 3);
  assert_int_equal(nv_base64_encode((const uint8_t *)"foo", 3, &b, &d), NV_E_LIMIT);
  assert_int_equal(nv_base64url_encode((const uint8_t *)"foo", 3, &b, &d), NV_E_LIMIT);
  assert_int_equal(b.len, 0);
  /* url without padding needs only 3 characters for 2 bytes; std needs 4 */
  assert_int_equal(nv_base64_encode((const uint8_t *)"fo", 2, &b, &d), NV_E_LIMIT);
  assert_int_equal(nv_base64url_encode((const uint8_t *)"fo", 2, &b, &d), NV_OK);
  assert_int_equal(b.len, 3);
  assert_memory_equal(b.data, "Zm8", 3);
  nv_buf_free(&b);
}

/* An invalid input is refused even when it would not fit in the buffer:
 * either error is acceptable, but never success and never a changed len. */
static void test_error_preserves_larger_buffer(void **state)
{
  (void)state;
  nv_buf b;
  nv_buf_init(&b, LIMIT);
  char in[400];
  memset(in, 'A', sizeof(in));
  in[sizeof(in) - 2] = '=';
  in[sizeof(in) - 1] = '=';
  in[200] = '!';
  assert_int_equal(nv_buf_append(&b, "keep", 4, NULL), NV_OK);
  assert_int_equal(nv_base64_decode(in, sizeof(in), &b, NULL), NV_E_BASE64);
  assert_int_equal(b.len, 4);
  assert_memory_equal(b.data, "keep", 4);
  /* the same text without the bad character decodes */
  in[200] = 'A';
  assert_int_equal(nv_base64_decode(in, sizeof(in), &b, NULL), NV_OK);
  assert_int_equal(b.len, 4 + 298);
  nv_buf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_vectors),
    cmocka_unit_test(test_decode_appends),
    cmocka_unit_test(test_roundtrip_all_bytes),
    cmocka_unit_test(test_url_rejects_padding),
    cmocka_unit_test(test_std_padding_rules),
    cmocka_unit_test(test_wrong_alphabet),
    cmocka_unit_test(test_whitespace_and_other_bytes),
    cmocka_unit_test(test_noncanonical_trailing_bits),
    cmocka_unit_test(test_url_length_mod_4),
    cmocka_unit_test(test_empty),
    cmocka_unit_test(test_limit),
    cmocka_unit_test(test_error_preserves_larger_buffer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
