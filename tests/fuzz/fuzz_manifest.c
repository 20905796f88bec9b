/*
 * Fuzz target for registry/manifest.c: the input is parsed as an OCI
 * manifest (with and without a media type hint), as an image index, and
 * run through the signature-manifest rules (notary-spec.md 2.1, 2.3) with
 * a descriptor that matches it, and through the referrers filter. Besides
 * crashes and sanitizer reports, broken invariants abort():
 *   - a failure leaves the output initialised and records status + message;
 *   - a parsed manifest has a kind, at most NV_REG_MAX_LAYERS layers, every
 *     descriptor a valid digest and a media type;
 *   - an accepted signature manifest has exactly one layer within the
 *     envelope limit, passes the artifactType rule, has the target as its
 *     subject, and the generic parser accepts the same bytes;
 *   - the signature rules never accept what the generic parser refuses,
 *     and a wrong descriptor digest or media type is always refused with
 *     its own code;
 *   - the referrers filter keeps at most `max` entries, all of the
 *     signature artifact type, without duplicate digests, and marks an
 *     entry naming the subject itself with NV_E_SIG_MANIFEST_SUBJECT.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_digest.h"
#include "base/nv_limits.h"
#include "registry/nv_reg_manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TARGET_DIGEST "sha256:f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268"

static void require(bool ok)
{
  if (!ok)
    abort();
}

static void check_descriptor(const nv_descriptor *desc)
{
  require(desc->media_type != NULL);
  require(desc->digest != NULL);
  nv_digest dg;
  require(nv_digest_parse(desc->digest, strlen(desc->digest), &dg, NULL) == NV_OK);
  require(desc->size <= ((uint64_t)1 << 53));
  require(desc->annotations.count <= NV_DESCRIPTOR_MAX_ANNOTATIONS);
  for (size_t i = 0; i < desc->annotations.count; i++)
    require(desc->annotations.keys[i] != NULL && desc->annotations.values[i] != NULL);
}

static void check_failure(nv_status rc, const nv_diag *d)
{
  require(rc != NV_OK);
  require(rc != NV_E_INTERNAL && rc != NV_E_INVALID_ARG);
  require(d->status == rc);
  require(d->msg[0] != '\0');
}

static void check_manifest(const nv_reg_manifest *m)
{
  require(m->kind == NV_REG_MANIFEST_IMAGE || m->kind == NV_REG_MANIFEST_ARTIFACT);
  require(m->layer_count <= NV_REG_MAX_LAYERS);
  require((m->layer_count == 0) == (m->layers == NULL));
  for (size_t i = 0; i < m->layer_count; i++)
    check_descriptor(&m->layers[i]);
  require(m->has_config == (m->kind == NV_REG_MANIFEST_IMAGE));
  if (m->has_config)
    check_descriptor(&m->config);
  if (m->has_subject)
    check_descriptor(&m->subject);
  require(m->annotations.count <= NV_DESCRIPTOR_MAX_ANNOTATIONS);
  for (size_t i = 0; i < m->annotations.count; i++)
    require(nv_annotations_get(&m->annotations, m->annotations.keys[i]) == m->annotations.values[i]);
}

static bool is_empty_manifest(const nv_reg_manifest *m)
{
  return m->kind == NV_REG_MANIFEST_NONE && m->layers == NULL && m->media_type == NULL &&
         m->artifact_type == NULL && !m->has_config && !m->has_subject &&
         m->annotations.count == 0;
}

static nv_status parse_manifest(const uint8_t *data, size_t size, const char *hint,
                                nv_reg_manifest *m)
{
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_reg_manifest_parse(data, size, hint, m, &d);
  if (rc == NV_OK) {
    check_manifest(m);
    if (hint != NULL)
      require(m->media_type == NULL || strcmp(m->media_type, hint) == 0);
  } else {
    check_failure(rc, &d);
    require(is_empty_manifest(m));
  }
  /* the same answer without a diag */
  nv_reg_manifest again;
  require(nv_reg_manifest_parse(data, size, hint, &again, NULL) == rc);
  nv_reg_manifest_free(&again);
  return rc;
}

static void make_desc(nv_descriptor *desc, const char *media_type, const uint8_t *data,
                      size_t size, char *digest_buf)
{
  nv_digest dg;
  require(nv_digest_compute(NV_DIGEST_SHA256, data, size, &dg, NULL) == NV_OK);
  require(nv_digest_format(&dg, digest_buf, NV_DIGEST_STRING_MAX, NULL) == NV_OK);
  nv_descriptor_init(desc);
  desc->media_type = (char *)(uintptr_t)media_type;
  desc->digest = digest_buf;
  desc->size = size;
}

