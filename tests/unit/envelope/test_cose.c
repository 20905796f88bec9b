/*
 * COSE_Sign1: the generic decoder and Sig_structure (go-cose vectors, hand
 * built messages) and the Notary reading of the headers (notation
 * conformance.json, the notation-go sigEnv envelopes, the derived C01/C03
 * envelopes, and the envelopes written by data/gen_cose.py with Python
 * cbor2 + cryptography, whose ToBeSigned bytes are the witness for ours).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/nv_text.h"
#include "base/nv_json.h"
#include "base/nv_limits.h"
#include "envelope/nv_cose.h"
#include "envelope/nv_env.h"

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static uint8_t *read_data(const char *name, const char *ext, size_t *len)
{
  char path[1024];
  snprintf(path, sizeof(path), "%s/cose-%s.%s", NV_TEST_DATA, name, ext);
  bytes b = slurp_path(path);
  *len = b.len;
  return b.data;
}

static uint8_t *read_vector(const char *rel, size_t *len)
{
  bytes b = slurp_in(NV_VECTORS, rel);
  *len = b.len;
  return b.data;
}

static uint8_t *hex_decode(const char *hex, size_t *len)
{
  size_t n = strlen(hex);
  assert_int_equal(n % 2, 0);
  uint8_t *out = malloc(n / 2 + 1);
  assert_non_null(out);
  for (size_t i = 0; i < n / 2; i++) {
    int hi = nv_hex_value(hex[2 * i]), lo = nv_hex_value(hex[2 * i + 1]);
    assert_true(hi >= 0 && lo >= 0);
    out[i] = (uint8_t)(hi * 16 + lo);
  }
  *len = n / 2;
  return out;
}

static nv_json *load_json(const char *rel)
{
  size_t n;
  uint8_t *text = read_vector(rel, &n);
  nv_json *j = NULL;
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_json_parse(text, n, 4 * NV_MIB, rel, &j, &d);
  free(text);
  if (rc != NV_OK)
    fail_msg("%s: %s", rel, d.msg);
  return j;
}

/* A string member at a path of object names (NULL-terminated). */
static const char *json_str(const nv_json *j, ...)
{
  va_list ap;
  va_start(ap, j);
  const char *name;
  while (j != NULL && (name = va_arg(ap, const char *)) != NULL)
    j = nv_json_member(j, name);
  va_end(ap);
  return j != NULL ? nv_json_string(j) : NULL;
}

static void assert_bytes(const uint8_t *got, size_t got_len, const uint8_t *want, size_t want_len)
{
  assert_int_equal(got_len, want_len);
  if (want_len > 0)
    assert_memory_equal(got, want, want_len);
}

static void assert_msg(const nv_diag *d, const char *part)
{
  if (strstr(d->msg, part) == NULL)
    fail_msg("message \"%s\" does not contain \"%s\"", d->msg, part);
}

/* A growable CBOR writer for hand-built messages. */
typedef struct wb {
  uint8_t *b;
  size_t n, cap;
} wb;

static void w_raw(wb *w, const void *p, size_t n)
{
  if (w->n + n > w->cap) {
    size_t cap = w->cap ? w->cap : 256;
    while (cap < w->n + n)
      cap *= 2;
    w->b = realloc(w->b, cap);
    assert_non_null(w->b);
    w->cap = cap;
  }
  if (n > 0)
    memcpy(w->b + w->n, p, n);
  w->n += n;
}

static void w_byte(wb *w, uint8_t c)
{
  w_raw(w, &c, 1);
}

static void w_head(wb *w, unsigned major, uint64_t v)
{
  uint8_t m = (uint8_t)(major << 5);
  if (v < 24) {
    w_byte(w, (uint8_t)(m | v));
    return;
  }
  int n = v <= 0xff ? 1 : v <= 0xffff ? 2 : v <= 0xffffffffu ? 4 : 8;
  w_byte(w, (uint8_t)(m | (n == 1 ? 24 : n == 2 ? 25 : n == 4 ? 26 : 27)));
  for (int i = n - 1; i >= 0; i--)
    w_byte(w, (uint8_t)(v >> (8 * i)));
}

static void w_int(wb *w, int64_t v)
{
  if (v >= 0)
    w_head(w, 0, (uint64_t)v);
  else
    w_head(w, 1, (uint64_t)(-(v + 1)));
}

static void w_tstr(wb *w, const char *s)
{
  w_head(w, 3, strlen(s));
  w_raw(w, s, strlen(s));
}

static void w_bstr(wb *w, const void *p, size_t n)
{
  w_head(w, 2, n);
  w_raw(w, p, n);
}

static void w_hex(wb *w, const char *hex)
{
  size_t n;
  uint8_t *b = hex_decode(hex, &n);
  w_raw(w, b, n);
  free(b);
}

static void w_time(wb *w, int64_t t)
{
  w_head(w, 6, 1);
  w_int(w, t);
}

static void w_free(wb *w)
{
  free(w->b);
  memset(w, 0, sizeof(*w));
}

#define T_SIGNED 1700000000
#define T_PAYLOAD "{\"targetArtifact\":{}}"
static const uint8_t fake_cert[] = {0x30, 0x82, 0x00, 0x01, 0x00};
static const uint8_t fake_sig[64] = {1, 2, 3, 4};

/* Start a notary.x509 protected map of 5 + `extra` pairs (alg -7, crit
 * [signingScheme], cty, scheme, signingTime); the caller adds `extra`. */
static void std_prot(wb *w, size_t extra)
{
  w_head(w, 5, 5 + extra);
  w_int(w, 1);
  w_int(w, -7);
  w_int(w, 2);
  w_head(w, 4, 1);
  w_tstr(w, NV_HDR_SIGNING_SCHEME);
  w_int(w, 3);
  w_tstr(w, NV_PAYLOAD_CONTENT_TYPE);
  w_tstr(w, NV_HDR_SIGNING_SCHEME);
  w_tstr(w, NV_SCHEME_NAME_X509);
  w_tstr(w, NV_HDR_SIGNING_TIME);
  w_time(w, T_SIGNED);
}

/* The default unprotected map: {33: [fake cert]}. */
static void std_unprot(wb *w)
{
  w_head(w, 5, 1);
  w_int(w, 33);
  w_head(w, 4, 1);
  w_bstr(w, fake_cert, sizeof(fake_cert));
}

/* 0xD2 [bstr(prot), unprot (default when NULL), bstr(payload), bstr(sig)] */
static void w_message(wb *out, const wb *prot, const wb *unprot, const char *payload)
{
  w_byte(out, 0xd2);
  w_byte(out, 0x84);
  w_bstr(out, prot->b, prot->n);
  if (unprot != NULL) {
    w_raw(out, unprot->b, unprot->n);
  } else {
    wb u = {0};
    std_unprot(&u);
    w_raw(out, u.b, u.n);
    w_free(&u);
  }
  w_bstr(out, payload, strlen(payload));
  w_bstr(out, fake_sig, sizeof(fake_sig));
}

/* Decode a Notary envelope built from a protected map (and unprotected). */
static nv_status decode_env(const wb *prot, const wb *unprot, nv_env *e, nv_diag *d)
{
  wb m = {0};
  w_message(&m, prot, unprot, T_PAYLOAD);
  nv_diag_init(d);
  nv_status rc = nv_env_decode(NV_ENV_FORMAT_COSE, m.b, m.n, e, d);
  w_free(&m);
  return rc;
}

static const nv_env_attr *find_attr(const nv_env *e, const char *name, bool int_label)
{
  for (size_t i = 0; i < e->attr_count; i++)
    if (strcmp(e->attrs[i].name, name) == 0 && e->attrs[i].int_label == int_label)
      return &e->attrs[i];
  return NULL;
}

static void assert_valid_json(const char *text)
{
  nv_json *j = NULL;
  nv_diag d;
  nv_diag_init(&d);
  if (nv_json_parse(text, strlen(text), NV_MIB, "value_json", &j, &d) != NV_OK)
    fail_msg("not valid JSON: %s (%s)", text, d.msg);
  nv_json_free(j);
}

/* ------------------------------------------------------------------ */
/* go-cose vectors (generic COSE_Sign1)                                */
/* ------------------------------------------------------------------ */

static int64_t alg_id_of(const char *name)
{
  static const struct {
    const char *n;
    int64_t id;
  } t[] = {{"ES256", -7},  {"ES384", -35}, {"ES512", -36},
           {"PS256", -37}, {"PS384", -38}, {"PS512", -39}};
  for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
    if (strcmp(t[i].n, name) == 0)
      return t[i].id;
  fail_msg("unknown alg %s", name);
  return 0;
}

/* Decode `msg_hex` and check its Sig_structure against tbsHex and its parts
 * against the sign vector's inputs. */
static void check_gocose_message(const char *msg_hex, const char *external_hex,
                                 const nv_json *sign, int64_t alg)
{
  size_t n, tbs_len, prot_len, unprot_len, payload_len, aad_len = 0;
  uint8_t *msg = hex_decode(msg_hex, &n);
  uint8_t *tbs = hex_decode(json_str(sign, "tbsHex", "cborHex", NULL), &tbs_len);
  uint8_t *prot = hex_decode(json_str(sign, "protectedHeaders", "cborHex", NULL), &prot_len);
  uint8_t *unprot = hex_decode(json_str(sign, "unprotectedHeaders", "cborHex", NULL),
                               &unprot_len);
  uint8_t *payload = hex_decode(json_str(sign, "payload", NULL), &payload_len);
  uint8_t *aad = external_hex != NULL ? hex_decode(external_hex, &aad_len) : NULL;

  nv_diag d;
  nv_diag_init(&d);
  nv_cose_sign1 m;
  if (nv_cose_sign1_decode(msg, n, &m, &d) != NV_OK)
    fail_msg("decode: %s", d.msg);
  assert_bytes(m.protected_content.data, m.protected_content.len, prot, prot_len);
  assert_ptr_equal(m.protected_raw.data, msg + 2);
  assert_bytes(m.unprotected_map->raw.data, m.unprotected_map->raw.len, unprot, unprot_len);
  assert_bytes(m.payload.data, m.payload.len, payload, payload_len);
  /* the signature is the message's last item */
  assert_true(m.signature.len >= 64);
  assert_ptr_equal(m.signature.data + m.signature.len, msg + n);
  int64_t got_alg = 0;
  assert_true(nv_cbor_get_int64(nv_cose_map_get_int(m.protected_map, 1), &got_alg));
  assert_int_equal(got_alg, alg);

  nv_buf out;
  nv_buf_init(&out, NV_MIB);
  assert_int_equal(nv_cose_sig_structure(&m, aad, aad_len, &out, &d), NV_OK);
  assert_bytes(out.data, out.len, tbs, tbs_len);
  nv_buf_free(&out);
  nv_cose_sign1_free(&m);
  free(msg);
  free(tbs);
  free(prot);
  free(unprot);
  free(payload);
  free(aad);
}

