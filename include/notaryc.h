/*
 * libnotaryc: verify Notary Project (notation) signatures on OCI artifacts.
 *
 * This umbrella header is the whole public API. Everything it declares is
 * covered by the ABI promise in docs/abi-policy.md.
 */
#ifndef NOTARYC_H
#define NOTARYC_H

#include <notaryc/nv_common.h>
#include <notaryc/nv_version.h>
#include <notaryc/nv_errors.h>
#include <notaryc/nv_global.h>
#include <notaryc/nv_context.h>
#include <notaryc/nv_envelope.h>
#include <notaryc/nv_trust.h>
#include <notaryc/nv_verify.h>
#include <notaryc/nv_registry.h>
#include <notaryc/nv_revocation.h>

#endif /* NOTARYC_H */
