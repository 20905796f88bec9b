#include "verify/nv_vfy_integrity.h"

#include "x509/nv_x509_cache.h"
#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_leaf.h"
#include "x509/nv_x509_sig.h"

void nv_vfy_signed_init(nv_vfy_signed *s)
{
  nv_env_init(&s->env);
  nv_x509_list_init(&s->chain);
}

void nv_vfy_signed_free(nv_vfy_signed *s)
{
  if (s == NULL)
    return;
  nv_env_free(&s->env);
  nv_x509_list_free(&s->chain);
}

static nv_status chain_missing(const nv_env *env, nv_diag *d)
{
  return nv_diag_set(d, NV_E_CERT_CHAIN_MISSING,
                     "certificate chain is not present: the envelope carries no signing "
                     "certificate (%s)",
                     env->format == NV_ENV_FORMAT_JWS ? "header x5c" : "unprotected label 33");
}

/* The checks after decoding; `cache` and `key` (may be NULL) let the
 * chain rules be answered from the cache. */
static nv_status verify_decoded(const nv_env *env, const nv_x509_list *chain,
                                nv_x509_cache *cache, const nv_x509_chain_key *chain_key,
                                nv_diag *d)
{
  if (env->cert_count == 0 || chain->count == 0)
    return chain_missing(env, d);
  /* The leaf key decides the algorithm; the header must agree. */
  const EVP_PKEY *key = nv_x509_leaf_key(chain->items[0]);
  nv_sig_alg key_alg;
  nv_status rc = nv_x509_key_alg(key, &key_alg, d);
  if (rc != NV_OK)
    return rc;
  if (key_alg != env->alg)
    return nv_diag_set(d, NV_E_ALG_KEY_MISMATCH,
                       "mismatch between signature algorithm derived from signing certificate "
                       "(%s) and signing algorithm specified (%s)",
                       nv_sig_alg_jws_name(key_alg), nv_sig_alg_jws_name(env->alg));
  /* notation-go accepts any PSS salt length for JWS, exactly the hash
   * length for COSE (notary-spec.md 5.3, 6.4). */
  nv_pss_salt salt = env->format == NV_ENV_FORMAT_JWS ? NV_PSS_SALT_AUTO : NV_PSS_SALT_DIGEST;
  rc = nv_x509_verify_signature(key, env->alg, salt, env->signing_input.data,
                                env->signing_input.len, env->signature.data, env->signature.len,
                                d);
  if (rc != NV_OK)
    return rc;
  return nv_x509_cache_validate_chain(cache, chain_key, chain->items, chain->count,
                                      NV_X509_CODE_SIGNING, d);
}

nv_status nv_vfy_verify_decoded(const nv_env *env, const nv_x509_list *chain, nv_diag *d)
{
  return verify_decoded(env, chain, NULL, NULL, d);
}

nv_status nv_vfy_check_integrity(const char *media_type, const uint8_t *data, size_t len,
                                 nv_vfy_signed *out, nv_diag *d)
{
  return nv_vfy_check_integrity_cached(media_type, data, len, NULL, out, d);
}

nv_status nv_vfy_check_integrity_cached(const char *media_type, const uint8_t *data, size_t len,
                                        nv_x509_cache *cache, nv_vfy_signed *out, nv_diag *d)
{
  nv_vfy_signed_init(out);
  nv_env_format format;
  nv_status rc = nv_env_format_from_media_type(media_type, &format, d);
  if (rc != NV_OK)
    return rc;
  rc = nv_env_decode(format, data, len, &out->env, d);
  if (rc != NV_OK)
    return rc;
  if (out->env.cert_count == 0)
    return chain_missing(&out->env, d);
  nv_x509_chain_key key;
  rc = nv_x509_cache_parse_chain(cache, out->env.certs, out->env.cert_count, &out->chain, &key,
                                 d);
  if (rc != NV_OK)
    return rc;
  return verify_decoded(&out->env, &out->chain, cache, &key, d);
}
