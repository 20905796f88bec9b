/*
 * Fuzz the RFC 3339 parser. An accepted time, formatted back in UTC and
 * parsed again, must give the same instant; the parser must never read
 * past `size` (the input is not NUL-terminated).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z */
#define MIN_UNIX INT64_C(-62167219200)
#define MAX_UNIX INT64_C(253402300799)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  /* A private copy of exactly `size` bytes, so ASan catches over-reads. */
  char *in = malloc(size ? size : 1);
  if (in == NULL)
    return 0;
  if (size > 0)
    memcpy(in, data, size);

  nv_diag d;
  nv_diag_init(&d);
  int64_t t = 0;
  int32_t ns = -1;
  nv_status rc = nv_time_parse_rfc3339(in, size, &t, &ns, &d);
  if (rc != NV_OK) {
    if (rc != NV_E_TIME_FORMAT || nv_diag_status(&d) != rc)
      abort();
    free(in);
    return 0;
  }
  if (ns < 0 || ns > 999999999)
    abort();
  /* The offset can move an accepted time a day past either end of the
   * years 0000..9999, and no further. */
  if (t < MIN_UNIX - 86400 || t > MAX_UNIX + 86400)
    abort();

  char buf[NV_TIME_RFC3339_MAX];
  rc = nv_time_format_rfc3339(t, buf, sizeof(buf), NULL);
  if (t >= MIN_UNIX && t <= MAX_UNIX) {
    if (rc != NV_OK || strlen(buf) != NV_TIME_RFC3339_MAX - 1)
      abort();
    int64_t back = 0;
    int32_t ns2 = -1;
    if (nv_time_parse_rfc3339(buf, strlen(buf), &back, &ns2, NULL) != NV_OK)
      abort();
    if (back != t || ns2 != 0)
      abort();
  } else if (rc != NV_E_TIME_FORMAT) {
    abort();
  }
  free(in);
  return 0;
}
