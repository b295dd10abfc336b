/**
 * Restyle: a new batch from an earlier one's generated pictures, with another template, font or canvas,
 * or with corrected titles. Each cell whose raw image is still stored composes from it, so it makes no
 * provider call and costs nothing; a cell without one (failed, cancelled, deleted) is generated as usual.
 * The new batch runs through Inngest like any other, so the page, stream, gallery and exports just work.
 */
import { z } from "zod";
import { CANVAS_IDS } from "@/lib/catalog/canvases";
import { FONT_IDS } from "@/lib/catalog/fonts";
import { TEMPLATE_IDS } from "@/lib/catalog/templates";
import { getModel, type ModelId } from "@/lib/catalog/models";
import { getBatch, getDb, type CellRow, type NewCell } from "@/lib/db";
import { modelAvailability } from "@/lib/providers/registry";
import { getStorage } from "@/lib/storage";
import { MAX_PROMPT_CHARS, type FieldIssue } from "./input";
import { estimateByModel, maxImagesPerBatch, startBatch, type SubmitResult } from "./service";

const oneOf = (ids: readonly string[], what: string) =>
  z
    .string({ error: `${what} must be text` })
    .refine((v) => ids.includes(v), {
      error: (issue) => `unknown ${what} "${String(issue.input)}"; choose one of ${ids.join(", ")}`,
    })
    .optional();

export const restyleSchema = z.strictObject(
  {
    template: oneOf(TEMPLATE_IDS, "template"),
    font: oneOf(FONT_IDS, "font"),
    canvas: oneOf(CANVAS_IDS, "canvas"),
    /** Every title of the source batch, in order; a changed one is set over the same picture. */
    prompts: z
      .array(z.string({ error: "each title must be text" }), { error: "prompts must be a list of titles" })
      .transform((list) => list.map((p) => p.trim().replace(/\s+/g, " ")))
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown field(s): ${issue.keys.join(", ")}; a restyle changes template, font, canvas or prompts`
        : "expected an object with template, font, canvas or prompts",
  },
);

export type RestyleRequest = z.input<typeof restyleSchema>;

export type RestyleResult = SubmitResult | { ok: false; status: 404; error: string; issues: FieldIssue[] };

const invalid = (issues: FieldIssue[]): RestyleResult => ({
  ok: false,
  status: 400,
  error: "The restyle request is invalid.",
  issues,
});

/** Raw keys still present in storage (a few lookups at a time: on Vercel Blob each is a request). */
async function storedRawKeys(cells: readonly CellRow[]): Promise<Set<string>> {
  const keys = [...new Set(cells.flatMap((c) => (c.rawKey ? [c.rawKey] : [])))];
  const found = new Set<string>();
  const storage = getStorage();
  for (let i = 0; i < keys.length; i += 16) {
    const slice = keys.slice(i, i + 16);
    const heads = await Promise.all(slice.map((key) => storage.head(key)));
    slice.forEach((key, j) => heads[j] && found.add(key));
  }
  return found;
}

export async function restyleBatch(sourceId: string, raw: unknown): Promise<RestyleResult> {
  const db = await getDb();
  const source = await getBatch(db, sourceId);
  if (!source) return { ok: false, status: 404, error: `No batch with id "${sourceId}".`, issues: [] };
  const parsed = restyleSchema.safeParse(raw);
  if (!parsed.success) {
    return invalid(
      parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message })),
    );
  }
  const change = parsed.data;
  const before = source.batch.input;
  const prompts = change.prompts ?? before.prompts;
  const issues: FieldIssue[] = [];
  if (prompts.length !== before.prompts.length) {
    issues.push({
      path: "prompts",
      message: `expected ${before.prompts.length} titles, one for each title of the batch, got ${prompts.length}`,
    });
  }
  prompts.forEach((p, i) => {
    if (p === "") issues.push({ path: `prompts.${i}`, message: "a title cannot be empty" });
    else if (p.length > MAX_PROMPT_CHARS)
      issues.push({
        path: `prompts.${i}`,
        message: `title is ${p.length} characters; the limit is ${MAX_PROMPT_CHARS}`,
      });
  });
  const input = {
    ...before,
    template: change.template ?? before.template,
    font: change.font ?? before.font,
    canvas: change.canvas ?? before.canvas,
    prompts,
    restyledFrom: source.batch.id,
  };
  const unchanged =
    input.template === before.template &&
    input.font === before.font &&
    input.canvas === before.canvas &&
    prompts.every((p, i) => p === before.prompts[i]);
  if (unchanged && issues.length === 0) {
    issues.push({
      path: "(root)",
      message: "nothing to change: pick another template, font or canvas, or edit a title",
    });
  }
  const images = prompts.length * before.models.length;
  if (images > maxImagesPerBatch()) {
    issues.push({
      path: "prompts",
      message: `${images} images; the limit is ${maxImagesPerBatch()} per batch`,
    });
  }
  if (issues.length > 0) return invalid(issues);

  const stored = await storedRawKeys(source.cells);
  const byCell = new Map(source.cells.map((c) => [`${c.promptIndex}:${c.model}`, c]));
  const cells: NewCell[] = prompts.flatMap((prompt, promptIndex) =>
    before.models.map((model) => {
      const rawKey = byCell.get(`${promptIndex}:${model}`)?.rawKey ?? null;
      return { promptIndex, prompt, model, rawKey: rawKey && stored.has(rawKey) ? rawKey : null };
    }),
  );
  const toGenerate = cells.filter((c) => !c.rawKey);
  const availability = new Map(modelAvailability().map((m) => [m.id, m]));
  for (const model of new Set(toGenerate.map((c) => c.model))) {
    const missing = availability.get(model as ModelId)?.missingEnv;
    if (missing) {
      issues.push({
        path: `models.${before.models.indexOf(model)}`,
        message: `${getModel(model as ModelId).label} must generate pictures this batch has no image for, and it is not available here: set ${missing}`,
      });
    }
  }
  if (issues.length > 0) return invalid(issues);

  const perModel = estimateByModel(
    input,
    cells.map((c) => ({ ...c, rawKey: c.rawKey ?? null, attempts: 0 })),
  );
  const estimateUsd = Math.round(Object.values(perModel).reduce((a, b) => a + b, 0) * 1e6) / 1e6;
  const reused = cells.length - toGenerate.length;
  const notices = [
    `Restyled from batch ${source.batch.id}: ${reused} of ${cells.length} pictures reused, no new generation for them.` +
      (toGenerate.length > 0 ? ` ${toGenerate.length} had no stored picture and are generated.` : ""),
  ];
  return startBatch({ input, estimateUsd, notices, cells });
}
