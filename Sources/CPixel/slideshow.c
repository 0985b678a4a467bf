#include "CPixel.h"
#include <math.h>
#include <stdatomic.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>
#define TK_AVX2_PATH 1
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

// The vertical taps of one row, source columns c0…c1: mid = the 4-tap sum at MIDBITS extra
// precision. Clang vectorises this loop for the baseline target; the AVX2 twin below does 16
// columns a round with the same integer arithmetic, so both give the same bits.
static void vertical(const uint8_t *const r[4], const int16_t wy[4], int16_t *mid, int c0, int c1) {
    const int w0 = wy[0], w1 = wy[1], w2 = wy[2], w3 = wy[3];
    for (int c = c0; c <= c1; c++) {
        int v = w0 * r[0][c] + w1 * r[1][c] + w2 * r[2][c] + w3 * r[3][c];
        mid[c] = (int16_t)((v + (1 << (WBITS - MIDBITS - 1))) >> (WBITS - MIDBITS));
    }
}

// Whether the resampler's AVX2 loops run: -1 until first asked (a race between two first callers
// only stores the same answer twice).
static atomic_int use_avx2 = -1;

#ifdef TK_AVX2_PATH
// Whether this CPU and OS run AVX2 (the binary is built for baseline x86-64): CPUID leaf 7's
// AVX2 bit, and the OS saving the YMM registers (OSXSAVE, XCR0 bits 1-2).
static int cpu_has_avx2(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) || !(c & bit_AVX)) return 0;
    unsigned lo, hi;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (lo & 6) == 6 && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_AVX2);
}

static int has_avx2(void) {
    int v = atomic_load_explicit(&use_avx2, memory_order_relaxed);
    if (v < 0) {
        v = cpu_has_avx2();
        atomic_store_explicit(&use_avx2, v, memory_order_relaxed);
    }
    return v;
}

__attribute__((target("avx2")))
static void vertical_avx2(const uint8_t *const r[4], const int16_t wy[4], int16_t *mid, int c0, int c1) {
    const __m256i w01 = _mm256_set1_epi32((int)(uint16_t)wy[0] | ((int)wy[1] << 16));
    const __m256i w23 = _mm256_set1_epi32((int)(uint16_t)wy[2] | ((int)wy[3] << 16));
    const __m256i round = _mm256_set1_epi32(1 << (WBITS - MIDBITS - 1));
    int c = c0;
    for (; c + 16 <= c1 + 1; c += 16) {
        __m256i a0 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(r[0] + c)));
        __m256i a1 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(r[1] + c)));
        __m256i a2 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(r[2] + c)));
        __m256i a3 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(r[3] + c)));
        // Per 128-bit lane: columns 0-3 (lo) and 4-7 (hi) of that lane's eight, as 32-bit sums.
        __m256i lo = _mm256_add_epi32(_mm256_madd_epi16(_mm256_unpacklo_epi16(a0, a1), w01),
                                      _mm256_madd_epi16(_mm256_unpacklo_epi16(a2, a3), w23));
        __m256i hi = _mm256_add_epi32(_mm256_madd_epi16(_mm256_unpackhi_epi16(a0, a1), w01),
                                      _mm256_madd_epi16(_mm256_unpackhi_epi16(a2, a3), w23));
        lo = _mm256_srai_epi32(_mm256_add_epi32(lo, round), WBITS - MIDBITS);
        hi = _mm256_srai_epi32(_mm256_add_epi32(hi, round), WBITS - MIDBITS);
        _mm256_storeu_si256((__m256i *)(mid + c), _mm256_packs_epi32(lo, hi));
    }
    if (c <= c1) vertical(r, wy, mid, c, c1);
}

