/** Messages of the batch event stream (GET /api/batches/:id/events), shared by server and client. */
import type { BatchStatus } from "@/lib/db/schema";
import type { CellDto } from "./dto";

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
