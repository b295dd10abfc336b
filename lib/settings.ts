/**
 * Every setting of the web app checked at once, each problem as one line naming its variable. `npm start`
 * refuses to start with any (before it builds), and the server logs them when it starts: a malformed
 * value would otherwise surface only as failing requests, or in the functions failing to load.
 */
import { PROVIDERS } from "@/lib/catalog/models";
import type { ProviderId } from "@/lib/providers/types";
import { cellRetries, promptsPerRun, providerConcurrency, runMaxSteps } from "@/lib/batches/concurrency";
import { HARD_MAX_IMAGES } from "@/lib/batches/input";
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

/** `check` for a variable that must be unset, empty or a number within [min, max] (whole when asked). */
const numberIn =
  (name: string, min: number, max: number, whole: boolean, hint = "") =>
  (env: Source): void => {
    const raw = env[name]?.trim();
    if (!raw) return;
    const n = Number(raw);
    const ok = (whole ? Number.isInteger(n) : Number.isFinite(n)) && n >= min && n <= max;
    if (!ok)
      throw new Error(
        `${name} must be ${whole ? "a whole number" : "a number"} from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}${hint}, got "${raw}"`,
      );
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
  numberIn("MAX_IMAGES_PER_BATCH", 1, HARD_MAX_IMAGES, true),
  numberIn("MAX_BATCH_COST_USD", 0.000001, Number.MAX_SAFE_INTEGER, false, " (US dollars)"),
  numberIn("DATABASE_POOL_MAX", 1, 1000, true),
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
