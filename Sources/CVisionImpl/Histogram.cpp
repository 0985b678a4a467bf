#include "../CVision/include/CVision.h" // the API this library implements
#include <algorithm>

namespace {
/// Adds one plane into `bins` (256/count levels per bin), normalised to sum 1.
void planeHistogram(const uint8_t *p, ptrdiff_t stride, int w, int h, float *bins, int count) {
    uint32_t counts[256] = {0};
    for (int row = 0; row < h; ++row) {
        const uint8_t *line = p + row * stride;
        for (int x = 0; x < w; ++x) counts[line[x]]++;
    }
    const int shift = count == 32 ? 3 : 4;
    std::fill(bins, bins + count, 0.0f);
    for (int level = 0; level < 256; ++level) bins[level >> shift] += float(counts[level]);
    const float total = float(w) * float(h);
    for (int i = 0; i < count; ++i) bins[i] /= total;
}
} // namespace

extern "C" CVisionStatus cvision_yuv_histogram(const uint8_t *y, ptrdiff_t y_stride,
                                               const uint8_t *u, ptrdiff_t u_stride,
                                               const uint8_t *v, ptrdiff_t v_stride,
                                               int width, int height, float *out) {
    if (!y || !u || !v || !out || width <= 0 || height <= 0 || y_stride < width) return CVISION_ERR_ARGUMENT;
    const int cw = (width + 1) / 2, ch = (height + 1) / 2;
    if (u_stride < cw || v_stride < cw) return CVISION_ERR_ARGUMENT;
    planeHistogram(y, y_stride, width, height, out, 32);
    planeHistogram(u, u_stride, cw, ch, out + 32, 16);
    planeHistogram(v, v_stride, cw, ch, out + 48, 16);
    return CVISION_OK;
}

extern "C" CVisionStatus cvision_luma_layout(const uint8_t *y, ptrdiff_t y_stride, int width, int height, float *out) {
    const int cols = CVISION_LAYOUT_COLUMNS, rows = CVISION_LAYOUT_ROWS;
    if (!y || !out || width < cols || height < rows || y_stride < width) return CVISION_ERR_ARGUMENT;
    uint64_t sums[CVISION_LAYOUT_COLUMNS * CVISION_LAYOUT_ROWS] = {0};
    for (int row = 0; row < height; ++row) {
        const uint8_t *line = y + row * y_stride;
        uint64_t *cells = sums + (row * rows / height) * cols;
        for (int x = 0; x < width; ++x) cells[x * cols / width] += line[x];
    }
    for (int r = 0; r < rows; ++r) {
        // Pixel row p falls in cell row p * rows / height: cell row r holds rows
        // [ceil(r * H / rows), ceil((r + 1) * H / rows)); columns likewise.
        const int first = (r * height + rows - 1) / rows, last = ((r + 1) * height + rows - 1) / rows;
        for (int c = 0; c < cols; ++c) {
            const int left = (c * width + cols - 1) / cols, right = ((c + 1) * width + cols - 1) / cols;
            const double n = double(last - first) * double(right - left);
            out[r * cols + c] = n > 0 ? float(double(sums[r * cols + c]) / n) : 0.0f;
        }
    }
    return CVISION_OK;
}
