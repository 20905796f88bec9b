/*
 * The per-signature pipeline of notary-spec.md section 14. See
 * nv_vfy_pipeline.h. RFC 3161 timestamps are verified in the
 * authentic-timestamp step (lib/x509/timestamp.c for the token and the TSA
 * chain). The revocation step checks the signing chain over OCSP and
 * CRLs (lib/verify/revocation.c, settings in nv_vfy_inputs.revocation);
 * the authentic-timestamp step checks the TSA chain's with
 * nv_vfy_inputs.tsa_revocation, else with the revocation layer under the
 * same settings (with neither, a TSA chain naming OCSP/CRL URLs fails
 * closed with NV_E_TSA_REVOCATION_CHECK_ERROR).
 */
#include "verify/nv_vfy_pipeline.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/nv_digest.h"
#include "base/nv_sigalg.h"
#include "envelope/nv_env_payload.h"
#include "verify/nv_vfy_integrity.h"
#include "verify/nv_vfy_revocation.h"
#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_revocation_info.h"
#include "x509/nv_x509_time.h"
#include "x509/nv_x509_timestamp.h"

static void copy_msg(char *dst, size_t size, const char *src)
{
  snprintf(dst, size, "%s", src != NULL ? src : "");
}

/* Reject the signature with `code` (not tied to a policy action). */
static nv_status reject(nv_vfy_sig_result *out, nv_pol_check check, nv_status code,
                        const char *msg, nv_diag *d)
{
  out->status = code;
  out->failed_check = check;
  copy_msg(out->message, sizeof(out->message), msg);
  return nv_diag_set(d, code, "%s", out->message);
}

/* Record the result of a validation type; true when the pipeline stops
 * (an enforced failure). */
static bool record(nv_vfy_sig_result *out, nv_pol_check check, nv_status rc, const char *msg,
                   nv_diag *d)
{
  nv_vfy_check *c = &out->checks[check];
  c->code = rc;
  copy_msg(c->message, sizeof(c->message), msg);
  if (rc == NV_OK) {
    c->outcome = NV_VFY_CHECK_PASSED;
    return false;
  }
  c->outcome = NV_VFY_CHECK_FAILED;
  if (c->action == NV_POL_ACTION_LOG) {
    nv_log(d, NV_LOG_WARN, "verify", "%s (logged, not enforced): %s", nv_pol_check_name(check),
           c->message);
    return false;
  }
  reject(out, check, rc, c->message, d);
  return true;
}

static bool chain_trusted(const nv_pol_certset *cs, const nv_x509_list *chain)
{
  for (size_t i = 0; i < chain->count; i++)
    if (nv_pol_certset_contains_cert(cs, chain->items[i]))
      return true;
  return false;
}

static nv_status check_authenticity(const nv_vfy_inputs *in, const nv_vfy_signed *s,
                                    nv_diag *ld)
{
  nv_pol_store_type type = s->env.scheme == NV_SCHEME_SIGNING_AUTHORITY
                               ? NV_POL_STORE_SIGNING_AUTHORITY
                               : NV_POL_STORE_CA;
  const nv_pol_certset *cs = NULL;
  nv_status rc = in->trusted != NULL ? in->trusted(in->trusted_user, type, &cs, ld) : NV_OK;
  if (rc != NV_OK)
    return rc;
  if (cs == NULL || nv_pol_certset_count(cs) == 0)
    return nv_diag_set(ld, NV_E_NO_TRUSTED_CERTS,
                       "no trusted certificates are found to verify authenticity");
  if (!chain_trusted(cs, &s->chain))
    return nv_diag_set(ld, NV_E_CHAIN_NOT_TRUSTED,
                       "the signature's certificate chain does not contain any trusted "
                       "certificate");
  return nv_pol_match_identity(in->stmt, s->chain.items[0], ld);
}

