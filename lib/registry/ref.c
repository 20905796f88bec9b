/* Registry references (see nv_reg_ref.h). */
#include "registry/nv_reg_ref.h"
#include "registry/nv_reg_util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_digest.h"

static bool is_lower_alnum(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_alnum(char c)
{
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* [A-Za-z0-9] or [A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9], '.'-separated */
static bool valid_domain_name(const char *s, size_t len)
{
  if (len == 0)
    return false;
  size_t label = 0;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c == '.') {
      if (label == 0 || s[i - 1] == '-')
        return false;
      label = 0;
    } else if (is_alnum(c) || (c == '-' && label > 0)) {
      label++;
    } else {
      return false;
    }
  }
  return label > 0 && s[len - 1] != '-';
}

static bool valid_port(const char *s, size_t len)
{
  if (len == 0 || len > 5)
    return false;
  unsigned v = 0;
  for (size_t i = 0; i < len; i++) {
    if (!is_digit(s[i]))
      return false;
    v = v * 10 + (unsigned)(s[i] - '0');
  }
  return v >= 1 && v <= 65535;
}

/* host[:port]; host = domain name | "[" IPv6 "]" */
static bool valid_registry(const char *s, size_t len)
{
  size_t host_len;
  if (len > 0 && s[0] == '[') {
    const char *close = memchr(s, ']', len);
    if (close == NULL)
      return false;
    host_len = (size_t)(close - s) + 1;
    if (host_len < 4) /* "[::]" at least */
      return false;
    for (size_t i = 1; i + 1 < host_len; i++)
      if (!is_hex(s[i]) && s[i] != ':')
        return false;
  } else {
    const char *colon = memchr(s, ':', len);
    host_len = colon != NULL ? (size_t)(colon - s) : len;
    if (!valid_domain_name(s, host_len))
      return false;
  }
  if (host_len == len)
    return true;
  if (s[host_len] != ':')
    return false;
  return valid_port(s + host_len + 1, len - host_len - 1);
}

/* path-component ('/' path-component)*, each [a-z0-9]+ joined by '.', '_',
 * "__" or a run of '-'. */
static bool valid_repository(const char *s, size_t len)
{
  if (len == 0)
    return false;
  size_t i = 0;
  while (i < len) {
    /* one component */
    if (!is_lower_alnum(s[i]))
      return false;
    while (i < len && s[i] != '/') {
      while (i < len && is_lower_alnum(s[i]))
        i++;
      if (i == len || s[i] == '/')
        break;
      /* a separator, then alphanumerics again */
      if (s[i] == '.') {
        i++;
      } else if (s[i] == '_') {
        i++;
        if (i < len && s[i] == '_')
          i++;
      } else if (s[i] == '-') {
        while (i < len && s[i] == '-')
          i++;
      } else {
        return false;
      }
      if (i == len || !is_lower_alnum(s[i]))
        return false;
    }
    if (i < len) {
      i++; /* '/' */
      if (i == len)
        return false;
    }
  }
  return true;
}

static bool valid_tag(const char *s, size_t len)
{
  if (len == 0 || len > NV_REG_TAG_MAX_BYTES)
    return false;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    bool ok = is_alnum(c) || c == '_' || (i > 0 && (c == '.' || c == '-'));
    if (!ok)
      return false;
  }
  return true;
}

void nv_reg_ref_free(nv_reg_ref *r)
{
  if (r == NULL)
    return;
  free(r->registry);
  free(r->repository);
  free(r->tag);
  free(r->digest);
  memset(r, 0, sizeof(*r));
}

/* The first path component could be a registry (docker's rule). */
static bool looks_like_registry(const char *s, size_t len)
{
  if (len == 9 && memcmp(s, "localhost", 9) == 0)
    return true;
  return memchr(s, '.', len) != NULL || memchr(s, ':', len) != NULL || (len > 0 && s[0] == '[');
}

