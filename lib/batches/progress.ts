/**
 * What the batch page's summary line says of a running batch besides its done counts: how many cells
 * are being made, wait to be tried again, or wait their turn at a provider, and roughly how long the
 * rest takes. Pure: worked out from the cells alone, so the server and the browser render the same.
 */
import type { BatchCounts } from "./dto";
import type { CellSummary } from "./live";

type ProgressCell = Pick<CellSummary, "model" | "status" | "updatedAt">;

/** Finishes of a model needed before its pace is trusted for an estimate. */
export const ETA_MIN_FINISHED = 4;
/** Only a model's latest finishes count: its pace now, not an hour ago before a resume. */
const ETA_WINDOW = 50;

const done = (s: ProgressCell["status"]) => s === "succeeded" || s === "failed" || s === "cancelled";

/**
 * Milliseconds the unfinished cells likely still take, counted from the batch's latest finish, or null
 * when it cannot be told yet (a model with cells left has too few finishes to have a pace). Models run
 * side by side, each at its own provider's limit: the slowest one's rest is the batch's.
 */
export function remainingMs(cells: readonly ProgressCell[], since: string | null): number | null {
  const byModel = new Map<string, { left: number; finishes: number[] }>();
  // Finishes from before this run (a retry or resume) say nothing of the pace now. The batch keeps its
  // first start through a resume, but a cell waiting its turn was last touched when it was asked for
  // again: the earliest such touch bounds the run from below.
  let start = since ? Date.parse(since) : Number.NEGATIVE_INFINITY;
  let firstWaiting = Number.POSITIVE_INFINITY;
  for (const c of cells)
    if (c.status === "queued" && c.updatedAt) firstWaiting = Math.min(firstWaiting, Date.parse(c.updatedAt));
  if (Number.isFinite(firstWaiting)) start = Math.max(start, firstWaiting);
  for (const c of cells) {
    const m = byModel.get(c.model) ?? { left: 0, finishes: [] };
    byModel.set(c.model, m);
    if (!done(c.status)) m.left += 1;
    else if (c.status !== "cancelled" && c.updatedAt) {
      const at = Date.parse(c.updatedAt);
      if (at >= start) m.finishes.push(at);
    }
  }
  let worst = 0;
  let any = false;
  for (const { left, finishes } of byModel.values()) {
    if (left === 0) continue;
    if (finishes.length < ETA_MIN_FINISHED) return null;
    const recent = finishes.sort((a, b) => a - b).slice(-ETA_WINDOW);
    const span = (recent.at(-1) as number) - (recent[0] as number);
    if (span <= 0) return null;
    // n finishes span n - 1 gaps.
    const perCell = span / (recent.length - 1);
    worst = Math.max(worst, left * perCell);
    any = true;
  }
  return any ? worst : null;
}

/** "about 40 s left", "about 6 min left": rounded, as the pace moves with every finish. */
export function formatRemaining(ms: number): string {
  if (ms < 60_000) return `about ${Math.max(10, Math.round(ms / 10_000) * 10)} s left`;
  if (ms < 90 * 60_000) return `about ${Math.round(ms / 60_000)} min left`;
  return `about ${Math.round(ms / 3_600_000)} h left`;
}

/**
 * The parts of a running batch's summary after its done counts: cells being made, retrying (a call
 * failed and is tried again after the wait the provider asked for), waiting their turn, and the rough
 * time left. Empty once nothing is left to do.
 */
export function runningParts(
  counts: BatchCounts,
  cells: readonly ProgressCell[],
  since: string | null,
): string[] {
  const parts: string[] = [];
  if (counts.running > 0) parts.push(`${counts.running} in progress`);
  if (counts.retrying > 0) parts.push(`${counts.retrying} to try again`);
  if (counts.queued > 0) parts.push(`${counts.queued} waiting ${counts.queued === 1 ? "its" : "their"} turn`);
  if (parts.length === 0) return parts;
  const left = remainingMs(cells, since);
  if (left !== null) parts.push(formatRemaining(left));
  return parts;
}
