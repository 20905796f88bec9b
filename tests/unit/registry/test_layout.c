/*
 * OCI image layouts as an offline source (registry layer): the demo layouts
 * made from the reference-signed fixtures (tools/demo/make_demo_layout.py),
 * notation-go's own layout test data, and tampered copies built in
 * temporary directories: content, sizes, missing blobs, symlinks and
 * special files, bad oci-layout / index.json, self-referencing referrers
 * indexes, the attempt maximum, path traversal through digests.
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
#include <sys/stat.h>
#include <unistd.h>

#include "base/nv_digest.h"
#include "base/nv_limits.h"
#include "registry/nv_reg_layout.h"

#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_EMPTY "application/vnd.oci.empty.v1+json"
#define AT_SIG "application/vnd.cncf.notary.signature"

#define DEMO_JWS NV_DEMO_DIR "/layout-jws"
#define DEMO_COSE NV_DEMO_DIR "/layout-cose"
#define FIXTURES NV_DEMO_DIR "/../../tests/bench/fixtures"
#define NOTATION_LAYOUT NV_VECTORS "/notation-go/internal/testdata/oci-layout"

#define ART_HEX "f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268"
#define ART_DIGEST "sha256:" ART_HEX
#define EMPTY_HEX "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
#define JWS_SIG_HEX "f373032ea65f525bf6805652470b63619c2d8de3f4a70ed2c1d43fd77fc9e86b"
#define JWS_ENV_HEX "e366265c6b5c733e43642db6b1371b59227f0d3796fc066a9ec06c90fb955502"
#define JWS_REF_HEX "ad81a2edd30e7aa6ca776073ea20f46c8ffe7cc0978c9b865ba088a4af2b930c"
#define COSE_SIG_HEX "aca947b9dae6579529c49cdd4b64e2a268592fdbebf20fee36ba5a8c3860eeba"
#define COSE_ENV_HEX "897cd608e8dcd4949a6009b8791892cea439b13ac7a8097e4459a8ce74fd5b25"
#define MISSING_DIGEST "sha256:1111111111111111111111111111111111111111111111111111111111111111"

/* index.json entries of the demo JWS layout */
#define E_ART                                                                                 \
  "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"" ART_DIGEST "\",\"size\":246,"            \
  "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}"
#define E_SIG "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"sha256:" JWS_SIG_HEX "\",\"size\":862}"
#define E_REF                                                                                 \
  "{\"mediaType\":\"" MT_INDEX "\",\"digest\":\"sha256:" JWS_REF_HEX "\",\"size\":554,"       \
  "\"annotations\":{\"org.opencontainers.image.ref.name\":\"sha256-" ART_HEX "\"}}"

/* ------------------------------------------------------------------ */
/* helpers                                                             */

/* A temporary copy of a layout (or an empty directory when src is NULL). */
typedef struct tmp_layout {
  char root[256]; /* the mkdtemp directory */
  char dir[300];  /* the layout inside it */
} tmp_layout;

static void tmp_init(tmp_layout *t, const char *src)
{
  tmp_dir_new(t->root, sizeof(t->root), "nv-layout-test");
  path_join(t->dir, sizeof(t->dir), t->root, "layout");
  if (src != NULL)
    copy_tree(src, t->dir);
  else
    assert_int_equal(mkdir(t->dir, 0700), 0);
}

static void tmp_free(tmp_layout *t)
{
  rm_tree(t->root);
}

static void blob_path(const tmp_layout *t, const char *hex, char *out, size_t size)
{
  snprintf(out, size, "%s/blobs/sha256/%s", t->dir, hex);
}

/* Move `path` out of the layout, to <root>/<name> (in `outside`), and put
 * a symbolic link to it in its place. */
static void link_outside(const tmp_layout *t, const char *path, const char *name, char *outside,
                         size_t size)
{
  path_join(outside, size, t->root, name);
  assert_int_equal(rename(path, outside), 0);
  assert_int_equal(symlink(outside, path), 0);
}

/* Store `text` as a blob; its digest goes to digest_out. */
static size_t put_blob(const tmp_layout *t, const char *text, char *digest_out)
{
  nv_digest dg;
  size_t len = strlen(text);
  assert_int_equal(nv_digest_compute(NV_DIGEST_SHA256, text, len, &dg, NULL), NV_OK);
  assert_int_equal(nv_digest_format(&dg, digest_out, NV_DIGEST_STRING_MAX, NULL), NV_OK);
  char path[1024];
  blob_path(t, digest_out + 7, path, sizeof(path));
  write_path(path, text, len);
  return len;
}

static void set_index(const tmp_layout *t, const char *entries)
{
  size_t size = strlen(entries) + 64;
  char *doc = malloc(size);
  assert_non_null(doc);
  int n = snprintf(doc, size, "{\"schemaVersion\":2,\"manifests\":[%s]}", entries);
  write_in(t->dir, "index.json", doc, (size_t)n);
  free(doc);
}

static nv_reg_layout *open_ok(const char *path)
{
  nv_reg_layout *l = NULL;
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_reg_layout_open(path, &l, &d);
  if (rc != NV_OK)
    fail_msg("open %s: %d %s", path, rc, d.msg);
  assert_non_null(l);
  return l;
}

static nv_status open_status(const char *path, nv_diag *d)
{
  nv_reg_layout *l = (nv_reg_layout *)(uintptr_t)1;
  nv_diag_init(d);
  nv_status rc = nv_reg_layout_open(path, &l, d);
  if (rc == NV_OK) {
    nv_reg_layout_close(l);
  } else {
    assert_null(l);
    assert_int_equal(d->status, rc);
  }
  return rc;
}

static nv_status resolve(const nv_reg_layout *l, const char *ref_text, nv_descriptor *out,
                         nv_diag *d)
{
  nv_reg_layout_ref ref;
  nv_diag_init(d);
  nv_status rc = nv_reg_layout_ref_parse(ref_text, &ref, d);
  if (rc == NV_OK)
    rc = nv_reg_layout_resolve(l, &ref, out, d);
  nv_reg_layout_ref_free(&ref);
  return rc;
}

static void artifact_desc(nv_descriptor *t)
{
  nv_descriptor_init(t);
  t->media_type = strdup(MT_MANIFEST);
  t->digest = strdup(ART_DIGEST);
  t->size = 246;
}

static void make_desc(nv_descriptor *desc, const char *mt, const char *digest, uint64_t size)
{
  nv_descriptor_init(desc);
  desc->media_type = strdup(mt);
  desc->digest = strdup(digest);
  desc->size = size;
}

static nv_status list_sigs(const nv_reg_layout *l, size_t max, nv_reg_sig_list *list, nv_diag *d)
{
  nv_descriptor subject;
  artifact_desc(&subject);
  nv_reg_sig_list_init(list, max);
  nv_status rc = nv_reg_layout_list_signatures(l, &subject, list, d);
  nv_descriptor_free(&subject);
  return rc;
}

typedef struct log_capture {
  int warnings;
  char last[512];
} log_capture;

static void capture_log(nv_log_level level, const char *component, const char *message,
                        void *user_data)
{
  log_capture *c = user_data;
  if (level <= NV_LOG_WARN)
    c->warnings++;
  snprintf(c->last, sizeof(c->last), "%s: %s", component, message);
}

static void diag_with_log(nv_diag *d, log_capture *cap)
{
  nv_diag_init(d);
  memset(cap, 0, sizeof(*cap));
  d->log_cb = capture_log;
  d->log_max = NV_LOG_DEBUG;
  d->log_user_data = cap;
}

/* A signature manifest for the demo artifact with `layers` and the
 * artifactType member `at` (a JSON fragment or ""); `salt` makes it unique. */
static size_t put_sig_manifest(const tmp_layout *t, const char *at, const char *config_mt,
                               const char *layers, int salt, char *digest_out)
{
  char doc[2048];
  snprintf(doc, sizeof(doc),
           "{\"schemaVersion\":2,\"mediaType\":\"%s\",%s\"config\":{\"mediaType\":\"%s\","
           "\"digest\":\"sha256:%s\",\"size\":2},\"layers\":[%s],\"subject\":{\"mediaType\":"
           "\"%s\",\"digest\":\"%s\",\"size\":246},\"annotations\":{\"salt\":\"%d\"}}",
           MT_MANIFEST, at, config_mt, EMPTY_HEX, layers, MT_MANIFEST, ART_DIGEST, salt);
  return put_blob(t, doc, digest_out);
}

