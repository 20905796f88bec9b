/* The decoded envelope: life cycle, format dispatch and the shared rules. */
#include "envelope/nv_env.h"

#include <stdlib.h>
#include <string.h>
#include "base/nv_limits.h"

void nv_env_init(nv_env *e)
{
  memset(e, 0, sizeof(*e));
  nv_buf_init(&e->timestamp_token, NV_LIMIT_ENVELOPE_BYTES);
  nv_buf_init(&e->payload, NV_LIMIT_ENVELOPE_BYTES);
  nv_buf_init(&e->signing_input, NV_LIMIT_ENVELOPE_BYTES + 64);
  nv_buf_init(&e->signature, NV_LIMIT_ENVELOPE_BYTES);
}

void nv_env_free(nv_env *e)
{
  if (e == NULL)
    return;
  free(e->content_type);
  for (size_t i = 0; i < e->crit_count; i++)
    free(e->crit[i]);
  free(e->crit);
  for (size_t i = 0; i < e->attr_count; i++) {
    free(e->attrs[i].name);
    free(e->attrs[i].string_value);
    free(e->attrs[i].value_json);
  }
  free(e->attrs);
  for (size_t i = 0; i < e->cert_count; i++)
    nv_buf_free(&e->certs[i]);
  free(e->certs);
  nv_buf_free(&e->timestamp_token);
  free(e->signing_agent);
  nv_buf_free(&e->payload);
  nv_buf_free(&e->signing_input);
  nv_buf_free(&e->signature);
  nv_env_init(e);
}

nv_status nv_env_decode(nv_env_format format, const uint8_t *data, size_t len, nv_env *out,
                        nv_diag *d)
{
  nv_env_init(out);
  if (len > NV_LIMIT_ENVELOPE_BYTES)
    return nv_diag_set(d, NV_E_ENVELOPE_TOO_LARGE,
                       "signature envelope is %zu bytes, more than the limit of %zu bytes", len,
                       (size_t)NV_LIMIT_ENVELOPE_BYTES);
  if (len == 0 || data == NULL)
    return nv_diag_set(d, NV_E_ENVELOPE_EMPTY, "signature envelope is empty");
  out->format = format;
  switch (format) {
  case NV_ENV_FORMAT_JWS:
    return nv_env_decode_jws(data, len, out, d);
  case NV_ENV_FORMAT_COSE:
    return nv_env_decode_cose(data, len, out, d);
  default:
    return nv_diag_set(d, NV_E_ENVELOPE_FORMAT_UNSUPPORTED, "unknown signature envelope format");
  }
}

nv_status nv_env_check_common(const nv_env *e, nv_diag *d)
{
  int64_t signed_at;
  switch (e->scheme) {
  case NV_SCHEME_X509:
    if (!e->has_signing_time)
      return nv_diag_set(d, NV_E_SIGNING_TIME_MISSING,
                         "signing-time not present: header \"%s\" is required for the %s signing "
                         "scheme",
                         NV_HDR_SIGNING_TIME, NV_SCHEME_NAME_X509);
    signed_at = e->signing_time;
    break;
  case NV_SCHEME_SIGNING_AUTHORITY:
    if (!e->has_authentic_signing_time)
      return nv_diag_set(d, NV_E_AUTHENTIC_SIGNING_TIME_MISSING,
                         "header \"%s\" is required for the %s signing scheme",
                         NV_HDR_AUTHENTIC_SIGNING_TIME, NV_SCHEME_NAME_SIGNING_AUTHORITY);
    signed_at = e->authentic_signing_time;
    break;
  default:
    return nv_diag_set(d, NV_E_SIGNING_SCHEME_UNSUPPORTED, "signing scheme missing or unsupported");
  }
  if (e->has_expiry && e->expiry <= signed_at)
    return nv_diag_set(d, NV_E_EXPIRY_NOT_AFTER_SIGNING_TIME,
                       "expiry cannot be equal or before the signing time");
  if (e->content_type == NULL)
    return nv_diag_set(d, NV_E_CONTENT_TYPE_MISSING, "content type header (cty) is missing");
  if (strcmp(e->content_type, NV_PAYLOAD_CONTENT_TYPE) != 0)
    return nv_diag_set(d, NV_E_CONTENT_TYPE_UNSUPPORTED,
                       "content type \"%.128s\" is not supported; it must be \"%s\"",
                       e->content_type, NV_PAYLOAD_CONTENT_TYPE);
  if (e->payload.len == 0)
    return nv_diag_set(d, NV_E_PAYLOAD_EMPTY, "payload is empty");
  if (e->signature.len == 0)
    return nv_diag_set(d, NV_E_SIGNATURE_EMPTY, "signature is empty");
  return NV_OK;
}

