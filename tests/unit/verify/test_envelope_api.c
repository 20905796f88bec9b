/*
 * The public envelope API as a program sees it (notaryc.h and the shared
 * library only): nv_envelope_parse and every accessor on the envelopes
 * notation-go made for the benchmarks (RSA-3072 PS384 and P-256 ES256, JWS
 * and COSE), nv_envelope_verify_integrity on them and on tampered copies,
 * the parse errors and their codes, the notation-core-go JWS conformance
 * envelope (extended attributes, no certificates), signingAuthority and
 * timestamped reference envelopes, envelopes of data/gen_envelopes.py that
 * parse but fail integrity, and the NULL-safety of every function.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <notaryc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MT_JWS "application/jose+json"
#define MT_COSE "application/cose"
#define CTY "application/vnd.cncf.notary.payload.v1+json"

#define MOCK_DIR NV_VECTORS "/notation-go/internal/mock/testdata"
#define TS_DIR NV_VECTORS "/notation-go/verifier/testdata/timestamp/sigEnv"
#define CONFORMANCE NV_VECTORS "/notation-core-go/signature/jws/testdata/conformance.json"

/* 2024-01-01T00:00:00Z: every fixture was signed after it */
#define T_2024 INT64_C(1704067200)

static int setup(void **state)
{
  nv_ctx *ctx = NULL;
  if (nv_global_init(NV_INIT_DEFAULT) != NV_OK || nv_ctx_new(&ctx) != NV_OK)
    return -1;
  *state = ctx;
  return 0;
}

static int teardown(void **state)
{
  nv_ctx_free(*state);
  nv_global_cleanup();
  return 0;
}


/* Where `needle` first occurs in `hay`, or NULL (memmem is not C11). */
static const uint8_t *find_bytes(const void *hay, size_t hay_len, const void *needle, size_t n)
{
  const uint8_t *h = hay;
  for (size_t i = 0; n <= hay_len && i <= hay_len - n; i++)
    if (memcmp(h + i, needle, n) == 0)
      return h + i;
  return NULL;
}

/* The DER of the first certificate of a PEM file (a small, strict base64
 * decoder; the library's own is not public). */
static bytes pem_to_der(const bytes *pem)
{
  static const char begin[] = "-----BEGIN CERTIFICATE-----";
  static const char end[] = "-----END CERTIFICATE-----";
  char *text = malloc(pem->len + 1);
  assert_non_null(text);
  memcpy(text, pem->data, pem->len);
  text[pem->len] = '\0';
  char *p = strstr(text, begin);
  assert_non_null(p);
  p += sizeof(begin) - 1;
  char *q = strstr(p, end);
  assert_non_null(q);
  bytes out = {malloc((size_t)(q - p)), 0};
  assert_non_null(out.data);
  uint32_t acc = 0;
  int bits = 0;
  for (; p < q; p++) {
    int v = 0;
    char c = *p;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+')
      v = 62;
    else if (c == '/')
      v = 63;
    else if (c == '=')
      break;
    else if (c == '\n' || c == '\r')
      continue;
    else
      fail_msg("unexpected character 0x%02x in PEM", (unsigned char)c);
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.data[out.len++] = (uint8_t)(acc >> bits);
    }
  }
  free(text);
  return out;
}

/* Parse a file; fail with the library's message if that fails. */
static nv_envelope *parse_file(nv_ctx *ctx, const char *dir, const char *name,
                               const char *media_type)
{
  bytes b = slurp_in(dir, name);
  nv_envelope *env = NULL;
  nv_status rc = nv_envelope_parse(ctx, media_type, b.data, b.len, &env);
  if (rc != NV_OK)
    fail_msg("%s: nv_envelope_parse gave %d: %s", name, rc, nv_ctx_last_error(ctx));
  assert_non_null(env);
  /* the envelope keeps its own copy */
  memset(b.data, 0, b.len);
  bytes_free(&b);
  return env;
}

/* ------------------------------------------------------------------ */
/* the benchmark fixtures, made by notation-go                         */

