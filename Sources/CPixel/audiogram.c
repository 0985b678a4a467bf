#include "CPixel.h"
#include <math.h>
#include <string.h>

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

float tk_level_of(const float *samples, int count) {
    if (count <= 0) return 0;
    double sum = 0;
    for (int i = 0; i < count; i++) sum += (double)samples[i] * samples[i];
    double rms = sqrt(sum / count);
    if (rms <= 0) return 0;
    double db = 20 * log10(rms);
    double level = (db + 48) / 48;
    return (float)(level < 0 ? 0 : level > 1 ? 1 : level);
}
