/**
 * One cell write as one statement: lock the batch row (first, like every writer), update the cell, move
 * the batch's money (a call's cost, the reservations of calls under way) and append the cell.updated
 * event. Inside a transaction holding the locks it is the write of the locked path; on its own it is the
 * leaf's fast path: the change is computed from a row read without a lock, and applied only if the cell
 * is still that version (its xmin), else nothing is written and the caller takes the locked path.
 */
import { and, eq, sql } from "drizzle-orm";
import { ringBatch } from "./event-wakeup";
import type { BatchEventPayload } from "./events";
import { batchEvents, batches, cells, type BatchRow, type BatchStatus, type CellRow } from "./schema";
import { rowsOf, type Executor } from "./types";
import { toCellView } from "./views";

/**
 * What providers report per call may run this fraction above its list price (token-priced models): a
 * reservation fits while spent + reserved + price stays within the budget plus this share of the spend,
 * so a batch whose estimate equals its budget still makes every cell.
 */
export const SPEND_OVER_LIST = 0.01;

/**
 * Whether a call at list price `priceUsd` may go out: something is left of the budget, and the price fits
 * after what was spent and what calls under way reserved. (writeCell's withinBudget says the same in SQL.)
 */
export function fitsBudget(
  b: { spentUsd: number; reservedUsd: number; budgetUsd: number },
  priceUsd: number,
) {
  return (
    b.spentUsd < b.budgetUsd &&
    b.spentUsd + b.reservedUsd + priceUsd <= b.budgetUsd + b.spentUsd * SPEND_OVER_LIST + 1e-9
  );
}

/** What a cell write changes on its batch row. */
export interface BatchMoney {
  /** Added to the batch's actual cost (a call's cost as it lands). */
  costUsd?: number;
  /** Added to the list price reserved for calls under way (negative: released). */
  reservedUsd?: number;
  /** Added to the batch's estimate (negative: a take that ended before its call went out). */
  estimatedUsd?: number;
  /** Write nothing unless the batch has no budget or the reservation fits it (fitsBudget, on the locked row). */
  withinBudget?: boolean;
}

export interface WriteOptions {
  /** The fast path: write only if the cell is still this version (xmin as read). */
  version?: string;
  money?: BatchMoney;
  /** Also report whether another cell of the batch is unfinished (see Written.openLeft). */
  openLeft?: boolean;
}

export interface Written {
  cell: CellRow;
  /** The row's new version, for a later fast write. */
  version: string;
  batchStatus: BatchStatus;
  /**
   * With options.openLeft: whether another cell of the batch is queued, running or retrying. One such
   * cell is locked (share) to find it, so the answer is current even when this statement waited for
   * the batch lock (its snapshot may predate the writers it waited for).
   */
  openLeft: boolean;
}

const moved = (usd: number | undefined): usd is number => usd !== undefined && Math.abs(usd) >= 1e-9;

/**
 * Writes `patch` on `cell` (the row as read: the event carries the row as written, computed from it).
 * Null when nothing was written: the version changed, the batch is gone, or the reservation did not fit.
 */
