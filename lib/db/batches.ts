/** Batches: create, read, lock, start, notices, spend, delete. Finishing/cancel/retry: lifecycle.ts. */
import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { appendEvent, latestEventId } from "./events";
import { newId } from "./ids";
import {
  batches,
  batchTitles,
  cells,
  TERMINAL_BATCH_STATUSES,
  TERMINAL_CELL_STATUSES,
  type BatchInput,
  type BatchRow,
  type BatchStatus,
  type CellRow,
  type PreviousImage,
} from "./schema";
import type { Db, Executor, Tx } from "./types";

export interface NewCell {
  promptIndex: number;
  prompt: string;
  model: string;
  /** A stored raw image to compose from instead of generating one (restyling an earlier batch). */
  rawKey?: string | null;
}

export interface CreateBatchData {
  input: BatchInput;
  /** Defaults to every (prompt, model) pair of `input`; pass it when models were substituted. */
  cells?: NewCell[];
  estimatedCostUsd?: number;
  /** Defaults to input.budgetUsd. */
  budgetUsd?: number | null;
  notices?: string[];
  /** A new id made by the caller (lib/batches/owner.ts ownedBatchId); a fresh random one by default. */
  id?: string;
}

export interface BatchWithCells {
  batch: BatchRow;
  /** Ordered by prompt index, then by the model's position in input.models. */
  cells: CellRow[];
  /**
   * Newest event id already reflected in `batch` and `cells`: stream SSE from here (as if it were
   * Last-Event-ID) and nothing is missed; at worst a change is delivered twice, which is harmless.
   */
  lastEventId: number;
}

export function isTerminalBatch(status: BatchStatus): boolean {
  return TERMINAL_BATCH_STATUSES.includes(status);
}

export function sortCells<T extends Pick<CellRow, "promptIndex" | "model">>(
  input: BatchInput,
  rows: T[],
): T[] {
  const order = (model: string) => {
    const i = input.models.indexOf(model);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return rows.sort(
    (a, b) =>
      a.promptIndex - b.promptIndex || order(a.model) - order(b.model) || a.model.localeCompare(b.model),
  );
}

/** Creates the batch and all its cells in one transaction: either everything exists or nothing. */
export async function createBatch(db: Db, data: CreateBatchData): Promise<BatchWithCells> {
  const { input } = data;
  const planned: NewCell[] =
    data.cells ??
    input.prompts.flatMap((prompt, promptIndex) =>
      input.models.map((model) => ({ promptIndex, prompt, model })),
    );
  if (planned.length === 0) throw new Error("createBatch: a batch needs at least one cell");
  const id = data.id ?? newId();
  return db.transaction(async (tx) => {
    const [batch] = await tx
      .insert(batches)
      .values({
        id,
        input,
        estimatedCostUsd: data.estimatedCostUsd ?? 0,
        budgetUsd: data.budgetUsd === undefined ? (input.budgetUsd ?? null) : data.budgetUsd,
        notices: data.notices ?? [],
      })
      .returning();
    if (!batch) throw new Error("createBatch: insert returned nothing");
    if (input.prompts.length > 0)
      await tx
        .insert(batchTitles)
        .values(input.prompts.map((title, promptIndex) => ({ batchId: id, promptIndex, title })));
    const rows = await tx
      .insert(cells)
      .values(
        planned.map((cell) => ({
          id: newId(),
          batchId: id,
          promptIndex: cell.promptIndex,
          prompt: cell.prompt,
          model: cell.model,
          style: input.style,
          template: input.template,
          font: input.font,
          rawKey: cell.rawKey ?? null,
        })),
      )
      .returning();
    const lastEventId = await appendEvent(tx, id, {
      type: "batch.created",
      status: batch.status,
      cells: rows.length,
    });
    return { batch, cells: sortCells(input, rows), lastEventId };
  });
}

export async function getBatch(db: Executor, id: string): Promise<BatchWithCells | null> {
  // Read the event id first: events of one batch commit in id order, so every change up to it is
  // visible to the reads that follow.
  const lastEventId = await latestEventId(db, id);
  const [batch] = await db.select().from(batches).where(eq(batches.id, id));
  if (!batch) return null;
  const rows = await db.select().from(cells).where(eq(cells.batchId, id));
  return { batch, cells: sortCells(batch.input, rows), lastEventId };
}

/** The batch row alone (no cells). */
export async function getBatchRow(db: Executor, id: string): Promise<BatchRow | null> {
  const [batch] = await db.select().from(batches).where(eq(batches.id, id));
  return batch ?? null;
}

/** The batch's status and how many of its cells are not terminal yet: one small query for pollers. */
export async function batchProgress(
  db: Executor,
  id: string,
): Promise<{ status: BatchRow["status"]; unfinished: number; estimatedCostUsd: number } | null> {
  const [row] = await db
    .select({
      status: batches.status,
      estimatedCostUsd: batches.estimatedCostUsd,
      unfinished: sql<number>`(select count(*) from ${cells} where ${cells.batchId} = ${batches.id} and ${cells.status} in ('queued', 'running', 'retrying'))::int`,
    })
    .from(batches)
    .where(eq(batches.id, id));
  return row
    ? {
        status: row.status,
        unfinished: Number(row.unfinished),
        estimatedCostUsd: Number(row.estimatedCostUsd),
      }
    : null;
}

/** New takes per model that count toward the batch's estimate (see estimateByModel): asked for, less those that ended uncalled. */
export async function takesByModel(db: Executor, id: string): Promise<{ model: string; take: number }[]> {
  const rows = await db
    .select({
      model: cells.model,
      take: sql<number>`sum(greatest(${cells.take} - ${cells.uncalledTakes}, 0))::int`,
    })
    .from(cells)
    .where(and(eq(cells.batchId, id), sql`${cells.take} > ${cells.uncalledTakes}`))
    .groupBy(cells.model);
  return rows.map((r) => ({ model: r.model, take: Number(r.take) }));
}

export interface PendingCell {
  promptIndex: number;
  model: string;
  /** The cell's round: a leaf works on that round only (a later one is another leaf's). */
  round: number;
}

/** Cells not yet terminal, in prompt then model order (optionally of one prompt): the fan-out's plan. */
export async function pendingCells(db: Executor, id: string, promptIndex?: number): Promise<PendingCell[]> {
  const rows = await db
    .select({ promptIndex: cells.promptIndex, model: cells.model, status: cells.status, round: cells.round })
    .from(cells)
    .where(
      promptIndex === undefined
        ? eq(cells.batchId, id)
        : and(eq(cells.batchId, id), eq(cells.promptIndex, promptIndex)),
    );
  const [batch] = await db.select({ input: batches.input }).from(batches).where(eq(batches.id, id));
  if (!batch) return [];
  const pending = rows.filter(
    (c) => c.status === "queued" || c.status === "running" || c.status === "retrying",
  );
  return sortCells(batch.input, pending).map(({ promptIndex: p, model, round }) => ({
    promptIndex: p,
    model,
    round,
  }));
}

/**
 * Locks the batch row for the rest of the transaction. Every writer takes it first (then cells),
 * which serialises changes and event ids per batch and keeps the lock order deadlock-free.
 */
export async function lockBatch(tx: Tx, id: string): Promise<BatchRow | null> {
  const [batch] = await tx.select().from(batches).where(eq(batches.id, id)).for("update");
  return batch ?? null;
}

export async function updateBatch(tx: Tx, id: string, patch: Partial<BatchRow>): Promise<BatchRow> {
  const [batch] = await tx
    .update(batches)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(batches.id, id))
    .returning();
  if (!batch) throw new Error(`db: batch ${id} vanished inside its own transaction`);
  return batch;
}

