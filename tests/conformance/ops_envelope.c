/* Envelope operations: envelope, derived-envelope, conformance, cose-vectors. */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/nv_base64.h"
#include "base/nv_digest.h"
#include "envelope/nv_cose.h"
#include "envelope/nv_env.h"
#include "envelope/nv_env_payload.h"
#include "verify/nv_vfy_integrity.h"
#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_keys.h"
#include "x509/nv_x509_leaf.h"
#include "x509/nv_x509_sig.h"

/* The envelope bytes of a case: "envelope" (a file; null means none) or
 * "envelope_bytes" (inline text, may be empty). */
static bool envelope_input(case_ctx *c, nv_buf *out)
{
  return read_file_or_inline(c, "envelope", "envelope_bytes", out);
}

static void report_attrs(case_ctx *c, const nv_env *e)
{
  nv_buf b;
  nv_buf_init(&b, (size_t)16 << 20);
  nv_buf_append_byte(&b, '{', NULL);
  for (size_t i = 0; i < e->attr_count; i++) {
    if (i)
      nv_buf_append_byte(&b, ',', NULL);
    json_append_string(&b, e->attrs[i].name);
    nv_buf_append_str(&b, ":[", NULL);
    nv_buf_append_str(&b, e->attrs[i].value_json ? e->attrs[i].value_json : "null", NULL);
    nv_buf_append_str(&b, e->attrs[i].critical ? ",true]" : ",false]", NULL);
  }
  nv_buf_append_byte(&b, '}', NULL);
  nv_buf_terminate(&b, NULL);
  report_json(c, "extended_attributes", (const char *)b.data);
  nv_buf_free(&b);
}

static void report_crit(case_ctx *c, const nv_env *e, bool cose)
{
  nv_buf b;
  nv_buf_init(&b, 1 << 16);
  nv_buf_append_byte(&b, '[', NULL);
  for (size_t i = 0; i < e->crit_count; i++) {
    if (i)
      nv_buf_append_byte(&b, ',', NULL);
    /* COSE integer labels are reported as numbers */
    char *end;
    strtol(e->crit[i], &end, 10);
    if (cose && *e->crit[i] != '\0' && *end == '\0')
      nv_buf_append_str(&b, e->crit[i], NULL);
    else
      json_append_string(&b, e->crit[i]);
  }
  nv_buf_append_byte(&b, ']', NULL);
  nv_buf_terminate(&b, NULL);
  report_json(c, "crit", (const char *)b.data);
  nv_buf_free(&b);
}

static void report_payload_text(case_ctx *c, const nv_env *e)
{
  char *text = malloc(e->payload.len + 1);
  if (text == NULL)
    return;
  memcpy(text, e->payload.data, e->payload.len);
  text[e->payload.len] = '\0';
  report_string(c, "payload", text);
  free(text);
}

/* Fields every envelope operation can report. */
static void report_envelope(case_ctx *c, const nv_env *e)
{
  if (e->scheme != NV_SCHEME_NONE)
    report_string(c, "signing_scheme", nv_env_scheme_name(e->scheme));
  if (e->has_signing_time)
    report_time(c, "signing_time_utc", e->signing_time);
  if (e->has_authentic_signing_time)
    report_time(c, "authentic_signing_time_utc", e->authentic_signing_time);
  if (e->has_expiry)
    report_time(c, "expiry_utc", e->expiry);
  report_bool(c, "has_timestamp_token", e->has_timestamp);
  if (e->alg != NV_SIG_NONE)
    report_string(c, "alg", nv_sig_alg_jws_name(e->alg));
  nv_descriptor target;
  if (nv_env_parse_payload(e, &target, NULL) == NV_OK)
    report_string(c, "payload_digest", target.digest);
  nv_descriptor_free(&target);
}

static void report_chain(case_ctx *c, const nv_x509_list *chain)
{
  report_int(c, "chain_len", (int64_t)chain->count);
  if (chain->count == 0)
    return;
  char cn[256];
  report_string(c, "leaf_cn", nv_x509_common_name(chain->items[0], cn, sizeof(cn)));
  uint8_t hash[32];
  if (nv_x509_cert_sha256(chain->items[0], hash, NULL) == NV_OK) {
    char hex[65];
    for (size_t i = 0; i < 32; i++)
      snprintf(hex + 2 * i, 3, "%02x", hash[i]);
    report_string(c, "leaf_sha256", hex);
  }
}

