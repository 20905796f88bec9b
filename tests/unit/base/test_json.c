/* Unit tests for base/json.c (strict JSON over cJSON). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_json.h"
#include "base/nv_limits.h"

#define MAX_DOC ((size_t)1 << 20)

/* Parse a C string; the terminating NUL is not part of the input. */
static nv_status parse_str(const char *s, nv_json **j, nv_diag *d)
{
  return nv_json_parse(s, strlen(s), MAX_DOC, "test doc", j, d);
}

#define assert_msg_contains(d, part)                                                     \
  do {                                                                                   \
    if (strstr((d)->msg, (part)) == NULL)                                                \
      fail_msg("message \"%s\" does not contain \"%s\"", (d)->msg, (part));              \
  } while (0)

/* Parse `len` bytes that must fail with `code`; the message must contain
 * `part` (unless NULL) and *out must stay NULL. */
static void expect_fail_n(const char *text, size_t len, nv_status code, const char *part)
{
  nv_diag d;
  nv_diag_init(&d);
  nv_json *j = (nv_json *)(uintptr_t)1; /* must be cleared */
  nv_status rc = nv_json_parse(text, len, MAX_DOC, "test doc", &j, &d);
  if (rc != code)
    fail_msg("input \"%.*s\": expected status %d, got %d (%s)", (int)len, text, (int)code,
             (int)rc, d.msg);
  assert_null(j);
  assert_int_equal(d.status, code);
  assert_true(d.msg[0] != '\0');
  if (part != NULL)
    assert_msg_contains(&d, part);
}

static void expect_fail(const char *text, nv_status code, const char *part)
{
  expect_fail_n(text, strlen(text), code, part);
}

static void expect_ok_n(const char *text, size_t len)
{
  nv_diag d;
  nv_diag_init(&d);
  nv_json *j = NULL;
  nv_status rc = nv_json_parse(text, len, MAX_DOC, "test doc", &j, &d);
  if (rc != NV_OK)
    fail_msg("input \"%.*s\": expected NV_OK, got %d (%s)", (int)len, text, (int)rc, d.msg);
  assert_non_null(j);
  nv_json_free(j);
}

static void expect_ok(const char *text)
{
  expect_ok_n(text, strlen(text));
}

/* Parse a document that must be valid; the caller frees it. */
static nv_json *must_parse(const char *text)
{
  nv_diag d;
  nv_diag_init(&d);
  nv_json *j = NULL;
  nv_status rc = parse_str(text, &j, &d);
  if (rc != NV_OK)
    fail_msg("expected NV_OK, got %d (%s)", (int)rc, d.msg);
  assert_non_null(j);
  return j;
}

static const char trust_policy[] =
    "{\n"
    "  \"version\": \"1.0\",\n"
    "  \"trustPolicies\": [\n"
    "    {\n"
    "      \"name\": \"wabbit-networks-images\",\n"
    "      \"registryScopes\": [\"registry.acme-rockets.io/software/net-monitor\"],\n"
    "      \"signatureVerification\": {\"level\": \"strict\", \"override\": {\"revocation\": \"log\"}},\n"
    "      \"trustStores\": [\"ca:acme-rockets\", \"tsa:acme-tsa\"],\n"
    "      \"trustedIdentities\": [\"x509.subject: C=US, ST=WA, L=Seattle, O=acme-rockets.io\"]\n"
    "    }\n"
    "  ]\n"
    "}\n";

/* ------------------------------------------------------------------ */

static void test_valid_trust_policy(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  nv_json *root = must_parse(trust_policy);
  assert_int_equal(nv_json_type_of(root), NV_JSON_OBJECT);
  assert_int_equal(nv_json_count(root), 2);

  const char *version = NULL;
  assert_int_equal(nv_json_get_string(root, "version", true, &version, &d), NV_OK);
  assert_string_equal(version, "1.0");

  const nv_json *policies = NULL;
  assert_int_equal(nv_json_get_array(root, "trustPolicies", true, &policies, &d), NV_OK);
  assert_non_null(policies);
  assert_int_equal(nv_json_count(policies), 1);
  const nv_json *p0 = nv_json_at(policies, 0);
  assert_non_null(p0);
  assert_null(nv_json_key(p0)); /* array elements have no name */

  const nv_json *sv = NULL;
  assert_int_equal(nv_json_get_object(p0, "signatureVerification", true, &sv, &d), NV_OK);
  const char *level = NULL;
  assert_int_equal(nv_json_get_string(sv, "level", true, &level, &d), NV_OK);
  assert_string_equal(level, "strict");

  const nv_json *stores = NULL;
  assert_int_equal(nv_json_get_array(p0, "trustStores", true, &stores, &d), NV_OK);
  assert_int_equal(nv_json_count(stores), 2);
  assert_string_equal(nv_json_string(nv_json_at(stores, 1)), "tsa:acme-tsa");
  assert_null(nv_json_at(stores, 2));
  /* one pass over an array and over an object's members, in order */
  const nv_json *second = nv_json_next(nv_json_at(stores, 0));
  assert_ptr_equal(second, nv_json_at(stores, 1));
  assert_null(nv_json_next(second));
  assert_null(nv_json_next(NULL));
  size_t members = 0;
  for (const nv_json *m = nv_json_at(p0, 0); m != NULL; m = nv_json_next(m)) {
    assert_ptr_equal(m, nv_json_at(p0, members));
    members++;
  }
  assert_int_equal(members, nv_json_count(p0));

  static const char *const allowed[] = {"name", "registryScopes", "signatureVerification",
                                        "trustStores", "trustedIdentities", NULL};
  assert_int_equal(nv_json_check_members(p0, allowed, &d), NV_OK);
  assert_int_equal(d.status, NV_OK);
  nv_json_free(root);
}

static void test_valid_jws_and_manifest(void **state)
{
  (void)state;
  nv_json *jws = must_parse("{\"payload\":\"eyJ0YXJnZXRBcnRpZmFjdCI6e319\","
                            "\"protected\":\"eyJhbGciOiJQUzI1NiJ9\","
                            "\"header\":{\"x5c\":[\"MIIB\",\"MIIC\"],\"io.cncf.notary.signingAgent\":\"x\"},"
                            "\"signature\":\"c2ln\"}");
  const nv_json *hdr = NULL;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_json_get_object(jws, "header", true, &hdr, &d), NV_OK);
  const nv_json *x5c = NULL;
  assert_int_equal(nv_json_get_array(hdr, "x5c", true, &x5c, &d), NV_OK);
  assert_int_equal(nv_json_count(x5c), 2);
  nv_json_free(jws);

  nv_json *m = must_parse(
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
      "\"artifactType\":\"application/vnd.cncf.notary.signature\","
      "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":"
      "\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},"
      "\"layers\":[{\"mediaType\":\"application/jose+json\",\"digest\":\"sha256:00\",\"size\":2048}],"
      "\"annotations\":{\"io.cncf.notary.x509chain.thumbprint#S256\":\"[]\"}}");
  uint64_t v = 0;
  bool present = false;
  assert_int_equal(nv_json_get_uint64(m, "schemaVersion", true, &v, &present, &d), NV_OK);
  assert_true(present);
  assert_int_equal(v, 2);
  const nv_json *layers = NULL;
  assert_int_equal(nv_json_get_array(m, "layers", true, &layers, &d), NV_OK);
  assert_int_equal(nv_json_get_uint64(nv_json_at(layers, 0), "size", true, &v, NULL, &d), NV_OK);
  assert_int_equal(v, 2048);
  nv_json_free(m);
}

