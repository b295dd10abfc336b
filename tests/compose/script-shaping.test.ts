/** Shaping facts for the Indic, Sinhala, Khmer, Lao, Myanmar, Javanese and Tibetan runs HarfBuzz shapes. */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { complexRuns, prepareShaping, shapeComplexRun } from "@/lib/compose/text/complex-shaping";
import { fontChain } from "@/lib/compose/text/font-loader";
import { layoutText } from "@/lib/compose/text/layout";
import { shapeText, type Cluster } from "@/lib/compose/text/shape";
import { MORE_SCRIPT_TITLES } from "./complex-titles";

beforeAll(() => prepareShaping("ক"));

/** Shapes text that must be one run of one script, with every glyph found. */
function shape(text: string, tag: string): Cluster[] {
  const runs = complexRuns(text);
  expect(runs.map((r) => r.script?.tag)).toEqual([tag]);
  const missing = new Set<string>();
  const clusters = shapeComplexRun(runs[0]!, missing);
  expect([...missing], text).toEqual([]);
  return clusters;
}

const names = (cluster: Cluster) => cluster.glyphs.map((g) => g.glyph.name);
/** A glyph's outline top and bottom in em, with the shaper's vertical offset. */
const extent = (cluster: Cluster, name: string) => {
  const g = cluster.glyphs.find((x) => x.glyph.name === name)!;
  const box = g.glyph.getBoundingBox();
  return { top: box.y2 / 1000 + (g.dy ?? 0), bottom: box.y1 / 1000 + (g.dy ?? 0) };
};

