/*
 * The remote registry source and the client under it, without a network:
 * a fake registry answers through the fetch override callback (routes by
 * method and URL, an optional Authorization a route demands, a log of
 * every request). Covers resolve (CVE-2023-33959), discovery (Referrers
 * API, tag schema fallback and the decisions between them, pagination
 * bounds, filtering, what is remembered), fetch limits and digests,
 * authentication (Basic, Bearer tokens, token cache and expiry,
 * credentials never leaving their origin or showing in messages),
 * redirects and time-outs (registry layer).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_digest.h"
#include "base/nv_limits.h"
#include "registry/nv_reg_client.h"
#include "registry/nv_reg_source.h"

#define DEMO_BLOBS NV_DEMO_DIR "/layout-jws/blobs/sha256/"
#define ART_HEX "f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268"
#define ART_DIGEST "sha256:" ART_HEX
#define SIG_HEX "f373032ea65f525bf6805652470b63619c2d8de3f4a70ed2c1d43fd77fc9e86b"
#define SIG_DIGEST "sha256:" SIG_HEX
#define JWS_HEX "e366265c6b5c733e43642db6b1371b59227f0d3796fc066a9ec06c90fb955502"
#define JWS_DIGEST "sha256:" JWS_HEX
#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_INDEX "application/vnd.oci.image.index.v1+json"
#define AT_SIG "application/vnd.cncf.notary.signature"

#define ORIGIN "https://reg.example"
#define V2 ORIGIN "/v2/app"
#define URL_V1 V2 "/manifests/v1"
#define URL_ART V2 "/manifests/" ART_DIGEST
#define URL_REFERRERS V2 "/referrers/" ART_DIGEST "?artifactType=application%2Fvnd.cncf.notary.signature"
#define URL_TAG V2 "/manifests/sha256-" ART_HEX
#define URL_SIG V2 "/manifests/" SIG_DIGEST
#define URL_BLOB V2 "/blobs/" JWS_DIGEST
#define TOKEN_URL "https://auth.example/token?service=reg.example&scope=repository%3Aapp%3Apull"
#define CHALLENGE "Bearer realm=\"https://auth.example/token\",service=\"reg.example\"," \
                  "scope=\"repository:app:pull\""
#define PASSWORD "hunter2-s3cret"
/* base64("alice:hunter2-s3cret") */
#define BASIC "Basic YWxpY2U6aHVudGVyMi1zM2NyZXQ="

/* ---- the fake registry ---- */

#define MAX_ROUTES 128
#define MAX_LOG 512

typedef struct route {
  const char *method;
  char url[600];
  int32_t status;
  const char *headers[8];
  size_t header_count;
  const void *body;
  size_t body_len;
  const char *need_auth; /* without exactly this Authorization: 401 */
  const char *challenge; /* the WWW-Authenticate of that 401; NULL: none */
  int hits;
} route;

typedef struct logged {
  char method[8];
  char url[600];
  char auth[256];
  char accept[300];
  char body[600];
} logged;

typedef struct fake {
  route routes[MAX_ROUTES];
  size_t route_count;
  logged log[MAX_LOG];
  size_t log_count;
  nv_status fail; /* every request fails so, when not NV_OK */
} fake;

static route *add_route(fake *f, const char *method, const char *url, int32_t status,
                        const void *body, size_t len)
{
  assert_true(f->route_count < MAX_ROUTES);
  route *r = &f->routes[f->route_count++];
  memset(r, 0, sizeof(*r));
  r->method = method;
  snprintf(r->url, sizeof(r->url), "%s", url);
  r->status = status;
  r->body = body;
  r->body_len = len;
  return r;
}

static route *add_text(fake *f, const char *url, int32_t status, const char *body,
                       const char *content_type)
{
  route *r = add_route(f, "GET", url, status, body, body != NULL ? strlen(body) : 0);
  if (content_type != NULL)
    r->headers[r->header_count++] = content_type;
  return r;
}

static void copy_header(const nv_http_request *req, const char *name, char *out, size_t size)
{
  const char *v = nv_reg_http_request_header(req, name);
  snprintf(out, size, "%s", v != NULL ? v : "");
}

static nv_status fake_cb(const nv_http_request *req, nv_http_response *resp, void *user)
{
  fake *f = user;
  assert_true(f->log_count < MAX_LOG);
  logged *l = &f->log[f->log_count++];
  snprintf(l->method, sizeof(l->method), "%s", req->method);
  snprintf(l->url, sizeof(l->url), "%s", req->url);
  copy_header(req, "Authorization", l->auth, sizeof(l->auth));
  copy_header(req, "Accept", l->accept, sizeof(l->accept));
  snprintf(l->body, sizeof(l->body), "%.*s", (int)req->body_len,
           req->body != NULL ? (const char *)req->body : "");
  assert_non_null(nv_reg_http_request_header(req, "User-Agent"));
  assert_true(req->timeout_ms >= 1);
  if (f->fail != NV_OK)
    return f->fail;
  route *r = NULL;
  for (size_t i = f->route_count; i-- > 0;)
    if (strcmp(f->routes[i].method, req->method) == 0 && strcmp(f->routes[i].url, req->url) == 0) {
      r = &f->routes[i];
      break;
    }
  if (r == NULL) {
    assert_int_equal(nv_reg_http_response_set_status(resp, 404), NV_OK);
    assert_int_equal(nv_reg_http_response_add_header(resp, "Content-Type", 12, "text/plain", 10),
                     NV_OK);
    return nv_reg_http_response_append_body(resp, "404 page not found", 18);
  }
  r->hits++;
  if (r->need_auth != NULL && strcmp(l->auth, r->need_auth) != 0) {
    assert_int_equal(nv_reg_http_response_set_status(resp, 401), NV_OK);
    if (r->challenge != NULL)
      assert_int_equal(nv_reg_http_response_add_header(resp, "WWW-Authenticate", 16,
                                                       r->challenge, strlen(r->challenge)),
                       NV_OK);
    const char *e = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}";
    return nv_reg_http_response_append_body(resp, e, strlen(e));
  }
  assert_int_equal(nv_reg_http_response_set_status(resp, r->status), NV_OK);
  for (size_t i = 0; i < r->header_count; i++) {
    const char *h = r->headers[i];
    const char *colon = strchr(h, ':');
    assert_non_null(colon);
    const char *v = colon + 1;
    while (*v == ' ')
      v++;
    nv_status rc = nv_reg_http_response_add_header(resp, h, (size_t)(colon - h), v, strlen(v));
    if (rc != NV_OK)
      return rc;
  }
  return nv_reg_http_response_append_body(resp, r->body, r->body_len);
}

static size_t count_requests(const fake *f, const char *url)
{
  size_t n = 0;
  for (size_t i = 0; i < f->log_count; i++)
    if (strcmp(f->log[i].url, url) == 0)
      n++;
  return n;
}

/* ---- fixture ---- */

typedef struct fx {
  fake fake;
  nv_reg_client *client;
  nv_diag d;
  bytes art, sig, jws, idx;
  char logs[16384];
  size_t logs_len;
} fx;

