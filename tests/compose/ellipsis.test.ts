import { describe, expect, it } from "vitest";
import type { FontId } from "@/lib/catalog/fonts";
import { layoutText } from "@/lib/compose/text/layout";
import { boxOptions } from "./layout-options";

const opts = (width: number) => boxOptions(width, 60, 1, 40);

const TITLE =
  "Systems at Scale — Lessons, Notes: a-very-long-slug (draft) “quoted” / more & so on, and on — until the end";
const DANGLING = /[-\u2010-\u2015,;:/&(“]/u;

/** The characters drawn before the ellipsis, from the glyphs' code points. */
function beforeEllipsis(width: number, font: FontId, title = TITLE): string {
  const layout = layoutText(title, font, opts(width));
  expect(layout.truncated).toBe(true);
  const glyphs = layout.lines[0]!.glyphs;
  expect(glyphs.at(-1)!.glyph.unicode).toBe(0x2026);
  return String.fromCodePoint(...glyphs.slice(0, -1).map((g) => g.glyph.unicode ?? 0x3f));
}

describe("ellipsis after a title cut short", () => {
  it("never follows a dash, comma, colon, slash, ampersand or opening bracket or quote", () => {
    const seen = new Set<string>();
    for (const font of ["inter", "merriweather", "bebas-neue"] as const) {
      for (let width = 120; width <= 1200; width += 8) {
        const text = beforeEllipsis(width, font);
        seen.add(text);
        expect(text.at(-1), `${font} ${width}: ${text}…`).not.toMatch(DANGLING);
        expect(text.at(-1), `${font} ${width}: ${text}…`).not.toBe(" ");
      }
    }
    // The widths cover cuts right after each of those marks.
    for (const cut of ["Scale", "Lessons", "Notes", "a-very", "slug", "(draft)", "quoted”", "more"])
      expect(
        [...seen].some((t) => t.endsWith(cut)),
        cut,
      ).toBe(true);
  });

  it("keeps sentence ends and closing brackets, and a title of punctuation only", () => {
    const kept = new Set<string>();
    for (let width = 120; width <= 900; width += 8)
      kept.add(beforeEllipsis(width, "inter", "Why? Really! (2026) and then some more words").at(-1)!);
    expect(kept).toContain("?");
    expect(kept).toContain("!");
    expect(kept).toContain(")");
    expect(beforeEllipsis(40, "inter", "—".repeat(30)).length).toBeGreaterThan(0);
  });
});
