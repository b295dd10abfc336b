/**
 * A batch page shows its grid a page of titles at a time (BATCH_PAGE_TITLES, 100 by default): a batch
 * of thousands of titles otherwise sent every card and every cell's full record (7.6 MB for 5,000
 * cells) and kept the browser busy laying them out. The header's counts, cost table and restyle plan
 * still cover the whole batch, from a short summary of every cell that live messages keep current.
 */
import type { CellStatus } from "@/lib/db/schema";
import { countCells, type BatchDto, type CellDto } from "./dto";
import { patchCells, patchSummary, type CellSummary, type UpdateMessage } from "./live";

export interface PageInfo {
  /** 1-based. */
  page: number;
  pages: number;
  /** Titles per page. */
  size: number;
  /** Prompt indexes shown: from (inclusive) to (exclusive). */
  from: number;
  to: number;
  titles: number;
}

/** The page `requested` (a query value) of a batch of `titles`; out of range or malformed reads as the nearest page. */
export function pageInfo(titles: number, size: number, requested?: string | string[]): PageInfo {
  const pages = Math.max(1, Math.ceil(titles / size));
  const raw = Array.isArray(requested) ? requested[0] : requested;
  const asked = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : 1;
  const page = Math.min(pages, Math.max(1, asked));
  const from = (page - 1) * size;
  return { page, pages, size, from, to: Math.min(titles, from + size), titles };
}

/** Where the lightbox opens on arrival at a page: its first or its last image. */
export type OpenAt = "first" | "last";

/** The link to a page of a batch's grid; `open` opens the lightbox there on arrival. */
export function batchPageHref(batchId: string, page: number, open?: OpenAt): string {
  const query = new URLSearchParams();
  if (page > 1) query.set("page", String(page));
  if (open) query.set("open", open);
  const search = query.toString();
  return `/b/${batchId}${search ? `?${search}` : ""}`;
}

/** The `open` query value, when it is one the page knows. */
export function openAtParam(value: string | string[] | undefined): OpenAt | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  return raw === "first" || raw === "last" ? raw : undefined;
}

/** Page numbers to link: the first, the last, and two either side of the current one; null marks a gap. */
export function pageLinks(page: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 2) out.push(p);
    else if (out.at(-1) !== null) out.push(null);
  }
  return out;
}

/** The pages (1-based, ascending) holding at least one cell in `status`: the way to a batch's failures. */
export function pagesWith(
  cells: readonly Pick<CellSummary, "promptIndex" | "status">[],
  status: CellSummary["status"],
  size: number,
): number[] {
  const pages = new Set<number>();
  for (const c of cells) if (c.status === status) pages.add(Math.floor(c.promptIndex / size) + 1);
  return [...pages].sort((a, b) => a - b);
}

/** The batch without its cells: what the page's header reads besides the cell summaries. */
export type BatchHead = Omit<BatchDto, "cells" | "results" | "counts">;

/** The header's view of a batch: its head and a summary of every cell, with counts over all of them. */
export type BatchView = BatchHead & { cells: CellSummary[]; counts: BatchDto["counts"] };

/** What the page holds: full records for the cells on its page, summaries for the rest. */
export interface PagedBatch {
  head: BatchHead;
  page: PageInfo;
  /** Cells whose title is on this page. */
  shown: CellDto[];
  /** Every cell (those shown included). */
  all: CellSummary[];
}

const onPage = (page: PageInfo) => (cell: { promptIndex: number }) =>
  cell.promptIndex >= page.from && cell.promptIndex < page.to;

export function summarize(cell: CellDto): CellSummary {
  const { id, promptIndex, model, status, reusable, attempts, costUsd, updatedAt, errorKind } = cell;
  return { id, promptIndex, model, status, reusable, attempts, costUsd, updatedAt, errorKind };
}

/** Splits a full batch (a fresh read, or the API's answer to cancel or retry) for one page. */
export function toPaged(batch: BatchDto, page: PageInfo): PagedBatch {
  const inPage = onPage(page);
  const shown = batch.cells.filter(inPage);
  const all = batch.cells.map((c) => (inPage(c) ? c : summarize(c)));
  return { head: headOf(batch), page, shown, all };
}

function headOf(batch: BatchDto): BatchHead {
  const head: Partial<BatchDto> = { ...batch };
  delete head.cells;
  delete head.results;
  delete head.counts;
  return head as BatchHead;
}

/**
 * A cell summary as it travels: [id, promptIndex, model (index in `models`), status, reusable (0/1),
 * attempts, costUsd, updatedAt, errorKind].
 */
export type PackedSummary = [
  string,
  number,
  number,
  CellStatus,
  0 | 1,
  number,
  number,
  string | null,
  string | null,
];

/**
 * What travels to the browser: the shown cells once, and packed summaries for the others (about a
 * third of their size as objects); the client joins them back with `fromWire`.
 */
export interface PagedWire {
  head: BatchHead;
  page: PageInfo;
  shown: CellDto[];
  others: PackedSummary[];
  /** The models the packed summaries point into. */
  models: string[];
}

export function toWire(batch: BatchDto, page: PageInfo): PagedWire {
  const head = headOf(batch);
  const inPage = onPage(page);
  const shown = batch.cells.filter(inPage);
  const models = [...batch.models];
  const column = new Map(models.map((m, i) => [m, i]));
  const others = batch.cells
    .filter((c) => !inPage(c))
    .map((c): PackedSummary => {
      let at = column.get(c.model);
      if (at === undefined) column.set(c.model, (at = models.push(c.model) - 1));
      const { id, promptIndex, status, reusable, attempts, costUsd, updatedAt, errorKind } = c;
      return [id, promptIndex, at, status, reusable ? 1 : 0, attempts, costUsd, updatedAt, errorKind];
    });
  return { head, page, shown, others, models };
}

export function fromWire(wire: PagedWire): PagedBatch {
  const others = wire.others.map(
    ([id, promptIndex, at, status, reusable, attempts, costUsd, updatedAt, errorKind]): CellSummary => ({
      id,
      promptIndex,
      model: wire.models[at] ?? "",
      status,
      reusable: reusable === 1,
      attempts,
      costUsd,
      updatedAt,
      errorKind,
    }),
  );
  return { head: wire.head, page: wire.page, shown: wire.shown, all: [...wire.shown, ...others] };
}

/** The paged batch after `msgs`: shown cells get full records, every cell its summary. */
export function applyPaged(paged: PagedBatch, msgs: readonly UpdateMessage[]): PagedBatch {
  const head = patchSummary(paged.head, msgs);
  const all = patchCells(paged.all, msgs, (c) => (onPage(paged.page)(c) ? c : summarize(c)));
  const shown = patchCells(paged.shown, msgs, (c) => c, onPage(paged.page));
  if (head === paged.head && !all && !shown) return paged;
  return { ...paged, head, all: all ?? paged.all, shown: shown ?? paged.shown };
}

/**
 * The paged batch once its stream has sent "end": the stream ends only once no call from before a
 * cancel may still land, which a page that read the batch before they landed would not hear otherwise.
 */
export function endPaged(paged: PagedBatch): PagedBatch {
  const { head } = paged;
  if (head.callsOut === 0 && head.cancelledCallsOut === 0) return paged;
  return { ...paged, head: { ...head, callsOut: 0, cancelledCallsOut: 0 } };
}

/** The header's view: counts over every cell. */
export function viewOf(paged: Pick<PagedBatch, "head" | "all">): BatchView {
  return { ...paged.head, cells: paged.all, counts: countCells(paged.all) };
}
