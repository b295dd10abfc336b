import { beforeAll, describe, expect, it } from "vitest";
import { CANVASES } from "@/lib/catalog/canvases";
import type { FontId } from "@/lib/catalog/fonts";
import { TEMPLATE_IDS } from "@/lib/catalog/templates";
import { TEMPLATE_RENDERERS } from "@/lib/compose/templates";
import { layoutText, type LayoutOptions, type PlacedGlyph } from "@/lib/compose/text/layout";
import { hasComplexScript, prepareShaping } from "@/lib/compose/text/complex-shaping";
import { layoutPathData, xmlEscape } from "@/lib/compose/text/svg-path";
import { fontChain } from "@/lib/compose/text/font-loader";
import { shapeText } from "@/lib/compose/text/shape";
import { expectWholeClusters } from "./cluster-check";
import { INVISIBLE_TITLES, VISIBLE_EDGE_TITLES } from "./invisible-titles";
import {
  HARD_COMPLEX_TITLES,
  HARD_MORE_SCRIPT_TITLES,
  INDIC_THAI_TITLES,
  RTL_TITLES,
} from "./complex-titles";

/** Titles chosen to break layout engines. */
const CORPUS = [
  "Hi",
  "How We Cut Our Cloud Bill by 60% Without Touching a Line of Code",
  "Pneumonoultramicroscopicsilicovolcanoconiosis",
  "Supercalifragilisticexpialidociouslyextraordinarilylongwordthatneverends and more",
  "x".repeat(120),
  "A very long title ".repeat(12).slice(0, 200),
  "Emoji party 🎉🔥🚀👩‍👩‍👧‍👦 👍🏽 🇯🇵 ❤️ end",
  "東京の夜景ベスト10：写真家が教える撮影スポット完全ガイド",
  "中文标题测试：人工智能如何改变我们的生活与工作方式",
  "한국어 제목 테스트: 서울의 밤거리 산책",
  "مرحبا بالعالم: دليل المبتدئين إلى البرمجة بلغة بايثون",
  "שלום עולם — מדריך למתחילים 2024",
  "Երևանի լավագույն սրճարանները․ ուղեցույց սկսնակների համար",
  "თბილისის საუკეთესო ყავის სახლები: სრული გზამკვლევი დამწყებთათვის",
  "ԵՐԵՎԱՆ ᲗᲑᲘᲚᲘᲡᲘ Mixed Հայ ქართ 2025",
  "Mixed: Café 東京 مرحبا שלום 🚀",
  `<script>alert("x")</script> & 'quotes' <b>bold</b> &amp;`,
  "   spaces\teverywhere\n\nand newlines   ",
  "Ünïcödé Çàfé Ñoño Ørsted Łódź Ξένη Ωμέγα",
  "a-very-long-hyphenated-slug-that-should-break-at-hyphens-when-it-cannot-fit",
  ...HARD_COMPLEX_TITLES,
  INDIC_THAI_TITLES[2]!, // Marathi
  INDIC_THAI_TITLES[4]!, // Nepali
  ...HARD_MORE_SCRIPT_TITLES,
  ...RTL_TITLES,
];

beforeAll(() => prepareShaping(CORPUS.join(" ")));

const FONTS_UNDER_TEST: FontId[] = ["inter", "bebas-neue", "pacifico", "jetbrains-mono", "playfair"];