static bytes read_blob(const char *hex)
{
  char path[512];
  snprintf(path, sizeof(path), "%s%s", DEMO_BLOBS, hex);
  return slurp_path(path);
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

static int64_t fake_now = 1000000;
static int64_t fake_clock(void)
{
  return fake_now;
}

static int setup(void **state)
{
  fx *f = calloc(1, sizeof(*f));
  assert_non_null(f);
  assert_int_equal(nv_reg_client_new(&f->client, NULL), NV_OK);
  nv_reg_client_set_fetch_cb(f->client, fake_cb, &f->fake);
  nv_diag_init(&f->d);
  f->d.log_cb = log_cb;
  f->d.log_max = NV_LOG_DEBUG;
  f->d.log_user_data = f;
  f->art = read_blob(ART_HEX);
  f->sig = read_blob(SIG_HEX);
  f->jws = read_blob(JWS_HEX);
  f->idx = read_blob("ad81a2edd30e7aa6ca776073ea20f46c8ffe7cc0978c9b865ba088a4af2b930c");
  fake_now = 1000000;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  nv_reg_client_free(f->client);
  free(f->art.data);
  free(f->sig.data);
  free(f->jws.data);
  free(f->idx.data);
  free(f);
  return 0;
}

/* Routes of a healthy registry without the Referrers API: the artifact by
 * tag and digest, its signature manifest and envelope, the tag index. */
static void serve_demo(fx *f)
{
  static const char *ct_manifest = "Content-Type: " MT_MANIFEST;
  static const char *ct_index = "Content-Type: " MT_INDEX;
  static const char *dcd = "Docker-Content-Digest: " ART_DIGEST;
  route *r = add_route(&f->fake, "GET", URL_V1, 200, f->art.data, f->art.len);
  r->headers[r->header_count++] = ct_manifest;
  r->headers[r->header_count++] = dcd;
  r = add_route(&f->fake, "GET", URL_ART, 200, f->art.data, f->art.len);
  r->headers[r->header_count++] = ct_manifest;
  r = add_route(&f->fake, "GET", URL_SIG, 200, f->sig.data, f->sig.len);
  r->headers[r->header_count++] = ct_manifest;
  add_route(&f->fake, "GET", URL_BLOB, 200, f->jws.data, f->jws.len);
  r = add_route(&f->fake, "GET", URL_TAG, 200, f->idx.data, f->idx.len);
  r->headers[r->header_count++] = ct_index;
}

static nv_reg_source *open_ref(fx *f, const char *reference)
{
  nv_reg_ref ref;
  assert_int_equal(nv_reg_ref_parse(reference, &ref, NULL), NV_OK);
  nv_reg_source *s = NULL;
  assert_int_equal(nv_reg_source_open_remote(f->client, &ref, &s, &f->d), NV_OK);
  nv_reg_ref_free(&ref);
  return s;
}

/* Give the client credentials of `kind` for `registry`. */
static void set_creds(fx *f, const char *registry, nv_reg_cred_kind kind, const char *user,
                      const char *secret)
{
  nv_credential c;
  nv_reg_cred_init(&c);
  assert_int_equal(nv_reg_cred_set(&c, kind, user, secret), NV_OK);
  assert_int_equal(nv_reg_client_set_credential(f->client, registry, &c, NULL), NV_OK);
  nv_reg_cred_clear(&c);
}

static nv_status resolve(fx *f, const char *reference, nv_descriptor *out)
{
  nv_reg_source *s = open_ref(f, reference);
  nv_diag_clear(&f->d);
  nv_status rc = s->ops->resolve(s, out, &f->d);
  nv_reg_source_close(s);
  return rc;
}

static void subject(nv_descriptor *d)
{
  nv_descriptor_init(d);
  d->media_type = strdup(MT_MANIFEST);
  d->digest = strdup(ART_DIGEST);
  d->size = 246;
}

/* List the signatures of the demo artifact (max entries). */
static nv_status list(fx *f, size_t max, nv_reg_sig_list *out)
{
  nv_reg_source *s = open_ref(f, "reg.example/app@" ART_DIGEST);
  nv_descriptor subj;
  subject(&subj);
  nv_reg_sig_list_init(out, max);
  nv_diag_clear(&f->d);
  nv_status rc = s->ops->list_signatures(s, &subj, out, &f->d);
  nv_descriptor_free(&subj);
  nv_reg_source_close(s);
  return rc;
}

/* An image index of `n` signature entries sig0.. (sha256:000...i) plus,
 * if `other`, one SBOM entry first. */
static char *index_json(int first, int n, bool other, const char *extra)
{
  size_t cap = 512 + (size_t)n * 256;
  char *s = malloc(cap);
  assert_non_null(s);
  size_t len = (size_t)snprintf(s, cap, "{\"schemaVersion\":2,\"mediaType\":\"" MT_INDEX
                                        "\",\"manifests\":[");
  if (other)
    len += (size_t)snprintf(s + len, cap - len,
                            "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"sha256:%064d\","
                            "\"size\":10,\"artifactType\":\"application/spdx+json\"}%s",
                            999999, n > 0 ? "," : "");
  for (int i = 0; i < n; i++)
    len += (size_t)snprintf(s + len, cap - len,
                            "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"sha256:%064d\","
                            "\"size\":100,\"artifactType\":\"" AT_SIG "\"}%s",
                            first + i, i + 1 < n ? "," : "");
  snprintf(s + len, cap - len, "]%s}", extra != NULL ? extra : "");
  return s;
}

/* ---- resolve ---- */

static void resolve_tag_and_digest(void **state)
{
  fx *f = *state;
  serve_demo(f);
  nv_descriptor d;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_OK);
  assert_string_equal(d.media_type, MT_MANIFEST);
  assert_string_equal(d.digest, ART_DIGEST);
  assert_int_equal(d.size, 246);
  nv_descriptor_free(&d);
  assert_int_equal(resolve(f, "reg.example/app@" ART_DIGEST, &d), NV_OK);
  assert_string_equal(d.digest, ART_DIGEST);
  nv_descriptor_free(&d);
  /* tag and digest: the digest is what is fetched */
  assert_int_equal(resolve(f, "reg.example/app:v9@" ART_DIGEST, &d), NV_OK);
  nv_descriptor_free(&d);
  assert_int_equal(count_requests(&f->fake, URL_ART), 2);
  /* every manifest request says what it accepts */
  assert_non_null(strstr(f->fake.log[0].accept, MT_MANIFEST));
  assert_non_null(strstr(f->fake.log[0].accept, MT_INDEX));
  assert_non_null(strstr(f->fake.log[0].accept, "application/vnd.docker.distribution.manifest.v2+json"));
  assert_string_equal(f->fake.log[0].auth, "");
}

static void resolve_digest_mismatch(void **state)
{
  fx *f = *state;
  /* CVE-2023-33959: the registry answers a digest with other content */
  route *r = add_route(&f->fake, "GET", URL_ART, 200, f->sig.data, f->sig.len);
  r->headers[r->header_count++] = "Content-Type: " MT_MANIFEST;
  r->headers[r->header_count++] = "Docker-Content-Digest: " ART_DIGEST;
  nv_descriptor d;
  assert_int_equal(resolve(f, "reg.example/app@" ART_DIGEST, &d), NV_E_RESOLVED_DIGEST_MISMATCH);
  assert_non_null(strstr(f->d.msg, "user input digest " ART_DIGEST
                                   " does not match the resolved digest " SIG_DIGEST));
  assert_null(d.digest);
  /* a tag whose Docker-Content-Digest disagrees with the bytes */
  r = add_route(&f->fake, "GET", URL_V1, 200, f->sig.data, f->sig.len);
  r->headers[r->header_count++] = "Content-Type: " MT_MANIFEST;
  r->headers[r->header_count++] = "Docker-Content-Digest: " ART_DIGEST;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_CONTENT_DIGEST_MISMATCH);
  /* a malformed header is not believed either */
  r->headers[1] = "Docker-Content-Digest: sha256:nothex";
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_CONTENT_DIGEST_MISMATCH);
  /* no header: the digest of the bytes */
  r->header_count = 1;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_OK);
  assert_string_equal(d.digest, SIG_DIGEST);
  nv_descriptor_free(&d);
}