#define JWS_LAYER                                                                             \
  "{\"mediaType\":\"application/jose+json\",\"digest\":\"sha256:" JWS_ENV_HEX "\",\"size\":4296}"

static void entry(char *out, size_t size, const char *mt, const char *digest, size_t len,
                  const char *extra)
{
  int n = snprintf(out, size, "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu%s}", mt,
                   digest, len, extra);
  assert_true(n > 0 && (size_t)n < size);
}

/* Store `doc` as a blob and put in `out` the index.json entry that makes
 * it the demo artifact's referrers index (tag sha256-<artifact hex>). */
static void put_referrers_index(const tmp_layout *t, const char *doc, char *out, size_t size)
{
  char digest[NV_DIGEST_STRING_MAX], extra[256];
  size_t len = put_blob(t, doc, digest);
  snprintf(extra, sizeof(extra),
           ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"sha256-%s\"}", ART_HEX);
  entry(out, size, MT_INDEX, digest, len, extra);
}

/* ------------------------------------------------------------------ */
/* references                                                          */

static void reference_parse(void **state)
{
  (void)state;
  static const struct {
    const char *ref;
    nv_status want;
    const char *path, *tag, *digest;
  } cases[] = {
    {"layout:v1", NV_OK, "layout", "v1", NULL},
    {"/a/b:c/layout:v1", NV_OK, "/a/b:c/layout", "v1", NULL},
    {"./x:y:latest", NV_OK, "./x:y", "latest", NULL},
    {"l@" ART_DIGEST, NV_OK, "l", NULL, ART_DIGEST},
    {"dir:tag@" ART_DIGEST, NV_OK, "dir:tag", NULL, ART_DIGEST},
    {"a@b@" ART_DIGEST, NV_OK, "a@b", NULL, ART_DIGEST},
    {"l:_x.Y-9", NV_OK, "l", "_x.Y-9", NULL},
    {"/a/b:c/layout", NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {"layout", NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {":v1", NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {"@" ART_DIGEST, NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {"layout:", NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {"layout@", NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {"layout:-v1", NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {"layout:.v1", NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {"layout:v 1", NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {"layout:v1\n", NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {"layout@sha256:../../etc/passwd", NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {"layout@sha256:" ART_HEX "/../x", NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {"layout@sha256:F20C43161D73848408EF247F0EC7111B19FE58FFEBC0CBCAA0D2C8BDA4967268",
     NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {"layout@md5:d41d8cd98f00b204e9800998ecf8427e", NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
    {"layout@" ART_HEX, NV_E_REFERENCE_INVALID, NULL, NULL, NULL},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    nv_reg_layout_ref r;
    nv_diag d;
    nv_diag_init(&d);
    nv_status rc = nv_reg_layout_ref_parse(cases[i].ref, &r, &d);
    if (rc != cases[i].want)
      fail_msg("\"%s\": got %d want %d (%s)", cases[i].ref, rc, cases[i].want, d.msg);
    if (rc == NV_OK) {
      assert_string_equal(r.path, cases[i].path);
      if (cases[i].tag != NULL)
        assert_string_equal(r.tag, cases[i].tag);
      else
        assert_null(r.tag);
      if (cases[i].digest != NULL)
        assert_string_equal(r.digest, cases[i].digest);
      else
        assert_null(r.digest);
    } else {
      assert_null(r.path);
      assert_null(r.tag);
      assert_null(r.digest);
      assert_true(d.msg[0] != '\0');
    }
    nv_reg_layout_ref_free(&r);
  }

  /* tags up to 128 characters */
  char ref[200] = "l:";
  memset(ref + 2, 'a', 128);
  ref[130] = '\0';
  nv_reg_layout_ref r;
  assert_int_equal(nv_reg_layout_ref_parse(ref, &r, NULL), NV_OK);
  nv_reg_layout_ref_free(&r);
  ref[130] = 'a';
  ref[131] = '\0';
  assert_int_equal(nv_reg_layout_ref_parse(ref, &r, NULL), NV_E_REFERENCE_INVALID);
  assert_int_equal(nv_reg_layout_ref_parse(NULL, &r, NULL), NV_E_INVALID_ARG);
}

/* ------------------------------------------------------------------ */
/* the demo layouts                                                    */

static void demo_resolve(void **state)
{
  (void)state;
  nv_reg_layout *l = open_ok(DEMO_JWS);
  assert_int_equal(nv_reg_layout_index(l)->manifest_count, 3);
  nv_diag d;
  nv_descriptor desc, target;
  artifact_desc(&target);

  assert_int_equal(resolve(l, DEMO_JWS ":v1", &desc, &d), NV_OK);
  assert_true(nv_descriptor_equal(&desc, &target));
  assert_string_equal(nv_descriptor_annotation(&desc, NV_REG_ANN_REF_NAME), "v1");
  nv_descriptor_free(&desc);

  assert_int_equal(resolve(l, DEMO_JWS "@" ART_DIGEST, &desc, &d), NV_OK);
  assert_true(nv_descriptor_equal(&desc, &target));
  nv_descriptor_free(&desc);

  /* the referrers tag resolves to the index */
  assert_int_equal(resolve(l, "x:sha256-" ART_HEX, &desc, &d), NV_OK);
  assert_string_equal(desc.media_type, MT_INDEX);
  assert_string_equal(desc.digest, "sha256:" JWS_REF_HEX);
  nv_descriptor_free(&desc);

  assert_int_equal(resolve(l, "x:v2", &desc, &d), NV_E_ARTIFACT_NOT_FOUND);
  assert_null(desc.digest);
  assert_int_equal(resolve(l, "x@" MISSING_DIGEST, &desc, &d), NV_E_ARTIFACT_NOT_FOUND);
  /* unlisted blobs that are not manifests */
  assert_int_equal(resolve(l, "x@sha256:" EMPTY_HEX, &desc, &d), NV_E_RESOLVE_FAILED);
  assert_non_null(strstr(d.msg, "mediaType"));
  assert_int_equal(resolve(l, "x@sha256:" JWS_ENV_HEX, &desc, &d), NV_E_RESOLVE_FAILED);

  /* a hand-made reference with a traversal digest or tag */
  nv_reg_layout_ref bad = {NULL, NULL, (char *)(uintptr_t) "sha256:../../../../etc/passwd"};
  nv_diag_init(&d);
  assert_int_equal(nv_reg_layout_resolve(l, &bad, &desc, &d), NV_E_REFERENCE_INVALID);
  nv_reg_layout_ref bad_tag = {NULL, (char *)(uintptr_t) "../oci-layout", NULL};
  assert_int_equal(nv_reg_layout_resolve(l, &bad_tag, &desc, &d), NV_E_REFERENCE_INVALID);
  nv_reg_layout_ref none = {NULL, NULL, NULL};
  assert_int_equal(nv_reg_layout_resolve(l, &none, &desc, &d), NV_E_INVALID_ARG);

  nv_descriptor_free(&target);
  nv_reg_layout_close(l);
}

static void demo_signatures(void **state)
{
  (void)state;
  static const struct {
    const char *layout, *sig_hex, *env_hex, *env_type, *fixture;
    size_t env_size;
  } demos[] = {
    {DEMO_JWS, JWS_SIG_HEX, JWS_ENV_HEX, "application/jose+json",
     FIXTURES "/rsa3072/signature.jws", 4296},
    {DEMO_COSE, COSE_SIG_HEX, COSE_ENV_HEX, "application/cose",
     FIXTURES "/rsa3072/signature.cose", 3150},
  };
  for (size_t i = 0; i < 2; i++) {
    nv_reg_layout *l = open_ok(demos[i].layout);
    nv_diag d;
    nv_diag_init(&d);
    nv_descriptor target;
    char ref[512];
    snprintf(ref, sizeof(ref), "%s:v1", demos[i].layout);
    assert_int_equal(resolve(l, ref, &target, &d), NV_OK);

    nv_reg_sig_list list;
    nv_reg_sig_list_init(&list, 100);
    assert_int_equal(nv_reg_layout_list_signatures(l, &target, &list, &d), NV_OK);
    assert_int_equal(list.count, 1);
    assert_false(list.truncated);
    const nv_descriptor *sd = &list.items[0].desc;
    assert_int_equal(list.items[0].status, NV_OK);
    assert_string_equal(sd->digest + 7, demos[i].sig_hex);
    assert_string_equal(sd->media_type, MT_MANIFEST);
    assert_string_equal(sd->artifact_type, AT_SIG);
    assert_non_null(nv_descriptor_annotation(sd, NV_REG_ANN_THUMBPRINT));
    assert_string_equal(nv_descriptor_annotation(sd, "org.opencontainers.image.created"),
                        "2026-11-27T05:31:09Z");

    /* the per-signature retrieval of notary-spec.md 2.3 */
    assert_int_equal(nv_reg_sig_manifest_check_descriptor(sd, &d), NV_OK);
    uint8_t *data = NULL;
    size_t len = 0;
    assert_int_equal(nv_reg_layout_fetch(l, sd, NV_LIMIT_MANIFEST_BYTES,
                                         NV_REG_FETCH_SIG_MANIFEST, &data, &len, &d),
                     NV_OK);
    assert_int_equal(len, sd->size);
    assert_int_equal(data[len], 0);
    nv_reg_sig_manifest sm;
    assert_int_equal(nv_reg_sig_manifest_parse(sd, data, len, &target, 0, &sm, &d), NV_OK);
    free(data);
    assert_string_equal(sm.envelope_media_type, demos[i].env_type);
    assert_string_equal(sm.envelope->digest + 7, demos[i].env_hex);
    assert_int_equal(nv_reg_layout_fetch(l, sm.envelope, NV_LIMIT_ENVELOPE_BYTES,
                                         NV_REG_FETCH_SIG_BLOB, &data, &len, &d),
                     NV_OK);
    assert_int_equal(len, demos[i].env_size);
    /* the envelope is the reference signer's, byte for byte */
    bytes orig = slurp_path(demos[i].fixture);
    assert_int_equal(orig.len, len);
    assert_memory_equal(orig.data, data, len);
    free(orig.data);
    free(data);
    nv_reg_sig_manifest_free(&sm);
    nv_reg_sig_list_free(&list);

    /* another subject has no signatures */
    free(target.digest);
    target.digest = strdup("sha256:" EMPTY_HEX);
    nv_reg_sig_list_init(&list, 100);
    assert_int_equal(nv_reg_layout_list_signatures(l, &target, &list, &d), NV_OK);
    assert_int_equal(list.count, 0);
    nv_reg_sig_list_free(&list);
    nv_descriptor_free(&target);
    nv_reg_layout_close(l);
  }
}

/* notation-go's own layout test data: a plain image, no signatures. */
static void notation_layout(void **state)
{
  (void)state;
  nv_reg_layout *l = open_ok(NOTATION_LAYOUT);
  nv_diag d;
  nv_descriptor desc;
  assert_int_equal(resolve(l, NOTATION_LAYOUT ":v2", &desc, &d), NV_OK);
  assert_string_equal(desc.digest,
                      "sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0");
  assert_int_equal(desc.size, 481);
  uint8_t *data;
  size_t len;
  assert_int_equal(
      nv_reg_layout_fetch(l, &desc, NV_LIMIT_MANIFEST_BYTES, NV_REG_FETCH_CONTENT, &data, &len, &d),
      NV_OK);
  nv_reg_manifest m;
  assert_int_equal(nv_reg_manifest_parse(data, len, desc.media_type, &m, &d), NV_OK);
  assert_int_equal(m.layer_count, 1);
  /* the 3 MiB layer: over a 1 MiB limit, refused before reading */
  assert_int_equal(m.layers[0].size, 3374446);
  uint8_t *layer = NULL;
  assert_int_equal(nv_reg_layout_fetch(l, &m.layers[0], NV_MIB, NV_REG_FETCH_CONTENT, &layer,
                                       &len, &d),
                   NV_E_CONTENT_TOO_LARGE);
  assert_null(layer);
  assert_int_equal(nv_reg_layout_fetch(l, &m.layers[0], 4 * NV_MIB, NV_REG_FETCH_CONTENT, &layer,
                                       &len, &d),
                   NV_OK);
  assert_int_equal(len, 3374446);
  free(layer);
  nv_reg_manifest_free(&m);
  free(data);

  nv_reg_sig_list list;
  nv_reg_sig_list_init(&list, 100);
  assert_int_equal(nv_reg_layout_list_signatures(l, &desc, &list, &d), NV_OK);
  assert_int_equal(list.count, 0);
  assert_false(list.truncated);
  nv_reg_sig_list_free(&list);
  nv_descriptor_free(&desc);
  nv_reg_layout_close(l);
}

/* ------------------------------------------------------------------ */
/* fetch: content, sizes, missing blobs                                */

static void fetch_tampered_content(void **state)
{
  (void)state;
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  char path[1024];
  blob_path(&t, JWS_ENV_HEX, path, sizeof(path));
  bytes env = slurp_path(path);
  env.data[100] ^= 0x01; /* same size, other bytes */
  write_path(path, env.data, env.len);

  nv_reg_layout *l = open_ok(t.dir);
  nv_descriptor desc;
  make_desc(&desc, "application/jose+json", "sha256:" JWS_ENV_HEX, env.len);
  nv_diag d;
  nv_diag_init(&d);
  uint8_t *data = (uint8_t *)(uintptr_t)1;
  size_t len = 7;
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_SIG_BLOB,
                                       &data, &len, &d),
                   NV_E_SIG_DIGEST_MISMATCH);
  assert_null(data);
  assert_int_equal(len, 0);
  assert_non_null(strstr(d.msg, "does not match"));
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_CONTENT,
                                       &data, &len, &d),
                   NV_E_CONTENT_DIGEST_MISMATCH);

  /* restored, it verifies */
  env.data[100] ^= 0x01;
  write_path(path, env.data, env.len);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_SIG_BLOB,
                                       &data, &len, &d),
                   NV_OK);
  free(data);
  free(env.data);
  nv_descriptor_free(&desc);
  nv_reg_layout_close(l);
  tmp_free(&t);
}

static void fetch_sizes(void **state)
{
  (void)state;
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  nv_reg_layout *l = open_ok(t.dir);
  nv_diag d;
  nv_diag_init(&d);
  uint8_t *data = NULL;
  size_t len = 0;
  nv_descriptor desc;

  /* a descriptor over the limit is refused without opening anything: the
   * blob does not even exist */
  make_desc(&desc, "application/cose", MISSING_DIGEST, NV_LIMIT_ENVELOPE_BYTES + 1);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_SIG_BLOB,
                                       &data, &len, &d),
                   NV_E_SIG_BLOB_TOO_LARGE);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES,
                                       NV_REG_FETCH_SIG_MANIFEST, &data, &len, &d),
                   NV_E_SIG_MANIFEST_TOO_LARGE);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_CONTENT,
                                       &data, &len, &d),
                   NV_E_CONTENT_TOO_LARGE);
  desc.size = 10;
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_SIG_BLOB,
                                       &data, &len, &d),
                   NV_E_SIG_FETCH_FAILED);
  nv_descriptor_free(&desc);

  /* the real envelope against a smaller limit */
  make_desc(&desc, "application/jose+json", "sha256:" JWS_ENV_HEX, 4296);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, 4295, NV_REG_FETCH_SIG_BLOB, &data, &len, &d),
                   NV_E_SIG_BLOB_TOO_LARGE);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, 4296, NV_REG_FETCH_SIG_BLOB, &data, &len, &d),
                   NV_OK);
  free(data);

  /* descriptor says less than the file holds */
  desc.size = 4295;
  assert_int_equal(nv_reg_layout_fetch(l, &desc, 4296, NV_REG_FETCH_SIG_BLOB, &data, &len, &d),
                   NV_E_SIG_DIGEST_MISMATCH);
  assert_non_null(strstr(d.msg, "the file is 4296 bytes, its descriptor says 4295"));
  desc.size = 4297;
  assert_int_equal(nv_reg_layout_fetch(l, &desc, 5000, NV_REG_FETCH_CONTENT, &data, &len, &d),
                   NV_E_CONTENT_DIGEST_MISMATCH);

  /* the file grew: larger than the descriptor, and than the limit */
  char path[1024];
  blob_path(&t, JWS_ENV_HEX, path, sizeof(path));
  bytes env = slurp_path(path);
  uint8_t *bigger = calloc(1, 6000);
  assert_non_null(bigger);
  memcpy(bigger, env.data, env.len);
  write_path(path, bigger, 4297);
  desc.size = 4296;
  assert_int_equal(nv_reg_layout_fetch(l, &desc, 5000, NV_REG_FETCH_SIG_BLOB, &data, &len, &d),
                   NV_E_SIG_DIGEST_MISMATCH);
  assert_non_null(strstr(d.msg, "the file is 4297 bytes"));
  write_path(path, bigger, 6000);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, 5000, NV_REG_FETCH_SIG_BLOB, &data, &len, &d),
                   NV_E_SIG_DIGEST_MISMATCH);
  assert_non_null(strstr(d.msg, "the file is 6000 bytes"));
  /* and shrunk */
  write_path(path, env.data, 100);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, 5000, NV_REG_FETCH_CONTENT, &data, &len, &d),
                   NV_E_CONTENT_DIGEST_MISMATCH);
  assert_null(data);
  free(bigger);
  free(env.data);
  nv_descriptor_free(&desc);
  nv_reg_layout_close(l);
  tmp_free(&t);
}