static void test_gocose_sign_and_verify_vectors(void **state)
{
  (void)state;
  for (int i = 0; i <= 6; i++) {
    char vname[128], sname[128];
    snprintf(vname, sizeof(vname), "go-cose/testdata/sign1-verify-%04d.json", i);
    snprintf(sname, sizeof(sname), "go-cose/testdata/sign1-sign-%04d.json", i);
    nv_json *v = load_json(vname);
    nv_json *s = load_json(sname);
    const nv_json *sign = nv_json_member(s, "sign1::sign");
    assert_non_null(sign);
    int64_t alg = alg_id_of(json_str(s, "alg", NULL));
    assert_string_equal(json_str(v, "alg", NULL), json_str(s, "alg", NULL));
    print_message("vector %d (%s)\n", i, json_str(s, "alg", NULL));
    /* sign1-verify-N: the message to verify, with its own external AAD;
     * its Sig_structure is the tbsHex of sign1-sign-N (same inputs) */
    check_gocose_message(json_str(v, "sign1::verify", "taggedCOSESign1", "cborHex", NULL),
                         json_str(v, "sign1::verify", "external", NULL), sign, alg);
    /* sign1-sign-N: its expected output decodes to the same Sig_structure */
    check_gocose_message(json_str(sign, "expectedOutput", "cborHex", NULL),
                         json_str(sign, "external", NULL), sign, alg);
    nv_json_free(v);
    nv_json_free(s);
  }
}

static void expect_gocose_negative(const char *file, nv_status code, const char *part)
{
  char name[128];
  snprintf(name, sizeof(name), "go-cose/testdata/%s.json", file);
  nv_json *v = load_json(name);
  size_t n;
  uint8_t *msg = hex_decode(json_str(v, "sign1::verify", "taggedCOSESign1", "cborHex", NULL), &n);
  nv_diag d;
  nv_diag_init(&d);
  nv_cose_sign1 m;
  assert_int_equal(nv_cose_sign1_decode(msg, n, &m, &d), code);
  assert_msg(&d, part);
  nv_cose_sign1_free(&m);
  /* the Notary decoder refuses it for the same reason */
  nv_env e;
  nv_diag_init(&d);
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_COSE, msg, n, &e, &d), code);
  nv_env_free(&e);
  free(msg);
  nv_json_free(v);
}

static void test_gocose_negative_0000_protected_not_bstr(void **state)
{
  (void)state;
  expect_gocose_negative("sign1-verify-negative-0000", NV_E_PROTECTED_HEADER_DECODE,
                         "require bstr type");
}

static void test_gocose_negative_0001_protected_not_map(void **state)
{
  (void)state;
  expect_gocose_negative("sign1-verify-negative-0001", NV_E_PROTECTED_HEADER_DECODE,
                         "require map type");
}

/* negative-0002: protected bstr h'A201260126' = {1: -7, 1: -7}, the alg
 * label twice with the SAME value, so a decoder that keeps either
 * duplicate sees a plausible header; it must be rejected as malformed. */
static void test_gocose_negative_0002_duplicate_protected_label(void **state)
{
  (void)state;
  expect_gocose_negative("sign1-verify-negative-0002", NV_E_PROTECTED_HEADER_DECODE,
                         "duplicate map key 1");
  /* the duplicate is the only fault: with the second label turned into
   * the unregistered label 10 the same message decodes */
  nv_json *v = load_json("go-cose/testdata/sign1-verify-negative-0002.json");
  size_t n;
  uint8_t *msg = hex_decode(json_str(v, "sign1::verify", "taggedCOSESign1", "cborHex", NULL), &n);
  static const uint8_t prot[] = {0x45, 0xa2, 0x01, 0x26, 0x01, 0x26};
  assert_memory_equal(msg + 2, prot, sizeof(prot));
  msg[2 + 4] = 0x0a;
  nv_diag d;
  nv_diag_init(&d);
  nv_cose_sign1 m;
  assert_int_equal(nv_cose_sign1_decode(msg, n, &m, &d), NV_OK);
  assert_int_equal(m.protected_map->count, 2);
  nv_cose_sign1_free(&m);
  free(msg);
  nv_json_free(v);
}

static void test_gocose_negative_0003_duplicate_unprotected_label(void **state)
{
  (void)state;
  expect_gocose_negative("sign1-verify-negative-0003", NV_E_ENVELOPE_PARSE,
                         "duplicate map key 4");
}

/* The go-cose messages are COSE_Sign1 but not Notary envelopes. */
static void test_gocose_not_notary(void **state)
{
  (void)state;
  static const struct {
    int n;
    nv_status code;
    const char *part;
  } cases[] = {
    {0, NV_E_SIGNING_SCHEME_UNSUPPORTED, "invalid signingScheme"},    /* {1:-7} */
    {1, NV_E_CONTENT_TYPE_UNSUPPORTED, "content type should be of 'tstr' type"}, /* 3: 0 */
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char name[128];
    snprintf(name, sizeof(name), "go-cose/testdata/sign1-verify-%04d.json", cases[i].n);
    nv_json *v = load_json(name);
    size_t n;
    uint8_t *msg =
        hex_decode(json_str(v, "sign1::verify", "taggedCOSESign1", "cborHex", NULL), &n);
    nv_env e;
    nv_diag d;
    nv_diag_init(&d);
    assert_int_equal(nv_env_decode(NV_ENV_FORMAT_COSE, msg, n, &e, &d), cases[i].code);
    assert_msg(&d, cases[i].part);
    nv_env_free(&e);
    free(msg);
    nv_json_free(v);
  }
}

/* ------------------------------------------------------------------ */
/* notation conformance.json and real envelopes                         */
/* ------------------------------------------------------------------ */

static void test_notation_conformance_json(void **state)
{
  (void)state;
  nv_json *c = load_json("notation-core-go/signature/cose/testdata/conformance.json");
  size_t n, prot_len;
  uint8_t *msg = hex_decode(json_str(c, "expectedOutput", "cborHex", NULL), &n);
  uint8_t *prot = hex_decode(json_str(c, "protectedHeaders", "cborHex", NULL), &prot_len);
  assert_int_equal(msg[0], 0xd2);

  nv_diag d;
  nv_diag_init(&d);
  nv_cose_sign1 m;
  assert_int_equal(nv_cose_sign1_decode(msg, n, &m, &d), NV_OK);
  assert_bytes(m.protected_content.data, m.protected_content.len, prot, prot_len);
  assert_int_equal(m.protected_map->count, 8);
  nv_cose_sign1_free(&m);

  nv_env e;
  if (nv_env_decode(NV_ENV_FORMAT_COSE, msg, n, &e, &d) != NV_OK)
    fail_msg("%s", d.msg);
  assert_int_equal(e.alg, NV_SIG_PS384);
  assert_int_equal(nv_sig_alg_cose_id(e.alg), -38);
  assert_int_equal(e.crit_count, 3);
  assert_string_equal(e.crit[0], "io.cncf.notary.signingScheme");
  assert_string_equal(e.crit[1], "io.cncf.notary.expiry");
  assert_string_equal(e.crit[2], "signedCritKey1");
  assert_string_equal(e.content_type, NV_PAYLOAD_CONTENT_TYPE);
  assert_int_equal(e.scheme, NV_SCHEME_X509);
  assert_true(e.has_signing_time);
  assert_int_equal(e.signing_time, 1661321924);
  assert_true(e.has_expiry);
  assert_int_equal(e.expiry, 1661408324);
  assert_false(e.has_authentic_signing_time);
  assert_int_equal(e.attr_count, 2);
  const nv_env_attr *a = find_attr(&e, "signedCritKey1", false);
  assert_non_null(a);
  assert_true(a->critical);
  assert_string_equal(a->string_value, "signedCritValue1");
  assert_string_equal(a->value_json, "\"signedCritValue1\"");
  a = find_attr(&e, "signedKey1", false);
  assert_non_null(a);
  assert_false(a->critical);
  assert_string_equal(a->string_value, "signedValue1");
  /* in encoded order: signedKey1 comes first */
  assert_string_equal(e.attrs[0].name, "signedKey1");
  assert_bytes(e.payload.data, e.payload.len, (const uint8_t *)"hello COSE", 10);
  assert_string_equal(e.signing_agent, "NotationConformanceTest/1.0.0");
  assert_int_equal(e.signature.len, 384);
  assert_int_equal(e.cert_count, 0); /* x5chain stripped: decodes, integrity rejects */
  assert_false(e.has_timestamp);
  /* ToBeSigned = 84 6A "Signature1" <protected bstr> 40 4A "hello COSE" */
  wb want = {0};
  w_hex(&want, "846a5369676e617475726531");
  w_bstr(&want, prot, prot_len);
  w_byte(&want, 0x40);
  w_bstr(&want, "hello COSE", 10);
  assert_bytes(e.signing_input.data, e.signing_input.len, want.b, want.n);
  w_free(&want);
  nv_env_free(&e);
  free(msg);
  free(prot);
  nv_json_free(c);
}

struct sigenv {
  const char *file;
  int64_t signing_time;
  size_t cert_len;
};

static void check_sigenv(const struct sigenv *t)
{
  char rel[256];
  snprintf(rel, sizeof(rel), "notation-go/verifier/testdata/timestamp/sigEnv/%s", t->file);
  size_t n;
  uint8_t *data = read_vector(rel, &n);
  assert_int_equal(data[0], 0xd2); /* COSE by its first byte */
  nv_env e;
  nv_diag d;
  nv_diag_init(&d);
  if (nv_env_decode(NV_ENV_FORMAT_COSE, data, n, &e, &d) != NV_OK)
    fail_msg("%s: %s", t->file, d.msg);
  assert_int_equal(e.alg, NV_SIG_PS256);
  assert_int_equal(e.scheme, NV_SCHEME_X509);
  assert_true(e.has_signing_time);
  assert_int_equal(e.signing_time, t->signing_time);
  assert_false(e.has_expiry);
  assert_int_equal(e.crit_count, 1);
  assert_string_equal(e.crit[0], NV_HDR_SIGNING_SCHEME);
  assert_string_equal(e.content_type, NV_PAYLOAD_CONTENT_TYPE);
  assert_int_equal(e.attr_count, 0);
  assert_int_equal(e.cert_count, 1);
  assert_int_equal(e.certs[0].len, t->cert_len);
  assert_int_equal(e.certs[0].data[0], 0x30);
  assert_true(e.has_timestamp);
  assert_int_equal(e.timestamp_token.len, 5835);
  assert_int_equal(e.timestamp_token.data[0], 0x30);
  assert_string_equal(e.signing_agent, "Notation/1.0.0");
  assert_int_equal(e.signature.len, 256);
  assert_true(e.payload.len > 20);
  assert_memory_equal(e.payload.data, "{\"targetArtifact\":", 18);

  /* ToBeSigned: context, the protected bstr exactly as in the file (it
   * starts at byte 2 and notation writes shortest heads), h'', payload */
  nv_cose_sign1 m;
  assert_int_equal(nv_cose_sign1_decode(data, n, &m, &d), NV_OK);
  assert_ptr_equal(m.protected_raw.data, data + 2);
  wb want = {0};
  w_hex(&want, "846a5369676e617475726531");
  w_raw(&want, data + 2, m.protected_raw.len);
  w_byte(&want, 0x40);
  w_bstr(&want, e.payload.data, e.payload.len);
  assert_bytes(e.signing_input.data, e.signing_input.len, want.b, want.n);
  /* the signature is the file's last 256 bytes */
  assert_memory_equal(e.signature.data, data + n - 256, 256);
  w_free(&want);
  nv_cose_sign1_free(&m);
  nv_env_free(&e);
  free(data);
}

