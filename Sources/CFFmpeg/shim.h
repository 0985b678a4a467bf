// Only what Swift cannot import from FFmpeg's headers: function-like macros,
// variadic functions and macro constants built from them. Each wrapper has a
// unit test comparing it with the C value (Tests/FFmpegTests/ShimTests.swift).
#ifndef TIKCONV_CFFMPEG_SHIM_H
#define TIKCONV_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/avutil.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/mastering_display_metadata.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

/// AVERROR(e): FFmpeg's negative form of a POSIX errno.
static inline int tk_averror(int posix_errno) { return AVERROR(posix_errno); }
/// AVUNERROR(e): back to the POSIX errno.
static inline int tk_avunerror(int code) { return AVUNERROR(code); }

static inline int tk_averror_eof(void) { return AVERROR_EOF; }
static inline int tk_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int tk_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int tk_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int tk_averror_encoder_not_found(void) { return AVERROR_ENCODER_NOT_FOUND; }
static inline int tk_averror_enomem(void) { return AVERROR(ENOMEM); }

static inline int64_t tk_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline int tk_time_base(void) { return AV_TIME_BASE; }
static inline AVRational tk_time_base_q(void) { return (AVRational){1, AV_TIME_BASE}; }

/// av_err2str is a macro over a compound literal; this writes into the caller's buffer.
static inline const char *tk_err2str(int code, char *buf, size_t size) {
    return av_make_error_string(buf, size, code);
}

/// av_log is variadic. The message is passed through "%s" so a '%' in it is never
/// read as a format directive. Defined in Sources/CFFmpegLoader/avutil.c (libavutil is opened
/// on first use, and a variadic function is called there through its resolved address).
void tk_log(void *avcl, int level, const char *message);

/// The FFmpeg version macros.
static inline unsigned tk_avformat_version_major(void) { return LIBAVFORMAT_VERSION_MAJOR; }

#endif
