/**
 * `npm run batch -- titles.json --split`: a file with more titles × models than the app takes in one
 * batch (its MAX_IMAGES_PER_BATCH) becomes several batches of whole titles, in order, each within the
 * limit. Pure, so it is unit-tested; batch.ts submits the parts.
 */
import { parseBatchInput, type BatchInput } from "@/lib/batches/input";
import type { FieldIssue } from "./batch-client";

export interface SplitPart {
  /** Index of the part's first title in the file. */
  from: number;
  body: Omit<BatchInput, "notices">;
}

export type SplitPlan =
  | { ok: true; limit: number; perBatch: number; titles: number; parts: SplitPart[]; notices: string[] }
  | { ok: false; error: string };

/**
 * The parts to submit instead of `raw`, after the app refused it with `issues`; null when the
 * refusal was not only the images-per-batch limit (then the issues are what to show).
 */
export function planSplit(raw: unknown, issues: readonly FieldIssue[]): SplitPlan | null {
  if (issues.length === 0 || !issues.every((i) => i.code === "too_many_images")) return null;
  const limit = issues[0]?.limit;
  if (limit === undefined || !Number.isInteger(limit) || limit < 1) return null;
  const parsed = parseBatchInput(raw, { maxImages: Number.MAX_SAFE_INTEGER });
  if (!parsed.ok) return null;
  const { notices, ...input } = parsed.value;
  if (input.budgetUsd !== undefined) {
    return {
      ok: false,
      error:
        "--split would give every batch the file's whole budgetUsd; remove budgetUsd from the file to split it " +
        "(a MAX_BATCH_COST_USD set on the app still caps each batch)",
    };
  }
  const perBatch = Math.floor(limit / input.models.length);
  if (perBatch < 1) {
    return {
      ok: false,
      error: `${input.models.length} models make more images for one title than the app's limit of ${limit} per batch; choose at most ${limit} models`,
    };
  }
  const parts: SplitPart[] = [];
  for (let from = 0; from < input.prompts.length; from += perBatch)
    parts.push({ from, body: { ...input, prompts: input.prompts.slice(from, from + perBatch) } });
  return { ok: true, limit, perBatch, titles: input.prompts.length, parts, notices };
}
