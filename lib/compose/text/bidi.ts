import type { Cluster, Token } from "./shape";

/**
 * A reduced Unicode bidi pass at token granularity (a token is a word or a piece of one): each token
 * is a strong left-to-right or right-to-left letter run, a number, or neutral (punctuation, emoji);
 * rules W7 (a number after left-to-right text is left to right), N1/N2 (neutrals between two runs of
 * one direction take it, others the paragraph's; numbers count as right to left there) and I1/I2 give
 * the embedding levels, then rule L2 reverses runs from the highest level down. Levels are resolved
 * over the whole title and lines reordered one by one, as the algorithm does for a paragraph. Enough
 * for titles mixing Arabic/Hebrew with Latin words and numbers. Brackets and quotes in right-to-left
 * tokens take their mirrored glyphs (rule L4, through `mirrorOf`).
 */
export interface TokenLevel {
  level: number;
  /** A number's leading and trailing punctuation resolve right to left (N1: R on that side). */
  rtlEnds: { lead: boolean; trail: boolean };
}

export function tokenLevels(tokens: readonly Token[], direction: "ltr" | "rtl"): TokenLevel[] {
  const base = direction === "rtl" ? 1 : 0;
  const outside = base === 1 ? "R" : "L";
  let last = outside;
  // L, R, EN (a number not after left-to-right text) or N (neutral).
  const types = tokens.map((t) => {
    if (t.strong !== "neutral") return (last = t.strong === "ltr" ? "L" : "R");
    if (t.numeric) return last === "L" ? "L" : "EN";
    return "N";
  });
  const strongAt = (i: number, step: 1 | -1) => {
    for (let j = i + step; j >= 0 && j < types.length; j += step)
      if (types[j] !== "N") return types[j] === "L" ? "L" : "R";
    return outside;
  };
  return types.map((type, i) => {
    const before = strongAt(i, -1);
    const after = strongAt(i, 1);
    const resolved = type === "N" ? (before === after ? before : outside) : type;
    const rtlEnds = { lead: type === "EN" && before === "R", trail: type === "EN" && after === "R" };
    // A number (EN) is left to right inside whatever surrounds it.
    const level = resolved === "L" ? (base === 1 ? 2 : 0) : resolved === "R" ? 1 : 2;
    return { level, rtlEnds };
  });
}

/**
 * A token's clusters left to right, each with the glyphs to draw: a right-to-left token reversed,
 * its brackets mirrored; a number's punctuation moved to the side right-to-left text puts it (so
 * "2026!" in Arabic draws the "!" left of the number).
 */
export function visualClusters(token: Token, { level, rtlEnds }: TokenLevel): Cluster[] {
  const flip = (cs: readonly Cluster[]) =>
    [...cs].reverse().map((c) => (c.mirrored ? { ...c, glyphs: c.mirrored } : c));
  if (level % 2 === 1) return flip(token.clusters);
  const { ends, clusters } = token;
  if (!ends || !(rtlEnds.lead || rtlEnds.trail)) return clusters;
  const lead = clusters.slice(0, ends.lead);
  const trail = clusters.slice(clusters.length - ends.trail);
  const number = clusters.slice(ends.lead, clusters.length - ends.trail);
  return [
    ...(rtlEnds.trail ? flip(trail) : []),
    ...(rtlEnds.lead ? [] : lead),
    ...number,
    ...(rtlEnds.trail ? [] : trail),
    ...(rtlEnds.lead ? flip(lead) : []),
  ];
}

/** Indices of `levels` in visual (left-to-right) order. */
export function visualOrder(levels: readonly number[]): number[] {
  const order = levels.map((_, i) => i);
  const max = Math.max(0, ...levels);
  const minOdd = levels.filter((l) => l % 2 === 1).reduce((a, b) => Math.min(a, b), Infinity);
  for (let level = max; level >= minOdd && level > 0; level--) {
    let i = 0;
    while (i < order.length) {
      if (levels[order[i]!]! < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < order.length && levels[order[j]!]! >= level) j++;
      order.splice(i, j - i, ...order.slice(i, j).reverse());
      i = j;
    }
  }
  return order;
}

/** Bidi_Mirroring_Glyph pairs of the brackets, quotes and comparisons titles use (BidiMirroring.txt). */
const PAIRS = "()[]{}<>«»‹›⁅⁆⁽⁾₍₎≤≥⟨⟩⟦⟧〈〉《》「」『』【】〔〕〖〗〘〙〚〛（）［］｛｝＜＞｢｣";
const MIRRORS = new Map<number, number>();
for (let i = 0; i < PAIRS.length; i += 2) {
  const [a, b] = [PAIRS.codePointAt(i)!, PAIRS.codePointAt(i + 1)!];
  MIRRORS.set(a, b).set(b, a);
}

/** The code point drawn for `cp` at a right-to-left level, if it has a mirror image. */
export const mirrorOf = (cp: number): number | undefined => MIRRORS.get(cp);
