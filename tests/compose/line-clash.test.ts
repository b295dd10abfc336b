import { describe, expect, it } from "vitest";
import { CANVASES } from "@/lib/catalog/canvases";
import type { FontId } from "@/lib/catalog/fonts";
import { TEMPLATE_IDS } from "@/lib/catalog/templates";
import { TEMPLATE_RENDERERS } from "@/lib/compose/templates";
import type { TextLayout } from "@/lib/compose/text/layout";
import { GAP } from "@/lib/compose/text/line-clash";
import { glyphBox } from "@/lib/compose/text/shape";

/** The closest the ink of two consecutive lines comes, where glyphs stand over each other, in em. */
function closest(layout: TextLayout): number {
  const boxes = layout.lines.map((l) =>
    l.glyphs.flatMap((g) => {
      const b = glyphBox(g.glyph);
      const s = g.size / g.font.unitsPerEm;
      return b.x2 > b.x1
        ? [
            {
              x1: g.x + b.x1 * s,
              x2: g.x + b.x2 * s,
              top: g.baseline - b.y2 * s,
              bottom: g.baseline - b.y1 * s,
            },
          ]
        : [];
    }),
  );
  let least = Infinity;
  for (let row = 1; row < boxes.length; row++)
    for (const a of boxes[row - 1]!)
      for (const b of boxes[row]!)
        if (a.x2 > b.x1 && b.x2 > a.x1) least = Math.min(least, (b.top - a.bottom) / layout.size);
  return least;
}

describe("lines whose ink would touch", () => {
  it("are spaced apart: Pacifico in capitals on every template and canvas", () => {
    const title = "THE ULTIMATE GUIDE TO KUBERNETES NETWORKING IN 2026";
    for (const canvas of CANVASES) {
      for (const template of TEMPLATE_IDS) {
        const { layout, textBox } = TEMPLATE_RENDERERS[template]({ canvas, title, font: "pacifico" });
        const label = `${template}/${canvas.id}`;
        if (layout.lines.length < 2) continue;
        expect(closest(layout), label).toBeGreaterThanOrEqual(GAP - 1e-9);
        expect(layout.block.y + layout.block.height, label).toBeLessThanOrEqual(
          textBox.y + textBox.height + 0.5,
        );
      }
    }
  });

  it("keep the template's line height where nothing comes that close", () => {
    const cases: [string, FontId][] = [
      ["How We Cut Our Cloud Bill by 60% Without Touching a Line of Code", "inter"],
      ["10 Lessons From Shipping a Side Project Every Month for a Year", "inter"],
      ["The Ultimate Guide to Kubernetes Networking in 2026", "oswald"],
    ];
    for (const [title, font] of cases) {
      const { layout } = TEMPLATE_RENDERERS["overlay-bottom"]({ canvas: CANVASES[0]!, title, font });
      expect(layout.lines.length).toBeGreaterThan(1);
      const step = (layout.lines[1]!.baseline - layout.lines[0]!.baseline) / layout.size;
      expect(step, title).toBeCloseTo(1.1, 6);
    }
  });
});
