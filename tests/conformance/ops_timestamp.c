/* RFC 3161 token operations: categories cms and timestamp-token, through
 * lib/x509/timestamp.c (nv_x509_tst_*). The library has one CMS reader,
 * the TimeStampToken one, so the cms operations run it too: it accepts
 * SignedData only with a TSTInfo inside, and verifies the signature while
 * parsing (notary-spec.md 10.3: the CMS signature before anything else). */
#include "runner.h"
#include "verify_common.h"

#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/nv_time.h"
#include "policy/nv_pol_store.h"
#include "verify/nv_vfy_integrity.h"
#include "verify/nv_vfy_pipeline.h"
#include "x509/nv_x509_time.h"
#include "x509/nv_x509_timestamp.h"

/* Parse the token named by input `key`; false after reporting a failure. */
static bool load_token(case_ctx *c, const char *key, nv_x509_tst *t)
{
  nv_x509_tst_init(t);
  const char *path = in_string(c, key);
  if (path == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "no token file");
    return false;
  }
  nv_buf data;
  if (!read_input_file(c, path, &data)) {
    nv_buf_free(&data);
    return false;
  }
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_x509_tst_parse(data.data, data.len, t, &d);
  nv_buf_free(&data);
  if (rc != NV_OK) {
    op_failure(c, &d);
    return false;
  }
  return true;
}

static bool input_time(case_ctx *c, const char *key, int64_t *out)
{
  const char *s = in_string(c, key);
  nv_diag d;
  nv_diag_init(&d);
  if (s == NULL || nv_time_parse_rfc3339(s, strlen(s), out, NULL, &d) != NV_OK) {
    op_failure_msg(c, NV_E_INVALID_ARG, "missing or malformed time input");
    return false;
  }
  return true;
}

static bool list_push(nv_x509_list *l, X509 *cert)
{
  if (l->count == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    X509 **items = realloc(l->items, cap * sizeof(*items));
    if (items == NULL) {
      X509_free(cert);
      return false;
    }
    l->items = items;
    l->cap = cap;
  }
  l->items[l->count++] = cert;
  return true;
}

/* One certificate named by a case: a file, "certificates[N]" (the token's
 * N-th certificate) or "<last certificate embedded in the file>". */
static bool named_cert(case_ctx *c, const char *name, const nv_x509_tst *t, nv_x509_list *out)
{
  unsigned idx = 0;
  char tail = 0;
  if (strcmp(name, "<last certificate embedded in the file>") == 0) {
    if (t->certs.count == 0) {
      op_failure_msg(c, NV_E_TIMESTAMP_SIGNER_CERT_NOT_FOUND, "the token has no certificate");
      return false;
    }
    X509_up_ref(t->certs.items[t->certs.count - 1]);
    return list_push(out, t->certs.items[t->certs.count - 1]);
  }
  if (sscanf(name, "certificates[%u%c", &idx, &tail) == 2 && tail == ']') {
    if (idx >= t->certs.count) {
      op_failure_msg(c, NV_E_INVALID_ARG, "no such certificate in the token");
      return false;
    }
    X509_up_ref(t->certs.items[idx]);
    return list_push(out, t->certs.items[idx]);
  }
  nv_buf data;
  if (!read_input_file(c, name, &data)) {
    nv_buf_free(&data);
    return false;
  }
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_x509_read_certs(data.data, data.len, name, out, &d);
  nv_buf_free(&data);
  if (rc != NV_OK)
    op_failure(c, &d);
  return rc == NV_OK;
}

/* The roots input: an array of names (see named_cert), one name, or null
 * (no roots). */
static bool load_roots(case_ctx *c, const nv_x509_tst *t, nv_x509_list *out)
{
  nv_x509_list_init(out);
  const nv_json *v = in_value(c, "roots");
  if (v == NULL || nv_json_type_of(v) == NV_JSON_NULL)
    return true;
  size_t n = nv_json_type_of(v) == NV_JSON_ARRAY ? nv_json_count(v) : 1;
  for (size_t i = 0; i < n; i++) {
    const char *name = nv_json_type_of(v) == NV_JSON_ARRAY ? nv_json_string(nv_json_at(v, i))
                                                           : nv_json_string(v);
    if (name == NULL) {
      op_failure_msg(c, NV_E_INVALID_ARG, "roots: not a string");
      return false;
    }
    if (!named_cert(c, name, t, out))
      return false;
  }
  return true;
}