static void test_sigenv_cose_with_timestamp(void **state)
{
  (void)state;
  static const struct sigenv t = {"coseWithTimestamp.sig", 1718692031, 834};
  check_sigenv(&t);
}

static void test_sigenv_cose_expired_with_timestamp(void **state)
{
  (void)state;
  static const struct sigenv t = {"coseExpiredWithTimestamp.sig", 1718695267, 837};
  check_sigenv(&t);
}

static void test_sigenv_timestamp_after_not_after(void **state)
{
  (void)state;
  static const struct sigenv t = {"timestampAfterNotAfter.sig", 1718789754, 837};
  check_sigenv(&t);
}

/* timestampBeforeNotBefore.sig is a JWS envelope (first byte '{'): the
 * COSE decoder refuses it at the first byte. */
static void test_sigenv_jws_file_is_not_cose(void **state)
{
  (void)state;
  size_t n;
  uint8_t *data =
      read_vector("notation-go/verifier/testdata/timestamp/sigEnv/timestampBeforeNotBefore.sig",
                  &n);
  assert_int_equal(data[0], '{');
  nv_env e;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_COSE, data, n, &e, &d), NV_E_ENVELOPE_PARSE);
  assert_msg(&d, "not tag 18");
  nv_env_free(&e);
  free(data);
}

static void test_derived_c01_empty_x5chain(void **state)
{
  (void)state;
  size_t n;
  uint8_t *data = read_vector("derived/cose/C01-empty-x5chain.sig", &n);
  nv_env e;
  nv_diag d;
  nv_diag_init(&d);
  /* decodes with no certificate; integrity verification rejects it */
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_COSE, data, n, &e, &d), NV_OK);
  assert_int_equal(e.cert_count, 0);
  assert_int_equal(e.scheme, NV_SCHEME_X509);
  assert_int_equal(e.signing_time, 1678769122);
  nv_env_free(&e);
  free(data);
}

static void test_derived_c03_malformed_leaf_bytes_kept(void **state)
{
  (void)state;
  size_t n;
  uint8_t *data = read_vector("derived/cose/C03-leaf-first-byte-plus-A.sig", &n);
  nv_env e;
  nv_diag d;
  nv_diag_init(&d);
  /* the envelope layer hands the certificate bytes on unparsed */
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_COSE, data, n, &e, &d), NV_OK);
  assert_int_equal(e.cert_count, 1);
  assert_int_equal(e.certs[0].len, 836);
  assert_int_equal(e.certs[0].data[0], 0x30 + 'A');
  nv_env_free(&e);
  free(data);
}

/* ------------------------------------------------------------------ */
/* envelopes written by gen_cose.py                                     */
/* ------------------------------------------------------------------ */

#define GEN_SIGNED 1718692031
#define GEN_EXPIRES (GEN_SIGNED + 86400)

/* Decode data/cose-<name>.bin and compare its signing input with the
 * cbor2-computed data/cose-<name>.tbs. */
static void decode_generated(const char *name, nv_env *e)
{
  size_t n, tbs_len;
  uint8_t *data = read_data(name, "bin", &n);
  uint8_t *tbs = read_data(name, "tbs", &tbs_len);
  nv_diag d;
  nv_diag_init(&d);
  if (nv_env_decode(NV_ENV_FORMAT_COSE, data, n, e, &d) != NV_OK)
    fail_msg("%s: %s", name, d.msg);
  assert_bytes(e->signing_input.data, e->signing_input.len, tbs, tbs_len);
  free(data);
  free(tbs);
}

static void test_generated_valid_x509(void **state)
{
  (void)state;
  nv_env e;
  decode_generated("valid-x509", &e);
  assert_int_equal(e.alg, NV_SIG_ES256);
  assert_int_equal(e.scheme, NV_SCHEME_X509);
  assert_true(e.has_signing_time);
  assert_int_equal(e.signing_time, GEN_SIGNED);
  assert_true(e.has_expiry);
  assert_int_equal(e.expiry, GEN_EXPIRES);
  assert_false(e.has_authentic_signing_time);
  assert_string_equal(e.content_type, NV_PAYLOAD_CONTENT_TYPE);
  assert_int_equal(e.crit_count, 3);
  assert_string_equal(e.crit[0], NV_HDR_SIGNING_SCHEME);
  assert_string_equal(e.crit[1], NV_HDR_EXPIRY);
  assert_string_equal(e.crit[2], "ext.crit");
  assert_int_equal(e.attr_count, 4);
  assert_string_equal(e.attrs[0].name, "ext.crit");
  assert_true(e.attrs[0].critical);
  assert_string_equal(e.attrs[0].string_value, "critical value");
  assert_string_equal(e.attrs[1].name, "ext.plain");
  assert_false(e.attrs[1].critical);
  assert_string_equal(e.attrs[1].value_json, "\"plain value\"");
  assert_string_equal(e.attrs[2].name, "-70000");
  assert_true(e.attrs[2].int_label);
  assert_false(e.attrs[2].critical);
  assert_null(e.attrs[2].string_value);
  assert_string_equal(e.attrs[2].value_json,
                      "{\"a\":[1,\"AQI=\",true,null,1.5],\"b\":\"q\\\"\\n\"}");
  assert_valid_json(e.attrs[2].value_json);
  assert_string_equal(e.attrs[3].name, "ext.tagged");
  assert_string_equal(e.attrs[3].value_json, "\"tagged content\""); /* tag 1000 dropped */
  assert_null(e.attrs[3].string_value);
  assert_int_equal(e.cert_count, 1);
  assert_int_equal(e.certs[0].data[0], 0x30);
  assert_true(e.has_timestamp);
  static const uint8_t tst[] = {0x30, 0x03, 0x02, 0x01, 0x01};
  assert_bytes(e.timestamp_token.data, e.timestamp_token.len, tst, sizeof(tst));
  assert_string_equal(e.signing_agent, "gen_cose.py/1.0");
  assert_int_equal(e.signature.len, 64);
  assert_memory_equal(e.payload.data, "{\"targetArtifact\":", 18);
  nv_env_free(&e);
}

static void test_generated_valid_signing_authority(void **state)
{
  (void)state;
  nv_env e;
  decode_generated("valid-sa", &e);
  assert_int_equal(e.scheme, NV_SCHEME_SIGNING_AUTHORITY);
  assert_true(e.has_authentic_signing_time);
  assert_int_equal(e.authentic_signing_time, GEN_SIGNED);
  /* the x509 time label holds a string: ignored for this scheme (GO) and
   * not reported as an extended attribute */
  assert_false(e.has_signing_time);
  assert_int_equal(e.attr_count, 0);
  assert_int_equal(e.crit_count, 2);
  assert_string_equal(e.crit[1], NV_HDR_AUTHENTIC_SIGNING_TIME);
  assert_false(e.has_timestamp);
  nv_env_free(&e);
}

static void test_generated_nonshortest_protected_prefix(void **state)
{
  (void)state;
  size_t n;
  uint8_t *data = read_data("nonshortest-protected", "bin", &n);
  assert_int_equal(data[2], 0x5a); /* bstr with a 4-byte length */
  nv_diag d;
  nv_diag_init(&d);
  nv_cose_sign1 m;
  assert_int_equal(nv_cose_sign1_decode(data, n, &m, &d), NV_OK);
  assert_int_equal(m.protected_raw.len, m.protected_content.len + 5);
  nv_cose_sign1_free(&m);
  nv_env e;
  decode_generated("nonshortest-protected", &e); /* ToBeSigned uses 0x59 */
  assert_int_equal(e.signing_input.data[12], 0x59);
  assert_int_equal(e.signing_time, GEN_SIGNED);
  nv_env_free(&e);
  free(data);
}

static void test_generated_nonshortest_payload_prefix(void **state)
{
  (void)state;
  nv_env e;
  decode_generated("nonshortest-payload", &e);
  assert_memory_equal(e.payload.data, "{\"targetArtifact\":", 18);
  nv_env_free(&e);
}

static void test_generated_time_integral_float(void **state)
{
  (void)state;
  nv_env e;
  decode_generated("time-float-integral", &e);
  assert_int_equal(e.signing_time, GEN_SIGNED);
  nv_env_free(&e);
}

static void test_generated_depth_16_accepted(void **state)
{
  (void)state;
  nv_env e;
  decode_generated("deep-ok", &e);
  const nv_env_attr *a = find_attr(&e, "ext.deep", false);
  assert_non_null(a);
  assert_string_equal(a->value_json, "[[[[[[[[[[[[[[0]]]]]]]]]]]]]]");
  nv_env_free(&e);
}

static void test_generated_empty_x5chain(void **state)
{
  (void)state;
  nv_env e;
  decode_generated("x5chain-empty", &e);
  assert_int_equal(e.cert_count, 0);
  nv_env_free(&e);
}

struct neg {
  const char *file;
  nv_status code;
  const char *part;
};

