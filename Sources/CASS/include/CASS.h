#ifndef TIKCONV_CASS_SHIM_H
#define TIKCONV_CASS_SHIM_H
// libass: subtitle text shaped with HarfBuzz, fonts found by fontconfig, rendered as alpha
// bitmaps. tikconv uses a narrow part of it (library, renderer, track, render a frame), opened
// on first use (Sources/CASS/loader.c, recipe: CLazyLoad.h).
#include <stdarg.h>
#include <stddef.h>
#include <ass/ass.h>

/// Opens libass; 0, or -1 with the reason in `err`.
int tk_ass_load(char *err, size_t err_len);

// The ASS colour word is RRGGBBAA with AA = transparency (0 is opaque).
static inline unsigned char tk_ass_r(unsigned int c) { return (c >> 24) & 0xff; }
static inline unsigned char tk_ass_g(unsigned int c) { return (c >> 16) & 0xff; }
static inline unsigned char tk_ass_b(unsigned int c) { return (c >> 8) & 0xff; }
static inline unsigned char tk_ass_opacity(unsigned int c) { return 255 - (c & 0xff); }

// libass logs every font it picks to stderr by default; tikconv reports in its own words.
static void tk_ass_ignore(int level, const char *fmt, va_list args, void *data) {
    (void)level; (void)fmt; (void)args; (void)data;
}
static inline void tk_ass_quiet(ASS_Library *library) { ass_set_message_cb(library, tk_ass_ignore, 0); }
#endif
