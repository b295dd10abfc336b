import { describe, expect, it } from "vitest";
import { CANVASES } from "@/lib/catalog/canvases";
import { getFont } from "@/lib/catalog/fonts";
import { TEMPLATE_RENDERERS } from "@/lib/compose/templates";
import { loadFontFile } from "@/lib/compose/text/font-loader";
import { layoutText, type TextLayout } from "@/lib/compose/text/layout";
import { linePieces } from "@/lib/compose/text/line-pieces";
import { boxOptions } from "./layout-options";

const opts = (width: number, size = 40) => boxOptions(width, 1000, 20, size);

const text = (layout: TextLayout) =>
  layout.lines.map((l) => String.fromCodePoint(...l.glyphs.map((g) => g.glyph.unicode ?? 0x3f)));

describe("a word cut across lines", () => {
  it.each([
    ["Latin", "Pneumonoultramicroscopicsilicovolcanoconiosis", "inter"],
    ["Cyrillic", "Достопримечательностиввысокогорныхрайонах", "oswald"],
    ["Greek", "Αντιδιαστολοσυνταγματολογικότατος", "inter"],
  ] as const)("ends each cut in %s with the face's hyphen, within the box", (_, word, font) => {
    const own = new Set(getFont(font).files.map(loadFontFile));
    for (const width of [180, 260, 340]) {
      const layout = layoutText(word, font, opts(width));
      const lines = text(layout);
      expect(lines.length, `${width}`).toBeGreaterThan(1);
      for (const line of lines.slice(0, -1)) expect(line.at(-1), `${width}: ${lines.join(" | ")}`).toBe("-");
      expect(lines.at(-1)!.at(-1)).not.toBe("-");
      expect(lines.join("").replaceAll("-", "")).toBe(word);
      for (const line of layout.lines) {
        expect(line.width).toBeLessThanOrEqual(width + 0.5);
        expect(own.has(line.glyphs.at(-1)!.font), "hyphen from the title face").toBe(true);
      }
    }
  });

  it("adds no hyphen inside a number, and none where the word was not cut", () => {
    const digits = text(layoutText("1234567890".repeat(6), "inter", opts(300)));
    expect(digits.length).toBeGreaterThan(1);
    expect(digits.join("")).not.toContain("-");
    expect(text(layoutText("Short words only here", "inter", opts(300))).join(" ")).not.toContain("-");
  });

  it("evens out the pieces instead of leaving a tiny orphan, in the left panel at its smallest size too", () => {
    const title =
      "Supercalifragilisticexpialidocious-Antidisestablishmentarianism-Pneumonoultramicroscopicsilicovolcanoconiosis";
    for (const canvas of CANVASES) {
      for (const font of ["inter", "bangers", "oswald", "playfair"] as const) {
        const lines = text(TEMPLATE_RENDERERS["left-panel"]({ canvas, title, font }).layout);
        const label = `${canvas.id}/${font}: ${lines.join(" | ")}`;
        for (const line of lines) expect(line.replace(/[-\u2026]/gu, "").length, label).toBeGreaterThan(4);
      }
    }
  });
});

describe("markup in a title", () => {
  it("breaks before a tag and after it, never inside '</' or '/>'", () => {
    expect(linePieces(`<script>alert("x")</script>`)).toEqual(["<script>", `alert("x")`, "</script>"]);
    expect(linePieces("<b>bold</b>")).toEqual(["<b>", "bold", "</b>"]);
    expect(linePieces("<br/>")).toEqual(["<br/>"]);
    expect(linePieces("x->y")).toEqual(["x->", "y"]);
    expect(linePieces("path/to/file")).toEqual(["path/", "to/", "file"]);
  });

  it("keeps tags whole in the left-panel and center-box templates", () => {
    const title = `<script>alert("x")</script> & 'quotes' "double" <b>bold</b> &amp;`;
    for (const template of ["left-panel", "center-box"] as const) {
      for (const canvas of CANVASES) {
        for (const font of ["bangers", "oswald", "playfair", "inter"] as const) {
          const { layout } = TEMPLATE_RENDERERS[template]({ canvas, title, font });
          const lines = text(layout);
          const label = `${template}/${canvas.id}/${font}: ${lines.join(" | ")}`;
          for (const line of lines) {
            expect(line, label).not.toMatch(/<\/?$/);
            expect(line, label).not.toMatch(/^\/?>/);
          }
        }
      }
    }
  });
});
