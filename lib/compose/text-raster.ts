import type { CanvasSize } from "@/lib/catalog/canvases";
import type { TextLayout } from "./text/layout";
import { blurMask, rasterizeLayout } from "./text/rasterize";

export interface ShadowGeometry {
  blur: number;
  dy: number;
}

/** Coverage masks (one byte per pixel) for the glyphs and, optionally, their blurred shadow. */
export interface TextMasks {
  glyphs: Buffer;
  shadow: Buffer | null;
  shadowDy: number;
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
  return { ...region, glyphs, shadow: blurred, shadowDy: Math.round(shadow?.dy ?? 0) };
}
