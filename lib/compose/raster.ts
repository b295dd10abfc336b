import type { Rgb } from "./color";
import type { Box } from "./text/layout";
import { blendSpan, wordsOf } from "./blend-span";
import { softScrimStaged } from "./wasm/soft-scrim";

export { extremeColors, luminanceSpread } from "./measure";

/** A packed 8-bit RGB image in memory: the resized photo that overlays are painted into. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

/** The whole-pixel rectangle of `box` that lies inside the image (x1/y1 exclusive). */
export function clip(img: RgbImage, box: Box) {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(img.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(img.height, Math.ceil(box.y + box.height));
  return { x0, y0, x1, y1 };
}

/** Paints `color` at a per-row alpha; `alphaAt(y)` returns 0..1. */
export function paintRows(img: RgbImage, box: Box, color: Rgb, alphaAt: (y: number) => number): void {
  const { x0, y0, x1, y1 } = clip(img, box);
  if (x1 <= x0) return;
  const words = wordsOf(img.data);
  for (let y = y0; y < y1; y++) {
    const a = Math.round(Math.min(1, Math.max(0, alphaAt(y))) * 256);
    if (a === 0) continue;
    blendSpan(words, (y * img.width + x0) * 3, (y * img.width + x1) * 3, color, a);
  }
}

export function fillRect(img: RgbImage, box: Box, color: Rgb, alpha: number): void {
  paintRows(img, box, color, () => alpha);
}

/**
 * Paints `color` at `alpha` over `inner`, fading to nothing over `feather` px around it
 * (a soft-edged scrim; smoothstep falloff so no band is visible). Falloff comes from a lookup
 * table by integer distance: this runs over most of the canvas and must stay a few ms.
 */
export function softScrim(
  img: RgbImage,
  inner: Box,
  feather: number,
  color: Rgb,
  alpha: number,
  /** Area left untouched (e.g. under an opaque card), so the loop skips it. */
  hole?: Box,
): void {
  const f = Math.max(1, Math.round(feather));
  const f2 = f * f;
  const lut = new Uint16Array(f2);
  for (let d2 = 0; d2 < f2; d2++) {
    const t = 1 - Math.sqrt(d2) / f;
    lut[d2] = Math.round(alpha * t * t * (3 - 2 * t) * 256);
  }
  const ix0 = Math.round(inner.x);
  const ix1 = Math.round(inner.x + inner.width);
  const iy0 = Math.round(inner.y);
  const iy1 = Math.round(inner.y + inner.height);
  const { x0, y0, x1, y1 } = clip(img, {
    x: ix0 - f,
    y: iy0 - f,
    width: ix1 - ix0 + 2 * f,
    height: iy1 - iy0 + 2 * f,
  });
  const { data, width } = img;
  const hx0 = hole ? Math.ceil(hole.x) : 0;
  const hx1 = hole ? Math.floor(hole.x + hole.width) : 0;
  const hy0 = hole ? Math.ceil(hole.y) : 0;
  const hy1 = hole ? Math.floor(hole.y + hole.height) : 0;
  const geometry = {
    x0,
    y0,
    x1,
    y1,
    ix0,
    ix1,
    iy0,
    iy1,
    f,
    hole: [hx0, hx1, hy0, hy1] as [number, number, number, number],
  };
  if (softScrimStaged(data, width, geometry, lut, color)) return;
  const dx2 = new Int32Array(Math.max(0, x1 - x0));
  for (let x = x0; x < x1; x++) dx2[x - x0] = Math.max(ix0 - x, x - ix1, 0) ** 2;
  const words = wordsOf(data);
  const run: ScrimRun = { data: words.u8, words, width, x0, dx2, f2, lut, ix1, color };
  for (let y = y0; y < y1; y++) {
    const dy = Math.max(iy0 - y, y - iy1, 0);
    if (dy >= f) continue;
    if (hole && y >= hy0 && y < hy1 && hx1 > hx0) {
      scrimRow(run, y, x0, Math.min(x1, Math.max(x0, hx0)), dy * dy);
      scrimRow(run, y, Math.max(x0, Math.min(x1, hx1)), x1, dy * dy);
    } else {
      scrimRow(run, y, x0, x1, dy * dy);
    }
  }
}

interface ScrimRun {
  data: Uint8Array;
  words: ReturnType<typeof wordsOf>;
  width: number;
  x0: number;
  /** Squared horizontal distance to the inner box, per column from x0. */
  dx2: Int32Array;
  f2: number;
  lut: Uint16Array;
  ix1: number;
  color: Rgb;
}

/** One row of a soft scrim (a top-level function: a closure per call kept V8 from reusing code). */
function scrimRow(run: ScrimRun, y: number, from: number, to: number, dy2: number): void {
  const { data, words, width, x0, dx2, f2, lut, ix1, color } = run;
  const [cr, cg, cb] = color;
  for (let x = from, i = (y * width + from) * 3; x < to; x++, i += 3) {
    const d2 = dx2[x - x0]! + dy2;
    if (d2 >= f2) continue;
    const a = lut[d2]!;
    if (d2 === dy2) {
      // Within the inner box's columns the alpha is the same all along: blend the run at once.
      const until = Math.min(to, ix1 + 1);
      if (a > 0) blendSpan(words, i, (y * width + until) * 3, color, a);
      i += (until - x - 1) * 3;
      x = until - 1;
      continue;
    }
    if (a === 0) continue;
    const ia = 256 - a;
    data[i] = (data[i]! * ia + cr * a) >> 8;
    data[i + 1] = (data[i + 1]! * ia + cg * a) >> 8;
    data[i + 2] = (data[i + 2]! * ia + cb * a) >> 8;
  }
}

/** Paints `color` through a coverage mask (0–255 per pixel) at `opacity`. */
export function blendMask(
  img: RgbImage,
  mask: Buffer,
  w: number,
  h: number,
  left: number,
  top: number,
  color: Rgb,
  opacity = 1,
): void {
  const { data, width, height } = img;
  const k = Math.round(opacity * 256);
  for (let y = Math.max(0, -top); y < h && y + top < height; y++) {
    let s = y * w + Math.max(0, -left);
    let d = ((y + top) * width + left + Math.max(0, -left)) * 3;
    for (let x = Math.max(0, -left); x < w && x + left < width; x++, s++, d += 3) {
      const m = mask[s]!;
      if (m === 0) continue;
      const a = (m * k) >> 8;
      const ia = 255 - a;
      data[d] = (color[0] * a + data[d]! * ia + 127) / 255;
      data[d + 1] = (color[1] * a + data[d + 1]! * ia + 127) / 255;
      data[d + 2] = (color[2] * a + data[d + 2]! * ia + 127) / 255;
    }
  }
}

/** Fills a rectangle with anti-aliased rounded corners. */
export function fillRoundedRect(img: RgbImage, box: Box, radius: number, color: Rgb, alpha: number): void {
  const { x0, y0, x1, y1 } = clip(img, box);
  const { width } = img;
  const words = wordsOf(img.data);
  const corner: CornerRun = {
    data: words.u8,
    width,
    left: box.x + radius,
    right: box.x + box.width - radius,
    radius,
    alpha,
    full: Math.round(alpha * 256),
    color,
  };
  // Columns whose centres lie between the corner arcs' centres: full alpha on every row.
  const mx0 = Math.min(x1, Math.max(x0, Math.ceil(corner.left - 0.5)));
  const mx1 = Math.max(mx0, Math.min(x1, Math.floor(corner.right - 0.5) + 1));
  const top = box.y + radius;
  const bottom = box.y + box.height - radius;
  for (let y = y0; y < y1; y++) {
    const dy = Math.max(top - (y + 0.5), y + 0.5 - bottom, 0);
    const from = dy === 0 ? x0 : mx0;
    const to = dy === 0 ? x1 : mx1;
    if (dy > 0) cornerRow(corner, y, x0, mx0, dy);
    if (corner.full > 0 && to > from)
      blendSpan(words, (y * width + from) * 3, (y * width + to) * 3, color, corner.full);
    if (dy > 0) cornerRow(corner, y, mx1, x1, dy);
  }
}

interface CornerRun {
  data: Uint8Array;
  width: number;
  left: number;
  right: number;
  radius: number;
  alpha: number;
  full: number;
  color: Rgb;
}

/** Columns [from, to) of a row crossing the corner arcs (dy > 0: the row is above or below the straight sides). */
function cornerRow(run: CornerRun, y: number, from: number, to: number, dy: number): void {
  const { data, width, left, right, radius, alpha, full } = run;
  const [cr, cg, cb] = run.color;
  for (let x = from, i = (y * width + from) * 3; x < to; x++, i += 3) {
    let a = full;
    const dx = Math.max(left - (x + 0.5), x + 0.5 - right, 0);
    if (dx > 0)
      a = Math.round(alpha * Math.min(1, Math.max(0, radius - Math.sqrt(dx * dx + dy * dy) + 0.5)) * 256);
    if (a === 0) continue;
    const ia = 256 - a;
    data[i] = (data[i]! * ia + cr * a) >> 8;
    data[i + 1] = (data[i + 1]! * ia + cg * a) >> 8;
    data[i + 2] = (data[i + 2]! * ia + cb * a) >> 8;
  }
}
