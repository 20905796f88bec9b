/* Revocation operations: category crl (notation-core-go revocation/crl). */
#include "runner.h"

#include <string.h>
#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_revocation.h"

/* parse-freshest-crl-extension: the Freshest CRL URIs of a certificate
 * (url_count; url_prefix: scheme and authority of the first). */
static void op_parse_freshest(case_ctx *c)
{
  const char *path = in_string(c, "cert");
  if (path == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "cert input missing");
    return;
  }
  nv_buf data;
  if (!read_input_file(c, path, &data))
    return;
  nv_x509_list certs;
  nv_x509_list_init(&certs);
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_x509_read_certs(data.data, data.len, path, &certs, &d);
  nv_buf_free(&data);
  if (rc == NV_OK && certs.count != 1)
    rc = nv_diag_set(&d, NV_E_INVALID_ARG, "the cert input must hold exactly one certificate");
  nv_x509_urls urls;
  if (rc == NV_OK && (rc = nv_x509_freshest_crl_urls(certs.items[0], &urls, &d)) == NV_OK) {
    op_success(c);
    report_int(c, "url_count", (int64_t)urls.count);
    if (urls.count > 0) {
      const char *u = urls.items[0];
      const char *auth = strstr(u, "://");
      size_t n = auth == NULL ? strlen(u) : (size_t)(auth + 3 - u) + strcspn(auth + 3, "/?#");
      char prefix[256];
      if (n >= sizeof(prefix))
        n = sizeof(prefix) - 1;
      memcpy(prefix, u, n);
      prefix[n] = '\0';
      report_string(c, "url_prefix", prefix);
    }
    nv_x509_urls_free(&urls);
  } else {
    op_failure(c, &d);
  }
  nv_x509_list_free(&certs);
}

/* parse-crl: a DER CRL's numbers, entry count and times. */
static void op_parse_crl(case_ctx *c)
{
  const char *path = in_string(c, "crl");
  if (path == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "crl input missing");
    return;
  }
  nv_buf data;
  if (!read_input_file(c, path, &data))
    return;
  nv_x509_crl *crl = NULL;
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_x509_crl_parse(data.data, data.len, &crl, &d);
  nv_buf_free(&data);
  if (rc != NV_OK) {
    op_failure(c, &d);
    return;
  }
  nv_x509_crl_info info;
  nv_x509_crl_get_info(crl, &info);
  op_success(c);
  if (info.delta_indicator >= 0)
    report_int(c, "delta_crl_indicator", info.delta_indicator);
  if (info.crl_number >= 0)
    report_int(c, "crl_number", info.crl_number);
  report_int(c, "revoked", (int64_t)info.revoked);
  report_time(c, "this_update", info.this_update);
  if (info.has_next_update)
    report_time(c, "next_update", info.next_update);
  nv_x509_crl_free(crl);
}

const op_def revocation_ops[] = {
  {"parse-freshest-crl-extension", op_parse_freshest, {"cert"}},
  {"parse-crl", op_parse_crl, {"crl"}},
  {NULL, NULL, {NULL}},
};
