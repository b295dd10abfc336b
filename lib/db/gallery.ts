/** Gallery: every picture a cell shows, newest first, with stable keyset paging; and deletion. */
import { and, desc, eq, inArray, isNotNull, notInArray, sql, type SQL } from "drizzle-orm";
import { unionAll, type AnyPgColumn } from "drizzle-orm/pg-core";
import { blobKeys, lockBatch, unsharedKeys } from "./batches";
import { decodeCursor, encodeCursor } from "./cursor";
import { reservedBy } from "./cells";
import { appendEvent } from "./events";
import { batches, cells, TERMINAL_CELL_STATUSES, type PreviousImage } from "./schema";
import type { Db, Executor } from "./types";
import { callsOut, isTerminalCell } from "./views";

export interface ImageFilter {
  /** Text the title contains (case-insensitive; `%`, `_` and backslashes match themselves). */
  search?: string;
  /** One model id, or any of several (a retired id and its successor). */
  model?: string | readonly string[];
  style?: string;
  template?: string;
  batchId?: string;
  /** Finished at or after. */
  from?: Date;
  /** Finished before. */
  to?: Date;
}

export interface ListImagesParams extends ImageFilter {
  /** Opaque `nextCursor` from the previous page. */
  cursor?: string | null;
  /** 1..100, default 24. */
  limit?: number;
}

export interface GalleryImage {
  cellId: string;
  batchId: string;
  /** Blob key of the finished thumbnail (turn it into a URL with the blob store). */
  key: string;
  prompt: string;
  model: string;
  style: string;
  template: string;
  font: string;
  width: number | null;
  height: number | null;
  bytes: number | null;
  /** When the image finished. */
  createdAt: Date;
}

