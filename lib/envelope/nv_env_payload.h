/*
 * The signed payload (notary-spec.md section 3):
 * {"targetArtifact": <OCI descriptor>}. It is parsed only after the
 * signature has been verified.
 */
#ifndef NV_ENVELOPE_PAYLOAD_H
#define NV_ENVELOPE_PAYLOAD_H

#include "base/nv_descriptor.h"
#include "envelope/nv_env.h"

/* Parse the payload of `e` into its target descriptor. Unknown members are
 * ignored (as notation-go does); a missing or malformed targetArtifact is
 * NV_E_PAYLOAD_INVALID with a message naming the member. */
nv_status nv_env_parse_payload(const nv_env *e, nv_descriptor *target, nv_diag *d);

#endif /* NV_ENVELOPE_PAYLOAD_H */
