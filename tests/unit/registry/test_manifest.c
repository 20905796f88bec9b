/* OCI manifests, image indexes, signature-manifest rules (registry layer). */
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
#include "registry/nv_reg_manifest.h"

#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_ARTIFACT "application/vnd.oci.artifact.manifest.v1+json"
#define MT_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_EMPTY "application/vnd.oci.empty.v1+json"
#define AT_SIG "application/vnd.cncf.notary.signature"

#define ART_DIGEST "sha256:f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268"
#define EMPTY_DIGEST "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
#define JWS_DIGEST "sha256:e366265c6b5c733e43642db6b1371b59227f0d3796fc066a9ec06c90fb955502"
#define OTHER_DIGEST "sha256:0000000000000000000000000000000000000000000000000000000000000001"

/* demo layouts (tools/demo/make_demo_layout.py) */
#define DEMO_JWS_SIG "f373032ea65f525bf6805652470b63619c2d8de3f4a70ed2c1d43fd77fc9e86b"
#define DEMO_COSE_SIG "aca947b9dae6579529c49cdd4b64e2a268592fdbebf20fee36ba5a8c3860eeba"
#define DEMO_JWS_REFERRERS "ad81a2edd30e7aa6ca776073ea20f46c8ffe7cc0978c9b865ba088a4af2b930c"

#define SUBJECT_ART                                                                           \
  "\"subject\":{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"" ART_DIGEST "\",\"size\":246}"
#define CONFIG(mt) "\"config\":{\"mediaType\":\"" mt "\",\"digest\":\"" EMPTY_DIGEST "\",\"size\":2}"
#define LAYER(mt, size) "{\"mediaType\":\"" mt "\",\"digest\":\"" JWS_DIGEST "\",\"size\":" size "}"
#define JWS_LAYER LAYER("application/jose+json", "4296")
#define ANNOTATIONS                                                                           \
  "\"annotations\":{\"io.cncf.notary.x509chain.thumbprint#S256\":\"[\\\"ab\\\"]\","           \
  "\"org.opencontainers.image.created\":\"2026-11-27T05:31:09Z\"}"

/* notation's signature manifest, form (a) */
#define SIG_A                                                                                 \
  "{\"schemaVersion\":2,\"mediaType\":\"" MT_MANIFEST "\",\"artifactType\":\"" AT_SIG "\","   \
  CONFIG(MT_EMPTY) ",\"layers\":[" JWS_LAYER "]," SUBJECT_ART "," ANNOTATIONS "}"

static char *read_file(const char *path, size_t *len)
{
  bytes b = slurp_text(path);
  *len = b.len;
  return (char *)b.data;
}

/* A descriptor for `data` with the given media type (digest computed). */
static void make_desc(nv_descriptor *desc, const char *media_type, const void *data, size_t len)
{
  nv_digest dg;
  char text[NV_DIGEST_STRING_MAX];
  nv_descriptor_init(desc);
  assert_int_equal(nv_digest_compute(NV_DIGEST_SHA256, data, len, &dg, NULL), NV_OK);
  assert_int_equal(nv_digest_format(&dg, text, sizeof(text), NULL), NV_OK);
  desc->media_type = strdup(media_type);
  desc->digest = strdup(text);
  desc->size = len;
  assert_non_null(desc->media_type);
  assert_non_null(desc->digest);
}

static void make_target(nv_descriptor *t)
{
  nv_descriptor_init(t);
  t->media_type = strdup(MT_MANIFEST);
  t->digest = strdup(ART_DIGEST);
  t->size = 246;
}

/* ------------------------------------------------------------------ */
/* manifest parser                                                     */

typedef struct manifest_case {
  const char *name;
  const char *json;
  const char *hint;
  nv_status want;
  nv_reg_manifest_kind kind;
  size_t layers;
} manifest_case;

