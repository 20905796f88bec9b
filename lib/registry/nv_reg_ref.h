/*
 * Registry references: "host[:port]/repository[:tag][@digest]", parsed
 * strictly (the grammar of the OCI distribution reference, without Docker
 * Hub's short names).
 */
#ifndef NV_REGISTRY_REF_H
#define NV_REGISTRY_REF_H

#include <stdbool.h>
#include "base/nv_diag.h"

/* Longest reference accepted, and longest "host/repository" name (the
 * distribution reference's limit). */
#define NV_REG_REF_MAX_BYTES 4096
#define NV_REG_NAME_MAX_BYTES 255
#define NV_REG_TAG_MAX_BYTES 128

typedef struct nv_reg_ref {
  char *registry;   /* "host[:port]" as written: the credential and policy key */
  char *repository; /* "path/components" */
  char *tag;        /* NULL when absent */
  char *digest;     /* validated "alg:hex", NULL when absent */
} nv_reg_ref;

/* Parse `ref`:
 *   registry   a DNS name ([A-Za-z0-9] labels, inner '-', dot separated),
 *              an IPv4 address or a bracketed IPv6 address, optionally
 *              ":port" (1..65535). The first path component is the
 *              registry only if it contains '.' or ':', starts with '[',
 *              or is "localhost"; otherwise the reference is a Docker Hub
 *              short name, which is refused (not expanded to docker.io:
 *              trust policy scopes are fully qualified, so the user must
 *              write the registry).
 *   repository one or more '/'-separated components of lowercase
 *              [a-z0-9] runs joined by '.', '_', "__" or runs of '-';
 *              "registry/repository" at most NV_REG_NAME_MAX_BYTES.
 *   tag        [A-Za-z0-9_][A-Za-z0-9._-]{0,127}
 *   digest     nv_digest_parse() (sha256/sha384/sha512, lowercase hex)
 * At least one of tag and digest is required; with both, the digest names
 * the artifact and the tag is informational. Any violation is
 * NV_E_REFERENCE_INVALID with the reason; NV_E_NOMEM. `out` is zeroed on
 * failure. */
nv_status nv_reg_ref_parse(const char *ref, nv_reg_ref *out, nv_diag *d);
void nv_reg_ref_free(nv_reg_ref *r);

/* `s` is a valid "host[:port]" registry name (the grammar above). */
bool nv_reg_registry_valid(const char *s);

/* The host that serves the registry's API: "registry-1.docker.io" for
 * "docker.io" (as oras-go and docker do), else the registry itself. */
const char *nv_reg_api_host(const char *registry);

#endif /* NV_REGISTRY_REF_H */
