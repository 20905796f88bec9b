/*
 * The verify layer's revocation check of a chain (nv_vfy_revocation.h)
 * over a fetch callback that serves the CRLs and OCSP responses of
 * tests/unit/x509/data/revocation (made by gen.sh there): OCSP first, CRL
 * fallback (500, time-out, "unknown"), delta CRLs, hold and removeFromCRL,
 * distribution points in order, unusable sources, offline mode,
 * certificates without URLs (a warning), a chain that does not chain;
 * the CRL cache in memory and in a directory, preloaded CRLs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"
#include "test_pem.h"

#include <notaryc/nv_context.h>
#include <notaryc/nv_global.h>
#include <notaryc/nv_registry.h>
#include <notaryc/nv_revocation.h>
#include <dirent.h>
#include <unistd.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_buf.h"
#include "base/nv_limits.h"
#include "verify/nv_vfy_context.h"
#include "verify/nv_vfy_revocation.h"
#include "x509/nv_x509_revocation.h"

#define DATA(name) NV_TEST_DATA "/../../x509/data/revocation/" name

typedef struct fx {
  X509 *ca;
  int64_t now;
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof(*f));
  f->ca = load_cert_file(DATA("ca.crt"));
  nv_buf b = slurp_buf(DATA("base.crl"), NV_LIMIT_CRL_BYTES);
  nv_x509_crl *crl = NULL;
  assert_int_equal(nv_x509_crl_parse(b.data, b.len, &crl, NULL), NV_OK);
  nv_x509_crl_info info;
  nv_x509_crl_get_info(crl, &info);
  f->now = info.this_update + 60; /* the OCSP responses are valid a day */
  nv_x509_crl_free(crl);
  nv_buf_free(&b);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  X509_free(f->ca);
  free(f);
  return 0;
}

typedef struct server {
  const char *ocsp;      /* file served for OCSP requests; NULL: HTTP 500 */
  nv_status ocsp_rc;     /* NV_OK, or what the callback returns (NV_E_TIMEOUT) */
  const char *crl;       /* for .../ca.crl; NULL: 404 */
  const char *crl2;      /* for .../ca2.crl; NULL: 404 */
  const char *delta;     /* for .../delta.crl; NULL: 404 */
  int calls;
  int posts;
} server;

static nv_status serve(const nv_http_request *req, nv_http_response *resp, void *user)
{
  server *sv = user;
  sv->calls++;
  const char *url = nv_http_request_url(req);
  const char *file = NULL;
  if (strcmp(nv_http_request_method(req), "POST") == 0)
    sv->posts++;
  if (strstr(url, "/ocsp") != NULL) {
    if (sv->ocsp_rc != NV_OK)
      return sv->ocsp_rc;
    file = sv->ocsp;
  } else if (strstr(url, "/ca.crl") != NULL) {
    file = sv->crl;
  } else if (strstr(url, "/ca2.crl") != NULL) {
    file = sv->crl2;
  } else if (strstr(url, "/delta.crl") != NULL) {
    file = sv->delta;
  }
  if (file == NULL)
    return nv_http_response_set_status(resp, strstr(url, "/ocsp") ? 500 : 404);
  nv_buf b = slurp_buf(file, NV_LIMIT_CRL_BYTES);
  nv_status rc = nv_http_response_set_status(resp, 200);
  if (rc == NV_OK)
    rc = nv_http_response_append_body(resp, b.data, b.len);
  nv_buf_free(&b);
  return rc;
}

static nv_status chain_check(fx *f, const char *leaf_file, server *sv, bool offline,
                             nv_vfy_rev_outcome *out, nv_diag *d)
{
  X509 *chain[2] = {load_cert_file(leaf_file), f->ca};
  nv_vfy_rev_settings s = {.fetch_cb = serve, .fetch_user = sv, .offline = offline};
  nv_diag_init(d);
  nv_status rc = nv_vfy_revocation_check_chain(&s, chain, 2, f->now, 0, out, d);
  X509_free(chain[0]);
  return rc;
}

