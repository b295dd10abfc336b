/**
 * Cell state machine. queued → running → (retrying → running)* → succeeded | failed; any
 * non-terminal → cancelled. Terminal cells never change status here (only resetFailedCells
 * re-queues failed ones), but a late attempt result still records its request id and cost.
 */
import { and, eq, type SQL } from "drizzle-orm";
import { isTerminalBatch } from "./batches";
import {
  batchOpenLeft,
  readCell,
  writeCell,
  type BatchMoney,
  type KnownCell,
  type Written,
} from "./cell-write";
import { finishBatchIfDone, finishLocked, refinishLocked } from "./lifecycle";
import {
  batches,
  cells,
  OTHER_TAKES_KEPT,
  type AttemptLogEntry,
  type BatchRow,
  type CellRow,
  type CellStatus,
  type PreviousImage,
} from "./schema";
import type { Db, Executor, Tx } from "./types";
import { inRound, isTerminalCell } from "./views";

export interface CellChange {
  /** The cell after the call; null when it does not exist (e.g. its batch was deleted). */
  cell: CellRow | null;
  /** False when the cell was already terminal and its status was left alone. */
  applied: boolean;
  /**
   * completeCell: the oldest other takes a successful new take pushed out (the picture it replaced
   * leads the other takes now, at most OTHER_TAKES_KEPT), whose blobs the caller may now delete.
   */
  dropped?: PreviousImage[];
  /** The row's version when this call wrote it, for a later fast write (KnownCell). */
  version?: string;
}

export async function getCell(db: Executor, cellId: string): Promise<CellRow | null> {
  const [cell] = await db.select().from(cells).where(eq(cells.id, cellId));
  return cell ?? null;
}

export async function findCell(
  db: Executor,
  batchId: string,
  promptIndex: number,
  model: string,
): Promise<CellRow | null> {
  const [cell] = await db
    .select()
    .from(cells)
    .where(and(eq(cells.batchId, batchId), eq(cells.promptIndex, promptIndex), eq(cells.model, model)));
  return cell ?? null;
}

type Mutation = (tx: Tx, cell: CellRow, batch: BatchRow) => Promise<CellChange>;

/**
 * Runs `mutation` holding the cell's batch row lock (taken first, as every writer does) and the cell's.
 * With `finish`, the batch is finished in the same transaction when that made every cell terminal.
 */
async function mutateCell(db: Db, cellId: string, mutation: Mutation, finish = false): Promise<CellChange> {
  return db.transaction(async (tx) => {
    const locked = await lockCellAndBatch(tx, eq(cells.id, cellId));
    if (!locked) return { cell: null, applied: false };
    const change = await mutation(tx, locked.cell, locked.batch);
    if (finish) await finishLocked(tx, locked.batch);
    return change;
  });
}

/**
 * Locks a cell's batch row, then the cell, in one statement (batch first, like every writer). Both are
 * locked so that under READ COMMITTED Postgres re-reads both rows at their newest committed versions
 * when it had to wait for a lock, instead of returning the cell as of the statement's snapshot.
 */
export async function lockCellAndBatch(
  tx: Tx,
  where: SQL | undefined,
): Promise<{ batch: BatchRow; cell: CellRow } | null> {
  const [row] = await tx
    .select({ batch: batches, cell: cells })
    .from(batches)
    .innerJoin(cells, eq(cells.batchId, batches.id))
    .where(where)
    .for("update", { of: [batches, cells] });
  return row ?? null;
}

/**
 * Writes the change and appends its cell.updated event in one statement (writeCell), for a caller
 * holding the batch and cell locks. The event carries the row as written, computed here from the locked row.
 */
async function saveCell(
  tx: Tx,
  cell: CellRow,
  change: Partial<CellRow>,
  money?: BatchMoney,
): Promise<Written> {
  const kept = keepPrevious(cell, change);
  const written = await writeCell(tx, cell, kept.patch, { money: { ...money, ...kept.money } });
  if (!written) throw new Error(`db: cell ${cell.id} vanished inside its own transaction`);
  return written;
}

/** The fast path's write of `change` on a cell read without a lock (null: it changed since; take the locked path). */
function saveIfUnchanged(
  db: Db,
  known: KnownCell,
  change: Partial<CellRow>,
  options: { money?: BatchMoney; openLeft?: boolean } = {},
): Promise<Written | null> {
  const kept = keepPrevious(known.cell, change);
  const money = { ...options.money, ...kept.money };
  return writeCell(db, known.cell, kept.patch, { ...options, money, version: known.version });
}