/* Verify the TSA chain at `at`; reports chain_len. */
static bool verify_chain_at(case_ctx *c, const nv_x509_tst *t, int64_t at, nv_x509_list *chain)
{
  nv_x509_list roots;
  if (!load_roots(c, t, &roots)) {
    nv_x509_list_free(&roots);
    return false;
  }
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_x509_tst_verify_chain(t, roots.items, roots.count, at, chain, &d);
  nv_x509_list_free(&roots);
  if (rc != NV_OK) {
    op_failure(c, &d);
    return false;
  }
  report_int(c, "chain_len", (int64_t)chain->count);
  return true;
}

static void op_parse_token(case_ctx *c)
{
  nv_x509_tst t;
  if (load_token(c, in_present(c, "token") ? "token" : "file", &t))
    op_success(c);
  nv_x509_tst_free(&t);
}

static void op_verify_token(case_ctx *c)
{
  nv_x509_tst t;
  int64_t at = 0;
  nv_x509_list chain;
  nv_x509_list_init(&chain);
  /* without a verification time, the chain is verified at genTime, as
   * Notary does */
  if ((!in_present(c, "verification_time") || input_time(c, "verification_time", &at)) &&
      load_token(c, "token", &t)) {
    if (!in_present(c, "verification_time"))
      at = t.gen_time;
    if (verify_chain_at(c, &t, at, &chain))
      op_success(c);
    nv_x509_tst_free(&t);
  }
  nv_x509_list_free(&chain);
}

/* Go's time.Duration text for whole microseconds. */
static void duration_text(int64_t us, char *buf, size_t size)
{
  if (us == 0)
    snprintf(buf, size, "0s");
  else if (us % 1000000 == 0)
    snprintf(buf, size, "%llds", (long long)(us / 1000000));
  else if (us < 1000)
    snprintf(buf, size, "%lldµs", (long long)us);
  else if (us < 1000000 && us % 1000 == 0)
    snprintf(buf, size, "%lldms", (long long)(us / 1000));
  else if (us < 1000000) {
    char frac[8];
    snprintf(frac, sizeof(frac), "%03lld", (long long)(us % 1000));
    for (size_t l = strlen(frac); l > 0 && frac[l - 1] == '0'; l--)
      frac[l - 1] = '\0';
    snprintf(buf, size, "%lld.%sms", (long long)(us / 1000), frac);
  } else {
    char frac[8];
    snprintf(frac, sizeof(frac), "%06lld", (long long)(us % 1000000));
    for (size_t l = strlen(frac); l > 0 && frac[l - 1] == '0'; l--)
      frac[l - 1] = '\0';
    snprintf(buf, size, "%lld.%ss", (long long)(us / 1000000), frac);
  }
}

static void op_validate_tstinfo(case_ctx *c)
{
  nv_x509_tst t;
  const char *msg = in_string(c, "message_utf8");
  if (msg == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "no message_utf8");
    return;
  }
  if (!load_token(c, "token", &t))
    return;
  nv_diag d;
  nv_diag_init(&d);
  if (nv_x509_tst_check_imprint(&t, (const uint8_t *)msg, strlen(msg), &d) != NV_OK) {
    op_failure(c, &d);
  } else {
    char acc[32];
    duration_text(t.accuracy_us, acc, sizeof(acc));
    report_time(c, "timestamp", t.gen_time);
    report_string(c, "accuracy", acc);
    op_success(c);
  }
  nv_x509_tst_free(&t);
}

/* Probes every second from one second before the window to one second
 * after it: BoundedBefore(u) = upper <= u, BoundedAfter(u) = lower >= u
 * (Go's tspclient Timestamp); keys are the probes' "HH:MM:SS". */
