/*
 * measure.ts's and measure-layer.ts's scans of the photo under the title: the same samples, the
 * same double sums in the same order and the same top-k updates, so the same colours come out.
 * Results stay in static memory for the JS to read (see measure-wasm.ts).
 */
#include <stdint.h>

typedef uint8_t u8;

#define MAX_K 64

typedef struct {
  double keys[MAX_K];
  int32_t where[MAX_K];
  int count, floor_at;
  double floor;
} TopK;

/* measure.ts's LUM, filled by the JS once; the layered table is rebuilt per alpha. */
static double lum[768];
static double layered[768];
static int32_t row_alpha[2048];
static TopK tops[3];
static double spread[3];

double *lum_table(void) { return lum; }
int32_t *row_alphas(void) { return row_alpha; }
TopK *top(int k) { return &tops[k]; }
double *spread_sums(void) { return spread; }

static void reset(TopK *t, int count) {
  for (int k = 0; k < count; k++) t->keys[k] = -__builtin_inf(), t->where[k] = -1;
  t->count = count;
  t->floor_at = 0;
  t->floor = -__builtin_inf();
}

static void take(TopK *t, double key, int at) {
  t->keys[t->floor_at] = key;
  t->where[t->floor_at] = at;
  for (int k = 0; k < t->count; k++)
    if (t->keys[k] < t->keys[t->floor_at]) t->floor_at = k;
  t->floor = t->keys[t->floor_at];
}

static inline double lum_at(const double *table, const u8 *p) {
  return table[p[0]] + table[256 + p[1]] + table[512 + p[2]];
}

/* measure-layer.ts's layeredLum: each channel's luminance share once `layer` is over it at a/256. */
static void layer_table(int layer, int a) {
  for (int c = 0; c < 3; c++) {
    int l = (layer >> (8 * c)) & 255;
    for (int v = 0; v < 256; v++) layered[c * 256 + v] = lum[c * 256 + ((v * (256 - a) + l * a) >> 8)];
  }
}

/* scanExtremes into tops[0]. */
void scan_extremes(const u8 *data, int width, int x0, int y0, int x1, int y1, int step, int sign, int count) {
  TopK *t = &tops[0];
  reset(t, count);
  for (int y = y0; y < y1; y += step) {
    int i = (y * width + x0) * 3;
    for (int x = x0; x < x1; x += step, i += 3 * step) {
      double key = sign * lum_at(lum, data + i);
      if (key > t->floor) take(t, key, i);
    }
  }
}

/* scanSpread from zero into spread[]. */
void scan_spread(const u8 *data, int width, int x0, int y0, int x1, int y1, int step) {
  spread[0] = spread[1] = spread[2] = 0;
  for (int y = y0; y < y1; y += step) {
    int i = (y * width + x0) * 3;
    for (int x = x0; x < x1; x += step, i += 3 * step) {
      double l = lum_at(lum, data + i);
      spread[0]++;
      spread[1] += l;
      spread[2] += l * l;
    }
  }
}

/* scanLayered: tops[0] the `count` extremes, tops[2] the one after the layer at a/256. */
void scan_layered(const u8 *data, int width, int x0, int y0, int x1, int y1, int sign, int count, int layer, int a) {
  TopK *t = &tops[0], *best = &tops[2];
  reset(t, count);
  reset(best, 1);
  layer_table(layer, a);
  for (int y = y0; y < y1; y += 2) {
    int i = (y * width + x0) * 3;
    for (int x = x0; x < x1; x += 2, i += 6) {
      double key = sign * lum_at(lum, data + i);
      if (key > t->floor) take(t, key, i);
      double after = sign * lum_at(layered, data + i);
      if (after > best->floor) take(best, after, i);
    }
  }
}

/* scanBothLayered: tops[0] brightest, tops[1] darkest, tops[2] brightest after the layer at row_alpha[row]/256. */
void scan_both_layered(const u8 *data, int width, int x0, int y0, int x1, int y1, int count, int layer) {
  TopK *bright = &tops[0], *dark = &tops[1], *best = &tops[2];
  reset(bright, count);
  reset(dark, count);
  reset(best, 1);
  int alpha = -1;
  for (int y = y0, row = 0; y < y1; y += 2, row++) {
    if (row_alpha[row] != alpha) layer_table(layer, alpha = row_alpha[row]);
    int i = (y * width + x0) * 3;
    for (int x = x0; x < x1; x += 2, i += 6) {
      double l = lum_at(lum, data + i);
      if (l > bright->floor) take(bright, l, i);
      if (-l > dark->floor) take(dark, -l, i);
      double after = lum_at(layered, data + i);
      if (after > best->floor) take(best, after, i);
    }
  }
}
