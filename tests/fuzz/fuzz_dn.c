/*
 * Fuzz target for policy/dn.c: parse the input (up to its first NUL) as
 * the DN of an "x509.subject:" identity. Besides crashes and sanitizer
 * reports, broken invariants abort():
 *   - a failure leaves the DN empty and records a status and a message;
 *   - an accepted DN has C, ST and O with non-empty values, unique types
 *     in sorted order, valid UTF-8, and is a subset of itself;
 *   - written back with every special character escaped, it parses again
 *     to the same DN (both are subsets of each other);
 *   - against the fixed DN "C=US,ST=WA,O=Notary": when both are subsets
 *     of each other they have the same attributes.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/nv_pol_dn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(bool ok)
{
  if (!ok)
    abort();
}

/* Append s with every RFC 4514 special character and space escaped. */
static size_t put_escaped(char *out, size_t o, const char *s)
{
  for (; *s != '\0'; s++) {
    if (strchr(" \"#+,;<=>\\", *s) != NULL)
      out[o++] = '\\';
    out[o++] = *s;
  }
  return o;
}

static void check_roundtrip(const nv_pol_dn *dn)
{
  size_t need = 1;
  for (size_t i = 0; i < dn->count; i++)
    need += 2 * (strlen(dn->attrs[i].type) + strlen(dn->attrs[i].value)) + 2;
  char *text = malloc(need);
  require(text != NULL);
  size_t o = 0;
  for (size_t i = 0; i < dn->count; i++) {
    if (i > 0)
      text[o++] = ',';
    o = put_escaped(text, o, dn->attrs[i].type);
    text[o++] = '=';
    o = put_escaped(text, o, dn->attrs[i].value);
  }
  text[o] = '\0';
  nv_pol_dn again;
  nv_diag d;
  nv_diag_init(&d);
  require(nv_pol_dn_parse(text, &again, &d) == NV_OK);
  require(again.count == dn->count);
  require(nv_pol_dn_is_subset(dn, &again) && nv_pol_dn_is_subset(&again, dn));
  nv_pol_dn_free(&again);
  free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static nv_pol_dn fixed;
  static bool have_fixed;
  if (!have_fixed) {
    require(nv_pol_dn_parse("C=US,ST=WA,O=Notary", &fixed, NULL) == NV_OK);
    have_fixed = true;
  }
  const uint8_t *nul = memchr(data, 0, size);
  size_t len = nul != NULL ? (size_t)(nul - data) : size;
  char *text = malloc(len + 1);
  require(text != NULL);
  if (len > 0)
    memcpy(text, data, len);
  text[len] = '\0';

  nv_pol_dn dn;
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_pol_dn_parse(text, &dn, &d);
  if (rc != NV_OK) {
    require(dn.count == 0 && dn.attrs == NULL && d.status == rc && d.msg[0] != '\0');
    require(rc == NV_E_POLICY_IDENTITY_DN_INVALID || rc == NV_E_LIMIT);
    free(text);
    return 0;
  }
  require(dn.count >= 3 && dn.count <= NV_POL_DN_MAX_ATTRS);
  for (size_t i = 0; i < dn.count; i++) {
    require(dn.attrs[i].type[0] != '\0' && dn.attrs[i].value[0] != '\0');
    require(strcmp(dn.attrs[i].type, "S") != 0);
    if (i > 0)
      require(strcmp(dn.attrs[i - 1].type, dn.attrs[i].type) < 0);
    require(nv_pol_dn_get(&dn, dn.attrs[i].type) == dn.attrs[i].value);
  }
  require(nv_pol_dn_get(&dn, "C") != NULL && nv_pol_dn_get(&dn, "ST") != NULL &&
          nv_pol_dn_get(&dn, "O") != NULL);
  require(nv_pol_dn_is_subset(&dn, &dn));
  if (nv_pol_dn_is_subset(&dn, &fixed) && nv_pol_dn_is_subset(&fixed, &dn))
    require(dn.count == fixed.count &&
            strcmp(nv_pol_dn_get(&dn, "O"), nv_pol_dn_get(&fixed, "O")) == 0);
  if (nv_pol_dn_is_subset(&dn, &fixed))
    require(dn.count <= fixed.count);
  check_roundtrip(&dn);
  nv_pol_dn_free(&dn);
  free(text);
  return 0;
}
