/*
 * Plugin operations: category plugin. libnotaryc verifies without a plugin
 * host, so an envelope that names a verification plugin fails at the
 * plugin gate (lib/envelope/critical.c, NV_E_PLUGIN_REQUIRED) whatever is
 * installed: the verify cases of this category run through ops_verify.c,
 * which takes their installed_plugin(s) inputs here and notes them. The
 * version rule a plugin host would apply is checked on its own
 * (semver-min-version-check, lib/base/semver.c).
 */
#include "runner.h"

#include <stdio.h>
#include <string.h>
#include "base/nv_semver.h"

static const char no_host[] = "libnotaryc has no plugin host, so every installed plugin is "
                              "unusable and the plugin gate decides";

/* One "installed_plugin" object: {"name", "version", "capabilities"}. */
static bool plugin_entry(case_ctx *c, const nv_json *p)
{
  const char *name = nv_json_string(nv_json_member(p, "name"));
  const nv_json *version = nv_json_member(p, "version");
  if (nv_json_type_of(p) != NV_JSON_OBJECT || name == NULL ||
      (version != NULL && nv_json_string(version) == NULL)) {
    op_failure_msg(c, NV_E_INVALID_ARG, "an installed plugin must be an object with a string "
                                        "\"name\" (and a string \"version\")");
    return false;
  }
  char note[256];
  snprintf(note, sizeof(note), "installed plugin \"%.100s\"%s%.40s not used", name,
           version != NULL ? " version " : "", version != NULL ? nv_json_string(version) : "");
  op_note(c, note);
  return true;
}

bool plugin_inputs(case_ctx *c)
{
  const nv_json *one = in_value(c, "installed_plugin");
  const nv_json *list = in_value(c, "installed_plugins");
  if (one == NULL && list == NULL)
    return true;
  if (one != NULL && !plugin_entry(c, one))
    return false;
  if (list != NULL) {
    if (nv_json_type_of(list) != NV_JSON_ARRAY) {
      op_failure_msg(c, NV_E_INVALID_ARG, "installed_plugins must be an array");
      return false;
    }
    if (nv_json_count(list) == 0)
      op_note(c, "no plugin installed");
    for (size_t i = 0; i < nv_json_count(list); i++)
      if (!plugin_entry(c, nv_json_at(list, i)))
        return false;
  }
  op_note(c, no_host);
  return true;
}

/* notation-go's isRequiredVerificationPluginVer: a plugin of version
 * plugin_version meets a minimum m when semver.Compare("v" + plugin,
 * "v" + m) != -1. "min_versions" maps each m to the expected answer. */
static void op_semver_min_version(case_ctx *c)
{
  const char *plugin = in_string(c, "plugin_version");
  const nv_json *mins = in_value(c, "min_versions");
  if (plugin == NULL || nv_json_type_of(mins) != NV_JSON_OBJECT) {
    op_failure_msg(c, NV_E_INVALID_ARG, "inputs plugin_version (a string) and min_versions "
                                        "(an object) are required");
    return;
  }
  char wrong[NV_DIAG_MSG_MAX] = "";
  size_t used = 0;
  for (size_t i = 0; i < nv_json_count(mins); i++) {
    const nv_json *m = nv_json_at(mins, i);
    const char *min = nv_json_key(m);
    if (nv_json_type_of(m) != NV_JSON_BOOL) {
      op_failure_msg(c, NV_E_INVALID_ARG, "min_versions values must be true or false");
      return;
    }
    bool want = nv_json_is_true(m);
    bool got = nv_semver_compare(plugin, min) != -1;
    if (got != want && used < sizeof(wrong)) {
      int n = snprintf(wrong + used, sizeof(wrong) - used, "%s%s >= %s: expected %s, got %s",
                       used ? "; " : "", plugin, min, want ? "true" : "false",
                       got ? "true" : "false");
      if (n > 0)
        used += (size_t)n;
    }
    if (!nv_semver_valid(min)) {
      char note[256];
      snprintf(note, sizeof(note), "\"%.64s\" is %s; as a verificationPluginMinVersion "
               "attribute it is rejected (not SemVer 2.0)", min,
               nv_semver_compare(min, "0.0.0-0") < 0
                   ? "not a version to x/mod/semver either, so it orders before every version"
                   : "an x/mod/semver shorthand");
      op_note(c, note);
    }
  }
  if (used > 0)
    op_failure_msg(c, NV_E_GENERIC, wrong);
  else
    op_success(c);
}

const op_def plugin_ops[] = {
  {"semver-min-version-check", op_semver_min_version, {"plugin_version", "min_versions"}},
  {NULL, NULL, {NULL}},
};
