/** How the CLI's follow applies live messages: a replayed, older cell state never overwrites a newer one. */
import { describe, expect, it } from "vitest";
import { countCells, type BatchDto, type CellDto } from "@/lib/batches/dto";
import { applyLive } from "../../scripts/lib/batch-client";
import { cell as fixtureCell } from "../helpers/batch-dto";

function cell(id: string, status: CellDto["status"], updatedAt: string | null): CellDto {
  return fixtureCell(Number(id), {
    id,
    status,
    imageUrl: status === "succeeded" ? `/api/blob/final/b/${id}.jpg` : null,
    attempts: 1,
    reusable: status === "succeeded",
    updatedAt,
  });
}

function batchOf(cells: CellDto[]): BatchDto {
  return { id: "b", status: "running", cells, counts: countCells(cells) } as BatchDto;
}

describe("applyLive", () => {
  it("skips a replayed cell state older than the one read, applies same-time and newer ones", () => {
    const now = batchOf([cell("0", "succeeded", "2026-11-21T10:00:05.000Z"), cell("1", "queued", null)]);
    const replayed = applyLive(now, { kind: "cell", cell: cell("0", "running", "2026-11-21T10:00:01.000Z") });
    expect(replayed).toBe(now);
    const same = applyLive(now, { kind: "cell", cell: cell("0", "failed", "2026-11-21T10:00:05.000Z") });
    expect(same.cells[0]?.status).toBe("failed");
    const fresh = applyLive(now, { kind: "cell", cell: cell("1", "running", "2026-11-21T10:00:06.000Z") });
    expect([fresh.cells[1]?.status, fresh.counts.running]).toEqual(["running", 1]);
    const added = applyLive(now, { kind: "cell", cell: cell("2", "queued", "2026-11-21T10:00:07.000Z") });
    expect(added.counts.total).toBe(3);
  });

  it("applies batch summaries and deletions as they come", () => {
    const now = batchOf([cell("0", "succeeded", "2026-11-21T10:00:05.000Z")]);
    const summary = { status: "succeeded" as const, startedAt: null, finishedAt: null };
    const done = applyLive(now, {
      kind: "batch",
      batch: { ...summary, actualCostUsd: 0, cancelReason: null, notices: [] },
    });
    expect(done.status).toBe("succeeded");
    const deleted = applyLive(now, { kind: "cell-deleted", cellId: "0" });
    expect([deleted.cells, deleted.counts.total, deleted.counts.succeeded]).toEqual([[], 0, 0]);
  });
});