static void resolve_failures(void **state)
{
  fx *f = *state;
  nv_descriptor d;
  add_text(&f->fake, URL_V1, 404,
           "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}",
           "Content-Type: application/json");
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_ARTIFACT_NOT_FOUND);
  assert_non_null(strstr(f->d.msg, "MANIFEST_UNKNOWN"));
  add_text(&f->fake, URL_V1, 500, "oops", NULL);
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_RESOLVE_FAILED);
  add_text(&f->fake, URL_V1, 403, "", NULL);
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_DENIED);
  add_text(&f->fake, URL_V1, 401, "", NULL); /* a 401 without a challenge */
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_AUTH);
  add_text(&f->fake, URL_V1, 200, "{}", NULL);
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_PROTOCOL);
  assert_non_null(strstr(f->d.msg, "no Content-Type"));
  /* over 4 MiB: refused from Content-Length, or by the count */
  uint8_t *big = calloc(1, NV_LIMIT_MANIFEST_BYTES + 1);
  assert_non_null(big);
  route *r = add_route(&f->fake, "GET", URL_V1, 200, big, NV_LIMIT_MANIFEST_BYTES + 1);
  r->headers[r->header_count++] = "Content-Type: " MT_MANIFEST;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_CONTENT_TOO_LARGE);
  r->headers[r->header_count++] = "Content-Length: 4194305";
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_CONTENT_TOO_LARGE);
  free(big);
  /* a transport failure keeps its code */
  f->fake.fail = NV_E_TLS;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_TLS);
}

/* ---- discovery ---- */

static void referrers_api_used_and_remembered(void **state)
{
  fx *f = *state;
  char *page = index_json(1, 2, true, NULL);
  route *r = add_text(&f->fake, URL_REFERRERS, 200, page, "Content-Type: " MT_INDEX);
  r->headers[r->header_count++] = "OCI-Filters-Applied: artifactType";
  nv_reg_sig_list l;
  assert_int_equal(list(f, 10, &l), NV_OK);
  /* the SBOM is filtered out here although the server claims it filtered */
  assert_int_equal(l.count, 2);
  assert_false(l.truncated);
  assert_string_equal(l.items[0].desc.digest,
                      "sha256:0000000000000000000000000000000000000000000000000000000000000001");
  assert_int_equal(l.items[0].status, NV_OK);
  nv_reg_sig_list_free(&l);
  assert_int_equal(nv_reg_client_referrers_state(f->client, "reg.example"), NV_REG_REFERRERS_API);
  assert_int_equal(count_requests(&f->fake, URL_TAG), 0);
  assert_string_equal(f->fake.log[0].accept, MT_INDEX);
  /* the next verification goes to the API directly again */
  assert_int_equal(list(f, 10, &l), NV_OK);
  nv_reg_sig_list_free(&l);
  assert_int_equal(count_requests(&f->fake, URL_REFERRERS), 2);
  free(page);
}

static void fallback_decisions(void **state)
{
  fx *f = *state;
  serve_demo(f);
  /* each answer means "no Referrers API": the tag schema is read */
  static const struct {
    int32_t status;
    const char *body;
    const char *ct;
  } no_api[] = {
    {404, "404 page not found", "Content-Type: text/plain"},
    {404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}", "Content-Type: application/json"},
    {401, "", NULL}, /* Harbor: 401 without a challenge */
    {200, "{\"manifests\":[]}", "Content-Type: application/json"},
    {200, "<html>", "Content-Type: text/html"},
  };
  for (size_t i = 0; i < sizeof(no_api) / sizeof(no_api[0]); i++) {
    nv_reg_client_remember_referrers(f->client, "reg.example", NV_REG_REFERRERS_UNKNOWN);
    f->fake.log_count = 0;
    add_text(&f->fake, URL_REFERRERS, no_api[i].status, no_api[i].body, no_api[i].ct);
    nv_reg_sig_list l;
    nv_status rc = list(f, 10, &l);
    if (rc != NV_OK)
      fail_msg("case %zu: %s", i, f->d.msg);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].desc.digest, SIG_DIGEST);
    nv_reg_sig_list_free(&l);
    assert_int_equal(count_requests(&f->fake, URL_TAG), 1);
    assert_int_equal(nv_reg_client_referrers_state(f->client, "reg.example"),
                     NV_REG_REFERRERS_TAG);
  }
  /* remembered: the API is not asked again */
  f->fake.log_count = 0;
  nv_reg_sig_list l;
  assert_int_equal(list(f, 10, &l), NV_OK);
  nv_reg_sig_list_free(&l);
  assert_int_equal(count_requests(&f->fake, URL_REFERRERS), 0);
  assert_int_equal(f->fake.log_count, 1);
  /* 404 NAME_UNKNOWN is a real error, not a fallback */
  nv_reg_client_remember_referrers(f->client, "reg.example", NV_REG_REFERRERS_UNKNOWN);
  add_text(&f->fake, URL_REFERRERS, 404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}",
           "Content-Type: application/json");
  assert_int_equal(list(f, 10, &l), NV_E_ARTIFACT_NOT_FOUND);
  nv_reg_sig_list_free(&l);
  /* other statuses fail the listing */
  add_text(&f->fake, URL_REFERRERS, 500, "", NULL);
  assert_int_equal(list(f, 10, &l), NV_E_REFERRERS_LIST_FAILED);
  nv_reg_sig_list_free(&l);
  add_text(&f->fake, URL_REFERRERS, 403, "", NULL);
  assert_int_equal(list(f, 10, &l), NV_E_REGISTRY_DENIED);
  nv_reg_sig_list_free(&l);
  add_text(&f->fake, URL_REFERRERS, 200, "{\"manifests\":", "Content-Type: " MT_INDEX);
  assert_int_equal(list(f, 10, &l), NV_E_REFERRERS_LIST_FAILED);
  nv_reg_sig_list_free(&l);
}

static void referrers_modes(void **state)
{
  fx *f = *state;
  serve_demo(f);
  nv_reg_sig_list l;
  nv_reg_client_set_referrers_mode(f->client, NV_REFERRERS_API_ONLY);
  assert_int_equal(list(f, 10, &l), NV_E_REFERRERS_LIST_FAILED);
  assert_non_null(strstr(f->d.msg, "NV_REFERRERS_API_ONLY"));
  nv_reg_sig_list_free(&l);
  assert_int_equal(count_requests(&f->fake, URL_TAG), 0);
  nv_reg_client_set_referrers_mode(f->client, NV_REFERRERS_TAG_ONLY);
  assert_int_equal(list(f, 10, &l), NV_OK);
  assert_int_equal(l.count, 1);
  nv_reg_sig_list_free(&l);
  assert_int_equal(count_requests(&f->fake, URL_REFERRERS), 1);
}

