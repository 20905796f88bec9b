/*
 * JWS envelope decoding (lib/envelope/jws.c): the reference envelopes of
 * notation-go / notation-core-go, the derived vectors, and synthetic bad
 * input built here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_base64.h"
#include "base/nv_json.h"
#include "base/nv_limits.h"
#include "envelope/nv_env.h"

#define MOCK NV_VECTORS "/notation-go/internal/mock/testdata/"
#define DERIVED NV_VECTORS "/derived/jws/"
#define CA_VALID MOCK "ca_valid_sig_env.json"
#define SA_VALID MOCK "sa_valid_sig_env.json"
#define CA_INVALID MOCK "ca_invalid_sig_env.json"
#define WITH_TIMESTAMP NV_VECTORS "/notation-go/verifier/testdata/timestamp/sigEnv/jwsWithTimestamp.sig"
#define CONFORMANCE NV_VECTORS "/notation-core-go/signature/jws/testdata/conformance.json"

/* 2020-11-09T07:00:00Z, 2120-11-09T07:00:00Z */
#define T_2020 INT64_C(1604905200)
#define T_2120 INT64_C(4760578800)

/* Protected-header pieces for synthetic envelopes. */
#define ALG "\"alg\":\"PS384\""
#define CTY "\"cty\":\"application/vnd.cncf.notary.payload.v1+json\""
#define X509 "\"io.cncf.notary.signingScheme\":\"notary.x509\""
#define SA "\"io.cncf.notary.signingScheme\":\"notary.x509.signingAuthority\""
#define ST "\"io.cncf.notary.signingTime\":\"2020-11-09T07:00:00Z\""
#define AST "\"io.cncf.notary.authenticSigningTime\":\"2020-11-09T07:00:00Z\""
#define EXP "\"io.cncf.notary.expiry\":\"2120-11-09T07:00:00Z\""
#define C_SCHEME "\"io.cncf.notary.signingScheme\""
#define C_EXP "\"io.cncf.notary.expiry\""
#define C_AST "\"io.cncf.notary.authenticSigningTime\""
#define CRIT_S "\"crit\":[" C_SCHEME "]"
/* A complete valid notary.x509 header, and the same without its braces. */
#define BODY_OK ALG "," CTY "," X509 "," ST "," CRIT_S
#define PROT_OK "{" BODY_OK "}"

#define PAYLOAD_OK "{\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":\"sha256:00\",\"size\":1}}"
#define SIG_OK "AAAA"

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

static nv_status decode_bytes(const void *data, size_t len, nv_env *e, nv_diag *d)
{
  nv_diag_init(d);
  nv_status rc = nv_env_decode(NV_ENV_FORMAT_JWS, data, len, e, d);
  /* A failure is recorded with its code and a message. */
  if (rc != NV_OK) {
    assert_int_equal(d->status, rc);
    assert_true(d->msg[0] != '\0');
  }
  return rc;
}

static nv_status decode_text(const char *text, nv_env *e, nv_diag *d)
{
  return decode_bytes(text, strlen(text), e, d);
}

static nv_status decode_file(const char *path, nv_env *e, nv_diag *d)
{
  bytes b = slurp_path(path);
  nv_status rc = decode_bytes(b.data, b.len, e, d);
  bytes_free(&b);
  return rc;
}

/* base64url of a C string, as a new C string. */
static char *b64u(const char *s)
{
  nv_buf b;
  nv_buf_init(&b, NV_LIMIT_ENVELOPE_BYTES);
  assert_int_equal(nv_base64url_encode((const uint8_t *)s, strlen(s), &b, NULL), NV_OK);
  assert_int_equal(nv_buf_terminate(&b, NULL), NV_OK);
  return (char *)nv_buf_detach(&b, NULL);
}

/* A flattened JWS whose protected header and payload are the given JSON
 * texts; `header` is the unprotected header's JSON text or NULL. */
static char *make_jws(const char *prot, const char *payload, const char *sig, const char *header)
{
  char *p = b64u(prot);
  char *pl = b64u(payload);
  size_t cap = strlen(p) + strlen(pl) + strlen(sig) + (header ? strlen(header) : 0) + 128;
  char *out = malloc(cap);
  assert_non_null(out);
  if (header != NULL)
    snprintf(out, cap, "{\"payload\":\"%s\",\"protected\":\"%s\",\"header\":%s,\"signature\":\"%s\"}",
             pl, p, header, sig);
  else
    snprintf(out, cap, "{\"payload\":\"%s\",\"protected\":\"%s\",\"signature\":\"%s\"}", pl, p,
             sig);
  free(p);
  free(pl);
  return out;
}

static nv_status decode_prot(const char *prot, nv_env *e, nv_diag *d)
{
  char *text = make_jws(prot, PAYLOAD_OK, SIG_OK, NULL);
  nv_status rc = decode_text(text, e, d);
  free(text);
  return rc;
}

/* Expect `rc` and a message containing `part`; name the case if not. */
static void expect(const char *what, nv_status rc, const nv_diag *d, nv_status want,
                   const char *part)
{
  if (rc != want || (part != NULL && strstr(d->msg, part) == NULL))
    print_error("case: %s\n  got %d \"%s\"\n  want %d containing \"%s\"\n", what, rc, d->msg,
                want, part ? part : "");
  assert_int_equal(rc, want);
  if (part != NULL)
    assert_non_null(strstr(d->msg, part));
}

/* The JSON string member `name` of the file's top-level object. */
static char *file_member(const char *path, const char *name)
{
  bytes b = slurp_path(path);
  nv_json *j = NULL;
  assert_int_equal(nv_json_parse(b.data, b.len, b.len, "test", &j, NULL), NV_OK);
  const char *s = NULL;
  assert_int_equal(nv_json_get_string(j, name, true, &s, NULL), NV_OK);
  char *copy = strdup(s);
  assert_non_null(copy);
  nv_json_free(j);
  bytes_free(&b);
  return copy;
}

static void assert_signing_input(const nv_env *e, const char *path)
{
  char *prot = file_member(path, "protected");
  char *payload = file_member(path, "payload");
  size_t pl = strlen(prot), yl = strlen(payload);
  assert_int_equal(e->signing_input.len, pl + 1 + yl);
  assert_memory_equal(e->signing_input.data, prot, pl);
  assert_int_equal(e->signing_input.data[pl], '.');
  assert_memory_equal(e->signing_input.data + pl + 1, payload, yl);
  free(prot);
  free(payload);
}

static const nv_env_attr *find_attr(const nv_env *e, const char *name)
{
  for (size_t i = 0; i < e->attr_count; i++)
    if (strcmp(e->attrs[i].name, name) == 0)
      return &e->attrs[i];
  return NULL;
}

static bool is_integrity(nv_status rc)
{
  return rc <= -2100 && rc >= -2299;
}

/* ------------------------------------------------------------------ */
/* Reference envelopes                                                */
/* ------------------------------------------------------------------ */

static void mock_ca_valid(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;
  assert_int_equal(decode_file(CA_VALID, &e, &d), NV_OK);
  assert_int_equal(e.format, NV_ENV_FORMAT_JWS);
  assert_int_equal(e.alg, NV_SIG_PS384);
  assert_int_equal(e.scheme, NV_SCHEME_X509);
  assert_string_equal(e.content_type, NV_PAYLOAD_CONTENT_TYPE);
  assert_true(e.has_signing_time);
  assert_int_equal(e.signing_time, T_2020);
  assert_false(e.has_authentic_signing_time);
  assert_true(e.has_expiry);
  assert_int_equal(e.expiry, T_2120);
  assert_int_equal(e.crit_count, 2);
  assert_string_equal(e.crit[0], NV_HDR_SIGNING_SCHEME);
  assert_string_equal(e.crit[1], NV_HDR_EXPIRY);
  assert_int_equal(e.attr_count, 0);
  /* two DER certificates, leaf first (sizes from the file) */
  assert_int_equal(e.cert_count, 2);
  assert_int_equal(e.certs[0].len, 1116);
  assert_int_equal(e.certs[1].len, 1167);
  assert_int_equal(e.certs[0].data[0], 0x30);
  assert_int_equal(e.certs[1].data[0], 0x30);
  assert_false(e.has_timestamp);
  assert_int_equal(e.timestamp_token.len, 0);
  /* written "io.cncf.notary.SigningAgent" in the mock */
  assert_non_null(e.signing_agent);
  assert_string_equal(e.signing_agent, "Notation/1.0.0");
  assert_true(e.payload.len > 20);
  assert_memory_equal(e.payload.data, "{\"targetArtifact\":", 18);
  assert_int_equal(e.signature.len, 384); /* RSA-3072 */
  assert_signing_input(&e, CA_VALID);
  nv_env_free(&e);
}

