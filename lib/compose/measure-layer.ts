/**
 * The templates measure the photo under the title, solve the alpha of their panel or scrim, paint
 * it, and measure again for the contrast they report. The solved alpha is usually the template's
 * minimum (panels: always; scrims: unless the photo is bright under the title), so the second
 * measurement is made during the first one for that alpha: what each sample becomes under the
 * layer is a per-channel table lookup. Callers measure again after painting when the guess fails.
 */
import type { Rgb } from "./color";
import { bytesOf, LUM, TopK } from "./measure";
import { clip, type RgbImage } from "./raster";
import type { Box } from "./text/layout";
import { MAX_TOP, readTop, scans, writeRowAlphas } from "./wasm/measure-scans";
import { packRgb, wasmOffset } from "./wasm/runtime";

/** A channel value v with the layer's value l blended over it at a/256: blendSpan's rounding. */
const over = (v: number, l: number, a: number) => (v * (256 - a) + l * a) >> 8;

/** The colour of the sample at byte `at` once `layer` is blended over it at a/256. */
const colourUnder = (data: Uint8Array, at: number, layer: Rgb, a: number): Rgb => [
  over(data[at]!, layer[0], a),
  over(data[at + 1]!, layer[1], a),
  over(data[at + 2]!, layer[2], a),
];

/** Per channel (as LUM), the luminance share of value v once `layer` is blended over it at a/256. */
function layeredLum(layer: Rgb, a: number): Float64Array {
  const out = new Float64Array(768);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < 256; v++) out[c * 256 + v] = LUM[c * 256 + over(v, layer[c]!, a)]!;
  }
  return out;
}

function scanLayered(
  data: Uint8Array,
  width: number,
  { x0, y0, x1, y1 }: ReturnType<typeof clip>,
  sign: number,
  top: TopK,
  layered: Float64Array,
  best: TopK,
): void {
  let floor = top.floor;
  let bestFloor = best.floor;
  for (let y = y0; y < y1; y += 2) {
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x += 2, i += 6) {
      const r = data[i]!;
      const g = data[i + 1]!;
      const b = data[i + 2]!;
      const key = sign * (LUM[r]! + LUM[256 + g]! + LUM[512 + b]!);
      if (key > floor) {
        top.take(key, i);
        floor = top.floor;
      }
      const after = sign * (layered[r]! + layered[256 + g]! + layered[512 + b]!);
      if (after > bestFloor) {
        best.take(after, i);
        bestFloor = best.floor;
      }
    }
  }
}

/**
 * extremeColors(img, box, mode, count) and, in the same pass, the colour extremeColors(img, box,
 * mode, 1) would return once `layer` is painted over all of `box` at alpha a/256 (a in 0..256):
 * same samples, same keys, same first-found order.
 */
export function extremeColorsUnderLayer(
  img: RgbImage,
  box: Box,
  mode: "brightest" | "darkest",
  count: number,
  layer: Rgb,
  a: number,
): { colors: Rgb[]; after: Rgb | null } {
  const top = new TopK(count);
  const best = new TopK(1);
  const data = bytesOf(img);
  const sign = mode === "brightest" ? 1 : -1;
  const area = clip(img, box);
  const staged = wasmOffset(data);
  if (staged >= 0 && count <= MAX_TOP) {
    const { x0, y0, x1, y1 } = area;
    scans!.scan_layered(staged, img.width, x0, y0, x1, y1, sign, count, packRgb(layer), a);
    readTop(0, top);
    readTop(2, best);
  } else {
    scanLayered(data, img.width, area, sign, top, layeredLum(layer, a), best);
  }
  const [at] = best.where;
  const after = at === undefined || at < 0 ? null : colourUnder(data, at, layer, a);
  return { colors: top.colors(data), after };
}

/** As scanBoth in measure.ts, plus each sample's luminance after the layer (`tables`, per sampled row). */
function scanBothLayered(
  data: Uint8Array,
  width: number,
  { x0, y0, x1, y1 }: ReturnType<typeof clip>,
  bright: TopK,
  dark: TopK,
  tables: Float64Array[],
  best: TopK,
): void {
  let brightFloor = bright.floor;
  let darkFloor = dark.floor;
  let bestFloor = best.floor;
  for (let y = y0, row = 0; y < y1; y += 2, row++) {
    const layered = tables[row]!;
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x += 2, i += 6) {
      const r = data[i]!;
      const g = data[i + 1]!;
      const b = data[i + 2]!;
      const l = LUM[r]! + LUM[256 + g]! + LUM[512 + b]!;
      if (l > brightFloor) {
        bright.take(l, i);
        brightFloor = bright.floor;
      }
      if (-l > darkFloor) {
        dark.take(-l, i);
        darkFloor = dark.floor;
      }
      const after = layered[r]! + layered[256 + g]! + layered[512 + b]!;
      if (after > bestFloor) {
        best.take(after, i);
        bestFloor = best.floor;
      }
    }
  }
}

/**
 * The brightest and darkest colours of measureUnder(img, box) and, in the same pass, the colour
 * extremeColors(img, box, "brightest", 1) would return once `layer` is painted with alpha
 * rowAlpha(y)/256 (0..256) on each row y of `box`.
 */
export function measureUnderLayer(img: RgbImage, box: Box, layer: Rgb, rowAlpha: (y: number) => number) {
  const bright = new TopK(16);
  const dark = new TopK(16);
  const best = new TopK(1);
  const data = bytesOf(img);
  const area = clip(img, box);
  const alphas: number[] = [];
  for (let y = area.y0; y < area.y1; y += 2) alphas.push(rowAlpha(y));
  const staged = wasmOffset(data);
  if (staged >= 0 && writeRowAlphas(alphas)) {
    const { x0, y0, x1, y1 } = area;
    scans!.scan_both_layered(staged, img.width, x0, y0, x1, y1, 16, packRgb(layer));
    readTop(0, bright);
    readTop(1, dark);
    readTop(2, best);
  } else {
    const byAlpha = new Map<number, Float64Array>();
    const tables = alphas.map((a) => {
      let table = byAlpha.get(a);
      if (!table) byAlpha.set(a, (table = layeredLum(layer, a)));
      return table;
    });
    scanBothLayered(data, img.width, area, bright, dark, tables, best);
  }
  const [at] = best.where;
  const after =
    at === undefined || at < 0
      ? null
      : colourUnder(data, at, layer, rowAlpha(Math.floor(at / 3 / img.width)));
  return { brightest: bright.colors(data), darkest: dark.colors(data), after };
}
