/* libcurl global set-up through the registry layer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "registry/nv_reg_global.h"

static void init_and_cleanup_pair(void **state)
{
  (void)state;
  nv_diag d;
  nv_diag_init(&d);
  /* libcurl counts its own initialisations, so pairs may nest. */
  assert_int_equal(nv_reg_global_init(&d), NV_OK);
  assert_int_equal(nv_reg_global_init(&d), NV_OK);
  nv_reg_global_cleanup();
  nv_reg_global_cleanup();
  assert_int_equal(nv_diag_status(&d), NV_OK);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(init_and_cleanup_pair),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
