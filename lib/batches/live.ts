/** Messages of the batch event stream (GET /api/batches/:id/events), shared by server and client. */
import type { BatchStatus } from "@/lib/db/schema";
import { countCells, type BatchDto, type CellDto } from "./dto";

export interface BatchSummary {
  status: BatchStatus;
  startedAt: string | null;
  finishedAt: string | null;
  actualCostUsd: number;
  cancelReason: string | null;
  notices: string[];
}

export type LiveMessage =
  | { kind: "cell"; cell: CellDto }
  | { kind: "cell-deleted"; cellId: string }
  | { kind: "batch"; batch: BatchSummary }
  | { kind: "end" };

/** Every message but the end of the stream. */
export type UpdateMessage = Exclude<LiveMessage, { kind: "end" }>;

/**
 * The batch after `msgs`, in order; untouched cells keep their identity (their cards skip rendering).
 * Used by the batch page and the CLI's follow.
 */
export function applyMessages(batch: BatchDto, msgs: readonly UpdateMessage[]): BatchDto {
  let next = batch;
  let cells: CellDto[] | null = null;
  let at: Map<string, number> | null = null;
  for (const msg of msgs) {
    if (msg.kind === "batch") {
      next = { ...next, ...msg.batch };
    } else if (msg.kind === "cell-deleted") {
      cells = (cells ?? next.cells).filter((c) => c.id !== msg.cellId);
      at = null;
    } else {
      const list = cells ?? next.cells;
      at ??= new Map(list.map((c, i) => [c.id, i]));
      const i = at.get(msg.cell.id);
      // A replayed state older than the one already held (a stream followed from before a fresh read).
      const held = i === undefined ? undefined : list[i]?.updatedAt;
      if (held && msg.cell.updatedAt && msg.cell.updatedAt < held) continue;
      cells ??= [...next.cells];
      if (i !== undefined) cells[i] = msg.cell;
      else at.set(msg.cell.id, cells.push(msg.cell) - 1);
    }
  }
  return cells ? { ...next, cells, counts: countCells(cells) } : next;
}
