#include "CPixel.h"
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

size_t tk_box_blur_scratch_size(int w, int h, int radius) {
    int m = w > h ? w : h;
    // padded line + column sums + a copy of the plane for the vertical pass
    return (size_t)(m + 2 * radius + 2) + (size_t)w * sizeof(uint32_t) + (size_t)w * (size_t)h + 16;
}

// One horizontal box pass over a row with clamped edges, via a running sum.
static void box_row(uint8_t *row, int w, int r, uint8_t *line) {
    // line holds the row padded by r clamped pixels on each side.
    for (int i = 0; i < r; i++) { line[i] = row[0]; line[r + w + i] = row[w - 1]; }
    memcpy(line + r, row, (size_t)w);
    int win = 2 * r + 1;
    uint32_t sum = 0;
    for (int i = 0; i < win; i++) sum += line[i];
    for (int x = 0; x < w; x++) {
        row[x] = (uint8_t)((sum + (uint32_t)win / 2) / (uint32_t)win);
        sum += line[x + win] - line[x];
    }
}

void tk_box_blur_plane(uint8_t *p, ptrdiff_t stride, int w, int h, int r, int passes, void *scratch) {
    if (r <= 0 || w <= 0 || h <= 0) return;
    uint8_t *line = (uint8_t *)scratch;
    int m = w > h ? w : h;
    // Column sums start on a 4-byte boundary inside the scratch block.
    size_t off = ((size_t)(m + 2 * r + 2) + 3) & ~(size_t)3;
    uint32_t *colsum = (uint32_t *)(line + off);
    uint8_t *tmp = (uint8_t *)(colsum + w);
    int win = 2 * r + 1;
    for (int pass = 0; pass < passes; pass++) {
        for (int y = 0; y < h; y++) box_row(p + y * stride, w, r, line);
        // Vertical pass: running column sums over a clamped window. Output row y reads
        // input rows y-r..y+r, so it reads from a copy (the planes are low resolution).
        for (int y = 0; y < h; y++) memcpy(tmp + (size_t)y * w, p + y * stride, (size_t)w);
        for (int x = 0; x < w; x++) colsum[x] = 0;
        for (int i = -r; i <= r; i++) {
            int yy = i < 0 ? 0 : (i >= h ? h - 1 : i);
            const uint8_t *s = tmp + (size_t)yy * w;
            for (int x = 0; x < w; x++) colsum[x] += s[x];
        }
        for (int y = 0; y < h; y++) {
            uint8_t *d = p + y * stride;
            for (int x = 0; x < w; x++) d[x] = (uint8_t)((colsum[x] + (uint32_t)win / 2) / (uint32_t)win);
            int yo = y - r < 0 ? 0 : y - r;
            int yi = y + r + 1 >= h ? h - 1 : y + r + 1;
            const uint8_t *so = tmp + (size_t)yo * w, *si = tmp + (size_t)yi * w;
            for (int x = 0; x < w; x++) colsum[x] += si[x] - so[x];
        }
    }
}

void tk_fill_plane(uint8_t *dst, ptrdiff_t stride, int w, int h, uint8_t value) {
    for (int y = 0; y < h; y++) memset(dst + y * stride, value, (size_t)w);
}

