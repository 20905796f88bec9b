/*
 * Revocation of a chain: OCSP with CRL fallback per certificate, fetched
 * through the registry layer's transport. See nv_vfy_revocation.h.
 */
#include "verify/nv_vfy_revocation.h"

#include <notaryc/nv_revocation.h>

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/nv_buf.h"
#include "base/nv_digest.h"
#include "base/nv_limits.h"
#include "registry/nv_reg_http.h"
#include "verify/nv_vfy_context.h"
#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_revocation.h"
#include "x509/nv_x509_store_helpers.h"

/* Longer chains are refused (a trust chain has a handful of certificates). */
#define REV_MAX_CHAIN 16

typedef enum rev_state { REV_OK, REV_NONREVOKABLE, REV_REVOKED, REV_UNKNOWN } rev_state;

/* Log lines of a job, replayed on the calling thread after the jobs end
 * (the log callback runs on the thread that called into the library). */
#define REV_LOG_LINES 8
typedef struct rev_log_line {
  nv_log_level level;
  const char *component; /* a string literal */
  char *text;
} rev_log_line;

typedef struct rev_job {
  const nv_vfy_rev_settings *s;
  X509 *cert;
  X509 *issuer;
  int64_t now;
  int64_t signing_time;
  nv_reg_http *http;
  /* result */
  rev_state state;
  nv_diag d; /* the message of a REVOKED or UNKNOWN result */
  bool nomem;
  rev_log_line log[REV_LOG_LINES];
  size_t nlog;
} rev_job;

static void job_log(nv_log_level level, const char *component, const char *message,
                    void *user_data)
{
  rev_job *j = user_data;
  char *copy = j->nlog < REV_LOG_LINES ? strdup(message) : NULL;
  if (copy != NULL)
    j->log[j->nlog++] = (rev_log_line){level, component, copy};
}

static uint32_t ocsp_timeout(const nv_vfy_rev_settings *s)
{
  return s->ocsp_timeout_ms ? s->ocsp_timeout_ms : NV_VFY_REV_OCSP_TIMEOUT_MS;
}

static uint32_t crl_timeout(const nv_vfy_rev_settings *s)
{
  return s->crl_timeout_ms ? s->crl_timeout_ms : NV_VFY_REV_CRL_TIMEOUT_MS;
}

/* One HTTP exchange; NV_OK only for a 200 response, whose body is moved
 * into `out`. */
static nv_status fetch(rev_job *j, const char *method, const char *url, const nv_buf *body,
                       size_t max, uint32_t timeout_ms, nv_buf *out, nv_diag *d)
{
  if (strncmp(url, "http://", 7) != 0)
    return nv_diag_set(d, NV_E_REVOCATION_CHECK_ERROR, "%s: only http URLs are supported",
                       nv_quote(url, strlen(url)).s);
  if (j->s->offline)
    return nv_diag_set(d, NV_E_REVOCATION_UNKNOWN, "offline: %s is not fetched",
                       nv_quote(url, strlen(url)).s);
  if (j->http == NULL && nv_reg_http_new(&j->http, d) != NV_OK)
    return nv_diag_status(d);
  nv_http_request req;
  nv_status rc = nv_reg_http_request_init(&req, method, url, max, d);
  if (rc != NV_OK)
    return rc;
  req.timeout_ms = timeout_ms;
  req.verify_tls = true;
  if (body != NULL) {
    req.body = body->data;
    req.body_len = body->len;
    rc = nv_reg_http_request_add_header(&req, "Content-Type", "application/ocsp-request", d);
  }
  nv_reg_http_config cfg = {
    .ca_file = j->s->ca_file,
    .proxy = j->s->proxy,
    .fetch_cb = j->s->fetch_cb,
    .fetch_user = j->s->fetch_user,
  };
  nv_http_response resp;
  nv_reg_http_response_init(&resp, max);
  if (rc == NV_OK)
    rc = nv_reg_http_send(j->http, &cfg, &req, &resp, d);
  if (rc == NV_OK && resp.status != 200)
    rc = nv_diag_set(d, NV_E_REVOCATION_CHECK_ERROR, "%s answered HTTP %d",
                     nv_quote(url, strlen(url)).s, (int)resp.status);
  if (rc == NV_OK) {
    nv_buf tmp = *out;
    *out = resp.body;
    resp.body = tmp;
  } else if (rc != NV_E_NOMEM) {
    rc = nv_diag_wrap(d, NV_E_REVOCATION_CHECK_ERROR, "%s %s: ", method,
                      nv_quote(url, strlen(url)).s);
  }
  nv_reg_http_response_free(&resp);
  nv_reg_http_request_free(&req);
  return rc;
}

/* ---- the in-memory cache (CRLs and OCSP answers) ---- */

typedef struct cache_entry {
  uint64_t id; /* unique in its cache: entries move when others go */
  char *url;   /* NULL: preloaded */
  uint8_t *der;
  size_t len;
  int64_t next_update;
  /* a CRL once it served, so later uses need not parse it again, and the
   * issuer whose key it was checked with; NULL until then */
  nv_x509_crl *parsed;
  X509 *signer;
  /* an OCSP answer judged good: it holds from good_from to next_update */
  bool good;
  int64_t good_from;
} cache_entry;

