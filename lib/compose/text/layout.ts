import type { Font, Glyph } from "opentype.js";
import type { FontId } from "@/lib/catalog/fonts";
import type { TextAlign } from "@/lib/catalog/templates";
import { bidiRuns, visualClusters, visualOrder } from "./bidi";
import { lineWidth, withEllipsis } from "./ellipsis";
import { clashSpacing, type InkBand } from "./line-clash";
import { fontChain, type FontChain } from "./font-loader";
import { glyphBox, shapeClusters, shapeText, type Cluster, type ShapedText, type Token } from "./shape";
import { wrapTokens } from "./wrap";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutOptions {
  box: Box;
  maxLines: number;
  /** Largest and smallest font size in px; the largest size whose wrap fits the box wins. */
  maxSize: number;
  minSize: number;
  /** Distance between baselines as a multiple of the font size. */
  lineHeight: number;
  align: TextAlign;
  valign?: "top" | "middle" | "bottom";
}

export interface PlacedGlyph {
  font: Font;
  glyph: Glyph;
  x: number;
  /** The glyph's own baseline: the line's, raised by any shaping offset (marks). */
  baseline: number;
  size: number;
}

export interface TextLine {
  x: number;
  baseline: number;
  width: number;
  glyphs: PlacedGlyph[];
}

export interface TextLayout {
  size: number;
  lines: TextLine[];
  direction: "ltr" | "rtl";
  /** The block the lines occupy (cap height of the first line to descent of the last). */
  block: Box;
  /** Union of glyph outlines, in px. */
  ink: Box;
  truncated: boolean;
  missing: string[];
}

type Hyphen = () => Cluster | null;

function fitSize(
  shaped: ShapedText,
  opts: LayoutOptions,
  m: { capHeight: number; descent: number },
  hyphen: Hyphen,
) {
  const blockHeight = (lines: number, size: number) =>
    (m.capHeight + m.descent + (lines - 1) * opts.lineHeight) * size;
  const step = Math.max(1, Math.round(opts.maxSize * 0.03));
  for (const allowBreak of [false, true]) {
    for (let size = opts.maxSize; size >= opts.minSize; size -= step) {
      const width = opts.box.width / size;
      const lines = wrapTokens(shaped.tokens, shaped.spaceWidth, width, allowBreak, hyphen);
      if (lines && lines.length <= opts.maxLines && blockHeight(lines.length, size) <= opts.box.height) {
        return { size, lines: balance(shaped, width, lines.length, allowBreak, hyphen), truncated: false };
      }
    }
  }
  const size = opts.minSize;
  const byHeight = Math.floor((opts.box.height / size - m.capHeight - m.descent) / opts.lineHeight) + 1;
  const maxLines = Math.max(1, Math.min(opts.maxLines, byHeight));
  const lines = wrapTokens(shaped.tokens, shaped.spaceWidth, opts.box.width / size, true, hyphen)!;
  return { size, lines: lines.slice(0, maxLines), truncated: lines.length > maxLines };
}

/** Narrows the wrap width while the line count holds, so lines come out even (no lone last word). */
function balance(
  shaped: ShapedText,
  width: number,
  count: number,
  allowBreak: boolean,
  hyphen: Hyphen,
): Token[][] {
  let best = wrapTokens(shaped.tokens, shaped.spaceWidth, width, allowBreak, hyphen)!;
  if (count < 2) return best;
  let lo = width * 0.4;
  let hi = width;
  for (let i = 0; i < 12; i++) {
    const mid = (lo + hi) / 2;
    const lines = wrapTokens(shaped.tokens, shaped.spaceWidth, mid, allowBreak, hyphen);
    if (lines && lines.length === count) {
      best = lines;
      hi = mid;
    } else lo = mid;
  }
  return best;
}

/**
 * The title face's metrics place baselines; marks of the complex scripts reach above its cap
 * height and below its descent, so a title using them reserves room for their ink and spaces lines
 * so a vowel sign under one line cannot touch a mark over the next.
 */
function lineMetrics(shaped: ShapedText, chain: FontChain, lineHeight: number) {
  const face = chain.metrics();
  const ink = shaped.complexInk;
  if (!ink) return { metrics: face, lineHeight };
  return {
    metrics: { capHeight: Math.max(face.capHeight, ink.above), descent: Math.max(face.descent, ink.below) },
    lineHeight: Math.max(lineHeight, ink.above + ink.below),
  };
}

const hyphens = new WeakMap<FontChain, Cluster | null>();

