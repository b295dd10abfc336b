/**
 * Which titles the chosen template cannot set whole: the compositor shrinks a title down to the
 * template's smallest size, then ends it with "…"; and which characters of a title no shipped font
 * draws (they would show as boxes). The studio asks before anything is paid for, so a person can
 * shorten or rewrite those titles or pick a roomier template. Layout only (no pixels): about half a
 * millisecond a title, yielding between chunks; the studio sends only titles it has not asked about.
 */
import { z } from "zod";
import { getCanvas, DEFAULT_CANVAS_ID, type CanvasId } from "@/lib/catalog/canvases";
import { FONT_IDS, type FontId } from "@/lib/catalog/fonts";
import { TEMPLATE_IDS, type TemplateId } from "@/lib/catalog/templates";
import { TEMPLATE_RENDERERS } from "@/lib/compose/templates";
import { prepareShaping } from "@/lib/compose/text/complex-shaping";
import { hasVisibleText } from "@/lib/compose/text/visible";
import { canvasField, MAX_PROMPT_CHARS, type FieldIssue } from "@/lib/batches/input";
import { overLimit } from "@/lib/user-text";
import { MAX_FIT_TITLES } from "./fit-limit";

const fitSchema = z.strictObject({
  titles: z
    .array(z.string({ error: "each title must be text" }), { error: "titles must be a list of titles" })
    .max(MAX_FIT_TITLES, `at most ${MAX_FIT_TITLES} titles per request`),
  template: z.enum(TEMPLATE_IDS, { error: `template must be one of ${TEMPLATE_IDS.join(", ")}` }),
  font: z.enum(FONT_IDS, { error: `font must be one of ${FONT_IDS.join(", ")}` }),
  canvas: canvasField().optional(),
});

export interface FitRequest {
  titles: string[];
  template: TemplateId;
  font: FontId;
  canvas?: CanvasId;
}

export function parseFitRequest(
  body: unknown,
): { ok: true; value: FitRequest } | { ok: false; issues: FieldIssue[] } {
  const parsed = fitSchema.safeParse(body);
  // canvasField has checked the id (or the size it came as) against the catalog.
  if (parsed.success)
    return { ok: true, value: { ...parsed.data, canvas: parsed.data.canvas as CanvasId | undefined } };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message })),
  };
}

export interface FitAnswer {
  /** Indexes of the titles set shortened (ending in "…"). */
  shortened: number[];
  /** Titles with characters no shipped font draws, and those characters. */
  missing: { index: number; glyphs: string[] }[];
}

/**
 * How the template sets each title. Titles the batch would refuse anyway (blank, invisible, too
 * long) are not judged here: the form's own checks name them.
 */
export async function fitTitles({ titles, template, font, canvas }: FitRequest): Promise<FitAnswer> {
  const size = getCanvas(canvas ?? DEFAULT_CANVAS_ID);
  const render = TEMPLATE_RENDERERS[template];
  const out: FitAnswer = { shortened: [], missing: [] };
  for (const [index, raw] of titles.entries()) {
    // Some 25 ms of layout at a time: server-sent events and workflow calls go on meanwhile.
    if (index > 0 && index % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    const title = raw.trim();
    if (overLimit(title, MAX_PROMPT_CHARS) || !hasVisibleText(title)) continue;
    await prepareShaping(title);
    const { layout } = render({ canvas: size, title, font });
    if (layout.truncated) out.shortened.push(index);
    if (layout.missing.length > 0) out.missing.push({ index, glyphs: layout.missing });
  }
  return out;
}
