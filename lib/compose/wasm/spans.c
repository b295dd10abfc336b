/* text-raster.ts's inkSpans: per row, the columns where glyphs or shadow have any coverage. */
#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;

/* Index of the first non-zero byte of p[0, n), or n. */
static int first_set(const u8 *p, int n) {
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    int bits = wasm_i8x16_bitmask(wasm_i8x16_ne(wasm_v128_load(p + i), wasm_i8x16_splat(0)));
    if (bits) return i + __builtin_ctz(bits);
  }
  while (i < n && p[i] == 0) i++;
  return i;
}

/* One past the last non-zero byte of p[0, n), or 0. */
static int last_set(const u8 *p, int n) {
  int i = n;
  for (; i >= 16; i -= 16) {
    int bits = wasm_i8x16_bitmask(wasm_i8x16_ne(wasm_v128_load(p + i - 16), wasm_i8x16_splat(0)));
    if (bits) return i - 16 + 32 - __builtin_clz(bits);
  }
  while (i > 0 && p[i - 1] == 0) i--;
  return i;
}

void ink_spans(const u8 *glyphs, int w, int h, const u8 *shadow, int shadow_w, int shadow_dy, int32_t *spans) {
  for (int y = 0; y < h; y++) {
    const u8 *row = glyphs + y * w;
    int from = first_set(row, w), to = 0;
    if (from < w) to = last_set(row, w);
    else from = w;
    if (shadow && y >= shadow_dy) {
      const u8 *half = shadow + ((y - shadow_dy) >> 1) * shadow_w;
      int j = first_set(half, shadow_w);
      if (j < shadow_w) {
        if (2 * j < from) from = 2 * j;
        int end = 2 * last_set(half, shadow_w);
        if (end > w) end = w;
        if (end > to) to = end;
      }
    }
    spans[2 * y] = from;
    spans[2 * y + 1] = to > from ? to : from;
  }
}
