/*
 * Distinguished names for "x509.subject:" identities (notary-spec.md 13.6).
 * The rules, and where they are stricter than notation-go, are listed in
 * nv_pol_dn.h. Messages use notation-go's words where it has them.
 */
#include "policy/nv_pol_dn.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/nv_text.h"
#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_name.h"

#define QUOTE_MAX 512

/* ---------- Go %q quoting ---------- */


static bool utf8_valid(const char *s, size_t n)
{
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    size_t k = nv_utf8_seq(p + i, n - i);
    if (k == 0)
      return false;
    i += k;
  }
  return true;
}


/* Quote into a small buffer for use with %s. */
static const char *q(char *buf, size_t size, const char *s)
{
  size_t len = 0;
  buf[0] = '\0';
  nv_quote_go(buf, size, &len, s);
  return buf;
}

/* ---------- parsed DN storage ---------- */

void nv_pol_dn_free(nv_pol_dn *dn)
{
  if (dn == NULL)
    return;
  for (size_t i = 0; i < dn->count; i++) {
    free(dn->attrs[i].type);
    free(dn->attrs[i].value);
  }
  free(dn->attrs);
  dn->attrs = NULL;
  dn->count = 0;
}

static int cmp_attr(const void *a, const void *b)
{
  const nv_pol_dn_attr *x = a, *y = b;
  return strcmp(x->type, y->type);
}

const char *nv_pol_dn_get(const nv_pol_dn *dn, const char *type)
{
  if (dn == NULL || type == NULL || dn->count == 0)
    return NULL;
  nv_pol_dn_attr key = {(char *)(uintptr_t)type, NULL};
  const nv_pol_dn_attr *hit = bsearch(&key, dn->attrs, dn->count, sizeof(*dn->attrs), cmp_attr);
  return hit != NULL ? hit->value : NULL;
}

bool nv_pol_dn_is_subset(const nv_pol_dn *a, const nv_pol_dn *b)
{
  if (a == NULL || a->count == 0)
    return true;
  if (b == NULL || b->count < a->count)
    return false;
  /* Both sorted by type with unique types: one merge pass. */
  size_t j = 0;
  for (size_t i = 0; i < a->count; i++) {
    int c = 1;
    while (j < b->count && (c = strcmp(b->attrs[j].type, a->attrs[i].type)) < 0)
      j++;
    if (j == b->count || c != 0 || strcmp(a->attrs[i].value, b->attrs[j].value) != 0)
      return false;
    j++;
  }
  return true;
}

/* ---------- parsing ---------- */

typedef struct raw_attr {
  char *type;
  char *value;
  size_t rdn;
} raw_attr;

typedef struct dn_parser {
  const char *text;
  raw_attr *attrs;
  size_t count;
  nv_diag *d;
} dn_parser;

static nv_status parse_error(dn_parser *p, const char *why)
{
  char qt[QUOTE_MAX];
  return nv_diag_set(p->d, NV_E_POLICY_IDENTITY_DN_INVALID,
                     "parsing distinguished name (DN) %s failed with err: %s. A valid DN must "
                     "contain 'C', 'ST' or 'S', and 'O' RDN attributes at a minimum, and follow "
                     "RFC 4514 standard",
                     q(qt, sizeof(qt), p->text), why);
}

/* Copy the token, dropping `trail` unescaped trailing spaces. */
static char *take(const char *tok, size_t n, size_t trail)
{
  size_t len = n - (trail <= n ? trail : n);
  char *s = malloc(len + 1);
  if (s != NULL) {
    memcpy(s, tok, len);
    s[len] = '\0';
  }
  return s;
}

static nv_status push(dn_parser *p, char *type, char *value, size_t rdn)
{
  if (type == NULL || value == NULL) {
    free(type);
    free(value);
    return nv_diag_set(p->d, NV_E_NOMEM, "out of memory parsing a distinguished name");
  }
  if (p->count == NV_POL_DN_MAX_ATTRS) {
    free(type);
    free(value);
    char qt[QUOTE_MAX];
    return nv_diag_set(p->d, NV_E_LIMIT,
                       "distinguished name (DN) %s has more than %d attributes; a trusted "
                       "identity needs only the few that identify the signer",
                       q(qt, sizeof(qt), p->text), NV_POL_DN_MAX_ATTRS);
  }
  p->attrs[p->count].type = type;
  p->attrs[p->count].value = value;
  p->attrs[p->count].rdn = rdn;
  p->count++;
  return NV_OK;
}

