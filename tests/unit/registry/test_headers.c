/* URLs, WWW-Authenticate, Link, media types, lists and error bodies
 * (registry layer). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/nv_reg_headers.h"

/* ---- URLs ---- */

static void url_parse(void **state)
{
  (void)state;
  nv_reg_url u;
  assert_int_equal(nv_reg_url_parse("https://Reg.Example/v2/a?x=1#frag", &u, NULL), NV_OK);
  assert_true(u.https);
  assert_string_equal(u.host, "reg.example");
  assert_int_equal(u.port, 443);
  assert_string_equal(u.path, "/v2/a?x=1");
  nv_reg_url_free(&u);

  assert_int_equal(nv_reg_url_parse("HTTP://127.0.0.1:5000", &u, NULL), NV_OK);
  assert_false(u.https);
  assert_int_equal(u.port, 5000);
  assert_string_equal(u.path, "/");
  nv_reg_url_free(&u);

  assert_int_equal(nv_reg_url_parse("http://[::1]:8080?q", &u, NULL), NV_OK);
  assert_string_equal(u.host, "[::1]");
  assert_string_equal(u.path, "/?q");
  nv_reg_url_free(&u);

  static const char *const bad[] = {
    "ftp://reg.example/x",       "file:///etc/passwd",         "https://user:pw@reg.example/",
    "https://@reg.example/",     "https:///path",              "https://reg.example:0/",
    "https://reg.example:70000/", "https://reg.example:/",     "https://reg ex/",
    "https://reg.example/a b",   "https://[::1/x",             "https://[zz]/",
    "https://reg.example/\x7f",  "//reg.example/x",            "reg.example/x",
    "https://reg$.example/",     "",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    nv_diag d;
    nv_diag_init(&d);
    if (nv_reg_url_parse(bad[i], &u, &d) != NV_E_REGISTRY_PROTOCOL)
      fail_msg("accepted \"%s\"", bad[i]);
  }
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_reg_url_parse("https://u:secret@reg.example/", &u, &d),
                   NV_E_REGISTRY_PROTOCOL);
  assert_non_null(strstr(d.msg, "user information"));
  assert_null(strstr(d.msg, "secret"));
}

