/**
 * Where a line may break inside a space-separated word: after hyphens and slashes, before and
 * after a markup tag, and between Chinese, Japanese, Thai, Lao, Khmer and Myanmar words. Each piece
 * is made of whole grapheme clusters.
 */
import { hasUnspacedScript } from "./complex-scripts";

/** Han, kana and their punctuation (Hangul is written with spaces). */
/** Kana-only Japanese words (particles, endings: の, を, から) stay with the word before them. */
const PARTICLE = /^[\u3041-\u309f]+$/u;
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u{20000}-\u{3ffff}]/u;
const BREAK_AFTER = /[-/\u2013\u2014]/u;
const OPENING = /^[\p{Ps}\p{Pi}]+$/u;
const WORDY = /[\p{L}\p{N}]/u;

const graphemes = new Intl.Segmenter("und", { granularity: "grapheme" });
// ICU picks its dictionary by script, so this one segmenter finds Lao, Khmer, Myanmar, Chinese and
// Japanese words too.
const dictionaryWords = new Intl.Segmenter("th", { granularity: "word" });

/** The pieces of one space-separated word, in order; a line may start at any of them. */
export function linePieces(word: string): string[] {
  return dictionaryPieces(word).flatMap(breakPieces);
}

/**
 * Chinese, Japanese, Thai, Lao, Khmer and Myanmar write no spaces between words: ICU's dictionary
 * finds the break opportunities (so 日本語 and 学ぶ stay whole), as does a zero-width space typed
 * as a hint. Punctuation sticks to the word before it (an opening bracket or quote to the word
 * after it), so no line starts with 。 or ends with 「; a Japanese particle sticks to the word
 * before it.
 */
function dictionaryPieces(word: string): string[] {
  if (!hasUnspacedScript(word) && !CJK.test(word)) return [word];
  if (word.includes("\u200b")) return word.split("\u200b").flatMap(dictionaryPieces);
  const pieces: string[] = [];
  let carry = "";
  for (const { segment, isWordLike } of dictionaryWords.segment(word)) {
    if (!isWordLike && OPENING.test(segment)) carry += segment;
    else if ((!isWordLike || PARTICLE.test(segment)) && pieces.length > 0 && !carry)
      pieces[pieces.length - 1] += segment;
    else {
      pieces.push(carry + segment);
      carry = "";
    }
  }
  if (carry) pieces.push(carry);
  return pieces;
}

/** Splits a word into pieces that may start a new line: after hyphens/slashes and around tags. */
function breakPieces(word: string): string[] {
  const pieces: string[] = [];
  let current = "";
  const segments = [...graphemes.segment(word)].map((g) => g.segment);
  segments.forEach((segment, i) => {
    const next = segments[i + 1] ?? "";
    // Markup: a tag starts a piece ("bold</b>" breaks before "</b>", never after its "</").
    if (segment === "<" && /^[\p{L}/!]/u.test(next) && WORDY.test(current)) {
      pieces.push(current);
      current = "";
    }
    current += segment;
    // A hyphen or slash before a digit holds: "2024-2025", "COVID-19", "1/2" (UAX #14, LB25); so
    // do the slash of "</" and "/>" and the hyphens of "->" and "-->".
    const held =
      (/^[-/]$/u.test(segment) && /^\p{Nd}/u.test(next)) ||
      (segment === "/" && (segments[i - 1] === "<" || next === ">")) ||
      (segment === "-" && (next === ">" || next === "-"));
    if ((BREAK_AFTER.test(segment) || (segment === ">" && next)) && !held && WORDY.test(current)) {
      pieces.push(current);
      current = "";
    }
  });
  if (current) pieces.push(current);
  return pieces;
}
