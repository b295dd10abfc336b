/**
 * Lines are spaced by a fixed multiple of the font size; faces whose capitals swash below the
 * baseline or rise high (Pacifico's G, K and S in capitals) can make one line's ink touch the
 * next one's. The layout notes each line's ink top and bottom as it places glyphs; only where two
 * lines' ink bands come within GAP of each other are the glyphs compared one by one here.
 */
import { glyphBox } from "./shape";
import type { PlacedGlyph } from "./layout";

/** Least distance between the ink of two lines, in em. */
export const GAP = 0.04;

export interface InkBand {
  top: number;
  bottom: number;
}

function boxes(glyphs: readonly PlacedGlyph[]) {
  return glyphs.flatMap((g) => {
    const b = glyphBox(g.glyph);
    if (!(b.x2 > b.x1)) return [];
    const s = g.size / g.font.unitsPerEm;
    return [
      { x1: g.x + b.x1 * s, x2: g.x + b.x2 * s, top: g.baseline - b.y2 * s, bottom: g.baseline - b.y1 * s },
    ];
  });
}

/**
 * How much more line height (in em) keeps GAP between the ink of every pair of consecutive lines
 * where glyphs of one stand over glyphs of the next; 0 when none come that close.
 */
export function clashSpacing(
  lines: readonly { glyphs: PlacedGlyph[] }[],
  bands: readonly InkBand[],
  size: number,
) {
  let extra = 0;
  for (let row = 1; row < lines.length; row++) {
    if (bands[row - 1]!.bottom + GAP * size <= bands[row]!.top) continue;
    const above = boxes(lines[row - 1]!.glyphs);
    const below = boxes(lines[row]!.glyphs);
    for (const a of above) {
      for (const b of below) {
        if (a.x2 <= b.x1 || b.x2 <= a.x1) continue;
        extra = Math.max(extra, (a.bottom + GAP * size - b.top) / size);
      }
    }
  }
  return extra;
}
