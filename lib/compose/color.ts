/** WCAG 2.x relative luminance and contrast, and the scrim strength that reaches a target. */
export type Rgb = readonly [number, number, number];

const LINEAR = Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});

export function luminance([r, g, b]: Rgb): number {
  return 0.2126 * LINEAR[Math.round(r)]! + 0.7152 * LINEAR[Math.round(g)]! + 0.0722 * LINEAR[Math.round(b)]!;
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Colour of `under` seen through a layer of `color` at `alpha` (sRGB blending, as we paint). */
export function blend(under: Rgb, color: Rgb, alpha: number): Rgb {
  return [
    under[0] * (1 - alpha) + color[0] * alpha,
    under[1] * (1 - alpha) + color[1] * alpha,
    under[2] * (1 - alpha) + color[2] * alpha,
  ];
}

/**
 * Smallest alpha (≥ minAlpha) for a layer of `scrim` so that `text` reaches `target` contrast
 * against every colour in `worst` once they are seen through the layer. Returns 1 if even an
 * opaque layer cannot reach it (the caller then relies on an opaque scrim of a better colour).
 */
export function scrimAlpha(
  worst: readonly Rgb[],
  text: Rgb,
  scrim: Rgb,
  target: number,
  minAlpha = 0,
): number {
  const ok = (alpha: number) => worst.every((c) => contrastRatio(blend(c, scrim, alpha), text) >= target);
  if (ok(minAlpha)) return minAlpha;
  if (!ok(1)) return 1;
  let lo = minAlpha;
  let hi = 1;
  for (let i = 0; i < 14; i++) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export function hex(color: Rgb): string {
  return `#${color.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
}
