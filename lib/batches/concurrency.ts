/**
 * How many calls each provider may have in flight across all batches: the catalog's account-wide default,
 * overridable per provider with PROVIDER_CONCURRENCY_<PROVIDER> (e.g. PROVIDER_CONCURRENCY_OPENAI=10).
 */
import { PROVIDERS } from "@/lib/catalog/models";
import { numberSetting } from "@/lib/number-setting";
import type { ProviderId } from "@/lib/providers/types";

export function concurrencyEnvName(provider: ProviderId): string {
  return `PROVIDER_CONCURRENCY_${provider.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

export function providerConcurrency(
  provider: ProviderId,
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const n = numberSetting(env, concurrencyEnvName(provider), { min: 1, max: 1000 });
  return n ?? PROVIDERS[provider].concurrency;
}

/** Retries per cell step after the first attempt (Inngest's `retries`); CELL_RETRIES overrides. */
export function cellRetries(env: Readonly<Record<string, string | undefined>> = process.env): number {
  return numberSetting(env, "CELL_RETRIES", { min: 0, max: 20 }) ?? 4;
}

/**
 * Titles one workflow run fans out to directly. Inngest allows 1,000 steps per run, and run-batch
 * takes one step per title plus two for its first wave; a batch with more titles than this fans out
 * through groups of this many (run-prompt-group), so that wave stays below the limit (later waves, of
 * cells asked for again while it ran, hand on to a new run near it: RUN_MAX_STEPS). PROMPTS_PER_RUN
 * overrides (2–990).
 */
export const DEFAULT_PROMPTS_PER_RUN = 900;

export function promptsPerRun(env: Readonly<Record<string, string | undefined>> = process.env): number {
  return numberSetting(env, "PROMPTS_PER_RUN", { min: 2, max: 990 }) ?? DEFAULT_PROMPTS_PER_RUN;
}

/**
 * The most steps one run-batch run takes before it hands its batch on to a new run: Inngest's limit
 * of 1,000 per run. A run's first wave takes at most PROMPTS_PER_RUN + 2 and the hand-off one more, so
 * the limit must be at least PROMPTS_PER_RUN + 3 (`perRun`); each later wave (cells asked for again
 * while the batch ran) must fit what is left. RUN_MAX_STEPS overrides (8–10,000), for an account with
 * another limit.
 */
export const DEFAULT_RUN_MAX_STEPS = 1000;

export function runMaxSteps(
  env: Readonly<Record<string, string | undefined>> = process.env,
  perRun = promptsPerRun(env),
): number {
  const n = numberSetting(env, "RUN_MAX_STEPS", { min: 8, max: 10_000 }) ?? DEFAULT_RUN_MAX_STEPS;
  if (n < perRun + 3)
    throw new Error(
      `RUN_MAX_STEPS (${n}) must be at least PROMPTS_PER_RUN + 3 (${perRun + 3}): a run's first wave takes up to PROMPTS_PER_RUN + 2 steps`,
    );
  return n;
}
