/**
 * The batch limits an operator sets: MAX_IMAGES_PER_BATCH and MAX_BATCH_COST_USD. Read the same way by
 * requests and by the start-up check (lib/settings), so a value `npm start` accepts is the value used.
 */
import { numberSetting } from "@/lib/number-setting";
import { DEFAULT_MAX_IMAGES, HARD_MAX_IMAGES } from "./input";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Images one batch may hold: MAX_IMAGES_PER_BATCH, at most HARD_MAX_IMAGES: a batch's plan and its
 * result matrix travel as workflow step data, which Inngest limits to 4 MiB a step (10,000 cells stay
 * well within it).
 */
export function maxImagesPerBatch(env: Env = process.env): number {
  return numberSetting(env, "MAX_IMAGES_PER_BATCH", { min: 1, max: HARD_MAX_IMAGES }) ?? DEFAULT_MAX_IMAGES;
}

/** The most one batch may cost at list prices, in US dollars; null when MAX_BATCH_COST_USD is unset. */
export function maxBatchCostUsd(env: Env = process.env): number | null {
  const range = { min: 0.000001, max: Number.MAX_SAFE_INTEGER, whole: false, unit: " (US dollars)" };
  return numberSetting(env, "MAX_BATCH_COST_USD", range) ?? null;
}
