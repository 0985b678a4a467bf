#include "CPixel.h"

// Fades toward a fixed level: dst = level + (src - level) * gain, gain in Q15 (32768 = 1),
// rounded half away from zero on both sides of the level (so gain 1 changes nothing, even below
// black). The loops are plain so the compiler vectorises them; src may equal dst (in place).

static inline int faded(int s, int level, int gain_q15) {
    int d = s - level;
    return level + (d * gain_q15 + (d < 0 ? -16384 : 16384)) / 32768;
}

void tk_fade_plane8(const uint8_t *src, ptrdiff_t ss, uint8_t *dst, ptrdiff_t ds, int w, int h,
                    int level, int gain_q15) {
    for (int y = 0; y < h; y++) {
        const uint8_t *s = src + y * ss;
        uint8_t *d = dst + y * ds;
        for (int x = 0; x < w; x++) {
            int v = faded(s[x], level, gain_q15);
            d[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

void tk_fade_plane16(const uint8_t *src, ptrdiff_t ss, uint8_t *dst, ptrdiff_t ds, int w, int h,
                     int level, int gain_q15) {
    for (int y = 0; y < h; y++) {
        const uint16_t *s = (const uint16_t *)(src + y * ss);
        uint16_t *d = (uint16_t *)(dst + y * ds);
        for (int x = 0; x < w; x++) {
            int v = faded(s[x], level, gain_q15);
            d[x] = (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v);
        }
    }
}

void tk_fill_plane16(uint8_t *dst, ptrdiff_t stride, int w, int h, uint16_t value) {
    for (int y = 0; y < h; y++) {
        uint16_t *d = (uint16_t *)(dst + y * stride);
        for (int x = 0; x < w; x++) d[x] = value;
    }
}
