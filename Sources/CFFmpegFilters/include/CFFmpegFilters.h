// libavfilter (the audio edits' filter graphs), used only by Sources/FFmpeg: its functions are
// declared by CFFmpeg's headers and defined here as trampolines that open libavfilter on first
// use (see CLazyLoad.h), so a conversion without audio edits never maps it.
#ifndef TIKCONV_CFFMPEGFILTERS_H
#define TIKCONV_CFFMPEGFILTERS_H
#include <stddef.h>

/// Opens libavfilter; 0, or -1 with the reason in `err`.
int tk_avfilter_load(char *err, size_t err_len);
#endif