static void test_chain_ocsp_first(void **state)
{
  fx *f = *state;
  nv_vfy_rev_outcome out;
  nv_diag d;
  server sv = {.ocsp = DATA("ocsp-good.ocsp")};
  assert_int_equal(chain_check(f, DATA("good.crt"), &sv, false, &out, &d), NV_OK);
  assert_int_equal(sv.calls, 1); /* OCSP answered: no CRL */
  assert_int_equal(sv.posts, 0); /* a short request goes as GET */
  assert_int_equal(out.checked, 1);
  assert_int_equal(out.unchecked, 0);
  /* a delegated responder without nocheck and without a CRL distribution
   * point: its answer is used (with a warning) */
  server dv = {.ocsp = DATA("ocsp-delegated.ocsp")};
  assert_int_equal(chain_check(f, DATA("good.crt"), &dv, false, &out, &d), NV_OK);
  assert_int_equal(dv.calls, 1);
  server rv = {.ocsp = DATA("ocsp-revoked.ocsp"), .crl = DATA("base.crl")};
  assert_int_equal(chain_check(f, DATA("revoked.crt"), &rv, false, &out, &d), NV_E_CERT_REVOKED);
  assert_non_null(strstr(d.msg, "Revoked Leaf"));
  assert_int_equal(rv.calls, 1);
}

static void test_chain_crl_fallback(void **state)
{
  fx *f = *state;
  nv_vfy_rev_outcome out;
  nv_diag d;
  /* OCSP fails (500, time-out) or says unknown: the CRLs decide */
  server sv = {.crl = DATA("base.crl"), .delta = DATA("delta.crl")};
  assert_int_equal(chain_check(f, DATA("good.crt"), &sv, false, &out, &d), NV_OK);
  assert_int_equal(sv.calls, 3); /* OCSP, base, delta */
  server tv = {.ocsp_rc = NV_E_TIMEOUT, .crl = DATA("base.crl"), .delta = DATA("delta.crl")};
  assert_int_equal(chain_check(f, DATA("revoked.crt"), &tv, false, &out, &d), NV_E_CERT_REVOKED);
  server uv = {.ocsp = DATA("ocsp-unknown.ocsp"), .crl = DATA("base.crl"),
               .delta = DATA("delta.crl")};
  assert_int_equal(chain_check(f, DATA("stranger.crt"), &uv, false, &out, &d), NV_OK);
  /* the delta's removeFromCRL lifts the base's hold */
  server hv = {.crl = DATA("base.crl"), .delta = DATA("delta.crl")};
  assert_int_equal(chain_check(f, DATA("unhold.crt"), &hv, false, &out, &d), NV_OK);
  assert_int_equal(chain_check(f, DATA("hold.crt"), &hv, false, &out, &d), NV_E_CERT_REVOKED);
  /* the first distribution point fails, the second serves */
  server second = {.crl2 = DATA("base.crl"), .delta = DATA("delta.crl")};
  assert_int_equal(chain_check(f, DATA("good.crt"), &second, false, &out, &d), NV_OK);
}

static void test_chain_unknown(void **state)
{
  fx *f = *state;
  nv_vfy_rev_outcome out;
  nv_diag d;
  /* nothing answers */
  server none = {0};
  assert_int_equal(chain_check(f, DATA("good.crt"), &none, false, &out, &d),
                   NV_E_REVOCATION_UNKNOWN);
  assert_non_null(strstr(d.msg, "Good Leaf"));
  /* a base CRL whose named delta cannot be had */
  server nodelta = {.crl = DATA("base.crl")};
  assert_int_equal(chain_check(f, DATA("good.crt"), &nodelta, false, &out, &d),
                   NV_E_REVOCATION_UNKNOWN);
  assert_non_null(strstr(d.msg, "delta"));
  /* an expired OCSP answer and a CRL by the wrong key */
  server bad = {.ocsp = DATA("ocsp-good-nonext.ocsp"), .crl = DATA("wrong-key.crl"),
                .crl2 = DATA("expired.crl")};
  assert_int_equal(chain_check(f, DATA("good.crt"), &bad, false, &out, &d),
                   NV_E_REVOCATION_UNKNOWN);
  /* offline: no request at all */
  server sv = {.ocsp = DATA("ocsp-good.ocsp"), .crl = DATA("base.crl")};
  assert_int_equal(chain_check(f, DATA("good.crt"), &sv, true, &out, &d),
                   NV_E_REVOCATION_UNKNOWN);
  assert_int_equal(sv.calls, 0);
}