typedef struct fixture {
  const char *dir;
  const char *file;
  const char *media_type;
  const char *alg;
  const char *leaf_cn;
  const char *root_cn;
} fixture;

static const fixture fixtures[] = {
  {"rsa3072", "signature.jws", MT_JWS, "PS384", "CN=Notary Bench RSA-3072 Signer",
   "CN=Notary Bench RSA-3072 Root CA"},
  {"rsa3072", "signature.cose", MT_COSE, "PS384", "CN=Notary Bench RSA-3072 Signer",
   "CN=Notary Bench RSA-3072 Root CA"},
  {"ecp256", "signature.jws", MT_JWS, "ES256", "CN=Notary Bench EC P-256 Signer",
   "CN=Notary Bench EC P-256 Root CA"},
  {"ecp256", "signature.cose", MT_COSE, "ES256", "CN=Notary Bench EC P-256 Signer",
   "CN=Notary Bench EC P-256 Root CA"},
};
#define N_FIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))

static void check_fixture(nv_ctx *ctx, const fixture *fx)
{
  char name[256];
  snprintf(name, sizeof(name), "%s/%s", fx->dir, fx->file);
  nv_envelope *env = parse_file(ctx, NV_BENCH_FIXTURES, name, fx->media_type);
  /* a success leaves no error behind */
  assert_int_equal(nv_ctx_last_status(ctx), NV_OK);
  assert_string_equal(nv_ctx_last_error(ctx), "");

  assert_string_equal(nv_envelope_media_type(env), fx->media_type);
  assert_string_equal(nv_envelope_signing_scheme(env), "notary.x509");
  assert_string_equal(nv_envelope_signature_algorithm(env), fx->alg);
  assert_string_equal(nv_envelope_content_type(env), CTY);
  /* notation-go writes its version as the (unsigned) signing agent */
  assert_non_null(nv_envelope_signing_agent(env));
  assert_string_equal(nv_envelope_signing_agent(env), "Notation/1.0.0");

  /* signingTime 2026-11-27T05:31:09Z in both formats */
  int64_t t = -1;
  assert_int_equal(nv_envelope_signing_time(env, &t), NV_OK);
  assert_true(t > T_2024);
  assert_int_equal(t, INT64_C(1795757469));
  /* notary.x509 has no authentic signing time; these fixtures no expiry;
   * the output is left alone then */
  int64_t untouched = 42;
  assert_int_equal(nv_envelope_authentic_signing_time(env, &untouched), NV_E_NOT_FOUND);
  assert_int_equal(untouched, 42);
  assert_int_equal(nv_envelope_expiry(env, &untouched), NV_E_NOT_FOUND);
  assert_int_equal(untouched, 42);

  size_t len = 0;
  const uint8_t *payload = nv_envelope_payload(env, &len);
  assert_non_null(payload);
  assert_true(len > 100);
  assert_int_equal(payload[0], '{');
  assert_int_equal(payload[len - 1], '}');
  assert_non_null(find_bytes(payload, len, "\"targetArtifact\"", 16));
  assert_non_null(find_bytes(payload, len,
                         "sha256:f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268",
                         71));
  /* a NULL length pointer is allowed */
  assert_ptr_equal(nv_envelope_payload(env, NULL), payload);

  len = 99;
  assert_null(nv_envelope_timestamp_token(env, &len));
  assert_int_equal(len, 0);

  /* the chain: leaf.crt then root.crt, byte for byte */
  assert_int_equal(nv_envelope_cert_count(env), 2);
  static const char *const pem_names[] = {"leaf.crt", "root.crt"};
  for (size_t i = 0; i < 2; i++) {
    len = 0;
    const uint8_t *der = nv_envelope_cert_der(env, i, &len);
    assert_non_null(der);
    assert_true(len > 100);
    assert_int_equal(der[0], 0x30);
    char pem_path[256];
    snprintf(pem_path, sizeof(pem_path), "%s/%s", fx->dir, pem_names[i]);
    bytes pem = slurp_in(NV_BENCH_FIXTURES, pem_path);
    bytes want = pem_to_der(&pem);
    assert_int_equal(len, want.len);
    assert_memory_equal(der, want.data, len);
    bytes_free(&want);
    bytes_free(&pem);

    const char *subject = nv_envelope_cert_subject(env, i);
    assert_non_null(subject);
    assert_non_null(strstr(subject, "Notary Bench"));
    /* most specific RDN first */
    const char *cn = i == 0 ? fx->leaf_cn : fx->root_cn;
    assert_int_equal(strncmp(subject, cn, strlen(cn)), 0);
    assert_non_null(strstr(subject, "O=Notary Bench"));
  }
  /* out of range */
  len = 99;
  assert_null(nv_envelope_cert_der(env, 2, &len));
  assert_int_equal(len, 0);
  len = 99;
  assert_null(nv_envelope_cert_der(env, SIZE_MAX, &len));
  assert_int_equal(len, 0);
  assert_null(nv_envelope_cert_subject(env, 2));
  assert_null(nv_envelope_cert_subject(env, SIZE_MAX));

  assert_int_equal(nv_envelope_attribute_count(env), 0);
  assert_null(nv_envelope_attribute_name(env, 0));
  assert_int_equal(nv_envelope_attribute_critical(env, 0), 0);
  assert_null(nv_envelope_attribute_value(env, 0));

  assert_int_equal(nv_envelope_verify_integrity(ctx, env), NV_OK);
  assert_int_equal(nv_ctx_last_status(ctx), NV_OK);
  assert_string_equal(nv_ctx_last_error(ctx), "");
  /* and again: verifying does not change the envelope */
  assert_int_equal(nv_envelope_verify_integrity(ctx, env), NV_OK);
  nv_envelope_free(env);
}

