/*
 * nv_verify on registry references and the registry settings, through
 * the public API only (<notaryc.h> and the shared library): a registry
 * made of the demo layouts' files (tools/demo, signed by notation-go)
 * answers through nv_registry_set_fetch_cb, written with the public
 * nv_http_* accessors as an embedder would.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <notaryc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEMO NV_DEMO_DIR
#define T_NOW INT64_C(1798761600) /* 2027-01-01: the demo certificates are valid */
#define ART_HEX "f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268"
#define ART_DIGEST "sha256:" ART_HEX
#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_INDEX "application/vnd.oci.image.index.v1+json"
#define V2 "https://example.local/v2/notaryc-demo"
#define REF_TAG "example.local/notaryc-demo:v1"
#define REF_DIGEST "example.local/notaryc-demo@" ART_DIGEST
#define PASSWORD "pa55-w0rd-s3cret"

/* ---- a registry made of a demo layout ---- */

typedef struct file_route {
  const char *path; /* after V2 */
  const char *hex;  /* blob file */
  const char *media_type;
} file_route;

typedef struct demo_registry {
  const char *layout;
  file_route routes[6];
} demo_registry;

static const demo_registry demo_jws = {
  DEMO "/layout-jws",
  {{"/manifests/v1", ART_HEX, MT_MANIFEST},
   {"/manifests/" ART_DIGEST, ART_HEX, MT_MANIFEST},
   {"/manifests/sha256-" ART_HEX, "ad81a2edd30e7aa6ca776073ea20f46c8ffe7cc0978c9b865ba088a4af2b930c",
    MT_INDEX},
   {"/manifests/sha256:f373032ea65f525bf6805652470b63619c2d8de3f4a70ed2c1d43fd77fc9e86b",
    "f373032ea65f525bf6805652470b63619c2d8de3f4a70ed2c1d43fd77fc9e86b", MT_MANIFEST},
   {"/blobs/sha256:e366265c6b5c733e43642db6b1371b59227f0d3796fc066a9ec06c90fb955502",
    "e366265c6b5c733e43642db6b1371b59227f0d3796fc066a9ec06c90fb955502",
    "application/octet-stream"},
   {NULL, NULL, NULL}}};

static const demo_registry demo_cose = {
  DEMO "/layout-cose",
  {{"/manifests/v1", ART_HEX, MT_MANIFEST},
   {"/manifests/" ART_DIGEST, ART_HEX, MT_MANIFEST},
   {"/manifests/sha256-" ART_HEX, "0a01fa3d0f96bc6985c3064e80fc02e4a296e1e8e1881b98a19e89df633d21b0",
    MT_INDEX},
   {"/manifests/sha256:aca947b9dae6579529c49cdd4b64e2a268592fdbebf20fee36ba5a8c3860eeba",
    "aca947b9dae6579529c49cdd4b64e2a268592fdbebf20fee36ba5a8c3860eeba", MT_MANIFEST},
   {"/blobs/sha256:897cd608e8dcd4949a6009b8791892cea439b13ac7a8097e4459a8ce74fd5b25",
    "897cd608e8dcd4949a6009b8791892cea439b13ac7a8097e4459a8ce74fd5b25",
    "application/octet-stream"},
   {NULL, NULL, NULL}}};

/* An answer that replaces the layout's for one URL. */
typedef struct override {
  const char *url;
  int32_t status;
  const char *content_type;
  const char *body;
  const char *challenge;  /* WWW-Authenticate, with status 401 */
  const char *need_auth;  /* answer only to this Authorization, else 401 + challenge */
} override;

typedef struct fx {
  nv_ctx *ctx;
  nv_trust_policy *policy;
  nv_truststore *store;
  nv_verify_opts *opts;
  nv_result *result;
  const demo_registry *reg;
  override overrides[8];
  size_t override_count;
  nv_status fail; /* returned for every request when not NV_OK */
  int requests;
  char urls[64][300];
  char auths[64][200];
  char logs[32768];
  size_t logs_len;
} fx;

