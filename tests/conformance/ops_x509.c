/* Certificate operations: cert-file, codesigning-*, timestamping-*. */
#include "runner.h"

#include <stdio.h>
#include <string.h>
#include "base/nv_time.h"
#include "x509/nv_x509_chain.h"
#include "x509/nv_x509_time.h"

/* Read every file of the array input `name` (or the single file input) and
 * append its certificates to `out`. */
static bool load_certs(case_ctx *c, const char *name, nv_x509_list *out)
{
  nv_x509_list_init(out);
  const nv_json *v = in_value(c, name);
  size_t n = nv_json_type_of(v) == NV_JSON_ARRAY ? nv_json_count(v) : 1;
  for (size_t i = 0; i < n; i++) {
    const char *path = nv_json_type_of(v) == NV_JSON_ARRAY ? nv_json_string(nv_json_at(v, i))
                                                           : nv_json_string(v);
    if (path == NULL) {
      op_failure_msg(c, NV_E_INVALID_ARG, "certificate input is not a path");
      return false;
    }
    nv_buf data;
    if (!read_input_file(c, path, &data))
      return false;
    nv_diag d;
    nv_diag_init(&d);
    nv_status rc = nv_x509_read_certs(data.data, data.len, path, out, &d);
    nv_buf_free(&data);
    if (rc != NV_OK) {
      op_failure(c, &d);
      return false;
    }
  }
  return true;
}

static void op_read_certificate_file(case_ctx *c)
{
  nv_x509_list certs;
  if (load_certs(c, "file", &certs))
    op_success(c);
  report_int(c, "count", (int64_t)certs.count);
  nv_x509_list_free(&certs);
}

static void validate_chain(case_ctx *c, nv_x509_purpose purpose)
{
  nv_x509_list chain;
  if (!load_certs(c, "chain", &chain)) {
    nv_x509_list_free(&chain);
    return;
  }
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_x509_validate_chain(chain.items, chain.count, purpose, &d);
  /* notation-core-go also checks validity at the signing time when given */
  const char *signing_time = in_string(c, "signing_time");
  if (rc == NV_OK && signing_time != NULL) {
    int64_t t;
    rc = nv_time_parse_rfc3339(signing_time, strlen(signing_time), &t, NULL, &d);
    if (rc == NV_OK)
      rc = nv_x509_check_valid_at(chain.items, chain.count, t, "signing time",
                                  NV_E_CERT_NOT_YET_VALID, NV_E_CERT_EXPIRED, &d);
  }
  if (rc == NV_OK)
    op_success(c);
  else
    op_failure(c, &d);
  nv_x509_list_free(&chain);
}

static void op_validate_codesigning_chain(case_ctx *c)
{
  validate_chain(c, NV_X509_CODE_SIGNING);
}

static void op_validate_timestamping_chain(case_ctx *c)
{
  validate_chain(c, NV_X509_TIMESTAMPING);
}

static void op_is_self_signed(case_ctx *c)
{
  nv_x509_list certs;
  if (load_certs(c, "certs", &certs)) {
    nv_buf b;
    nv_buf_init(&b, 1 << 16);
    nv_buf_append_byte(&b, '[', NULL);
    for (size_t i = 0; i < certs.count; i++) {
      if (i)
        nv_buf_append_byte(&b, ',', NULL);
      nv_buf_append_str(&b, nv_x509_is_self_signed(certs.items[i]) ? "true" : "false", NULL);
    }
    nv_buf_append_byte(&b, ']', NULL);
    nv_buf_terminate(&b, NULL);
    report_json(c, "values", (const char *)b.data);
    nv_buf_free(&b);
    op_success(c);
  }
  nv_x509_list_free(&certs);
}

static void validate_one(case_ctx *c, nv_x509_purpose purpose, bool ca)
{
  nv_x509_list certs;
  if (!load_certs(c, "cert", &certs)) {
    nv_x509_list_free(&certs);
    return;
  }
  if (certs.count != 1) {
    op_failure_msg(c, NV_E_INVALID_ARG, "the cert input must hold exactly one certificate");
    nv_x509_list_free(&certs);
    return;
  }
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc;
  if (ca) {
    const nv_json *len = in_value(c, "expected_path_len");
    uint64_t want = 0;
    if (nv_json_type_of(len) != NV_JSON_NUMBER ||
        nv_json_get_uint64(c->inputs, "expected_path_len", true, &want, NULL, &d) != NV_OK) {
      op_failure_msg(c, NV_E_INVALID_ARG, "expected_path_len must be a non-negative integer");
      nv_x509_list_free(&certs);
      return;
    }
    rc = nv_x509_validate_ca(certs.items[0], purpose, (int)want, &d);
  } else {
    rc = nv_x509_validate_leaf(certs.items[0], purpose, &d);
  }
  if (rc == NV_OK)
    op_success(c);
  else
    op_failure(c, &d);
  nv_x509_list_free(&certs);
}

static void op_codesigning_ca(case_ctx *c)
{
  validate_one(c, NV_X509_CODE_SIGNING, true);
}

static void op_codesigning_leaf(case_ctx *c)
{
  validate_one(c, NV_X509_CODE_SIGNING, false);
}

static void op_timestamping_ca(case_ctx *c)
{
  validate_one(c, NV_X509_TIMESTAMPING, true);
}

static void op_timestamping_leaf(case_ctx *c)
{
  validate_one(c, NV_X509_TIMESTAMPING, false);
}

const op_def x509_ops[] = {
  {"read-certificate-file", op_read_certificate_file, {"file"}},
  {"validate-codesigning-chain", op_validate_codesigning_chain, {"chain", "signing_time"}},
  {"validate-timestamping-chain", op_validate_timestamping_chain, {"chain"}},
  {"is-self-signed", op_is_self_signed, {"certs"}},
  {"validate-codesigning-ca-cert", op_codesigning_ca, {"cert", "expected_path_len"}},
  {"validate-codesigning-leaf-cert", op_codesigning_leaf, {"cert"}},
  {"validate-timestamping-ca-cert", op_timestamping_ca, {"cert", "expected_path_len"}},
  {"validate-timestamping-leaf-cert", op_timestamping_leaf, {"cert"}},
  {NULL, NULL, {NULL}},
};
