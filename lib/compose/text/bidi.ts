import type { Token } from "./shape";

/**
 * A reduced Unicode bidi pass at token granularity (a token is a word or a piece of one): each token
 * is a strong left-to-right or right-to-left letter run, a number, or neutral (punctuation, emoji);
 * rules W7 (a number after left-to-right text is left to right), N1/N2 (neutrals between two runs of
 * one direction take it, others the paragraph's; numbers count as right to left there) and I1/I2 give
 * the embedding levels, then rule L2 reverses runs from the highest level down. Enough for titles
 * mixing Arabic/Hebrew with Latin words and numbers. Brackets and quotes in right-to-left tokens take
 * their mirrored glyphs (rule L4, through `mirrorOf`).
 */
export function tokenLevels(tokens: readonly Token[], direction: "ltr" | "rtl"): number[] {
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
    let resolved = type;
    if (type === "N") {
      const before = strongAt(i, -1);
      resolved = before === strongAt(i, 1) ? before : outside;
    }
    if (resolved === "L") return base === 1 ? 2 : 0;
    if (resolved === "R") return 1;
    return 2; // a number: left to right inside whatever surrounds it
  });
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