static const char *request_header(const nv_http_request *req, const char *name)
{
  size_t n = nv_http_request_header_count(req);
  for (size_t i = 0; i < n; i++) {
    const char *k = NULL, *v = NULL;
    assert_int_equal(nv_http_request_header(req, i, &k, &v), NV_OK);
    if (strcasecmp(k, name) == 0)
      return v;
  }
  const char *k = (const char *)1, *v = (const char *)1;
  assert_int_equal(nv_http_request_header(req, n, &k, &v), NV_E_NOT_FOUND);
  assert_null(k);
  assert_null(v);
  return NULL;
}

static nv_status serve(const nv_http_request *req, nv_http_response *resp, void *user)
{
  fx *f = user;
  const char *url = nv_http_request_url(req);
  const char *auth = request_header(req, "Authorization");
  assert_string_equal(nv_http_request_method(req), "GET");
  assert_non_null(request_header(req, "Accept"));
  assert_true(nv_http_request_timeout_ms(req) >= 1);
  size_t blen = 99;
  assert_null(nv_http_request_body(req, &blen));
  assert_int_equal(blen, 0);
  if (f->requests < 64) {
    snprintf(f->urls[f->requests], sizeof(f->urls[0]), "%s", url);
    snprintf(f->auths[f->requests], sizeof(f->auths[0]), "%s", auth != NULL ? auth : "");
  }
  f->requests++;
  if (f->fail != NV_OK)
    return f->fail;
  for (size_t i = f->override_count; i-- > 0;) {
    const override *o = &f->overrides[i];
    if (strcmp(o->url, url) != 0)
      continue;
    if (o->need_auth != NULL && (auth == NULL || strcmp(auth, o->need_auth) != 0)) {
      assert_int_equal(nv_http_response_set_status(resp, 401), NV_OK);
      return nv_http_response_add_header(resp, "WWW-Authenticate", o->challenge);
    }
    if (o->need_auth != NULL)
      break; /* authenticated: the layout answers */
    assert_int_equal(nv_http_response_set_status(resp, o->status), NV_OK);
    if (o->content_type != NULL)
      assert_int_equal(nv_http_response_add_header(resp, "Content-Type", o->content_type), NV_OK);
    if (o->challenge != NULL)
      assert_int_equal(nv_http_response_add_header(resp, "WWW-Authenticate", o->challenge),
                       NV_OK);
    return nv_http_response_append_body(resp, (const uint8_t *)o->body, strlen(o->body));
  }
  for (const file_route *r = f->reg->routes; r->path != NULL; r++) {
    char full[300];
    snprintf(full, sizeof(full), V2 "%s", r->path);
    if (strcmp(full, url) != 0)
      continue;
    char path[512];
    snprintf(path, sizeof(path), "%s/blobs/sha256/%s", f->reg->layout, r->hex);
    bytes b = slurp_path(path);
    assert_true(b.len <= nv_http_request_max_bytes(req));
    assert_int_equal(nv_http_response_set_status(resp, 200), NV_OK);
    assert_int_equal(nv_http_response_add_header(resp, "Content-Type", r->media_type), NV_OK);
    nv_status rc = nv_http_response_append_body(resp, b.data, b.len);
    bytes_free(&b);
    return rc;
  }
  assert_int_equal(nv_http_response_set_status(resp, 404), NV_OK);
  assert_int_equal(nv_http_response_add_header(resp, "Content-Type", "text/plain"), NV_OK);
  return nv_http_response_append_body(resp, (const uint8_t *)"404 page not found", 18);
}

static void add_override(fx *f, override o)
{
  assert_true(f->override_count < 8);
  f->overrides[f->override_count++] = o;
}