static void test_top_level_scalars(void **state)
{
  (void)state;
  nv_json *j = must_parse("1");
  assert_int_equal(nv_json_type_of(j), NV_JSON_NUMBER);
  assert_int_equal(nv_json_count(j), 0);
  assert_null(nv_json_at(j, 0));
  nv_json_free(j);
  j = must_parse(" \"s\" ");
  assert_string_equal(nv_json_string(j), "s");
  nv_json_free(j);
  j = must_parse("null");
  assert_int_equal(nv_json_type_of(j), NV_JSON_NULL);
  assert_null(nv_json_string(j));
  nv_json_free(j);
  j = must_parse("\r\n\ttrue\r\n\t ");
  assert_int_equal(nv_json_type_of(j), NV_JSON_BOOL);
  assert_true(nv_json_is_true(j));
  nv_json_free(j);
  j = must_parse("false");
  assert_int_equal(nv_json_type_of(j), NV_JSON_BOOL);
  assert_false(nv_json_is_true(j));
  nv_json_free(j);
}

static void test_type_names(void **state)
{
  (void)state;
  assert_string_equal(nv_json_type_name(NV_JSON_OBJECT), "object");
  assert_string_equal(nv_json_type_name(NV_JSON_ARRAY), "array");
  assert_string_equal(nv_json_type_name(NV_JSON_STRING), "string");
  assert_string_equal(nv_json_type_name(NV_JSON_NUMBER), "number");
  assert_string_equal(nv_json_type_name(NV_JSON_BOOL), "boolean");
  assert_string_equal(nv_json_type_name(NV_JSON_NULL), "null");
  assert_non_null(nv_json_type_name(NV_JSON_INVALID));
  assert_int_equal(nv_json_type_of(NULL), NV_JSON_INVALID);
  assert_int_equal(nv_json_count(NULL), 0);
  assert_null(nv_json_at(NULL, 0));
  assert_null(nv_json_key(NULL));
  assert_null(nv_json_member(NULL, "a"));
  assert_null(nv_json_string(NULL));
  assert_false(nv_json_is_true(NULL));

  nv_json *j = must_parse("[{}, [], \"s\", 1, true, null]");
  static const nv_json_type want[] = {NV_JSON_OBJECT, NV_JSON_ARRAY, NV_JSON_STRING,
                                      NV_JSON_NUMBER, NV_JSON_BOOL,   NV_JSON_NULL};
  assert_int_equal(nv_json_count(j), 6);
  for (size_t i = 0; i < 6; i++)
    assert_int_equal(nv_json_type_of(nv_json_at(j, i)), want[i]);
  nv_json_free(j);
}

static void test_object_iteration(void **state)
{
  (void)state;
  nv_json *j = must_parse("{\"a\":1,\"b\":[true],\"c\":{}}");
  assert_int_equal(nv_json_count(j), 3);
  assert_string_equal(nv_json_key(nv_json_at(j, 0)), "a");
  assert_string_equal(nv_json_key(nv_json_at(j, 1)), "b");
  assert_string_equal(nv_json_key(nv_json_at(j, 2)), "c");
  assert_null(nv_json_at(j, 3));
  assert_ptr_equal(nv_json_at(j, 1), nv_json_member(j, "b"));
  assert_int_equal(nv_json_type_of(nv_json_at(j, 1)), NV_JSON_ARRAY);
  assert_true(nv_json_is_true(nv_json_at(nv_json_at(j, 1), 0)));
  assert_int_equal(nv_json_count(nv_json_at(j, 2)), 0);
  assert_null(nv_json_member(j, "d"));
  assert_null(nv_json_member(j, NULL));
  assert_null(nv_json_member(nv_json_at(j, 1), "a")); /* not an object */
  nv_json_free(j);
}

static void test_member_case_sensitive(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  nv_json *j = must_parse("{\"level\":\"a\",\"Level\":\"b\"}");
  assert_string_equal(nv_json_string(nv_json_member(j, "level")), "a");
  assert_string_equal(nv_json_string(nv_json_member(j, "Level")), "b");
  assert_null(nv_json_member(j, "LEVEL"));
  const char *s = NULL;
  assert_int_equal(nv_json_get_string(j, "LEVEL", true, &s, &d), NV_E_JSON_MISSING_MEMBER);
  assert_null(s);
  nv_json_free(j);

  j = must_parse("{\"Level\":\"b\"}");
  assert_null(nv_json_member(j, "level"));
  nv_diag_init(&d);
  assert_int_equal(nv_json_get_string(j, "level", true, &s, &d), NV_E_JSON_MISSING_MEMBER);
  assert_msg_contains(&d, "required member \"level\" is missing");
  nv_json_free(j);
}

