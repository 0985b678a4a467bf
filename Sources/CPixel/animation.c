#include "CPixel.h"

void tk_composite_rgba_over(uint8_t *px, ptrdiff_t stride, int w, int h, uint8_t c0, uint8_t c1, uint8_t c2) {
    for (int j = 0; j < h; j++) {
        uint8_t *p = px + j * stride;
        for (int i = 0; i < w; i++, p += 4) {
            int a = p[3];
            if (a == 255) continue;
            int b = 255 - a;
            // (x*a + c*(255-a)) / 255, rounded.
            p[0] = (uint8_t)((p[0] * a + c0 * b + 127) / 255);
            p[1] = (uint8_t)((p[1] * a + c1 * b + 127) / 255);
            p[2] = (uint8_t)((p[2] * a + c2 * b + 127) / 255);
            p[3] = 255;
        }
    }
}
