#include "CPixel.h"
#include <math.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

// Ken Burns pans and zooms move the picture by fractions of a pixel per frame. Sampling the
// source at exact fractional positions (instead of scaling an integer-aligned crop, as
// ffmpeg's zoompan does) is what keeps the motion from stepping a whole pixel at a time.

#define WBITS 14          // weights sum to 1 << WBITS
#define MIDBITS 6         // extra precision kept between the vertical and horizontal passes

// Keys cubic convolution with a = -0.5 (Catmull-Rom): the four weights for taps at distances
// 1+f, f, 1-f, 2-f from the sample position, f in [0, 1).
static void cubic_weights(double f, int16_t w[4]) {
    const double a = -0.5;
    double d[4] = {1 + f, f, 1 - f, 2 - f};
    int sum = 0, big = 1;
    for (int k = 0; k < 4; k++) {
        double x = d[k], v;
        if (x <= 1) v = ((a + 2) * x - (a + 3)) * x * x + 1;
        else v = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        w[k] = (int16_t)lrint(v * (1 << WBITS));
        sum += w[k];
        if (w[k] > w[big]) big = k;
    }
    w[big] += (int16_t)((1 << WBITS) - sum);   // exact unity gain: flat areas stay flat
}

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

// The horizontal taps of one output row: each output sample is a 4-tap dot product of the
// filtered row at its own position. With SSE2, pmaddwd does two taps at a time, four outputs
// per round; the result is the same as the scalar loop's, bit for bit.
static void horizontal(const int16_t *row, const int32_t *xi, const int16_t *xw, uint8_t *d, int dw) {
    int i = 0;
#ifdef __SSE2__
    const __m128i round = _mm_set1_epi32(1 << (WBITS + MIDBITS - 1));
    for (; i + 4 <= dw; i += 4) {
        __m128i t0 = _mm_loadl_epi64((const __m128i *)(row + xi[i])), t1 = _mm_loadl_epi64((const __m128i *)(row + xi[i + 1]));
        __m128i t2 = _mm_loadl_epi64((const __m128i *)(row + xi[i + 2])), t3 = _mm_loadl_epi64((const __m128i *)(row + xi[i + 3]));
        __m128i w01 = _mm_loadu_si128((const __m128i *)(xw + 4 * i)), w23 = _mm_loadu_si128((const __m128i *)(xw + 4 * i + 8));
        __m128 p01 = _mm_castsi128_ps(_mm_madd_epi16(_mm_unpacklo_epi64(t0, t1), w01));
        __m128 p23 = _mm_castsi128_ps(_mm_madd_epi16(_mm_unpacklo_epi64(t2, t3), w23));
        __m128i sum = _mm_add_epi32(_mm_castps_si128(_mm_shuffle_ps(p01, p23, _MM_SHUFFLE(2, 0, 2, 0))),
                                    _mm_castps_si128(_mm_shuffle_ps(p01, p23, _MM_SHUFFLE(3, 1, 3, 1))));
        sum = _mm_srai_epi32(_mm_add_epi32(sum, round), WBITS + MIDBITS);
        __m128i bytes = _mm_packus_epi16(_mm_packs_epi32(sum, sum), _mm_setzero_si128());
        int out = _mm_cvtsi128_si32(bytes);
        memcpy(d + i, &out, 4);
    }
#endif
    for (; i < dw; i++) {
        const int16_t *t = row + xi[i], *w = xw + 4 * i;
        int v = w[0] * t[0] + w[1] * t[1] + w[2] * t[2] + w[3] * t[3];
        v = (v + (1 << (WBITS + MIDBITS - 1))) >> (WBITS + MIDBITS);
        d[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}

size_t tk_resample_scratch_size(int sw, int dw) {
    return (size_t)dw * (sizeof(int32_t) + 4 * sizeof(int16_t)) + (size_t)(sw + 16) * sizeof(int16_t) + 64;
}

void tk_resample_plane(const uint8_t *src, ptrdiff_t ss, int sw, int sh,
                       double x0, double y0, double step_x, double step_y,
                       uint8_t *dst, ptrdiff_t ds, int dw, int dh, void *scratch) {
    if (sw <= 0 || sh <= 0 || dw <= 0 || dh <= 0) return;
    uint8_t *p = (uint8_t *)(((uintptr_t)scratch + 15) & ~(uintptr_t)15);
    int32_t *xi = (int32_t *)p;                              // first tap, in padded-row coordinates
    int16_t *xw = (int16_t *)(p + (size_t)dw * sizeof(int32_t));
    int16_t *row = xw + (size_t)dw * 4;                      // one vertically filtered row, 2 samples of edge each side
    int lo = sw, hi = -1;
    for (int i = 0; i < dw; i++) {
        double xs = clampd(x0 + i * step_x, -0.5, sw - 0.5);
        double fl = floor(xs);
        cubic_weights(xs - fl, xw + 4 * i);
        int first = (int)fl - 1;                             // -2 … sw-2
        xi[i] = first + 2;
        if (first < lo) lo = first;
        if (first + 3 > hi) hi = first + 3;
    }
    // Only the source columns the taps reach are filtered vertically.
    int c0 = lo < 0 ? 0 : lo, c1 = hi > sw - 1 ? sw - 1 : hi;
    int16_t *mid = row + 2;
    for (int j = 0; j < dh; j++) {
        double ys = clampd(y0 + j * step_y, -0.5, sh - 0.5);
        double fl = floor(ys);
        int16_t wy[4];
        cubic_weights(ys - fl, wy);
        const uint8_t *r[4];
        for (int k = 0; k < 4; k++) {
            int y = (int)fl - 1 + k;
            y = y < 0 ? 0 : y > sh - 1 ? sh - 1 : y;
            r[k] = src + (ptrdiff_t)y * ss;
        }
        const int w0 = wy[0], w1 = wy[1], w2 = wy[2], w3 = wy[3];
        for (int c = c0; c <= c1; c++) {
            int v = w0 * r[0][c] + w1 * r[1][c] + w2 * r[2][c] + w3 * r[3][c];
            mid[c] = (int16_t)((v + (1 << (WBITS - MIDBITS - 1))) >> (WBITS - MIDBITS));
        }
        // Edge samples repeat outwards, so the taps never need a bounds check.
        if (c0 == 0) mid[-2] = mid[-1] = mid[0];
        if (c1 == sw - 1) mid[sw] = mid[sw + 1] = mid[sw - 1];
        horizontal(row, xi, xw, dst + (ptrdiff_t)j * ds, dw);
    }
}

void tk_blend_plane(const uint8_t *a, ptrdiff_t as, const uint8_t *b, ptrdiff_t bs,
                    uint8_t *dst, ptrdiff_t ds, int w, int h, int weight_b) {
    int wb = weight_b < 0 ? 0 : weight_b > 256 ? 256 : weight_b, wa = 256 - wb;
    for (int y = 0; y < h; y++) {
        const uint8_t *ra = a + (ptrdiff_t)y * as, *rb = b + (ptrdiff_t)y * bs;
        uint8_t *rd = dst + (ptrdiff_t)y * ds;
        for (int x = 0; x < w; x++) rd[x] = (uint8_t)((ra[x] * wa + rb[x] * wb + 128) >> 8);
    }
}

void tk_copy_plane(const uint8_t *src, ptrdiff_t ss, uint8_t *dst, ptrdiff_t ds, int w, int h) {
    for (int y = 0; y < h; y++) memcpy(dst + (ptrdiff_t)y * ds, src + (ptrdiff_t)y * ss, (size_t)w);
}

void tk_mirror_plane(uint8_t *plane, ptrdiff_t stride, int w, int h) {
    for (int y = 0; y < h; y++) {
        uint8_t *r = plane + (ptrdiff_t)y * stride;
        for (int i = 0, j = w - 1; i < j; i++, j--) { uint8_t t = r[i]; r[i] = r[j]; r[j] = t; }
    }
}

void tk_composite_over_black(uint8_t *y, ptrdiff_t ys, uint8_t *u, ptrdiff_t us, uint8_t *v, ptrdiff_t vs,
                             const uint8_t *a, ptrdiff_t as, int w, int h) {
    // Limited-range black is Y 16, U = V = 128.
    for (int j = 0; j < h; j++) {
        uint8_t *ry = y + (ptrdiff_t)j * ys;
        const uint8_t *ra = a + (ptrdiff_t)j * as;
        for (int i = 0; i < w; i++) ry[i] = (uint8_t)((ry[i] * ra[i] + 16 * (255 - ra[i]) + 127) / 255);
    }
    for (int j = 0; j < h / 2; j++) {
        uint8_t *ru = u + (ptrdiff_t)j * us, *rv = v + (ptrdiff_t)j * vs;
        const uint8_t *a0 = a + (ptrdiff_t)(2 * j) * as, *a1 = a0 + as;
        for (int i = 0; i < w / 2; i++) {
            int al = (a0[2 * i] + a0[2 * i + 1] + a1[2 * i] + a1[2 * i + 1] + 2) / 4;
            ru[i] = (uint8_t)((ru[i] * al + 128 * (255 - al) + 127) / 255);
            rv[i] = (uint8_t)((rv[i] * al + 128 * (255 - al) + 127) / 255);
        }
    }
}