static void op_range_semantics(case_ctx *c)
{
  int64_t value = 0;
  uint64_t acc = 0;
  nv_diag d;
  nv_diag_init(&d);
  if (!input_time(c, "value", &value))
    return;
  if (nv_json_get_uint64(c->inputs, "accuracy_s", true, &acc, NULL, &d) != NV_OK ||
      acc > 86400) {
    op_failure_msg(c, NV_E_INVALID_ARG, "accuracy_s must be a small non-negative integer");
    return;
  }
  nv_x509_tst t;
  nv_x509_tst_init(&t);
  t.gen_time = value;
  t.accuracy_us = (int64_t)acc * 1000000;
  int64_t lo = nv_x509_tst_lower_us(&t) / 1000000, hi = nv_x509_tst_upper_us(&t) / 1000000;
  nv_buf before, after;
  nv_buf_init(&before, 1 << 16);
  nv_buf_init(&after, 1 << 16);
  nv_buf_append_byte(&before, '{', NULL);
  nv_buf_append_byte(&after, '{', NULL);
  for (int64_t u = lo - 1; u <= hi + 1; u++) {
    char key[16];
    int64_t s = ((u % 86400) + 86400) % 86400;
    snprintf(key, sizeof(key), "%02d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60),
             (int)(s % 60));
    if (u != lo - 1) {
      nv_buf_append_byte(&before, ',', NULL);
      nv_buf_append_byte(&after, ',', NULL);
    }
    int64_t uus = u * 1000000;
    json_append_string(&before, key);
    nv_buf_append_str(&before, nv_x509_tst_upper_us(&t) <= uus ? ":true" : ":false", NULL);
    json_append_string(&after, key);
    nv_buf_append_str(&after, nv_x509_tst_lower_us(&t) >= uus ? ":true" : ":false", NULL);
  }
  nv_buf_append_byte(&before, '}', NULL);
  nv_buf_append_byte(&after, '}', NULL);
  nv_buf_terminate(&before, NULL);
  nv_buf_terminate(&after, NULL);
  report_json(c, "bounded_before", (const char *)before.data);
  report_json(c, "bounded_after", (const char *)after.data);
  nv_buf_free(&before);
  nv_buf_free(&after);
  char a[NV_TIME_RFC3339_MAX], b[NV_TIME_RFC3339_MAX], f[2 * NV_TIME_RFC3339_MAX + 8];
  if (nv_time_format_rfc3339(lo, a, sizeof(a), &d) != NV_OK ||
      nv_time_format_rfc3339(hi, b, sizeof(b), &d) != NV_OK) {
    op_failure(c, &d);
    return;
  }
  snprintf(f, sizeof(f), "[%s, %s]", a, b);
  report_string(c, "formatted", f);
  op_success(c);
}

static void op_client_response(case_ctx *c)
{
  op_skip(c, "timestamp response parsing is the signer's (TSA client's) side; a verifier only "
             "receives the token");
}

static void op_cms_verify(case_ctx *c)
{
  const char *eku = in_string(c, "eku");
  if (eku != NULL && strcmp(eku, "timeStamping") != 0) {
    op_failure_msg(c, NV_E_INVALID_ARG, "only the timeStamping EKU is supported");
    return;
  }
  int64_t at = 0;
  nv_x509_tst t;
  if (!input_time(c, "verification_time", &at) || !load_token(c, "file", &t))
    return;
  nv_x509_list chain;
  nv_x509_list_init(&chain);
  report_int(c, "certificates", (int64_t)t.certs.count);
  report_int(c, "signer_infos", (int64_t)t.signer_infos);
  if (verify_chain_at(c, &t, at, &chain)) {
    bool same = chain.count == t.certs.count;
    for (size_t i = 0; same && i < chain.count; i++)
      same = X509_cmp(chain.items[i], t.certs.items[i]) == 0;
    char text[128];
    if (same)
      snprintf(text, sizeof(text), "== the %zu embedded certificates in file order", chain.count);
    else
      snprintf(text, sizeof(text), "%zu certificates, not the embedded ones in file order",
               chain.count);
    report_string(c, "verified_chain", text);
    op_success(c);
  }
  nv_x509_list_free(&chain);
  nv_x509_tst_free(&t);
}

