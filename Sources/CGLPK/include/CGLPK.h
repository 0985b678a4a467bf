// GLPK (GNU Linear Programming Kit, Debian's libglpk-dev headers), used only by
// Sources/Reframing through one owner class. Loaded on first use (see CLazyLoad.h).
#ifndef TIKCONV_CGLPK_H
#define TIKCONV_CGLPK_H
#include <glpk.h>
#include <stddef.h>

/// Opens libglpk; 0, or -1 with the reason in `err`.
int tk_glpk_load(char *err, size_t err_len);
#endif
