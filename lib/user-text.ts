/**
 * Text people type, as the app checks it: how many characters it has, and whether the database can
 * hold it. Client-safe (the studio form counts and checks titles as they are typed).
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * UTF-16 units one character may take on average within a limit: a family emoji takes 11, but a
 * "character" of thousands of stacked accents counts one for charCount and must not pass a limit.
 */
export const MAX_UNITS_PER_CHAR = 8;

/**
 * Why `text` is longer than `max` characters, as the end of a sentence naming it ("title … is 240
 * characters; …"), or null. Also refused: more than MAX_UNITS_PER_CHAR UTF-16 units a character.
 */
export function overLimit(text: string, max: number): string | null {
  const units = `is ${text.length} UTF-16 units long, too many marks or joined characters for ${max} characters`;
  // Far over any limit: not worth segmenting.
  if (text.length > max * MAX_UNITS_PER_CHAR * 8) return units;
  const n = charCount(text);
  if (n > max) return `is ${n} characters; the limit is ${max}`;
  return text.length > max * MAX_UNITS_PER_CHAR ? units : null;
}

/** The characters a person sees: 👍🏽, 🇫🇷 and é (e + accent) count one each, not their UTF-16 units. */
export function charCount(text: string): number {
  // A fast path for text of one UTF-16 unit per character (most titles): no segmenting needed.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  return Array.from(graphemes.segment(text)).length;
}

/** The first `max` characters of `text` (as charCount counts them): never half an emoji. */
export function firstChars(text: string, max: number): string {
  let out = "";
  let n = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (n++ === max) break;
    out += segment;
  }
  return out;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why Postgres cannot store or search `text`, as the end of a sentence naming it ("title 3 …"), or
 * null when it can: it refuses NUL in text and JSON, and an unpaired UTF-16 surrogate in JSON.
 */
export function unstorable(text: string): string | null {
  if (text.includes("\u0000")) return "contains a NUL character (U+0000); remove it";
  if (LONE_SURROGATE.test(text))
    return "contains half of a character (an unpaired UTF-16 surrogate); remove it or type the character again";
  return null;
}