static char *dup_or_null(const char *s, bool *failed)
{
  if (s == NULL)
    return NULL;
  char *p = strdup(s);
  if (p == NULL)
    *failed = true;
  return p;
}

nv_status nv_env_add_attr(nv_env *e, const char *name, bool int_label, bool critical,
                          const char *string_value, const char *value_json, nv_diag *d)
{
  if (e->attr_count >= NV_ENV_MAX_HEADERS)
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE, "more than %d signed headers",
                       NV_ENV_MAX_HEADERS);
  nv_env_attr *p = realloc(e->attrs, (e->attr_count + 1) * sizeof(*p));
  if (p == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  e->attrs = p;
  bool failed = false;
  nv_env_attr a = {
    .name = dup_or_null(name, &failed),
    .int_label = int_label,
    .critical = critical,
    .string_value = dup_or_null(string_value, &failed),
    .value_json = dup_or_null(value_json, &failed),
  };
  if (failed || a.name == NULL) {
    free(a.name);
    free(a.string_value);
    free(a.value_json);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  e->attrs[e->attr_count++] = a;
  return NV_OK;
}

nv_status nv_env_add_crit(nv_env *e, const char *name, nv_diag *d)
{
  if (e->crit_count >= NV_ENV_MAX_HEADERS)
    return nv_diag_set(d, NV_E_ENVELOPE_PARSE, "crit header has more than %d entries",
                       NV_ENV_MAX_HEADERS);
  char **p = realloc(e->crit, (e->crit_count + 1) * sizeof(*p));
  if (p == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  e->crit = p;
  if ((e->crit[e->crit_count] = strdup(name)) == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  e->crit_count++;
  return NV_OK;
}

nv_status nv_env_add_cert(nv_env *e, const uint8_t *der, size_t len, nv_diag *d)
{
  if (e->cert_count >= NV_ENV_MAX_CHAIN)
    return nv_diag_set(d, NV_E_CHAIN_TOO_LONG,
                       "certificate chain has more than %d certificates", NV_ENV_MAX_CHAIN);
  nv_buf *p = realloc(e->certs, (e->cert_count + 1) * sizeof(*p));
  if (p == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  e->certs = p;
  nv_buf *b = &e->certs[e->cert_count];
  nv_buf_init(b, NV_LIMIT_ENVELOPE_BYTES);
  nv_status rc = nv_buf_append(b, der, len, d);
  if (rc != NV_OK) {
    nv_buf_free(b);
    return rc;
  }
  e->cert_count++;
  return NV_OK;
}

const char *nv_env_scheme_name(nv_env_scheme s)
{
  switch (s) {
  case NV_SCHEME_X509:
    return NV_SCHEME_NAME_X509;
  case NV_SCHEME_SIGNING_AUTHORITY:
    return NV_SCHEME_NAME_SIGNING_AUTHORITY;
  default:
    return NULL;
  }
}

nv_env_scheme nv_env_scheme_from_name(const char *name)
{
  if (name == NULL)
    return NV_SCHEME_NONE;
  if (strcmp(name, NV_SCHEME_NAME_X509) == 0)
    return NV_SCHEME_X509;
  if (strcmp(name, NV_SCHEME_NAME_SIGNING_AUTHORITY) == 0)
    return NV_SCHEME_SIGNING_AUTHORITY;
  return NV_SCHEME_NONE;
}