static void bench_rsa3072_jws(void **state) { check_fixture(*state, &fixtures[0]); }
static void bench_rsa3072_cose(void **state) { check_fixture(*state, &fixtures[1]); }
static void bench_ecp256_jws(void **state) { check_fixture(*state, &fixtures[2]); }
static void bench_ecp256_cose(void **state) { check_fixture(*state, &fixtures[3]); }

/* Index of the first character of the JWS "signature" member's value. */
static size_t jws_signature_offset(const bytes *b)
{
  static const char key[] = "\"signature\":\"";
  const uint8_t *p = find_bytes(b->data, b->len, key, sizeof(key) - 1);
  assert_non_null(p);
  return (size_t)(p - b->data) + sizeof(key) - 1;
}

/* A byte of the signature changed: parses, fails integrity. */
static void tampered_signature(void **state)
{
  nv_ctx *ctx = *state;
  for (size_t i = 0; i < N_FIXTURES; i++) {
    char name[256];
    snprintf(name, sizeof(name), "%s/%s", fixtures[i].dir, fixtures[i].file);
    bytes b = slurp_in(NV_BENCH_FIXTURES, name);
    if (strcmp(fixtures[i].media_type, MT_JWS) == 0) {
      size_t at = jws_signature_offset(&b) + 10;
      b.data[at] = b.data[at] == 'A' ? 'B' : 'A';
    } else {
      b.data[b.len - 10] ^= 0x80; /* the signature is the last COSE element */
    }
    nv_envelope *env = NULL;
    assert_int_equal(nv_envelope_parse(ctx, fixtures[i].media_type, b.data, b.len, &env), NV_OK);
    assert_non_null(env);
    assert_string_equal(nv_envelope_signature_algorithm(env), fixtures[i].alg);
    assert_int_equal(nv_envelope_cert_count(env), 2);
    assert_int_equal(nv_envelope_verify_integrity(ctx, env), NV_E_SIGNATURE_INVALID);
    assert_int_equal(nv_ctx_last_status(ctx), NV_E_SIGNATURE_INVALID);
    assert_true(strlen(nv_ctx_last_error(ctx)) > 0);
    assert_non_null(strstr(nv_ctx_last_error(ctx), "signature is invalid"));
    nv_envelope_free(env);
    bytes_free(&b);
  }
}