static void mock_sa_valid(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;
  assert_int_equal(decode_file(SA_VALID, &e, &d), NV_OK);
  assert_int_equal(e.alg, NV_SIG_PS384);
  assert_int_equal(e.scheme, NV_SCHEME_SIGNING_AUTHORITY);
  assert_true(e.has_authentic_signing_time);
  assert_int_equal(e.authentic_signing_time, T_2020);
  assert_false(e.has_signing_time);
  assert_true(e.has_expiry);
  assert_int_equal(e.expiry, T_2120);
  assert_int_equal(e.crit_count, 3);
  assert_string_equal(e.crit[0], NV_HDR_SIGNING_SCHEME);
  assert_string_equal(e.crit[1], NV_HDR_AUTHENTIC_SIGNING_TIME);
  assert_string_equal(e.crit[2], NV_HDR_EXPIRY);
  assert_int_equal(e.cert_count, 2);
  assert_int_equal(e.signature.len, 384);
  assert_signing_input(&e, SA_VALID);
  nv_env_free(&e);
}

/* Differs from ca_valid only by a '=' after the payload: must fail. */
static void mock_ca_invalid_padding(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;
  nv_status rc = decode_file(CA_INVALID, &e, &d);
  assert_int_equal(rc, NV_E_ENVELOPE_PARSE);
  assert_true(is_integrity(rc));
  assert_non_null(strstr(d.msg, "payload"));
  assert_non_null(strstr(d.msg, "'='"));
  assert_non_null(strstr(d.msg, "offset 242"));
  nv_env_free(&e);
}

static void timestamped_envelope(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;
  assert_int_equal(decode_file(WITH_TIMESTAMP, &e, &d), NV_OK);
  assert_int_equal(e.alg, NV_SIG_PS256);
  assert_int_equal(e.scheme, NV_SCHEME_X509);
  assert_true(e.has_signing_time);
  assert_int_equal(e.signing_time, INT64_C(1718692173)); /* 2024-06-18T14:29:33+08:00 */
  assert_false(e.has_expiry);
  assert_int_equal(e.crit_count, 1);
  assert_true(e.has_timestamp);
  assert_int_equal(e.timestamp_token.len, 5835);
  assert_int_equal(e.timestamp_token.data[0], 0x30);
  assert_int_equal(e.cert_count, 1);
  assert_int_equal(e.certs[0].len, 834);
  assert_string_equal(e.signing_agent, "Notation/1.0.0");
  assert_int_equal(e.signature.len, 256);
  assert_signing_input(&e, WITH_TIMESTAMP);
  nv_env_free(&e);
}

static void conformance_envelope(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;
  assert_int_equal(decode_file(CONFORMANCE, &e, &d), NV_OK);
  assert_int_equal(e.alg, NV_SIG_ES256);
  assert_int_equal(e.scheme, NV_SCHEME_X509);
  assert_int_equal(e.cert_count, 0); /* no x5c: decodes, integrity rejects later */
  assert_int_equal(e.signing_time, INT64_C(1661781000)); /* 2022-08-29T13:50:00Z */
  assert_true(e.has_expiry);
  assert_int_equal(e.expiry, INT64_C(4091781000)); /* 2099-08-30T13:50:00Z */
  assert_int_equal(e.crit_count, 3);
  assert_string_equal(e.crit[0], NV_HDR_SIGNING_SCHEME);
  assert_string_equal(e.crit[1], "signedCritKey1");
  assert_string_equal(e.crit[2], NV_HDR_EXPIRY);
  static const char *const names[] = {"signedCritKey1", "signedKey1", "signedKey2", "signedKey3",
                                      "signedKey4"};
  assert_int_equal(e.attr_count, 5);
  for (size_t i = 0; i < 5; i++) {
    assert_string_equal(e.attrs[i].name, names[i]);
    assert_false(e.attrs[i].int_label);
    assert_int_equal(e.attrs[i].critical, i == 0);
  }
  assert_string_equal(e.attrs[0].string_value, "signedCritValue1");
  assert_string_equal(e.attrs[0].value_json, "\"signedCritValue1\"");
  assert_string_equal(e.attrs[4].string_value, "signedValue1");
  assert_string_equal(e.signing_agent, "NotationConformanceTest/1.0.0");
  assert_int_equal(e.payload.len, strlen("{\"key\":\"hello JWS\"}"));
  assert_memory_equal(e.payload.data, "{\"key\":\"hello JWS\"}", e.payload.len);
  assert_int_equal(e.signature.len, 64); /* ES256 R||S */
  assert_signing_input(&e, CONFORMANCE);
  nv_env_free(&e);
}

static void derived_vectors(void **state)
{
  (void)state;
  static const struct {
    const char *file;
    nv_status want;
    const char *msg; /* exact message, or NULL */
    const char *part;
  } cases[] = {
    {"J01-break-json.json", NV_E_ENVELOPE_PARSE, NULL, "JWS envelope"},
    {"J02-empty-signature.json", NV_E_SIGNATURE_EMPTY, NULL, "signature"},
    {"J06-protected-json-brace.json", NV_E_PROTECTED_HEADER_DECODE, NULL, "protected header"},
    {"J07-signature-brace-prefix.json", NV_E_ENVELOPE_PARSE, NULL, "'{' at offset 0"},
    {"H01-x509-with-authenticSigningTime.json", NV_E_HEADER_NOT_ALLOWED_FOR_SCHEME,
     "\"io.cncf.notary.authenticSigningTime\" header must not be present for notary.x509 "
     "signing scheme",
     NULL},
    {"H02-sa-with-signingTime.json", NV_E_HEADER_NOT_ALLOWED_FOR_SCHEME,
     "\"io.cncf.notary.signingTime\" header must not be present for "
     "notary.x509.signingAuthority signing scheme",
     NULL},
    {"H04-critical-ext-attr-missing.json", NV_E_CRIT_ENTRY_NOT_PRESENT,
     "\"SomeKey\" header is marked critical but not present", NULL},
    {"H05-expiry-not-critical.json", NV_E_CRIT_REQUIRED_NOT_MARKED,
     "these required headers are not marked as critical: [io.cncf.notary.expiry]", NULL},
    {"H06-empty-crit.json", NV_E_CRIT_MISSING, "missing \"crit\" header", NULL},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char path[512];
    snprintf(path, sizeof(path), "%s%s", DERIVED, cases[i].file);
    nv_env e;
    nv_diag d;
    nv_status rc = decode_file(path, &e, &d);
    expect(cases[i].file, rc, &d, cases[i].want, cases[i].part);
    if (cases[i].msg != NULL)
      assert_string_equal(d.msg, cases[i].msg);
    nv_env_free(&e);
  }
}

/* Vectors whose flaw belongs to a later step still decode. */
static void derived_vectors_that_decode(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;
  /* J03: "x5c": [] */
  assert_int_equal(decode_file(DERIVED "J03-empty-x5c.json", &e, &d), NV_OK);
  assert_int_equal(e.cert_count, 0);
  assert_null(e.certs);
  nv_env_free(&e);
  /* J04: first DER byte changed; the bytes are handed on as they are */
  assert_int_equal(decode_file(DERIVED "J04-leaf-first-byte-C.json", &e, &d), NV_OK);
  assert_int_equal(e.cert_count, 2);
  assert_int_equal(e.certs[0].data[0], 0x43);
  nv_env_free(&e);
  /* J09: one byte appended to the leaf DER */
  assert_int_equal(decode_file(DERIVED "J09-leaf-trailing-byte.json", &e, &d), NV_OK);
  assert_int_equal(e.certs[0].len, 1117);
  nv_env_free(&e);
}

