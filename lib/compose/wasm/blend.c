/*
 * Blends over packed 8-bit RGB, the same arithmetic as blend-span.ts and text-blend.ts byte for
 * byte: every product fits an unsigned 16-bit lane, so eight channels go per multiply.
 */
#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;

/* ⌊x / 255⌋ for x < 65535, as text-blend.ts's div255. */
static inline v128_t div255(v128_t x) {
  v128_t y = wasm_i16x8_add(wasm_i16x8_add(x, wasm_u16x8_shr(x, 8)), wasm_i16x8_splat(1));
  return wasm_u16x8_shr(y, 8);
}

static inline v128_t span16(v128_t v, v128_t ia, v128_t lo, v128_t hi) {
  v128_t l = wasm_i16x8_add(wasm_u16x8_extmul_low_u8x16(v, ia), lo);
  v128_t h = wasm_i16x8_add(wasm_u16x8_extmul_high_u8x16(v, ia), hi);
  return wasm_u8x16_narrow_i16x8(wasm_u16x8_shr(l, 8), wasm_u16x8_shr(h, 8));
}

/*
 * Bytes p[0, n) become (v·(256−a) + c·a) >> 8, c the colour channel of each byte; p[0] is
 * channel `ch`. a is 1..256. A 16-byte block starts one channel further on than the one before.
 */
void blend_span(u8 *p, int n, int ch, int r, int g, int b, int a) {
  const int c[3] = {r * a, g * a, b * a};
  const int ia = 256 - a;
  int i = 0;
  if (n >= 16) {
    uint16_t lanes[3][16];
    for (int ph = 0; ph < 3; ph++)
      for (int k = 0; k < 16; k++) lanes[ph][k] = (uint16_t)c[(ch + ph + k) % 3];
    const v128_t lo0 = wasm_v128_load(lanes[0]), hi0 = wasm_v128_load(lanes[0] + 8);
    const v128_t lo1 = wasm_v128_load(lanes[1]), hi1 = wasm_v128_load(lanes[1] + 8);
    const v128_t lo2 = wasm_v128_load(lanes[2]), hi2 = wasm_v128_load(lanes[2] + 8);
    const v128_t iav = wasm_u8x16_splat((u8)ia);
    for (; i + 48 <= n; i += 48) {
      wasm_v128_store(p + i, span16(wasm_v128_load(p + i), iav, lo0, hi0));
      wasm_v128_store(p + i + 16, span16(wasm_v128_load(p + i + 16), iav, lo1, hi1));
      wasm_v128_store(p + i + 32, span16(wasm_v128_load(p + i + 32), iav, lo2, hi2));
    }
    if (i + 16 <= n) {
      wasm_v128_store(p + i, span16(wasm_v128_load(p + i), iav, lo0, hi0));
      i += 16;
    }
    if (i + 16 <= n) {
      wasm_v128_store(p + i, span16(wasm_v128_load(p + i), iav, lo1, hi1));
      i += 16;
    }
  }
  for (; i < n; i++) p[i] = (u8)((p[i] * ia + c[(ch + i) % 3]) >> 8);
}

/* div255(c·a + v·(255−a) + 127) per byte: colour c over v at coverage a/255. */
static inline v128_t over(v128_t v, v128_t a, v128_t c) {
  const v128_t half = wasm_i16x8_splat(127);
  v128_t ia = wasm_i8x16_sub(wasm_i8x16_splat((int8_t)255), a);
  v128_t l = wasm_i16x8_add(wasm_u16x8_extmul_low_u8x16(c, a), wasm_u16x8_extmul_low_u8x16(v, ia));
  v128_t h = wasm_i16x8_add(wasm_u16x8_extmul_high_u8x16(c, a), wasm_u16x8_extmul_high_u8x16(v, ia));
  return wasm_u8x16_narrow_i16x8(div255(wasm_i16x8_add(l, half)), div255(wasm_i16x8_add(h, half)));
}

static inline int over1(int v, int a, int c) {
  int x = c * a + v * (255 - a) + 127;
  return (x + 1 + (x >> 8)) >> 8;
}

/* Pixel masks spread to the 48 bytes of 16 RGB pixels: byte k of block j is pixel (16j + k) / 3. */
#define SPREAD0 wasm_i8x16_const(0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5)
#define SPREAD1 wasm_i8x16_const(5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10)
#define SPREAD2 wasm_i8x16_const(10, 11, 11, 11, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15)

static v128_t colour_block(int rgb, int j) {
  u8 bytes[16];
  for (int k = 0; k < 16; k++) bytes[k] = (u8)(rgb >> (8 * ((16 * j + k) % 3)));
  return wasm_v128_load(bytes);
}