static void log_cb(nv_log_level level, const char *component, const char *msg, void *user)
{
  (void)level;
  (void)component;
  fx *f = user;
  int n = snprintf(f->logs + f->logs_len, sizeof(f->logs) - f->logs_len, "%s\n", msg);
  if (n > 0 && f->logs_len + (size_t)n < sizeof(f->logs))
    f->logs_len += (size_t)n;
}

static int setup(void **state)
{
  fx *f = calloc(1, sizeof(*f));
  if (f == NULL || nv_global_init(NV_INIT_DEFAULT) != NV_OK || nv_ctx_new(&f->ctx) != NV_OK ||
      nv_truststore_new(f->ctx, &f->store) != NV_OK ||
      nv_truststore_load_named(f->ctx, f->store, DEMO "/truststore", NV_STORE_CA,
                               "bench-rsa3072") != NV_OK ||
      nv_trust_policy_load(f->ctx, NV_POLICY_OCI, DEMO "/trustpolicy.json", &f->policy) != NV_OK ||
      nv_verify_opts_new(&f->opts) != NV_OK || nv_verify_opts_set_time(f->opts, T_NOW) != NV_OK ||
      nv_registry_set_fetch_cb(f->ctx, serve, f) != NV_OK ||
      nv_ctx_set_log_cb(f->ctx, log_cb, NV_LOG_DEBUG, f) != NV_OK)
    return -1;
  f->reg = &demo_jws;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  nv_result_free(f->result);
  nv_verify_opts_free(f->opts);
  nv_truststore_free(f->store);
  nv_trust_policy_free(f->policy);
  nv_ctx_free(f->ctx);
  nv_global_cleanup();
  free(f);
  return 0;
}

static nv_status verify(fx *f, const char *reference)
{
  nv_result_free(f->result);
  f->result = NULL;
  f->requests = 0;
  return nv_verify(f->ctx, f->policy, f->store, reference, f->opts, &f->result);
}

static bool has_warning(const nv_result *r, const char *part)
{
  for (size_t i = 0; i < nv_result_warning_count(r); i++)
    if (strstr(nv_result_warning(r, i), part) != NULL)
      return true;
  return false;
}

/* ---- verification ---- */

static void verify_tag_and_digest(void **state)
{
  fx *f = *state;
  assert_int_equal(verify(f, REF_TAG), NV_OK);
  assert_string_equal(nv_result_digest(f->result), ART_DIGEST);
  assert_int_equal(nv_result_signature_count(f->result), 1);
  assert_true(has_warning(f->result, "tags are mutable"));
  /* the manifest, the Referrers API (404), the tag schema index, the
   * signature manifest, the envelope */
  assert_int_equal(f->requests, 5);
  assert_string_equal(f->urls[0], V2 "/manifests/v1");
  assert_string_equal(f->urls[1], V2 "/referrers/" ART_DIGEST
                                  "?artifactType=application%2Fvnd.cncf.notary.signature");
  assert_string_equal(f->urls[2], V2 "/manifests/sha256-" ART_HEX);
  assert_non_null(strstr(f->logs, "does not serve it"));
  assert_non_null(strstr(f->logs, "5 HTTP request(s)"));
  /* the context remembers: no Referrers API request the second time */
  assert_int_equal(verify(f, REF_DIGEST), NV_OK);
  assert_false(has_warning(f->result, "tags are mutable"));
  assert_int_equal(f->requests, 4);
  /* COSE */
  f->reg = &demo_cose;
  assert_int_equal(verify(f, REF_DIGEST), NV_OK);
  const nv_signature *s = nv_result_verified_signature(f->result);
  assert_non_null(s);
  assert_string_equal(nv_signature_media_type(s), "application/cose");
}

