/* Process-wide set-up of the HTTP stack (libcurl). */
#ifndef NV_REGISTRY_GLOBAL_H
#define NV_REGISTRY_GLOBAL_H

#include <stdbool.h>
#include "base/nv_diag.h"

/* curl_global_init(); called once by nv_global_init() unless the
 * application owns libcurl's global state (NV_INIT_NO_CURL). */
nv_status nv_reg_global_init(nv_diag *d);
void nv_reg_global_cleanup(void);

#endif /* NV_REGISTRY_GLOBAL_H */
