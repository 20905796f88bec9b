/* The verification result: building it, the public accessors and its JSON
 * form (nv_result_to_json). */
#include "verify/nv_vfy_result.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_buf.h"
#include "base/nv_time.h"
#include "envelope/nv_env.h"
#include "verify/nv_vfy_trust.h"

/* Results are small; the limits only guard against runaway growth. */
#define RESULT_MAX_WARNINGS 1024
#define RESULT_JSON_MAX_BYTES ((size_t)64 << 20)

static char *dup_or_empty(const char *s)
{
  return strdup(s != NULL ? s : "");
}

nv_result *nv_vfy_result_new(const char *reference, int64_t now)
{
  nv_result *r = calloc(1, sizeof(*r));
  if (r == NULL)
    return NULL;
  r->reference = dup_or_empty(reference);
  r->digest = dup_or_empty(NULL);
  r->message = dup_or_empty(NULL);
  r->policy_name = dup_or_empty(NULL);
  if (r->reference == NULL || r->digest == NULL || r->message == NULL ||
      r->policy_name == NULL) {
    nv_result_free(r);
    return NULL;
  }
  r->policy_level = "";
  r->time = now;
  return r;
}

static nv_status replace(char **field, const char *value, nv_diag *d)
{
  char *copy = dup_or_empty(value);
  if (copy == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  free(*field);
  *field = copy;
  return NV_OK;
}

nv_status nv_vfy_result_set_digest(nv_result *r, const char *digest, nv_diag *d)
{
  return replace(&r->digest, digest, d);
}

nv_status nv_vfy_result_set_statement(nv_result *r, const nv_pol_statement *stmt, nv_diag *d)
{
  r->policy_level = stmt != NULL ? nv_pol_level_name(stmt->level) : "";
  if (r->policy_level == NULL)
    r->policy_level = "";
  return replace(&r->policy_name, stmt != NULL ? stmt->name : NULL, d);
}

nv_status nv_vfy_result_warn(nv_result *r, nv_diag *d, const char *fmt, ...)
{
  if (r->warning_count >= RESULT_MAX_WARNINGS)
    return NV_OK; /* the first ones tell the story */
  char text[NV_DIAG_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
  char **grown = realloc(r->warnings, (r->warning_count + 1) * sizeof(*grown));
  if (grown == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  r->warnings = grown;
  if ((grown[r->warning_count] = strdup(text)) == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  r->warning_count++;
  nv_log(d, NV_LOG_WARN, "verify", "%s", text);
  return NV_OK;
}

static nv_signature *append(nv_result *r, nv_diag *d)
{
  if (r->sig_count == r->sig_cap) {
    size_t cap = r->sig_cap ? r->sig_cap * 2 : 4;
    nv_signature *grown = realloc(r->sigs, cap * sizeof(*grown));
    if (grown == NULL) {
      nv_diag_set(d, NV_E_NOMEM, "out of memory");
      return NULL;
    }
    r->sigs = grown;
    r->sig_cap = cap;
  }
  nv_signature *s = &r->sigs[r->sig_count];
  memset(s, 0, sizeof(*s));
  return s;
}

static nv_status finish_signature(nv_result *r, nv_signature *s, const char *manifest_digest,
                                  const char *media_type, nv_diag *d)
{
  s->manifest_digest = dup_or_empty(manifest_digest);
  s->media_type = dup_or_empty(media_type);
  if (s->manifest_digest == NULL || s->media_type == NULL) {
    free(s->manifest_digest);
    free(s->media_type);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  r->sig_count++;
  return NV_OK;
}

nv_status nv_vfy_result_add_signature(nv_result *r, const nv_vfy_sig_result *sr,
                                      const char *manifest_digest, const char *media_type,
                                      nv_diag *d)
{
  nv_signature *s = append(r, d);
  if (s == NULL)
    return NV_E_NOMEM;
  s->r = *sr;
  nv_status rc = finish_signature(r, s, manifest_digest, media_type, d);
  if (rc != NV_OK)
    return rc;
  size_t index = r->sig_count - 1;
  if (sr->status == NV_OK) {
    r->has_verified = true;
    r->verified = index;
  }
  for (int k = 0; rc == NV_OK && k < NV_POL_CHECK_COUNT; k++) {
    const nv_vfy_check *c = &sr->checks[k];
    if (c->outcome == NV_VFY_CHECK_FAILED && c->action == NV_POL_ACTION_LOG)
      rc = nv_vfy_result_warn(r, d, "signature %zu: %s failed, only logged by the policy: %s",
                              index + 1, nv_pol_check_name((nv_pol_check)k), c->message);
  }
  return rc;
}

nv_status nv_vfy_result_add_retrieval_failure(nv_result *r, const char *manifest_digest,
                                              const char *media_type, nv_status code,
                                              const char *message, nv_diag *d)
{
  nv_signature *s = append(r, d);
  if (s == NULL)
    return NV_E_NOMEM;
  for (int k = 0; k < NV_POL_CHECK_COUNT; k++)
    s->r.checks[k].action = NV_POL_ACTION_NONE;
  s->r.status = code;
  s->r.failed_check = NV_POL_CHECK_COUNT;
  snprintf(s->r.message, sizeof(s->r.message), "%s", message != NULL ? message : "");
  return finish_signature(r, s, manifest_digest, media_type, d);
}

nv_status nv_vfy_result_finish(nv_result *r, nv_status code, const nv_diag *d)
{
  r->status = code;
  const char *msg = code == NV_OK || d == NULL ? "" : d->msg;
  char *copy = strdup(msg);
  if (copy != NULL) {
    free(r->message);
    r->message = copy;
  }
  return code;
}

/* ---- public accessors ---- */

NV_API void nv_result_free(nv_result *r)
{
  if (r == NULL)
    return;
  for (size_t i = 0; i < r->sig_count; i++) {
    free(r->sigs[i].manifest_digest);
    free(r->sigs[i].media_type);
  }
  free(r->sigs);
  for (size_t i = 0; i < r->warning_count; i++)
    free(r->warnings[i]);
  free(r->warnings);
  free(r->message);
  free(r->policy_name);
  free(r->reference);
  free(r->digest);
  free(r);
}

NV_API nv_status nv_result_status(const nv_result *r)
{
  return r != NULL ? r->status : NV_E_INVALID_ARG;
}

#define RESULT_TEXT(fn, field)                                                                 \
  NV_API const char *fn(const nv_result *r)                                                    \
  {                                                                                            \
    return r != NULL ? r->field : "";                                                          \
  }
RESULT_TEXT(nv_result_message, message)
RESULT_TEXT(nv_result_reference, reference)
RESULT_TEXT(nv_result_digest, digest)
RESULT_TEXT(nv_result_policy_name, policy_name)
RESULT_TEXT(nv_result_policy_level, policy_level)

NV_API int64_t nv_result_verification_time(const nv_result *r)
{
  return r != NULL ? r->time : 0;
}

NV_API size_t nv_result_warning_count(const nv_result *r)
{
  return r != NULL ? r->warning_count : 0;
}

NV_API const char *nv_result_warning(const nv_result *r, size_t index)
{
  return r != NULL && index < r->warning_count ? r->warnings[index] : NULL;
}

NV_API size_t nv_result_signature_count(const nv_result *r)
{
  return r != NULL ? r->sig_count : 0;
}

NV_API const nv_signature *nv_result_signature(const nv_result *r, size_t index)
{
  return r != NULL && index < r->sig_count ? &r->sigs[index] : NULL;
}

NV_API const nv_signature *nv_result_verified_signature(const nv_result *r)
{
  return r != NULL && r->has_verified ? &r->sigs[r->verified] : NULL;
}

NV_API nv_status nv_signature_status(const nv_signature *s)
{
  return s != NULL ? s->r.status : NV_E_INVALID_ARG;
}

NV_API const char *nv_signature_message(const nv_signature *s)
{
  return s != NULL && s->r.status != NV_OK ? s->r.message : "";
}

NV_API const char *nv_signature_manifest_digest(const nv_signature *s)
{
  return s != NULL ? s->manifest_digest : "";
}

NV_API const char *nv_signature_media_type(const nv_signature *s)
{
  return s != NULL ? s->media_type : "";
}

NV_API const char *nv_signature_signing_scheme(const nv_signature *s)
{
  const char *name = s != NULL ? nv_env_scheme_name(s->r.scheme) : NULL;
  return name != NULL ? name : "";
}

NV_API const char *nv_signature_signer(const nv_signature *s)
{
  return s != NULL ? s->r.signer_subject : "";
}

NV_API nv_status nv_signature_signing_time(const nv_signature *s, int64_t *out)
{
  if (s == NULL || out == NULL)
    return NV_E_INVALID_ARG;
  if (!s->r.has_signing_time)
    return NV_E_NOT_FOUND;
  *out = s->r.signing_time;
  return NV_OK;
}

NV_API nv_status nv_signature_expiry(const nv_signature *s, int64_t *out)
{
  if (s == NULL || out == NULL)
    return NV_E_INVALID_ARG;
  if (!s->r.has_expiry)
    return NV_E_NOT_FOUND;
  *out = s->r.expiry;
  return NV_OK;
}

NV_API nv_status nv_signature_timestamp(const nv_signature *s, int64_t *gen_time,
                                        int64_t *accuracy_us)
{
  if (s == NULL)
    return NV_E_INVALID_ARG;
  if (!s->r.has_timestamp)
    return NV_E_NOT_FOUND;
  if (gen_time != NULL)
    *gen_time = s->r.timestamp;
  if (accuracy_us != NULL)
    *accuracy_us = s->r.timestamp_accuracy_us;
  return NV_OK;
}

/* Public checks count from 1 in pipeline order, the policy layer's from 0. */
static const nv_vfy_check *check_of(const nv_signature *s, nv_check check)
{
  if (s == NULL || check < NV_CHECK_INTEGRITY || check > NV_CHECK_REVOCATION)
    return NULL;
  return &s->r.checks[check - 1];
}

NV_API nv_action nv_signature_check_action(const nv_signature *s, nv_check check)
{
  const nv_vfy_check *c = check_of(s, check);
  return c != NULL ? nv_vfy_action(c->action) : 0;
}

NV_API nv_outcome nv_signature_check_outcome(const nv_signature *s, nv_check check)
{
  const nv_vfy_check *c = check_of(s, check);
  if (c == NULL || c->outcome == NV_VFY_CHECK_NOT_RUN)
    return NV_OUTCOME_NOT_RUN;
  return c->outcome == NV_VFY_CHECK_PASSED ? NV_OUTCOME_PASSED : NV_OUTCOME_FAILED;
}

NV_API nv_status nv_signature_check_status(const nv_signature *s, nv_check check)
{
  const nv_vfy_check *c = check_of(s, check);
  if (c == NULL)
    return NV_E_INVALID_ARG;
  return c->outcome == NV_VFY_CHECK_FAILED ? c->code : NV_OK;
}

NV_API const char *nv_signature_check_message(const nv_signature *s, nv_check check)
{
  const nv_vfy_check *c = check_of(s, check);
  return c != NULL && c->outcome == NV_VFY_CHECK_FAILED ? c->message : "";
}

/* ---- JSON ---- */

typedef struct json_writer {
  nv_buf b;
  nv_status rc;
} json_writer;

static void raw(json_writer *o, const char *s)
{
  if (o->rc == NV_OK)
    o->rc = nv_buf_append_str(&o->b, s, NULL);
}

static void str(json_writer *o, const char *s)
{
  if (o->rc == NV_OK)
    o->rc = nv_buf_append_json_string(&o->b, s, NULL);
}

/* "key": */
static void key(json_writer *o, const char *k, bool first)
{
  if (!first)
    raw(o, ",");
  str(o, k);
  raw(o, ":");
}

static void num(json_writer *o, int64_t v)
{
  char text[32];
  snprintf(text, sizeof(text), "%lld", (long long)v);
  raw(o, text);
}

static void status_fields(json_writer *o, nv_status code)
{
  key(o, "status", false);
  str(o, nv_status_name(code));
  key(o, "code", false);
  num(o, code);
}

static void time_value(json_writer *o, bool present, int64_t t)
{
  char text[64];
  if (!present || nv_time_format_rfc3339(t, text, sizeof(text), NULL) != NV_OK)
    raw(o, "null");
  else
    str(o, text);
}

static const char *outcome_name(int outcome)
{
  switch (outcome) {
  case NV_VFY_CHECK_PASSED:
    return "passed";
  case NV_VFY_CHECK_FAILED:
    return "failed";
  default:
    return "not_run";
  }
}

static void signature_json(json_writer *o, const nv_signature *s)
{
  raw(o, "{");
  key(o, "manifest_digest", true);
  str(o, s->manifest_digest);
  key(o, "media_type", false);
  str(o, s->media_type);
  key(o, "signing_scheme", false);
  str(o, nv_signature_signing_scheme(s));
  key(o, "signer", false);
  str(o, s->r.signer_subject);
  key(o, "signing_time", false);
  time_value(o, s->r.has_signing_time, s->r.signing_time);
  key(o, "expiry", false);
  time_value(o, s->r.has_expiry, s->r.expiry);
  key(o, "timestamp", false);
  time_value(o, s->r.has_timestamp, s->r.timestamp);
  key(o, "timestamp_accuracy_us", false);
  if (s->r.has_timestamp)
    num(o, s->r.timestamp_accuracy_us);
  else
    raw(o, "null");
  key(o, "verified", false);
  raw(o, s->r.status == NV_OK ? "true" : "false");
  status_fields(o, s->r.status);
  key(o, "message", false);
  str(o, nv_signature_message(s));
  key(o, "checks", false);
  raw(o, "{");
  bool first = true;
  for (int k = 0; k < NV_POL_CHECK_COUNT; k++) {
    const nv_vfy_check *c = &s->r.checks[k];
    if (c->action == NV_POL_ACTION_NONE)
      continue;
    key(o, nv_pol_check_name((nv_pol_check)k), first);
    first = false;
    raw(o, "{");
    key(o, "action", true);
    str(o, nv_pol_action_name(c->action));
    key(o, "outcome", false);
    str(o, outcome_name(c->outcome));
    status_fields(o, c->outcome == NV_VFY_CHECK_FAILED ? c->code : NV_OK);
    key(o, "message", false);
    str(o, c->outcome == NV_VFY_CHECK_FAILED ? c->message : "");
    raw(o, "}");
  }
  raw(o, "}}");
}

NV_API nv_status nv_result_to_json(const nv_result *r, char **json_out, size_t *len_out)
{
  if (json_out != NULL)
    *json_out = NULL;
  if (len_out != NULL)
    *len_out = 0;
  if (r == NULL || json_out == NULL)
    return NV_E_INVALID_ARG;
  json_writer o;
  nv_buf_init(&o.b, RESULT_JSON_MAX_BYTES);
  o.rc = NV_OK;
  raw(&o, "{");
  key(&o, "reference", true);
  str(&o, r->reference);
  key(&o, "digest", false);
  str(&o, r->digest);
  key(&o, "verified", false);
  raw(&o, r->status == NV_OK ? "true" : "false");
  status_fields(&o, r->status);
  key(&o, "message", false);
  str(&o, r->message);
  key(&o, "policy", false);
  if (r->policy_name[0] == '\0') {
    raw(&o, "null");
  } else {
    raw(&o, "{");
    key(&o, "name", true);
    str(&o, r->policy_name);
    key(&o, "level", false);
    str(&o, r->policy_level);
    raw(&o, "}");
  }
  key(&o, "verification_time", false);
  time_value(&o, true, r->time);
  key(&o, "warnings", false);
  raw(&o, "[");
  for (size_t i = 0; i < r->warning_count; i++) {
    if (i > 0)
      raw(&o, ",");
    str(&o, r->warnings[i]);
  }
  raw(&o, "]");
  key(&o, "signatures", false);
  raw(&o, "[");
  for (size_t i = 0; i < r->sig_count; i++) {
    if (i > 0)
      raw(&o, ",");
    signature_json(&o, &r->sigs[i]);
  }
  raw(&o, "]}");
  if (o.rc == NV_OK)
    o.rc = nv_buf_terminate(&o.b, NULL);
  if (o.rc != NV_OK) {
    nv_buf_free(&o.b);
    return o.rc;
  }
  size_t len = 0;
  *json_out = (char *)nv_buf_detach(&o.b, &len);
  if (len_out != NULL)
    *len_out = len;
  return NV_OK;
}
