import type { Font, Glyph } from "opentype.js";
import { bracketOf, mirrorOf } from "./bidi";
import { ARABIC_NUMBERS, arabicScriptLanguage, NUMBERS, type ComplexScript } from "./complex-scripts";
import { complexRuns, hasComplexScript, shapeComplexRun } from "./complex-shaping";
import { emojiSequenceGlyph, isEmojiSequence } from "./emoji-sequences";
import type { FontChain } from "./font-loader";
import { linePieces } from "./line-pieces";
import { ignorable, normalizeTitle } from "./visible";

export { hasVisibleText, normalizeTitle } from "./visible";

/** A glyph inside a cluster; `dx` is its offset from the cluster origin, in em. */
export interface ShapedGlyph {
  font: Font;
  glyph: Glyph;
  dx: number;
  /** Raise above the baseline in em, set by the shaper for marks (Thai tone marks, matras). */
  dy?: number;
}

/** One grapheme cluster: what the user sees as one character. Widths are in em. */
export interface Cluster {
  glyphs: ShapedGlyph[];
  advance: number;
  /** Drawn instead of `glyphs` in right-to-left text: a bracket or quote facing the other way. */
  mirrored?: ShapedGlyph[];
  /** Punctuation of a right-to-left script (؟ ؛ ۔ ׃) at a word's end: strong right to left (bidi.ts). */
  rtl?: true;
  /**
   * A number among punctuation ("2024-2025" after Arabic letters is two numbers and a dash); "an"
   * for Arabic-Indic digits (bidi class AN: never left to right by rule W7).
   */
  number?: "en" | "an";
  /** A paired bracket: whether it opens, and the opening bracket's code point (bidi.ts, rule N0). */
  bracket?: { open: boolean; pair: number };
}

export type Strong = "ltr" | "rtl" | "neutral";

/** An unbreakable run of clusters; lines break only between tokens (or inside over-long ones). */
export interface Token {
  clusters: Cluster[];
  width: number;
  spaceBefore: boolean;
  strong: Strong;
  numeric: boolean;
  /** A number in Arabic-Indic digits (bidi class AN: never left to right by rule W7). */
  arabicDigits?: true;
  /**
   * In a title with right-to-left text, a word or number with punctuation before or after it
   * ("(2026)", "עולם!"): how many clusters lead and trail it. They take their direction from the
   * text around them, not from the word (bidi.ts).
   */
  ends?: { lead: number; trail: number };
}

export interface ShapedText {
  tokens: Token[];
  spaceWidth: number;
  direction: "ltr" | "rtl";
  /** Characters no shipped font can draw (they render as the title font's missing-glyph box). */
  missing: string[];
  /**
   * Ink of the glyphs HarfBuzz shaped above and below the baseline, in em (marks reach past the
   * title face's cap height and descent); null when the title has none.
   */
  complexInk: { above: number; below: number } | null;
}

/**
 * Right-to-left characters: Hebrew to N'Ko and beyond, their presentation forms, Hanifi Rohingya and
 * Adlam; the Arabic-Indic and Rohingya digits, the Arabic number signs and the Arabic comma
 * excepted (numbers, read left to right, and a separator).
 */
const RTL =
  /[\u0590-\u060b\u060d-\u065f\u066d-\u06ef\u06fa-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u{10d00}-\u{10d2f}\u{10d3a}-\u{10d3f}\u{1e900}-\u{1e95f}]/u;
export const hasRightToLeft = (text: string): boolean => RTL.test(text);
const LETTER = /\p{L}/u;
const AN_DIGIT = /[\u0660-\u0669\u{10d30}-\u{10d39}]/u;
/** Right-to-left characters of bidi class AL (Arabic, Syriac, Thaana, Hanifi Rohingya), not R (Hebrew, N'Ko, Adlam). */
const ARABIC_LETTER = /[\u0600-\u07bf\u0860-\u08ff\ufb50-\ufdff\ufe70-\ufeff\u{10d00}-\u{10d3f}]/u;

