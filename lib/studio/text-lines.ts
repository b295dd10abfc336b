/** Where line `line` (0-based) of a textarea's text starts and ends, newline left out; past the end, the end. */
export function lineRange(text: string, line: number): [number, number] {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf("\n", start);
    if (next === -1) return [text.length, text.length];
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return [start, end === -1 ? text.length : end];
}

/**
 * Selects line `line` of a focused textarea and scrolls it to the middle of the box: a refused title
 * among 2,000 pasted lines is then where the keyboard is, not somewhere below it.
 */
export function selectLine(box: HTMLTextAreaElement, line: number): void {
  const [start, end] = lineRange(box.value, line);
  box.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(box).lineHeight) || 20;
  box.scrollTop = Math.max(0, line * lineHeight - box.clientHeight / 2);
}
