/*
 * Semantic versions (SemVer 2.0, semver.org) as the plugin attributes of
 * notary-spec.md section 16 use them. Strings carry no "v" prefix.
 *
 * Two grammars, on purpose:
 *  - nv_semver_valid() is the semver.org grammar exactly (the regular
 *    expression semver.org gives, which notation-go applies to the
 *    io.cncf.notary.verificationPluginMinVersion attribute):
 *    MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], numbers without leading
 *    zeros, identifiers of [0-9A-Za-z-] that are not empty, numeric
 *    pre-release identifiers without leading zeros.
 *  - nv_semver_compare() orders versions as notation-go does,
 *    golang.org/x/mod/semver's Compare("v" + a, "v" + b). That grammar
 *    also takes the shorthands MAJOR and MAJOR.MINOR (meaning MAJOR.0.0
 *    and MAJOR.MINOR.0), but only without a pre-release or build suffix:
 *    "1-pre+meta" is not a version in either grammar.
 */
#ifndef NV_BASE_SEMVER_H
#define NV_BASE_SEMVER_H

#include <stdbool.h>

/* `s` is a SemVer 2.0 version (semver.org grammar; false for NULL). */
bool nv_semver_valid(const char *s);

/* -1, 0 or +1 as `a` orders before, equal to or after `b` by SemVer
 * precedence: MAJOR, MINOR and PATCH numerically (any number of digits),
 * a pre-release before its release, pre-release identifiers left to
 * right (numeric ones numerically and before alphanumeric ones, those in
 * ASCII order; a shorter list of equal identifiers first); build metadata
 * is ignored. As in x/mod/semver, a string that is not a version (NULL
 * included) orders before every version and equal to every other such
 * string, so validate with nv_semver_valid() first when that matters. */
int nv_semver_compare(const char *a, const char *b);

#endif /* NV_BASE_SEMVER_H */