export interface Claim {
  batch: BatchRow;
  /** False when another workflow run already owns this round of the batch: the caller does nothing. */
  claimed: boolean;
}

/**
 * The workflow run `runId` takes the batch: queued → running, started_at recorded once. The same run
 * asking again (its step retried) keeps it; any other run finds it taken. That makes sending
 * batch/requested a second time safe: if the first event was only late, one of the two runs works and
 * the other stops, so no cell is generated twice. A retry or resume of a finished batch releases it for
 * the next round's run; a run near its step limit hands it on by naming itself as `from`, and the run
 * started for that takes it over, as long as it is not finished. Null when the batch does not exist.
 */
export async function claimBatch(db: Db, id: string, runId: string, from?: string): Promise<Claim | null> {
  return db.transaction(async (tx) => {
    const batch = await lockBatch(tx, id);
    if (!batch) return null;
    if (from !== undefined && batch.runId === from && !isTerminalBatch(batch.status))
      return { batch: await updateBatch(tx, id, { runId }), claimed: true };
    if (batch.runId !== null) return { batch, claimed: batch.runId === runId };
    if (batch.status !== "queued") return { batch: await updateBatch(tx, id, { runId }), claimed: true };
    const now = new Date();
    const updated = await updateBatch(tx, id, { status: "running", startedAt: now, runId });
    await appendEvent(tx, id, {
      type: "batch.started",
      status: updated.status,
      startedAt: now.toISOString(),
    });
    return { batch: updated, claimed: true };
  });
}

/** Adds a user-facing notice (e.g. a retired model substituted), once. */
export async function addBatchNotice(db: Db, id: string, notice: string): Promise<BatchRow | null> {
  return db.transaction(async (tx) => {
    const batch = await lockBatch(tx, id);
    if (!batch || batch.notices.includes(notice)) return batch;
    const updated = await updateBatch(tx, id, { notices: [...batch.notices, notice] });
    await appendEvent(tx, id, { type: "batch.notice", notice });
    return updated;
  });
}