/* ------------------------------------------------------------------ */
/* Top-level structure                                                */
/* ------------------------------------------------------------------ */

static void top_level_rejects(void **state)
{
  (void)state;
  char *pl = b64u(PAYLOAD_OK);
  char *pr = b64u(PROT_OK);
  char buf[4096];
  static const struct {
    const char *fmt; /* %1$s payload, %2$s protected: filled in below */
    nv_status want;
    const char *part;
  } cases[] = {
    /* duplicate member at the top level */
    {"{\"payload\":\"P\",\"payload\":\"P\",\"protected\":\"R\",\"signature\":\"AAAA\"}",
     NV_E_ENVELOPE_PARSE, "duplicate member \"payload\""},
    /* general serialization */
    {"{\"payload\":\"P\",\"signatures\":[{\"protected\":\"R\",\"signature\":\"AAAA\"}]}",
     NV_E_ENVELOPE_PARSE, "\"signatures\""},
    {"{\"payload\":\"P\",\"protected\":\"R\",\"signature\":\"AAAA\",\"signatures\":[]}",
     NV_E_ENVELOPE_PARSE, "general JSON serialization"},
    /* unknown members, case variants included */
    {"{\"payload\":\"P\",\"protected\":\"R\",\"signature\":\"AAAA\",\"extra\":1}",
     NV_E_ENVELOPE_PARSE, "\"extra\""},
    {"{\"Payload\":\"P\",\"protected\":\"R\",\"signature\":\"AAAA\"}", NV_E_ENVELOPE_PARSE,
     "\"Payload\""},
    {"{\"payload\":\"P\",\"protected\":\"R\",\"Header\":{},\"signature\":\"AAAA\"}",
     NV_E_ENVELOPE_PARSE, "\"Header\""},
    /* missing and mistyped members */
    {"{\"protected\":\"R\",\"signature\":\"AAAA\"}", NV_E_ENVELOPE_PARSE, "\"payload\""},
    {"{\"payload\":\"P\",\"signature\":\"AAAA\"}", NV_E_ENVELOPE_PARSE, "\"protected\""},
    {"{\"payload\":\"P\",\"protected\":\"R\"}", NV_E_ENVELOPE_PARSE, "\"signature\""},
    {"{\"payload\":1,\"protected\":\"R\",\"signature\":\"AAAA\"}", NV_E_ENVELOPE_PARSE,
     "\"payload\" must be"},
    {"{\"payload\":\"P\",\"protected\":{},\"signature\":\"AAAA\"}", NV_E_ENVELOPE_PARSE,
     "\"protected\" must be"},
    {"{\"payload\":\"P\",\"protected\":\"R\",\"signature\":null}", NV_E_ENVELOPE_PARSE,
     "\"signature\" must be"},
    {"{\"payload\":\"P\",\"protected\":\"R\",\"header\":[],\"signature\":\"AAAA\"}",
     NV_E_ENVELOPE_PARSE, "\"header\" must be"},
    {"{\"payload\":\"P\",\"protected\":\"R\",\"header\":null,\"signature\":\"AAAA\"}",
     NV_E_ENVELOPE_PARSE, "\"header\" must be"},
    /* not an object, not JSON */
    {"[\"P\",\"R\",\"AAAA\"]", NV_E_ENVELOPE_PARSE, "must be a JSON object"},
    {"\"R.P.AAAA\"", NV_E_ENVELOPE_PARSE, "must be a JSON object"},
    {"{\"payload\":\"P\",\"protected\":\"R\",\"signature\":\"AAAA\"} x", NV_E_ENVELOPE_PARSE,
     "after the value"},
    {"{\"payload\":\"P\",\"protected\":\"R\",\"signature\":\"AAAA\",}", NV_E_ENVELOPE_PARSE,
     NULL},
    {"\xEF\xBB\xBF{\"payload\":\"P\",\"protected\":\"R\",\"signature\":\"AAAA\"}",
     NV_E_ENVELOPE_PARSE, NULL},
    /* compact serialization */
    {"R.P.AAAA", NV_E_ENVELOPE_PARSE, "compact serialization"},
    {"  R.P.AAAA\n", NV_E_ENVELOPE_PARSE, "compact serialization"},
    {"R.P", NV_E_ENVELOPE_PARSE, NULL},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    /* replace the placeholders P and R with the real segments */
    size_t o = 0;
    for (const char *f = cases[i].fmt; *f != '\0'; f++) {
      const char *rep = NULL;
      if (*f == 'P' && (f[1] == '"' || f[1] == '.' || f[1] == '\0'))
        rep = pl;
      else if (*f == 'R' && (f[1] == '"' || f[1] == '.'))
        rep = pr;
      if (rep != NULL) {
        size_t n = strlen(rep);
        assert_true(o + n < sizeof(buf));
        memcpy(buf + o, rep, n);
        o += n;
      } else {
        assert_true(o + 1 < sizeof(buf));
        buf[o++] = *f;
      }
    }
    buf[o] = '\0';
    nv_env e;
    nv_diag d;
    nv_status rc = decode_text(buf, &e, &d);
    expect(buf, rc, &d, cases[i].want, cases[i].part);
    nv_env_free(&e);
  }
  free(pl);
  free(pr);
}

static void top_level_accepts_layout_and_escapes(void **state)
{
  (void)state;
  char *pl = b64u(PAYLOAD_OK);
  char *pr = b64u(PROT_OK);
  char buf[4096];
  nv_env e;
  nv_diag d;

  /* pretty-printed, members in another order, no "header" */
  snprintf(buf, sizeof(buf), " {\n\t\"signature\" : \"AAAA\" ,\r\n \"protected\":\"%s\", "
           "\"payload\" :\"%s\"\n}\n", pr, pl);
  assert_int_equal(decode_text(buf, &e, &d), NV_OK);
  assert_int_equal(e.signing_input.len, strlen(pr) + 1 + strlen(pl));
  assert_memory_equal(e.signing_input.data, pr, strlen(pr));
  assert_memory_equal(e.signing_input.data + strlen(pr) + 1, pl, strlen(pl));
  assert_int_equal(e.cert_count, 0);
  assert_null(e.signing_agent);
  assert_int_equal(e.signature.len, 3);
  nv_env_free(&e);

  /* A JSON escape in a segment: the signing input holds the string value,
   * as notation-go's JSON decoding gives it. */
  assert_int_equal(pl[0], 'e');
  snprintf(buf, sizeof(buf),
           "{\"payload\":\"\\u0065%s\",\"protected\":\"%s\",\"header\":{},\"signature\":\"AAAA\"}",
           pl + 1, pr);
  assert_int_equal(decode_text(buf, &e, &d), NV_OK);
  assert_memory_equal(e.signing_input.data + strlen(pr) + 1, pl, strlen(pl));
  assert_int_equal(e.signing_input.len, strlen(pr) + 1 + strlen(pl));
  nv_env_free(&e);
  free(pl);
  free(pr);
}

/* ------------------------------------------------------------------ */
/* Segments: base64url strictness, payload and signature              */
/* ------------------------------------------------------------------ */

