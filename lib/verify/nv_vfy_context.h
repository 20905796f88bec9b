/* The body of the public nv_ctx (internal). */
#ifndef NV_VERIFY_CONTEXT_H
#define NV_VERIFY_CONTEXT_H

#include <notaryc/nv_context.h>
#include "base/nv_diag.h"

struct nv_ctx {
  nv_diag diag; /* last error and log hook of this context */
};

#endif /* NV_VERIFY_CONTEXT_H */
