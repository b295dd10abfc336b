import type { Cluster, Token } from "./shape";

/** Letters of the scripts that hyphenate: a forced break between two of them shows a hyphen. */
const HYPHENATING = /^(?=\p{L})[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]$/u;

const hyphenates = (c: Cluster) => {
  const cp = c.glyphs[0]?.glyph.unicode;
  return cp !== undefined && HYPHENATING.test(String.fromCodePoint(cp));
};

/**
 * Splits an over-long token into pieces no wider than `width` (at least one cluster each). It takes
 * as few pieces as the greedy cut does, but evens them out, so no tiny orphan ("SM-") is left over.
 * A piece cut between two Latin, Greek or Cyrillic letters ends in `hyphen`, counted in its width.
 */
export function splitToken(token: Token, width: number, hyphen: Cluster | null = null): Token[] {
  const clusters = token.clusters;
  // soft[i]: a cut before cluster i falls between two letters that hyphenate.
  const soft = hyphen ? clusters.map((c, i) => i > 0 && hyphenates(clusters[i - 1]!) && hyphenates(c)) : null;
  const extra = (i: number) => (soft?.[i] ? hyphen!.advance : 0);
  const cuts = (limit: number): number[] => {
    const at: number[] = [];
    let w = 0;
    let start = 0;
    clusters.forEach((c, i) => {
      const next = i + 1 < clusters.length ? extra(i + 1) : 0;
      if (i > start && w + c.advance + next > limit) {
        at.push(i);
        start = i;
        w = 0;
      }
      w += c.advance;
    });
    return at;
  };
  let best = cuts(width);
  let lo = token.width / (best.length + 1);
  let hi = width;
  for (let i = 0; i < 10 && best.length > 0; i++) {
    const mid = (lo + hi) / 2;
    const at = cuts(mid);
    if (at.length <= best.length) [best, hi] = [at, mid];
    else lo = mid;
  }
  const pieces: Token[] = [];
  let start = 0;
  for (const end of [...best, clusters.length]) {
    const part = clusters.slice(start, end);
    let w = part.reduce((sum, c) => sum + c.advance, 0);
    // A lone cluster too wide for its hyphen keeps the box width rather than the hyphen.
    if (end < clusters.length && soft?.[end] && w + hyphen!.advance <= width) {
      part.push({ glyphs: hyphen!.glyphs, advance: hyphen!.advance });
      w += hyphen!.advance;
    }
    pieces.push(piece(token, part, w, start === 0));
    start = end;
  }
  return pieces;
}

/** A piece of a token; the token's lead and trail counts (Token.ends) do not carry over to its pieces. */
function piece(token: Token, clusters: Token["clusters"], width: number, first: boolean): Token {
  return { ...token, clusters, width, spaceBefore: first && token.spaceBefore, ends: undefined };
}

/**
 * Greedy line breaking in em units. Returns null when a token is wider than the line and
 * `allowBreak` is off, so the caller can first try smaller sizes before breaking words. `hyphen`
 * (asked for only when a word must be cut) gives the cluster that marks such a cut.
 */
export function wrapTokens(
  tokens: readonly Token[],
  space: number,
  width: number,
  allowBreak: boolean,
  hyphen: () => Cluster | null = () => null,
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
    for (const piece of splitToken(token, width, hyphen())) push(piece);
  }
  if (line.length > 0) lines.push(line);
  return lines;
}
