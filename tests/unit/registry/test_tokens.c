/* The Bearer token cache: per (registry, scope), expiry, bounds
 * (registry layer). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "registry/nv_reg_tokens.h"

static void expiry_rules(void **state)
{
  (void)state;
  /* absent or short lifetimes count as 60 s, long ones as a day; a
   * margin of 10 s */
  assert_int_equal(nv_reg_token_expiry_ms(1000, 0), 1000 + 60000 - NV_REG_TOKEN_MARGIN_MS);
  assert_int_equal(nv_reg_token_expiry_ms(1000, -5), 1000 + 60000 - NV_REG_TOKEN_MARGIN_MS);
  assert_int_equal(nv_reg_token_expiry_ms(1000, 30), 1000 + 60000 - NV_REG_TOKEN_MARGIN_MS);
  assert_int_equal(nv_reg_token_expiry_ms(1000, 300), 1000 + 300000 - NV_REG_TOKEN_MARGIN_MS);
  assert_int_equal(nv_reg_token_expiry_ms(0, INT64_C(1) << 40),
                   INT64_C(86400000) - NV_REG_TOKEN_MARGIN_MS);
}

static void get_put_expire(void **state)
{
  (void)state;
  nv_reg_token_cache c;
  nv_reg_token_cache_init(&c);
  assert_null(nv_reg_token_cache_get(&c, "r.example", "repository:a:pull", 0));
  assert_int_equal(nv_reg_token_cache_put(&c, "r.example", "repository:a:pull", "T1", 5000, 0,
                                          NULL),
                   NV_OK);
  assert_string_equal(nv_reg_token_cache_get(&c, "r.example", "repository:a:pull", 4999), "T1");
  /* the registry name is case-insensitive, the scope is not */
  assert_string_equal(nv_reg_token_cache_get(&c, "R.EXAMPLE", "repository:a:pull", 0), "T1");
  assert_null(nv_reg_token_cache_get(&c, "r.example", "repository:A:pull", 0));
  /* another scope or registry is another token */
  assert_null(nv_reg_token_cache_get(&c, "r.example", "repository:b:pull", 0));
  assert_null(nv_reg_token_cache_get(&c, "s.example", "repository:a:pull", 0));
  /* replaced */
  assert_int_equal(nv_reg_token_cache_put(&c, "r.example", "repository:a:pull", "T2", 9000, 10,
                                          NULL),
                   NV_OK);
  assert_int_equal(c.count, 1);
  assert_string_equal(nv_reg_token_cache_get(&c, "r.example", "repository:a:pull", 8000), "T2");
  /* expired at expires_ms exactly, and removed */
  assert_null(nv_reg_token_cache_get(&c, "r.example", "repository:a:pull", 9000));
  assert_int_equal(c.count, 0);
  /* dropped */
  assert_int_equal(nv_reg_token_cache_put(&c, "r.example", "s", "T3", 100, 0, NULL), NV_OK);
  nv_reg_token_cache_drop(&c, "r.example", "s");
  nv_reg_token_cache_drop(&c, "r.example", "absent");
  assert_null(nv_reg_token_cache_get(&c, "r.example", "s", 0));
  nv_reg_token_cache_free(&c);
  nv_reg_token_cache_free(NULL);
}

static void bounded(void **state)
{
  (void)state;
  nv_reg_token_cache c;
  nv_reg_token_cache_init(&c);
  char scope[32];
  /* fill it: entry i expires at 1000 + i */
  for (int i = 0; i < NV_REG_TOKEN_CACHE_MAX; i++) {
    snprintf(scope, sizeof(scope), "s%d", i);
    assert_int_equal(nv_reg_token_cache_put(&c, "r", scope, "t", 1000 + i, 0, NULL), NV_OK);
  }
  assert_int_equal(c.count, NV_REG_TOKEN_CACHE_MAX);
  /* one more: the entry expiring soonest (s0) goes */
  assert_int_equal(nv_reg_token_cache_put(&c, "r", "new", "t", 5000, 0, NULL), NV_OK);
  assert_int_equal(c.count, NV_REG_TOKEN_CACHE_MAX);
  assert_null(nv_reg_token_cache_get(&c, "r", "s0", 0));
  assert_non_null(nv_reg_token_cache_get(&c, "r", "s1", 0));
  assert_non_null(nv_reg_token_cache_get(&c, "r", "new", 0));
  /* a later put first clears every expired entry */
  assert_int_equal(nv_reg_token_cache_put(&c, "r", "late", "t", 9000, 2000, NULL), NV_OK);
  assert_int_equal(c.count, 2);
  assert_non_null(nv_reg_token_cache_get(&c, "r", "new", 2000));
  assert_non_null(nv_reg_token_cache_get(&c, "r", "late", 2000));
  nv_reg_token_cache_free(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(expiry_rules),
    cmocka_unit_test(get_put_expire),
    cmocka_unit_test(bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
