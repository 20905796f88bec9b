/*
 * nv_reg_source over a remote registry (OCI distribution specification
 * 1.1): resolve a reference, discover signatures (Referrers API, or the
 * referrers tag schema when the registry does not serve it), fetch
 * manifests and blobs. Everything the registry sends is size-limited
 * before it is read and digest-checked before it is used
 * (notary-spec.md sections 2 and 18).
 */
#include "registry/nv_reg_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_digest.h"
#include "base/nv_limits.h"
#include "registry/nv_reg_client.h"
#include "registry/nv_reg_headers.h"
#include "registry/nv_reg_ref.h"

#define COMPONENT "registry"

/* What nv_verify accepts as the artifact's manifest. */
#define ACCEPT_MANIFESTS                                                                       \
  NV_REG_MT_IMAGE_MANIFEST ", " NV_REG_MT_IMAGE_INDEX ", "                                     \
  "application/vnd.docker.distribution.manifest.v2+json, "                                     \
  "application/vnd.docker.distribution.manifest.list.v2+json, " NV_REG_MT_ARTIFACT_MANIFEST

typedef struct remote_source {
  nv_reg_source base; /* first: the public part */
  nv_reg_repo repo;
  char *tag;
  char *digest;
  char *name; /* "registry/repository" */
} remote_source;

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static nv_quoted error_detail(const nv_http_response *resp, char *code, size_t code_size)
{
  char message[128];
  nv_reg_error_body(resp->body.data, resp->body.len, code, code_size, message, sizeof(message));
  return nv_quote(message, strlen(message));
}

/* A response that is not what the request needed, as a status: 401 and
 * 403 are the registry's refusal, 404 `not_found`, anything else
 * `other`. `what` names the request. */
static nv_status status_error(const nv_reg_repo *r, const nv_http_response *resp,
                              const char *what, nv_status not_found, nv_status other,
                              nv_diag *d)
{
  char code[64];
  nv_quoted msg = error_detail(resp, code, sizeof(code));
  const char *sep = code[0] != '\0' ? ": " : "";
  if (resp->status == 401)
    return nv_diag_set(d, NV_E_REGISTRY_AUTH,
                       "%s: registry %s answered 401 without saying how to authenticate%s%s",
                       what, r->registry, sep, code);
  if (resp->status == 403)
    return nv_diag_set(d, NV_E_REGISTRY_DENIED, "%s: registry %s denied access (HTTP 403)%s%s",
                       what, r->registry, sep, code);
  if (resp->status == 404)
    return nv_diag_set(d, not_found, "%s: not found (HTTP 404%s%s%s%s%s)", what,
                       code[0] != '\0' ? " " : "", code, msg.s[0] != '\0' ? " \"" : "", msg.s,
                       msg.s[0] != '\0' ? "\"" : "");
  return nv_diag_set(d, other, "%s: registry %s answered HTTP %d%s%s", what, r->registry,
                     (int)resp->status, sep, code);
}

/* Codes that are not one signature's fault: verification stops on them. */
static bool transport_code(nv_status rc)
{
  switch (rc) {
  case NV_E_NOMEM:
  case NV_E_TIMEOUT:
  case NV_E_NETWORK:
  case NV_E_TLS:
  case NV_E_REGISTRY_AUTH:
  case NV_E_REGISTRY_DENIED:
  case NV_E_CALLBACK:
  case NV_E_CREDENTIALS:
    return true;
  default:
    return false;
  }
}

/* The content digest of a response, in the algorithm of `like` (a
 * digest string), into text. */
static nv_status body_digest(const nv_http_response *resp, nv_digest_alg alg, char *text,
                             size_t size, nv_diag *d)
{
  nv_digest got;
  nv_status rc = nv_digest_compute(alg, resp->body.data != NULL ? resp->body.data
                                                               : (const uint8_t *)"",
                                   resp->body.len, &got, d);
  if (rc == NV_OK)
    rc = nv_digest_format(&got, text, size, d);
  return rc;
}

