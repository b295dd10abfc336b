import opentype from "opentype.js";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { complexRuns, prepareShaping, shapeComplexRun } from "@/lib/compose/text/complex-shaping";
import { fontChain, loadFontFile, readFontFile } from "@/lib/compose/text/font-loader";
import { layoutText } from "@/lib/compose/text/layout";
import { shapeText } from "@/lib/compose/text/shape";
import { woffToSfnt } from "@/lib/compose/text/woff";
import { INDIC_THAI_TITLES } from "./complex-titles";
import { boxOptions } from "./layout-options";

const DEVANAGARI = "fallback/noto-sans-devanagari-700.woff";
const THAI = "fallback/noto-sans-thai-700.woff";

const run = (text: string) => {
  const runs = complexRuns(text);
  expect(runs).toHaveLength(1);
  return runs[0]!;
};

beforeAll(() => prepareShaping(INDIC_THAI_TITLES.join(" ")));

describe("Devanagari and Thai shaping", () => {
  it("forms the conjunct क्ष: one cluster with fewer glyphs than code points", () => {
    const missing = new Set<string>();
    const clusters = shapeComplexRun(run("क्ष"), missing);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.glyphs.length).toBeLessThan(3);
    expect(missing.size).toBe(0);
  });

  it("draws the i-matra of कि to the left of its consonant", () => {
    const font = loadFontFile(DEVANAGARI);
    const [cluster] = shapeComplexRun(run("कि"), new Set());
    const ka = cluster!.glyphs.find((g) => g.glyph.index === font.charToGlyphIndex("क"))!;
    const matra = cluster!.glyphs.find((g) => g !== ka)!;
    expect(ka).toBeDefined();
    expect(matra.dx).toBeLessThan(ka.dx);
  });

  it("puts a reph (र् before a consonant) above the consonant, in its cluster", () => {
    const [cluster] = shapeComplexRun(run("र्क"), new Set());
    expect(cluster!.glyphs).toHaveLength(2);
    const reph = cluster!.glyphs.find((g) => g.glyph.getBoundingBox().y1 > 400);
    expect(reph, "a glyph drawn above the headline").toBeDefined();
  });

  it("stacks the Thai tone mark over the upper vowel in ที่ (a vertical offset on a mark)", () => {
    const [cluster] = shapeComplexRun(run("ที่"), new Set());
    const glyphs = cluster!.glyphs;
    expect(glyphs).toHaveLength(3);
    expect(glyphs.some((g) => (g.dy ?? 0) !== 0)).toBe(true);
    const [, vowel, tone] = glyphs.map((g) => {
      const b = g.glyph.getBoundingBox();
      return { bottom: b.y1 / 1000 + g.dy!, top: b.y2 / 1000 + g.dy! };
    });
    expect(tone!.bottom).toBeGreaterThan(vowel!.top);
  });

  it("keeps clusters whole: graphemes, and a Thai leading vowel with its consonant", () => {
    const graphemes = new Intl.Segmenter("und", { granularity: "grapheme" });
    for (const text of ["हिंदी", "क्षत्रिय", "पुरणपोळी", "ठाउँहरू"]) {
      const count = [...graphemes.segment(text)].length;
      expect(shapeComplexRun(run(text), new Set()), text).toHaveLength(count);
    }
    // ใ|ห|ม่ are three graphemes, but ใ is written before the ห it belongs to.
    expect(shapeComplexRun(run("ใหม่"), new Set())).toHaveLength(2);
  });

  it("keeps joiners inside the Devanagari run and splits mixed text by script", () => {
    expect(complexRuns("10(हिंदी)").map((r) => r.script?.tag ?? null)).toEqual([null, "Deva", null]);
    expect(complexRuns("क्\u200dष").map((r) => r.text)).toEqual(["क्\u200dष"]);
    expect(complexRuns("iPhone ใหม่").map((r) => r.script?.tag ?? null)).toEqual([null, "Thai"]);
  });

  it("breaks Thai between dictionary words (and at a typed zero-width space), punctuation kept on", () => {
    const pieces = (title: string) =>
      shapeText(title, fontChain("inter")).tokens.map((t) => [t.clusters.length, t.spaceBefore]);
    // รีวิว | ร้าน | กาแฟ: รี|วิ|ว, ร้|า|น, ก|า|แฟ (a leading vowel joins its consonant).
    expect(pieces("รีวิวร้านกาแฟ")).toEqual([
      [3, false],
      [3, false],
      [3, false],
    ]);
    // "(" joins the word after it, ")" and "!" the word before it.
    expect(pieces("(ใหม่)ล่าสุด!").map(([n]) => n)).toEqual([4, 5]);
    expect(pieces("ต้มยำ\u200bกุ้ง x")).toEqual([
      [3, false],
      [2, false],
      [1, true],
    ]);
  });

  it("finds a glyph for every character of real Hindi, Marathi, Nepali and Thai titles", () => {
    const opts = boxOptions(1000, 400, 3, 80, 20);
    for (const title of INDIC_THAI_TITLES) {
      for (const font of ["inter", "bebas-neue", "merriweather"] as const) {
        const layout = layoutText(title, font, opts);
        expect(layout.missing, title).toEqual([]);
        for (const line of layout.lines)
          for (const g of line.glyphs) expect(g.glyph.index, title).toBeGreaterThan(0);
      }
    }
  });

  it("still reports a script with no shipped font (Mongolian) as missing", () => {
    const layout = layoutText("ᠮᠣ ߒߞ ܐܒ ok", "inter", {
      box: { x: 0, y: 0, width: 1000, height: 400 },
      maxLines: 2,
      maxSize: 60,
      minSize: 20,
      lineHeight: 1.1,
      align: "start",
    });
    expect(layout.missing).toEqual(["ᠮ", "ᠣ"]);
  });

  it("asks for prepareShaping instead of drawing unshaped text", async () => {
    vi.resetModules();
    const fresh = await import("@/lib/compose/text/layout");
    expect(() =>
      fresh.layoutText("हिंदी", "inter", {
        box: { x: 0, y: 0, width: 600, height: 200 },
        maxLines: 1,
        maxSize: 40,
        minSize: 20,
        lineHeight: 1.1,
        align: "start",
      }),
    ).toThrow(/prepareShaping/);
  });
});

describe("woffToSfnt", () => {
  it("unpacks the shipped WOFF fonts into sfnt that parses to the same glyphs", () => {
    for (const file of [DEVANAGARI, THAI]) {
      const sfnt = woffToSfnt(readFontFile(file));
      expect(new DataView(sfnt.buffer).getUint32(0)).toBe(0x00010000);
      const font = opentype.parse(sfnt.buffer);
      const original = loadFontFile(file);
      expect(font.numGlyphs).toBe(original.numGlyphs);
      expect(font.charToGlyphIndex("ก") || font.charToGlyphIndex("क")).toBeGreaterThan(0);
      expect(font.glyphs.get(20).path.toPathData(1)).toBe(original.glyphs.get(20).path.toPathData(1));
    }
  });

  it("passes sfnt through and rejects truncated WOFF", () => {
    const ttf = new Uint8Array([0, 1, 0, 0, 0, 0]);
    expect(woffToSfnt(ttf)).toBe(ttf);
    const woff = readFontFile(THAI);
    expect(() => woffToSfnt(woff.subarray(0, 2000))).toThrow(/WOFF/);
  });
});
