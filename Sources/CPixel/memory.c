// Allocator tuning the engine needs (see tk_pin_mmap_threshold in CPixel.h). mallopt is
// glibc's; elsewhere the call does nothing.
#include "CPixel.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int tk_pin_mmap_threshold(size_t bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, (int)bytes);
#else
    (void)bytes;
    return 0;
#endif
}
