// The libwebpdemux functions Sources/WebP calls, opened on first use (recipe: CLazyLoad.h), so
// only a run that reads an animated WebP maps libwebp. WebPAnimDecoderOptionsInit and
// WebPAnimDecoderNew are inline in the header: they call the *Internal functions with the ABI
// version, which are the ones forwarded here.
#include "CWebP.h"
#include "CLazyLoad.h"

#define TK_LAZY_FUNCTIONS(F, V) \
    F(int, WebPAnimDecoderOptionsInitInternal, (WebPAnimDecoderOptions *options, int version), (options, version)) \
    F(WebPAnimDecoder *, WebPAnimDecoderNewInternal, (const WebPData *data, const WebPAnimDecoderOptions *options, int version), (data, options, version)) \
    F(int, WebPAnimDecoderGetInfo, (const WebPAnimDecoder *dec, WebPAnimInfo *info), (dec, info)) \
    F(int, WebPAnimDecoderGetNext, (WebPAnimDecoder *dec, uint8_t **buf, int *timestamp), (dec, buf, timestamp)) \
    F(int, WebPAnimDecoderHasMoreFrames, (const WebPAnimDecoder *dec), (dec)) \
    V(WebPAnimDecoderReset, (WebPAnimDecoder *dec), (dec)) \
    F(const WebPDemuxer *, WebPAnimDecoderGetDemuxer, (const WebPAnimDecoder *dec), (dec)) \
    V(WebPAnimDecoderDelete, (WebPAnimDecoder *dec), (dec)) \
    F(int, WebPDemuxGetFrame, (const WebPDemuxer *dmux, int frame_number, WebPIterator *iter), (dmux, frame_number, iter)) \
    V(WebPDemuxReleaseIterator, (WebPIterator *iter), (iter))

TK_LAZY_DEFINE(webp, "libwebpdemux (animated WebP)", "Debian's libwebpdemux2", "TIKCONV_WEBP_LIBRARY",
               "libwebpdemux.so.2", "libwebpdemux.2.dylib", "libwebpdemux.so", "libwebpdemux.dylib")