static void test_chain_no_urls_and_bad_chain(void **state)
{
  fx *f = *state;
  nv_vfy_rev_outcome out;
  nv_diag d;
  server sv = {0};
  assert_int_equal(chain_check(f, DATA("nourl.crt"), &sv, false, &out, &d), NV_OK);
  assert_int_equal(sv.calls, 0);
  assert_int_equal(out.unchecked, 1);
  assert_int_equal(out.checked, 0);
  assert_non_null(strstr(out.warning, "No URL Leaf"));
  /* the root alone: nothing to check */
  nv_vfy_rev_settings s = {.fetch_cb = serve, .fetch_user = &sv};
  assert_int_equal(nv_vfy_revocation_check_chain(&s, &f->ca, 1, f->now, 0, &out, &d), NV_OK);
  /* a chain that does not chain */
  X509 *evil = load_cert_file(DATA("evil-ca.crt"));
  X509 *leaf = load_cert_file(DATA("good.crt"));
  X509 *chain[2] = {leaf, evil};
  assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, f->now, 0, &out, &d),
                   NV_E_REVOCATION_CHECK_ERROR);
  X509_free(evil);
  X509_free(leaf);
}

/* Downloaded CRLs are kept per cache and used until nextUpdate; preloaded
 * CRLs answer offline. */
static void test_crl_cache_and_preload(void **state)
{
  fx *f = *state;
  nv_vfy_rev_cache *cache = NULL;
  assert_int_equal(nv_vfy_rev_cache_new(&cache), NV_OK);
  server sv = {.crl = DATA("base.crl"), .delta = DATA("delta.crl")};
  X509 *leaf = load_cert_file(DATA("good.crt"));
  X509 *chain[2] = {leaf, f->ca};
  nv_vfy_rev_settings s = {.fetch_cb = serve, .fetch_user = &sv, .cache = cache};
  nv_vfy_rev_outcome out;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, f->now, 0, &out, &d), NV_OK);
  assert_int_equal(sv.calls, 3); /* OCSP (500), base, delta */
  assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, f->now, 0, &out, &d), NV_OK);
  assert_int_equal(sv.calls, 4); /* OCSP only: both CRLs from the cache */
  /* past nextUpdate the cached CRLs are not used: fetched again, and
   * expired anyway */
  nv_x509_crl_info info;
  nv_buf b = slurp_buf(DATA("base.crl"), NV_LIMIT_CRL_BYTES);
  nv_x509_crl *crl = NULL;
  assert_int_equal(nv_x509_crl_parse(b.data, b.len, &crl, NULL), NV_OK);
  nv_x509_crl_get_info(crl, &info);
  nv_x509_crl_free(crl);
  assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, info.next_update + 1, 0, &out, &d),
                   NV_E_REVOCATION_UNKNOWN);
  assert_int_equal(sv.calls, 7); /* OCSP, base (expired), the second point (404) */
  nv_vfy_rev_cache_free(cache);

  /* offline with preloaded base and delta: no request */
  assert_int_equal(nv_vfy_rev_cache_new(&cache), NV_OK);
  server off = {0};
  nv_vfy_rev_settings o = {.fetch_cb = serve, .fetch_user = &off, .cache = cache,
                           .offline = true};
  assert_int_equal(nv_vfy_rev_cache_put(cache, NULL, b.data, b.len, info.next_update, NULL),
                   NV_OK);
  /* the base names a delta that is not there */
  assert_int_equal(nv_vfy_revocation_check_chain(&o, chain, 2, f->now, 0, &out, &d),
                   NV_E_REVOCATION_UNKNOWN);
  nv_buf db = slurp_buf(DATA("delta.crl"), NV_LIMIT_CRL_BYTES);
  assert_int_equal(nv_vfy_rev_cache_put(cache, NULL, db.data, db.len, info.next_update, NULL),
                   NV_OK);
  assert_int_equal(nv_vfy_revocation_check_chain(&o, chain, 2, f->now, 0, &out, &d), NV_OK);
  X509 *revoked = load_cert_file(DATA("revoked.crt"));
  chain[0] = revoked;
  assert_int_equal(nv_vfy_revocation_check_chain(&o, chain, 2, f->now, 0, &out, &d),
                   NV_E_CERT_REVOKED);
  assert_int_equal(off.calls, 0);
  /* the same bytes again replace their entry */
  assert_int_equal(nv_vfy_rev_cache_put(cache, NULL, db.data, db.len, info.next_update, NULL),
                   NV_OK);
  X509_free(revoked);
  nv_buf_free(&db);
  nv_buf_free(&b);
  nv_vfy_rev_cache_free(cache);
  X509_free(leaf);
}

