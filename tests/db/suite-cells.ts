import { expect, it } from "vitest";
import {
  cancelBatch,
  completeCell,
  eventsSince,
  failCell,
  findCell,
  getBatch,
  getCell,
  recordAttemptResult,
  recordAttemptStart,
} from "@/lib/db";
import { toCellView } from "@/lib/db/views";
import { at, newBatch, succeed } from "./fixtures";
import type { Ctx } from "./repo-suite";

export function cellTests(ctx: Ctx): void {
  it("walks queued → running → retrying → running → succeeded, recording every attempt", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 1, ["m-a"]);
    const cell = at(cells, 0);
    expect((await findCell(db, batch.id, 0, "m-a"))?.id).toBe(cell.id);

    const first = await recordAttemptStart(db, cell.id, { attempt: 0 });
    expect(first).toMatchObject({ applied: true, cell: { status: "running", attempts: 1 } });
    // A step re-executed after a crash is another provider call: the unfinished entry is closed.
    const rerun = await recordAttemptStart(db, cell.id, { attempt: 0 });
    expect(rerun.cell?.attemptLog.map((e) => e.outcome)).toEqual(["interrupted", "running"]);
    const retry = await recordAttemptResult(db, cell.id, {
      attempt: 0,
      outcome: "retry",
      error: "429 rate limited",
      errorKind: "rate_limit",
      requestId: "req-1",
      costUsd: 0,
    });
    expect(retry.cell).toMatchObject({
      status: "retrying",
      lastError: "429 rate limited",
      errorKind: "rate_limit",
      attempts: 2,
    });

    await recordAttemptStart(db, cell.id, { attempt: 1 });
    await recordAttemptResult(db, cell.id, {
      attempt: 1,
      outcome: "ok",
      requestId: "req-2",
      costUsd: 0.042,
      rawKey: "raw/x.png",
    });
    const mid = await getCell(db, cell.id);
    expect(mid).toMatchObject({
      status: "running",
      rawKey: "raw/x.png",
      requestIds: ["req-1", "req-2"],
      attempts: 3,
    });
    expect(mid?.costUsd).toBeCloseTo(0.042);

    const done = await completeCell(db, cell.id, {
      finalKey: "final/x.webp",
      width: 1280,
      height: 720,
      bytes: 5000,
    });
    expect(done.cell).toMatchObject({
      status: "succeeded",
      finalKey: "final/x.webp",
      lastError: null,
      bytes: 5000,
    });
    expect(done.cell?.durationMs).toBeGreaterThanOrEqual(0);
    expect(done.cell?.attemptLog.map((e) => [e.attempt, e.outcome, e.requestId])).toEqual([
      [0, "interrupted", undefined],
      [0, "retry", "req-1"],
      [1, "ok", "req-2"],
    ]);
    expect(done.cell?.attemptLog.every((e) => e.startedAt && e.endedAt)).toBe(true);

    // Terminal cells keep their status.
    expect(await recordAttemptStart(db, cell.id, { attempt: 2 })).toMatchObject({
      applied: false,
      cell: { status: "succeeded" },
    });
    expect(await failCell(db, cell.id, { error: "late" })).toMatchObject({
      applied: false,
      cell: { status: "succeeded" },
    });
    expect(
      (await completeCell(db, cell.id, { finalKey: "final/x.webp", width: 1, height: 1, bytes: 1 })).applied,
    ).toBe(true);
    expect((await getCell(db, cell.id))?.width).toBe(1280);
  });

  it("fails a cell permanently, once", async () => {
    const { db } = ctx.handle;
    const { cells } = await newBatch(db, 1, ["m-a"]);
    const cell = at(cells, 0);
    await recordAttemptStart(db, cell.id, { attempt: 0 });
    const failed = await failCell(db, cell.id, { error: "retries exhausted", errorKind: "server" });
    expect(failed).toMatchObject({
      applied: true,
      cell: { status: "failed", lastError: "retries exhausted" },
    });
    expect(failed.cell?.finishedAt).toBeInstanceOf(Date);
    expect((await failCell(db, cell.id, { error: "again" })).cell?.lastError).toBe("retries exhausted");
    const late = await completeCell(db, cell.id, { finalKey: "k", width: 1, height: 1, bytes: 1 });
    expect(late).toMatchObject({ applied: false, cell: { status: "failed" } });
  });

  it("records the cost of a call that lands after cancellation, without reviving the cell", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 1, ["m-a"]);
    const cell = at(cells, 0);
    await recordAttemptStart(db, cell.id, { attempt: 0 });
    await cancelBatch(db, batch.id, { reason: "stop" });
    const late = await recordAttemptResult(db, cell.id, {
      attempt: 0,
      outcome: "ok",
      requestId: "req-late",
      costUsd: 0.03,
    });
    expect(late).toMatchObject({ applied: false, cell: { status: "cancelled", requestIds: ["req-late"] } });
    const read = await getBatch(db, batch.id);
    expect(read?.batch.status).toBe("cancelled");
    expect(read?.batch.actualCostUsd).toBeCloseTo(0.03);
  });

  it("counts each call's cost in the batch's actual cost as it lands, not only when the batch ends", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 2, ["m-a"]);
    const [a, b] = [at(cells, 0), at(cells, 1)];
    await recordAttemptStart(db, a.id, { attempt: 0 });
    await recordAttemptResult(db, a.id, { attempt: 0, outcome: "retry", error: "500", costUsd: 0.01 });
    await recordAttemptStart(db, a.id, { attempt: 1 });
    await recordAttemptResult(db, a.id, { attempt: 1, outcome: "ok", requestId: "r1", costUsd: 0.04 });
    await recordAttemptStart(db, b.id, { attempt: 0 });
    await recordAttemptResult(db, b.id, { attempt: 0, outcome: "failed", error: "blocked" });
    const read = await getBatch(db, batch.id);
    expect(read?.batch.status).not.toMatch(/succeeded|partial|failed|cancelled/);
    expect(read?.batch.actualCostUsd).toBeCloseTo(0.05);
    // The live stream carries the batch's cost with the cell change that made it.
    const costs = (await eventsSince(db, batch.id)).flatMap((e) =>
      e.payload.type === "cell.updated" && e.payload.batchCostUsd !== undefined
        ? [e.payload.batchCostUsd]
        : [],
    );
    expect(costs.map((c) => Math.round(c * 100) / 100)).toEqual([0.01, 0.05]);
  });

  it("returns null for cells that do not exist", async () => {
    const { db } = ctx.handle;
    expect(await recordAttemptStart(db, "missing", { attempt: 0 })).toEqual({ cell: null, applied: false });
    expect(await getCell(db, "missing")).toBeNull();
  });

  it("appends an event per change with monotonic ids, resumable from any id", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 2, ["m-a"]);
    await succeed(db, at(cells, 0));
    await cancelBatch(db, batch.id, { reason: "enough" });
    const events = await eventsSince(db, batch.id);
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(events.map((e) => e.type)).toEqual([
      "batch.created",
      "cell.updated",
      "cell.updated",
      "cell.updated",
      "cell.updated",
      "batch.cancelled",
      "batch.finished",
    ]);
    const last = events.at(-1)!;
    expect(last.payload).toMatchObject({ type: "batch.finished", status: "cancelled" });
    const cellEvent = events[3]!.payload;
    expect(cellEvent.type === "cell.updated" && cellEvent.cell.status).toBe("succeeded");
    expect((await eventsSince(db, batch.id, at(ids, 4))).map((e) => e.id)).toEqual(ids.slice(5));
    expect(await eventsSince(db, batch.id, last.id)).toEqual([]);
    expect((await getBatch(db, batch.id))?.lastEventId).toBe(last.id);
    expect((await eventsSince(db, batch.id, 0, 2)).map((e) => e.id)).toEqual(ids.slice(0, 2));
  });

  it("puts the row as stored into each cell.updated event", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 1, ["m-a"]);
    const cell = at(cells, 0);
    await recordAttemptStart(db, cell.id, { attempt: 0 });
    await recordAttemptResult(db, cell.id, {
      attempt: 0,
      outcome: "ok",
      requestId: "req-stored",
      costUsd: 0.0412345,
      rawKey: "raw/stored.png",
    });
    const events = await eventsSince(db, batch.id);
    const last = events.at(-1)?.payload;
    const stored = await getCell(db, cell.id);
    expect(last?.type === "cell.updated" && last.cell).toEqual(toCellView(stored!));
  });

  it("loses no update when writers of one cell race (each reads the newest row under its lock)", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 1, ["m-a"]);
    const cell = at(cells, 0);
    await Promise.all(
      Array.from({ length: 8 }, (_, attempt) => recordAttemptStart(db, cell.id, { attempt })),
    );
    const after = await getCell(db, cell.id);
    expect(after?.attempts).toBe(8);
    expect(after?.attemptLog.map((e) => e.attempt).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const events = await eventsSince(db, batch.id);
    // Each event carries the row as written: the attempt counts climb one by one.
    expect(
      events.flatMap((e) => (e.payload.type === "cell.updated" ? [e.payload.cell.attempts] : [])),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("keeps per-batch event order under concurrent writers", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 12, ["m-a", "m-b"]);
    await Promise.all(cells.map((cell) => succeed(db, cell)));
    const events = await eventsSince(db, batch.id);
    expect(events).toHaveLength(1 + cells.length * 3);
    const seen = new Map<string, string[]>();
    for (const event of events) {
      if (event.payload.type !== "cell.updated") continue;
      const list = seen.get(event.payload.cell.id) ?? [];
      list.push(event.payload.cell.status);
      seen.set(event.payload.cell.id, list);
    }
    // Each cell's own events appear in the order they happened.
    for (const statuses of seen.values()) expect(statuses).toEqual(["running", "running", "succeeded"]);
    const read = await getBatch(db, batch.id);
    expect(read?.cells.every((c) => c.status === "succeeded")).toBe(true);
  });
}
