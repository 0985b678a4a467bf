// libheif (HEIC/HEIF photos), used only by Sources/HEIF.
#ifndef TIKCONV_CHEIF_SHIM_H
#define TIKCONV_CHEIF_SHIM_H
#include <libheif/heif.h>
#endif
