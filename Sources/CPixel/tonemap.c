// HDR (PQ / HLG, BT.2020) → SDR BT.709 tone mapping on already-scaled 10-bit 4:2:0 pictures.
// Mirrors FFmpeg's reference chain
//   zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=hable,
//   zscale=t=bt709:m=bt709:r=tv,format=yuv420p
// step by step: BT.2020 NCL Y'CbCr → R'G'B' → linear light (1.0 = 100 cd/m²; PQ EOTF, or HLG
// inverse OETF and the 1000 cd/m² display's OOTF) → BT.2020→BT.709 primaries → vf_tonemap's
// desaturation and Hable curve (normalised by hable(peak), applied to the brightest component
// so hues keep) → BT.1886 inverse EOTF → BT.709 limited-range 8-bit Y'CbCr, chroma averaged per 2x2.
// Transfer functions are tables, so a pixel costs a few multiplies and one division.
#include "CPixel.h"
#include <float.h>
#include <math.h>
#include <stdlib.h>

// The EOTF table covers signals 0 ... EOTF_RANGE: a 10-bit code's R'G'B' reaches 1.94 (B' 2.17).
#define EOTF_SIZE 8192
#define EOTF_RANGE 2.25f
// Linear light past this (PQ's curve runs to infinity near signal 1.99) maps like it: hable is flat there.
#define EOTF_CAP 1.0e6
#define OETF_SIZE 16384
// hable(x) / hable(peak) stays below 1.33 for peak >= 1; the table covers up to 1.5.
#define OETF_MAX 1.5f

// The whole mapping, Y'CbCr 10-bit in → BT.709 Y'CbCr (8-bit scale, float) out, sampled on a
// LUT_N^3 grid and interpolated trilinearly: ~10x faster than evaluating every pixel.
#define LUT_N 65

typedef float v4f __attribute__((vector_size(16)));

struct tk_tonemap {
    int hlg;
    v4f lut[LUT_N][LUT_N][LUT_N];   // [y][cb][cr] → Y, Cb, Cr (8-bit code values), 0: one vector load per corner
    float peak_norm;      // 1 / hable(peak)
    float desat;
    float eotf[EOTF_SIZE + 1];   // non-linear [0, EOTF_RANGE] → linear (PQ: nits/100; HLG: scene linear, 1 at signal 1)
    float oetf[OETF_SIZE + 1];   // sqrt(linear / OETF_MAX) → BT.709 non-linear
};

// Signals above 1.0 (a limited-range picture's super-whites, and saturated colours whose R'G'B'
// leave [0, 1]) are not clipped: zimg's float pipeline extends both curves past 1, so noise on
// a saturated colour stays visible as luma noise. Negative signals are black, as in zimg.
static double pq_eotf(double e) {
    const double m1 = 0.1593017578125, m2 = 78.84375, c1 = 0.8359375, c2 = 18.8515625, c3 = 18.6875;
    if (e <= 0) return 0;
    double p = pow(e, 1 / m2);
    double num = p - c1; if (num < 0) num = 0;
    double den = c2 - c3 * p; if (den < FLT_MIN) den = FLT_MIN;
    double l = pow(num / den, 1 / m1) * 10000.0 / 100.0;
    return l < EOTF_CAP ? l : EOTF_CAP;
}

static double hlg_inverse_oetf(double e) {
    const double a = 0.17883277, b = 0.28466892, c = 0.55991073;
    if (e <= 0) return 0;
    return e <= 0.5 ? e * e / 3 : (exp((e - c) / a) + b) / 12;
}

// zimg's BT.709 transfer is display-referred: the inverse of the BT.1886 display's EOTF (a pure
// 2.4 gamma), not the camera's BT.709 OETF with its linear toe.
static double bt1886_inverse_eotf(double l) {
    return pow(l, 1 / 2.4);
}

static float hable(float x) {
    const float a = 0.15f, b = 0.50f, c = 0.10f, d = 0.20f, e = 0.02f, f = 0.30f;
    return (x * (x * a + b * c) + d * e) / (x * (x * a + b) + d * f) - e / f;
}

