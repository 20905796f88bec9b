#include "envelope/nv_env_format.h"

#include <string.h>

nv_status nv_env_format_from_media_type(const char *media_type, nv_env_format *out, nv_diag *d)
{
  *out = NV_ENV_FORMAT_NONE;
  if (media_type == NULL)
    return nv_diag_set(d, NV_E_ENVELOPE_FORMAT_UNSUPPORTED,
                       "signature envelope has no media type; expected \"%s\" or \"%s\"",
                       NV_MEDIA_TYPE_JWS, NV_MEDIA_TYPE_COSE);
  if (strcmp(media_type, NV_MEDIA_TYPE_JWS) == 0)
    *out = NV_ENV_FORMAT_JWS;
  else if (strcmp(media_type, NV_MEDIA_TYPE_COSE) == 0)
    *out = NV_ENV_FORMAT_COSE;
  else
    return nv_diag_set(d, NV_E_ENVELOPE_FORMAT_UNSUPPORTED,
                       "signature envelope format with media type \"%.128s\" is not supported; "
                       "expected \"%s\" or \"%s\"",
                       media_type, NV_MEDIA_TYPE_JWS, NV_MEDIA_TYPE_COSE);
  return NV_OK;
}

const char *nv_env_format_media_type(nv_env_format f)
{
  switch (f) {
  case NV_ENV_FORMAT_JWS:
    return NV_MEDIA_TYPE_JWS;
  case NV_ENV_FORMAT_COSE:
    return NV_MEDIA_TYPE_COSE;
  default:
    return NULL;
  }
}
