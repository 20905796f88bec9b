/* The public envelope-reading API over the envelope and x509 layers. */
#include <notaryc/nv_envelope.h>

#include <stdlib.h>
#include <string.h>
#include "verify/nv_vfy_context.h"
#include "verify/nv_vfy_integrity.h"
#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_leaf.h"
#include "x509/nv_x509_sig.h"

struct nv_envelope {
  nv_env env;
  nv_x509_list chain;
  char **subjects; /* one per certificate */
};

NV_API nv_status nv_envelope_parse(nv_ctx *ctx, const char *media_type, const uint8_t *data,
                                   size_t len, nv_envelope **out)
{
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL)
    return NV_E_INVALID_ARG;
  nv_diag *d = &ctx->diag;
  nv_diag_clear(d);
  if (out == NULL || (data == NULL && len > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_envelope_parse: NULL argument");
  nv_env_format format;
  nv_status rc = nv_env_format_from_media_type(media_type, &format, d);
  if (rc != NV_OK)
    return rc;
  nv_envelope *e = calloc(1, sizeof(*e));
  if (e == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  nv_x509_list_init(&e->chain);
  rc = nv_env_decode(format, data, len, &e->env, d);
  if (rc == NV_OK && e->env.cert_count > 0)
    rc = nv_x509_parse_chain(e->env.certs, e->env.cert_count, &e->chain, d);
  if (rc == NV_OK && e->chain.count > 0) {
    e->subjects = calloc(e->chain.count, sizeof(char *));
    if (e->subjects == NULL)
      rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
    for (size_t i = 0; rc == NV_OK && i < e->chain.count; i++) {
      char subject[1024];
      nv_x509_subject(e->chain.items[i], subject, sizeof(subject));
      if ((e->subjects[i] = strdup(subject)) == NULL)
        rc = nv_diag_set(d, NV_E_NOMEM, "out of memory");
    }
  }
  if (rc != NV_OK) {
    nv_envelope_free(e);
    return rc;
  }
  *out = e;
  return NV_OK;
}

NV_API void nv_envelope_free(nv_envelope *env)
{
  if (env == NULL)
    return;
  if (env->subjects != NULL)
    for (size_t i = 0; i < env->chain.count; i++)
      free(env->subjects[i]);
  free(env->subjects);
  nv_x509_list_free(&env->chain);
  nv_env_free(&env->env);
  free(env);
}

NV_API nv_status nv_envelope_verify_integrity(nv_ctx *ctx, const nv_envelope *env)
{
  if (ctx == NULL)
    return NV_E_INVALID_ARG;
  nv_diag *d = &ctx->diag;
  nv_diag_clear(d);
  if (env == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_envelope_verify_integrity: NULL envelope");
  return nv_vfy_verify_decoded(&env->env, &env->chain, d);
}

NV_API const char *nv_envelope_media_type(const nv_envelope *env)
{
  return env ? nv_env_format_media_type(env->env.format) : NULL;
}

NV_API const char *nv_envelope_signing_scheme(const nv_envelope *env)
{
  return env ? nv_env_scheme_name(env->env.scheme) : NULL;
}

NV_API const char *nv_envelope_signature_algorithm(const nv_envelope *env)
{
  return env ? nv_sig_alg_jws_name(env->env.alg) : NULL;
}

NV_API const char *nv_envelope_content_type(const nv_envelope *env)
{
  return env ? env->env.content_type : NULL;
}

NV_API const char *nv_envelope_signing_agent(const nv_envelope *env)
{
  return env ? env->env.signing_agent : NULL;
}

static nv_status optional_time(const nv_envelope *env, bool has, int64_t value, int64_t *out)
{
  if (env == NULL || out == NULL)
    return NV_E_INVALID_ARG;
  if (!has)
    return NV_E_NOT_FOUND;
  *out = value;
  return NV_OK;
}

NV_API nv_status nv_envelope_signing_time(const nv_envelope *env, int64_t *out)
{
  return optional_time(env, env && env->env.has_signing_time, env ? env->env.signing_time : 0, out);
}

NV_API nv_status nv_envelope_authentic_signing_time(const nv_envelope *env, int64_t *out)
{
  return optional_time(env, env && env->env.has_authentic_signing_time,
                       env ? env->env.authentic_signing_time : 0, out);
}

NV_API nv_status nv_envelope_expiry(const nv_envelope *env, int64_t *out)
{
  return optional_time(env, env && env->env.has_expiry, env ? env->env.expiry : 0, out);
}

static const uint8_t *bytes_of(const nv_buf *b, bool present, size_t *len)
{
  if (len != NULL)
    *len = present ? b->len : 0;
  return present ? b->data : NULL;
}

NV_API const uint8_t *nv_envelope_payload(const nv_envelope *env, size_t *len)
{
  return env ? bytes_of(&env->env.payload, true, len) : bytes_of(NULL, false, len);
}

NV_API const uint8_t *nv_envelope_timestamp_token(const nv_envelope *env, size_t *len)
{
  return env ? bytes_of(&env->env.timestamp_token, env->env.has_timestamp, len)
             : bytes_of(NULL, false, len);
}

NV_API size_t nv_envelope_cert_count(const nv_envelope *env)
{
  return env ? env->chain.count : 0;
}

NV_API const uint8_t *nv_envelope_cert_der(const nv_envelope *env, size_t index, size_t *len)
{
  bool ok = env != NULL && index < env->chain.count;
  return bytes_of(ok ? &env->env.certs[index] : NULL, ok, len);
}

NV_API const char *nv_envelope_cert_subject(const nv_envelope *env, size_t index)
{
  return env != NULL && index < env->chain.count ? env->subjects[index] : NULL;
}

NV_API size_t nv_envelope_attribute_count(const nv_envelope *env)
{
  return env ? env->env.attr_count : 0;
}

NV_API const char *nv_envelope_attribute_name(const nv_envelope *env, size_t index)
{
  return env != NULL && index < env->env.attr_count ? env->env.attrs[index].name : NULL;
}

NV_API int32_t nv_envelope_attribute_critical(const nv_envelope *env, size_t index)
{
  return env != NULL && index < env->env.attr_count && env->env.attrs[index].critical ? 1 : 0;
}

NV_API const char *nv_envelope_attribute_value(const nv_envelope *env, size_t index)
{
  return env != NULL && index < env->env.attr_count ? env->env.attrs[index].value_json : NULL;
}