static void tag_schema_cases(void **state)
{
  fx *f = *state;
  nv_reg_client_set_referrers_mode(f->client, NV_REFERRERS_TAG_ONLY);
  nv_reg_sig_list l;
  /* no tag: no signatures */
  assert_int_equal(list(f, 10, &l), NV_OK);
  assert_int_equal(l.count, 0);
  nv_reg_sig_list_free(&l);
  /* an index listing the subject itself: recorded, not followed */
  char entry[600];
  snprintf(entry, sizeof(entry),
           "{\"schemaVersion\":2,\"mediaType\":\"" MT_INDEX "\",\"manifests\":["
           "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"" ART_DIGEST "\",\"size\":246,"
           "\"artifactType\":\"" AT_SIG "\"},"
           "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"" SIG_DIGEST "\",\"size\":862,"
           "\"artifactType\":\"" AT_SIG "\"}]}");
  add_text(&f->fake, URL_TAG, 200, entry, "Content-Type: " MT_INDEX);
  assert_int_equal(list(f, 10, &l), NV_OK);
  assert_int_equal(l.count, 2);
  assert_int_equal(l.items[0].status, NV_E_SIG_MANIFEST_SUBJECT);
  assert_int_equal(l.items[1].status, NV_OK);
  nv_reg_sig_list_free(&l);
  assert_non_null(strstr(f->logs, "points back at the subject"));
  /* not an index */
  add_text(&f->fake, URL_TAG, 200, entry, "Content-Type: " MT_MANIFEST);
  assert_int_equal(list(f, 10, &l), NV_E_REFERRERS_LIST_FAILED);
  nv_reg_sig_list_free(&l);
  /* a Docker-Content-Digest that is not the content's */
  route *r = add_text(&f->fake, URL_TAG, 200, entry, "Content-Type: " MT_INDEX);
  r->headers[r->header_count++] = "Docker-Content-Digest: " SIG_DIGEST;
  assert_int_equal(list(f, 10, &l), NV_E_REFERRERS_LIST_FAILED);
  nv_reg_sig_list_free(&l);
  /* larger than 4 MiB */
  uint8_t *big = calloc(1, NV_LIMIT_REFERRERS_PAGE_BYTES + 1);
  assert_non_null(big);
  r = add_route(&f->fake, "GET", URL_TAG, 200, big, NV_LIMIT_REFERRERS_PAGE_BYTES + 1);
  r->headers[r->header_count++] = "Content-Type: " MT_INDEX;
  assert_int_equal(list(f, 10, &l), NV_E_REFERRERS_LIST_FAILED);
  nv_reg_sig_list_free(&l);
  free(big);
  /* more entries than the attempt limit */
  char *many = index_json(1, 5, false, NULL);
  add_text(&f->fake, URL_TAG, 200, many, "Content-Type: " MT_INDEX);
  assert_int_equal(list(f, 3, &l), NV_OK);
  assert_int_equal(l.count, 3);
  assert_true(l.truncated);
  nv_reg_sig_list_free(&l);
  free(many);
}

static void pagination(void **state)
{
  fx *f = *state;
  char *p1 = index_json(1, 2, false, NULL);
  char *p2 = index_json(3, 2, true, NULL);
  route *r = add_text(&f->fake, URL_REFERRERS, 200, p1, "Content-Type: " MT_INDEX);
  r->headers[r->header_count++] = "Link: </v2/app/referrers/" ART_DIGEST "?n=2&last=x>; rel=\"next\"";
  add_text(&f->fake, V2 "/referrers/" ART_DIGEST "?n=2&last=x", 200, p2,
           "Content-Type: " MT_INDEX);
  nv_reg_sig_list l;
  assert_int_equal(list(f, 10, &l), NV_OK);
  assert_int_equal(l.count, 4);
  assert_false(l.truncated);
  nv_reg_sig_list_free(&l);
  assert_int_equal(f->fake.log_count, 2);
  /* the list is full after page 1: page 2 is not read, more may exist */
  f->fake.log_count = 0;
  assert_int_equal(list(f, 2, &l), NV_OK);
  assert_int_equal(l.count, 2);
  assert_true(l.truncated);
  nv_reg_sig_list_free(&l);
  assert_int_equal(f->fake.log_count, 1);
  /* a Link to another host is refused */
  r->headers[1] = "Link: <https://evil.example/v2/app/referrers/x>; rel=\"next\"";
  assert_int_equal(list(f, 10, &l), NV_E_REFERRERS_LIST_FAILED);
  assert_non_null(strstr(f->d.msg, "another host"));
  nv_reg_sig_list_free(&l);
  /* a malformed Link */
  r->headers[1] = "Link: </v2/next; rel=next";
  assert_int_equal(list(f, 10, &l), NV_E_REFERRERS_LIST_FAILED);
  nv_reg_sig_list_free(&l);
  /* a page 2 that is not an index */
  r->headers[1] = "Link: </v2/app/referrers/" ART_DIGEST "?n=2&last=x>; rel=\"next\"";
  add_text(&f->fake, V2 "/referrers/" ART_DIGEST "?n=2&last=x", 200, "x", "Content-Type: text/plain");
  assert_int_equal(list(f, 10, &l), NV_E_REFERRERS_LIST_FAILED);
  nv_reg_sig_list_free(&l);
  free(p1);
  free(p2);
}

static void endless_pagination(void **state)
{
  fx *f = *state;
  /* every page links to the next one, with no signatures on any */
  char *empty = index_json(0, 0, true, NULL);
  static char urls[NV_REG_MAX_REFERRERS_PAGES + 2][200];
  static char links[NV_REG_MAX_REFERRERS_PAGES + 2][200];
  for (int i = 0; i <= NV_REG_MAX_REFERRERS_PAGES; i++) {
    if (i == 0)
      snprintf(urls[i], sizeof(urls[i]), "%s", URL_REFERRERS);
    else
      snprintf(urls[i], sizeof(urls[i]), V2 "/referrers/" ART_DIGEST "?page=%d", i);
    snprintf(links[i], sizeof(links[i]), "Link: <?page=%d>; rel=next", i + 1);
    route *r = add_text(&f->fake, urls[i], 200, empty, "Content-Type: " MT_INDEX);
    r->headers[r->header_count++] = links[i];
  }
  nv_reg_sig_list l;
  assert_int_equal(list(f, 10, &l), NV_E_REFERRERS_LIST_FAILED);
  assert_non_null(strstr(f->d.msg, "more than 64 pages"));
  assert_int_equal(f->fake.log_count, NV_REG_MAX_REFERRERS_PAGES);
  nv_reg_sig_list_free(&l);
  /* a page that links to itself ends the same way */
  f->fake.log_count = 0;
  f->fake.route_count = 0;
  route *r = add_text(&f->fake, URL_REFERRERS, 200, empty, "Content-Type: " MT_INDEX);
  r->headers[r->header_count++] = "Link: <" URL_REFERRERS ">; rel=next";
  assert_int_equal(list(f, 10, &l), NV_E_REFERRERS_LIST_FAILED);
  assert_int_equal(f->fake.log_count, NV_REG_MAX_REFERRERS_PAGES);
  nv_reg_sig_list_free(&l);
  free(empty);
}

/* ---- fetch ---- */

static nv_status fetch(fx *f, const char *digest, const char *mt, uint64_t size, size_t max,
                       nv_reg_fetch_kind kind, uint8_t **data, size_t *len)
{
  nv_reg_source *s = open_ref(f, "reg.example/app@" ART_DIGEST);
  nv_descriptor desc;
  nv_descriptor_init(&desc);
  desc.media_type = strdup(mt);
  desc.digest = strdup(digest);
  desc.size = size;
  nv_diag_clear(&f->d);
  nv_status rc = s->ops->fetch(s, &desc, max, kind, data, len, &f->d);
  nv_descriptor_free(&desc);
  nv_reg_source_close(s);
  return rc;
}