/** The title face's hyphen, shaped once per font chain, for words cut across lines. */
function hyphenCluster(chain: FontChain): Cluster | null {
  let hyphen = hyphens.get(chain);
  if (hyphen === undefined) {
    const missing = new Set<string>();
    hyphen = shapeClusters("-", chain, missing)[0] ?? null;
    if (missing.size > 0) hyphen = null;
    hyphens.set(chain, hyphen);
  }
  return hyphen;
}

export function layoutText(title: string, fontId: FontId, opts: LayoutOptions): TextLayout {
  const chain = fontChain(fontId);
  const shaped = shapeText(title, chain);
  if (shaped.tokens.length === 0) throw new Error("title has no drawable characters");
  const { metrics, lineHeight } = lineMetrics(shaped, chain, opts.lineHeight);
  const layout = place(shaped, chain, { ...opts, lineHeight }, metrics);
  // Ink of one line touching the next (swash capitals): fitted again once, with the lines spaced
  // apart by what that takes.
  const extra = layout.clash;
  if (extra > 0) return place(shaped, chain, { ...opts, lineHeight: lineHeight + extra }, metrics).layout;
  return layout.layout;
}

function place(
  shaped: ShapedText,
  chain: FontChain,
  opts: LayoutOptions,
  metrics: { capHeight: number; descent: number },
): { layout: TextLayout; clash: number } {
  const fit = fitSize(shaped, opts, metrics, () => hyphenCluster(chain));
  const { size } = fit;
  const lines = fit.truncated
    ? [
        ...fit.lines.slice(0, -1),
        withEllipsis(fit.lines[fit.lines.length - 1]!, shaped, chain, opts.box.width / size),
      ]
    : fit.lines;
  const blockHeight = (metrics.capHeight + metrics.descent + (lines.length - 1) * opts.lineHeight) * size;
  const slack = opts.box.height - blockHeight;
  const valign = opts.valign ?? "middle";
  const top = opts.box.y + (valign === "top" ? 0 : valign === "bottom" ? slack : slack / 2);
  const ink = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
  // Levels over the whole title (a paragraph), lines reordered one by one.
  const resolved = bidiRuns(lines.flat(), shaped.direction);
  let first = 0;
  const bands: InkBand[] = [];
  const placed: TextLine[] = lines.map((tokens, row) => {
    const runs = resolved
      .slice(first, (first += tokens.length))
      .flat()
      .filter((r, i) => !(i === 0 && r.space));
    const width = lineWidth(tokens, shaped.spaceWidth) * size;
    const baseline = top + (metrics.capHeight + row * opts.lineHeight) * size;
    const free = opts.box.width - width;
    const startsRight = opts.align === "start" && shaped.direction === "rtl";
    const x = opts.box.x + (opts.align === "center" ? free / 2 : startsRight ? free : 0);
    const order = visualOrder(runs.map((r) => r.level));
    const glyphs: PlacedGlyph[] = [];
    const band = { top: Infinity, bottom: -Infinity };
    let cursor = x;
    for (const ri of order) {
      if (runs[ri]!.space) cursor += shaped.spaceWidth * size;
      for (const cluster of visualClusters(runs[ri]!)) {
        for (const g of cluster.glyphs) {
          const gx = cursor + g.dx * size;
          const gy = g.dy ? baseline - g.dy * size : baseline;
          glyphs.push({ font: g.font, glyph: g.glyph, x: gx, baseline: gy, size });
          const b = glyphBox(g.glyph);
          const s = size / g.font.unitsPerEm;
          if (b.x2 > b.x1) {
            ink.x1 = Math.min(ink.x1, gx + b.x1 * s);
            ink.x2 = Math.max(ink.x2, gx + b.x2 * s);
            band.top = Math.min(band.top, gy - b.y2 * s);
            band.bottom = Math.max(band.bottom, gy - b.y1 * s);
          }
        }
        cursor += cluster.advance * size;
      }
    }
    bands.push(band);
    ink.y1 = Math.min(ink.y1, band.top);
    ink.y2 = Math.max(ink.y2, band.bottom);
    return { x, baseline, width, glyphs };
  });
  const inkBox = Number.isFinite(ink.x1)
    ? { x: ink.x1, y: ink.y1, width: ink.x2 - ink.x1, height: ink.y2 - ink.y1 }
    : { x: opts.box.x, y: top, width: 0, height: 0 };
  const blockX = Math.min(...placed.map((l) => l.x));
  const layout = {
    size,
    lines: placed,
    direction: shaped.direction,
    block: { x: blockX, y: top, width: Math.max(...placed.map((l) => l.width)), height: blockHeight },
    ink: inkBox,
    truncated: fit.truncated,
    missing: shaped.missing,
  };
  return { layout, clash: placed.length > 1 ? clashSpacing(placed, bands, size) : 0 };
}
