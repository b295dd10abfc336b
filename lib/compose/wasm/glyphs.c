/*
 * text/rasterize.ts's Accumulator in wasm: line() adds each edge's signed area to a float32
 * accumulator and coverage() turns the running sum into bytes, with the JS's double arithmetic
 * in the same order (min and max as Math.min and Math.max, signed zeros included).
 */
#include <stdint.h>

typedef uint8_t u8;

#define MIN(a, b) __builtin_wasm_min_f64(a, b)
#define MAX(a, b) __builtin_wasm_max_f64(a, b)

static inline void add(float *p, double v) { *p = (float)((double)*p + v); }

static void line(double ax, double ay, double bx, double by, float *acc, int32_t *row_from,
                 int32_t *row_to, int width, int height) {
  if (ay == by) return;
  double dir = 1, x0 = ax, y0 = ay, x1 = bx, y1 = by;
  if (ay > by) dir = -1, x0 = bx, y0 = by, x1 = ax, y1 = ay;
  const double max_x = width - 1.001;
  const double dxdy = (x1 - x0) / (y1 - y0);
  double x = y0 < 0 ? x0 - y0 * dxdy : x0;
  const int y_start = (int)MAX(0, __builtin_floor(y0));
  const int y_end = (int)MIN(height, __builtin_ceil(y1));
  for (int y = y_start; y < y_end; y++) {
    float *row = acc + y * width;
    const double dy = MIN(y + 1, y1) - MAX(y, y0);
    const double x_next = x + dxdy * dy;
    const double d = dy * dir;
    const double xa = MIN(max_x, MAX(0, MIN(x, x_next)));
    const double xb = MIN(max_x, MAX(0, MAX(x, x_next)));
    const double xa_floor = __builtin_floor(xa);
    const int xi = (int)xa_floor;
    const int xb_ceil = (int)__builtin_ceil(xb);
    if (xi < row_from[y]) row_from[y] = xi;
    const int right = xb_ceil > xi + 1 ? xb_ceil : xi + 1;
    if (right >= row_to[y]) row_to[y] = right + 1;
    if (xb_ceil <= xi + 1) {
      const double xmf = 0.5 * (xa + xb) - xa_floor;
      row[xi] = (float)((double)row[xi] + d - d * xmf);
      add(row + xi + 1, d * xmf);
    } else {
      const double s = 1 / (xb - xa);
      const double xa_frac = xa - xa_floor;
      const double a0 = 0.5 * s * (1 - xa_frac) * (1 - xa_frac);
      const double xb_frac = xb - xb_ceil + 1;
      const double am = 0.5 * s * xb_frac * xb_frac;
      add(row + xi, d * a0);
      if (xb_ceil == xi + 2) {
        add(row + xi + 1, d * (1 - a0 - am));
      } else {
        const double a1 = s * (1.5 - xa_frac);
        add(row + xi + 1, d * (a1 - a0));
        for (int k = xi + 2; k < xb_ceil - 1; k++) add(row + k, d * s);
        const double a2 = a1 + (xb_ceil - xi - 3) * s;
        add(row + xb_ceil - 1, d * (1 - a2 - am));
      }
      add(row + xb_ceil, d * am);
    }
    x = x_next;
  }
}

static inline u8 level(double sum) {
  double a = __builtin_fabs(sum);
  return a >= 1 ? 255 : (u8)(int32_t)(a * 255 + 0.5);
}

/*
 * seg holds n edges (ax, ay, bx, by); acc (width·height floats, width ≥ 2) must be zero and is
 * left dirty. Writes the coverage mask to out. Returns 1, having done nothing, when a coordinate
 * is not finite: the JS then rasterizes (its arithmetic on NaN is not worth copying).
 */
int raster_glyphs(const double *seg, int n, float *acc, int32_t *row_from, int32_t *row_to, int width,
                  int height, u8 *out) {
  for (int i = 0; i < 4 * n; i++)
    if (!(__builtin_fabs(seg[i]) < __builtin_inf())) return 1;
  for (int y = 0; y < height; y++) row_from[y] = width, row_to[y] = 0;
  for (int i = 0; i < n; i++, seg += 4) line(seg[0], seg[1], seg[2], seg[3], acc, row_from, row_to, width, height);
  double sum = 0;
  for (int y = 0; y < height; y++) {
    u8 *o = out + y * width;
    const float *a = acc + y * width;
    const int from = row_from[y] < row_to[y] ? row_from[y] : row_to[y];
    const int to = row_to[y];
    u8 v = level(sum);
    for (int x = 0; x < from; x++) o[x] = v;
    for (int x = from; x < to; x++) {
      sum += a[x];
      o[x] = level(sum);
    }
    v = level(sum);
    for (int x = from > to ? from : to; x < width; x++) o[x] = v;
  }
  return 0;
}