// Eight outputs a round: the SSE2 loop's pmaddwd arithmetic, in both halves of a YMM register.
__attribute__((target("avx2")))
static void horizontal_avx2(const int16_t *row, const int32_t *xi, const int16_t *xw, uint8_t *d, int dw) {
    const __m256i round = _mm256_set1_epi32(1 << (WBITS + MIDBITS - 1));
    int i = 0;
    for (; i + 8 <= dw; i += 8) {
#define TAPS(k) _mm_loadl_epi64((const __m128i *)(row + xi[i + (k)]))
        __m256i t01_45 = _mm256_setr_m128i(_mm_unpacklo_epi64(TAPS(0), TAPS(1)), _mm_unpacklo_epi64(TAPS(4), TAPS(5)));
        __m256i t23_67 = _mm256_setr_m128i(_mm_unpacklo_epi64(TAPS(2), TAPS(3)), _mm_unpacklo_epi64(TAPS(6), TAPS(7)));
#undef TAPS
        __m256i w01_45 = _mm256_setr_m128i(_mm_loadu_si128((const __m128i *)(xw + 4 * i)),
                                           _mm_loadu_si128((const __m128i *)(xw + 4 * i + 16)));
        __m256i w23_67 = _mm256_setr_m128i(_mm_loadu_si128((const __m128i *)(xw + 4 * i + 8)),
                                           _mm_loadu_si128((const __m128i *)(xw + 4 * i + 24)));
        __m256 p0 = _mm256_castsi256_ps(_mm256_madd_epi16(t01_45, w01_45));
        __m256 p1 = _mm256_castsi256_ps(_mm256_madd_epi16(t23_67, w23_67));
        __m256i sum = _mm256_add_epi32(_mm256_castps_si256(_mm256_shuffle_ps(p0, p1, _MM_SHUFFLE(2, 0, 2, 0))),
                                       _mm256_castps_si256(_mm256_shuffle_ps(p0, p1, _MM_SHUFFLE(3, 1, 3, 1))));
        sum = _mm256_srai_epi32(_mm256_add_epi32(sum, round), WBITS + MIDBITS);
        __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
        _mm_storel_epi64((__m128i *)(d + i), _mm_packus_epi16(words, words));
    }
    if (i < dw) horizontal(row, xi + i, xw + 4 * i, d + i, dw - i);
}
#else
static int cpu_has_avx2(void) { return 0; }
static int has_avx2(void) { return atomic_load_explicit(&use_avx2, memory_order_relaxed) > 0; }
static void vertical_avx2(const uint8_t *const r[4], const int16_t wy[4], int16_t *mid, int c0, int c1) { vertical(r, wy, mid, c0, c1); }
static void horizontal_avx2(const int16_t *row, const int32_t *xi, const int16_t *xw, uint8_t *d, int dw) { horizontal(row, xi, xw, d, dw); }
#endif

int tk_resample_use_avx2(int enable) {
    int v = enable && cpu_has_avx2();
    atomic_store_explicit(&use_avx2, v, memory_order_relaxed);
    return v;
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
    const int avx2 = has_avx2();
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
        if (avx2) vertical_avx2(r, wy, mid, c0, c1);
        else vertical(r, wy, mid, c0, c1);
        // Edge samples repeat outwards, so the taps never need a bounds check.
        if (c0 == 0) mid[-2] = mid[-1] = mid[0];
        if (c1 == sw - 1) mid[sw] = mid[sw + 1] = mid[sw - 1];
        if (avx2) horizontal_avx2(row, xi, xw, dst + (ptrdiff_t)j * ds, dw);
        else horizontal(row, xi, xw, dst + (ptrdiff_t)j * ds, dw);
    }
}

void tk_blend_plane(const uint8_t *a, ptrdiff_t as, const uint8_t *b, ptrdiff_t bs,
                    uint8_t *dst, ptrdiff_t ds, int w, int h, int weight_b) {
    int wb = weight_b < 0 ? 0 : weight_b > 256 ? 256 : weight_b, wa = 256 - wb;
    for (int y = 0; y < h; y++) {
        const uint8_t *ra = a + (ptrdiff_t)y * as, *rb = b + (ptrdiff_t)y * bs;
        uint8_t *rd = dst + (ptrdiff_t)y * ds;
        int x = 0;
#ifdef __SSE2__
        // In 16-bit lanes: a·wa + b·wb + 128 ≤ 255·256 + 128 fits, so the same bits as the
        // scalar loop, eight samples a multiply (the compiler's own vectorising widened to 32).
        const __m128i zero = _mm_setzero_si128(), va = _mm_set1_epi16((short)wa), vb = _mm_set1_epi16((short)wb);
        const __m128i half = _mm_set1_epi16(128);
        for (; x + 16 <= w; x += 16) {
            __m128i pa = _mm_loadu_si128((const __m128i *)(ra + x)), pb = _mm_loadu_si128((const __m128i *)(rb + x));
            __m128i lo = _mm_add_epi16(_mm_add_epi16(_mm_mullo_epi16(_mm_unpacklo_epi8(pa, zero), va),
                                                     _mm_mullo_epi16(_mm_unpacklo_epi8(pb, zero), vb)), half);
            __m128i hi = _mm_add_epi16(_mm_add_epi16(_mm_mullo_epi16(_mm_unpackhi_epi8(pa, zero), va),
                                                     _mm_mullo_epi16(_mm_unpackhi_epi8(pb, zero), vb)), half);
            _mm_storeu_si128((__m128i *)(rd + x), _mm_packus_epi16(_mm_srli_epi16(lo, 8), _mm_srli_epi16(hi, 8)));
        }
#endif
        for (; x < w; x++) rd[x] = (uint8_t)((ra[x] * wa + rb[x] * wb + 128) >> 8);
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
