#include "envelope/nv_env_payload.h"

#include "base/nv_limits.h"

nv_status nv_env_parse_payload(const nv_env *e, nv_descriptor *target, nv_diag *d)
{
  nv_descriptor_init(target);
  nv_json *doc = NULL;
  nv_status rc = nv_json_parse(e->payload.data, e->payload.len, NV_LIMIT_ENVELOPE_BYTES,
                               "signature payload", &doc, d);
  if (rc != NV_OK)
    return nv_diag_wrap(d, NV_E_PAYLOAD_INVALID, "signature payload: ");
  const nv_json *artifact = NULL;
  if (nv_json_type_of(doc) != NV_JSON_OBJECT) {
    rc = nv_diag_set(d, NV_E_PAYLOAD_INVALID, "signature payload is not a JSON object");
  } else if ((rc = nv_json_get_object(doc, "targetArtifact", true, &artifact, d)) != NV_OK) {
    rc = nv_diag_wrap(d, NV_E_PAYLOAD_INVALID, "signature payload: ");
  } else if ((rc = nv_descriptor_from_json(artifact, target, d)) != NV_OK) {
    rc = nv_diag_wrap(d, NV_E_PAYLOAD_INVALID, "signature payload: targetArtifact: ");
  }
  nv_json_free(doc);
  return rc;
}