/* OCSP answers that gave a status are kept in the cache and checked
 * again at every use: no request while they hold (offline too), a new
 * one once they are stale; failures are not kept. */
static void test_ocsp_cache(void **state)
{
  fx *f = *state;
  nv_vfy_rev_cache *cache = NULL;
  assert_int_equal(nv_vfy_rev_cache_new(&cache), NV_OK);
  server sv = {.ocsp = DATA("ocsp-good.ocsp")};
  X509 *leaf = load_cert_file(DATA("good.crt"));
  X509 *chain[2] = {leaf, f->ca};
  nv_vfy_rev_settings s = {.fetch_cb = serve, .fetch_user = &sv, .cache = cache};
  nv_vfy_rev_outcome out;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, f->now, 0, &out, &d), NV_OK);
  assert_int_equal(sv.calls, 1);
  assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, f->now + 3600, 0, &out, &d),
                   NV_OK);
  assert_int_equal(sv.calls, 1); /* from the cache */
  s.offline = true;
  assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, f->now, 0, &out, &d), NV_OK);
  s.offline = false;
  /* a day and more later the answer is stale: asked again, and the
   * responder's answer (the same file) is stale too */
  assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, f->now + 2 * 86400, 0, &out, &d),
                   NV_E_REVOCATION_UNKNOWN);
  assert_int_equal(sv.calls, 4); /* OCSP, then the two distribution points (404) */
  /* a revoked answer is kept as well */
  server rv = {.ocsp = DATA("ocsp-revoked.ocsp")};
  s.fetch_user = &rv;
  X509 *revoked = load_cert_file(DATA("revoked.crt"));
  chain[0] = revoked;
  assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, f->now, 0, &out, &d),
                   NV_E_CERT_REVOKED);
  assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, f->now, 0, &out, &d),
                   NV_E_CERT_REVOKED);
  assert_non_null(strstr(d.msg, "revoked"));
  assert_int_equal(rv.calls, 1);
  /* an "unknown" answer is not kept */
  server uv = {.ocsp = DATA("ocsp-unknown.ocsp")};
  s.fetch_user = &uv;
  X509 *stranger = load_cert_file(DATA("stranger.crt"));
  chain[0] = stranger;
  for (int i = 0; i < 2; i++)
    assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, f->now, 0, &out, &d),
                     NV_E_REVOCATION_UNKNOWN);
  assert_int_equal(uv.calls, 6); /* OCSP and two 404 distribution points, twice */
  X509_free(stranger);
  X509_free(revoked);
  X509_free(leaf);
  nv_vfy_rev_cache_free(cache);
}

/* The on-disk cache: a second context reads the CRLs the first wrote,
 * offline; a damaged file is not used. */
