// libheif (HEIC/HEIF photos), used only by Sources/HEIF. Loaded on first use (see CLazyLoad.h).
#ifndef TIKCONV_CHEIF_H
#define TIKCONV_CHEIF_H
#include <libheif/heif.h>
#include <stddef.h>

/// Opens libheif; 0, or -1 with the reason in `err`.
int tk_heif_load(char *err, size_t err_len);
#endif
