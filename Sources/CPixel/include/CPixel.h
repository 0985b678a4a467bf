// Per-pixel loops the engine needs that swscale does not offer. Kept in C and compiled
// with -O3 in every configuration (see Package.swift), on 8-bit planes unless a name says 16.
#ifndef TIKCONV_CPIXEL_H
#define TIKCONV_CPIXEL_H
#include <stdint.h>
#include <stddef.h>

/// Rotates one 8-bit plane of w x h by `degrees_clockwise` (90, 180 or 270) into dst,
/// which must be h x w for 90/270 and w x h for 180. Source and destination must not overlap.
void tk_rotate_plane(const uint8_t *src, ptrdiff_t src_stride, int w, int h,
                     uint8_t *dst, ptrdiff_t dst_stride, int degrees_clockwise);

/// Blurs one 8-bit plane in place with the recursive Gaussian approximation FFmpeg's gblur
/// uses (Alvarez–Mazorra, `steps` passes; 1 is gblur's default). Edges are extended.
/// `scratch` must hold tk_blur_scratch_size(w, h) bytes.
size_t tk_blur_scratch_size(int w, int h);
void tk_blur_plane(uint8_t *plane, ptrdiff_t stride, int w, int h, float sigma, int steps, void *scratch);

/// Fills a w x h rectangle of an 8-bit plane with one value.
void tk_fill_plane(uint8_t *dst, ptrdiff_t stride, int w, int h, uint8_t value);

/// Fades a w x h plane toward `level` (fade.c): dst = level + (src - level) * gain_q15 / 32768,
/// so gain 0 gives `level` (black, or neutral chroma) and 32768 the picture unchanged. The 8-bit
/// form takes one byte per sample, the 16-bit form native-endian 16-bit samples (10-bit video);
/// strides are in bytes. src may equal dst.
void tk_fade_plane8(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst, ptrdiff_t dst_stride, int w, int h,
                    int level, int gain_q15);
void tk_fade_plane16(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst, ptrdiff_t dst_stride, int w, int h,
                     int level, int gain_q15);

/// Fills a w x h rectangle of a 16-bit plane (stride in bytes) with one value.
void tk_fill_plane16(uint8_t *dst, ptrdiff_t stride, int w, int h, uint16_t value);

/// Photo slideshow kernels (slideshow.c).
///
/// Samples a dw x dh destination plane from a sw x sh source plane with sub-pixel precision:
/// destination sample (i, j) is read at source position (x0 + i*step_x, y0 + j*step_y), sample
/// centres lying at integer coordinates, with the Keys cubic (a = -0.5, Catmull-Rom) in 14-bit
/// fixed point; positions are clamped to the source's edge. An integer position with step 1 copies
/// exactly. `scratch` must hold tk_resample_scratch_size(sw, dw) bytes.
size_t tk_resample_scratch_size(int sw, int dw);
void tk_resample_plane(const uint8_t *src, ptrdiff_t src_stride, int sw, int sh,
                       double x0, double y0, double step_x, double step_y,
                       uint8_t *dst, ptrdiff_t dst_stride, int dw, int dh, void *scratch);

/// The resampler runs AVX2 loops where the CPU has them (same bits as the baseline loops).
/// Turns them off (0) or back on (1, if the CPU has AVX2); returns whether they are now used.
/// For tests comparing the two paths.
int tk_resample_use_avx2(int enable);

/// dst = a*(256-weight_b)/256 + b*weight_b/256, rounded; weight_b from 0 (all a) to 256 (all b).
/// dst may be a or b.
void tk_blend_plane(const uint8_t *a, ptrdiff_t as, const uint8_t *b, ptrdiff_t bs,
                    uint8_t *dst, ptrdiff_t ds, int w, int h, int weight_b);

/// Copies a w x h plane.
void tk_copy_plane(const uint8_t *src, ptrdiff_t ss, uint8_t *dst, ptrdiff_t ds, int w, int h);

/// Mirrors a w x h plane left to right, in place.
void tk_mirror_plane(uint8_t *plane, ptrdiff_t stride, int w, int h);

/// Composites a yuva420p picture (limited range) over black, in place in its Y, U and V planes:
/// transparent pixels become black, half-transparent ones darker. w and h are the luma size
/// (even); chroma uses the mean alpha of its 2x2 luma samples.
void tk_composite_over_black(uint8_t *y, ptrdiff_t ys, uint8_t *u, ptrdiff_t us, uint8_t *v, ptrdiff_t vs,
                             const uint8_t *a, ptrdiff_t as, int w, int h);