static void test_crl_cache_dir(void **state)
{
  fx *f = *state;
  char dir[] = "/tmp/nv-crl-cache-XXXXXX";
  assert_non_null(mkdtemp(dir));
  nv_ctx *ctx = NULL;
  assert_int_equal(nv_ctx_new(&ctx), NV_OK);
  assert_int_equal(nv_revocation_set_cache_dir(ctx, dir), NV_OK);
  assert_int_equal(nv_revocation_set_cache_dir(ctx, "/nonexistent/dir"), NV_E_INVALID_ARG);
  assert_non_null(ctx->revocation.cache_dir); /* the previous one stays */
  server sv = {.crl = DATA("base.crl"), .delta = DATA("delta.crl")};
  ctx->revocation.fetch_cb = serve;
  ctx->revocation.fetch_user = &sv;
  X509 *leaf = load_cert_file(DATA("revoked.crt"));
  X509 *chain[2] = {leaf, f->ca};
  nv_vfy_rev_outcome out;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(
    nv_vfy_revocation_check_chain(&ctx->revocation, chain, 2, f->now, 0, &out, &d),
    NV_E_CERT_REVOKED);
  assert_int_equal(sv.calls, 3);
  nv_ctx_free(ctx);
  /* a new context, offline, same directory */
  assert_int_equal(nv_ctx_new(&ctx), NV_OK);
  assert_int_equal(nv_revocation_set_cache_dir(ctx, dir), NV_OK);
  assert_int_equal(nv_revocation_set_offline(ctx, 1), NV_OK);
  ctx->revocation.fetch_cb = serve;
  ctx->revocation.fetch_user = &sv;
  assert_int_equal(
    nv_vfy_revocation_check_chain(&ctx->revocation, chain, 2, f->now, 0, &out, &d),
    NV_E_CERT_REVOKED);
  assert_int_equal(sv.calls, 3);
  /* damage every file: not used, so unknown offline */
  nv_ctx_free(ctx);
  DIR *dh = opendir(dir);
  struct dirent *de;
  int files = 0;
  while ((de = readdir(dh)) != NULL) {
    if (strncmp(de->d_name, "crl-", 4) != 0)
      continue;
    assert_null(strstr(de->d_name, "tmp")); /* no temporary left behind */
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
    FILE *fh = fopen(path, "r+b");
    assert_non_null(fh);
    fseek(fh, 40, SEEK_SET);
    fputc(0x55, fh);
    fclose(fh);
    files++;
  }
  closedir(dh);
  assert_int_equal(files, 2);
  assert_int_equal(nv_ctx_new(&ctx), NV_OK);
  assert_int_equal(nv_revocation_set_cache_dir(ctx, dir), NV_OK);
  assert_int_equal(nv_revocation_set_offline(ctx, 1), NV_OK);
  assert_int_equal(
    nv_vfy_revocation_check_chain(&ctx->revocation, chain, 2, f->now, 0, &out, &d),
    NV_E_REVOCATION_UNKNOWN);
  nv_ctx_free(ctx);
  X509_free(leaf);
  dh = opendir(dir);
  while ((de = readdir(dh)) != NULL) {
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
    if (de->d_name[0] != '.')
      unlink(path);
  }
  closedir(dh);
  rmdir(dir);
}

/* Preloaded CRLs answer for a certificate that names only an OCSP
 * responder when OCSP gives no answer, and only a CRL whose scope takes
 * the certificate in counts (gen_idp.sh: both leaves revoked in every
 * CRL; the leaf names the points idp-a and idp-b, idp-match.crl names
 * idp-b, idp-other.crl another point). */
