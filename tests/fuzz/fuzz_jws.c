/*
 * Fuzz target for envelope/jws.c: decode the input as a JWS envelope.
 * Besides crashes and sanitizer reports, broken invariants abort():
 *   - a failure is an integrity code (-2100 .. -2299) or NV_E_NOMEM, never
 *     NV_E_INTERNAL, and is recorded in the diag with a message;
 *   - a success has a supported alg and scheme, the Notary content type, a
 *     non-empty payload and signature, the scheme's time, an expiry after
 *     it, and a signing input "<protected>.<payload>" whose payload part is
 *     the canonical base64url of the decoded payload (strict decoding).
 *
 * Inputs that start with a NUL byte (never a valid envelope) are also
 * decoded in a second form, so that the fuzzer can mutate the protected
 * header's JSON directly rather than its base64url: the bytes after the
 * NUL, up to an optional second NUL, are the protected header text, and
 * the rest (if any) is the payload text. They are wrapped as
 *   {"payload":b64url(payload),"protected":b64url(header),"signature":"AAAA"}
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_base64.h"
#include "envelope/nv_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(bool ok)
{
  if (!ok)
    abort();
}

static void check_success(const nv_env *e)
{
  require(e->format == NV_ENV_FORMAT_JWS);
  require(e->alg != NV_SIG_NONE);
  require(e->scheme == NV_SCHEME_X509 || e->scheme == NV_SCHEME_SIGNING_AUTHORITY);
  require(e->content_type != NULL && strcmp(e->content_type, NV_PAYLOAD_CONTENT_TYPE) == 0);
  require(e->payload.len > 0 && e->signature.len > 0);
  require(e->crit_count > 0);
  int64_t at;
  if (e->scheme == NV_SCHEME_X509) {
    require(e->has_signing_time && !e->has_authentic_signing_time);
    at = e->signing_time;
  } else {
    require(e->has_authentic_signing_time && !e->has_signing_time);
    at = e->authentic_signing_time;
  }
  require(!e->has_expiry || e->expiry > at);
  require(e->has_timestamp == (e->timestamp_token.len > 0));
  require(e->cert_count <= NV_ENV_MAX_CHAIN);
  for (size_t i = 0; i < e->cert_count; i++)
    require(e->certs[i].len > 0);
  for (size_t i = 0; i < e->attr_count; i++)
    require(e->attrs[i].name != NULL && e->attrs[i].value_json != NULL &&
            e->attrs[i].value_json[0] != '\0');

  const uint8_t *si = e->signing_input.data;
  const uint8_t *dot = memchr(si, '.', e->signing_input.len);
  require(dot != NULL);
  size_t tail = e->signing_input.len - (size_t)(dot + 1 - si);
  nv_buf enc;
  nv_buf_init(&enc, e->signing_input.len + 8);
  require(nv_base64url_encode(e->payload.data, e->payload.len, &enc, NULL) == NV_OK);
  require(enc.len == tail && memcmp(enc.data, dot + 1, tail) == 0);
  nv_buf_free(&enc);
}

static void decode_one(const uint8_t *data, size_t size)
{
  nv_diag d;
  nv_diag_init(&d);
  nv_env e;
  nv_status rc = nv_env_decode(NV_ENV_FORMAT_JWS, data, size, &e, &d);
  if (rc == NV_OK) {
    check_success(&e);
  } else {
    require(rc == NV_E_NOMEM || (rc <= -2100 && rc >= -2299));
    require(d.status == rc && d.msg[0] != '\0');
  }
  nv_env_free(&e);
  nv_env_free(&e); /* freeing again is harmless */
}

/* base64url of n bytes followed by `tail` (a C string) */
static void put_b64u(nv_buf *out, const uint8_t *p, size_t n, const char *tail)
{
  require(nv_base64url_encode(p, n, out, NULL) == NV_OK);
  require(nv_buf_append_str(out, tail, NULL) == NV_OK);
}

static void decode_wrapped(const uint8_t *data, size_t size)
{
  static const char default_payload[] = "{\"targetArtifact\":{}}";
  const uint8_t *prot = data + 1;
  size_t rest = size - 1;
  const uint8_t *nul = memchr(prot, 0, rest);
  size_t prot_len = nul != NULL ? (size_t)(nul - prot) : rest;
  const uint8_t *payload = (const uint8_t *)default_payload;
  size_t payload_len = sizeof(default_payload) - 1;
  if (nul != NULL) {
    payload = nul + 1;
    payload_len = rest - prot_len - 1;
  }
  nv_buf env;
  nv_buf_init(&env, 4 * size + 256);
  require(nv_buf_append_str(&env, "{\"payload\":\"", NULL) == NV_OK);
  put_b64u(&env, payload, payload_len, "\",\"protected\":\"");
  put_b64u(&env, prot, prot_len, "\",\"signature\":\"AAAA\"}");
  decode_one(env.data, env.len);
  nv_buf_free(&env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  decode_one(data, size);
  if (size > 0 && data[0] == 0)
    decode_wrapped(data, size);
  return 0;
}
