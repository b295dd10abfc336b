/**
 * The start of a generate step in one transaction: find the cell, decide whether a provider call is
 * due (not terminal, no raw image to reuse, budget left) and, if so, log the attempt.
 */
import { and, eq } from "drizzle-orm";
import { spendSoFar } from "./batches";
import { lockCellAndBatch, markRunningLocked, startAttemptLocked } from "./cells";
import { cells, type BatchRow, type CellRow } from "./schema";
import type { Db } from "./types";
import { inRound, isTerminalCell } from "./views";

export interface CellKey {
  batchId: string;
  promptIndex: number;
  model: string;
  /**
   * The round the caller was started for. A cell asked for again since (a new take or a retry while
   * its batch ran) is in a later round, which another leaf works on: to this one it is done.
   */
  round?: number;
}

export type BeginOutcome =
  | { kind: "missing" }
  /** The cell has ended, or moved on to a later round than the caller's. */
  | { kind: "terminal"; cell: CellRow }
  /** A raw image from an earlier execution exists: reuse it rather than pay again (nothing logged). */
  | { kind: "reuse"; batch: BatchRow; cell: CellRow; rawKey: string }
  | { kind: "over-budget"; batch: BatchRow; cell: CellRow; spent: number; budget: number }
  | { kind: "started"; batch: BatchRow; cell: CellRow };

export async function beginAttempt(
  db: Db,
  key: CellKey,
  options: { attempt: number; reuseRaw: boolean },
): Promise<BeginOutcome> {
  return db.transaction(async (tx): Promise<BeginOutcome> => {
    const locked = await lockCellAndBatch(
      tx,
      and(eq(cells.batchId, key.batchId), eq(cells.promptIndex, key.promptIndex), eq(cells.model, key.model)),
    );
    if (!locked) return { kind: "missing" };
    const { batch, cell } = locked;
    if (isTerminalCell(cell.status) || !inRound(cell, key.round)) return { kind: "terminal", cell };
    if (options.reuseRaw && cell.rawKey) {
      // Composing from a stored picture (a restyle, or this step again after a crash) is work in
      // progress too: the cell shows as running and its time counts from here. No attempt is logged.
      const running = cell.status === "running" ? cell : await markRunningLocked(tx, cell, new Date());
      return { kind: "reuse", batch, cell: running, rawKey: cell.rawKey };
    }
    if (batch.budgetUsd !== null) {
      const spent = await spendSoFar(tx, batch.id);
      const budget = Number(batch.budgetUsd);
      if (spent >= budget) return { kind: "over-budget", batch, cell, spent, budget };
    }
    return { kind: "started", batch, cell: await startAttemptLocked(tx, cell, options.attempt) };
  });
}
