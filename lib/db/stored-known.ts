/**
 * A cell as a write left it, with its version (KnownCell), in a form that survives a workflow step's
 * memoized JSON: a later step writes the cell in one statement, with no read first, unless it changed
 * since (the version check sends it down the locked path then, as with any KnownCell).
 */
import type { KnownCell } from "./cell-write";
import { fromCellView, toCellView, type CellView } from "./views";

export interface StoredKnownCell {
  cell: CellView;
  version: string;
}

export const storeKnownCell = ({ cell, version }: KnownCell): StoredKnownCell => ({
  cell: toCellView(cell),
  version,
});

export const reviveKnownCell = ({ cell, version }: StoredKnownCell): KnownCell => ({
  cell: fromCellView(cell),
  version,
});
