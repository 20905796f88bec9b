/* Helpers shared by the vector runners (nv-conformance, nv-wycheproof). */
#ifndef NV_CONFORMANCE_VECTORS_UTIL_H
#define NV_CONFORMANCE_VECTORS_UTIL_H

#include <stdbool.h>
#include "base/nv_buf.h"
#include "base/nv_diag.h"

/* Append the bytes of an even-length hex string (either case) to `out`;
 * false on malformed hex or when `out` is full. */
bool hex_decode(const char *hex, nv_buf *out);

/* Append the whole file at `path` to `out` (its limit bounds the size);
 * false with the reason in `d`. */
bool read_whole_file(const char *path, nv_buf *out, nv_diag *d);

#endif /* NV_CONFORMANCE_VECTORS_UTIL_H */