static const manifest_case manifest_cases[] = {
  {"notation (a)", SIG_A, NULL, NV_OK, NV_REG_MANIFEST_IMAGE, 1},
  {"hint equal", SIG_A, MT_MANIFEST, NV_OK, NV_REG_MANIFEST_IMAGE, 1},
  {"hint differs", SIG_A, MT_ARTIFACT, NV_E_PARSE, 0, 0},
  {"no mediaType, hint", "{" CONFIG(MT_EMPTY) ",\"layers\":[]}", MT_MANIFEST, NV_OK,
   NV_REG_MANIFEST_IMAGE, 0},
  {"no mediaType, no hint", "{" CONFIG(MT_EMPTY) ",\"layers\":[]}", NULL, NV_E_UNSUPPORTED, 0, 0},
  {"index type", "{\"mediaType\":\"" MT_INDEX "\",\"manifests\":[]}", NULL, NV_E_UNSUPPORTED, 0,
   0},
  {"docker type", "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\"}", NULL,
   NV_E_UNSUPPORTED, 0, 0},
  {"schemaVersion 1", "{\"schemaVersion\":1,\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
   ",\"layers\":[]}", NULL, NV_E_PARSE, 0, 0},
  {"schemaVersion string", "{\"schemaVersion\":\"2\",\"mediaType\":\"" MT_MANIFEST
   "\"," CONFIG(MT_EMPTY) ",\"layers\":[]}", NULL, NV_E_JSON_TYPE, 0, 0},
  {"schemaVersion 2.0", "{\"schemaVersion\":2.0,\"mediaType\":\"" MT_MANIFEST
   "\"," CONFIG(MT_EMPTY) ",\"layers\":[]}", NULL, NV_E_JSON_NUMBER, 0, 0},
  {"no schemaVersion", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY) ",\"layers\":[]}",
   NULL, NV_OK, NV_REG_MANIFEST_IMAGE, 0},
  {"no config", "{\"mediaType\":\"" MT_MANIFEST "\",\"layers\":[]}", NULL,
   NV_E_JSON_MISSING_MEMBER, 0, 0},
  {"config not object", "{\"mediaType\":\"" MT_MANIFEST "\",\"config\":[],\"layers\":[]}", NULL,
   NV_E_JSON_TYPE, 0, 0},
  {"config no digest", "{\"mediaType\":\"" MT_MANIFEST "\",\"config\":{\"mediaType\":\"x\","
   "\"size\":2},\"layers\":[]}", NULL, NV_E_JSON_MISSING_MEMBER, 0, 0},
  {"no layers", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY) "}", NULL,
   NV_E_JSON_MISSING_MEMBER, 0, 0},
  {"layers object", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY) ",\"layers\":{}}", NULL,
   NV_E_JSON_TYPE, 0, 0},
  {"two layers", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY) ",\"layers\":[" JWS_LAYER
   "," JWS_LAYER "]}", NULL, NV_OK, NV_REG_MANIFEST_IMAGE, 2},
  {"layer not object", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY) ",\"layers\":[1]}",
   NULL, NV_E_JSON_TYPE, 0, 0},
  {"layer traversal digest", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
   ",\"layers\":[{\"mediaType\":\"a\",\"digest\":\"sha256:../../etc/passwd\",\"size\":1}]}", NULL,
   NV_E_DIGEST_FORMAT, 0, 0},
  {"layer md5 digest", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
   ",\"layers\":[{\"mediaType\":\"a\",\"digest\":\"md5:d41d8cd98f00b204e9800998ecf8427e\","
   "\"size\":1}]}", NULL, NV_E_DIGEST_UNSUPPORTED, 0, 0},
  {"layer upper-case hex", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
   ",\"layers\":[{\"mediaType\":\"a\",\"digest\":\"sha256:"
   "E366265C6B5C733E43642DB6B1371B59227F0D3796FC066A9EC06C90FB955502\",\"size\":1}]}", NULL,
   NV_E_DIGEST_FORMAT, 0, 0},
  {"layer negative size", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
   ",\"layers\":[" LAYER("a", "-1") "]}", NULL, NV_E_JSON_NUMBER, 0, 0},
  {"layer size 1e3", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
   ",\"layers\":[" LAYER("a", "1e3") "]}", NULL, NV_E_JSON_NUMBER, 0, 0},
  {"duplicate member", "{\"mediaType\":\"" MT_MANIFEST "\",\"mediaType\":\"" MT_MANIFEST
   "\"," CONFIG(MT_EMPTY) ",\"layers\":[]}", NULL, NV_E_JSON_DUPLICATE_MEMBER, 0, 0},
  {"duplicate in layer", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
   ",\"layers\":[{\"mediaType\":\"a\",\"digest\":\"" JWS_DIGEST "\",\"digest\":\"" OTHER_DIGEST
   "\",\"size\":1}]}", NULL, NV_E_JSON_DUPLICATE_MEMBER, 0, 0},
  {"trailing bytes", SIG_A "x", NULL, NV_E_JSON_SYNTAX, 0, 0},
  {"array", "[]", NULL, NV_E_JSON_TYPE, 0, 0},
  {"empty", "", NULL, NV_E_JSON_SYNTAX, 0, 0},
  {"mediaType number", "{\"mediaType\":1}", NULL, NV_E_JSON_TYPE, 0, 0},
  {"artifactType number", "{\"mediaType\":\"" MT_MANIFEST "\",\"artifactType\":7,"
   CONFIG(MT_EMPTY) ",\"layers\":[]}", NULL, NV_E_JSON_TYPE, 0, 0},
  {"annotation not string", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
   ",\"layers\":[],\"annotations\":{\"a\":1}}", NULL, NV_E_JSON_TYPE, 0, 0},
  {"annotations array", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
   ",\"layers\":[],\"annotations\":[]}", NULL, NV_E_JSON_TYPE, 0, 0},
  {"subject bad", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
   ",\"layers\":[],\"subject\":{\"mediaType\":\"a\",\"digest\":\"sha256:x\",\"size\":1}}", NULL,
   NV_E_DIGEST_FORMAT, 0, 0},
  {"subject string", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
   ",\"layers\":[],\"subject\":\"x\"}", NULL, NV_E_JSON_TYPE, 0, 0},
  {"unknown members ignored", "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
   ",\"layers\":[],\"blobs\":7,\"x\":{\"y\":[]}}", NULL, NV_OK, NV_REG_MANIFEST_IMAGE, 0},
  {"escaped NUL", "{\"mediaType\":\"" MT_MANIFEST "\\u0000\"}", NULL, NV_E_JSON_ENCODING, 0, 0},
  {"artifact manifest", "{\"mediaType\":\"" MT_ARTIFACT "\",\"artifactType\":\"" AT_SIG
   "\",\"blobs\":[" JWS_LAYER "]," SUBJECT_ART "}", NULL, NV_OK, NV_REG_MANIFEST_ARTIFACT, 1},
  {"artifact manifest no blobs", "{\"mediaType\":\"" MT_ARTIFACT "\",\"artifactType\":\"x\"}",
   NULL, NV_OK, NV_REG_MANIFEST_ARTIFACT, 0},
  {"artifact manifest ignores layers", "{\"mediaType\":\"" MT_ARTIFACT "\",\"layers\":[" JWS_LAYER
   "]}", NULL, NV_OK, NV_REG_MANIFEST_ARTIFACT, 0},
  {"artifact manifest blobs string", "{\"mediaType\":\"" MT_ARTIFACT "\",\"blobs\":\"x\"}", NULL,
   NV_E_JSON_TYPE, 0, 0},
};

static void manifest_table(void **state)
{
  (void)state;
  for (size_t i = 0; i < sizeof(manifest_cases) / sizeof(manifest_cases[0]); i++) {
    const manifest_case *c = &manifest_cases[i];
    nv_diag d;
    nv_diag_init(&d);
    nv_reg_manifest m;
    nv_status rc = nv_reg_manifest_parse(c->json, strlen(c->json), c->hint, &m, &d);
    if (rc != c->want)
      fail_msg("case \"%s\": got %d, want %d (%s)", c->name, rc, c->want, d.msg);
    if (rc == NV_OK) {
      assert_int_equal(m.kind, c->kind);
      assert_int_equal(m.layer_count, c->layers);
    } else {
      /* failure leaves the output initialised and says why */
      assert_int_equal(m.kind, NV_REG_MANIFEST_NONE);
      assert_null(m.layers);
      assert_int_equal(d.status, rc);
      assert_true(d.msg[0] != '\0');
    }
    nv_reg_manifest_free(&m);
  }
}