static void fetch_missing(void **state)
{
  (void)state;
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  nv_reg_layout *l = open_ok(t.dir);
  char path[1024];
  blob_path(&t, JWS_ENV_HEX, path, sizeof(path));
  assert_int_equal(unlink(path), 0);
  nv_descriptor desc;
  make_desc(&desc, "application/jose+json", "sha256:" JWS_ENV_HEX, 4296);
  nv_diag d;
  nv_diag_init(&d);
  uint8_t *data = NULL;
  size_t len;
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_CONTENT,
                                       &data, &len, &d),
                   NV_E_ARTIFACT_NOT_FOUND);
  assert_non_null(strstr(d.msg, "not found"));
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_SIG_BLOB,
                                       &data, &len, &d),
                   NV_E_SIG_FETCH_FAILED);
  nv_descriptor_free(&desc);

  /* sha512 digests look in blobs/sha512, which does not exist */
  make_desc(&desc, "a",
            "sha512:"
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
            0);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, 10, NV_REG_FETCH_CONTENT, &data, &len, &d),
                   NV_E_ARTIFACT_NOT_FOUND);
  nv_descriptor_free(&desc);

  /* the artifact behind tag v1 is gone: the tag does not resolve */
  blob_path(&t, ART_HEX, path, sizeof(path));
  assert_int_equal(unlink(path), 0);
  nv_descriptor out;
  assert_int_equal(resolve(l, "x:v1", &out, &d), NV_E_ARTIFACT_NOT_FOUND);
  assert_int_equal(resolve(l, "x@" ART_DIGEST, &out, &d), NV_E_ARTIFACT_NOT_FOUND);
  nv_reg_layout_close(l);

  /* no blobs directory at all */
  snprintf(path, sizeof(path), "%s/blobs", t.dir);
  rm_tree(path);
  l = open_ok(t.dir);
  make_desc(&desc, MT_MANIFEST, ART_DIGEST, 246);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, 4096, NV_REG_FETCH_CONTENT, &data, &len, &d),
                   NV_E_ARTIFACT_NOT_FOUND);
  nv_descriptor_free(&desc);
  nv_reg_sig_list list;
  /* unreadable predecessors are skipped, not fatal; the referrers tag's
   * index is missing, which is */
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_E_REFERRERS_LIST_FAILED);
  assert_int_equal(list.count, 0);
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);
  tmp_free(&t);
}

