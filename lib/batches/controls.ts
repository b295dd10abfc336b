/**
 * The creator's controls on a batch: cancel, retry the failed cells, resume the cancelled ones, send a
 * never-started batch again.
 * Each changes the database first and then tells the workflow, so a lost send can be repeated (a cancel's
 * stop only hurries runs along: they find their cells ended in the database and make no call).
 */
import { formatUsd } from "@/lib/format";
import {
  cancelBatch,
  getBatch,
  getBatchRow,
  getDb,
  requeueTakes,
  resetFailedCells,
  resumeCancelledCells,
  showOtherTake,
  type BatchStatus,
  type BudgetRefusal,
  type CellPick,
  type Requeued,
} from "@/lib/db";
import { getModel, MODEL_IDS, type ModelId } from "@/lib/catalog/models";
import { providerAvailability } from "@/lib/providers/registry";
import { plural } from "@/lib/format";
import { inngest } from "@/inngest/client";
import { batchCancelled, batchRequested, cancelEventId } from "@/inngest/events";
import type { BatchDto } from "./dto";
import { estimateBatchCost, readBatch } from "./service";
import { callWindowMs as callWindow } from "./call-window";
import { RESENT_NOTE } from "./requeued-note";
import { msUntilStalled } from "./stalled";

export type ManageOutcome =
  /**
   * `nextWave`: the cells were queued for the run that had claimed the batch, which makes them once the
   * cells under way have ended; false: they join a run's first wave (one started for them, or the run
   * a queued batch still waits for).
   */
  | {
      batch: BatchDto;
      count: number;
      nextWave?: boolean;
      /** What it did, for the page a form post goes back to, when its count does not say (a resend). */
      note?: string;
    }
  /** retryAfterMs: when the same request can succeed (sent as Retry-After). */
  | { error: string; status: 400 | 409 | 503; retryAfterMs?: number };

/**
 * Cancels the unfinished cells (count) and stops the batch's runs. A batch that had already finished is
 * refused (409), naming its status: nothing was changed and no stop is sent, as its runs have nothing
 * left to do (a run that outlived a lost stop finds its cells ended and calls nothing). Null: no such batch.
 */
export async function cancelBatchById(
  id: string,
  reason = "cancelled by the owner",
): Promise<ManageOutcome | null> {
  const db = await getDb();
  const result = await cancelBatch(db, id, { reason });
  if (!result) return null;
  if (result.finishedBefore) return { error: alreadyFinished(result.batch.status), status: 409 };
  const eventId = cancelEventId(id, result.cancelled);
  await inngest.send(batchCancelled.create({ batchId: id, reason }, { id: eventId }));
  const batch = (await readBatch(id))?.batch;
  return batch ? { batch, count: result.cancelled.length } : null;
}

/** Why a cancel of a batch that had already finished (in `status`) changed nothing. */
function alreadyFinished(status: BatchStatus): string {
  const what = status === "cancelled" ? "was already cancelled" : `has already finished (${status})`;
  return `This batch ${what}: there is nothing left to cancel, and nothing was changed.`;
}

/**
 * Re-queues the failed cells: a finished batch gets a run for them; a running one's run takes them up
 * once the cells under way have ended (its next wave). Null: no such batch.
 */
export async function retryFailedCells(id: string): Promise<ManageOutcome | null> {
  const db = await getDb();
  const found = await getBatch(db, id);
  if (!found) return null;
  const { prices } = takePrices(found.batch.input);
  const reset = await resetFailedCells(db, id, { prices, callWindowMs: callWindow() });
  if ("reason" in reset) {
    const failed = found.cells.filter((c) => c.status === "failed").length;
    return { error: overBudget(`Retrying ${plural(failed, "failed cell")}`, reset), status: 409 };
  }
  if (reset.cells.length === 0) return { error: "This batch has no failed cells to retry.", status: 409 };
  return startRound(id, reset, "retry");
}

/**
 * Re-queues the cancelled cells (cancelled by mistake, by a budget since raised, or to end a batch whose
 * run was lost): a finished batch gets a run for them; a running one (again, for a retry or new take)
 * keeps its run, which takes them up once the cells under way have ended (its next wave). Null: no
 * such batch.
 */
