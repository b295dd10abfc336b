/** Reading the photo under the title: the colours that are hardest to read against, and how busy it is. */
import type { Rgb } from "./color";
import { luminance } from "./color";
import { clip, type RgbImage } from "./raster";
import type { Box } from "./text/layout";
import { MAX_TOP, readSpread, readTop, scans, setLum } from "./wasm/measure-scans";
import { wasmOffset } from "./wasm/runtime";

/**
 * Each channel's share of relative luminance: red at [v], green at [256 + v], blue at [512 + v].
 * One table rather than three: the scans below are load-bound, and one base pointer fewer made
 * them ~25 % faster. A pixel's luminance is the three entries summed in r, g, b order.
 */
export const LUM = new Float64Array(768);
for (let v = 0; v < 256; v++) {
  LUM[v] = luminance([v, 0, 0]);
  LUM[256 + v] = luminance([0, v, 0]);
  LUM[512 + v] = luminance([0, 0, v]);
}
setLum(LUM);

/**
 * A small top-k list by key (largest kept), remembering where each entry came from. Callers
 * test `key > floor` inline before offering, so the common case costs one comparison.
 */
export class TopK {
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
  /** Takes over a list the wasm scans built with the same updates. */
  load(keys: Float64Array, where: Int32Array, floorAt: number): void {
    this.keys.set(keys);
    this.where.set(where);
    this.floorAt = floorAt;
    this.floor = this.keys[floorAt]!;
  }
  colors(data: Uint8Array): Rgb[] {
    const out: Rgb[] = [];
    for (const i of this.where) if (i >= 0) out.push([data[i]!, data[i + 1]!, data[i + 2]!]);
    return out;
  }
}

/** A plain view of the pixels: one map for the scans whatever made the Buffer (see blend-span.ts). */
export function bytesOf(img: RgbImage): Uint8Array {
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
  // The floor lives in a local between takes (rare): reading the field per sample cost ~10 %.
  let floor = top.floor;
  for (let y = y0; y < y1; y += step) {
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x += step, i += 3 * step) {
      const key = sign * (LUM[data[i]!]! + LUM[256 + data[i + 1]!]! + LUM[512 + data[i + 2]!]!);
      if (key > floor) {
        top.take(key, i);
        floor = top.floor;
      }
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
  const area = clip(img, box);
  const sign = mode === "brightest" ? 1 : -1;
  const at = wasmOffset(data);
  if (at >= 0 && count <= MAX_TOP) {
    scans!.scan_extremes(at, img.width, area.x0, area.y0, area.x1, area.y1, step, sign, count);
    readTop(0, top);
  } else {
    scanExtremes(data, img.width, area, step, sign, top);
  }
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
      const l = LUM[data[i]!]! + LUM[256 + data[i + 1]!]! + LUM[512 + data[i + 2]!]!;
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
  const data = bytesOf(img);
  const area = clip(img, box);
  const at = wasmOffset(data);
  if (at >= 0) {
    scans!.scan_spread(at, img.width, area.x0, area.y0, area.x1, area.y1, step);
    readSpread(acc);
  } else {
    scanSpread(data, img.width, area, step, acc);
  }
  return deviation(acc);
}

/** Offers every sample to both lists: `bright` keyed by luminance, `dark` by its negation. */
function scanBoth(
  data: Uint8Array,
  width: number,
  { x0, y0, x1, y1 }: ReturnType<typeof clip>,
  bright: TopK,
  dark: TopK,
): void {
  let brightFloor = bright.floor;
  let darkFloor = dark.floor;
  for (let y = y0; y < y1; y += 2) {
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x += 2, i += 6) {
      const l = LUM[data[i]!]! + LUM[256 + data[i + 1]!]! + LUM[512 + data[i + 2]!]!;
      if (l > brightFloor) {
        bright.take(l, i);
        brightFloor = bright.floor;
      }
      if (-l > darkFloor) {
        dark.take(-l, i);
        darkFloor = dark.floor;
      }
    }
  }
}

/**
 * What the overlay templates need to know about the photo under the title: the `count`
 * brightest and darkest colours (sampled every 2 px, as extremeColors) and the luminance spread
 * (every `spreadStep` px, as luminanceSpread). The spread has its own loop over its sparser
 * grid, in the same order, so the results equal the three separate scans.
 */
export function measureUnder(img: RgbImage, box: Box, count = 16, spreadStep = 4) {
  const bright = new TopK(count);
  const dark = new TopK(count);
  const acc = new Float64Array(3);
  const data = bytesOf(img);
  const area = clip(img, box);
  scanBoth(data, img.width, area, bright, dark);
  scanSpread(data, img.width, area, spreadStep, acc);
  return { brightest: bright.colors(data), darkest: dark.colors(data), spread: deviation(acc) };
}
