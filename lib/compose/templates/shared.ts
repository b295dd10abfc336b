import { contrastRatio, scrimAlpha, type Rgb } from "../color";
import { extremeColors, luminanceSpread } from "../measure";
import { extremeColorsUnderLayer, measureUnderLayer } from "../measure-layer";
import { clip, fillRect, paintRows, type RgbImage } from "../raster";
import type { Box, TextLayout } from "../text/layout";

export const WHITE: Rgb = [255, 255, 255];
export const INK: Rgb = [17, 24, 39];
export const NIGHT: Rgb = [11, 13, 20];
export const ACCENT: Rgb = [250, 184, 20];

/** WCAG AA for body text is 4.5:1; we aim a little higher so JPEG ringing cannot undo it. */
export const TARGET_CONTRAST = 4.5;
const AIM = 4.8;

export function pad(box: Box, dx: number, dy = dx): Box {
  return { x: box.x - dx, y: box.y - dy, width: box.width + 2 * dx, height: box.height + 2 * dy };
}

/** `layout` moved `dx` px to the right (whole pixels keep the glyphs' coverage the same). */
export function shiftLayout(layout: TextLayout, dx: number): TextLayout {
  if (dx === 0) return layout;
  const move = <T extends { x: number }>(o: T): T => ({ ...o, x: o.x + dx });
  return {
    ...layout,
    lines: layout.lines.map((line) => ({ ...move(line), glyphs: line.glyphs.map(move) })),
    block: move(layout.block),
    ink: move(layout.ink),
  };
}

/**
 * Measures the photo under `region`, picks the weakest layer of `layer` colour (not below
 * `minAlpha`) that lifts the text to the target contrast, fills `panel` with it, and reports the
 * contrast the viewer gets. That needs the photo under the panel measured again, which the first
 * pass does ahead for `minAlpha` (see measure-layer.ts); a stronger layer, or a region reaching
 * past the panel, is measured again after painting.
 */
export function paintForContrast(
  img: RgbImage,
  region: Box,
  text: Rgb,
  layer: Rgb,
  minAlpha: number,
  panel: Box,
) {
  const mode =
    contrastRatio(text, [0, 0, 0]) > contrastRatio(text, [255, 255, 255]) ? "brightest" : "darkest";
  const seen = extremeColorsUnderLayer(img, region, mode, 16, layer, a(minAlpha));
  const alpha = scrimAlpha(seen.colors, text, layer, AIM, minAlpha);
  fillRect(img, panel, layer, alpha);
  const inside = contains(clip(img, panel), clip(img, region));
  const after =
    a(alpha) === a(minAlpha) && inside ? seen.after : (extremeColors(img, region, mode, 1)[0] ?? null);
  const contrast = after ? contrastRatio(after, text) : 21;
  return { alpha, contrast };
}

type Area = ReturnType<typeof clip>;
const contains = (outer: Area, inner: Area) =>
  inner.x0 >= inner.x1 ||
  inner.y0 >= inner.y1 ||
  (outer.x0 <= inner.x0 && inner.x1 <= outer.x1 && outer.y0 <= inner.y0 && inner.y1 <= outer.y1);

/** A layer alpha as paintRows turns it into 256ths. */
const a = (alpha: number) => Math.round(Math.min(1, Math.max(0, alpha)) * 256);

export function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/**
 * For templates without a panel: light text over a dark layer, or dark text over a light layer,
 * whichever needs the fainter layer (light text wins ties: it is the house look). The layer is
 * painted over `scrim` at the solved alpha times `profile(y)` (0..1) on row y.
 */
export function paintAdaptive(
  img: RgbImage,
  region: Box,
  minAlpha: number,
  scrim: Box,
  profile: (y: number) => number,
) {
  // WCAG only compares two colours; a busy photo under the title also hurts reading, so the
  // layer gets stronger with the spread of luminance there (stripes, foliage, crowds).
  minAlpha = Math.min(0.8, minAlpha + luminanceSpread(img, region) * 1.2);
  // Light text over the weakest layer is the usual outcome; measure what that layer leaves.
  const painted = clip(img, scrim);
  const rowAlpha = (y: number) => (y >= painted.y0 && y < painted.y1 ? a(minAlpha * profile(y)) : 0);
  const under = measureUnderLayer(img, region, NIGHT, rowAlpha);
  const light = scrimAlpha(under.brightest, WHITE, NIGHT, AIM, minAlpha);
  const dark = scrimAlpha(under.darkest, INK, WHITE, AIM, minAlpha);
  const useDark = dark + 0.15 < light;
  const text = useDark ? INK : WHITE;
  const layer = useDark ? WHITE : NIGHT;
  const alpha = useDark ? dark : light;
  paintRows(img, scrim, layer, (y) => alpha * profile(y));
  // Rows outside the scrim were predicted unpainted (alpha 0), so only its columns must cover the region.
  const area = clip(img, region);
  const guessed = !useDark && alpha === minAlpha && contains({ ...painted, y0: area.y0, y1: area.y1 }, area);
  const after = guessed
    ? under.after
    : (extremeColors(img, region, useDark ? "darkest" : "brightest", 1)[0] ?? null);
  return {
    alpha,
    contrast: after ? contrastRatio(after, text) : 21,
    text: { color: text, shadow: { color: layer, opacity: useDark ? 0.7 : 0.55 } },
  };
}