static void test_get_string(void **state)
{
  (void)state;
  nv_json *j = must_parse("{\"level\":\"strict\",\"n\":3,\"z\":null}");
  nv_diag d;
  nv_diag_init(&d);
  const char *s = NULL;

  assert_int_equal(nv_json_get_string(j, "level", true, &s, &d), NV_OK);
  assert_string_equal(s, "strict");

  s = "stale";
  assert_int_equal(nv_json_get_string(j, "absent", false, &s, &d), NV_OK);
  assert_null(s);
  assert_int_equal(d.status, NV_OK);

  s = "stale";
  assert_int_equal(nv_json_get_string(j, "absent", true, &s, &d), NV_E_JSON_MISSING_MEMBER);
  assert_null(s);
  assert_int_equal(d.status, NV_E_JSON_MISSING_MEMBER);
  assert_msg_contains(&d, "required member \"absent\" is missing");

  nv_diag_init(&d);
  s = "stale";
  assert_int_equal(nv_json_get_string(j, "n", true, &s, &d), NV_E_JSON_TYPE);
  assert_null(s);
  assert_msg_contains(&d, "member \"n\" must be a string, found a number");

  nv_diag_init(&d);
  assert_int_equal(nv_json_get_string(j, "z", false, &s, &d), NV_E_JSON_TYPE);
  assert_msg_contains(&d, "member \"z\" must be a string, found null");

  /* the parent is not an object */
  nv_diag_init(&d);
  assert_int_equal(nv_json_get_string(nv_json_member(j, "n"), "level", false, &s, &d),
                   NV_E_JSON_TYPE);
  assert_msg_contains(&d, "level");
  assert_int_equal(nv_json_get_string(NULL, "level", false, &s, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_json_get_string(j, NULL, false, &s, &d), NV_E_INVALID_ARG);

  /* a NULL diag is fine */
  assert_int_equal(nv_json_get_string(j, "n", true, &s, NULL), NV_E_JSON_TYPE);
  assert_int_equal(nv_json_get_string(j, "level", true, &s, NULL), NV_OK);
  nv_json_free(j);

  /* the message from the brief, with a real document */
  j = must_parse("{\"level\":1}");
  nv_diag_init(&d);
  assert_int_equal(nv_json_get_string(j, "level", true, &s, &d), NV_E_JSON_TYPE);
  assert_string_equal(d.msg, "member \"level\" must be a string, found a number");
  nv_json_free(j);
}

static void test_get_object_array(void **state)
{
  (void)state;
  nv_json *j = must_parse("{\"o\":{\"k\":1},\"a\":[1,2],\"s\":\"x\"}");
  nv_diag d;
  nv_diag_init(&d);
  const nv_json *o = NULL, *a = NULL;

  assert_int_equal(nv_json_get_object(j, "o", true, &o, &d), NV_OK);
  assert_non_null(o);
  assert_int_equal(nv_json_type_of(o), NV_JSON_OBJECT);
  assert_int_equal(nv_json_get_array(j, "a", true, &a, &d), NV_OK);
  assert_int_equal(nv_json_count(a), 2);

  assert_int_equal(nv_json_get_object(j, "x", false, &o, &d), NV_OK);
  assert_null(o);
  assert_int_equal(nv_json_get_array(j, "x", false, &a, &d), NV_OK);
  assert_null(a);

  assert_int_equal(nv_json_get_object(j, "x", true, &o, &d), NV_E_JSON_MISSING_MEMBER);
  assert_msg_contains(&d, "required member \"x\" is missing");
  assert_int_equal(nv_json_get_array(j, "y", true, &a, &d), NV_E_JSON_MISSING_MEMBER);
  assert_msg_contains(&d, "required member \"y\" is missing");

  o = (const nv_json *)j;
  assert_int_equal(nv_json_get_object(j, "a", true, &o, &d), NV_E_JSON_TYPE);
  assert_null(o);
  assert_msg_contains(&d, "member \"a\" must be an object, found an array");
  a = (const nv_json *)j;
  assert_int_equal(nv_json_get_array(j, "o", true, &a, &d), NV_E_JSON_TYPE);
  assert_null(a);
  assert_msg_contains(&d, "member \"o\" must be an array, found an object");
  assert_int_equal(nv_json_get_array(j, "s", false, &a, &d), NV_E_JSON_TYPE);
  assert_msg_contains(&d, "member \"s\" must be an array, found a string");
  nv_json_free(j);
}

static void test_get_bool(void **state)
{
  (void)state;
  nv_json *j = must_parse("{\"t\":true,\"f\":false,\"s\":\"true\",\"n\":null}");
  nv_diag d;
  nv_diag_init(&d);
  bool v = false, present = false;

  assert_int_equal(nv_json_get_bool(j, "t", true, &v, &present, &d), NV_OK);
  assert_true(v);
  assert_true(present);
  assert_int_equal(nv_json_get_bool(j, "f", true, &v, &present, &d), NV_OK);
  assert_false(v);
  assert_true(present);

  v = true;
  present = true;
  assert_int_equal(nv_json_get_bool(j, "x", false, &v, &present, &d), NV_OK);
  assert_false(v);
  assert_false(present);
  assert_int_equal(nv_json_get_bool(j, "t", false, &v, NULL, &d), NV_OK);
  assert_true(v);

  present = true;
  assert_int_equal(nv_json_get_bool(j, "x", true, &v, &present, &d), NV_E_JSON_MISSING_MEMBER);
  assert_false(present);
  assert_msg_contains(&d, "required member \"x\" is missing");

  assert_int_equal(nv_json_get_bool(j, "s", true, &v, &present, &d), NV_E_JSON_TYPE);
  assert_msg_contains(&d, "member \"s\" must be a boolean, found a string");
  assert_int_equal(nv_json_get_bool(j, "n", false, &v, &present, &d), NV_E_JSON_TYPE);
  assert_msg_contains(&d, "member \"n\" must be a boolean, found null");
  nv_json_free(j);
}

/* get_uint64 on {"size": <token>} */
static nv_status get_size(const char *token, uint64_t *out, nv_diag *d)
{
  char doc[128];
  snprintf(doc, sizeof(doc), "{\"size\": %s}", token);
  nv_json *j = must_parse(doc);
  bool present = false;
  nv_diag_init(d);
  nv_status rc = nv_json_get_uint64(j, "size", true, out, &present, d);
  assert_true(present == (rc == NV_OK));
  nv_json_free(j);
  return rc;
}

static void test_get_uint64(void **state)
{
  (void)state;
  nv_diag d;
  uint64_t v = 7;

  assert_int_equal(get_size("0", &v, &d), NV_OK);
  assert_int_equal(v, 0);
  assert_int_equal(get_size("2048", &v, &d), NV_OK);
  assert_int_equal(v, 2048);
  assert_int_equal(get_size("9007199254740992", &v, &d), NV_OK); /* 2^53 */
  assert_true(v == ((uint64_t)1 << 53));
  assert_int_equal(get_size("9007199254740991", &v, &d), NV_OK);
  assert_true(v == ((uint64_t)1 << 53) - 1);

  static const char *const bad[] = {
      "9007199254740993", /* 2^53 + 1: the double rounds it to 2^53 */
      "9007199254740994", "18446744073709551616", "100000000000000000000000000000",
      "-1", "-0", "1.5", "1.0", "1e2", "1E2", "1e400", "-1e400", "0.0", "2e0", "1e-2",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    v = 7;
    nv_status rc = get_size(bad[i], &v, &d);
    if (rc != NV_E_JSON_NUMBER)
      fail_msg("size %s: expected NV_E_JSON_NUMBER, got %d (%s)", bad[i], (int)rc, d.msg);
    assert_int_equal(v, 0);
    assert_msg_contains(&d, "\"size\"");
  }
  assert_int_equal(get_size("-1", &v, &d), NV_E_JSON_NUMBER);
  assert_msg_contains(&d, "negative");
  assert_int_equal(get_size("1.5", &v, &d), NV_E_JSON_NUMBER);
  assert_msg_contains(&d, "fraction or exponent");
  assert_int_equal(get_size("9007199254740993", &v, &d), NV_E_JSON_NUMBER);
  assert_msg_contains(&d, "2^53");

  assert_int_equal(get_size("\"12\"", &v, &d), NV_E_JSON_TYPE);
  assert_msg_contains(&d, "member \"size\" must be a number, found a string");

  nv_json *j = must_parse("{\"a\":1}");
  bool present = true;
  v = 7;
  assert_int_equal(nv_json_get_uint64(j, "size", false, &v, &present, &d), NV_OK);
  assert_false(present);
  assert_int_equal(v, 0);
  assert_int_equal(nv_json_get_uint64(j, "size", true, &v, &present, &d),
                   NV_E_JSON_MISSING_MEMBER);
  assert_msg_contains(&d, "required member \"size\" is missing");
  nv_json_free(j);

  /* numbers inside arrays, after strings with digits and escaped quotes,
   * still line up with their tokens */
  j = must_parse("{\"k1\\\"2\":\"3 -4 \\\" 5.5\",\"arr\":[1.5,-2,{\"x\":1e3}],\"size\":42,"
                 "\"t\":true,\"last\":17}");
  assert_int_equal(nv_json_get_uint64(j, "size", true, &v, NULL, &d), NV_OK);
  assert_int_equal(v, 42);
  assert_int_equal(nv_json_get_uint64(j, "last", true, &v, NULL, &d), NV_OK);
  assert_int_equal(v, 17);
  const nv_json *arr = nv_json_member(j, "arr");
  assert_int_equal(nv_json_get_uint64(nv_json_at(arr, 2), "x", true, &v, NULL, &d),
                   NV_E_JSON_NUMBER);
  nv_json_free(j);
}

static void test_check_members(void **state)
{
  (void)state;
  static const char *const allowed[] = {"level", "override", NULL};
  static const char *const none[] = {NULL};
  nv_diag d;
  nv_diag_init(&d);

  nv_json *j = must_parse("{\"level\":\"strict\"}");
  assert_int_equal(nv_json_check_members(j, allowed, &d), NV_OK);
  nv_json_free(j);

  j = must_parse("{\"level\":\"strict\",\"Level\":\"audit\"}");
  assert_int_equal(nv_json_check_members(j, allowed, &d), NV_E_JSON_UNKNOWN_MEMBER);
  assert_string_equal(d.msg, "member \"Level\" is not allowed here");
  assert_int_equal(nv_json_check_members(j, none, &d), NV_E_JSON_UNKNOWN_MEMBER);
  assert_msg_contains(&d, "\"level\"");
  assert_int_equal(nv_json_check_members(j, NULL, NULL), NV_E_JSON_UNKNOWN_MEMBER);
  nv_json_free(j);

  j = must_parse("{}");
  assert_int_equal(nv_json_check_members(j, none, &d), NV_OK);
  nv_json_free(j);

  j = must_parse("[]");
  assert_int_equal(nv_json_check_members(j, allowed, &d), NV_E_JSON_TYPE);
  nv_json_free(j);
  assert_int_equal(nv_json_check_members(NULL, allowed, &d), NV_E_JSON_TYPE);
}

static void test_duplicates(void **state)
{
  (void)state;
  expect_fail("{\"level\":1,\"level\":2}", NV_E_JSON_DUPLICATE_MEMBER, "\"level\"");
  expect_fail("{\"level\":1,\"level\":2}", NV_E_JSON_DUPLICATE_MEMBER, "top level");
  expect_fail("{\"a\":{\"b\":1,\"c\":2,\"b\":3}}", NV_E_JSON_DUPLICATE_MEMBER, "\"b\" in the object at /a");
  expect_fail("{\"a\":[{\"x\":1},{\"y\":1,\"y\":{}}]}", NV_E_JSON_DUPLICATE_MEMBER,
              "\"y\" in the object at /a/1");
  expect_fail("[[{\"k\":1,\"k\":1}]]", NV_E_JSON_DUPLICATE_MEMBER, "/0/0");
  expect_fail("{\"a/b~c\":{\"d\":[0,{\"e\":0,\"e\":0}]}}", NV_E_JSON_DUPLICATE_MEMBER,
              "/a~1b~0c/d/1");
  /* names are compared after unescaping */
  expect_fail("{\"a\":1,\"\\u0061\":2}", NV_E_JSON_DUPLICATE_MEMBER, "\"a\"");
  expect_fail("{\"\\u00e9\":1,\"\xc3\xa9\":2}", NV_E_JSON_DUPLICATE_MEMBER, "\xc3\xa9");
  expect_fail("{\"\":1,\"\":2}", NV_E_JSON_DUPLICATE_MEMBER, "\"\"");
  /* the name is shown safely */
  expect_fail("{\"a\\nb\":1,\"a\\nb\":2}", NV_E_JSON_DUPLICATE_MEMBER, "\"a?b\"");

  /* not duplicates */
  expect_ok("{\"a\":1,\"A\":2,\"a \":3,\"b\":{\"a\":4}}");
  expect_ok("[{\"a\":1},{\"a\":1}]");
  expect_ok("{\"a\":{\"a\":{\"a\":1}}}");
}

static void test_duplicates_large_object(void **state)
{
  (void)state;
  /* more members than the on-stack name array holds */
  size_t cap = 200 * 16 + 64;
  char *doc = malloc(cap);
  assert_non_null(doc);
  size_t o = 0;
  doc[o++] = '{';
  for (int i = 0; i < 200; i++)
    o += (size_t)snprintf(doc + o, cap - o, "%s\"m%03d\":%d", i ? "," : "", i, i);
  doc[o++] = '}';
  doc[o] = '\0';
  expect_ok(doc);
  /* now repeat the first name at the end */
  o--;
  o += (size_t)snprintf(doc + o, cap - o, ",\"m000\":0}");
  expect_fail(doc, NV_E_JSON_DUPLICATE_MEMBER, "\"m000\"");
  free(doc);
}

static void test_duplicate_long_name(void **state)
{
  (void)state;
  char name[301];
  memset(name, 'n', 300);
  name[300] = '\0';
  char doc[700];
  snprintf(doc, sizeof(doc), "{\"%s\":1,\"%s\":2}", name, name);
  nv_diag d;
  nv_diag_init(&d);
  nv_json *j = NULL;
  assert_int_equal(parse_str(doc, &j, &d), NV_E_JSON_DUPLICATE_MEMBER);
  assert_null(j);
  assert_msg_contains(&d, "nnnnnnnnnn...\"");
  assert_true(strlen(d.msg) < 200);
}

static void test_trailing(void **state)
{
  (void)state;
  expect_fail("{}x", NV_E_JSON_SYNTAX, "byte 2");
  expect_fail("{} {}", NV_E_JSON_SYNTAX, "byte 3");
  expect_fail("[1]]", NV_E_JSON_SYNTAX, "byte 3");
  expect_fail("1 2", NV_E_JSON_SYNTAX, "byte 2");
  expect_fail("{}\f", NV_E_JSON_SYNTAX, "byte 2");   /* form feed is not JSON whitespace */
  expect_fail("{}\v", NV_E_JSON_SYNTAX, "byte 2");
  expect_fail_n("{}\0", 3, NV_E_JSON_ENCODING, "byte 2");
  expect_fail("{}\xc2\xa0", NV_E_JSON_SYNTAX, "byte 2"); /* NBSP */
  expect_fail("{}\xff", NV_E_JSON_ENCODING, "byte 2");
  expect_ok("{} \t\r\n");
  expect_ok(" \t\r\n[ 1 , 2 ]\n");
}

static void test_bom(void **state)
{
  (void)state;
  expect_fail("\xef\xbb\xbf{}", NV_E_JSON_ENCODING, "byte-order mark at byte 0");
  expect_fail("\xef\xbb\xbf", NV_E_JSON_ENCODING, "byte-order mark");
  /* a BOM later on is just an unexpected (valid UTF-8) character */
  expect_fail(" \xef\xbb\xbf{}", NV_E_JSON_SYNTAX, "byte 1");
  /* U+FEFF inside a string is an ordinary character */
  expect_ok("\"\xef\xbb\xbf\"");
}

static void test_nul(void **state)
{
  (void)state;
  expect_fail("{\"a\":\"x\\u0000y\"}", NV_E_JSON_ENCODING, "escaped NUL (\\u0000) at byte 7");
  expect_fail("{\"\\u0000\":1}", NV_E_JSON_ENCODING, "\\u0000");
  expect_fail_n("{\"a\":\"x\0y\"}", 11, NV_E_JSON_ENCODING, "NUL byte at byte 7");
  expect_fail_n("\0", 1, NV_E_JSON_ENCODING, "byte 0");
  expect_fail_n("[1,\0]", 5, NV_E_JSON_ENCODING, "byte 3");
  expect_fail_n("\"\\\0\"", 4, NV_E_JSON_ENCODING, "byte 2");
  /* \u0001 and \u0100 are fine */
  nv_json *j = must_parse("\"\\u0001\\u0100\"");
  assert_string_equal(nv_json_string(j), "\x01\xc4\x80");
  nv_json_free(j);
}

static void test_invalid_utf8(void **state)
{
  (void)state;
  static const char *const bad[] = {
      "\"\xff\"",                 /* never valid */
      "\"\xfe\"",
      "\"\xc0\x80\"",             /* overlong NUL */
      "\"\xc1\xbf\"",             /* overlong */
      "\"\xe0\x80\x80\"",         /* overlong 3-byte */
      "\"\xe0\x9f\xbf\"",
      "\"\xf0\x80\x80\x80\"",     /* overlong 4-byte */
      "\"\xf0\x8f\xbf\xbf\"",
      "\"\xed\xa0\x80\"",         /* U+D800 */
      "\"\xed\xbf\xbf\"",         /* U+DFFF */
      "\"\xf4\x90\x80\x80\"",     /* U+110000 */
      "\"\xf5\x80\x80\x80\"",
      "\"\x80\"",                 /* lone continuation byte */
      "\"\xc3\"",                 /* truncated */
      "\"\xe2\x82\"",
      "\"\xf0\x9f\x98\"",
      "\"\xc3\x28\"",             /* bad continuation */
      "\"\xe2\x28\xa1\"",
      "\"\xf0\x9f\x28\x80\"",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    expect_fail(bad[i], NV_E_JSON_ENCODING, "invalid UTF-8 at byte 1");
  expect_fail("{\"a\":\"ok\xff\"}", NV_E_JSON_ENCODING, "byte 8");
  expect_fail("{\"k\xc0\x80\":1}", NV_E_JSON_ENCODING, "byte 3");
  /* input ending inside a sequence */
  expect_fail_n("\"\xe2\x82", 3, NV_E_JSON_ENCODING, "byte 1");
  /* invalid bytes outside strings */
  expect_fail("[\xff]", NV_E_JSON_ENCODING, "byte 1");

  static const char *const good[] = {
      "\"\xc2\x80\"",             /* U+0080 */
      "\"\xc3\xa9\"",             /* e acute */
      "\"\xe2\x82\xac\"",         /* euro */
      "\"\xed\x9f\xbf\"",         /* U+D7FF */
      "\"\xee\x80\x80\"",         /* U+E000 */
      "\"\xef\xbf\xbf\"",         /* U+FFFF */
      "\"\xf0\x90\x80\x80\"",     /* U+10000 */
      "\"\xf4\x8f\xbf\xbf\"",     /* U+10FFFF */
      "\"\x7f\"",                 /* DEL needs no escape */
  };
  for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
    expect_ok(good[i]);
}

static void test_surrogate_escapes(void **state)
{
  (void)state;
  expect_fail("\"\\uD800\"", NV_E_JSON_ENCODING, "byte 1");
  expect_fail("\"\\udbff\"", NV_E_JSON_ENCODING, "surrogate");
  expect_fail("\"\\uDC00\"", NV_E_JSON_ENCODING, "byte 1");
  expect_fail("\"ab\\uDFFF\"", NV_E_JSON_ENCODING, "byte 3");
  expect_fail("\"\\uD800x\"", NV_E_JSON_ENCODING, "surrogate");
  expect_fail("\"\\uD800\\n\"", NV_E_JSON_ENCODING, "surrogate");
  expect_fail("\"\\uD800\\u0041\"", NV_E_JSON_ENCODING, "surrogate");
  expect_fail("\"\\uD800\\uD800\"", NV_E_JSON_ENCODING, "surrogate");
  expect_fail("\"\\uDC00\\uD800\"", NV_E_JSON_ENCODING, "surrogate"); /* reversed */
  expect_fail("{\"\\uD83D\":1}", NV_E_JSON_ENCODING, "byte 2");

  nv_json *j = must_parse("\"\\uD83D\\uDE00\"");
  assert_string_equal(nv_json_string(j), "\xf0\x9f\x98\x80");
  nv_json_free(j);
  j = must_parse("\"\\udbff\\udfff\"");
  assert_string_equal(nv_json_string(j), "\xf4\x8f\xbf\xbf");
  nv_json_free(j);
  j = must_parse("\"\\uD7FF\\uE000\\uFFFF\"");
  assert_string_equal(nv_json_string(j), "\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf");
  nv_json_free(j);
}

static void test_escapes(void **state)
{
  (void)state;
  nv_json *j = must_parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\"");
  assert_string_equal(nv_json_string(j), "\"\\/\b\f\n\r\tA\xc3\xa9");
  nv_json_free(j);
  expect_fail("\"\\x41\"", NV_E_JSON_SYNTAX, "invalid escape sequence at byte 1");
  expect_fail("\"\\'\"", NV_E_JSON_SYNTAX, "byte 1");
  expect_fail("\"\\u12\"", NV_E_JSON_SYNTAX, "\\u escape at byte 1");
  expect_fail("\"\\u12g4\"", NV_E_JSON_SYNTAX, "\\u escape");
  expect_fail("\"\\u", NV_E_JSON_SYNTAX, NULL);
  expect_fail("\"\\", NV_E_JSON_SYNTAX, "unterminated string");
}

static void test_control_characters(void **state)
{
  (void)state;
  expect_fail("\"a\nb\"", NV_E_JSON_SYNTAX, "control character 0x0a in a string at byte 2");
  expect_fail("\"\t\"", NV_E_JSON_SYNTAX, "0x09");
  expect_fail("{\"a\x1f\":1}", NV_E_JSON_SYNTAX, "byte 3");
  expect_fail("[\x01]", NV_E_JSON_SYNTAX, "byte 1");
  expect_ok("\"a\\nb\\u001f\"");
}

/* n nested arrays or objects, innermost empty */
static char *nested(size_t n, bool objects)
{
  char *s = malloc(n * 6 + 8);
  assert_non_null(s);
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (objects && i + 1 < n) {
      memcpy(s + o, "{\"a\":", 5);
      o += 5;
    } else {
      s[o++] = objects ? '{' : '[';
    }
  }
  for (size_t i = 0; i < n; i++)
    s[o++] = objects ? '}' : ']';
  s[o] = '\0';
  return s;
}

