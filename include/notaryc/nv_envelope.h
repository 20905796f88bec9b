/*
 * Reading a signature envelope: decode JWS (application/jose+json) or
 * COSE_Sign1 (application/cose) bytes and read their attributes and
 * certificates. Decoding applies every structural rule of the Notary
 * envelope formats but makes no trust decision; nv_envelope_verify_integrity()
 * adds the signature check and the certificate-chain rules. Whether a
 * signature is *trusted* is decided only by the verification functions,
 * under a trust policy.
 */
#ifndef NOTARYC_NV_ENVELOPE_H
#define NOTARYC_NV_ENVELOPE_H

#include <notaryc/nv_common.h>
#include <notaryc/nv_context.h>
#include <notaryc/nv_errors.h>

NV_BEGIN_DECLS

typedef struct nv_envelope nv_envelope;

/*
 * Decode `len` bytes of an envelope of `media_type` and parse its
 * certificates. Errors are integrity codes (-21xx, -22xx) with the detail in
 * nv_ctx_last_error(ctx); *out is NULL then. The envelope copies what it
 * needs; `data` may be freed after the call. Release with nv_envelope_free().
 */
NV_API nv_status nv_envelope_parse(nv_ctx *ctx, const char *media_type, const uint8_t *data,
                                   size_t len, nv_envelope **out);

/* Release an envelope. NULL does nothing. */
NV_API void nv_envelope_free(nv_envelope *env);

/*
 * Check the envelope's integrity: the leaf certificate's key decides the
 * algorithm, the signature verifies, and the chain follows the Notary
 * certificate profile. NV_OK or the integrity code, with the detail in
 * nv_ctx_last_error(ctx). Says nothing about trust.
 */
NV_API nv_status nv_envelope_verify_integrity(nv_ctx *ctx, const nv_envelope *env);

/* Strings below are owned by the envelope and valid until it is freed. */

/* "application/jose+json" or "application/cose". */
NV_API const char *nv_envelope_media_type(const nv_envelope *env);
/* "notary.x509" or "notary.x509.signingAuthority". */
NV_API const char *nv_envelope_signing_scheme(const nv_envelope *env);
/* "PS256", "PS384", "PS512", "ES256", "ES384" or "ES512". */
NV_API const char *nv_envelope_signature_algorithm(const nv_envelope *env);
/* The payload content type (application/vnd.cncf.notary.payload.v1+json). */
NV_API const char *nv_envelope_content_type(const nv_envelope *env);
/* The signing agent, or NULL when the envelope has none. Unsigned. */
NV_API const char *nv_envelope_signing_agent(const nv_envelope *env);

/* Times as Unix seconds. NV_OK and *out set when the envelope has the
 * attribute, NV_E_NOT_FOUND when it has not. The signing time of
 * notary.x509 is not authenticated; the authentic signing time of
 * notary.x509.signingAuthority is. */
NV_API nv_status nv_envelope_signing_time(const nv_envelope *env, int64_t *out);
NV_API nv_status nv_envelope_authentic_signing_time(const nv_envelope *env, int64_t *out);
NV_API nv_status nv_envelope_expiry(const nv_envelope *env, int64_t *out);

/* The signed payload bytes (JSON), and its length in *len. */
NV_API const uint8_t *nv_envelope_payload(const nv_envelope *env, size_t *len);

/* The RFC 3161 timestamp token, or NULL (and *len 0) when there is none. */
NV_API const uint8_t *nv_envelope_timestamp_token(const nv_envelope *env, size_t *len);

/* Certificates of the chain, leaf first: count, DER bytes, subject DN. */
NV_API size_t nv_envelope_cert_count(const nv_envelope *env);
NV_API const uint8_t *nv_envelope_cert_der(const nv_envelope *env, size_t index, size_t *len);
NV_API const char *nv_envelope_cert_subject(const nv_envelope *env, size_t index);

/* Extended signed attributes (headers the Notary format does not define):
 * name, criticality (1 critical, 0 not) and value as JSON text. Index out of
 * range gives NULL / 0. */
NV_API size_t nv_envelope_attribute_count(const nv_envelope *env);
NV_API const char *nv_envelope_attribute_name(const nv_envelope *env, size_t index);
NV_API int32_t nv_envelope_attribute_critical(const nv_envelope *env, size_t index);
NV_API const char *nv_envelope_attribute_value(const nv_envelope *env, size_t index);

NV_END_DECLS

#endif /* NOTARYC_NV_ENVELOPE_H */
