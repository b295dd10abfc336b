/**
 * Emoji drawn from several code points: flags (two regional indicators, or a black flag and tag
 * characters), keycaps (a digit, #, or * with U+20E3), skin tones and ZWJ sequences (families,
 * professions, the rainbow flag). The shipped Noto Emoji has one glyph for each, reached through
 * its GSUB ligatures, which opentype.js 1.3.4 parses but does not apply to emoji: the ligature
 * tables are read here directly. A sequence the font has no ligature for is drawn as before, from
 * its parts.
 */
import type { Font, Glyph } from "opentype.js";
import { FALLBACK_FONTS } from "@/lib/catalog/fonts";
import { loadFontFile } from "./font-loader";

/** ZWJ, keycap, regional indicators, skin tones, tags: what makes a grapheme an emoji sequence. */
const SEQUENCE = /[\u200d\u20e3\u{1f1e6}-\u{1f1ff}\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}]/u;

/** What an emoji sequence starts with: a pictograph, a regional indicator, or a keycap's character. */
const START = /^[\p{Extended_Pictographic}\p{Regional_Indicator}#*0-9]/u;

export const isEmojiSequence = (grapheme: string): boolean =>
  grapheme.length > 1 && START.test(grapheme) && SEQUENCE.test(grapheme);

const EMOJI_FILES = FALLBACK_FONTS.find((f) => f.id === "noto-emoji")!.files;

interface Coverage {
  format: number;
  glyphs?: number[];
  ranges?: { start: number; end: number; index: number }[];
}
interface LigatureSubtable {
  coverage: Coverage;
  ligatureSets: { ligGlyph: number; components: number[] }[][];
}

function coverageIndex(coverage: Coverage, glyph: number): number {
  if (coverage.format === 1) return coverage.glyphs!.indexOf(glyph);
  const range = coverage.ranges!.find((r) => glyph >= r.start && glyph <= r.end);
  return range ? range.index + glyph - range.start : -1;
}

/** The ligature glyph the font's GSUB makes of exactly these glyphs, if it has one. */
function ligature(font: Font, glyphs: number[]): number | null {
  const gsub = (font.tables as { gsub?: { lookups: { lookupType: number; subtables: unknown[] }[] } }).gsub;
  for (const lookup of gsub?.lookups ?? []) {
    if (lookup.lookupType !== 4) continue;
    for (const subtable of lookup.subtables as LigatureSubtable[]) {
      const at = coverageIndex(subtable.coverage, glyphs[0]!);
      if (at < 0) continue;
      for (const lig of subtable.ligatureSets[at] ?? []) {
        const parts = lig.components;
        if (parts.length === glyphs.length - 1 && parts.every((g, i) => g === glyphs[i + 1]))
          return lig.ligGlyph;
      }
    }
  }
  return null;
}

const found = new Map<string, { font: Font; glyph: Glyph } | null>();

/**
 * The one glyph Noto Emoji draws for a sequence, looked up in its files in the chain's order. The
 * font lists some sequences without their variation selector (keycaps, the rainbow flag), so a
 * sequence is also tried without U+FE0F.
 */
export function emojiSequenceGlyph(grapheme: string): { font: Font; glyph: Glyph } | null {
  const cached = found.get(grapheme);
  if (cached !== undefined) return cached;
  const full = Array.from(grapheme);
  const variants = [full, full.filter((c) => c !== "\ufe0f")];
  let hit: { font: Font; glyph: Glyph } | null = null;
  search: for (const file of EMOJI_FILES) {
    const font = loadFontFile(file);
    for (const chars of variants) {
      const glyphs = chars.map((c) => font.charToGlyphIndex(c));
      if (glyphs.length < 2 || glyphs.includes(0)) continue;
      const index = ligature(font, glyphs);
      if (index !== null) {
        hit = { font, glyph: font.glyphs.get(index) };
        break search;
      }
    }
  }
  if (found.size >= 4096) found.clear(); // titles may hold any sequence: keep the cache bounded
  found.set(grapheme, hit);
  return hit;
}
