/**
 * Text people type, as the app checks it: how many characters it has, and whether the database can
 * hold it. Client-safe (the studio form counts and checks titles as they are typed).
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

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
