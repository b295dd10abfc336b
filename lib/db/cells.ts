/**
 * Cell state machine. queued → running → (retrying → running)* → succeeded | failed; any
 * non-terminal → cancelled. Terminal cells never change status here (only resetFailedCells
 * re-queues failed ones), but a late attempt result still records its request id and cost.
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import { isTerminalBatch } from "./batches";
import { finishLocked, refinishLocked } from "./lifecycle";
import { ringBatch } from "./event-wakeup";
import type { BatchEventPayload } from "./events";
import {
  batchEvents,
  batches,
  cells,
  OTHER_TAKES_KEPT,
  type AttemptLogEntry,
  type BatchRow,
  type CellRow,
  type CellStatus,
  type PreviousImage,
} from "./schema";
import { rowsOf, type Db, type Executor, type Tx } from "./types";
import { inRound, isTerminalCell, toCellView } from "./views";

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
 * Writes the patch and appends its cell.updated event in one statement (one round trip while the
 * batch lock is held). The event carries the row as written, computed here from the locked row.
 */
async function saveCell(
  tx: Tx,
  cell: CellRow,
  change: Partial<CellRow>,
  batchCostUsd?: number,
): Promise<CellRow> {
  const patch = keepPrevious(cell, change);
  const updatedAt = new Date();
  const updated: CellRow = { ...cell, ...patch, updatedAt };
  const payload: BatchEventPayload = {
    type: "cell.updated",
    cell: toCellView(updated),
    ...(batchCostUsd !== undefined && { batchCostUsd }),
  };
  const write = tx
    .update(cells)
    .set({ ...patch, updatedAt })
    .where(eq(cells.id, cell.id))
    .returning({ batchId: cells.batchId });
  const rows = rowsOf<{ id: number | string }>(
    await tx.execute(sql`with written as (${write.getSQL()})
      insert into ${batchEvents} (batch_id, type, payload)
      select written.batch_id, ${payload.type}, ${JSON.stringify(payload)}::jsonb from written
      returning id`),
  );
  if (rows.length !== 1) throw new Error(`db: cell ${cell.id} vanished inside its own transaction`);
  ringBatch(cell.batchId);
  return updated;
}

/**
 * A cell working on a new take that ends without one (the take failed or was cancelled, or its run was
 * lost) goes back to the picture it had, with why the take ended as its note: asking for another take
 * never costs the picture already made.
 */
function keepPrevious(cell: CellRow, patch: Partial<CellRow>): Partial<CellRow> {
  const prev = cell.previous;
  if (!prev || patch.previous !== undefined) return patch;
  if (patch.status !== "failed" && patch.status !== "cancelled") return patch;
  const why = patch.status === "cancelled" ? "was cancelled" : "failed";
  const reason = patch.lastError ? ` (${patch.lastError.replace(/\.$/, "")})` : "";
  return {
    ...patch,
    status: "succeeded",
    ...pictureColumns(prev),
    previous: null,
    lastError: `The new take ${why}${reason}; the previous picture is kept.`,
    errorKind: "take",
  };
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
export async function showOtherTakeLocked(tx: Tx, cell: CellRow, index: number) {
  const chosen = cell.others[index];
  if (!chosen) throw new Error(`db: cell ${cell.id} has no other take ${index}`);
  return saveCell(tx, cell, {
    ...pictureColumns(chosen),
    others: [pictureOf(cell), ...cell.others.filter((_, i) => i !== index)],
    lastError: null,
    errorKind: null,
  });
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
  return saveCell(tx, cell, { status, lastError: reason });
}

function durationMs(cell: CellRow, end: Date): number | null {
  return cell.startedAt ? end.getTime() - cell.startedAt.getTime() : null;
}

function sumCosts(log: AttemptLogEntry[]): number {
  return Math.round(log.reduce((total, entry) => total + (entry.costUsd ?? 0), 0) * 1e6) / 1e6;
}

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
    return { cell: await startAttemptLocked(tx, cell, params.attempt), applied: true };
  });
}

/** recordAttemptStart's change, for a caller already holding the batch and cell locks. */
export async function startAttemptLocked(tx: Tx, cell: CellRow, attempt: number): Promise<CellRow> {
  const now = new Date().toISOString();
  const log: AttemptLogEntry[] = cell.attemptLog.map((e) =>
    e.outcome === "running" ? { ...e, outcome: "interrupted", endedAt: now } : e,
  );
  log.push({ round: cell.round, attempt, startedAt: now, outcome: "running" });
  return saveCell(tx, cell, {
    status: "running",
    startedAt: cell.startedAt ?? new Date(now),
    attemptLog: log,
    attempts: log.length,
  });
}

