/**
 * Budget reservations at dispatch and the one-statement cell writes: racing starts where one fits,
 * a reservation replaced by the call's cost, a step run again after a crash, a reservation whose call
 * is past the call window, and the last two cells of a batch ending at once.
 */
import { expect, it } from "vitest";
import {
  beginAttempt,
  cancelBatch,
  completeCell,
  getBatch,
  getBatchRow,
  recordAttemptResult,
} from "@/lib/db";
import { at, newBatch } from "./fixtures";
import type { Ctx } from "./repo-suite";

const PRICE = 0.04;
const call = (attempt: number, callWindowMs = 60_000) => ({
  attempt,
  reuseRaw: true,
  priceOf: () => PRICE,
  callWindowMs,
});
const reserved = async (ctx: Ctx, id: string) => Number((await getBatchRow(ctx.handle.db, id))?.reservedUsd);

export function reserveTests(ctx: Ctx): void {
  it("reserves each call's list price as it starts: of two racing starts only the one that fits goes out", async () => {
    const { db } = ctx.handle;
    const { batch } = await newBatch(db, 2, ["m-a"], { budgetUsd: 0.06 });
    const starts = await Promise.all(
      [0, 1].map((promptIndex) =>
        beginAttempt(db, { batchId: batch.id, promptIndex, model: "m-a" }, call(0)),
      ),
    );
    expect(starts.map((s) => s.kind).sort()).toEqual(["over-budget", "started"]);
    expect(await reserved(ctx, batch.id)).toBe(PRICE);
  });

  it("replaces a reservation with the call's cost; a step run again after a crash holds one, not two", async () => {
    const { db } = ctx.handle;
    const { batch } = await newBatch(db, 1, ["m-a"], { budgetUsd: 0.1 });
    const key = { batchId: batch.id, promptIndex: 0, model: "m-a" };
    await beginAttempt(db, key, call(0));
    // The process died mid-call: the step runs again, its first call is closed as interrupted.
    const again = await beginAttempt(db, key, call(1));
    if (again.kind !== "started") throw new Error(`expected a start, got ${again.kind}`);
    expect(again.cell.attemptLog.map((e) => e.outcome)).toEqual(["interrupted", "running"]);
    expect(await reserved(ctx, batch.id)).toBe(PRICE);
    const known = { cell: again.cell, version: again.version };
    const result = {
      attempt: 1,
      outcome: "ok" as const,
      costUsd: 0.0412,
      rawKey: "raw/r.png",
      requestId: "r",
    };
    await recordAttemptResult(db, again.cell.id, result, known);
    const after = await getBatchRow(db, batch.id);
    expect([Number(after?.reservedUsd), Number(after?.actualCostUsd)]).toEqual([0, 0.0412]);
    // The same result written again (a stale version): the locked path books it once, releases nothing more.
    await recordAttemptResult(db, again.cell.id, result, known);
    expect(Number((await getBatchRow(db, batch.id))?.actualCostUsd)).toBe(0.0412);
    expect(await reserved(ctx, batch.id)).toBe(0);
  });

  it("lets a reservation go once its call is past the call window, when the budget would refuse", async () => {
    const { db } = ctx.handle;
    const { batch } = await newBatch(db, 2, ["m-a"], { budgetUsd: 0.06 });
    const key = (promptIndex: number) => ({ batchId: batch.id, promptIndex, model: "m-a" });
    expect((await beginAttempt(db, key(0), call(0))).kind).toBe("started");
    // The first call's process died without a word: within the window its call may still land.
    expect((await beginAttempt(db, key(1), call(0))).kind).toBe("over-budget");
    expect((await beginAttempt(db, key(1), call(0, 0))).kind).toBe("started");
    expect(await reserved(ctx, batch.id)).toBe(PRICE);
  });

  it("books a call that lands after its reservation was let go without releasing other calls' reservations", async () => {
    const { db } = ctx.handle;
    const { batch } = await newBatch(db, 2, ["m-a"], { budgetUsd: 0.06 });
    const key = (promptIndex: number) => ({ batchId: batch.id, promptIndex, model: "m-a" });
    const late = await beginAttempt(db, key(0), call(0));
    if (late.kind !== "started") throw new Error(`expected a start, got ${late.kind}`);
    // Past the window, the second start lets the first call's reservation go and holds its own.
    expect((await beginAttempt(db, key(1), call(0, 0))).kind).toBe("started");
    expect(await reserved(ctx, batch.id)).toBe(PRICE);
    const letGo = (await getBatch(db, batch.id))?.cells[0]?.attemptLog;
    expect(letGo).toEqual([expect.not.objectContaining({ reservedUsd: expect.anything() })]);
    // The first call lands after all: its cost is booked, the second call's reservation stays whole.
    const result = { attempt: 0, outcome: "ok" as const, costUsd: 0.041, rawKey: "raw/late-call.png" };
    const known = { cell: late.cell, version: late.version };
    await recordAttemptResult(db, late.cell.id, result, known);
    await recordAttemptResult(db, late.cell.id, result, known);
    const after = await getBatchRow(db, batch.id);
    expect([Number(after?.reservedUsd), Number(after?.actualCostUsd)]).toEqual([PRICE, 0.041]);
  });

  it("releases a cell's own interrupted call once when the start that lets it go is that cell's", async () => {
    const { db } = ctx.handle;
    const { batch } = await newBatch(db, 2, ["m-a"], { budgetUsd: 0.07 });
    const key = (promptIndex: number) => ({ batchId: batch.id, promptIndex, model: "m-a" });
    expect((await beginAttempt(db, key(0), call(0))).kind).toBe("started");
    expect((await beginAttempt(db, key(1), { ...call(0), priceOf: () => 0.02 })).kind).toBe("started");
    // Cell 0's step runs again after a crash at a higher price: it does not fit until both calls are let go.
    const again = await beginAttempt(db, key(0), { ...call(1, 0), priceOf: () => 0.06 });
    expect(again.kind).toBe("started");
    expect(await reserved(ctx, batch.id)).toBe(0.06);
  });

  it("books a call that ends after its cell was cancelled without reviving it, through the locked path", async () => {
    const { db } = ctx.handle;
    const { batch } = await newBatch(db, 1, ["m-a"], { budgetUsd: 1 });
    const started = await beginAttempt(db, { batchId: batch.id, promptIndex: 0, model: "m-a" }, call(0));
    if (started.kind !== "started") throw new Error(`expected a start, got ${started.kind}`);
    await cancelBatch(db, batch.id, { reason: "stop" });
    const known = { cell: started.cell, version: started.version };
    const done = await recordAttemptResult(
      db,
      started.cell.id,
      { attempt: 0, outcome: "ok", costUsd: 0.05, rawKey: "raw/late.png" },
      known,
    );
    expect(done).toMatchObject({ applied: false, cell: { status: "cancelled", rawKey: "raw/late.png" } });
    const after = await getBatchRow(db, batch.id);
    expect([Number(after?.reservedUsd), Number(after?.actualCostUsd)]).toEqual([0, 0.05]);
  });

  it("finishes the batch when its last two cells end at once", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 2, ["m-a"]);
    for (const [promptIndex] of cells.entries())
      await beginAttempt(db, { batchId: batch.id, promptIndex, model: "m-a" }, call(0));
    await Promise.all(
      cells.map((cell, i) =>
        completeCell(
          db,
          cell.id,
          { finalKey: `final/${i}.jpg`, width: 1, height: 1, bytes: 1 },
          { finishBatch: true },
        ),
      ),
    );
    const found = await getBatch(db, batch.id);
    expect(found?.batch.status).toBe("succeeded");
    expect(at(found!.cells, 1).status).toBe("succeeded");
  });
}