static void segment_encoding(void **state)
{
  (void)state;
  char *pl = b64u(PAYLOAD_OK);
  char *pr = b64u(PROT_OK);
  char buf[4096];
  nv_env e;
  nv_diag d;
  static const struct {
    const char *payload, *protected_b64, *sig; /* NULL: the valid one */
    nv_status want;
    const char *part;
  } cases[] = {
    {NULL, NULL, "AAAA=", NV_E_ENVELOPE_PARSE, "JWS signature"},
    {NULL, NULL, "AA+A", NV_E_ENVELOPE_PARSE, "'+'"},
    {NULL, NULL, "AA/A", NV_E_ENVELOPE_PARSE, "'/'"},
    {NULL, NULL, "AA A", NV_E_ENVELOPE_PARSE, NULL},
    {NULL, NULL, "AAAAA", NV_E_ENVELOPE_PARSE, "single character"},
    {NULL, NULL, "AB", NV_E_ENVELOPE_PARSE, "non-zero unused bits"},
    {NULL, NULL, "", NV_E_SIGNATURE_EMPTY, "signature is empty"},
    {"", NULL, NULL, NV_E_PAYLOAD_EMPTY, "payload is empty"},
    {"e30=", NULL, NULL, NV_E_ENVELOPE_PARSE, "JWS payload"},
    {"e30\\n", NULL, NULL, NV_E_ENVELOPE_PARSE, "JWS payload"},
    {NULL, "", NULL, NV_E_PROTECTED_HEADER_DECODE, NULL},
    {NULL, "e30=", NULL, NV_E_PROTECTED_HEADER_DECODE, "'='"},
    {NULL, "e3+9", NULL, NV_E_PROTECTED_HEADER_DECODE, "'+'"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    snprintf(buf, sizeof(buf), "{\"payload\":\"%s\",\"protected\":\"%s\",\"signature\":\"%s\"}",
             cases[i].payload ? cases[i].payload : pl,
             cases[i].protected_b64 ? cases[i].protected_b64 : pr,
             cases[i].sig ? cases[i].sig : SIG_OK);
    nv_status rc = decode_text(buf, &e, &d);
    expect(buf, rc, &d, cases[i].want, cases[i].part);
    nv_env_free(&e);
  }
  free(pl);
  free(pr);
}

static void payload_must_be_object(void **state)
{
  (void)state;
  static const struct {
    const char *payload;
    const char *part;
  } cases[] = {
    {"[1,2]", "found array"},
    {"\"str\"", "found string"},
    {"42", "found number"},
    {"null", "found null"},
    {"not json", "payload is not a JSON object"},
    {"{\"a\":1,\"a\":2}", "duplicate member"},
    {"{\"a\":1} {}", "payload is not a JSON object"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *text = make_jws(PROT_OK, cases[i].payload, SIG_OK, NULL);
    nv_env e;
    nv_diag d;
    nv_status rc = decode_text(text, &e, &d);
    expect(cases[i].payload, rc, &d, NV_E_ENVELOPE_PARSE, cases[i].part);
    assert_non_null(strstr(d.msg, "payload is not a JSON object"));
    nv_env_free(&e);
    free(text);
  }
  /* the payload is kept byte for byte (no re-serialisation) */
  char *text = make_jws(PROT_OK, " { \"b\" : [ ] }\n", SIG_OK, NULL);
  nv_env e;
  nv_diag d;
  assert_int_equal(decode_text(text, &e, &d), NV_OK);
  assert_int_equal(e.payload.len, strlen(" { \"b\" : [ ] }\n"));
  assert_memory_equal(e.payload.data, " { \"b\" : [ ] }\n", e.payload.len);
  nv_env_free(&e);
  free(text);
}

/* ------------------------------------------------------------------ */
/* Unprotected header                                                 */
/* ------------------------------------------------------------------ */

static void unprotected_header(void **state)
{
  (void)state;
  static const struct {
    const char *header;
    nv_status want;
    const char *part;
  } bad[] = {
    {"{\"x5c\":\"MIIB\"}", NV_E_ENVELOPE_PARSE, "\"x5c\" must be an array"},
    {"{\"x5c\":{}}", NV_E_ENVELOPE_PARSE, "\"x5c\" must be an array"},
    {"{\"x5c\":null}", NV_E_ENVELOPE_PARSE, "\"x5c\" must be an array"},
    {"{\"x5c\":[\"AAEC\",1]}", NV_E_ENVELOPE_PARSE, "\"x5c\"[1] must be a base64 string"},
    {"{\"x5c\":[[\"AAEC\"]]}", NV_E_ENVELOPE_PARSE, "\"x5c\"[0] must be a base64 string"},
    {"{\"x5c\":[\"AAE\"]}", NV_E_ENVELOPE_PARSE, "\"x5c\"[0]"},    /* padding missing */
    {"{\"x5c\":[\"AA-_\"]}", NV_E_ENVELOPE_PARSE, "'-'"},          /* url alphabet */
    {"{\"x5c\":[\"AAEC\",\"AA E\"]}", NV_E_ENVELOPE_PARSE, "\"x5c\"[1]"},
    {"{\"x5c\":[\"AAEC\\n\"]}", NV_E_ENVELOPE_PARSE, "\"x5c\"[0]"}, /* no line breaks */
    {"{\"x5c\":[\"\"]}", NV_E_LEAF_CERT_MALFORMED, "empty"},
    {"{\"x5c\":[\"AAEC\",\"\"]}", NV_E_CERT_PARSE, "\"x5c\"[1] is empty"},
    {"{\"io.cncf.notary.timestampSignature\":5}", NV_E_ENVELOPE_PARSE, "timestampSignature"},
    {"{\"io.cncf.notary.timestampSignature\":null}", NV_E_ENVELOPE_PARSE, "found null"},
    {"{\"io.cncf.notary.timestampSignature\":\"AAE\"}", NV_E_ENVELOPE_PARSE,
     "timestampSignature"},
    {"{\"io.cncf.notary.timestampSignature\":\"AA_-\"}", NV_E_ENVELOPE_PARSE, "'_'"},
    {"{\"x5c\":[],\"x5c\":[]}", NV_E_ENVELOPE_PARSE, "duplicate member \"x5c\""},
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char *text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK, bad[i].header);
    nv_env e;
    nv_diag d;
    nv_status rc = decode_text(text, &e, &d);
    expect(bad[i].header, rc, &d, bad[i].want, bad[i].part);
    nv_env_free(&e);
    free(text);
  }

  /* 17 certificates: over NV_ENV_MAX_CHAIN */
  char big[1024] = "{\"x5c\":[\"AAEC\"";
  for (int i = 1; i <= NV_ENV_MAX_CHAIN; i++)
    strcat(big, ",\"AAEC\"");
  strcat(big, "]}");
  char *text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK, big);
  nv_env e;
  nv_diag d;
  expect("17 certificates", decode_text(text, &e, &d), &d, NV_E_CHAIN_TOO_LONG, "17");
  nv_env_free(&e);
  free(text);
}

