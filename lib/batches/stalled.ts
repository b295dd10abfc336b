import type { BatchDto, CellDto } from "./dto";

/**
 * A batch becomes "running" as soon as the workflow's first step runs, within a second or two of
 * being submitted; run-batch has no concurrency limit to queue behind. Still "queued" after this
 * long means no run was started: the engine is down, or it has not synced this app (an event that
 * arrives before the app's functions are known starts nothing).
 */
export const ENGINE_STALL_MS = 15_000;

/** Milliseconds until the batch counts as stalled (0: it already does), or null if it never will. */
export function msUntilStalled(batch: Pick<BatchDto, "status" | "createdAt">, now: number): number | null {
  if (batch.status !== "queued") return null;
  const created = Date.parse(batch.createdAt);
  if (Number.isNaN(created)) return null;
  return Math.max(0, created + ENGINE_STALL_MS - now);
}

/**
 * True when the batch counts as stalled now: for a page rendered on the server, which shows the hint
 * (and the resend form) without waiting for a timer in the browser.
 */
export function stalledNow(batch: Pick<BatchDto, "status" | "createdAt">): boolean {
  return msUntilStalled(batch, Date.now()) === 0;
}

/**
 * A running batch changes every few seconds while anything works on it: each provider call, retry and
 * result touches its cell. Nothing changed for this long means its workflow is probably stuck (the
 * engine is down or lost the run), or waiting out a provider's very long retry delay.
 */
export const BATCH_IDLE_MS = 10 * 60_000;

/** When anything last changed in the batch: its start or the latest cell change (ISO), or null. */
export function lastChange(
  batch: Pick<BatchDto, "startedAt"> & { cells: Pick<CellDto, "updatedAt">[] },
): string | null {
  let last = batch.startedAt;
  // ISO timestamps from toISOString() order as strings.
  for (const { updatedAt } of batch.cells) if (updatedAt && (!last || updatedAt > last)) last = updatedAt;
  return last;
}

/** Milliseconds until a running batch counts as idle (0: it already does), or null if it cannot. */
export function msUntilIdle(
  status: BatchDto["status"],
  changedAt: string | null,
  now: number,
): number | null {
  if (status !== "running" || !changedAt) return null;
  const last = Date.parse(changedAt);
  if (Number.isNaN(last)) return null;
  return Math.max(0, last + BATCH_IDLE_MS - now);
}