static void verify_failures(void **state)
{
  fx *f = *state;
  /* CVE-2023-33959: a digest answered with other content */
  add_override(f, (override){V2 "/manifests/" ART_DIGEST, 200, MT_MANIFEST, "{}", NULL, NULL});
  assert_int_equal(verify(f, REF_DIGEST), NV_E_RESOLVED_DIGEST_MISMATCH);
  assert_non_null(f->result);
  assert_int_equal(nv_result_status(f->result), NV_E_RESOLVED_DIGEST_MISMATCH);
  assert_int_equal(nv_result_signature_count(f->result), 0);
  f->override_count = 0;
  /* no signatures */
  add_override(f, (override){V2 "/manifests/sha256-" ART_HEX, 404, "application/json",
                             "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}", NULL, NULL});
  assert_int_equal(verify(f, REF_DIGEST), NV_E_NO_SIGNATURES);
  f->override_count = 0;
  /* not found */
  assert_int_equal(verify(f, "example.local/notaryc-demo:v2"), NV_E_ARTIFACT_NOT_FOUND);
  /* the transport fails: verification stops with that status */
  f->fail = NV_E_TIMEOUT;
  assert_int_equal(verify(f, REF_DIGEST), NV_E_TIMEOUT);
  assert_int_equal(nv_result_status(f->result), NV_E_TIMEOUT);
  f->fail = NV_E_IO;
  assert_int_equal(verify(f, REF_DIGEST), NV_E_CALLBACK);
  f->fail = NV_OK;
  /* a short name: refused before any request */
  assert_int_equal(verify(f, "notaryc-demo:v1"), NV_E_REFERENCE_INVALID);
  assert_non_null(strstr(nv_ctx_last_error(f->ctx), "Docker Hub short names"));
  assert_int_equal(f->requests, 0);
  /* a scope no statement covers: no request either */
  assert_int_equal(verify(f, "other.example/app:v1"), NV_E_NO_APPLICABLE_POLICY);
  assert_int_equal(f->requests, 0);
  assert_non_null(strstr(nv_ctx_last_error(f->ctx), "repository \"other.example/app\""));
}

static void junk_signature_then_valid(void **state)
{
  fx *f = *state;
  /* the Referrers API lists a signature manifest that is not there, then
   * the real one: the first is recorded as failed, the second passes */
  static const char page[] =
      "{\"schemaVersion\":2,\"mediaType\":\"" MT_INDEX "\",\"manifests\":["
      "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"sha256:"
      "0000000000000000000000000000000000000000000000000000000000000001\",\"size\":10,"
      "\"artifactType\":\"application/vnd.cncf.notary.signature\"},"
      "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"sha256:"
      "f373032ea65f525bf6805652470b63619c2d8de3f4a70ed2c1d43fd77fc9e86b\",\"size\":862,"
      "\"artifactType\":\"application/vnd.cncf.notary.signature\"}]}";
  add_override(f, (override){V2 "/referrers/" ART_DIGEST
                                "?artifactType=application%2Fvnd.cncf.notary.signature",
                             200, MT_INDEX, page, NULL, NULL});
  assert_int_equal(verify(f, REF_DIGEST), NV_OK);
  assert_int_equal(nv_result_signature_count(f->result), 2);
  assert_int_equal(nv_signature_status(nv_result_signature(f->result, 0)), NV_E_SIG_FETCH_FAILED);
  assert_int_equal(nv_signature_status(nv_result_signature(f->result, 1)), NV_OK);
  assert_int_equal(f->requests, 5); /* manifest, page, junk, manifest, envelope */
  /* with one attempt only, the junk one uses it up */
  assert_int_equal(nv_verify_opts_set_max_signatures(f->opts, 1), NV_OK);
  assert_int_equal(verify(f, REF_DIGEST), NV_E_MAX_SIGNATURE_ATTEMPTS);
}