static void manifest_fields(void **state)
{
  (void)state;
  nv_reg_manifest m;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_reg_manifest_parse(SIG_A, strlen(SIG_A), NULL, &m, &d), NV_OK);
  assert_string_equal(m.media_type, MT_MANIFEST);
  assert_string_equal(m.artifact_type, AT_SIG);
  assert_true(m.has_config);
  assert_string_equal(m.config.media_type, MT_EMPTY);
  assert_string_equal(m.config.digest, EMPTY_DIGEST);
  assert_int_equal(m.config.size, 2);
  assert_string_equal(m.layers[0].media_type, "application/jose+json");
  assert_string_equal(m.layers[0].digest, JWS_DIGEST);
  assert_int_equal(m.layers[0].size, 4296);
  assert_true(m.has_subject);
  assert_string_equal(m.subject.digest, ART_DIGEST);
  assert_int_equal(m.annotations.count, 2);
  assert_string_equal(nv_annotations_get(&m.annotations, "org.opencontainers.image.created"),
                      "2026-11-27T05:31:09Z");
  assert_null(nv_annotations_get(&m.annotations, "org.opencontainers.image.CREATED"));
  assert_string_equal(nv_reg_manifest_artifact_type(&m), AT_SIG);
  nv_reg_manifest_free(&m);
  assert_null(m.layers);
  assert_null(m.media_type);

  /* the artifact type a registry reports: config.mediaType without one */
  static const char legacy[] =
      "{\"mediaType\":\"" MT_MANIFEST "\",\"artifactType\":\"\"," CONFIG(AT_SIG) ",\"layers\":[]}";
  assert_int_equal(nv_reg_manifest_parse(legacy, strlen(legacy), NULL, &m, &d), NV_OK);
  assert_string_equal(m.artifact_type, "");
  assert_false(m.has_subject);
  assert_string_equal(nv_reg_manifest_artifact_type(&m), AT_SIG);
  nv_reg_manifest_free(&m);
}

static char *layers_doc(size_t n)
{
  size_t cap = 200 + n * (sizeof(JWS_LAYER) + 1);
  char *s = malloc(cap);
  assert_non_null(s);
  size_t off = (size_t)snprintf(s, cap, "{\"mediaType\":\"%s\",%s,\"layers\":[", MT_MANIFEST,
                                CONFIG(MT_EMPTY));
  for (size_t i = 0; i < n; i++)
    off += (size_t)snprintf(s + off, cap - off, "%s%s", i ? "," : "", JWS_LAYER);
  snprintf(s + off, cap - off, "]}");
  return s;
}

