/* Certificate validity periods against a point in time. */
#ifndef NV_X509_TIME_H
#define NV_X509_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "x509/nv_x509_certs.h"

typedef struct asn1_string_st ASN1_TIME;

/* An ASN1_TIME (UTCTime or GeneralizedTime) as Unix seconds; false when
 * it is NULL or malformed. */
bool nv_x509_asn1_time(const ASN1_TIME *t, int64_t *out);

/* notBefore / notAfter as Unix seconds. */
nv_status nv_x509_validity(X509 *cert, int64_t *not_before, int64_t *not_after, nv_diag *d);

/*
 * Every certificate of the chain must satisfy notBefore <= t <= notAfter.
 * The first that does not fails with `code_not_yet_valid` or `code_expired`,
 * with a message naming its subject, `what` ("verification time",
 * "signing time", ...), t and the validity period.
 */
nv_status nv_x509_check_valid_at(X509 *const *chain, size_t count, int64_t t, const char *what,
                                 nv_status code_not_yet_valid, nv_status code_expired, nv_diag *d);

#endif /* NV_X509_TIME_H */
