/**
 * Every environment variable the image pipeline reads, validated in one place. Parsing is lazy (on first
 * use, never at import) so builds and tests run without keys; lib/settings.ts checks them (and the
 * app's other settings) at start-up to fail fast.
 */
import { z } from "zod";
import { parseTriggerCron } from "@/engine/cron";
import { EnvError } from "@/lib/errors";
import { readNumber } from "@/lib/number-setting";

/** The cron parser is the local engine's, which takes what Inngest Cloud takes. */
function cronProblem(source: string): string | null {
  try {
    parseTriggerCron(source);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const optionalUrl = optionalString.refine(
  (v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v),
  "must be an http(s) URL",
);

/** A whole-number setting, read as every numeric setting is (lib/number-setting.ts). */
const wholeNumber = <F extends number | undefined>(fallback: F, min: number, max: number, unit = "") =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const read = readNumber(v, { min, max, unit });
      if (typeof read !== "string") return (read ?? fallback) as number | F;
      ctx.addIssue({ code: "custom", message: read });
      return z.NEVER;
    });

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** A schedule setting: a cron expression (default `fallback`), or "off" (also false, 0, none; any case). */
const cronSetting = (fallback: string) =>
  optionalString
    .transform((v) => (v === undefined ? fallback : /^(off|false|0|none)$/i.test(v) ? "off" : v))
    .superRefine((v, ctx) => {
      const problem = v === "off" ? null : cronProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: `${problem}, or "off"` });
    });

const schema = z.object({
  OPENAI_API_KEY: optionalString,
  GEMINI_API_KEY: optionalString,
  GOOGLE_API_KEY: optionalString,
  /** Points both SDKs at the local provider simulator (lib/simulator) with dummy keys. */
  PROVIDER_SIMULATOR_URL: optionalUrl.transform((v) => v?.replace(/\/+$/, "")),
  /** Client-side timeout per provider attempt. Image calls are slow: minutes, not seconds. */
  PROVIDER_TIMEOUT_MS: wholeNumber(180_000, 1000, HOUR_MS, " (ms)"),
  /**
   * A running batch with no change for this long has its workflow run looked up (lib/batches/reconcile.ts).
   * Unset: the provider timeout + 30 s, after which no call of a lost run can still be under way.
   */
  RUN_CHECK_AFTER_MS: wholeNumber(undefined, 0, DAY_MS, " (ms)"),
  /**
   * When idle unfinished batches are checked for a lost run (inngest/functions/end-lost-batches.ts): a
   * cron schedule as Inngest takes it, or "off".
   */
  RUN_SWEEP_CRON: cronSetting("*/10 * * * *"),
  /** Titles per page of a batch's page (its grid); a batch with more is shown a page at a time. */
  BATCH_PAGE_TITLES: wholeNumber(100, 1, 10_000),
  /**
   * When the storage sweep runs (inngest/functions/sweep-storage.ts): a cron schedule as Inngest takes it
   * (optionally with a TZ= prefix), or "off".
   */
  STORAGE_SWEEP_CRON: cronSetting("23 */6 * * *"),
  /** Files younger than this are never taken by the storage sweep (default one day, at least a minute). */
  STORAGE_SWEEP_GRACE_MS: wholeNumber(DAY_MS, 60_000, 365 * DAY_MS, " (ms)"),
  BLOB_READ_WRITE_TOKEN: optionalString,
  VERCEL_BLOB_API_URL: optionalUrl,
  BLOB_ACCESS: z.enum(["public", "private"]).optional().default("public"),
  /** How long one Vercel Blob call may take (its SDK's retries included) before the step fails and is retried. */
  STORAGE_TIMEOUT_MS: wholeNumber(60_000, 1000, HOUR_MS, " (ms)"),
  /** Folder for the local blob store. */
  BLOB_DIR: optionalString.transform((v) => v ?? ".data/blob"),
});

export type Env = z.infer<typeof schema>;

/** Parses the given environment (default: process.env). Cheap enough to call per use, so tests can change env. */
export function readEnv(source: Readonly<Record<string, string | undefined>> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? "?"), message: i.message })),
    );
  }
  return parsed.data;
}

/**
 * A scheduled function's cron, read when the functions are defined: null when "off", or when malformed
 * (lib/settings.ts names it at start), so one bad variable never stops the app's functions from loading.
 */
export function scheduleOf(
  name: "STORAGE_SWEEP_CRON" | "RUN_SWEEP_CRON",
  source: Readonly<Record<string, string | undefined>> = process.env,
): string | null {
  const parsed = schema.shape[name].safeParse(source[name]);
  return parsed.success && parsed.data !== "off" ? parsed.data : null;
}

/**
 * The storage sweep's schedule. A Vercel Blob store may be shared with other deployments' databases
 * (previews, a developer's copy of the token), so with one the sweep is scheduled only when
 * STORAGE_SWEEP_CRON is set; it still runs on request.
 */
export function storageSweepSchedule(
  source: Readonly<Record<string, string | undefined>> = process.env,
): string | null {
  if (source.BLOB_READ_WRITE_TOKEN?.trim() && !source.STORAGE_SWEEP_CRON?.trim()) return null;
  return scheduleOf("STORAGE_SWEEP_CRON", source);
}

/** Gemini key: the SDK itself prefers GOOGLE_API_KEY over GEMINI_API_KEY; keep the same order. */
export function geminiApiKey(env: Env): string | undefined {
  return env.GOOGLE_API_KEY ?? env.GEMINI_API_KEY;
}