static void manifest_limits(void **state)
{
  (void)state;
  nv_reg_manifest m;
  nv_diag d;
  nv_diag_init(&d);
  char *doc = layers_doc(NV_REG_MAX_LAYERS);
  assert_int_equal(nv_reg_manifest_parse(doc, strlen(doc), NULL, &m, &d), NV_OK);
  assert_int_equal(m.layer_count, NV_REG_MAX_LAYERS);
  nv_reg_manifest_free(&m);
  free(doc);
  doc = layers_doc(NV_REG_MAX_LAYERS + 1);
  assert_int_equal(nv_reg_manifest_parse(doc, strlen(doc), NULL, &m, &d), NV_E_LIMIT);
  assert_non_null(strstr(d.msg, "layers"));
  free(doc);

  /* the size limit comes before parsing: these bytes are not JSON */
  size_t big = NV_LIMIT_MANIFEST_BYTES + 1;
  char *junk = malloc(big);
  assert_non_null(junk);
  memset(junk, '!', big);
  assert_int_equal(nv_reg_manifest_parse(junk, big, NULL, &m, &d), NV_E_CONTENT_TOO_LARGE);
  assert_int_equal(nv_reg_manifest_parse(junk, big - 1, NULL, &m, &d), NV_E_JSON_SYNTAX);
  free(junk);

  /* 257 annotations */
  size_t cap = 64 + 257 * 16;
  char *ann = malloc(cap);
  assert_non_null(ann);
  size_t off = (size_t)snprintf(ann, cap, "{\"mediaType\":\"%s\",\"annotations\":{", MT_ARTIFACT);
  for (int i = 0; i < 257; i++)
    off += (size_t)snprintf(ann + off, cap - off, "%s\"k%d\":\"v\"", i ? "," : "", i);
  snprintf(ann + off, cap - off, "}}");
  assert_int_equal(nv_reg_manifest_parse(ann, strlen(ann), NULL, &m, &d), NV_E_LIMIT);
  free(ann);

  assert_int_equal(nv_reg_manifest_parse(NULL, 1, NULL, &m, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_manifest_parse("{}", 2, NULL, NULL, &d), NV_E_INVALID_ARG);
}

/* ------------------------------------------------------------------ */
/* image index                                                         */

#define ENTRY(digest, at)                                                                     \
  "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"" digest "\",\"size\":862,"                \
  "\"artifactType\":\"" at "\"}"

typedef struct index_case {
  const char *name;
  const char *json;
  nv_status want;
  size_t count;
  bool filtered;
} index_case;

static const index_case index_cases[] = {
  {"referrers", "{\"schemaVersion\":2,\"mediaType\":\"" MT_INDEX "\",\"manifests\":[" ENTRY(
       JWS_DIGEST, AT_SIG) "]}", NV_OK, 1, false},
  {"no mediaType", "{\"manifests\":[]}", NV_OK, 0, false},
  {"filtersApplied", "{\"manifests\":[],\"annotations\":{"
   "\"org.opencontainers.referrers.filtersApplied\":\"artifactType\"}}", NV_OK, 0, true},
  {"filtersApplied list", "{\"manifests\":[],\"annotations\":{"
   "\"org.opencontainers.referrers.filtersApplied\":\"annotation, artifactType \"}}", NV_OK, 0,
   true},
  {"filtersApplied other", "{\"manifests\":[],\"annotations\":{"
   "\"org.opencontainers.referrers.filtersApplied\":\"artifactTypes,annotation\"}}", NV_OK, 0,
   false},
  {"filtersApplied empty", "{\"manifests\":[],\"annotations\":{"
   "\"org.opencontainers.referrers.filtersApplied\":\"\"}}", NV_OK, 0, false},
  {"artifactType", "{\"artifactType\":\"x\",\"manifests\":[]}", NV_OK, 0, false},
  {"manifest type", "{\"mediaType\":\"" MT_MANIFEST "\",\"manifests\":[]}", NV_E_UNSUPPORTED, 0,
   false},
  {"no manifests", "{\"mediaType\":\"" MT_INDEX "\"}", NV_E_JSON_MISSING_MEMBER, 0, false},
  {"manifests object", "{\"manifests\":{}}", NV_E_JSON_TYPE, 0, false},
  {"schemaVersion 3", "{\"schemaVersion\":3,\"manifests\":[]}", NV_E_PARSE, 0, false},
  {"entry bad digest", "{\"manifests\":[{\"mediaType\":\"a\",\"digest\":\"sha256:../../x\","
   "\"size\":1}]}", NV_E_DIGEST_FORMAT, 0, false},
  {"entry no size", "{\"manifests\":[{\"mediaType\":\"a\",\"digest\":\"" JWS_DIGEST "\"}]}",
   NV_E_JSON_MISSING_MEMBER, 0, false},
  {"duplicate", "{\"manifests\":[],\"manifests\":[]}", NV_E_JSON_DUPLICATE_MEMBER, 0, false},
  {"string", "\"x\"", NV_E_JSON_TYPE, 0, false},
};

static void index_table(void **state)
{
  (void)state;
  for (size_t i = 0; i < sizeof(index_cases) / sizeof(index_cases[0]); i++) {
    const index_case *c = &index_cases[i];
    nv_diag d;
    nv_diag_init(&d);
    nv_reg_index idx;
    nv_status rc = nv_reg_index_parse(c->json, strlen(c->json), NV_LIMIT_REFERRERS_PAGE_BYTES,
                                      &idx, &d);
    if (rc != c->want)
      fail_msg("case \"%s\": got %d, want %d (%s)", c->name, rc, c->want, d.msg);
    assert_int_equal(idx.manifest_count, c->count);
    assert_int_equal(idx.filters_applied_artifact_type, c->filtered);
    if (rc != NV_OK)
      assert_null(idx.manifests);
    nv_reg_index_free(&idx);
  }
}

static char *index_doc(size_t n)
{
  static const char entry[] = ENTRY(JWS_DIGEST, AT_SIG);
  size_t cap = 64 + n * sizeof(entry);
  char *s = malloc(cap);
  assert_non_null(s);
  size_t off = (size_t)snprintf(s, cap, "{\"manifests\":[");
  for (size_t i = 0; i < n; i++)
    off += (size_t)snprintf(s + off, cap - off, "%s%s", i ? "," : "", entry);
  snprintf(s + off, cap - off, "]}");
  return s;
}

static void index_limits(void **state)
{
  (void)state;
  nv_reg_index idx;
  nv_diag d;
  nv_diag_init(&d);
  char *doc = index_doc(NV_REG_MAX_INDEX_ENTRIES);
  size_t len = strlen(doc);
  assert_int_equal(nv_reg_index_parse(doc, len, NV_LIMIT_MANIFEST_BYTES, &idx, &d), NV_OK);
  assert_int_equal(idx.manifest_count, NV_REG_MAX_INDEX_ENTRIES);
  nv_reg_index_free(&idx);
  /* the caller's byte limit comes first */
  assert_int_equal(nv_reg_index_parse(doc, len, len - 1, &idx, &d), NV_E_CONTENT_TOO_LARGE);
  free(doc);
  doc = index_doc(NV_REG_MAX_INDEX_ENTRIES + 1);
  assert_int_equal(nv_reg_index_parse(doc, strlen(doc), NV_LIMIT_MANIFEST_BYTES, &idx, &d),
                   NV_E_LIMIT);
  free(doc);
}

/* An index of `n` distinct entries: entry i has the digest sha256 of hex
 * i, size i, and the signature artifactType when i is odd; entry `bad`
 * (n or more: none) has a digest that does not parse. */
static char *distinct_index_doc(size_t n, size_t bad)
{
  size_t cap = 64 + n * 200;
  char *s = malloc(cap);
  assert_non_null(s);
  size_t off = (size_t)snprintf(s, cap, "{\"manifests\":[");
  for (size_t i = 0; i < n; i++)
    off += (size_t)snprintf(s + off, cap - off,
                            "%s{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"sha256:%s%064zx\","
                            "\"size\":%zu%s}",
                            i ? "," : "", i == bad ? "g" : "", i, i,
                            i % 2 ? ",\"artifactType\":\"" AT_SIG "\"" : "");
  assert_true(off + 3 < cap);
  snprintf(s + off, cap - off, "]}");
  return s;
}

/* A large index is read whole and in order (a guard for any change to
 * how the array is walked), and an error in its last entry names it. */
static void index_large_in_order(void **state)
{
  (void)state;
  nv_reg_index idx;
  nv_diag d;
  nv_diag_init(&d);
  size_t n = NV_REG_MAX_INDEX_ENTRIES;
  char *doc = distinct_index_doc(n, n);
  assert_int_equal(nv_reg_index_parse(doc, strlen(doc), NV_LIMIT_MANIFEST_BYTES, &idx, &d),
                   NV_OK);
  free(doc);
  assert_int_equal(idx.manifest_count, n);
  for (size_t i = 0; i < n; i++) {
    char want[NV_DIGEST_STRING_MAX];
    snprintf(want, sizeof(want), "sha256:%064zx", i);
    const nv_descriptor *e = &idx.manifests[i];
    if (strcmp(e->digest, want) != 0 || e->size != i)
      fail_msg("entry %zu: %s size %llu", i, e->digest, (unsigned long long)e->size);
    if (i % 2)
      assert_string_equal(e->artifact_type, AT_SIG);
    else
      assert_null(e->artifact_type);
  }
  nv_reg_index_free(&idx);

  doc = distinct_index_doc(n, n - 1);
  assert_int_equal(nv_reg_index_parse(doc, strlen(doc), NV_LIMIT_MANIFEST_BYTES, &idx, &d),
                   NV_E_DIGEST_FORMAT);
  free(doc);
  assert_int_equal(idx.manifest_count, 0);
  assert_null(idx.manifests);
  char where[64];
  snprintf(where, sizeof(where), "manifests[%zu]: ", n - 1);
  assert_non_null(strstr(d.msg, where));
}

/* ------------------------------------------------------------------ */
/* signature filtering                                                 */

typedef struct log_capture {
  int warnings;
  char last[256];
} log_capture;

static void capture_log(nv_log_level level, const char *component, const char *message,
                        void *user_data)
{
  log_capture *c = user_data;
  if (level == NV_LOG_WARN)
    c->warnings++;
  snprintf(c->last, sizeof(c->last), "%s: %s", component, message);
}

#define DIGEST_A "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define DIGEST_B "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define DIGEST_C "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

static const char referrers_mixed[] =
    "{\"mediaType\":\"" MT_INDEX "\",\"manifests\":[" ENTRY(DIGEST_A, AT_SIG) "," ENTRY(
        DIGEST_B, "application/spdx+json") "," ENTRY(DIGEST_A, AT_SIG) "," ENTRY(ART_DIGEST,
                                                                                  AT_SIG) "," ENTRY(DIGEST_C, AT_SIG) ","
    "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"" OTHER_DIGEST "\",\"size\":1}]}";

static void parse_mixed(nv_reg_index *idx)
{
  assert_int_equal(nv_reg_index_parse(referrers_mixed, strlen(referrers_mixed),
                                      NV_LIMIT_REFERRERS_PAGE_BYTES, idx, NULL),
                   NV_OK);
  assert_int_equal(idx->manifest_count, 6);
}

static void filter_signatures(void **state)
{
  (void)state;
  nv_reg_index idx;
  parse_mixed(&idx);
  log_capture cap = {0, ""};
  nv_diag d;
  nv_diag_init(&d);
  d.log_cb = capture_log;
  d.log_max = NV_LOG_DEBUG;
  d.log_user_data = &cap;

  nv_reg_sig_list list;
  nv_reg_sig_list_init(&list, 100);
  assert_int_equal(nv_reg_index_filter_signatures(&idx, ART_DIGEST, &list, &d), NV_OK);
  /* A; not the SBOM; not A again; the self reference (failed); C; not the
   * entry without artifactType */
  assert_int_equal(list.count, 3);
  assert_false(list.truncated);
  assert_string_equal(list.items[0].desc.digest, DIGEST_A);
  assert_int_equal(list.items[0].status, NV_OK);
  assert_string_equal(list.items[0].desc.artifact_type, AT_SIG);
  assert_int_equal(list.items[0].desc.size, 862);
  assert_string_equal(list.items[1].desc.digest, ART_DIGEST);
  assert_int_equal(list.items[1].status, NV_E_SIG_MANIFEST_SUBJECT);
  assert_string_equal(list.items[2].desc.digest, DIGEST_C);
  assert_int_equal(list.items[2].status, NV_OK);
  assert_int_equal(cap.warnings, 1);
  assert_non_null(strstr(cap.last, "points back at the subject"));

  /* a second page with the same entries adds nothing */
  assert_int_equal(nv_reg_index_filter_signatures(&idx, ART_DIGEST, &list, &d), NV_OK);
  assert_int_equal(list.count, 3);
  assert_true(nv_reg_sig_list_contains(&list, DIGEST_C));
  assert_false(nv_reg_sig_list_contains(&list, DIGEST_B));
  nv_reg_sig_list_free(&list);
  assert_int_equal(list.count, 0);
  assert_null(list.items);

  /* another subject: no self reference */
  nv_reg_sig_list_init(&list, 100);
  assert_int_equal(nv_reg_index_filter_signatures(&idx, OTHER_DIGEST, &list, &d), NV_OK);
  assert_int_equal(list.count, 3);
  for (size_t i = 0; i < list.count; i++)
    assert_int_equal(list.items[i].status, NV_OK);
  nv_reg_sig_list_free(&list);
  nv_reg_index_free(&idx);
}

static void filter_maximum(void **state)
{
  (void)state;
  nv_reg_index idx;
  parse_mixed(&idx);
  nv_reg_sig_list list;

  nv_reg_sig_list_init(&list, 2);
  assert_int_equal(nv_reg_index_filter_signatures(&idx, ART_DIGEST, &list, NULL), NV_OK);
  assert_int_equal(list.count, 2);
  assert_true(list.truncated);
  assert_true(nv_reg_sig_list_full(&list));
  assert_string_equal(list.items[1].desc.digest, ART_DIGEST);
  nv_descriptor extra;
  make_target(&extra);
  assert_int_equal(nv_reg_sig_list_add(&list, &extra, NV_OK, NULL), NV_E_LIMIT);
  nv_descriptor_free(&extra);
  nv_reg_sig_list_free(&list);

  /* exactly as many candidates as the maximum: not truncated */
  nv_reg_sig_list_init(&list, 3);
  assert_int_equal(nv_reg_index_filter_signatures(&idx, ART_DIGEST, &list, NULL), NV_OK);
  assert_int_equal(list.count, 3);
  assert_false(list.truncated);
  nv_reg_sig_list_free(&list);

  nv_reg_sig_list_init(&list, 1);
  assert_int_equal(nv_reg_index_filter_signatures(&idx, ART_DIGEST, &list, NULL), NV_OK);
  assert_int_equal(list.count, 1);
  assert_true(list.truncated);
  nv_reg_sig_list_free(&list);

  nv_reg_sig_list_init(&list, 0);
  assert_int_equal(nv_reg_index_filter_signatures(&idx, ART_DIGEST, &list, NULL),
                   NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_index_filter_signatures(&idx, NULL, &list, NULL), NV_E_INVALID_ARG);
  nv_reg_index_free(&idx);
}

static void sig_list_growth(void **state)
{
  (void)state;
  nv_reg_sig_list list;
  nv_reg_sig_list_init(&list, 1000);
  nv_descriptor desc;
  make_target(&desc);
  char digest[NV_DIGEST_STRING_MAX];
  for (int i = 0; i < 1000; i++) {
    snprintf(digest, sizeof(digest), "sha256:%064x", i);
    free(desc.digest);
    desc.digest = strdup(digest);
    assert_int_equal(nv_reg_sig_list_add(&list, &desc, i % 2 ? NV_OK : NV_E_SIG_FETCH_FAILED, NULL),
                     NV_OK);
  }
  assert_int_equal(list.count, 1000);
  assert_true(list.cap <= 1000);
  assert_true(nv_reg_sig_list_full(&list));
  assert_string_equal(list.items[999].desc.digest, digest);
  assert_int_equal(list.items[998].status, NV_E_SIG_FETCH_FAILED);
  assert_true(nv_reg_sig_list_contains(&list, "sha256:" "00000000000000000000000000000000000000000000000000000000000001f3"));
  nv_descriptor_free(&desc);
  nv_reg_sig_list_free(&list);
}

/* ------------------------------------------------------------------ */
/* signature manifest rules                                            */

typedef struct sig_case {
  const char *name;
  const char *json;
  const char *desc_type; /* the descriptor's media type */
  bool with_target;
  unsigned flags;
  nv_status want;
} sig_case;

#define IMG(at_member, cfg, layers, rest)                                                     \
  "{\"schemaVersion\":2,\"mediaType\":\"" MT_MANIFEST "\"," at_member cfg ",\"layers\":["     \
  layers "]" rest "}"
#define AT(x) "\"artifactType\":\"" x "\","
#define WITH_SUBJECT "," SUBJECT_ART

static const sig_case sig_cases[] = {
  {"(a)", SIG_A, MT_MANIFEST, true, 0, NV_OK},
  {"(a) no target", SIG_A, MT_MANIFEST, false, 0, NV_OK},
  {"(b)", IMG("", CONFIG(AT_SIG), JWS_LAYER, WITH_SUBJECT), MT_MANIFEST, true, 0, NV_OK},
  {"(b) empty artifactType", IMG(AT(""), CONFIG(AT_SIG), JWS_LAYER, WITH_SUBJECT), MT_MANIFEST,
   true, 0, NV_OK},
  {"(a) with signature config", IMG(AT(AT_SIG), CONFIG(AT_SIG), JWS_LAYER, WITH_SUBJECT),
   MT_MANIFEST, true, 0, NV_E_SIG_MANIFEST_ARTIFACT_TYPE},
  {"(a) with image config",
   IMG(AT(AT_SIG), CONFIG("application/vnd.oci.image.config.v1+json"), JWS_LAYER, WITH_SUBJECT),
   MT_MANIFEST, true, 0, NV_E_SIG_MANIFEST_ARTIFACT_TYPE},
  {"other artifactType", IMG(AT("application/spdx+json"), CONFIG(MT_EMPTY), JWS_LAYER,
                             WITH_SUBJECT), MT_MANIFEST, true, 0,
   NV_E_SIG_MANIFEST_ARTIFACT_TYPE},
  {"no artifactType, empty config", IMG("", CONFIG(MT_EMPTY), JWS_LAYER, WITH_SUBJECT),
   MT_MANIFEST, true, 0, NV_E_SIG_MANIFEST_ARTIFACT_TYPE},
  {"artifactType case", IMG(AT("application/vnd.cncf.notary.Signature"), CONFIG(MT_EMPTY),
                            JWS_LAYER, WITH_SUBJECT), MT_MANIFEST, true, 0,
   NV_E_SIG_MANIFEST_ARTIFACT_TYPE},
  {"other artifactType, rule off", IMG(AT("application/spdx+json"), CONFIG(MT_EMPTY), JWS_LAYER,
                                       WITH_SUBJECT), MT_MANIFEST, true,
   NV_REG_SIG_ANY_ARTIFACT_TYPE, NV_OK},
  {"legacy artifact", "{\"mediaType\":\"" MT_ARTIFACT "\",\"artifactType\":\"" AT_SIG
   "\",\"blobs\":[" JWS_LAYER "]," SUBJECT_ART "}", MT_ARTIFACT, true, 0, NV_OK},
  {"legacy artifact other type", "{\"mediaType\":\"" MT_ARTIFACT "\",\"artifactType\":\"x\","
   "\"blobs\":[" JWS_LAYER "]," SUBJECT_ART "}", MT_ARTIFACT, true, 0,
   NV_E_SIG_MANIFEST_ARTIFACT_TYPE},
  {"legacy artifact two blobs", "{\"mediaType\":\"" MT_ARTIFACT "\",\"artifactType\":\"" AT_SIG
   "\",\"blobs\":[" JWS_LAYER "," JWS_LAYER "]," SUBJECT_ART "}", MT_ARTIFACT, true, 0,
   NV_E_SIG_MANIFEST_LAYER_COUNT},
  {"legacy artifact no blobs", "{\"mediaType\":\"" MT_ARTIFACT "\",\"artifactType\":\"" AT_SIG
   "\"," SUBJECT_ART "}", MT_ARTIFACT, true, 0, NV_E_SIG_MANIFEST_LAYER_COUNT},
  {"no layers", IMG(AT(AT_SIG), CONFIG(MT_EMPTY), "", WITH_SUBJECT), MT_MANIFEST, true, 0,
   NV_E_SIG_MANIFEST_LAYER_COUNT},
  {"two layers", IMG(AT(AT_SIG), CONFIG(MT_EMPTY), JWS_LAYER "," JWS_LAYER, WITH_SUBJECT),
   MT_MANIFEST, true, 0, NV_E_SIG_MANIFEST_LAYER_COUNT},
  {"two layers before artifactType", IMG(AT("x"), CONFIG(MT_EMPTY), JWS_LAYER "," JWS_LAYER,
                                          WITH_SUBJECT), MT_MANIFEST, true, 0,
   NV_E_SIG_MANIFEST_LAYER_COUNT},
  {"envelope 32 MiB", IMG(AT(AT_SIG), CONFIG(MT_EMPTY), LAYER("application/cose", "33554432"),
                          WITH_SUBJECT), MT_MANIFEST, true, 0, NV_OK},
  {"envelope 32 MiB + 1", IMG(AT(AT_SIG), CONFIG(MT_EMPTY),
                              LAYER("application/cose", "33554433"), WITH_SUBJECT), MT_MANIFEST,
   true, 0, NV_E_SIG_BLOB_TOO_LARGE},
  {"too large before artifactType", IMG(AT("x"), CONFIG(MT_EMPTY),
                                         LAYER("application/cose", "33554433"), WITH_SUBJECT),
   MT_MANIFEST, true, 0, NV_E_SIG_BLOB_TOO_LARGE},
  {"no subject", IMG(AT(AT_SIG), CONFIG(MT_EMPTY), JWS_LAYER, ""), MT_MANIFEST, true, 0,
   NV_E_SIG_MANIFEST_SUBJECT},
  {"no subject, no target", IMG(AT(AT_SIG), CONFIG(MT_EMPTY), JWS_LAYER, ""), MT_MANIFEST, false,
   0, NV_OK},
  {"subject other digest", IMG(AT(AT_SIG), CONFIG(MT_EMPTY), JWS_LAYER,
                               ",\"subject\":{\"mediaType\":\"" MT_MANIFEST
                               "\",\"digest\":\"" OTHER_DIGEST "\",\"size\":246}"),
   MT_MANIFEST, true, 0, NV_E_SIG_MANIFEST_SUBJECT},
  {"subject other size", IMG(AT(AT_SIG), CONFIG(MT_EMPTY), JWS_LAYER,
                             ",\"subject\":{\"mediaType\":\"" MT_MANIFEST
                             "\",\"digest\":\"" ART_DIGEST "\",\"size\":247}"),
   MT_MANIFEST, true, 0, NV_E_SIG_MANIFEST_SUBJECT},
  {"subject other media type", IMG(AT(AT_SIG), CONFIG(MT_EMPTY), JWS_LAYER,
                                   ",\"subject\":{\"mediaType\":\"" MT_INDEX
                                   "\",\"digest\":\"" ART_DIGEST "\",\"size\":246}"),
   MT_MANIFEST, true, 0, NV_E_SIG_MANIFEST_SUBJECT},
  {"descriptor index type", SIG_A, MT_INDEX, true, 0, NV_E_SIG_MANIFEST_MEDIATYPE},
  {"descriptor octet-stream", SIG_A, "application/octet-stream", true, 0,
   NV_E_SIG_MANIFEST_MEDIATYPE},
  {"document type differs", SIG_A, MT_ARTIFACT, true, 0, NV_E_SIG_MANIFEST_MEDIATYPE},
  {"document without mediaType", "{\"artifactType\":\"" AT_SIG "\"," CONFIG(MT_EMPTY)
   ",\"layers\":[" JWS_LAYER "]," SUBJECT_ART "}", MT_MANIFEST, true, 0, NV_OK},
  {"duplicate member", "{\"mediaType\":\"" MT_MANIFEST "\",\"artifactType\":\"" AT_SIG
   "\",\"artifactType\":\"" AT_SIG "\"," CONFIG(MT_EMPTY) ",\"layers\":[" JWS_LAYER
   "]," SUBJECT_ART "}", MT_MANIFEST, true, 0, NV_E_SIG_MANIFEST_PARSE},
  {"trailing bytes", SIG_A " {}", MT_MANIFEST, true, 0, NV_E_SIG_MANIFEST_PARSE},
  {"layers missing", "{\"mediaType\":\"" MT_MANIFEST "\",\"artifactType\":\"" AT_SIG
   "\"," CONFIG(MT_EMPTY) "," SUBJECT_ART "}", MT_MANIFEST, true, 0, NV_E_SIG_MANIFEST_PARSE},
  {"not JSON", "\x89PNG", MT_MANIFEST, true, 0, NV_E_SIG_MANIFEST_PARSE},
};

static void sig_manifest_table(void **state)
{
  (void)state;
  nv_descriptor target;
  make_target(&target);
  for (size_t i = 0; i < sizeof(sig_cases) / sizeof(sig_cases[0]); i++) {
    const sig_case *c = &sig_cases[i];
    nv_diag d;
    nv_diag_init(&d);
    nv_descriptor desc;
    size_t len = strlen(c->json);
    make_desc(&desc, c->desc_type, c->json, len);
    nv_reg_sig_manifest s;
    nv_status rc = nv_reg_sig_manifest_parse(&desc, c->json, len, c->with_target ? &target : NULL,
                                             c->flags, &s, &d);
    if (rc != c->want)
      fail_msg("case \"%s\": got %d, want %d (%s)", c->name, rc, c->want, d.msg);
    if (rc == NV_OK) {
      assert_non_null(s.envelope);
      assert_ptr_equal(s.envelope, &s.manifest.layers[0]);
      assert_string_equal(s.envelope_media_type, s.manifest.layers[0].media_type);
    } else {
      assert_null(s.envelope);
      assert_null(s.envelope_media_type);
      assert_null(s.manifest.layers);
      assert_true(d.msg[0] != '\0');
    }
    nv_reg_sig_manifest_free(&s);
    nv_descriptor_free(&desc);
  }
  nv_descriptor_free(&target);
}

static void sig_manifest_messages(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  static const char two[] = IMG(AT(AT_SIG), CONFIG(MT_EMPTY), JWS_LAYER "," JWS_LAYER, "");
  nv_descriptor desc;
  make_desc(&desc, MT_MANIFEST, two, strlen(two));
  nv_reg_sig_manifest s;
  assert_int_equal(nv_reg_sig_manifest_parse(&desc, two, strlen(two), NULL, 0, &s, &d),
                   NV_E_SIG_MANIFEST_LAYER_COUNT);
  assert_non_null(
      strstr(d.msg, "signature manifest requires exactly one signature envelope blob, found 2"));
  nv_descriptor_free(&desc);

  /* a parse failure keeps the detail */
  static const char dup[] = "{\"mediaType\":\"" MT_MANIFEST "\",\"mediaType\":\"x\"}";
  make_desc(&desc, MT_MANIFEST, dup, strlen(dup));
  assert_int_equal(nv_reg_sig_manifest_parse(&desc, dup, strlen(dup), NULL, 0, &s, &d),
                   NV_E_SIG_MANIFEST_PARSE);
  assert_int_equal(d.status, NV_E_SIG_MANIFEST_PARSE);
  assert_non_null(strstr(d.msg, "mediaType"));
  nv_descriptor_free(&desc);
}

static void sig_manifest_descriptor_checks(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  nv_descriptor desc;
  size_t len = strlen(SIG_A);
  make_desc(&desc, MT_MANIFEST, SIG_A, len);
  nv_reg_sig_manifest s;

  /* content and descriptor must agree (2.3 step 3) */
  desc.size = len + 1;
  assert_int_equal(nv_reg_sig_manifest_parse(&desc, SIG_A, len, NULL, 0, &s, &d),
                   NV_E_SIG_DIGEST_MISMATCH);
  desc.size = len;
  char *changed = strdup(SIG_A);
  changed[len - 3] = 'X';
  assert_int_equal(nv_reg_sig_manifest_parse(&desc, changed, len, NULL, 0, &s, &d),
                   NV_E_SIG_DIGEST_MISMATCH);
  free(changed);
  assert_int_equal(nv_reg_sig_manifest_parse(&desc, SIG_A, len, NULL, 0, &s, &d), NV_OK);
  nv_reg_sig_manifest_free(&s);

  /* the size limit of the descriptor comes before anything else */
  desc.size = NV_LIMIT_MANIFEST_BYTES;
  assert_int_equal(nv_reg_sig_manifest_check_descriptor(&desc, &d), NV_OK);
  desc.size = NV_LIMIT_MANIFEST_BYTES + 1;
  assert_int_equal(nv_reg_sig_manifest_check_descriptor(&desc, &d), NV_E_SIG_MANIFEST_TOO_LARGE);
  assert_int_equal(nv_reg_sig_manifest_parse(&desc, SIG_A, len, NULL, 0, &s, &d),
                   NV_E_SIG_MANIFEST_TOO_LARGE);
  free(desc.media_type);
  desc.media_type = strdup(MT_INDEX);
  assert_int_equal(nv_reg_sig_manifest_check_descriptor(&desc, &d), NV_E_SIG_MANIFEST_MEDIATYPE);
  free(desc.media_type);
  desc.media_type = strdup(MT_ARTIFACT);
  desc.size = 10;
  assert_int_equal(nv_reg_sig_manifest_check_descriptor(&desc, &d), NV_OK);
  assert_int_equal(nv_reg_sig_manifest_check_descriptor(NULL, &d), NV_E_INVALID_ARG);
  nv_descriptor_free(&desc);
}

/* The signature manifests of the demo layouts, as the reference layout
 * writer (tools/demo/make_demo_layout.py) made them. */
static void demo_signature_manifests(void **state)
{
  (void)state;
  static const struct {
    const char *layout;
    const char *hex;
    const char *envelope_type;
  } demos[] = {
    {"layout-jws", DEMO_JWS_SIG, "application/jose+json"},
    {"layout-cose", DEMO_COSE_SIG, "application/cose"},
  };
  nv_descriptor target;
  make_target(&target);
  for (size_t i = 0; i < 2; i++) {
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s/blobs/sha256/%s", NV_DEMO_DIR, demos[i].layout,
             demos[i].hex);
    size_t len;
    char *data = read_file(path, &len);
    nv_descriptor desc;
    make_desc(&desc, MT_MANIFEST, data, len);
    assert_string_equal(desc.digest + 7, demos[i].hex);
    nv_reg_sig_manifest s;
    nv_diag d;
    nv_diag_init(&d);
    assert_int_equal(nv_reg_sig_manifest_parse(&desc, data, len, &target, 0, &s, &d), NV_OK);
    assert_string_equal(s.envelope_media_type, demos[i].envelope_type);
    assert_string_equal(s.manifest.config.digest, EMPTY_DIGEST);
    const char *tp = nv_annotations_get(&s.manifest.annotations, NV_REG_ANN_THUMBPRINT);
    assert_non_null(tp);
    assert_non_null(strstr(tp, "6b2f45684ba05b2900a5c8aae4c8643b8daadf88e604811e8802938be76db053"));
    nv_reg_sig_manifest_free(&s);

    /* the same bytes for another subject */
    free(target.digest);
    target.digest = strdup(OTHER_DIGEST);
    assert_int_equal(nv_reg_sig_manifest_parse(&desc, data, len, &target, 0, &s, &d),
                     NV_E_SIG_MANIFEST_SUBJECT);
    free(target.digest);
    target.digest = strdup(ART_DIGEST);
    nv_descriptor_free(&desc);
    free(data);
  }
  nv_descriptor_free(&target);

  /* the demo referrers index lists the JWS signature */
  char path[1024];
  snprintf(path, sizeof(path), "%s/layout-jws/blobs/sha256/%s", NV_DEMO_DIR, DEMO_JWS_REFERRERS);
  size_t len;
  char *data = read_file(path, &len);
  nv_reg_index idx;
  assert_int_equal(nv_reg_index_parse(data, len, NV_LIMIT_REFERRERS_PAGE_BYTES, &idx, NULL), NV_OK);
  nv_reg_sig_list list;
  nv_reg_sig_list_init(&list, 100);
  assert_int_equal(nv_reg_index_filter_signatures(&idx, ART_DIGEST, &list, NULL), NV_OK);
  assert_int_equal(list.count, 1);
  assert_string_equal(list.items[0].desc.digest, "sha256:" DEMO_JWS_SIG);
  assert_non_null(nv_descriptor_annotation(&list.items[0].desc, NV_REG_ANN_THUMBPRINT));
  nv_reg_sig_list_free(&list);
  nv_reg_index_free(&idx);
  free(data);
}

