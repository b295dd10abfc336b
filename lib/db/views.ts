import type { CellRow, CellStatus } from "./schema";
import { TERMINAL_CELL_STATUSES } from "./schema";

type DateKeys = "createdAt" | "updatedAt" | "startedAt" | "finishedAt";

/** A cell as JSON (dates as ISO strings): what events carry and what APIs can return as is. */
export type CellView = Omit<CellRow, DateKeys> & {
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export function toCellView(cell: CellRow): CellView {
  return {
    ...cell,
    createdAt: cell.createdAt.toISOString(),
    updatedAt: cell.updatedAt.toISOString(),
    startedAt: cell.startedAt?.toISOString() ?? null,
    finishedAt: cell.finishedAt?.toISOString() ?? null,
  };
}

/** The cell a CellView was made from (toCellView undone: its dates as dates). */
export function fromCellView(view: CellView): CellRow {
  const date = (iso: string | null) => (iso === null ? null : new Date(iso));
  return {
    ...view,
    createdAt: new Date(view.createdAt),
    updatedAt: new Date(view.updatedAt),
    startedAt: date(view.startedAt),
    finishedAt: date(view.finishedAt),
  };
}

export function isTerminalCell(status: CellStatus): boolean {
  return TERMINAL_CELL_STATUSES.includes(status);
}

/** Whether the cell is still in `round` (work started before rounds were passed along names none). */
export function inRound(cell: { round: number }, round: number | undefined): boolean {
  return round === undefined || cell.round === round;
}

export type CellCounts = Record<CellStatus, number> & { total: number; done: number };

/** Per-status counts for progress bars; `done` counts terminal cells. */
/** Counts by status; rows may carry `n` (a grouped count, e.g. from SQL) and otherwise count as one. */
export function countCells(cells: readonly (Pick<CellRow, "status"> & { n?: number })[]): CellCounts {
  const counts: CellCounts = {
    total: 0,
    done: 0,
    queued: 0,
    running: 0,
    retrying: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
  };
  for (const cell of cells) {
    const n = cell.n ?? 1;
    counts.total += n;
    counts[cell.status] += n;
    if (isTerminalCell(cell.status)) counts.done += n;
  }
  return counts;
}

/**
 * When the provider calls of the cell's current round still logged as running started (ms), those
 * started after `since`: calls that may still land (a call ends or is given up within the call window).
 */
export const callsOut = (cell: Pick<CellRow, "round" | "attemptLog">, since: number): number[] =>
  cell.attemptLog
    .filter((e) => e.round === cell.round && e.outcome === "running")
    .map((e) => Date.parse(e.startedAt))
    .filter((t) => t > since);