static void unprotected_header_tolerated(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;

  /* certificates decoded with standard base64, unknown members ignored,
   * a case-variant agent recognised, a non-string agent ignored */
  char *text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK,
                        "{\"x5c\":[\"AAEC\",\"+/+/\"],\"X5C\":5,\"unknown\":{\"a\":[1,null]},"
                        "\"IO.CNCF.NOTARY.SIGNINGAGENT\":\"agent/2\",\"io.cncf.notary.timestamp\":1}");
  assert_int_equal(decode_text(text, &e, &d), NV_OK);
  assert_int_equal(e.cert_count, 2);
  assert_int_equal(e.certs[0].len, 3);
  assert_memory_equal(e.certs[0].data, "\x00\x01\x02", 3);
  assert_memory_equal(e.certs[1].data, "\xfb\xff\xbf", 3);
  assert_string_equal(e.signing_agent, "agent/2");
  assert_false(e.has_timestamp);
  nv_env_free(&e);
  free(text);

  /* the exact name wins over a case variant, whatever the order */
  text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK,
                  "{\"io.cncf.notary.SigningAgent\":\"variant\","
                  "\"io.cncf.notary.signingAgent\":\"exact\"}");
  assert_int_equal(decode_text(text, &e, &d), NV_OK);
  assert_string_equal(e.signing_agent, "exact");
  nv_env_free(&e);
  free(text);

  /* a non-string agent never fails; a string variant is then used */
  text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK,
                  "{\"io.cncf.notary.signingAgent\":{\"v\":1},\"io.cncf.notary.SIGNINGagent\":7}");
  assert_int_equal(decode_text(text, &e, &d), NV_OK);
  assert_null(e.signing_agent);
  nv_env_free(&e);
  free(text);
  text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK,
                  "{\"io.cncf.notary.signingAgent\":null,\"io.cncf.notary.SigningAgent\":\"v\"}");
  assert_int_equal(decode_text(text, &e, &d), NV_OK);
  assert_string_equal(e.signing_agent, "v");
  nv_env_free(&e);
  free(text);
  /* Go's folding: U+017F LATIN SMALL LETTER LONG S matches 's' */
  text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK,
                  "{\"io.cncf.notary.\xC5\xBFigningAgent\":\"long-s\"}");
  assert_int_equal(decode_text(text, &e, &d), NV_OK);
  assert_string_equal(e.signing_agent, "long-s");
  nv_env_free(&e);
  free(text);
  /* a name that is not a fold of it is not the agent */
  text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK,
                  "{\"io.cncf.notary.signingAgentX\":\"a\",\"io.cncf.notary.signingAgen\":\"b\"}");
  assert_int_equal(decode_text(text, &e, &d), NV_OK);
  assert_null(e.signing_agent);
  nv_env_free(&e);
  free(text);

  /* timestamp token: standard base64; empty means no token */
  text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK,
                  "{\"io.cncf.notary.timestampSignature\":\"MAMCAQE=\"}");
  assert_int_equal(decode_text(text, &e, &d), NV_OK);
  assert_true(e.has_timestamp);
  assert_int_equal(e.timestamp_token.len, 5);
  assert_memory_equal(e.timestamp_token.data, "\x30\x03\x02\x01\x01", 5);
  nv_env_free(&e);
  free(text);
  text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK, "{\"io.cncf.notary.timestampSignature\":\"\"}");
  assert_int_equal(decode_text(text, &e, &d), NV_OK);
  assert_false(e.has_timestamp);
  nv_env_free(&e);
  free(text);

  /* case variants are looked for among the first NV_ENV_MAX_HEADERS
   * members only (the exact name is found anywhere) */
  char many[4096] = "{";
  for (int i = 0; i < NV_ENV_MAX_HEADERS; i++)
    snprintf(many + strlen(many), sizeof(many) - strlen(many), "\"m%d\":0,", i);
  strcat(many, "\"io.cncf.notary.SigningAgent\":\"late\"}");
  text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK, many);
  assert_int_equal(decode_text(text, &e, &d), NV_OK);
  assert_null(e.signing_agent);
  nv_env_free(&e);
  free(text);

  /* exactly NV_ENV_MAX_CHAIN certificates are fine */
  char big[1024] = "{\"x5c\":[\"AAEC\"";
  for (int i = 1; i < NV_ENV_MAX_CHAIN; i++)
    strcat(big, ",\"AAEC\"");
  strcat(big, "]}");
  text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK, big);
  assert_int_equal(decode_text(text, &e, &d), NV_OK);
  assert_int_equal(e.cert_count, NV_ENV_MAX_CHAIN);
  nv_env_free(&e);
  free(text);
}

/* ------------------------------------------------------------------ */
/* Protected header                                                   */
/* ------------------------------------------------------------------ */