describe("Indic, Sinhala, Khmer, Lao and Myanmar shaping", () => {
  it("forms conjuncts as one glyph in one cluster (even where ICU sees two graphemes)", () => {
    const cases: [string, string][] = [
      ["ক্ষ", "Beng"],
      ["ક્ષ", "Gujr"],
      ["କ୍ଷ", "Orya"],
      ["க்ஷ", "Taml"],
      ["ക്ക", "Mlym"],
    ];
    for (const [text, tag] of cases) {
      const clusters = shape(text, tag);
      expect(clusters, text).toHaveLength(1);
      expect(clusters[0]!.glyphs, text).toHaveLength(1);
    }
  });

  it("draws pre-base vowel signs before the consonant and split vowels around it", () => {
    const cases: [string, string, string[]][] = [
      ["কি", "Beng", ["uni09BF", "uni0995"]],
      ["কো", "Beng", ["uni09C7.init", "uni0995", "uni09BE"]],
      ["ਕਿ", "Guru", ["imatraguru", "kaguru"]],
      ["କୋ", "Orya", ["uni0B47", "uni0B15.BRACKET.varAlt01", "uni0B3E"]],
      ["கொ", "Taml", ["evowelsigntamil", "katamil", "aavowelsigntamil"]],
      ["கை", "Taml", ["aivowelsigntamil", "katamil"]],
      ["കൊ", "Mlym", ["evowelsignmlym", "kamlym", "aavowelsignmlym"]],
      ["കെ", "Mlym", ["evowelsignmlym", "kamlym"]],
      ["කො", "Sinh", ["evowelsignsinh", "kasinh", "aavowelsignsinh"]],
      ["កើ", "Khmr", ["uni17C1", "uni1780", "uni17B8"]],
      ["ကြေး", "Mymr", ["_e", "medial_ra.w2", "ka", "visarga"]],
    ];
    for (const [text, tag, visual] of cases) {
      const [cluster, ...rest] = shape(text, tag);
      expect(rest, text).toHaveLength(0);
      expect(names(cluster!), text).toEqual(visual);
      const xs = cluster!.glyphs.map((g) => g.dx);
      for (let i = 1; i < xs.length; i++) expect(xs[i]!, text).toBeGreaterThan(xs[i - 1]!);
    }
  });

  it("draws below-base forms under the baseline (Telugu, Kannada, Khmer coeng)", () => {
    const [telugu] = shape("క్ర", "Telu");
    expect(names(telugu!)).toEqual(["katelu", "karasubscripttelu"]);
    expect(extent(telugu!, "karasubscripttelu").top).toBeLessThan(0);
    for (const [text, sub] of [
      ["ಕ್ಕ", "kasubscriptknda"],
      ["ಕ್ರ", "rasubscriptknda"],
    ]) {
      const clusters = shape(text!, "Knda");
      expect(clusters, text).toHaveLength(1);
      const { top, bottom } = extent(clusters[0]!, sub!);
      expect(top, text).toBeLessThan(0.15);
      expect(bottom, text).toBeLessThan(-0.3);
    }
    const [khmer] = shape("ក្ស", "Khmr");
    expect(names(khmer!)).toEqual(["uni1780", "uni17D2179F"]);
    expect(extent(khmer!, "uni17D2179F").bottom).toBeLessThan(-0.2);
  });

  it("puts the Bengali reph above the consonant, in its cluster", () => {
    const [cluster] = shape("র্ক", "Beng");
    expect(cluster!.glyphs).toHaveLength(2);
    expect(extent(cluster!, "uni09B009CD").bottom).toBeGreaterThan(extent(cluster!, "uni0995").top);
  });

  it("keeps a Lao leading vowel with its consonant and stacks the tone mark over the upper vowel", () => {
    const clusters = shape("ເກົ້າ", "Laoo");
    expect(clusters.map(names)).toEqual([
      ["uni0EC0", "uni0E81", "uni0EBB.center", "uni0EC9.small"],
      ["uni0EB2"],
    ]);
    const [first] = clusters;
    expect(extent(first!, "uni0EC9.small").bottom).toBeGreaterThan(extent(first!, "uni0EBB.center").top);
  });

  it("keeps joiners in their run and draws the shared dandas in the run's own font", () => {
    expect(shape("ශ්‍රී", "Sinh")).toHaveLength(1);
    expect(complexRuns("হ্যাঁ।").map((r) => r.script?.tag)).toEqual(["Beng"]);
    expect(complexRuns("ਪੰਜਾਬ॥").map((r) => r.script?.tag)).toEqual(["Guru"]);
    expect(complexRuns("ok। ก।").map((r) => r.script?.tag ?? null)).toEqual([
      null,
      "Deva",
      null,
      "Thai",
      "Deva",
    ]);
    const [, danda] = shape("বা।", "Beng");
    expect(names(danda!)).toEqual(["uni0964"]);
  });

  it("breaks Khmer, Lao and Myanmar between dictionary words, punctuation kept on the word before", () => {
    const pieces = (title: string) =>
      shapeText(title, fontChain("inter")).tokens.map((t) => [t.clusters.length, t.spaceBefore]);
    // ភា|សា|ខ្មែ|រ, គឺ|ជា, ភា|សា|ផ្លូ|វ|កា|រ|។ (the khan stays on its word)
    expect(pieces("ភាសាខ្មែរគឺជាភាសាផ្លូវការ។").map(([n]) => n)).toEqual([4, 2, 7]);
    // ພ|າ|ສ|າ, ລ|າ|ວ, ເປັ|ນ (the leading ເ joins ປ), ພ|າ|ສ|າ, ທ|າ|ງ|ກ|າ|ນ
    expect(pieces("ພາສາລາວເປັນພາສາທາງການ").map(([n]) => n)).toEqual([4, 3, 2, 4, 6]);
    // မြန်မာဘာသာ | စကား | သည် | (space) ဖြစ်သည်။
    expect(pieces("မြန်မာဘာသာစကားသည် ဖြစ်သည်။").map(([, space]) => space)).toEqual([false, false, false, true]);
    expect(pieces("মৌসুমীবায়ু বাংলা")).toHaveLength(2); // spaced scripts break at spaces only
  });

  it("stacks Tibetan subjoined consonants and Javanese pasangan in one cluster", () => {
    // sa with subjoined ka: one stacked glyph.
    expect(shape("སྐ", "Tibt").map(names)).toEqual([["uni0F660F90"]]);
    // ba, then sa + subjoined ga + subjoined ra + vowel u stacked as one, ba, sa.
    expect(shape("བསྒྲུབས", "Tibt").map(names)).toEqual([
      ["uni0F56"],
      ["uni0F660F920FB20F74"],
      ["uni0F56"],
      ["uni0F66"],
    ]);
    // ka, pangkon, ta: ta becomes its pasangan under ka.
    expect(shape("ꦏ꧀ꦠ", "Java").map(names)).toEqual([["ka", "ta.pas"]]);
  });

  it("finds a glyph for every character of a real title in each script", () => {
    for (const [script, title] of Object.entries(MORE_SCRIPT_TITLES)) {
      for (const font of ["inter", "bebas-neue"] as const) {
        const layout = layoutText(title, font, {
          box: { x: 0, y: 0, width: 1000, height: 400 },
          maxLines: 3,
          maxSize: 80,
          minSize: 20,
          lineHeight: 1.1,
          align: "start",
        });
        expect(layout.missing, script).toEqual([]);
        for (const line of layout.lines)
          for (const g of line.glyphs) expect(g.glyph.index, script).toBeGreaterThan(0);
      }
    }
  });

  it("imports HarfBuzz only for titles that need it", async () => {
    vi.resetModules();
    const loaded = vi.fn();
    vi.doMock("harfbuzzjs", async (original) => {
      loaded();
      return original();
    });
    const fresh = await import("@/lib/compose/text/complex-shaping");
    await fresh.prepareShaping("Ten Lessons From a Year of Shipping — Café 東京 Привет 한국 🚀");
    expect(loaded).not.toHaveBeenCalled();
    await fresh.prepareShaping("مرحبا"); // Arabic joins through HarfBuzz too
    expect(loaded).toHaveBeenCalledTimes(1);
    await fresh.prepareShaping("ಕನ್ನಡ");
    expect(loaded).toHaveBeenCalledTimes(1);
    vi.doUnmock("harfbuzzjs");
  });
});
