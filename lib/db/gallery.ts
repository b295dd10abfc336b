/** Gallery: every finished image, newest first, with stable keyset paging; and deletion. */
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { blobKeys, lockBatch, unsharedKeys } from "./batches";
import { decodeCursor, encodeCursor } from "./cursor";
import { appendEvent } from "./events";
import { batches, cells } from "./schema";
import type { Db, Executor } from "./types";
import { isTerminalCell } from "./views";

export interface ImageFilter {
  /** Text the title contains (case-insensitive; `%`, `_` and backslashes match themselves). */
  search?: string;
  model?: string;
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

const IMAGE_COLUMNS = {
  cellId: cells.id,
  batchId: cells.batchId,
  key: cells.finalKey,
  prompt: cells.prompt,
  model: cells.model,
  style: cells.style,
  template: cells.template,
  font: cells.font,
  width: cells.width,
  height: cells.height,
  bytes: cells.bytes,
  createdAt: cells.finishedAt,
};

// Only succeeded cells with a final key are selected, so both are set.
const toImage = (
  row: { key: string | null; createdAt: Date | null } & Omit<GalleryImage, "key" | "createdAt">,
) => ({
  ...row,
  key: row.key as string,
  createdAt: row.createdAt as Date,
});

/** The finished images among `cellIds`, newest first; unknown or unfinished ids are left out. */
export async function finishedImages(db: Executor, cellIds: readonly string[]): Promise<GalleryImage[]> {
  if (cellIds.length === 0) return [];
  const rows = await db
    .select(IMAGE_COLUMNS)
    .from(cells)
    .where(
      and(inArray(cells.id, [...cellIds]), eq(cells.status, "succeeded"), sql`${cells.finalKey} is not null`),
    )
    .orderBy(desc(cells.finishedAt), desc(cells.id));
  return rows.map(toImage);
}

/** A LIKE pattern matching text that contains `text` literally (backslash is LIKE's default escape). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Succeeded cells newest first by (finished_at, id); new images never shift later pages. */
export async function listImages(db: Executor, params: ListImagesParams = {}): Promise<ImagePage> {
  const limit = Math.min(Math.max(Math.trunc(params.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const where: SQL[] = [eq(cells.status, "succeeded"), sql`${cells.finalKey} is not null`];
  if (params.search) where.push(sql`${cells.prompt} ilike ${containsPattern(params.search)}`);
  if (params.model) where.push(eq(cells.model, params.model));
  if (params.style) where.push(eq(cells.style, params.style));
  if (params.template) where.push(eq(cells.template, params.template));
  if (params.batchId) where.push(eq(cells.batchId, params.batchId));
  if (params.from) where.push(gte(cells.finishedAt, params.from));
  if (params.to) where.push(lt(cells.finishedAt, params.to));
  if (params.cursor) {
    const { at, id } = decodeCursor(params.cursor);
    where.push(sql`(${cells.finishedAt}, ${cells.id}) < (${at}::timestamptz, ${id})`);
  }
  const rows = await db
    .select(IMAGE_COLUMNS)
    .from(cells)
    .where(and(...where))
    .orderBy(desc(cells.finishedAt), desc(cells.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map(toImage);
  const last = page[page.length - 1];
  return {
    images: page,
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.cellId) : null,
  };
}

export interface DeleteImagesResult {
  /** Cells removed. */
  deleted: string[];
  /** Ids left alone: unknown, or still in progress. */
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
 * removed_cost_usd so spend and budgets stay right. Cells still in progress are skipped.
 */
export async function deleteImages(db: Db, cellIds: string[]): Promise<DeleteImagesResult> {
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
      const removable = rows.filter((row) => isTerminalCell(row.status));
      if (removable.length === 0) continue;
      const removedCost = removable.reduce((total, row) => total + row.costUsd, 0);
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