static void op_cms_verify_signer(case_ctx *c)
{
  int64_t at = 0;
  nv_x509_tst t;
  uint64_t index = 0;
  nv_diag d;
  nv_diag_init(&d);
  if (nv_json_get_uint64(c->inputs, "signer_index", true, &index, NULL, &d) != NV_OK) {
    op_failure_msg(c, NV_E_INVALID_ARG, "signer_index must be a non-negative integer");
    return;
  }
  if (!input_time(c, "verification_time", &at) || !load_token(c, "file", &t))
    return;
  nv_x509_list want, chain;
  nv_x509_list_init(&want);
  nv_x509_list_init(&chain);
  const char *sc = in_string(c, "signing_cert");
  /* The library verifies the SignerInfos in order and keeps the first that
   * verifies; a case naming another index cannot be run. */
  if (index >= t.signer_infos)
    op_failure_msg(c, NV_E_TIMESTAMP_NO_SIGNERINFO, "no such SignerInfo");
  else if (index != 0)
    op_failure_msg(c, NV_E_INVALID_ARG, "only signer_index 0 can be selected");
  else if (sc != NULL && (!named_cert(c, sc, &t, &want) || want.count != 1))
    ; /* reported */
  else if (sc != NULL && X509_cmp(want.items[0], t.signer) != 0)
    op_failure_msg(c, NV_E_TIMESTAMP_SIGNER_CERT_NOT_FOUND,
                   "the SignerInfo is not signed by the named certificate");
  else if (verify_chain_at(c, &t, at, &chain))
    op_success(c);
  nv_x509_list_free(&want);
  nv_x509_list_free(&chain);
  nv_x509_tst_free(&t);
}

static void op_cms_signed_attributes(case_ctx *c)
{
  const char *chain = in_string(c, "chain");
  if (chain == NULL || strcmp(chain, "all embedded certificates in file order") != 0) {
    op_failure_msg(c, NV_E_INVALID_ARG, "unsupported chain input");
    return;
  }
  nv_x509_tst t;
  if (!load_token(c, "file", &t))
    return;
  nv_diag d;
  nv_diag_init(&d);
  if (t.has_signing_time &&
      nv_x509_check_valid_at(t.certs.items, t.certs.count, t.signing_time,
                             "the token's signing time", NV_E_TIMESTAMP_SIGNED_ATTRS,
                             NV_E_TIMESTAMP_SIGNED_ATTRS, &d) != NV_OK)
    op_failure(c, &d);
  else
    op_success(c);
  nv_x509_tst_free(&t);
}

/* ---- authentic-timestamp: the pipeline's step alone ---- */

typedef struct step_trust {
  const char *x509_dir;
  const nv_pol_statement *stmt;
  nv_pol_certset *sets[4];
} step_trust;

static nv_status step_trusted(void *user, nv_pol_store_type type, const nv_pol_certset **out,
                              nv_diag *d)
{
  step_trust *st = user;
  if ((size_t)type >= sizeof(st->sets) / sizeof(st->sets[0]))
    return nv_diag_set(d, NV_E_INTERNAL, "store type out of range");
  if (st->sets[type] == NULL) {
    const char *refs[64];
    size_t n = 0;
    for (size_t i = 0; i < st->stmt->store_count && n < 64; i++)
      refs[n++] = st->stmt->stores[i].raw;
    nv_status rc = nv_pol_certset_for_policy(st->x509_dir, refs, n, type, &st->sets[type], d);
    if (rc != NV_OK)
      return rc;
  }
  *out = st->sets[type];
  return NV_OK;
}

static bool replace_buf(case_ctx *c, nv_buf *b, const uint8_t *data, size_t len)
{
  nv_buf_free(b);
  nv_buf_init(b, (size_t)64 << 20);
  nv_diag d;
  nv_diag_init(&d);
  if (len > 0 && nv_buf_append(b, data, len, &d) != NV_OK) {
    op_failure(c, &d);
    return false;
  }
  return true;
}

