/**
 * Root of the fan-out: batch/requested → one run-prompt per title with unfinished cells, all at once; the
 * result is the matrix results[prompt][model] of image URLs (null where a cell has no image).
 * Triggered again with reason "retry" after failed cells were re-queued: finished cells are skipped; and
 * with reason "resend" when a batch was never started: the first run to claim the batch does the work.
 */
import type { ModelId } from "@/lib/catalog/models";
import { getDb, getBatch, claimBatch, finishBatchIfDone, pendingCells } from "@/lib/db";
import { toBatchDto } from "@/lib/batches/dto";
import { urlFor } from "@/lib/batches/service";
import { inngest } from "../client";
import { batchRequested } from "../events";
import { runPrompt } from "./run-prompt";

export const runBatch = inngest.createFunction(
  {
    id: "run-batch",
    name: "Generate a batch of thumbnails",
    retries: 4,
    cancelOn: [{ event: "batch/cancelled", if: "event.data.batchId == async.data.batchId" }],
    triggers: [batchRequested],
  },
  async ({ event, step, runId }) => {
    const { batchId } = event.data;
    // The plan: the models still to do for each prompt with unfinished cells; null when another run
    // owns the batch (it was sent again while its first event was only late).
    const plan = await step.run("start", async () => {
      const db = await getDb();
      const claim = await claimBatch(db, batchId, runId);
      if (claim && !claim.claimed) return null;
      const rows: Record<number, ModelId[]> = {};
      for (const c of await pendingCells(db, batchId)) (rows[c.promptIndex] ??= []).push(c.model as ModelId);
      return Object.entries(rows).map(([promptIndex, models]) => ({
        promptIndex: Number(promptIndex),
        models,
      }));
    });
    if (plan === null) return { batchId, status: "taken by another run", results: [] };
    await Promise.all(
      plan.map(({ promptIndex, models }) =>
        step.invoke(`prompt-${promptIndex}`, {
          function: runPrompt,
          data: { batchId, promptIndex, models },
        }),
      ),
    );
    return step.run("finish", async () => {
      const db = await getDb();
      await finishBatchIfDone(db, batchId);
      const found = await getBatch(db, batchId);
      if (!found) return { batchId, status: "deleted", results: [] };
      const { results } = toBatchDto(found.batch, found.cells, urlFor);
      return { batchId, status: found.batch.status, results };
    });
  },
);
