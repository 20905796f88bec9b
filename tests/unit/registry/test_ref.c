/* Registry references: the strict grammar, table driven (registry layer). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/nv_reg_ref.h"

#define D64 "sha256:f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268"

typedef struct good_case {
  const char *ref;
  const char *registry;
  const char *repository;
  const char *tag;
  const char *digest;
} good_case;

static const good_case good[] = {
  {"registry.example/app:v1", "registry.example", "app", "v1", NULL},
  {"registry.example/app@" D64, "registry.example", "app", NULL, D64},
  {"registry.example/app:v1@" D64, "registry.example", "app", "v1", D64},
  {"localhost/app:1", "localhost", "app", "1", NULL},
  {"localhost:5000/team/app:latest", "localhost:5000", "team/app", "latest", NULL},
  {"127.0.0.1:5000/demo/app:v1", "127.0.0.1:5000", "demo/app", "v1", NULL},
  {"[::1]:5000/app:v1", "[::1]:5000", "app", "v1", NULL},
  {"[fe80::1]/app:v1", "[fe80::1]", "app", "v1", NULL},
  {"docker.io/library/alpine:3.19", "docker.io", "library/alpine", "3.19", NULL},
  {"Registry.Example/app:V_1.x-y", "Registry.Example", "app", "V_1.x-y", NULL},
  {"my-registry.example.com:443/a/b/c:_t", "my-registry.example.com:443", "a/b/c", "_t", NULL},
  {"r.example/a.b_c__d---e/f:t", "r.example", "a.b_c__d---e/f", "t", NULL},
  {"r.example/app:" /* 128-character tag */
   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
   "r.example", "app",
   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
   NULL},
};

typedef struct bad_case {
  const char *ref;
  const char *message; /* a part of the error message */
} bad_case;

static const bad_case bad[] = {
  {"", "empty reference"},
  {"alpine", "Docker Hub short names are not expanded"},
  {"alpine:3.19", "e.g. \"docker.io/library/alpine:3.19\""},
  {"library/alpine:3.19", "e.g. \"docker.io/library/alpine:3.19\""},
  {"myorg/app@" D64, "does not start with a registry host"},
  {"registry.example/app", "names no tag or digest"},
  {"registry.example/App:v1", "invalid repository"},
  {"registry.example/app/:v1", "invalid repository"},
  {"registry.example//app:v1", "invalid repository"},
  {"registry.example/-app:v1", "invalid repository"},
  {"registry.example/app-:v1", "invalid repository"},
  {"registry.example/a..b:v1", "invalid repository"},
  {"registry.example/a___b:v1", "invalid repository"},
  {"registry.example/app:", "invalid tag"},
  {"registry.example/app:.v1", "invalid tag"},
  {"registry.example/app:v1:v2", "invalid repository"},
  {"registry.example/app:" /* 129 characters */
   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
   "invalid tag"},
  {"registry.example/app@sha256:abc", "reference"},
  {"registry.example/app@md5:0123456789abcdef0123456789abcdef", "reference"},
  {"registry.example/app@SHA256:f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268",
   "reference"},
  {"registry.example/app@" D64 "@" D64, "more than one '@'"},
  {"registry example/app:v1", "space"},
  {"registry.example/app:v1\n", "control"},
  {"registry.\xc3\xa9xample/app:v1", "non-ASCII"},
  {"-registry.example/app:v1", "invalid registry"},
  {"registry-.example/app:v1", "invalid registry"},
  {"registry..example/app:v1", "invalid registry"},
  {"registry.example:0/app:v1", "invalid registry"},
  {"registry.example:65536/app:v1", "invalid registry"},
  {"registry.example:/app:v1", "invalid registry"},
  {"registry.example:80a/app:v1", "invalid registry"},
  {"[::1/app:v1", "invalid registry"},
  {"[zz::1]:5000/app:v1", "invalid registry"},
  {"[]:5000/app:v1", "invalid registry"},
  {"user@registry.example/app:v1", "reference"},
};

static void good_references(void **state)
{
  (void)state;
  for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
    nv_reg_ref r;
    nv_diag d;
    nv_diag_init(&d);
    nv_status rc = nv_reg_ref_parse(good[i].ref, &r, &d);
    if (rc != NV_OK)
      fail_msg("%s: %s", good[i].ref, d.msg);
    assert_string_equal(r.registry, good[i].registry);
    assert_string_equal(r.repository, good[i].repository);
    if (good[i].tag == NULL)
      assert_null(r.tag);
    else
      assert_string_equal(r.tag, good[i].tag);
    if (good[i].digest == NULL)
      assert_null(r.digest);
    else
      assert_string_equal(r.digest, good[i].digest);
    nv_reg_ref_free(&r);
  }
}

static void bad_references(void **state)
{
  (void)state;
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    nv_reg_ref r;
    nv_diag d;
    nv_diag_init(&d);
    nv_status rc = nv_reg_ref_parse(bad[i].ref, &r, &d);
    if (rc != NV_E_REFERENCE_INVALID)
      fail_msg("\"%s\" gave %d (%s)", bad[i].ref, (int)rc, d.msg);
    if (strstr(d.msg, bad[i].message) == NULL)
      fail_msg("\"%s\": message \"%s\" lacks \"%s\"", bad[i].ref, d.msg, bad[i].message);
    assert_null(r.registry);
    assert_null(r.repository);
    assert_null(r.tag);
    assert_null(r.digest);
  }
}

static void limits_and_arguments(void **state)
{
  (void)state;
  nv_reg_ref r;
  assert_int_equal(nv_reg_ref_parse(NULL, &r, NULL), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_ref_parse("r.example/a:b", NULL, NULL), NV_E_INVALID_ARG);

  /* "registry/repository" longer than 255 bytes */
  char name[400];
  int n = snprintf(name, sizeof(name), "r.example/");
  while (n < 266)
    name[n++] = 'a';
  snprintf(name + n, sizeof(name) - (size_t)n, ":t");
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_reg_ref_parse(name, &r, &d), NV_E_REFERENCE_INVALID);
  assert_non_null(strstr(d.msg, "longer than 255"));

  /* the whole reference beyond 4096 bytes */
  char *big = malloc(NV_REG_REF_MAX_BYTES + 10);
  assert_non_null(big);
  memset(big, 'a', NV_REG_REF_MAX_BYTES + 9);
  big[NV_REG_REF_MAX_BYTES + 9] = '\0';
  assert_int_equal(nv_reg_ref_parse(big, &r, &d), NV_E_REFERENCE_INVALID);
  free(big);

  nv_reg_ref_free(NULL);
}

static void registry_names(void **state)
{
  (void)state;
  assert_true(nv_reg_registry_valid("localhost:5000"));
  assert_true(nv_reg_registry_valid("registry.example"));
  assert_true(nv_reg_registry_valid("[::1]:5000"));
  assert_true(nv_reg_registry_valid("localhost")); /* a name, here: no dot needed */
  assert_false(nv_reg_registry_valid(NULL));
  assert_false(nv_reg_registry_valid(""));
  assert_false(nv_reg_registry_valid("registry.example/app"));
  assert_false(nv_reg_registry_valid("https://registry.example"));
  assert_false(nv_reg_registry_valid("registry.example:99999"));

  assert_string_equal(nv_reg_api_host("docker.io"), "registry-1.docker.io");
  assert_string_equal(nv_reg_api_host("registry.example"), "registry.example");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(good_references),
    cmocka_unit_test(bad_references),
    cmocka_unit_test(limits_and_arguments),
    cmocka_unit_test(registry_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