export async function writeCell(
  db: Executor,
  cell: CellRow,
  patch: Partial<CellRow>,
  options: WriteOptions = {},
): Promise<Written | null> {
  const { money = {}, version } = options;
  const updatedAt = new Date();
  const updated: CellRow = { ...cell, ...patch, updatedAt };
  const payload: BatchEventPayload = { type: "cell.updated", cell: toCellView(updated) };
  const reserve = moved(money.reservedUsd) ? money.reservedUsd : 0;
  const fits = sql`b.budget_usd is null or (b.actual_cost_usd < b.budget_usd
    and b.actual_cost_usd + b.reserved_usd + ${reserve.toFixed(6)}::numeric
      <= b.budget_usd + b.actual_cost_usd * ${SPEND_OVER_LIST}::numeric)`;
  const write = db
    .update(cells)
    .set({ ...patch, updatedAt })
    .where(
      and(
        eq(cells.id, cell.id),
        sql`exists (select 1 from b where ${money.withinBudget ? fits : sql`true`})`,
        version === undefined ? undefined : sql`${cells}.xmin = ${version}::xid`,
      ),
    )
    .returning({ batchId: cells.batchId, version: sql<string>`${cells}.xmin::text`.as("version") });
  const paid = moved(money.costUsd);
  const estimate = moved(money.estimatedUsd) ? money.estimatedUsd : 0;
  const changesMoney = paid || reserve !== 0 || estimate !== 0;
  const moneySql = changesMoney
    ? sql`, money as (update ${batches} set
        actual_cost_usd = actual_cost_usd + ${(paid ? money.costUsd! : 0).toFixed(6)}::numeric,
        reserved_usd = greatest(reserved_usd + ${reserve.toFixed(6)}::numeric, 0),
        estimated_cost_usd = greatest(estimated_cost_usd + ${estimate.toFixed(6)}::numeric, 0)
        where id = ${cell.batchId} and exists (select 1 from written) returning actual_cost_usd)`
    : sql``;
  const event = paid
    ? sql`jsonb_set(${JSON.stringify(payload)}::jsonb, '{batchCostUsd}', to_jsonb(money.actual_cost_usd::float8))`
    : sql`${JSON.stringify(payload)}::jsonb`;
  const openLeft = options.openLeft ? otherOpen(cell.id) : sql`false`;
  const [row] = rowsOf<{ version: string; batch_status: BatchStatus; open_left: boolean }>(
    await db.execute(sql`with b as (select id, status, budget_usd, actual_cost_usd, reserved_usd
        from ${batches} where id = ${cell.batchId} for update),
      written as (${write.getSQL()})${moneySql},
      event as (insert into ${batchEvents} (batch_id, type, payload)
        select written.batch_id, ${payload.type}, ${event} from written
        ${changesMoney ? sql`left join money on true` : sql``} returning id)
      select written.version, b.status as batch_status, ${openLeft} as open_left
      from written cross join b`),
  );
  if (!row) return null;
  ringBatch(cell.batchId);
  return { cell: updated, version: row.version, batchStatus: row.batch_status, openLeft: !!row.open_left };
}

/**
 * Whether a cell of batch `b` other than `cellId` is unfinished, for a statement holding the batch lock.
 * The one found is locked (share): a row changed since the statement's snapshot is read again at its
 * newest version, so writers this statement waited for are seen.
 */
const otherOpen = (cellId: string) =>
  sql`(select count(*) from (select 1 from ${cells} o where o.batch_id = b.id and o.id <> ${cellId}
    and o.status in ('queued', 'running', 'retrying') limit 1 for share of o) x) > 0`;

/** The batch's status and whether a cell other than `cellId` is unfinished (see otherOpen), in one statement. */
export async function batchOpenLeft(
  db: Executor,
  batchId: string,
  cellId: string,
): Promise<{ batchStatus: BatchStatus; openLeft: boolean } | null> {
  const [row] = rowsOf<{ status: BatchStatus; open_left: boolean }>(
    await db.execute(sql`select b.status, ${otherOpen(cellId)} as open_left
      from ${batches} b where b.id = ${batchId} for update of b`),
  );
  return row ? { batchStatus: row.status, openLeft: !!row.open_left } : null;
}

/** A cell as read without a lock, with its version for writeCell. */
export interface KnownCell {
  cell: CellRow;
  version: string;
}

type CellWhere = { id: string } | { batchId: string; promptIndex: number; model: string };

const whereCell = (where: CellWhere) =>
  "id" in where
    ? eq(cells.id, where.id)
    : and(
        eq(cells.batchId, where.batchId),
        eq(cells.promptIndex, where.promptIndex),
        eq(cells.model, where.model),
      );

const versionColumn = sql<string>`${cells}.xmin::text`;

/** The cell (by id, or by batch, title and model) as it is now, with its version for writeCell. */
export async function readCell(db: Executor, where: CellWhere): Promise<KnownCell | null> {
  const [row] = await db.select({ cell: cells, version: versionColumn }).from(cells).where(whereCell(where));
  return row ?? null;
}

/** readCell with the cell's batch row. */
export async function readCellAndBatch(
  db: Executor,
  where: CellWhere,
): Promise<(KnownCell & { batch: BatchRow }) | null> {
  const [row] = await db
    .select({ batch: batches, cell: cells, version: versionColumn })
    .from(cells)
    .innerJoin(batches, eq(batches.id, cells.batchId))
    .where(whereCell(where));
  return row ?? null;
}