/* ------------------------------------------------------------------ */
/* parse errors                                                        */

/* A pointer value that is not NULL, to see that *out is reset. */
static nv_envelope *sentinel(void)
{
  static int dummy;
  nv_envelope *p;
  void *v = &dummy;
  memcpy(&p, &v, sizeof(p));
  return p;
}

static void expect_parse_error(nv_ctx *ctx, const char *what, const char *media_type,
                               const uint8_t *data, size_t len, nv_status want,
                               const char *message)
{
  nv_envelope *env = sentinel();
  nv_status rc = nv_envelope_parse(ctx, media_type, data, len, &env);
  if (rc != want)
    fail_msg("%s: got %d, want %d: %s", what, rc, want, nv_ctx_last_error(ctx));
  assert_null(env);
  assert_int_equal(nv_ctx_last_status(ctx), want);
  const char *err = nv_ctx_last_error(ctx);
  assert_non_null(err);
  assert_true(strlen(err) > 0);
  if (message != NULL && strstr(err, message) == NULL)
    fail_msg("%s: last error \"%s\" does not contain \"%s\"", what, err, message);
}

static void parse_errors(void **state)
{
  nv_ctx *ctx = *state;
  static const uint8_t garbage[] = "this is not an envelope";
  static const uint8_t not_cose[] = {0x84, 0x40, 0xa0, 0x40, 0x40};
  static const uint8_t half_cose[] = {0xd2, 0x84, 0x58};
  bytes jws = slurp_in(NV_BENCH_FIXTURES, "ecp256/signature.jws");

  expect_parse_error(ctx, "garbage JWS", MT_JWS, garbage, sizeof(garbage) - 1,
                     NV_E_ENVELOPE_PARSE, NULL);
  expect_parse_error(ctx, "garbage COSE", MT_COSE, garbage, sizeof(garbage) - 1,
                     NV_E_ENVELOPE_PARSE, "tag 18");
  expect_parse_error(ctx, "untagged COSE", MT_COSE, not_cose, sizeof(not_cose),
                     NV_E_ENVELOPE_PARSE, "not tagged");
  expect_parse_error(ctx, "truncated COSE", MT_COSE, half_cose, sizeof(half_cose),
                     NV_E_ENVELOPE_PARSE, NULL);
  expect_parse_error(ctx, "JWS bytes as COSE", MT_COSE, jws.data, jws.len, NV_E_ENVELOPE_PARSE,
                     NULL);
  expect_parse_error(ctx, "JSON array", MT_JWS, (const uint8_t *)"[1,2]", 5, NV_E_ENVELOPE_PARSE,
                     NULL);
  expect_parse_error(ctx, "compact JWS", MT_JWS, (const uint8_t *)"eyJhIjoxfQ.e30.AAAA", 19,
                     NV_E_ENVELOPE_PARSE, "compact");
  expect_parse_error(ctx, "empty JWS", MT_JWS, jws.data, 0, NV_E_ENVELOPE_EMPTY, NULL);
  expect_parse_error(ctx, "empty COSE", MT_COSE, jws.data, 0, NV_E_ENVELOPE_EMPTY, NULL);
  expect_parse_error(ctx, "NULL data, no length", MT_JWS, NULL, 0, NV_E_ENVELOPE_EMPTY, NULL);
  expect_parse_error(ctx, "unsupported media type", "application/json", jws.data, jws.len,
                     NV_E_ENVELOPE_FORMAT_UNSUPPORTED, "application/json");
  expect_parse_error(ctx, "media type in capitals", "APPLICATION/JOSE+JSON", jws.data, jws.len,
                     NV_E_ENVELOPE_FORMAT_UNSUPPORTED, NULL);
  expect_parse_error(ctx, "NULL media type", NULL, jws.data, jws.len,
                     NV_E_ENVELOPE_FORMAT_UNSUPPORTED, "media type");
  expect_parse_error(ctx, "NULL data with a length", MT_JWS, NULL, 10, NV_E_INVALID_ARG, "NULL");

  /* NULL out: nothing to return the envelope in */
  assert_int_equal(nv_envelope_parse(ctx, MT_JWS, jws.data, jws.len, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_ctx_last_status(ctx), NV_E_INVALID_ARG);
  assert_true(strlen(nv_ctx_last_error(ctx)) > 0);

  /* NULL context: the status alone, *out still reset */
  nv_envelope *env = sentinel();
  assert_int_equal(nv_envelope_parse(NULL, MT_JWS, jws.data, jws.len, &env), NV_E_INVALID_ARG);
  assert_null(env);

  /* a failure is cleared by the next success */
  env = NULL;
  assert_int_equal(nv_envelope_parse(ctx, MT_JWS, jws.data, jws.len, &env), NV_OK);
  assert_non_null(env);
  assert_int_equal(nv_ctx_last_status(ctx), NV_OK);
  assert_string_equal(nv_ctx_last_error(ctx), "");
  nv_envelope_free(env);
  bytes_free(&jws);
}

/* Certificates are parsed with the envelope: a malformed leaf fails parse. */
static void parse_fails_on_malformed_leaf(void **state)
{
  nv_ctx *ctx = *state;
  static const char *const files[] = {"x5c-leaf-garbage.jws", "x5c-leaf-garbage.cose"};
  for (size_t i = 0; i < 2; i++) {
    bytes b = slurp_in(NV_TEST_DATA, files[i]);
    expect_parse_error(ctx, files[i], i == 0 ? MT_JWS : MT_COSE, b.data, b.len,
                       NV_E_LEAF_CERT_MALFORMED, "malformed leaf certificate");
    bytes_free(&b);
  }
}

/* ------------------------------------------------------------------ */
/* envelopes that parse and fail integrity                             */

static void verify_integrity_failures(void **state)
{
  nv_ctx *ctx = *state;
  static const struct {
    const char *file;
    const char *media_type;
    const char *alg;
    size_t certs;
    nv_status want;
    const char *message;
  } cases[] = {
    {"alg-ps384-rsa2048.jws", MT_JWS, "PS384", 2, NV_E_ALG_KEY_MISMATCH, "(PS256)"},
    {"alg-ps384-rsa2048.cose", MT_COSE, "PS384", 2, NV_E_ALG_KEY_MISMATCH, "(PS256)"},
    {"alg-es256-p384.jws", MT_JWS, "ES256", 2, NV_E_ALG_KEY_MISMATCH, "(ES384)"},
    {"saltmax-rsa2048.cose", MT_COSE, "PS256", 2, NV_E_SIGNATURE_INVALID, NULL},
    {"tampered-payload.cose", MT_COSE, "ES384", 2, NV_E_SIGNATURE_INVALID, NULL},
    {"leaf-serverauth.jws", MT_JWS, "PS256", 2, NV_E_CERT_EKU_INVALID, "ServerAuth"},
    {"root-sha1.jws", MT_JWS, "PS256", 2, NV_E_CERT_WEAK_SIGNATURE_ALGORITHM, NULL},
    {"leaf-ed25519.jws", MT_JWS, "ES256", 2, NV_E_KEY_UNSUPPORTED, NULL},
    {"chain-leaf-only.jws", MT_JWS, "PS256", 1, NV_E_CHAIN_SELF_SIGNED_INVALID, NULL},
    {"x5c-absent.jws", MT_JWS, "PS256", 0, NV_E_CERT_CHAIN_MISSING, "x5c"},
    {"x5c-absent.cose", MT_COSE, "PS256", 0, NV_E_CERT_CHAIN_MISSING, "33"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    nv_envelope *env = parse_file(ctx, NV_TEST_DATA, cases[i].file, cases[i].media_type);
    assert_string_equal(nv_envelope_media_type(env), cases[i].media_type);
    assert_string_equal(nv_envelope_signature_algorithm(env), cases[i].alg);
    assert_int_equal(nv_envelope_cert_count(env), cases[i].certs);
    assert_string_equal(nv_envelope_signing_agent(env), "gen_envelopes.py/1.0");
    int64_t t = 0;
    assert_int_equal(nv_envelope_signing_time(env, &t), NV_OK);
    assert_int_equal(t, INT64_C(1740830400));
    nv_status rc = nv_envelope_verify_integrity(ctx, env);
    if (rc != cases[i].want)
      fail_msg("%s: got %d, want %d: %s", cases[i].file, rc, cases[i].want,
               nv_ctx_last_error(ctx));
    assert_int_equal(nv_ctx_last_status(ctx), cases[i].want);
    assert_true(strlen(nv_ctx_last_error(ctx)) > 0);
    if (cases[i].message != NULL && strstr(nv_ctx_last_error(ctx), cases[i].message) == NULL)
      fail_msg("%s: \"%s\" does not contain \"%s\"", cases[i].file, nv_ctx_last_error(ctx),
               cases[i].message);
    nv_envelope_free(env);
  }
  /* and the valid witnesses pass */
  static const char *const valid[] = {"valid-rsa2048-ps256.cose", "valid-p521-es512.jws",
                                      "valid-rsa2048-inter.jws", "valid-rsa2048-saltmax.jws"};
  for (size_t i = 0; i < 4; i++) {
    const char *mt = strstr(valid[i], ".cose") ? MT_COSE : MT_JWS;
    nv_envelope *env = parse_file(ctx, NV_TEST_DATA, valid[i], mt);
    if (nv_envelope_verify_integrity(ctx, env) != NV_OK)
      fail_msg("%s: %s", valid[i], nv_ctx_last_error(ctx));
    assert_int_equal(nv_envelope_cert_count(env), strstr(valid[i], "inter") ? 3 : 2);
    assert_non_null(strstr(nv_envelope_cert_subject(env, 0), "Witness"));
    nv_envelope_free(env);
  }
}

/* ------------------------------------------------------------------ */
/* reference envelopes                                                 */

/* notation-core-go's JWS conformance envelope: five extended attributes,
 * no certificates. */
static void conformance_envelope(void **state)
{
  nv_ctx *ctx = *state;
  bytes b = slurp_path(CONFORMANCE);
  nv_envelope *env = NULL;
  assert_int_equal(nv_envelope_parse(ctx, MT_JWS, b.data, b.len, &env), NV_OK);
  bytes_free(&b);
  assert_non_null(env);

  assert_string_equal(nv_envelope_signature_algorithm(env), "ES256");
  assert_string_equal(nv_envelope_signing_scheme(env), "notary.x509");
  assert_string_equal(nv_envelope_signing_agent(env), "NotationConformanceTest/1.0.0");
  int64_t t = 0;
  assert_int_equal(nv_envelope_signing_time(env, &t), NV_OK);
  assert_int_equal(t, INT64_C(1661781000)); /* 2022-08-29T13:50:00Z */
  assert_int_equal(nv_envelope_expiry(env, &t), NV_OK);
  assert_int_equal(t, INT64_C(4091781000)); /* 2099-08-30T13:50:00Z */
  size_t len = 0;
  const uint8_t *payload = nv_envelope_payload(env, &len);
  assert_int_equal(len, 19);
  assert_memory_equal(payload, "{\"key\":\"hello JWS\"}", 19);

  assert_int_equal(nv_envelope_cert_count(env), 0);
  len = 99;
  assert_null(nv_envelope_cert_der(env, 0, &len));
  assert_int_equal(len, 0);
  assert_null(nv_envelope_cert_subject(env, 0));

  static const struct {
    const char *name;
    int32_t critical;
    const char *value;
  } attrs[] = {
    {"signedCritKey1", 1, "\"signedCritValue1\""},
    {"signedKey1", 0, "\"signedValue1\""},
    {"signedKey2", 0, "\"signedValue1\""},
    {"signedKey3", 0, "\"signedValue1\""},
    {"signedKey4", 0, "\"signedValue1\""},
  };
  assert_int_equal(nv_envelope_attribute_count(env), 5);
  for (size_t i = 0; i < 5; i++) {
    assert_string_equal(nv_envelope_attribute_name(env, i), attrs[i].name);
    assert_int_equal(nv_envelope_attribute_critical(env, i), attrs[i].critical);
    assert_string_equal(nv_envelope_attribute_value(env, i), attrs[i].value);
  }
  assert_null(nv_envelope_attribute_name(env, 5));
  assert_int_equal(nv_envelope_attribute_critical(env, 5), 0);
  assert_null(nv_envelope_attribute_value(env, 5));
  assert_null(nv_envelope_attribute_name(env, SIZE_MAX));

  assert_int_equal(nv_envelope_verify_integrity(ctx, env), NV_E_CERT_CHAIN_MISSING);
  assert_int_equal(nv_ctx_last_status(ctx), NV_E_CERT_CHAIN_MISSING);
  assert_non_null(strstr(nv_ctx_last_error(ctx), "certificate chain is not present"));
  nv_envelope_free(env);
}

/* A signingAuthority envelope: authentic signing time instead of the
 * signing time; the agent is written "io.cncf.notary.SigningAgent". */
static void signing_authority_envelope(void **state)
{
  nv_ctx *ctx = *state;
  nv_envelope *env = parse_file(ctx, MOCK_DIR, "sa_valid_sig_env.json", MT_JWS);
  assert_string_equal(nv_envelope_signing_scheme(env), "notary.x509.signingAuthority");
  assert_string_equal(nv_envelope_signature_algorithm(env), "PS384");
  int64_t t = 7;
  assert_int_equal(nv_envelope_signing_time(env, &t), NV_E_NOT_FOUND);
  assert_int_equal(t, 7);
  assert_int_equal(nv_envelope_authentic_signing_time(env, &t), NV_OK);
  assert_int_equal(t, INT64_C(1604905200)); /* 2020-11-09T07:00:00Z */
  assert_int_equal(nv_envelope_expiry(env, &t), NV_OK);
  assert_int_equal(t, INT64_C(4760578800)); /* 2120-11-09T07:00:00Z */
  assert_string_equal(nv_envelope_signing_agent(env), "Notation/1.0.0");
  assert_int_equal(nv_envelope_cert_count(env), 2);
  assert_int_equal(nv_envelope_verify_integrity(ctx, env), NV_OK);
  nv_envelope_free(env);
}

/* Timestamped envelopes expose the RFC 3161 token (a DER SEQUENCE). */
static void timestamp_token(void **state)
{
  nv_ctx *ctx = *state;
  static const struct {
    const char *file;
    const char *media_type;
  } files[] = {{"jwsWithTimestamp.sig", MT_JWS}, {"coseWithTimestamp.sig", MT_COSE}};
  for (size_t i = 0; i < 2; i++) {
    nv_envelope *env = parse_file(ctx, TS_DIR, files[i].file, files[i].media_type);
    size_t len = 0;
    const uint8_t *tst = nv_envelope_timestamp_token(env, &len);
    assert_non_null(tst);
    assert_true(len > 100);
    assert_int_equal(tst[0], 0x30);
    assert_int_equal(nv_envelope_cert_count(env), 1);
    assert_int_equal(nv_envelope_verify_integrity(ctx, env), NV_OK);
    nv_envelope_free(env);
  }
  nv_envelope *env = parse_file(ctx, TS_DIR, "withoutTimestamp.sig", MT_JWS);
  size_t len = 5;
  assert_null(nv_envelope_timestamp_token(env, &len));
  assert_int_equal(len, 0);
  nv_envelope_free(env);
}

/* ------------------------------------------------------------------ */
/* NULL safety                                                         */

static void null_envelope_accessors(void **state)
{
  nv_ctx *ctx = *state;
  int64_t t = 5;
  size_t len = 5;

  assert_null(nv_envelope_media_type(NULL));
  assert_null(nv_envelope_signing_scheme(NULL));
  assert_null(nv_envelope_signature_algorithm(NULL));
  assert_null(nv_envelope_content_type(NULL));
  assert_null(nv_envelope_signing_agent(NULL));
  assert_int_equal(nv_envelope_signing_time(NULL, &t), NV_E_INVALID_ARG);
  assert_int_equal(nv_envelope_authentic_signing_time(NULL, &t), NV_E_INVALID_ARG);
  assert_int_equal(nv_envelope_expiry(NULL, &t), NV_E_INVALID_ARG);
  assert_int_equal(t, 5);
  assert_int_equal(nv_envelope_signing_time(NULL, NULL), NV_E_INVALID_ARG);
  assert_null(nv_envelope_payload(NULL, &len));
  assert_int_equal(len, 0);
  assert_null(nv_envelope_payload(NULL, NULL));
  len = 5;
  assert_null(nv_envelope_timestamp_token(NULL, &len));
  assert_int_equal(len, 0);
  assert_null(nv_envelope_timestamp_token(NULL, NULL));
  assert_int_equal(nv_envelope_cert_count(NULL), 0);
  len = 5;
  assert_null(nv_envelope_cert_der(NULL, 0, &len));
  assert_int_equal(len, 0);
  assert_null(nv_envelope_cert_der(NULL, 0, NULL));
  assert_null(nv_envelope_cert_subject(NULL, 0));
  assert_int_equal(nv_envelope_attribute_count(NULL), 0);
  assert_null(nv_envelope_attribute_name(NULL, 0));
  assert_int_equal(nv_envelope_attribute_critical(NULL, 0), 0);
  assert_null(nv_envelope_attribute_value(NULL, 0));

  assert_int_equal(nv_envelope_verify_integrity(ctx, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_ctx_last_status(ctx), NV_E_INVALID_ARG);
  assert_true(strlen(nv_ctx_last_error(ctx)) > 0);
  nv_envelope_free(NULL);
}

/* A valid envelope with NULL outputs and a NULL context. */
static void null_arguments_with_envelope(void **state)
{
  nv_ctx *ctx = *state;
  nv_envelope *env = parse_file(ctx, NV_BENCH_FIXTURES, "ecp256/signature.cose", MT_COSE);
  assert_int_equal(nv_envelope_signing_time(env, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_envelope_authentic_signing_time(env, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_envelope_expiry(env, NULL), NV_E_INVALID_ARG);
  assert_non_null(nv_envelope_cert_der(env, 0, NULL));
  assert_null(nv_envelope_cert_der(env, 2, NULL));
  assert_null(nv_envelope_timestamp_token(env, NULL));
  assert_int_equal(nv_envelope_verify_integrity(NULL, env), NV_E_INVALID_ARG);
  /* a failure on the context, then a success: the success clears it */
  assert_int_equal(nv_envelope_verify_integrity(ctx, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_ctx_last_status(ctx), NV_E_INVALID_ARG);
  assert_true(strlen(nv_ctx_last_error(ctx)) > 0);
  /* the envelope is still fine */
  assert_int_equal(nv_envelope_verify_integrity(ctx, env), NV_OK);
  assert_int_equal(nv_ctx_last_status(ctx), NV_OK);
  assert_string_equal(nv_ctx_last_error(ctx), "");
  nv_envelope_free(env);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(bench_rsa3072_jws),
    cmocka_unit_test(bench_rsa3072_cose),
    cmocka_unit_test(bench_ecp256_jws),
    cmocka_unit_test(bench_ecp256_cose),
    cmocka_unit_test(tampered_signature),
    cmocka_unit_test(parse_errors),
    cmocka_unit_test(parse_fails_on_malformed_leaf),
    cmocka_unit_test(verify_integrity_failures),
    cmocka_unit_test(conformance_envelope),
    cmocka_unit_test(signing_authority_envelope),
    cmocka_unit_test(timestamp_token),
    cmocka_unit_test(null_envelope_accessors),
    cmocka_unit_test(null_arguments_with_envelope),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