nv_status nv_reg_ref_parse(const char *ref, nv_reg_ref *out, nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "reference: no output");
  memset(out, 0, sizeof(*out));
  if (ref == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "reference: NULL");
  size_t len = strnlen(ref, NV_REG_REF_MAX_BYTES + 1);
  if (len > NV_REG_REF_MAX_BYTES)
    return nv_diag_set(d, NV_E_REFERENCE_INVALID, "reference longer than %d bytes",
                       NV_REG_REF_MAX_BYTES);
  nv_quoted q = nv_quote(ref, len);
  if (len == 0)
    return nv_diag_set(d, NV_E_REFERENCE_INVALID, "empty reference");
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)ref[i] <= 0x20 || (unsigned char)ref[i] >= 0x7f)
      return nv_diag_set(d, NV_E_REFERENCE_INVALID,
                         "reference \"%s\" contains a space, a control or a non-ASCII character",
                         q.s);

  /* "@digest" */
  const char *at = memchr(ref, '@', len);
  size_t name_end = at != NULL ? (size_t)(at - ref) : len;
  if (at != NULL && memchr(at + 1, '@', len - name_end - 1) != NULL)
    return nv_diag_set(d, NV_E_REFERENCE_INVALID, "reference \"%s\" has more than one '@'", q.s);

  /* ":tag": the last ':' after the last '/' of the name part */
  const char *slash = NULL;
  for (size_t i = 0; i < name_end; i++)
    if (ref[i] == '/')
      slash = ref + i;
  const char *first_slash = memchr(ref, '/', name_end);
  size_t first_len = first_slash != NULL ? (size_t)(first_slash - ref) : name_end;
  if (first_slash == NULL || !looks_like_registry(ref, first_len)) {
    const char *prefix = first_slash == NULL ? "docker.io/library/" : "docker.io/";
    return nv_diag_set(d, NV_E_REFERENCE_INVALID,
                       "reference \"%s\" does not start with a registry host: Docker Hub short "
                       "names are not expanded, because trust policy scopes name the registry "
                       "in full; write the registry, e.g. \"%s%s\"",
                       q.s, prefix, q.s);
  }
  const char *colon = NULL;
  for (const char *p = slash + 1; p < ref + name_end; p++)
    if (*p == ':')
      colon = p;
  size_t repo_end = colon != NULL ? (size_t)(colon - ref) : name_end;

  if (!valid_registry(ref, first_len)) {
    nv_quoted h = nv_quote(ref, first_len);
    return nv_diag_set(d, NV_E_REFERENCE_INVALID,
                       "reference \"%s\": invalid registry \"%s\" (expected host[:port], a DNS "
                       "name, an IPv4 address or a [bracketed] IPv6 address)",
                       q.s, h.s);
  }
  const char *repo = first_slash + 1;
  size_t repo_len = repo_end - first_len - 1;
  if (!valid_repository(repo, repo_len)) {
    nv_quoted r = nv_quote(repo, repo_len);
    return nv_diag_set(d, NV_E_REFERENCE_INVALID,
                       "reference \"%s\": invalid repository \"%s\" (lowercase letters and "
                       "digits separated by '.', '_', '__', '-' or '/')",
                       q.s, r.s);
  }
  if (repo_end > NV_REG_NAME_MAX_BYTES)
    return nv_diag_set(d, NV_E_REFERENCE_INVALID,
                       "reference \"%s\": registry and repository are longer than %d bytes", q.s,
                       NV_REG_NAME_MAX_BYTES);
  const char *tag = colon != NULL ? colon + 1 : NULL;
  size_t tag_len = colon != NULL ? name_end - repo_end - 1 : 0;
  if (tag != NULL && !valid_tag(tag, tag_len))
    return nv_diag_set(d, NV_E_REFERENCE_INVALID,
                       "reference \"%s\": invalid tag (expected [A-Za-z0-9_][A-Za-z0-9._-]{0,127})",
                       q.s);
  if (at != NULL) {
    nv_digest dg;
    if (nv_digest_parse(at + 1, len - name_end - 1, &dg, d) != NV_OK)
      return nv_diag_wrap(d, NV_E_REFERENCE_INVALID, "reference \"%s\": ", q.s);
  }
  if (tag == NULL && at == NULL)
    return nv_diag_set(d, NV_E_REFERENCE_INVALID,
                       "reference \"%s\" names no tag or digest (registry/repository:tag or "
                       "registry/repository@sha256:...)",
                       q.s);

  out->registry = nv_reg_dup_range(ref, first_len);
  out->repository = nv_reg_dup_range(repo, repo_len);
  out->tag = tag != NULL ? nv_reg_dup_range(tag, tag_len) : NULL;
  out->digest = at != NULL ? nv_reg_dup_range(at + 1, len - name_end - 1) : NULL;
  if (out->registry == NULL || out->repository == NULL || (tag != NULL && out->tag == NULL) ||
      (at != NULL && out->digest == NULL)) {
    nv_reg_ref_free(out);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  return NV_OK;
}

bool nv_reg_registry_valid(const char *s)
{
  if (s == NULL)
    return false;
  size_t len = strnlen(s, NV_REG_NAME_MAX_BYTES + 1);
  return len <= NV_REG_NAME_MAX_BYTES && valid_registry(s, len);
}

const char *nv_reg_api_host(const char *registry)
{
  if (registry != NULL && strcmp(registry, "docker.io") == 0)
    return "registry-1.docker.io";
  return registry;
}
