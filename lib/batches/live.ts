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
  /**
   * The batch's calls from before a cancel that may still land (see BatchDto.callsOut): sent by the
   * stream when the count changes, first when the batch ends with some out, last as 0 once none is.
   */
  callsOut?: number;
  /** The cancelled cells' calls among them (see BatchDto.cancelledCallsOut), sent the same way. */
  cancelledCallsOut?: number;
  /**
   * The list-price estimate, whole and per model, sent when it changes while the page is open: a new
   * take adds its price, and one that ends before its call went out takes it off again.
   */
  estimatedCostUsd?: number;
  estimatedByModel?: Record<string, number>;
}

export type LiveMessage =
  /** `batchCostUsd`: the batch's actual cost once this cell's cost landed (when it changed). */
  | { kind: "cell"; cell: CellDto; batchCostUsd?: number }
  | { kind: "cell-deleted"; cellId: string }
  | { kind: "batch"; batch: BatchSummary }
  | { kind: "end" };

/** Every message but the end of the stream. */
export type UpdateMessage = Exclude<LiveMessage, { kind: "end" }>;

/** What the batch page keeps of every cell for its counts, cost table and restyle plan (the grid shows one page). */
export type CellSummary = Pick<
  CellDto,
  "id" | "promptIndex" | "model" | "status" | "reusable" | "attempts" | "costUsd" | "updatedAt" | "errorKind"
>;

/**
 * `cells` after the cell messages among `msgs`, in order, or null when none changed them; untouched
 * cells keep their identity (their cards skip rendering). `take` decides which cells not held yet the
 * list takes in (all by default).
 */
export function patchCells<C extends CellSummary>(
  cells: readonly C[],
  msgs: readonly UpdateMessage[],
  shape: (cell: CellDto) => C,
  take: (cell: CellDto) => boolean = () => true,
): C[] | null {
  let out: C[] | null = null;
  let at: Map<string, number> | null = null;
  for (const msg of msgs) {
    if (msg.kind === "batch") continue;
    const list: readonly C[] = out ?? cells;
    if (msg.kind === "cell-deleted") {
      if (!list.some((c) => c.id === msg.cellId)) continue;
      out = list.filter((c) => c.id !== msg.cellId);
      at = null;
      continue;
    }
    at ??= new Map(list.map((c, i) => [c.id, i]));
    const i = at.get(msg.cell.id);
    // A replayed state older than the one already held (a stream followed from before a fresh read).
    const held = i === undefined ? undefined : list[i]?.updatedAt;
    if (held && msg.cell.updatedAt && msg.cell.updatedAt < held) continue;
    if (i === undefined && !take(msg.cell)) continue;
    out ??= [...cells];
    if (i !== undefined) out[i] = shape(msg.cell);
    else at.set(msg.cell.id, out.push(shape(msg.cell)) - 1);
  }
  return out;
}

/**
 * The batch summary after the batch messages among `msgs` (the last one wins per field), its actual
 * cost also after the cell messages that carry it.
 */
export function patchSummary<B extends BatchSummary>(batch: B, msgs: readonly UpdateMessage[]): B {
  let next = batch;
  for (const msg of msgs) {
    if (msg.kind === "batch") next = { ...next, ...msg.batch };
    else if (msg.kind === "cell" && msg.batchCostUsd !== undefined)
      next = { ...next, actualCostUsd: msg.batchCostUsd };
  }
  return next;
}

/** The batch after `msgs`, in order. Used by the CLI's follow and the API clients. */
export function applyMessages(batch: BatchDto, msgs: readonly UpdateMessage[]): BatchDto {
  const next = patchSummary(batch, msgs);
  const cells = patchCells(batch.cells, msgs, (c) => c);
  return cells ? { ...next, cells, counts: countCells(cells) } : next;
}
