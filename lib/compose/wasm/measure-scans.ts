import type { TopK } from "../measure";
import { kernels } from "./runtime";

/** The photo scans of measure.ts and measure-layer.ts run in wasm on staged images. */
export const scans = kernels;

/** The C keeps at most this many entries per list; longer lists are scanned in JS. */
export const MAX_TOP = 64;

/** measure.ts's LUM, copied into the module once. */
export function setLum(lum: Float64Array): void {
  if (scans) new Float64Array(kernels!.memory.buffer, scans.lum_table(), 768).set(lum);
}

/** Copies top-k list k of the last scan (C struct: keys, where, count, floor_at) into `top`. */
export function readTop(k: number, top: TopK): void {
  const at = scans!.top(k);
  const buffer = kernels!.memory.buffer;
  const count = top.keys.length;
  const floorAt = new Int32Array(buffer, at + 8 * MAX_TOP + 4 * MAX_TOP + 4, 1)[0]!;
  top.load(new Float64Array(buffer, at, count), new Int32Array(buffer, at + 8 * MAX_TOP, count), floorAt);
}

/** The luminance count, sum and sum of squares of the last scan_spread. */
export function readSpread(acc: Float64Array): void {
  acc.set(new Float64Array(kernels!.memory.buffer, scans!.spread_sums(), 3));
}

/** measureUnderLayer's alpha per sampled row, where scan_both_layered reads them. */
export function writeRowAlphas(alphas: number[]): boolean {
  if (alphas.length > 2048) return false;
  new Int32Array(kernels!.memory.buffer, scans!.row_alphas(), alphas.length).set(alphas);
  return true;
}