static void url_resolve(void **state)
{
  (void)state;
  const char *base = "https://reg.example/v2/app/referrers/sha256:ab?artifactType=x";
  static const char *const cases[][2] = {
    {"/v2/app/referrers/sha256:ab?n=2&last=c", "https://reg.example/v2/app/referrers/sha256:ab?n=2&last=c"},
    {"?last=c", "https://reg.example/v2/app/referrers/sha256:ab?last=c"},
    {"./sha256:cd?x", "https://reg.example/v2/app/referrers/sha256:cd?x"},
    {"../manifests/t", "https://reg.example/v2/app/manifests/t"},
    {"./x/./y/../z", "https://reg.example/v2/app/referrers/x/z"},
    {"/a/b/../../../../c", "https://reg.example/c"},
    {"//other.example:8443/p", "https://other.example:8443/p"},
    {"http://other.example/p#frag", "http://other.example/p"},
    {"https://reg.example:443/x/./y", "https://reg.example/x/y"},
    {"", "https://reg.example/v2/app/referrers/sha256:ab?artifactType=x"},
    {"#only", "https://reg.example/v2/app/referrers/sha256:ab?artifactType=x"},
    {"/v2/a/../b/.", "https://reg.example/v2/b/"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *out = NULL;
    nv_diag d;
    nv_diag_init(&d);
    if (nv_reg_url_resolve(base, cases[i][0], &out, &d) != NV_OK)
      fail_msg("\"%s\": %s", cases[i][0], d.msg);
    if (strcmp(out, cases[i][1]) != 0)
      fail_msg("\"%s\" resolved to \"%s\", expected \"%s\"", cases[i][0], out, cases[i][1]);
    free(out);
  }
  char *out = NULL;
  assert_int_equal(nv_reg_url_resolve(base, "https://u:p@evil.example/", &out, NULL),
                   NV_E_REGISTRY_PROTOCOL);
  assert_null(out);
  assert_int_equal(nv_reg_url_resolve(base, "javascript:alert(1)", &out, NULL),
                   NV_E_REGISTRY_PROTOCOL);
  /* a first segment with ':' is a scheme (RFC 3986 4.2) */
  assert_int_equal(nv_reg_url_resolve(base, "sha256:cd", &out, NULL), NV_E_REGISTRY_PROTOCOL);
  assert_int_equal(nv_reg_url_resolve(base, "/a b", &out, NULL), NV_E_REGISTRY_PROTOCOL);
  assert_int_equal(nv_reg_url_resolve("not a url", "/x", &out, NULL), NV_E_REGISTRY_PROTOCOL);
}

static void url_origin_and_escape(void **state)
{
  (void)state;
  assert_true(nv_reg_url_same_origin("https://Reg.example/a", "https://reg.example:443/b?c"));
  assert_true(nv_reg_url_same_origin("http://reg.example:80/", "http://reg.example/x"));
  assert_false(nv_reg_url_same_origin("https://reg.example/", "http://reg.example/"));
  assert_false(nv_reg_url_same_origin("https://reg.example/", "https://reg.example:444/"));
  assert_false(nv_reg_url_same_origin("https://reg.example/", "https://cdn.example/"));
  assert_false(nv_reg_url_same_origin("https://reg.example/", "bogus"));

  nv_buf b;
  nv_buf_init(&b, 1024);
  assert_int_equal(nv_reg_url_escape(&b, "repository:a/b:pull,push a~b_c.d-e", NULL), NV_OK);
  assert_int_equal(nv_buf_terminate(&b, NULL), NV_OK);
  assert_string_equal((char *)b.data, "repository%3Aa%2Fb%3Apull%2Cpush%20a~b_c.d-e");
  nv_buf_free(&b);
}

/* ---- WWW-Authenticate ---- */

static void challenges_good(void **state)
{
  (void)state;
  nv_reg_challenges c;
  nv_reg_challenges_init(&c);
  assert_int_equal(nv_reg_challenges_parse(
                       "Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
                       "scope=\"repository:a/b:pull,push\"",
                       &c, NULL),
                   NV_OK);
  assert_int_equal(c.count, 1);
  assert_string_equal(c.items[0].scheme, "Bearer");
  assert_string_equal(c.items[0].realm, "https://auth.example/token");
  assert_string_equal(c.items[0].service, "registry.example");
  assert_string_equal(c.items[0].scope, "repository:a/b:pull,push");
  assert_null(c.items[0].error);
  nv_reg_challenges_free(&c);

  /* several challenges in one value, odd spacing, token values, escapes,
   * unknown parameters and case */
  nv_reg_challenges_init(&c);
  assert_int_equal(nv_reg_challenges_parse(
                       "Basic realm=\"Registry \\\"x\\\"\" , Newauth realm=apps, type=1, "
                       "title=\"Login to \\\"apps\\\"\",bearer REALM = \"r\" ,Error=insufficient_scope",
                       &c, NULL),
                   NV_OK);
  assert_int_equal(c.count, 3);
  assert_string_equal(c.items[0].scheme, "Basic");
  assert_string_equal(c.items[0].realm, "Registry \"x\"");
  assert_string_equal(c.items[1].scheme, "Newauth");
  assert_string_equal(c.items[1].realm, "apps");
  assert_string_equal(c.items[2].scheme, "bearer");
  assert_string_equal(c.items[2].realm, "r");
  assert_string_equal(c.items[2].error, "insufficient_scope");
  assert_ptr_equal(nv_reg_challenges_find(&c, "BEARER"), &c.items[2]);
  assert_null(nv_reg_challenges_find(&c, "Digest"));
  /* a second header value appends */
  assert_int_equal(nv_reg_challenges_parse("Negotiate abc+/==, NTLM", &c, NULL), NV_OK);
  assert_int_equal(c.count, 5);
  assert_string_equal(c.items[3].scheme, "Negotiate");
  assert_string_equal(c.items[4].scheme, "NTLM");
  nv_reg_challenges_free(&c);

  /* a bare scheme, empty elements, a token68 with padding */
  nv_reg_challenges_init(&c);
  assert_int_equal(nv_reg_challenges_parse(" ,Basic,, Bearer ,Other abc=", &c, NULL), NV_OK);
  assert_int_equal(c.count, 3);
  assert_string_equal(c.items[2].scheme, "Other");
  nv_reg_challenges_free(&c);

  nv_reg_challenges_init(&c);
  assert_int_equal(nv_reg_challenges_parse("", &c, NULL), NV_OK);
  assert_int_equal(c.count, 0);
  nv_reg_challenges_free(&c);
}

static void challenges_bad(void **state)
{
  (void)state;
  static const char *const bad[] = {
    "Bearer realm=\"unterminated",
    "Bearer realm=\"a\" service=\"b\"",       /* no comma between parameters */
    "Bearer realm=\"a\",realm=\"b\"",        /* repeated parameter */
    "Bearer realm=\"a\", service=",            /* a parameter without a value */
    "Bearer realm=\"a\x01\"",                 /* control character */
    "=x",                                     /* no scheme */
    "Bearer=realm",
    "Bearer realm=@",
    "A,B,C,D,E,F,G,H,I",                      /* more than 8 challenges */
    "Bearer abc def",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    nv_reg_challenges c;
    nv_reg_challenges_init(&c);
    nv_diag d;
    nv_diag_init(&d);
    nv_status rc = nv_reg_challenges_parse(bad[i], &c, &d);
    nv_reg_challenges_free(&c);
    if (rc != NV_E_REGISTRY_PROTOCOL)
      fail_msg("\"%s\" gave %d", bad[i], (int)rc);
    assert_non_null(strstr(d.msg, "WWW-Authenticate"));
  }
}

/* ---- Link ---- */

static void link_next(void **state)
{
  (void)state;
  static const char *const cases[][2] = {
    {"</v2/a/referrers/sha256:x?n=1&last=b>; rel=\"next\"", "/v2/a/referrers/sha256:x?n=1&last=b"},
    {"<https://r.example/p2>;rel=next", "https://r.example/p2"},
    {"<a>; rel=\"prev\", <b>; rel=\"next\"", "b"},
    {"<a>; rel=\"prev\"\t,\t<b> ; title=\"x, y; z\" ; rel=\"last NEXT\"", "b"},
    {"<a>; rel=\"next\", <b>; rel=\"next\"", "a"},
    {"<c>; crossorigin; rel=next", "c"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *out = NULL;
    nv_diag d;
    nv_diag_init(&d);
    if (nv_reg_link_next(cases[i][0], &out, &d) != NV_OK)
      fail_msg("\"%s\": %s", cases[i][0], d.msg);
    assert_non_null(out);
    assert_string_equal(out, cases[i][1]);
    free(out);
  }
  char *out = (char *)1;
  assert_int_equal(nv_reg_link_next("<a>; rel=\"prev\"", &out, NULL), NV_OK);
  assert_null(out);
  assert_int_equal(nv_reg_link_next("", &out, NULL), NV_OK);
  assert_null(out);
  assert_int_equal(nv_reg_link_next("<a>; rel=\"nextpage\"", &out, NULL), NV_OK);
  assert_null(out);

  static const char *const bad[] = {
    "a; rel=next", "<a; rel=next", "<a b>; rel=next", "<a> rel=next", "<a>; =x",
    "<a>; rel=", "<a>; rel=\"next", "<a>; rel=next <b>",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    out = NULL;
    if (nv_reg_link_next(bad[i], &out, NULL) != NV_E_REGISTRY_PROTOCOL)
      fail_msg("accepted \"%s\"", bad[i]);
    assert_null(out);
  }
}

/* ---- media types, lists, error bodies ---- */

static void media_types_lists(void **state)
{
  (void)state;
  char mt[64];
  nv_reg_media_type(" Application/VND.OCI.image.index.v1+json ; charset=utf-8", mt, sizeof(mt));
  assert_string_equal(mt, "application/vnd.oci.image.index.v1+json");
  nv_reg_media_type(NULL, mt, sizeof(mt));
  assert_string_equal(mt, "");
  nv_reg_media_type("text/plain", mt, 5);
  assert_string_equal(mt, "text");

  assert_true(nv_reg_list_has("artifactType", "artifactType"));
  assert_true(nv_reg_list_has(" annotation , artifactType ", "artifactType"));
  assert_false(nv_reg_list_has("artifactTypes", "artifactType"));
  assert_false(nv_reg_list_has("", "artifactType"));
  assert_false(nv_reg_list_has(NULL, "artifactType"));
}

static void error_bodies(void **state)
{
  (void)state;
  char code[32], msg[32];
  const char *body = "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name "
                     "not known to registry\",\"detail\":{}}]}";
  nv_reg_error_body(body, strlen(body), code, sizeof(code), msg, sizeof(msg));
  assert_string_equal(code, "NAME_UNKNOWN");
  assert_string_equal(msg, "repository name not known to re"); /* cut to 31 */
  const char *odd = "{\"errors\":[{\"code\":\"A\\u0001\\\"B\"}]}";
  nv_reg_error_body(odd, strlen(odd), code, sizeof(code), msg, sizeof(msg));
  assert_string_equal(code, "A??B");
  assert_string_equal(msg, "");
  nv_reg_error_body("404 page not found", 18, code, sizeof(code), msg, sizeof(msg));
  assert_string_equal(code, "");
  nv_reg_error_body(NULL, 0, code, sizeof(code), msg, sizeof(msg));
  assert_string_equal(code, "");
  nv_reg_error_body("{\"errors\":[]}", 13, code, sizeof(code), msg, sizeof(msg));
  assert_string_equal(code, "");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(url_parse),          cmocka_unit_test(url_resolve),
    cmocka_unit_test(url_origin_and_escape), cmocka_unit_test(challenges_good),
    cmocka_unit_test(challenges_bad),     cmocka_unit_test(link_next),
    cmocka_unit_test(media_types_lists),  cmocka_unit_test(error_bodies),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