static void protected_header_rejects(void **state)
{
  (void)state;
  static const struct {
    const char *prot;
    nv_status want;
    const char *part;
  } cases[] = {
    /* JSON level */
    {"{" BODY_OK "," ALG "}", NV_E_PROTECTED_HEADER_DECODE, "duplicate member \"alg\""},
    {"{" BODY_OK ",\"x\":1,\"x\":2}", NV_E_PROTECTED_HEADER_DECODE, "duplicate member \"x\""},
    {"{" BODY_OK ",\"\\u0061lg\":\"ES256\"}", NV_E_PROTECTED_HEADER_DECODE, "duplicate"},
    {"{" BODY_OK ",\"o\":{\"k\":1,\"k\":1}}", NV_E_PROTECTED_HEADER_DECODE, "duplicate"},
    {"[" BODY_OK "]", NV_E_PROTECTED_HEADER_DECODE, NULL},
    {"[1]", NV_E_PROTECTED_HEADER_DECODE, "must be a JSON object"},
    {"\"alg\"", NV_E_PROTECTED_HEADER_DECODE, "must be a JSON object"},
    {"{" BODY_OK "", NV_E_PROTECTED_HEADER_DECODE, NULL},
    {"{" BODY_OK ",\"z\":\"a\\u0000b\"}", NV_E_PROTECTED_HEADER_DECODE, NULL},
    {"{" BODY_OK ",\"z\":\"\xff\"}", NV_E_PROTECTED_HEADER_DECODE, NULL},
    /* names that differ from a header name only in letter case */
    {"{\"Alg\":\"PS384\"," CTY "," X509 "," ST "," CRIT_S "}", NV_E_HEADER_INVALID, "\"Alg\""},
    {"{" BODY_OK ",\"ALG\":\"ES256\"}", NV_E_HEADER_INVALID, "\"ALG\""},
    {"{" BODY_OK ",\"Crit\":[]}", NV_E_HEADER_INVALID, "letter case"},
    {"{" BODY_OK ",\"io.cncf.notary.SigningScheme\":\"notary.x509\"}", NV_E_HEADER_INVALID,
     "SigningScheme"},
    {"{" BODY_OK ",\"io.cncf.notary.\xC5\xBFigningTime\":\"2020-11-09T07:00:00Z\"}",
     NV_E_HEADER_INVALID, "letter case"},
    {"{" BODY_OK ",\"IO.CNCF.NOTARY.EXPIRY\":\"2120-11-09T07:00:00Z\"}", NV_E_HEADER_INVALID,
     "io.cncf.notary.expiry"},
    /* alg */
    {"{" CTY "," X509 "," ST "," CRIT_S "}", NV_E_ALG_UNSUPPORTED, "missing \"alg\" header"},
    {"{\"alg\":\"none\"," CTY "," X509 "," ST "," CRIT_S "}", NV_E_ALG_UNSUPPORTED, "\"none\""},
    {"{\"alg\":\"HS256\"," CTY "," X509 "," ST "," CRIT_S "}", NV_E_ALG_UNSUPPORTED, "HS256"},
    {"{\"alg\":\"RS256\"," CTY "," X509 "," ST "," CRIT_S "}", NV_E_ALG_UNSUPPORTED, "RS256"},
    {"{\"alg\":\"EdDSA\"," CTY "," X509 "," ST "," CRIT_S "}", NV_E_ALG_UNSUPPORTED, "EdDSA"},
    {"{\"alg\":\"ps384\"," CTY "," X509 "," ST "," CRIT_S "}", NV_E_ALG_UNSUPPORTED, "ps384"},
    {"{\"alg\":\"PS384 \"," CTY "," X509 "," ST "," CRIT_S "}", NV_E_ALG_UNSUPPORTED, NULL},
    {"{\"alg\":\"\"," CTY "," X509 "," ST "," CRIT_S "}", NV_E_ALG_UNSUPPORTED, NULL},
    {"{\"alg\":-37," CTY "," X509 "," ST "," CRIT_S "}", NV_E_ALG_UNSUPPORTED, "found number"},
    {"{\"alg\":null," CTY "," X509 "," ST "," CRIT_S "}", NV_E_ALG_UNSUPPORTED, "found null"},
    {"{\"alg\":[\"PS384\"]," CTY "," X509 "," ST "," CRIT_S "}", NV_E_ALG_UNSUPPORTED,
     "found array"},
    /* cty */
    {"{" ALG "," X509 "," ST "," CRIT_S "}", NV_E_CONTENT_TYPE_MISSING, "cty"},
    {"{" ALG ",\"cty\":\"application/json\"," X509 "," ST "," CRIT_S "}",
     NV_E_CONTENT_TYPE_UNSUPPORTED, "application/json"},
    {"{" ALG ",\"cty\":1," X509 "," ST "," CRIT_S "}", NV_E_HEADER_INVALID, "\"cty\""},
    {"{" ALG ",\"cty\":null," X509 "," ST "," CRIT_S "}", NV_E_HEADER_INVALID, "found null"},
    /* crit shape */
    {"{" ALG "," CTY "," X509 "," ST "}", NV_E_CRIT_MISSING, "missing \"crit\" header"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[]}", NV_E_CRIT_MISSING,
     "missing \"crit\" header"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":" C_SCHEME "}", NV_E_HEADER_INVALID,
     "\"crit\" header must be an array of strings"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":{}}", NV_E_HEADER_INVALID, "found object"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":null}", NV_E_HEADER_INVALID, "found null"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[" C_SCHEME ",1]}", NV_E_HEADER_INVALID,
     "entry 1 is number"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[null]}", NV_E_HEADER_INVALID, "entry 0"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[[" C_SCHEME "]]}", NV_E_HEADER_INVALID,
     "entry 0 is array"},
    /* crit contents (notation-go's rules) */
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[\"alg\"," C_SCHEME "]}",
     NV_E_CRIT_ENTRY_NOT_PRESENT, "\"alg\" header is marked critical but not present"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[" C_SCHEME ",\"cty\"]}",
     NV_E_CRIT_ENTRY_NOT_PRESENT, "\"cty\" header"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[" C_SCHEME ",\"crit\"]}",
     NV_E_CRIT_ENTRY_NOT_PRESENT, "\"crit\" header is marked"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[" C_SCHEME ",\"io.cncf.notary.signingTime\"]}",
     NV_E_CRIT_ENTRY_NOT_PRESENT, "\"io.cncf.notary.signingTime\" header is marked"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[" C_SCHEME "," C_SCHEME "]}",
     NV_E_CRIT_ENTRY_NOT_PRESENT, "\"io.cncf.notary.signingScheme\" header is marked"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[" C_SCHEME "," C_EXP "]}",
     NV_E_CRIT_ENTRY_NOT_PRESENT, "\"io.cncf.notary.expiry\" header is marked"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[" C_SCHEME ",\"absent\"]}",
     NV_E_CRIT_ENTRY_NOT_PRESENT, "\"absent\" header"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[" C_SCHEME ",\"\"]}",
     NV_E_CRIT_ENTRY_NOT_PRESENT, "\"\" header"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[" C_SCHEME ",\"Ext\"],\"ext\":1}",
     NV_E_CRIT_ENTRY_NOT_PRESENT, "\"Ext\" header"},
    {"{" ALG "," CTY "," X509 "," ST ",\"crit\":[\"ext\"],\"ext\":1}",
     NV_E_CRIT_REQUIRED_NOT_MARKED,
     "these required headers are not marked as critical: [io.cncf.notary.signingScheme]"},
    {"{" ALG "," CTY "," X509 "," ST "," EXP ",\"crit\":[" C_SCHEME "]}",
     NV_E_CRIT_REQUIRED_NOT_MARKED, "[io.cncf.notary.expiry]"},
    {"{" ALG "," CTY "," SA "," AST "," EXP ",\"crit\":[" C_SCHEME "]}",
     NV_E_CRIT_REQUIRED_NOT_MARKED,
     "[io.cncf.notary.expiry io.cncf.notary.authenticSigningTime]"},
    {"{" ALG "," CTY "," SA "," AST ",\"crit\":[" C_SCHEME "]}", NV_E_CRIT_REQUIRED_NOT_MARKED,
     "[io.cncf.notary.authenticSigningTime]"},
    /* signing scheme */
    {"{" ALG "," CTY "," ST "," CRIT_S "}", NV_E_SIGNING_SCHEME_UNSUPPORTED,
     "missing \"io.cncf.notary.signingScheme\" header"},
    {"{" ALG "," CTY ",\"io.cncf.notary.signingScheme\":\"notary.x509.other\"," ST "," CRIT_S
     "}",
     NV_E_SIGNING_SCHEME_UNSUPPORTED, "notary.x509.other"},
    {"{" ALG "," CTY ",\"io.cncf.notary.signingScheme\":\"Notary.X509\"," ST "," CRIT_S "}",
     NV_E_SIGNING_SCHEME_UNSUPPORTED, "Notary.X509"},
    {"{" ALG "," CTY ",\"io.cncf.notary.signingScheme\":1," ST "," CRIT_S "}",
     NV_E_SIGNING_SCHEME_UNSUPPORTED, "found number"},
    {"{" ALG "," CTY ",\"io.cncf.notary.signingScheme\":null," ST "," CRIT_S "}",
     NV_E_SIGNING_SCHEME_UNSUPPORTED, "found null"},
    /* scheme-specific time headers */
    {"{" ALG "," CTY "," X509 "," ST "," AST "," CRIT_S "}", NV_E_HEADER_NOT_ALLOWED_FOR_SCHEME,
     "\"io.cncf.notary.authenticSigningTime\" header must not be present for notary.x509 "
     "signing scheme"},
    {"{" ALG "," CTY "," SA "," ST "," AST ",\"crit\":[" C_SCHEME "," C_AST "]}",
     NV_E_HEADER_NOT_ALLOWED_FOR_SCHEME,
     "\"io.cncf.notary.signingTime\" header must not be present for "
     "notary.x509.signingAuthority signing scheme"},
    {"{" ALG "," CTY "," SA ",\"crit\":[" C_SCHEME "]}", NV_E_AUTHENTIC_SIGNING_TIME_MISSING,
     "io.cncf.notary.authenticSigningTime"},
    {"{" ALG "," CTY "," X509 "," CRIT_S "}", NV_E_SIGNING_TIME_MISSING,
     "signing-time not present"},
    /* times: format and type */
    {"{" ALG "," CTY "," X509 ",\"io.cncf.notary.signingTime\":\"2020-11-09 07:00:00Z\","
     CRIT_S "}",
     NV_E_TIME_ENCODING_INVALID, "io.cncf.notary.signingTime"},
    {"{" ALG "," CTY "," X509 ",\"io.cncf.notary.signingTime\":\"2020-11-09t07:00:00z\","
     CRIT_S "}",
     NV_E_TIME_ENCODING_INVALID, NULL},
    {"{" ALG "," CTY "," X509 ",\"io.cncf.notary.signingTime\":\"2020-11-09T07:00:00\","
     CRIT_S "}",
     NV_E_TIME_ENCODING_INVALID, NULL},
    {"{" ALG "," CTY "," X509 ",\"io.cncf.notary.signingTime\":\"2020-02-30T07:00:00Z\","
     CRIT_S "}",
     NV_E_TIME_ENCODING_INVALID, NULL},
    {"{" ALG "," CTY "," X509 ",\"io.cncf.notary.signingTime\":\"\"," CRIT_S "}",
     NV_E_TIME_ENCODING_INVALID, NULL},
    {"{" ALG "," CTY "," X509 ",\"io.cncf.notary.signingTime\":1604905200," CRIT_S "}",
     NV_E_TIME_ENCODING_INVALID, "found number"},
    {"{" ALG "," CTY "," X509 ",\"io.cncf.notary.signingTime\":null," CRIT_S "}",
     NV_E_TIME_ENCODING_INVALID, "found null"},
    {"{" ALG "," CTY "," X509 "," ST ",\"io.cncf.notary.expiry\":true,\"crit\":[" C_SCHEME
     "," C_EXP "]}",
     NV_E_TIME_ENCODING_INVALID, "io.cncf.notary.expiry"},
    {"{" ALG "," CTY "," X509 "," ST ",\"io.cncf.notary.expiry\":\"tomorrow\",\"crit\":["
     C_SCHEME "," C_EXP "]}",
     NV_E_TIME_ENCODING_INVALID, "io.cncf.notary.expiry"},
    {"{" ALG "," CTY "," SA ",\"io.cncf.notary.authenticSigningTime\":{},\"crit\":[" C_SCHEME
     "," C_AST "]}",
     NV_E_TIME_ENCODING_INVALID, "found object"},
    /* expiry must be after the signing time (compared as instants) */
    {"{" ALG "," CTY "," X509 "," ST ",\"io.cncf.notary.expiry\":\"2020-11-09T07:00:00Z\","
     "\"crit\":[" C_SCHEME "," C_EXP "]}",
     NV_E_EXPIRY_NOT_AFTER_SIGNING_TIME, "expiry cannot be equal or before the signing time"},
    {"{" ALG "," CTY "," X509 "," ST ",\"io.cncf.notary.expiry\":\"2020-11-09T06:59:59Z\","
     "\"crit\":[" C_SCHEME "," C_EXP "]}",
     NV_E_EXPIRY_NOT_AFTER_SIGNING_TIME, NULL},
    {"{" ALG "," CTY "," X509 "," ST ",\"io.cncf.notary.expiry\":\"2020-11-09T08:00:00+02:00\","
     "\"crit\":[" C_SCHEME "," C_EXP "]}",
     NV_E_EXPIRY_NOT_AFTER_SIGNING_TIME, NULL},
    /* Go's zero time is no expiry to notation-go; here it is an expiry */
    {"{" ALG "," CTY "," X509 "," ST ",\"io.cncf.notary.expiry\":\"0001-01-01T00:00:00Z\","
     "\"crit\":[" C_SCHEME "," C_EXP "]}",
     NV_E_EXPIRY_NOT_AFTER_SIGNING_TIME, NULL},
    {"{" ALG "," CTY "," SA "," AST ",\"io.cncf.notary.expiry\":\"2019-01-01T00:00:00Z\","
     "\"crit\":[" C_SCHEME "," C_AST "," C_EXP "]}",
     NV_E_EXPIRY_NOT_AFTER_SIGNING_TIME, NULL},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    nv_env e;
    nv_diag d;
    nv_status rc = decode_prot(cases[i].prot, &e, &d);
    expect(cases[i].prot, rc, &d, cases[i].want, cases[i].part);
    assert_true(is_integrity(rc));
    nv_env_free(&e);
  }
}

static void protected_header_accepts(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;

  /* every algorithm */
  static const struct {
    const char *name;
    nv_sig_alg alg;
  } algs[] = {
    {"PS256", NV_SIG_PS256}, {"PS384", NV_SIG_PS384}, {"PS512", NV_SIG_PS512},
    {"ES256", NV_SIG_ES256}, {"ES384", NV_SIG_ES384}, {"ES512", NV_SIG_ES512},
  };
  for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
    char prot[512];
    snprintf(prot, sizeof(prot), "{\"alg\":\"%s\"," CTY "," X509 "," ST "," CRIT_S "}",
             algs[i].name);
    assert_int_equal(decode_prot(prot, &e, &d), NV_OK);
    assert_int_equal(e.alg, algs[i].alg);
    nv_env_free(&e);
  }

  /* an escaped member name is the decoded name: "\u0061lg" is alg */
  assert_int_equal(decode_prot("{\"\\u0061lg\":\"ES512\"," CTY "," X509 "," ST "," CRIT_S "}",
                               &e, &d),
                   NV_OK);
  assert_int_equal(e.alg, NV_SIG_ES512);
  assert_int_equal(e.attr_count, 0);
  nv_env_free(&e);

  /* zone offsets are instants; fractions are accepted and truncated */
  assert_int_equal(
      decode_prot("{" ALG "," CTY "," X509 ",\"io.cncf.notary.signingTime\":"
                  "\"2020-11-09T15:00:00.75+08:00\",\"io.cncf.notary.expiry\":"
                  "\"2020-11-09T00:00:01-07:00\",\"crit\":[" C_EXP "," C_SCHEME "]}",
                  &e, &d),
      NV_OK);
  assert_int_equal(e.signing_time, T_2020);
  assert_int_equal(e.expiry, T_2020 + 1);
  assert_string_equal(e.crit[0], NV_HDR_EXPIRY);
  nv_env_free(&e);

  /* signingAuthority without expiry */
  assert_int_equal(
      decode_prot("{" ALG "," CTY "," SA "," AST ",\"crit\":[" C_AST "," C_SCHEME "]}", &e, &d),
      NV_OK);
  assert_int_equal(e.scheme, NV_SCHEME_SIGNING_AUTHORITY);
  assert_int_equal(e.authentic_signing_time, T_2020);
  assert_false(e.has_expiry);
  nv_env_free(&e);

  /* a repeated extended attribute name in crit is accepted (as notation-go) */
  assert_int_equal(
      decode_prot("{" BODY_OK ",\"k\":\"v\"}", &e, &d), NV_OK);
  nv_env_free(&e);
  assert_int_equal(decode_prot("{" ALG "," CTY "," X509 "," ST ",\"crit\":[\"k\"," C_SCHEME
                               ",\"k\"],\"k\":null}",
                               &e, &d),
                   NV_OK);
  assert_int_equal(e.crit_count, 3);
  assert_int_equal(e.attr_count, 1);
  assert_true(e.attrs[0].critical);
  assert_null(e.attrs[0].string_value);
  assert_string_equal(e.attrs[0].value_json, "null");
  nv_env_free(&e);
}

static void extended_attributes(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;
  const char *prot =
      "{ \"n\" : -1.5e3 ,\n" ALG "," CTY "," X509 "," ST
      ",\"crit\":[" C_SCHEME ",\"io.cncf.notary.verificationPlugin\",\"o\"],"
      "\"o\" : { \"a\" : [ 1 , true , null ] , \"s\" : \"x y\\\"} \\\\\" } ,"
      "\"io.cncf.notary.verificationPlugin\":\"plugin\","
      "\"\\u0063ustom\":\"caf\\u00e9\",\"empty\":[ ],\"b\":false,\"\":0}";
  assert_int_equal(decode_prot(prot, &e, &d), NV_OK);
  assert_int_equal(e.attr_count, 7);
  /* header order */
  assert_string_equal(e.attrs[0].name, "n");
  assert_string_equal(e.attrs[1].name, "o");
  assert_string_equal(e.attrs[2].name, NV_HDR_VERIFICATION_PLUGIN);
  assert_string_equal(e.attrs[3].name, "custom");
  assert_string_equal(e.attrs[4].name, "empty");
  assert_string_equal(e.attrs[5].name, "b");
  assert_string_equal(e.attrs[6].name, "");
  /* values as compact JSON; strings also as text */
  assert_string_equal(e.attrs[0].value_json, "-1.5e3");
  assert_null(e.attrs[0].string_value);
  assert_string_equal(e.attrs[1].value_json, "{\"a\":[1,true,null],\"s\":\"x y\\\"} \\\\\"}");
  assert_string_equal(e.attrs[2].value_json, "\"plugin\"");
  assert_string_equal(e.attrs[2].string_value, "plugin");
  assert_string_equal(e.attrs[3].string_value, "caf\xc3\xa9");
  assert_string_equal(e.attrs[3].value_json, "\"caf\\u00e9\"");
  assert_string_equal(e.attrs[4].value_json, "[]");
  assert_string_equal(e.attrs[5].value_json, "false");
  assert_string_equal(e.attrs[6].value_json, "0");
  /* criticality */
  assert_false(find_attr(&e, "n")->critical);
  assert_true(find_attr(&e, "o")->critical);
  assert_true(find_attr(&e, NV_HDR_VERIFICATION_PLUGIN)->critical);
  assert_false(find_attr(&e, "custom")->critical);
  assert_false(find_attr(&e, "b")->critical);
  /* reserved names are not extended attributes */
  assert_null(find_attr(&e, "alg"));
  assert_null(find_attr(&e, "crit"));
  assert_null(find_attr(&e, NV_HDR_SIGNING_TIME));
  assert_int_equal(e.crit_count, 3);
  assert_string_equal(e.crit[1], NV_HDR_VERIFICATION_PLUGIN);
  nv_env_free(&e);

  /* unsigned-attribute names in the protected header are just attributes */
  assert_int_equal(decode_prot("{" BODY_OK ",\"x5c\":[\"AAEC\"],"
                               "\"io.cncf.notary.signingAgent\":\"p\"}",
                               &e, &d),
                   NV_OK);
  assert_int_equal(e.cert_count, 0);
  assert_null(e.signing_agent);
  assert_int_equal(e.attr_count, 2);
  assert_string_equal(e.attrs[0].value_json, "[\"AAEC\"]");
  nv_env_free(&e);
}

/* ------------------------------------------------------------------ */
/* Limits and large input                                             */
/* ------------------------------------------------------------------ */

static char *prot_with_attrs(size_t n)
{
  size_t cap = 512 + n * 16;
  char *p = malloc(cap);
  assert_non_null(p);
  size_t o = (size_t)snprintf(p, cap, "{%s", BODY_OK);
  for (size_t i = 0; i < n; i++)
    o += (size_t)snprintf(p + o, cap - o, ",\"a%zu\":%zu", i, i);
  snprintf(p + o, cap - o, "}");
  return p;
}

static void limits(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;

  /* 64 protected members (5 headers + 59 attributes) are fine, 65 are not */
  char *p = prot_with_attrs(NV_ENV_MAX_HEADERS - 5);
  assert_int_equal(decode_prot(p, &e, &d), NV_OK);
  assert_int_equal(e.attr_count, NV_ENV_MAX_HEADERS - 5);
  assert_string_equal(e.attrs[58].name, "a58");
  assert_string_equal(e.attrs[58].value_json, "58");
  nv_env_free(&e);
  free(p);
  p = prot_with_attrs(NV_ENV_MAX_HEADERS - 4);
  expect("65 members", decode_prot(p, &e, &d), &d, NV_E_ENVELOPE_PARSE, "65 members");
  nv_env_free(&e);
  free(p);

  /* crit with 65 entries */
  char crit[4096] = "{" ALG "," CTY "," X509 "," ST ",\"crit\":[" C_SCHEME;
  for (int i = 1; i <= NV_ENV_MAX_HEADERS; i++)
    strcat(crit, ",\"x\"");
  strcat(crit, "],\"x\":1}");
  expect("65 crit entries", decode_prot(crit, &e, &d), &d, NV_E_ENVELOPE_PARSE, "65 entries");
  nv_env_free(&e);

  /* nesting: in the top level, the unprotected header, the protected
   * header and the payload */
  char deep[512];
  memset(deep, 0, sizeof(deep));
  for (int i = 0; i < 40; i++)
    deep[i] = '[';
  for (int i = 0; i < 40; i++)
    deep[40 + i] = ']';
  char hdr[600];
  snprintf(hdr, sizeof(hdr), "{\"x\":%s}", deep);
  char *text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK, hdr);
  expect("deep header", decode_text(text, &e, &d), &d, NV_E_ENVELOPE_PARSE, "nesting");
  nv_env_free(&e);
  free(text);
  char prot[1024];
  snprintf(prot, sizeof(prot), "{" BODY_OK ",\"x\":%s}", deep);
  expect("deep protected", decode_prot(prot, &e, &d), &d, NV_E_PROTECTED_HEADER_DECODE,
         "nesting");
  nv_env_free(&e);
  char payload[600];
  snprintf(payload, sizeof(payload), "{\"x\":%s}", deep);
  text = make_jws(PROT_OK, payload, SIG_OK, NULL);
  expect("deep payload", decode_text(text, &e, &d), &d, NV_E_ENVELOPE_PARSE, "nesting");
  nv_env_free(&e);
  free(text);
  /* 30 levels are fine */
  snprintf(prot, sizeof(prot), "{" BODY_OK ",\"x\":%.*s%.*s}", 30, deep, 30, deep + 40);
  assert_int_equal(decode_prot(prot, &e, &d), NV_OK);
  assert_int_equal(strlen(e.attrs[0].value_json), 60);
  nv_env_free(&e);
}