static void test_preloaded_crl_scope(void **state)
{
  (void)state;
  X509 *ca = load_cert_file(DATA("idp-ca.crt"));
  X509 *ocsponly = load_cert_file(DATA("idp-ocsponly.crt"));
  X509 *leaf = load_cert_file(DATA("idp-leaf.crt"));
  nv_buf full = slurp_buf(DATA("idp-full.crl"), NV_LIMIT_CRL_BYTES);
  nv_buf match = slurp_buf(DATA("idp-match.crl"), NV_LIMIT_CRL_BYTES);
  nv_buf other = slurp_buf(DATA("idp-other.crl"), NV_LIMIT_CRL_BYTES);
  nv_x509_crl *crl = NULL;
  assert_int_equal(nv_x509_crl_parse(full.data, full.len, &crl, NULL), NV_OK);
  nv_x509_crl_info info;
  nv_x509_crl_get_info(crl, &info);
  nv_x509_crl_free(crl);
  int64_t now = info.this_update + 60;
  X509 *chain[2] = {ocsponly, ca};
  nv_vfy_rev_outcome out;
  nv_diag d;
  nv_diag_init(&d);
  server sv = {0}; /* OCSP: HTTP 500; no CRL anywhere */

  /* offline, nothing preloaded: unknown, the message says why */
  nv_ctx *ctx = NULL;
  assert_int_equal(nv_ctx_new(&ctx), NV_OK);
  assert_int_equal(nv_revocation_set_offline(ctx, 1), NV_OK);
  assert_int_equal(
    nv_vfy_revocation_check_chain(&ctx->revocation, chain, 2, now, 0, &out, &d),
    NV_E_REVOCATION_UNKNOWN);
  /* a preloaded CRL whose point the certificate does not name: unknown */
  assert_int_equal(nv_revocation_preload_crl(ctx, other.data, other.len), NV_OK);
  assert_int_equal(nv_revocation_preload_crl(ctx, match.data, match.len), NV_OK);
  assert_int_equal(
    nv_vfy_revocation_check_chain(&ctx->revocation, chain, 2, now, 0, &out, &d),
    NV_E_REVOCATION_UNKNOWN);
  assert_non_null(strstr(d.msg, "no preloaded CRL"));
  /* the leaf naming idp-b: idp-match.crl (after idp-other.crl, which does
   * not cover it) decides, offline */
  chain[0] = leaf;
  assert_int_equal(
    nv_vfy_revocation_check_chain(&ctx->revocation, chain, 2, now, 0, &out, &d),
    NV_E_CERT_REVOKED);
  /* a complete CRL without a scope: the OCSP-only certificate is revoked */
  assert_int_equal(nv_revocation_preload_crl(ctx, full.data, full.len), NV_OK);
  chain[0] = ocsponly;
  assert_int_equal(
    nv_vfy_revocation_check_chain(&ctx->revocation, chain, 2, now, 0, &out, &d),
    NV_E_CERT_REVOKED);
  assert_non_null(strstr(d.msg, "OCSP Only Leaf"));
  /* online too, when the responder fails */
  assert_int_equal(nv_revocation_set_offline(ctx, 0), NV_OK);
  ctx->revocation.fetch_cb = serve;
  ctx->revocation.fetch_user = &sv;
  assert_int_equal(
    nv_vfy_revocation_check_chain(&ctx->revocation, chain, 2, now, 0, &out, &d),
    NV_E_CERT_REVOKED);
  assert_int_equal(sv.calls, 1); /* the OCSP request only */
  /* a certificate naming nothing: a preloaded CRL that covers it speaks
   * for it (idp-full.crl revokes it); one that does not cover it leaves
   * it unchecked, with the warning */
  X509 *nourl = load_cert_file(DATA("idp-nourl.crt"));
  chain[0] = nourl;
  assert_int_equal(
    nv_vfy_revocation_check_chain(&ctx->revocation, chain, 2, now, 0, &out, &d),
    NV_E_CERT_REVOKED);
  assert_int_equal(sv.calls, 1);
  nv_ctx_free(ctx);
  assert_int_equal(nv_ctx_new(&ctx), NV_OK);
  assert_int_equal(nv_revocation_preload_crl(ctx, match.data, match.len), NV_OK);
  assert_int_equal(
    nv_vfy_revocation_check_chain(&ctx->revocation, chain, 2, now, 0, &out, &d), NV_OK);
  assert_int_equal(out.unchecked, 1);
  assert_non_null(strstr(out.warning, "IDP No URL Leaf"));
  /* a distribution point named only by a directory name cannot be asked:
   * unknown, not unchecked; a preloaded CRL covering it answers */
  X509 *dirdp = load_cert_file(DATA("idp-dirdp.crt"));
  chain[0] = dirdp;
  assert_int_equal(
    nv_vfy_revocation_check_chain(&ctx->revocation, chain, 2, now, 0, &out, &d),
    NV_E_REVOCATION_UNKNOWN);
  assert_non_null(strstr(d.msg, "CRL distribution points extension"));
  assert_int_equal(nv_revocation_preload_crl(ctx, full.data, full.len), NV_OK);
  assert_int_equal(
    nv_vfy_revocation_check_chain(&ctx->revocation, chain, 2, now, 0, &out, &d),
    NV_E_CERT_REVOKED);
  X509_free(dirdp);
  X509_free(nourl);
  nv_ctx_free(ctx);
  nv_buf_free(&full);
  nv_buf_free(&match);
  nv_buf_free(&other);
  X509_free(leaf);
  X509_free(ocsponly);
  X509_free(ca);
}

/* A CRL kept in memory that does not serve (here: one by another key
 * under the URL) is downloaded anew rather than leaving the status
 * unknown until its nextUpdate. */
static void test_cached_crl_that_fails_is_fetched(void **state)
{
  fx *f = *state;
  nv_vfy_rev_cache *cache = NULL;
  assert_int_equal(nv_vfy_rev_cache_new(&cache), NV_OK);
  bytes bad = slurp_path(DATA("wrong-key.crl"));
  assert_int_equal(nv_vfy_rev_cache_put(cache, "http://127.0.0.1:1/ca.crl", bad.data, bad.len,
                                        INT64_MAX, NULL),
                   NV_OK);
  server sv = {.crl = DATA("base.crl"), .delta = DATA("delta.crl")};
  X509 *leaf = load_cert_file(DATA("revoked.crt"));
  X509 *chain[2] = {leaf, f->ca};
  nv_vfy_rev_settings s = {.fetch_cb = serve, .fetch_user = &sv, .cache = cache};
  nv_vfy_rev_outcome out;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, f->now, 0, &out, &d),
                   NV_E_CERT_REVOKED);
  assert_int_equal(sv.calls, 3); /* OCSP (500), ca.crl anew, delta */
  /* and the good one replaced the bad one */
  assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, f->now, 0, &out, &d),
                   NV_E_CERT_REVOKED);
  assert_int_equal(sv.calls, 4);
  X509_free(leaf);
  bytes_free(&bad);
  nv_vfy_rev_cache_free(cache);
}

