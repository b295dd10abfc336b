/**
 * Ends a batch whose workflow run is gone: the engine lost its state, the run was deleted, or it ended
 * (Completed/Failed) without the batch being finished. Nothing else would ever end such a batch, so
 * it would show "running" forever. It ends as a failed run does (abandonBatch): the unfinished cells
 * fail with error kind "workflow" and can be retried, reusing any picture already stored.
 */
import { eq, sql } from "drizzle-orm";
import { abandonBatch, batches, cells, type CellRow, type Db } from "@/lib/db";
import { readEnv } from "@/lib/env";
import type { RunStatus } from "./run-status";

export type RunStatusLookup = (runId: string) => Promise<RunStatus>;

export interface ReconcileDeps {
  runStatus: RunStatusLookup;
  /**
   * Told the cells it ended, stops whatever runs of the batch are still alive (a leaf sleeping out a
   * provider's retry delay), so none works on a cell after it is retried. Failures are logged only.
   */
  stopRuns?: (batchId: string, ended: CellRow[]) => Promise<void>;
  /** No change for this long before the run is looked up (default: reconcileAfterMs()). */
  idleMs?: number;
  now?: () => number;
  throttle?: LookupThrottle;
}

export type ReconcileOutcome =
  | {
      action: "none";
      why:
        | "no batch"
        | "not running"
        | "no run"
        | "recent change"
        | "throttled"
        | "run active"
        | "not the owner";
    }
  | { action: "none"; why: "run status unknown"; detail: string }
  | { action: "ended"; run: "ended" | "missing"; failed: number };

/** Lookups of one batch's run at most this often per process, so busy pages do not hammer the server. */
export const LOOKUP_EVERY_MS = 30_000;

/** See RUN_CHECK_AFTER_MS in lib/env.ts. */
export function reconcileAfterMs(): number {
  const env = readEnv();
  return env.RUN_CHECK_AFTER_MS ?? env.PROVIDER_TIMEOUT_MS + 30_000;
}

/**
 * Looks up the run of a running batch that has had no change for `idleMs`, and ends the batch if the
 * run has ended or is gone. A run that is active, or whose status cannot be told, is left alone.
 */
export async function reconcileBatch(
  db: Db,
  batchId: string,
  deps: ReconcileDeps,
): Promise<ReconcileOutcome> {
  const now = deps.now?.() ?? Date.now();
  const [row] = await db
    .select({
      status: batches.status,
      runId: batches.runId,
      changedAt: sql<number>`(extract(epoch from greatest(${batches.updatedAt},
        (select max(${cells.updatedAt}) from ${cells} where ${cells.batchId} = ${batches.id}))) * 1000)::float8`,
    })
    .from(batches)
    .where(eq(batches.id, batchId));
  if (!row) return { action: "none", why: "no batch" };
  if (row.status !== "running" && row.status !== "queued") return { action: "none", why: "not running" };
  // Unclaimed (a new round whose run has not started): nothing to look up.
  if (!row.runId) return { action: "none", why: "no run" };
  if (now - Number(row.changedAt) < (deps.idleMs ?? reconcileAfterMs()))
    return { action: "none", why: "recent change" };
  const runId = row.runId;
  return (deps.throttle ?? sharedThrottle).run(`${batchId}:${runId}`, now, () =>
    endIfRunGone(db, batchId, runId, deps),
  );
}

async function endIfRunGone(
  db: Db,
  batchId: string,
  runId: string,
  deps: ReconcileDeps,
): Promise<ReconcileOutcome> {
  const run = await deps.runStatus(runId);
  if (run.state === "running") return { action: "none", why: "run active" };
  if (run.state === "unknown") return { action: "none", why: "run status unknown", detail: run.reason };
  const reason =
    run.state === "ended"
      ? `The batch's workflow run ended (${run.status}) without finishing this image. Retry the failed cells to run them again.`
      : "The batch's workflow run is gone from the workflow engine (its state was lost or the run was deleted), so this image was never finished. Retry the failed cells to run them again.";
  // The owner rule in abandonBatch leaves a newer round (claimed by another run, or released) alone.
  const result = await abandonBatch(db, batchId, { runId, reason });
  if (!result) return { action: "none", why: "no batch" };
  if (result.taken) return { action: "none", why: "not the owner" };
  if (!result.changed) return { action: "none", why: "not running" };
  if (result.ended.length > 0 && deps.stopRuns) {
    try {
      await deps.stopRuns(batchId, result.ended);
    } catch (error) {
      console.error(`batch ${batchId}: could not stop its leftover runs: ${(error as Error).message}`);
    }
  }
  return { action: "ended", run: run.state, failed: result.ended.length };
}

/**
 * At most one lookup per key per window. A caller arriving while the lookup is under way waits for it
 * and gets its outcome; later callers within the window get "throttled".
 */
export class LookupThrottle {
  private readonly entries = new Map<string, { at: number; pending: Promise<ReconcileOutcome> | null }>();

  constructor(private readonly windowMs = LOOKUP_EVERY_MS) {}

  async run(key: string, now: number, work: () => Promise<ReconcileOutcome>): Promise<ReconcileOutcome> {
    const entry = this.entries.get(key);
    if (entry?.pending) return entry.pending;
    if (entry && now - entry.at < this.windowMs) return { action: "none", why: "throttled" };
    this.prune(now);
    const pending = work();
    const fresh = { at: now, pending: pending as Promise<ReconcileOutcome> | null };
    this.entries.set(key, fresh);
    try {
      return await pending;
    } finally {
      fresh.pending = null;
    }
  }

  private prune(now: number) {
    if (this.entries.size < 1000) return;
    for (const [key, entry] of this.entries)
      if (!entry.pending && now - entry.at >= this.windowMs) this.entries.delete(key);
  }
}

const sharedThrottle = new LookupThrottle();
