#include "vectors_util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/nv_text.h"

bool hex_decode(const char *hex, nv_buf *out)
{
  size_t n = strlen(hex);
  if (n % 2 != 0)
    return false;
  for (size_t i = 0; i < n; i += 2) {
    int hi = nv_hex_value(hex[i]), lo = nv_hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0 || nv_buf_append_byte(out, (uint8_t)(hi << 4 | lo), NULL) != NV_OK)
      return false;
  }
  return true;
}

bool read_whole_file(const char *path, nv_buf *out, nv_diag *d)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    nv_diag_set(d, NV_E_IO, "cannot open %s: %s", path, strerror(errno));
    return false;
  }
  uint8_t chunk[65536];
  size_t n;
  nv_status rc = NV_OK;
  while (rc == NV_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    rc = nv_buf_append(out, chunk, n, d);
  bool ok = rc == NV_OK && !ferror(f);
  if (rc == NV_OK && !ok)
    nv_diag_set(d, NV_E_IO, "cannot read %s", path);
  fclose(f);
  return ok;
}
