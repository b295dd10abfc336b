/**
 * `npm run batch -- titles.json --split`: a file with more titles × models than the app takes in one
 * batch (its MAX_IMAGES_PER_BATCH) becomes several batches of whole titles, in order, each within the
 * limit. Pure, so it is unit-tested; batch.ts submits the parts.
 */
import { parseBatchInput } from "@/lib/batches/input";
import { splitInput, type SplitPart } from "@/lib/batches/split";
import type { FieldIssue } from "./batch-client";

export type { SplitPart };

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
  const split = splitInput(input, limit);
  if (!split.ok) {
    // The file's field names: budgetUsd in the file, or the models list.
    const error =
      split.path === "budgetUsd"
        ? "--split would give every batch the file's whole budgetUsd; remove budgetUsd from the file to split it " +
          "(a MAX_BATCH_COST_USD set on the app still caps each batch)"
        : split.path === "prompts"
          ? `--split: ${split.error}; submit the file in parts`
          : split.error;
    return { ok: false, error };
  }
  return {
    ok: true,
    limit,
    perBatch: split.perBatch,
    titles: input.prompts.length,
    parts: split.parts,
    notices,
  };
}
