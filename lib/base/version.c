/* Version queries and the public deallocator. */
#include <notaryc/nv_common.h>
#include <notaryc/nv_version.h>

#include <stdlib.h>

NV_API const char *nv_version_string(void)
{
  return NV_VERSION_STRING;
}

NV_API uint32_t nv_version_number(void)
{
  return (uint32_t)NV_VERSION_NUMBER;
}

NV_API void nv_free(void *ptr)
{
  free(ptr);
}