static void large_input(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;

  /* ~20 MiB unknown unprotected member plus 100000 small ones: tolerated,
   * and the agent with the exact name after them is found. */
  size_t big = 20 * NV_MIB;
  size_t cap = big + 4 * NV_MIB;
  char *hdr = malloc(cap);
  assert_non_null(hdr);
  size_t o = (size_t)snprintf(hdr, cap, "{\"big\":\"");
  memset(hdr + o, 'A', big);
  o += big;
  o += (size_t)snprintf(hdr + o, cap - o, "\"");
  for (size_t i = 0; i < 100000; i++)
    o += (size_t)snprintf(hdr + o, cap - o, ",\"m%zu\":0", i);
  o += (size_t)snprintf(hdr + o, cap - o,
                        ",\"io.cncf.notary.SigningAgent\":\"late-variant\","
                        "\"io.cncf.notary.signingAgent\":\"late-exact\"}");
  char *text = make_jws(PROT_OK, PAYLOAD_OK, SIG_OK, hdr);
  free(hdr);
  assert_true(strlen(text) < NV_LIMIT_ENVELOPE_BYTES);
  assert_int_equal(decode_text(text, &e, &d), NV_OK);
  assert_string_equal(e.signing_agent, "late-exact");
  nv_env_free(&e);
  free(text);

  /* a 4 MiB payload object decodes byte for byte */
  size_t plen = 4 * NV_MIB;
  char *pl = malloc(plen + 1);
  assert_non_null(pl);
  memcpy(pl, "{\"p\":\"", 6);
  memset(pl + 6, 'x', plen - 8);
  memcpy(pl + plen - 2, "\"}", 2);
  pl[plen] = '\0';
  text = make_jws(PROT_OK, pl, SIG_OK, NULL);
  assert_int_equal(decode_text(text, &e, &d), NV_OK);
  assert_int_equal(e.payload.len, plen);
  assert_memory_equal(e.payload.data, pl, plen);
  nv_env_free(&e);
  free(text);
  free(pl);

  /* over the envelope limit: refused before parsing */
  size_t over = NV_LIMIT_ENVELOPE_BYTES + 1;
  char *huge = malloc(over);
  assert_non_null(huge);
  memset(huge, ' ', over);
  huge[0] = '{';
  expect("over limit", decode_bytes(huge, over, &e, &d), &d, NV_E_ENVELOPE_TOO_LARGE, NULL);
  nv_env_free(&e);
  free(huge);
}

