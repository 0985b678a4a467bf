#include "CPixel.h"
#include <string.h>

// Transpose-like rotations walk the source in 32x32 tiles so both the reads and the
// scattered writes stay in cache; a naive row walk thrashes on 1080-pixel columns.
#define TILE 32

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
    for (int ty = 0; ty < h; ty += TILE) {
        int ye = ty + TILE < h ? ty + TILE : h;
        for (int tx = 0; tx < w; tx += TILE) {
            int xe = tx + TILE < w ? tx + TILE : w;
            for (int y = ty; y < ye; y++) {
                const uint8_t *s = src + y * ss;
                if (deg == 90) {
                    // src (x, y) -> dst (h-1-y, x)
                    uint8_t *d = dst + (h - 1 - y);
                    for (int x = tx; x < xe; x++) d[x * ds] = s[x];
                } else {
                    // 270: src (x, y) -> dst (y, w-1-x)
                    uint8_t *d = dst + y;
                    for (int x = tx; x < xe; x++) d[(w - 1 - x) * ds] = s[x];
                }
            }
        }
    }
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

double tk_plane_mean(const uint8_t *src, ptrdiff_t stride, int w, int h) {
    if (w <= 0 || h <= 0) return 0;
    uint64_t sum = 0;
    for (int y = 0; y < h; y++) {
        const uint8_t *s = src + y * stride;
        for (int x = 0; x < w; x++) sum += s[x];
    }
    return (double)sum / ((double)w * (double)h);
}
