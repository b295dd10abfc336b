import type { CanvasSize } from "@/lib/catalog/canvases";
import type { FontId } from "@/lib/catalog/fonts";
import type { Rgb } from "../color";
import type { RgbImage } from "../raster";
import type { ShadowGeometry } from "../text-raster";
import type { Box, TextLayout } from "../text/layout";

export interface TemplateInput {
  canvas: CanvasSize;
  title: string;
  font: FontId;
}

export interface TextStyle {
  color: Rgb;
  /** Colour and opacity of the soft shadow, when the plan asked for one. */
  shadow?: { color: Rgb; opacity: number };
}

export interface PaintResult {
  /** WCAG contrast between the text colour and the least favourable pixel under the text. */
  contrast: number;
  /** Alpha of the panel or scrim that was painted. */
  alpha: number;
  /** Title colour, chosen by the painter (overlay templates pick light or dark text). */
  text: TextStyle;
}

/**
 * What a template renderer returns for one title on one canvas: the text layout and the box it
 * was fitted to, the text style, and a painter that draws panels or scrims into the resized photo
 * (measuring the photo first where the template has no panel of its own).
 */
export interface OverlayPlan {
  textBox: Box;
  layout: TextLayout;
  /** Blur radius and drop of a soft shadow under the glyphs, if the template wants one. */
  shadow?: ShadowGeometry;
  paint(img: RgbImage): PaintResult;
}

export type TemplateRenderer = (input: TemplateInput) => OverlayPlan;
