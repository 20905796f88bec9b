/* Helpers shared by the registry layer (see nv_reg_util.h). */
#include "registry/nv_reg_util.h"

#include <stdlib.h>
#include <string.h>

char *nv_reg_dup_range(const char *s, size_t len)
{
  char *p = malloc(len + 1);
  if (p != NULL) {
    memcpy(p, s, len);
    p[len] = '\0';
  }
  return p;
}

void nv_reg_wipe(char *s)
{
  if (s == NULL)
    return;
  /* volatile: the stores must happen although the memory is freed next */
  volatile char *p = s;
  while (*p != '\0')
    *p++ = '\0';
}

void nv_reg_wipe_free(char *s)
{
  nv_reg_wipe(s);
  free(s);
}
