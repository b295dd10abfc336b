import { describe, expect, it } from "vitest";
import { CANVASES } from "@/lib/catalog/canvases";
import { TEMPLATE_IDS } from "@/lib/catalog/templates";
import { TEMPLATE_RENDERERS } from "@/lib/compose/templates";
import { linePieces } from "@/lib/compose/text/line-pieces";

const TITLES = ["如何在三十天内学会日本語とプログラミング한국어도", "日本語を学ぶ：初心者のための完全ガイド"];
const WORDS = ["日本語", "学ぶ", "学会", "プログラミング", "初心者"];

describe("Chinese and Japanese line breaks", () => {
  it("break between dictionary words, particles and punctuation staying with the word before", () => {
    expect(linePieces("日本語を学ぶ")).toEqual(["日本語を", "学ぶ"]);
    expect(linePieces("「日本語」を学ぶ。")).toEqual(["「日本語」を", "学ぶ。"]);
    expect(linePieces("Rust入門")).toEqual(["Rust", "入門"]);
    expect(linePieces("人工智能如何改变我们的生活")).toEqual([
      "人工",
      "智能",
      "如何",
      "改变",
      "我们",
      "的",
      "生活",
    ]);
  });

  it("never cut 日本語, 学ぶ or プログラミング across lines on any template or canvas", () => {
    for (const canvas of CANVASES) {
      for (const template of TEMPLATE_IDS) {
        for (const title of TITLES) {
          const { layout } = TEMPLATE_RENDERERS[template]({ canvas, title, font: "inter" });
          const lines = layout.lines.map((l) =>
            String.fromCodePoint(...l.glyphs.map((g) => g.glyph.unicode ?? 0x3f)),
          );
          const joined = lines.join("|");
          for (const word of WORDS) {
            for (let i = 1; i < [...word].length; i++) {
              const cut = [...word].slice(0, i).join("") + "|" + [...word].slice(i).join("");
              expect(joined, `${template}/${canvas.id}`).not.toContain(cut);
            }
          }
          for (const line of lines.slice(1))
            expect(line, `${template}/${canvas.id}`).not.toMatch(/^[。、：」]/u);
        }
      }
    }
  });
});