/* Every malformed or non-conforming generated envelope, with its code. */
static const struct neg negatives[] = {
  {"expiry-equal", NV_E_EXPIRY_NOT_AFTER_SIGNING_TIME, "expiry cannot be equal or before"},
  {"alg-tstr", NV_E_ALG_UNSUPPORTED, "signature algorithm not supported: \"ES256\""},
  {"alg-minus8", NV_E_ALG_UNSUPPORTED, "signature algorithm not supported: -8"},
  {"alg-missing", NV_E_ALG_UNSUPPORTED, "algorithm not found"},
  {"crit-empty", NV_E_CRIT_MISSING, "empty crit header"},
  {"crit-missing", NV_E_CRIT_MISSING,
   "not marked as critical: [io.cncf.notary.signingScheme io.cncf.notary.expiry]"},
  {"crit-int1", NV_E_CRIT_INVALID_LABEL, "integer label 1"},
  {"crit-not-marked", NV_E_CRIT_REQUIRED_NOT_MARKED,
   "these required headers are not marked as critical: [io.cncf.notary.expiry]"},
  {"crit-absent-entry", NV_E_CRIT_ENTRY_NOT_PRESENT, "missing critical header: \"no.such\""},
  {"crit-bstr-entry", NV_E_CRIT_INVALID_LABEL, "require int / tstr type, got bstr"},
  {"sa-crit-no-authtime", NV_E_CRIT_REQUIRED_NOT_MARKED,
   "not marked as critical: [io.cncf.notary.authenticSigningTime]"},
  {"time-untagged", NV_E_TIME_ENCODING_INVALID, "does not have a tag"},
  {"time-tag0", NV_E_TIME_ENCODING_INVALID, "only Tag `1` Datetime CBOR object is supported"},
  {"time-float", NV_E_TIME_ENCODING_INVALID, "fractional seconds"},
  {"time-tag1-tstr", NV_E_TIME_ENCODING_INVALID, "invalid expiry"},
  {"x5chain-bstr", NV_E_CERT_CHAIN_MISSING, "certificate chain is not present"},
  {"x5chain-tstr", NV_E_CERT_CHAIN_MISSING, "element 1 is a tstr"},
  {"cty-uint", NV_E_CONTENT_TYPE_UNSUPPORTED, "content type should be of 'tstr' type"},
  {"cty-nul", NV_E_CONTENT_TYPE_UNSUPPORTED, "NUL"},
  {"scheme-unknown", NV_E_SIGNING_SCHEME_UNSUPPORTED, "unsupported signingScheme: notary.unknown"},
  {"scheme-int", NV_E_SIGNING_SCHEME_UNSUPPORTED, "invalid signingScheme"},
  {"ext-label-nul", NV_E_HEADER_INVALID, "NUL"},
  {"crit-unprotected", NV_E_HEADER_INVALID, "crit (label 2) is not allowed"},
  {"payload-nil", NV_E_PAYLOAD_EMPTY, "detached"},
  {"sig-empty", NV_E_SIGNATURE_EMPTY, "empty signature"},
  {"kid-tstr", NV_E_HEADER_INVALID, "kid (label 4): require bstr type"},
  {"untagged", NV_E_ENVELOPE_PARSE, "not tagged"},
  {"tag-d812", NV_E_ENVELOPE_PARSE, "one-byte form 0xD2"},
  {"trailing", NV_E_ENVELOPE_PARSE, "1 trailing bytes"},
  {"truncated", NV_E_ENVELOPE_PARSE, "exceeds the 63 remaining bytes"},
  {"indef-outer", NV_E_ENVELOPE_PARSE, "array of 4 elements (0x84)"},
  {"indef-x5chain", NV_E_ENVELOPE_PARSE, "indefinite-length"},
  {"indef-unprot-map", NV_E_ENVELOPE_PARSE, "indefinite-length"},
  {"indef-protected-map", NV_E_PROTECTED_HEADER_DECODE, "indefinite-length"},
  {"indef-payload", NV_E_ENVELOPE_PARSE, "indefinite-length"},
  {"dup-protected", NV_E_PROTECTED_HEADER_DECODE, "duplicate map key 1"},
  {"dup-protected-nonshortest", NV_E_PROTECTED_HEADER_DECODE, "duplicate map key 1"},
  {"dup-unprotected", NV_E_ENVELOPE_PARSE,
   "duplicate map key \"io.cncf.notary.signingAgent\""},
  {"dup-nested", NV_E_PROTECTED_HEADER_DECODE, "duplicate map key \"k\""},
  {"protected-not-map", NV_E_PROTECTED_HEADER_DECODE, "require map type"},
  {"protected-trailing", NV_E_PROTECTED_HEADER_DECODE, "trailing"},
  {"unprot-tag", NV_E_ENVELOPE_PARSE, "tags are not allowed"},
  {"label-float", NV_E_PROTECTED_HEADER_DECODE, "require int / tstr type, got float"},
  {"label-bigint", NV_E_PROTECTED_HEADER_DECODE, "out of range"},
  {"invalid-utf8", NV_E_ENVELOPE_PARSE, "not valid UTF-8"},
  {"simple-lt32", NV_E_PROTECTED_HEADER_DECODE, "simple value below 32"},
  {"reserved-ai", NV_E_ENVELOPE_PARSE, "reserved additional information"},
  {"bomb-raw", NV_E_ENVELOPE_PARSE, "not tag 18"},
  {"bomb-outer", NV_E_ENVELOPE_PARSE, "array of 2324339338 items cannot fit"},
  {"bomb-unprot", NV_E_ENVELOPE_PARSE, "array of 2324339338 items cannot fit"},
  {"bomb-protected", NV_E_PROTECTED_HEADER_DECODE, "array of 2324339338 items cannot fit"},
  {"bomb-map-unprot", NV_E_ENVELOPE_PARSE, "map of 4294967296 pairs cannot fit"},
  {"bomb-map-protected", NV_E_PROTECTED_HEADER_DECODE, "map of 9223372036854775807 pairs"},
  {"bomb-bstr", NV_E_ENVELOPE_PARSE, "string length 9223372036854775807 exceeds"},
  {"items-unprot", NV_E_ENVELOPE_PARSE, "more than 4096 CBOR data items"},
  {"items-protected", NV_E_PROTECTED_HEADER_DECODE, "more than 4096 CBOR data items"},
  {"deep-protected", NV_E_PROTECTED_HEADER_DECODE, "nested more than 16 levels"},
  {"deep-unprot", NV_E_ENVELOPE_PARSE, "nested more than 16 levels"},
};

static void test_generated_negative(void **state)
{
  const struct neg *t = *state;
  size_t n;
  uint8_t *data = read_data(t->file, "bin", &n);
  nv_env e;
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_env_decode(NV_ENV_FORMAT_COSE, data, n, &e, &d);
  if (rc != t->code)
    fail_msg("%s: got %d (%s), want %d", t->file, rc, d.msg, t->code);
  assert_msg(&d, t->part);
  nv_env_free(&e);
  free(data);
}

/* The resource bombs fail before anything of their claimed size is
 * allocated: all of them together take well under a second. */
static void test_bombs_fail_fast(void **state)
{
  (void)state;
  static const char *const bombs[] = {"bomb-raw",      "bomb-outer",         "bomb-unprot",
                                      "bomb-protected", "bomb-map-unprot",    "bomb-map-protected",
                                      "bomb-bstr",     "items-unprot",       "items-protected",
                                      "deep-protected", "deep-unprot"};
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int rep = 0; rep < 20; rep++)
    for (size_t i = 0; i < sizeof(bombs) / sizeof(bombs[0]); i++) {
      size_t n;
      uint8_t *data = read_data(bombs[i], "bin", &n);
      nv_env e;
      nv_diag d;
      nv_diag_init(&d);
      assert_int_not_equal(nv_env_decode(NV_ENV_FORMAT_COSE, data, n, &e, &d), NV_OK);
      nv_env_free(&e);
      nv_cose_sign1 m;
      assert_int_not_equal(nv_cose_sign1_decode(data, n, &m, &d), NV_OK);
      nv_cose_sign1_free(&m);
      free(data);
    }
  /* the raw 6-byte bomb right after a valid tag and array head */
  static const uint8_t raw6[] = {0xd2, 0x84, 0x9a, 0x8a, 0x8a, 0x9a, 0x8a, 0x8a};
  nv_cose_sign1 m;
  assert_int_equal(nv_cose_sign1_decode(raw6, sizeof(raw6), &m, NULL), NV_E_ENVELOPE_PARSE);
  nv_cose_sign1_free(&m);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  print_message("220 bomb decodes took %.4f s\n", secs);
  assert_true(secs < 0.5);
}

/* ------------------------------------------------------------------ */
/* generic decoder: hand-built messages                                 */
/* ------------------------------------------------------------------ */

static void test_minimal_message_and_sig_structure(void **state)
{
  (void)state;
  /* 18([h'', {}, h'00', h'01']) */
  static const uint8_t msg[] = {0xd2, 0x84, 0x40, 0xa0, 0x41, 0x00, 0x41, 0x01};
  nv_diag d;
  nv_diag_init(&d);
  nv_cose_sign1 m;
  assert_int_equal(nv_cose_sign1_decode(msg, sizeof(msg), &m, &d), NV_OK);
  assert_int_equal(m.protected_map->type, NV_CBOR_MAP);
  assert_int_equal(m.protected_map->count, 0);
  assert_int_equal(m.unprotected_map->count, 0);
  assert_int_equal(m.protected_raw.len, 1);
  assert_int_equal(m.protected_content.len, 0);
  assert_int_equal(m.payload.len, 1);
  assert_int_equal(m.signature.data[0], 0x01);

  nv_buf out;
  nv_buf_init(&out, 1024);
  assert_int_equal(nv_cose_sig_structure(&m, NULL, 0, &out, &d), NV_OK);
  static const uint8_t want[] = {0x84, 0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r',
                                 'e',  '1',  0x40, 0x40, 0x41, 0x00};
  assert_bytes(out.data, out.len, want, sizeof(want));
  /* with external AAD; appended after what the buffer holds */
  static const uint8_t aad[] = {'a', 'b'};
  assert_int_equal(nv_cose_sig_structure(&m, aad, 2, &out, &d), NV_OK);
  static const uint8_t want2[] = {0x84, 0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e',
                                  '1',  0x40, 0x42, 'a', 'b', 0x41, 0x00};
  assert_bytes(out.data + sizeof(want), out.len - sizeof(want), want2, sizeof(want2));
  nv_buf_free(&out);

  /* a buffer whose limit is one byte short fails without writing */
  nv_buf_init(&out, sizeof(want) - 1);
  assert_int_equal(nv_cose_sig_structure(&m, NULL, 0, &out, &d), NV_E_LIMIT);
  assert_int_equal(out.len, 0);
  nv_buf_free(&out);
  nv_buf_init(&out, sizeof(want));
  assert_int_equal(nv_cose_sig_structure(&m, NULL, 0, &out, &d), NV_OK);
  /* bad arguments */
  assert_int_equal(nv_cose_sig_structure(&m, NULL, 3, &out, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_cose_sig_structure(NULL, NULL, 0, &out, &d), NV_E_INVALID_ARG);
  nv_buf_free(&out);
  nv_cose_sign1_free(&m);
  nv_cose_sign1_free(&m); /* freeing twice is harmless */

  /* not a Notary envelope: an empty protected header has no scheme */
  nv_env e;
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_COSE, msg, sizeof(msg), &e, &d),
                   NV_E_SIGNING_SCHEME_UNSUPPORTED);
  nv_env_free(&e);
}

static void test_sig_structure_long_heads(void **state)
{
  (void)state;
  /* payload of 300 bytes (head 59 01 2C) and an AAD of 24 bytes (head 58 18) */
  wb w = {0};
  uint8_t payload[300];
  memset(payload, 'p', sizeof(payload));
  w_hex(&w, "d28443a10126a0");
  w_bstr(&w, payload, sizeof(payload));
  w_hex(&w, "4101");
  nv_cose_sign1 m;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_cose_sign1_decode(w.b, w.n, &m, &d), NV_OK);
  uint8_t aad[24];
  memset(aad, 'a', sizeof(aad));
  nv_buf out;
  nv_buf_init(&out, 4096);
  assert_int_equal(nv_cose_sig_structure(&m, aad, sizeof(aad), &out, &d), NV_OK);
  wb want = {0};
  w_hex(&want, "846a5369676e61747572653143a10126");
  w_hex(&want, "5818");
  w_raw(&want, aad, sizeof(aad));
  w_hex(&want, "59012c");
  w_raw(&want, payload, sizeof(payload));
  assert_bytes(out.data, out.len, want.b, want.n);
  nv_buf_free(&out);
  nv_cose_sign1_free(&m);
  w_free(&want);
  w_free(&w);
}

struct gen_case {
  const char *name;
  const char *prot;   /* protected bstr contents, hex ("" = empty bstr) */
  const char *unprot; /* unprotected map, hex */
  nv_status code;
  const char *part; /* message fragment when code != NV_OK */
};

