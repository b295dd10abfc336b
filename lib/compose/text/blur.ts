/**
 * The title's soft shadow: its coverage mask downsampled 2×, blurred with two box passes each
 * way (close to a Gaussian) and kept at half size. Each loop is its own function: see the note
 * on on-stack replacement in ../measure.ts.
 */
import { blurMaskWasm } from "../wasm/blur-mask";
import { kernels } from "../wasm/runtime";
import { scratchFloats } from "./scratch";

/** A blurred mask kept at half size: pixel (x, y) of the full-size mask is data[(y>>1)·width + (x>>1)]. */
export interface HalfMask {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Box blur of radius `r` along each row, edges clamped. The window sum runs in three stretches
 * (left edge, middle, right edge) so the middle has no bounds tests.
 */
function boxRows(src: Float32Array, dst: Float32Array, w: number, h: number, r: number): void {
  const norm = 1 / (2 * r + 1);
  const leftEnd = Math.min(w, r);
  const midEnd = Math.max(leftEnd, w - r - 1);
  for (let base = 0; base < w * h; base += w) {
    const first = src[base]!;
    const last = src[base + w - 1]!;
    let sum = first * (r + 1);
    for (let k = 1; k <= r; k++) sum += k < w ? src[base + k]! : last;
    let i = 0;
    for (; i < leftEnd; i++) {
      dst[base + i] = sum * norm;
      sum += (i + r + 1 < w ? src[base + i + r + 1]! : last) - first;
    }
    for (let p = base + i; i < midEnd; i++, p++) {
      dst[p] = sum * norm;
      sum += src[p + r + 1]! - src[p - r]!;
    }
    for (; i < w; i++) {
      dst[base + i] = sum * norm;
      sum += (i + r + 1 < w ? src[base + i + r + 1]! : last) - (i - r >= 0 ? src[base + i - r]! : first);
    }
  }
}

/** Each column's window sum for the first output row (edges clamped), for the column passes. */
function columnSums(src: Float32Array, w: number, h: number, r: number): Float64Array {
  const sums = new Float64Array(w);
  const lastRow = (h - 1) * w;
  for (let c = 0; c < w; c++) {
    let sum = src[c]! * (r + 1);
    for (let k = 1; k <= r; k++) sum += k < h ? src[k * w + c]! : src[lastRow + c]!;
    sums[c] = sum;
  }
  return sums;
}

/**
 * The same blur down each column, swept row by row with one running sum per column (walking
 * down columns one at a time misses the cache on every step). Each column's sum sees the same
 * operations in the same order as a column-at-a-time loop would.
 */
function boxColumns(src: Float32Array, dst: Float32Array, w: number, h: number, r: number): void {
  const norm = 1 / (2 * r + 1);
  const sums = columnSums(src, w, h, r);
  const lastRow = (h - 1) * w;
  for (let i = 0; i < h; i++) {
    const row = i * w;
    const addRow = i + r + 1 < h ? (i + r + 1) * w : lastRow;
    const subRow = i - r >= 0 ? (i - r) * w : 0;
    for (let c = 0; c < w; c++) {
      const sum = sums[c]!;
      dst[row + c] = sum * norm;
      sums[c] = sum + (src[addRow + c]! - src[subRow + c]!);
    }
  }
}

/**
 * The last column pass, rounded straight to bytes: the value is rounded to float32 first, as
 * storing it in the float buffer and rounding that in a separate pass did.
 */
function boxColumnsToBytes(src: Float32Array, dst: Uint8Array, w: number, h: number, r: number): void {
  const norm = 1 / (2 * r + 1);
  const sums = columnSums(src, w, h, r);
  const lastRow = (h - 1) * w;
  for (let i = 0; i < h; i++) {
    const row = i * w;
    const addRow = i + r + 1 < h ? (i + r + 1) * w : lastRow;
    const subRow = i - r >= 0 ? (i - r) * w : 0;
    for (let c = 0; c < w; c++) {
      const sum = sums[c]!;
      dst[row + c] = Math.fround(sum * norm) + 0.5;
      sums[c] = sum + (src[addRow + c]! - src[subRow + c]!);
    }
  }
}

/**
 * Quarter sums of 2×2 blocks (exact in float32: at most 1020/4). Whole blocks first, without
 * tests; a last odd column or row sums what exists.
 */
function downsample(mask: Uint8Array, width: number, height: number, a: Float32Array, w: number): void {
  const evenW = width & ~1;
  for (let y = 0; y + 1 < height; y += 2) {
    const top = y * width;
    const bottom = top + width;
    let j = (y >> 1) * w;
    for (let x = 0; x < evenW; x += 2, j++) {
      a[j] = (mask[top + x]! + mask[top + x + 1]! + mask[bottom + x]! + mask[bottom + x + 1]!) * 0.25;
    }
    if (evenW < width) a[j] = (mask[top + evenW]! + mask[bottom + evenW]!) * 0.25;
  }
  if (height & 1) downsampleLastRow(mask, width, height, a, w);
}

function downsampleLastRow(mask: Uint8Array, width: number, height: number, a: Float32Array, w: number) {
  const top = (height - 1) * width;
  for (let x = 0, j = (height >> 1) * w; x < width; x += 2, j++) {
    a[j] = (mask[top + x]! + (x + 1 < width ? mask[top + x + 1]! : 0)) * 0.25;
  }
}

/**
 * Soft shadow mask: the coverage mask downsampled 2×, blurred with two box passes each way
 * (close to a Gaussian of `sigma`), rounded to bytes and left at half size; a blurred shadow
 * has no detail worth full resolution, and readers index it at (x>>1, y>>1), exactly what
 * scaling it back up would give.
 */
export function blurMask(mask: Buffer, width: number, height: number, sigma: number): HalfMask {
  const r = Math.max(1, Math.round((sigma / 2) * 1.2));
  return kernels ? blurMaskWasm(mask, width, height, r) : blurMaskJs(mask, width, height, r);
}

/** The reference for the wasm kernel, and the fallback without WebAssembly. */
export function blurMaskJs(mask: Buffer, width: number, height: number, r: number): HalfMask {
  const w = Math.ceil(width / 2);
  const h = Math.ceil(height / 2);
  const a = scratchFloats(1, w * h);
  const b = scratchFloats(2, w * h);
  downsample(new Uint8Array(mask.buffer, mask.byteOffset, mask.length), width, height, a, w);
  boxRows(a, b, w, h, r);
  boxColumns(b, a, w, h, r);
  boxRows(a, b, w, h, r);
  const data = new Uint8Array(w * h);
  boxColumnsToBytes(b, data, w, h, r);
  return { data, width: w, height: h };
}
