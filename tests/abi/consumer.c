/*
 * A program built the way users build against the installed library:
 * `cc consumer.c $(pkg-config --cflags --libs notaryc)`. It must compile
 * with the installed headers alone and run against the installed library.
 */
#include <notaryc.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
  if (strcmp(nv_version_string(), NV_VERSION_STRING) != 0) {
    fprintf(stderr, "version mismatch: library %s, headers %s\n", nv_version_string(),
            NV_VERSION_STRING);
    return 1;
  }
  nv_ctx *ctx = NULL;
  if (nv_ctx_new(&ctx) != NV_E_NOT_INITIALIZED || ctx != NULL) {
    fprintf(stderr, "nv_ctx_new before nv_global_init must fail\n");
    return 1;
  }
  if (nv_global_init(NV_INIT_DEFAULT) != NV_OK || nv_ctx_new(&ctx) != NV_OK) {
    fprintf(stderr, "initialisation failed\n");
    return 1;
  }
  if (nv_status_category(NV_E_SIGNATURE_EXPIRED) != NV_CAT_CHECK ||
      strcmp(nv_status_name(NV_E_SIGNATURE_EXPIRED), "NV_E_SIGNATURE_EXPIRED") != 0) {
    fprintf(stderr, "status table broken\n");
    return 1;
  }
  printf("consumer: libnotaryc %s: %s\n", nv_version_string(), nv_strerror(NV_OK));
  nv_ctx_free(ctx);
  nv_global_cleanup();
  return 0;
}
