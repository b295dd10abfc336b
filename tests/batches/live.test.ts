import { describe, expect, it } from "vitest";
import { applyMessages } from "@/lib/batches/live";
import { batch, cell } from "../helpers/batch-dto";

describe("applyMessages", () => {
  const start = batch([cell(0), cell(1), cell(2)]);

  it("applies a burst of cell updates in order, keeping untouched cells as they were", () => {
    const next = applyMessages(start, [
      { kind: "cell", cell: cell(0, { status: "running" }) },
      { kind: "cell", cell: cell(2, { status: "running" }) },
      { kind: "cell", cell: cell(0, { status: "succeeded", imageUrl: "/a.jpg" }) },
    ]);
    expect(next.cells.map((c) => c.status)).toEqual(["succeeded", "queued", "running"]);
    expect(next.cells[0]!.imageUrl).toBe("/a.jpg");
    // Same object: a memoized card for this cell does not render again.
    expect(next.cells[1]).toBe(start.cells[1]);
    expect(next.counts).toMatchObject({ total: 3, done: 1, queued: 1, running: 1, succeeded: 1 });
    // The input is not modified.
    expect(start.cells.map((c) => c.status)).toEqual(["queued", "queued", "queued"]);
  });

  it("merges batch summaries and leaves the cells alone when no cell changed", () => {
    const next = applyMessages(start, [
      {
        kind: "batch",
        batch: {
          status: "succeeded",
          startedAt: start.startedAt,
          finishedAt: "2026-11-21T10:01:00.000Z",
          actualCostUsd: 0.5,
          cancelReason: null,
          notices: [],
        },
      },
    ]);
    expect(next.status).toBe("succeeded");
    expect(next.actualCostUsd).toBe(0.5);
    expect(next.cells).toBe(start.cells);
    expect(next.counts).toBe(start.counts);
  });

  it("takes the batch's actual cost from the cell messages that carry it", () => {
    const next = applyMessages(start, [
      { kind: "cell", cell: cell(0, { status: "running", costUsd: 0.04 }), batchCostUsd: 0.04 },
      { kind: "cell", cell: cell(1, { status: "running" }) },
      { kind: "cell", cell: cell(2, { status: "running", costUsd: 0.04 }), batchCostUsd: 0.08 },
    ]);
    expect(next.actualCostUsd).toBe(0.08);
  });

  it("drops deleted cells, adds cells it did not know, and counts the result", () => {
    const next = applyMessages(start, [
      { kind: "cell", cell: cell(1, { status: "failed", error: "blocked" }) },
      { kind: "cell-deleted", cellId: "c0" },
      { kind: "cell", cell: cell(3, { status: "running" }) },
      { kind: "cell", cell: cell(2, { status: "cancelled" }) },
    ]);
    expect(next.cells.map((c) => `${c.id}:${c.status}`)).toEqual(["c1:failed", "c2:cancelled", "c3:running"]);
    expect(next.counts).toMatchObject({ total: 3, done: 2, failed: 1, cancelled: 1, running: 1 });
  });

  it("skips a replayed cell state older than the one held", () => {
    const held = batch([cell(0, { status: "succeeded", updatedAt: "2026-11-21T10:00:05.000Z" }), cell(1)]);
    const next = applyMessages(held, [
      { kind: "cell", cell: cell(0, { status: "running", updatedAt: "2026-11-21T10:00:02.000Z" }) },
    ]);
    expect(next).toBe(held);
    const newer = applyMessages(held, [
      { kind: "cell", cell: cell(0, { status: "failed", updatedAt: "2026-11-21T10:00:09.000Z" }) },
    ]);
    expect(newer.cells[0]!.status).toBe("failed");
  });

  it("returns the batch itself for an empty burst", () => {
    expect(applyMessages(start, [])).toBe(start);
  });
});
