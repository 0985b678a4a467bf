// The five libraries every media command needs, opened together so the FFmpeg layer can report
// a missing one as an error before its first call.
#include "CFFmpegLoader.h"

int tk_ffmpeg_load(char *err, size_t err_len) {
    int (*const loads[])(char *, size_t) = {tk_avutil_load, tk_avcodec_load, tk_avformat_load, tk_swscale_load,
                                            tk_swresample_load};
    for (size_t i = 0; i < sizeof(loads) / sizeof(loads[0]); i++)
        if (loads[i](err, err_len) != 0) return -1;
    return 0;
}