export interface ImagePage {
  images: GalleryImage[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 24;
export const MAX_PAGE_SIZE = 100;

/**
 * Where a cell's shown picture lives. A succeeded cell shows its own; a cell being taken again shows
 * the picture it keeps meanwhile (`previous`, as its page and exports do), so the gallery never drops
 * an image while a take runs.
 */
interface Shown {
  /** The cells that show a picture of this kind. */
  where: SQL;
  /** When the picture finished: the gallery's order, its from/to filter and its cursor. */
  at: SQL<Date | null>;
  /** Blob key and size of the picture. */
  key: SQL<string | null>;
  width: SQL<number | null>;
  height: SQL<number | null>;
  bytes: SQL<number | null>;
}

const own = <T extends AnyPgColumn>(column: T) => sql`${column}`.mapWith(column);
const kept = <T extends AnyPgColumn>(field: keyof PreviousImage, type: string, like: T) =>
  sql`(${cells.previous}->>${sql.raw(`'${field}'`)})::${sql.raw(type)}`.mapWith(like);

const OWN: Shown = {
  where: and(eq(cells.status, "succeeded"), isNotNull(cells.finalKey)) as SQL,
  at: own(cells.finishedAt),
  key: own(cells.finalKey),
  width: own(cells.width),
  height: own(cells.height),
  bytes: own(cells.bytes),
};

// A kept picture without a finish time (none is written without one) would have no place in the order.
const KEPT: Shown = {
  where: and(
    isNotNull(cells.previous),
    notInArray(cells.status, [...TERMINAL_CELL_STATUSES]),
    sql`${cells.previous}->>'finishedAt' is not null`,
  ) as SQL,
  at: kept("finishedAt", "timestamptz", cells.finishedAt),
  key: kept("finalKey", "text", cells.finalKey),
  width: kept("width", "integer", cells.width),
  height: kept("height", "integer", cells.height),
  bytes: kept("bytes", "integer", cells.bytes),
};

/**
 * The key and finish time of the picture a cell shows, null when it shows none: for a batch's cover
 * (batch-list.ts), by the same rule as the gallery.
 */
export const SHOWN_PICTURE = {
  key: sql<string | null>`case when ${OWN.where} then ${OWN.key} when ${KEPT.where} then ${KEPT.key} end`,
  at: sql<Date | null>`case when ${OWN.where} then ${OWN.at} when ${KEPT.where} then ${KEPT.at} end`,
};

/** The gallery columns of one kind of shown picture, in one order so the kinds can be unioned. */
const columnsOf = (shown: Shown) => ({
  cellId: cells.id,
  batchId: cells.batchId,
  key: shown.key,
  prompt: cells.prompt,
  model: cells.model,
  style: cells.style,
  template: cells.template,
  font: cells.font,
  width: shown.width,
  height: shown.height,
  bytes: shown.bytes,
  createdAt: shown.at,
});

// Only cells showing a picture are selected, so its key and time are set.
const toImage = (
  row: { key: string | null; createdAt: Date | null } & Omit<GalleryImage, "key" | "createdAt">,
) => ({
  ...row,
  key: row.key as string,
  createdAt: row.createdAt as Date,
});

/** Newest first over the union's output columns (the first select names them). */
const NEWEST_FIRST = sql`${sql.identifier(cells.finishedAt.name)} desc, ${sql.identifier(cells.id.name)} desc`;

/** The images `cellIds` show, newest first; unknown ids and cells showing no picture are left out. */
export async function shownImages(db: Executor, cellIds: readonly string[]): Promise<GalleryImage[]> {
  if (cellIds.length === 0) return [];
  const ids = inArray(cells.id, [...cellIds]);
  const [own, take] = [OWN, KEPT].map((shown) =>
    db.select(columnsOf(shown)).from(cells).where(and(ids, shown.where)),
  ) as [ShownQuery, ShownQuery];
  const rows = await unionAll(own, take).orderBy(NEWEST_FIRST);
  return rows.map(toImage);
}

type ShownQuery = ReturnType<typeof shownQuery>;
const shownQuery = (db: Executor, shown: Shown, where: SQL[]) =>
  db
    .select(columnsOf(shown))
    .from(cells)
    .where(and(shown.where, ...where))
    .orderBy(desc(shown.at), desc(cells.id));

/** A LIKE pattern matching text that contains `text` literally (backslash is LIKE's default escape). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The filter and cursor conditions for one kind of shown picture. */
function conditions(shown: Shown, params: ListImagesParams): SQL[] {
  const where: SQL[] = [];
  if (params.search) where.push(sql`${cells.prompt} ilike ${containsPattern(params.search)}`);
  if (typeof params.model === "string") where.push(eq(cells.model, params.model));
  else if (params.model?.length) where.push(inArray(cells.model, [...params.model]));
  if (params.style) where.push(eq(cells.style, params.style));
  if (params.template) where.push(eq(cells.template, params.template));
  if (params.batchId) where.push(eq(cells.batchId, params.batchId));
  if (params.from) where.push(sql`${shown.at} >= ${params.from.toISOString()}::timestamptz`);
  if (params.to) where.push(sql`${shown.at} < ${params.to.toISOString()}::timestamptz`);
  if (params.cursor) {
    const { at, id } = decodeCursor(params.cursor);
    where.push(sql`(${shown.at}, ${cells.id}) < (${at}::timestamptz, ${id})`);
  }
  return where;
}

/**
 * Cells showing a picture, newest first by (finished, id); new images never shift later pages. Each
 * kind is read newest first up to the page (the kept ones through a partial index: few cells are being
 * taken again at once), and the database merges them, so ties order as its cursor compares them.
 */
export async function listImages(db: Executor, params: ListImagesParams = {}): Promise<ImagePage> {
  const limit = Math.min(Math.max(Math.trunc(params.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const [own, take] = [OWN, KEPT].map((shown) =>
    shownQuery(db, shown, conditions(shown, params)).limit(limit + 1),
  ) as [ShownQuery, ShownQuery];
  const rows = await unionAll(own, take)
    .orderBy(NEWEST_FIRST)
    .limit(limit + 1);
  const page = rows.slice(0, limit).map(toImage);
  const last = page[page.length - 1];
  return {
    images: page,
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.cellId) : null,
  };
}

/** The most images countImages counts exactly: past it, only that there are more. */
export const COUNT_CAP = 10_000;

export interface ImageCount {
  /** Images matching, up to the cap. */
  count: number;
  /** More than `count` match (the count stopped at the cap). */
  capped: boolean;
}

/**
 * How many images match the filters (a cursor is ignored), counting at most `cap`: each kind of shown
 * picture stops at cap + 1 matching rows (through the gallery's indexes, as the page reads them), so the
 * count of a gallery of 200,000 images reads at most that many, not all of them.
 */
export async function countImages(db: Executor, filter: ImageFilter, cap = COUNT_CAP): Promise<ImageCount> {
  const params = { ...filter, cursor: undefined };
  const counts = await Promise.all(
    [OWN, KEPT].map(async (shown) => {
      const matching = db
        .select({ one: sql`1`.as("one") })
        .from(cells)
        .where(and(shown.where, ...conditions(shown, params)))
        .limit(cap + 1)
        .as("matching");
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(matching);
      return Number(row?.n ?? 0);
    }),
  );
  const total = counts.reduce((a, b) => a + b, 0);
  return { count: Math.min(total, cap), capped: total > cap };
}

export interface DeleteImagesResult {
  /** Cells removed. */
  deleted: string[];
  /** Ids left alone: unknown, still in progress, or with a call out that may still land. */
  skipped: string[];
  /** Blob keys (raw and final) the caller should now delete from storage. */
  keys: string[];
  /** Raw images left in storage because other cells still use them. */
  kept: number;
  /** Batches that lost images (their cached derivatives, e.g. contact sheets, are now stale). */
  batchIds: string[];
}

/**
 * Deletes finished cells (rows) and returns their blob keys. Their cost moves to the batch's
 * removed_cost_usd so spend and budgets stay right, and the reservations they still held (calls past the
 * window that never logged an end) are released from its reserved_usd, in the same transaction. Cells still in progress are skipped, and so are
 * cells with a provider call from before a cancel that may still land (started within `callWindowMs`):
 * its cost must find its cell.
 */
export async function deleteImages(
  db: Db,
  cellIds: string[],
  options: { callWindowMs?: number; now?: Date } = {},
): Promise<DeleteImagesResult> {
  const since = (options.now ?? new Date()).getTime() - (options.callWindowMs ?? 0);
  const ids = [...new Set(cellIds)];
  if (ids.length === 0) return { deleted: [], skipped: [], keys: [], kept: 0, batchIds: [] };
  return db.transaction(async (tx) => {
    const found = await tx
      .select({ id: cells.id, batchId: cells.batchId })
      .from(cells)
      .where(inArray(cells.id, ids));
    const batchIds = [...new Set(found.map((row) => row.batchId))].sort();
    const deleted: string[] = [];
    const keys: string[] = [];
    const touched: string[] = [];
    for (const batchId of batchIds) {
      if (!(await lockBatch(tx, batchId))) continue;
      const wanted = found.filter((row) => row.batchId === batchId).map((row) => row.id);
      const rows = await tx.select().from(cells).where(inArray(cells.id, wanted)).for("update");
      const removable = rows.filter((row) => isTerminalCell(row.status) && callsOut(row, since).length === 0);
      if (removable.length === 0) continue;
      const removedCost = removable.reduce((total, row) => total + row.costUsd, 0);
      // A call past the window whose end was never logged may still hold its reservation: it goes with
      // its cell, so the batch's budget is not blocked by a call nothing will book.
      const released = removable.reduce((total, row) => total + reservedBy(row.attemptLog), 0);
      await tx.delete(cells).where(
        inArray(
          cells.id,
          removable.map((row) => row.id),
        ),
      );
      await tx
        .update(batches)
        .set({
          removedCostUsd: sql`${batches.removedCostUsd} + ${removedCost.toFixed(6)}::numeric`,
          reservedUsd: sql`greatest(${batches.reservedUsd} - ${released.toFixed(6)}::numeric, 0)`,
          updatedAt: new Date(),
        })
        .where(eq(batches.id, batchId));
      for (const row of removable) {
        deleted.push(row.id);
        await appendEvent(tx, batchId, { type: "cell.deleted", cellId: row.id });
      }
      keys.push(...blobKeys(removable));
      touched.push(batchId);
    }
    const gone = new Set(deleted);
    const all = [...new Set(keys)];
    const unshared = await unsharedKeys(tx, all);
    return {
      deleted,
      skipped: ids.filter((id) => !gone.has(id)),
      keys: unshared,
      kept: all.length - unshared.length,
      batchIds: touched,
    };
  });
}
