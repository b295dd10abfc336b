/**
 * Titles the compositor has nothing to draw for (only spaces, control, zero-width, joining, bidi,
 * variation, tag or skin-tone characters), and titles at the edge of that rule that it does draw. The
 * batch schema, composeThumbnail's validation and layoutText must agree on both lists.
 */
export const INVISIBLE_TITLES: string[] = [
  "\u200b\u200b",
  "\u200d",
  "\u202e",
  "\ufe0f",
  "\u00ad",
  "\u2060",
  "\u{e0067}\u{e0062}\u{e007f}",
  "\u{1f3fb}",
  "\u200c",
  "\u0007",
  "\u200e\u200f \ufeff \u001b",
  // Bidi isolates and the Arabic letter mark.
  "\u2066\u2069 \u2067\u2068\u061c",
];

export const VISIBLE_EDGE_TITLES: string[] = [
  "a\u200b",
  "\u200dx\u200d",
  "👍🏽",
  "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
  "e\u0301",
  "\u00a0.\u00a0",
  "\u2067שלום\u2069",
];