/** The bidi class of the last strong character of `text`, if it has one. */
function lastStrong(text: string): "L" | "R" | "AL" | null {
  const chars = [...text];
  for (let i = chars.length - 1; i >= 0; i--) {
    const ch = chars[i]!;
    if (RTL.test(ch)) return ARABIC_LETTER.test(ch) ? "AL" : "R";
    if (LETTER.test(ch)) return "L";
  }
  return null;
}

/**
 * The numbers in `text`, as [start, end] offsets. European digits after Arabic letters (before
 * `text` when `afterArabic`, or inside it) read as Arabic ones (rule W2), with fewer signs joined.
 */
function numbersIn(text: string, afterArabic: boolean): [number, number][] {
  const found: [number, number][] = [];
  let arabic = afterArabic;
  let from = 0;
  for (const m of text.matchAll(NUMBERS)) {
    const before = lastStrong(text.slice(from, m.index));
    if (before) arabic = before === "AL";
    if (!arabic) found.push([m.index, m.index + m[0].length]);
    else
      for (const a of m[0].matchAll(ARABIC_NUMBERS))
        found.push([m.index + a.index, m.index + a.index + a[0].length]);
    from = m.index + m[0].length;
  }
  return found;
}

const graphemes = new Intl.Segmenter("und", { granularity: "grapheme" });

function strongOf(text: string): Strong {
  for (const ch of text) {
    if (RTL.test(ch)) return "rtl";
    if (LETTER.test(ch)) return "ltr";
  }
  return "neutral";
}

/**
 * A piece of a word, as clusters in logical order. A number inside a right-to-left word (عام٢٠٢٤,
 * שנת2026) becomes one cluster, drawn left to right, which the layout keeps whole when it puts
 * the word's clusters in right-to-left order.
 */
export function shapeClusters(
  text: string,
  chain: FontChain,
  missing: Set<string>,
  { language, afterArabic = false, context = null }: ShapeContext = {},
): Cluster[] {
  const runs = (part: string) => shapeRuns(part, chain, missing, language, context);
  if (!hasRightToLeft(text)) return runs(text);
  const clusters: Cluster[] = [];
  let from = 0;
  for (const [start, end] of numbersIn(text, afterArabic)) {
    clusters.push(...runs(text.slice(from, start)));
    const digits = runs(text.slice(start, end));
    if (digits.length > 0) clusters.push(asOneCluster(digits));
    from = end;
  }
  clusters.push(...runs(text.slice(from)));
  return clusters;
}

/** What the text around a piece tells its shaping. */
interface ShapeContext {
  /** The title's language, where the font has forms for it (arabicScriptLanguage). */
  language?: string | undefined;
  /** The last strong character before the piece is an Arabic letter (rule W2, numbersIn). */
  afterArabic?: boolean;
  /** The script of the text the piece is cut from: its Arabic comma stays in a Syriac word's font. */
  context?: ComplexScript | null;
}

function shapeRuns(
  text: string,
  chain: FontChain,
  missing: Set<string>,
  language: string | undefined,
  context: ComplexScript | null,
): Cluster[] {
  if (!hasComplexScript(text)) return shapeSimple(text, chain, missing);
  return complexRuns(text, context).flatMap((run) =>
    run.script ? shapeComplexRun(run, missing, language) : shapeSimple(run.text, chain, missing),
  );
}

function asOneCluster(clusters: readonly Cluster[]): Cluster {
  const glyphs: ShapedGlyph[] = [];
  let advance = 0;
  for (const cluster of clusters) {
    for (const g of cluster.glyphs) glyphs.push({ ...g, dx: g.dx + advance });
    advance += cluster.advance;
  }
  return { glyphs, advance };
}

const MARK = /\p{Mn}/u;

/** Ink extent of a glyph in em, or null when it has none. */
function inkX(font: Font, glyph: Glyph): [number, number] | null {
  const box = glyph.getBoundingBox();
  if (!(box.x2 > box.x1)) return null;
  return [box.x1 / font.unitsPerEm, box.x2 / font.unitsPerEm];
}

