#include "registry/nv_reg_global.h"

#include <curl/curl.h>

nv_status nv_reg_global_init(nv_diag *d)
{
  CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK)
    return nv_diag_set(d, NV_E_NETWORK, "libcurl initialisation failed: %s",
                       curl_easy_strerror(rc));
  return NV_OK;
}

void nv_reg_global_cleanup(void)
{
  curl_global_cleanup();
}
