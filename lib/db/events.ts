/**
 * Append-only change log per batch. The identity id is the SSE event id (Last-Event-ID). Writers
 * append while holding the batch row lock (see lockBatch), so within one batch ids commit in order
 * and a reader resuming after id N never misses a later-committed smaller id.
 */
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { ringBatch } from "./event-wakeup";
import { batchEvents, type BatchStatus } from "./schema";
import type { CellView } from "./views";
import type { Executor } from "./types";

export type BatchEventPayload =
  | { type: "batch.created"; status: BatchStatus; cells: number }
  | { type: "batch.started"; status: BatchStatus; startedAt: string }
  | { type: "batch.notice"; notice: string }
  /** `batchCostUsd`: the batch's actual cost after this change, when the change was a cost. */
  | { type: "cell.updated"; cell: CellView; batchCostUsd?: number }
  | { type: "cell.deleted"; cellId: string }
  | { type: "batch.cancelled"; reason: string; cellIds: string[] }
  | { type: "batch.retried"; cellIds: string[] }
  | {
      type: "batch.finished";
      status: BatchStatus;
      finishedAt: string;
      actualCostUsd: number;
    };

export type BatchEventType = BatchEventPayload["type"];

export interface BatchEvent {
  id: number;
  batchId: string;
  type: BatchEventType;
  payload: BatchEventPayload;
  createdAt: Date;
}

/** Appends one event. Call inside the transaction that made the change, after lockBatch. */
export async function appendEvent(
  tx: Executor,
  batchId: string,
  payload: BatchEventPayload,
): Promise<number> {
  const [row] = await tx
    .insert(batchEvents)
    .values({ batchId, type: payload.type, payload })
    .returning({ id: batchEvents.id });
  if (!row) throw new Error("db: event insert returned nothing");
  ringBatch(batchId);
  return row.id;
}

/** Events of one batch with id > lastEventId, oldest first (SSE replay and polling). */
export async function eventsSince(
  db: Executor,
  batchId: string,
  lastEventId = 0,
  limit = 1000,
): Promise<BatchEvent[]> {
  const rows = await db
    .select()
    .from(batchEvents)
    .where(and(eq(batchEvents.batchId, batchId), gt(batchEvents.id, lastEventId)))
    .orderBy(asc(batchEvents.id))
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    batchId: row.batchId,
    type: row.type as BatchEventType,
    payload: row.payload as unknown as BatchEventPayload,
    createdAt: row.createdAt,
  }));
}

/** The id of the batch's newest event; 0 when it has none. */
export async function latestEventId(db: Executor, batchId: string): Promise<number> {
  const [last] = await db
    .select({ id: sql<string | null>`max(${batchEvents.id})` })
    .from(batchEvents)
    .where(eq(batchEvents.batchId, batchId));
  return Number(last?.id ?? 0);
}