static nv_status check_expiry(const nv_vfy_inputs *in, const nv_env *e, nv_diag *ld)
{
  if (!e->has_expiry || in->now < e->expiry)
    return NV_OK;
  char when[64] = "?";
  time_t t = (time_t)e->expiry;
  struct tm tm;
  if (gmtime_r(&t, &tm) != NULL)
    strftime(when, sizeof(when), "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return nv_diag_set(ld, NV_E_SIGNATURE_EXPIRED, "digital signature has expired on \"%s\"",
                     when);
}

static bool has_store_type(const nv_pol_statement *stmt, nv_pol_store_type type)
{
  for (size_t i = 0; i < stmt->store_count; i++)
    if (stmt->stores[i].type == type)
      return true;
  return false;
}

static bool some_cert_expired(const nv_x509_list *chain, int64_t now)
{
  for (size_t i = 0; i < chain->count; i++) {
    int64_t nb = 0, na = 0;
    if (nv_x509_validity(chain->items[i], &nb, &na, NULL) != NV_OK || now > na)
      return true;
  }
  return false;
}

/* Without a checker and revocation settings: a TSA certificate below the
 * root that names an OCSP responder or a CRL distribution point cannot be
 * checked, so the step fails closed. */
static nv_status tsa_revocation_fail_closed(const nv_vfy_inputs *in, X509 *const *chain,
                                            size_t count, nv_diag *ld)
{
  (void)in;
  for (size_t i = 0; i + 1 < count; i++) {
    bool ocsp = false, crl = false;
    if (nv_x509_revocation_urls(chain[i], &ocsp, &crl)) {
      char subject[256];
      return nv_diag_set(ld, NV_E_TSA_REVOCATION_CHECK_ERROR,
                         "timestamping certificate with subject \"%s\" names %s, but "
                         "revocation checking is not available in this build",
                         nv_x509_subject(chain[i], subject, sizeof(subject)),
                         ocsp && crl ? "an OCSP responder and a CRL distribution point"
                         : ocsp      ? "an OCSP responder"
                                     : "a CRL distribution point");
    }
  }
  return NV_OK;
}

/* notary-spec.md 10.3: the token, the TSA chain at genTime, the window
 * inside every signing certificate, the TSA chain's revocation. */
static nv_status verify_timestamp(const nv_vfy_inputs *in, const nv_vfy_signed *s,
                                  nv_vfy_sig_result *out, nv_diag *ld)
{
  if (!s->env.has_timestamp || s->env.timestamp_token.len == 0)
    return nv_diag_set(ld, NV_E_TIMESTAMP_MISSING,
                       "no timestamp countersignature was found in the signature envelope");
  nv_x509_tst t;
  nv_x509_list tsa_chain;
  nv_x509_list_init(&tsa_chain);
  nv_status rc = nv_x509_tst_parse(s->env.timestamp_token.data, s->env.timestamp_token.len, &t,
                                   ld);
  if (rc != NV_OK)
    return nv_diag_wrap(ld, NV_OK, "failed to parse timestamp countersignature with error: ");
  rc = nv_x509_tst_check_imprint(&t, s->env.signature.data, s->env.signature.len, ld);
  if (rc != NV_OK) {
    nv_diag_wrap(ld, NV_OK, "failed to get timestamp from timestamp countersignature with "
                            "error: ");
    goto out;
  }
  const nv_pol_certset *cs = NULL;
  rc = in->trusted != NULL ? in->trusted(in->trusted_user, NV_POL_STORE_TSA, &cs, ld) : NV_OK;
  if (rc != NV_OK)
    goto out;
  const nv_x509_list *roots = cs != NULL ? nv_pol_certset_list(cs) : NULL;
  if (roots == NULL || roots->count == 0) {
    rc = nv_diag_set(ld, NV_E_TSA_NO_TRUSTED_CERTS,
                     "no trusted TSA certificate found in trust store");
    goto out;
  }
  rc = nv_x509_tst_verify_chain(&t, roots->items, roots->count, t.gen_time, &tsa_chain, ld);
  if (rc != NV_OK) {
    nv_diag_wrap(ld, NV_OK, "failed to verify the timestamp countersignature with error: ");
    goto out;
  }
  rc = nv_x509_tst_check_window(&t, s->chain.items, s->chain.count, ld);
  if (rc != NV_OK)
    goto out;
  /* The checker: the inputs', else the revocation layer with the inputs'
   * settings (OCSP then CRL, as for the signing chain), else (no settings)
   * fail closed. A statement that skips revocation skips the TSA chain's
   * too. */
  nv_vfy_tsa_revocation_fn fn = in->tsa_revocation;
  void *user = in->tsa_revocation_user;
  if (fn == NULL && in->revocation != NULL) {
    fn = nv_vfy_revocation_check_tsa_chain;
    user = (void *)(uintptr_t)in->revocation; /* read only */
  }
  if (nv_pol_stmt_action(in->stmt, NV_POL_CHECK_REVOCATION) == NV_POL_ACTION_SKIP)
    rc = NV_OK;
  else
    rc = fn != NULL ? fn(user, tsa_chain.items, tsa_chain.count, t.gen_time, ld)
                    : tsa_revocation_fail_closed(in, tsa_chain.items, tsa_chain.count, ld);
  if (rc != NV_OK)
    goto out;
  out->has_timestamp = true;
  out->timestamp = t.gen_time;
  out->timestamp_accuracy_us = t.accuracy_us;
out:
  nv_x509_list_free(&tsa_chain);
  nv_x509_tst_free(&t);
  return rc;
}

