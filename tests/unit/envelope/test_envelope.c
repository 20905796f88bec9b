/* The shared decoded form: limits, dispatch, common rules, payload, the
 * plugin gate. Format details are in test_jws.c and test_cose.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/nv_limits.h"
#include "envelope/nv_env.h"
#include "envelope/nv_env_payload.h"

static nv_status decode_file(const char *rel, nv_env_format format, nv_env *e, nv_diag *d)
{
  bytes b = slurp_in(NV_VECTORS, rel);
  nv_status rc = nv_env_decode(format, b.data, b.len, e, d);
  bytes_free(&b);
  return rc;
}

static void size_limit_before_reading(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;
  nv_diag_init(&d);
  /* the bytes are never touched: a one-byte buffer with a huge length */
  static const uint8_t one = '{';
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_JWS, &one, NV_LIMIT_ENVELOPE_BYTES + 1, &e, &d),
                   NV_E_ENVELOPE_TOO_LARGE);
  assert_non_null(strstr(d.msg, "limit"));
  nv_env_free(&e);
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_COSE, &one, SIZE_MAX, &e, NULL),
                   NV_E_ENVELOPE_TOO_LARGE);
  nv_env_free(&e);
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_JWS, &one, 0, &e, NULL), NV_E_ENVELOPE_EMPTY);
  nv_env_free(&e);
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_JWS, NULL, 10, &e, NULL), NV_E_ENVELOPE_EMPTY);
  nv_env_free(&e);
  assert_int_equal(nv_env_decode(NV_ENV_FORMAT_NONE, &one, 1, &e, NULL),
                   NV_E_ENVELOPE_FORMAT_UNSUPPORTED);
  nv_env_free(&e);
}

static void both_formats_decode_to_one_form(void **state)
{
  (void)state;
  /* the same signer and payload, once as JWS and once as COSE */
  nv_env jws, cose;
  assert_int_equal(decode_file("notation-go/verifier/testdata/timestamp/sigEnv/jwsWithTimestamp.sig",
                               NV_ENV_FORMAT_JWS, &jws, NULL),
                   NV_OK);
  assert_int_equal(decode_file("notation-go/verifier/testdata/timestamp/sigEnv/coseWithTimestamp.sig",
                               NV_ENV_FORMAT_COSE, &cose, NULL),
                   NV_OK);
  assert_int_equal(jws.format, NV_ENV_FORMAT_JWS);
  assert_int_equal(cose.format, NV_ENV_FORMAT_COSE);
  assert_int_equal(jws.scheme, NV_SCHEME_X509);
  assert_int_equal(cose.scheme, NV_SCHEME_X509);
  assert_true(jws.has_timestamp && cose.has_timestamp);
  assert_int_equal(jws.cert_count, 1);
  assert_int_equal(cose.cert_count, 1);
  assert_int_equal(jws.certs[0].len, cose.certs[0].len);
  assert_memory_equal(jws.certs[0].data, cose.certs[0].data, jws.certs[0].len);
  nv_descriptor a, b;
  assert_int_equal(nv_env_parse_payload(&jws, &a, NULL), NV_OK);
  assert_int_equal(nv_env_parse_payload(&cose, &b, NULL), NV_OK);
  assert_true(nv_descriptor_equal(&a, &b));
  assert_string_equal(a.digest,
                      "sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda");
  nv_descriptor_free(&a);
  nv_descriptor_free(&b);
  nv_env_free(&jws);
  nv_env_free(&cose);
}

/* A minimal decoded envelope that passes the common rules. */
static void good_env(nv_env *e)
{
  nv_env_init(e);
  e->scheme = NV_SCHEME_X509;
  e->has_signing_time = true;
  e->signing_time = 1000;
  e->content_type = strdup(NV_PAYLOAD_CONTENT_TYPE);
  nv_buf_append_str(&e->payload, "{}", NULL);
  nv_buf_append_str(&e->signature, "sig", NULL);
}

