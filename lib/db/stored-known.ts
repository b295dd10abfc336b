/**
 * A cell as a write left it, with its version (KnownCell), in a form that survives a workflow step's
 * memoized JSON: a later step writes the cell in one statement, with no read first, unless it changed
 * since (the version check sends it down the locked path then, as with any KnownCell).
 */
import type { KnownCell } from "./cell-write";
import type { CellRow } from "./schema";

type DateColumn = "createdAt" | "updatedAt" | "startedAt" | "finishedAt";

export interface StoredKnownCell {
  cell: Omit<CellRow, DateColumn> & {
    createdAt: string;
    updatedAt: string;
    startedAt: string | null;
    finishedAt: string | null;
  };
  version: string;
}

export function storeKnownCell({ cell, version }: KnownCell): StoredKnownCell {
  return {
    cell: {
      ...cell,
      createdAt: cell.createdAt.toISOString(),
      updatedAt: cell.updatedAt.toISOString(),
      startedAt: cell.startedAt?.toISOString() ?? null,
      finishedAt: cell.finishedAt?.toISOString() ?? null,
    },
    version,
  };
}

export function reviveKnownCell({ cell, version }: StoredKnownCell): KnownCell {
  const date = (iso: string | null) => (iso === null ? null : new Date(iso));
  return {
    cell: {
      ...cell,
      createdAt: new Date(cell.createdAt),
      updatedAt: new Date(cell.updatedAt),
      startedAt: date(cell.startedAt),
      finishedAt: date(cell.finishedAt),
    },
    version,
  };
}
