/**
 * Root of the fan-out: batch/requested → one run-prompt per title with unfinished cells, all at once (past
 * PROMPTS_PER_RUN titles, through run-prompt-group, one per slice of titles: Inngest's step limit); the
 * result is the matrix results[prompt][model] of image URLs (null where a cell has no image).
 * Triggered again with reason "retry" after failed cells were re-queued: finished cells are skipped; and
 * with reason "resend" when a batch was never started: the first run to claim the batch does the work.
 * A batch never stays running after its workflow stopped: cells a lost run below left unfinished, or
 * all unfinished cells when this run itself fails (onFailure), fail with the reason and can be retried.
 */
import type { GetStepTools } from "inngest";
import type { ModelId } from "@/lib/catalog/models";
import { promptsPerRun } from "@/lib/batches/concurrency";
import { abandonBatch, claimBatch, getBatch, getDb, pendingCells } from "@/lib/db";
import { toBatchDto } from "@/lib/batches/dto";
import { urlFor } from "@/lib/batches/service";
import { inngest } from "../client";
import { batchRequested } from "../events";
import { errorText } from "./error-text";
import { invokeTitles, runPromptGroup, type PromptRow } from "./run-prompt-group";

/**
 * Invokes run-prompt per title, all at once; past `perRun` titles, run-prompt-group per slice of that
 * many instead (Inngest's step limit). Settled, not all: one lost title must not end the batch while
 * the others are still working. Returns why the first lost title was lost, if any.
 */
async function fanOut(
  step: GetStepTools<typeof inngest>,
  batchId: string,
  rows: PromptRow[],
  perRun: number,
): Promise<string | null> {
  if (rows.length <= perRun) return (await invokeTitles(step, batchId, rows)).error;
  const groups: PromptRow[][] = [];
  for (let i = 0; i < rows.length; i += perRun) groups.push(rows.slice(i, i + perRun));
  const settled = await Promise.allSettled(
    groups.map((group) =>
      step.invoke(`prompts-${group[0]!.promptIndex}-${group.at(-1)!.promptIndex}`, {
        function: runPromptGroup,
        data: { batchId, rows: group },
      }),
    ),
  );
  for (const r of settled) {
    if (r.status === "rejected") return errorText(r.reason);
    if (r.value.error !== null) return r.value.error;
  }
  return null;
}

/** Read once at load, like the other workflow settings, so a bad value shows when the app starts. */
const PROMPTS_PER_RUN = promptsPerRun();

export const runBatch = inngest.createFunction(
  {
    id: "run-batch",
    name: "Generate a batch of thumbnails",
    retries: 4,
    cancelOn: [{ event: "batch/cancelled", if: "event.data.batchId == async.data.batchId" }],
    triggers: [batchRequested],
    onFailure: async ({ event, error, step }) => {
      const { batchId } = event.data.event.data;
      await step.run("end-batch", async () => {
        const reason = `The batch's workflow run failed (${error.message}). Retry the failed cells to run them again.`;
        const ended = await abandonBatch(await getDb(), batchId, { runId: event.data.run_id, reason });
        return { failed: ended?.ended.length ?? 0, status: ended?.batch.status ?? "deleted" };
      });
    },
  },
  async ({ event, step, runId }) => {
    const { batchId } = event.data;
    // The plan: the models still to do for each prompt with unfinished cells, and how many titles one
    // run may invoke (fixed here, so a replay fans out the same way); null when another run owns the
    // batch (it was sent again while its first event was only late).
    const plan = await step.run("start", async () => {
      const db = await getDb();
      const claim = await claimBatch(db, batchId, runId);
      if (claim && !claim.claimed) return null;
      const rows: Record<number, ModelId[]> = {};
      for (const c of await pendingCells(db, batchId)) (rows[c.promptIndex] ??= []).push(c.model as ModelId);
      return {
        perRun: PROMPTS_PER_RUN,
        rows: Object.entries(rows).map(([promptIndex, models]) => ({
          promptIndex: Number(promptIndex),
          models,
        })),
      };
    });
    if (plan === null) return { batchId, status: "taken by another run", results: [] };
    // Runs started before the per-run limit stored their plan as the bare list of rows.
    const { rows, perRun } = Array.isArray(plan) ? { rows: plan as PromptRow[], perRun: Infinity } : plan;
    const lost = await fanOut(step, batchId, rows, perRun);
    return step.run("finish", async () => {
      const db = await getDb();
      // Every run below has ended, so a cell still unfinished now has nothing left working on it.
      const why = lost ? ` (${lost})` : "";
      const reason = `The workflow stopped before this image was made${why}. Retry the failed cells to run them again.`;
      await abandonBatch(db, batchId, { runId, reason });
      const found = await getBatch(db, batchId);
      if (!found) return { batchId, status: "deleted", results: [] };
      const { results } = toBatchDto(found.batch, found.cells, urlFor);
      return { batchId, status: found.batch.status, results };
    });
  },
);