static void common_rules(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;
  nv_diag_init(&d);
  good_env(&e);
  assert_int_equal(nv_env_check_common(&e, &d), NV_OK);
  e.has_expiry = true;
  e.expiry = 1000; /* equal is not after */
  assert_int_equal(nv_env_check_common(&e, &d), NV_E_EXPIRY_NOT_AFTER_SIGNING_TIME);
  e.expiry = 1001;
  assert_int_equal(nv_env_check_common(&e, &d), NV_OK);
  e.has_signing_time = false;
  assert_int_equal(nv_env_check_common(&e, &d), NV_E_SIGNING_TIME_MISSING);
  e.scheme = NV_SCHEME_SIGNING_AUTHORITY;
  assert_int_equal(nv_env_check_common(&e, &d), NV_E_AUTHENTIC_SIGNING_TIME_MISSING);
  e.has_authentic_signing_time = true;
  e.authentic_signing_time = 2000; /* expiry 1001 is before it */
  assert_int_equal(nv_env_check_common(&e, &d), NV_E_EXPIRY_NOT_AFTER_SIGNING_TIME);
  e.has_expiry = false;
  assert_int_equal(nv_env_check_common(&e, &d), NV_OK);
  e.scheme = NV_SCHEME_NONE;
  assert_int_equal(nv_env_check_common(&e, &d), NV_E_SIGNING_SCHEME_UNSUPPORTED);
  nv_env_free(&e);

  good_env(&e);
  free(e.content_type);
  e.content_type = strdup("application/json");
  assert_int_equal(nv_env_check_common(&e, &d), NV_E_CONTENT_TYPE_UNSUPPORTED);
  free(e.content_type);
  e.content_type = NULL;
  assert_int_equal(nv_env_check_common(&e, &d), NV_E_CONTENT_TYPE_MISSING);
  nv_env_free(&e);

  good_env(&e);
  nv_buf_reset(&e.payload);
  assert_int_equal(nv_env_check_common(&e, &d), NV_E_PAYLOAD_EMPTY);
  nv_env_free(&e);
  good_env(&e);
  nv_buf_reset(&e.signature);
  assert_int_equal(nv_env_check_common(&e, &d), NV_E_SIGNATURE_EMPTY);
  nv_env_free(&e);
  nv_env_free(NULL);
}

static void add_helpers_enforce_limits(void **state)
{
  (void)state;
  nv_env e;
  nv_env_init(&e);
  for (int i = 0; i < NV_ENV_MAX_CHAIN; i++)
    assert_int_equal(nv_env_add_cert(&e, (const uint8_t *)"x", 1, NULL), NV_OK);
  assert_int_equal(nv_env_add_cert(&e, (const uint8_t *)"x", 1, NULL), NV_E_CHAIN_TOO_LONG);
  assert_int_equal(e.cert_count, NV_ENV_MAX_CHAIN);
  for (int i = 0; i < NV_ENV_MAX_HEADERS; i++) {
    assert_int_equal(nv_env_add_attr(&e, "k", false, false, "v", "\"v\"", NULL), NV_OK);
    assert_int_equal(nv_env_add_crit(&e, "k", NULL), NV_OK);
  }
  assert_int_equal(nv_env_add_attr(&e, "k", false, false, NULL, "1", NULL), NV_E_ENVELOPE_PARSE);
  assert_int_equal(nv_env_add_crit(&e, "k", NULL), NV_E_ENVELOPE_PARSE);
  assert_string_equal(e.attrs[0].value_json, "\"v\"");
  nv_env_free(&e);
  assert_int_equal(e.cert_count, 0);
  assert_int_equal(e.attr_count, 0);
}

static nv_status payload_of(const char *json, nv_descriptor *out, nv_diag *d)
{
  nv_env e;
  nv_env_init(&e);
  nv_buf_append_str(&e.payload, json, NULL);
  nv_status rc = nv_env_parse_payload(&e, out, d);
  nv_env_free(&e);
  return rc;
}

