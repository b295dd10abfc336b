/**
 * Glyph outlines flattened to straight edges in region coordinates, for either rasterizer
 * (the JS Accumulator in rasterize.ts or the wasm one).
 */
import type { Glyph } from "opentype.js";
import type { TextLayout } from "./layout";

type Command = Glyph["path"]["commands"][number];

const outlines = new WeakMap<Glyph, Command[]>();
/** A glyph's outline commands, read from opentype.js once per glyph object. */
export function commandsOf(glyph: Glyph): Command[] {
  let commands = outlines.get(glyph);
  if (!commands) {
    commands = glyph.path.commands;
    outlines.set(glyph, commands);
  }
  return commands;
}

/** Where flattened outlines go: the JS accumulator, or the recorder for the wasm one. */
export interface LineSink {
  line(ax: number, ay: number, bx: number, by: number): void;
}

function quad(sink: LineSink, x0: number, y0: number, x1: number, y1: number, x2: number, y2: number): void {
  const dev = Math.hypot(x0 - 2 * x1 + x2, y0 - 2 * y1 + y2);
  const n = Math.min(32, 1 + Math.floor(Math.sqrt(dev * 3)));
  let px = x0,
    py = y0;
  for (let i = 1; i <= n; i++) {
    const t = i / n,
      mt = 1 - t;
    const x = mt * mt * x0 + 2 * mt * t * x1 + t * t * x2;
    const y = mt * mt * y0 + 2 * mt * t * y1 + t * t * y2;
    sink.line(px, py, x, y);
    px = x;
    py = y;
  }
}

function cubic(
  sink: LineSink,
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
    sink.line(px, py, x, y);
    px = x;
    py = y;
  }
}

export function accumulateLayout(acc: LineSink, layout: TextLayout, left: number, top: number): void {
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
            quad(acc, cx, cy, ox + c.x1 * s, oy - c.y1 * s, x, y);
            cx = x;
            cy = y;
            break;
          }
          case "C": {
            const x = ox + c.x * s,
              y = oy - c.y * s;
            cubic(acc, cx, cy, ox + c.x1 * s, oy - c.y1 * s, ox + c.x2 * s, oy - c.y2 * s, x, y);
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
