/*
 * Blob verification: category verify-blob. A detached signature envelope
 * over a blob file, through the per-signature pipeline under the blob
 * trust policy statement named "policy_name" (the global statement when
 * there is no name), through nv_verify_blob(), which reads the blob through
 * a callback once every policy check has passed. As notation-go's
 * VerifyBlob, the signature's media type is checked before anything else
 * ("verify-blob (API argument check)"). Level skip is reported as
 * "verification_skipped": true.
 */
#include "verify_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "envelope/nv_env_format.h"

/* The blob file, opened on the pipeline's first read. */
typedef struct blob_file {
  char path[4096];
  FILE *f;
} blob_file;

static nv_status read_blob(void *user, uint8_t *buf, size_t cap, size_t *got)
{
  blob_file *b = user;
  *got = 0;
  if (b->f == NULL && (b->f = fopen(b->path, "rb")) == NULL)
    return NV_E_IO;
  *got = fread(buf, 1, cap, b->f);
  return *got == 0 && ferror(b->f) ? NV_E_IO : NV_OK;
}

static void op_verify_blob(case_ctx *c)
{
  verify_in vi;
  verify_in_init(&vi, NV_POL_DOC_BLOB);
  blob_file file = {"", NULL};
  nv_diag d;
  nv_diag_init(&d);
  nv_env_format format;
  vi.media_type = in_string(c, "media_type");
  if (nv_env_format_from_media_type(vi.media_type, &format, &d) != NV_OK) {
    op_failure(c, &d);
    goto out;
  }
  const char *blob = in_string(c, "blob");
  const char *policy = in_string(c, "policy");
  if (blob == NULL || policy == NULL) {
    op_failure_msg(c, NV_E_INVALID_ARG, "inputs blob and policy (files) are required");
    goto out;
  }
  if ((size_t)snprintf(file.path, sizeof(file.path), "%s/%s", c->root, blob) >=
      sizeof(file.path)) {
    op_failure_msg(c, NV_E_INVALID_ARG, "blob path too long");
    goto out;
  }
  if (!verify_read_common(c, &vi) ||
      !read_file_or_inline(c, "signature", "signature_bytes", &vi.envelope))
    goto out;
  vi.blob_read = read_blob;
  vi.blob_user = &file;
  vi.blob_media_type = in_string(c, "content_media_type");
  vi.policy_name = in_string(c, "policy_name");
  bool ok;
  nv_status code;
  char msg[NV_DIAG_MSG_MAX];
  char *verdict = verify_run(c, &vi, policy, &ok, &code, msg, sizeof(msg));
  if (verdict != NULL)
    report_json(c, "verdict", verdict);
  free(verdict);
  if (ok) {
    op_success(c);
    report_bool(c, "verification_skipped", code == NV_E_SKIPPED);
  } else {
    op_failure_msg(c, code, msg);
  }
out:
  if (file.f != NULL)
    fclose(file.f);
  verify_in_free(&vi);
}

#define BLOB_INPUTS                                                                            \
  {"signature", "signature_bytes", "media_type", "blob", "content_media_type", "policy",      \
   "policy_name", "store_dir", "verification_time", "user_metadata"}

const op_def blob_ops[] = {
  {"verify-blob", op_verify_blob, BLOB_INPUTS},
  {"verify-blob (API argument check)", op_verify_blob, BLOB_INPUTS},
  {NULL, NULL, {NULL}},
};