static void payload_target(void **state)
{
  (void)state;
  nv_descriptor t;
  nv_diag d;
  nv_diag_init(&d);
  static const char good[] =
    "{\"targetArtifact\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
    "\"digest\":\"sha256:73c803930ea3ba1e54bc25c2bdc53edd0284c62ed651fe7b00369da519a3c333\","
    "\"size\":16724,\"annotations\":{\"io.wabbit-networks.buildId\":\"123\"}},\"extra\":1}";
  assert_int_equal(payload_of(good, &t, &d), NV_OK);
  assert_int_equal(t.size, 16724);
  assert_string_equal(nv_descriptor_annotation(&t, "io.wabbit-networks.buildId"), "123");
  assert_null(nv_descriptor_annotation(&t, "missing"));
  nv_descriptor_free(&t);

  static const struct {
    const char *json;
    const char *word; /* the message must name it */
  } bad[] = {
    {"[]", "not a JSON object"},
    {"{}", "targetArtifact"},
    {"{\"targetArtifact\":[]}", "targetArtifact"},
    {"{\"targetArtifact\":{\"digest\":\"sha256:00\",\"size\":1}}", "mediaType"},
    {"{\"targetArtifact\":{\"mediaType\":\"a\",\"digest\":\"sha256:00\",\"size\":1}}", "digest"},
    {"{\"targetArtifact\":{\"mediaType\":\"a\",\"digest\":\"sha256:73c803930ea3ba1e54bc25c2bdc53edd0284c62ed651fe7b00369da519a3c333\",\"size\":1.5}}", "size"},
    {"{\"targetArtifact\":{\"mediaType\":\"a\",\"digest\":\"sha256:73c803930ea3ba1e54bc25c2bdc53edd0284c62ed651fe7b00369da519a3c333\",\"size\":-1}}", "size"},
    {"{\"targetArtifact\":{\"mediaType\":\"a\",\"digest\":\"sha256:73c803930ea3ba1e54bc25c2bdc53edd0284c62ed651fe7b00369da519a3c333\",\"size\":1,\"annotations\":{\"k\":1}}}", "k"},
    {"{\"targetArtifact\":{},\"targetArtifact\":{}}", "duplicate"},
    {"not json", "payload"},
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    nv_diag_init(&d);
    if (payload_of(bad[i].json, &t, &d) != NV_E_PAYLOAD_INVALID)
      fail_msg("payload %zu was not rejected as invalid: %s", i, d.msg);
    if (strstr(d.msg, bad[i].word) == NULL)
      fail_msg("payload %zu: message \"%s\" does not name \"%s\"", i, d.msg, bad[i].word);
    assert_null(t.digest);
  }
}

static nv_status gate_file(const char *rel, nv_diag *d)
{
  nv_env e;
  nv_status rc = decode_file(rel, NV_ENV_FORMAT_JWS, &e, NULL);
  assert_int_equal(rc, NV_OK);
  rc = nv_env_check_critical(&e, d);
  nv_env_free(&e);
  return rc;
}

static void plugin_gate_on_reference_envelopes(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(gate_file("notation-go/internal/mock/testdata/ca_valid_sig_env.json", &d), NV_OK);
  assert_int_equal(gate_file("notation-go/internal/mock/testdata/ca_plugin_sig_env.json", &d),
                   NV_E_PLUGIN_REQUIRED);
  assert_non_null(strstr(d.msg, "plugin-name"));
  assert_int_equal(gate_file("notation-go/internal/mock/testdata/sa_plugin_sig_env.json", &d),
                   NV_E_PLUGIN_REQUIRED);
  assert_int_equal(
    gate_file("notation-go/internal/mock/testdata/ca_compatible_pluginver_sig_env_1.0.0.json", &d),
    NV_E_PLUGIN_REQUIRED);
  assert_non_null(strstr(d.msg, "1.0.0"));
  /* a critical attribute nobody defines: notation-go would accept it */
  assert_int_equal(gate_file("notation-core-go/signature/jws/testdata/conformance.json", &d),
                   NV_E_UNKNOWN_CRITICAL_ATTRIBUTE);
  assert_non_null(strstr(d.msg, "signedCritKey1"));
}