/**
 * A cell working on a new take that ends without one (the take failed or was cancelled, or its run was
 * lost) goes back to the picture it had, with why the take ended as its note: asking for another take
 * never costs the picture already made. A take that ends before its provider call went out (none logged
 * in its round) cost nothing: its list price comes off the batch's estimate in the same write, once, as
 * the write also clears `previous`.
 */
function keepPrevious(
  cell: CellRow,
  patch: Partial<CellRow>,
): { patch: Partial<CellRow>; money: Pick<BatchMoney, "estimatedUsd"> } {
  const prev = cell.previous;
  if (!prev || patch.previous !== undefined) return { patch, money: {} };
  if (patch.status !== "failed" && patch.status !== "cancelled") return { patch, money: {} };
  const why = patch.status === "cancelled" ? "was cancelled" : "failed";
  const reason = patch.lastError ? ` (${patch.lastError.replace(/\.$/, "")})` : "";
  // A take asked for before its price was kept on `previous` stays counted, in both estimates alike.
  const uncalled = prev.takePriceUsd !== undefined && !cell.attemptLog.some((e) => e.round === cell.round);
  return {
    patch: {
      ...patch,
      status: "succeeded",
      ...pictureColumns(prev),
      previous: null,
      lastError: `The new take ${why}${reason}; the previous picture is kept.`,
      errorKind: "take",
      ...(uncalled && { uncalledTakes: cell.uncalledTakes + 1 }),
    },
    money: uncalled ? { estimatedUsd: -prev.takePriceUsd! } : {},
  };
}

/** A kept picture as one of the other takes (without what only `previous` carries). */
function asOtherTake(image: PreviousImage): PreviousImage {
  const { takePriceUsd, ...picture } = image;
  void takePriceUsd;
  return picture;
}

/**
 * The cell as its page shows it, for exports (ZIP, contact sheet, download): one working on a new take
 * still shows the finished picture it had until the take ends.
 */
export function asShown(cell: CellRow): CellRow {
  if (!takeUnderWay(cell) || !cell.previous) return cell;
  return {
    ...cell,
    ...pictureColumns(cell.previous),
    status: "succeeded",
    previous: null,
    lastError: null,
    errorKind: null,
  };
}

/** A cell working on a new take while showing the picture it keeps: the take's status, else null. */
export function takeUnderWay(cell: CellRow): CellStatus | null {
  return cell.previous && !isTerminalCell(cell.status) ? cell.status : null;
}

/** The cell columns that show a kept picture again. */
function pictureColumns(image: PreviousImage) {
  return {
    rawKey: image.rawKey,
    finalKey: image.finalKey,
    width: image.width,
    height: image.height,
    bytes: image.bytes,
    startedAt: image.startedAt ? new Date(image.startedAt) : null,
    finishedAt: image.finishedAt ? new Date(image.finishedAt) : new Date(),
    durationMs: image.durationMs,
  };
}

/** The cell's current picture, to keep aside. */
function pictureOf(cell: CellRow): PreviousImage {
  return {
    rawKey: cell.rawKey,
    finalKey: cell.finalKey ?? "",
    width: cell.width,
    height: cell.height,
    bytes: cell.bytes,
    startedAt: cell.startedAt?.toISOString() ?? null,
    finishedAt: cell.finishedAt?.toISOString() ?? null,
    durationMs: cell.durationMs,
  };
}

/**
 * A finished cell shows its other take number `index` (0: the most recently shown), and the picture
 * it showed leads its other takes (so doing it again with 0 goes back). For lifecycle's showOtherTake,
 * inside its transaction; `index` must name one of the cell's other takes.
 */
export async function showOtherTakeLocked(tx: Tx, cell: CellRow, index: number): Promise<CellRow> {
  const chosen = cell.others[index];
  if (!chosen) throw new Error(`db: cell ${cell.id} has no other take ${index}`);
  const written = await saveCell(tx, cell, {
    ...pictureColumns(chosen),
    others: [pictureOf(cell), ...cell.others.filter((_, i) => i !== index)],
    lastError: null,
    errorKind: null,
  });
  return written.cell;
}

/**
 * Ends a cell working on a new take as `status` would (cancel, or a lost run): it goes back to its
 * previous picture. For lifecycle's bulk endings, inside their transaction.
 */
export async function endTakeLocked(
  tx: Tx,
  cell: CellRow,
  status: "failed" | "cancelled",
  reason: string,
): Promise<CellRow> {
  return (await saveCell(tx, cell, { status, lastError: reason })).cell;
}

function durationMs(cell: CellRow, end: Date): number | null {
  return cell.startedAt ? end.getTime() - cell.startedAt.getTime() : null;
}

