/*
 * raster.ts's softScrim: a colour faded by a lookup table of squared distance to the inner box.
 * Runs at the inner box's columns share one alpha and go through blend_span, as in the JS.
 */
#include <stdint.h>

typedef uint8_t u8;

void blend_span(u8 *p, int n, int ch, int r, int g, int b, int a);

/* Falloff by squared distance, filled by the JS (its rounding) before each call. */
#define LUT_MAX (1 << 19)
static uint16_t lut[LUT_MAX];

uint16_t *scrim_lut(void) { return lut; }

static inline int max3(int a, int b, int c) {
  int m = a > b ? a : b;
  return m > c ? m : c;
}

static void scrim_row(u8 *row, int from, int to, int ix0, int ix1, int dy2, int f2, int col) {
  const int cr = col & 255, cg = (col >> 8) & 255, cb = (col >> 16) & 255;
  for (int x = from; x < to; x++) {
    int dx = max3(ix0 - x, x - ix1, 0);
    int d2 = dx * dx + dy2;
    if (d2 >= f2) continue;
    int a = lut[d2];
    u8 *p = row + 3 * x;
    if (dx == 0) {
      int until = to < ix1 + 1 ? to : ix1 + 1;
      if (a > 0) blend_span(p, 3 * (until - x), 0, cr, cg, cb, a);
      x = until - 1;
      continue;
    }
    if (a == 0) continue;
    int ia = 256 - a;
    p[0] = (u8)((p[0] * ia + cr * a) >> 8);
    p[1] = (u8)((p[1] * ia + cg * a) >> 8);
    p[2] = (u8)((p[2] * ia + cb * a) >> 8);
  }
}

/*
 * Rows [y0, y1), columns [x0, x1) of an image `width` wide; inner box [ix0, ix1] × [iy0, iy1]
 * (rounded), feather f; hx0 < hx1 marks a hole of columns [hx0, hx1) on rows [hy0, hy1).
 */
void soft_scrim(u8 *img, int width, int x0, int y0, int x1, int y1, int ix0, int ix1, int iy0, int iy1,
                int f, int hx0, int hx1, int hy0, int hy1, int col) {
  const int f2 = f * f;
  for (int y = y0; y < y1; y++) {
    int dy = max3(iy0 - y, y - iy1, 0);
    if (dy >= f) continue;
    u8 *row = img + y * width * 3;
    if (hx1 > hx0 && y >= hy0 && y < hy1) {
      int a = hx0 > x0 ? hx0 : x0, b = hx1 < x1 ? hx1 : x1;
      scrim_row(row, x0, a < x1 ? a : x1, ix0, ix1, dy * dy, f2, col);
      scrim_row(row, b > x0 ? b : x0, x1, ix0, ix1, dy * dy, f2, col);
    } else {
      scrim_row(row, x0, x1, ix0, ix1, dy * dy, f2, col);
    }
  }
}