export async function resumeBatch(id: string): Promise<ManageOutcome | null> {
  const db = await getDb();
  const found = await getBatch(db, id);
  if (!found) return null;
  const callWindowMs = callWindow();
  const { prices } = takePrices(found.batch.input);
  const outcome = await resumeCancelledCells(db, id, { callWindowMs, prices });
  if ("reason" in outcome) {
    const cancelled = found.cells.filter((c) => c.status === "cancelled").length;
    return { error: overBudget(`Resuming ${plural(cancelled, "cancelled cell")}`, outcome), status: 409 };
  }
  const { resumed, newRun, nextWave, running, inFlight, retryAfterMs } = outcome;
  if (inFlight > 0) {
    const calls = plural(inFlight, "image");
    return {
      error: `${calls} from before the cancel may still be generating. Resume once ${inFlight === 1 ? "it has" : "they have"} finished (at most ${Math.ceil(callWindowMs / 60_000)} minutes), so nothing is paid for twice.`,
      status: 409,
      retryAfterMs,
    };
  }
  if (resumed.length === 0) {
    // A batch at work with nothing cancelled: a stuck one is started over by cancelling it first.
    const error = running
      ? "This batch is running and has no cancelled cells: there is nothing to resume (to start a stuck batch over, cancel it, then resume)."
      : "This batch has no cancelled cells to resume.";
    return { error, status: 409 };
  }
  return startRound(id, { cells: resumed, newRun, nextWave }, "resume");
}

/** Why `what` (new calls) was refused by the batch's budget. */
function overBudget(what: string, refusal: BudgetRefusal): string {
  const after = refusal.owedUsd > 0 ? " once the images still being made are paid for" : "";
  return `${what} would cost about ${formatUsd(refusal.costUsd)}, more than is left of this batch's budget${after} (${formatUsd(refusal.leftUsd)} of ${formatUsd(refusal.budgetUsd)}).`;
}

const pickName = (p: CellPick) => `title ${p.promptIndex + 1} × ${p.model}`;

/**
 * What one new take costs per model of a batch at list price (its canvas and quality), for the models
 * that can be called here; a model missing from the result cannot take one (with why in `unavailable`).
 */
export function takePrices(input: { models: readonly string[]; canvas: string; quality?: string | null }) {
  const prices: Record<string, number> = {};
  const unavailable: Record<string, string> = {};
  for (const model of input.models) {
    if (!(MODEL_IDS as readonly string[]).includes(model)) {
      unavailable[model] = `${model} is not a model this app can call any more.`;
      continue;
    }
    const found = getModel(model as ModelId);
    const available = providerAvailability(found.provider);
    if (!available.available) {
      unavailable[model] = `${found.label} is not available here: set ${available.missingEnv}.`;
      continue;
    }
    const one = estimateBatchCost({
      prompts: [""],
      models: [model],
      canvas: input.canvas,
      quality: input.quality ?? undefined,
    });
    prices[model] = one.perModel[model] ?? 0;
  }
  return { prices, unavailable };
}

/**
 * New takes of succeeded cells: each picked cell gets a new picture from its model (a paid call at list
 * price), keeping the one it has until the new one succeeds. The batch may still be running: its run
 * makes them once the cells under way have ended (its next wave). Refused when the batch's budget
 * would not cover them after the cells still to make, or a model cannot be called here. Null: no such
 * batch.
 */