/**
 * Where a zero-width combining mark the title font or a plain fallback draws (a Latin, Greek or
 * Cyrillic accent NFC has no precomposed letter for) goes without GPOS mark positioning, which
 * opentype.js does not apply: centred on the base's ink, as HarfBuzz's fallback does. The mark's
 * height is its own outline's (above or below the letter).
 */
function markOffset(base: ShapedGlyph, mark: { font: Font; glyph: Glyph }): number {
  const under = inkX(base.font, base.glyph) ?? [0, (base.glyph.advanceWidth ?? 0) / base.font.unitsPerEm];
  const ink = inkX(mark.font, mark.glyph);
  if (!ink) return base.dx;
  return base.dx + (under[0] + under[1]) / 2 - (ink[0] + ink[1]) / 2;
}

/** Glyph by glyph through the font chain, with the fonts' pair kerning between clusters. */
function shapeSimple(text: string, chain: FontChain, missing: Set<string>): Cluster[] {
  const clusters: Cluster[] = [];
  let previous: ShapedGlyph | null = null;
  for (const { segment } of graphemes.segment(text)) {
    const sequence = isEmojiSequence(segment) ? emojiSequenceGlyph(segment) : null;
    if (sequence) {
      previous = { ...sequence, dx: 0 };
      clusters.push({
        glyphs: [previous],
        advance: (sequence.glyph.advanceWidth ?? 0) / sequence.font.unitsPerEm,
      });
      continue;
    }
    const cps = Array.from(segment, (c) => c.codePointAt(0)!).filter((cp) => !ignorable(cp));
    if (cps.length === 0) continue;
    const base = chain.glyphFor(cps[0]!);
    const font = base?.font ?? chain.primary;
    if (!base) missing.add(segment);
    const em = font.unitsPerEm;
    const glyphs: ShapedGlyph[] = [{ font, glyph: base?.glyph ?? font.glyphs.get(0), dx: 0 }];
    let advance = (glyphs[0]!.glyph.advanceWidth ?? 0) / em;
    for (const cp of cps.slice(1)) {
      const index = font.charToGlyphIndex(String.fromCodePoint(cp));
      const hit = index > 0 ? { font, glyph: font.glyphs.get(index) } : chain.glyphFor(cp);
      if (!hit) continue;
      const mark = !hit.glyph.advanceWidth && MARK.test(String.fromCodePoint(cp));
      glyphs.push({
        font: hit.font,
        glyph: hit.glyph,
        dx: mark ? markOffset(glyphs[0]!, hit) : advance,
      });
      advance += (hit.glyph.advanceWidth ?? 0) / hit.font.unitsPerEm;
    }
    const first = glyphs[0]!;
    if (previous && previous.font === first.font && clusters.length > 0) {
      const kern = first.font.getKerningValue(previous.glyph, first.glyph) / em;
      clusters[clusters.length - 1]!.advance += kern;
    }
    previous = glyphs[glyphs.length - 1]!;
    const cluster: Cluster = { glyphs, advance };
    if (cps.length === 1) {
      const mirror = mirrorOf(cps[0]!);
      const mirrorIndex = mirror === undefined ? 0 : font.charToGlyphIndex(String.fromCodePoint(mirror));
      if (mirrorIndex > 0) cluster.mirrored = [{ font, glyph: font.glyphs.get(mirrorIndex), dx: 0 }];
      const bracket = bracketOf(cps[0]!);
      if (bracket) cluster.bracket = bracket;
    }
    clusters.push(cluster);
  }
  return clusters;
}

/** A piece holding one number and punctuation around it, as [before, number, after]; else null. */
function numberWithEnds(piece: string, found: [number, number][]): [string, string, string] | null {
  if (found.length !== 1) return null;
  const [[start, end]] = found as [[number, number]];
  const [before, after] = [piece.slice(0, start), piece.slice(end)];
  return before || after ? [before, piece.slice(start, end), after] : null;
}

