/* The plugin gate: critical extended attributes this verifier cannot honour. */
#include "envelope/nv_env.h"

#include <ctype.h>
#include <string.h>
#include "base/nv_semver.h"

static const nv_env_attr *find_attr(const nv_env *e, const char *name)
{
  for (size_t i = 0; i < e->attr_count; i++)
    if (!e->attrs[i].int_label && strcmp(e->attrs[i].name, name) == 0)
      return &e->attrs[i];
  return NULL;
}

static bool blank(const char *s)
{
  for (; *s; s++)
    if (!isspace((unsigned char)*s))
      return false;
  return true;
}

/* notation-go's format rules for the two plugin attributes. */
static nv_status check_plugin_attr(const nv_env_attr *a, nv_diag *d)
{
  if (!a->critical)
    return nv_diag_set(d, NV_E_PLUGIN_ATTR_NOT_CRITICAL,
                       "%s is not a critical Extended attribute; a signer must mark it critical",
                       a->name);
  if (a->string_value == NULL)
    return nv_diag_set(d, NV_E_PLUGIN_ATTR_NOT_STRING, "%s from extended attribute is not a string",
                       a->name);
  if (blank(a->string_value))
    return nv_diag_set(d, NV_E_PLUGIN_ATTR_EMPTY, "%s from extended attribute is an empty string",
                       a->name);
  return NV_OK;
}

nv_status nv_env_check_critical(const nv_env *e, nv_diag *d)
{
  const nv_env_attr *plugin = find_attr(e, NV_HDR_VERIFICATION_PLUGIN);
  const nv_env_attr *min_version = find_attr(e, NV_HDR_VERIFICATION_PLUGIN_MIN_VERSION);
  if (plugin != NULL) {
    nv_status rc = check_plugin_attr(plugin, d);
    if (rc != NV_OK)
      return rc;
    if (min_version != NULL) {
      if ((rc = check_plugin_attr(min_version, d)) != NV_OK)
        return rc;
      /* semver.org's grammar, no "v" prefix, no x/mod shorthands
       * (notary-spec.md 16, notation-go's semVerRegEx) */
      if (!nv_semver_valid(min_version->string_value))
        return nv_diag_set(d, NV_E_PLUGIN_MIN_VERSION_INVALID,
                           "%s value \"%.64s\" is not valid SemVer",
                           NV_HDR_VERIFICATION_PLUGIN_MIN_VERSION, min_version->string_value);
    }
    return nv_diag_set(d, NV_E_PLUGIN_REQUIRED,
                       "digital signature requires verification plugin \"%.128s\"%s%.64s%s; "
                       "libnotaryc does not run verification plugins, so this signature cannot "
                       "be verified",
                       plugin->string_value, min_version ? " (version " : "",
                       min_version ? min_version->string_value : "", min_version ? " or later)" : "");
  }
  for (size_t i = 0; i < e->attr_count; i++)
    if (e->attrs[i].critical)
      return nv_diag_set(d, NV_E_UNKNOWN_CRITICAL_ATTRIBUTE,
                         "signed attribute \"%.128s\" is marked critical but this verifier does "
                         "not understand it; the signature cannot be accepted",
                         e->attrs[i].name);
  return NV_OK;
}