/// HDR → SDR tone mapping (tonemap.c). `hlg` 1 for ARIB STD-B67, 0 for SMPTE ST 2084 (PQ);
/// `peak` is the signal peak in units of 100 cd/m² (FFmpeg's tonemap `peak`), `desat` its
/// highlight desaturation strength (FFmpeg's default 2).
typedef struct tk_tonemap tk_tonemap;
tk_tonemap *tk_tonemap_create(int hlg, double peak, double desat);
void tk_tonemap_free(tk_tonemap *t);
/// Maps a w x h yuv420p10le picture (BT.2020 NCL, limited range; strides in bytes) to
/// yuv420p BT.709 limited range. w and h are the luma size.
void tk_tonemap_420p10(const tk_tonemap *t,
                       const uint8_t *sy, ptrdiff_t sys, const uint8_t *su, ptrdiff_t sus,
                       const uint8_t *sv, ptrdiff_t svs, int w, int h,
                       uint8_t *dy, ptrdiff_t dys, uint8_t *du, ptrdiff_t dus, uint8_t *dv, ptrdiff_t dvs);

/// Pins glibc's mmap threshold at `bytes` (memory.c): blocks that large are mapped on their own
/// and unmapped when freed, instead of the default rising threshold that keeps them in the heap.
/// Returns 0 when the C library refused (or is not glibc).
int tk_pin_mmap_threshold(size_t bytes);


/// Caption overlays (caption.c). An overlay is four full-resolution planes of ow bytes per row:
/// Y', Cb, Cr premultiplied by alpha, and alpha. tk_overlay_add composites a w x h alpha bitmap
/// in one colour (studio-range Y'CbCr, opacity 0…255) at (x, y) over what the overlay holds.
void tk_overlay_add(const uint8_t *bitmap, ptrdiff_t bstride, int w, int h, int x, int y,
                    uint8_t cy, uint8_t cu, uint8_t cv, uint8_t opacity,
                    uint8_t *oy, uint8_t *ou, uint8_t *ov, uint8_t *oa, int ow);
/// Blends an ow x oh overlay (both even) over 4:2:0 planes whose pointers are at the overlay's
/// top-left corner (an even position); chroma takes the mean of each 2x2 block.
void tk_overlay_blend420(const uint8_t *oy, const uint8_t *ou, const uint8_t *ov, const uint8_t *oa, int ow, int oh,
                         uint8_t *y, ptrdiff_t ys, uint8_t *u, ptrdiff_t us, uint8_t *v, ptrdiff_t vs);
/// Animated images (animation.c): composites a w x h picture of 4-byte pixels with straight alpha
/// in the 4th byte (RGBA or BGRA) over one colour, in place; c0..c2 are the colour's first three
/// bytes in the picture's own order. The alpha bytes become 255.
void tk_composite_rgba_over(uint8_t *px, ptrdiff_t stride, int w, int h, uint8_t c0, uint8_t c1, uint8_t c2);

/// Audiograms (audiogram.c): restores the w x h rectangle at (x, y) of a yuv420p picture from
/// `plate` (a picture of the same size and strides), then draws `count` level bars side by side in
/// it, centred on its middle row; bar i is levels[i] (0…1) of h tall, at least 4 rows (so silence
/// is a still line). x, y, w and h must be even.
void tk_draw_level_bars(uint8_t *dy, ptrdiff_t dys, uint8_t *du, ptrdiff_t dus, uint8_t *dv, ptrdiff_t dvs,
                        const uint8_t *py, ptrdiff_t pys, const uint8_t *pu, ptrdiff_t pus, const uint8_t *pv, ptrdiff_t pvs,
                        int x, int y, int w, int h, const float *levels, int count, uint8_t cy, uint8_t cu, uint8_t cv);

/// The levels of `bands` frequency bands of `n` mono float samples at `rate` Hz (Hann-windowed
/// Goertzel filters at log-spaced centres from lo_hz to hi_hz), each as 0…1 on a 54 dB scale
/// (a sine of amplitude −78 dBFS and below is 0, −24 dBFS and above is 1): what the bars show.
void tk_band_levels(const float *samples, int n, int rate, int bands, float lo_hz, float hi_hz, float *out);

#endif
