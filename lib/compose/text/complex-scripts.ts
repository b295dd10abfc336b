/**
 * The scripts shaped with HarfBuzz (complex-shaping.ts), each in its shipped Noto fallback font:
 * Brahmic scripts need conjuncts, reordered and split vowel signs, reph and below-base forms;
 * Thai, Lao, Khmer and Myanmar need marks stacked and, having no spaces between words, dictionary
 * line breaks (line-pieces.ts); the right-to-left scripts need their letters joined (Arabic,
 * Syriac, N'Ko) and their points and vowel signs placed on their letters by the fonts' anchors.
 */
import type { FALLBACK_FONTS } from "@/lib/catalog/fonts";

export interface ComplexScript {
  /** ISO 15924 tag, as HarfBuzz takes it. */
  tag: string;
  fallbackId: (typeof FALLBACK_FONTS)[number]["id"];
  /** Inclusive code point ranges of the script's letters and signs. */
  ranges: readonly (readonly [number, number])[];
  /** Words are written without spaces between them: lines break between dictionary words. */
  unspaced?: true;
  /** Vowels typed before the consonant they follow in speech, so they never end a cluster. */
  leading?: RegExp;
  /** The font has the dandas (।॥) that Indic scripts share with Devanagari. */
  dandas?: true;
  /** Written right to left (shaped so; numbers inside stay left to right, see shape.ts). */
  rtl?: true;
  /** Characters of another block the script uses and its font draws (Arabic punctuation in Syriac). */
  shared?: RegExp;
}

export const COMPLEX_SCRIPTS: readonly ComplexScript[] = [
  {
    tag: "Deva",
    fallbackId: "noto-sans-devanagari",
    ranges: [
      [0x0900, 0x097f],
      [0xa8e0, 0xa8ff],
      [0x1cd0, 0x1cff],
    ],
    dandas: true,
  },
  { tag: "Beng", fallbackId: "noto-sans-bengali", ranges: [[0x0980, 0x09ff]], dandas: true },
  { tag: "Guru", fallbackId: "noto-sans-gurmukhi", ranges: [[0x0a00, 0x0a7f]], dandas: true },
  { tag: "Gujr", fallbackId: "noto-sans-gujarati", ranges: [[0x0a80, 0x0aff]], dandas: true },
  { tag: "Orya", fallbackId: "noto-sans-oriya", ranges: [[0x0b00, 0x0b7f]], dandas: true },
  { tag: "Taml", fallbackId: "noto-sans-tamil", ranges: [[0x0b80, 0x0bff]], dandas: true },
  { tag: "Telu", fallbackId: "noto-sans-telugu", ranges: [[0x0c00, 0x0c7f]], dandas: true },
  { tag: "Knda", fallbackId: "noto-sans-kannada", ranges: [[0x0c80, 0x0cff]], dandas: true },
  { tag: "Mlym", fallbackId: "noto-sans-malayalam", ranges: [[0x0d00, 0x0d7f]], dandas: true },
  {
    tag: "Sinh",
    fallbackId: "noto-sans-sinhala",
    ranges: [
      [0x0d80, 0x0dff],
      [0x111e0, 0x111ff],
    ],
    dandas: true,
  },
  {
    tag: "Thai",
    fallbackId: "noto-sans-thai",
    ranges: [[0x0e00, 0x0e7f]],
    unspaced: true,
    leading: /[\u0e40-\u0e44]/u,
  },
  {
    tag: "Laoo",
    fallbackId: "noto-sans-lao",
    ranges: [[0x0e80, 0x0eff]],
    unspaced: true,
    leading: /[\u0ec0-\u0ec4]/u,
  },
  {
    tag: "Mymr",
    fallbackId: "noto-sans-myanmar",
    ranges: [
      [0x1000, 0x109f],
      [0xa9e0, 0xa9ff],
      [0xaa60, 0xaa7f],
    ],
    unspaced: true,
  },
  {
    tag: "Khmr",
    fallbackId: "noto-sans-khmer",
    ranges: [
      [0x1780, 0x17ff],
      [0x19e0, 0x19ff],
    ],
    unspaced: true,
  },
  { tag: "Java", fallbackId: "noto-sans-javanese", ranges: [[0xa980, 0xa9df]] },
  // Stacked consonants and vowel signs above and below; syllables are separated by the tsheg (་).
  { tag: "Tibt", fallbackId: "noto-serif-tibetan", ranges: [[0x0f00, 0x0fff]] },
  {
    tag: "Hebr",
    fallbackId: "noto-sans-hebrew",
    ranges: [
      [0x0590, 0x05ff],
      [0xfb1d, 0xfb4f],
    ],
    rtl: true,
  },
  {
    tag: "Arab",
    fallbackId: "noto-sans-arabic",
    ranges: [
      [0x0600, 0x06ff],
      [0x0750, 0x077f],
      [0x0870, 0x08ff],
      [0xfb50, 0xfdff],
      [0xfe70, 0xfefc],
    ],
    rtl: true,
  },
  {
    tag: "Syrc",
    fallbackId: "noto-sans-syriac",
    ranges: [
      [0x0700, 0x074f],
      [0x0860, 0x086f],
    ],
    rtl: true,
    // Comma, semicolon, question mark, tatweel, and the Arabic vowel marks Garshuni and Syriac use.
    shared: /[\u060c\u061b\u061f\u0640\u064b-\u0655\u0670]/u,
  },
  {
    tag: "Thaa",
    fallbackId: "noto-sans-thaana",
    ranges: [[0x0780, 0x07bf]],
    rtl: true,
    shared: /[\u060c\u061b\u061f]/u, // Dhivehi writes the Arabic comma, semicolon and question mark
  },
  {
    tag: "Nkoo",
    fallbackId: "noto-sans-nko",
    ranges: [[0x07c0, 0x07ff]],
    rtl: true,
    shared: /[\u060c\u061b\u061f]/u,
  },
  {
    tag: "Adlm",
    fallbackId: "noto-sans-adlam",
    ranges: [[0x1e900, 0x1e95f]],
    rtl: true,
    shared: /[\u061f\u0640]/u, // question mark, tatweel
  },
  {
    tag: "Rohg",
    fallbackId: "noto-sans-hanifi-rohingya",
    ranges: [[0x10d00, 0x10d3f]],
    rtl: true,
    shared: /[\u060c\u061b\u061f\u0640\u06d4]/u, // comma, semicolon, question mark, tatweel, full stop
  },
  // Vowel signs and the killer (apun iyek) form clusters with their consonant.
  {
    tag: "Mtei",
    fallbackId: "noto-sans-meetei-mayek",
    ranges: [
      [0xaae0, 0xaaf6],
      [0xabc0, 0xabff],
    ],
  },
];