function sumCosts(log: AttemptLogEntry[]): number {
  return Math.round(log.reduce((total, entry) => total + (entry.costUsd ?? 0), 0) * 1e6) / 1e6;
}

/** The list price still reserved by the log's calls under way (entries "running" with a reservation). */
export const reservedBy = (log: readonly AttemptLogEntry[]) =>
  log.reduce((sum, e) => sum + (e.outcome === "running" ? (e.reservedUsd ?? 0) : 0), 0);

/**
 * A provider call is starting: appends an attempt to the log. `attempt` is the caller's number
 * (Inngest's 0-based step attempt). Each call is a real provider call, so a step re-executed after
 * a crash adds an entry too; an earlier entry still "running" is closed as "interrupted". Not
 * applied to a terminal (e.g. cancelled) cell: the caller should then skip the call.
 */
export async function recordAttemptStart(
  db: Db,
  cellId: string,
  params: { attempt: number },
): Promise<CellChange> {
  return mutateCell(db, cellId, async (tx, cell) => {
    if (isTerminalCell(cell.status)) return { cell, applied: false };
    return { cell: (await startAttemptLocked(tx, cell, params.attempt)).cell, applied: true };
  });
}

/**
 * recordAttemptStart's change. `reserveUsd`: the call's list price, reserved against the batch's budget
 * while it is out; the calls it closes as interrupted release theirs, so a step run again after a crash
 * holds one reservation, not two.
 */
export function startAttemptChange(cell: CellRow, attempt: number, reserveUsd = 0) {
  const now = new Date().toISOString();
  const log: AttemptLogEntry[] = cell.attemptLog.map((e) =>
    e.outcome === "running" ? { ...e, outcome: "interrupted", endedAt: now } : e,
  );
  log.push({
    round: cell.round,
    attempt,
    startedAt: now,
    outcome: "running",
    ...(reserveUsd > 0 && { reservedUsd: reserveUsd }),
  });
  const patch: Partial<CellRow> = {
    status: "running",
    startedAt: cell.startedAt ?? new Date(now),
    attemptLog: log,
    attempts: log.length,
  };
  return { patch, money: { reservedUsd: reserveUsd - reservedBy(cell.attemptLog) } };
}

/** recordAttemptStart's change, for a caller already holding the batch and cell locks. */
export async function startAttemptLocked(
  tx: Tx,
  cell: CellRow,
  attempt: number,
  reserveUsd = 0,
): Promise<Written> {
  const { patch, money } = startAttemptChange(cell, attempt, reserveUsd);
  return saveCell(tx, cell, patch, money);
}

/**
 * startAttemptChange on a cell read without a lock, in one statement; `withinBudget`: only if the
 * batch's budget lets the call go out (fitsBudget). Null when nothing was written (the cell changed
 * since, or the budget refused it).
 */
export async function startAttemptIfUnchanged(
  db: Db,
  known: KnownCell,
  attempt: number,
  reserveUsd: number,
  options: { withinBudget: boolean },
): Promise<Written | null> {
  const { patch, money } = startAttemptChange(known.cell, attempt, reserveUsd);
  return saveIfUnchanged(db, known, patch, { money: { ...money, ...options } });
}

/** The cell is being worked on without a provider call (composing a stored picture): → running. */
const runningChange = (cell: CellRow, now: Date): Partial<CellRow> => ({
  status: "running",
  startedAt: cell.startedAt ?? now,
});

export async function markRunningLocked(tx: Tx, cell: CellRow, now: Date): Promise<Written> {
  return saveCell(tx, cell, runningChange(cell, now));
}

/** markRunningLocked on a cell read without a lock (null: it changed since). */
export function markRunningIfUnchanged(db: Db, known: KnownCell, now: Date): Promise<Written | null> {
  return saveIfUnchanged(db, known, runningChange(known.cell, now));
}

export interface AttemptResult {
  attempt: number;
  /**
   * The round the call was made in (default: the cell's). A call that ends after its cell was asked
   * for again (a retry or a new take while the batch ran) is only booked: the new round is not its.
   */
  round?: number;
  /** ok: the provider call succeeded (cell stays running until completeCell); retry: it will be
   * retried (cell → retrying); failed: permanent (cell → failed). */
  outcome: "ok" | "retry" | "failed";
  error?: string;
  /** Short machine-readable class, e.g. "rate_limit", "server", "moderation", "timeout". */
  errorKind?: string;
  requestId?: string | null;
  costUsd?: number;
  /** Blob key of the stored raw provider image (outcome ok). */
  rawKey?: string;
}

