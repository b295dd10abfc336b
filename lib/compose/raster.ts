import type { Rgb } from "./color";
import { luminance } from "./color";

const LUM_R = Float64Array.from({ length: 256 }, (_, v) => luminance([v, 0, 0]));
const LUM_G = Float64Array.from({ length: 256 }, (_, v) => luminance([0, v, 0]));
const LUM_B = Float64Array.from({ length: 256 }, (_, v) => luminance([0, 0, v]));
import type { TextStyle } from "./templates/types";
import type { TextMasks } from "./text-raster";
import type { Box } from "./text/layout";

/** A packed 8-bit RGB image in memory: the resized photo that overlays are painted into. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

function clip(img: RgbImage, box: Box) {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(img.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(img.height, Math.ceil(box.y + box.height));
  return { x0, y0, x1, y1 };
}

/** Paints `color` at a per-row alpha; `alphaAt(y)` returns 0..1. */
export function paintRows(img: RgbImage, box: Box, color: Rgb, alphaAt: (y: number) => number): void {
  const { x0, y0, x1, y1 } = clip(img, box);
  const { data, width } = img;
  for (let y = y0; y < y1; y++) {
    const a = Math.round(Math.min(1, Math.max(0, alphaAt(y))) * 256);
    if (a === 0) continue;
    const ia = 256 - a;
    const cr = color[0] * a;
    const cg = color[1] * a;
    const cb = color[2] * a;
    for (let i = (y * width + x0) * 3, end = (y * width + x1) * 3; i < end; i += 3) {
      data[i] = (data[i]! * ia + cr) >> 8;
      data[i + 1] = (data[i + 1]! * ia + cg) >> 8;
      data[i + 2] = (data[i + 2]! * ia + cb) >> 8;
    }
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
  const dxs = new Int32Array(x1 - x0);
  for (let x = x0; x < x1; x++) dxs[x - x0] = Math.max(ix0 - x, x - ix1, 0);
  const [cr, cg, cb] = color;
  const hx0 = hole ? Math.ceil(hole.x) : 0;
  const hx1 = hole ? Math.floor(hole.x + hole.width) : 0;
  const hy0 = hole ? Math.ceil(hole.y) : 0;
  const hy1 = hole ? Math.floor(hole.y + hole.height) : 0;
  for (let y = y0; y < y1; y++) {
    const dy = Math.max(iy0 - y, y - iy1, 0);
    const dy2 = dy * dy;
    const skipFrom = hole && y >= hy0 && y < hy1 ? hx0 : Infinity;
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x++, i += 3) {
      if (x >= skipFrom && x < hx1) {
        i += (hx1 - x - 1) * 3;
        x = hx1 - 1;
        continue;
      }
      const dx = dxs[x - x0]!;
      const d2 = dx * dx + dy2;
      if (d2 >= f2) continue;
      const a = lut[d2]!;
      if (a === 0) continue;
      const ia = 256 - a;
      data[i] = (data[i]! * ia + cr * a) >> 8;
      data[i + 1] = (data[i + 1]! * ia + cg * a) >> 8;
      data[i + 2] = (data[i + 2]! * ia + cb * a) >> 8;
    }
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

/**
 * The `count` brightest (or darkest) colours under `box`, sampled every `step` px: the colours
 * that are hardest to read light (or dark) text against. One pass with a small top-k list.
 */
export function extremeColors(
  img: RgbImage,
  box: Box,
  mode: "brightest" | "darkest",
  count = 16,
  step = 2,
): Rgb[] {
  const { x0, y0, x1, y1 } = clip(img, box);
  const { data, width } = img;
  const sign = mode === "brightest" ? 1 : -1;
  const keys = new Float64Array(count).fill(-Infinity);
  const where = new Int32Array(count).fill(-1);
  let floorAt = 0;
  for (let y = y0; y < y1; y += step) {
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x += step, i += 3 * step) {
      const l = sign * (LUM_R[data[i]!]! + LUM_G[data[i + 1]!]! + LUM_B[data[i + 2]!]!);
      if (l <= keys[floorAt]!) continue;
      keys[floorAt] = l;
      where[floorAt] = i;
      for (let k = 0; k < count; k++) if (keys[k]! < keys[floorAt]!) floorAt = k;
    }
  }
  const out: Rgb[] = [];
  for (const i of where) if (i >= 0) out.push([data[i]!, data[i + 1]!, data[i + 2]!]);
  return out;
}

/** Standard deviation of relative luminance under `box` (sampled every `step` px): how busy it is. */
export function luminanceSpread(img: RgbImage, box: Box, step = 4): number {
  const { x0, y0, x1, y1 } = clip(img, box);
  const { data, width } = img;
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (let y = y0; y < y1; y += step) {
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x += step, i += 3 * step) {
      const l = LUM_R[data[i]!]! + LUM_G[data[i + 1]!]! + LUM_B[data[i + 2]!]!;
      n++;
      sum += l;
      sq += l * l;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sq / n - mean * mean));
}