/* go-ldap's ParseDN with the strictness listed in nv_pol_dn.h. */
static nv_status scan(dn_parser *p, char *tok)
{
  const char *s = p->text;
  size_t len = strlen(s);
  size_t n = 0, trail = 0, rdn = 0, in_rdn = 0;
  bool escaping = false;
  char *type = NULL;
  nv_status rc;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (escaping) {
      trail = 0;
      escaping = false;
      if (strchr(" \"#+,;<=>\\", c) != NULL) {
        tok[n++] = c;
        continue;
      }
      if (i + 1 >= len) {
        free(type);
        return parse_error(p, "got corrupted escaped character");
      }
      int hi = nv_hex_value(c), lo = nv_hex_value(s[i + 1]);
      if (hi < 0 || lo < 0) {
        free(type);
        return parse_error(p, "failed to decode escaped character: a backslash must be "
                              "followed by one of  \"#+,;<=>\\ or space, or by two hex digits");
      }
      if (hi == 0 && lo == 0) {
        free(type);
        return parse_error(p, "escaped NUL byte (\\00) is not allowed");
      }
      tok[n++] = (char)((hi << 4) | lo);
      i++;
    } else if (c == '\\') {
      trail = 0;
      escaping = true;
    } else if (c == '=' && type == NULL) {
      if (n - (trail <= n ? trail : n) == 0)
        return parse_error(p, "incomplete type, value pair");
      type = take(tok, n, trail);
      if (type == NULL)
        return nv_diag_set(p->d, NV_E_NOMEM, "out of memory parsing a distinguished name");
      n = trail = 0;
    } else if (c == ',' || c == '+' || c == ';') {
      if (type == NULL)
        return parse_error(p, "incomplete type, value pair");
      rc = push(p, type, take(tok, n, trail), rdn);
      type = NULL;
      n = trail = 0;
      if (rc != NV_OK)
        return rc;
      in_rdn++;
      if (c != '+') {
        rdn++;
        in_rdn = 0;
      }
    } else if (c == ' ' && n == 0) {
      continue; /* unescaped leading space */
    } else {
      trail = c == ' ' ? trail + 1 : 0;
      tok[n++] = c;
    }
  }
  if (escaping) {
    free(type);
    return parse_error(p, "got corrupted escaped character");
  }
  if (type != NULL)
    return push(p, type, take(tok, n, trail), rdn);
  if (n > 0 || in_rdn > 0)
    return parse_error(p, "DN ended with incomplete type, value pair");
  return NV_OK;
}

