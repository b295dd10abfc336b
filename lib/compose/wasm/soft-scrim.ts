import type { Rgb } from "../color";
import { kernels, packRgb, wasmOffset } from "./runtime";

/** Entries of the C's falloff table (scrim.c): feathers up to 724 px. */
const LUT_MAX = 1 << 19;

/** The area softScrim paints, its inner box (rounded) and the hole it skips (hx0 = hx1: none). */
export interface ScrimGeometry {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  ix0: number;
  ix1: number;
  iy0: number;
  iy1: number;
  f: number;
  hole: [number, number, number, number];
}

/** raster.ts's softScrim on a staged image; false (nothing done) when the image is not staged. */
export function softScrimStaged(
  data: Uint8Array,
  width: number,
  g: ScrimGeometry,
  lut: Uint16Array,
  color: Rgb,
) {
  const at = wasmOffset(data);
  if (at < 0 || lut.length > LUT_MAX) return false;
  new Uint16Array(kernels!.memory.buffer, kernels!.scrim_lut(), lut.length).set(lut);
  const [hx0, hx1, hy0, hy1] = g.hole;
  kernels!.soft_scrim(
    at,
    width,
    g.x0,
    g.y0,
    g.x1,
    g.y1,
    g.ix0,
    g.ix1,
    g.iy0,
    g.iy1,
    g.f,
    hx0,
    hx1,
    hy0,
    hy1,
    packRgb(color),
  );
  return true;
}
