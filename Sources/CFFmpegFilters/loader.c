// The libavfilter functions Sources/FFmpeg calls, opened on first use (recipe: CLazyLoad.h).
#include "CFFmpegFilters.h"
#include "CLazyLoad.h"
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavfilter/version.h>
#include <libavutil/macros.h>

#define TK_LAZY_FUNCTIONS(F, V)                                                              \
    F(AVFilterGraph *, avfilter_graph_alloc, (void), ())                                     \
    V(avfilter_graph_free, (AVFilterGraph **graph), (graph))                                 \
    F(const AVFilter *, avfilter_get_by_name, (const char *name), (name))                    \
    F(int, avfilter_graph_create_filter, (AVFilterContext **filt_ctx, const AVFilter *filt,  \
      const char *name, const char *args, void *opaque, AVFilterGraph *graph_ctx),          \
      (filt_ctx, filt, name, args, opaque, graph_ctx))                                       \
    F(AVFilterInOut *, avfilter_inout_alloc, (void), ())                                     \
    V(avfilter_inout_free, (AVFilterInOut **inout), (inout))                                 \
    F(int, avfilter_graph_parse_ptr, (AVFilterGraph *graph, const char *filters,            \
      AVFilterInOut **inputs, AVFilterInOut **outputs, void *log_ctx),                      \
      (graph, filters, inputs, outputs, log_ctx))                                            \
    F(int, avfilter_graph_config, (AVFilterGraph *graphctx, void *log_ctx), (graphctx, log_ctx)) \
    F(int, av_buffersrc_add_frame_flags, (AVFilterContext *buffer_src, AVFrame *frame, int flags), \
      (buffer_src, frame, flags))                                                            \
    F(int, av_buffersink_get_frame, (AVFilterContext *ctx, AVFrame *frame), (ctx, frame))

// The soname follows the headers' major version, so the ABI opened is the one compiled against.
TK_LAZY_DEFINE(avfilter, "libavfilter (audio edits: volume, speed, loudness)", "Debian's libavfilter",
               "TIKCONV_AVFILTER_LIBRARY", "libavfilter.so." AV_STRINGIFY(LIBAVFILTER_VERSION_MAJOR),
               "libavfilter." AV_STRINGIFY(LIBAVFILTER_VERSION_MAJOR) ".dylib")
