/*
 * text/blur.ts's blurMask in wasm: the same operations in the same order (running sums in
 * double, stored as float32), so the bytes match. Columns go two at a time in f64x2 lanes.
 */
#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;

static void downsample(const u8 *m, int width, int height, float *a, int w) {
  int even = width & ~1;
  for (int y = 0; y + 1 < height; y += 2) {
    const u8 *t = m + y * width, *b = t + width;
    float *o = a + (y >> 1) * w;
    for (int x = 0; x < even; x += 2) *o++ = (float)(t[x] + t[x + 1] + b[x] + b[x + 1]) * 0.25f;
    if (even < width) *o = (float)(t[even] + b[even]) * 0.25f;
  }
  if (height & 1) {
    const u8 *t = m + (height - 1) * width;
    float *o = a + (height >> 1) * w;
    for (int x = 0; x < width; x += 2) *o++ = (float)(t[x] + (x + 1 < width ? t[x + 1] : 0)) * 0.25f;
  }
}

static void box_rows(const float *src, float *dst, int w, int h, int r) {
  const double norm = 1.0 / (2 * r + 1);
  const int left_end = w < r ? w : r;
  const int mid_end = w - r - 1 > left_end ? w - r - 1 : left_end;
  for (int base = 0; base < w * h; base += w) {
    const float *s = src + base;
    float *d = dst + base;
    const double first = s[0], last = s[w - 1];
    double sum = first * (r + 1);
    for (int k = 1; k <= r; k++) sum += k < w ? (double)s[k] : last;
    int i = 0;
    for (; i < left_end; i++) {
      d[i] = (float)(sum * norm);
      sum += (i + r + 1 < w ? (double)s[i + r + 1] : last) - first;
    }
    for (; i < mid_end; i++) {
      d[i] = (float)(sum * norm);
      sum += (double)s[i + r + 1] - (double)s[i - r];
    }
    for (; i < w; i++) {
      d[i] = (float)(sum * norm);
      sum += (i + r + 1 < w ? (double)s[i + r + 1] : last) - (i - r >= 0 ? (double)s[i - r] : first);
    }
  }
}

static void column_sums(const float *src, int w, int h, int r, double *sums) {
  const float *last = src + (h - 1) * w;
  for (int c = 0; c < w; c++) {
    double sum = (double)src[c] * (r + 1);
    for (int k = 1; k <= r; k++) sum += k < h ? (double)src[k * w + c] : (double)last[c];
    sums[c] = sum;
  }
}

static inline v128_t pair(const float *p) {
  return wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(p));
}

/* The column pass; out8 set: the last one, rounded to bytes as fround(v) + 0.5 truncated. */
static void box_columns(const float *src, float *dst, u8 *out8, int w, int h, int r, double *sums) {
  const double norm = 1.0 / (2 * r + 1);
  const v128_t nv = wasm_f64x2_splat(norm);
  column_sums(src, w, h, r, sums);
  for (int i = 0; i < h; i++) {
    const float *add = src + (i + r + 1 < h ? i + r + 1 : h - 1) * w;
    const float *sub = src + (i - r >= 0 ? i - r : 0) * w;
    const int row = i * w;
    int c = 0;
    if (!out8) {
      for (; c + 2 <= w; c += 2) {
        v128_t sum = wasm_v128_load(sums + c);
        wasm_v128_store64_lane(dst + row + c, wasm_f32x4_demote_f64x2_zero(wasm_f64x2_mul(sum, nv)), 0);
        wasm_v128_store(sums + c, wasm_f64x2_add(sum, wasm_f64x2_sub(pair(add + c), pair(sub + c))));
      }
    }
    for (; c < w; c++) {
      double sum = sums[c];
      float v = (float)(sum * norm);
      if (out8) out8[row + c] = (u8)(int32_t)((double)v + 0.5);
      else dst[row + c] = v;
      sums[c] = sum + ((double)add[c] - (double)sub[c]);
    }
  }
}

/*
 * mask is width×height; a and b hold ceil(width/2)·ceil(height/2) floats each, sums that many
 * doubles as there are half-width columns; out gets the half-size bytes.
 */
void blur_mask(const u8 *mask, int width, int height, int r, float *a, float *b, double *sums, u8 *out) {
  const int w = (width + 1) >> 1, h = (height + 1) >> 1;
  downsample(mask, width, height, a, w);
  box_rows(a, b, w, h, r);
  box_columns(b, a, 0, w, h, r, sums);
  box_rows(a, b, w, h, r);
  box_columns(b, 0, out, w, h, r, sums);
}