static void fetch_path_traversal(void **state)
{
  (void)state;
  nv_reg_layout *l = open_ok(DEMO_JWS);
  static const char *const digests[] = {
    "sha256:../../../../../../etc/passwd",
    "sha256:../oci-layout",
    "sha256/../../oci-layout",
    "../../index.json",
    "sha256:" JWS_ENV_HEX "/..",
    "sha256:",
    "",
  };
  for (size_t i = 0; i < sizeof(digests) / sizeof(digests[0]); i++) {
    nv_descriptor desc;
    make_desc(&desc, "a", digests[i], 10);
    uint8_t *data = NULL;
    size_t len;
    nv_diag d;
    nv_diag_init(&d);
    nv_status rc = nv_reg_layout_fetch(l, &desc, 4096, NV_REG_FETCH_CONTENT, &data, &len, &d);
    if (rc != NV_E_DIGEST_FORMAT)
      fail_msg("\"%s\": %d %s", digests[i], rc, d.msg);
    assert_int_equal(nv_reg_layout_fetch(l, &desc, 4096, NV_REG_FETCH_SIG_BLOB, &data, &len, &d),
                     NV_E_SIG_FETCH_FAILED);
    assert_null(data);
    nv_descriptor_free(&desc);
  }
  nv_descriptor desc;
  make_desc(&desc, "a", "md5:d41d8cd98f00b204e9800998ecf8427e", 0);
  uint8_t *data = NULL;
  size_t len;
  assert_int_equal(nv_reg_layout_fetch(l, &desc, 4096, NV_REG_FETCH_CONTENT, &data, &len, NULL),
                   NV_E_DIGEST_UNSUPPORTED);
  nv_descriptor_free(&desc);
  assert_int_equal(nv_reg_layout_fetch(l, NULL, 4096, NV_REG_FETCH_CONTENT, &data, &len, NULL),
                   NV_E_INVALID_ARG);
  nv_reg_layout_close(l);

  /* and in index.json */
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  set_index(&t, E_ART ",{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"sha256:../../x\","
                "\"size\":1}");
  nv_diag d;
  assert_int_equal(open_status(t.dir, &d), NV_E_OCI_LAYOUT_INVALID);
  assert_non_null(strstr(d.msg, "index.json"));
  tmp_free(&t);
}

/* ------------------------------------------------------------------ */
/* symlinks and special files                                          */

static void symlinks_rejected(void **state)
{
  (void)state;
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  char path[1024], outside[1024];
  nv_diag d;

  /* a symlinked envelope blob pointing at an identical file outside */
  blob_path(&t, JWS_ENV_HEX, path, sizeof(path));
  link_outside(&t, path, "outside-env", outside, sizeof(outside));
  nv_reg_layout *l = open_ok(t.dir);
  nv_descriptor desc;
  make_desc(&desc, "application/jose+json", "sha256:" JWS_ENV_HEX, 4296);
  uint8_t *data = NULL;
  size_t len;
  nv_diag_init(&d);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_CONTENT,
                                       &data, &len, &d),
                   NV_E_OCI_LAYOUT_INVALID);
  assert_non_null(strstr(d.msg, "symlink"));
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_SIG_BLOB,
                                       &data, &len, &d),
                   NV_E_SIG_FETCH_FAILED);
  assert_null(data);
  nv_reg_layout_close(l);

  /* a symlinked signature manifest is skipped on the predecessor path
   * (with a warning); the referrers index still lists its descriptor */
  blob_path(&t, JWS_SIG_HEX, path, sizeof(path));
  link_outside(&t, path, "outside-sig", outside, sizeof(outside));
  set_index(&t, E_ART "," E_SIG);
  l = open_ok(t.dir);
  log_capture cap;
  diag_with_log(&d, &cap);
  nv_reg_sig_list list;
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_OK);
  assert_int_equal(list.count, 0);
  assert_int_equal(cap.warnings, 1);
  assert_non_null(strstr(cap.last, "symlink"));
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);

  /* a symlinked referrers index fails the listing */
  set_index(&t, E_ART "," E_REF);
  blob_path(&t, JWS_REF_HEX, path, sizeof(path));
  link_outside(&t, path, "outside-ref", outside, sizeof(outside));
  l = open_ok(t.dir);
  nv_diag_init(&d);
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_E_REFERRERS_LIST_FAILED);
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);

  /* index.json and oci-layout as symlinks */
  snprintf(path, sizeof(path), "%s/index.json", t.dir);
  link_outside(&t, path, "outside-index", outside, sizeof(outside));
  assert_int_equal(open_status(t.dir, &d), NV_E_OCI_LAYOUT_INVALID);
  assert_non_null(strstr(d.msg, "index.json is not a regular file"));
  assert_int_equal(unlink(path), 0);
  assert_int_equal(rename(outside, path), 0);
  assert_int_equal(open_status(t.dir, &d), NV_OK);

  snprintf(path, sizeof(path), "%s/oci-layout", t.dir);
  link_outside(&t, path, "outside-oci-layout", outside, sizeof(outside));
  assert_int_equal(open_status(t.dir, &d), NV_E_OCI_LAYOUT_INVALID);
  assert_non_null(strstr(d.msg, "oci-layout is not a regular file"));
  assert_int_equal(unlink(path), 0);
  assert_int_equal(rename(outside, path), 0);

  /* blobs/sha256 as a symlink to a real directory */
  char blobs[1024], moved[1024];
  snprintf(blobs, sizeof(blobs), "%s/blobs/sha256", t.dir);
  link_outside(&t, blobs, "outside-sha256", moved, sizeof(moved));
  l = open_ok(t.dir);
  nv_diag_init(&d);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_CONTENT,
                                       &data, &len, &d),
                   NV_E_OCI_LAYOUT_INVALID);
  assert_non_null(strstr(d.msg, "blobs/sha256 is not a directory"));
  nv_reg_layout_close(l);
  assert_int_equal(unlink(blobs), 0);
  assert_int_equal(rename(moved, blobs), 0);

  /* blobs itself as a symlink */
  snprintf(blobs, sizeof(blobs), "%s/blobs", t.dir);
  link_outside(&t, blobs, "outside-blobs", moved, sizeof(moved));
  l = open_ok(t.dir);
  nv_diag_init(&d);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_CONTENT,
                                       &data, &len, &d),
                   NV_E_OCI_LAYOUT_INVALID);
  nv_reg_layout_close(l);
  nv_descriptor_free(&desc);

  /* the layout directory may itself be reached through a symlink */
  char link[1024];
  snprintf(link, sizeof(link), "%s/link-to-layout", t.root);
  assert_int_equal(symlink(t.dir, link), 0);
  assert_int_equal(open_status(link, &d), NV_OK);
  tmp_free(&t);
}

