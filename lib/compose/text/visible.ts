/**
 * What of a title the compositor draws: the rule the batch schema checks titles against too, so a
 * title the compositor cannot draw is refused before anything is paid for. No imports: the studio
 * form runs the batch schema in the browser.
 */

/** Code points that only steer rendering (joiners, variation selectors, skin tones, bidi marks). */
export function ignorable(cp: number): boolean {
  return (
    cp === 0x200d ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    cp === 0x00ad ||
    (cp >= 0x1f3fb && cp <= 0x1f3ff) ||
    (cp >= 0xe0020 && cp <= 0xe007f)
  );
}

export function normalizeTitle(title: string): string {
  return (
    title
      .normalize("NFC")
      .replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/gu, "")
      // Bidi isolates and the Arabic letter mark: the layout orders words without them.
      .replace(/[\u061c\u2066-\u2069]/gu, "")
      .replace(/\s+/gu, " ")
      .trim()
  );
}

/**
 * True when the compositor has something to draw for `title`: after normalizeTitle drops control
 * characters, a character that is neither a space nor ignorable (shaping skips a cluster made only
 * of those, and layoutText refuses a title with no cluster left).
 */
export function hasVisibleText(title: string): boolean {
  for (const ch of normalizeTitle(title)) {
    const cp = ch.codePointAt(0)!;
    if (cp !== 0x20 && !ignorable(cp)) return true;
  }
  return false;
}
