// Everything lives in include/CByteScan.h as static inline functions; SwiftPM needs one source file per C target.
#include "CByteScan.h"