static void fetch_rules(void **state)
{
  fx *f = *state;
  serve_demo(f);
  uint8_t *data = NULL;
  size_t len = 0;
  assert_int_equal(fetch(f, SIG_DIGEST, MT_MANIFEST, 862, NV_LIMIT_MANIFEST_BYTES,
                         NV_REG_FETCH_SIG_MANIFEST, &data, &len),
                   NV_OK);
  assert_int_equal(len, 862);
  assert_int_equal(data[len], 0);
  free(data);
  assert_string_equal(f->fake.log[0].accept, MT_MANIFEST);
  assert_int_equal(fetch(f, JWS_DIGEST, "application/jose+json", 4296, NV_LIMIT_ENVELOPE_BYTES,
                         NV_REG_FETCH_SIG_BLOB, &data, &len),
                   NV_OK);
  free(data);
  assert_string_equal(f->fake.log[1].url, URL_BLOB);
  assert_string_equal(f->fake.log[1].accept, "application/jose+json, */*");
  /* too large by its descriptor: nothing is requested */
  size_t before = f->fake.log_count;
  assert_int_equal(fetch(f, SIG_DIGEST, MT_MANIFEST, NV_LIMIT_MANIFEST_BYTES + 1,
                         NV_LIMIT_MANIFEST_BYTES, NV_REG_FETCH_SIG_MANIFEST, &data, &len),
                   NV_E_SIG_MANIFEST_TOO_LARGE);
  assert_int_equal(fetch(f, JWS_DIGEST, "application/jose+json", NV_LIMIT_ENVELOPE_BYTES + 1,
                         NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_SIG_BLOB, &data, &len),
                   NV_E_SIG_BLOB_TOO_LARGE);
  assert_int_equal(f->fake.log_count, before);
  /* the registry sends more than the descriptor says: stopped, mismatch */
  assert_int_equal(fetch(f, JWS_DIGEST, "application/jose+json", 100, NV_LIMIT_ENVELOPE_BYTES,
                         NV_REG_FETCH_SIG_BLOB, &data, &len),
                   NV_E_SIG_DIGEST_MISMATCH);
  assert_null(data);
  /* fewer bytes, other bytes */
  assert_int_equal(fetch(f, JWS_DIGEST, "application/jose+json", 5000, NV_LIMIT_ENVELOPE_BYTES,
                         NV_REG_FETCH_SIG_BLOB, &data, &len),
                   NV_E_SIG_DIGEST_MISMATCH);
  add_route(&f->fake, "GET", URL_BLOB, 200, f->sig.data, 4296 < f->sig.len ? 4296 : f->sig.len);
  route *r = add_route(&f->fake, "GET", URL_BLOB, 200, NULL, 0);
  uint8_t *other = calloc(1, 4296);
  assert_non_null(other);
  r->body = other;
  r->body_len = 4296;
  assert_int_equal(fetch(f, JWS_DIGEST, "application/jose+json", 4296, NV_LIMIT_ENVELOPE_BYTES,
                         NV_REG_FETCH_SIG_BLOB, &data, &len),
                   NV_E_SIG_DIGEST_MISMATCH);
  free(other);
  /* missing, failing, malformed digest */
  assert_int_equal(fetch(f, "sha256:" ART_HEX, MT_MANIFEST, 246, NV_LIMIT_MANIFEST_BYTES,
                         NV_REG_FETCH_CONTENT, &data, &len),
                   NV_OK);
  free(data);
  assert_int_equal(fetch(f, "sha256:0000000000000000000000000000000000000000000000000000000000000000",
                         MT_MANIFEST, 10, NV_LIMIT_MANIFEST_BYTES, NV_REG_FETCH_SIG_MANIFEST, &data,
                         &len),
                   NV_E_SIG_FETCH_FAILED);
  assert_int_equal(fetch(f, "sha256:0000000000000000000000000000000000000000000000000000000000000000",
                         "application/octet-stream", 10, 100, NV_REG_FETCH_CONTENT, &data, &len),
                   NV_E_ARTIFACT_NOT_FOUND);
  assert_int_equal(fetch(f, "sha256:bad", MT_MANIFEST, 10, 100, NV_REG_FETCH_SIG_MANIFEST, &data,
                         &len),
                   NV_E_SIG_FETCH_FAILED);
  add_text(&f->fake, URL_SIG, 502, "", NULL);
  assert_int_equal(fetch(f, SIG_DIGEST, MT_MANIFEST, 862, NV_LIMIT_MANIFEST_BYTES,
                         NV_REG_FETCH_SIG_MANIFEST, &data, &len),
                   NV_E_SIG_FETCH_FAILED);
  /* transport failures are not the signature's: they keep their code */
  f->fake.fail = NV_E_TIMEOUT;
  assert_int_equal(fetch(f, SIG_DIGEST, MT_MANIFEST, 862, NV_LIMIT_MANIFEST_BYTES,
                         NV_REG_FETCH_SIG_MANIFEST, &data, &len),
                   NV_E_TIMEOUT);
}

/* ---- authentication ---- */

static void bearer_anonymous(void **state)
{
  fx *f = *state;
  nv_reg_client_set_clock(f->client, fake_clock);
  serve_demo(f);
  for (size_t i = 0; i < f->fake.route_count; i++) {
    f->fake.routes[i].need_auth = "Bearer T1";
    f->fake.routes[i].challenge = CHALLENGE;
  }
  add_text(&f->fake, TOKEN_URL, 200, "{\"token\":\"T1\",\"expires_in\":300}", NULL);
  nv_descriptor d;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_OK);
  nv_descriptor_free(&d);
  /* 401, the token (anonymous), the retry with it */
  assert_int_equal(f->fake.log_count, 3);
  assert_string_equal(f->fake.log[1].url, TOKEN_URL);
  assert_string_equal(f->fake.log[1].auth, "");
  assert_string_equal(f->fake.log[2].auth, "Bearer T1");
  /* later requests in the same repository use the cached token */
  f->fake.log_count = 0;
  nv_reg_sig_list l;
  nv_reg_client_set_referrers_mode(f->client, NV_REFERRERS_TAG_ONLY);
  assert_int_equal(list(f, 10, &l), NV_OK);
  nv_reg_sig_list_free(&l);
  assert_int_equal(f->fake.log_count, 1);
  assert_string_equal(f->fake.log[0].auth, "Bearer T1");
  /* until it expires: 300 s less the margin */
  fake_now += 289999;
  f->fake.log_count = 0;
  assert_int_equal(list(f, 10, &l), NV_OK);
  nv_reg_sig_list_free(&l);
  assert_int_equal(f->fake.log_count, 1);
  fake_now += 1;
  f->fake.log_count = 0;
  assert_int_equal(list(f, 10, &l), NV_OK);
  nv_reg_sig_list_free(&l);
  assert_int_equal(f->fake.log_count, 3); /* 401, token, retry */
  assert_int_equal(count_requests(&f->fake, TOKEN_URL), 1);
  assert_string_equal(f->fake.log[0].auth, "");
  nv_reg_client_set_clock(f->client, NULL);
}

