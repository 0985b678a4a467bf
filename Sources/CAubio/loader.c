// The aubio functions Sources/BeatTracking calls, opened on first use (recipe: CLazyLoad.h).
#include "CAubio.h"
#include "CLazyLoad.h"

#define TK_LAZY_FUNCTIONS(F, V)                                                              \
    F(aubio_tempo_t *, new_aubio_tempo, (const char_t *method, uint_t buf_size, uint_t hop_size, \
      uint_t samplerate), (method, buf_size, hop_size, samplerate))                          \
    V(del_aubio_tempo, (aubio_tempo_t *o), (o))                                              \
    V(aubio_tempo_do, (aubio_tempo_t *o, const fvec_t *input, fvec_t *tempo), (o, input, tempo)) \
    F(smpl_t, aubio_tempo_get_bpm, (aubio_tempo_t *o), (o))                                  \
    F(smpl_t, aubio_tempo_get_last_s, (aubio_tempo_t *o), (o))                               \
    F(fvec_t *, new_fvec, (uint_t length), (length))                                         \
    V(del_fvec, (fvec_t *s), (s))

TK_LAZY_DEFINE(aubio, "aubio (beat tracking for --beat-sync)", "Debian's libaubio5",
               "TIKCONV_AUBIO_LIBRARY", "libaubio.so.5", "libaubio.5.dylib", "libaubio.so", "libaubio.dylib")
