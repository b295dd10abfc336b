/**
 * How many calls each provider may have in flight across all batches: the catalog's account-wide default,
 * overridable per provider with PROVIDER_CONCURRENCY_<PROVIDER> (e.g. PROVIDER_CONCURRENCY_OPENAI=10).
 */
import { PROVIDERS } from "@/lib/catalog/models";
import type { ProviderId } from "@/lib/providers/types";

export function concurrencyEnvName(provider: ProviderId): string {
  return `PROVIDER_CONCURRENCY_${provider.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

export function providerConcurrency(
  provider: ProviderId,
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const name = concurrencyEnvName(provider);
  const raw = env[name]?.trim();
  if (!raw) return PROVIDERS[provider].concurrency;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new Error(`${name} must be a whole number from 1 to 1000, got "${raw}"`);
  }
  return n;
}

/** Retries per cell step after the first attempt (Inngest's `retries`); CELL_RETRIES overrides. */
export function cellRetries(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.CELL_RETRIES?.trim();
  if (!raw) return 4;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 20) throw new Error(`CELL_RETRIES must be 0–20, got "${raw}"`);
  return n;
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
  const raw = env.PROMPTS_PER_RUN?.trim();
  if (!raw) return DEFAULT_PROMPTS_PER_RUN;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 2 || n > 990)
    throw new Error(`PROMPTS_PER_RUN must be a whole number from 2 to 990, got "${raw}"`);
  return n;
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
  const raw = env.RUN_MAX_STEPS?.trim();
  const n = raw ? Number(raw) : DEFAULT_RUN_MAX_STEPS;
  if (!Number.isInteger(n) || n < 8 || n > 10_000)
    throw new Error(`RUN_MAX_STEPS must be a whole number from 8 to 10,000, got "${raw}"`);
  if (n < perRun + 3)
    throw new Error(
      `RUN_MAX_STEPS (${n}) must be at least PROMPTS_PER_RUN + 3 (${perRun + 3}): a run's first wave takes up to PROMPTS_PER_RUN + 2 steps`,
    );
  return n;
}
