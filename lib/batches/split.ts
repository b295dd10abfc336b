/**
 * Titles × models over the images-per-batch limit become several batches of whole titles, in order,
 * each within the limit: the studio's "split" submit and the CLI's --split. Pure.
 */
import { HARD_MAX_IMAGES, type BatchInput } from "./input";

/**
 * Most batches one split submit makes (their events go out in one send). A browser owns them all
 * through its one key cookie (owner.ts), so the number costs it nothing; the cap keeps an operator's
 * tiny images-per-batch limit from turning one paste into thousands of batches.
 */
export const MAX_SPLIT_BATCHES = 100;

/** How `titles` × `models` would be split under `limit` images per batch; null when it cannot be. */
export function splitShape(
  titles: number,
  models: number,
  limit: number,
): { batches: number; perBatch: number } | null {
  const perBatch = models > 0 ? Math.floor(limit / models) : 0;
  if (perBatch < 1 || titles * models > HARD_MAX_IMAGES) return null;
  const batches = Math.ceil(titles / perBatch);
  return batches <= MAX_SPLIT_BATCHES ? { batches, perBatch } : null;
}

/**
 * Why `titles` × `models`, over `limit`, is not offered as several batches (splitShape gave null), said
 * with what would be: a paste of 2,000 titles on 3 models otherwise showed its count in red and nothing
 * else until submitted. Null when it can be split, or when there is nothing to split.
 */
export function noSplitReason(titles: number, models: number, limit: number): string | null {
  if (titles === 0 || models === 0 || splitShape(titles, models, limit)) return null;
  const perBatch = Math.floor(limit / models);
  if (perBatch < 1)
    return `${models} models make more images for one title than the limit of ${limit} per batch: choose at most ${limit} models`;
  const most = Math.min(Math.floor(HARD_MAX_IMAGES / models), perBatch * MAX_SPLIT_BATCHES);
  const count = (n: number) => n.toLocaleString("en-US");
  return `too many to send at once, even as several batches: one submit takes at most ${count(most)} titles on ${models === 1 ? "1 model" : `${models} models`}; send the rest afterwards, or choose fewer models`;
}

export type SplitInput = Omit<BatchInput, "notices">;

export interface SplitPart {
  /** Index of the part's first title in the whole list. */
  from: number;
  body: SplitInput;
}

export type Split =
  | { ok: true; perBatch: number; parts: SplitPart[] }
  | { ok: false; path: "budgetUsd" | "models" | "prompts"; error: string };

/** `input` as batches within `limit` images each: itself when it already is one (its budget kept). */
export function splitInput(input: SplitInput, limit: number): Split {
  if (input.prompts.length * input.models.length <= limit)
    return { ok: true, perBatch: input.prompts.length, parts: [{ from: 0, body: input }] };
  if (input.budgetUsd !== undefined) {
    return {
      ok: false,
      path: "budgetUsd",
      error:
        "a budget cannot be split: every batch would get all of it; clear the budget to split the titles",
    };
  }
  const perBatch = Math.floor(limit / input.models.length);
  if (perBatch < 1) {
    return {
      ok: false,
      path: "models",
      error: `${input.models.length} models make more images for one title than the limit of ${limit} per batch; choose at most ${limit} models`,
    };
  }
  const batches = Math.ceil(input.prompts.length / perBatch);
  if (batches > MAX_SPLIT_BATCHES) {
    return {
      ok: false,
      path: "prompts",
      error: `${input.prompts.length} titles make ${batches} batches of ${perBatch}; at most ${MAX_SPLIT_BATCHES} batches at once`,
    };
  }
  const parts: SplitPart[] = [];
  for (let from = 0; from < input.prompts.length; from += perBatch)
    parts.push({ from, body: { ...input, prompts: input.prompts.slice(from, from + perBatch) } });
  return { ok: true, perBatch, parts };
}
