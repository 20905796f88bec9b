/*
 * Verification levels and the action each gives the five validation types
 * (notary-spec.md section 13.4).
 */
#ifndef NV_POLICY_LEVEL_H
#define NV_POLICY_LEVEL_H

#include "base/nv_diag.h"

typedef enum nv_pol_level {
  NV_POL_LEVEL_NONE = 0,
  NV_POL_LEVEL_STRICT,
  NV_POL_LEVEL_PERMISSIVE,
  NV_POL_LEVEL_AUDIT,
  NV_POL_LEVEL_SKIP
} nv_pol_level;

/* Validation types in the order the pipeline runs them. */
typedef enum nv_pol_check {
  NV_POL_CHECK_INTEGRITY = 0,
  NV_POL_CHECK_AUTHENTICITY,
  NV_POL_CHECK_AUTHENTIC_TIMESTAMP,
  NV_POL_CHECK_EXPIRY,
  NV_POL_CHECK_REVOCATION,
  NV_POL_CHECK_COUNT
} nv_pol_check;

typedef enum nv_pol_action {
  NV_POL_ACTION_NONE = 0,
  NV_POL_ACTION_ENFORCE,
  NV_POL_ACTION_LOG,
  NV_POL_ACTION_SKIP
} nv_pol_action;

/* Exact, case-sensitive names as trust policy documents spell them. */
nv_pol_level nv_pol_level_from_name(const char *name);
const char *nv_pol_level_name(nv_pol_level level);
nv_pol_check nv_pol_check_from_name(const char *name); /* NV_POL_CHECK_COUNT if unknown */
const char *nv_pol_check_name(nv_pol_check check);
nv_pol_action nv_pol_action_from_name(const char *name);
const char *nv_pol_action_name(nv_pol_action action);

/* The action a level gives a validation type, before overrides. */
nv_pol_action nv_pol_level_action(nv_pol_level level, nv_pol_check check);

/* Whether an override of `check` to `action` is allowed; the status code and
 * message say why not (NV_E_POLICY_OVERRIDE_*). */
nv_status nv_pol_override_allowed(nv_pol_level level, nv_pol_check check, nv_pol_action action,
                                  nv_diag *d);

#endif /* NV_POLICY_LEVEL_H */
