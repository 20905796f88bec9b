/* The bodies of the public trust objects (internal). */
#ifndef NV_VERIFY_TRUST_H
#define NV_VERIFY_TRUST_H

#include <notaryc/nv_trust.h>
#include "policy/nv_pol_policy.h"
#include "policy/nv_pol_store.h"

struct nv_trust_policy {
  nv_pol_doc *doc;
};

struct nv_truststore {
  nv_pol_store *store;
};

/* The public value of an action (0 for NV_POL_ACTION_NONE). */
nv_action nv_vfy_action(nv_pol_action action);

/* Every trustStores entry of every statement ("type:name"), borrowed from
 * the document; free the array (not the strings). */
nv_status nv_vfy_policy_store_refs(const nv_pol_doc *doc, const char ***refs_out,
                                   size_t *count_out, nv_diag *d);

#endif /* NV_VERIFY_TRUST_H */
