import type { TextLayout } from "./layout";
import { accumulateLayout, type LineSink } from "./outline-edges";
import { EdgeRecorder, rasterizeEdges } from "../wasm/glyph-raster";
import { kernels } from "../wasm/runtime";
import { scratchFloats } from "./scratch";

/**
 * Anti-aliased coverage rasterizer for glyph outlines (signed-area accumulation: each edge adds
 * the area it covers to a float buffer, a running sum per row turns that into coverage; non-zero
 * winding for the outlines fonts contain). Written here because librsvg took ~5 ms per title to
 * parse and fill the same paths, which was most of the compositor's budget.
 */
class Accumulator implements LineSink {
  readonly acc: Float32Array;
  /** Per row, the first column and one past the last column that any edge wrote to. */
  readonly rowFrom: Int32Array;
  readonly rowTo: Int32Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    // Starts zeroed: fresh, or cleared by the previous coverage() pass.
    this.acc = scratchFloats(0, width * height + 2);
    this.rowFrom = new Int32Array(height).fill(width);
    this.rowTo = new Int32Array(height);
  }

  line(ax: number, ay: number, bx: number, by: number): void {
    if (ay === by) return;
    let dir = 1;
    let x0 = ax,
      y0 = ay,
      x1 = bx,
      y1 = by;
    if (ay > by) {
      dir = -1;
      x0 = bx;
      y0 = by;
      x1 = ax;
      y1 = ay;
    }
    const { width, height, acc, rowFrom, rowTo } = this;
    const maxX = width - 1.001;
    const dxdy = (x1 - x0) / (y1 - y0);
    let x = y0 < 0 ? x0 - y0 * dxdy : x0;
    const yStart = Math.max(0, Math.floor(y0));
    const yEnd = Math.min(height, Math.ceil(y1));
    for (let y = yStart; y < yEnd; y++) {
      const row = y * width;
      const dy = Math.min(y + 1, y1) - Math.max(y, y0);
      const xNext = x + dxdy * dy;
      const d = dy * dir;
      const xa = Math.min(maxX, Math.max(0, Math.min(x, xNext)));
      const xb = Math.min(maxX, Math.max(0, Math.max(x, xNext)));
      const xaFloor = Math.floor(xa);
      const xaInt = xaFloor;
      const xbCeil = Math.ceil(xb);
      if (xaInt < rowFrom[y]!) rowFrom[y] = xaInt;
      if (Math.max(xbCeil, xaInt + 1) >= rowTo[y]!) rowTo[y] = Math.max(xbCeil, xaInt + 1) + 1;
      if (xbCeil <= xaInt + 1) {
        const xmf = 0.5 * (xa + xb) - xaFloor;
        acc[row + xaInt] = acc[row + xaInt]! + d - d * xmf;
        acc[row + xaInt + 1] = acc[row + xaInt + 1]! + d * xmf;
      } else {
        const s = 1 / (xb - xa);
        const xaFrac = xa - xaFloor;
        const a0 = 0.5 * s * (1 - xaFrac) * (1 - xaFrac);
        const xbFrac = xb - xbCeil + 1;
        const am = 0.5 * s * xbFrac * xbFrac;
        acc[row + xaInt] = acc[row + xaInt]! + d * a0;
        if (xbCeil === xaInt + 2) {
          acc[row + xaInt + 1] = acc[row + xaInt + 1]! + d * (1 - a0 - am);
        } else {
          const a1 = s * (1.5 - xaFrac);
          acc[row + xaInt + 1] = acc[row + xaInt + 1]! + d * (a1 - a0);
          for (let xi = xaInt + 2; xi < xbCeil - 1; xi++) acc[row + xi] = acc[row + xi]! + d * s;
          const a2 = a1 + (xbCeil - xaInt - 3) * s;
          acc[row + xbCeil - 1] = acc[row + xbCeil - 1]! + d * (1 - a2 - am);
        }
        acc[row + xbCeil] = acc[row + xbCeil]! + d * am;
      }
      x = xNext;
    }
  }

  /**
   * Coverage 0–255 per pixel: a running sum of the accumulator, row after row. Columns no edge
   * wrote to leave the sum unchanged, so each row runs the sum only between its written columns
   * and fills the rest (most of the region: margins, gaps between lines) with one value.
   */
  coverage(): Buffer {
    const { acc, width, height, rowFrom, rowTo } = this;
    const out = Buffer.allocUnsafe(width * height);
    const bytes = new Uint8Array(out.buffer, out.byteOffset, out.length);
    acc[out.length] = 0; // slack past the image, never read
    acc[out.length + 1] = 0;
    let sum = 0;
    for (let y = 0, row = 0; y < height; y++, row += width) {
      const from = Math.min(rowFrom[y]!, rowTo[y]!);
      bytes.fill(level(sum), row, row + from);
      sum = runCoverage(acc, bytes, row + from, row + rowTo[y]!, sum);
      bytes.fill(level(sum), row + Math.max(from, rowTo[y]!), row + width);
    }
    return out;
  }
}

const level = (sum: number) => {
  const a = Math.abs(sum);
  return a >= 1 ? 255 : (a * 255 + 0.5) | 0;
};

/** Coverage over [from, to), clearing the accumulator behind it; returns the running sum. */
function runCoverage(acc: Float32Array, out: Uint8Array, from: number, to: number, sum: number): number {
  for (let i = from; i < to; i++) {
    sum += acc[i]!;
    const a = Math.abs(sum);
    out[i] = a >= 1 ? 255 : (a * 255 + 0.5) | 0;
  }
  acc.fill(0, from, to);
  return sum;
}

/** Rasterizes a layout's glyphs into a `width`×`height` coverage mask with origin (left, top). */
export function rasterizeLayout(
  layout: TextLayout,
  left: number,
  top: number,
  width: number,
  height: number,
): Buffer {
  // The wasm accumulator (wasm/glyphs.c) gives the same bytes ~1.5× faster; below 2 px wide the
  // JS writes before the row start, which the C does not copy.
  if (kernels && width >= 2) {
    const edges = new EdgeRecorder();
    accumulateLayout(edges, layout, left, top);
    const mask = rasterizeEdges(edges, width, height);
    if (mask) return mask;
  }
  return rasterizeLayoutJs(layout, left, top, width, height);
}

/** The reference for the wasm rasterizer, and the fallback without WebAssembly. */
export function rasterizeLayoutJs(
  layout: TextLayout,
  left: number,
  top: number,
  width: number,
  height: number,
): Buffer {
  const acc = new Accumulator(width, height);
  try {
    accumulateLayout(acc, layout, left, top);
  } catch (err) {
    acc.acc.fill(0, 0, width * height + 2); // leave the shared scratch clean
    throw err;
  }
  return acc.coverage();
}
