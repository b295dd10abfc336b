/**
 * Studio previews: the real compositor over an offline sample image, so what the form shows is what a
 * batch will produce (same template renderer, same font files, same text fitting), only smaller.
 */
import {
  canvasIdFor,
  getCanvas,
  isCanvasId,
  DEFAULT_CANVAS_ID,
  type CanvasDef,
} from "@/lib/catalog/canvases";
import { getModel, pickSize } from "@/lib/catalog/models";
import { isFontId, type FontId } from "@/lib/catalog/fonts";
import { isStyleId, DEFAULT_STYLE } from "@/lib/catalog/styles";
import { isTemplateId, type TemplateId } from "@/lib/catalog/templates";
import { composeThumbnail } from "@/lib/compose/compose";
import { hasVisibleText } from "@/lib/compose/text/visible";
import { createLocalPreviewProvider } from "@/lib/providers/local-preview";
import { MAX_PROMPT_CHARS, NOTHING_VISIBLE, type FieldIssue } from "@/lib/batches/input";
import { firstChars, MAX_UNITS_PER_CHAR } from "@/lib/user-text";

export const PREVIEW_WIDTH = 480;
const samples = new Map<string, Promise<Buffer>>();

/** One sample background per style and canvas, rendered once per process by the offline renderer. */
function sample(style: string, canvas: CanvasDef): Promise<Buffer> {
  const key = `${style}:${canvas.id}`;
  let hit = samples.get(key);
  if (!hit) {
    const { width, height } = pickSize(getModel("local-preview"), canvas);
    hit = createLocalPreviewProvider()
      .generate({ model: "local-preview", prompt: "studio sample", style, seed: 7, width, height })
      .then((r) => r.bytes);
    hit.catch(() => samples.delete(key));
    samples.set(key, hit);
  }
  return hit;
}

export interface PreviewParams {
  template: TemplateId;
  font: FontId;
  style: string;
  canvas: string;
  title: string;
}

export function parsePreviewParams(
  q: URLSearchParams,
): { ok: true; value: PreviewParams } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const template = q.get("template") ?? "";
  const font = q.get("font") ?? "";
  const style = q.get("style") || DEFAULT_STYLE;
  const canvas = canvasIdFor(q.get("canvas") || DEFAULT_CANVAS_ID);
  // Cut, not refused: the preview follows the title as it is typed (a bounded length first).
  const typed = (q.get("title") ?? "").slice(0, MAX_PROMPT_CHARS * MAX_UNITS_PER_CHAR).trim();
  const title = firstChars(typed, MAX_PROMPT_CHARS) || "Your title goes here";
  if (!isTemplateId(template)) issues.push({ path: "template", message: `unknown template "${template}"` });
  if (!isFontId(font)) issues.push({ path: "font", message: `unknown font "${font}"` });
  if (!isStyleId(style)) issues.push({ path: "style", message: `unknown style "${style}"` });
  if (!isCanvasId(canvas)) issues.push({ path: "canvas", message: `unknown canvas "${canvas}"` });
  if (!hasVisibleText(title)) {
    issues.push({
      path: "title",
      message: `title ${NOTHING_VISIBLE}`,
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: { template: template as TemplateId, font: font as FontId, style, canvas, title },
  };
}

/** A small JPEG of the title on the sample image in the given template and font. */
export async function renderPreview(p: PreviewParams): Promise<Buffer> {
  const full = getCanvas(isCanvasId(p.canvas) ? p.canvas : DEFAULT_CANVAS_ID);
  const canvas = { width: PREVIEW_WIDTH, height: Math.round((PREVIEW_WIDTH * full.height) / full.width) };
  const image = await sample(p.style, full);
  const out = await composeThumbnail({
    image,
    title: p.title,
    template: p.template,
    font: p.font,
    canvas,
    quality: 80,
  });
  return out.bytes;
}