static void test_depth(void **state)
{
  (void)state;
  assert_int_equal(NV_LIMIT_JSON_DEPTH, 32);
  char *s = nested(NV_LIMIT_JSON_DEPTH, false);
  expect_ok(s);
  free(s);
  s = nested(NV_LIMIT_JSON_DEPTH + 1, false);
  expect_fail(s, NV_E_JSON_DEPTH, "at byte 32");
  free(s);

  s = nested(NV_LIMIT_JSON_DEPTH, true);
  expect_ok(s);
  free(s);
  s = nested(NV_LIMIT_JSON_DEPTH + 1, true);
  expect_fail(s, NV_E_JSON_DEPTH, "32");
  free(s);

  /* scalars in the innermost container do not count as a level */
  char buf[128];
  size_t o = 0;
  for (int i = 0; i < NV_LIMIT_JSON_DEPTH; i++)
    buf[o++] = '[';
  buf[o++] = '1';
  for (int i = 0; i < NV_LIMIT_JSON_DEPTH; i++)
    buf[o++] = ']';
  expect_ok_n(buf, o);

  /* depth comes back down after siblings */
  char *a = nested(NV_LIMIT_JSON_DEPTH - 1, false);
  size_t al = strlen(a);
  char *two = malloc(2 * al + 4);
  assert_non_null(two);
  snprintf(two, 2 * al + 4, "[%s,%s]", a, a);
  expect_ok(two);
  free(two);
  free(a);

  /* a huge depth fails fast, without recursion */
  size_t big = 1000000;
  char *deep = malloc(big);
  assert_non_null(deep);
  memset(deep, '[', big);
  expect_fail_n(deep, big, NV_E_JSON_DEPTH, "byte 32");
  free(deep);
}

