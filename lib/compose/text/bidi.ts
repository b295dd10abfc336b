import type { Token } from "./shape";

/**
 * A reduced Unicode bidi pass at token granularity: embedding levels from each token's strong
 * direction, then rule L2 (reverse runs from the highest level down). Enough for titles mixing
 * Arabic/Hebrew with Latin words and numbers. Brackets and quotes in right-to-left tokens take
 * their mirrored glyphs (rule L4, through `mirrorOf`).
 */
export function tokenLevels(tokens: readonly Token[], direction: "ltr" | "rtl"): number[] {
  const base = direction === "rtl" ? 1 : 0;
  return tokens.map((t) => {
    if (t.strong === "rtl") return 1;
    if (t.strong === "ltr") return base === 1 ? 2 : 0;
    if (t.numeric && base === 1) return 2;
    return base;
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