export async function newTakes(id: string, picks: CellPick[]): Promise<ManageOutcome | null> {
  const db = await getDb();
  const row = await getBatchRow(db, id);
  if (!row) return null;
  const { input } = row;
  const strangers = picks.filter(
    (p) => !input.models.includes(p.model) || p.promptIndex >= input.prompts.length,
  );
  if (strangers.length > 0)
    return {
      error: `This batch has no cell ${strangers.slice(0, 5).map(pickName).join(", ")}.`,
      status: 400,
    };
  // One price per model of the batch: the cells still to make count against its budget too.
  const { prices, unavailable } = takePrices(input);
  const refused = picks.map((p) => unavailable[p.model]).find(Boolean);
  if (refused) return { error: refused, status: 409 };
  const callWindowMs = callWindow();
  const result = await requeueTakes(db, id, picks, { prices, callWindowMs });
  if (!result) return null;
  if (result.kind === "refused" && result.reason === "budget")
    return { error: overBudget(plural(picks.length, "new take"), result), status: 409 };
  if (result.kind === "refused") {
    const names = result.picks.slice(0, 5).map(pickName).join(", ");
    if (result.reason === "missing") return { error: `This batch has no cell ${names}.`, status: 400 };
    if (result.reason === "in-flight")
      return {
        error: `The last take of ${names} was cancelled while its picture was being made, and that call may still be running. Ask again once it has ended (at most ${Math.ceil(callWindowMs / 60_000)} minutes), so nothing is paid for twice.`,
        status: 409,
        retryAfterMs: result.retryAfterMs,
      };
    if (result.reason === "under-way")
      return { error: `A new take of ${names} is already under way.`, status: 409 };
    if (result.reason === "changed")
      return {
        error: `The cell ${names} has had a new take since this page showed it (in another tab?), so it was not asked for again. Reload to see it.`,
        status: 409,
      };
    return { error: `Only a cell with a finished image can get a new take (${names}).`, status: 409 };
  }
  return startRound(id, result, "take");
}

/**
 * Switch to another take: each picked finished cell shows the other take `other` names (its id, or its
 * position; default 0, the one shown most recently: at first the picture its last new take replaced),
 * and the picture it showed leads its other takes. No provider call, no run.
 */
export async function switchToOtherTake(
  id: string,
  picks: (CellPick & { other?: number | string })[],
): Promise<ManageOutcome | null> {
  const result = await showOtherTake(await getDb(), id, picks);
  if (!result) return null;
  if (result.kind === "refused") {
    const names = result.picks.slice(0, 5).map(pickName).join(", ");
    if (result.reason === "missing") return { error: `This batch has no cell ${names}.`, status: 400 };
    const which = picks.some((p) => (p.other ?? 0) !== 0) ? "that other take" : "another take";
    return { error: `Only a finished image with ${which} can switch to it (${names}).`, status: 409 };
  }
  const batch = (await readBatch(id))?.batch;
  return batch ? { batch, count: result.cells.length } : null;
}

/**
 * After cells were queued again: a run for them if the batch had finished; else its run takes them up
 * (`nextWave`: a run had claimed it, which makes them once the cells under way have ended; else they
 * join the first wave of the run it waits for).
 */
async function startRound(
  id: string,
  { cells, newRun, nextWave }: Requeued,
  reason: "retry" | "resume" | "take",
): Promise<ManageOutcome | null> {
  if (newRun) {
    const round = Math.max(...cells.map((c) => c.round));
    // A round can repeat another round's (other cells): the event id needs more than the round.
    const tag = `${round}-${Date.now().toString(36)}`;
    await inngest.send(
      batchRequested.create({ batchId: id, reason }, { id: `batch-${reason}-${id}-${tag}` }),
    );
  }
  const batch = (await readBatch(id))?.batch;
  return batch ? { batch, count: cells.length, nextWave } : null;
}

/**
 * Sends batch/requested again for a batch no run has started after ENGINE_STALL_MS (its event was lost,
 * or arrived before the engine knew this app). A fresh event id, so an engine that saw the first one
 * does not drop it as a duplicate; claimBatch lets only one run do the work if the first was only late.
 */
export async function resendBatch(id: string): Promise<ManageOutcome | null> {
  const found = await readBatch(id);
  if (!found) return null;
  const wait = msUntilStalled(found.batch, Date.now());
  if (wait === null) return { error: "This batch has already started.", status: 409 };
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    return {
      error: `The engine normally starts a batch within seconds; wait ${seconds} s more before sending it again.`,
      status: 409,
    };
  }
  try {
    await inngest.send(
      batchRequested.create(
        { batchId: id, reason: "resend" },
        { id: `batch-requested-${id}-resend-${Date.now()}` },
      ),
    );
  } catch (err) {
    return { error: `Could not reach the workflow engine: ${(err as Error).message}`, status: 503 };
  }
  return { batch: found.batch, count: 1, note: RESENT_NOTE };
}
