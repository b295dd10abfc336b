/** Drawing the rasterized title into the photo once the painter has chosen its colours. */
import type { Rgb } from "./color";
import type { RgbImage } from "./raster";
import type { TextStyle } from "./templates/types";
import type { TextMasks } from "./text-raster";
import { blendTextStaged } from "./wasm/blend-text";
import { wasmOffset } from "./wasm/runtime";

/** ⌊v / 255⌋ for 0 ≤ v < 65535, without a division. */
const div255 = (v: number) => (v + 1 + (v >> 8)) >> 8;

/**
 * Shadow (if any) then glyphs, in one pass over the covered part of each row; each channel is
 * read and written once. Same arithmetic as two separate mask blends. An image staged in wasm
 * memory is blended by the SIMD kernel instead, to the same bytes.
 */
export function blendText(img: RgbImage, masks: TextMasks, style: TextStyle): void {
  if (wasmOffset(img.data) >= 0) return blendTextStaged(img, masks, style);
  const { width, height } = img;
  const { left, top, width: w, height: h, shadowDy, spans } = masks;
  const shadow = style.shadow && masks.shadow ? masks.shadow : null;
  const row: TextRow = {
    // Plain views: one map for the loop whatever made the Buffers (see blend-span.ts).
    data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.length),
    glyphs: new Uint8Array(masks.glyphs.buffer, masks.glyphs.byteOffset, masks.glyphs.length),
    shadow: shadow ? shadow.data : new Uint8Array(0),
    k: Math.round((style.shadow?.opacity ?? 0) * 256),
    shadowColor: style.shadow?.color ?? [0, 0, 0],
    color: style.color,
  };
  for (let y = 0; y < h && y + top < height; y++) {
    const from = spans[2 * y]!;
    const to = Math.min(spans[2 * y + 1]!, width - left);
    const shadowAt = shadow && y >= shadowDy ? ((y - shadowDy) >> 1) * shadow.width : -1;
    if (from >= to) continue;
    const d0 = ((y + top) * width + left) * 3;
    // Without a shadow (the panel templates) a leaner loop does; see glyphRow.
    if (shadow) blendTextRow(row, y * w, shadowAt, d0, from, to);
    else glyphRow(row.data, row.glyphs, row.color, y * w, d0, from, to);
  }
}

interface TextRow {
  data: Uint8Array;
  glyphs: Uint8Array;
  shadow: Uint8Array;
  k: number;
  shadowColor: Rgb;
  color: Rgb;
}

function blendTextRow(row: TextRow, glyphAt: number, shadowAt: number, d0: number, from: number, to: number) {
  const { data, glyphs, shadow, k } = row;
  const [sr, sg, sb] = row.shadowColor;
  const [tr, tg, tb] = row.color;
  for (let x = from, d = d0 + from * 3; x < to; x++, d += 3) {
    const g = glyphs[glyphAt + x]!;
    if (g === 255) {
      data[d] = tr;
      data[d + 1] = tg;
      data[d + 2] = tb;
      continue;
    }
    const a = shadowAt >= 0 ? (shadow[shadowAt + (x >> 1)]! * k) >> 8 : 0;
    if ((a | g) === 0) continue;
    let r = data[d]!;
    let gr = data[d + 1]!;
    let b = data[d + 2]!;
    if (a > 0) {
      const ia = 255 - a;
      r = div255(sr * a + r * ia + 127);
      gr = div255(sg * a + gr * ia + 127);
      b = div255(sb * a + b * ia + 127);
    }
    if (g > 0) {
      const ig = 255 - g;
      r = div255(tr * g + r * ig + 127);
      gr = div255(tg * g + gr * ig + 127);
      b = div255(tb * g + b * ig + 127);
    }
    data[d] = r;
    data[d + 1] = gr;
    data[d + 2] = b;
  }
}

/** The glyphs alone: nothing to do where coverage is 0, no shadow sample to read per pixel. */
function glyphRow(
  data: Uint8Array,
  glyphs: Uint8Array,
  color: Rgb,
  glyphAt: number,
  d0: number,
  from: number,
  to: number,
) {
  const [tr, tg, tb] = color;
  for (let x = from, d = d0 + from * 3; x < to; x++, d += 3) {
    const g = glyphs[glyphAt + x]!;
    if (g === 0) continue;
    if (g === 255) {
      data[d] = tr;
      data[d + 1] = tg;
      data[d + 2] = tb;
      continue;
    }
    const ig = 255 - g;
    data[d] = div255(tr * g + data[d]! * ig + 127);
    data[d + 1] = div255(tg * g + data[d + 1]! * ig + 127);
    data[d + 2] = div255(tb * g + data[d + 2]! * ig + 127);
  }
}

/**
 * Blends a tiny title with and without a shadow, every kind of pixel included, at load. V8
 * otherwise compiled the row loops before some branches had run (the first titles have few
 * partly covered pixels over the shadow), and the late deoptimization left the shadow loop
 * ~25 % slower for the rest of the process in about one run in three.
 */
function warmUp(): void {
  const w = 16;
  const h = 8;
  const glyphs = Buffer.alloc(w * h);
  const shadow = new Uint8Array((w / 2) * (h / 2));
  for (let i = 0; i < glyphs.length; i++) glyphs[i] = [0, 255, 128, 0, 40][i % 5]!;
  for (let i = 0; i < shadow.length; i++) shadow[i] = [0, 200, 90][i % 3]!;
  const spans = new Int32Array(2 * h);
  for (let y = 0; y < h; y++) spans[2 * y + 1] = w;
  const masks: TextMasks = {
    glyphs,
    shadow: { data: shadow, width: w / 2, height: h / 2 },
    shadowDy: 1,
    spans,
    left: 1,
    top: 1,
    width: w,
    height: h,
  };
  const img: RgbImage = { data: Buffer.alloc(20 * 12 * 3, 100), width: 20, height: 12 };
  for (let i = 0; i < 4; i++) {
    blendText(img, masks, { color: [255, 255, 255], shadow: { color: [11, 13, 20], opacity: 0.55 } });
    blendText(img, masks, { color: [17, 24, 39] });
  }
}

warmUp();