static void test_size_limit(void **state)
{
  (void)state;
  const char *doc = "{\"a\":1}"; /* 7 bytes */
  nv_diag d;
  nv_diag_init(&d);
  nv_json *j = NULL;
  assert_int_equal(nv_json_parse(doc, 7, 7, "trust policy", &j, &d), NV_OK);
  assert_non_null(j);
  nv_json_free(j);
  j = (nv_json *)(uintptr_t)1;
  assert_int_equal(nv_json_parse(doc, 7, 6, "trust policy", &j, &d), NV_E_LIMIT);
  assert_null(j);
  assert_msg_contains(&d, "trust policy");
  assert_msg_contains(&d, "limit of 6 bytes");
  /* the limit is checked before the content: invalid text over the limit */
  assert_int_equal(nv_json_parse("\xff\xff", 2, 1, "x", &j, &d), NV_E_LIMIT);
  assert_int_equal(nv_json_parse("", 0, 0, "x", &j, &d), NV_E_JSON_SYNTAX);
}

static void test_empty(void **state)
{
  (void)state;
  expect_fail("", NV_E_JSON_SYNTAX, "empty");
  expect_fail(" \t\r\n", NV_E_JSON_SYNTAX, "end of input at byte 4");
  nv_diag d;
  nv_diag_init(&d);
  nv_json *j = NULL;
  assert_int_equal(nv_json_parse(NULL, 0, 10, "x", &j, &d), NV_E_JSON_SYNTAX);
  assert_null(j);
}

