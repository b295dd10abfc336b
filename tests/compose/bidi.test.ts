import bidiFactory from "bidi-js";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareShaping } from "@/lib/compose/text/complex-shaping";
import { layoutText } from "@/lib/compose/text/layout";
import { linePieces } from "@/lib/compose/text/line-pieces";
import { boxOptions } from "./layout-options";

/**
 * Titles mixing right-to-left and left-to-right text, drawn in the order the Unicode bidi algorithm
 * gives, checked against bidi-js, an independent implementation of UAX #9.
 */
const bidi = bidiFactory();

/** The title as UAX #9 displays it on one line: characters left to right, mirrored, no spaces. */
function reference(title: string) {
  const levels = bidi.getEmbeddingLevels(title);
  const mirrors = bidi.getMirroredCharactersMap(title, levels.levels);
  const text = bidi
    .getReorderedIndices(title, levels)
    .map((i) => mirrors.get(i) ?? title[i])
    .join("")
    .replace(/ /g, "");
  return { direction: levels.paragraphs[0]!.level === 1 ? "rtl" : "ltr", text };
}

/** The title as the layout draws it on one line, from the code points of the glyphs it places. */
function drawn(title: string) {
  const layout = layoutText(title, "inter", boxOptions(4000, 200, 1, 30, 20));
  expect(layout.lines, title).toHaveLength(1);
  const text = layout.lines[0]!.glyphs.map((g) => String.fromCodePoint(g.glyph.unicode ?? 0xfffd)).join("");
  return { direction: layout.direction, text };
}

interface Words {
  rtl: string[];
  numbers: string[];
  after: string[];
}
const HEBREW: Words = {
  rtl: ["שלום", "עולם", "מדריך", "חדש", "ספר"],
  numbers: ["2024", "10", "3.5", "12:30", "50%", "$100", "2024-2025", "1/2", "#1"],
  after: ["", "", "", ")", "]", '"', "»", "!", ".", ",", ":", "?", "...", "!)", ")."],
};
const ARABIC: Words = {
  rtl: ["مرحبا", "عالم", "دليل", "جديد", "كتاب", "لا"],
  numbers: ["2024", "10", "3.5", "50%", "٢٠٢٤", "$100", "12:30", "2024-2025"],
  after: ["", "", ")", "]", '"', "»", "!", ".", "،", "؟", ":", "!)"],
};
// Brackets inside a word stay with it ("f(x)"), whatever surrounds the word.
const LATIN = ["Hello", "world", "iPhone", "Pro", "ok", "f(x)", "a[1]"];
const SYMBOLS = ["-", "—", "★", "&", "|"];
const BEFORE = ["", "", "", "(", "[", '"', "«", "-", "..."];

/** Titles of two to six words, each a right-to-left or Latin word, a number or a symbol, with punctuation around. */
function randomTitles(words: Words, count: number, seed: number): string[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  return Array.from({ length: count }, () => {
    const title = Array.from({ length: 2 + Math.floor(next() * 5) }, () => {
      const r = next();
      const core =
        r < 0.4 ? pick(words.rtl) : r < 0.75 ? pick(LATIN) : r < 0.9 ? pick(words.numbers) : pick(SYMBOLS);
      return pick(BEFORE) + core + pick(words.after);
    });
    return title.join(" ");
  });
}

/** Joined Arabic letters are drawn in forms of their own: each run of Arabic letters compares as one "A". */
const arabicRuns = (text: string) =>
  text.replace(/[\u0621-\u064a\u066e-\u06d3\ufb50-\ufdff\ufe70-\ufefc\ufffd]+/gu, "A");

const EXAMPLES: [string, string][] = [
  // Punctuation after a word takes the direction around it, not the word's.
  ["Hello, עולם!", "Hello,םלוע!"],
  ["שלום world!", "!worldםולש"],
  ["Review: שלום, עולם!", "Review:םלוע,םולש!"],
  // Bracket pairs take the direction of what they enclose, or of their context (rule N0).
  ["a (b שלום) c", "a(bםולש)c"],
  ["Hi שלום (עולם) ok", "Hi(םלוע)םולשok"],
  ["שלום (a) b", "b(a)םולש"],
  ["ספר: Clean Code (מהדורה 2)", "(2הרודהמ)CleanCode:רפס"],
  // A hyphen between two numbers belongs to them (rule W4); two numbers apart read right to left.
  ["שנה 2024-2025", "2024-2025הנש"],
  ["$100 50% הנחה", "החנה50%$100"],
  // Arabic punctuation is right to left even after a Latin word; the first strong letter sets the
  // direction, here an Arabic question mark.
  ["هل تعرف ChatGPT؟", "؟ChatGPTفرعتله"],
  ["«2024؟ 12:30", "12:30؟2024»"],
];

beforeAll(() => prepareShaping([...HEBREW.rtl, ...ARABIC.rtl].join(" ")));

describe("bidi: titles mixing directions", () => {
  it.each(EXAMPLES)("draws %s as UAX #9 does", (title, visual) => {
    expect(reference(title).text).toBe(visual);
    expect(arabicRuns(drawn(title).text.replace(/ /g, ""))).toBe(arabicRuns(visual));
  });

  it.each([
    ["Hebrew", HEBREW, (text: string) => text],
    // Numbers after Arabic letters read as Arabic ones (W2): "50%" there draws the sign on the left.
    ["Arabic", ARABIC, arabicRuns],
  ] as const)(
    "agrees with the reference implementation on 400 random %s and Latin titles",
    (_, words, compare) => {
      const wrong = randomTitles(words, 400, 17).filter((title) => {
        const ours = drawn(title);
        const ref = reference(title);
        return ours.direction !== ref.direction || compare(ours.text.replace(/ /g, "")) !== compare(ref.text);
      });
      expect(wrong).toEqual([]);
    },
  );

  it("keeps a hyphen or slash before a digit on its line (UAX #14, LB25), but breaks after other hyphens", () => {
    expect(linePieces("2024-2025")).toEqual(["2024-2025"]);
    expect(linePieces("COVID-19")).toEqual(["COVID-19"]);
    expect(linePieces("1/2")).toEqual(["1/2"]);
    expect(linePieces("well-known")).toEqual(["well-", "known"]);
    expect(linePieces("2024–2025")).toEqual(["2024–", "2025"]);
  });
});