/* Generic rules, one message each: 18([bstr(prot), unprot, h'00', h'01']). */
static const struct gen_case gen_cases[] = {
  {"empty protected bstr", "", "a0", NV_OK, NULL},
  {"protected empty map", "a0", "a0", NV_OK, NULL},
  {"protected trailing byte", "a000", "a0", NV_E_PROTECTED_HEADER_DECODE, "trailing"},
  {"protected holds an int", "01", "a0", NV_E_PROTECTED_HEADER_DECODE, "require map type"},
  {"protected float label", "a1f93c0001", "a0", NV_E_PROTECTED_HEADER_DECODE,
   "require int / tstr type, got float"},
  {"unprotected bstr label", "a0", "a1410001", NV_E_ENVELOPE_PARSE,
   "require int / tstr type, got bstr"},
  {"negint label below int64", "a0", "a13bffffffffffffffff01", NV_E_ENVELOPE_PARSE,
   "out of range"},
  {"uint label above int64", "a0", "a11bffffffffffffffff01", NV_E_ENVELOPE_PARSE, "out of range"},
  {"label INT64_MIN", "a0", "a13b7fffffffffffffff01", NV_OK, NULL},
  {"label INT64_MAX", "a0", "a11b7fffffffffffffff01", NV_OK, NULL},
  {"reserved ai 28", "a0", "a10a1c", NV_E_ENVELOPE_PARSE, "reserved additional information"},
  {"reserved ai 29 bstr", "a0", "a10a5d", NV_E_ENVELOPE_PARSE, "reserved additional"},
  {"reserved ai 30 map", "a0", "a10abe", NV_E_ENVELOPE_PARSE, "reserved additional"},
  {"indefinite bstr", "a0", "a10a5f4100ff", NV_E_ENVELOPE_PARSE, "indefinite-length"},
  {"indefinite tstr", "a0", "a10a7f6161ff", NV_E_ENVELOPE_PARSE, "indefinite-length"},
  {"indefinite array", "a0", "a10a9f01ff", NV_E_ENVELOPE_PARSE, "indefinite-length"},
  {"indefinite map in protected", "bf0126ff", "a0", NV_E_PROTECTED_HEADER_DECODE,
   "indefinite-length"},
  {"lone break", "a0", "a10aff", NV_E_ENVELOPE_PARSE, "break"},
  {"simple value 31 in two bytes", "a0", "a10af81f", NV_E_ENVELOPE_PARSE, "below 32"},
  {"simple value 32", "a0", "a10af820", NV_OK, NULL},
  {"half, single, double floats", "a0", "a30df93c000efa3fc000000ffb3ff8000000000000", NV_OK,
   NULL},
  {"truncated float", "a0", "a10afb3ff0", NV_E_ENVELOPE_PARSE, "unexpected end"},
  {"truncated head", "a0", "a10a1b", NV_E_ENVELOPE_PARSE, "unexpected end"},
  {"tag in unprotected value", "a0", "a10ac101", NV_E_ENVELOPE_PARSE, "tags are not allowed"},
  {"tag in unprotected label", "a0", "a1c10101", NV_E_ENVELOPE_PARSE, "tags are not allowed"},
  {"tag in protected value", "a10ac101", "a0", NV_OK, NULL},
  {"tstr overlong utf-8", "a0", "a10a62c080", NV_E_ENVELOPE_PARSE, "UTF-8"},
  {"tstr surrogate", "a0", "a10a63eda080", NV_E_ENVELOPE_PARSE, "UTF-8"},
  {"tstr above U+10FFFF", "a0", "a10a64f4908080", NV_E_ENVELOPE_PARSE, "UTF-8"},
  {"tstr cut sequence", "a0", "a10a62e282", NV_E_ENVELOPE_PARSE, "UTF-8"},
  {"tstr 4-byte utf-8", "a0", "a10a64f09f9880", NV_OK, NULL},
  {"IV and Partial IV in protected", "a205400640", "a0", NV_E_HEADER_INVALID,
   "IV and Partial IV"},
  {"IV protected, Partial IV unprotected", "a10540", "a10640", NV_E_HEADER_INVALID,
   "IV and Partial IV"},
  {"IV tstr", "a0", "a1056178", NV_E_HEADER_INVALID, "IV (label 5): require bstr"},
  {"kid bstr", "a0", "a1044101", NV_OK, NULL},
  {"kid tstr", "a0", "a1046178", NV_E_HEADER_INVALID, "kid (label 4)"},
  {"countersignature in protected", "a1078340a04101", "a0", NV_E_HEADER_INVALID,
   "counter signature (label 7) is not allowed"},
  {"countersignature unprotected", "a0", "a1078340a04101", NV_OK, NULL},
  {"countersignature list", "a0", "a107828340a041018340a04102", NV_OK, NULL},
  {"countersignature empty signature", "a0", "a1078340a040", NV_E_HEADER_INVALID,
   "COSE_Signature"},
  {"countersignature int", "a0", "a10705", NV_E_HEADER_INVALID, "COSE_Signature"},
  {"countersignature v2 in protected", "a10b8340a04101", "a0", NV_E_HEADER_INVALID,
   "not allowed"},
  {"countersignature0 bstr", "a0", "a1094101", NV_OK, NULL},
  {"countersignature0 tstr", "a0", "a1096178", NV_E_HEADER_INVALID, "require bstr"},
  {"countersignature0 in protected", "a1094101", "a0", NV_E_HEADER_INVALID, "not allowed"},
  {"countersignature0 v2 tstr", "a0", "a10c6178", NV_E_HEADER_INVALID, "label 12"},
  {"content type empty", "a10360", "a0", NV_E_CONTENT_TYPE_UNSUPPORTED, "non-empty"},
  {"content type leading space", "a1036420612f62", "a0", NV_E_CONTENT_TYPE_UNSUPPORTED,
   "whitespace"},
  {"content type trailing space", "a10364612f6220", "a0", NV_E_CONTENT_TYPE_UNSUPPORTED,
   "whitespace"},
  {"content type without slash", "a103626162", "a0", NV_E_CONTENT_TYPE_UNSUPPORTED,
   "type/subtype"},
  {"content type two slashes", "a10365612f622f63", "a0", NV_E_CONTENT_TYPE_UNSUPPORTED,
   "type/subtype"},
  {"content type negative int", "a10320", "a0", NV_E_CONTENT_TYPE_UNSUPPORTED, "tstr / uint"},
  {"content type uint", "a103182a", "a0", NV_OK, NULL},
  {"content type unprotected", "a0", "a103626162", NV_E_CONTENT_TYPE_UNSUPPORTED,
   "unprotected header"},
  {"alg float", "a101f93e00", "a0", NV_E_ALG_UNSUPPORTED, "require int / tstr"},
  {"alg tstr (generic)", "a1016178", "a0", NV_OK, NULL},
  {"alg bstr unprotected", "a0", "a10140", NV_E_ALG_UNSUPPORTED, "unprotected header"},
  {"crit not an array", "a10201", "a0", NV_E_CRIT_MISSING, "invalid crit header"},
  {"crit empty", "a10280", "a0", NV_E_CRIT_MISSING, "empty crit header"},
  {"crit entry absent", "a1028101", "a0", NV_E_CRIT_ENTRY_NOT_PRESENT, "missing critical header: 1"},
  {"crit entry present", "a20126028101", "a0", NV_OK, NULL},
  {"crit lists itself", "a1028102", "a0", NV_OK, NULL},
  {"crit tstr entry present", "a202816161616101", "a0", NV_OK, NULL},
  {"crit int does not match tstr", "a2028101613101", "a0", NV_E_CRIT_ENTRY_NOT_PRESENT,
   "missing critical header: 1"},
  {"crit bstr entry", "a1028140", "a0", NV_E_CRIT_INVALID_LABEL, "got bstr"},
  {"crit entry above int64", "a102811bffffffffffffffff", "a0", NV_E_CRIT_INVALID_LABEL,
   "require int / tstr"},
  {"crit in unprotected", "a0", "a1028101", NV_E_HEADER_INVALID, "not allowed"},
  {"duplicate int label", "a201010102", "a0", NV_E_PROTECTED_HEADER_DECODE,
   "duplicate map key 1"},
  {"duplicate non-shortest int label", "a201011801" "02", "a0", NV_E_PROTECTED_HEADER_DECODE,
   "duplicate map key 1"},
  {"duplicate non-shortest tstr label", "a0", "a26161017801" "6102", NV_E_ENVELOPE_PARSE,
   "duplicate map key \"a\""},
  {"0 and -1 are different labels", "a200012002", "a0", NV_OK, NULL},
  {"duplicate float keys of different width", "a0", "a10aa2f93c0001fb3ff000000000000002",
   NV_E_ENVELOPE_PARSE, "duplicate map key"},
  {"tag keys in unprotected value", "a0", "a10aa2c10101c20102", NV_E_ENVELOPE_PARSE,
   "tags are not allowed"},
  {"duplicate array keys in protected value", "a10aa2810101810102", "a0",
   NV_E_PROTECTED_HEADER_DECODE, "duplicate map key"},
  {"distinct tag keys in protected value", "a10aa2c10101c20102", "a0", NV_OK, NULL},
  {"duplicate tag keys in protected value", "a10aa2c10101c10102", "a0",
   NV_E_PROTECTED_HEADER_DECODE, "duplicate map key"},
};

static void test_generic_case(void **state)
{
  const struct gen_case *t = *state;
  wb p = {0}, w = {0};
  w_hex(&p, t->prot);
  w_byte(&w, 0xd2);
  w_byte(&w, 0x84);
  w_bstr(&w, p.b, p.n);
  w_hex(&w, t->unprot);
  w_hex(&w, "41004101");
  nv_diag d;
  nv_diag_init(&d);
  nv_cose_sign1 m;
  nv_status rc = nv_cose_sign1_decode(w.b, w.n, &m, &d);
  if (rc != t->code)
    fail_msg("%s: got %d (%s), want %d", t->name, rc, d.msg, t->code);
  if (t->part != NULL)
    assert_msg(&d, t->part);
  nv_cose_sign1_free(&m);
  w_free(&p);
  w_free(&w);
}

/* Decoded values of the reader: ints, floats of every width, strings. */
static void test_item_values(void **state)
{
  (void)state;
  wb w = {0};
  /* {1: -7, 20: 1.0 (half), 21: 1.5 (single), 22: 1.5 (double), 23: -0.0,
   *  24: h'0102', 25: "\u00e9", 26: [1, null], 27: true, -1: 2^64-1} */
  w_hex(&w, "d28440"
            "aa"
            "0126"
            "14f93c00"
            "15fa3fc00000"
            "16fb3ff8000000000000"
            "17f98000"
            "1818420102"
            "181962c3a9"
            "181a8201f6"
            "181bf5"
            "201bffffffffffffffff"
            "41004101");
  nv_diag d;
  nv_diag_init(&d);
  nv_cose_sign1 m;
  if (nv_cose_sign1_decode(w.b, w.n, &m, &d) != NV_OK)
    fail_msg("%s", d.msg);
  const nv_cbor_item *u = m.unprotected_map;
  int64_t v;
  assert_true(nv_cbor_get_int64(nv_cose_map_get_int(u, 1), &v));
  assert_int_equal(v, -7);
  assert_true(nv_cose_map_get_int(u, 20)->f == 1.0);
  assert_true(nv_cose_map_get_int(u, 21)->f == 1.5);
  assert_true(nv_cose_map_get_int(u, 22)->f == 1.5);
  assert_true(nv_cose_map_get_int(u, 23)->f == 0.0);
  assert_int_equal(nv_cose_map_get_int(u, 24)->type, NV_CBOR_BSTR);
  assert_int_equal(nv_cose_map_get_int(u, 24)->str.len, 2);
  assert_true(nv_cbor_tstr_equals(nv_cose_map_get_int(u, 25), "\xc3\xa9"));
  assert_false(nv_cbor_tstr_equals(nv_cose_map_get_int(u, 25), "\xc3"));
  assert_int_equal(nv_cose_map_get_int(u, 26)->count, 2);
  assert_int_equal(nv_cose_map_get_int(u, 26)->items[1].type, NV_CBOR_SIMPLE);
  assert_int_equal(nv_cose_map_get_int(u, 26)->items[1].u, 22);
  assert_int_equal(nv_cose_map_get_int(u, 27)->u, 21);
  const nv_cbor_item *big = nv_cose_map_get_int(u, -1);
  assert_int_equal(big->type, NV_CBOR_UINT);
  assert_false(nv_cbor_get_int64(big, &v)); /* 2^64-1 does not fit */
  assert_null(nv_cose_map_get_int(u, 2));
  assert_null(nv_cose_map_get_tstr(u, "x"));
  /* raw spans are the items' encodings */
  assert_int_equal(nv_cose_map_get_int(u, 22)->raw.len, 9);
  assert_int_equal(nv_cose_map_get_int(u, 22)->raw.data[0], 0xfb);
  nv_cose_sign1_free(&m);
  w_free(&w);
}

