#include "CPixel.h"
#include <math.h>
#include <string.h>

// 90° and 270° rotations are transposes. They work on 8x8 byte blocks held in eight 64-bit
// words: three rounds of mask-and-shift swaps transpose a block in registers, and each output
// row is then written 8 bytes at a time. A byte-at-a-time walk scatters every write across
// rows 1080+ bytes apart and was several times slower.
#define TILE 32

static inline uint64_t load8(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline void store8(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

// After this, byte j of r[i] is what byte i of r[j] was (little-endian: byte 0 is the lowest).
static inline void transpose8x8(uint64_t r[8]) {
    for (int i = 0; i < 8; i += 2) {
        uint64_t t = ((r[i] >> 8) ^ r[i + 1]) & 0x00FF00FF00FF00FFULL;
        r[i + 1] ^= t; r[i] ^= t << 8;
    }
    for (int i = 0; i < 8; i += (i % 4 == 1) ? 3 : 1) {
        uint64_t t = ((r[i] >> 16) ^ r[i + 2]) & 0x0000FFFF0000FFFFULL;
        r[i + 2] ^= t; r[i] ^= t << 16;
    }
    for (int i = 0; i < 4; i++) {
        uint64_t t = ((r[i] >> 32) ^ r[i + 4]) & 0x00000000FFFFFFFFULL;
        r[i + 4] ^= t; r[i] ^= t << 32;
    }
}

// One source pixel (x, y) to its place in the rotated plane.
static inline void rotate_pixel(const uint8_t *src, ptrdiff_t ss, int w, int h, uint8_t *dst, ptrdiff_t ds,
                                int deg, int x, int y) {
    if (deg == 90) dst[(ptrdiff_t)x * ds + (h - 1 - y)] = src[(ptrdiff_t)y * ss + x];
    else dst[(ptrdiff_t)(w - 1 - x) * ds + y] = src[(ptrdiff_t)y * ss + x];
}

void tk_rotate_plane(const uint8_t *src, ptrdiff_t ss, int w, int h,
                     uint8_t *dst, ptrdiff_t ds, int deg) {
    if (deg == 180) {
        for (int y = 0; y < h; y++) {
            const uint8_t *s = src + y * ss;
            uint8_t *d = dst + (h - 1 - y) * ds + (w - 1);
            for (int x = 0; x < w; x++) d[-x] = s[x];
        }
        return;
    }
    int bw = w & ~7, bh = h & ~7;
    // Whole 8x8 blocks, visited in 32x32 tiles so the eight destination rows stay in cache.
    for (int ty = 0; ty < bh; ty += TILE) {
        int ye = ty + TILE < bh ? ty + TILE : bh;
        for (int tx = 0; tx < bw; tx += TILE) {
            int xe = tx + TILE < bw ? tx + TILE : bw;
            for (int y0 = ty; y0 < ye; y0 += 8) {
                for (int x0 = tx; x0 < xe; x0 += 8) {
                    uint64_t r[8];
                    for (int j = 0; j < 8; j++) r[j] = load8(src + (ptrdiff_t)(y0 + j) * ss + x0);
                    transpose8x8(r);   // r[i] = source column x0+i, rows y0..y0+7
                    for (int i = 0; i < 8; i++) {
                        if (deg == 90)   // dst(x, y) <- src(y, h-1-x): column read bottom-up
                            store8(dst + (ptrdiff_t)(x0 + i) * ds + (h - 8 - y0), __builtin_bswap64(r[i]));
                        else             // 270: dst(x, y) <- src(w-1-x, y)
                            store8(dst + (ptrdiff_t)(w - 1 - x0 - i) * ds + y0, r[i]);
                    }
                }
            }
        }
    }
    // The strips right of and below the whole blocks.
    for (int y = 0; y < h; y++)
        for (int x = (y < bh ? bw : 0); x < w; x++) rotate_pixel(src, ss, w, h, dst, ds, deg, x, y);
}

size_t tk_blur_scratch_size(int w, int h) {
    return (size_t)w * (size_t)h * sizeof(float) + 16;
}

// The recursive Gaussian approximation of Alvarez and Mazorra (1994), the one FFmpeg's gblur
// uses: per step, a causal and an anticausal first-order filter along each axis. With one step
// the kernel is a two-sided exponential whose variance is exactly sigma^2; the background only
// has to look like gblur's, at a sixth of the size, so one step is both what FFmpeg does and
// cheap: a handful of operations per pixel whatever sigma is.
void tk_blur_plane(uint8_t *p, ptrdiff_t stride, int w, int h, float sigma, int steps, void *scratch) {
    if (w <= 0 || h <= 0 || sigma <= 0 || steps <= 0) return;
    float *buf = (float *)(((uintptr_t)scratch + 15) & ~(uintptr_t)15);
    double lambda = (double)sigma * sigma / (2.0 * steps);
    double dnu = (1.0 + 2.0 * lambda - sqrt(1.0 + 4.0 * lambda)) / (2.0 * lambda);
    float nu = (float)dnu;
    // Edges continue the border value forever: the sum of the causal filter's past is b/(1-nu).
    float boundary = (float)(1.0 / (1.0 - dnu));
    // Each causal+anticausal pair has gain 1/(1-nu)^2 = lambda/nu; undo it for both axes.
    float post = (float)pow(dnu / lambda, 2.0 * steps);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) buf[(size_t)y * w + x] = p[y * stride + x];
    for (int step = 0; step < steps; step++) {
        for (int y = 0; y < h; y++) {
            float *r = buf + (size_t)y * w;
            r[0] *= boundary;
            for (int x = 1; x < w; x++) r[x] += nu * r[x - 1];
            r[w - 1] *= boundary;
            for (int x = w - 1; x > 0; x--) r[x - 1] += nu * r[x];
        }
        // Columns row by row, so the inner loop runs along memory.
        for (int x = 0; x < w; x++) buf[x] *= boundary;
        for (int y = 1; y < h; y++) {
            float *r = buf + (size_t)y * w, *u = r - w;
            for (int x = 0; x < w; x++) r[x] += nu * u[x];
        }
        for (int x = 0; x < w; x++) buf[(size_t)(h - 1) * w + x] *= boundary;
        for (int y = h - 1; y > 0; y--) {
            float *r = buf + (size_t)y * w, *u = r - w;
            for (int x = 0; x < w; x++) u[x] += nu * r[x];
        }
    }
    for (int y = 0; y < h; y++) {
        uint8_t *d = p + y * stride;
        const float *r = buf + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            float v = r[x] * post + 0.5f;
            d[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

void tk_fill_plane(uint8_t *dst, ptrdiff_t stride, int w, int h, uint8_t value) {
    for (int y = 0; y < h; y++) memset(dst + y * stride, value, (size_t)w);
}

