/*
 * nv_global_init() / nv_global_cleanup(): a reference count under a mutex,
 * so any number of threads and libraries in one process may pair them.
 */
#include <notaryc/nv_global.h>

#include <pthread.h>
#include "registry/nv_reg_global.h"
#include "verify/nv_vfy_global.h"

static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t global_refs;
static uint32_t global_flags;

NV_API nv_status nv_global_init(uint32_t flags)
{
  if ((flags & ~NV_INIT_NO_CURL) != 0)
    return NV_E_INVALID_ARG;
  nv_status rc = NV_OK;
  pthread_mutex_lock(&global_lock);
  if (global_refs == UINT32_MAX) {
    rc = NV_E_LIMIT;
  } else if (global_refs > 0) {
    if (flags != global_flags)
      rc = NV_E_INVALID_ARG;
    else
      global_refs++;
  } else {
    if (!(flags & NV_INIT_NO_CURL))
      rc = nv_reg_global_init(NULL);
    if (rc == NV_OK) {
      global_flags = flags;
      global_refs = 1;
    }
  }
  pthread_mutex_unlock(&global_lock);
  return rc;
}

NV_API void nv_global_cleanup(void)
{
  pthread_mutex_lock(&global_lock);
  if (global_refs > 0 && --global_refs == 0) {
    if (!(global_flags & NV_INIT_NO_CURL))
      nv_reg_global_cleanup();
    global_flags = 0;
  }
  pthread_mutex_unlock(&global_lock);
}

bool nv_vfy_global_ready(void)
{
  pthread_mutex_lock(&global_lock);
  bool ready = global_refs > 0;
  pthread_mutex_unlock(&global_lock);
  return ready;
}