static nv_status check_rules(dn_parser *p)
{
  char qt[QUOTE_MAX], qa[QUOTE_MAX];
  for (size_t i = 0; i < p->count; i++) {
    raw_attr *a = &p->attrs[i];
    if (!utf8_valid(a->type, strlen(a->type)) || !utf8_valid(a->value, strlen(a->value)))
      return parse_error(p, "an escaped attribute type or value is not valid UTF-8");
  }
  /* notation-go's order: RDN by RDN, a multi-valued one is refused, else
   * its attribute must not repeat an earlier type. */
  for (size_t i = 0; i < p->count; i++) {
    raw_attr *a = &p->attrs[i];
    if ((i + 1 < p->count && p->attrs[i + 1].rdn == a->rdn) ||
        (i > 0 && p->attrs[i - 1].rdn == a->rdn))
      return nv_diag_set(p->d, NV_E_POLICY_IDENTITY_DN_INVALID,
                         "distinguished name (DN) %s has multi-valued RDN attributes, remove "
                         "multi-valued RDN attributes as they are not supported",
                         q(qt, sizeof(qt), p->text));
    if (strcmp(a->type, "S") == 0) {
      char *st = realloc(a->type, 3);
      if (st == NULL)
        return nv_diag_set(p->d, NV_E_NOMEM, "out of memory parsing a distinguished name");
      st[1] = 'T';
      st[2] = '\0';
      a->type = st;
    }
    for (size_t j = 0; j < i; j++)
      if (strcmp(p->attrs[j].type, a->type) == 0)
        return nv_diag_set(p->d, NV_E_POLICY_IDENTITY_DN_INVALID,
                           "distinguished name (DN) %s has duplicate RDN attribute for %s, DN "
                           "can only have unique RDN attributes",
                           q(qt, sizeof(qt), p->text), q(qa, sizeof(qa), a->type));
  }
  static const char *const mandatory[] = {"C", "ST", "O"};
  for (size_t m = 0; m < 3; m++) {
    bool found = false;
    for (size_t i = 0; i < p->count && !found; i++)
      found = strcmp(p->attrs[i].type, mandatory[m]) == 0 && p->attrs[i].value[0] != '\0';
    if (!found)
      return nv_diag_set(p->d, NV_E_POLICY_IDENTITY_DN_INVALID,
                         "distinguished name (DN) %s has no mandatory RDN attribute for %s, it "
                         "must contain 'C', 'ST' or 'S', and 'O' RDN attributes at a minimum",
                         q(qt, sizeof(qt), p->text), q(qa, sizeof(qa), mandatory[m]));
  }
  for (size_t i = 0; i < p->count; i++)
    if (p->attrs[i].value[0] == '\0')
      return nv_diag_set(p->d, NV_E_POLICY_IDENTITY_DN_INVALID,
                         "distinguished name (DN) %s has an empty value for RDN attribute %s; "
                         "remove the attribute or give it a value",
                         q(qt, sizeof(qt), p->text), q(qa, sizeof(qa), p->attrs[i].type));
  return NV_OK;
}

/* Move raw attributes into `out`, sorted by type. */
static nv_status finish(dn_parser *p, nv_pol_dn *out)
{
  if (p->count == 0)
    return NV_OK;
  out->attrs = calloc(p->count, sizeof(*out->attrs));
  if (out->attrs == NULL)
    return nv_diag_set(p->d, NV_E_NOMEM, "out of memory parsing a distinguished name");
  for (size_t i = 0; i < p->count; i++) {
    out->attrs[i].type = p->attrs[i].type;
    out->attrs[i].value = p->attrs[i].value;
    p->attrs[i].type = p->attrs[i].value = NULL;
  }
  out->count = p->count;
  qsort(out->attrs, out->count, sizeof(*out->attrs), cmp_attr);
  return NV_OK;
}

static void free_raw(dn_parser *p)
{
  for (size_t i = 0; i < p->count; i++) {
    free(p->attrs[i].type);
    free(p->attrs[i].value);
  }
  free(p->attrs);
  p->attrs = NULL;
  p->count = 0;
}

