/* Library-wide state behind nv_global_init() (internal). */
#ifndef NV_VERIFY_GLOBAL_H
#define NV_VERIFY_GLOBAL_H

#include <stdbool.h>

/* True between a successful nv_global_init() and its last cleanup. */
bool nv_vfy_global_ready(void);

#endif /* NV_VERIFY_GLOBAL_H */
