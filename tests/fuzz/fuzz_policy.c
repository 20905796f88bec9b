/*
 * Fuzz target for policy/policy.c: parse the input as an OCI and as a blob
 * trust policy document; when one is accepted, walk every statement and
 * run the selection functions. Besides crashes and sanitizer reports,
 * broken invariants abort():
 *   - a failure leaves *out NULL and records a status and a message;
 *   - an accepted document has 1..NV_POL_MAX_STATEMENTS statements with
 *     unique non-empty names, valid levels and actions, and stores and
 *     identities that agree with the level;
 *   - every x509.subject identity's DN has C, ST and O and is a subset of
 *     itself;
 *   - OCI: "<scope>@sha256:x" selects the statement that lists the scope;
 *     blob: selecting a statement by its name returns that statement.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/nv_pol_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(bool ok)
{
  if (!ok)
    abort();
}

static void check_statement(const nv_pol_doc *doc, const nv_pol_statement *st)
{
  require(st->name != NULL && st->name[0] != '\0');
  require(st->level > NV_POL_LEVEL_NONE && st->level <= NV_POL_LEVEL_SKIP);
  for (size_t k = 0; k < NV_POL_CHECK_COUNT; k++) {
    nv_pol_action a = nv_pol_stmt_action(st, (nv_pol_check)k);
    require(a >= NV_POL_ACTION_ENFORCE && a <= NV_POL_ACTION_SKIP);
    if (a == NV_POL_ACTION_SKIP)
      require(st->level == NV_POL_LEVEL_SKIP || k == NV_POL_CHECK_REVOCATION);
  }
  require(nv_pol_stmt_action(st, NV_POL_CHECK_INTEGRITY) ==
          (st->level == NV_POL_LEVEL_SKIP ? NV_POL_ACTION_SKIP : NV_POL_ACTION_ENFORCE));
  if (st->level == NV_POL_LEVEL_SKIP) {
    require(st->store_count == 0 && st->identity_count == 0);
  } else {
    require(st->store_count > 0 && st->identity_count > 0);
  }
  for (size_t i = 0; i < st->store_count; i++) {
    require(st->stores[i].type != NV_POL_STORE_NONE);
    require(nv_pol_name_valid(st->stores[i].name));
  }
  for (size_t i = 0; i < st->identity_count; i++) {
    const nv_pol_identity *id = &st->identities[i];
    require(id->raw != NULL && id->raw[0] != '\0');
    if (id->kind == NV_POL_IDENTITY_WILDCARD)
      require(st->identity_count == 1 && st->wildcard_identity);
    if (id->kind == NV_POL_IDENTITY_X509_SUBJECT) {
      require(nv_pol_dn_is_subset(&id->dn, &id->dn));
      require(nv_pol_dn_get(&id->dn, "C") != NULL && nv_pol_dn_get(&id->dn, "ST") != NULL &&
              nv_pol_dn_get(&id->dn, "O") != NULL);
    }
  }
  if (doc->kind == NV_POL_DOC_BLOB)
    require(st->scope_count == 0);
  else
    require(st->scope_count > 0);
}

static void check_oci(const nv_pol_doc *doc)
{
  static const char *const refs[] = {
    "registry.acme-rockets.io/software/net-monitor@sha256:60043cf45eaebc4c0867fea485a039b5",
    "invaliduri", "a/b@", "", "x@y@z", "localhost:5000/a/b@sha256:00", "*@sha256:1",
  };
  const nv_pol_statement *st = NULL;
  for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
    nv_status rc = nv_pol_select_oci(doc, refs[i], &st, NULL);
    require((rc == NV_OK) == (st != NULL));
    require(rc == NV_OK || rc == NV_E_NO_APPLICABLE_POLICY);
  }
  char ref[512];
  for (size_t i = 0; i < doc->count && i < 16; i++) {
    const nv_pol_statement *s = &doc->statements[i];
    for (size_t k = 0; k < s->scope_count && k < 8; k++) {
      size_t n = strlen(s->scopes[k]);
      if (n + 12 > sizeof(ref))
        continue;
      memcpy(ref, s->scopes[k], n);
      memcpy(ref + n, "@sha256:abc", 12);
      nv_status rc = nv_pol_select_oci(doc, ref, &st, NULL);
      if (strcmp(s->scopes[k], "*") == 0) {
        require(rc == NV_E_NO_APPLICABLE_POLICY); /* "*" is not a repository */
      } else {
        require(rc == NV_OK && st == s);
      }
    }
  }
}

static void check_blob(const nv_pol_doc *doc)
{
  const nv_pol_statement *st = NULL, *global = NULL;
  for (size_t i = 0; i < doc->count; i++)
    if (doc->statements[i].global) {
      require(global == NULL);
      global = &doc->statements[i];
      require(global->level != NV_POL_LEVEL_SKIP);
    }
  nv_status rc = nv_pol_select_blob(doc, NULL, &st, NULL);
  require(global != NULL ? (rc == NV_OK && st == global) : rc == NV_E_NO_APPLICABLE_POLICY);
  for (size_t i = 0; i < doc->count && i < 16; i++) {
    rc = nv_pol_select_blob(doc, doc->statements[i].name, &st, NULL);
    require(rc == NV_E_NO_APPLICABLE_POLICY || (rc == NV_OK && st == &doc->statements[i]));
  }
  rc = nv_pol_select_blob(doc, " \t", &st, NULL);
  require(rc == NV_E_NO_APPLICABLE_POLICY && st == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const nv_pol_doc_kind kinds[] = {NV_POL_DOC_OCI, NV_POL_DOC_BLOB};
  for (size_t k = 0; k < 2; k++) {
    nv_diag d;
    nv_diag_init(&d);
    nv_pol_doc *doc = (nv_pol_doc *)1;
    nv_status rc = nv_pol_parse(kinds[k], data, size, &doc, &d);
    if (rc != NV_OK) {
      require(doc == NULL && d.status == rc && d.msg[0] != '\0');
      require(rc != NV_E_INVALID_ARG && rc != NV_E_INTERNAL);
      continue;
    }
    require(doc != NULL && doc->kind == kinds[k]);
    require(doc->count >= 1 && doc->count <= NV_POL_MAX_STATEMENTS);
    for (size_t i = 0; i < doc->count; i++) {
      check_statement(doc, &doc->statements[i]);
      for (size_t j = 0; j < i && j < 64; j++)
        require(strcmp(doc->statements[i].name, doc->statements[j].name) != 0);
    }
    if (doc->kind == NV_POL_DOC_OCI)
      check_oci(doc);
    else
      check_blob(doc);
    nv_pol_doc_free(doc);
  }
  return 0;
}