static void sig_rules(const uint8_t *data, size_t size, const char *media_type,
                      nv_status generic_rc)
{
  char digest[NV_DIGEST_STRING_MAX];
  nv_descriptor desc, target;
  make_desc(&desc, media_type, data, size, digest);
  nv_descriptor_init(&target);
  target.media_type = (char *)(uintptr_t)NV_REG_MT_IMAGE_MANIFEST;
  target.digest = (char *)(uintptr_t)TARGET_DIGEST;
  target.size = 246;

  static const unsigned flag_sets[] = {0, NV_REG_SIG_ANY_ARTIFACT_TYPE};
  for (size_t f = 0; f < 2; f++) {
    for (int with_target = 0; with_target < 2; with_target++) {
      nv_diag d;
      nv_diag_init(&d);
      nv_reg_sig_manifest s;
      nv_status rc = nv_reg_sig_manifest_parse(&desc, data, size, with_target ? &target : NULL,
                                               flag_sets[f], &s, &d);
      if (rc == NV_OK) {
        require(generic_rc == NV_OK);
        check_manifest(&s.manifest);
        require(s.manifest.layer_count == 1);
        require(s.envelope == &s.manifest.layers[0]);
        require(s.envelope_media_type == s.manifest.layers[0].media_type);
        require(s.envelope->size <= NV_LIMIT_ENVELOPE_BYTES);
        if (flag_sets[f] == 0)
          require(nv_reg_sig_manifest_check_artifact_type(&s.manifest, NULL) == NV_OK);
        if (with_target)
          require(s.manifest.has_subject && nv_descriptor_equal(&s.manifest.subject, &target));
        require(size <= NV_LIMIT_MANIFEST_BYTES);
      } else {
        check_failure(rc, &d);
        require(rc <= -2000 && rc > -2100); /* per-signature retrieval codes */
        require(s.envelope == NULL && is_empty_manifest(&s.manifest));
        if (generic_rc != NV_OK)
          require(rc == NV_E_SIG_MANIFEST_PARSE || rc == NV_E_SIG_MANIFEST_MEDIATYPE ||
                  rc == NV_E_SIG_MANIFEST_TOO_LARGE);
      }
      nv_reg_sig_manifest_free(&s);
    }
  }

  /* a descriptor for other bytes, or of another type, is always refused */
  nv_reg_sig_manifest s;
  desc.size = (uint64_t)size + 1;
  nv_status rc = nv_reg_sig_manifest_parse(&desc, data, size, NULL, 0, &s, NULL);
  require(rc == NV_E_SIG_DIGEST_MISMATCH || rc == NV_E_SIG_MANIFEST_TOO_LARGE);
  desc.size = size;
  digest[7] = digest[7] == '0' ? '1' : '0';
  rc = nv_reg_sig_manifest_parse(&desc, data, size, NULL, 0, &s, NULL);
  require(rc == NV_E_SIG_DIGEST_MISMATCH || rc == NV_E_SIG_MANIFEST_TOO_LARGE);
  desc.media_type = (char *)(uintptr_t)NV_REG_MT_IMAGE_INDEX;
  require(nv_reg_sig_manifest_parse(&desc, data, size, NULL, 0, &s, NULL) ==
          NV_E_SIG_MANIFEST_MEDIATYPE);
}

static void index_rules(const uint8_t *data, size_t size)
{
  nv_diag d;
  nv_diag_init(&d);
  nv_reg_index idx;
  nv_status rc = nv_reg_index_parse(data, size, NV_LIMIT_REFERRERS_PAGE_BYTES, &idx, &d);
  if (rc != NV_OK) {
    check_failure(rc, &d);
    require(idx.manifests == NULL && idx.manifest_count == 0 && idx.annotations.count == 0);
    return;
  }
  require(idx.manifest_count <= NV_REG_MAX_INDEX_ENTRIES);
  require(idx.media_type == NULL || strcmp(idx.media_type, NV_REG_MT_IMAGE_INDEX) == 0);
  for (size_t i = 0; i < idx.manifest_count; i++)
    check_descriptor(&idx.manifests[i]);
  if (idx.filters_applied_artifact_type)
    require(nv_annotations_get(&idx.annotations, NV_REG_ANN_FILTERS_APPLIED) != NULL);

  /* the subject: the first entry's digest when there is one, so the
   * self-reference case is reached */
  const char *subject = idx.manifest_count > 0 ? idx.manifests[0].digest : TARGET_DIGEST;
  static const size_t maxima[] = {1, 3, 100};
  for (size_t k = 0; k < 3; k++) {
    nv_reg_sig_list list;
    nv_reg_sig_list_init(&list, maxima[k]);
    require(nv_reg_index_filter_signatures(&idx, subject, &list, NULL) == NV_OK);
    require(list.count <= maxima[k]);
    require(!list.truncated || list.count == maxima[k]);
    for (size_t i = 0; i < list.count; i++) {
      const nv_descriptor *e = &list.items[i].desc;
      check_descriptor(e);
      require(e->artifact_type != NULL &&
              strcmp(e->artifact_type, NV_REG_ARTIFACT_TYPE_SIGNATURE) == 0);
      require((list.items[i].status == NV_E_SIG_MANIFEST_SUBJECT) ==
              (strcmp(e->digest, subject) == 0));
      require(list.items[i].status == NV_OK || list.items[i].status == NV_E_SIG_MANIFEST_SUBJECT);
      for (size_t j = 0; j < i; j++)
        require(strcmp(list.items[j].desc.digest, e->digest) != 0);
    }
    /* a second pass over the same page adds nothing new but may fill up */
    size_t before = list.count;
    require(nv_reg_index_filter_signatures(&idx, subject, &list, NULL) == NV_OK);
    require(list.count == before);
    nv_reg_sig_list_free(&list);
  }
  nv_reg_index_free(&idx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  nv_reg_manifest m;
  nv_status plain = parse_manifest(data, size, NULL, &m);
  nv_reg_manifest_free(&m);
  nv_status image = parse_manifest(data, size, NV_REG_MT_IMAGE_MANIFEST, &m);
  nv_reg_manifest_free(&m);
  nv_status artifact = parse_manifest(data, size, NV_REG_MT_ARTIFACT_MANIFEST, &m);
  nv_reg_manifest_free(&m);
  /* a document that names its own type parses the same with or without
   * a matching hint */
  if (plain == NV_OK)
    require(image == NV_OK || artifact == NV_OK);

  sig_rules(data, size, NV_REG_MT_IMAGE_MANIFEST, image);
  sig_rules(data, size, NV_REG_MT_ARTIFACT_MANIFEST, artifact);
  index_rules(data, size);
  return 0;
}