/** Fills a rectangle with anti-aliased rounded corners. */
export function fillRoundedRect(img: RgbImage, box: Box, radius: number, color: Rgb, alpha: number): void {
  const { x0, y0, x1, y1 } = clip(img, box);
  const { data, width } = img;
  const left = box.x + radius;
  const right = box.x + box.width - radius;
  const top = box.y + radius;
  const bottom = box.y + box.height - radius;
  const full = Math.round(alpha * 256);
  const [cr, cg, cb] = color;
  for (let y = y0; y < y1; y++) {
    const dy = Math.max(top - (y + 0.5), y + 0.5 - bottom, 0);
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x++, i += 3) {
      let a = full;
      if (dy > 0) {
        const dx = Math.max(left - (x + 0.5), x + 0.5 - right, 0);
        if (dx > 0)
          a = Math.round(alpha * Math.min(1, Math.max(0, radius - Math.sqrt(dx * dx + dy * dy) + 0.5)) * 256);
        if (a === 0) continue;
      }
      const ia = 256 - a;
      data[i] = (data[i]! * ia + cr * a) >> 8;
      data[i + 1] = (data[i + 1]! * ia + cg * a) >> 8;
      data[i + 2] = (data[i + 2]! * ia + cb * a) >> 8;
    }
  }
}

/** Shadow (if any) then glyphs, in one pass over the text region. */
export function blendText(img: RgbImage, masks: TextMasks, style: TextStyle): void {
  const { data, width, height } = img;
  const { glyphs, left, top, width: w, height: h, shadowDy } = masks;
  const shadow = style.shadow && masks.shadow ? masks.shadow : null;
  const k = Math.round((style.shadow?.opacity ?? 0) * 256);
  const [sr, sg, sb] = style.shadow?.color ?? [0, 0, 0];
  const [tr, tg, tb] = style.color;
  for (let y = 0; y < h && y + top < height; y++) {
    const sy = y - shadowDy;
    for (let x = 0, d = ((y + top) * width + left) * 3; x < w && x + left < width; x++, d += 3) {
      if (shadow && sy >= 0) {
        const a = (shadow[sy * w + x]! * k) >> 8;
        if (a > 0) {
          const ia = 255 - a;
          data[d] = (sr * a + data[d]! * ia + 127) / 255;
          data[d + 1] = (sg * a + data[d + 1]! * ia + 127) / 255;
          data[d + 2] = (sb * a + data[d + 2]! * ia + 127) / 255;
        }
      }
      const g = glyphs[y * w + x]!;
      if (g === 0) continue;
      const ig = 255 - g;
      data[d] = (tr * g + data[d]! * ig + 127) / 255;
      data[d + 1] = (tg * g + data[d + 1]! * ig + 127) / 255;
      data[d + 2] = (tb * g + data[d + 2]! * ig + 127) / 255;
    }
  }
}
