/*
 * Fuzz target: RFC 3161 TimeStampToken bytes through lib/x509/timestamp.c.
 * nv_x509_tst_parse on the input (the CMS structure, signingCertificateV2,
 * the signature, then the TSTInfo); when it parses, the imprint check on a
 * fixed message, the chain verification with the token's last certificate
 * as the only root at genTime, and the window check of the token's
 * certificates. The signature is verified before the TSTInfo is decoded,
 * so mutated tokens mostly stop there: the corpus holds real tokens.
 */
#include <stddef.h>
#include <stdint.h>

#include "x509/nv_x509_timestamp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  nv_diag d;
  nv_diag_init(&d);
  nv_x509_tst t;
  if (nv_x509_tst_parse(data, size, &t, &d) != NV_OK)
    return 0;
  static const uint8_t msg[] = "notation";
  (void)nv_x509_tst_check_imprint(&t, msg, sizeof(msg) - 1, &d);
  if (t.certs.count > 0) {
    nv_x509_list chain;
    (void)nv_x509_tst_verify_chain(&t, &t.certs.items[t.certs.count - 1], 1, t.gen_time, &chain,
                                   &d);
    nv_x509_list_free(&chain);
    (void)nv_x509_tst_check_window(&t, t.certs.items, t.certs.count, &d);
  }
  nv_x509_tst_free(&t);
  return 0;
}
