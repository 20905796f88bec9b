/* Small helpers shared by the registry layer's files. */
#ifndef NV_REGISTRY_UTIL_H
#define NV_REGISTRY_UTIL_H

#include <stddef.h>

/* A NUL-terminated copy of `len` bytes of `s`; NULL when out of memory. */
char *nv_reg_dup_range(const char *s, size_t len);

/* Overwrite a NUL-terminated secret with zeros (NULL does nothing), so a
 * password or token does not linger in freed memory. */
void nv_reg_wipe(char *s);

/* nv_reg_wipe(), then free(). */
void nv_reg_wipe_free(char *s);

#endif /* NV_REGISTRY_UTIL_H */
