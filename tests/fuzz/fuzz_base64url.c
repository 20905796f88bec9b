/*
 * Fuzz the strict base64 and base64url decoders. Strictness means every
 * accepted text is the canonical encoding of what it decodes to, so each
 * successful decode must re-encode to exactly the input. A failed decode
 * must leave the output buffer as it was.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_base64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small enough that long inputs also exercise NV_E_LIMIT. */
#define DECODE_LIMIT 4096

static void check(const uint8_t *data, size_t size, int url)
{
  static const uint8_t prefix[3] = { 0xde, 0xad, 0x01 };
  nv_diag d;
  nv_diag_init(&d);
  nv_buf dec;
  nv_buf_init(&dec, DECODE_LIMIT + sizeof(prefix));
  if (nv_buf_append(&dec, prefix, sizeof(prefix), NULL) != NV_OK)
    abort();

  const char *in = (const char *)data;
  nv_status rc = url ? nv_base64url_decode(in, size, &dec, &d)
                     : nv_base64_decode(in, size, &dec, &d);
  if (memcmp(dec.data, prefix, sizeof(prefix)) != 0)
    abort();
  if (rc != NV_OK) {
    /* refused: nothing committed, and a reason was recorded */
    if (dec.len != sizeof(prefix) || nv_diag_status(&d) != rc)
      abort();
    if (rc != NV_E_BASE64 && rc != NV_E_LIMIT && rc != NV_E_NOMEM)
      abort();
    nv_buf_free(&dec);
    return;
  }

  size_t n = dec.len - sizeof(prefix);
  if (n > size)
    abort();
  nv_buf enc;
  nv_buf_init(&enc, size + 4);
  rc = url ? nv_base64url_encode(dec.data + sizeof(prefix), n, &enc, NULL)
           : nv_base64_encode(dec.data + sizeof(prefix), n, &enc, NULL);
  if (rc != NV_OK)
    abort();
  if (enc.len != size || (size > 0 && memcmp(enc.data, data, size) != 0))
    abort();
  nv_buf_free(&enc);
  nv_buf_free(&dec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  check(data, size, 1);
  check(data, size, 0);
  return 0;
}
