#ifndef TIKCONV_CASS_SHIM_H
#define TIKCONV_CASS_SHIM_H
// libass: subtitle text shaped with HarfBuzz, fonts found by fontconfig, rendered as alpha
// bitmaps. tikconv uses a narrow part of it (library, renderer, track, render a frame), so it
// can later be loaded on first use.
#include <ass/ass.h>

// The ASS colour word is RRGGBBAA with AA = transparency (0 is opaque).
static inline unsigned char tk_ass_r(unsigned int c) { return (c >> 24) & 0xff; }
static inline unsigned char tk_ass_g(unsigned int c) { return (c >> 16) & 0xff; }
static inline unsigned char tk_ass_b(unsigned int c) { return (c >> 8) & 0xff; }
static inline unsigned char tk_ass_opacity(unsigned int c) { return 255 - (c & 0xff); }
#endif
