/**
 * Batch endings: finish when every cell is terminal, cancel, abandon; retry of failed and resume of
 * cancelled cells (while the batch runs too: its run takes them up as its next wave).
 */
import { and, eq, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { isTerminalBatch, lockBatch, sortCells, spendSoFar, updateBatch, type PendingCell } from "./batches";
import { endTakeLocked, showOtherTakeLocked } from "./cells";
import { appendEvent } from "./events";
import { batches, cells, type BatchRow, type BatchStatus, type CellRow, type CellStatus } from "./schema";
import { otherTakeId } from "./take-id";
import type { Db, Executor, Tx } from "./types";
import { callsOut, countCells, isTerminalCell, toCellView } from "./views";

export interface FinishResult {
  batch: BatchRow;
  /** The batch is in a terminal status (now or already before this call). */
  done: boolean;
  /** This call is the one that finished it. */
  changed: boolean;
}

/** Inside a transaction holding lockBatch: finish the batch when every cell is terminal. */
export async function finishLocked(tx: Tx, batch: BatchRow): Promise<FinishResult> {
  if (isTerminalBatch(batch.status)) return { batch, done: true, changed: false };
  return settleLocked(tx, batch);
}

/**
 * Settles a batch that had already ended again, after a cell changed outcome (an image that arrived
 * after its workflow run stopped): a failed batch may now be partial, a partial one succeeded.
 * Cancelled batches keep their status. The batch row must be locked.
 */
export async function refinishLocked(tx: Tx, batch: BatchRow): Promise<FinishResult> {
  if (batch.status !== "failed" && batch.status !== "partial") return finishLocked(tx, batch);
  return settleLocked(tx, batch);
}

async function settleLocked(tx: Tx, batch: BatchRow): Promise<FinishResult> {
  const rows = await tx
    .select({ status: cells.status, n: sql<number>`count(*)::int` })
    .from(cells)
    .where(eq(cells.batchId, batch.id))
    .groupBy(cells.status);
  const counts = countCells(rows.map((r) => ({ status: r.status, n: Number(r.n) })));
  if (counts.done < counts.total) return { batch, done: false, changed: false };
  const status: BatchStatus =
    counts.cancelled > 0
      ? "cancelled"
      : counts.succeeded === counts.total
        ? "succeeded"
        : counts.succeeded === 0
          ? "failed"
          : "partial";
  const now = new Date();
  const actualCostUsd = await spendSoFar(tx, batch.id);
  const updated = await updateBatch(tx, batch.id, {
    status,
    finishedAt: now,
    startedAt: batch.startedAt ?? now,
    actualCostUsd,
  });
  await appendEvent(tx, batch.id, {
    type: "batch.finished",
    status,
    finishedAt: now.toISOString(),
    actualCostUsd,
  });
  return { batch: updated, done: true, changed: true };
}

/**
 * Finishes the batch if every cell is terminal: all succeeded → succeeded, none → failed,
 * a mix → partial, any cancelled → cancelled. Idempotent; null when the batch does not exist.
 */
export async function finishBatchIfDone(db: Db, id: string): Promise<FinishResult | null> {
  return db.transaction(async (tx) => {
    const batch = await lockBatch(tx, id);
    return batch ? finishLocked(tx, batch) : null;
  });
}

export interface CancelOptions {
  reason: string;
  /** "unfinished" (default): every non-terminal cell; "queued": only cells not yet started. */
  scope?: "unfinished" | "queued";
}

export interface CancelResult extends FinishResult {
  cancelled: CellRow[];
  /** The batch had finished before this call (its status is in `batch`): nothing was changed. */
  finishedBefore: boolean;
}

/** Marks unfinished cells cancelled with the reason, then finishes the batch if nothing is left. */
export async function cancelBatch(db: Db, id: string, options: CancelOptions): Promise<CancelResult | null> {
  return db.transaction(async (tx) => {
    const batch = await lockBatch(tx, id);
    if (!batch) return null;
    if (isTerminalBatch(batch.status))
      return { batch, done: true, changed: false, cancelled: [], finishedBefore: true };
    const statuses: CellStatus[] =
      options.scope === "queued" ? ["queued"] : ["queued", "running", "retrying"];
    const cancelled = await endCells(tx, batch, statuses, "cancelled", options.reason);
    const current = await noteCancelled(tx, batch, cancelled, options.reason);
    return { ...(await finishLocked(tx, current)), cancelled, finishedBefore: false };
  });
}

async function noteCancelled(tx: Tx, batch: BatchRow, ended: CellRow[], reason: string) {
  // A take that was cancelled went back to its previous picture: that cell is not cancelled.
  const cancelled = ended.filter((cell) => cell.status === "cancelled");
  if (cancelled.length === 0) return batch;
  const updated = await updateBatch(tx, batch.id, { cancelReason: batch.cancelReason ?? reason });
  await appendEvent(tx, batch.id, {
    type: "batch.cancelled",
    reason,
    cellIds: cancelled.map((cell) => cell.id),
  });
  return updated;
}

export interface AbandonResult extends FinishResult {
  /** The cells this call ended. */
  ended: CellRow[];
  /** Another run owns the batch; nothing was changed. */
  taken: boolean;
}

/**
 * Ends a batch its workflow has stopped working on for good, so it never shows as running forever:
 * - "failed" (the run failed, or a run below it ended without recording its cell): every unfinished
 *   cell fails with the reason (error kind "workflow") and can be retried;
 * - "cancelled" (the run was cancelled outside the app, e.g. from the Inngest dashboard): every
 *   unfinished cell is cancelled, as by the creator's cancel.
 * Only the run that claimed the batch may do this, or any run while it was never started (the claim
 * itself failed). Not a duplicate run, and not an old run ending late after a retry released the
 * batch: the cells it would end are the next round's. Null when the batch does not exist.
 */
export async function abandonBatch(
  db: Db,
  id: string,
  options: { runId: string; reason: string; outcome?: "failed" | "cancelled" },
): Promise<AbandonResult | null> {
  return db.transaction(async (tx) => {
    const batch = await lockBatch(tx, id);
    if (!batch) return null;
    const done = isTerminalBatch(batch.status);
    const owner = batch.runId === null ? batch.status === "queued" : batch.runId === options.runId;
    if (done || !owner) {
      return { batch, done, changed: false, ended: [], taken: !done };
    }
    const outcome = options.outcome ?? "failed";
    const ended = await endCells(tx, batch, ["queued", "running", "retrying"], outcome, options.reason);
    const current = outcome === "cancelled" ? await noteCancelled(tx, batch, ended, options.reason) : batch;
    return { ...(await finishLocked(tx, current)), ended, taken: false };
  });
}

/** A wave's plan: the cells its runs were started for, each in the round it was in then. */
export type WavePlan = readonly { promptIndex: number; model: string; round?: number }[];

/** A planned cell (in any round when the plan names none). */
const planKey = (promptIndex: number, model: string, round: number | undefined) =>
  `${promptIndex}\n${model}\n${round ?? "any"}`;

export type WaveEnd =
  | (AbandonResult & { next: null })
  /** Cells asked for again while the wave ran (new takes, retries, resumes): the run's next wave. */
  | { next: PendingCell[]; ended: CellRow[] };

/**
 * The end of one wave of the batch's run `runId`: every run it started for `planned` has ended. A
 * planned cell still unfinished in its planned round had nothing left working on it and fails with
 * `reason` (as abandonBatch fails it). Cells asked for again meanwhile (a new take, retry or resume
 * while the batch ran, in a later round, or cells not planned at all) are the next wave, and the batch
 * finishes only when there are none: in one transaction, so a request either lands in a wave or finds the
 * batch finished and starts a run of its own. `planned` null (a plan from before waves): every unfinished
 * cell is lost. Null when the batch does not exist.
 */
export async function endWave(
  db: Db,
  id: string,
  options: { runId: string; reason: string; planned: WavePlan | null },
): Promise<WaveEnd | null> {
  return db.transaction(async (tx): Promise<WaveEnd | null> => {
    const batch = await lockBatch(tx, id);
    if (!batch) return null;
    const done = isTerminalBatch(batch.status);
    if (done || batch.runId !== options.runId)
      return { batch, done, changed: false, ended: [], taken: !done, next: null };
    const unfinished = await tx
      .select()
      .from(cells)
      .where(and(eq(cells.batchId, id), inArray(cells.status, ["queued", "running", "retrying"])));
    const { planned } = options;
    const keys = new Set(planned?.map((p) => planKey(p.promptIndex, p.model, p.round)));
    const wasPlanned = (c: CellRow) =>
      planned === null ||
      keys.has(planKey(c.promptIndex, c.model, c.round)) ||
      keys.has(planKey(c.promptIndex, c.model, undefined));
    const lost = unfinished.filter(wasPlanned).map((c) => c.id);
    const ended = await endCells(
      tx,
      batch,
      ["queued", "running", "retrying"],
      "failed",
      options.reason,
      lost,
    );
    const again = sortCells(
      batch.input,
      unfinished.filter((c) => !wasPlanned(c)),
    );
    if (again.length > 0)
      return { next: again.map(({ promptIndex, model, round }) => ({ promptIndex, model, round })), ended };
    return { ...(await finishLocked(tx, batch)), ended, taken: false, next: null };
  });
}

/**
 * Ends the batch's cells in `statuses` (only those with ids in `only`, when given) as cancelled or
 * workflow-failed, with one event per cell. A cell working on a new take goes back to its previous
 * picture instead (it is still among those returned).
 */
async function endCells(
  tx: Tx,
  batch: BatchRow,
  statuses: CellStatus[],
  status: "cancelled" | "failed",
  reason: string,
  only?: readonly string[],
): Promise<CellRow[]> {
  if (only?.length === 0) return [];
  const now = new Date();
  const unfinished = and(
    eq(cells.batchId, batch.id),
    inArray(cells.status, statuses),
    only ? inArray(cells.id, [...only]) : undefined,
  );
  const ended = await tx
    .update(cells)
    .set({
      status,
      lastError: reason,
      errorKind: status === "cancelled" ? "cancelled" : "workflow",
      finishedAt: now,
      updatedAt: now,
      durationMs: sql`case when ${cells.startedAt} is null then null
        else (extract(epoch from (${now.toISOString()}::timestamptz - ${cells.startedAt})) * 1000)::int end`,
    })
    .where(and(unfinished, isNull(cells.previous)))
    .returning();
  for (const cell of sortCells(batch.input, ended)) {
    await appendEvent(tx, batch.id, { type: "cell.updated", cell: toCellView(cell) });
  }
  const takes = await tx
    .select()
    .from(cells)
    .where(and(unfinished, isNotNull(cells.previous)));
  for (const cell of sortCells(batch.input, takes)) ended.push(await endTakeLocked(tx, cell, status, reason));
  return ended;
}

/** Why new calls were refused: at list price they would pass the batch's budget. */
export interface BudgetRefusal {
  kind: "refused";
  reason: "budget";
  /** The new calls at list price. */
  costUsd: number;
  /** Calls the batch owes already: cells still to make, and calls out from before a cancel. */
  owedUsd: number;
  /** What is left of the budget once what was spent and what is owed are paid for (never below 0). */
  leftUsd: number;
  budgetUsd: number;
}

/** Prices and window for a budget check: list price per model, and how long a call may still land. */
export interface BudgetCheck {
  prices: Readonly<Record<string, number>>;
  callWindowMs: number;
  now?: Date;
}

/**
 * Refuses new calls costing `costUsd` that the batch's budget cannot cover after what it spent and what
 * it owes: the cells still to make (queued, running or retrying, with no picture to reuse) and the calls
 * from before a cancel that may still land (their cost counts when they do). Free calls always pass.
 * Null when they fit, or the batch has no budget.
 */
async function budgetRefusal(
  tx: Tx,
  batch: BatchRow,
  costUsd: number,
  check: BudgetCheck,
): Promise<BudgetRefusal | null> {
  if (batch.budgetUsd === null || costUsd <= 0) return null;
  const price = (model: string) => check.prices[model] ?? 0;
  const toMake = await tx
    .select({ model: cells.model })
    .from(cells)
    .where(
      and(
        eq(cells.batchId, batch.id),
        inArray(cells.status, ["queued", "running", "retrying"]),
        isNull(cells.rawKey),
      ),
    );
  const since = (check.now ?? new Date()).getTime() - check.callWindowMs;
  const landing = (await rowsWithCallsOut(tx, batch.id)).filter(
    (c) => isTerminalCell(c.status) && callsOut(c, since).length > 0,
  );
  const owedUsd = [...toMake, ...landing].reduce((sum, c) => sum + price(c.model), 0);
  const budgetUsd = Number(batch.budgetUsd);
  const leftUsd = budgetUsd - (await spendSoFar(tx, batch.id)) - owedUsd;
  if (costUsd <= leftUsd + 1e-9) return null;
  return { kind: "refused", reason: "budget", costUsd, owedUsd, leftUsd: Math.max(0, leftUsd), budgetUsd };
}

/**
 * budgetRefusal for putting the batch's cells in `status` back in the queue: a cell with a stored picture
 * (its call landed before it failed, or after a cancel) is composed again, unpaid; the others are new
 * calls at list price.
 */
async function requeueRefusal(
  tx: Tx,
  batch: BatchRow,
  status: "failed" | "cancelled",
  check: BudgetCheck,
): Promise<BudgetRefusal | null> {
  const toCall = await tx
    .select({ model: cells.model })
    .from(cells)
    .where(and(eq(cells.batchId, batch.id), eq(cells.status, status), isNull(cells.rawKey)));
  const costUsd = toCall.reduce((sum, c) => sum + (check.prices[c.model] ?? 0), 0);
  return budgetRefusal(tx, batch, costUsd, check);
}

/**
 * Retry: failed cells (only) go back to queued in a new round, keeping their attempt history, cost
 * and any blob keys (so a stored raw image can be reused and is still found on delete). A finished
 * batch becomes running again (`newRun`: the caller starts a run); a running one keeps its run, which
 * takes them up next (see runAgain). Returns the reset cells, ordered.
 */
export async function resetFailedCells(db: Db, id: string): Promise<Requeued>;
/** With a budget check: refused when the retried cells' calls would pass the batch's budget. */
export async function resetFailedCells(
  db: Db,
  id: string,
  budget: BudgetCheck,
): Promise<Requeued | BudgetRefusal>;
export async function resetFailedCells(
  db: Db,
  id: string,
  budget?: BudgetCheck,
): Promise<Requeued | BudgetRefusal> {
  return db.transaction(async (tx) => {
    const batch = await lockBatch(tx, id);
    if (!batch) return { cells: [], newRun: false, nextWave: false };
    if (budget) {
      const refused = await requeueRefusal(tx, batch, "failed", budget);
      if (refused) return refused;
    }
    return requeue(tx, batch, "failed");
  });
}

export interface ResumeResult {
  resumed: CellRow[];
  /**
   * The batch had finished: the caller sends batch/requested for a run to claim it. False with cells
   * resumed: the batch was still queued or running, and its own run makes them as its next wave once
   * the cells under way have ended (see runAgain), as it does for a retry or new take.
   */
  newRun: boolean;
  /** Cells resumed for the run that had claimed the batch, as its next wave (see Requeued). */
  nextWave: boolean;
  /** The batch was queued or running when locked (with nothing resumed: it had no cancelled cell). */
  running: boolean;
  /** Cancelled cells whose provider call from before the cancel may still be running (nothing changed). */
  inFlight: number;
  /** With inFlight: milliseconds until the last of those calls is past the window, when resume can go on. */
  retryAfterMs?: number;
}

/**
 * Resume: the cancelled cells go back to queued in a new round, as a retry does for failed ones (a
 * picture that was paid for is reused). A finished batch runs again; one still running (again, for a
 * retry or new take) keeps its run, which takes them up as its next wave. Refused while a cancelled
 * cell's provider call may still be running (started within `callWindowMs`, the provider timeout, with
 * no result yet): the new round would pay for that image a second time.
 */
export async function resumeCancelledCells(
  db: Db,
  id: string,
  options: { callWindowMs: number; now?: Date },
): Promise<ResumeResult>;
/** With prices: refused when the resumed cells' calls would pass the batch's budget. */
export async function resumeCancelledCells(
  db: Db,
  id: string,
  options: BudgetCheck,
): Promise<ResumeResult | BudgetRefusal>;
export async function resumeCancelledCells(
  db: Db,
  id: string,
  options: { callWindowMs: number; now?: Date; prices?: BudgetCheck["prices"] },
): Promise<ResumeResult | BudgetRefusal> {
  return db.transaction(async (tx) => {
    const batch = await lockBatch(tx, id);
    if (!batch) return { resumed: [], newRun: false, nextWave: false, running: false, inFlight: 0 };
    const running = !isTerminalBatch(batch.status);
    const now = (options.now ?? new Date()).getTime();
    const since = now - options.callWindowMs;
    // Only the cancelled cells' calls: those are the cells a resume would pay for again.
    const { cells: inFlight, lastStart } = callsOutAfterCancel(
      await rowsWithCallsOut(tx, id, "cancelled"),
      since,
    );
    if (inFlight > 0)
      return {
        resumed: [],
        newRun: false,
        nextWave: false,
        running,
        inFlight,
        retryAfterMs: lastStart + options.callWindowMs - now,
      };
    if (options.prices) {
      const refused = await requeueRefusal(tx, batch, "cancelled", { ...options, prices: options.prices });
      if (refused) return refused;
    }
    const { cells: resumed, newRun, nextWave } = await requeue(tx, batch, "cancelled");
    if (resumed.length > 0) await updateBatch(tx, id, { cancelReason: null });
    return { resumed, newRun, nextWave, running, inFlight: 0 };
  });
}

/** A cell's columns as a new round starts it: queued, with no outcome or timing from the last one. */
const nextRound = () => ({
  status: "queued" as const,
  round: sql`${cells.round} + 1`,
  lastError: null,
  errorKind: null,
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  updatedAt: new Date(),
});

export interface Requeued {
  /** The cells back in the queue, ordered. */
  cells: CellRow[];
  /** The batch had finished: the caller sends batch/requested for a run to claim it. */
  newRun: boolean;
  /**
   * A run had claimed the batch: it makes these cells as its next wave, once the cells under way have
   * ended. False also for a batch still queued for its run (never claimed, or released for a retry's
   * run): that run's plan takes them up with its first wave.
   */
  nextWave: boolean;
}

/** The batch's cells in `status` back to queued in a new round; the batch runs again (runAgain). */
async function requeue(tx: Tx, batch: BatchRow, status: "failed" | "cancelled"): Promise<Requeued> {
  const reset = await tx
    .update(cells)
    .set(nextRound())
    .where(and(eq(cells.batchId, batch.id), eq(cells.status, status)))
    .returning();
  return runAgain(tx, batch, reset);
}

/**
 * After cells went back to queued. A finished batch runs again, released for the next round's run
 * (claimBatch). A batch still running keeps its run: the run's plan takes them up if it has none yet,
 * else its next wave does once the cells under way have ended (endWave).
 */
async function runAgain(tx: Tx, batch: BatchRow, reset: CellRow[]): Promise<Requeued> {
  if (reset.length === 0) return { cells: [], newRun: false, nextWave: false };
  const newRun = isTerminalBatch(batch.status);
  const nextWave = !newRun && batch.runId !== null;
  if (newRun)
    await updateBatch(tx, batch.id, {
      status: batch.startedAt ? "running" : "queued",
      finishedAt: null,
      runId: null,
    });
  const ordered = sortCells(batch.input, reset);
  for (const cell of ordered) {
    await appendEvent(tx, batch.id, { type: "cell.updated", cell: toCellView(cell) });
  }
  const cellIds = ordered.map((cell) => cell.id);
  await appendEvent(tx, batch.id, { type: "batch.retried", cellIds });
  return { cells: ordered, newRun, nextWave };
}

export interface CellPick {
  promptIndex: number;
  model: string;
}

/** The cells named by `picks` (a batch's cells are unique by title index and model). */
function pickedCells(picks: CellPick[]): SQL {
  return sql`(${cells.promptIndex}, ${cells.model}) in (${sql.join(
    picks.map((p) => sql`(${p.promptIndex}::int, ${p.model}::text)`),
    sql`, `,
  )})`;
}

/** Locks the picked cells of batch `id`; `missing`: the picks it has no cell for. */
async function lockPicks(tx: Tx, id: string, picks: CellPick[]) {
  const rows = await tx
    .select()
    .from(cells)
    .where(and(eq(cells.batchId, id), pickedCells(picks)))
    .for("update");
  const found = (p: CellPick) => rows.find((r) => r.promptIndex === p.promptIndex && r.model === p.model);
  return { found, missing: picks.filter((p) => !found(p)) };
}

export type SwitchResult =
  | { kind: "switched"; cells: CellRow[] }
  /** Nothing changed: a pick is not a finished cell with that other take. */
  | { kind: "refused"; reason: "missing" | "no-other-take"; picks: CellPick[] };

/**
 * Each picked cell, finished, shows one of its other takes: `pick.other` names it (otherTakeId) or gives
 * its position (default 0: the one shown most recently, at first the picture its last new take
 * replaced); the picture it showed leads its other takes, so asking again with 0 goes back. Other cells
 * of the batch may still be at work. Null when the batch does not exist.
 */
export async function showOtherTake(
  db: Db,
  id: string,
  picks: (CellPick & { other?: number | string })[],
): Promise<SwitchResult | null> {
  return db.transaction(async (tx): Promise<SwitchResult | null> => {
    const batch = await lockBatch(tx, id);
    if (!batch) return null;
    const { found, missing } = await lockPicks(tx, id, picks);
    if (missing.length > 0) return { kind: "refused", reason: "missing", picks: missing };
    const chosen = (p: (typeof picks)[number]) => {
      const cell = found(p)!;
      if (cell.status !== "succeeded" || !cell.finalKey) return -1;
      const at =
        typeof p.other === "string"
          ? cell.others.findIndex((o) => otherTakeId(o) === p.other)
          : (p.other ?? 0);
      return at < cell.others.length ? at : -1;
    };
    const without = picks.filter((p) => chosen(p) < 0);
    if (without.length > 0) return { kind: "refused", reason: "no-other-take", picks: without.map(pickOf) };
    const switched: CellRow[] = [];
    for (const p of picks) switched.push(await showOtherTakeLocked(tx, found(p)!, chosen(p)));
    return { kind: "switched", cells: switched };
  });
}

const pickOf = (cell: CellPick): CellPick => ({ promptIndex: cell.promptIndex, model: cell.model });

export type TakeResult =
  | ({ kind: "queued" } & Requeued)
  /**
   * Nothing changed: a pick is not a succeeded cell of the batch ("under-way": every such pick is
   * already getting a new take).
   */
  | { kind: "refused"; reason: "missing" | "not-succeeded" | "under-way" | "changed"; picks: CellPick[] }
  /**
   * Nothing changed: a picked cell's last take was cancelled while its provider call was out, and that
   * call may still be running (started within the call window); retryAfterMs: when it is past it.
   */
  | { kind: "refused"; reason: "in-flight"; picks: CellPick[]; retryAfterMs: number }
  /** Nothing changed: the takes would pass the batch's budget. */
  | BudgetRefusal;

/**
 * Of `rows`, the cells no longer being worked on whose provider call from before a cancel started
 * after `since` and may still land (`cells`), and the latest such start (`lastStart`, 0 when none):
 * cancelled cells, and cells whose new take was cancelled (back on their previous picture, while the
 * take's call, paid for, is still out).
 */
export function callsOutAfterCancel(
  rows: readonly Pick<CellRow, "status" | "round" | "attemptLog">[],
  since: number,
): { cells: number; lastStart: number } {
  let cells = 0;
  let lastStart = 0;
  for (const c of rows) {
    const starts = isTerminalCell(c.status) ? callsOut(c, since) : [];
    if (starts.length === 0) continue;
    cells++;
    lastStart = Math.max(lastStart, ...starts);
  }
  return { cells, lastStart };
}

/** The batch's cells with a provider call logged as running, as callsOutAfterCancel reads them. */
const rowsWithCallsOut = (db: Executor, id: string, status?: CellStatus) =>
  db
    .select({ model: cells.model, status: cells.status, round: cells.round, attemptLog: cells.attemptLog })
    .from(cells)
    .where(
      and(
        eq(cells.batchId, id),
        status ? eq(cells.status, status) : undefined,
        sql`${cells.attemptLog} @> '[{"outcome":"running"}]'::jsonb`,
      ),
    );

/**
 * The batch's cells whose provider call from before a cancel may still land (`cells`, as
 * callsOutAfterCancel counts them), and until when (ms since the epoch) one may (`until`): the latest
 * such call's start plus `windowMs`; 0 when none is out. `status`: only cells in it ("cancelled": the
 * calls a resume waits for).
 */
export async function callsOutAfterCancelUntil(
  db: Executor,
  id: string,
  windowMs: number,
  now = Date.now(),
  status?: CellStatus,
): Promise<{ cells: number; until: number }> {
  return outUntil(await rowsWithCallsOut(db, id, status), windowMs, now);
}

/** callsOutAfterCancelUntil for every cell (`all`) and for the cancelled ones, from one read. */
export async function callsOutAfterCancelBothUntil(
  db: Executor,
  id: string,
  windowMs: number,
  now = Date.now(),
): Promise<{ all: { cells: number; until: number }; cancelled: { cells: number; until: number } }> {
  const rows = await rowsWithCallsOut(db, id);
  const cancelled = rows.filter((row) => row.status === "cancelled");
  return { all: outUntil(rows, windowMs, now), cancelled: outUntil(cancelled, windowMs, now) };
}

function outUntil(rows: Parameters<typeof callsOutAfterCancel>[0], windowMs: number, now: number) {
  const { cells: out, lastStart } = callsOutAfterCancel(rows, now - windowMs);
  return { cells: out, until: out === 0 ? 0 : lastStart + windowMs };
}

/**
 * New takes: each picked cell, which must have succeeded, goes back to queued in a new round with its
 * take number raised and no raw picture to reuse, so the workflow makes a new one (a paid call). Its
 * current picture is kept aside (`previous`): restored if the take does not succeed, and its other
 * take when it does. The batch may still be running (see runAgain). Null when it does not exist.
 */
export async function requeueTakes(
  db: Db,
  id: string,
  /** `attempts`: the cell's provider calls when it was picked; a cell with more is refused ("changed"). */
  picks: (CellPick & { attempts?: number })[],
  options: {
    /** List price of one call per model of the batch: the takes' estimate, and the budget's check. */
    prices?: Readonly<Record<string, number>>;
    callWindowMs?: number;
    now?: Date;
  } = {},
): Promise<TakeResult | null> {
  return db.transaction(async (tx): Promise<TakeResult | null> => {
    const batch = await lockBatch(tx, id);
    if (!batch) return null;
    const picked = pickedCells(picks);
    const { found, missing } = await lockPicks(tx, id, picks);
    if (missing.length > 0) return { kind: "refused", reason: "missing", picks: missing };
    const unfinished = picks.filter((p) => found(p)!.status !== "succeeded" || !found(p)!.finalKey);
    if (unfinished.length > 0) {
      const taking = unfinished.every(
        (p) => found(p)!.previous !== null && !isTerminalCell(found(p)!.status),
      );
      return { kind: "refused", reason: taking ? "under-way" : "not-succeeded", picks: unfinished };
    }
    // Marked on a page that showed fewer calls: a take has been made since (another tab's).
    const changed = picks.filter((p) => p.attempts !== undefined && found(p)!.attempts !== p.attempts);
    if (changed.length > 0) return { kind: "refused", reason: "changed", picks: changed.map(pickOf) };
    // A call from a cancelled take may still deliver its picture: a new round now would pay twice.
    if (options.callWindowMs !== undefined) {
      const now = (options.now ?? new Date()).getTime();
      const since = now - options.callWindowMs;
      const out = picks.filter((p) => callsOut(found(p)!, since).length > 0);
      if (out.length > 0) {
        const last = Math.max(...out.flatMap((p) => callsOut(found(p)!, since)));
        return {
          kind: "refused",
          reason: "in-flight",
          picks: out,
          retryAfterMs: last + options.callWindowMs - now,
        };
      }
    }
    const priceOf = (model: string) => options.prices?.[model] ?? 0;
    const costUsd = picks.reduce((sum, p) => sum + priceOf(p.model), 0);
    // Each take's own price rides on `previous`, to come off the estimate if it ends before its call.
    const models = [...new Set(picks.map((p) => p.model))];
    const takePrice = sql`case ${cells.model} ${sql.join(
      models.map((m) => sql`when ${m}::text then ${priceOf(m).toFixed(6)}::numeric`),
      sql` `,
    )} else 0 end`;
    if (options.prices) {
      const check = { prices: options.prices, callWindowMs: options.callWindowMs ?? 0, now: options.now };
      const refused = await budgetRefusal(tx, batch, costUsd, check);
      if (refused) return refused;
    }
    const reset = await tx
      .update(cells)
      .set({
        ...nextRound(),
        take: sql`${cells.take} + 1`,
        previous: sql`jsonb_build_object(
          'rawKey', ${cells.rawKey}, 'finalKey', ${cells.finalKey}, 'width', ${cells.width},
          'height', ${cells.height}, 'bytes', ${cells.bytes},
          'startedAt', to_char(${cells.startedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'finishedAt', to_char(${cells.finishedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'durationMs', ${cells.durationMs}, 'takePriceUsd', ${takePrice})`,
        rawKey: null,
        finalKey: null,
        width: null,
        height: null,
        bytes: null,
      })
      .where(and(eq(cells.batchId, id), picked))
      .returning();
    // The batch's estimate is the list price of every call asked of it: the takes count too.
    if (costUsd > 0)
      await tx
        .update(batches)
        .set({ estimatedCostUsd: sql`${batches.estimatedCostUsd} + ${costUsd.toFixed(6)}::numeric` })
        .where(eq(batches.id, id));
    return { kind: "queued", ...(await runAgain(tx, batch, reset)) };
  });
}