const DEVANAGARI = COMPLEX_SCRIPTS[0]!;
const DANDA = /[\u0964\u0965]/u;
/** Zero-width (non-)joiners steer conjunct forms, so they stay inside the run they sit in. */
const JOINER = /[\u200c\u200d]/u;

const classOf = (scripts: readonly ComplexScript[]) =>
  new RegExp(
    `[${scripts
      .flatMap((s) => s.ranges)
      .map(([lo, hi]) => `\\u{${lo.toString(16)}}-\\u{${hi.toString(16)}}`)
      .join("")}]`,
    "u",
  );

const ANY_COMPLEX = classOf(COMPLEX_SCRIPTS);
const ANY_UNSPACED = classOf(COMPLEX_SCRIPTS.filter((s) => s.unspaced));

export const hasComplexScript = (text: string): boolean => ANY_COMPLEX.test(text);
export const hasUnspacedScript = (text: string): boolean => ANY_UNSPACED.test(text);

/** Letters only Sindhi writes among the languages in Arabic script (ٻ ڄ ڪ ڳ ۾, ...). */
const SINDHI =
  /[\u067a\u067b\u067d\u067f\u0680\u0683\u0684\u0687\u068a\u068c-\u068f\u0699\u06a6\u06aa\u06b1\u06b3\u06bb\u06fe]/u;
/** Letters Urdu (and its neighbours) write and Arabic and Persian do not (ٹ ڈ ڑ ں ہ ے). */
const URDU = /[\u0679\u0688\u0691\u06ba\u06c1\u06c2\u06d2\u06d3]/u;

/**
 * The language of a title's Arabic-script text, where the font draws it differently (Urdu's and
 * Sindhi's forms of the digits 4, 6 and 7, Sindhi's heh), told by the letters only that language
 * uses; undefined for Arabic, Persian and the rest, which share the default forms.
 */
export function arabicScriptLanguage(title: string): "ur" | "sd" | undefined {
  if (SINDHI.test(title)) return "sd";
  if (URDU.test(title)) return "ur";
  return undefined;
}

/*
 * Numbers read left to right in right-to-left text too. Decimal digits by bidi class: Arabic-Indic
 * and Hanifi Rohingya digits are AN, the others EN, except N'Ko's and Adlam's, which are right-to-left
 * letters. A separator between two digits joins the number (rule W4: "12:30", "2024-2025"), and so
 * do a currency, percent, per mille, degree or number sign next to European digits (W5), and a
 * keycap mark. After Arabic letters, European digits count as Arabic ones (W2): only the common
 * separators join them ("50%" there is the number 50 and a sign, drawn on its left).
 */
const AN_DIGIT = String.raw`[\u0660-\u0669\u{10d30}-\u{10d39}]`;
const EN_DIGIT = String.raw`(?![\u0660-\u0669\u07c0-\u07c9\u{10d30}-\u{10d39}\u{1e950}-\u{1e959}])\p{Nd}(?:\ufe0f?\u20e3)?`;
const TERMINATOR = String.raw`[#%\u00b0\u066a\u2030\u2031\p{Sc}]`;
const NUMBER =
  String.raw`(?:${TERMINATOR}*${EN_DIGIT}(?:[-+.,:/]?${EN_DIGIT})*${TERMINATOR}*` +
  String.raw`|${AN_DIGIT}(?:[.,:/\u060c\u066b\u066c]?${AN_DIGIT})*)`;
/** Numbers, with the separators and signs that belong to them. */
export const NUMBERS = new RegExp(NUMBER, "gu");
const DIGIT = String.raw`(?:${AN_DIGIT}|${EN_DIGIT})`;
/** Numbers after Arabic letters (W2), with their separators. */
export const ARABIC_NUMBERS = new RegExp(String.raw`${DIGIT}(?:[.,:/\u060c\u066b\u066c]?${DIGIT})*`, "gu");
const WHOLE_NUMBER = new RegExp(`^${NUMBER}$`, "u");
export const isNumber = (text: string): boolean => WHOLE_NUMBER.test(text);

/**
 * The script a character is shaped in, given the script of the run before it: joiners, and the
 * characters a script shares with another block, stay in that run; the dandas, which Bengali,
 * Tamil and the others use as their full stop but Unicode encodes once in the Devanagari block,
 * are drawn in that run's font when it has them.
 */
export function scriptOf(ch: string, previous: ComplexScript | null): ComplexScript | null {
  if (JOINER.test(ch) || previous?.shared?.test(ch)) return previous;
  if (DANDA.test(ch)) return previous?.dandas ? previous : DEVANAGARI;
  const cp = ch.codePointAt(0)!;
  return COMPLEX_SCRIPTS.find((s) => s.ranges.some(([lo, hi]) => cp >= lo && cp <= hi)) ?? null;
}