/* Depth and item limits, exactly at and one past the boundary. */
static void test_depth_and_item_limits(void **state)
{
  (void)state;
  for (int extra = 0; extra <= 1; extra++) {
    /* outer array (1) > unprotected map (2) > 13 + extra arrays > int */
    wb w = {0};
    w_hex(&w, "d28440a10a");
    for (int i = 0; i < 13 + extra; i++)
      w_byte(&w, 0x81);
    w_hex(&w, "0041004101");
    nv_cose_sign1 m;
    nv_diag d;
    nv_diag_init(&d);
    nv_status rc = nv_cose_sign1_decode(w.b, w.n, &m, &d);
    assert_int_equal(rc, extra ? NV_E_ENVELOPE_PARSE : NV_OK);
    nv_cose_sign1_free(&m);
    w_free(&w);
  }
  for (int extra = 0; extra <= 1; extra++) {
    /* items: array, bstr, map, key, value array, N ints, payload, sig = N + 7 */
    size_t nints = NV_COSE_MAX_ITEMS - 7 + (size_t)extra;
    wb w = {0};
    w_hex(&w, "d28440a10a");
    w_head(&w, 4, nints);
    for (size_t i = 0; i < nints; i++)
      w_byte(&w, 0x00);
    w_hex(&w, "41004101");
    nv_cose_sign1 m;
    nv_diag d;
    nv_diag_init(&d);
    nv_status rc = nv_cose_sign1_decode(w.b, w.n, &m, &d);
    assert_int_equal(rc, extra ? NV_E_ENVELOPE_PARSE : NV_OK);
    if (extra)
      assert_msg(&d, "more than 4096");
    else
      assert_int_equal(nv_cose_map_get_int(m.unprotected_map, 10)->count, nints);
    nv_cose_sign1_free(&m);
    w_free(&w);
  }
}

static void test_outer_framing(void **state)
{
  (void)state;
  static const struct {
    const char *hex;
    nv_status code;
    const char *part;
  } cases[] = {
    {"d2", NV_E_ENVELOPE_PARSE, "truncated"},
    {"d284", NV_E_ENVELOPE_PARSE, "array of 4 items cannot fit"},
    {"d2844040", NV_E_ENVELOPE_PARSE, "array of 4 items cannot fit in the 2 remaining"},
    {"d28440a041001a0000", NV_E_ENVELOPE_PARSE, "unexpected end"},
    {"d28340a04100", NV_E_ENVELOPE_PARSE, "array of 4 elements"},
    {"d28540a041004101f6", NV_E_ENVELOPE_PARSE, "array of 4 elements"},
    {"d29804" "40a041004101", NV_E_ENVELOPE_PARSE, "array of 4 elements"},
    {"c6" "8440a041004101", NV_E_ENVELOPE_PARSE, "not tag 18"},
    {"d18440a041004101", NV_E_ENVELOPE_PARSE, "not tag 18"},
    {"d2844040" "41004101", NV_E_ENVELOPE_PARSE, "unprotected header: require map type"},
    {"d28440a0f64101", NV_E_PAYLOAD_EMPTY, "detached"},
    {"d28440a0f74101", NV_E_ENVELOPE_PARSE, "invalid payload"},
    {"d28440a061414101", NV_E_ENVELOPE_PARSE, "invalid payload"},
    {"d28440a0410040", NV_E_SIGNATURE_EMPTY, "empty signature"},
    {"d28440a041008101", NV_E_ENVELOPE_PARSE, "invalid signature"},
    {"d284a0a041004101", NV_E_PROTECTED_HEADER_DECODE, "require bstr type"},
    {"d28440a04100410100", NV_E_ENVELOPE_PARSE, "trailing"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    size_t n;
    uint8_t *msg = hex_decode(cases[i].hex, &n);
    nv_cose_sign1 m;
    nv_diag d;
    nv_diag_init(&d);
    nv_status rc = nv_cose_sign1_decode(msg, n, &m, &d);
    if (rc != cases[i].code)
      fail_msg("%s: got %d (%s)", cases[i].hex, rc, d.msg);
    if (cases[i].part != NULL)
      assert_msg(&d, cases[i].part);
    nv_cose_sign1_free(&m);
    free(msg);
  }
  /* signature as tstr; payload wrapped in tag 24 */
  static const uint8_t sig_tstr[] = {0xd2, 0x84, 0x40, 0xa0, 0x41, 0x00, 0x61, 0x41};
  static const uint8_t tagged_payload[] = {0xd2, 0x84, 0x40, 0xa0, 0xd8, 0x18,
                                           0x41, 0x00, 0x41, 0x01};
  nv_cose_sign1 m;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_cose_sign1_decode(sig_tstr, sizeof(sig_tstr), &m, &d), NV_E_ENVELOPE_PARSE);
  assert_msg(&d, "invalid signature: require bstr type, got tstr");
  nv_cose_sign1_free(&m);
  assert_int_equal(nv_cose_sign1_decode(tagged_payload, sizeof(tagged_payload), &m, &d),
                   NV_E_ENVELOPE_PARSE);
  assert_msg(&d, "CBOR tag 24");
  nv_cose_sign1_free(&m);
  /* empty input */
  assert_int_equal(nv_cose_sign1_decode(sig_tstr, 0, &m, &d), NV_E_ENVELOPE_EMPTY);
  assert_int_equal(nv_cose_sign1_decode(NULL, 8, &m, &d), NV_E_ENVELOPE_EMPTY);
  nv_cose_sign1_free(&m);
  nv_env e;
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_COSE, sig_tstr, 0, &e, &d), NV_E_ENVELOPE_EMPTY);
  nv_env_free(&e);
}

/* ------------------------------------------------------------------ */
/* Notary rules on hand-built envelopes                                */
/* ------------------------------------------------------------------ */

static void test_notary_minimal_valid(void **state)
{
  (void)state;
  wb p = {0};
  std_prot(&p, 0);
  nv_env e;
  nv_diag d;
  if (decode_env(&p, NULL, &e, &d) != NV_OK)
    fail_msg("%s", d.msg);
  assert_int_equal(e.alg, NV_SIG_ES256);
  assert_int_equal(e.signing_time, T_SIGNED);
  assert_int_equal(e.cert_count, 1);
  assert_bytes(e.certs[0].data, e.certs[0].len, fake_cert, sizeof(fake_cert));
  assert_null(e.signing_agent);
  assert_false(e.has_timestamp);
  assert_int_equal(e.attr_count, 0);
  /* ToBeSigned from its parts */
  wb want = {0};
  w_hex(&want, "846a5369676e617475726531");
  w_bstr(&want, p.b, p.n);
  w_byte(&want, 0x40);
  w_bstr(&want, T_PAYLOAD, strlen(T_PAYLOAD));
  assert_bytes(e.signing_input.data, e.signing_input.len, want.b, want.n);
  assert_bytes(e.signature.data, e.signature.len, fake_sig, sizeof(fake_sig));
  w_free(&want);
  nv_env_free(&e);
  w_free(&p);
}

/* crit with integer labels: 0-8 are refused (SPEC), others are fine and
 * mark the integer-labelled attribute critical (typed comparison: the
 * integer 10 and the text "10" are different labels). */
static void test_notary_crit_integer_labels(void **state)
{
  (void)state;
  static const int64_t forbidden[] = {0, 1, 2, 3, 4, 8};
  for (size_t i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++) {
    wb p = {0};
    w_head(&p, 5, 6);
    w_hex(&p, "0126");
    w_int(&p, 2);
    w_head(&p, 4, 2);
    w_tstr(&p, NV_HDR_SIGNING_SCHEME);
    w_int(&p, forbidden[i]);
    w_int(&p, 3);
    w_tstr(&p, NV_PAYLOAD_CONTENT_TYPE);
    w_tstr(&p, NV_HDR_SIGNING_SCHEME);
    w_tstr(&p, NV_SCHEME_NAME_X509);
    w_tstr(&p, NV_HDR_SIGNING_TIME);
    w_time(&p, T_SIGNED);
    if (forbidden[i] == 0 || forbidden[i] == 4 || forbidden[i] == 8) {
      w_int(&p, forbidden[i]); /* present, so only the 0-8 rule can refuse it */
      if (forbidden[i] == 4)
        w_bstr(&p, "k", 1);
      else
        w_int(&p, 5);
    } else {
      w_int(&p, 10); /* filler pair */
      w_int(&p, 5);
    }
    nv_env e;
    nv_diag d;
    nv_status rc = decode_env(&p, NULL, &e, &d);
    if (rc != NV_E_CRIT_INVALID_LABEL)
      fail_msg("crit label %" PRId64 ": got %d (%s)", forbidden[i], rc, d.msg);
    nv_env_free(&e);
    w_free(&p);
  }

  wb p = {0};
  w_head(&p, 5, 9);
  w_hex(&p, "0126");
  w_int(&p, 2);
  w_head(&p, 4, 4);
  w_tstr(&p, NV_HDR_SIGNING_SCHEME);
  w_int(&p, 13);
  w_int(&p, -5);
  w_tstr(&p, "10");
  w_int(&p, 3);
  w_tstr(&p, NV_PAYLOAD_CONTENT_TYPE);
  w_tstr(&p, NV_HDR_SIGNING_SCHEME);
  w_tstr(&p, NV_SCHEME_NAME_X509);
  w_tstr(&p, NV_HDR_SIGNING_TIME);
  w_time(&p, T_SIGNED);
  w_int(&p, 13);
  w_tstr(&p, "thirteen");
  w_int(&p, -5);
  w_int(&p, 5);
  w_int(&p, 10);
  w_tstr(&p, "int ten");
  w_tstr(&p, "10");
  w_tstr(&p, "text ten");
  nv_env e;
  nv_diag d;
  if (decode_env(&p, NULL, &e, &d) != NV_OK)
    fail_msg("%s", d.msg);
  assert_int_equal(e.crit_count, 4);
  assert_string_equal(e.crit[1], "13");
  assert_string_equal(e.crit[2], "-5");
  assert_string_equal(e.crit[3], "10");
  assert_int_equal(e.attr_count, 4);
  const nv_env_attr *a = find_attr(&e, "13", true);
  assert_non_null(a);
  assert_true(a->critical);
  assert_string_equal(a->string_value, "thirteen");
  a = find_attr(&e, "-5", true);
  assert_non_null(a);
  assert_true(a->critical);
  assert_string_equal(a->value_json, "5");
  assert_null(a->string_value);
  a = find_attr(&e, "10", true);
  assert_non_null(a);
  assert_false(a->critical); /* crit lists the text "10", not the integer */
  a = find_attr(&e, "10", false);
  assert_non_null(a);
  assert_true(a->critical);
  nv_env_free(&e);
  w_free(&p);
}

