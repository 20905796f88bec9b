/*
 * RFC 3339 date-times (the "date-time" production of section 5.6):
 * YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), upper-case 'T' and 'Z'
 * only, no leap second (60), calendar-checked days. Times are int64_t Unix
 * seconds; fractions are kept as nanoseconds (more than 9 digits fails).
 */
#ifndef NV_BASE_TIME_H
#define NV_BASE_TIME_H

#include <stddef.h>
#include <stdint.h>
#include "base/nv_diag.h"

/* Room for "YYYY-MM-DDTHH:MM:SSZ" plus NUL. */
#define NV_TIME_RFC3339_MAX 21

/* Errors: NV_E_TIME_FORMAT naming what is wrong. `nanos_out` may be NULL. */
nv_status nv_time_parse_rfc3339(const char *s, size_t len, int64_t *unix_out,
                                int32_t *nanos_out, nv_diag *d);

/* Format in UTC as "YYYY-MM-DDTHH:MM:SSZ". Years 0000..9999 only, else
 * NV_E_TIME_FORMAT; `size` must be at least NV_TIME_RFC3339_MAX. */
nv_status nv_time_format_rfc3339(int64_t unix_secs, char *buf, size_t size, nv_diag *d);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
int64_t nv_time_days_from_civil(int64_t y, int m, int d);

#endif /* NV_BASE_TIME_H */
