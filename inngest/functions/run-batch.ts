/**
 * Root of the fan-out: batch/requested → one run-prompt per title with unfinished cells, all at once (past
 * PROMPTS_PER_RUN titles, through run-prompt-group, one per slice of titles: Inngest's step limit); the
 * result is the matrix results[prompt][model] of image URLs (null where a cell has no image).
 * Triggered again with reason "retry" after failed cells of a finished batch were re-queued: finished
 * cells are skipped; and with reason "resend" when a batch was never started: the first run to claim the
 * batch does the work. Cells asked for again while the run works (new takes, retries, resumes) are its
 * next wave, started as soon as the current one has ended (endWave); a run near Inngest's step limit
 * after many waves hands the batch on to a new run ("hand-off").
 * A batch never stays running after its workflow stopped: cells a lost run below left unfinished, or
 * all unfinished cells when this run itself fails (onFailure), fail with the reason and can be retried.
 */
import type { GetStepTools } from "inngest";
import type { ModelId } from "@/lib/catalog/models";
import { DEFAULT_RUN_MAX_STEPS, promptsPerRun, runMaxSteps } from "@/lib/batches/concurrency";
import {
  abandonBatch,
  claimBatch,
  endWave,
  getBatch,
  getDb,
  pendingCells,
  type PendingCell,
  type WavePlan,
} from "@/lib/db";
import { toBatchDto } from "@/lib/batches/dto";
import { urlFor } from "@/lib/batches/service";
import { inngest } from "../client";
import { batchRequested } from "../events";
import { errorText } from "./error-text";
import { invokeTitles, runPromptGroup, type PromptRow } from "./run-prompt-group";

/**
 * Invokes run-prompt per title, all at once; past `perRun` titles, run-prompt-group per slice of that
 * many instead (Inngest's step limit). Settled, not all: one lost title must not end the batch while
 * the others are still working. Returns why the first lost title was lost, if any. Wave 0 keeps the
 * step ids runs had before waves existed, so a run in flight across an upgrade replays the same.
 */
async function fanOut(
  step: GetStepTools<typeof inngest>,
  batchId: string,
  rows: PromptRow[],
  perRun: number,
  wave: number,
): Promise<string | null> {
  const prefix = wave === 0 ? "" : `w${wave}-`;
  if (rows.length <= perRun) return (await invokeTitles(step, batchId, rows, prefix)).error;
  const settled = await Promise.allSettled(
    slices(rows, perRun).map((group) =>
      step.invoke(`${prefix}prompts-${group[0]!.promptIndex}-${group.at(-1)!.promptIndex}`, {
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

function slices<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Steps fanOut takes for `rows`. */
const fanOutSteps = (rows: number, perRun: number) => (rows <= perRun ? rows : Math.ceil(rows / perRun));

/** The plan's rows from pending cells: per title, its models and their cells' rounds. */
function rowsOf(pending: PendingCell[]): PromptRow[] {
  const rows = new Map<number, PromptRow>();
  for (const c of pending) {
    const row = rows.get(c.promptIndex) ?? { promptIndex: c.promptIndex, models: [], rounds: [] };
    row.models.push(c.model as ModelId);
    row.rounds!.push(c.round);
    rows.set(c.promptIndex, row);
  }
  return [...rows.values()];
}

/** The cells a wave's rows were planned for. */
const plannedCells = (rows: PromptRow[]): WavePlan =>
  rows.flatMap((r) =>
    r.models.map((model, i) => ({ promptIndex: r.promptIndex, model, round: r.rounds?.[i] })),
  );

/** Read once at load, like the other workflow settings, so a bad value shows when the app starts. */
const PROMPTS_PER_RUN = promptsPerRun();
/** Steps per run (Inngest's limit); a run nearing it hands the batch on to a new run. */
const RUN_MAX_STEPS = runMaxSteps(process.env, PROMPTS_PER_RUN);

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
      const claim = await claimBatch(db, batchId, runId, event.data.from);
      if (claim && !claim.claimed) return null;
      return {
        perRun: PROMPTS_PER_RUN,
        maxSteps: RUN_MAX_STEPS,
        rows: rowsOf(await pendingCells(db, batchId)),
      };
    });
    if (plan === null) return { batchId, status: "taken by another run", results: [] };
    // Runs started before the per-run limit stored their plan as the bare list of rows, and before
    // waves without the step limit (fixed in the plan, so a replay hands on at the same wave).
    const perRun = Array.isArray(plan) ? Infinity : plan.perRun;
    const maxSteps =
      (Array.isArray(plan) ? null : (plan as { maxSteps?: number }).maxSteps) ?? DEFAULT_RUN_MAX_STEPS;
    let rows = Array.isArray(plan) ? (plan as PromptRow[]) : plan.rows;
    let steps = 1;
    // Waves: cells asked for again while one ran (new takes, retries, resumes) are the next, until none
    // are left.
    for (let wave = 0; ; wave++) {
      const lost = await fanOut(step, batchId, rows, perRun, wave);
      steps += fanOutSteps(rows.length, perRun) + 1;
      // Plans made before rounds were passed on cannot tell a lost cell from one asked for again.
      const planned = rows.every((r) => r.rounds) ? plannedCells(rows) : null;
      const end = await step.run(wave === 0 ? "finish" : `finish-${wave}`, async () => {
        const db = await getDb();
        // Every run of this wave has ended, so a planned cell still unfinished has nothing working on it.
        const why = lost ? ` (${lost})` : "";
        const reason = `The workflow stopped before this image was made${why}. Retry the failed cells to run them again.`;
        const ended = await endWave(db, batchId, { runId, reason, planned });
        if (ended?.next) return { next: rowsOf(ended.next) };
        const found = await getBatch(db, batchId);
        if (!found) return { batchId, status: "deleted", results: [] };
        const { results } = toBatchDto(found.batch, found.cells, urlFor);
        return { batchId, status: found.batch.status, results };
      });
      if (!("next" in end)) return end;
      rows = end.next;
      // One more wave and the hand-off it may still need must fit in the run's steps. This run keeps
      // the batch until the next one takes it over, so a hand-off that cannot be sent fails this run
      // and its onFailure ends the batch (its cells can be retried), instead of leaving it ownerless.
      if (steps + fanOutSteps(rows.length, perRun) + 1 + 1 > maxSteps) {
        await step.sendEvent(
          "hand-off",
          batchRequested.create(
            { batchId, reason: "hand-off", from: runId },
            { id: `batch-hand-off-${batchId}-${runId}` },
          ),
        );
        return { batchId, status: "handed on to another run", results: [] };
      }
    }
  },
);
