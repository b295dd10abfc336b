/**
 * The compositor: cover-crop the generated image to the canvas, paint the template's panel or
 * scrim and the title, encode. One decode+resize to raw pixels (the title is laid out and
 * rasterized from glyph outlines meanwhile), the overlay painted in memory on the regions that
 * change, one encode; no full-canvas SVG and no intermediate PNG.
 *
 * Why two libvips pipelines and not one: the scrim strength and the title colour are solved
 * from the decoded pixels under the title, so nothing can be drawn before the decode, and with
 * sharp 0.35 / libvips 8.18 composite() in the decode pipeline costs ~+20 ms per image even for
 * a 10×10 overlay (it adds alpha before the resize, premultiplies in float and blends the
 * whole canvas). The price is libvips' overlap of decode and encode, which the floor in
 * scripts/bench-compose.ts keeps; see lib/compose/vips.ts for the threads that win part back.
 */
import sharp from "sharp";
import type { CanvasSize } from "@/lib/catalog/canvases";
import { isFontId, type FontId } from "@/lib/catalog/fonts";
import { isTemplateId, TEMPLATE_IDS, type TemplateId } from "@/lib/catalog/templates";
import { FONT_IDS } from "@/lib/catalog/fonts";
import { ComposeInputError } from "./errors";
import { blendText } from "./text-blend";
import { rasterizeText } from "./text-raster";
import { TEMPLATE_RENDERERS } from "./templates";

import { prepareShaping } from "./text/complex-shaping";
import { hasVisibleText } from "./text/shape";
import { composeSlots } from "./slots";
import { enterCompose } from "./vips";
import { textScratchBytes } from "./wasm/blend-text";
import { withStagedImage } from "./wasm/stage";

export const OUTPUT_FORMATS = ["jpeg", "webp", "png"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const MIME: Record<OutputFormat, string> = { jpeg: "image/jpeg", webp: "image/webp", png: "image/png" };

export const DEFAULT_QUALITY = 85;

export interface ComposeInput {
  image: Buffer;
  title: string;
  template: TemplateId;
  font: FontId;
  canvas: CanvasSize;
  format?: OutputFormat;
  /** 1–100, for JPEG and WebP. */
  quality?: number;
}

export interface ComposeMeta {
  fontSize: number;
  lines: number;
  truncated: boolean;
  /** WCAG contrast between the title colour and the least favourable pixel under it. */
  contrast: number;
  /** Characters no shipped font covers. */
  missingGlyphs: string[];
}

export interface ComposeResult {
  bytes: Buffer;
  mime: string;
  width: number;
  height: number;
  meta: ComposeMeta;
}

function validate(input: ComposeInput): void {
  if (!Buffer.isBuffer(input.image) || input.image.length === 0) {
    throw new ComposeInputError("image", "expected a non-empty image buffer");
  }
  if (typeof input.title !== "string" || !hasVisibleText(input.title)) {
    throw new ComposeInputError("title", "must contain at least one visible character");
  }
  if (!isTemplateId(input.template)) {
    throw new ComposeInputError(
      "template",
      `unknown template "${input.template}"; expected one of ${TEMPLATE_IDS.join(", ")}`,
    );
  }
  if (!isFontId(input.font)) {
    throw new ComposeInputError(
      "font",
      `unknown font "${input.font}"; expected one of ${FONT_IDS.join(", ")}`,
    );
  }
  const { width, height } = input.canvas ?? {};
  for (const [name, v] of [
    ["width", width],
    ["height", height],
  ] as const) {
    if (!Number.isInteger(v) || v! < 64 || v! > 4096) {
      throw new ComposeInputError(`canvas.${name}`, "must be an integer from 64 to 4096");
    }
  }
  if (input.format !== undefined && !OUTPUT_FORMATS.includes(input.format)) {
    throw new ComposeInputError("format", `expected one of ${OUTPUT_FORMATS.join(", ")}`);
  }
  if (
    input.quality !== undefined &&
    (!Number.isInteger(input.quality) || input.quality < 1 || input.quality > 100)
  ) {
    throw new ComposeInputError("quality", "must be an integer from 1 to 100");
  }
}

async function decodeToCanvas(image: Buffer, canvas: CanvasSize) {
  try {
    const { data, info } = await sharp(image, { failOn: "error" })
      .resize(canvas.width, canvas.height, { fit: "cover" })
      .flatten({ background: "#000000" })
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected ${info.channels}-channel output`);
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw new ComposeInputError("image", `could not decode: ${(err as Error).message}`);
  }
}

export function encode(
  raw: Buffer,
  canvas: CanvasSize,
  format: OutputFormat,
  quality: number,
): Promise<Buffer> {
  const img = sharp(raw, { raw: { width: canvas.width, height: canvas.height, channels: 3 } });
  if (format === "png") return img.png().toBuffer();
  if (format === "webp") return img.webp({ quality }).toBuffer();
  return img.jpeg({ quality }).toBuffer();
}

export async function composeThumbnail(input: ComposeInput): Promise<ComposeResult> {
  validate(input);
  await prepareShaping(input.title);
  const release = await composeSlots().acquire();
  const leave = enterCompose();
  try {
    return await compose(input);
  } finally {
    leave();
    release();
  }
}

async function compose(input: ComposeInput): Promise<ComposeResult> {
  const { canvas } = input;
  const format = input.format ?? "jpeg";
  // The decode runs on libuv's pool; the title is laid out and rasterized on this thread meanwhile.
  const decoding = decodeToCanvas(input.image, canvas);
  decoding.catch(() => {}); // awaited below; this only keeps a throw in layout from orphaning it
  const plan = TEMPLATE_RENDERERS[input.template]({ canvas, title: input.title, font: input.font });
  const text = rasterizeText(plan.layout, canvas, plan.shadow);
  const img = await decoding;
  // Painted in wasm memory, where the blends run as SIMD kernels (wasm/stage.ts).
  const painted = withStagedImage(img, textScratchBytes(text), (staged) => {
    const result = plan.paint(staged);
    blendText(staged, text, result.text);
    return result;
  });
  const bytes = await encode(img.data, canvas, format, input.quality ?? DEFAULT_QUALITY);
  return {
    bytes,
    mime: MIME[format],
    width: canvas.width,
    height: canvas.height,
    meta: {
      fontSize: plan.layout.size,
      lines: plan.layout.lines.length,
      truncated: plan.layout.truncated,
      contrast: Math.round(painted.contrast * 100) / 100,
      missingGlyphs: plan.layout.missing,
    },
  };
}