/* Build a protected map: std_prot plus one extra pair label -> value hex. */
static nv_status decode_with_extra(const char *label, const char *value_hex, nv_env *e,
                                   nv_diag *d)
{
  wb p = {0};
  std_prot(&p, 1);
  w_tstr(&p, label);
  w_hex(&p, value_hex);
  nv_status rc = decode_env(&p, NULL, e, d);
  w_free(&p);
  return rc;
}

static void test_notary_extended_attribute_json(void **state)
{
  (void)state;
  static const struct {
    const char *hex;
    const char *json;
  } cases[] = {
    {"f93c00", "1"},
    {"f98000", "-0"},
    {"f97e00", "\"NaN\""},
    {"f97c00", "\"Infinity\""},
    {"f9fc00", "\"-Infinity\""},
    {"fa3fc00000", "1.5"},
    {"fb3fb999999999999a", "0.10000000000000001"},
    {"f820", "\"simple(32)\""},
    {"f7", "null"},
    {"f4", "false"},
    {"3bffffffffffffffff", "-18446744073709551616"},
    {"1bffffffffffffffff", "18446744073709551615"},
    {"a10102", "{\"1\":2}"},
    {"a1410101", "{\"AQ==\":1}"},
    {"a1810102", "{\"[1]\":2}"},
    {"a1f5f4", "{\"true\":false}"},
    {"6301221f", "\"\\u0001\\\"\\u001f\""},
    {"655c2f0a0d09", "\"\\\\/\\n\\r\\t\""},
    {"62080c", "\"\\b\\f\""},
    {"40", "\"\""},
    {"80", "[]"},
    {"a0", "{}"},
    {"c1c200", "0"},
    {"d90100 63616263", "\"abc\""},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char hex[64];
    size_t k = 0;
    for (const char *s = cases[i].hex; *s; s++)
      if (*s != ' ')
        hex[k++] = *s;
    hex[k] = '\0';
    nv_env e;
    nv_diag d;
    if (decode_with_extra("ext", hex, &e, &d) != NV_OK)
      fail_msg("%s: %s", cases[i].hex, d.msg);
    const nv_env_attr *a = find_attr(&e, "ext", false);
    assert_non_null(a);
    if (strcmp(a->value_json, cases[i].json) != 0)
      fail_msg("%s: rendered %s, want %s", cases[i].hex, a->value_json, cases[i].json);
    assert_valid_json(a->value_json);
    nv_env_free(&e);
  }
  /* a text value with NUL is refused (the C string would be cut) */
  nv_env e;
  nv_diag d;
  assert_int_equal(decode_with_extra("ext", "63610062", &e, &d), NV_E_HEADER_INVALID);
  assert_msg(&d, "NUL");
  nv_env_free(&e);
}

static void test_notary_unprotected_headers(void **state)
{
  (void)state;
  wb p = {0};
  std_prot(&p, 0);
  struct {
    const char *unprot_hex_tail; /* pairs after x5chain */
    size_t pairs;
    bool has_tst;
    size_t tst_len;
    const char *agent;
  } cases[] = {
    /* agent not a tstr: ignored; timestamp not a bstr: ignored */
    {"781b696f2e636e63662e6e6f746172792e7369676e696e674167656e7405"
     "7821696f2e636e63662e6e6f746172792e74696d657374616d705369676e6174757265617a",
     2, false, 0, NULL},
    /* agent with NUL: ignored; empty timestamp token kept */
    {"781b696f2e636e63662e6e6f746172792e7369676e696e674167656e7463610062"
     "7821696f2e636e63662e6e6f746172792e74696d657374616d705369676e617475726540",
     2, true, 0, NULL},
    /* agent and token */
    {"781b696f2e636e63662e6e6f746172792e7369676e696e674167656e746361 6763"
     "7821696f2e636e63662e6e6f746172792e74696d657374616d705369676e61747572654201 02",
     2, true, 2, "agc"},
    /* other labels ignored */
    {"18226178 6178 40", 2, false, 0, NULL},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    wb u = {0};
    w_head(&u, 5, 1 + cases[i].pairs);
    w_int(&u, 33);
    w_head(&u, 4, 1);
    w_bstr(&u, fake_cert, sizeof(fake_cert));
    char hex[512];
    size_t k = 0;
    for (const char *s = cases[i].unprot_hex_tail; *s; s++)
      if (*s != ' ')
        hex[k++] = *s;
    hex[k] = '\0';
    w_hex(&u, hex);
    nv_env e;
    nv_diag d;
    if (decode_env(&p, &u, &e, &d) != NV_OK)
      fail_msg("case %zu: %s", i, d.msg);
    assert_int_equal(e.has_timestamp, cases[i].has_tst);
    assert_int_equal(e.timestamp_token.len, cases[i].tst_len);
    if (cases[i].agent == NULL)
      assert_null(e.signing_agent);
    else
      assert_string_equal(e.signing_agent, cases[i].agent);
    nv_env_free(&e);
    w_free(&u);
  }
  /* x5chain absent: decodes without certificates */
  wb u = {0};
  w_hex(&u, "a0");
  nv_env e;
  nv_diag d;
  assert_int_equal(decode_env(&p, &u, &e, &d), NV_OK);
  assert_int_equal(e.cert_count, 0);
  nv_env_free(&e);
  w_free(&u);
  /* 17 certificates: more than NV_ENV_MAX_CHAIN */
  w_head(&u, 5, 1);
  w_int(&u, 33);
  w_head(&u, 4, NV_ENV_MAX_CHAIN + 1);
  for (int i = 0; i <= NV_ENV_MAX_CHAIN; i++)
    w_bstr(&u, fake_cert, sizeof(fake_cert));
  assert_int_equal(decode_env(&p, &u, &e, &d), NV_E_CHAIN_TOO_LONG);
  nv_env_free(&e);
  w_free(&u);
  /* 16 are fine */
  w_head(&u, 5, 1);
  w_int(&u, 33);
  w_head(&u, 4, NV_ENV_MAX_CHAIN);
  for (int i = 0; i < NV_ENV_MAX_CHAIN; i++)
    w_bstr(&u, fake_cert, sizeof(fake_cert));
  assert_int_equal(decode_env(&p, &u, &e, &d), NV_OK);
  assert_int_equal(e.cert_count, NV_ENV_MAX_CHAIN);
  nv_env_free(&e);
  w_free(&u);
  w_free(&p);
}

/* x5chain in the protected bucket is not read as the chain (GO reads only
 * the unprotected one): it is an integer-labelled extended attribute. */
static void test_notary_protected_x5chain_is_attribute(void **state)
{
  (void)state;
  wb p = {0};
  std_prot(&p, 1);
  w_int(&p, 33);
  w_head(&p, 4, 1);
  w_bstr(&p, fake_cert, sizeof(fake_cert));
  wb u = {0};
  w_hex(&u, "a0");
  nv_env e;
  nv_diag d;
  assert_int_equal(decode_env(&p, &u, &e, &d), NV_OK);
  assert_int_equal(e.cert_count, 0);
  const nv_env_attr *a = find_attr(&e, "33", true);
  assert_non_null(a);
  assert_string_equal(a->value_json, "[\"MIIAAQA=\"]");
  nv_env_free(&e);
  w_free(&p);
  w_free(&u);
}