/* The Docker-Content-Digest header, if present and valid. */
static bool header_digest(const nv_http_response *resp, nv_digest *out, const char **text)
{
  const char *h = nv_reg_http_response_header(resp, "Docker-Content-Digest", 0);
  *text = h;
  return h != NULL && nv_digest_parse(h, strlen(h), out, NULL) == NV_OK;
}

/* ------------------------------------------------------------------ */
/* resolve                                                             */

static nv_status remote_resolve(nv_reg_source *s, nv_descriptor *out, nv_diag *d)
{
  remote_source *rs = (remote_source *)s;
  nv_reg_repo *r = &rs->repo;
  nv_descriptor_init(out);
  const char *reference = rs->digest != NULL ? rs->digest : rs->tag;
  char what[NV_DIGEST_STRING_MAX + 300];
  snprintf(what, sizeof(what), "resolving %s%s%s", rs->name, rs->digest != NULL ? "@" : ":",
           reference);
  char *url = nv_reg_repo_url(r, "manifests", reference);
  if (url == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  nv_http_response resp;
  nv_reg_http_response_init(&resp, NV_LIMIT_MANIFEST_BYTES);
  nv_status rc = nv_reg_repo_get(r, url, ACCEPT_MANIFESTS, NV_LIMIT_MANIFEST_BYTES, &resp, d);
  free(url);
  if (rc == NV_E_CONTENT_TOO_LARGE) {
    rc = nv_diag_wrap(d, rc, "%s: the manifest is larger than %zu bytes: ", what,
                      (size_t)NV_LIMIT_MANIFEST_BYTES);
    goto out;
  }
  if (rc != NV_OK) {
    rc = nv_diag_wrap(d, rc, "%s: ", what);
    goto out;
  }
  if (resp.status != 200) {
    rc = status_error(r, &resp, what, NV_E_ARTIFACT_NOT_FOUND, NV_E_RESOLVE_FAILED, d);
    goto out;
  }
  char mt[256];
  nv_reg_media_type(nv_reg_http_response_header(&resp, "Content-Type", 0), mt, sizeof(mt));
  if (mt[0] == '\0') {
    rc = nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "%s: the registry sent no Content-Type", what);
    goto out;
  }
  nv_digest want, from_header;
  const char *header_text = NULL;
  bool has_header = header_digest(&resp, &from_header, &header_text);
  nv_digest_alg alg = NV_DIGEST_SHA256;
  if (rs->digest != NULL) {
    if ((rc = nv_digest_parse(rs->digest, strlen(rs->digest), &want, d)) != NV_OK)
      goto out;
    alg = want.alg;
  } else if (has_header) {
    alg = from_header.alg;
  }
  char got[NV_DIGEST_STRING_MAX];
  if ((rc = body_digest(&resp, alg, got, sizeof(got), d)) != NV_OK)
    goto out;
  /* CVE-2023-33959: what the registry sent must be what was asked for */
  if (rs->digest != NULL && strcmp(got, rs->digest) != 0) {
    rc = nv_diag_set(d, NV_E_RESOLVED_DIGEST_MISMATCH,
                     "user input digest %s does not match the resolved digest %s", rs->digest,
                     got);
    goto out;
  }
  if (header_text != NULL && (!has_header || (from_header.alg == alg && strcmp(header_text, got) != 0))) {
    nv_quoted hq = nv_quote(header_text, strlen(header_text));
    rc = nv_diag_set(d, rs->digest != NULL ? NV_E_RESOLVED_DIGEST_MISMATCH
                                           : NV_E_CONTENT_DIGEST_MISMATCH,
                     "%s: the registry says the manifest is \"%s\" but its content is %s", what,
                     hq.s, got);
    goto out;
  }
  out->media_type = strdup(mt);
  out->digest = strdup(got);
  out->size = resp.body.len;
  if (out->media_type == NULL || out->digest == NULL) {
    nv_descriptor_free(out);
    rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
out:
  nv_reg_http_response_free(&resp);
  return rc;
}

/* ------------------------------------------------------------------ */
/* discovery                                                           */

/* One referrers index (a Referrers API page or the tag schema index):
 * parse it and append its signature entries. */
static nv_status take_index(const nv_http_response *resp, const nv_descriptor *subject,
                            const char *what, nv_reg_sig_list *list, bool *filtered,
                            nv_diag *d)
{
  nv_reg_index idx;
  nv_status rc = nv_reg_index_parse(resp->body.data, resp->body.len,
                                    NV_LIMIT_REFERRERS_PAGE_BYTES, &idx, d);
  if (rc != NV_OK)
    return nv_diag_wrap(d, rc == NV_E_NOMEM ? rc : NV_E_REFERRERS_LIST_FAILED, "%s: ", what);
  if (filtered != NULL)
    *filtered = idx.filters_applied_artifact_type;
  rc = nv_reg_index_filter_signatures(&idx, subject->digest, list, d);
  nv_reg_index_free(&idx);
  return rc;
}

/* The Referrers API. *supported is false when the registry does not serve
 * it (a 404 that is not NAME_UNKNOWN, a 401 without a challenge, a 200
 * that is not an image index): then nothing was added. */
static nv_status referrers_api(remote_source *rs, const nv_descriptor *subject,
                               nv_reg_sig_list *list, bool *supported, nv_diag *d)
{
  nv_reg_repo *r = &rs->repo;
  *supported = false;
  char *base = nv_reg_repo_url(r, "referrers", subject->digest);
  if (base == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  size_t n = strlen(base) + 64;
  char *url = malloc(n);
  if (url != NULL)
    snprintf(url, n, "%s?artifactType=application%%2Fvnd.cncf.notary.signature", base);
  free(base);
  if (url == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  nv_status rc = NV_OK;
  nv_http_response resp;
  nv_reg_http_response_init(&resp, NV_LIMIT_REFERRERS_PAGE_BYTES);
  for (unsigned page = 1;; page++) {
    char what[128];
    snprintf(what, sizeof(what), "Referrers API page %u of %s", page, subject->digest);
    if (page > NV_REG_MAX_REFERRERS_PAGES) {
      rc = nv_diag_set(d, NV_E_REFERRERS_LIST_FAILED,
                       "the Referrers API of registry %s returned more than %d pages for %s "
                       "(endless pagination?)",
                       r->registry, NV_REG_MAX_REFERRERS_PAGES, subject->digest);
      break;
    }
    rc = nv_reg_repo_get(r, url, NV_REG_MT_IMAGE_INDEX, NV_LIMIT_REFERRERS_PAGE_BYTES, &resp, d);
    if (rc == NV_E_CONTENT_TOO_LARGE)
      rc = nv_diag_wrap(d, NV_E_REFERRERS_LIST_FAILED, "%s: ", what);
    if (rc != NV_OK)
      break;
    if (resp.status != 200) {
      char code[64];
      (void)error_detail(&resp, code, sizeof(code));
      if (page == 1 && resp.status == 404 && strcmp(code, "NAME_UNKNOWN") == 0) {
        rc = nv_diag_set(d, NV_E_ARTIFACT_NOT_FOUND,
                         "repository %s does not exist (the Referrers API answered 404 "
                         "NAME_UNKNOWN)",
                         rs->name);
      } else if (page == 1 && (resp.status == 404 || resp.status == 401)) {
        nv_log(d, NV_LOG_INFO, COMPONENT,
               "registry %s answered the Referrers API with HTTP %d%s%s: it does not serve it",
               r->registry, (int)resp.status, code[0] != '\0' ? " " : "", code);
      } else {
        rc = status_error(r, &resp, what, NV_E_REFERRERS_LIST_FAILED,
                          NV_E_REFERRERS_LIST_FAILED, d);
      }
      break;
    }
    char mt[256];
    const char *ct = nv_reg_http_response_header(&resp, "Content-Type", 0);
    nv_reg_media_type(ct, mt, sizeof(mt));
    if (strcmp(mt, NV_REG_MT_IMAGE_INDEX) != 0) {
      nv_quoted q = nv_quote(mt, strlen(mt));
      if (page == 1) {
        nv_log(d, NV_LOG_INFO, COMPONENT,
               "registry %s answered the Referrers API with Content-Type \"%s\", not an image "
               "index: it does not serve it",
               r->registry, q.s);
      } else {
        rc = nv_diag_set(d, NV_E_REFERRERS_LIST_FAILED, "%s: Content-Type \"%s\", not %s", what,
                         q.s, NV_REG_MT_IMAGE_INDEX);
      }
      break;
    }
    *supported = true;
    bool filtered = false;
    if ((rc = take_index(&resp, subject, what, list, &filtered, d)) != NV_OK)
      break;
    filtered = filtered || nv_reg_list_has(nv_reg_http_response_header(&resp,
                                                                      "OCI-Filters-Applied", 0),
                                           "artifactType");
    nv_log(d, NV_LOG_DEBUG, COMPONENT, "%s: %s; %zu signature(s) listed so far", what,
           filtered ? "filtered by the registry (checked again here)"
                    : "not filtered by the registry (filtered here)",
           list->count);
    char *next = NULL;
    for (size_t i = 0; rc == NV_OK && next == NULL; i++) {
      const char *link = nv_reg_http_response_header(&resp, "Link", i);
      if (link == NULL)
        break;
      rc = nv_reg_link_next(link, &next, d);
    }
    if (rc != NV_OK) {
      rc = nv_diag_wrap(d, NV_E_REFERRERS_LIST_FAILED, "%s: ", what);
      break;
    }
    if (next == NULL)
      break;
    if (nv_reg_sig_list_full(list)) {
      free(next);
      list->truncated = true; /* more pages, not read */
      break;
    }
    char *abs = NULL;
    rc = nv_reg_url_resolve(url, next, &abs, d);
    free(next);
    if (rc != NV_OK) {
      rc = nv_diag_wrap(d, rc == NV_E_NOMEM ? rc : NV_E_REFERRERS_LIST_FAILED,
                        "%s: the next page's Link: ", what);
      break;
    }
    if (!nv_reg_url_same_origin(abs, r->origin)) {
      nv_quoted q = nv_quote(abs, strcspn(abs, "?"));
      free(abs);
      rc = nv_diag_set(d, NV_E_REFERRERS_LIST_FAILED,
                       "%s: the next page's Link points to another host (\"%s\"): refused",
                       what, q.s);
      break;
    }
    free(url);
    url = abs;
  }
  nv_reg_http_response_free(&resp);
  free(url);
  return rc;
}

/* The referrers tag schema: the image index tagged "<alg>-<hex>". */
static nv_status referrers_tag(remote_source *rs, const nv_descriptor *subject,
                               nv_reg_sig_list *list, nv_diag *d)
{
  nv_reg_repo *r = &rs->repo;
  const char *colon = strchr(subject->digest, ':');
  if (colon == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "subject digest has no ':'");
  /* the distribution specification truncates to 32 and 64 characters */
  size_t alg_len = (size_t)(colon - subject->digest);
  size_t hex_len = strlen(colon + 1);
  char tag[128];
  snprintf(tag, sizeof(tag), "%.*s-%.*s", (int)(alg_len > 32 ? 32 : alg_len), subject->digest,
           (int)(hex_len > 64 ? 64 : hex_len), colon + 1);
  char what[200];
  snprintf(what, sizeof(what), "referrers tag %s:%s", rs->name, tag);
  char *url = nv_reg_repo_url(r, "manifests", tag);
  if (url == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  nv_http_response resp;
  nv_reg_http_response_init(&resp, NV_LIMIT_REFERRERS_PAGE_BYTES);
  nv_status rc = nv_reg_repo_get(r, url, NV_REG_MT_IMAGE_INDEX, NV_LIMIT_REFERRERS_PAGE_BYTES,
                                 &resp, d);
  free(url);
  if (rc == NV_E_CONTENT_TOO_LARGE)
    rc = nv_diag_wrap(d, NV_E_REFERRERS_LIST_FAILED, "%s: ", what);
  if (rc == NV_OK && resp.status == 404) {
    nv_log(d, NV_LOG_DEBUG, COMPONENT, "%s does not exist: no signatures", what);
  } else if (rc == NV_OK && resp.status != 200) {
    rc = status_error(r, &resp, what, NV_E_REFERRERS_LIST_FAILED, NV_E_REFERRERS_LIST_FAILED,
                      d);
  } else if (rc == NV_OK) {
    char mt[256];
    nv_reg_media_type(nv_reg_http_response_header(&resp, "Content-Type", 0), mt, sizeof(mt));
    nv_digest hd;
    const char *htext = NULL;
    bool has = header_digest(&resp, &hd, &htext);
    char got[NV_DIGEST_STRING_MAX];
    if (strcmp(mt, NV_REG_MT_IMAGE_INDEX) != 0) {
      nv_quoted q = nv_quote(mt, strlen(mt));
      rc = nv_diag_set(d, NV_E_REFERRERS_LIST_FAILED, "%s is \"%s\", not an image index", what,
                       q.s);
    } else if (has && (rc = body_digest(&resp, hd.alg, got, sizeof(got), d)) == NV_OK &&
               strcmp(got, htext) != 0) {
      rc = nv_diag_set(d, NV_E_REFERRERS_LIST_FAILED,
                       "%s: the registry says the index is %s but its content is %s", what,
                       htext, got);
    }
    if (rc == NV_OK)
      rc = take_index(&resp, subject, what, list, NULL, d);
  }
  nv_reg_http_response_free(&resp);
  return rc;
}

static nv_status remote_list(nv_reg_source *s, const nv_descriptor *subject,
                             nv_reg_sig_list *list, nv_diag *d)
{
  remote_source *rs = (remote_source *)s;
  nv_reg_client *c = rs->repo.client;
  if (subject == NULL || subject->digest == NULL || list == NULL || list->max == 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "registry signatures: invalid argument");
  nv_referrers_mode mode = nv_reg_client_referrers_mode(c);
  nv_reg_referrers_state state = nv_reg_client_referrers_state(c, rs->repo.registry);
  if (mode == NV_REFERRERS_TAG_ONLY || (mode == NV_REFERRERS_AUTO && state == NV_REG_REFERRERS_TAG))
    return referrers_tag(rs, subject, list, d);
  bool supported = false;
  nv_status rc = referrers_api(rs, subject, list, &supported, d);
  if (rc != NV_OK || supported) {
    if (rc == NV_OK && mode == NV_REFERRERS_AUTO)
      nv_reg_client_remember_referrers(c, rs->repo.registry, NV_REG_REFERRERS_API);
    return rc;
  }
  if (mode == NV_REFERRERS_API_ONLY)
    return nv_diag_set(d, NV_E_REFERRERS_LIST_FAILED,
                       "registry %s does not serve the Referrers API, and the referrers tag "
                       "schema is switched off (NV_REFERRERS_API_ONLY)",
                       rs->repo.registry);
  nv_reg_client_remember_referrers(c, rs->repo.registry, NV_REG_REFERRERS_TAG);
  return referrers_tag(rs, subject, list, d);
}

/* ------------------------------------------------------------------ */
/* fetch                                                               */

typedef struct fetch_codes {
  nv_status too_large;
  nv_status mismatch;
  nv_status not_found;
  nv_status failed;
} fetch_codes;

static const fetch_codes content_codes = {NV_E_CONTENT_TOO_LARGE, NV_E_CONTENT_DIGEST_MISMATCH,
                                          NV_E_ARTIFACT_NOT_FOUND, NV_E_FETCH_FAILED};
static const fetch_codes sig_manifest_codes = {NV_E_SIG_MANIFEST_TOO_LARGE,
                                               NV_E_SIG_DIGEST_MISMATCH, NV_E_SIG_FETCH_FAILED,
                                               NV_E_SIG_FETCH_FAILED};
static const fetch_codes sig_blob_codes = {NV_E_SIG_BLOB_TOO_LARGE, NV_E_SIG_DIGEST_MISMATCH,
                                           NV_E_SIG_FETCH_FAILED, NV_E_SIG_FETCH_FAILED};

static bool manifest_type(const char *mt)
{
  return mt != NULL && (strcmp(mt, NV_REG_MT_IMAGE_MANIFEST) == 0 ||
                        strcmp(mt, NV_REG_MT_IMAGE_INDEX) == 0 ||
                        strcmp(mt, NV_REG_MT_ARTIFACT_MANIFEST) == 0 ||
                        strncmp(mt, "application/vnd.docker.distribution.manifest.", 45) == 0);
}

/* A media type as OCI descriptors allow it (RFC 6838 restricted names,
 * no parameters): what may go into an Accept header. */
static bool valid_media_type(const char *mt)
{
  static const char extra[] = "!#$&^_.+-";
  size_t part = 0, parts = 1;
  for (const char *p = mt; *p != '\0'; p++) {
    bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
    if (*p == '/' && parts == 1 && part > 0) {
      parts++;
      part = 0;
    } else if ((alnum || (part > 0 && strchr(extra, *p) != NULL)) && ++part <= 127) {
      continue;
    } else {
      return false;
    }
  }
  return parts == 2 && part > 0;
}

static nv_status remote_fetch(nv_reg_source *s, const nv_descriptor *desc, size_t max_bytes,
                              nv_reg_fetch_kind kind, uint8_t **data, size_t *len, nv_diag *d)
{
  remote_source *rs = (remote_source *)s;
  nv_reg_repo *r = &rs->repo;
  *data = NULL;
  *len = 0;
  const fetch_codes *c = kind == NV_REG_FETCH_SIG_MANIFEST ? &sig_manifest_codes
                         : kind == NV_REG_FETCH_SIG_BLOB   ? &sig_blob_codes
                                                           : &content_codes;
  nv_digest want;
  if (desc == NULL || desc->digest == NULL ||
      nv_digest_parse(desc->digest, strlen(desc->digest), &want, d) != NV_OK)
    return nv_diag_wrap(d, kind == NV_REG_FETCH_CONTENT ? NV_OK : c->failed, "fetch: ");
  if (desc->size > max_bytes)
    return nv_diag_set(d, c->too_large, "%s: size %llu exceeds the limit of %zu bytes",
                       desc->digest, (unsigned long long)desc->size, max_bytes);
  /* the media type goes into a request header: only a valid one */
  if (desc->media_type != NULL && !valid_media_type(desc->media_type))
    return nv_diag_set(d, c->failed, "%s: the descriptor's media type \"%s\" is not a valid "
                                     "media type",
                       desc->digest, nv_quote(desc->media_type, strlen(desc->media_type)).s);
  bool manifest = kind == NV_REG_FETCH_SIG_MANIFEST ||
                  (kind == NV_REG_FETCH_CONTENT && manifest_type(desc->media_type));
  char *url = nv_reg_repo_url(r, manifest ? "manifests" : "blobs", desc->digest);
  char accept[300];
  snprintf(accept, sizeof(accept), "%s%s", desc->media_type != NULL ? desc->media_type : "*/*",
           manifest ? "" : ", */*");
  if (url == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  nv_http_response resp;
  nv_reg_http_response_init(&resp, (size_t)desc->size);
  nv_status rc = nv_reg_repo_get(r, url, accept, (size_t)desc->size, &resp, d);
  free(url);
  const char *what = manifest ? "manifest" : "blob";
  if (rc == NV_E_CONTENT_TOO_LARGE) {
    rc = nv_diag_set(d, c->mismatch,
                     "%s %s: the registry sent more than the %llu bytes its descriptor names",
                     what, desc->digest, (unsigned long long)desc->size);
  } else if (rc != NV_OK) {
    if (!transport_code(rc))
      rc = nv_diag_wrap(d, c->failed, "%s %s: ", what, desc->digest);
  } else if (resp.status != 200) {
    char ctx[200];
    snprintf(ctx, sizeof(ctx), "%s %s", what, desc->digest);
    rc = status_error(r, &resp, ctx, c->not_found, c->failed, d);
  } else if (resp.body.len != desc->size) {
    rc = nv_diag_set(d, c->mismatch, "%s %s: the registry sent %zu bytes, its descriptor says %llu",
                     what, desc->digest, resp.body.len, (unsigned long long)desc->size);
  } else {
    nv_digest got;
    rc = nv_digest_compute(want.alg, resp.body.data != NULL ? resp.body.data : (const uint8_t *)"",
                           resp.body.len, &got, d);
    if (rc == NV_OK && !nv_digest_equal(&want, &got))
      rc = nv_diag_set(d, c->mismatch, "%s content does not match its digest %s", what,
                       desc->digest);
    if (rc == NV_OK)
      rc = nv_buf_terminate(&resp.body, d);
    if (rc == NV_OK)
      *data = nv_buf_detach(&resp.body, len);
  }
  nv_reg_http_response_free(&resp);
  return rc;
}

/* ------------------------------------------------------------------ */
/* open / close                                                        */

static void remote_close(nv_reg_source *s)
{
  remote_source *rs = (remote_source *)s;
  nv_reg_repo_close(&rs->repo);
  free(rs->tag);
  free(rs->digest);
  free(rs->name);
  free(rs);
}

static const nv_reg_source_ops remote_ops = {remote_resolve, remote_list, remote_fetch,
                                             remote_close};

nv_status nv_reg_source_open_remote(nv_reg_client *client, const nv_reg_ref *ref,
                                    nv_reg_source **out, nv_diag *d)
{
  *out = NULL;
  if (client == NULL || ref == NULL || ref->registry == NULL || ref->repository == NULL ||
      (ref->tag == NULL && ref->digest == NULL))
    return nv_diag_set(d, NV_E_INVALID_ARG, "registry source: invalid argument");
  remote_source *rs = calloc(1, sizeof(*rs));
  if (rs == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  nv_reg_client_begin(client);
  nv_status rc = nv_reg_repo_open(client, ref->registry, ref->repository, &rs->repo, d);
  size_t n = strlen(ref->registry) + strlen(ref->repository) + 2;
  if (rc == NV_OK) {
    rs->name = malloc(n);
    rs->tag = ref->tag != NULL ? strdup(ref->tag) : NULL;
    rs->digest = ref->digest != NULL ? strdup(ref->digest) : NULL;
    if (rs->name == NULL || (ref->tag != NULL && rs->tag == NULL) ||
        (ref->digest != NULL && rs->digest == NULL))
      rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
    else
      snprintf(rs->name, n, "%s/%s", ref->registry, ref->repository);
  }
  if (rc != NV_OK) {
    remote_close(&rs->base);
    return rc;
  }
  if (rs->digest != NULL && rs->tag != NULL)
    nv_log(d, NV_LOG_INFO, COMPONENT, "%s: the tag \"%s\" is ignored; the digest %s is verified",
           rs->name, rs->tag, rs->digest);
  rs->base.ops = &remote_ops;
  rs->base.tag = rs->digest == NULL ? rs->tag : NULL;
  rs->base.name = rs->name;
  *out = &rs->base;
  return NV_OK;
}

uint32_t nv_reg_source_request_count(const nv_reg_source *s)
{
  if (s == NULL || s->ops != &remote_ops)
    return 0;
  return ((const remote_source *)s)->repo.requests;
}