static void build_lut(tk_tonemap *t);

tk_tonemap *tk_tonemap_create(int hlg, double peak, double desat) {
    tk_tonemap *t = malloc(sizeof *t);
    if (!t) return NULL;
    t->hlg = hlg;
    t->peak_norm = 1.0f / hable((float)peak);
    t->desat = (float)desat;
    for (int i = 0; i <= EOTF_SIZE; i++) {
        double e = (double)i * EOTF_RANGE / EOTF_SIZE;
        t->eotf[i] = (float)(hlg ? hlg_inverse_oetf(e) : pq_eotf(e));
    }
    for (int i = 0; i <= OETF_SIZE; i++) {
        double s = (double)i / OETF_SIZE;
        t->oetf[i] = (float)bt1886_inverse_eotf(s * s * OETF_MAX);
    }
    build_lut(t);
    return t;
}

void tk_tonemap_free(tk_tonemap *t) { free(t); }

static inline float clampf(float x, float lo, float hi) { return x < lo ? lo : (x > hi ? hi : x); }

static inline float lut_eotf(const tk_tonemap *t, float e) {
    float f = clampf(e, 0.f, EOTF_RANGE) * (EOTF_SIZE / EOTF_RANGE);
    int i = (int)f; if (i >= EOTF_SIZE) return t->eotf[EOTF_SIZE];
    float w = f - i;
    return t->eotf[i] + (t->eotf[i + 1] - t->eotf[i]) * w;
}

static inline float lut_oetf(const tk_tonemap *t, float l) {
    if (l <= 0.f) return 0.f;                // out-of-gamut negatives clip to black, as zimg does
    if (l >= OETF_MAX) return t->oetf[OETF_SIZE];
    float f = sqrtf(l * (1.0f / OETF_MAX)) * OETF_SIZE;
    int i = (int)f; if (i >= OETF_SIZE) return t->oetf[OETF_SIZE];
    float w = f - i;
    return t->oetf[i] + (t->oetf[i + 1] - t->oetf[i]) * w;
}

/// One pixel: BT.2020 R'G'B' (non-linear) → BT.709 R'G'B' (non-linear, SDR).
static inline void map_pixel(const tk_tonemap *t, float r, float g, float b, float out[3]) {
    r = lut_eotf(t, r); g = lut_eotf(t, g); b = lut_eotf(t, b);
    if (t->hlg) {
        // As zimg renders display-referred HLG: the OOTF of a 1000 cd/m² display (system gamma
        // 1.2 on the scene luminance) with signal 1.0 at 1000 cd/m² (×10 in units of 100 cd/m²).
        float ys = 0.2627f * r + 0.6780f * g + 0.0593f * b;
        float k = 10.0f * powf(ys > 0 ? ys : 0, 0.2f);
        r *= k; g *= k; b *= k;
    }
    // BT.2020 → BT.709 primaries (linear light).
    float r7 = 1.660491f * r - 0.587641f * g - 0.072850f * b;
    float g7 = -0.124550f * r + 1.132900f * g - 0.008349f * b;
    float b7 = -0.018151f * r - 0.100579f * g + 1.118730f * b;
    // vf_tonemap: desaturate highlights (luma weights of the frame's matrix, BT.2020 NCL).
    if (t->desat > 0) {
        float luma = 0.2627f * r7 + 0.6780f * g7 + 0.0593f * b7;
        float lm = luma > 1e-6f ? luma : 1e-6f;
        float over = luma - t->desat; if (over < 1e-6f) over = 1e-6f;
        float a = over / lm;
        r7 = r7 * (1 - a) + luma * a; g7 = g7 * (1 - a) + luma * a; b7 = b7 * (1 - a) + luma * a;
    }
    float sig = r7 > g7 ? r7 : g7; if (b7 > sig) sig = b7; if (sig < 1e-6f) sig = 1e-6f;
    float scale = hable(sig) * t->peak_norm / sig;
    out[0] = lut_oetf(t, r7 * scale);
    out[1] = lut_oetf(t, g7 * scale);
    out[2] = lut_oetf(t, b7 * scale);
}

