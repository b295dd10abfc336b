/**
 * Every setting of the web app checked at once, each problem as one line naming its variable. `npm start`
 * refuses to start with any (before it builds), and the server logs them when it starts: a malformed
 * value would otherwise surface only as failing requests, or in the functions failing to load.
 */
import { PROVIDERS } from "@/lib/catalog/models";
import type { ProviderId } from "@/lib/providers/types";
import { cellRetries, promptsPerRun, providerConcurrency, runMaxSteps } from "@/lib/batches/concurrency";
import { maxBatchCostUsd, maxImagesPerBatch } from "@/lib/batches/limits";
import { studioPasswordProblem } from "@/lib/access";
import { clientAddressHeaderProblem } from "@/lib/access-throttle";
import { appSecretProblem } from "@/lib/batches/owner";
import { databasePoolMax } from "@/lib/db/client";
import { composeConcurrency } from "@/lib/compose/slots";
import { fixedThreads } from "@/lib/compose/vips";
import { readEnv } from "@/lib/env";
import { EnvError } from "@/lib/errors";

type Source = Readonly<Record<string, string | undefined>>;

/** `check` for a variable that must be unset, empty or one of `values`. */
const oneOf =
  (name: string, values: readonly string[]) =>
  (env: Source): void => {
    const raw = env[name]?.trim();
    if (raw && !values.includes(raw))
      throw new Error(`${name} must be ${values.map((v) => `"${v}"`).join(" or ")}, got "${raw}"`);
  };

const CHECKS: ((env: Source) => void)[] = [
  (env) => void readEnv(env),
  ...(Object.keys(PROVIDERS) as ProviderId[]).map((p) => (env: Source) => void providerConcurrency(p, env)),
  (env) => void cellRetries(env),
  (env) => void promptsPerRun(env),
  // Against a valid PROMPTS_PER_RUN (a bad one is named once, above).
  (env) => {
    let perRun: number | undefined;
    try {
      perRun = promptsPerRun(env);
    } catch {
      perRun = undefined;
    }
    runMaxSteps(env, perRun);
  },
  (env) => void composeConcurrency(env),
  (env) => void fixedThreads(env),
  (env) => void maxImagesPerBatch(env),
  (env) => void maxBatchCostUsd(env),
  (env) => void databasePoolMax(env),
  ...[appSecretProblem, studioPasswordProblem, clientAddressHeaderProblem].map((find) => (env: Source) => {
    const problem = find(env);
    if (problem) throw new Error(problem);
  }),
  oneOf("COMPOSE_WASM", ["on", "off"]),
  oneOf("APP_MODE", ["embedded", "production"]),
];

export function settingsProblems(env: Source = process.env): string[] {
  const problems: string[] = [];
  for (const check of CHECKS) {
    try {
      check(env);
    } catch (error) {
      if (error instanceof EnvError) problems.push(...error.issues.map((i) => `${i.variable}: ${i.message}`));
      else problems.push((error as Error).message);
    }
  }
  return [...new Set(problems)];
}
