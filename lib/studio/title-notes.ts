/**
 * The advice under a title of the studio's list, from what POST /api/fit says of it. Advice only:
 * the batch takes such a title as it is.
 */

/** How the template sets one title. */
export interface TitleFit {
  /** Ends with "…" at the template's smallest size. */
  shortened: boolean;
  /** Characters no shipped font draws: they would show as boxes. */
  missing: string[];
}

/** Characters named in a note; the rest are counted. */
const NAMED = 6;

/** Mathematical Alphanumeric Symbols: the styled letters "fancy text" generators make. */
const styledLetter = (glyph: string) => {
  const cp = glyph.codePointAt(0) ?? 0;
  return cp >= 0x1d400 && cp <= 0x1d7ff;
};

export function missingGlyphsNote(missing: readonly string[]): string {
  const named = missing.slice(0, NAMED).join(" ");
  const more = missing.length > NAMED ? ` and ${missing.length - NAMED} more` : "";
  const boxes = missing.length === 1 ? "it will show as an empty box" : "they will show as empty boxes";
  const styled = missing.some(styledLetter)
    ? " Styled letters (bold, italic, script) from “fancy text” tools are symbols, not letters: type plain ones."
    : "";
  return `No thumbnail font can draw ${named}${more}: ${boxes}.${styled}`;
}

/** The note for a title (undefined: none), naming the template that would shorten it. */
export function titleNote(fit: TitleFit | undefined, templateLabel: string): string | undefined {
  if (!fit) return undefined;
  const notes = [
    fit.shortened ? `Too long for ${templateLabel} at its smallest size: it will end in “…”.` : "",
    fit.missing.length > 0 ? missingGlyphsNote(fit.missing) : "",
  ].filter(Boolean);
  return notes.length > 0 ? notes.join(" ") : undefined;
}