/* Parsed CRLs take several times their DER in memory: they are kept
 * while the sum of their DER sizes stays under this. */
#define REV_CACHE_PARSED_BYTES ((size_t)16 << 20)

struct nv_vfy_rev_cache {
  pthread_mutex_t mu;
  cache_entry e[NV_VFY_REV_CACHE_MAX]; /* oldest first */
  size_t n;
  size_t bytes;
  size_t parsed_bytes;
  uint64_t next_id;
};

nv_status nv_vfy_rev_cache_new(nv_vfy_rev_cache **out)
{
  *out = calloc(1, sizeof(**out));
  if (*out == NULL)
    return NV_E_NOMEM;
  if (pthread_mutex_init(&(*out)->mu, NULL) != 0) {
    free(*out);
    *out = NULL;
    return NV_E_NOMEM;
  }
  return NV_OK;
}

static void entry_free(cache_entry *e)
{
  free(e->url);
  free(e->der);
  nv_x509_crl_free(e->parsed);
  nv_x509_unref(e->signer);
  memset(e, 0, sizeof(*e));
}

void nv_vfy_rev_cache_free(nv_vfy_rev_cache *c)
{
  if (c == NULL)
    return;
  for (size_t i = 0; i < c->n; i++)
    entry_free(&c->e[i]);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

static void drop(nv_vfy_rev_cache *c, size_t i)
{
  c->bytes -= c->e[i].len;
  if (c->e[i].parsed != NULL)
    c->parsed_bytes -= c->e[i].len;
  entry_free(&c->e[i]);
  memmove(&c->e[i], &c->e[i + 1], (c->n - i - 1) * sizeof(c->e[0]));
  c->n--;
  memset(&c->e[c->n], 0, sizeof(c->e[0]));
}

static nv_status cache_put(nv_vfy_rev_cache *c, const char *url, const uint8_t *der,
                           size_t len, int64_t next_update, uint64_t *id, nv_diag *d);

nv_status nv_vfy_rev_cache_put(nv_vfy_rev_cache *c, const char *url, const uint8_t *der,
                               size_t len, int64_t next_update, nv_diag *d)
{
  uint64_t id;
  return cache_put(c, url, der, len, next_update, &id, d);
}

/* The same, telling the new entry's id. */
static nv_status cache_put(nv_vfy_rev_cache *c, const char *url, const uint8_t *der,
                           size_t len, int64_t next_update, uint64_t *id, nv_diag *d)
{
  *id = 0;
  if (len > NV_VFY_REV_CACHE_BYTES)
    return nv_diag_set(d, NV_E_LIMIT, "a CRL of %zu bytes does not fit the CRL cache", len);
  cache_entry e = {.len = len, .next_update = next_update};
  e.der = malloc(len ? len : 1);
  e.url = url != NULL ? strdup(url) : NULL;
  if (e.der == NULL || (url != NULL && e.url == NULL)) {
    entry_free(&e);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  memcpy(e.der, der, len);
  pthread_mutex_lock(&c->mu);
  /* the same URL (or the same preloaded bytes) replaces its entry */
  for (size_t i = 0; i < c->n; i++)
    if ((url != NULL && c->e[i].url != NULL && strcmp(c->e[i].url, url) == 0) ||
        (url == NULL && c->e[i].url == NULL && c->e[i].len == len &&
         memcmp(c->e[i].der, der, len) == 0)) {
      drop(c, i);
      break;
    }
  /* make room: the oldest download first */
  for (size_t i = 0; i < c->n && (c->n == NV_VFY_REV_CACHE_MAX ||
                                  c->bytes + len > NV_VFY_REV_CACHE_BYTES);)
    if (c->e[i].url != NULL)
      drop(c, i);
    else
      i++;
  nv_status rc = NV_OK;
  if (c->n == NV_VFY_REV_CACHE_MAX || c->bytes + len > NV_VFY_REV_CACHE_BYTES) {
    entry_free(&e);
    rc = nv_diag_set(d, NV_E_LIMIT, "the CRL cache is full of preloaded CRLs");
  } else {
    e.id = *id = ++c->next_id;
    c->e[c->n++] = e;
    c->bytes += len;
  }
  pthread_mutex_unlock(&c->mu);
  return rc;
}

/* What a lookup found: a copy of the bytes, or a handle on the parsed
 * CRL when it was checked with `issuer`'s key before; and the entry's id. */
typedef struct cache_hit {
  uint64_t id;
  nv_x509_crl *parsed;
  bool good; /* a good OCSP answer, from good_from until the entry's nextUpdate */
  int64_t good_from;
} cache_hit;

static bool copy_entry(const cache_entry *e, X509 *issuer, nv_buf *out, cache_hit *hit)
{
  hit->id = e->id;
  hit->parsed = NULL;
  hit->good = e->good;
  hit->good_from = e->good_from;
  if (issuer != NULL && e->parsed != NULL && nv_x509_same(e->signer, issuer) &&
      (hit->parsed = nv_x509_crl_share(e->parsed)) != NULL)
    return true;
  return nv_buf_append(out, e->der, e->len, NULL) == NV_OK;
}

/* The entry kept under `url`, unless past its nextUpdate. */
static bool cache_get_url(nv_vfy_rev_cache *c, const char *url, int64_t now, X509 *issuer,
                          nv_buf *out, cache_hit *hit)
{
  if (c == NULL)
    return false;
  bool found = false;
  pthread_mutex_lock(&c->mu);
  for (size_t i = 0; i < c->n; i++) {
    const cache_entry *e = &c->e[i];
    if (e->url != NULL && strcmp(e->url, url) == 0) {
      found = now <= e->next_update && copy_entry(e, issuer, out, hit);
      break;
    }
  }
  pthread_mutex_unlock(&c->mu);
  return found;
}

/* The `index`-th preloaded CRL; false past the last. */
static bool cache_get_preloaded(nv_vfy_rev_cache *c, size_t index, X509 *issuer, nv_buf *out,
                                cache_hit *hit)
{
  if (c == NULL)
    return false;
  bool found = false;
  pthread_mutex_lock(&c->mu);
  size_t seen = 0;
  for (size_t i = 0; i < c->n; i++) {
    const cache_entry *e = &c->e[i];
    if (e->url == NULL && seen++ == index) {
      found = copy_entry(e, issuer, out, hit);
      break;
    }
  }
  pthread_mutex_unlock(&c->mu);
  return found;
}

/* Mark entry `id` as an OCSP answer judged good from `from` on. */
static void cache_mark_good(nv_vfy_rev_cache *c, uint64_t id, int64_t from)
{
  pthread_mutex_lock(&c->mu);
  for (size_t i = 0; i < c->n; i++)
    if (c->e[i].id == id) {
      c->e[i].good = true;
      c->e[i].good_from = from;
      break;
    }
  pthread_mutex_unlock(&c->mu);
}

/* Keep the parsed form of entry `id` (checked with `issuer`'s key), if
 * the entry is still there, has none yet, and the budget allows. */
static void cache_set_parsed(nv_vfy_rev_cache *c, uint64_t id, const nv_x509_crl *crl,
                             X509 *issuer)
{
  if (c == NULL)
    return;
  pthread_mutex_lock(&c->mu);
  for (size_t i = 0; i < c->n; i++) {
    cache_entry *e = &c->e[i];
    if (e->id != id)
      continue;
    if (e->parsed == NULL && c->parsed_bytes + e->len <= REV_CACHE_PARSED_BYTES &&
        (e->signer = nv_x509_ref(issuer)) != NULL) {
      if ((e->parsed = nv_x509_crl_share(crl)) != NULL) {
        c->parsed_bytes += e->len;
      } else {
        nv_x509_unref(e->signer);
        e->signer = NULL;
      }
    }
    break;
  }
  pthread_mutex_unlock(&c->mu);
}

/* Whether preloaded CRLs are there: they may answer for a certificate
 * that names only an OCSP responder. */
static bool cache_has_preloaded(nv_vfy_rev_cache *c)
{
  if (c == NULL)
    return false;
  bool found = false;
  pthread_mutex_lock(&c->mu);
  for (size_t i = 0; i < c->n && !found; i++)
    found = c->e[i].url == NULL;
  pthread_mutex_unlock(&c->mu);
  return found;
}

static nv_status check_crl(rev_job *j, const nv_x509_urls *cdp, bool *found, nv_diag *d);

/* A delegated OCSP responder without id-pkix-ocsp-nocheck: its own
 * certificate is checked against its CRL distribution points (RFC 6960
 * 4.2.2.2.1); without any, its answer is used and a warning logged. */
static nv_status check_responder(rev_job *j, X509 *responder, nv_diag *d)
{
  nv_x509_urls cdp;
  nv_status rc = nv_x509_crl_urls(responder, &cdp, d);
  if (rc != NV_OK)
    return rc;
  char name[256];
  if (cdp.count == 0) {
    nv_log(d, NV_LOG_WARN, "revocation",
           "the delegated OCSP responder %s has neither id-pkix-ocsp-nocheck nor a CRL "
           "distribution point; its answer is used unchecked",
           nv_x509_subject(responder, name, sizeof(name)));
    return NV_OK;
  }
  rev_job sub = *j;
  sub.cert = responder;
  rc = check_crl(&sub, &cdp, NULL, d);
  j->http = sub.http; /* made by the sub-check, if it made one */
  nv_x509_urls_free(&cdp);
  if (rc == NV_OK || rc == NV_E_NOMEM)
    return rc;
  return nv_diag_wrap(d, NV_E_REVOCATION_CHECK_ERROR,
                      "the delegated OCSP responder %s %s: ",
                      nv_x509_subject(responder, name, sizeof(name)),
                      rc == NV_E_CERT_REVOKED ? "is revoked" : "has an unknown status");
}

/* What one OCSP response says of the certificate: NV_OK,
 * NV_E_CERT_REVOKED, NV_E_REVOCATION_UNKNOWN ("unknown"), NV_E_NOMEM, or
 * another code when it cannot be used. A delegated responder's own
 * revocation is checked too. */
static nv_status ocsp_answer(rev_job *j, const nv_buf *body, nv_x509_ocsp_window *good,
                             nv_diag *d)
{
  X509 *responder = NULL;
  nv_status rc = nv_x509_ocsp_check_response_ex(body->data, body->len, j->cert, j->issuer,
                                                j->now, j->signing_time, &responder, good, d);
  if (responder != NULL) {
    /* the answer counts only if its signer is not revoked */
    nv_status r = check_responder(j, responder, d);
    nv_x509_ocsp_responder_free(responder);
    if (r != NV_OK)
      rc = r;
  }
  return rc;
}

/* The cache key of an OCSP request: "ocsp:" and its SHA-256 in hex (the
 * request names the issuer's name and key hashes and the serial). */
static bool ocsp_key(const nv_buf *req, char key[5 + 64 + 1])
{
  nv_digest dg;
  if (nv_digest_compute(NV_DIGEST_SHA256, req->data, req->len, &dg, NULL) != NV_OK)
    return false;
  memcpy(key, "ocsp:", 5);
  for (size_t i = 0; i < 32; i++)
    snprintf(key + 5 + 2 * i, 3, "%02x", dg.bytes[i]);
  return true;
}

/* OCSP: a cached answer that still holds, else every responder URL in
 * order: NV_OK, NV_E_CERT_REVOKED, NV_E_REVOCATION_UNKNOWN (an "unknown"
 * answer stops at once; failures of every URL end here too), NV_E_NOMEM.
 * Answers that give a status are kept in the context's cache. */
static nv_status check_ocsp(rev_job *j, const nv_x509_urls *urls, nv_diag *d)
{
  nv_buf req;
  nv_buf_init(&req, 1 << 16);
  nv_status rc = nv_x509_ocsp_request(j->cert, j->issuer, &req, d);
  char key[5 + 64 + 1];
  bool keyed = rc == NV_OK && j->s->cache != NULL && ocsp_key(&req, key);
  if (keyed) {
    nv_buf body;
    nv_buf_init(&body, NV_LIMIT_OCSP_RESPONSE_BYTES);
    /* a good answer holds within its window (the entry is not returned
     * past its end); others are judged again now, and a stale one is
     * fetched anew */
    cache_hit hit;
    nv_status f = NV_E_REVOCATION_UNKNOWN;
    if (cache_get_url(j->s->cache, key, j->now, NULL, &body, &hit))
      f = hit.good && j->now >= hit.good_from ? NV_OK : ocsp_answer(j, &body, NULL, d);
    nv_buf_free(&body);
    if (f == NV_OK || f == NV_E_CERT_REVOKED || f == NV_E_NOMEM) {
      nv_buf_free(&req);
      return f;
    }
  }
  for (size_t i = 0; rc == NV_OK && i < urls->count; i++) {
    nv_buf url, body;
    nv_buf_init(&url, NV_X509_MAX_URL_LEN + 512);
    nv_buf_init(&body, NV_LIMIT_OCSP_RESPONSE_BYTES);
    bool get = nv_x509_ocsp_get_url(urls->items[i], req.data, req.len, &url, NULL);
    nv_status f = get ? fetch(j, "GET", (const char *)url.data, NULL,
                              NV_LIMIT_OCSP_RESPONSE_BYTES, ocsp_timeout(j->s), &body, d)
                      : fetch(j, "POST", urls->items[i], &req, NV_LIMIT_OCSP_RESPONSE_BYTES,
                              ocsp_timeout(j->s), &body, d);
    if (f == NV_OK) {
      nv_x509_ocsp_window good;
      f = ocsp_answer(j, &body, &good, d);
      uint64_t id;
      bool window = f == NV_OK && good.until >= good.from;
      if ((f == NV_OK || f == NV_E_CERT_REVOKED) && keyed &&
          cache_put(j->s->cache, key, body.data, body.len, window ? good.until : INT64_MAX, &id,
                    NULL) == NV_OK &&
          window)
        cache_mark_good(j->s->cache, id, good.from);
      if (f != NV_OK && f != NV_E_CERT_REVOKED && f != NV_E_NOMEM)
        f = nv_diag_wrap(d, NV_OK, "OCSP %s: ", nv_quote(urls->items[i],
                                                          strlen(urls->items[i])).s);
    }
    nv_buf_free(&url);
    nv_buf_free(&body);
    if (f == NV_OK || f == NV_E_CERT_REVOKED || f == NV_E_REVOCATION_UNKNOWN || f == NV_E_NOMEM) {
      nv_buf_free(&req);
      return f;
    }
    rc = NV_OK; /* next URL */
  }
  nv_buf_free(&req);
  if (rc == NV_E_NOMEM)
    return rc;
  return nv_diag_wrap(d, NV_E_REVOCATION_UNKNOWN, "no OCSP responder answered: ");
}

/* ---- the on-disk cache ---- */

/* dir + "/crl-" + hex(sha256(url)); false if it does not fit. */
static bool disk_path(const char *dir, const char *url, char *buf, size_t size)
{
  nv_digest dg;
  if (nv_digest_compute(NV_DIGEST_SHA256, url, strlen(url), &dg, NULL) != NV_OK)
    return false;
  int n = snprintf(buf, size, "%s/crl-", dir);
  if (n < 0 || (size_t)n + 65 > size)
    return false;
  for (size_t i = 0; i < 32; i++)
    snprintf(buf + n + 2 * i, 3, "%02x", dg.bytes[i]);
  return true;
}

/* The file's bytes (at most NV_LIMIT_CRL_BYTES) into `out`. */
static bool disk_read(const char *dir, const char *url, nv_buf *out)
{
  char path[4096];
  if (dir == NULL || !disk_path(dir, url, path, sizeof(path)))
    return false;
  /* O_NONBLOCK: a FIFO planted in the directory must not stall us */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return false;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
            (uint64_t)st.st_size <= NV_LIMIT_CRL_BYTES &&
            nv_buf_reserve(out, (size_t)st.st_size, NULL) == NV_OK;
  while (ok && out->len < (size_t)st.st_size) {
    uint8_t tmp[65536];
    ssize_t got = read(fd, tmp, sizeof(tmp));
    ok = got > 0 && nv_buf_append(out, tmp, (size_t)got, NULL) == NV_OK;
  }
  close(fd);
  if (!ok)
    nv_buf_reset(out);
  return ok;
}

/* Write the CRL into the directory: a temporary file in the same
 * directory, then rename (atomic on one file system). Failures are only
 * logged: the cache is an optimisation. */
static void disk_write(const char *dir, const char *url, const nv_buf *der, const nv_diag *d)
{
  char path[4096], tmp[4096 + 16];
  if (dir == NULL || !disk_path(dir, url, path, sizeof(path)))
    return;
  snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    nv_log(d, NV_LOG_WARN, "revocation", "CRL cache: cannot create a file in %s",
           nv_quote(dir, strlen(dir)).s);
    return;
  }
  size_t done = 0;
  while (done < der->len) {
    ssize_t n = write(fd, der->data + done, der->len - done);
    if (n <= 0)
      break;
    done += (size_t)n;
  }
  bool ok = done == der->len && fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  if (!ok || rename(tmp, path) != 0) {
    unlink(tmp);
    nv_log(d, NV_LOG_WARN, "revocation", "CRL cache: cannot write into %s",
           nv_quote(dir, strlen(dir)).s);
  }
}

/* Whether a parsed CRL serves: valid for the issuer now, as the complete
 * CRL (`base` NULL) or as a delta CRL of `base`, and its scope takes in
 * the certificate. */
static nv_status judge_crl(rev_job *j, const nv_x509_crl *crl, const nv_x509_crl *base,
                           bool signature_checked, nv_diag *d)
{
  nv_status rc = signature_checked
                     ? nv_x509_crl_revalidate(crl, j->issuer, j->now, base != NULL, d)
                     : nv_x509_crl_validate(crl, j->issuer, j->now, base != NULL, d);
  if (rc == NV_OK)
    rc = nv_x509_crl_covers(crl, j->cert, d);
  if (rc == NV_OK && base != NULL)
    rc = nv_x509_crl_check_delta(base, crl, d);
  return rc;
}

/* A CRL from a cache lookup: the parsed one, or the bytes (their
 * signature checked before they are parsed), if it serves; NV_OK with
 * *out set. A CRL that served from bytes is kept parsed. */
static nv_status use_crl(rev_job *j, const nv_buf *der, cache_hit *hit,
                         const nv_x509_crl *base, nv_x509_crl **out, nv_diag *d)
{
  *out = NULL;
  nv_status rc;
  /* a parsed CRL kept from an earlier use was checked with this issuer's
   * key (copy_entry compares the issuer) */
  bool kept = hit != NULL && hit->parsed != NULL;
  if (kept) {
    *out = hit->parsed;
    hit->parsed = NULL;
  } else {
    /* the signature first: no entry of an unsigned CRL is decoded */
    rc = nv_x509_crl_check_signature(der->data, der->len, j->issuer, d);
    if (rc == NV_OK)
      rc = nv_x509_crl_parse(der->data, der->len, out, d);
    if (rc != NV_OK)
      return rc;
  }
  rc = judge_crl(j, *out, base, kept, d);
  if (rc != NV_OK) {
    nv_x509_crl_free(*out);
    *out = NULL;
  } else if (hit != NULL) {
    cache_set_parsed(j->s->cache, hit->id, *out, j->issuer);
  }
  return rc;
}

/* Keep a CRL that served in memory (bytes and parsed form), and
 * (`to_disk`) in the directory. */
static void keep_crl(rev_job *j, const char *url, const nv_buf *der, const nv_x509_crl *crl,
                     bool to_disk)
{
  nv_x509_crl_info info;
  nv_x509_crl_get_info(crl, &info);
  uint64_t id;
  if (j->s->cache != NULL &&
      cache_put(j->s->cache, url, der->data, der->len, info.next_update, &id, NULL) == NV_OK)
    cache_set_parsed(j->s->cache, id, crl, j->issuer);
  if (to_disk)
    disk_write(j->s->cache_dir, url, der, &j->d);
}

/* A CRL that serves (complete, or a delta of `base`): a preloaded one,
 * else from the first of `urls` that gives one, from memory, else from
 * the directory, else downloaded (then kept in both). A kept CRL that
 * does not serve is downloaded anew. */
static nv_status get_crl(rev_job *j, const nv_x509_urls *urls, const nv_x509_crl *base,
                         nv_x509_crl **out, nv_diag *d)
{
  *out = NULL;
  nv_vfy_rev_cache *cache = j->s->cache;
  nv_diag why; /* why the last preloaded CRL did not serve */
  nv_diag_init(&why);
  size_t preloaded = 0;
  for (;; preloaded++) {
    nv_buf der;
    nv_buf_init(&der, NV_LIMIT_CRL_BYTES);
    cache_hit hit;
    bool have = cache_get_preloaded(cache, preloaded, j->issuer, &der, &hit);
    nv_status rc = have ? use_crl(j, &der, &hit, base, out, &why) : NV_E_REVOCATION_UNKNOWN;
    nv_buf_free(&der);
    if (!have)
      break;
    if (rc == NV_OK || rc == NV_E_NOMEM)
      return rc == NV_OK ? rc : nv_diag_set(d, rc, "out of memory");
  }
  if (urls->count == 0)
    return preloaded > 0
               ? nv_diag_set(d, NV_E_REVOCATION_UNKNOWN,
                             "no preloaded CRL serves (the last: %s), and no CRL distribution "
                             "point is named",
                             why.msg)
               : nv_diag_set(d, NV_E_REVOCATION_UNKNOWN, "no CRL distribution point is named");
  for (size_t i = 0; i < urls->count; i++) {
    const char *url = urls->items[i];
    nv_buf body;
    nv_buf_init(&body, NV_LIMIT_CRL_BYTES);
    nv_status rc = NV_E_REVOCATION_UNKNOWN;
    cache_hit hit;
    if (cache_get_url(cache, url, j->now, j->issuer, &body, &hit))
      rc = use_crl(j, &body, &hit, base, out, NULL);
    if (rc != NV_OK) {
      nv_buf_reset(&body);
      if (disk_read(j->s->cache_dir, url, &body) &&
          (rc = use_crl(j, &body, NULL, base, out, NULL)) == NV_OK)
        keep_crl(j, url, &body, *out, false);
    }
    if (rc != NV_OK) {
      nv_buf_reset(&body);
      rc = fetch(j, "GET", url, NULL, NV_LIMIT_CRL_BYTES, crl_timeout(j->s), &body, d);
      if (rc == NV_OK && (rc = use_crl(j, &body, NULL, base, out, d)) == NV_OK)
        keep_crl(j, url, &body, *out, true);
    }
    nv_buf_free(&body);
    if (rc == NV_OK || rc == NV_E_NOMEM)
      return rc;
    nv_diag_wrap(d, NV_OK, "CRL %s: ", nv_quote(url, strlen(url)).s);
  }
  return nv_diag_status(d) == NV_E_NOMEM ? NV_E_NOMEM : NV_E_REVOCATION_UNKNOWN;
}

/* CRL: a complete CRL from the distribution points (or preloaded), its
 * delta when it names one (or the certificate does), then the lookup.
 * *found tells whether a complete CRL served. */
static nv_status check_crl(rev_job *j, const nv_x509_urls *cdp, bool *found, nv_diag *d)
{
  nv_x509_crl *base = NULL, *delta = NULL;
  nv_status rc = get_crl(j, cdp, NULL, &base, d);
  if (found != NULL)
    *found = rc == NV_OK;
  if (rc != NV_OK)
    return rc;
  nv_x509_urls durls, cert_durls;
  memset(&cert_durls, 0, sizeof(cert_durls));
  rc = nv_x509_crl_freshest_urls(base, &durls, d);
  if (rc == NV_OK)
    rc = nv_x509_freshest_crl_urls(j->cert, &cert_durls, d);
  if (rc == NV_OK && (durls.count > 0 || cert_durls.count > 0)) {
    rc = get_crl(j, durls.count > 0 ? &durls : &cert_durls, base, &delta, d);
    if (rc != NV_OK && rc != NV_E_NOMEM)
      rc = nv_diag_wrap(d, NV_E_REVOCATION_UNKNOWN, "no usable delta CRL: ");
  }
  if (rc == NV_OK) {
    rc = nv_x509_crl_check_cert(base, delta, j->cert, j->signing_time, d);
    if (rc == NV_E_REVOCATION_CHECK_ERROR)
      rc = nv_diag_wrap(d, NV_E_REVOCATION_UNKNOWN, "CRL: ");
  }
  nv_x509_urls_free(&durls);
  nv_x509_urls_free(&cert_durls);
  nv_x509_crl_free(base);
  nv_x509_crl_free(delta);
  return rc;
}

static rev_state state_of(nv_status rc)
{
  return rc == NV_OK ? REV_OK : rc == NV_E_CERT_REVOKED ? REV_REVOKED : REV_UNKNOWN;
}

static void *run_job(void *arg)
{
  rev_job *j = arg;
  nv_x509_urls ocsp, cdp;
  nv_status rc = nv_x509_ocsp_urls(j->cert, &ocsp, &j->d);
  if (rc == NV_OK)
    rc = nv_x509_crl_urls(j->cert, &cdp, &j->d);
  else
    memset(&cdp, 0, sizeof(cdp));
  bool preloaded = cache_has_preloaded(j->s->cache);
  if (rc == NV_OK && ocsp.count == 0 && cdp.count == 0) {
    /* no source to ask: a preloaded CRL may still speak for it */
    bool found = false;
    if (preloaded)
      rc = check_crl(j, &cdp, &found, &j->d);
    if (found)
      j->state = state_of(rc);
    else if (ocsp.unusable || cdp.unusable)
      rc = nv_diag_set(&j->d, NV_E_REVOCATION_UNKNOWN,
                       "its %s extension names no OCSP responder or CRL distribution point "
                       "that can be used (malformed, not a URI, or too long)",
                       ocsp.unusable ? "authority information access" : "CRL distribution points");
    else
      j->state = REV_NONREVOKABLE;
  } else if (rc == NV_OK) {
    if (ocsp.count > 0)
      rc = check_ocsp(j, &ocsp, &j->d);
    /* no OCSP answer: the CRL, from a distribution point or preloaded */
    if (ocsp.count == 0 || (rc == NV_E_REVOCATION_UNKNOWN && (cdp.count > 0 || preloaded))) {
      if (ocsp.count > 0)
        nv_log(&j->d, NV_LOG_WARN, "revocation", "%s; falling back to CRL", j->d.msg);
      rc = check_crl(j, &cdp, NULL, &j->d);
    }
    j->state = state_of(rc);
  }
  if (rc == NV_E_NOMEM)
    j->nomem = true;
  nv_x509_urls_free(&ocsp);
  nv_x509_urls_free(&cdp);
  return NULL;
}

nv_status nv_vfy_revocation_check_chain(const nv_vfy_rev_settings *s, X509 *const *chain,
                                        size_t count, int64_t now, int64_t signing_time,
                                        nv_vfy_rev_outcome *out, nv_diag *d)
{
  memset(out, 0, sizeof(*out));
  if (s == NULL || (chain == NULL && count > 0))
    return nv_diag_set(d, NV_E_INVALID_ARG, "no revocation settings or chain");
  size_t n = count > 0 ? count - 1 : 0; /* the root is not checked */
  if (n == 0)
    return NV_OK;
  if (count > REV_MAX_CHAIN)
    return nv_diag_set(d, NV_E_REVOCATION_CHECK_ERROR,
                       "the chain has %zu certificates, more than %d", count, REV_MAX_CHAIN);
  char name[256];
  for (size_t i = 0; i < n; i++)
    if (!nv_x509_is_issued_by(chain[i], chain[i + 1]))
      return nv_diag_set(d, NV_E_REVOCATION_CHECK_ERROR,
                         "unable to check revocation status: %s was not issued by the next "
                         "certificate of the chain",
                         nv_x509_subject(chain[i], name, sizeof(name)));
  rev_job jobs[REV_MAX_CHAIN];
  pthread_t threads[REV_MAX_CHAIN];
  bool started[REV_MAX_CHAIN] = {false};
  for (size_t i = 0; i < n; i++) {
    rev_job *j = &jobs[i];
    memset(j, 0, sizeof(*j));
    j->s = s;
    j->cert = chain[i];
    j->issuer = chain[i + 1];
    j->now = now;
    j->signing_time = signing_time;
    j->state = REV_UNKNOWN;
    nv_diag_init(&j->d);
    if (d != NULL && d->log_cb != NULL) { /* kept for later: see rev_log_line */
      j->d.log_cb = job_log;
      j->d.log_max = d->log_max;
      j->d.log_user_data = j;
    }
  }
  /* A fetch callback runs on the calling thread: one after the other.
   * Otherwise one thread per certificate (inline if a thread cannot be
   * made). */
  for (size_t i = 0; i < n; i++)
    if (s->fetch_cb != NULL || n == 1 || pthread_create(&threads[i], NULL, run_job, &jobs[i]) != 0)
      run_job(&jobs[i]);
    else
      started[i] = true;
  for (size_t i = 0; i < n; i++)
    if (started[i])
      pthread_join(threads[i], NULL);
  nv_status rc = NV_OK;
  size_t revoked = n, unknown = n;
  char names[300] = "";
  for (size_t i = 0; i < n; i++) {
    nv_reg_http_free(jobs[i].http);
    for (size_t k = 0; k < jobs[i].nlog; k++) {
      nv_log(d, jobs[i].log[k].level, jobs[i].log[k].component, "%s", jobs[i].log[k].text);
      free(jobs[i].log[k].text);
    }
    if (jobs[i].nomem)
      rc = NV_E_NOMEM;
    if (jobs[i].state == REV_REVOKED && revoked == n)
      revoked = i;
    if (jobs[i].state == REV_UNKNOWN && unknown == n)
      unknown = i; /* the one nearest the leaf */
    if (jobs[i].state == REV_OK)
      out->checked++;
    if (jobs[i].state == REV_NONREVOKABLE) {
      size_t used = strlen(names);
      snprintf(names + used, sizeof(names) - used, "%s%s",
               out->unchecked ? ", " : "", nv_x509_subject(chain[i], name, sizeof(name)));
      out->unchecked++;
    }
  }
  if (out->unchecked > 0) {
    snprintf(out->warning, sizeof(out->warning),
             "%zu certificate%s below the root name%s no OCSP responder and no CRL distribution "
             "point, so %s not checked for revocation: %s",
             out->unchecked, out->unchecked == 1 ? "" : "s", out->unchecked == 1 ? "s" : "",
             out->unchecked == 1 ? "it was" : "they were", names);
    nv_log(d, NV_LOG_WARN, "revocation", "%s", out->warning);
  }
  if (rc == NV_E_NOMEM)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory checking revocation");
  if (revoked < n)
    return nv_diag_set(d, NV_E_CERT_REVOKED, "signing certificate with subject %s is revoked: %s",
                       nv_x509_subject(chain[revoked], name, sizeof(name)), jobs[revoked].d.msg);
  if (unknown < n)
    return nv_diag_set(d, NV_E_REVOCATION_UNKNOWN,
                       "signing certificate with subject %s revocation status is unknown: %s",
                       nv_x509_subject(chain[unknown], name, sizeof(name)), jobs[unknown].d.msg);
  return NV_OK;
}

nv_status nv_vfy_revocation_check_tsa_chain(void *user, X509 *const *chain, size_t count,
                                            int64_t gen_time, nv_diag *d)
{
  static const nv_vfy_rev_settings defaults = {0};
  const nv_vfy_rev_settings *s = user != NULL ? user : &defaults;
  nv_vfy_rev_outcome o;
  nv_status rc = nv_vfy_revocation_check_chain(s, chain, count, (int64_t)time(NULL), gen_time,
                                               &o, d);
  switch (rc) {
  case NV_OK:
  case NV_E_NOMEM:
    return rc;
  case NV_E_CERT_REVOKED:
    return nv_diag_wrap(d, NV_E_TSA_CERT_REVOKED, "timestamping chain: ");
  case NV_E_REVOCATION_UNKNOWN:
    return nv_diag_wrap(d, NV_E_TSA_REVOCATION_UNKNOWN, "timestamping chain: ");
  default:
    return nv_diag_wrap(d, NV_E_TSA_REVOCATION_CHECK_ERROR, "timestamping chain: ");
  }
}

/* ---- public settings (notaryc/nv_revocation.h) ---- */

#define REV_MAX_TIMEOUT_MS 60000u

NV_API nv_status nv_revocation_set_timeouts(nv_ctx *ctx, uint32_t ocsp_ms, uint32_t crl_ms)
{
  if (ctx == NULL)
    return NV_E_INVALID_ARG;
  nv_diag_clear(&ctx->diag);
  if (ocsp_ms > REV_MAX_TIMEOUT_MS || crl_ms > REV_MAX_TIMEOUT_MS)
    return nv_diag_set(&ctx->diag, NV_E_INVALID_ARG,
                       "nv_revocation_set_timeouts: %u ms / %u ms: at most %u ms each",
                       (unsigned)ocsp_ms, (unsigned)crl_ms, (unsigned)REV_MAX_TIMEOUT_MS);
  ctx->revocation.ocsp_timeout_ms = ocsp_ms; /* 0: the default */
  ctx->revocation.crl_timeout_ms = crl_ms;
  return NV_OK;
}

NV_API nv_status nv_revocation_set_offline(nv_ctx *ctx, int32_t enable)
{
  if (ctx == NULL)
    return NV_E_INVALID_ARG;
  nv_diag_clear(&ctx->diag);
  if (enable != 0 && enable != 1)
    return nv_diag_set(&ctx->diag, NV_E_INVALID_ARG,
                       "nv_revocation_set_offline: enable is %d, not 0 or 1", (int)enable);
  ctx->revocation.offline = enable == 1;
  return NV_OK;
}

NV_API nv_status nv_revocation_preload_crl(nv_ctx *ctx, const uint8_t *der, size_t len)
{
  if (ctx == NULL)
    return NV_E_INVALID_ARG;
  nv_diag_clear(&ctx->diag);
  if (der == NULL)
    return nv_diag_set(&ctx->diag, NV_E_INVALID_ARG, "nv_revocation_preload_crl: no CRL bytes");
  nv_x509_crl *crl = NULL;
  nv_status rc = nv_x509_crl_parse(der, len, &crl, &ctx->diag);
  if (rc != NV_OK)
    return nv_diag_wrap(&ctx->diag, NV_OK, "nv_revocation_preload_crl: ");
  nv_x509_crl_info info;
  nv_x509_crl_get_info(crl, &info);
  nv_x509_crl_free(crl);
  if (!info.has_next_update)
    return nv_diag_set(&ctx->diag, NV_E_REVOCATION_CHECK_ERROR,
                       "nv_revocation_preload_crl: the CRL has no nextUpdate");
  return nv_vfy_rev_cache_put(ctx->revocation.cache, NULL, der, len, info.next_update,
                              &ctx->diag);
}

NV_API nv_status nv_revocation_set_cache_dir(nv_ctx *ctx, const char *dir)
{
  if (ctx == NULL)
    return NV_E_INVALID_ARG;
  nv_diag_clear(&ctx->diag);
  char *copy = NULL;
  if (dir != NULL) {
    struct stat st;
    if (dir[0] == '\0' || strlen(dir) > 3000)
      return nv_diag_set(&ctx->diag, NV_E_INVALID_ARG,
                         "nv_revocation_set_cache_dir: the directory name is empty or too long");
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
      return nv_diag_set(&ctx->diag, NV_E_INVALID_ARG,
                         "nv_revocation_set_cache_dir: %s is not a directory",
                         nv_quote(dir, strlen(dir)).s);
    if ((copy = strdup(dir)) == NULL)
      return nv_diag_set(&ctx->diag, NV_E_NOMEM, "out of memory");
  }
  free(ctx->revocation.cache_dir);
  ctx->revocation.cache_dir = copy;
  return NV_OK;
}
