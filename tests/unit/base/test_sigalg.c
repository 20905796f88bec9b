/* The signature algorithm table (notary-spec.md section 7). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/nv_sigalg.h"

static void table(void **state)
{
  (void)state;
  static const struct {
    const char *jws;
    int64_t cose;
    nv_digest_alg digest;
    size_t ecdsa_len;
  } want[] = {
    {"PS256", -37, NV_DIGEST_SHA256, 0},  {"PS384", -38, NV_DIGEST_SHA384, 0},
    {"PS512", -39, NV_DIGEST_SHA512, 0},  {"ES256", -7, NV_DIGEST_SHA256, 64},
    {"ES384", -35, NV_DIGEST_SHA384, 96}, {"ES512", -36, NV_DIGEST_SHA512, 132},
  };
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    nv_sig_alg a = nv_sig_alg_from_jws(want[i].jws);
    assert_int_not_equal(a, NV_SIG_NONE);
    assert_int_equal(nv_sig_alg_from_cose(want[i].cose), a);
    assert_string_equal(nv_sig_alg_jws_name(a), want[i].jws);
    assert_int_equal(nv_sig_alg_cose_id(a), want[i].cose);
    assert_int_equal(nv_sig_alg_digest(a), want[i].digest);
    assert_int_equal(nv_sig_alg_ecdsa_sig_len(a), want[i].ecdsa_len);
    assert_int_equal(nv_sig_alg_is_ecdsa(a), want[i].ecdsa_len != 0);
  }
}

static void unknown(void **state)
{
  (void)state;
  static const char *const names[] = {"none", "ps256", "RS256", "HS256", "EdDSA", "ES256K", "", "PS256 "};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    assert_int_equal(nv_sig_alg_from_jws(names[i]), NV_SIG_NONE);
  assert_int_equal(nv_sig_alg_from_jws(NULL), NV_SIG_NONE);
  static const int64_t ids[] = {0, -8, -257, -40, 1, 7, INT64_MIN};
  for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
    assert_int_equal(nv_sig_alg_from_cose(ids[i]), NV_SIG_NONE);
  assert_null(nv_sig_alg_jws_name(NV_SIG_NONE));
  assert_int_equal(nv_sig_alg_cose_id(NV_SIG_NONE), 0);
  assert_int_equal(nv_sig_alg_digest(NV_SIG_NONE), NV_DIGEST_NONE);
  assert_false(nv_sig_alg_is_ecdsa(NV_SIG_NONE));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(table),
    cmocka_unit_test(unknown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
