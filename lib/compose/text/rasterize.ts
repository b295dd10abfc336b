import type { Glyph } from "opentype.js";
import type { TextLayout } from "./layout";
import { scratchFloats } from "./scratch";

type Command = Glyph["path"]["commands"][number];

const outlines = new WeakMap<Glyph, Command[]>();
function commandsOf(glyph: Glyph): Command[] {
  let commands = outlines.get(glyph);
  if (!commands) {
    commands = glyph.path.commands;
    outlines.set(glyph, commands);
  }
  return commands;
}

/**
 * Anti-aliased coverage rasterizer for glyph outlines (signed-area accumulation: each edge adds
 * the area it covers to a float buffer, a running sum per row turns that into coverage; non-zero
 * winding for the outlines fonts contain). Written here because librsvg took ~5 ms per title to
 * parse and fill the same paths, which was most of the compositor's budget.
 */
class Accumulator {
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

  quad(x0: number, y0: number, x1: number, y1: number, x2: number, y2: number): void {
    const dev = Math.hypot(x0 - 2 * x1 + x2, y0 - 2 * y1 + y2);
    const n = Math.min(32, 1 + Math.floor(Math.sqrt(dev * 3)));
    let px = x0,
      py = y0;
    for (let i = 1; i <= n; i++) {
      const t = i / n,
        mt = 1 - t;
      const x = mt * mt * x0 + 2 * mt * t * x1 + t * t * x2;
      const y = mt * mt * y0 + 2 * mt * t * y1 + t * t * y2;
      this.line(px, py, x, y);
      px = x;
      py = y;
    }
  }

  cubic(
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    x2: number,
    y2: number,
    x3: number,
    y3: number,
  ): void {
    const dev = Math.max(
      Math.hypot(x0 - 2 * x1 + x2, y0 - 2 * y1 + y2),
      Math.hypot(x1 - 2 * x2 + x3, y1 - 2 * y2 + y3),
    );
    const n = Math.min(48, 1 + Math.floor(Math.sqrt(dev * 4.5)));
    let px = x0,
      py = y0;
    for (let i = 1; i <= n; i++) {
      const t = i / n,
        mt = 1 - t;
      const a = mt * mt * mt,
        b = 3 * mt * mt * t,
        c = 3 * mt * t * t,
        e = t * t * t;
      const x = a * x0 + b * x1 + c * x2 + e * x3;
      const y = a * y0 + b * y1 + c * y2 + e * y3;
      this.line(px, py, x, y);
      px = x;
      py = y;
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
  const acc = new Accumulator(width, height);
  try {
    accumulateLayout(acc, layout, left, top);
  } catch (err) {
    acc.acc.fill(0, 0, width * height + 2); // leave the shared scratch clean
    throw err;
  }
  return acc.coverage();
}

function accumulateLayout(acc: Accumulator, layout: TextLayout, left: number, top: number): void {
  for (const line of layout.lines) {
    for (const g of line.glyphs) {
      const s = g.size / g.font.unitsPerEm;
      const ox = g.x - left;
      const oy = g.baseline - top;
      let sx = 0,
        sy = 0,
        cx = 0,
        cy = 0;
      for (const c of commandsOf(g.glyph)) {
        switch (c.type) {
          case "M":
            if (cx !== sx || cy !== sy) acc.line(cx, cy, sx, sy);
            sx = cx = ox + c.x * s;
            sy = cy = oy - c.y * s;
            break;
          case "L": {
            const x = ox + c.x * s,
              y = oy - c.y * s;
            acc.line(cx, cy, x, y);
            cx = x;
            cy = y;
            break;
          }
          case "Q": {
            const x = ox + c.x * s,
              y = oy - c.y * s;
            acc.quad(cx, cy, ox + c.x1 * s, oy - c.y1 * s, x, y);
            cx = x;
            cy = y;
            break;
          }
          case "C": {
            const x = ox + c.x * s,
              y = oy - c.y * s;
            acc.cubic(cx, cy, ox + c.x1 * s, oy - c.y1 * s, ox + c.x2 * s, oy - c.y2 * s, x, y);
            cx = x;
            cy = y;
            break;
          }
          case "Z":
            if (cx !== sx || cy !== sy) acc.line(cx, cy, sx, sy);
            cx = sx;
            cy = sy;
            break;
        }
      }
      if (cx !== sx || cy !== sy) acc.line(cx, cy, sx, sy);
    }
  }
}