static void op_authentic_timestamp_step(case_ctx *c)
{
  const char *media_type = in_string(c, "media_type");
  const char *env_path = in_string(c, "envelope");
  const char *policy = in_string(c, "policy");
  const char *store_dir = in_string(c, "store_dir");
  const char *tsa_rev = in_string(c, "tsa_revocation");
  const char *token_override = in_string(c, "timestamp_token_override");
  const char *sig_override = in_string(c, "signature_override_utf8");
  int64_t now = 0;
  if (media_type == NULL || env_path == NULL || policy == NULL || store_dir == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG,
                   "inputs media_type, envelope, policy and store_dir are required");
    return;
  }
  if (tsa_rev != NULL && strcmp(tsa_rev, "stub-not-revoked") != 0) {
    op_failure_msg(c, NV_E_INVALID_ARG, "unsupported tsa_revocation input");
    return;
  }
  if (!input_time(c, "verification_time", &now))
    return;
  char policy_path[4096], x509_dir[4096];
  snprintf(policy_path, sizeof(policy_path), "%s/%s", c->root, policy);
  snprintf(x509_dir, sizeof(x509_dir), "%s/%s", c->root, store_dir);
  nv_diag d;
  nv_diag_init(&d);
  nv_pol_doc *doc = NULL;
  nv_buf env, tok;
  nv_buf_init(&env, 1);
  nv_buf_init(&tok, 1);
  nv_vfy_signed s;
  memset(&s, 0, sizeof(s));
  bool have_signed = false;
  step_trust st = {x509_dir, NULL, {NULL, NULL, NULL, NULL}};
  if (nv_pol_load_file(NV_POL_DOC_OCI, policy_path, &doc, &d) != NV_OK) {
    op_failure(c, &d);
    goto out;
  }
  if (doc->count != 1) {
    op_failure_msg(c, NV_E_INVALID_ARG, "the policy must have exactly one statement");
    goto out;
  }
  st.stmt = &doc->statements[0];
  if (!read_input_file(c, env_path, &env))
    goto out;
  if (nv_vfy_check_integrity_cached(media_type, env.data, env.len, NULL, &s, &d) != NV_OK) {
    op_failure(c, &d);
    goto out;
  }
  have_signed = true;
  if (token_override != NULL) {
    if (!read_input_file(c, token_override, &tok) ||
        !replace_buf(c, &s.env.timestamp_token, tok.data, tok.len))
      goto out;
    s.env.has_timestamp = true;
  }
  if (sig_override != NULL &&
      !replace_buf(c, &s.env.signature, (const uint8_t *)sig_override, strlen(sig_override)))
    goto out;
  nv_vfy_inputs in;
  memset(&in, 0, sizeof(in));
  in.stmt = st.stmt;
  in.trusted = step_trusted;
  in.trusted_user = &st;
  in.now = now;
  if (tsa_rev != NULL)
    in.tsa_revocation = verify_tsa_not_revoked;
  nv_vfy_sig_result r;
  memset(&r, 0, sizeof(r));
  nv_status rc = nv_vfy_check_authentic_timestamp(&in, &s, &r, &d);
  if (rc != NV_OK) {
    op_failure(c, &d);
    goto out;
  }
  if (r.has_timestamp) {
    report_time(c, "timestamp", r.timestamp);
    if (r.timestamp_accuracy_us % 1000000 == 0)
      report_int(c, "accuracy_s", r.timestamp_accuracy_us / 1000000);
    else {
      char acc[32];
      snprintf(acc, sizeof(acc), "%.6f", (double)r.timestamp_accuracy_us / 1e6);
      report_json(c, "accuracy_s", acc);
    }
  }
  op_success(c);
out:
  for (size_t i = 0; i < 4; i++)
    nv_pol_certset_free(st.sets[i]);
  if (have_signed)
    nv_vfy_signed_free(&s);
  nv_buf_free(&env);
  nv_buf_free(&tok);
  nv_pol_doc_free(doc);
}

/* The verify cases of the category authentic-timestamp run ops_verify.c's
 * "verify" (its input tsa_revocation). */
const op_def timestamp_ops[] = {
  {"parse-timestamp-token", op_parse_token, {"token"}},
  {"parse-tstinfo", op_parse_token, {"token"}},
  {"resolve-tsa-signing-certificate", op_parse_token, {"token"}},
  {"verify-timestamp-token", op_verify_token, {"token", "roots", "verification_time"}},
  {"validate-tstinfo", op_validate_tstinfo, {"token", "message_utf8"}},
  {"timestamp-range-semantics", op_range_semantics, {"value", "accuracy_s"}},
  {"parse-timestamp-response (client side)", op_client_response, {"response"}},
  {"parse-signed-data", op_parse_token, {"file"}},
  {"parse-signed-data+verify", op_cms_verify, {"file", "roots", "eku", "verification_time"}},
  {"verify-signer", op_cms_verify_signer,
   {"file", "signer_index", "signing_cert", "roots", "verification_time"}},
  {"verify-signed-attributes", op_cms_signed_attributes, {"file", "chain"}},
  {"authentic-timestamp-step", op_authentic_timestamp_step,
   {"envelope", "media_type", "policy", "store_dir", "verification_time", "tsa_revocation",
    "timestamp_token_override", "signature_override_utf8", "same_as_envelope"}},
  {NULL, NULL, {NULL}},
};