describe("text layout properties over an adversarial corpus", () => {
  for (const canvas of CANVASES) {
    for (const template of TEMPLATE_IDS) {
      it(`${template} on ${canvas.id}: lines fit the box, ink stays on the canvas, never empty`, () => {
        for (const title of CORPUS) {
          for (const font of FONTS_UNDER_TEST) {
            const plan = TEMPLATE_RENDERERS[template]({ canvas, title, font });
            const { layout, textBox } = plan;
            const label = `${template}/${canvas.id}/${font}: ${title.slice(0, 30)}`;
            expect(layout.lines.length, label).toBeGreaterThan(0);
            expect(
              layout.lines.reduce((n, l) => n + l.glyphs.length, 0),
              label,
            ).toBeGreaterThan(0);
            for (const line of layout.lines) {
              expect(line.width, label).toBeLessThanOrEqual(textBox.width + 0.5);
              expect(line.x, label).toBeGreaterThanOrEqual(textBox.x - 0.5);
              expect(line.x + line.width, label).toBeLessThanOrEqual(textBox.x + textBox.width + 0.5);
            }
            expect(layout.ink.x, label).toBeGreaterThanOrEqual(0);
            expect(layout.ink.y, label).toBeGreaterThanOrEqual(0);
            expect(layout.ink.x + layout.ink.width, label).toBeLessThanOrEqual(canvas.width);
            expect(layout.ink.y + layout.ink.height, label).toBeLessThanOrEqual(canvas.height);
            expect(layout.block.y + layout.block.height, label).toBeLessThanOrEqual(
              textBox.y + textBox.height + 0.5,
            );
            // Every script in the corpus is shipped: no character may fall through to a tofu box.
            expect(layout.missing, label).toEqual([]);
            for (const line of layout.lines)
              for (const g of line.glyphs) expect(g.glyph.index, label).toBeGreaterThan(0);
            if (hasComplexScript(title)) expectWholeClusters(layout, title, font, label);
          }
        }
      });
    }
  }
});

const box = { x: 0, y: 0, width: 600, height: 200 };
const opts = (over: Partial<LayoutOptions> = {}): LayoutOptions => ({
  box,
  maxLines: 2,
  maxSize: 80,
  minSize: 20,
  lineHeight: 1.1,
  align: "start",
  ...over,
});
const codes = (layout: ReturnType<typeof layoutText>, line = 0) =>
  layout.lines[line]!.glyphs.map((g) => g.glyph.unicode ?? -1);

