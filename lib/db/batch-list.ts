/** Recent batches, newest first (gallery batch filter, history). */
import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "./cursor";
import { containsPattern, SHOWN_PICTURE } from "./gallery";
import { batches, batchTitles, cells, type BatchStatus } from "./schema";
import type { Executor } from "./types";

export interface BatchSummary {
  id: string;
  createdAt: Date;
  status: BatchStatus;
  prompts: number;
  models: string[];
  style: string;
  template: string;
  font: string;
  /** First prompt, for a label. */
  title: string;
  cells: number;
  succeeded: number;
  estimatedCostUsd: number;
  actualCostUsd: number;
  /**
   * The first image shown (lowest title, then model id; a cell taken again shows the picture it keeps),
   * to recognise the batch by; null without one.
   */
  coverKey: string | null;
  /** When that image was finished (ms), the version its URL carries (see toBatchDto). */
  coverVersion: string | null;
}

export interface BatchPage {
  batches: BatchSummary[];
  nextCursor: string | null;
}

/**
 * Batches with a title containing `text` (case-insensitive, taken literally), through batch_titles and
 * its trigram index (migration 0007).
 */
export function titleSearch(text: string): SQL {
  return sql`exists (select 1 from ${batchTitles} where ${batchTitles.batchId} = ${batches.id}
    and ${batchTitles.title} ilike ${containsPattern(text)})`;
}

/** A cell's column in its batch's grid: its model's place in the batch's list of models. */
const GRID_COLUMN = sql`array_position(array(select jsonb_array_elements_text(${batches.input}->'models')), ${cells.model})`;

export async function listBatches(
  db: Executor,
  params: {
    cursor?: string | null;
    limit?: number;
    status?: BatchStatus;
    /** Text one of the batch's titles contains (case-insensitive, taken literally). */
    search?: string;
    /** Only batches with a picture to show (what the gallery can list for them). */
    withImages?: boolean;
    /** Only these batches. */
    ids?: readonly string[];
  } = {},
): Promise<BatchPage> {
  const limit = Math.min(Math.max(Math.trunc(params.limit ?? 20), 1), 100);
  const where: SQL[] = [];
  if (params.status) where.push(eq(batches.status, params.status));
  if (params.search) where.push(titleSearch(params.search));
  if (params.ids) where.push(params.ids.length > 0 ? inArray(batches.id, [...params.ids]) : sql`false`);
  if (params.cursor) {
    const { at, id } = decodeCursor(params.cursor);
    where.push(sql`(${batches.createdAt}, ${batches.id}) < (${at}::timestamptz, ${id})`);
  }
  const rows = await db
    .select({
      id: batches.id,
      createdAt: batches.createdAt,
      status: batches.status,
      input: batches.input,
      estimatedCostUsd: batches.estimatedCostUsd,
      actualCostUsd: batches.actualCostUsd,
      cells: sql<number>`count(${cells.id})::int`,
      succeeded: sql<number>`(count(*) filter (where ${cells.status} = 'succeeded'))::int`,
      coverKey: sql<
        string | null
      >`(array_agg(${SHOWN_PICTURE.key} order by ${cells.promptIndex}, ${GRID_COLUMN})
        filter (where ${SHOWN_PICTURE.key} is not null))[1]`,
      coverAt: sql<
        number | string | null
      >`(array_agg(floor(extract(epoch from ${SHOWN_PICTURE.at}) * 1000)::float8
        order by ${cells.promptIndex}, ${GRID_COLUMN})
        filter (where ${SHOWN_PICTURE.key} is not null))[1]`,
    })
    .from(batches)
    .leftJoin(cells, eq(cells.batchId, batches.id))
    .where(where.length > 0 ? and(...where) : undefined)
    .groupBy(batches.id)
    .having(params.withImages ? sql`bool_or(${SHOWN_PICTURE.key} is not null)` : undefined)
    .orderBy(desc(batches.createdAt), desc(batches.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map(({ input, coverAt, ...row }) => ({
    ...row,
    coverVersion: row.coverKey === null || coverAt === null ? null : String(Number(coverAt)),
    cells: Number(row.cells),
    succeeded: Number(row.succeeded),
    prompts: input.prompts.length,
    models: input.models,
    style: input.style,
    template: input.template,
    font: input.font,
    title: input.prompts[0] ?? "",
  }));
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null;
  return { batches: page, nextCursor };
}