nv_status nv_vfy_check_authentic_timestamp(const nv_vfy_inputs *in, const nv_vfy_signed *s,
                                           nv_vfy_sig_result *out, nv_diag *ld)
{
  X509 *const *certs = s->chain.items;
  size_t n = s->chain.count;
  if (s->env.scheme == NV_SCHEME_SIGNING_AUTHORITY)
    return nv_x509_check_valid_at(certs, n, s->env.authentic_signing_time,
                                  "authentic signing time",
                                  NV_E_CERT_INVALID_AT_AUTHENTIC_SIGNING_TIME,
                                  NV_E_CERT_INVALID_AT_AUTHENTIC_SIGNING_TIME, ld);
  bool run_ts = has_store_type(in->stmt, NV_POL_STORE_TSA) &&
                (in->stmt->verify_timestamp == NV_POL_VERIFY_TS_ALWAYS ||
                 some_cert_expired(&s->chain, in->now));
  if (run_ts)
    return verify_timestamp(in, s, out, ld);
  return nv_x509_check_valid_at(certs, n, in->now, "verification time", NV_E_CERT_NOT_YET_VALID,
                                NV_E_CERT_EXPIRED, ld);
}

/* The revocation step (notary-spec.md 11): every certificate of the
 * signing chain below the root, OCSP then CRL (lib/verify/revocation.c).
 * Invalidity dates are judged against the authentic signing time
 * (signingAuthority only). Certificates that name no OCSP responder or
 * CRL distribution point pass, with a warning in the check's message. */
static nv_status check_revocation(const nv_vfy_inputs *in, const nv_vfy_signed *s, nv_diag *ld)
{
  static const nv_vfy_rev_settings defaults = {0};
  const nv_x509_list *chain = &s->chain;
  int64_t signing_time =
    s->env.has_authentic_signing_time ? s->env.authentic_signing_time : 0;
  nv_vfy_rev_outcome o;
  nv_status rc = nv_vfy_revocation_check_chain(in->revocation ? in->revocation : &defaults,
                                               chain->items, chain->count, in->now,
                                               signing_time, &o, ld);
  if (rc != NV_OK)
    return rc;
  if (o.unchecked > 0)
    nv_diag_set(ld, NV_OK, "warning: %s", o.warning);
  else if (o.checked == 0)
    nv_diag_set(ld, NV_OK,
                "no certificate of the chain below the root names an OCSP responder or a CRL "
                "distribution point: nothing to check");
  else
    nv_diag_set(ld, NV_OK, "%zu certificate%s checked: not revoked", o.checked,
                o.checked == 1 ? "" : "s");
  return NV_OK;
}

