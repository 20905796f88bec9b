/*
 * Fuzz target for registry/headers.c: the input, as text, is parsed as a
 * WWW-Authenticate value, a Link value, an absolute URL, a URL reference
 * resolved against a registry URL, a Content-Type, an OCI-Filters-Applied
 * list, and (as bytes) a registry error body. Everything a registry sends
 * in these headers is untrusted. Besides crashes and sanitizer reports,
 * broken invariants abort():
 *   - challenges: at most NV_REG_MAX_CHALLENGES, each with a non-empty
 *     scheme; a failure is NV_E_REGISTRY_PROTOCOL or NV_E_NOMEM with a
 *     message;
 *   - Link: a target never contains '<', '>' or a space;
 *   - URLs: a parsed URL has a host, a port in 1..65535, a path starting
 *     with '/', no '@' before its path; resolving gives a URL that parses
 *     again, and resolving that against itself is the identity;
 *   - media types are lowercase and never contain ';'.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/nv_reg_headers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE "https://registry.example:5000/v2/team/app/referrers/sha256:ab?artifactType=x"

static void require(bool ok)
{
  if (!ok)
    abort();
}

static void check_url(const char *s)
{
  nv_reg_url u;
  if (nv_reg_url_parse(s, &u, NULL) != NV_OK)
    return;
  require(u.host != NULL && u.host[0] != '\0' && strchr(u.host, '@') == NULL);
  require(u.port >= 1 && u.port <= 65535);
  require(u.path != NULL && u.path[0] == '/' && strchr(u.path, '#') == NULL);
  nv_reg_url_free(&u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 16384)
    return 0;
  char *s = malloc(size + 1);
  if (s == NULL)
    return 0;
  memcpy(s, data, size);
  s[size] = '\0';

  nv_reg_challenges c;
  nv_reg_challenges_init(&c);
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_reg_challenges_parse(s, &c, &d);
  require(rc == NV_OK || ((rc == NV_E_REGISTRY_PROTOCOL || rc == NV_E_NOMEM) && d.msg[0] != '\0'));
  require(c.count <= NV_REG_MAX_CHALLENGES);
  for (size_t i = 0; i < c.count; i++)
    require(c.items[i].scheme != NULL && c.items[i].scheme[0] != '\0');
  (void)nv_reg_challenges_find(&c, "Bearer");
  nv_reg_challenges_free(&c);

  char *next = NULL;
  if (nv_reg_link_next(s, &next, NULL) == NV_OK && next != NULL) {
    require(strpbrk(next, "<> ") == NULL);
    free(next);
  } else {
    require(next == NULL);
  }

  check_url(s);
  char *abs = NULL;
  if (nv_reg_url_resolve(BASE, s, &abs, NULL) == NV_OK) {
    check_url(abs);
    nv_reg_url u;
    require(nv_reg_url_parse(abs, &u, NULL) == NV_OK);
    nv_reg_url_free(&u);
    char *again = NULL;
    require(nv_reg_url_resolve(abs, abs, &again, NULL) == NV_OK);
    require(strcmp(again, abs) == 0);
    free(again);
    free(abs);
  } else {
    require(abs == NULL);
  }

  char mt[128];
  nv_reg_media_type(s, mt, sizeof(mt));
  require(strchr(mt, ';') == NULL);
  for (const char *p = mt; *p != '\0'; p++)
    require(!(*p >= 'A' && *p <= 'Z'));
  (void)nv_reg_list_has(s, "artifactType");

  char code[64], message[128];
  nv_reg_error_body(data, size, code, sizeof(code), message, sizeof(message));
  require(strlen(code) < sizeof(code) && strlen(message) < sizeof(message));
  free(s);
  return 0;
}