/** Money spent so far: every attempt's cost, including cells since deleted from the gallery. */
export async function spendSoFar(db: Executor, id: string): Promise<number> {
  const [row] = await db
    .select({
      total: sql<string>`coalesce((select sum(${cells.costUsd}) from ${cells} where ${cells.batchId} = ${id}), 0) + ${batches.removedCostUsd}`,
    })
    .from(batches)
    .where(eq(batches.id, id));
  return row ? Number(row.total) : 0;
}

export interface DeleteResult {
  deleted: boolean;
  /** Blob keys (raw and final) the caller should now delete from storage. */
  keys: string[];
}

/** Deletes the batch, its cells and events; returns the blob keys to remove. */
export async function deleteBatch(db: Db, id: string): Promise<DeleteResult> {
  return db.transaction(async (tx) => {
    const batch = await lockBatch(tx, id);
    if (!batch) return { deleted: false, keys: [] };
    const rows = await tx
      .select({
        rawKey: cells.rawKey,
        finalKey: cells.finalKey,
        previous: cells.previous,
        others: cells.others,
      })
      .from(cells)
      .where(eq(cells.batchId, id))
      .orderBy(asc(cells.promptIndex));
    await tx.delete(batches).where(eq(batches.id, id));
    return { deleted: true, keys: await unsharedKeys(tx, blobKeys(rows)) };
  });
}

/**
 * The keys among `keys` that no remaining cell references, to be deleted from storage. Raw images are
 * content-addressed and shared by restyled batches (and by identical generations), so a raw image
 * stays while another cell still composes from it. Call inside the transaction that removed the rows.
 */
export async function unsharedKeys(tx: Executor, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return keys;
  const used = await tx
    .selectDistinct({ key: cells.rawKey })
    .from(cells)
    .where(and(isNotNull(cells.rawKey), inArray(cells.rawKey, keys)));
  // A cell working on a new take may fall back to its previous picture, and its owner may go back to
  // one of its other takes.
  const kept = new Set(used.map((row) => row.key));
  const held = await tx
    .selectDistinct({ key: sql<string>`${cells.previous}->>'rawKey'` })
    .from(cells)
    .where(and(isNotNull(cells.previous), inArray(sql`${cells.previous}->>'rawKey'`, keys)));
  for (const row of held) kept.add(row.key);
  // Through the GIN index on the other takes' raw keys (cells_other_raw_keys_idx).
  const otherRawKeys = sql`jsonb_path_query_array(${cells.others}, '$[*].rawKey')`;
  const wanted = sql`array[${sql.join(
    keys.map((key) => sql`${key}`),
    sql`, `,
  )}]::text[]`;
  const others = await tx
    .select({ keys: sql<string[]>`${otherRawKeys}` })
    .from(cells)
    .where(and(sql`${cells.others} <> '[]'::jsonb`, sql`${otherRawKeys} ?| ${wanted}`));
  for (const row of others) for (const key of row.keys) if (key) kept.add(key);
  return keys.filter((key) => !kept.has(key));
}

export function blobKeys(
  rows: {
    rawKey: string | null;
    finalKey: string | null;
    previous?: PreviousImage | null;
    others?: readonly PreviousImage[];
  }[],
): string[] {
  const keys = new Set<string>();
  for (const { rawKey, finalKey, previous, others = [] } of rows)
    for (const key of [rawKey, finalKey, ...[previous, ...others].flatMap((p) => [p?.rawKey, p?.finalKey])])
      if (key) keys.add(key);
  return [...keys];
}

export interface BatchBlobUse {
  /** The batch or one of its cells has work under way: its files may not be recorded yet. */
  busy: boolean;
  /** Every blob key its cells use (raw, final, a take's previous picture, the other takes). */
  keys: Set<string>;
}

/** For the orphan sweep: each batch among `ids` that still exists, with the blob keys its cells use. */
export async function batchBlobUse(db: Executor, ids: string[]): Promise<Map<string, BatchBlobUse>> {
  const out = new Map<string, BatchBlobUse>();
  if (ids.length === 0) return out;
  const found = await db
    .select({ id: batches.id, status: batches.status })
    .from(batches)
    .where(inArray(batches.id, ids));
  for (const b of found) out.set(b.id, { busy: !isTerminalBatch(b.status), keys: new Set() });
  const rows = await db
    .select({
      batchId: cells.batchId,
      status: cells.status,
      rawKey: cells.rawKey,
      finalKey: cells.finalKey,
      previous: cells.previous,
      others: cells.others,
    })
    .from(cells)
    .where(inArray(cells.batchId, ids));
  for (const row of rows) {
    const use = out.get(row.batchId);
    if (!use) continue;
    if (!TERMINAL_CELL_STATUSES.includes(row.status)) use.busy = true;
    for (const key of blobKeys([row])) use.keys.add(key);
  }
  return out;
}
