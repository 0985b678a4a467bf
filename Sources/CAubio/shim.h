// aubio (beat tracking for --beat-sync), used only by Sources/BeatTracking.
#ifndef TIKCONV_CAUBIO_SHIM_H
#define TIKCONV_CAUBIO_SHIM_H
#include <aubio/aubio.h>
#endif