static void bearer_stale_token(void **state)
{
  fx *f = *state;
  serve_demo(f);
  route *tok = add_text(&f->fake, TOKEN_URL, 200, "{\"access_token\":\"T1\"}", NULL);
  for (size_t i = 0; i < 5; i++) {
    f->fake.routes[i].need_auth = "Bearer T1";
    f->fake.routes[i].challenge = CHALLENGE;
  }
  nv_descriptor d;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_OK);
  nv_descriptor_free(&d);
  /* the registry revokes T1: the cached token is sent, refused, dropped,
   * and a new one is fetched */
  for (size_t i = 0; i < 5; i++)
    f->fake.routes[i].need_auth = "Bearer T2";
  tok->body = "{\"token\":\"T2\"}";
  tok->body_len = strlen(tok->body);
  f->fake.log_count = 0;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_OK);
  nv_descriptor_free(&d);
  assert_int_equal(f->fake.log_count, 3);
  assert_string_equal(f->fake.log[0].auth, "Bearer T1");
  assert_string_equal(f->fake.log[2].auth, "Bearer T2");
}

static void bearer_with_credentials(void **state)
{
  fx *f = *state;
  serve_demo(f);
  f->fake.routes[0].need_auth = "Bearer T9";
  f->fake.routes[0].challenge = CHALLENGE;
  route *tok = add_text(&f->fake, TOKEN_URL, 200, "{\"token\":\"T9\"}", NULL);
  tok->need_auth = BASIC;
  nv_descriptor d;
  /* no credentials: the token service refuses */
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_AUTH);
  assert_non_null(strstr(f->d.msg, "configure credentials"));
  /* wrong ones */
  nv_credential c;
  nv_reg_cred_init(&c);
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_BASIC, "alice", "wrong-" PASSWORD), NV_OK);
  assert_int_equal(nv_reg_client_set_credential(f->client, "reg.example", &c, NULL), NV_OK);
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_AUTH);
  assert_non_null(strstr(f->d.msg, "refused a username and password"));
  assert_null(strstr(f->d.msg, PASSWORD));
  /* right ones */
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_BASIC, "alice", PASSWORD), NV_OK);
  assert_int_equal(nv_reg_client_set_credential(f->client, "reg.example", &c, NULL), NV_OK);
  f->fake.log_count = 0;
  if (resolve(f, "reg.example/app:v1", &d) != NV_OK)
    fail_msg("%s", f->d.msg);
  nv_descriptor_free(&d);
  assert_string_equal(f->fake.log[1].auth, BASIC);
  assert_string_equal(f->fake.log[2].auth, "Bearer T9");
  /* an identity token is exchanged with a POST */
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_IDENTITY_TOKEN, NULL, "refresh&=me"), NV_OK);
  assert_int_equal(nv_reg_client_set_credential(f->client, "reg.example", &c, NULL), NV_OK);
  add_text(&f->fake, "https://auth.example/token", 200,
           "{\"access_token\":\"T9\",\"expires_in\":60}", NULL)->method = "POST";
  f->fake.log_count = 0;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_OK);
  nv_descriptor_free(&d);
  assert_string_equal(f->fake.log[1].method, "POST");
  assert_string_equal(f->fake.log[1].auth, "");
  assert_string_equal(f->fake.log[1].body,
                      "grant_type=refresh_token&client_id=notaryc&service=reg.example&"
                      "scope=repository%3Aapp%3Apull&refresh_token=refresh%26%3Dme");
  nv_reg_cred_clear(&c);
  /* secrets never reached a log line */
  assert_null(strstr(f->logs, PASSWORD));
  assert_null(strstr(f->logs, "refresh&=me"));
  assert_null(strstr(f->logs, "T9"));
}

static void basic_auth(void **state)
{
  fx *f = *state;
  serve_demo(f);
  for (size_t i = 0; i < 5; i++) {
    f->fake.routes[i].need_auth = BASIC;
    f->fake.routes[i].challenge = "Basic realm=\"test-registry\"";
  }
  nv_descriptor d;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_AUTH);
  assert_non_null(strstr(f->d.msg, "requires a username and password"));
  nv_credential c;
  nv_reg_cred_init(&c);
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_BASIC, "alice", "nope"), NV_OK);
  assert_int_equal(nv_reg_client_set_credential(f->client, "reg.example", &c, NULL), NV_OK);
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_AUTH);
  assert_non_null(strstr(f->d.msg, "refused"));
  assert_null(strstr(f->d.msg, "nope"));
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_BASIC, "alice", PASSWORD), NV_OK);
  assert_int_equal(nv_reg_client_set_credential(f->client, "reg.example", &c, NULL), NV_OK);
  nv_reg_cred_clear(&c);
  /* the registry is known to want Basic by now: sent with the first
   * request, no 401 */
  f->fake.log_count = 0;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_OK);
  nv_descriptor_free(&d);
  assert_int_equal(f->fake.log_count, 1);
  assert_string_equal(f->fake.log[0].auth, BASIC);
  /* credentials for another registry are not sent here */
  assert_int_equal(nv_reg_client_set_credential(f->client, "reg.example", NULL, NULL), NV_OK);
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_BASIC, "alice", PASSWORD), NV_OK);
  assert_int_equal(nv_reg_client_set_credential(f->client, "other.example", &c, NULL), NV_OK);
  nv_reg_cred_clear(&c);
  f->fake.log_count = 0;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_AUTH);
  for (size_t i = 0; i < f->fake.log_count; i++)
    assert_string_equal(f->fake.log[i].auth, "");
  /* an unsupported scheme */
  f->fake.routes[0].challenge = "Digest realm=\"x\", nonce=\"y\"";
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_AUTH);
  assert_non_null(strstr(f->d.msg, "\"Digest\""));
  /* a malformed challenge */
  f->fake.routes[0].challenge = "Bearer realm=\"x";
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_PROTOCOL);
}

static void access_token_and_scope(void **state)
{
  fx *f = *state;
  serve_demo(f);
  f->fake.routes[0].need_auth = "Bearer given";
  f->fake.routes[0].challenge = CHALLENGE ",error=\"insufficient_scope\"";
  nv_credential c;
  nv_reg_cred_init(&c);
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_ACCESS_TOKEN, NULL, "given"), NV_OK);
  assert_int_equal(nv_reg_client_set_credential(f->client, "reg.example", &c, NULL), NV_OK);
  nv_descriptor d;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_OK);
  nv_descriptor_free(&d);
  assert_int_equal(f->fake.log_count, 1);
  assert_string_equal(f->fake.log[0].auth, "Bearer given");
  /* an access token without the scope */
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_ACCESS_TOKEN, NULL, "weak"), NV_OK);
  assert_int_equal(nv_reg_client_set_credential(f->client, "reg.example", &c, NULL), NV_OK);
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_DENIED);
  assert_non_null(strstr(f->d.msg, "insufficient_scope"));
  nv_reg_cred_clear(&c);
  /* a token from the service that lacks the scope */
  assert_int_equal(nv_reg_client_set_credential(f->client, "reg.example", NULL, NULL), NV_OK);
  add_text(&f->fake, TOKEN_URL, 200, "{\"token\":\"narrow\"}", NULL);
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_DENIED);
  /* token service answers that are not usable */
  add_text(&f->fake, TOKEN_URL, 200, "{\"token\":\"\"}", NULL);
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_AUTH);
  add_text(&f->fake, TOKEN_URL, 200, "not json", NULL);
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_AUTH);
  add_text(&f->fake, TOKEN_URL, 500, "", NULL);
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_AUTH);
  f->fake.routes[0].challenge = "Bearer service=\"x\"";
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_PROTOCOL);
}

