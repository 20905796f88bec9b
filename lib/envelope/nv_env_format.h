/* Envelope formats and their media types (notary-spec.md sections 5, 6). */
#ifndef NV_ENVELOPE_FORMAT_H
#define NV_ENVELOPE_FORMAT_H

#include "base/nv_diag.h"

#define NV_MEDIA_TYPE_JWS "application/jose+json"
#define NV_MEDIA_TYPE_COSE "application/cose"

typedef enum nv_env_format {
  NV_ENV_FORMAT_NONE = 0,
  NV_ENV_FORMAT_JWS = 1,
  NV_ENV_FORMAT_COSE = 2
} nv_env_format;

/* Exact media type match (the layer's mediaType picks the decoder); any
 * other value, parameters included, is NV_E_ENVELOPE_FORMAT_UNSUPPORTED. */
nv_status nv_env_format_from_media_type(const char *media_type, nv_env_format *out, nv_diag *d);
const char *nv_env_format_media_type(nv_env_format f);

#endif /* NV_ENVELOPE_FORMAT_H */