static void authenticated(void **state)
{
  fx *f = *state;
  /* Basic authentication on every URL */
  static const char *const urls[] = {V2 "/manifests/" ART_DIGEST, V2 "/manifests/sha256-" ART_HEX,
                                     V2 "/manifests/sha256:f373032ea65f525bf6805652470b63619c2d8de3f4a70ed2c1d43fd77fc9e86b",
                                     V2 "/blobs/sha256:e366265c6b5c733e43642db6b1371b59227f0d3796fc066a9ec06c90fb955502"};
  for (size_t i = 0; i < 4; i++)
    add_override(f, (override){urls[i], 0, NULL, NULL, "Basic realm=\"demo\"",
                               "Basic YWxpY2U6cGE1NS13MHJkLXMzY3JldA=="});
  assert_int_equal(nv_registry_set_referrers_mode(f->ctx, NV_REFERRERS_TAG_ONLY), NV_OK);
  assert_int_equal(verify(f, REF_DIGEST), NV_E_REGISTRY_AUTH);
  assert_non_null(strstr(nv_ctx_last_error(f->ctx), "requires a username and password"));
  assert_int_equal(nv_registry_set_basic_auth(f->ctx, "example.local", "alice", PASSWORD), NV_OK);
  assert_int_equal(verify(f, REF_DIGEST), NV_OK);
  /* 401 once, then Basic with every request */
  assert_int_equal(f->requests, 5);
  assert_string_equal(f->auths[0], "");
  assert_string_equal(f->auths[4], "Basic YWxpY2U6cGE1NS13MHJkLXMzY3JldA==");
  assert_int_equal(verify(f, REF_DIGEST), NV_OK);
  assert_int_equal(f->requests, 4);
  /* removed: refused again */
  assert_int_equal(nv_registry_set_basic_auth(f->ctx, "example.local", NULL, NULL), NV_OK);
  assert_int_equal(verify(f, REF_DIGEST), NV_E_REGISTRY_AUTH);
  /* secrets never reach a message, a log line or a result */
  char *json = NULL;
  assert_int_equal(nv_result_to_json(f->result, &json, NULL), NV_OK);
  assert_null(strstr(json, PASSWORD));
  nv_free(json);
  assert_null(strstr(f->logs, PASSWORD));
  assert_null(strstr(f->logs, "YWxpY2U6cGE1NS13MHJkLXMzY3JldA"));
}

static nv_status give_creds(nv_credential *cred, const char *registry, void *user)
{
  int *calls = user;
  (*calls)++;
  assert_string_equal(registry, "example.local");
  assert_int_equal(nv_credential_set_basic(cred, "al:ice", "x"), NV_E_INVALID_ARG);
  assert_int_equal(nv_credential_set_basic(NULL, "alice", "x"), NV_E_INVALID_ARG);
  assert_int_equal(nv_credential_set_identity_token(cred, ""), NV_E_INVALID_ARG);
  assert_int_equal(nv_credential_set_access_token(cred, "a\tb"), NV_E_INVALID_ARG);
  return nv_credential_set_basic(cred, "alice", PASSWORD);
}

static void credential_callback(void **state)
{
  fx *f = *state;
  add_override(f, (override){V2 "/manifests/" ART_DIGEST, 0, NULL, NULL, "Basic realm=\"demo\"",
                             "Basic YWxpY2U6cGE1NS13MHJkLXMzY3JldA=="});
  int calls = 0;
  assert_int_equal(nv_registry_set_credential_cb(f->ctx, give_creds, &calls), NV_OK);
  assert_int_equal(verify(f, REF_DIGEST), NV_OK);
  assert_int_equal(calls, 1);
  assert_int_equal(nv_registry_set_credential_cb(f->ctx, NULL, NULL), NV_OK);
  assert_int_equal(verify(f, REF_DIGEST), NV_E_REGISTRY_AUTH);
  assert_int_equal(calls, 1);
}

