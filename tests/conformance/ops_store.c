/* store operations (being written). */
#include "runner.h"

const op_def store_ops[] = {
  {NULL, NULL, {NULL}},
};