nv_status nv_pol_dn_parse(const char *text, nv_pol_dn *out, nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_dn_parse: out is NULL");
  out->attrs = NULL;
  out->count = 0;
  if (text == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_dn_parse: text is NULL");
  char qt[QUOTE_MAX];
  if (strstr(text, "=#") != NULL)
    return nv_diag_set(d, NV_E_POLICY_IDENTITY_DN_INVALID,
                       "unsupported distinguished name (DN) %s: notation does not support "
                       "x509.subject identities containing \"=#\"",
                       q(qt, sizeof(qt), text));
  dn_parser p = {text, NULL, 0, d};
  size_t len = strlen(text);
  char *tok = malloc(len + 1);
  p.attrs = calloc(NV_POL_DN_MAX_ATTRS, sizeof(*p.attrs));
  nv_status rc;
  if (tok == NULL || p.attrs == NULL)
    rc = nv_diag_set(d, NV_E_NOMEM, "out of memory parsing a distinguished name");
  else if ((rc = scan(&p, tok)) == NV_OK && (rc = check_rules(&p)) == NV_OK)
    rc = finish(&p, out);
  free(tok);
  free_raw(&p);
  if (rc != NV_OK)
    nv_pol_dn_free(out);
  return rc;
}

/* ---------- leaf certificate subject ---------- */

static bool go_named(const char *type)
{
  static const char *const names[] = {"C", "ST", "L", "O", "OU", "CN",
                                      "STREET", "POSTALCODE", "SERIALNUMBER"};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (strcmp(names[i], type) == 0)
      return true;
  return false;
}

#define ONLY_STAR "; only the \"*\" trusted identity can match this certificate"

static nv_status unparsable(nv_diag *d, X509 *cert, const char *why)
{
  char subject[512], qs[QUOTE_MAX];
  nv_x509_subject(cert, subject, sizeof(subject));
  return nv_diag_set(d, NV_E_LEAF_SUBJECT_UNPARSABLE,
                     "certificate subject %s cannot be compared with x509.subject identities: "
                     "%s" ONLY_STAR,
                     q(qs, sizeof(qs), subject), why);
}

/* Why the subject cannot be represented the way notation-go compares it,
 * written into `why`; false when the attribute is fine. */
static bool attr_problem(const nv_x509_name *name, size_t i, char *why, size_t size)
{
  const nv_x509_name_attr *a = &name->attrs[i];
  char qa[QUOTE_MAX];
  if (!go_named(a->type)) {
    snprintf(why, size,
             "it has attribute %s, and notation compares only C, ST, L, O, OU, CN, STREET, "
             "POSTALCODE and SERIALNUMBER",
             a->type);
    return true;
  }
  if ((i + 1 < name->count && name->attrs[i + 1].rdn == a->rdn) ||
      (i > 0 && name->attrs[i - 1].rdn == a->rdn)) {
    snprintf(why, size, "it has a multi-valued RDN (attribute %s joined with '+')", a->type);
    return true;
  }
  if (a->value_len != strlen(a->value)) {
    snprintf(why, size, "the value of attribute %s holds a NUL byte", a->type);
    return true;
  }
  if (!utf8_valid(a->value, a->value_len)) {
    snprintf(why, size, "the value of attribute %s is not valid UTF-8", a->type);
    return true;
  }
  if (strstr(a->value, "=#") != NULL) {
    snprintf(why, size,
             "the value of attribute %s contains \"=#\" (%s), which notation refuses in "
             "distinguished names",
             a->type, q(qa, sizeof(qa), a->value));
    return true;
  }
  for (size_t j = 0; j < i; j++)
    if (strcmp(name->attrs[j].type, a->type) == 0) {
      snprintf(why, size, "attribute %s appears more than once", a->type);
      return true;
    }
  return false;
}

nv_status nv_pol_dn_from_cert(X509 *cert, nv_pol_dn *out, nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_dn_from_cert: out is NULL");
  out->attrs = NULL;
  out->count = 0;
  if (cert == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_pol_dn_from_cert: certificate is NULL");
  nv_x509_name name;
  nv_diag inner;
  nv_diag_init(&inner);
  nv_status rc = nv_x509_subject_attrs(cert, &name, &inner);
  if (rc == NV_E_NOMEM)
    return nv_diag_set(d, rc, "%s", inner.msg);
  if (rc != NV_OK)
    return unparsable(d, cert, inner.msg);
  char why[700];
  for (size_t i = 0; i < name.count && rc == NV_OK; i++)
    if (attr_problem(&name, i, why, sizeof(why)))
      rc = unparsable(d, cert, why);
  static const char *const mandatory[] = {"C", "ST", "O"};
  for (size_t m = 0; m < 3 && rc == NV_OK; m++) {
    bool found = false;
    for (size_t i = 0; i < name.count && !found; i++)
      found = strcmp(name.attrs[i].type, mandatory[m]) == 0 && name.attrs[i].value[0] != '\0';
    if (!found) {
      snprintf(why, sizeof(why), "it has no %s attribute (C, ST and O are required)",
               mandatory[m]);
      rc = unparsable(d, cert, why);
    }
  }
  if (rc == NV_OK && name.count > 0) {
    out->attrs = calloc(name.count, sizeof(*out->attrs));
    if (out->attrs == NULL) {
      rc = nv_diag_set(d, NV_E_NOMEM, "out of memory reading the certificate subject");
    } else {
      for (size_t i = 0; i < name.count; i++) {
        out->attrs[i].type = name.attrs[i].type;
        out->attrs[i].value = name.attrs[i].value;
        name.attrs[i].type = name.attrs[i].value = NULL;
      }
      out->count = name.count;
      qsort(out->attrs, out->count, sizeof(*out->attrs), cmp_attr);
    }
  }
  nv_x509_name_free(&name);
  return rc;
}
