/**
 * Restyle: a new batch from an earlier one's generated pictures, with another template, font or canvas,
 * or with corrected titles. Only cells whose raw image is still stored are carried over, and each composes
 * from it: no provider call, no cost. Cells without one (failed, cancelled, deleted) are left out. Only a
 * finished batch can be restyled.
 * The new batch runs through Inngest like any other, so the page, stream, gallery and exports just work.
 */
import { z } from "zod";
import { FONT_IDS } from "@/lib/catalog/fonts";
import { TEMPLATE_IDS } from "@/lib/catalog/templates";
import { getBatch, getDb, isTerminalBatch, type CellRow, type NewCell } from "@/lib/db";
import { unknownBatchError } from "@/lib/http";
import { getStorage } from "@/lib/storage";
import { canvasField, cleanPrompt, fieldIssues, oneOf, titleProblem, type FieldIssue } from "./input";
import { maxImagesPerBatch } from "./limits";
import { startBatch, type SubmitOptions, type SubmitResult } from "./service";

export const restyleSchema = z.strictObject(
  {
    template: oneOf(TEMPLATE_IDS, "template").optional(),
    font: oneOf(FONT_IDS, "font").optional(),
    canvas: canvasField().optional(),
    /** Every title of the source batch, in order; a changed one is set over the same picture. */
    prompts: z
      .array(z.string({ error: "each title must be text" }), { error: "prompts must be a list of titles" })
      .transform((list) => list.map(cleanPrompt))
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

export type RestyleResult =
  SubmitResult | { ok: false; status: 404 | 409; error: string; issues: FieldIssue[] };

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

export async function restyleBatch(
  sourceId: string,
  raw: unknown,
  options: SubmitOptions = {},
): Promise<RestyleResult> {
  const db = await getDb();
  const source = await getBatch(db, sourceId);
  if (!source) return { ok: false, status: 404, ...unknownBatchError(sourceId) };
  const parsed = restyleSchema.safeParse(raw);
  if (!parsed.success) {
    return invalid(fieldIssues(parsed.error));
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
    const problem = p === "" ? `title ${i + 1} is empty` : titleProblem(p, i);
    if (problem) issues.push({ path: `prompts.${i}`, message: problem });
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
  // The batch page offers a restyle once the batch has finished: before, it would carry over only the
  // pictures made so far, and the rest would be missing from the new batch for good.
  if (!isTerminalBatch(source.batch.status)) {
    return {
      ok: false,
      status: 409,
      error: `This batch is still ${source.batch.status}: restyle it once it has finished, so every picture it makes is carried over.`,
      issues: [],
    };
  }

  const stored = await storedRawKeys(source.cells);
  const byCell = new Map(source.cells.map((c) => [`${c.promptIndex}:${c.model}`, c]));
  // Only cells with a stored picture: a restyle never pays for a generation. Failed cells are
  // retried in their own batch, where their attempt history is.
  const cells: NewCell[] = prompts.flatMap((prompt, promptIndex) =>
    before.models.flatMap((model) => {
      const rawKey = byCell.get(`${promptIndex}:${model}`)?.rawKey;
      return rawKey && stored.has(rawKey) ? [{ promptIndex, prompt, model, rawKey }] : [];
    }),
  );
  if (cells.length === 0) {
    return {
      ok: false,
      status: 409,
      error: "This batch has no stored pictures to restyle: retry its failed cells first.",
      issues: [],
    };
  }
  const left = images - cells.length;
  const notices = [
    `Restyled from batch ${source.batch.id}: ${cells.length} ${cells.length === 1 ? "picture" : "pictures"} reused, no new generation.` +
      (left > 0 ? ` ${left} without a stored picture left out (retry them in the original batch).` : ""),
  ];
  // Zero unless a picture disappears before its cell runs: then that cell is generated after all.
  const estimateUsd = 0;
  return startBatch({ input, estimateUsd, notices, cells, ...options });
}