/*
 * One row of text-blend.ts's blendTextRow (shadow != 0) or glyphRow: shadow at coverage
 * (s·k) >> 8 then glyphs. The JS skips pixels whose coverage is 0 and sets those at 255; the
 * formula gives the same bytes there, so blocks of 16 pixels need no branches per pixel.
 */
static void text_row(u8 *d, const u8 *g, const u8 *s, int from, int to, int k, int scol, int tcol) {
  const v128_t t0 = colour_block(tcol, 0), t1 = colour_block(tcol, 1), t2 = colour_block(tcol, 2);
  const v128_t s0 = colour_block(scol, 0), s1 = colour_block(scol, 1), s2 = colour_block(scol, 2);
  /* Shadow sample of pixel from + i is s[(from + i) >> 1]: from (from >> 1) on, repeat pairs. */
  const v128_t pairs = (from & 1) ? wasm_i8x16_const(0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8)
                                  : wasm_i8x16_const(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
  const v128_t kv = wasm_i16x8_splat((int16_t)k);
  int x = from;
  for (; x + 16 <= to; x += 16) {
    v128_t gv = wasm_v128_load(g + x);
    v128_t av = wasm_i8x16_splat(0);
    if (s) {
      v128_t sv = wasm_i8x16_swizzle(wasm_v128_load(s + (x >> 1)), pairs);
      v128_t lo = wasm_u16x8_shr(wasm_i16x8_mul(wasm_u16x8_extend_low_u8x16(sv), kv), 8);
      v128_t hi = wasm_u16x8_shr(wasm_i16x8_mul(wasm_u16x8_extend_high_u8x16(sv), kv), 8);
      av = wasm_u8x16_narrow_i16x8(lo, hi);
    }
    if (!wasm_v128_any_true(wasm_v128_or(av, gv))) continue;
    u8 *p = d + 3 * x;
    if (wasm_i8x16_all_true(wasm_i8x16_eq(gv, wasm_i8x16_splat((int8_t)255)))) {
      /* Inside the strokes: the title colour whatever was under it. */
      wasm_v128_store(p, t0);
      wasm_v128_store(p + 16, t1);
      wasm_v128_store(p + 32, t2);
      continue;
    }
    v128_t v0 = wasm_v128_load(p), v1 = wasm_v128_load(p + 16), v2 = wasm_v128_load(p + 32);
    if (s && wasm_v128_any_true(av)) {
      v0 = over(v0, wasm_i8x16_swizzle(av, SPREAD0), s0);
      v1 = over(v1, wasm_i8x16_swizzle(av, SPREAD1), s1);
      v2 = over(v2, wasm_i8x16_swizzle(av, SPREAD2), s2);
    }
    wasm_v128_store(p, over(v0, wasm_i8x16_swizzle(gv, SPREAD0), t0));
    wasm_v128_store(p + 16, over(v1, wasm_i8x16_swizzle(gv, SPREAD1), t1));
    wasm_v128_store(p + 32, over(v2, wasm_i8x16_swizzle(gv, SPREAD2), t2));
  }
  for (; x < to; x++) {
    int gx = g[x];
    int a = s ? (s[x >> 1] * k) >> 8 : 0;
    u8 *p = d + 3 * x;
    for (int c = 0; c < 3; c++) {
      int v = p[c];
      v = over1(v, a, (scol >> (8 * c)) & 255);
      p[c] = (u8)over1(v, gx, (tcol >> (8 * c)) & 255);
    }
  }
}

/*
 * text-blend.ts's blendText: masks of w×h at (left, top) of an image `width` wide and `height`
 * high; spans[2y], spans[2y + 1] bound row y's coverage. shadow is 0 for none; its rows must be
 * followed by 16 readable bytes. Colours are packed r | g << 8 | b << 16.
 */
void blend_text(u8 *img, int width, int height, const u8 *glyphs, const u8 *shadow, int shadow_w,
                const int32_t *spans, int left, int top, int w, int h, int shadow_dy, int k, int scol,
                int tcol) {
  for (int y = 0; y < h && y + top < height; y++) {
    int from = spans[2 * y];
    int to = spans[2 * y + 1];
    if (to > width - left) to = width - left;
    if (from >= to) continue;
    const u8 *s = shadow && y >= shadow_dy ? shadow + ((y - shadow_dy) >> 1) * shadow_w : 0;
    text_row(img + ((y + top) * width + left) * 3, glyphs + y * w, s, from, to, k, scol, tcol);
  }
}
