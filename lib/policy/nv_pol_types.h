/* Vocabulary shared by trust policies and trust stores. */
#ifndef NV_POLICY_TYPES_H
#define NV_POLICY_TYPES_H

#include <stdbool.h>

/* Trust store types (notary-spec.md section 12), as the "<type>:" prefix of
 * a trustStores entry and the directory name under x509/ spell them. */
typedef enum nv_pol_store_type {
  NV_POL_STORE_NONE = 0,
  NV_POL_STORE_CA = 1,
  NV_POL_STORE_SIGNING_AUTHORITY = 2,
  NV_POL_STORE_TSA = 3
} nv_pol_store_type;

/* "ca", "signingAuthority", "tsa" (exact, case-sensitive). */
nv_pol_store_type nv_pol_store_type_from_name(const char *name);
const char *nv_pol_store_type_name(nv_pol_store_type type);

/* Store and statement names: ^[a-zA-Z0-9_.-]+$ */
bool nv_pol_name_valid(const char *name);

#endif /* NV_POLICY_TYPES_H */