static void test_notary_times(void **state)
{
  (void)state;
  static const struct {
    const char *hex; /* the signing time value */
    nv_status code;
    int64_t want;
    const char *part;
  } cases[] = {
    {"c120", NV_OK, -1, NULL},
    {"c100", NV_OK, 0, NULL},
    {"c13b7fffffffffffffff", NV_OK, INT64_MIN, NULL},
    {"c11b7fffffffffffffff", NV_OK, INT64_MAX, NULL},
    {"c11b8000000000000000", NV_E_TIME_ENCODING_INVALID, 0, "out of range"},
    {"c13b8000000000000000", NV_E_TIME_ENCODING_INVALID, 0, "out of range"},
    {"c1fa4eb2d05e", NV_OK, 1500000000, NULL},
    {"c1f98000", NV_OK, 0, NULL},
    {"c1f97e00", NV_E_TIME_ENCODING_INVALID, 0, "out of range"},
    {"c1fb7e37e43c8800759c", NV_E_TIME_ENCODING_INVALID, 0, "out of range"},
    {"c1fb43e0000000000000", NV_E_TIME_ENCODING_INVALID, 0, "out of range"},
    {"c1fbc3e0000000000000", NV_OK, INT64_MIN, NULL},
    {"c1fb3fe0000000000000", NV_E_TIME_ENCODING_INVALID, 0, "fractional"},
    {"c1c105", NV_E_TIME_ENCODING_INVALID, 0, "found tag"},
    {"c1f5", NV_E_TIME_ENCODING_INVALID, 0, "found bool"},
    {"c201", NV_E_TIME_ENCODING_INVALID, 0, "has tag 2"},
    {"1a6553f100", NV_E_TIME_ENCODING_INVALID, 0, "does not have a tag"},
    {"f6", NV_E_TIME_ENCODING_INVALID, 0, "found null"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    wb p = {0};
    w_head(&p, 5, 5);
    w_hex(&p, "0126");
    w_int(&p, 2);
    w_head(&p, 4, 1);
    w_tstr(&p, NV_HDR_SIGNING_SCHEME);
    w_int(&p, 3);
    w_tstr(&p, NV_PAYLOAD_CONTENT_TYPE);
    w_tstr(&p, NV_HDR_SIGNING_SCHEME);
    w_tstr(&p, NV_SCHEME_NAME_X509);
    w_tstr(&p, NV_HDR_SIGNING_TIME);
    w_hex(&p, cases[i].hex);
    nv_env e;
    nv_diag d;
    nv_status rc = decode_env(&p, NULL, &e, &d);
    if (rc != cases[i].code)
      fail_msg("%s: got %d (%s)", cases[i].hex, rc, d.msg);
    if (rc == NV_OK)
      assert_int_equal(e.signing_time, cases[i].want);
    else
      assert_msg(&d, cases[i].part);
    nv_env_free(&e);
    w_free(&p);
  }
}

/* Missing pieces reported by the shared rules. */
static void test_notary_common_rules(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;
  wb p = {0};

  /* x509 without a signing time */
  w_head(&p, 5, 4);
  w_hex(&p, "0126");
  w_int(&p, 2);
  w_head(&p, 4, 1);
  w_tstr(&p, NV_HDR_SIGNING_SCHEME);
  w_int(&p, 3);
  w_tstr(&p, NV_PAYLOAD_CONTENT_TYPE);
  w_tstr(&p, NV_HDR_SIGNING_SCHEME);
  w_tstr(&p, NV_SCHEME_NAME_X509);
  assert_int_equal(decode_env(&p, NULL, &e, &d), NV_E_SIGNING_TIME_MISSING);
  nv_env_free(&e);
  w_free(&p);

  /* SA with a signingTime but no authenticSigningTime */
  w_head(&p, 5, 5);
  w_hex(&p, "0126");
  w_int(&p, 2);
  w_head(&p, 4, 2);
  w_tstr(&p, NV_HDR_SIGNING_SCHEME);
  w_tstr(&p, NV_HDR_AUTHENTIC_SIGNING_TIME);
  w_int(&p, 3);
  w_tstr(&p, NV_PAYLOAD_CONTENT_TYPE);
  w_tstr(&p, NV_HDR_SIGNING_SCHEME);
  w_tstr(&p, NV_SCHEME_NAME_SIGNING_AUTHORITY);
  w_tstr(&p, NV_HDR_SIGNING_TIME);
  w_time(&p, T_SIGNED);
  /* crit lists authenticSigningTime, which is absent: go-cose refuses */
  assert_int_equal(decode_env(&p, NULL, &e, &d), NV_E_CRIT_ENTRY_NOT_PRESENT);
  nv_env_free(&e);
  w_free(&p);

  /* expiry before the signing time */
  w_head(&p, 5, 6);
  w_hex(&p, "0126");
  w_int(&p, 2);
  w_head(&p, 4, 2);
  w_tstr(&p, NV_HDR_SIGNING_SCHEME);
  w_tstr(&p, NV_HDR_EXPIRY);
  w_int(&p, 3);
  w_tstr(&p, NV_PAYLOAD_CONTENT_TYPE);
  w_tstr(&p, NV_HDR_SIGNING_SCHEME);
  w_tstr(&p, NV_SCHEME_NAME_X509);
  w_tstr(&p, NV_HDR_SIGNING_TIME);
  w_time(&p, T_SIGNED);
  w_tstr(&p, NV_HDR_EXPIRY);
  w_time(&p, T_SIGNED - 1);
  assert_int_equal(decode_env(&p, NULL, &e, &d), NV_E_EXPIRY_NOT_AFTER_SIGNING_TIME);
  nv_env_free(&e);
  w_free(&p);

  /* content type missing / another type */
  w_head(&p, 5, 4);
  w_hex(&p, "0126");
  w_int(&p, 2);
  w_head(&p, 4, 1);
  w_tstr(&p, NV_HDR_SIGNING_SCHEME);
  w_tstr(&p, NV_HDR_SIGNING_SCHEME);
  w_tstr(&p, NV_SCHEME_NAME_X509);
  w_tstr(&p, NV_HDR_SIGNING_TIME);
  w_time(&p, T_SIGNED);
  assert_int_equal(decode_env(&p, NULL, &e, &d), NV_E_CONTENT_TYPE_MISSING);
  assert_null(e.content_type);
  nv_env_free(&e);
  w_free(&p);
  w_head(&p, 5, 5);
  w_hex(&p, "0126");
  w_int(&p, 2);
  w_head(&p, 4, 1);
  w_tstr(&p, NV_HDR_SIGNING_SCHEME);
  w_int(&p, 3);
  w_tstr(&p, "application/json");
  w_tstr(&p, NV_HDR_SIGNING_SCHEME);
  w_tstr(&p, NV_SCHEME_NAME_X509);
  w_tstr(&p, NV_HDR_SIGNING_TIME);
  w_time(&p, T_SIGNED);
  assert_int_equal(decode_env(&p, NULL, &e, &d), NV_E_CONTENT_TYPE_UNSUPPORTED);
  assert_string_equal(e.content_type, "application/json");
  nv_env_free(&e);
  w_free(&p);

  /* empty payload */
  std_prot(&p, 0);
  wb m = {0};
  w_message(&m, &p, NULL, "");
  nv_diag_init(&d);
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_COSE, m.b, m.n, &e, &d), NV_E_PAYLOAD_EMPTY);
  nv_env_free(&e);
  w_free(&m);
  w_free(&p);

  /* alg out of int64 range, and an unsupported integer */
  static const struct {
    const char *hex;
    const char *part;
  } algs[] = {{"1bffffffffffffffff", "not supported: 18446744073709551615"},
              {"3bffffffffffffffff", "not supported: -18446744073709551616"},
              {"2d", "not supported: -14"},
              {"00", "not supported: 0"}};
  for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
    w_head(&p, 5, 5);
    w_int(&p, 1);
    w_hex(&p, algs[i].hex);
    w_int(&p, 2);
    w_head(&p, 4, 1);
    w_tstr(&p, NV_HDR_SIGNING_SCHEME);
    w_int(&p, 3);
    w_tstr(&p, NV_PAYLOAD_CONTENT_TYPE);
    w_tstr(&p, NV_HDR_SIGNING_SCHEME);
    w_tstr(&p, NV_SCHEME_NAME_X509);
    w_tstr(&p, NV_HDR_SIGNING_TIME);
    w_time(&p, T_SIGNED);
    assert_int_equal(decode_env(&p, NULL, &e, &d), NV_E_ALG_UNSUPPORTED);
    assert_msg(&d, algs[i].part);
    nv_env_free(&e);
    w_free(&p);
  }

  /* a scheme with an embedded NUL is not notary.x509 */
  std_prot(&p, 0);
  /* patch "notary.x509" (the value right before the signingTime label) */
  uint8_t *hit = NULL;
  for (size_t i = 0; i + 11 <= p.n; i++)
    if (memcmp(p.b + i, "notary.x509", 11) == 0)
      hit = p.b + i;
  assert_non_null(hit);
  hit[6] = '\0';
  assert_int_equal(decode_env(&p, NULL, &e, &d), NV_E_SIGNING_SCHEME_UNSUPPORTED);
  nv_env_free(&e);
  w_free(&p);
}

/* Limits on what an envelope may make the decoder copy. */
static void test_notary_attribute_limits(void **state)
{
  (void)state;
  /* NV_ENV_MAX_HEADERS extended attributes decode; one more does not */
  for (int extra = 0; extra <= 1; extra++) {
    wb p = {0};
    size_t n = NV_ENV_MAX_HEADERS + (size_t)extra;
    std_prot(&p, n);
    for (size_t i = 0; i < n; i++) {
      char name[32];
      snprintf(name, sizeof(name), "ext.%zu", i);
      w_tstr(&p, name);
      w_int(&p, (int64_t)i);
    }
    nv_env e;
    nv_diag d;
    nv_status rc = decode_env(&p, NULL, &e, &d);
    assert_int_equal(rc, extra ? NV_E_ENVELOPE_PARSE : NV_OK);
    if (!extra)
      assert_int_equal(e.attr_count, NV_ENV_MAX_HEADERS);
    nv_env_free(&e);
    w_free(&p);
  }
  /* a 2 MiB text of control characters would render to 12 MiB of JSON:
   * over the 8 MiB budget for extended attributes */
  wb p = {0};
  std_prot(&p, 1);
  w_tstr(&p, "ext.big");
  size_t big = 2 * NV_MIB;
  w_head(&p, 3, big);
  size_t at = p.n;
  uint8_t *ctl = malloc(big);
  assert_non_null(ctl);
  memset(ctl, 0x01, big);
  w_raw(&p, ctl, big);
  free(ctl);
  assert_int_equal(p.n - at, big);
  nv_env e;
  nv_diag d;
  assert_int_equal(decode_env(&p, NULL, &e, &d), NV_E_HEADER_INVALID);
  assert_msg(&d, "JSON");
  nv_env_free(&e);
  w_free(&p);
}

/* ------------------------------------------------------------------ */

int main(void)
{
  static const struct CMUnitTest fixed[] = {
    cmocka_unit_test(test_gocose_sign_and_verify_vectors),
    cmocka_unit_test(test_gocose_negative_0000_protected_not_bstr),
    cmocka_unit_test(test_gocose_negative_0001_protected_not_map),
    cmocka_unit_test(test_gocose_negative_0002_duplicate_protected_label),
    cmocka_unit_test(test_gocose_negative_0003_duplicate_unprotected_label),
    cmocka_unit_test(test_gocose_not_notary),
    cmocka_unit_test(test_notation_conformance_json),
    cmocka_unit_test(test_sigenv_cose_with_timestamp),
    cmocka_unit_test(test_sigenv_cose_expired_with_timestamp),
    cmocka_unit_test(test_sigenv_timestamp_after_not_after),
    cmocka_unit_test(test_sigenv_jws_file_is_not_cose),
    cmocka_unit_test(test_derived_c01_empty_x5chain),
    cmocka_unit_test(test_derived_c03_malformed_leaf_bytes_kept),
    cmocka_unit_test(test_generated_valid_x509),
    cmocka_unit_test(test_generated_valid_signing_authority),
    cmocka_unit_test(test_generated_nonshortest_protected_prefix),
    cmocka_unit_test(test_generated_nonshortest_payload_prefix),
    cmocka_unit_test(test_generated_time_integral_float),
    cmocka_unit_test(test_generated_depth_16_accepted),
    cmocka_unit_test(test_generated_empty_x5chain),
    cmocka_unit_test(test_bombs_fail_fast),
    cmocka_unit_test(test_minimal_message_and_sig_structure),
    cmocka_unit_test(test_sig_structure_long_heads),
    cmocka_unit_test(test_item_values),
    cmocka_unit_test(test_depth_and_item_limits),
    cmocka_unit_test(test_outer_framing),
    cmocka_unit_test(test_notary_minimal_valid),
    cmocka_unit_test(test_notary_crit_integer_labels),
    cmocka_unit_test(test_notary_extended_attribute_json),
    cmocka_unit_test(test_notary_unprotected_headers),
    cmocka_unit_test(test_notary_protected_x5chain_is_attribute),
    cmocka_unit_test(test_notary_times),
    cmocka_unit_test(test_notary_common_rules),
    cmocka_unit_test(test_notary_attribute_limits),
  };
  enum {
    N_FIXED = sizeof(fixed) / sizeof(fixed[0]),
    N_NEG = sizeof(negatives) / sizeof(negatives[0]),
    N_GEN = sizeof(gen_cases) / sizeof(gen_cases[0])
  };
  static struct CMUnitTest tests[N_FIXED + N_NEG + N_GEN];
  size_t n = 0;
  for (size_t i = 0; i < N_FIXED; i++)
    tests[n++] = fixed[i];
  for (size_t i = 0; i < N_NEG; i++) {
    tests[n].name = negatives[i].file;
    tests[n].test_func = test_generated_negative;
    tests[n].initial_state = (void *)(uintptr_t)&negatives[i];
    n++;
  }
  for (size_t i = 0; i < N_GEN; i++) {
    tests[n].name = gen_cases[i].name;
    tests[n].test_func = test_generic_case;
    tests[n].initial_state = (void *)(uintptr_t)&gen_cases[i];
    n++;
  }
  return _cmocka_run_group_tests("envelope_cose", tests, n, NULL, NULL);
}
