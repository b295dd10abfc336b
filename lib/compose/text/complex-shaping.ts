/**
 * Indic, Thai, Lao, Myanmar, Khmer and the right-to-left scripts need a real OpenType shaper
 * (conjuncts, reordered and split vowel signs, reph, below-base forms, stacked marks, joining
 * forms and ligatures, marks on their anchors), which opentype.js 1.3.4 lacks: runs of
 * these scripts (complex-scripts.ts) are shaped with HarfBuzz (WebAssembly) in the script's fallback
 * font. HarfBuzz is imported only when a title contains such a script, so Latin titles never load
 * it; glyph outlines still come from the opentype.js parse of the same file, which the rasterizer
 * already draws.
 */
import type { Font } from "opentype.js";
import { FALLBACK_FONTS } from "@/lib/catalog/fonts";
import { hasComplexScript, isNumber, scriptOf, type ComplexScript } from "./complex-scripts";
import { loadFontFile, readFontFile } from "./font-loader";
import type { Cluster, ShapedGlyph } from "./shape";
import { woffToSfnt } from "./woff";

export { hasComplexScript } from "./complex-scripts";

type HarfBuzz = typeof import("harfbuzzjs");

let hb: HarfBuzz | null = null;
let loading: Promise<HarfBuzz> | null = null;

/**
 * Loads the shaper when `text` needs it. Layout is synchronous and WebAssembly loads
 * asynchronously, so every entry point that lays out user text awaits this first.
 */
export async function prepareShaping(text: string): Promise<void> {
  if (hb || !hasComplexScript(text)) return;
  loading ??= import("harfbuzzjs");
  try {
    hb = await loading;
  } catch (err) {
    loading = null;
    throw err;
  }
}

interface ScriptShaper {
  hbFont: InstanceType<HarfBuzz["Font"]>;
  font: Font;
  em: number;
}

const shapers = new Map<string, ScriptShaper>();
let buffer: InstanceType<HarfBuzz["Buffer"]> | null = null;

function shaperFor(script: ComplexScript, lib: HarfBuzz): ScriptShaper {
  let shaper = shapers.get(script.tag);
  if (!shaper) {
    const file = FALLBACK_FONTS.find((f) => f.id === script.fallbackId)!.files[0];
    const face = new lib.Face(new lib.Blob(woffToSfnt(readFontFile(file))));
    const font = loadFontFile(file);
    shaper = { hbFont: new lib.Font(face), font, em: face.upem };
    shapers.set(script.tag, shaper);
  }
  return shaper;
}

export interface Run {
  text: string;
  script: ComplexScript | null;
}

/**
 * Splits text into maximal runs of one complex script and runs of everything else; `context` is the
 * script of the text just before it, if any (a Syriac word's Arabic comma, cut off, stays Syriac).
 */
export function complexRuns(text: string, context: ComplexScript | null = null): Run[] {
  const runs: Run[] = [];
  for (const ch of text) {
    const last = runs[runs.length - 1];
    const script = scriptOf(ch, last ? last.script : context);
    if (last && last.script === script) last.text += ch;
    else runs.push({ text: ch, script });
  }
  return runs;
}

const graphemes = new Intl.Segmenter("und", { granularity: "grapheme" });

/**
 * Shapes one run into clusters the line breaker may never split: a cluster boundary is a grapheme
 * boundary at which a HarfBuzz cluster also starts, so a conjunct (क्ष, க்ஷ), a consonant with its
 * marks or a reordered vowel sign (कि, கொ) stays whole. Joined letters are clusters of their own (a
 * word broken only where it cannot fit keeps each letter's joined form). Offsets and advances come
 * from HarfBuzz. Clusters come back in logical order, each drawn left to right from its own origin;
 * a right-to-left run's clusters are put in visual order by the layout, as all RTL text is.
 * `language` is the title's language where the script's font has forms for it (arabicScriptLanguage).
 */
export function shapeComplexRun(run: Run, missing: Set<string>, language?: string): Cluster[] {
  if (!run.script) throw new Error("shapeComplexRun: run has no complex script");
  if (!hb) {
    throw new Error(
      `${run.script.tag} text needs the shaper: await prepareShaping(title) before laying it out`,
    );
  }
  const shaper = shaperFor(run.script, hb);
  buffer ??= new hb.Buffer();
  buffer.reset();
  buffer.addText(run.text);
  // Arabic-Indic digits belong to the Arabic run but read left to right (shape.ts splits them out).
  const rtl = run.script.rtl && !isNumber(run.text);
  buffer.setDirection(rtl ? hb.Direction.RTL : hb.Direction.LTR);
  buffer.setScript(run.script.tag);
  if (language && run.script.tag === "Arab") buffer.setLanguage(language);
  hb.shape(shaper.hbFont, buffer);
  const infos = buffer.getGlyphInfos();
  const positions = buffer.getGlyphPositions();

  const starts = new Set(infos.map((g) => g.cluster));
  const bounds: number[] = [];
  for (const { index } of graphemes.segment(run.text)) {
    const before = run.text[index - 1];
    if (index === 0 || (starts.has(index) && !(before && run.script.leading?.test(before))))
      bounds.push(index);
  }
  bounds.push(run.text.length);
  /** The cluster (index into bounds) a HarfBuzz cluster value falls in: the last bound at or before it. */
  const unitOf = (cluster: number) => {
    let lo = 0;
    let hi = bounds.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bounds[mid]! <= cluster) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  // HarfBuzz returns glyphs in visual order, in which each cluster's glyphs are contiguous
  // (monotone cluster values): a cluster's origin is the pen at its first, leftmost glyph.
  const { font, em } = shaper;
  const units = new Map<number, { glyphs: ShapedGlyph[]; origin: number; advance: number }>();
  let pen = 0;
  infos.forEach((info, i) => {
    const k = unitOf(info.cluster);
    const pos = positions[i]!;
    let unit = units.get(k);
    if (!unit) units.set(k, (unit = { glyphs: [], origin: pen, advance: 0 }));
    unit.glyphs.push({
      font,
      glyph: font.glyphs.get(info.codepoint),
      dx: (pen - unit.origin + pos.xOffset) / em,
      dy: pos.yOffset / em,
    });
    unit.advance += pos.xAdvance;
    pen += pos.xAdvance;
  });
  return [...units.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, { glyphs, advance }]) => {
      if (glyphs.some((g) => g.glyph.index === 0)) missing.add(run.text.slice(bounds[k], bounds[k + 1]));
      return { glyphs, advance: advance / em };
    });
}
