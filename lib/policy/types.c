#include "policy/nv_pol_types.h"

#include <string.h>

nv_pol_store_type nv_pol_store_type_from_name(const char *name)
{
  if (name == NULL)
    return NV_POL_STORE_NONE;
  if (strcmp(name, "ca") == 0)
    return NV_POL_STORE_CA;
  if (strcmp(name, "signingAuthority") == 0)
    return NV_POL_STORE_SIGNING_AUTHORITY;
  if (strcmp(name, "tsa") == 0)
    return NV_POL_STORE_TSA;
  return NV_POL_STORE_NONE;
}

const char *nv_pol_store_type_name(nv_pol_store_type type)
{
  switch (type) {
  case NV_POL_STORE_CA:
    return "ca";
  case NV_POL_STORE_SIGNING_AUTHORITY:
    return "signingAuthority";
  case NV_POL_STORE_TSA:
    return "tsa";
  default:
    return NULL;
  }
}

bool nv_pol_name_valid(const char *name)
{
  if (name == NULL || *name == '\0')
    return false;
  /* ASCII only, whatever the locale (isalnum would accept Latin-1 letters) */
  for (const char *p = name; *p; p++) {
    char c = *p;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}
