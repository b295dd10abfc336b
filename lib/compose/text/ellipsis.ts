/**
 * The ellipsis that ends a title cut short. Punctuation that only leads into the text cut away (a
 * dash, comma, colon, an opening bracket or quote) would dangle before it ("Scale —…"), so it goes
 * first; sentence ends and closing marks stay ("Why?…", "(2026)…").
 */
import type { FontChain } from "./font-loader";
import { shapeClusters, type ShapedText, type Token } from "./shape";

export function lineWidth(tokens: readonly Token[], space: number): number {
  return tokens.reduce((w, t, i) => w + t.width + (i > 0 && t.spaceBefore ? space : 0), 0);
}

/** Dashes, connectors, opening brackets and quotes, and separators that lead on to more text. */
const DANGLING = /^[\p{Pd}\p{Pc}\p{Ps}\p{Pi},;:/\\&+|·•]$/u;

/** Whether a cluster draws only a dangling mark (by its glyphs' code points, as the fonts map them). */
function dangles(cluster: Token["clusters"][number]): boolean {
  if (cluster.glyphs.length !== 1) return false;
  const unicodes = cluster.glyphs[0]!.glyph.unicodes;
  return unicodes.length > 0 && unicodes.every((u) => DANGLING.test(String.fromCodePoint(u)));
}

/** Drops dangling clusters from the end of the line, whole tokens included, keeping at least one cluster. */
function trimDangling(line: Token[]): Token[] {
  const out = [...line];
  for (;;) {
    const last = out[out.length - 1]!;
    let keep = last.clusters.length;
    while (keep > 0 && dangles(last.clusters[keep - 1]!)) keep--;
    if (keep === last.clusters.length) return out;
    if (keep === 0) {
      if (out.length === 1) return out; // nothing but punctuation: draw it rather than nothing
      out.pop();
      continue;
    }
    const clusters = last.clusters.slice(0, keep);
    const removed = last.clusters.length - keep;
    const ends =
      last.ends && removed <= last.ends.trail
        ? { ...last.ends, trail: last.ends.trail - removed }
        : undefined;
    out[out.length - 1] = {
      ...last,
      clusters,
      width: clusters.reduce((w, c) => w + c.advance, 0),
      ends,
    };
    return out;
  }
}

/** Cuts the last line so that it ends in an ellipsis inside the box width. */
export function withEllipsis(line: Token[], shaped: ShapedText, chain: FontChain, width: number): Token[] {
  const missing = new Set<string>();
  let clusters = shapeClusters("\u2026", chain, missing);
  if (missing.size > 0) clusters = shapeClusters("...", chain, missing);
  const ellipsis: Token = {
    clusters,
    width: clusters.reduce((w, c) => w + c.advance, 0),
    spaceBefore: false,
    strong: "neutral",
    numeric: false,
  };
  const out = [...line];
  while (out.length > 1 && lineWidth(out, shaped.spaceWidth) + ellipsis.width > width) out.pop();
  const last = out[out.length - 1];
  if (last && lineWidth(out, shaped.spaceWidth) + ellipsis.width > width) {
    const room = width - ellipsis.width - lineWidth(out.slice(0, -1), shaped.spaceWidth);
    const kept: typeof last.clusters = [];
    let w = 0;
    for (const c of last.clusters) {
      if (w + c.advance > room && kept.length > 0) break;
      kept.push(c);
      w += c.advance;
    }
    out[out.length - 1] = { ...last, clusters: kept, width: w, ends: undefined };
  }
  ellipsis.strong = shaped.direction === "rtl" ? "rtl" : "ltr";
  return [...trimDangling(out), ellipsis];
}