/* ------------------------------------------------------------------ */
/* API edges                                                          */
/* ------------------------------------------------------------------ */

static void api_edges(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;
  /* a NULL diag still gives the code */
  char *text = make_jws("{" ALG "," CTY "," X509 "," ST ",\"crit\":[]}", PAYLOAD_OK, SIG_OK,
                        NULL);
  nv_env_init(&e);
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_JWS, (const uint8_t *)text, strlen(text), &e,
                                 NULL),
                   NV_E_CRIT_MISSING);
  nv_env_free(&e);
  free(text);
  text = make_jws(PROT_OK, PAYLOAD_OK, "AAAA=", NULL);
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_JWS, (const uint8_t *)text, strlen(text), &e,
                                 NULL),
                   NV_E_ENVELOPE_PARSE);
  nv_env_free(&e);
  free(text);

  /* empty input */
  expect("empty", decode_bytes("", 0, &e, &d), &d, NV_E_ENVELOPE_EMPTY, NULL);
  nv_env_free(&e);
  /* the decoder itself refuses NULL */
  nv_env_init(&e);
  nv_diag_init(&d);
  assert_int_equal(nv_env_decode_jws(NULL, 5, &e, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_env_decode_jws((const uint8_t *)"{}", 2, NULL, &d), NV_E_INVALID_ARG);
  nv_env_free(&e);

  /* a failed decode leaves nothing behind after nv_env_free, and the
   * envelope can be reused */
  assert_int_equal(decode_file(DERIVED "H05-expiry-not-critical.json", &e, &d),
                   NV_E_CRIT_REQUIRED_NOT_MARKED);
  nv_env_free(&e);
  assert_null(e.certs);
  assert_int_equal(e.cert_count, 0);
  assert_null(e.content_type);
  assert_int_equal(decode_file(CA_VALID, &e, &d), NV_OK);
  nv_env_free(&e);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(mock_ca_valid),
    cmocka_unit_test(mock_sa_valid),
    cmocka_unit_test(mock_ca_invalid_padding),
    cmocka_unit_test(timestamped_envelope),
    cmocka_unit_test(conformance_envelope),
    cmocka_unit_test(derived_vectors),
    cmocka_unit_test(derived_vectors_that_decode),
    cmocka_unit_test(top_level_rejects),
    cmocka_unit_test(top_level_accepts_layout_and_escapes),
    cmocka_unit_test(segment_encoding),
    cmocka_unit_test(payload_must_be_object),
    cmocka_unit_test(unprotected_header),
    cmocka_unit_test(unprotected_header_tolerated),
    cmocka_unit_test(protected_header_rejects),
    cmocka_unit_test(protected_header_accepts),
    cmocka_unit_test(extended_attributes),
    cmocka_unit_test(limits),
    cmocka_unit_test(large_input),
    cmocka_unit_test(api_edges),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
