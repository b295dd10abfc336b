/**
 * Lost runs are otherwise noticed only where a batch is looked at (check-run.ts). A scheduled function
 * (inngest/functions/end-lost-batches.ts) also sweeps: the unfinished batches idle past the threshold
 * are checked the same way, so a batch nobody has open (a crash overnight, the engine's data reset)
 * ends by itself and shows as failed-and-retryable in lists and the gallery instead of "running" for
 * ever. Being an Inngest function, it runs where no server runs for long (serverless hosts) too.
 */
import { and, inArray, isNotNull, sql } from "drizzle-orm";
import { batches, cells, type Db } from "@/lib/db";
import type { ReconcileOutcome } from "./reconcile";

/** Batches checked per sweep at most; the rest wait for the next one. */
export const SWEEP_BATCH_LIMIT = 50;

/** Unfinished batches with a run whose last change is older than `idleMs`, oldest change first. */
export async function idleUnfinishedBatches(db: Db, idleMs: number, now = Date.now()): Promise<string[]> {
  const changedAt = sql`greatest(${batches.updatedAt},
    (select max(${cells.updatedAt}) from ${cells} where ${cells.batchId} = ${batches.id}))`;
  const rows = await db
    .select({ id: batches.id })
    .from(batches)
    .where(
      and(
        inArray(batches.status, ["running", "queued"]),
        isNotNull(batches.runId),
        sql`${changedAt} < to_timestamp(${(now - idleMs) / 1000})`,
      ),
    )
    .orderBy(changedAt)
    .limit(SWEEP_BATCH_LIMIT);
  return rows.map((r) => r.id);
}

export interface SweepDeps {
  db: () => Promise<Db>;
  idleMs: () => number;
  /** checkBatchRun in the app: looks the run up (throttled) and ends the batch if it is gone. */
  check: (batchId: string) => Promise<ReconcileOutcome | null>;
  now?: () => number;
}

/** One pass: checks each idle unfinished batch in turn. Returns how many were ended. Never throws. */
export async function sweepOnce(deps: SweepDeps): Promise<number> {
  let ended = 0;
  try {
    const ids = await idleUnfinishedBatches(await deps.db(), deps.idleMs(), deps.now?.() ?? Date.now());
    for (const id of ids) if ((await deps.check(id))?.action === "ended") ended++;
  } catch (error) {
    console.error(`lost-run sweep: ${(error as Error).message}`);
  }
  return ended;
}
