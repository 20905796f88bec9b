#include "policy/nv_pol_level.h"

#include <stddef.h>
#include <string.h>

static const char *const level_names[] = {
  [NV_POL_LEVEL_STRICT] = "strict",
  [NV_POL_LEVEL_PERMISSIVE] = "permissive",
  [NV_POL_LEVEL_AUDIT] = "audit",
  [NV_POL_LEVEL_SKIP] = "skip",
};

static const char *const check_names[] = {
  [NV_POL_CHECK_INTEGRITY] = "integrity",
  [NV_POL_CHECK_AUTHENTICITY] = "authenticity",
  [NV_POL_CHECK_AUTHENTIC_TIMESTAMP] = "authenticTimestamp",
  [NV_POL_CHECK_EXPIRY] = "expiry",
  [NV_POL_CHECK_REVOCATION] = "revocation",
};

static const char *const action_names[] = {
  [NV_POL_ACTION_ENFORCE] = "enforce",
  [NV_POL_ACTION_LOG] = "log",
  [NV_POL_ACTION_SKIP] = "skip",
};

#define E NV_POL_ACTION_ENFORCE
#define L NV_POL_ACTION_LOG
#define S NV_POL_ACTION_SKIP
/* notary-spec.md 13.4: rows are levels, columns follow nv_pol_check. */
static const nv_pol_action level_table[][NV_POL_CHECK_COUNT] = {
  [NV_POL_LEVEL_STRICT] = {E, E, E, E, E},
  [NV_POL_LEVEL_PERMISSIVE] = {E, E, L, L, L},
  [NV_POL_LEVEL_AUDIT] = {E, L, L, L, L},
  [NV_POL_LEVEL_SKIP] = {S, S, S, S, S},
};
#undef E
#undef L
#undef S

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int index_of(const char *const *names, size_t n, const char *name)
{
  if (name == NULL)
    return 0;
  for (size_t i = 1; i < n; i++)
    if (names[i] != NULL && strcmp(names[i], name) == 0)
      return (int)i;
  return 0;
}

nv_pol_level nv_pol_level_from_name(const char *name)
{
  return (nv_pol_level)index_of(level_names, COUNT(level_names), name);
}

const char *nv_pol_level_name(nv_pol_level level)
{
  return level > NV_POL_LEVEL_NONE && (size_t)level < COUNT(level_names) ? level_names[level] : NULL;
}

nv_pol_check nv_pol_check_from_name(const char *name)
{
  if (name != NULL)
    for (size_t i = 0; i < COUNT(check_names); i++)
      if (strcmp(check_names[i], name) == 0)
        return (nv_pol_check)i;
  return NV_POL_CHECK_COUNT;
}

const char *nv_pol_check_name(nv_pol_check check)
{
  return (size_t)check < COUNT(check_names) ? check_names[check] : NULL;
}

nv_pol_action nv_pol_action_from_name(const char *name)
{
  return (nv_pol_action)index_of(action_names, COUNT(action_names), name);
}

const char *nv_pol_action_name(nv_pol_action action)
{
  return action > NV_POL_ACTION_NONE && (size_t)action < COUNT(action_names) ? action_names[action]
                                                                             : NULL;
}

nv_pol_action nv_pol_level_action(nv_pol_level level, nv_pol_check check)
{
  if (level <= NV_POL_LEVEL_NONE || (size_t)level >= COUNT(level_table) ||
      (size_t)check >= NV_POL_CHECK_COUNT)
    return NV_POL_ACTION_NONE;
  return level_table[level][check];
}

nv_status nv_pol_override_allowed(nv_pol_level level, nv_pol_check check, nv_pol_action action,
                                  nv_diag *d)
{
  if (level == NV_POL_LEVEL_SKIP)
    return nv_diag_set(d, NV_E_POLICY_OVERRIDE_WITH_SKIP,
                       "signature verification level \"skip\" can't be used to customize "
                       "signature verification; remove \"override\" or choose another level");
  if ((size_t)check >= NV_POL_CHECK_COUNT)
    return nv_diag_set(d, NV_E_POLICY_OVERRIDE_TYPE_INVALID,
                       "override names an unknown validation type; use integrity, authenticity, "
                       "authenticTimestamp, expiry or revocation");
  if (action <= NV_POL_ACTION_NONE || (size_t)action >= COUNT(action_names))
    return nv_diag_set(d, NV_E_POLICY_OVERRIDE_ACTION_INVALID,
                       "override of \"%s\" names an unknown action; use enforce, log or skip",
                       check_names[check]);
  if (check == NV_POL_CHECK_INTEGRITY)
    return nv_diag_set(d, NV_E_POLICY_OVERRIDE_INTEGRITY,
                       "\"integrity\" verification can not be overridden");
  if (action == NV_POL_ACTION_SKIP && check != NV_POL_CHECK_REVOCATION)
    return nv_diag_set(d, NV_E_POLICY_OVERRIDE_SKIP_NOT_ALLOWED,
                       "\"%s\" verification can not be skipped; only revocation can be",
                       check_names[check]);
  return NV_OK;
}
