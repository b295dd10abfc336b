import type { Font } from "opentype.js";
import { expect } from "vitest";
import type { FontId } from "@/lib/catalog/fonts";
import { fontChain } from "@/lib/compose/text/font-loader";
import type { TextLayout } from "@/lib/compose/text/layout";
import { mirrorOf } from "@/lib/compose/text/bidi";
import { hasRightToLeft, shapeText } from "@/lib/compose/text/shape";

const fontIds = new Map<Font, number>();
/** A glyph by font and index; a bracket or quote by its pair, as right-to-left text mirrors it. */
const key = (g: { font: Font; glyph: { index: number; unicode?: number } }) => {
  if (!fontIds.has(g.font)) fontIds.set(g.font, fontIds.size);
  const cp = g.glyph.unicode;
  const mirror = cp === undefined ? undefined : mirrorOf(cp);
  return `${fontIds.get(g.font)}:${mirror === undefined ? g.glyph.index : `pair ${Math.min(cp!, mirror)}`}`;
};

/**
 * The lines hold the title's shaped glyphs from the start (then an ellipsis when truncated), and
 * every line ends on a cluster boundary of the unbroken shaping, so no break or cut ever lands
 * inside a grapheme cluster. Left-to-right titles are read in order; where right-to-left words put
 * a line's glyphs in visual order, each line holds exactly the next glyphs, in any order.
 */
export function expectWholeClusters(layout: TextLayout, title: string, font: FontId, label: string): void {
  const shaped = shapeText(title, fontChain(font));
  const sequence: string[] = [];
  const ends = new Set<number>();
  for (const cluster of shaped.tokens.flatMap((t) => t.clusters)) {
    for (const g of cluster.glyphs) sequence.push(key(g));
    ends.add(sequence.length);
  }
  const lines = layout.lines.map((l) => l.glyphs);
  if (layout.truncated) {
    // The ellipsis ends the last line: at its right in a left-to-right title, at its left otherwise.
    const last = lines[lines.length - 1]!;
    const rtl = layout.direction === "rtl";
    const cut = (rtl ? last[0] : last.at(-1))?.glyph.unicode === 0x2026 ? 1 : 3;
    const ellipsis = rtl ? last.slice(0, cut) : last.slice(-cut);
    expect(
      ellipsis.every((g) => g.glyph.unicode === 0x2026 || g.glyph.unicode === 0x2e),
      label,
    ).toBe(true);
    lines[lines.length - 1] = rtl ? last.slice(cut) : last.slice(0, -cut);
  }
  const inOrder = !hasRightToLeft(title);
  const sorted = (keys: string[]) => (inOrder ? keys : [...keys].sort());
  let at = 0;
  lines.forEach((glyphs, row) => {
    const keys = glyphs.map(key);
    expect(sorted(keys), `${label} line ${row}`).toEqual(sorted(sequence.slice(at, at + keys.length)));
    at += keys.length;
    if (keys.length > 0) expect(ends.has(at), `${label} line ${row} ends inside a cluster`).toBe(true);
  });
}