static void special_files_rejected(void **state)
{
  (void)state;
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  char path[1024];
  nv_diag d;

  /* a FIFO as index.json: refused without blocking */
  snprintf(path, sizeof(path), "%s/index.json", t.dir);
  assert_int_equal(unlink(path), 0);
  assert_int_equal(mkfifo(path, 0600), 0);
  assert_int_equal(open_status(t.dir, &d), NV_E_OCI_LAYOUT_INVALID);
  assert_int_equal(unlink(path), 0);
  /* a directory */
  assert_int_equal(mkdir(path, 0700), 0);
  assert_int_equal(open_status(t.dir, &d), NV_E_OCI_LAYOUT_INVALID);
  assert_int_equal(rmdir(path), 0);
  set_index(&t, E_ART);
  assert_int_equal(open_status(t.dir, &d), NV_OK);

  /* a FIFO as a blob */
  blob_path(&t, JWS_ENV_HEX, path, sizeof(path));
  assert_int_equal(unlink(path), 0);
  assert_int_equal(mkfifo(path, 0600), 0);
  nv_reg_layout *l = open_ok(t.dir);
  nv_descriptor desc;
  make_desc(&desc, "application/jose+json", "sha256:" JWS_ENV_HEX, 4296);
  uint8_t *data = NULL;
  size_t len;
  nv_diag_init(&d);
  assert_int_equal(nv_reg_layout_fetch(l, &desc, NV_LIMIT_ENVELOPE_BYTES, NV_REG_FETCH_CONTENT,
                                       &data, &len, &d),
                   NV_E_OCI_LAYOUT_INVALID);
  nv_descriptor_free(&desc);
  nv_reg_layout_close(l);

  /* the layout path: missing, a file */
  snprintf(path, sizeof(path), "%s/nope", t.root);
  assert_int_equal(open_status(path, &d), NV_E_NOT_FOUND);
  snprintf(path, sizeof(path), "%s/oci-layout", t.dir);
  assert_int_equal(open_status(path, &d), NV_E_OCI_LAYOUT_INVALID);
  assert_int_equal(open_status("", &d), NV_E_INVALID_ARG);
  tmp_free(&t);
}

/* ------------------------------------------------------------------ */
/* oci-layout and index.json                                           */

/* Each of `docs` as the layout's file `name` makes the layout invalid,
 * with a message that names the file. */
static void expect_invalid_file(const tmp_layout *t, const char *name, const char *const *docs,
                                size_t count)
{
  nv_diag d;
  for (size_t i = 0; i < count; i++) {
    write_in(t->dir, name, docs[i], strlen(docs[i]));
    nv_status rc = open_status(t->dir, &d);
    if (rc != NV_E_OCI_LAYOUT_INVALID)
      fail_msg("%s '%s': %d %s", name, docs[i], rc, d.msg);
    assert_non_null(strstr(d.msg, name));
  }
}

/* Without its file `name` the layout is invalid: "<name> is missing". */
static void expect_missing_file(const tmp_layout *t, const char *name)
{
  char path[1024], want[64];
  nv_diag d;
  path_join(path, sizeof(path), t->dir, name);
  assert_int_equal(unlink(path), 0);
  assert_int_equal(open_status(t->dir, &d), NV_E_OCI_LAYOUT_INVALID);
  snprintf(want, sizeof(want), "%s is missing", name);
  assert_non_null(strstr(d.msg, want));
}

static void bad_oci_layout(void **state)
{
  (void)state;
  static const char *const docs[] = {
    "{\"imageLayoutVersion\":\"1.0.1\"}",
    "{\"imageLayoutVersion\":\"1.0.0 \"}",
    "{\"imageLayoutVersion\":\"2.0.0\"}",
    "{\"imageLayoutVersion\":1}",
    "{\"imagelayoutversion\":\"1.0.0\"}",
    "{}",
    "[\"1.0.0\"]",
    "{\"imageLayoutVersion\":\"1.0.0\"}x",
    "{\"imageLayoutVersion\":\"1.0.0\",\"imageLayoutVersion\":\"1.0.0\"}",
    "",
  };
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  nv_diag d;
  expect_invalid_file(&t, "oci-layout", docs, sizeof(docs) / sizeof(docs[0]));
  /* unknown members are fine; the version is what counts */
  static const char unknown[] = "{\"imageLayoutVersion\":\"1.0.0\",\"x\":1}";
  write_in(t.dir, "oci-layout", unknown, strlen(unknown));
  assert_int_equal(open_status(t.dir, &d), NV_OK);

  /* over the size limit: whitespace would be valid JSON */
  char *big = malloc(NV_REG_LAYOUT_FILE_MAX_BYTES + 64);
  assert_non_null(big);
  memset(big, ' ', NV_REG_LAYOUT_FILE_MAX_BYTES + 1);
  strcpy(big + NV_REG_LAYOUT_FILE_MAX_BYTES + 1 - 31, "{\"imageLayoutVersion\":\"1.0.0\"}");
  assert_int_equal(strlen(big), NV_REG_LAYOUT_FILE_MAX_BYTES);
  write_in(t.dir, "oci-layout", big, strlen(big));
  assert_int_equal(open_status(t.dir, &d), NV_OK);
  memmove(big + 1, big, NV_REG_LAYOUT_FILE_MAX_BYTES + 1);
  write_in(t.dir, "oci-layout", big, strlen(big));
  assert_int_equal(open_status(t.dir, &d), NV_E_OCI_LAYOUT_INVALID);
  assert_non_null(strstr(d.msg, "larger than"));
  free(big);

  expect_missing_file(&t, "oci-layout");
  tmp_free(&t);
}

static void bad_index_json(void **state)
{
  (void)state;
  static const char *const docs[] = {
    "{\"schemaVersion\":2,\"manifests\":[]}x",
    "{\"manifests\":[],\"manifests\":[]}",
    "{\"schemaVersion\":2}",
    "{\"manifests\":{}}",
    "{\"schemaVersion\":1,\"manifests\":[]}",
    "{\"mediaType\":\"" MT_MANIFEST "\",\"manifests\":[]}",
    "{\"manifests\":[{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"" ART_DIGEST "\"}]}",
    "{\"manifests\":[{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"" ART_DIGEST
    "\",\"size\":246,\"annotations\":{\"org.opencontainers.image.ref.name\":1}}]}",
    "[]",
    "",
    "\xef\xbb\xbf{\"manifests\":[]}",
  };
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  expect_invalid_file(&t, "index.json", docs, sizeof(docs) / sizeof(docs[0]));
  static const char empty[] = "{\"manifests\":[]}"; /* no schemaVersion: accepted */
  write_in(t.dir, "index.json", empty, strlen(empty));
  nv_diag d;
  assert_int_equal(open_status(t.dir, &d), NV_OK);
  expect_missing_file(&t, "index.json");
  tmp_free(&t);
}