/** The cell is being worked on without a provider call (composing a stored picture): → running. */
export async function markRunningLocked(tx: Tx, cell: CellRow, now: Date): Promise<CellRow> {
  return saveCell(tx, cell, { status: "running", startedAt: cell.startedAt ?? now });
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

/** Records how a provider call ended: attempt log, request id, cost, and the status it implies. */
export async function recordAttemptResult(
  db: Db,
  cellId: string,
  result: AttemptResult,
): Promise<CellChange> {
  return mutateCell(db, cellId, async (tx, cell, batch) => {
    const now = new Date();
    const log = [...cell.attemptLog];
    const round = result.round ?? cell.round;
    let index = log.findLastIndex((e) => e.round === round && e.attempt === result.attempt);
    if (index === -1) {
      log.push({
        round,
        attempt: result.attempt,
        startedAt: now.toISOString(),
        outcome: "running",
      });
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
    const bookkeeping: Partial<CellRow> = {
      attemptLog: log,
      attempts: log.length,
      requestIds,
      costUsd: sumCosts(log),
    };
    const batchCostUsd = await addBatchCost(tx, batch, bookkeeping.costUsd! - Number(cell.costUsd));
    if (isTerminalCell(cell.status) || round !== cell.round) {
      // A picture paid for after the cell ended (a call in flight at a cancel) is still kept: found on
      // delete, and reused if the cell is resumed or retried (not by a new take, which wants another).
      const reusable = result.outcome === "ok" && result.rawKey && !cell.rawKey && !cell.previous;
      const raw = reusable ? { rawKey: result.rawKey } : {};
      const updated = await saveCell(tx, cell, { ...bookkeeping, ...raw }, batchCostUsd);
      return { cell: updated, applied: false };
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
    return { cell: await saveCell(tx, cell, patch, batchCostUsd), applied: true };
  });
}

/**
 * Adds a call's cost to its batch's actual cost as it lands, so the batch's spend is current while it
 * runs (and after it ended, for a call in flight at a cancel). Returns the batch's cost when it
 * changed. The batch row is locked by the caller.
 */
async function addBatchCost(tx: Tx, batch: BatchRow, deltaUsd: number): Promise<number | undefined> {
  if (Math.abs(deltaUsd) < 1e-9) return undefined;
  const [row] = await tx
    .update(batches)
    .set({ actualCostUsd: sql`${batches.actualCostUsd} + ${deltaUsd.toFixed(6)}::numeric` })
    .where(eq(batches.id, batch.id))
    .returning({ actualCostUsd: batches.actualCostUsd });
  return row ? Number(row.actualCostUsd) : undefined;
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

/**
 * The finished image is stored: cell → succeeded. Repeating it with the same key is a no-op that
 * still reports applied; on a cell that ended otherwise (e.g. cancelled) it is not applied, and the
 * caller may delete the blob it just wrote.
 */
export async function completeCell(
  db: Db,
  cellId: string,
  image: CompletedImage,
  options: { finishBatch?: boolean } = {},
): Promise<CellChange> {
  return mutateCell(
    db,
    cellId,
    async (tx, cell, batch) => {
      if (cell.status === "succeeded") return { cell, applied: cell.finalKey === image.finalKey };
      if (!inRound(cell, image.round)) return { cell, applied: false };
      // A cell failed only because the workflow run above it stopped (error kind "workflow") still
      // takes the image of a call that was under way then: it was made and paid for. Its batch,
      // which may have ended meanwhile, is settled again.
      const late = cell.status === "failed" && cell.errorKind === "workflow";
      if (isTerminalCell(cell.status) && !late) return { cell, applied: false };
      const now = new Date();
      const updated = await saveCell(tx, cell, {
        status: "succeeded",
        previous: null,
        // A new take: the picture it replaces leads the other takes, which its owner can switch back to.
        ...(cell.previous ? { others: [cell.previous, ...cell.others].slice(0, OTHER_TAKES_KEPT) } : {}),
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
      });
      if (late && isTerminalBatch(batch.status)) await refinishLocked(tx, batch);
      const dropped = cell.previous ? cell.others.slice(OTHER_TAKES_KEPT - 1) : [];
      return { cell: updated, applied: true, dropped };
    },
    options.finishBatch,
  );
}

/** Fails a cell outside a provider attempt (retries exhausted, compose failed, …). Idempotent. */
export async function failCell(
  db: Db,
  cellId: string,
  failure: { error: string; errorKind?: string; round?: number },
  options: { finishBatch?: boolean } = {},
): Promise<CellChange> {
  return mutateCell(
    db,
    cellId,
    async (tx, cell) => {
      if (isTerminalCell(cell.status)) return { cell, applied: cell.status === "failed" };
      if (!inRound(cell, failure.round)) return { cell, applied: false };
      const now = new Date();
      const updated = await saveCell(tx, cell, {
        status: "failed",
        lastError: failure.error,
        errorKind: failure.errorKind ?? null,
        finishedAt: now,
        durationMs: durationMs(cell, now),
      });
      return { cell: updated, applied: true };
    },
    options.finishBatch,
  );
}
