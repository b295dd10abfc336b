/** Reading the photo under the title: the colours that are hardest to read against, and how busy it is. */
import type { Rgb } from "./color";
import { luminance } from "./color";
import { clip, type RgbImage } from "./raster";
import type { Box } from "./text/layout";

const LUM_R = Float64Array.from({ length: 256 }, (_, v) => luminance([v, 0, 0]));
const LUM_G = Float64Array.from({ length: 256 }, (_, v) => luminance([0, v, 0]));
const LUM_B = Float64Array.from({ length: 256 }, (_, v) => luminance([0, 0, v]));

/**
 * A small top-k list by key (largest kept), remembering where each entry came from. Callers
 * test `key > floor` inline before offering, so the common case costs one comparison.
 */
class TopK {
  readonly keys: Float64Array;
  readonly where: Int32Array;
  private floorAt = 0;
  floor = -Infinity;
  constructor(count: number) {
    this.keys = new Float64Array(count).fill(-Infinity);
    this.where = new Int32Array(count).fill(-1);
  }
  /** Replaces the smallest entry; only call with key > floor. */
  take(key: number, at: number): void {
    const keys = this.keys;
    keys[this.floorAt] = key;
    this.where[this.floorAt] = at;
    for (let k = 0; k < keys.length; k++) if (keys[k]! < keys[this.floorAt]!) this.floorAt = k;
    this.floor = keys[this.floorAt]!;
  }
  colors(data: Uint8Array): Rgb[] {
    const out: Rgb[] = [];
    for (const i of this.where) if (i >= 0) out.push([data[i]!, data[i + 1]!, data[i + 2]!]);
    return out;
  }
}

/** A plain view of the pixels: one map for the scans whatever made the Buffer (see blend-span.ts). */
function bytesOf(img: RgbImage): Uint8Array {
  return new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.length);
}

/*
 * The scans below live in leaf functions that end with their loop. V8 compiles a long loop
 * on its first run (on-stack replacement), before the code after it has ever run; code placed
 * after the loop then lacked type feedback and deoptimized on every later call.
 */

function scanExtremes(
  data: Uint8Array,
  width: number,
  { x0, y0, x1, y1 }: ReturnType<typeof clip>,
  step: number,
  sign: number,
  top: TopK,
): void {
  for (let y = y0; y < y1; y += step) {
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x += step, i += 3 * step) {
      const key = sign * (LUM_R[data[i]!]! + LUM_G[data[i + 1]!]! + LUM_B[data[i + 2]!]!);
      if (key > top.floor) top.take(key, i);
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
  const top = new TopK(count);
  const data = bytesOf(img);
  scanExtremes(data, img.width, clip(img, box), step, mode === "brightest" ? 1 : -1, top);
  return top.colors(data);
}

/** Adds luminance count, sum and sum of squares of the samples to `acc`. */
function scanSpread(
  data: Uint8Array,
  width: number,
  { x0, y0, x1, y1 }: ReturnType<typeof clip>,
  step: number,
  acc: Float64Array,
): void {
  for (let y = y0; y < y1; y += step) {
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x += step, i += 3 * step) {
      const l = LUM_R[data[i]!]! + LUM_G[data[i + 1]!]! + LUM_B[data[i + 2]!]!;
      acc[0]!++;
      acc[1]! += l;
      acc[2]! += l * l;
    }
  }
}

function deviation(acc: Float64Array): number {
  const [n, sum, sq] = acc as unknown as [number, number, number];
  if (n === 0) return 0;
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sq / n - mean * mean));
}

/** Standard deviation of relative luminance under `box` (sampled every `step` px): how busy it is. */
export function luminanceSpread(img: RgbImage, box: Box, step = 4): number {
  const acc = new Float64Array(3);
  scanSpread(bytesOf(img), img.width, clip(img, box), step, acc);
  return deviation(acc);
}

function scanUnder(
  data: Uint8Array,
  width: number,
  { x0, y0, x1, y1 }: ReturnType<typeof clip>,
  every: number,
  bright: TopK,
  dark: TopK,
  acc: Float64Array,
): void {
  for (let y = y0, row = 0; y < y1; y += 2, row++) {
    const spreadRow = row % every === 0;
    for (let x = x0, i = (y * width + x0) * 3, col = 0; x < x1; x += 2, i += 6, col++) {
      const l = LUM_R[data[i]!]! + LUM_G[data[i + 1]!]! + LUM_B[data[i + 2]!]!;
      if (l > bright.floor) bright.take(l, i);
      if (-l > dark.floor) dark.take(-l, i);
      if (spreadRow && col % every === 0) {
        acc[0]!++;
        acc[1]! += l;
        acc[2]! += l * l;
      }
    }
  }
}

/**
 * What the overlay templates need to know about the photo under the title, in one pass: the
 * `count` brightest and darkest colours (sampled every 2 px, as extremeColors) and the luminance
 * spread (every `spreadStep` px, a multiple of 2, as luminanceSpread). Same samples, same order,
 * so the results equal the three separate scans.
 */
export function measureUnder(img: RgbImage, box: Box, count = 16, spreadStep = 4) {
  const bright = new TopK(count);
  const dark = new TopK(count);
  const acc = new Float64Array(3);
  const data = bytesOf(img);
  scanUnder(data, img.width, clip(img, box), spreadStep >> 1, bright, dark, acc);
  return { brightest: bright.colors(data), darkest: dark.colors(data), spread: deviation(acc) };
}