/* A FIFO planted in the cache directory under a CRL's name is not
 * waited on: the file is skipped (not a regular file). */
static void test_cache_dir_fifo(void **state)
{
  fx *f = *state;
  char dir[512];
  tmp_dir_new(dir, sizeof(dir), "nv-crl-fifo");
  static const char url[] = "http://127.0.0.1:1/ca.crl";
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256((const unsigned char *)url, strlen(url), md);
  char path[700];
  int n = snprintf(path, sizeof(path), "%s/crl-", dir);
  for (size_t i = 0; i < sizeof(md); i++)
    n += snprintf(path + n, sizeof(path) - (size_t)n, "%02x", md[i]);
  assert_int_equal(mkfifo(path, 0600), 0);
  server sv = {.crl = DATA("base.crl"), .delta = DATA("delta.crl")};
  X509 *leaf = load_cert_file(DATA("good.crt"));
  X509 *chain[2] = {leaf, f->ca};
  nv_vfy_rev_settings s = {.fetch_cb = serve, .fetch_user = &sv, .cache_dir = dir};
  nv_vfy_rev_outcome out;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_vfy_revocation_check_chain(&s, chain, 2, f->now, 0, &out, &d), NV_OK);
  assert_int_equal(sv.calls, 3); /* downloaded (the file then takes the FIFO's place) */
  X509_free(leaf);
  rm_tree(dir);
}

/* The TSA-chain form maps the codes (and checks at the current time: the
 * offline switch keeps it off the network). */
static void test_tsa_chain_codes(void **state)
{
  fx *f = *state;
  server sv = {0};
  nv_vfy_rev_settings s = {.fetch_cb = serve, .fetch_user = &sv, .offline = true};
  X509 *leaf = load_cert_file(DATA("good.crt"));
  X509 *chain[2] = {leaf, f->ca};
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_vfy_revocation_check_tsa_chain(&s, chain, 2, 0, &d),
                   NV_E_TSA_REVOCATION_UNKNOWN);
  assert_non_null(strstr(d.msg, "timestamping chain: "));
  X509 *evil = load_cert_file(DATA("evil-ca.crt"));
  chain[1] = evil;
  assert_int_equal(nv_vfy_revocation_check_tsa_chain(&s, chain, 2, 0, &d),
                   NV_E_TSA_REVOCATION_CHECK_ERROR);
  X509 *nourl = load_cert_file(DATA("nourl.crt"));
  chain[0] = nourl;
  chain[1] = f->ca;
  assert_int_equal(nv_vfy_revocation_check_tsa_chain(&s, chain, 2, 0, &d), NV_OK);
  X509_free(nourl);
  X509_free(evil);
  X509_free(leaf);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_chain_ocsp_first, setup, teardown),
    cmocka_unit_test_setup_teardown(test_chain_crl_fallback, setup, teardown),
    cmocka_unit_test_setup_teardown(test_chain_unknown, setup, teardown),
    cmocka_unit_test_setup_teardown(test_chain_no_urls_and_bad_chain, setup, teardown),
    cmocka_unit_test_setup_teardown(test_tsa_chain_codes, setup, teardown),
    cmocka_unit_test_setup_teardown(test_crl_cache_and_preload, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ocsp_cache, setup, teardown),
    cmocka_unit_test_setup_teardown(test_crl_cache_dir, setup, teardown),
    cmocka_unit_test_setup_teardown(test_preloaded_crl_scope, setup, teardown),
    cmocka_unit_test_setup_teardown(test_cached_crl_that_fails_is_fetched, setup, teardown),
    cmocka_unit_test_setup_teardown(test_cache_dir_fifo, setup, teardown),
  };
  if (nv_global_init(NV_INIT_DEFAULT) != NV_OK)
    return 1;
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  nv_global_cleanup();
  return rc;
}
