/* Envelope format selection by media type. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include "envelope/nv_env_format.h"

static void known_media_types(void **state)
{
  (void)state;
  nv_env_format f = NV_ENV_FORMAT_NONE;
  assert_int_equal(nv_env_format_from_media_type("application/jose+json", &f, NULL), NV_OK);
  assert_int_equal(f, NV_ENV_FORMAT_JWS);
  assert_int_equal(nv_env_format_from_media_type("application/cose", &f, NULL), NV_OK);
  assert_int_equal(f, NV_ENV_FORMAT_COSE);
  assert_string_equal(nv_env_format_media_type(NV_ENV_FORMAT_JWS), "application/jose+json");
  assert_string_equal(nv_env_format_media_type(NV_ENV_FORMAT_COSE), "application/cose");
  assert_null(nv_env_format_media_type(NV_ENV_FORMAT_NONE));
}

static void other_media_types_fail(void **state)
{
  (void)state;
  static const char *const bad[] = {
    "application/JOSE+json", "application/jose+json; charset=utf-8", "application/jose",
    "application/cose-x509", " application/cose", "", "application/jwt",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    nv_diag d;
    nv_diag_init(&d);
    nv_env_format f = NV_ENV_FORMAT_JWS;
    assert_int_equal(nv_env_format_from_media_type(bad[i], &f, &d),
                     NV_E_ENVELOPE_FORMAT_UNSUPPORTED);
    assert_int_equal(f, NV_ENV_FORMAT_NONE);
    assert_non_null(strstr(d.msg, "application/jose+json"));
  }
  nv_env_format f;
  assert_int_equal(nv_env_format_from_media_type(NULL, &f, NULL), NV_E_ENVELOPE_FORMAT_UNSUPPORTED);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(known_media_types),
    cmocka_unit_test(other_media_types_fail),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