static void skip_level_needs_no_registry(void **state)
{
  fx *f = *state;
  static const char skip[] =
      "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"s\",\"registryScopes\":[\"*\"],"
      "\"signatureVerification\":{\"level\":\"skip\"},\"trustStores\":[],"
      "\"trustedIdentities\":[]}]}";
  nv_trust_policy *p = NULL;
  assert_int_equal(nv_trust_policy_parse(f->ctx, NV_POLICY_OCI, (const uint8_t *)skip,
                                         strlen(skip), &p),
                   NV_OK);
  f->requests = 0;
  assert_int_equal(nv_verify(f->ctx, p, f->store, REF_TAG, f->opts, &f->result), NV_E_SKIPPED);
  assert_int_equal(f->requests, 0);
  nv_trust_policy_free(p);
}

/* ---- settings ---- */

static void setters(void **state)
{
  fx *f = *state;
  nv_ctx *c = f->ctx;
  assert_int_equal(nv_registry_set_plain_http(NULL, NULL, 1), NV_E_INVALID_ARG);
  assert_int_equal(nv_registry_set_plain_http(c, NULL, 2), NV_E_INVALID_ARG);
  assert_non_null(strstr(nv_ctx_last_error(c), "enable must be 0 or 1"));
  assert_int_equal(nv_registry_set_plain_http(c, "a/b", 1), NV_E_INVALID_ARG);
  assert_non_null(strstr(nv_ctx_last_error(c), "not a registry name"));
  assert_int_equal(nv_registry_set_plain_http(c, "localhost:5000", 1), NV_OK);
  assert_string_equal(nv_ctx_last_error(c), "");
  assert_int_equal(nv_registry_set_insecure_skip_tls_verify(c, NULL, -1), NV_E_INVALID_ARG);
  assert_int_equal(nv_registry_set_insecure_skip_tls_verify(c, "[::1]:5443", 1), NV_OK);
  assert_int_equal(nv_registry_set_ca_file(c, ""), NV_E_INVALID_ARG);
  assert_int_equal(nv_registry_set_ca_file(c, "/etc/ssl/certs/ca-certificates.crt"), NV_OK);
  assert_int_equal(nv_registry_set_ca_file(c, NULL), NV_OK);
  assert_int_equal(nv_registry_set_proxy(c, "http://proxy.example:3128"), NV_OK);
  assert_int_equal(nv_registry_set_proxy(c, ""), NV_OK);
  assert_int_equal(nv_registry_set_proxy(c, "\x01"), NV_E_INVALID_ARG);
  assert_int_equal(nv_registry_set_proxy(c, NULL), NV_OK);
  assert_int_equal(nv_registry_set_timeout_ms(c, 0), NV_E_INVALID_ARG);
  assert_int_equal(nv_registry_set_timeout_ms(c, 3600001), NV_E_INVALID_ARG);
  assert_int_equal(nv_registry_set_timeout_ms(c, 5000), NV_OK);
  assert_int_equal(nv_registry_set_user_agent(c, "ratify/1.0"), NV_OK);
  assert_int_equal(nv_registry_set_user_agent(c, "\xc3\xa9"), NV_E_INVALID_ARG);
  assert_int_equal(nv_registry_set_user_agent(c, NULL), NV_OK);
  assert_int_equal(nv_registry_set_basic_auth(c, NULL, "u", "p"), NV_E_INVALID_ARG);
  assert_non_null(strstr(nv_ctx_last_error(c), "never given to every registry"));
  assert_int_equal(nv_registry_set_basic_auth(c, "r.example", "u:x", "p"), NV_E_INVALID_ARG);
  assert_null(strstr(nv_ctx_last_error(c), "p\""));
  assert_int_equal(nv_registry_set_basic_auth(c, "r.example", "u", ""), NV_E_INVALID_ARG);
  assert_int_equal(nv_registry_set_identity_token(c, "r.example", "tok"), NV_OK);
  assert_int_equal(nv_registry_set_identity_token(c, "r.example", NULL), NV_OK);
  assert_int_equal(nv_registry_set_access_token(c, "r.example", "tok"), NV_OK);
  assert_int_equal(nv_registry_set_access_token(c, "bad name", "tok"), NV_E_INVALID_ARG);
  assert_int_equal(nv_registry_set_access_token(c, "r.example", NULL), NV_OK);
  assert_int_equal(nv_registry_set_docker_config(c, NV_REGISTRY_DOCKER_CONFIG_DEFAULT), NV_OK);
  assert_int_equal(nv_registry_set_docker_config(c, NULL), NV_OK);
  assert_int_equal(nv_registry_set_referrers_mode(c, 3), NV_E_INVALID_ARG);
  assert_int_equal(nv_registry_set_referrers_mode(c, NV_REFERRERS_API_ONLY), NV_OK);
  assert_int_equal(nv_registry_set_credential_cb(NULL, NULL, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_registry_set_fetch_cb(NULL, NULL, NULL), NV_E_INVALID_ARG);
  /* accessors on NULL */
  assert_null(nv_http_request_method(NULL));
  assert_null(nv_http_request_url(NULL));
  assert_int_equal(nv_http_request_header_count(NULL), 0);
  const char *k, *v;
  assert_int_equal(nv_http_request_header(NULL, 0, &k, &v), NV_E_INVALID_ARG);
  size_t len = 5;
  assert_null(nv_http_request_body(NULL, &len));
  assert_int_equal(len, 0);
  assert_int_equal(nv_http_request_max_bytes(NULL), 0);
  assert_int_equal(nv_http_request_timeout_ms(NULL), 0);
  assert_int_equal(nv_http_response_set_status(NULL, 200), NV_E_INVALID_ARG);
  assert_int_equal(nv_http_response_add_header(NULL, "a", "b"), NV_E_INVALID_ARG);
  assert_int_equal(nv_http_response_append_body(NULL, NULL, 0), NV_E_INVALID_ARG);
  /* API only: this registry does not serve it */
  assert_int_equal(verify(f, REF_DIGEST), NV_E_REFERRERS_LIST_FAILED);
}

/* A callback that answers too much, or nothing. */
static nv_status oversized(const nv_http_request *req, nv_http_response *resp, void *user)
{
  (void)user;
  assert_int_equal(nv_http_response_set_status(resp, 200), NV_OK);
  char len[32];
  snprintf(len, sizeof(len), "%llu", (unsigned long long)nv_http_request_max_bytes(req) + 1);
  return nv_http_response_add_header(resp, "Content-Length", len);
}

static void callback_bounds(void **state)
{
  fx *f = *state;
  assert_int_equal(nv_registry_set_fetch_cb(f->ctx, oversized, NULL), NV_OK);
  assert_int_equal(verify(f, REF_DIGEST), NV_E_CONTENT_TOO_LARGE);
  /* NV_PASSTHROUGH falls back to libcurl: nothing listens there */
  assert_int_equal(nv_registry_set_fetch_cb(f->ctx, NULL, NULL), NV_OK);
  assert_int_equal(nv_registry_set_plain_http(f->ctx, "127.0.0.1:1", 1), NV_OK);
  assert_int_equal(nv_registry_set_timeout_ms(f->ctx, 2000), NV_OK);
  static const char any[] =
      "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"a\",\"registryScopes\":[\"*\"],"
      "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:bench-rsa3072\"],"
      "\"trustedIdentities\":[\"*\"]}]}";
  nv_trust_policy *p = NULL;
  assert_int_equal(nv_trust_policy_parse(f->ctx, NV_POLICY_OCI, (const uint8_t *)any,
                                         strlen(any), &p),
                   NV_OK);
  nv_result_free(f->result);
  f->result = NULL;
  assert_int_equal(nv_verify(f->ctx, p, f->store, "127.0.0.1:1/app:v1", f->opts, &f->result),
                   NV_E_NETWORK);
  nv_trust_policy_free(p);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
    T(verify_tag_and_digest),
    T(verify_failures),
    T(junk_signature_then_valid),
    T(authenticated),
    T(credential_callback),
    T(skip_level_needs_no_registry),
    T(setters),
    T(callback_bounds),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