static void plain_http_realm(void **state)
{
  fx *f = *state;
  serve_demo(f);
  f->fake.routes[0].need_auth = "Bearer T1";
  f->fake.routes[0].challenge = "Bearer realm=\"http://auth.example/token\",service=\"reg.example\"";
  add_text(&f->fake, "http://auth.example/token?service=reg.example&scope=repository%3Aapp%3Apull",
           200, "{\"token\":\"T1\"}", NULL);
  nv_descriptor d;
  /* anonymous: fine */
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_OK);
  nv_descriptor_free(&d);
  /* with credentials an HTTPS registry's plain-HTTP token service is refused */
  nv_reg_client_free(f->client);
  assert_int_equal(nv_reg_client_new(&f->client, NULL), NV_OK);
  nv_reg_client_set_fetch_cb(f->client, fake_cb, &f->fake);
  set_creds(f, "reg.example", NV_REG_CRED_BASIC, "alice", PASSWORD);
  f->fake.log_count = 0;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_AUTH);
  assert_non_null(strstr(f->d.msg, "plain-HTTP token service"));
  assert_int_equal(f->fake.log_count, 1);
}

/* A plain-HTTP registry's credentials go over plain HTTP only to a token
 * service on the registry's own host (another port is fine), not to
 * another host. */
static void plain_http_registry_realm(void **state)
{
  fx *f = *state;
  set_creds(f, "reg.example:5000", NV_REG_CRED_BASIC, "alice", PASSWORD);
  assert_int_equal(nv_reg_client_set_plain_http(f->client, "reg.example:5000", true, NULL),
                   NV_OK);
  route *r = add_route(&f->fake, "GET", "http://reg.example:5000/v2/app/manifests/v1", 200,
                       f->art.data, f->art.len);
  r->headers[r->header_count++] = "Content-Type: " MT_MANIFEST;
  r->need_auth = "Bearer T2";
  r->challenge = "Bearer realm=\"http://other.example/token\",service=\"reg\"";
  add_text(&f->fake, "http://other.example/token?service=reg&scope=repository%3Aapp%3Apull", 200,
           "{\"token\":\"T2\"}", NULL);
  add_text(&f->fake, "http://reg.example:5001/token?service=reg&scope=repository%3Aapp%3Apull",
           200, "{\"token\":\"T2\"}", NULL);
  nv_descriptor d;
  assert_int_equal(resolve(f, "reg.example:5000/app:v1", &d), NV_E_REGISTRY_AUTH);
  assert_non_null(strstr(f->d.msg, "plain-HTTP token service"));
  r->challenge = "Bearer realm=\"http://reg.example:5001/token\",service=\"reg\"";
  assert_int_equal(resolve(f, "reg.example:5000/app:v1", &d), NV_OK);
  nv_descriptor_free(&d);
}

static nv_status callback_creds(nv_credential *cred, const char *registry, void *user)
{
  int *calls = user;
  (*calls)++;
  assert_string_equal(registry, "reg.example");
  if (*calls == 1)
    return NV_PASSTHROUGH;
  if (*calls == 2)
    return NV_E_IO;
  return nv_reg_cred_set(cred, NV_REG_CRED_BASIC, "alice", PASSWORD);
}

static void credential_callback(void **state)
{
  fx *f = *state;
  serve_demo(f);
  f->fake.routes[0].need_auth = BASIC;
  f->fake.routes[0].challenge = "Basic realm=\"r\"";
  int calls = 0;
  nv_reg_client_set_credential_cb(f->client, callback_creds, &calls);
  nv_descriptor d;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_REGISTRY_AUTH);
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_E_CREDENTIALS);
  assert_non_null(strstr(f->d.msg, "credential callback failed"));
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_OK);
  nv_descriptor_free(&d);
  assert_int_equal(calls, 3);
  assert_non_null(strstr(f->logs, "from the credential callback"));
  /* an anonymous registry never asks */
  f->fake.routes[0].need_auth = NULL;
  assert_int_equal(resolve(f, "reg.example/app:v1", &d), NV_OK);
  nv_descriptor_free(&d);
  assert_int_equal(calls, 3);
}

/* ---- redirects and time ---- */

static void redirects(void **state)
{
  fx *f = *state;
  set_creds(f, "reg.example", NV_REG_CRED_ACCESS_TOKEN, NULL, "tok");
  /* the blob is on a CDN: followed, without the Authorization header */
  route *r = add_route(&f->fake, "GET", URL_BLOB, 307, NULL, 0);
  r->headers[r->header_count++] = "Location: https://cdn.example/blob?X-Sig=abc";
  add_route(&f->fake, "GET", "https://cdn.example/blob?X-Sig=abc", 200, f->jws.data, f->jws.len);
  uint8_t *data = NULL;
  size_t len = 0;
  assert_int_equal(fetch(f, JWS_DIGEST, "application/jose+json", 4296, NV_LIMIT_ENVELOPE_BYTES,
                         NV_REG_FETCH_SIG_BLOB, &data, &len),
                   NV_OK);
  free(data);
  assert_int_equal(f->fake.log_count, 2);
  assert_string_equal(f->fake.log[0].auth, "Bearer tok");
  assert_string_equal(f->fake.log[1].auth, "");
  /* same origin: kept */
  f->fake.log_count = 0;
  r->headers[0] = "Location: /v2/app/blobs/moved";
  add_route(&f->fake, "GET", V2 "/blobs/moved", 200, f->jws.data, f->jws.len);
  assert_int_equal(fetch(f, JWS_DIGEST, "application/jose+json", 4296, NV_LIMIT_ENVELOPE_BYTES,
                         NV_REG_FETCH_SIG_BLOB, &data, &len),
                   NV_OK);
  free(data);
  assert_string_equal(f->fake.log[1].auth, "Bearer tok");
  /* refused: to plain HTTP, with userinfo, in a loop */
  r->headers[0] = "Location: http://cdn.example/blob";
  assert_int_equal(fetch(f, JWS_DIGEST, "application/jose+json", 4296, NV_LIMIT_ENVELOPE_BYTES,
                         NV_REG_FETCH_SIG_BLOB, &data, &len),
                   NV_E_SIG_FETCH_FAILED);
  assert_non_null(strstr(f->d.msg, "to plain HTTP"));
  r->headers[0] = "Location: https://user:pw@cdn.example/blob";
  assert_int_equal(fetch(f, JWS_DIGEST, "application/jose+json", 4296, NV_LIMIT_ENVELOPE_BYTES,
                         NV_REG_FETCH_SIG_BLOB, &data, &len),
                   NV_E_SIG_FETCH_FAILED);
  assert_null(strstr(f->d.msg, "pw"));
  r->headers[0] = "Location: " URL_BLOB;
  f->fake.log_count = 0;
  assert_int_equal(fetch(f, JWS_DIGEST, "application/jose+json", 4296, NV_LIMIT_ENVELOPE_BYTES,
                         NV_REG_FETCH_SIG_BLOB, &data, &len),
                   NV_E_SIG_FETCH_FAILED);
  assert_non_null(strstr(f->d.msg, "more than 5 redirects"));
  assert_int_equal(f->fake.log_count, NV_REG_MAX_REDIRECTS + 1);
  /* a 3xx without Location is an answer like any other */
  r->header_count = 0;
  assert_int_equal(fetch(f, JWS_DIGEST, "application/jose+json", 4296, NV_LIMIT_ENVELOPE_BYTES,
                         NV_REG_FETCH_SIG_BLOB, &data, &len),
                   NV_E_SIG_FETCH_FAILED);
}