describe("text layout behaviour", () => {
  it("has nothing to draw exactly for the titles hasVisibleText refuses", () => {
    for (const title of INVISIBLE_TITLES)
      expect(() => layoutText(title, "inter", opts()), JSON.stringify(title)).toThrow(
        /no drawable characters/,
      );
    for (const title of VISIBLE_EDGE_TITLES)
      expect(layoutText(title, "inter", opts()).lines.length, JSON.stringify(title)).toBeGreaterThan(0);
  });

  it("fits short titles at a larger size than long ones", () => {
    const short = layoutText("Short", "inter", opts());
    const long = layoutText("A considerably longer title that needs wrapping", "inter", opts());
    expect(short.size).toBeGreaterThan(long.size);
    expect(long.lines.length).toBe(2);
  });

  it("measures with real advance widths: a narrow face fits larger than a wide one", () => {
    const narrow = layoutText("Condensed display type", "bebas-neue", opts({ maxLines: 1 }));
    const wide = layoutText("Condensed display type", "jetbrains-mono", opts({ maxLines: 1 }));
    expect(narrow.size).toBeGreaterThan(wide.size);
  });

  it("shrinks before breaking a long word, and breaks it when no size avoids that", () => {
    const fits = layoutText("Incomprehensibilities", "inter", opts({ maxLines: 3 }));
    expect(fits.lines.length).toBe(1);
    const layout = layoutText("x".repeat(80), "inter", opts({ maxLines: 3 }));
    expect(layout.truncated).toBe(false);
    expect(layout.lines.length).toBeGreaterThan(1);
    expect(layout.lines.length).toBeLessThanOrEqual(3);
    for (const line of layout.lines) expect(line.width).toBeLessThanOrEqual(box.width);
  });

  it("truncates with an ellipsis once max lines are used up at the minimum size", () => {
    const layout = layoutText("word ".repeat(80), "inter", opts());
    expect(layout.truncated).toBe(true);
    expect(layout.lines.length).toBe(2);
    expect(codes(layout, 1).at(-1)).toBe(0x2026);
  });

  it("balances lines instead of leaving one word alone on the last line", () => {
    const layout = layoutText(
      "The quick brown fox jumps over the lazy dog again",
      "inter",
      opts({ maxSize: 40 }),
    );
    const [a, b] = layout.lines.map((l) => l.width);
    expect(layout.lines.length).toBe(2);
    expect(Math.abs(a! - b!) / Math.max(a!, b!)).toBeLessThan(0.35);
  });

  it("centres lines when asked and starts RTL titles at the right edge", () => {
    const centred = layoutText("Hi", "inter", opts({ align: "center" }));
    const line = centred.lines[0]!;
    expect(Math.abs(line.x + line.width / 2 - box.width / 2)).toBeLessThan(1);
    const rtl = layoutText("שלום", "inter", opts());
    expect(rtl.direction).toBe("rtl");
    expect(rtl.lines[0]!.x + rtl.lines[0]!.width).toBeCloseTo(box.width, 0);
  });

  it("orders Hebrew right to left and keeps numbers left to right inside it", () => {
    const layout = layoutText("שלום עולם 2024", "inter", opts({ maxLines: 1, maxSize: 40 }));
    expect(codes(layout)).toEqual([
      0x32, 0x30, 0x32, 0x34, 0x5dd, 0x5dc, 0x5d5, 0x5e2, 0x5dd, 0x5d5, 0x5dc, 0x5e9,
    ]);
  });

  /** A placed glyph's ink box in px (y down). */
  const inkOf = (g: PlacedGlyph) => {
    const box = g.glyph.getBoundingBox();
    const k = g.size / g.font.unitsPerEm;
    return {
      x1: g.x + box.x1 * k,
      x2: g.x + box.x2 * k,
      y1: g.baseline - box.y2 * k,
      y2: g.baseline - box.y1 * k,
    };
  };
  const lineGlyphs = (title: string) =>
    layoutText(title, "inter", opts({ maxLines: 1, maxSize: 60 })).lines[0]!.glyphs;
  /** The glyphs of one letter with its marks: the base (the one with an advance) and the marks. */
  const letter = (title: string) => {
    const glyphs = lineGlyphs(title);
    const bases = glyphs.filter((g) => (g.glyph.advanceWidth ?? 0) > 0);
    expect(bases, title).toHaveLength(1);
    return { base: inkOf(bases[0]!), marks: glyphs.filter((g) => !bases.includes(g)) };
  };

  it("sets Hebrew points, Arabic harakat and Thaana fili on their letters", () => {
    // Qamats, holam (on a vav: on other letters it sits at their top left), hataf patah, tsere, segol, dagesh; fatha, sukun, fathatan, kasra, damma; abafili,
    // sukun, ibifili, ebefili.
    const letters = ["שָ", "וֹ", "עֲ", "לֵ", "כֶ", "בּ", "مَ", "رْ", "مً", "سِ", "لُ", "ދި", "ވެ", "ބަ", "ސް"];
    for (const title of letters) {
      const { base, marks } = letter(title);
      expect(marks, title).toHaveLength(1);
      const mark = inkOf(marks[0]!);
      const centre = (mark.x1 + mark.x2) / 2;
      expect(centre, title).toBeGreaterThan(base.x1);
      expect(centre, title).toBeLessThan(base.x2);
    }
  });

  it("puts the shin dot over the right horn and the sin dot over the left", () => {
    const dot = (title: string) => {
      const { base, marks } = letter(title);
      const mark = inkOf(marks[0]!);
      return { centre: (mark.x1 + mark.x2) / 2, middle: (base.x1 + base.x2) / 2 };
    };
    const shin = dot("שׁ");
    const sin = dot("שׂ");
    expect(shin.centre).toBeGreaterThan(shin.middle);
    expect(sin.centre).toBeLessThan(sin.middle);
  });

  it("stacks two marks on one side of a letter: a fatha over a shadda", () => {
    const { marks } = letter("مَّ");
    const by = (name: string) => inkOf(marks.find((g) => g.glyph.name === name)!);
    const fatha = by("uni064E");
    const shadda = by("uni0651");
    expect(fatha.y2).toBeLessThanOrEqual(shadda.y1 + 0.5);
  });

  it("draws Thaana right to left from its Noto font", () => {
    // Dhivehi "ދިވެހި، ބަސް" (the Dhivehi language, with the Arabic comma Dhivehi writes: it stays in
    // the Thaana font).
    const layout = layoutText("ދިވެހި، ބަސް", "inter", opts({ maxLines: 1, maxSize: 40 }));
    expect([layout.direction, layout.missing]).toEqual(["rtl", []]);
    const families = new Set(
      layout.lines.flatMap((l) => l.glyphs.map((g) => g.font.names.fontFamily?.en ?? "?")),
    );
    expect([...families]).toEqual(["Noto Sans Thaana"]);
    // The last word is drawn leftmost: its final consonant (seenu) with its sukun first.
    expect(codes(layout).slice(0, 2).sort()).toEqual([0x0790, 0x07b0]);
  });

  /** Glyph names left to right, marks left out. */
  const names = (title: string) =>
    lineGlyphs(title)
      .filter((g) => (g.glyph.advanceWidth ?? 0) > 0)
      .map((g) => g.glyph.name);

  it("joins Arabic letters with the font's own forms and ligatures, right to left", () => {
    // seen (initial), the lam-alef ligature (the font's rlig), meem (isolated: alef never joins left).
    expect(names("سلام")).toEqual(["uni0645", "uni0627.fina.rlig.2", "uni0644.medi.rlig", "uni0633.init"]);
    // beh (initial), teh (medial), meem (final); the font draws beh and teh as one dotless body
    // (U+066E) with their dots as marks.
    expect(names("بتم")).toEqual(["uni0645.fina", "uni066E.medi.wide", "uni066E.init"]);
  });

  it("joins the letters Urdu and Persian add to Arabic", () => {
    // Urdu "ٹھیک" (fine): tteh, heh doachashmee, farsi yeh, keheh; the dotted letters are drawn as a
    // dotless body plus its dots. The presentation-form mapping used before left tteh and heh unjoined.
    expect(names("ٹھیک")).toEqual(["uni06A9.fina", "uni066E.medi.wide", "uni06BE.medi", "uni066E.init.wide"]);
    // Persian "گچپژ": gaf, tcheh, peh (all dual-joining), jeh (right-joining).
    expect(names("گچپژ")).toEqual(["uni0631.fina", "uni066E.medi.wide", "uni062D.medi", "uni0643.init"]);
  });

  it("draws the digits 4, 6 and 7 as Urdu and Sindhi write them, told by their letters", () => {
    const digits = (title: string) => names(title).slice(0, 3); // the number ends the line: leftmost
    expect(digits("سلام ۴۶۷")).toEqual(["uni06F4", "uni06F6", "uni06F7"]); // Persian (the default forms)
    expect(digits("ٹھیک ۴۶۷")).toEqual(["uni06F4.locl", "uni0666", "uni06F7.locl"]); // Urdu
    expect(digits("ڪراچي ۴۶۷")).toEqual(["uni06F4", "uni0666", "uni06F7.locl"]); // Sindhi
  });

  it("keeps numbers left to right inside right-to-left text, attached or not", () => {
    // Visual order: the number first (leftmost), digits in reading order, then the word reversed.
    const arabic = [0x662, 0x660, 0x662, 0x664];
    expect(codes(layoutText("عام ٢٠٢٤", "inter", opts())).slice(0, 4)).toEqual(arabic);
    expect(codes(layoutText("عام٢٠٢٤", "inter", opts())).slice(0, 4)).toEqual(arabic);
    expect(codes(layoutText("שנת2026", "inter", opts()))).toEqual([
      0x32, 0x30, 0x32, 0x36, 0x5ea, 0x5e0, 0x5e9,
    ]);
  });

  it("keeps a number's separators and signs with it, and its trailing punctuation on the right-to-left side", () => {
    const text = (title: string, line = 0) =>
      layoutText(title, "inter", opts({ maxLines: 2, maxSize: 30 }))
        .lines[line]!.glyphs.filter((g) => g.glyph.unicode !== undefined)
        .map((g) => String.fromCodePoint(g.glyph.unicode!))
        .join("")
        .replace(/[^\x20-\x7e\u066a-\u066c\u0660-\u0669\u05d0-\u05ea]/gu, "");
    expect(text("الساعة12:30")).toBe("12:30");
    expect(text("שנת50%")).toBe("50%תנש");
    // After Arabic letters European digits count as Arabic ones (rule W2), which take no percent
    // sign: it is drawn on the number's left, as in Arabic "٪٥٠".
    expect(text("خصم50%")).toBe("%50");
    // The full stop or "!" ends the right-to-left sentence: leftmost, past the number.
    expect(text("עד 2024.")).toBe(".2024דע");
    expect(text("שלום 12:30!")).toBe("!12:30םולש");
    expect(text("In 2024. ok")).toBe("In2024.ok");
    // Arabic-Indic digits with the Arabic percent sign: the sign on the number's left, as Arabic writes it.
    expect(text("تخفيض ٥٠٪")).toBe("٪٥٠");
    // The Arabic decimal separator is not a right-to-left letter: this title stays left to right.
    expect(layoutText("٣٫٥ apples", "inter", opts()).direction).toBe("ltr");
  });

  it("resolves directions over the whole title, not line by line", () => {
    // Broken as "Hi" / "שלום" / "- עולם": the dash that starts the last line sits between two Hebrew
    // words, so it is right to left there too, drawn after (right of) "עולם".
    const layout = layoutText(
      "Hi שלום - עולם",
      "inter",
      opts({ box: { ...box, width: 80 }, maxLines: 3, maxSize: 30 }),
    );
    expect(layout.lines).toHaveLength(3);
    const last = layout.lines[2]!.glyphs.map((g) => g.glyph.unicode);
    expect(last[0]).not.toBe(0x2d);
    expect(last.at(-1)).toBe(0x2d);
  });

  it("keeps a right-to-left phrase in order across the dashes and numbers inside it", () => {
    const words = (title: string) =>
      layoutText(title, "inter", opts({ maxLines: 1, maxSize: 30 }))
        .lines[0]!.glyphs.map((g) => String.fromCodePoint(g.glyph.unicode ?? 0x20))
        .join("");
    // In a left-to-right title, the Hebrew phrase reads right to left as a whole: its last word leftmost.
    expect(words("Hi שלום - עולם ok")).toBe("Hiםלוע-םולשok");
    expect(words("Hi שלום 2024 עולם")).toBe("Hiםלוע2024םולש");
    // In a right-to-left title, a Latin phrase with a dash inside keeps its left-to-right order.
    expect(words("שלום iPhone - Pro")).toBe("iPhone-Proםולש");
  });

  it("mirrors brackets and quotes in right-to-left text, not in left-to-right text", () => {
    const ends = (title: string) => {
      const seq = codes(layoutText(title, "inter", opts({ maxLines: 1, maxSize: 40 })));
      return String.fromCodePoint(...seq.filter((c) => c > 0 && c < 0x590));
    };
    // Drawn left to right: the closing bracket (logically last) is leftmost, facing the text.
    expect(ends("مرحبا (عالم)")).toBe("()");
    expect(ends("«مرحبا» بالعالم")).toBe("«»");
    expect(ends("שלום [עולם] {1}")).toBe("{1}[]");
    expect(ends("Hi שלום (עולם) ok")).toBe("Hi()ok");
    expect(ends("Hello (world) «x»")).toBe("Hello(world)«x»");
  });

  it.each([
    // Syriac "ܫܠܡܐ، ܥܠܡܐ" (hello, world: the Arabic comma, which Syriac uses, stays in the Syriac
    // font) and N'Ko "ߒߞߏ ߞߊ߲ߜߍ" (the N'Ko language).
    ["Syriac", "ܫܠܡܐ، ܥܠܡܐ", "Noto Sans Syriac"],
    ["N'Ko", "ߒߞߏ ߞߊ߲ߜߍ", "Noto Sans NKo"],
    // Adlam "𞤀𞤣𞤤𞤢𞤥 𞤆𞤵𞤤𞤢𞤪" (Adlam, Pular), and a run of Hanifi Rohingya letters.
    ["Adlam", "𞤀𞤣𞤤𞤢𞤥 𞤆𞤵𞤤𞤢𞤪", "Noto Sans Adlam"],
    ["Hanifi Rohingya", "𐴌𐴟𐴇𐴥𐴝𐴚𐴒𐴙𐴝", "Noto Sans Hanifi Rohingya"],
  ])("draws %s right to left, joined, from its Noto font", (_, title, family) => {
    const layout = layoutText(title, "inter", opts({ maxLines: 1, maxSize: 40 }));
    expect([layout.direction, layout.missing]).toEqual(["rtl", []]);
    const glyphs = layout.lines[0]!.glyphs;
    expect(new Set(glyphs.map((g) => g.font.names.fontFamily?.en))).toEqual(new Set([family]));
    // The first letter is drawn rightmost.
    const first = shapeText(title, fontChain("inter")).tokens[0]!.clusters[0]!.glyphs.map((g) => g.glyph);
    const rightmost = glyphs.reduce((a, b) => (b.x > a.x ? b : a));
    expect(first).toContain(rightmost.glyph);
    // Joined: some letters take a contextual form, which has no code point of its own.
    expect(glyphs.some((g) => g.glyph.unicode === undefined)).toBe(true);
  });

  it("places an RTL run inside an LTR title in reversed order", () => {
    const layout = layoutText("Hi שלום עולם ok", "inter", opts({ maxLines: 1, maxSize: 40 }));
    expect(layout.direction).toBe("ltr");
    const seq = codes(layout).filter((c) => c >= 0x5d0 || c < 0x80);
    expect(seq).toEqual([0x48, 0x69, 0x5dd, 0x5dc, 0x5d5, 0x5e2, 0x5dd, 0x5d5, 0x5dc, 0x5e9, 0x6f, 0x6b]);
  });

  it("falls back per character: emoji, CJK and Korean come from the fallback fonts", () => {
    const layout = layoutText("A🚀東한", "inter", opts());
    const fonts = layout.lines[0]!.glyphs.map((g) => g.font);
    expect(new Set(fonts).size).toBe(4);
    expect(layout.missing).toEqual([]);
  });

  it("draws Armenian and Georgian from their Noto fonts, upper and lower case", () => {
    const layout = layoutText("Երևան ԵՐԵՎԱՆ თბილისი ᲗᲑᲘᲚᲘᲡᲘ", "inter", opts({ maxLines: 2 }));
    expect(layout.missing).toEqual([]);
    const families = new Set(
      layout.lines.flatMap((l) => l.glyphs.map((g) => g.font.names.fontFamily?.en ?? "?")),
    );
    expect([...families].sort()).toEqual(["Noto Sans Armenian", "Noto Sans Georgian"]);
  });

  it.each([
    ["Ethiopic", "የኢትዮጵያ ምርጥ የቱሪስት መዳረሻዎች", "Noto Sans Ethiopic"],
    // Cherokee syllabary, capital and small letters: "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ꮳꮃꭹ" (Cherokee language, in both cases).
    ["Cherokee", "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ꮳꮃꭹ", "Noto Sans Cherokee"],
    ["Canadian syllabics", "ᐃᓄᒃᑎᑐᑦ ᑐᑭᓯᓇᓱᒋᑦ", "Noto Sans Canadian Aboriginal"], // Inuktitut
    ["Tifinagh", "ⵜⴰⵎⴰⵣⵉⵖⵜ ⵜⴰⵏⴰⵡⴰⵢⵜ", "Noto Sans Tifinagh"], // Tamazight
    ["Ol Chiki", "ᱥᱟᱱᱛᱟᱲᱤ", "Noto Sans Ol Chiki"], // Santali
    ["Vai", "ꕙꔤ", "Noto Sans Vai"], // Vai
  ])("draws %s from its Noto font", (_script, title, family) => {
    const layout = layoutText(title, "inter", opts({ maxLines: 2 }));
    expect(layout.missing).toEqual([]);
    const families = new Set(
      layout.lines.flatMap((l) => l.glyphs.map((g) => g.font.names.fontFamily?.en ?? "?")),
    );
    expect([...families]).toEqual([family]);
  });

  it("drops joiners and variation selectors instead of drawing boxes for them", () => {
    const layout = layoutText("❤️👍🏽", "inter", opts());
    expect(layout.lines[0]!.glyphs.every((g) => g.glyph.index > 0)).toBe(true);
    expect(codes(layout)).not.toContain(0xfe0f);
  });

  it("reports characters no shipped font covers and still renders the rest", () => {
    const layout = layoutText("Hello \u{10E60}", "inter", opts());
    expect(layout.missing).toEqual(["\u{10E60}"]);
    expect(codes(layout).slice(0, 5)).toEqual([0x48, 0x65, 0x6c, 0x6c, 0x6f]);
  });

  it("rejects titles with nothing to draw", () => {
    expect(() => layoutText(" \u200d\ufe0f ", "inter", opts())).toThrow(/no drawable characters/);
  });

  it("emits only path syntax, so markup in titles cannot reach the SVG", () => {
    const layout = layoutText(`<svg onload="x"> & ' "`, "inter", opts());
    expect(layoutPathData(layout)).toMatch(/^[MLQCZ0-9 .-]+$/);
    expect(xmlEscape(`<a href="x">&'`)).toBe("&#60;a href=&#34;x&#34;&#62;&#38;&#39;");
  });
});
