import type { Run, SerializedError } from "./types";

/**
 * Inngest Cloud's per-run limits, enforced here so that a function which would overflow them in
 * production fails the same way locally instead of only there: at most 1,000 steps per run (its
 * default; configurable up to its absolute 10,000), 4 MiB of data returned by one step, and 32 MiB of
 * run state (the event, every step's data and the function's result).
 */
export const DEFAULT_MAX_STEPS = 1000;
export const ABSOLUTE_MAX_STEPS = 10_000;
export const MAX_STEP_OUTPUT_BYTES = 4 * 1024 * 1024;
/** One event, as Inngest Cloud's free plan takes it (its paid plans take 3 MiB). */
export const DEFAULT_MAX_EVENT_BYTES = 256 * 1024;
export const MAX_RUN_STATE_BYTES = 32 * 1024 * 1024;

/** Ops that are not steps of the run: the function's own result. */
const NOT_STEPS = new Set(["RunComplete"]);

interface OpLike {
  id?: unknown;
  op?: unknown;
  data?: unknown;
  userland?: { id?: string };
  name?: string;
}

/** The error a run fails with once it would exceed the step limit (as Inngest names it). */
export function stepLimitError(limit: number): SerializedError {
  return {
    name: "InngestErrFunctionOverflowed",
    message: `The function run exceeded the step limit of ${limit} steps.`,
  };
}

/** The steps a reply or checkpoint would add to the run beyond the limit, or 0. */
export function stepsOverLimit(run: Run, ops: readonly OpLike[], limit: number): number {
  const fresh = new Set<string>();
  for (const op of ops) {
    if (!op || typeof op.id !== "string" || NOT_STEPS.has(String(op.op))) continue;
    if (!run.steps.has(op.id)) fresh.add(op.id);
  }
  return Math.max(0, run.steps.size + fresh.size - limit);
}

/**
 * The first step whose returned data is larger than Inngest's per-step limit, with its size.
 * `bodyBytes` is the size of the reply the ops came in: when the whole reply is within the limit no
 * op can exceed it, so nothing is serialized again in the common case.
 */
export function oversizedStep(
  ops: readonly OpLike[],
  bodyBytes: number,
): { id: string; bytes: number } | null {
  if (bodyBytes <= MAX_STEP_OUTPUT_BYTES) return null;
  for (const op of ops) {
    if (!op || NOT_STEPS.has(String(op.op)) || op.data === undefined) continue;
    const bytes = Buffer.byteLength(JSON.stringify(op.data) ?? "");
    if (bytes > MAX_STEP_OUTPUT_BYTES) {
      const id = op.userland?.id ?? op.name ?? String(op.id);
      return { id, bytes };
    }
  }
  return null;
}

export function stepOutputError(step: { id: string; bytes: number }): SerializedError {
  return {
    name: "InngestErrStepOutputTooLarge",
    message:
      `step "${step.id}" returned ${step.bytes} bytes: step output size is greater than the limit ` +
      `(${MAX_STEP_OUTPUT_BYTES} bytes). Return a reference (a storage key, an id) instead of the data.`,
  };
}

/** The error a run fails with once its state would pass the limit (as Inngest names it). */
export function stateLimitError(limit: number): SerializedError {
  return {
    name: "InngestErrStateOverflowed",
    message: `The function run exceeded the state size limit of ${limit} bytes.`,
  };
}

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? "");

/**
 * True when saving `ops` would take the run's state past `limit` bytes. The run keeps a running
 * estimate (the journal records its steps were saved in, an upper bound); only a reply that would
 * take the estimate past the limit has the state measured exactly, so the common case costs nothing.
 */
export function stateOverLimit(run: Run, ops: readonly OpLike[], bodyBytes: number, limit: number): boolean {
  run.stateBytes ??= bytesOf(run.event) + bytesOf(run.memo);
  if (run.stateBytes + bodyBytes <= limit) return false;
  let exact = bytesOf(run.event) + bytesOf(run.memo);
  for (const op of ops)
    if (op && op.data !== undefined && !(String(op.id) in run.memo)) exact += bytesOf(op.data);
  run.stateBytes = exact;
  return exact > limit;
}

/**
 * Why saving `ops` (a reply or checkpoint of `bodyBytes`) would fail the run under Inngest Cloud's
 * limits, checked in the order Cloud reports them; null when within every limit.
 */
export function runLimitError(
  run: Run,
  ops: readonly OpLike[],
  bodyBytes: number,
  limits: { maxSteps: number; maxStateBytes: number },
): SerializedError | null {
  const big = oversizedStep(ops, bodyBytes);
  if (big) return stepOutputError(big);
  if (stepsOverLimit(run, ops, limits.maxSteps) > 0) return stepLimitError(limits.maxSteps);
  if (stateOverLimit(run, ops, bodyBytes, limits.maxStateBytes)) return stateLimitError(limits.maxStateBytes);
  return null;
}