static void descriptor_copy(void **state)
{
  (void)state;
  nv_reg_index idx;
  static const char doc[] =
      "{\"manifests\":[{\"mediaType\":\"a\",\"digest\":\"" JWS_DIGEST "\",\"size\":3,"
      "\"artifactType\":\"t\",\"annotations\":{\"k1\":\"v1\",\"k2\":\"v2\"}}]}";
  assert_int_equal(nv_reg_index_parse(doc, strlen(doc), 4096, &idx, NULL), NV_OK);
  nv_descriptor copy;
  assert_int_equal(nv_descriptor_copy(&copy, &idx.manifests[0], NULL), NV_OK);
  nv_reg_index_free(&idx);
  assert_string_equal(copy.media_type, "a");
  assert_string_equal(copy.digest, JWS_DIGEST);
  assert_int_equal(copy.size, 3);
  assert_string_equal(copy.artifact_type, "t");
  assert_int_equal(copy.annotations.count, 2);
  assert_string_equal(nv_descriptor_annotation(&copy, "k2"), "v2");
  nv_descriptor_free(&copy);
}

/* Errors keep their code when the caller passes no nv_diag (the base
 * layer's nv_diag_wrap(NULL, NV_OK, ...) would turn them into NV_OK). */
static void null_diag(void **state)
{
  (void)state;
  static const char bad_layer[] = "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
                                  ",\"layers\":[{\"mediaType\":\"a\",\"digest\":\"sha256:../x\","
                                  "\"size\":1}]}";
  nv_reg_manifest m;
  assert_int_equal(nv_reg_manifest_parse(bad_layer, strlen(bad_layer), NULL, &m, NULL),
                   NV_E_DIGEST_FORMAT);
  assert_null(m.layers);
  static const char bad_subject[] = "{\"mediaType\":\"" MT_MANIFEST "\"," CONFIG(MT_EMPTY)
                                    ",\"layers\":[],\"subject\":{\"mediaType\":\"a\","
                                    "\"digest\":\"sha256:\",\"size\":1}}";
  assert_int_equal(nv_reg_manifest_parse(bad_subject, strlen(bad_subject), NULL, &m, NULL),
                   NV_E_DIGEST_FORMAT);
  static const char bad_entry[] =
      "{\"manifests\":[" ENTRY(JWS_DIGEST, AT_SIG) ",{\"mediaType\":\"a\",\"digest\":"
      "\"sha256:../../etc/passwd\",\"size\":1}]}";
  nv_reg_index idx;
  assert_int_equal(nv_reg_index_parse(bad_entry, strlen(bad_entry), 4096, &idx, NULL),
                   NV_E_DIGEST_FORMAT);
  assert_null(idx.manifests);
  nv_descriptor desc;
  make_desc(&desc, MT_MANIFEST, bad_layer, strlen(bad_layer));
  nv_reg_sig_manifest s;
  assert_int_equal(
      nv_reg_sig_manifest_parse(&desc, bad_layer, strlen(bad_layer), NULL, 0, &s, NULL),
      NV_E_SIG_MANIFEST_PARSE);
  nv_descriptor_free(&desc);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(manifest_table),
    cmocka_unit_test(manifest_fields),
    cmocka_unit_test(manifest_limits),
    cmocka_unit_test(index_table),
    cmocka_unit_test(index_limits),
    cmocka_unit_test(index_large_in_order),
    cmocka_unit_test(filter_signatures),
    cmocka_unit_test(filter_maximum),
    cmocka_unit_test(sig_list_growth),
    cmocka_unit_test(sig_manifest_table),
    cmocka_unit_test(sig_manifest_messages),
    cmocka_unit_test(sig_manifest_descriptor_checks),
    cmocka_unit_test(demo_signature_manifests),
    cmocka_unit_test(descriptor_copy),
    cmocka_unit_test(null_diag),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