/// Fills the 3D table from the exact per-pixel mapping. Grid node i of an axis is the 10-bit
/// code value i * 1023 / (LUT_N - 1).
static void build_lut(tk_tonemap *t) {
    for (int iy = 0; iy < LUT_N; iy++)
        for (int iu = 0; iu < LUT_N; iu++)
            for (int iv = 0; iv < LUT_N; iv++) {
                float Yc = iy * 1023.0f / (LUT_N - 1), Uc = iu * 1023.0f / (LUT_N - 1), Vc = iv * 1023.0f / (LUT_N - 1);
                float yy = (Yc - 64) / 876, cb = (Uc - 512) / 896, cr = (Vc - 512) / 896;
                float r = yy + 1.4746f * cr, b = yy + 1.8814f * cb;
                float g = (yy - 0.2627f * r - 0.0593f * b) * (1.0f / 0.6780f);
                float rgb[3];
                map_pixel(t, r, g, b, rgb);
                float Y = 0.2126f * rgb[0] + 0.7152f * rgb[1] + 0.0722f * rgb[2];
                t->lut[iy][iu][iv] = (v4f){16 + 219 * Y, 128 + 224 * (rgb[2] - Y) / 1.8556f,
                                           128 + 224 * (rgb[0] - Y) / 1.5748f, 0};
            }
}

/// The mapped Y, Cb, Cr (8-bit scale) of one 10-bit Y'CbCr triple, trilinear in the table.
static inline v4f lookup(const tk_tonemap *t, int Y, int U, int V) {
    const float k = (LUT_N - 1) / 1023.0f;
    float fy = Y * k, fu = U * k, fv = V * k;
    int y0 = (int)fy, u0 = (int)fu, v0 = (int)fv;
    if (y0 > LUT_N - 2) y0 = LUT_N - 2;
    if (u0 > LUT_N - 2) u0 = LUT_N - 2;
    if (v0 > LUT_N - 2) v0 = LUT_N - 2;
    float wy = fy - y0, wu = fu - u0, wv = fv - v0;
    const v4f (*a)[LUT_N] = t->lut[y0], (*b)[LUT_N] = t->lut[y0 + 1];
    v4f c00 = a[u0][v0] + (a[u0][v0 + 1] - a[u0][v0]) * wv;
    v4f c01 = a[u0 + 1][v0] + (a[u0 + 1][v0 + 1] - a[u0 + 1][v0]) * wv;
    v4f c10 = b[u0][v0] + (b[u0][v0 + 1] - b[u0][v0]) * wv;
    v4f c11 = b[u0 + 1][v0] + (b[u0 + 1][v0 + 1] - b[u0 + 1][v0]) * wv;
    v4f e0 = c00 + (c01 - c00) * wu, e1 = c10 + (c11 - c10) * wu;
    return e0 + (e1 - e0) * wy;
}

static inline uint8_t to8(float v) {
    int i = (int)(v + 0.5f);  // v < 0 truncates toward 0: still 0 after the clamp
    return (uint8_t)(i < 0 ? 0 : (i > 255 ? 255 : i));
}

static inline int clamp10(int v) { return v > 1023 ? 1023 : v; }

/// One chroma row of a 4:2:0 picture, upsampled to 4:4:4 as zimg does before its RGB steps
/// (bilinear; samples co-sited with even luma columns and centred between luma rows): `near` is
/// the chroma row of this luma row's pair, `far` the neighbouring one (weights 3/4 and 1/4).
static void upsample_row(const uint16_t *near, const uint16_t *far, int cw, int w, int16_t *out) {
    for (int x = 0; x < cw; x++) {
        int c = 3 * near[x] + far[x];
        int n = x + 1 < cw ? 3 * near[x + 1] + far[x + 1] : c;
        out[2 * x] = (int16_t)clamp10((c + 2) >> 2);
        if (2 * x + 1 < w) out[2 * x + 1] = (int16_t)clamp10((c + n + 4) >> 3);
    }
}

