// The target's functions are inline, in include/CPrefetch.h.
#include "CPrefetch.h"
