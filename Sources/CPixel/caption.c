// Caption overlays: libass gives alpha bitmaps in one colour each; they are composited once per
// change into a premultiplied Y'CbCrA box, which is blended into each 4:2:0 picture it covers.
#include "CPixel.h"

static inline uint8_t div255(int v) { return (uint8_t)((v + 128 + ((v + 128) >> 8)) >> 8); }

void tk_overlay_add(const uint8_t *bitmap, ptrdiff_t bstride, int w, int h, int x, int y,
                    uint8_t cy, uint8_t cu, uint8_t cv, uint8_t opacity,
                    uint8_t *oy, uint8_t *ou, uint8_t *ov, uint8_t *oa, int ow) {
    for (int j = 0; j < h; j++) {
        const uint8_t *src = bitmap + j * bstride;
        size_t row = (size_t)(y + j) * (size_t)ow + (size_t)x;
        for (int i = 0; i < w; i++) {
            int a = div255(src[i] * opacity);
            if (a == 0) continue;
            size_t k = row + (size_t)i;
            int keep = 255 - a;
            oy[k] = (uint8_t)(cy * a / 255 + div255(oy[k] * keep));
            ou[k] = (uint8_t)(cu * a / 255 + div255(ou[k] * keep));
            ov[k] = (uint8_t)(cv * a / 255 + div255(ov[k] * keep));
            oa[k] = (uint8_t)(a + div255(oa[k] * keep));
        }
    }
}

void tk_overlay_blend420(const uint8_t *oy, const uint8_t *ou, const uint8_t *ov, const uint8_t *oa, int ow, int oh,
                         uint8_t *y, ptrdiff_t ys, uint8_t *u, ptrdiff_t us, uint8_t *v, ptrdiff_t vs) {
    for (int j = 0; j < oh; j++) {
        const uint8_t *py = oy + (size_t)j * ow, *pa = oa + (size_t)j * ow;
        uint8_t *dy = y + j * ys;
        for (int i = 0; i < ow; i++) {
            if (pa[i] == 0) continue;
            dy[i] = (uint8_t)(py[i] + div255(dy[i] * (255 - pa[i])));
        }
    }
    for (int j = 0; j < oh / 2; j++) {
        size_t r0 = (size_t)(2 * j) * ow, r1 = r0 + (size_t)ow;
        uint8_t *du = u + j * us, *dv = v + j * vs;
        for (int i = 0; i < ow / 2; i++) {
            size_t k0 = r0 + 2 * (size_t)i, k1 = r1 + 2 * (size_t)i;
            int a = oa[k0] + oa[k0 + 1] + oa[k1] + oa[k1 + 1];
            if (a == 0) continue;
            int pu = ou[k0] + ou[k0 + 1] + ou[k1] + ou[k1 + 1];
            int pv = ov[k0] + ov[k0 + 1] + ov[k1] + ov[k1 + 1];
            int keep = 1020 - a;
            du[i] = (uint8_t)((pu * 255 + du[i] * keep + 510) / 1020);
            dv[i] = (uint8_t)((pv * 255 + dv[i] * keep + 510) / 1020);
        }
    }
}
