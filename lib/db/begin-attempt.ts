/**
 * The start of a generate step: find the cell, decide whether a provider call is due (not terminal, no
 * raw image to reuse, budget left) and, if so, log the attempt and reserve its list price against the
 * batch's budget. First as a read and one conditional write (the cell as read, the reservation only if
 * it fits); when the cell changed between the two, or the budget refused, in one transaction holding
 * the batch and cell locks, which decides for good.
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import { spendSoFar } from "./batches";
import { fitsBudget, readCellAndBatch, type KnownCell } from "./cell-write";
import {
  getCell,
  lockCellAndBatch,
  markRunningIfUnchanged,
  markRunningLocked,
  reservedBy,
  startAttemptIfUnchanged,
  startAttemptLocked,
} from "./cells";
import { batches, cells, type BatchRow, type CellRow } from "./schema";
import { rowsOf, type Db, type Tx } from "./types";
import { inRound, isTerminalCell } from "./views";

export interface CellKey {
  batchId: string;
  promptIndex: number;
  model: string;
  /**
   * The round the caller was started for. A cell asked for again since (a new take or a retry while
   * its batch ran) is in a later round, which another leaf works on: to this one it is done.
   */
  round?: number;
}

export interface BeginOptions {
  attempt: number;
  reuseRaw: boolean;
  /** The call's list price, reserved against the batch's budget while it is out (0 or absent: free). */
  priceOf?: (batch: BatchRow) => number;
  /**
   * How long a provider call may still land: when the budget refuses, reservations of calls logged as
   * running that started before this are let go (their process is gone), and the check is made again.
   */
  callWindowMs?: number;
}

export type BeginOutcome =
  | { kind: "missing" }
  /** The cell has ended, or moved on to a later round than the caller's. */
  | { kind: "terminal"; cell: CellRow }
  /** A raw image from an earlier execution exists: reuse it rather than pay again (nothing logged). */
  | { kind: "reuse"; batch: BatchRow; cell: CellRow; rawKey: string }
  | { kind: "over-budget"; batch: BatchRow; cell: CellRow; spent: number; budget: number }
  /** `version`: the cell as written, for recordAttemptResult's one-statement write. */
  | { kind: "started"; batch: BatchRow; cell: CellRow; version: string };

type Plan = { kind: "missing" | "terminal" | "reuse" | "reuse-running" | "start" };

function plan(cell: CellRow, key: CellKey, options: BeginOptions): Plan["kind"] {
  if (isTerminalCell(cell.status) || !inRound(cell, key.round)) return "terminal";
  // Composing from a stored picture (a restyle, or this step again after a crash) is work in progress
  // too: the cell shows as running and its time counts from here. No attempt is logged.
  if (options.reuseRaw && cell.rawKey) return cell.status === "running" ? "reuse-running" : "reuse";
  return "start";
}

const reservation = (batch: BatchRow, options: BeginOptions) =>
  batch.budgetUsd === null ? 0 : Math.max(0, options.priceOf?.(batch) ?? 0);

export async function beginAttempt(db: Db, key: CellKey, options: BeginOptions): Promise<BeginOutcome> {
  const read = await readCellAndBatch(db, key);
  if (!read) return { kind: "missing" };
  const fast = await beginIfUnchanged(db, read, key, options);
  return fast ?? beginLocked(db, key, options);
}

/** The read-then-write path; null when the locked path must decide. */
async function beginIfUnchanged(
  db: Db,
  read: KnownCell & { batch: BatchRow },
  key: CellKey,
  options: BeginOptions,
): Promise<BeginOutcome | null> {
  const { batch } = read;
  const early = await withoutCall(read, key, options, async () => {
    const written = await markRunningIfUnchanged(db, read, new Date());
    return written?.cell ?? null;
  });
  if (early !== "call") return early;
  const written = await startAttemptIfUnchanged(db, read, options.attempt, reservation(batch, options), {
    withinBudget: batch.budgetUsd !== null,
  });
  return written && { kind: "started", batch, cell: written.cell, version: written.version };
}

/**
 * What both paths decide alike: an ended cell, or a stored picture to compose from (the cell marked
 * running by `markRunning`, which answers null when the fast path must give way). "call": a call is due.
 */
