/* policy operations (being written). */
#include "runner.h"

const op_def policy_ops[] = {
  {NULL, NULL, {NULL}},
};
