/*
 * Fuzz target: certificate bytes (PEM or DER) through the x509 layer.
 * nv_x509_read_certs on the input; if it yields certificates, both chain
 * rule sets, the self-signed test, subject printing and the leaf key
 * check; and the whole input as one DER certificate for
 * nv_x509_parse_chain (then the same chain checks on what it returns).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/nv_buf.h"
#include "x509/nv_x509_certs.h"
#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_sig.h"

#include <openssl/x509.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const nv_x509_list *l, nv_diag *d)
{
  if (l->count == 0)
    return;
  (void)nv_x509_validate_chain(l->items, l->count, NV_X509_CODE_SIGNING, d);
  (void)nv_x509_validate_chain(l->items, l->count, NV_X509_TIMESTAMPING, d);
  /* Bound the per-input work: the extension rules are cheap, signature
   * checks are not. */
  size_t n = l->count < 8 ? l->count : 8;
  for (size_t i = 0; i < n; i++) {
    char subject[128];
    (void)nv_x509_is_self_signed(l->items[i]);
    (void)nv_x509_subject(l->items[i], subject, sizeof(subject));
    (void)nv_x509_subject(l->items[i], subject, 7); /* truncation */
    if (i + 1 < l->count)
      (void)nv_x509_is_issued_by(l->items[i], l->items[i + 1]);
    /* The single-certificate rules on every certificate, so they run even
     * when mutated signatures stop the chain rules early. */
    (void)nv_x509_validate_leaf(l->items[i], NV_X509_CODE_SIGNING, d);
    (void)nv_x509_validate_leaf(l->items[i], NV_X509_TIMESTAMPING, d);
    (void)nv_x509_validate_ca(l->items[i], NV_X509_CODE_SIGNING, (int)i, d);
    (void)nv_x509_validate_ca(l->items[i], NV_X509_TIMESTAMPING, 0, d);
  }
  nv_sig_alg alg = NV_SIG_NONE;
  (void)nv_x509_key_alg(X509_get0_pubkey(l->items[0]), &alg, d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  nv_diag d;
  nv_diag_init(&d);

  nv_x509_list l;
  nv_x509_list_init(&l);
  if (nv_x509_read_certs(data, size, "fuzz", &l, &d) == NV_OK)
    exercise(&l, &d);
  nv_x509_list_free(&l);

  /* The input as the one DER certificate of an envelope chain. The buffer
   * is only read, so it may point at the fuzzer's bytes. */
  nv_buf one;
  memset(&one, 0, sizeof(one));
  one.data = (uint8_t *)(uintptr_t)data;
  one.len = size;
  one.cap = size;
  one.limit = size;
  nv_x509_list parsed;
  nv_x509_list_init(&parsed);
  if (nv_x509_parse_chain(&one, 1, &parsed, &d) == NV_OK)
    exercise(&parsed, &d);
  nv_x509_list_free(&parsed);
  return 0;
}
