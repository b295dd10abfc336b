/**
 * Text on the contact sheet, drawn the compositor's way: opentype outlines of the shipped fonts laid out
 * and rasterized to a coverage mask, then blended in colour (never SVG <text>, which falls back to DejaVu).
 */
import type { FontId } from "@/lib/catalog/fonts";
import type { Rgb } from "@/lib/compose/color";
import { blendMask, type RgbImage } from "@/lib/compose/raster";
import { layoutText, type Box } from "@/lib/compose/text/layout";
import { rasterizeLayout } from "@/lib/compose/text/rasterize";
import { normalizeTitle } from "@/lib/compose/text/shape";

export interface TextSpec {
  text: string;
  box: Box;
  /** Largest size in px; shrinks (down to 60 %) and then ellipsizes to fit one line. */
  size: number;
  color: Rgb;
  align?: "start" | "center";
  font?: FontId;
}

export function drawText(img: RgbImage, spec: TextSpec): void {
  if (normalizeTitle(spec.text) === "" || spec.box.width < 4 || spec.box.height < 4) return;
  const layout = layoutText(spec.text, spec.font ?? "inter", {
    box: spec.box,
    maxLines: 1,
    maxSize: spec.size,
    minSize: Math.max(8, Math.floor(spec.size * 0.6)),
    lineHeight: 1.2,
    align: spec.align ?? "start",
    valign: "middle",
  });
  const left = Math.max(0, Math.floor(layout.ink.x - 2));
  const top = Math.max(0, Math.floor(layout.ink.y - 2));
  const width = Math.min(img.width - left, Math.ceil(layout.ink.width + 4));
  const height = Math.min(img.height - top, Math.ceil(layout.ink.height + 4));
  if (width <= 0 || height <= 0) return;
  const mask = rasterizeLayout(layout, left, top, width, height);
  blendMask(img, mask, width, height, left, top, spec.color);
}
