import type { Cluster, Token } from "./shape";

/**
 * A reduced Unicode bidi pass (UAX #9) over a title's tokens (a token is a word or a piece of one).
 * Each token is a strong left-to-right or right-to-left letter run, a number, or neutral
 * (punctuation, emoji); in titles with right-to-left text a token's leading and trailing
 * punctuation is cut off (Token.ends) and resolved on its own, one cluster each, as a neutral.
 * Rules W7 (a number after left-to-right text is left to right), N0 (a bracket pair takes the
 * direction of what it encloses, or of its context), N1/N2 (other neutrals between two runs of one
 * direction take it, the rest the paragraph's; numbers count as right to left there) and I1/I2
 * give the embedding levels, over the whole title as for a paragraph; the layout then reorders each
 * line (L2, visualOrder) and draws right-to-left runs reversed, their brackets and quotes
 * mirrored (L4). Not covered: a word mixing directions other than through numbers.
 */
/** A number is NUM until rule W7 makes it L or EN. */
type Kind = "L" | "R" | "EN" | "N" | "NUM";

/**
 * Clusters of one token drawn at one embedding level (odd: right to left), or the space before a
 * token (no clusters), which is a neutral like any other: "$5 10%" in right-to-left text is two
 * numbers, read right to left, not one.
 */
export interface BidiRun {
  clusters: readonly Cluster[];
  level: number;
  space: boolean;
}

interface Item {
  clusters: readonly Cluster[];
  kind: Kind;
  token: number;
  space: boolean;
  /** A number in Arabic-Indic digits (AN): rule W7 leaves it alone. */
  arabicDigits?: boolean;
}

/** A token cut at its ends: the space before it, its neutral clusters one item each, its core one item. */
function itemsOf(token: Token, index: number, core: Kind): Item[] {
  const { clusters } = token;
  const item = (cs: readonly Cluster[], kind: Kind, space = false): Item => ({
    clusters: cs,
    kind,
    token: index,
    space,
  });
  const items = index > 0 && token.spaceBefore ? [item([], "N", true)] : [];
  const loose = (c: Cluster) => ({
    ...item([c], c.rtl ? "R" : c.number ? "NUM" : "N"),
    arabicDigits: c.number === "an",
  });
  if (core === "N") items.push(...clusters.map(loose));
  else if (!token.ends) items.push({ ...item(clusters, core), arabicDigits: !!token.arabicDigits });
  else {
    const { lead, trail } = token.ends;
    const end = clusters.length - trail;
    items.push(
      ...clusters.slice(0, lead).map(loose),
      { ...item(clusters.slice(lead, end), core), arabicDigits: !!token.arabicDigits },
      ...clusters.slice(end).map(loose),
    );
  }
  return items;
}

/**
 * Each token's runs in logical order, with levels resolved over all of `tokens` (the layout drops
 * the space run of a line's first token: the line break takes that space).
 */
export function bidiRuns(tokens: readonly Token[], direction: "ltr" | "rtl"): BidiRun[][] {
  if (direction === "ltr" && !tokens.some((t) => t.strong === "rtl" || t.ends)) {
    // Nothing right to left: every run is at level 0, in logical order.
    return tokens.map((t, i) => [
      ...(i > 0 && t.spaceBefore ? [{ clusters: [], level: 0, space: true }] : []),
      { clusters: t.clusters, level: 0, space: false },
    ]);
  }
  const base = direction === "rtl" ? 1 : 0;
  const outside: "L" | "R" = base === 1 ? "R" : "L";
  const items = tokens.flatMap((t, i) =>
    itemsOf(t, i, t.strong === "ltr" ? "L" : t.strong === "rtl" ? "R" : t.numeric ? "NUM" : "N"),
  );
  // W7: a number in European digits after left-to-right text (or at the start of a left-to-right
  // title) is left to right.
  let last: Kind = outside;
  const kinds = items.map(({ kind, arabicDigits }) => {
    if (kind === "NUM") return last === "L" && !arabicDigits ? "L" : "EN";
    if (kind !== "N") last = kind;
    return kind;
  });
  // Strong direction as neutrals see it: numbers count as right to left.
  const strongAt = (i: number, step: 1 | -1): "L" | "R" => {
    for (let j = i + step; j >= 0 && j < kinds.length; j += step)
      if (kinds[j] !== "N") return kinds[j] === "L" ? "L" : "R";
    return outside;
  };
  // N0: bracket pairs take the paragraph's direction if they enclose it, else the other one if
  // they enclose it and it is also what comes before them.
  for (const [open, close] of bracketPairs(items)) {
    const inside = new Set<"L" | "R">();
    for (let j = open + 1; j < close; j++) if (kinds[j] !== "N") inside.add(kinds[j] === "L" ? "L" : "R");
    if (inside.size === 0) continue;
    const other = outside === "L" ? "R" : "L";
    const dir = inside.has(outside) ? outside : strongAt(open, -1) === other ? other : outside;
    kinds[open] = kinds[close] = dir;
  }
  // N1/N2.
  const resolved = kinds.map((kind, i) => {
    if (kind !== "N") return kind;
    const before = strongAt(i, -1);
    return before === strongAt(i, 1) ? before : outside;
  });
  const runs: BidiRun[][] = tokens.map(() => []);
  items.forEach((it, i) => {
    const kind = resolved[i]!;
    // A number (EN) is left to right inside whatever surrounds it.
    const level = kind === "L" ? (base === 1 ? 2 : 0) : kind === "R" ? 1 : 2;
    runs[it.token]!.push({ clusters: it.clusters, level, space: it.space });
  });
  return runs;
}

/** BD16: matching bracket pairs among the neutral items, as [opening, closing] indices by opening. */
function bracketPairs(items: readonly Item[]): [number, number][] {
  const stack: { pair: number; at: number }[] = [];
  const pairs: [number, number][] = [];
  for (let i = 0; i < items.length; i++) {
    const bracket = items[i]!.kind === "N" ? items[i]!.clusters[0]?.bracket : undefined;
    if (!bracket) continue;
    if (bracket.open) {
      if (stack.length === 63) break;
      stack.push({ pair: bracket.pair, at: i });
      continue;
    }
    const match = stack.findLastIndex((s) => s.pair === bracket.pair);
    if (match < 0) continue;
    pairs.push([stack[match]!.at, i]);
    stack.length = match;
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

/** A run's clusters left to right: a right-to-left run reversed, its brackets and quotes mirrored. */
export function visualClusters(run: BidiRun): readonly Cluster[] {
  if (run.level % 2 === 0) return run.clusters;
  return [...run.clusters].reverse().map((c) => (c.mirrored ? { ...c, glyphs: c.mirrored } : c));
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

/** Paired brackets (Bidi_Paired_Bracket_Type, BidiBrackets.txt) among the pairs above: not quotes or < >. */
const BRACKETS = "()[]{}⁅⁆⁽⁾₍₎⟨⟩⟦⟧〈〉《》「」『』【】〔〕〖〗〘〙〚〛（）［］｛｝｢｣";
const BRACKET = new Map<number, Cluster["bracket"]>();
for (let i = 0; i < BRACKETS.length; i += 2) {
  const [open, close] = [BRACKETS.codePointAt(i)!, BRACKETS.codePointAt(i + 1)!];
  BRACKET.set(open, { open: true, pair: open }).set(close, { open: false, pair: open });
}

/** Whether `cp` opens or closes a bracket pair (rule N0), and which pair. */
export const bracketOf = (cp: number): Cluster["bracket"] => BRACKET.get(cp);