static void plugin_gate_rules(void **state)
{
  (void)state;
  nv_env e;
  nv_diag d;
  nv_diag_init(&d);
  good_env(&e);
  assert_int_equal(nv_env_add_attr(&e, "notCritical", false, false, "x", "\"x\"", NULL), NV_OK);
  assert_int_equal(nv_env_check_critical(&e, &d), NV_OK); /* non-critical unknowns are fine */
  assert_int_equal(nv_env_add_attr(&e, NV_HDR_VERIFICATION_PLUGIN_MIN_VERSION, false, true,
                                   "1.0.0", "\"1.0.0\"", NULL),
                   NV_OK);
  /* a minimum version alone is an unknown critical attribute */
  assert_int_equal(nv_env_check_critical(&e, &d), NV_E_UNKNOWN_CRITICAL_ATTRIBUTE);
  nv_env_free(&e);

  static const struct {
    bool critical;
    const char *value; /* NULL: not a string */
    nv_status want;
  } plugin[] = {
    {false, "p", NV_E_PLUGIN_ATTR_NOT_CRITICAL},
    {true, NULL, NV_E_PLUGIN_ATTR_NOT_STRING},
    {true, "  ", NV_E_PLUGIN_ATTR_EMPTY},
    {true, "com.example.plugin", NV_E_PLUGIN_REQUIRED},
  };
  for (size_t i = 0; i < sizeof(plugin) / sizeof(plugin[0]); i++) {
    good_env(&e);
    assert_int_equal(nv_env_add_attr(&e, NV_HDR_VERIFICATION_PLUGIN, false, plugin[i].critical,
                                     plugin[i].value, "0", NULL),
                     NV_OK);
    assert_int_equal(nv_env_check_critical(&e, &d), plugin[i].want);
    nv_env_free(&e);
  }
  /* plugin with a malformed minimum version */
  good_env(&e);
  assert_int_equal(nv_env_add_attr(&e, NV_HDR_VERIFICATION_PLUGIN, false, true, "p", "\"p\"", NULL),
                   NV_OK);
  assert_int_equal(nv_env_add_attr(&e, NV_HDR_VERIFICATION_PLUGIN_MIN_VERSION, false, true,
                                   "v1.0", "\"v1.0\"", NULL),
                   NV_OK);
  assert_int_equal(nv_env_check_critical(&e, &d), NV_E_PLUGIN_MIN_VERSION_INVALID);
  nv_env_free(&e);
}

static void scheme_names(void **state)
{
  (void)state;
  assert_int_equal(nv_env_scheme_from_name("notary.x509"), NV_SCHEME_X509);
  assert_int_equal(nv_env_scheme_from_name("notary.x509.signingAuthority"),
                   NV_SCHEME_SIGNING_AUTHORITY);
  assert_int_equal(nv_env_scheme_from_name("notary.X509"), NV_SCHEME_NONE);
  assert_int_equal(nv_env_scheme_from_name(NULL), NV_SCHEME_NONE);
  assert_string_equal(nv_env_scheme_name(NV_SCHEME_SIGNING_AUTHORITY),
                      "notary.x509.signingAuthority");
  assert_null(nv_env_scheme_name(NV_SCHEME_NONE));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(size_limit_before_reading),
    cmocka_unit_test(both_formats_decode_to_one_form),
    cmocka_unit_test(common_rules),
    cmocka_unit_test(add_helpers_enforce_limits),
    cmocka_unit_test(payload_target),
    cmocka_unit_test(plugin_gate_on_reference_envelopes),
    cmocka_unit_test(plugin_gate_rules),
    cmocka_unit_test(scheme_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