/** Punctuation, symbols and emoji: graphemes without a letter or digit. */
const PUNCTUATION = /^[^\p{L}\p{N}]+$/u;

/**
 * A word with punctuation before or after it, as [before, word, after]; else null. A number's
 * signs stay with it ("שנת50%"). A piece of punctuation only, right-to-left marks among it, is all
 * "after".
 */
function wordWithEnds(piece: string, afterArabic: boolean): [string, string, string] | null {
  const numbers = numbersIn(piece, afterArabic);
  const parts = [...graphemes.segment(piece)];
  const loose = ({ segment, index }: Intl.SegmentData) =>
    PUNCTUATION.test(segment) && !numbers.some(([a, b]) => index >= a && index < b);
  let from = 0;
  while (from < parts.length && loose(parts[from]!)) from++;
  // Only punctuation ("★؟"): each mark takes its own direction.
  if (from === parts.length) return ["", "", piece];
  let to = parts.length;
  while (to > from && loose(parts[to - 1]!)) to--;
  // A bracket whose partner is in the word stays with it: "f(x)", "a[1]".
  const partner = bracketPartners(parts.map((g) => g.segment));
  for (let moved = true; moved;) {
    moved = false;
    for (let i = 0; i < from; i++) {
      const j = partner.get(i);
      if (j !== undefined && j >= from && j < to) [from, moved] = [i, true];
    }
    for (let i = parts.length - 1; i >= to; i--) {
      const j = partner.get(i);
      if (j !== undefined && j >= from && j < to) [to, moved] = [i + 1, true];
    }
  }
  if (from === to || (from === 0 && to === parts.length)) return null;
  const at = (i: number) => parts[i]?.index ?? piece.length;
  return [piece.slice(0, at(from)), piece.slice(at(from), at(to)), piece.slice(at(to))];
}

/** Matching bracket pairs among `graphemes`, both ways (index → partner's index). */
function bracketPartners(graphemes: readonly string[]): Map<number, number> {
  const partner = new Map<number, number>();
  const open: { pair: number; at: number }[] = [];
  graphemes.forEach((g, at) => {
    const bracket = [...g].length === 1 ? bracketOf(g.codePointAt(0)!) : undefined;
    if (!bracket) return;
    if (bracket.open) return void open.push({ pair: bracket.pair, at });
    const match = open.findLastIndex((o) => o.pair === bracket.pair);
    if (match < 0) return;
    partner.set(at, open[match]!.at).set(open[match]!.at, at);
    open.length = match;
  });
  return partner;
}

type Shape = (part: string, context?: ComplexScript | null) => Cluster[];
type PieceToken = Omit<Token, "width" | "spaceBefore">;

function plainPiece(text: string, clusters: Cluster[]): PieceToken {
  const numeric = /\p{N}/u.test(text);
  return {
    clusters,
    strong: strongOf(text),
    numeric,
    ...(numeric && AN_DIGIT.test(text) ? { arabicDigits: true as const } : {}),
  };
}

/**
 * A piece of a title with right-to-left text, cut where its parts take directions of their own: a
 * word's or number's leading and trailing punctuation (Token.ends), and the numbers and punctuation
 * of a piece holding several numbers (flagged clusters).
 */
function bidiPiece(piece: string, afterArabic: boolean, shape: Shape): PieceToken {
  if (strongOf(piece) === "neutral") {
    const found = numbersIn(piece, afterArabic);
    if (found.length > 1) {
      const clusters: Cluster[] = [];
      let from = 0;
      for (const [start, end] of found) {
        clusters.push(...punctuation(piece.slice(from, start), shape));
        const digits = shape(piece.slice(start, end));
        const number = AN_DIGIT.test(piece.slice(start, end)) ? "an" : "en";
        if (digits.length > 0) clusters.push({ ...asOneCluster(digits), number });
        from = end;
      }
      clusters.push(...punctuation(piece.slice(from), shape));
      return { clusters, strong: "neutral", numeric: false };
    }
    const cut = numberWithEnds(piece, found);
    return cut ? withEnds(cut, shape) : plainPiece(piece, shape(piece));
  }
  const cut = wordWithEnds(piece, afterArabic);
  return cut ? withEnds(cut, shape) : plainPiece(piece, shape(piece));
}

