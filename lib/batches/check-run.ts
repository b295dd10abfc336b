/**
 * Where a stuck batch is looked at (its page, GET /api/batches/:id, its live stream), its workflow run
 * is checked, so a batch whose run is gone ends by itself. Only a batch idle past reconcileAfterMs()
 * pays for a lookup, bounded by the lookup's timeout; any failure leaves the batch as it was.
 */
import { getDb } from "@/lib/db";
import { inngest } from "@/inngest/client";
import { batchCancelled, cancelEventId } from "@/inngest/events";
import type { BatchDto } from "./dto";
import { reconcileAfterMs, reconcileBatch, type ReconcileOutcome } from "./reconcile";
import { fetchRunStatus, runApiConfig } from "./run-status";
import { readBatch } from "./service";
import { lastChange } from "./stalled";

type Found = NonNullable<Awaited<ReturnType<typeof readBatch>>>;

/** True when the batch may be waiting on a run that is gone: unfinished and unchanged for the threshold. */
export function mayHaveLostRun(batch: BatchDto, now: number, idleMs: number): boolean {
  const since =
    batch.status === "running" ? lastChange(batch) : batch.status === "queued" ? batch.createdAt : null;
  if (!since) return false;
  const at = Date.parse(since);
  return !Number.isNaN(at) && now - at >= idleMs;
}

/** Looks up the batch's run (throttled) and ends the batch if the run is gone. Never throws. */
export async function checkBatchRun(batchId: string): Promise<ReconcileOutcome | null> {
  try {
    return await reconcileBatch(await getDb(), batchId, {
      runStatus: (runId) => fetchRunStatus(runId, runApiConfig()),
      stopRuns: async (id, ended) => {
        const reason = "The batch's workflow run is gone: its leftover runs stop.";
        await inngest.send(batchCancelled.create({ batchId: id, reason }, { id: cancelEventId(id, ended) }));
      },
    });
  } catch (error) {
    console.error(`batch ${batchId}: checking its workflow run failed: ${(error as Error).message}`);
    return null;
  }
}

/** readBatch, after ending the batch first if its run is gone, so the answer already shows the outcome. */
export async function readBatchChecked(id: string): Promise<Found | null> {
  const found = await readBatch(id);
  if (!found) return found;
  let idleMs: number;
  try {
    idleMs = reconcileAfterMs();
  } catch (error) {
    console.error(`batch ${id}: not checking its workflow run: ${(error as Error).message}`);
    return found;
  }
  if (!mayHaveLostRun(found.batch, Date.now(), idleMs)) return found;
  const outcome = await checkBatchRun(id);
  return outcome?.action === "ended" ? ((await readBatch(id)) ?? found) : found;
}
