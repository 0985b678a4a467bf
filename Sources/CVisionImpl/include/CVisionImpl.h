// libTikconvVision implements the CVision C API (Sources/CVision/include/CVision.h); nothing
// else is exported. The binary opens this library on first use (Sources/CLazyLoad).
#include "../../CVision/include/CVision.h"
