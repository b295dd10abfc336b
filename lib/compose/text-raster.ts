import type { CanvasSize } from "@/lib/catalog/canvases";
import type { TextLayout } from "./text/layout";
import { blurMask, type HalfMask } from "./text/blur";
import { rasterizeLayout } from "./text/rasterize";
import { inkSpansWasm } from "./wasm/ink-spans";
import { kernels } from "./wasm/runtime";

export interface ShadowGeometry {
  blur: number;
  dy: number;
}

/** Coverage masks (one byte per pixel) for the glyphs and, optionally, their blurred shadow. */
export interface TextMasks {
  glyphs: Buffer;
  /** The blurred shadow at half size (see HalfMask), drawn `shadowDy` px lower. */
  shadow: HalfMask | null;
  shadowDy: number;
  /** Per row, the columns [from, to) where glyphs or shadow have any coverage. */
  spans: Int32Array;
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Region around the ink (plus shadow room), clipped to the canvas: all we ever rasterize. */
export function textRegion(layout: TextLayout, canvas: CanvasSize, shadow?: ShadowGeometry) {
  const margin = Math.ceil(2 + (shadow ? shadow.blur * 3 + shadow.dy : 0));
  const left = Math.max(0, Math.floor(layout.ink.x - margin));
  const top = Math.max(0, Math.floor(layout.ink.y - margin));
  const right = Math.min(canvas.width, Math.ceil(layout.ink.x + layout.ink.width + margin));
  const bottom = Math.min(canvas.height, Math.ceil(layout.ink.y + layout.ink.height + margin));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

/**
 * Rasterizes the title's outlines at region size into coverage masks, so the template can choose
 * the colour after it has measured the photo; the compositor runs this while the photo decodes.
 * The shadow is the mask blurred and drawn `dy` px lower.
 */
export function rasterizeText(layout: TextLayout, canvas: CanvasSize, shadow?: ShadowGeometry): TextMasks {
  const region = textRegion(layout, canvas, shadow);
  const glyphs = rasterizeLayout(layout, region.left, region.top, region.width, region.height);
  const blurred = shadow ? blurMask(glyphs, region.width, region.height, shadow.blur) : null;
  const shadowDy = Math.round(shadow?.dy ?? 0);
  const spans = kernels
    ? inkSpansWasm(glyphs, region.width, region.height, blurred, shadowDy)
    : inkSpans(region, glyphs, blurred, shadowDy);
  return { ...region, glyphs, shadow: blurred, shadowDy, spans };
}

/** Done while the photo decodes, so blending later touches only pixels with coverage. The reference for the wasm kernel. */
export function inkSpans(
  { width: w, height: h }: { width: number; height: number },
  glyphs: Buffer,
  shadow: HalfMask | null,
  shadowDy: number,
): Int32Array {
  const spans = new Int32Array(2 * h);
  for (let y = 0; y < h; y++) {
    let from = w;
    let to = 0;
    let x = 0;
    const row = y * w;
    while (x < w && glyphs[row + x] === 0) x++;
    if (x < w) {
      from = x;
      x = w;
      while (glyphs[row + x - 1] === 0) x--;
      to = x;
    }
    if (shadow && y >= shadowDy) {
      const half = ((y - shadowDy) >> 1) * shadow.width;
      let j = 0;
      while (j < shadow.width && shadow.data[half + j] === 0) j++;
      if (j < shadow.width) {
        from = Math.min(from, 2 * j);
        j = shadow.width;
        while (shadow.data[half + j - 1] === 0) j--;
        to = Math.max(to, Math.min(w, 2 * j));
      }
    }
    spans[2 * y] = from;
    spans[2 * y + 1] = Math.max(from, to);
  }
  return spans;
}