/* Decode the case's envelope; with `with_certs` also parse the
 * certificates, as notation-go's Content() does. No signature check. */
static void decode_case(case_ctx *c, bool with_certs)
{
  nv_buf data;
  if (!envelope_input(c, &data)) {
    nv_buf_free(&data);
    return;
  }
  nv_diag d;
  nv_diag_init(&d);
  nv_env_format format;
  nv_env e;
  nv_env_init(&e);
  nv_x509_list chain;
  nv_x509_list_init(&chain);
  nv_status rc = nv_env_format_from_media_type(in_string(c, "media_type"), &format, &d);
  if (rc == NV_OK)
    rc = nv_env_decode(format, data.data, data.len, &e, &d);
  if (rc == NV_OK && with_certs && e.cert_count > 0)
    rc = nv_x509_parse_chain(e.certs, e.cert_count, &chain, &d);
  if (rc == NV_OK) {
    op_success(c);
    report_envelope(c, &e);
    if (with_certs)
      report_chain(c, &chain);
  } else {
    op_failure(c, &d);
  }
  nv_x509_list_free(&chain);
  nv_env_free(&e);
  nv_buf_free(&data);
}

static void op_parse_envelope(case_ctx *c)
{
  decode_case(c, false);
}

static void op_envelope_content(case_ctx *c)
{
  decode_case(c, true);
}

static void op_verify_integrity(case_ctx *c)
{
  nv_buf data;
  if (!envelope_input(c, &data)) {
    nv_buf_free(&data);
    return;
  }
  nv_diag d;
  nv_diag_init(&d);
  nv_vfy_signed s;
  nv_status rc = nv_vfy_check_integrity(in_string(c, "media_type"), data.data, data.len, &s, &d);
  if (rc == NV_OK) {
    op_success(c);
    report_envelope(c, &s.env);
    report_chain(c, &s.chain);
  } else {
    op_failure(c, &d);
  }
  nv_vfy_signed_free(&s);
  nv_buf_free(&data);
}

/* notation-core-go's signer-side conformance.json, read by a verifier:
 * decode the JWS and report every signed attribute. */
static void op_parse_jws_protected_header(case_ctx *c)
{
  nv_buf data;
  if (!read_input_file(c, in_string(c, "file"), &data))
    return;
  nv_diag d;
  nv_diag_init(&d);
  nv_env e;
  nv_status rc = nv_env_decode(NV_ENV_FORMAT_JWS, data.data, data.len, &e, &d);
  if (rc == NV_OK) {
    op_success(c);
    report_string(c, "alg", nv_sig_alg_jws_name(e.alg));
    report_string(c, "cty", e.content_type);
    report_crit(c, &e, false);
    report_string(c, "signing_scheme", nv_env_scheme_name(e.scheme));
    if (e.has_signing_time)
      report_time(c, "signing_time", e.signing_time);
    if (e.has_expiry)
      report_time(c, "expiry", e.expiry);
    report_attrs(c, &e);
    report_payload_text(c, &e);
    report_string(c, "signing_agent", e.signing_agent);
  } else {
    op_failure(c, &d);
  }
  nv_env_free(&e);
  nv_buf_free(&data);
}

/* A member chain such as expectedOutput.cborHex of a vector file. */
static const char *vector_string(const nv_json *doc, const char *a, const char *b, const char *cc)
{
  const nv_json *v = nv_json_member(doc, a);
  if (b != NULL)
    v = nv_json_member(v, b);
  if (cc != NULL)
    v = nv_json_member(v, cc);
  return nv_json_string(v);
}

static nv_json *load_vector(case_ctx *c)
{
  nv_buf data;
  if (!read_input_file(c, in_string(c, "file"), &data))
    return NULL;
  nv_json *doc = NULL;
  nv_diag d;
  nv_diag_init(&d);
  if (nv_json_parse(data.data, data.len, data.len + 1, "vector", &doc, &d) != NV_OK)
    op_failure(c, &d);
  nv_buf_free(&data);
  return doc;
}

