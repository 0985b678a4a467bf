// libwebp's demux + animation decoder (animated WebP), used only by Sources/WebP. Loaded on
// first use (Sources/CWebP/loader.c, recipe: CLazyLoad.h).
#ifndef TIKCONV_CWEBP_SHIM_H
#define TIKCONV_CWEBP_SHIM_H
#include <stddef.h>
#include <webp/decode.h>
#include <webp/demux.h>

/// Opens libwebpdemux (which brings libwebp); 0, or -1 with the reason in `err`.
int tk_webp_load(char *err, size_t err_len);
#endif
