#include "CPixel.h"
#include <math.h>
#include <string.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static void restore(uint8_t *d, ptrdiff_t ds, const uint8_t *p, ptrdiff_t ps, int x, int y, int w, int h) {
    for (int j = y; j < y + h; j++) memcpy(d + j * ds + x, p + j * ps + x, (size_t)w);
}

static void fill(uint8_t *d, ptrdiff_t ds, int x, int y, int w, int h, uint8_t value) {
    for (int j = y; j < y + h; j++) memset(d + j * ds + x, value, (size_t)w);
}

void tk_draw_level_bars(uint8_t *dy, ptrdiff_t dys, uint8_t *du, ptrdiff_t dus, uint8_t *dv, ptrdiff_t dvs,
                        const uint8_t *py, ptrdiff_t pys, const uint8_t *pu, ptrdiff_t pus, const uint8_t *pv, ptrdiff_t pvs,
                        int x, int y, int w, int h, const float *levels, int count, uint8_t cy, uint8_t cu, uint8_t cv) {
    restore(dy, dys, py, pys, x, y, w, h);
    restore(du, dus, pu, pus, x / 2, y / 2, w / 2, h / 2);
    restore(dv, dvs, pv, pvs, x / 2, y / 2, w / 2, h / 2);
    if (count <= 0) return;
    int pitch = (w / count) & ~1;
    int bar = (pitch * 2 / 3) & ~1;
    if (bar < 2) bar = 2;
    int left = x + ((w - pitch * count) / 2 & ~1) + ((pitch - bar) / 2 & ~1);
    for (int i = 0; i < count; i++) {
        float level = levels[i] < 0 ? 0 : levels[i] > 1 ? 1 : levels[i];
        int tall = ((int)(level * h) + 1) & ~1;
        if (tall < 4) tall = 4;
        if (tall > h) tall = h & ~1;
        int top = y + ((h - tall) / 2 & ~1), bx = left + i * pitch;
        fill(dy, dys, bx, top, bar, tall, cy);
        fill(du, dus, bx / 2, top / 2, bar / 2, tall / 2, cu);
        fill(dv, dvs, bx / 2, top / 2, bar / 2, tall / 2, cv);
    }
}

void tk_band_levels(const float *x, int n, int rate, int bands, float lo_hz, float hi_hz, float *out) {
    for (int b = 0; b < bands; b++) {
        double f = bands > 1 ? lo_hz * pow(hi_hz / lo_hz, (double)b / (bands - 1)) : lo_hz;
        double coeff = 2 * cos(2 * M_PI * f / rate), s1 = 0, s2 = 0;
        for (int i = 0; i < n; i++) {
            double w = 0.5 - 0.5 * cos(2 * M_PI * i / (n > 1 ? n - 1 : 1));
            double s0 = x[i] * w + coeff * s1 - s2;
            s2 = s1; s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        // A Hann-windowed sine of amplitude A gives |X| = A n / 4.
        double amplitude = power > 0 ? 4 * sqrt(power) / (n > 0 ? n : 1) : 0;
        double level = amplitude > 0 ? (20 * log10(amplitude) + 78) / 54 : 0;
        out[b] = (float)(level < 0 ? 0 : level > 1 ? 1 : level);
    }
}