static void ambiguous_tags(void **state)
{
  (void)state;
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  /* two entries with tag v1 */
  set_index(&t, E_ART "," E_SIG "," E_REF ",{\"mediaType\":\"" MT_MANIFEST
                "\",\"digest\":\"sha256:" JWS_SIG_HEX "\",\"size\":862,\"annotations\":"
                "{\"org.opencontainers.image.ref.name\":\"v1\"}}");
  nv_reg_layout *l = open_ok(t.dir);
  nv_diag d;
  nv_descriptor desc;
  assert_int_equal(resolve(l, "x:v1", &desc, &d), NV_E_OCI_LAYOUT_INVALID);
  assert_non_null(strstr(d.msg, "ambiguous"));
  /* the digest still resolves */
  assert_int_equal(resolve(l, "x@" ART_DIGEST, &desc, &d), NV_OK);
  nv_descriptor_free(&desc);
  /* the signature manifest is listed twice, with and without a tag: same
   * descriptor, fine */
  assert_int_equal(resolve(l, "x@sha256:" JWS_SIG_HEX, &desc, &d), NV_OK);
  assert_int_equal(desc.size, 862);
  nv_descriptor_free(&desc);
  nv_reg_layout_close(l);

  /* one digest listed with two sizes */
  set_index(&t, E_ART "," E_SIG ",{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"sha256:" JWS_SIG_HEX
                "\",\"size\":863}");
  l = open_ok(t.dir);
  assert_int_equal(resolve(l, "x@sha256:" JWS_SIG_HEX, &desc, &d), NV_E_OCI_LAYOUT_INVALID);
  nv_reg_layout_close(l);

  /* a listed size that is not the file's */
  set_index(&t, "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"" ART_DIGEST "\",\"size\":247,"
                "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}");
  l = open_ok(t.dir);
  assert_int_equal(resolve(l, "x:v1", &desc, &d), NV_E_CONTENT_DIGEST_MISMATCH);
  nv_reg_layout_close(l);

  /* the referrers tag on two entries */
  set_index(&t, E_ART "," E_REF "," E_REF);
  l = open_ok(t.dir);
  nv_reg_sig_list list;
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_E_REFERRERS_LIST_FAILED);
  assert_non_null(strstr(d.msg, "ambiguous"));
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);

  /* the referrers tag on something that is not an index */
  set_index(&t, E_ART ",{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"sha256:" JWS_SIG_HEX
                "\",\"size\":862,\"annotations\":{\"org.opencontainers.image.ref.name\":"
                "\"sha256-" ART_HEX "\"}}");
  l = open_ok(t.dir);
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_E_REFERRERS_LIST_FAILED);
  assert_non_null(strstr(d.msg, "not an image index"));
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);
  tmp_free(&t);
}

static void resolve_unlisted_manifest(void **state)
{
  (void)state;
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  set_index(&t, E_ART);
  nv_reg_layout *l = open_ok(t.dir);
  nv_diag d;
  nv_descriptor desc;
  /* not in index.json: mediaType from the content, size from the file */
  assert_int_equal(resolve(l, "x@sha256:" JWS_SIG_HEX, &desc, &d), NV_OK);
  assert_string_equal(desc.media_type, MT_MANIFEST);
  assert_string_equal(desc.digest, "sha256:" JWS_SIG_HEX);
  assert_int_equal(desc.size, 862);
  nv_descriptor_free(&desc);
  assert_int_equal(resolve(l, "x@sha256:" JWS_REF_HEX, &desc, &d), NV_OK);
  assert_string_equal(desc.media_type, MT_INDEX);
  nv_descriptor_free(&desc);
  nv_reg_layout_close(l);

  /* the unlisted content is verified before it is believed */
  char path[1024];
  blob_path(&t, JWS_SIG_HEX, path, sizeof(path));
  bytes b = slurp_path(path);
  b.data[b.len - 2] = ' ';
  write_path(path, b.data, b.len);
  free(b.data);
  l = open_ok(t.dir);
  assert_int_equal(resolve(l, "x@sha256:" JWS_SIG_HEX, &desc, &d), NV_E_CONTENT_DIGEST_MISMATCH);
  nv_reg_layout_close(l);
  tmp_free(&t);
}

/* ------------------------------------------------------------------ */
/* listing signatures                                                  */

static void list_each_source(void **state)
{
  (void)state;
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  nv_diag d;
  nv_diag_init(&d);
  nv_reg_sig_list list;

  /* (a) only: the predecessor in index.json */
  set_index(&t, E_ART "," E_SIG);
  nv_reg_layout *l = open_ok(t.dir);
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_OK);
  assert_int_equal(list.count, 1);
  assert_string_equal(list.items[0].desc.digest, "sha256:" JWS_SIG_HEX);
  assert_string_equal(list.items[0].desc.artifact_type, AT_SIG);
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);

  /* (b) only: the referrers tag schema */
  set_index(&t, E_ART "," E_REF);
  l = open_ok(t.dir);
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_OK);
  assert_int_equal(list.count, 1);
  assert_string_equal(list.items[0].desc.digest, "sha256:" JWS_SIG_HEX);
  assert_int_equal(list.items[0].desc.size, 862);
  assert_non_null(nv_descriptor_annotation(&list.items[0].desc, NV_REG_ANN_THUMBPRINT));
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);

  /* a tampered referrers index fails the listing */
  char path[1024];
  blob_path(&t, JWS_REF_HEX, path, sizeof(path));
  bytes b = slurp_path(path);
  b.data[10] = b.data[10] == 'a' ? 'b' : 'a';
  write_path(path, b.data, b.len);
  free(b.data);
  l = open_ok(t.dir);
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_E_REFERRERS_LIST_FAILED);
  assert_non_null(strstr(d.msg, "does not match"));
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);

  /* a referrers index that is not an index */
  char ent[1024];
  put_referrers_index(&t, "{\"manifests\":7}", ent, sizeof(ent));
  char idx[2048];
  snprintf(idx, sizeof(idx), "%s,%s", E_ART, ent);
  set_index(&t, idx);
  l = open_ok(t.dir);
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_E_REFERRERS_LIST_FAILED);
  nv_reg_sig_list_free(&list);
  assert_int_equal(nv_reg_layout_list_signatures(l, NULL, &list, &d), NV_E_INVALID_ARG);
  nv_reg_sig_list_init(&list, 0);
  nv_descriptor subject;
  artifact_desc(&subject);
  assert_int_equal(nv_reg_layout_list_signatures(l, &subject, &list, &d), NV_E_INVALID_ARG);
  nv_descriptor_free(&subject);
  nv_reg_layout_close(l);
  tmp_free(&t);
}

/* Signature manifests that break the rules: found, then refused with the
 * right code when fetched (tag-schema path), or skipped (predecessors). */