/**
 * How a provider call's end changes its cell: the log entry closed, the cost booked (added to the
 * batch's as it lands) in place of the call's reservation, and the status it implies (`applied`); on a
 * cell that ended or moved to a later round meanwhile only the bookkeeping.
 */
function attemptResultChange(cell: CellRow, result: AttemptResult) {
  const now = new Date();
  const log = [...cell.attemptLog];
  const round = result.round ?? cell.round;
  let index = log.findLastIndex((e) => e.round === round && e.attempt === result.attempt);
  if (index === -1) {
    log.push({ round, attempt: result.attempt, startedAt: now.toISOString(), outcome: "running" });
    index = log.length - 1;
  }
  const previous = log[index] as AttemptLogEntry;
  log[index] = {
    ...previous,
    endedAt: now.toISOString(),
    outcome: result.outcome,
    ...(result.error !== undefined && { error: result.error }),
    ...(result.errorKind !== undefined && { errorKind: result.errorKind }),
    ...(result.requestId ? { requestId: result.requestId } : {}),
    ...(result.costUsd !== undefined && { costUsd: result.costUsd }),
  };
  const requestIds =
    result.requestId && !cell.requestIds.includes(result.requestId)
      ? [...cell.requestIds, result.requestId]
      : cell.requestIds;
  const costUsd = sumCosts(log);
  const bookkeeping: Partial<CellRow> = { attemptLog: log, attempts: log.length, requestIds, costUsd };
  // The reservation is held while the call is "running": a late result of an interrupted call released
  // it already.
  const released = previous.outcome === "running" ? (previous.reservedUsd ?? 0) : 0;
  const money: BatchMoney = { costUsd: costUsd - Number(cell.costUsd), reservedUsd: -released };
  if (isTerminalCell(cell.status) || round !== cell.round) {
    // A picture paid for after the cell ended (a call in flight at a cancel) is still kept: found on
    // delete, and reused if the cell is resumed or retried (not by a new take, which wants another).
    const reusable = result.outcome === "ok" && result.rawKey && !cell.rawKey && !cell.previous;
    const raw = reusable ? { rawKey: result.rawKey } : {};
    return { patch: { ...bookkeeping, ...raw }, money, applied: false };
  }
  const status: CellRow["status"] =
    result.outcome === "ok" ? "running" : result.outcome === "retry" ? "retrying" : "failed";
  const patch: Partial<CellRow> = { ...bookkeeping, status };
  if (result.outcome === "ok" && result.rawKey) patch.rawKey = result.rawKey;
  if (result.outcome !== "ok") {
    patch.lastError = result.error ?? null;
    patch.errorKind = result.errorKind ?? null;
  }
  if (status === "failed") {
    patch.finishedAt = now;
    patch.durationMs = durationMs(cell, now);
  }
  return { patch, money, applied: true };
}

/**
 * Records how a provider call ended: attempt log, request id, cost, and the status it implies. With
 * `known` (the cell as its attempt started), in one statement unless the cell changed since.
 */
export async function recordAttemptResult(
  db: Db,
  cellId: string,
  result: AttemptResult,
  known?: KnownCell,
): Promise<CellChange> {
  if (known) {
    const { patch, money, applied } = attemptResultChange(known.cell, result);
    const written = await saveIfUnchanged(db, known, patch, { money });
    if (written) return { cell: written.cell, applied, version: written.version };
  }
  return mutateCell(db, cellId, async (tx, cell) => {
    const { patch, money, applied } = attemptResultChange(cell, result);
    const written = await saveCell(tx, cell, patch, money);
    return { cell: written.cell, applied, version: written.version };
  });
}

export interface CompletedImage {
  /** The round the image was made for; a cell asked for again since is not changed. */
  round?: number;
  finalKey: string;
  rawKey?: string;
  width: number;
  height: number;
  bytes: number;
}

type Outcome =
  | { write: false; applied: boolean }
  | { write: true; patch: Partial<CellRow>; late: boolean; dropped: PreviousImage[] };

