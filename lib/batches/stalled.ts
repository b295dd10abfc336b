import type { BatchDto } from "./dto";

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
