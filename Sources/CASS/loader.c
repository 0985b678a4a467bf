// The libass functions Sources/Captions calls, opened on first use (recipe: CLazyLoad.h), so
// only a run that burns captions or titles maps libass (and its fontconfig, FreeType, HarfBuzz).
#include "CASS.h"
#include "CLazyLoad.h"

typedef void (*tk_ass_message_cb)(int level, const char *fmt, va_list args, void *data);

#define TK_LAZY_FUNCTIONS(F, V) \
    F(ASS_Library *, ass_library_init, (void), ()) \
    V(ass_library_done, (ASS_Library *priv), (priv)) \
    V(ass_set_extract_fonts, (ASS_Library *priv, int extract), (priv, extract)) \
    V(ass_set_message_cb, (ASS_Library *priv, tk_ass_message_cb msg_cb, void *data), (priv, msg_cb, data)) \
    F(ASS_Track *, ass_read_memory, (ASS_Library *library, char *buf, size_t bufsize, char *codepage), (library, buf, bufsize, codepage)) \
    V(ass_free_track, (ASS_Track *track), (track)) \
    F(ASS_Renderer *, ass_renderer_init, (ASS_Library *library), (library)) \
    V(ass_renderer_done, (ASS_Renderer *priv), (priv)) \
    V(ass_set_frame_size, (ASS_Renderer *priv, int w, int h), (priv, w, h)) \
    V(ass_set_storage_size, (ASS_Renderer *priv, int w, int h), (priv, w, h)) \
    V(ass_set_fonts, (ASS_Renderer *priv, const char *default_font, const char *default_family, int dfp, const char *config, int update), (priv, default_font, default_family, dfp, config, update)) \
    F(ASS_Image *, ass_render_frame, (ASS_Renderer *priv, ASS_Track *track, long long now, int *detect_change), (priv, track, now, detect_change))

TK_LAZY_DEFINE(ass, "libass (captions and titles)", "Debian's libass9", "TIKCONV_ASS_LIBRARY",
               "libass.so.9", "libass.9.dylib", "libass.so", "libass.dylib")