function completeChange(cell: CellRow, image: CompletedImage): Outcome {
  if (cell.status === "succeeded") return { write: false, applied: cell.finalKey === image.finalKey };
  if (!inRound(cell, image.round)) return { write: false, applied: false };
  // A cell failed only because the workflow run above it stopped (error kind "workflow") still
  // takes the image of a call that was under way then: it was made and paid for. Its batch,
  // which may have ended meanwhile, is settled again.
  const late = cell.status === "failed" && cell.errorKind === "workflow";
  if (isTerminalCell(cell.status) && !late) return { write: false, applied: false };
  const now = new Date();
  const patch: Partial<CellRow> = {
    status: "succeeded",
    previous: null,
    // A new take: the picture it replaces leads the other takes, which its owner can switch back to.
    ...(cell.previous
      ? { others: [asOtherTake(cell.previous), ...cell.others].slice(0, OTHER_TAKES_KEPT) }
      : {}),
    finalKey: image.finalKey,
    rawKey: image.rawKey ?? cell.rawKey,
    width: image.width,
    height: image.height,
    bytes: image.bytes,
    lastError: null,
    errorKind: null,
    startedAt: cell.startedAt ?? now,
    finishedAt: now,
    durationMs: durationMs(cell, now) ?? 0,
  };
  const dropped = cell.previous ? cell.others.slice(OTHER_TAKES_KEPT - 1) : [];
  return { write: true, patch, late, dropped };
}

function failChange(cell: CellRow, failure: { error: string; errorKind?: string; round?: number }): Outcome {
  if (isTerminalCell(cell.status)) return { write: false, applied: cell.status === "failed" };
  if (!inRound(cell, failure.round)) return { write: false, applied: false };
  const now = new Date();
  const patch: Partial<CellRow> = {
    status: "failed",
    lastError: failure.error,
    errorKind: failure.errorKind ?? null,
    finishedAt: now,
    durationMs: durationMs(cell, now),
  };
  return { write: true, patch, late: false, dropped: [] };
}

/**
 * The fast path of completeCell and failCell: read the cell (unless known), write the change in one
 * statement and, with `finish`, finish the batch when no other cell is left. Null when the locked path
 * must decide (the cell changed meanwhile, the change is a no-op a finish may follow, or a late image).
 */
async function endIfUnchanged(
  db: Db,
  where: { id: string },
  change: (cell: CellRow) => Outcome,
  finish: boolean,
  known?: KnownCell,
): Promise<CellChange | null> {
  const read = known ?? (await readCell(db, where));
  if (!read) return null;
  const outcome = change(read.cell);
  if (outcome.write && outcome.late) return null;
  const written = outcome.write ? await saveIfUnchanged(db, read, outcome.patch, { openLeft: finish }) : null;
  if (outcome.write && !written) return null;
  // A no-op (the step again, or a cell its attempt already failed) may still be the batch's last.
  const left = written ?? (finish ? await batchOpenLeft(db, read.cell.batchId, read.cell.id) : null);
  if (finish && left && !left.openLeft && !isTerminalBatch(left.batchStatus))
    await finishBatchIfDone(db, read.cell.batchId);
  if (!outcome.write || !written) return { cell: read.cell, applied: !outcome.write && outcome.applied };
  return { cell: written.cell, applied: true, dropped: outcome.dropped, version: written.version };
}

/** Runs an ending's change in the locked path (mutateCell). */
function endLocked(db: Db, cellId: string, change: (cell: CellRow) => Outcome, finish: boolean) {
  return mutateCell(
    db,
    cellId,
    async (tx, cell, batch) => {
      const outcome = change(cell);
      if (!outcome.write) return { cell, applied: outcome.applied };
      const written = await saveCell(tx, cell, outcome.patch);
      if (outcome.late && isTerminalBatch(batch.status)) await refinishLocked(tx, batch);
      return { cell: written.cell, applied: true, dropped: outcome.dropped, version: written.version };
    },
    finish,
  );
}

/**
 * The finished image is stored: cell → succeeded. Repeating it with the same key is a no-op that
 * still reports applied; on a cell that ended otherwise (e.g. cancelled) it is not applied, and the
 * caller may delete the blob it just wrote.
 */
export async function completeCell(
  db: Db,
  cellId: string,
  image: CompletedImage,
  options: { finishBatch?: boolean; known?: KnownCell } = {},
): Promise<CellChange> {
  const change = (cell: CellRow) => completeChange(cell, image);
  const finish = options.finishBatch ?? false;
  return (
    (await endIfUnchanged(db, { id: cellId }, change, finish, options.known)) ??
    endLocked(db, cellId, change, finish)
  );
}

/** Fails a cell outside a provider attempt (retries exhausted, compose failed, …). Idempotent. */
export async function failCell(
  db: Db,
  cellId: string,
  failure: { error: string; errorKind?: string; round?: number },
  options: { finishBatch?: boolean; known?: KnownCell } = {},
): Promise<CellChange> {
  const change = (cell: CellRow) => failChange(cell, failure);
  const finish = options.finishBatch ?? false;
  return (
    (await endIfUnchanged(db, { id: cellId }, change, finish, options.known)) ??
    endLocked(db, cellId, change, finish)
  );
}