/* A descriptor's media type goes into the Accept header only when it is
 * a valid media type: CR/LF from a registry's manifest cannot add headers. */
static void media_type_into_accept(void **state)
{
  fx *f = *state;
  serve_demo(f);
  uint8_t *data = NULL;
  size_t len = 0;
  static const char *const bad[] = {"application/jose+json\r\nX-Injected: yes",
                                    "application/jose+json; charset=utf-8", "application/",
                                    "/jose", "application/jose/json", "application/.jose"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    f->fake.log_count = 0;
    assert_int_equal(fetch(f, JWS_DIGEST, bad[i], 4296, NV_LIMIT_ENVELOPE_BYTES,
                           NV_REG_FETCH_SIG_BLOB, &data, &len),
                     NV_E_SIG_FETCH_FAILED);
    assert_non_null(strstr(f->d.msg, "is not a valid media type"));
    assert_int_equal(f->fake.log_count, 0); /* nothing was sent */
  }
  assert_int_equal(fetch(f, JWS_DIGEST, "application/jose+json", 4296, NV_LIMIT_ENVELOPE_BYTES,
                         NV_REG_FETCH_SIG_BLOB, &data, &len),
                   NV_OK);
  free(data);
}

/* A redirect target that answers 401 with a challenge does not get the
 * registry's credentials: not the Basic pair, not through a token realm
 * on its own host. */
static void redirect_target_challenge(void **state)
{
  fx *f = *state;
  set_creds(f, "reg.example", NV_REG_CRED_BASIC, "alice", PASSWORD);
  route *r = add_route(&f->fake, "GET", URL_BLOB, 307, NULL, 0);
  r->headers[r->header_count++] = "Location: https://cdn.example/blob";
  route *cdn = add_route(&f->fake, "GET", "https://cdn.example/blob", 200, f->jws.data,
                         f->jws.len);
  cdn->need_auth = "Bearer stolen";
  cdn->challenge = "Bearer realm=\"https://cdn.example/token\",service=\"x\"";
  add_text(&f->fake, "https://cdn.example/token?service=x&scope=repository%3Aapp%3Apull", 200,
           "{\"token\":\"stolen\"}", NULL);
  uint8_t *data = NULL;
  size_t len = 0;
  assert_int_equal(fetch(f, JWS_DIGEST, "application/jose+json", 4296, NV_LIMIT_ENVELOPE_BYTES,
                         NV_REG_FETCH_SIG_BLOB, &data, &len),
                   NV_E_REGISTRY_AUTH);
  assert_non_null(strstr(f->d.msg, "redirected to another host, which asked for credentials"));
  for (size_t i = 0; i < f->fake.log_count; i++) {
    assert_null(strstr(f->fake.log[i].url, "/token"));
    if (strstr(f->fake.log[i].url, "cdn.example") != NULL)
      assert_string_equal(f->fake.log[i].auth, "");
  }
}

static void time_budget(void **state)
{
  fx *f = *state;
  serve_demo(f);
  nv_reg_client_set_clock(f->client, fake_clock);
  assert_int_equal(nv_reg_client_set_timeout_ms(f->client, 1000, NULL), NV_OK);
  nv_reg_source *s = open_ref(f, "reg.example/app:v1"); /* the budget starts */
  fake_now += 1001;
  nv_descriptor d;
  assert_int_equal(s->ops->resolve(s, &d, &f->d), NV_E_TIMEOUT);
  assert_non_null(strstr(f->d.msg, "time-out of 1000 ms"));
  assert_int_equal(f->fake.log_count, 0);
  nv_reg_source_close(s);
  /* a new source has a new budget */
  s = open_ref(f, "reg.example/app:v1");
  assert_int_equal(s->ops->resolve(s, &d, &f->d), NV_OK);
  nv_descriptor_free(&d);
  assert_int_equal(nv_reg_source_request_count(s), 1);
  nv_reg_source_close(s);
  nv_reg_client_set_clock(f->client, NULL);
  assert_int_equal(nv_reg_client_set_timeout_ms(f->client, 0, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_client_set_timeout_ms(f->client, 3600001, NULL), NV_E_INVALID_ARG);
}

static void settings(void **state)
{
  fx *f = *state;
  nv_diag d;
  nv_diag_init(&d);
  nv_reg_client *c = f->client;
  assert_int_equal(nv_reg_client_set_plain_http(c, "bad/name", true, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_client_set_plain_http(c, "localhost:5000", true, &d), NV_OK);
  assert_int_equal(nv_reg_client_set_skip_tls_verify(c, "secure.example", true, &d), NV_OK);
  assert_int_equal(nv_reg_client_set_user_agent(c, "a\nb", &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_client_set_user_agent(c, "", &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_client_set_user_agent(c, "flux/2.0", &d), NV_OK);
  assert_int_equal(nv_reg_client_set_proxy(c, "", &d), NV_OK);
  assert_int_equal(nv_reg_client_set_ca_file(c, "", &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_client_set_credential(c, NULL, NULL, &d), NV_E_INVALID_ARG);
  /* per-registry transport settings */
  nv_reg_repo r;
  assert_int_equal(nv_reg_repo_open(c, "localhost:5000", "app", &r, &d), NV_OK);
  assert_true(r.plain_http);
  assert_string_equal(r.origin, "http://localhost:5000");
  nv_reg_repo_close(&r);
  assert_int_equal(nv_reg_repo_open(c, "secure.example", "app", &r, &d), NV_OK);
  assert_false(r.plain_http);
  assert_false(r.verify_tls);
  nv_reg_repo_close(&r);
  assert_int_equal(nv_reg_repo_open(c, "docker.io", "library/alpine", &r, &d), NV_OK);
  assert_string_equal(r.origin, "https://registry-1.docker.io");
  assert_string_equal(r.scope, "repository:library/alpine:pull");
  assert_true(r.verify_tls);
  nv_reg_repo_close(&r);
  /* every registry, then one back */
  assert_int_equal(nv_reg_client_set_plain_http(c, NULL, true, &d), NV_OK);
  assert_int_equal(nv_reg_client_set_plain_http(c, "localhost:5000", false, &d), NV_OK);
  assert_int_equal(nv_reg_repo_open(c, "x.example", "app", &r, &d), NV_OK);
  assert_true(r.plain_http);
  nv_reg_repo_close(&r);
  assert_int_equal(nv_reg_repo_open(c, "localhost:5000", "app", &r, &d), NV_OK);
  assert_false(r.plain_http);
  nv_reg_repo_close(&r);
  /* the user agent is sent */
  serve_demo(f);
  nv_descriptor desc;
  assert_int_equal(nv_reg_client_set_plain_http(c, NULL, false, &d), NV_OK);
  assert_int_equal(resolve(f, "reg.example/app:v1", &desc), NV_OK);
  nv_descriptor_free(&desc);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
    T(resolve_tag_and_digest),
    T(resolve_digest_mismatch),
    T(resolve_failures),
    T(referrers_api_used_and_remembered),
    T(fallback_decisions),
    T(referrers_modes),
    T(tag_schema_cases),
    T(pagination),
    T(endless_pagination),
    T(fetch_rules),
    T(bearer_anonymous),
    T(bearer_stale_token),
    T(bearer_with_credentials),
    T(basic_auth),
    T(access_token_and_scope),
    T(plain_http_realm),
    T(plain_http_registry_realm),
    T(credential_callback),
    T(redirects),
    T(redirect_target_challenge),
    T(media_type_into_accept),
    T(time_budget),
    T(settings),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
