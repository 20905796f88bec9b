/*
 * Reading certificates from bytes: PEM (every CERTIFICATE block) or DER
 * (one or more concatenated certificates). Used for trust store files and
 * for certificate files given on the command line.
 */
#ifndef NV_X509_CERTS_H
#define NV_X509_CERTS_H

#include <stddef.h>
#include <stdint.h>
#include "base/nv_diag.h"

/* OpenSSL's X509; declared here so callers need not include OpenSSL. */
typedef struct x509_st X509;

/* Most certificates one file may hold. */
#define NV_X509_MAX_CERTS_PER_FILE 1000

typedef struct nv_x509_list {
  X509 **items;
  size_t count;
  size_t cap;
} nv_x509_list;

void nv_x509_list_init(nv_x509_list *l);
void nv_x509_list_free(nv_x509_list *l);

/* Append every certificate found in `data` to `out`. If the data holds a
 * PEM block, every PEM block must be a CERTIFICATE without headers (text
 * outside blocks is ignored); otherwise the whole input must be DER
 * certificates back to back. `what` names the source in messages. Errors:
 * NV_E_CERT_PARSE (naming the block or certificate index), NV_E_LIMIT,
 * NV_E_NOMEM. On error `out` is left as it was. */
nv_status nv_x509_read_certs(const uint8_t *data, size_t len, const char *what,
                             nv_x509_list *out, nv_diag *d);

#endif /* NV_X509_CERTS_H */