static void op_parse_cose_sign1(case_ctx *c)
{
  nv_json *doc = load_vector(c);
  if (doc == NULL)
    return;
  nv_buf cbor;
  nv_buf_init(&cbor, (size_t)64 << 20);
  const char *hex = vector_string(doc, "expectedOutput", "cborHex", NULL);
  if (hex == NULL || !hex_decode(hex, &cbor)) {
    op_failure_msg(c, NV_E_INVALID_ARG, "vector has no valid expectedOutput.cborHex");
  } else {
    nv_diag d;
    nv_diag_init(&d);
    nv_env e;
    nv_status rc = nv_env_decode(NV_ENV_FORMAT_COSE, cbor.data, cbor.len, &e, &d);
    if (rc == NV_OK) {
      op_success(c);
      report_int(c, "tag", cbor.len > 0 && cbor.data[0] == 0xD2 ? 18 : -1);
      report_int(c, "alg", nv_sig_alg_cose_id(e.alg));
      report_crit(c, &e, true);
      report_string(c, "cty", e.content_type);
      if (e.has_signing_time)
        report_int(c, "signing_time_epoch", e.signing_time);
      if (e.has_expiry)
        report_int(c, "expiry_epoch", e.expiry);
      report_attrs(c, &e);
      report_payload_text(c, &e);
      report_string(c, "signing_agent", e.signing_agent);
      report_int(c, "signature_len", (int64_t)e.signature.len);
      report_bool(c, "has_x5chain", e.cert_count > 0);
    } else {
      op_failure(c, &d);
    }
    nv_env_free(&e);
  }
  nv_buf_free(&cbor);
  nv_json_free(doc);
}

/* A JWK public key (EC P-256/384/521 or RSA) of a go-cose vector. */
static bool jwk_key(case_ctx *c, const nv_json *jwk, EVP_PKEY **out)
{
  const char *kty = nv_json_string(nv_json_member(jwk, "kty"));
  nv_diag d;
  nv_diag_init(&d);
  nv_buf a, b;
  nv_buf_init(&a, 4096);
  nv_buf_init(&b, 4096);
  nv_status rc = NV_E_UNSUPPORTED;
  if (kty != NULL && strcmp(kty, "EC") == 0) {
    const char *crv = nv_json_string(nv_json_member(jwk, "crv"));
    const char *x = nv_json_string(nv_json_member(jwk, "x"));
    const char *y = nv_json_string(nv_json_member(jwk, "y"));
    int bits = crv == NULL ? 0 : !strcmp(crv, "P-256") ? 256 : !strcmp(crv, "P-384") ? 384
                                 : !strcmp(crv, "P-521") ? 521 : 0;
    if (x != NULL && y != NULL && nv_base64url_decode(x, strlen(x), &a, &d) == NV_OK &&
        nv_base64url_decode(y, strlen(y), &b, &d) == NV_OK)
      rc = nv_x509_pubkey_from_ec(bits, a.data, a.len, b.data, b.len, out, &d);
  } else if (kty != NULL && strcmp(kty, "RSA") == 0) {
    const char *n = nv_json_string(nv_json_member(jwk, "n"));
    const char *e = nv_json_string(nv_json_member(jwk, "e"));
    if (n != NULL && e != NULL && nv_base64url_decode(n, strlen(n), &a, &d) == NV_OK &&
        nv_base64url_decode(e, strlen(e), &b, &d) == NV_OK)
      rc = nv_x509_pubkey_from_rsa(a.data, a.len, b.data, b.len, out, &d);
  }
  nv_buf_free(&a);
  nv_buf_free(&b);
  if (rc != NV_OK) {
    op_failure_msg(c, NV_E_INVALID_ARG, d.msg[0] ? d.msg : "vector key is not a usable JWK");
    return false;
  }
  return true;
}

/* go-cose sign1-verify vectors: a generic COSE_Sign1 (not a Notary
 * envelope) checked with the vector's key, algorithm and external AAD, via
 * the same primitives the envelope layer uses. */