/// One pair of luma rows: every pixel's Y from its own Y and upsampled Cb/Cr (so grain on a
/// saturated colour shows as the reference's luma grain); every pixel's mapped Cb/Cr go to
/// `cb`/`cr` (2 rows of w) for `subsample_rows`.
static void map_row_pair(const tk_tonemap *t, const uint16_t *yr[2], const int16_t *u[2], const int16_t *v[2],
                         int w, uint8_t *o[2], float *cb[2], float *cr[2]) {
    for (int j = 0; j < 2; j++)
        for (int x = 0; x < w; x++) {
            v4f m = lookup(t, clamp10(yr[j][x]), u[j][x], v[j][x]);
            o[j][x] = to8(m[0]);
            cb[j][x] = m[1];
            cr[j][x] = m[2];
        }
}

/// Mapped 4:4:4 chroma back to 4:2:0 as zimg subsamples: a [1 2 1] filter centred on the even
/// column (left-sited chroma) and the mean of the row pair.
static void subsample_rows(float *c[2], int w, uint8_t *out) {
    for (int x = 0; x < w; x += 2) {
        int l = x > 0 ? x - 1 : 0, r = x + 1 < w ? x + 1 : x;
        float s = c[0][l] + 2 * c[0][x] + c[0][r] + c[1][l] + 2 * c[1][x] + c[1][r];
        out[x >> 1] = to8(s * 0.125f);
    }
}

void tk_tonemap_420p10(const tk_tonemap *t,
                       const uint8_t *sy, ptrdiff_t sys, const uint8_t *su, ptrdiff_t sus,
                       const uint8_t *sv, ptrdiff_t svs, int w, int h,
                       uint8_t *dy, ptrdiff_t dys, uint8_t *du, ptrdiff_t dus, uint8_t *dv, ptrdiff_t dvs) {
    int cw = (w + 1) / 2, ch = (h + 1) / 2;
    size_t row = (size_t)w + 1;
    int16_t *buf = malloc(sizeof(int16_t) * 4 * row);
    float *fbuf = malloc(sizeof(float) * 4 * row);
    if (!buf || !fbuf) { free(buf); free(fbuf); return; }
    int16_t *u[2] = {buf, buf + row}, *v[2] = {buf + 2 * row, buf + 3 * row};
    float *cb[2] = {fbuf, fbuf + row}, *cr[2] = {fbuf + 2 * row, fbuf + 3 * row};
    for (int y = 0; y < h; y += 2) {
        int cy = y >> 1, up = cy > 0 ? cy - 1 : 0, down = cy + 1 < ch ? cy + 1 : cy;
        int rows = y + 1 < h ? 2 : 1;
        const uint16_t *cu = (const uint16_t *)(su + cy * sus), *cv = (const uint16_t *)(sv + cy * svs);
        upsample_row(cu, (const uint16_t *)(su + up * sus), cw, w, u[0]);
        upsample_row(cv, (const uint16_t *)(sv + up * svs), cw, w, v[0]);
        upsample_row(cu, (const uint16_t *)(su + down * sus), cw, w, u[1]);
        upsample_row(cv, (const uint16_t *)(sv + down * svs), cw, w, v[1]);
        const uint16_t *yr[2] = {(const uint16_t *)(sy + y * sys), (const uint16_t *)(sy + (y + rows - 1) * sys)};
        uint8_t *o[2] = {dy + y * dys, dy + (y + rows - 1) * dys};
        map_row_pair(t, yr, (const int16_t **)u, (const int16_t **)v, w, o, cb, cr);
        subsample_rows(cb, w, du + cy * dus);
        subsample_rows(cr, w, dv + cy * dvs);
    }
    free(buf);
    free(fbuf);
}