/* Hash the blob with the signature algorithm's hash and compare digest,
 * size and (when the caller gave one) media type with the payload's. */
static nv_status check_blob(const nv_vfy_blob *b, const nv_env *e, const nv_descriptor *desc,
                            nv_diag *ld)
{
  nv_digest_alg alg = nv_sig_alg_digest(e->alg);
  nv_digest_ctx *dc = NULL;
  nv_status rc = nv_digest_begin(alg, &dc, ld);
  if (rc != NV_OK)
    return nv_diag_wrap(ld, NV_E_BLOB_HASH_UNSUPPORTED, "cannot hash the blob: ");
  uint64_t size = 0;
  uint8_t buf[16384];
  for (;;) {
    size_t got = 0;
    rc = b->read(b->user, buf, sizeof(buf), &got, ld);
    if (rc != NV_OK || got == 0)
      break;
    if (got > sizeof(buf)) {
      rc = nv_diag_set(ld, NV_E_IO, "the blob reader returned more bytes than asked for");
      break;
    }
    size += got;
    if ((rc = nv_digest_update(dc, buf, got, ld)) != NV_OK)
      break;
  }
  if (rc != NV_OK) {
    nv_digest_abort(dc);
    return nv_diag_wrap(ld, NV_OK, "cannot read the blob: ");
  }
  nv_digest dg;
  char text[NV_DIGEST_STRING_MAX];
  if ((rc = nv_digest_end(dc, &dg, ld)) != NV_OK ||
      (rc = nv_digest_format(&dg, text, sizeof(text), ld)) != NV_OK)
    return rc;
  if (strcmp(text, desc->digest) != 0 || size != desc->size ||
      (b->media_type != NULL && strcmp(b->media_type, desc->media_type) != 0))
    return nv_diag_set(ld, NV_E_BLOB_DIGEST_MISMATCH,
                       "integrity check failed. signature does not match the given blob "
                       "(the signature names %s, %" PRIu64 " bytes, media type \"%s\"; the blob "
                       "is %s, %" PRIu64 " bytes%s%s%s)",
                       desc->digest, desc->size, desc->media_type, text, size,
                       b->media_type ? ", media type \"" : "",
                       b->media_type ? b->media_type : "", b->media_type ? "\"" : "");
  return NV_OK;
}

static nv_status check_payload(const nv_vfy_inputs *in, const nv_env *e, nv_diag *ld)
{
  nv_descriptor desc;
  nv_descriptor_init(&desc);
  nv_status rc = nv_env_parse_payload(e, &desc, ld);
  if (rc == NV_OK && in->blob != NULL)
    rc = check_blob(in->blob, e, &desc, ld);
  else if (rc == NV_OK && in->target != NULL && !nv_descriptor_equal(&desc, in->target))
    rc = nv_diag_set(ld, NV_E_TARGET_ARTIFACT_MISMATCH,
                     "content descriptor mismatch: the signature was made for %s, %" PRIu64
                     " bytes, media type \"%s\", not for the artifact being verified (%s, "
                     "%" PRIu64 " bytes, media type \"%s\"); it signs other content",
                     desc.digest, desc.size, desc.media_type,
                     in->target->digest ? in->target->digest : "?", in->target->size,
                     in->target->media_type ? in->target->media_type : "?");
  for (size_t i = 0; rc == NV_OK && i < in->metadata_count; i++) {
    const char *v = nv_descriptor_annotation(&desc, in->metadata_keys[i]);
    if (v == NULL || in->metadata_values[i] == NULL || strcmp(v, in->metadata_values[i]) != 0)
      rc = nv_diag_set(ld, NV_E_USER_METADATA_MISMATCH,
                       "unable to find specified metadata in the signature");
  }
  nv_descriptor_free(&desc);
  return rc;
}