static void op_cose_sign1_verify(case_ctx *c)
{
  nv_json *doc = load_vector(c);
  if (doc == NULL)
    return;
  const nv_json *v = nv_json_member(doc, "sign1::verify");
  const char *hex = vector_string(v, "taggedCOSESign1", "cborHex", NULL);
  const char *aad_hex = nv_json_string(nv_json_member(v, "external"));
  const char *alg_name = nv_json_string(nv_json_member(doc, "alg"));
  bool should_verify = nv_json_is_true(nv_json_member(v, "shouldVerify"));
  nv_buf cbor, aad, tbs;
  nv_buf_init(&cbor, (size_t)64 << 20);
  nv_buf_init(&aad, 1 << 20);
  nv_buf_init(&tbs, (size_t)64 << 20);
  nv_cose_sign1 m;
  nv_cose_sign1_init(&m);
  EVP_PKEY *key = NULL;
  nv_diag d;
  nv_diag_init(&d);
  nv_sig_alg alg = nv_sig_alg_from_jws(alg_name);
  if (hex == NULL || !hex_decode(hex, &cbor) || (aad_hex != NULL && !hex_decode(aad_hex, &aad)) ||
      alg == NV_SIG_NONE) {
    op_failure_msg(c, NV_E_INVALID_ARG, "vector lacks a message, AAD or known algorithm");
  } else if (jwk_key(c, nv_json_member(doc, "key"), &key)) {
    nv_status rc = nv_cose_sign1_decode(cbor.data, cbor.len, &m, &d);
    if (rc == NV_OK)
      rc = nv_cose_sig_structure(&m, aad.data, aad.len, &tbs, &d);
    /* the message's own alg header must name the vector's algorithm */
    int64_t header_alg = 0;
    if (rc == NV_OK &&
        (!nv_cbor_get_int64(nv_cose_map_get_int(m.protected_map, NV_COSE_LABEL_ALG), &header_alg) ||
         nv_sig_alg_from_cose(header_alg) != alg))
      rc = nv_diag_set(&d, NV_E_ALG_KEY_MISMATCH, "protected alg header is not %s", alg_name);
    if (rc == NV_OK)
      rc = nv_x509_verify_signature(key, alg, NV_PSS_SALT_DIGEST, tbs.data, tbs.len,
                                    m.signature.data, m.signature.len, &d);
    /* the case passes when the outcome equals the vector's shouldVerify */
    if ((rc == NV_OK) == should_verify)
      op_success(c);
    else if (rc != NV_OK)
      op_failure(c, &d);
    else
      op_failure_msg(c, NV_E_SIGNATURE_INVALID, "vector says the signature must not verify");
  }
  nv_x509_pubkey_free(key);
  nv_cose_sign1_free(&m);
  nv_buf_free(&cbor);
  nv_buf_free(&aad);
  nv_buf_free(&tbs);
  nv_json_free(doc);
}

/* go-cose negative vectors: the message must not decode. */
static void op_cose_sign1_decode(case_ctx *c)
{
  nv_json *doc = load_vector(c);
  if (doc == NULL)
    return;
  const char *hex = vector_string(doc, "sign1::verify", "taggedCOSESign1", "cborHex");
  nv_buf cbor;
  nv_buf_init(&cbor, (size_t)64 << 20);
  if (hex == NULL || !hex_decode(hex, &cbor)) {
    op_failure_msg(c, NV_E_INVALID_ARG, "vector has no valid taggedCOSESign1.cborHex");
  } else {
    nv_diag d;
    nv_diag_init(&d);
    nv_cose_sign1 m;
    nv_cose_sign1_init(&m);
    if (nv_cose_sign1_decode(cbor.data, cbor.len, &m, &d) == NV_OK)
      op_success(c);
    else
      op_failure(c, &d);
    nv_cose_sign1_free(&m);
  }
  nv_buf_free(&cbor);
  nv_json_free(doc);
}

static void op_signer_side(case_ctx *c)
{
  op_skip(c, "signer-side operation; libnotaryc only verifies");
}

const op_def envelope_ops[] = {
  {"parse-envelope", op_parse_envelope, {"envelope", "envelope_bytes", "media_type"}},
  {"envelope-content (no signature check)", op_envelope_content, {"envelope", "media_type"}},
  {"verify-envelope-integrity", op_verify_integrity, {"envelope", "envelope_bytes", "media_type"}},
  {"parse-jws-protected-header", op_parse_jws_protected_header, {"file"}},
  {"parse-cose-sign1", op_parse_cose_sign1, {"file"}},
  {"serialize-jws-protected-header (signer side)", op_signer_side, {"file"}},
  {"cose-sign1-verify", op_cose_sign1_verify, {"file"}},
  {"cose-sign1-decode", op_cose_sign1_decode, {"file"}},
  {"cose-sign1-sign", op_signer_side, {"file"}},
  {"cose-sign1-sign (deterministic)", op_signer_side, {"file"}},
  {NULL, NULL, {NULL}},
};
