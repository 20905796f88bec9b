/*
 * Fuzz target: COSE envelopes. Runs the Notary decoder (nv_env_decode with
 * NV_ENV_FORMAT_COSE) and the generic COSE_Sign1 decoder, Sig_structure and
 * JSON rendering on the same bytes, and checks invariants that must hold
 * for every accepted input (a violation aborts, which the fuzzer reports).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/nv_limits.h"
#include "envelope/nv_cose.h"
#include "envelope/nv_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_generic(const nv_cose_sign1 *m, const uint8_t *data, size_t size)
{
  static const uint8_t ctx[] = {0x84, 0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1'};
  static const uint8_t aad[] = {0xaa, 0xbb, 0xcc};
  nv_diag d;
  nv_diag_init(&d);
  /* every view lies inside the input */
  if (m->payload.data < data || m->payload.data + m->payload.len > data + size ||
      m->signature.len == 0 || m->protected_map == NULL || m->unprotected_map == NULL ||
      m->protected_map->type != NV_CBOR_MAP || m->unprotected_map->type != NV_CBOR_MAP)
    abort();
  for (int with_aad = 0; with_aad < 2; with_aad++) {
    nv_buf tbs;
    nv_buf_init(&tbs, NV_LIMIT_ENVELOPE_BYTES + 64);
    nv_status rc = nv_cose_sig_structure(m, with_aad ? aad : NULL, with_aad ? sizeof(aad) : 0,
                                         &tbs, &d);
    if (rc == NV_OK) {
      /* ["Signature1", ..., payload]: context first, payload bytes last */
      if (tbs.len < sizeof(ctx) + 3 + m->protected_content.len + m->payload.len ||
          memcmp(tbs.data, ctx, sizeof(ctx)) != 0 ||
          (m->payload.len > 0 && memcmp(tbs.data + tbs.len - m->payload.len, m->payload.data,
                                        m->payload.len) != 0))
        abort();
    }
    nv_buf_free(&tbs);
  }
  nv_buf json;
  nv_buf_init(&json, 4 * NV_MIB);
  (void)nv_cbor_to_json(m->protected_map, &json, &d);
  nv_buf_reset(&json);
  (void)nv_cbor_to_json(m->unprotected_map, &json, &d);
  nv_buf_free(&json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  nv_diag d;
  nv_diag_init(&d);

  nv_env e;
  nv_status rc = nv_env_decode(NV_ENV_FORMAT_COSE, data, size, &e, &d);
  if (rc == NV_OK) {
    /* an accepted envelope satisfies the shared rules */
    if (e.scheme == NV_SCHEME_NONE || e.alg == NV_SIG_NONE || e.payload.len == 0 ||
        e.signature.len == 0 || e.content_type == NULL || e.signing_input.len == 0 ||
        e.crit_count == 0)
      abort();
  }
  nv_env_free(&e);

  nv_cose_sign1 m;
  if (nv_cose_sign1_decode(data, size, &m, &d) == NV_OK)
    check_generic(&m, data, size);
  else if (rc == NV_OK)
    abort(); /* the Notary decoder accepted what the generic one refuses */
  nv_cose_sign1_free(&m);
  return 0;
}