static void list_bad_signature_manifests(void **state)
{
  (void)state;
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  char two[NV_DIGEST_STRING_MAX], other_at[NV_DIGEST_STRING_MAX];
  size_t two_len = put_sig_manifest(&t, "\"artifactType\":\"" AT_SIG "\",", MT_EMPTY,
                                     JWS_LAYER "," JWS_LAYER, 1, two);
  size_t other_len = put_sig_manifest(&t, "\"artifactType\":\"application/spdx+json\",",
                                      MT_EMPTY, JWS_LAYER, 2, other_at);
  char e_two[512], e_other[512], e_other_lying[512];
  entry(e_two, sizeof(e_two), MT_MANIFEST, two, two_len, "");
  entry(e_other, sizeof(e_other), MT_MANIFEST, other_at, other_len, "");
  entry(e_other_lying, sizeof(e_other_lying), MT_MANIFEST, other_at, other_len,
        ",\"artifactType\":\"" AT_SIG "\"");
  char octet[512];
  entry(octet, sizeof(octet), "application/octet-stream", "sha256:" JWS_ENV_HEX, 4296,
        ",\"artifactType\":\"" AT_SIG "\"");

  /* a referrers index that lists the bad ones as signatures */
  char refdoc[2048], e_ref[512];
  snprintf(refdoc, sizeof(refdoc), "{\"mediaType\":\"%s\",\"manifests\":[%s,%s]}", MT_INDEX,
           e_other_lying, octet);
  put_referrers_index(&t, refdoc, e_ref, sizeof(e_ref));

  char idx[4096];
  snprintf(idx, sizeof(idx), "%s,%s,%s,%s,%s", E_ART, E_SIG, e_two, e_other, e_ref);
  set_index(&t, idx);
  nv_reg_layout *l = open_ok(t.dir);
  nv_diag d;
  nv_diag_init(&d);
  nv_reg_sig_list list;
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_OK);
  /* predecessors: the good one and the two-layer one (it has the right
   * artifact type); not the SBOM-typed one. Referrers index: the SBOM-typed
   * one (the index says it is a signature) and the octet-stream entry. */
  assert_int_equal(list.count, 4);
  assert_string_equal(list.items[0].desc.digest, "sha256:" JWS_SIG_HEX);
  assert_string_equal(list.items[1].desc.digest, two);
  assert_string_equal(list.items[2].desc.digest, other_at);
  assert_string_equal(list.items[3].desc.digest, "sha256:" JWS_ENV_HEX);

  nv_descriptor target;
  artifact_desc(&target);
  static const nv_status want[] = {NV_OK, NV_E_SIG_MANIFEST_LAYER_COUNT,
                                   NV_E_SIG_MANIFEST_ARTIFACT_TYPE, NV_E_SIG_MANIFEST_MEDIATYPE};
  for (size_t i = 0; i < list.count; i++) {
    const nv_descriptor *sd = &list.items[i].desc;
    nv_status rc = nv_reg_sig_manifest_check_descriptor(sd, &d);
    uint8_t *data = NULL;
    size_t len = 0;
    nv_reg_sig_manifest sm;
    nv_reg_sig_manifest_init(&sm);
    if (rc == NV_OK)
      rc = nv_reg_layout_fetch(l, sd, NV_LIMIT_MANIFEST_BYTES, NV_REG_FETCH_SIG_MANIFEST, &data,
                               &len, &d);
    if (rc == NV_OK)
      rc = nv_reg_sig_manifest_parse(sd, data, len, &target, 0, &sm, &d);
    if (rc != want[i])
      fail_msg("entry %zu: %d, want %d (%s)", i, rc, want[i], d.msg);
    free(data);
    nv_reg_sig_manifest_free(&sm);
  }
  nv_descriptor_free(&target);
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);
  tmp_free(&t);
}

static void list_self_reference(void **state)
{
  (void)state;
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  /* a referrers index whose first entry is the subject itself */
  char refdoc[2048], e_ref[512], idx[2048];
  snprintf(refdoc, sizeof(refdoc),
           "{\"mediaType\":\"%s\",\"manifests\":[{\"mediaType\":\"%s\",\"digest\":\"%s\","
           "\"size\":246,\"artifactType\":\"%s\"},{\"mediaType\":\"%s\",\"digest\":"
           "\"sha256:%s\",\"size\":862,\"artifactType\":\"%s\"}]}",
           MT_INDEX, MT_MANIFEST, ART_DIGEST, AT_SIG, MT_MANIFEST, JWS_SIG_HEX, AT_SIG);
  put_referrers_index(&t, refdoc, e_ref, sizeof(e_ref));
  snprintf(idx, sizeof(idx), "%s,%s", E_ART, e_ref);
  set_index(&t, idx);

  nv_reg_layout *l = open_ok(t.dir);
  log_capture cap;
  nv_diag d;
  diag_with_log(&d, &cap);
  nv_reg_sig_list list;
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_OK);
  /* the self reference is a failed entry; the real signature is kept */
  assert_int_equal(list.count, 2);
  assert_string_equal(list.items[0].desc.digest, ART_DIGEST);
  assert_int_equal(list.items[0].status, NV_E_SIG_MANIFEST_SUBJECT);
  assert_string_equal(list.items[1].desc.digest, "sha256:" JWS_SIG_HEX);
  assert_int_equal(list.items[1].status, NV_OK);
  assert_int_equal(cap.warnings, 1);
  assert_non_null(strstr(cap.last, "points back at the subject"));
  nv_reg_sig_list_free(&list);

  /* the subject listed in index.json as its own predecessor is ignored */
  nv_reg_layout_close(l);
  snprintf(idx, sizeof(idx), "%s,%s", E_ART, E_SIG);
  set_index(&t, idx);
  l = open_ok(t.dir);
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_OK);
  assert_int_equal(list.count, 1);
  assert_int_equal(list.items[0].status, NV_OK);
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);
  tmp_free(&t);
}

#define EXTRA_SIGS 5

static void list_maximum(void **state)
{
  (void)state;
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  char digests[EXTRA_SIGS][NV_DIGEST_STRING_MAX];
  size_t sizes[EXTRA_SIGS];
  char idx[8192] = E_ART "," E_SIG "," E_REF;
  char refs[4096] = "";
  for (int i = 0; i < EXTRA_SIGS; i++) {
    sizes[i] = put_sig_manifest(&t, "\"artifactType\":\"" AT_SIG "\",", MT_EMPTY, JWS_LAYER,
                                100 + i, digests[i]);
    char e[512];
    entry(e, sizeof(e), MT_MANIFEST, digests[i], sizes[i], "");
    strcat(idx, ",");
    strcat(idx, e);
    entry(e, sizeof(e), MT_MANIFEST, digests[i], sizes[i], ",\"artifactType\":\"" AT_SIG "\"");
    if (refs[0] != '\0')
      strcat(refs, ",");
    strcat(refs, e);
  }
  set_index(&t, idx);
  /* the 4th extra one cannot be read: examining it would log a warning */
  char path[1024], outside[1024];
  blob_path(&t, digests[3] + 7, path, sizeof(path));
  link_outside(&t, path, "outside", outside, sizeof(outside));

  nv_reg_layout *l = open_ok(t.dir);
  log_capture cap;
  nv_diag d;
  diag_with_log(&d, &cap);
  nv_reg_sig_list list;

  /* everything: 1 + 5, the unreadable one skipped by (a) */
  assert_int_equal(list_sigs(l, 100, &list, &d), NV_OK);
  assert_int_equal(list.count, 1 + EXTRA_SIGS - 1);
  assert_false(list.truncated);
  assert_int_equal(cap.warnings, 1);
  assert_string_equal(list.items[0].desc.digest, "sha256:" JWS_SIG_HEX);
  for (int i = 0; i < 3; i++)
    assert_string_equal(list.items[1 + i].desc.digest, digests[i]);
  assert_string_equal(list.items[4].desc.digest, digests[4]);
  nv_reg_sig_list_free(&list);

  /* at most 3: reading stops there, so the unreadable one is never met */
  diag_with_log(&d, &cap);
  assert_int_equal(list_sigs(l, 3, &list, &d), NV_OK);
  assert_int_equal(list.count, 3);
  assert_true(list.truncated);
  assert_int_equal(cap.warnings, 0);
  assert_string_equal(list.items[2].desc.digest, digests[1]);
  nv_reg_sig_list_free(&list);

  assert_int_equal(list_sigs(l, 1, &list, &d), NV_OK);
  assert_int_equal(list.count, 1);
  assert_true(list.truncated);
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);

  /* the referrers tag schema lists them all: the max applies there too */
  char refdoc[8192], e_ref[512];
  snprintf(refdoc, sizeof(refdoc), "{\"mediaType\":\"%s\",\"manifests\":[%s]}", MT_INDEX, refs);
  put_referrers_index(&t, refdoc, e_ref, sizeof(e_ref));
  snprintf(idx, sizeof(idx), "%s,%s", E_ART, e_ref);
  set_index(&t, idx);
  l = open_ok(t.dir);
  assert_int_equal(list_sigs(l, 4, &list, &d), NV_OK);
  assert_int_equal(list.count, 4);
  assert_true(list.truncated);
  assert_string_equal(list.items[3].desc.digest, digests[3]);
  nv_reg_sig_list_free(&list);
  assert_int_equal(list_sigs(l, EXTRA_SIGS, &list, &d), NV_OK);
  assert_int_equal(list.count, EXTRA_SIGS);
  assert_false(list.truncated);
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);
  tmp_free(&t);
}

/* A signature manifest of the demo artifact padded with spaces to exactly
 * `size` bytes; `salt` makes it unique. */
