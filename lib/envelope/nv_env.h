/*
 * The decoded signature envelope: one form for JWS and COSE.
 *
 * Decoding checks every structural and header rule of notary-spec.md
 * sections 4-6 (crit contents, scheme-specific headers, times, expiry after
 * signing time, alg and content type present and well-formed, the shape of
 * x5c / x5chain) but makes no trust decision and does no cryptography: the
 * signature, the certificates and the payload are handed on as bytes. An
 * absent or empty certificate chain decodes (the reference's signer-side
 * vectors have none); integrity verification rejects it.
 * The signing input is kept exactly as received (never re-encoded).
 */
#ifndef NV_ENVELOPE_ENV_H
#define NV_ENVELOPE_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_buf.h"
#include "base/nv_sigalg.h"
#include "envelope/nv_env_format.h"

/* Notary header names (notary-spec.md section 20). */
#define NV_HDR_SIGNING_SCHEME "io.cncf.notary.signingScheme"
#define NV_HDR_SIGNING_TIME "io.cncf.notary.signingTime"
#define NV_HDR_AUTHENTIC_SIGNING_TIME "io.cncf.notary.authenticSigningTime"
#define NV_HDR_EXPIRY "io.cncf.notary.expiry"
#define NV_HDR_TIMESTAMP_SIGNATURE "io.cncf.notary.timestampSignature"
#define NV_HDR_SIGNING_AGENT "io.cncf.notary.signingAgent"
#define NV_HDR_VERIFICATION_PLUGIN "io.cncf.notary.verificationPlugin"
#define NV_HDR_VERIFICATION_PLUGIN_MIN_VERSION "io.cncf.notary.verificationPluginMinVersion"
#define NV_PAYLOAD_CONTENT_TYPE "application/vnd.cncf.notary.payload.v1+json"
#define NV_SCHEME_NAME_X509 "notary.x509"
#define NV_SCHEME_NAME_SIGNING_AUTHORITY "notary.x509.signingAuthority"

/* Most certificates an envelope chain may carry. */
#define NV_ENV_MAX_CHAIN 16
/* Most protected-header entries (extended attributes included). */
#define NV_ENV_MAX_HEADERS 64

typedef enum nv_env_scheme {
  NV_SCHEME_NONE = 0,
  NV_SCHEME_X509 = 1,
  NV_SCHEME_SIGNING_AUTHORITY = 2
} nv_env_scheme;

/* A signed header that is not one the Notary format defines. */
typedef struct nv_env_attr {
  char *name;         /* the label: a text label, or an integer label in decimal */
  bool int_label;     /* COSE integer label */
  bool critical;      /* listed in crit */
  char *string_value; /* the value when it is a text string, else NULL */
  char *value_json;   /* the value rendered as JSON (CBOR values as their JSON
                         equivalent; byte strings as base64) for reports */
} nv_env_attr;

typedef struct nv_env {
  nv_env_format format;

  /* signed attributes */
  nv_sig_alg alg;
  char *content_type;
  nv_env_scheme scheme;
  bool has_signing_time;
  int64_t signing_time; /* Unix seconds; notary.x509 only */
  bool has_authentic_signing_time;
  int64_t authentic_signing_time; /* signingAuthority only */
  bool has_expiry;
  int64_t expiry;
  char **crit; /* crit entries as written (integer labels in decimal) */
  size_t crit_count;
  nv_env_attr *attrs; /* extended attributes, in header order */
  size_t attr_count;

  /* unsigned attributes */
  nv_buf *certs; /* DER certificates, leaf first */
  size_t cert_count;
  bool has_timestamp;
  nv_buf timestamp_token; /* RFC 3161 TimeStampToken bytes */
  char *signing_agent;    /* NULL when absent */

  /* what the signature covers and the signature itself */
  nv_buf payload;
  nv_buf signing_input; /* JWS: "<protected>.<payload>" as received; COSE: ToBeSigned */
  nv_buf signature;     /* raw bytes: R||S for ECDSA, the RSA block for PSS */
} nv_env;



void nv_env_init(nv_env *e);
void nv_env_free(nv_env *e);

/*
 * Decode `len` bytes of the given format into `out` (initialised by the
 * call; free it with nv_env_free() also after a failure). Sizes over
 * NV_LIMIT_ENVELOPE_BYTES fail with NV_E_ENVELOPE_TOO_LARGE before
 * anything is read. Errors are the integrity codes of nv_errors.h
 * (NV_E_ENVELOPE_PARSE, NV_E_CERT_CHAIN_MISSING, NV_E_CRIT_*,
 * NV_E_SIGNING_SCHEME_UNSUPPORTED, NV_E_ALG_UNSUPPORTED, ...), each with a
 * message naming the header and what is wrong.
 */
nv_status nv_env_decode(nv_env_format format, const uint8_t *data, size_t len, nv_env *out,
                        nv_diag *d);

/* The format-specific decoders behind nv_env_decode (jws.c, cose.c). */
nv_status nv_env_decode_jws(const uint8_t *data, size_t len, nv_env *out, nv_diag *d);
nv_status nv_env_decode_cose(const uint8_t *data, size_t len, nv_env *out, nv_diag *d);

/* Rules both formats share, run by the decoders after their own parsing
 * (notary-spec.md 5.2 "GO general checks"): the scheme's time is present,
 * expiry is after it, payload and signature are not empty, the content
 * type is the Notary payload type. */
nv_status nv_env_check_common(const nv_env *e, nv_diag *d);

/* Helpers for the decoders: append an extended attribute / a crit entry /
 * a certificate (copies the arguments). */
nv_status nv_env_add_attr(nv_env *e, const char *name, bool int_label, bool critical,
                          const char *string_value, const char *value_json, nv_diag *d);
nv_status nv_env_add_crit(nv_env *e, const char *name, nv_diag *d);
nv_status nv_env_add_cert(nv_env *e, const uint8_t *der, size_t len, nv_diag *d);

/*
 * The plugin gate (notary-spec.md section 14 step 3 and section 16), run by
 * the pipeline after integrity, at every level:
 * - io.cncf.notary.verificationPlugin present: its format is checked as
 *   notation-go does (critical, a string, not blank:
 *   NV_E_PLUGIN_ATTR_NOT_CRITICAL / _NOT_STRING / _EMPTY), then the minimum
 *   version if any (the same checks and SemVer 2.0:
 *   NV_E_PLUGIN_MIN_VERSION_INVALID), then NV_E_PLUGIN_REQUIRED naming the
 *   plugin, since this library runs no plugins;
 * - any other critical extended attribute, including a minimum version
 *   without a plugin name, is NV_E_UNKNOWN_CRITICAL_ATTRIBUTE (the
 *   specification's rule; notation-go accepts such signatures).
 */
nv_status nv_env_check_critical(const nv_env *e, nv_diag *d);

const char *nv_env_scheme_name(nv_env_scheme s);
nv_env_scheme nv_env_scheme_from_name(const char *name);

#endif /* NV_ENVELOPE_ENV_H */