nv_status nv_vfy_verify_signature(const char *media_type, const uint8_t *env, size_t len,
                                  const nv_vfy_inputs *in, nv_vfy_sig_result *out, nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "no result");
  memset(out, 0, sizeof(*out));
  out->failed_check = NV_POL_CHECK_COUNT;
  /* the binding to the artifact is never optional: a target or a blob */
  if (in == NULL || in->stmt == NULL || (env == NULL && len > 0) ||
      (in->target == NULL && in->blob == NULL)) {
    out->status = NV_E_INVALID_ARG;
    return nv_diag_set(d, NV_E_INVALID_ARG, "no inputs, statement, or target to bind to");
  }
  for (int k = 0; k < NV_POL_CHECK_COUNT; k++)
    out->checks[k].action = nv_pol_stmt_action(in->stmt, (nv_pol_check)k);

  nv_diag ld;
  nv_diag_init(&ld);
  if (d != NULL) {
    ld.log_cb = d->log_cb;
    ld.log_max = d->log_max;
    ld.log_user_data = d->log_user_data;
  }
  nv_vfy_signed s;
  nv_status rc = nv_vfy_check_integrity_cached(media_type, env, len, in->cache, &s, &ld);
  out->scheme = s.env.scheme;
  out->has_signing_time = s.env.has_signing_time || s.env.has_authentic_signing_time;
  out->signing_time =
      s.env.has_signing_time ? s.env.signing_time : s.env.authentic_signing_time;
  out->has_expiry = s.env.has_expiry;
  out->expiry = s.env.expiry;
  if (s.chain.count > 0)
    nv_x509_subject(s.chain.items[0], out->signer_subject, sizeof(out->signer_subject));
  /* Integrity is enforced at every level. */
  out->checks[NV_POL_CHECK_INTEGRITY].action = NV_POL_ACTION_ENFORCE;
  if (record(out, NV_POL_CHECK_INTEGRITY, rc, ld.msg, d))
    goto done;

  rc = nv_env_check_critical(&s.env, &ld);
  if (rc != NV_OK) {
    reject(out, NV_POL_CHECK_COUNT, rc, ld.msg, d);
    goto done;
  }

  struct {
    nv_pol_check check;
    int step;
  } const steps[] = {
      {NV_POL_CHECK_AUTHENTICITY, 0},
      {NV_POL_CHECK_EXPIRY, 1},
      {NV_POL_CHECK_AUTHENTIC_TIMESTAMP, 2},
      {NV_POL_CHECK_REVOCATION, 3},
  };
  for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
    nv_pol_check chk = steps[i].check;
    if (out->checks[chk].action == NV_POL_ACTION_SKIP ||
        out->checks[chk].action == NV_POL_ACTION_NONE)
      continue;
    nv_diag_clear(&ld);
    switch (steps[i].step) {
    case 0: rc = check_authenticity(in, &s, &ld); break;
    case 1: rc = check_expiry(in, &s.env, &ld); break;
    case 2: rc = nv_vfy_check_authentic_timestamp(in, &s, out, &ld); break;
    default:
      rc = check_revocation(in, &s, &ld);
      break;
    }
    if (record(out, chk, rc, ld.msg, d))
      goto done;
  }

  /* The payload binding is enforced at every level. */
  nv_diag_clear(&ld);
  rc = check_payload(in, &s.env, &ld);
  if (rc != NV_OK) {
    reject(out, NV_POL_CHECK_COUNT, rc, ld.msg, d);
    goto done;
  }
  out->status = NV_OK;

done:
  nv_vfy_signed_free(&s);
  return out->status;
}