/** [before, core, after] as one token: the punctuation in the font of the core's script next to it. */
function withEnds([before, core, after]: [string, string, string], shape: Shape): PieceToken {
  const scripts = complexRuns(core).map((r) => r.script);
  const lead = punctuation(before, (g) => shape(g, scripts[0] ?? null));
  const trail = punctuation(after, (g) => shape(g, scripts.at(-1) ?? null));
  return {
    ...plainPiece(core, [...lead, ...shape(core), ...trail]),
    ends: { lead: lead.length, trail: trail.length },
  };
}

/** A word's leading or trailing punctuation, a grapheme at a time, its right-to-left marks flagged. */
function punctuation(text: string, shape: Shape): Cluster[] {
  return [...graphemes.segment(text)].flatMap(({ segment }) => {
    const clusters = shape(segment);
    if (RTL.test(segment)) for (const c of clusters) c.rtl = true;
    return clusters;
  });
}

export function tokenFromClusters(clusters: Cluster[], template: Omit<Token, "clusters" | "width">): Token {
  return { ...template, clusters, width: clusters.reduce((w, c) => w + c.advance, 0) };
}

export function shapeText(title: string, chain: FontChain): ShapedText {
  const text = normalizeTitle(title);
  const missing = new Set<string>();
  const tokens: Token[] = [];
  // Only with right-to-left text does a word's or number's punctuation take its own direction;
  // elsewhere the word stays one piece (with its kerning).
  const bidi = hasRightToLeft(text);
  const language = arabicScriptLanguage(text);
  // Whether the last strong character so far is an Arabic letter (rule W2).
  let afterArabic = false;
  for (const word of text.split(" ")) {
    linePieces(word).forEach((piece, i) => {
      const shape = (part: string, context: ComplexScript | null = null) =>
        shapeClusters(part, chain, missing, { language, afterArabic, context });
      const token = bidi ? bidiPiece(piece, afterArabic, shape) : plainPiece(piece, shape(piece));
      const last = bidi ? lastStrong(piece) : null;
      if (last) afterArabic = last === "AL";
      if (token.clusters.length === 0) return;
      tokens.push({
        ...tokenFromClusters(token.clusters, { ...token, spaceBefore: i === 0 && tokens.length > 0 }),
      });
    });
  }
  const space = chain.primary.charToGlyph(" ");
  const spaceWidth = space.index > 0 ? (space.advanceWidth ?? 0) / chain.primary.unitsPerEm : 0.25;
  return {
    tokens,
    spaceWidth,
    // The first strong character sets the direction (UAX #9 P2), as dir="auto" does on the pages.
    direction: strongOf(text) === "rtl" ? "rtl" : "ltr",
    missing: [...missing],
    complexInk: hasComplexScript(text) ? shapedInk(tokens) : null,
  };
}

const boxes = new WeakMap<Glyph, { x1: number; y1: number; x2: number; y2: number }>();

/** A glyph's outline bounds in font units (computing them walks the outline, so once per glyph). */
export function glyphBox(glyph: Glyph) {
  let box = boxes.get(glyph);
  if (!box) {
    box = glyph.getBoundingBox();
    boxes.set(glyph, box);
  }
  return box;
}

function shapedInk(tokens: readonly Token[]): ShapedText["complexInk"] {
  let above = 0;
  let below = 0;
  for (const token of tokens) {
    for (const cluster of token.clusters) {
      for (const g of cluster.glyphs) {
        if (g.dy === undefined) continue; // only the complex shaper sets dy
        const box = glyphBox(g.glyph);
        if (box.y2 <= box.y1) continue;
        above = Math.max(above, box.y2 / g.font.unitsPerEm + g.dy);
        below = Math.max(below, -box.y1 / g.font.unitsPerEm - g.dy);
      }
    }
  }
  return { above, below };
}
