// compute_small: the compute kernel at scale 1, for the test suite.
#define DEFAULT_SCALE 1
#include "compute.c"