static size_t put_padded_sig_manifest(const tmp_layout *t, int salt, size_t size,
                                      char *digest_out)
{
  char *doc = malloc(size + 1);
  assert_non_null(doc);
  int n = snprintf(doc, size + 1,
                   "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"artifactType\":\"%s\","
                   "\"config\":{\"mediaType\":\"%s\",\"digest\":\"sha256:%s\",\"size\":2},"
                   "\"layers\":[" JWS_LAYER "],\"subject\":{\"mediaType\":\"%s\",\"digest\":"
                   "\"%s\",\"size\":246},\"annotations\":{\"salt\":\"%d\"}}",
                   MT_MANIFEST, AT_SIG, MT_EMPTY, EMPTY_HEX, MT_MANIFEST, ART_DIGEST, salt);
  assert_true(n > 0 && (size_t)n < size);
  memset(doc + n, ' ', size - (size_t)n);
  doc[size] = '\0';
  size_t len = put_blob(t, doc, digest_out);
  free(doc);
  return len;
}

/* An index.json of `count` copies of `entry_text` after `head` (a JSON
 * fragment, may be ""). */
static void set_repeated_index(const tmp_layout *t, const char *head, const char *entry_text,
                               size_t count)
{
  size_t elen = strlen(entry_text), hlen = strlen(head);
  char *entries = malloc(hlen + count * (elen + 1) + 1);
  assert_non_null(entries);
  char *p = entries;
  memcpy(p, head, hlen);
  p += hlen;
  for (size_t i = 0; i < count; i++) {
    if (p != entries)
      *p++ = ',';
    memcpy(p, entry_text, elen);
    p += elen;
  }
  *p = '\0';
  set_index(t, entries);
  free(entries);
}

/* index.json entries that repeat one manifest (same mediaType, digest and
 * size) are read once: it used to read, hash and parse every one of them,
 * so 10,000 entries of one 4 MiB manifest took minutes. */
static void list_repeated_entries(void **state)
{
  (void)state;
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  /* (1) the index limit of entries naming one unparsable blob: examining
   * an entry logs a warning, so the warnings count the examinations */
  char junk[NV_DIGEST_STRING_MAX], e_junk[512];
  size_t junk_len = put_blob(&t, "not a manifest", junk);
  entry(e_junk, sizeof(e_junk), MT_MANIFEST, junk, junk_len, "");
  set_repeated_index(&t, E_ART "," E_SIG, e_junk, NV_REG_MAX_INDEX_ENTRIES - 2);
  nv_reg_layout *l = open_ok(t.dir);
  log_capture cap;
  nv_diag d;
  diag_with_log(&d, &cap);
  nv_reg_sig_list list;
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_OK);
  assert_int_equal(list.count, 1);
  assert_false(list.truncated);
  if (cap.warnings != 1)
    fail_msg("%d warnings: the repeated entry was examined more than once", cap.warnings);
  assert_non_null(strstr(cap.last, "index.json entry 2 skipped"));
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);

  /* (2) the same digest with another size is another entry: a wrong size
   * first (skipped) does not hide the right one after it */
  char e_sig_wrong[512], idx[2048];
  entry(e_sig_wrong, sizeof(e_sig_wrong), MT_MANIFEST, "sha256:" JWS_SIG_HEX, 863, "");
  snprintf(idx, sizeof(idx), "%s,%s,%s,%s,%s", E_ART, e_sig_wrong, e_sig_wrong, E_SIG, E_SIG);
  set_index(&t, idx);
  l = open_ok(t.dir);
  diag_with_log(&d, &cap);
  assert_int_equal(list_sigs(l, 10, &list, &d), NV_OK);
  assert_int_equal(list.count, 1);
  assert_string_equal(list.items[0].desc.digest, "sha256:" JWS_SIG_HEX);
  assert_int_equal(list.items[0].desc.size, 862);
  assert_int_equal(cap.warnings, 1);
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);

  /* (3) a manifest at the 4 MiB limit listed often enough that reading
   * every entry would pass the scan limit: read once, it passes */
  size_t times = NV_LIMIT_LAYOUT_SCAN_BYTES / NV_LIMIT_MANIFEST_BYTES + 4;
  char big[NV_DIGEST_STRING_MAX], e_big[512];
  size_t big_len = put_padded_sig_manifest(&t, 1, NV_LIMIT_MANIFEST_BYTES, big);
  entry(e_big, sizeof(e_big), MT_MANIFEST, big, big_len, "");
  set_repeated_index(&t, E_ART, e_big, times);
  l = open_ok(t.dir);
  diag_with_log(&d, &cap);
  nv_status rc = list_sigs(l, 10, &list, &d);
  if (rc != NV_OK)
    fail_msg("%zu entries of one manifest: %d %s", times, rc, d.msg);
  assert_int_equal(list.count, 1);
  assert_string_equal(list.items[0].desc.digest, big);
  assert_int_equal(cap.warnings, 0);
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);
  tmp_free(&t);
}

/* Distinct manifests are read up to NV_LIMIT_LAYOUT_SCAN_BYTES in all;
 * one more fails the scan with NV_E_LIMIT naming the limit. */
static void list_scan_limit(void **state)
{
  (void)state;
  tmp_layout t;
  tmp_init(&t, DEMO_JWS);
  size_t fit = NV_LIMIT_LAYOUT_SCAN_BYTES / NV_LIMIT_MANIFEST_BYTES;
  size_t cap_len = (strlen(E_ART) + 1) + (fit + 1) * 160;
  char *idx = malloc(cap_len);
  assert_non_null(idx);
  strcpy(idx, E_ART);
  size_t fit_len = 0;
  for (size_t i = 0; i <= fit; i++) {
    char digest[NV_DIGEST_STRING_MAX], e[512];
    size_t len = put_padded_sig_manifest(&t, (int)i, NV_LIMIT_MANIFEST_BYTES, digest);
    entry(e, sizeof(e), MT_MANIFEST, digest, len, "");
    if (i == fit)
      fit_len = strlen(idx);
    strcat(idx, ",");
    strcat(idx, e);
    assert_true(strlen(idx) < cap_len);
  }
  nv_reg_sig_list list;
  nv_diag d;
  nv_diag_init(&d);

  /* exactly the limit: every manifest is read and listed */
  char saved = idx[fit_len];
  idx[fit_len] = '\0';
  set_index(&t, idx);
  idx[fit_len] = saved;
  nv_reg_layout *l = open_ok(t.dir);
  nv_status rc = list_sigs(l, 100, &list, &d);
  if (rc != NV_OK)
    fail_msg("%zu manifests of 4 MiB: %d %s", fit, rc, d.msg);
  assert_int_equal(list.count, fit);
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);

  /* one more: NV_E_LIMIT, the list keeps what was read */
  set_index(&t, idx);
  l = open_ok(t.dir);
  nv_diag_init(&d);
  rc = list_sigs(l, 100, &list, &d);
  if (rc != NV_E_LIMIT)
    fail_msg("%zu manifests of 4 MiB: %d %s", fit + 1, rc, d.msg);
  assert_int_equal(list.count, fit);
  assert_non_null(strstr(d.msg, "NV_LIMIT_LAYOUT_SCAN_BYTES"));
  char limit_text[64];
  snprintf(limit_text, sizeof(limit_text), "at most %zu bytes",
           (size_t)NV_LIMIT_LAYOUT_SCAN_BYTES);
  assert_non_null(strstr(d.msg, limit_text));
  nv_reg_sig_list_free(&list);
  nv_reg_layout_close(l);
  free(idx);
  tmp_free(&t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(reference_parse),
    cmocka_unit_test(demo_resolve),
    cmocka_unit_test(demo_signatures),
    cmocka_unit_test(notation_layout),
    cmocka_unit_test(fetch_tampered_content),
    cmocka_unit_test(fetch_sizes),
    cmocka_unit_test(fetch_missing),
    cmocka_unit_test(fetch_path_traversal),
    cmocka_unit_test(symlinks_rejected),
    cmocka_unit_test(special_files_rejected),
    cmocka_unit_test(bad_oci_layout),
    cmocka_unit_test(bad_index_json),
    cmocka_unit_test(ambiguous_tags),
    cmocka_unit_test(resolve_unlisted_manifest),
    cmocka_unit_test(list_each_source),
    cmocka_unit_test(list_bad_signature_manifests),
    cmocka_unit_test(list_self_reference),
    cmocka_unit_test(list_maximum),
    cmocka_unit_test(list_repeated_entries),
    cmocka_unit_test(list_scan_limit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
