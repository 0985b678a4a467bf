// FFmpeg's libraries, used only by Sources/FFmpeg: their functions are declared by CFFmpeg's
// headers and defined here as trampolines that open each library on first use (see
// CLazyLoad.h), one file per library. `tikconv --version` maps none of them, and a conversion
// without audio edits never maps libavfilter.
#ifndef TIKCONV_CFFMPEGFILTERS_H
#define TIKCONV_CFFMPEGFILTERS_H
#include <stddef.h>

/// Opens libavfilter; 0, or -1 with the reason in `err`.
int tk_avfilter_load(char *err, size_t err_len);

/// Opens libavutil, libavcodec, libavformat, libswscale and libswresample; 0, or -1 with the
/// reason in `err`.
int tk_ffmpeg_load(char *err, size_t err_len);

/// av_log_set_level, now if libavutil is open, else as soon as it opens (without opening it).
void tk_ffmpeg_set_log_level(int level);

int tk_avutil_load(char *err, size_t err_len);
int tk_avcodec_load(char *err, size_t err_len);
int tk_avformat_load(char *err, size_t err_len);
int tk_swscale_load(char *err, size_t err_len);
int tk_swresample_load(char *err, size_t err_len);
#endif
