// libwebp's demux + animation decoder (animated WebP), used only by Sources/WebP.
#ifndef TIKCONV_CWEBP_SHIM_H
#define TIKCONV_CWEBP_SHIM_H
#include <webp/decode.h>
#include <webp/demux.h>
#endif
