import type { Token } from "./shape";

/** Splits an over-long token into pieces no wider than `width` (at least one cluster each). */
export function splitToken(token: Token, width: number): Token[] {
  const pieces: Token[] = [];
  let clusters: Token["clusters"] = [];
  let w = 0;
  for (const c of token.clusters) {
    if (clusters.length > 0 && w + c.advance > width) {
      pieces.push(piece(token, clusters, w, pieces.length === 0));
      clusters = [];
      w = 0;
    }
    clusters.push(c);
    w += c.advance;
  }
  pieces.push(piece(token, clusters, w, pieces.length === 0));
  return pieces;
}

/** A piece of a token; the token's lead and trail counts (Token.ends) do not carry over to its pieces. */
function piece(token: Token, clusters: Token["clusters"], width: number, first: boolean): Token {
  return { ...token, clusters, width, spaceBefore: first && token.spaceBefore, ends: undefined };
}

/**
 * Greedy line breaking in em units. Returns null when a token is wider than the line and
 * `allowBreak` is off, so the caller can first try smaller sizes before breaking words.
 */
export function wrapTokens(
  tokens: readonly Token[],
  space: number,
  width: number,
  allowBreak: boolean,
): Token[][] | null {
  const lines: Token[][] = [];
  let line: Token[] = [];
  let w = 0;
  const push = (t: Token) => {
    const gap = line.length > 0 && t.spaceBefore ? space : 0;
    if (line.length > 0 && w + gap + t.width > width) {
      lines.push(line);
      line = [];
      w = 0;
    }
    line.push(t);
    w += (line.length > 1 && t.spaceBefore ? space : 0) + t.width;
  };
  for (const token of tokens) {
    if (token.width <= width) {
      push(token);
      continue;
    }
    if (!allowBreak) return null;
    for (const piece of splitToken(token, width)) push(piece);
  }
  if (line.length > 0) lines.push(line);
  return lines;
}
