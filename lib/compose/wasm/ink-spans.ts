import type { HalfMask } from "../text/blur";
import { align16, heap, kernels, reserve, SCRATCH } from "./runtime";

/** text-raster.ts's inkSpans in wasm (SIMD scans from both ends); its own synchronous section. */
export function inkSpansWasm(
  glyphs: Uint8Array,
  w: number,
  h: number,
  shadow: HalfMask | null,
  shadowDy: number,
): Int32Array {
  const shadowAt = align16(SCRATCH + glyphs.length);
  const spansAt = align16(shadowAt + (shadow ? shadow.data.length : 0));
  reserve(spansAt + 8 * h - SCRATCH);
  const mem = heap();
  mem.set(glyphs, SCRATCH);
  if (shadow) mem.set(shadow.data, shadowAt);
  kernels!.ink_spans(SCRATCH, w, h, shadow ? shadowAt : 0, shadow ? shadow.width : 0, shadowDy, spansAt);
  return new Int32Array(mem.buffer, spansAt, 2 * h).slice();
}
