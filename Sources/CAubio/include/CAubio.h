// aubio (beat tracking for --beat-sync), used only by Sources/BeatTracking. Loaded on first
// use (see CLazyLoad.h).
#ifndef TIKCONV_CAUBIO_H
#define TIKCONV_CAUBIO_H
#include <aubio/aubio.h>
#include <stddef.h>

/// Opens libaubio; 0, or -1 with the reason in `err`.
int tk_aubio_load(char *err, size_t err_len);
#endif