async function withoutCall(
  { batch, cell }: { batch: BatchRow; cell: CellRow },
  key: CellKey,
  options: BeginOptions,
  markRunning: () => Promise<CellRow | null>,
): Promise<BeginOutcome | null | "call"> {
  switch (plan(cell, key, options)) {
    case "terminal":
      return { kind: "terminal", cell };
    case "reuse-running":
      return { kind: "reuse", batch, cell, rawKey: cell.rawKey! };
    case "reuse": {
      const running = await markRunning();
      return running && { kind: "reuse", batch, cell: running, rawKey: cell.rawKey! };
    }
    default:
      return "call";
  }
}

function beginLocked(db: Db, key: CellKey, options: BeginOptions): Promise<BeginOutcome> {
  return db.transaction(async (tx): Promise<BeginOutcome> => {
    const locked = await lockCellAndBatch(
      tx,
      and(eq(cells.batchId, key.batchId), eq(cells.promptIndex, key.promptIndex), eq(cells.model, key.model)),
    );
    if (!locked) return { kind: "missing" };
    const { batch } = locked;
    let { cell } = locked;
    const early = await withoutCall(
      locked,
      key,
      options,
      async () => (await markRunningLocked(tx, cell, new Date())).cell,
    );
    // Holding the locks, marking running always writes, so the locked path never gives way.
    if (early !== "call") return early!;
    const price = reservation(batch, options);
    if (batch.budgetUsd !== null) {
      const spent = await spendSoFar(tx, batch.id);
      const budget = Number(batch.budgetUsd);
      const fits = (reservedUsd: number) =>
        fitsBudget({ spentUsd: spent, reservedUsd, budgetUsd: budget }, price);
      // The reservations this cell's own interrupted calls hold are released by this start.
      let reserved = Number(batch.reservedUsd) - reservedBy(cell.attemptLog);
      if (!fits(reserved) && options.callWindowMs !== undefined) {
        const reconciled = await reconcileReserved(tx, batch.id, options.callWindowMs);
        // Read again: the reservations it let go are off this cell's log too, so this start does not
        // release them a second time.
        cell = (await getCell(tx, cell.id)) ?? cell;
        reserved = reconciled - reservedBy(cell.attemptLog);
      }
      if (!fits(reserved)) return { kind: "over-budget", batch, cell, spent, budget };
    }
    const written = await startAttemptLocked(tx, cell, options.attempt, price);
    return { kind: "started", batch, cell: written.cell, version: written.version };
  });
}

/**
 * Sets the batch's reserved amount to what its calls still out reserved: attempts logged as running
 * that started within the call window. One whose process died (a crash, a lost run) never logs its end,
 * and its reservation goes once it is past the window: in the same statement its log entry loses its
 * `reservedUsd`, so should the call land after all, its result books its cost and releases nothing (the
 * amount it held may be other calls' by then). Returns the new amount. The batch row is locked.
 */
export async function reconcileReserved(tx: Tx, batchId: string, callWindowMs: number): Promise<number> {
  const since = new Date(Date.now() - callWindowMs).toISOString();
  const held = (e: SQL) => sql`${e}->>'outcome' = 'running' and ${e} ? 'reservedUsd'`;
  const within = (e: SQL) => sql`(${e}->>'startedAt')::timestamptz > ${since}::timestamptz`;
  const e = sql.raw("e");
  const [row] = rowsOf<{ reserved_usd: string }>(
    await tx.execute(sql`with let_go as (
        update ${cells} c set attempt_log = (
          select jsonb_agg(case when ${held(e)} and not ${within(e)} then e - 'reservedUsd' else e end
            order by i)
          from jsonb_array_elements(c.attempt_log) with ordinality x(e, i))
        where c.batch_id = ${batchId} and c.attempt_log @> '[{"outcome":"running"}]'::jsonb
          and exists (select 1 from jsonb_array_elements(c.attempt_log) e
            where ${held(e)} and not ${within(e)})
        returning c.id)
      update ${batches} set reserved_usd = coalesce((
        select sum((e->>'reservedUsd')::numeric) from ${cells} c, jsonb_array_elements(c.attempt_log) e
        where c.batch_id = ${batchId} and c.attempt_log @> '[{"outcome":"running"}]'::jsonb
          and ${held(e)} and ${within(e)}), 0)
      where id = ${batchId} returning reserved_usd`),
  );
  return Number(row?.reserved_usd ?? 0);
}