static void test_number_grammar(void **state)
{
  (void)state;
  static const char *const good[] = {"0",   "-0",   "1",    "-1",     "10",     "0.5",
                                     "-0.5", "1e5", "1E+5", "1e-5",   "-1.5e10", "0e0",
                                     "1.25E-07", "123456789012345678901234567890"};
  for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
    expect_ok(good[i]);
  expect_fail("0123", NV_E_JSON_SYNTAX, "leading zero at byte 0");
  expect_fail("[-012]", NV_E_JSON_SYNTAX, "leading zero at byte 1");
  expect_fail("00", NV_E_JSON_SYNTAX, "leading zero");
  expect_fail("01.5", NV_E_JSON_SYNTAX, "leading zero");
  static const char *const bad[] = {"1.",  ".5",  "+1",   "1e",  "1e+",      "-",   "--1",
                                    "0x10", "NaN", "Infinity", "-Infinity", "1.5.5", "1e5e5",
                                    "1.e5", "-.5", "[1,-]",  "1ee5", "- 1"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    expect_fail(bad[i], NV_E_JSON_SYNTAX, NULL);

  /* cJSON copies at most 63 characters of a number: longer ones are refused */
  char num[70];
  memset(num, '1', 63);
  num[63] = '\0';
  expect_ok(num);
  memset(num, '1', 64);
  num[64] = '\0';
  expect_fail(num, NV_E_LIMIT, "number at byte 0");
  char doc[100];
  snprintf(doc, sizeof(doc), "[0.%.61s]", "0000000000000000000000000000000000000000000000000000000000001");
  expect_ok(doc); /* 63 characters */
  snprintf(doc, sizeof(doc), "[0.%.62s]", "00000000000000000000000000000000000000000000000000000000000001");
  expect_fail(doc, NV_E_LIMIT, "byte 1");
}

static void test_literals(void **state)
{
  (void)state;
  expect_ok("[true,false,null]");
  static const char *const bad[] = {"tru", "True", "nul", "NULL", "nulls", "[truex]", "f",
                                    "undefined", "[nan]"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    expect_fail(bad[i], NV_E_JSON_SYNTAX, NULL);
}

static void test_syntax_errors(void **state)
{
  (void)state;
  static const struct {
    const char *text;
    const char *part;
  } cases[] = {
      {"{", "end of input at byte 1"},
      {"[", "end of input"},
      {"{\"a\"}", "expected ':', found '}' at byte 4"},
      {"{\"a\":}", "byte 5"},
      {"[1,]", "byte 3"},
      {"{\"a\":1,}", "expected a member name, found '}' at byte 7"},
      {"[1 2]", "expected ',' or ']', found '2' at byte 3"},
      {"{\"a\":1 \"b\":2}", "expected ',' or '}'"},
      {"{1:2}", "member name"},
      {"{'a':1}", "byte 1"},
      {"\"abc", "unterminated string starting at byte 0"},
      {"[1}", "byte 2"},
      {"{]", "byte 1"},
      {"]", "byte 0"},
      {"}", "byte 0"},
      {",", "byte 0"},
      {"[,1]", "byte 1"},
      {"{\"a\"::1}", "byte 5"},
      {"{\"a\":1,,\"b\":2}", "byte 7"},
      {"/* c */ {}", "byte 0"},
      {"[\"a\" \xc3\xa9]", "non-ASCII character at byte 5"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    expect_fail(cases[i].text, NV_E_JSON_SYNTAX, cases[i].part);
}

static void test_value_limit(void **state)
{
  (void)state;
  /* one more value than allowed: the scanner stops before cJSON runs */
  size_t values = ((size_t)1 << 20) + 1; /* the array and 2^20 zeros */
  size_t len = 2 * (values - 1) + 1;
  char *doc = malloc(len);
  assert_non_null(doc);
  doc[0] = '[';
  for (size_t i = 1; i + 1 < len; i += 2) {
    doc[i] = '0';
    doc[i + 1] = ',';
  }
  doc[len - 1] = ']';
  nv_diag d;
  nv_diag_init(&d);
  nv_json *j = NULL;
  assert_int_equal(nv_json_parse(doc, len, len, "big", &j, &d), NV_E_LIMIT);
  assert_null(j);
  assert_msg_contains(&d, "more than 1048576 values");
  /* with one element fewer it is within the limit */
  doc[len - 3] = ']';
  assert_int_equal(nv_json_parse(doc, len - 2, len, "big", &j, &d), NV_OK);
  assert_int_equal(nv_json_count(j), ((size_t)1 << 20) - 1);
  nv_json_free(j);
  free(doc);
}

static void test_arguments(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_json_parse("{}", 2, 10, "x", NULL, &d), NV_E_INVALID_ARG);
  nv_json *j = (nv_json *)(uintptr_t)1;
  assert_int_equal(nv_json_parse(NULL, 2, 10, "x", &j, &d), NV_E_INVALID_ARG);
  assert_null(j);
  /* a NULL diag and a NULL name are fine */
  assert_int_equal(nv_json_parse("{}", 2, 10, NULL, &j, NULL), NV_OK);
  nv_json_free(j);
  assert_int_equal(nv_json_parse("{", 1, 10, NULL, &j, NULL), NV_E_JSON_SYNTAX);
  assert_null(j);
  assert_int_equal(nv_json_parse("{", 1, 10, NULL, &j, &d), NV_E_JSON_SYNTAX);
  assert_msg_contains(&d, "JSON document");
  assert_int_equal(nv_json_parse("{", 1, 10, "signature envelope", &j, &d), NV_E_JSON_SYNTAX);
  assert_msg_contains(&d, "signature envelope");
  nv_json_free(NULL);
}

static void test_not_nul_terminated(void **state)
{
  (void)state;
  /* the parser must stay inside `len` bytes: each document is copied into
   * an exact-size buffer (sanitizers and valgrind see any overread), and
   * every proper prefix of it is rejected */
  static const char *const docs[] = {"{\"a\":[1,2,{\"b\":null}]}", "\"s\\u00e9\\uD83D\\uDE00\"", "true",
                                     "[-1.5e3]", "[]", "{}"};
  for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
    size_t n = strlen(docs[i]);
    char *buf = malloc(n);
    assert_non_null(buf);
    memcpy(buf, docs[i], n);
    expect_ok_n(buf, n);
    for (size_t k = 0; k < n; k++) {
      char *pre = malloc(k > 0 ? k : 1); /* exact size; malloc(0) may return NULL */
      assert_non_null(pre);
      memcpy(pre, buf, k);
      nv_json *j = (nv_json *)(uintptr_t)1;
      assert_int_not_equal(nv_json_parse(pre, k, n, "x", &j, NULL), NV_OK);
      assert_null(j);
      free(pre);
    }
    free(buf);
  }
  /* a number at the very end of the buffer */
  char *num = malloc(3);
  assert_non_null(num);
  memcpy(num, "123", 3);
  nv_json *j = NULL;
  assert_int_equal(nv_json_parse(num, 3, 3, "x", &j, NULL), NV_OK);
  assert_true(nv_json_type_of(j) == NV_JSON_NUMBER);
  nv_json_free(j);
  assert_int_equal(nv_json_parse(num, 2, 3, "x", &j, NULL), NV_OK); /* "12" */
  nv_json_free(j);
  free(num);
}

/* ------------------------------------------------------------------ */
/* The tree is the one cJSON's parser makes                           */
/* ------------------------------------------------------------------ */

/* A text dump of a cJSON tree, a line per node in document order: depth,
 * cJSON's own type bits, member name and string value in hex (so length
 * and every byte count), valueint and valuedouble to the last bit. The
 * sibling links are checked on the way (next, prev, the first child's
 * prev on the last). Number nodes of nv_json_parse() trees carry flags
 * above cJSON's type bits; the dump leaves them out. */
typedef struct tree_dump {
  char *text;
  size_t len;
  size_t cap;
} tree_dump;

static void dump_printf(tree_dump *t, const char *fmt, ...) NV_PRINTF(2, 3);
static void dump_printf(tree_dump *t, const char *fmt, ...)
{
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = t->cap - t->len;
    int n = vsnprintf(t->text != NULL ? t->text + t->len : NULL, room, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    if ((size_t)n < room) {
      t->len += (size_t)n;
      return;
    }
    size_t cap = t->cap * 2 + (size_t)n + 256;
    char *grown = realloc(t->text, cap);
    assert_non_null(grown);
    t->text = grown;
    t->cap = cap;
  }
}

static void dump_bytes(tree_dump *t, const char *label, const char *s)
{
  if (s == NULL) {
    dump_printf(t, " %s=none", label);
    return;
  }
  dump_printf(t, " %s[%zu]=", label, strlen(s));
  for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++)
    dump_printf(t, "%02x", *c);
}

static void dump_tree(tree_dump *t, const cJSON *node, int depth)
{
  unsigned long long bits;
  memcpy(&bits, &node->valuedouble, sizeof(bits));
  dump_printf(t, "%d type=%d", depth, node->type & (0xFF | cJSON_IsReference | cJSON_StringIsConst));
  dump_bytes(t, "name", node->string);
  dump_bytes(t, "string", node->valuestring);
  dump_printf(t, " int=%d double=%016llx\n", node->valueint, bits);
  const cJSON *prev = NULL;
  for (const cJSON *c = node->child; c != NULL; c = c->next) {
    if (prev != NULL)
      assert_ptr_equal(c->prev, prev);
    dump_tree(t, c, depth + 1);
    prev = c;
  }
  if (node->child != NULL)
    assert_ptr_equal(node->child->prev, prev);
}

/* nv_json_parse() must accept the `len` bytes of `text`, cJSON must parse
 * them to the end of the value (only whitespace after it), and the two
 * trees must dump the same; `label` names the document when they do not. */
static void expect_same_tree(const char *label, const char *text, size_t len)
{
  /* an exact-size copy: neither parser may read past `len` */
  char *copy = malloc(len > 0 ? len : 1);
  assert_non_null(copy);
  memcpy(copy, text, len);

  nv_diag d;
  nv_diag_init(&d);
  nv_json *ours = NULL;
  nv_status rc = nv_json_parse(copy, len, MAX_DOC, "test doc", &ours, &d);
  if (rc != NV_OK)
    fail_msg("%s: nv_json_parse refused it: %s", label, d.msg);
  const char *end = NULL;
  cJSON *theirs = cJSON_ParseWithLengthOpts(copy, len, &end, 0);
  if (theirs == NULL)
    fail_msg("%s: accepted, but cJSON cannot parse it", label);
  assert_true(end >= copy && end <= copy + len);
  for (const char *c = end; c < copy + len; c++)
    if (strchr(" \t\r\n", *c) == NULL)
      fail_msg("%s: cJSON stops at byte %zu", label, (size_t)(end - copy));

  tree_dump a = {NULL, 0, 0}, b = {NULL, 0, 0};
  dump_tree(&a, ours, 0);
  dump_tree(&b, theirs, 0);
  assert_null(ours->next);
  assert_null(ours->prev);
  if (a.len != b.len || memcmp(a.text, b.text, a.len) != 0) {
    /* name the first node that differs */
    size_t at = 0, line = 0, node = 0;
    while (at < a.len && at < b.len && a.text[at] == b.text[at]) {
      if (a.text[at] == '\n') {
        line = at + 1;
        node++;
      }
      at++;
    }
    fail_msg("%s: the trees differ at node %zu (document order)\n  ours:  %.*s\n  cJSON: %.*s",
             label, node, (int)strcspn(a.text + line, "\n"), a.text + line,
             (int)strcspn(b.text + line, "\n"), b.text + line);
  }
  free(a.text);
  free(b.text);
  cJSON_Delete(theirs);
  nv_json_free(ours);
  free(copy);
}

static void test_tree_matches_cjson(void **state)
{
  (void)state;
  /* len 0: the whole C string; else only the first len bytes */
  static const struct {
    const char *text;
    size_t len;
  } docs[] = {
      /* scalars at the top, with and without whitespace */
      {"true", 0}, {"false", 0}, {"null", 0}, {"\"\"", 0}, {"0", 0}, {" \t\r\n-1.5e-3\n", 0},
      {"\"top\"  ", 0},
      /* a number that ends the input: "12" of "123", "1.5" of "1.5e" */
      {"123", 2}, {"1.5e", 3}, {"[1]xyz", 3},
      /* containers: empty, nested, whitespace in every gap */
      {"{}", 0}, {"[]", 0}, {" [ ] ", 0}, {"{ }", 0},
      {"[{},[],{\"\":{}},[[],{}],{\"a\":[ ]},[\t]]", 0},
      {"\t\n\r [\t1\n,\r2 ,\r\n{ \"a\" : true\t,\n\"b\"\r:\nfalse } ,\tnull ]\n\r\t ", 0},
      {"{\r\n  \"version\": \"1.0\",\r\n  \"list\": [\r\n    1,\r\n    \"x\"\r\n  ]\r\n}\r\n", 0},
      {"[true,false,null,{\"t\":true,\"f\":false,\"n\":null},[true],[false],[null]]", 0},
      {"{\"\":1,\"a\":2,\"ab\":3,\"abc\":{\"\":\"\",\"a\":\"\"},\"A\":4}", 0},
      {"[{\"a\":1},{\"a\":2},{\"a\":{\"a\":{\"a\":3}}}]", 0},
      /* numbers: int saturation, overflow, underflow, -0, exponents, 63 characters */
      {"[2147483647,2147483648,-2147483648,-2147483649,2147483646.9999999,2147483647.5,"
       "-2147483648.5,-2147483647.9,4294967296,9007199254740993,18446744073709551616]", 0},
      {"[1.7976931348623157e308,1.7976931348623159e308,1e309,-1e309,1e400,-1e400]", 0},
      {"[5e-324,2e-324,2.4703282292062327e-324,1e-400,-1e-400,2.2250738585072011e-308]", 0},
      {"[0.1,0.30000000000000004,1e-7,-0.000001,123e-2,1.5e3,9.99e+99]", 0},
      {"[-0,-0.0,-0e0,-0.0e-0,0,0.0,-0E+5,0e0,0E-0,1e+0,1E-0,1e00000000000000000000001]", 0},
      {"0.1111111111111111111111111111111111111111111111111111111111111", 0},
      {"[-1.222222222222222222222222222222222222222222222222222222e-0001]", 0},
      {"{\"a\":1,\"b\":-2.5,\"c\":3e2,\"d\":-0,\"e\":1e400}", 0},
      /* escapes, in values and in names */
      {"[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"\\\\\",\"\\\\\\\\\\\"\",\"a\\\\\\\"b\\\\\",\"x\\\\\"]", 0},
      {"{\"\\n\\t\\\"\\\\\\/\\b\\f\\r\":\"\\u0041\",\"\\\\\":\"\\\"\",\"/\":\"\\/\"}", 0},
      {"[\"\\u0001\",\"\\u007f\",\"\\u0080\",\"\\u07ff\",\"\\u0800\",\"\\uffff\",\"\\uFFFE\","
       "\"\\uD7FF\",\"\\uE000\",\"\\uABCD\",\"\\u00e9t\\u00C9\"]", 0},
      /* surrogate pairs: the ends of the ranges, mixed case, next to text */
      {"[\"\\uD800\\uDC00\",\"\\uDBFF\\uDFFF\",\"\\ud83d\\ude00\",\"a\\uD834\\uDD1Eb\","
       "\"\\uDbFf\\udFfF\\u0031\",\"\\uD83D\\uDE00x\\uD83D\\uDE00\"]", 0},
      {"{\"\\uD83D\\uDE00\":1,\"\\u00e9\":2,\"e\\u0301\":3}", 0},
      /* raw UTF-8 of every length */
      {"{\"k\xc3\xa9y\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xe0\xa0\x80\xef\xbf\xbf\","
       "\"\xe4\xb8\xad\":[\"\xf4\x8f\xbf\xbf\"]}", 0},
      /* strings around the 8-byte steps of the scanners, an escape at each place */
      {"[\"1234567\",\"12345678\",\"123456789\",\"1234567\\\"\",\"12345678\\\"\","
       "\"123456\\\\\",\"1234567\\\\\",\"12345678\\\\\",\"\\u00e91234567\",\"1234567\\u00e9\"]", 0},
  };
  char label[32];
  for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
    snprintf(label, sizeof(label), "document %zu", i);
    expect_same_tree(label, docs[i].text, docs[i].len != 0 ? docs[i].len : strlen(docs[i].text));
  }

  /* made here: nesting at the limit, long strings, many values */
  size_t cap = 65536; /* more than the longest document below */
  char *doc = malloc(cap);
  assert_non_null(doc);
  size_t n = 0;
  for (int k = 0; k < NV_LIMIT_JSON_DEPTH - 1; k++)
    n += (size_t)snprintf(doc + n, cap - n, k % 2 ? "{\"k%d\":" : "[%d,", k);
  n += (size_t)snprintf(doc + n, cap - n, "[\"deep\",-0]");
  for (int k = NV_LIMIT_JSON_DEPTH - 2; k >= 0; k--)
    n += (size_t)snprintf(doc + n, cap - n, k % 2 ? ",\"s\":\"v\"}" : ",%d]", k);
  assert_true(n < cap);
  expect_same_tree("32 levels", doc, n);

  n = 0;
  doc[n++] = '"';
  for (int k = 0; k < 1000; k++)
    n += (size_t)snprintf(doc + n, cap - n, k % 50 == 49 ? "\\uD83D\\uDE00" : "abcdefgh");
  doc[n++] = '"';
  assert_true(n < cap);
  expect_same_tree("long string", doc, n);

  n = 0;
  doc[n++] = '[';
  for (int k = 0; k < 700; k++)
    n += (size_t)snprintf(doc + n, cap - n, "%s%d.%de%d,\"%d\"", k ? "," : "", k - 350, k, k % 40 - 20, k);
  doc[n++] = ']';
  assert_true(n < cap);
  expect_same_tree("many values", doc, n);
  free(doc);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid_trust_policy),
      cmocka_unit_test(test_valid_jws_and_manifest),
      cmocka_unit_test(test_top_level_scalars),
      cmocka_unit_test(test_type_names),
      cmocka_unit_test(test_object_iteration),
      cmocka_unit_test(test_member_case_sensitive),
      cmocka_unit_test(test_get_string),
      cmocka_unit_test(test_get_object_array),
      cmocka_unit_test(test_get_bool),
      cmocka_unit_test(test_get_uint64),
      cmocka_unit_test(test_check_members),
      cmocka_unit_test(test_duplicates),
      cmocka_unit_test(test_duplicates_large_object),
      cmocka_unit_test(test_duplicate_long_name),
      cmocka_unit_test(test_trailing),
      cmocka_unit_test(test_bom),
      cmocka_unit_test(test_nul),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_surrogate_escapes),
      cmocka_unit_test(test_escapes),
      cmocka_unit_test(test_control_characters),
      cmocka_unit_test(test_depth),
      cmocka_unit_test(test_size_limit),
      cmocka_unit_test(test_empty),
      cmocka_unit_test(test_number_grammar),
      cmocka_unit_test(test_literals),
      cmocka_unit_test(test_syntax_errors),
      cmocka_unit_test(test_value_limit),
      cmocka_unit_test(test_arguments),
      cmocka_unit_test(test_not_nul_terminated),
      cmocka_unit_test(test_tree_matches_cjson),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
