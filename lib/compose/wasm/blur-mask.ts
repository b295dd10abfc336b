import type { HalfMask } from "../text/blur";
import { align16, heap, kernels, reserve, SCRATCH } from "./runtime";

/** text/blur.ts's blurMask (box radius `r` already chosen) in wasm; its own synchronous section. */
export function blurMaskWasm(mask: Uint8Array, width: number, height: number, r: number): HalfMask {
  const w = Math.ceil(width / 2);
  const h = Math.ceil(height / 2);
  const aAt = align16(SCRATCH + mask.length);
  const bAt = aAt + align16(4 * w * h);
  const sumsAt = bAt + align16(4 * w * h);
  const outAt = sumsAt + align16(8 * w);
  reserve(outAt + w * h - SCRATCH);
  heap().set(mask, SCRATCH);
  kernels!.blur_mask(SCRATCH, width, height, r, aAt, bAt, sumsAt, outAt);
  return { data: heap().slice(outAt, outAt + w * h), width: w, height: h };
}
