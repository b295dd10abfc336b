import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import {
  abandonBatch,
  batches,
  cells as cellsTable,
  beginAttempt,
  endWave,
  failCell,
  pendingCells,
  cancelBatch,
  createBatch,
  deleteBatch,
  eventsSince,
  finishBatchIfDone,
  getBatch,
  claimBatch,
  completeCell,
  recordAttemptResult,
  recordAttemptStart,
  requeueTakes,
  resetFailedCells,
  resumeCancelledCells,
  spendSoFar,
  showOtherTake,
  OTHER_TAKES_KEPT,
  unsharedKeys,
  type CellRow,
} from "@/lib/db";
import { at, fail, makeInput, newBatch, succeed } from "./fixtures";
import type { Ctx } from "./repo-suite";
import type { Db } from "@/lib/db";

export function batchTests(ctx: Ctx): void {
  it("creates a batch with every (prompt, model) cell, ids unguessable", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-a", "m-b"]);
    expect(batch.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(batch.status).toBe("queued");
    expect(cells.map((c) => `${c.promptIndex}:${c.model}`)).toEqual([
      "0:m-a",
      "0:m-b",
      "1:m-a",
      "1:m-b",
      "2:m-a",
      "2:m-b",
    ]);
    expect(new Set(cells.map((c) => c.id)).size).toBe(6);
    const read = await getBatch(db, batch.id);
    expect(read?.batch.estimatedCostUsd).toBeCloseTo(0.24);
    expect(read?.cells.map((c) => c.id)).toEqual(cells.map((c) => c.id));
    expect(read?.lastEventId).toBeGreaterThan(0);
    expect(await getBatch(db, "no-such-batch")).toBeNull();
  });

  it("is all-or-nothing: a failing cell insert leaves no batch behind", async () => {
    const { db } = ctx.handle;
    const input = makeInput(1, ["m-a"]);
    const duplicate = { promptIndex: 0, prompt: "Title 1", model: "m-a" };
    await expect(createBatch(db, { input, cells: [duplicate, duplicate] })).rejects.toThrow();
    const left = await db
      .select()
      .from(batches)
      .where(sql`${batches.input}->>'style' = ${input.style}`);
    expect(left).toEqual([]);
    await expect(createBatch(db, { input, cells: [] })).rejects.toThrow(/at least one cell/);
  });

  it("starts once and finishes as succeeded when every cell succeeded", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 1, ["m-a", "m-b"]);
    const started = await claimBatch(db, batch.id, "run-1");
    expect([started?.batch.status, started?.claimed]).toEqual(["running", true]);
    const twice = await claimBatch(db, batch.id, "run-1");
    expect([twice?.batch.startedAt, twice?.claimed]).toEqual([started?.batch.startedAt, true]);
    await succeed(db, at(cells, 0), 0.04);
    expect((await finishBatchIfDone(db, batch.id))?.done).toBe(false);
    await succeed(db, at(cells, 1), 0.02);
    const finished = await finishBatchIfDone(db, batch.id);
    expect(finished).toMatchObject({ done: true, changed: true });
    expect(finished?.batch.status).toBe("succeeded");
    expect(finished?.batch.actualCostUsd).toBeCloseTo(0.06);
    expect(finished?.batch.finishedAt).toBeInstanceOf(Date);
    const again = await finishBatchIfDone(db, batch.id);
    expect(again).toMatchObject({ done: true, changed: false });
    expect(again?.batch.finishedAt).toEqual(finished?.batch.finishedAt);
  });

  it("computes partial and failed", async () => {
    const { db } = ctx.handle;
    const mixed = await newBatch(db, 1, ["m-a", "m-b"]);
    await succeed(db, at(mixed.cells, 0));
    await fail(db, at(mixed.cells, 1));
    expect((await finishBatchIfDone(db, mixed.batch.id))?.batch.status).toBe("partial");
    const bad = await newBatch(db, 2, ["m-a"]);
    for (const cell of bad.cells) await fail(db, cell);
    expect((await finishBatchIfDone(db, bad.batch.id))?.batch.status).toBe("failed");
  });

  it("cancels unfinished cells with the reason and finishes as cancelled", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-a"]);
    await claimBatch(db, batch.id, "run-1");
    await succeed(db, at(cells, 0));
    await recordAttemptStart(db, at(cells, 1).id, { attempt: 0 });
    const result = await cancelBatch(db, batch.id, { reason: "cancelled by user" });
    expect(result?.finishedBefore).toBe(false);
    expect(result?.cancelled.map((c) => c.id).sort()).toEqual([at(cells, 1).id, at(cells, 2).id].sort());
    expect(result?.batch).toMatchObject({ status: "cancelled", cancelReason: "cancelled by user" });
    const read = await getBatch(db, batch.id);
    expect(read?.cells.map((c) => c.status)).toEqual(["succeeded", "cancelled", "cancelled"]);
    expect(at(read!.cells, 1).lastError).toBe("cancelled by user");
    const twice = await cancelBatch(db, batch.id, { reason: "again" });
    expect(twice).toMatchObject({ changed: false, cancelled: [], finishedBefore: true });
    expect(twice?.batch.cancelReason).toBe("cancelled by user");
  });

  it("budget stop cancels only queued cells; running ones finish, then the batch is cancelled", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-a"], { budgetUsd: 0.05 });
    expect(batch.budgetUsd).toBeCloseTo(0.05);
    await succeed(db, at(cells, 0), 0.05);
    await recordAttemptStart(db, at(cells, 1).id, { attempt: 0 });
    expect(await spendSoFar(db, batch.id)).toBeCloseTo(0.05);
    const stop = await cancelBatch(db, batch.id, { reason: "budget of $0.05 reached", scope: "queued" });
    expect(stop?.cancelled.map((c) => c.id)).toEqual([at(cells, 2).id]);
    expect(stop?.done).toBe(false);
    await succeed(db, at(cells, 1), 0.01);
    const finished = await finishBatchIfDone(db, batch.id);
    expect(finished?.batch).toMatchObject({ status: "cancelled", cancelReason: "budget of $0.05 reached" });
    expect(finished?.batch.actualCostUsd).toBeCloseTo(0.06);
  });

  it("retry resets only failed cells, keeps their history, and reopens the batch", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-a"]);
    await succeed(db, at(cells, 0));
    await fail(db, at(cells, 1));
    await fail(db, at(cells, 2));
    expect((await finishBatchIfDone(db, batch.id))?.batch.status).toBe("partial");
    const requeued = await resetFailedCells(db, batch.id);
    expect(requeued.newRun).toBe(true);
    const reset = requeued.cells;
    expect(reset.map((c) => c.id)).toEqual([at(cells, 1).id, at(cells, 2).id]);
    for (const cell of reset) {
      expect(cell).toMatchObject({
        status: "queued",
        round: 1,
        lastError: null,
        finishedAt: null,
        attempts: 1,
      });
      expect(cell.requestIds).toEqual([`req-${cell.id}`]);
    }
    const read = await getBatch(db, batch.id);
    expect(read?.batch).toMatchObject({ status: "running", finishedAt: null });
    expect(at(read!.cells, 0).status).toBe("succeeded");
    expect(await resetFailedCells(db, batch.id)).toEqual({ cells: [], newRun: false, nextWave: false });
    // The new round's attempt 0 is a new log entry, not a rewrite of round 0's.
    const again = await succeed(db, at(reset, 0));
    expect(again.attemptLog.map((e) => [e.round, e.attempt, e.outcome])).toEqual([
      [0, 0, "failed"],
      [1, 0, "ok"],
    ]);
    await succeed(db, at(reset, 1));
    expect((await finishBatchIfDone(db, batch.id))?.batch.status).toBe("succeeded");
  });

  it("deleteBatch removes batch, cells and events and returns every blob key", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 2, ["m-a"]);
    await succeed(db, at(cells, 0));
    const result = await deleteBatch(db, batch.id);
    expect(result.deleted).toBe(true);
    expect(result.keys.sort()).toEqual([`final/${at(cells, 0).id}.webp`, `raw/${at(cells, 0).id}.png`]);
    expect(await getBatch(db, batch.id)).toBeNull();
    expect(await eventsSince(db, batch.id)).toEqual([]);
    expect(await deleteBatch(db, batch.id)).toEqual({ deleted: false, keys: [] });
    expect(await db.select().from(batches).where(eq(batches.id, batch.id))).toEqual([]);
  });

  it("creates cells that start from a stored raw image, and keeps a shared raw image on delete", async () => {
    const { db } = ctx.handle;
    const source = await newBatch(db, 2, ["m-a"]);
    await succeed(db, at(source.cells, 0));
    const rawKey = `raw/${at(source.cells, 0).id}.png`;
    const input = makeInput(2, ["m-a"], { template: "left-panel" });
    const restyled = await createBatch(db, {
      input,
      cells: [
        { promptIndex: 0, prompt: "Title 1", model: "m-a", rawKey },
        { promptIndex: 1, prompt: "Title 2", model: "m-a" },
      ],
    });
    expect(restyled.cells.map((c) => c.rawKey)).toEqual([rawKey, null]);
    expect(restyled.cells.map((c) => c.status)).toEqual(["queued", "queued"]);

    // The source goes first: its final image goes, the raw image the restyled cell uses stays.
    const first = await deleteBatch(db, source.batch.id);
    expect(first.keys).toEqual([`final/${at(source.cells, 0).id}.webp`]);
    const second = await deleteBatch(db, restyled.batch.id);
    expect(second.keys).toEqual([rawKey]);
  });

  it("lets one workflow run own a batch round; a second run finds it taken until a retry releases it", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 1, ["m-a"]);
    expect((await claimBatch(db, batch.id, "late-run"))?.claimed).toBe(true);
    expect((await claimBatch(db, batch.id, "resent-run"))?.claimed).toBe(false);
    expect((await claimBatch(db, batch.id, "late-run"))?.claimed).toBe(true);
    expect(await claimBatch(db, "no-such-batch", "late-run")).toBeNull();

    await fail(db, at(cells, 0));
    // While the run owns the batch, a retry is that run's next wave: the batch stays with it.
    expect(await resetFailedCells(db, batch.id)).toMatchObject({ newRun: false, cells: [{ round: 1 }] });
    expect((await getBatch(db, batch.id))?.batch.runId).toBe("late-run");
    await fail(db, at(cells, 0));
    expect((await finishBatchIfDone(db, batch.id))?.batch.status).toBe("failed");
    expect(await resetFailedCells(db, batch.id)).toMatchObject({ newRun: true, cells: [{ round: 2 }] });
    const retry = await claimBatch(db, batch.id, "retry-run");
    expect([retry?.claimed, retry?.batch.status, retry?.batch.runId]).toEqual([true, "running", "retry-run"]);
    expect((await claimBatch(db, batch.id, "late-run"))?.claimed).toBe(false);
  });
  it("ends a batch its own workflow run abandoned: unfinished cells fail and can be retried", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-a"]);
    await claimBatch(db, batch.id, "run-1");
    await succeed(db, at(cells, 0));
    await recordAttemptStart(db, at(cells, 1).id, { attempt: 0 });
    const reason = "The workflow stopped before this image was made.";
    // A duplicate run that never owned the batch cannot end it.
    const other = await abandonBatch(db, batch.id, { runId: "run-2", reason });
    expect([other?.taken, other?.changed, other?.ended]).toEqual([true, false, []]);
    expect((await getBatch(db, batch.id))?.batch.status).toBe("running");

    const since = (await eventsSince(db, batch.id)).at(-1)?.id ?? 0;
    const ended = await abandonBatch(db, batch.id, { runId: "run-1", reason });
    expect([ended?.taken, ended?.changed, ended?.batch.status]).toEqual([false, true, "partial"]);
    expect(ended?.ended.map((c) => c.id).sort()).toEqual([at(cells, 1).id, at(cells, 2).id].sort());
    const read = await getBatch(db, batch.id);
    expect(read?.cells.map((c) => [c.status, c.errorKind, c.lastError])).toEqual([
      ["succeeded", null, null],
      ["failed", "workflow", reason],
      ["failed", "workflow", reason],
    ]);
    expect(at(read!.cells, 1).durationMs).not.toBeNull();
    const events = (await eventsSince(db, batch.id, since)).map((e) => e.type);
    expect(events).toEqual(["cell.updated", "cell.updated", "batch.finished"]);

    const again = await abandonBatch(db, batch.id, { runId: "run-1", reason });
    expect([again?.changed, again?.ended]).toEqual([false, []]);
    expect(await abandonBatch(db, "no-such-batch", { runId: "run-1", reason })).toBeNull();
    expect((await resetFailedCells(db, batch.id)).cells).toHaveLength(2);
    // run-1 ending late, after the retry released the batch, must not fail the next round's cells.
    const late = await abandonBatch(db, batch.id, { runId: "run-1", reason });
    expect([late?.taken, late?.ended, late?.batch.status]).toEqual([true, [], "running"]);
  });

  it("takes an image that arrives after its workflow run stopped, and settles the batch again", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-a"]);
    await claimBatch(db, batch.id, "run-1");
    await succeed(db, at(cells, 0));
    // Cells 1 and 2 have calls under way when run-1 fails outright.
    await recordAttemptStart(db, at(cells, 1).id, { attempt: 0 });
    await recordAttemptStart(db, at(cells, 2).id, { attempt: 0 });
    const reason = "The batch's workflow run failed. Retry the failed cells to run them again.";
    expect((await abandonBatch(db, batch.id, { runId: "run-1", reason }))?.batch.status).toBe("partial");
    const since = (await eventsSince(db, batch.id)).at(-1)?.id ?? 0;

    // The call for cell 1 lands: the picture was made and paid for, so the cell takes it.
    const late = await succeed(db, at(cells, 1));
    expect([late.status, late.lastError, late.errorKind]).toEqual(["succeeded", null, null]);
    let read = await getBatch(db, batch.id);
    expect(read?.batch.status).toBe("partial");
    expect(read?.batch.actualCostUsd).toBeCloseTo(0.08);
    // The attempt's result, the cell's success, and the batch settled again (its live stream shows it).
    const events = await eventsSince(db, batch.id, since);
    expect(events.map((e) => e.type)).toEqual(["cell.updated", "cell.updated", "batch.finished"]);

    await succeed(db, at(cells, 2));
    read = await getBatch(db, batch.id);
    expect(read?.batch.status).toBe("succeeded");
    expect(read?.cells.map((c) => c.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(await resetFailedCells(db, batch.id)).toEqual({ cells: [], newRun: false, nextWave: false });
  });

  it("keeps a cell that failed for its own reasons, or was cancelled, when an image arrives late", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 2, ["m-a"]);
    await claimBatch(db, batch.id, "run-1");
    await fail(db, at(cells, 0));
    await cancelBatch(db, batch.id, { reason: "stopped by its creator" });
    for (const cell of cells) {
      const done = await completeCell(db, cell.id, {
        finalKey: `final/${cell.id}.webp`,
        width: 1,
        height: 1,
        bytes: 1,
      });
      expect(done.applied).toBe(false);
    }
    const read = await getBatch(db, batch.id);
    expect(read?.cells.map((c) => c.status)).toEqual(["failed", "cancelled"]);
    expect(read?.batch.status).toBe("cancelled");
  });

  it("lets any run end a batch no run has claimed yet", async () => {
    const { db } = ctx.handle;
    const { batch } = await newBatch(db, 2, ["m-a"]);
    const ended = await abandonBatch(db, batch.id, { runId: "run-9", reason: "could not start" });
    expect([ended?.taken, ended?.batch.status, ended?.ended.length]).toEqual([false, "failed", 2]);
  });
  it("ends a batch as cancelled when its owning run was cancelled outside the app", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 2, ["m-a"]);
    await claimBatch(db, batch.id, "run-1");
    await succeed(db, at(cells, 0));
    const reason = "The workflow run was cancelled outside the app.";
    const ended = await abandonBatch(db, batch.id, { runId: "run-1", reason, outcome: "cancelled" });
    expect([ended?.ended.length, ended?.batch.status, ended?.batch.cancelReason]).toEqual([
      1,
      "cancelled",
      reason,
    ]);
    const read = await getBatch(db, batch.id);
    expect(read?.cells.map((c) => [c.status, c.errorKind])).toEqual([
      ["succeeded", null],
      ["cancelled", "cancelled"],
    ]);
    expect((await eventsSince(db, batch.id)).map((e) => e.type)).toContain("batch.cancelled");
  });

  it("resumes cancelled cells once no call from before the cancel can still be running", async () => {
    const { db } = ctx.handle;
    const { batch } = await cancelledWithCallInFlight(db);
    const window = { callWindowMs: 60_000 };
    // Cell 1's provider call is still out: resuming now could pay for its picture twice. The answer says
    // when the call is past the window (at most the window, at least what has not yet elapsed of it).
    const before = Date.now();
    const early = await resumeCancelledCells(db, batch.id, window);
    expect([early.resumed, early.inFlight]).toEqual([[], 1]);
    expect(early.retryAfterMs).toBeGreaterThan(60_000 - (Date.now() - before) - 5_000);
    expect(early.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect((await getBatch(db, batch.id))?.batch.status).toBe("cancelled");
    // Past the provider timeout the call is over, whatever became of it.
    const later = new Date(Date.now() + 61_000);
    expect((await resumeCancelledCells(db, batch.id, { ...window, now: later })).inFlight).toBe(0);
  });

  it("keeps a picture paid for after the cancel, and resumes the cancelled cells with it", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await cancelledWithCallInFlight(db);
    // The call in flight at the cancel ends: its cost counts and its picture is kept on the cell.
    await recordAttemptResult(db, at(cells, 1).id, {
      attempt: 0,
      outcome: "ok",
      requestId: "req-late",
      costUsd: 0.04,
      rawKey: "raw/late.png",
    });
    const cancelled = await getBatch(db, batch.id);
    expect([at(cancelled!.cells, 1).status, at(cancelled!.cells, 1).rawKey]).toEqual([
      "cancelled",
      "raw/late.png",
    ]);
    expect(cancelled?.batch.actualCostUsd).toBeCloseTo(0.08);

    const since = (await eventsSince(db, batch.id)).at(-1)?.id ?? 0;
    const { resumed, inFlight } = await resumeCancelledCells(db, batch.id, { callWindowMs: 60_000 });
    expect([inFlight, resumed.map((c) => c.id)]).toEqual([0, [at(cells, 1).id, at(cells, 2).id]]);
    expect(resumed.map((c) => [c.status, c.round, c.lastError, c.rawKey])).toEqual([
      ["queued", 1, null, "raw/late.png"],
      ["queued", 1, null, null],
    ]);
    const read = await getBatch(db, batch.id);
    expect(read?.batch).toMatchObject({ status: "running", cancelReason: null, runId: null });
    expect((await eventsSince(db, batch.id, since)).map((e) => e.type)).toEqual([
      "cell.updated",
      "cell.updated",
      "batch.retried",
    ]);
    // Running again, with nothing cancelled left: nothing to resume, and the answer says it runs.
    expect(await resumeCancelledCells(db, batch.id, { callWindowMs: 60_000 })).toEqual({
      resumed: [],
      newRun: false,
      nextWave: false,
      running: true,
      inFlight: 0,
    });
    await succeed(db, at(resumed, 0));
    await succeed(db, at(resumed, 1));
    expect((await finishBatchIfDone(db, batch.id))?.batch.status).toBe("succeeded");
  });

  it("resumes cancelled cells while the batch runs again: its run makes them as its next wave", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await cancelledWithCallInFlight(db);
    // A new take of the succeeded cell sets the batch going again; run-2 claims it and plans the take.
    expect(await requeueTakes(db, batch.id, [{ promptIndex: 0, model: "m-a" }])).toMatchObject({
      newRun: true,
    });
    await claimBatch(db, batch.id, "run-2");
    const planned = (await pendingCells(db, batch.id)).map((c) => ({ ...c }));
    expect(planned).toEqual([{ promptIndex: 0, model: "m-a", round: 1 }]);
    // Cell 1's call from before the cancel is still out: refused while the batch runs too.
    const window = { callWindowMs: 60_000 };
    expect(await resumeCancelledCells(db, batch.id, window)).toMatchObject({
      resumed: [],
      running: true,
      inFlight: 1,
    });
    expect((await getBatch(db, batch.id))?.cells.map((c) => c.status)).toEqual([
      "queued",
      "cancelled",
      "cancelled",
    ]);
    // It lands (paid for): its picture is kept on the cancelled cell.
    await recordAttemptResult(db, at(cells, 1).id, {
      attempt: 0,
      outcome: "ok",
      costUsd: 0.04,
      rawKey: "raw/late-2.png",
    });
    const since = (await eventsSince(db, batch.id)).at(-1)?.id ?? 0;
    const { resumed, newRun, nextWave, running } = await resumeCancelledCells(db, batch.id, window);
    // No new run: run-2 keeps the batch and makes them after the take, with the picture that landed.
    expect([newRun, nextWave, running]).toEqual([false, true, true]);
    expect(resumed.map((c) => [c.promptIndex, c.status, c.round, c.rawKey])).toEqual([
      [1, "queued", 1, "raw/late-2.png"],
      [2, "queued", 1, null],
    ]);
    expect((await getBatch(db, batch.id))?.batch).toMatchObject({
      status: "running",
      runId: "run-2",
      cancelReason: null,
    });
    expect((await eventsSince(db, batch.id, since)).map((e) => e.type)).toEqual([
      "cell.updated",
      "cell.updated",
      "batch.retried",
    ]);
    // A leaf of the cancelled round cannot start them; the take's wave ends and hands them on.
    const stale = { batchId: batch.id, promptIndex: 1, model: "m-a", round: 0 };
    expect((await beginAttempt(db, stale, { attempt: 1, reuseRaw: true })).kind).toBe("terminal");
    await succeed(db, at(cells, 0));
    const wave = await endWave(db, batch.id, { runId: "run-2", reason: "lost", planned });
    expect(wave).toMatchObject({ ended: [] });
    expect(wave?.next).toEqual([
      { promptIndex: 1, model: "m-a", round: 1 },
      { promptIndex: 2, model: "m-a", round: 1 },
    ]);
    // The next wave composes cell 1 from the picture that landed after the cancel: no second call.
    const reuse = await beginAttempt(db, { ...stale, round: 1 }, { attempt: 0, reuseRaw: true });
    expect(reuse).toMatchObject({ kind: "reuse", rawKey: "raw/late-2.png" });
    const image = { width: 1280, height: 720, bytes: 1000 };
    await completeCell(db, at(cells, 1).id, { ...image, finalKey: "final/late-2.webp", round: 1 });
    await succeed(db, at(cells, 2));
    const last = await endWave(db, batch.id, { runId: "run-2", reason: "lost", planned: wave!.next! });
    expect(last?.next === null && last.batch.status).toBe("succeeded");
    const done = await getBatch(db, batch.id);
    expect(done?.cells.map((c) => c.attemptLog.length)).toEqual([2, 1, 1]);
  });

  it("takes a take off the estimate when it ends before its call went out, and only then", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 2, ["m-a"]);
    await claimBatch(db, batch.id, "run-1");
    await Promise.all(cells.map((cell) => succeed(db, cell)));
    await finishBatchIfDone(db, batch.id);
    const estimate = async () => Number((await getBatch(db, batch.id))?.batch.estimatedCostUsd);
    const base = await estimate();
    const prices = { prices: { "m-a": 0.04 } };
    const picks = [0, 1].map((promptIndex) => ({ promptIndex, model: "m-a" }));
    expect(await requeueTakes(db, batch.id, picks, prices)).toMatchObject({ kind: "queued" });
    expect(await estimate()).toBeCloseTo(base + 0.08);
    // Title 1's take makes its call; then both are cancelled: title 0's never called, so costs nothing.
    await claimBatch(db, batch.id, "run-2");
    expect(
      (
        await beginAttempt(
          db,
          { batchId: batch.id, promptIndex: 1, model: "m-a" },
          { attempt: 0, reuseRaw: false },
        )
      ).kind,
    ).toBe("started");
    await cancelBatch(db, batch.id, { reason: "stop" });
    expect(await estimate()).toBeCloseTo(base + 0.04);
    const ended = (await getBatch(db, batch.id))!.cells;
    expect(ended.map((c) => [c.status, c.take, c.uncalledTakes, c.errorKind])).toEqual([
      ["succeeded", 1, 1, "take"],
      ["succeeded", 1, 0, "take"],
    ]);
    // A take that ends without a call once more (its run lost) comes off too, once: the other takes
    // the cell keeps carry no price.
    expect(await requeueTakes(db, batch.id, [at(picks, 0)], prices)).toMatchObject({ kind: "queued" });
    expect(await estimate()).toBeCloseTo(base + 0.08);
    await claimBatch(db, batch.id, "run-3");
    await abandonBatch(db, batch.id, { runId: "run-3", reason: "lost" });
    await abandonBatch(db, batch.id, { runId: "run-3", reason: "lost" });
    expect(await estimate()).toBeCloseTo(base + 0.04);
    const again = (await getBatch(db, batch.id))!.cells[0]!;
    expect([again.take, again.uncalledTakes, again.previous]).toEqual([2, 2, null]);
  });

  it("refuses a take picked on a page that showed fewer calls than the cell has had since", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 1, ["m-a"]);
    const done = await succeed(db, at(cells, 0));
    await finishBatchIfDone(db, batch.id);
    const pick = { promptIndex: 0, model: "m-a" };
    // A copy of the tab marked it before this cell's first call: it has had one since.
    expect(await requeueTakes(db, batch.id, [{ ...pick, attempts: done.attempts - 1 }])).toEqual({
      kind: "refused",
      reason: "changed",
      picks: [pick],
    });
    expect(await requeueTakes(db, batch.id, [{ ...pick, attempts: done.attempts }])).toMatchObject({
      kind: "queued",
    });
  });

  it("gives succeeded cells of a finished batch a new take, the previous picture kept aside", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-a"]);
    const first = await succeed(db, at(cells, 0));
    await succeed(db, at(cells, 1));
    await recordAttemptStart(db, at(cells, 2).id, { attempt: 0 });
    const pick = (c: CellRow) => ({ promptIndex: c.promptIndex, model: c.model });
    await fail(db, at(cells, 2));
    await finishBatchIfDone(db, batch.id);
    expect(await requeueTakes(db, "no-such-batch", [pick(first)])).toBeNull();
    expect(await requeueTakes(db, batch.id, [pick(first), { promptIndex: 7, model: "m-a" }])).toEqual({
      kind: "refused",
      reason: "missing",
      picks: [{ promptIndex: 7, model: "m-a" }],
    });
    expect(await requeueTakes(db, batch.id, [pick(at(cells, 2))])).toMatchObject({
      kind: "refused",
      reason: "not-succeeded",
    });
    const taken = await requeueTakes(db, batch.id, [pick(first)]);
    expect(taken).toMatchObject({ kind: "queued", newRun: true });
    const cell = at(taken!.kind === "queued" ? taken!.cells : [], 0);
    expect(cell).toMatchObject({ status: "queued", round: 1, take: 1, rawKey: null, finalKey: null });
    // Asked again while that take is under way (a second tab, a double click): refused as such.
    expect(await requeueTakes(db, batch.id, [pick(first)])).toEqual({
      kind: "refused",
      reason: "under-way",
      picks: [pick(first)],
    });
    expect(cell.previous).toEqual({
      rawKey: first.rawKey,
      finalKey: first.finalKey,
      width: 1280,
      height: 720,
      bytes: 1000,
      startedAt: first.startedAt!.toISOString(),
      finishedAt: first.finishedAt!.toISOString(),
      durationMs: first.durationMs,
      // What the take added to the estimate (no price given here), taken off if it never calls.
      takePriceUsd: 0,
    });
    expect((await getBatch(db, batch.id))?.batch).toMatchObject({ status: "running", runId: null });
    // The old raw picture is still referenced while the take runs; a delete would remove it too.
    expect(await unsharedKeys(db, [first.rawKey!])).toEqual([]);
    // The take succeeds: new keys; the replaced picture becomes the other take, so nothing is dropped.
    await recordAttemptStart(db, cell.id, { attempt: 0 });
    await recordAttemptResult(db, cell.id, {
      attempt: 0,
      outcome: "ok",
      costUsd: 0.04,
      rawKey: "raw/take-1.png",
    });
    const done = await completeCell(
      db,
      cell.id,
      { finalKey: "final/take-1.webp", width: 1280, height: 720, bytes: 900 },
      { finishBatch: true },
    );
    expect(done.dropped).toEqual([]);
    expect(done.cell).toMatchObject({ status: "succeeded", rawKey: "raw/take-1.png", previous: null });
    // The picture, without the take's price, which only `previous` carries.
    expect(done.cell!.others).toEqual([{ ...cell.previous, takePriceUsd: undefined }]);
    expect(done.cell!.others[0]).not.toHaveProperty("takePriceUsd");
    expect(done.cell!.costUsd).toBeCloseTo(0.08);
    expect(await unsharedKeys(db, [first.rawKey!])).toEqual([]);
    expect((await getBatch(db, batch.id))?.batch.status).toBe("partial");
  });

  it("takes new takes and retries while the batch runs: its run does them as a next wave", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-a"]);
    await claimBatch(db, batch.id, "run-1");
    const planned = (await pendingCells(db, batch.id)).map((c) => ({ ...c }));
    expect(planned.map((c) => c.round)).toEqual([0, 0, 0]);
    const first = await succeed(db, at(cells, 0));
    await fail(db, at(cells, 1));
    // Still running (cell 3 is at work): the take and the retry are queued, the run keeps the batch.
    const pick = { promptIndex: 0, model: "m-a" };
    expect(await requeueTakes(db, batch.id, [pick])).toMatchObject({ kind: "queued", newRun: false });
    expect(await resetFailedCells(db, batch.id)).toMatchObject({ newRun: false, cells: [{ round: 1 }] });
    expect((await getBatch(db, batch.id))?.batch).toMatchObject({ status: "running", runId: "run-1" });
    // A leaf of the first round cannot touch the take: not start it, record a picture or fail it.
    const stale = { batchId: batch.id, promptIndex: 0, model: "m-a", round: 0 };
    expect((await beginAttempt(db, stale, { attempt: 1, reuseRaw: true })).kind).toBe("terminal");
    const image = { finalKey: "final/stale.jpg", width: 1, height: 1, bytes: 1 };
    expect((await completeCell(db, first.id, { ...image, round: 0 })).applied).toBe(false);
    expect((await failCell(db, first.id, { error: "late", round: 0 })).applied).toBe(false);
    expect((await getBatch(db, batch.id))?.cells[0]).toMatchObject({ status: "queued", round: 1, take: 1 });
    // Only another run's wave end is refused; this wave's end fails its lost cell (cell 3, never
    // recorded) and hands back the take and the retry, in their new round, as the next wave.
    const reason = "lost";
    expect(await endWave(db, batch.id, { runId: "run-2", reason, planned })).toMatchObject({
      taken: true,
      next: null,
    });
    const wave = await endWave(db, batch.id, { runId: "run-1", reason, planned });
    expect(wave?.next).toEqual([
      { promptIndex: 0, model: "m-a", round: 1 },
      { promptIndex: 1, model: "m-a", round: 1 },
    ]);
    expect(wave?.ended.map((c) => [c.promptIndex, c.status, c.errorKind])).toEqual([
      [2, "failed", "workflow"],
    ]);
    expect((await getBatch(db, batch.id))?.batch.status).toBe("running");
    // The next wave: the take succeeds, the retry fails again; then the batch finishes.
    const take = { ...image, finalKey: "final/take.jpg", round: 1 };
    expect((await beginAttempt(db, { ...stale, round: 1 }, { attempt: 0, reuseRaw: true })).kind).toBe(
      "started",
    );
    expect((await completeCell(db, first.id, take, { finishBatch: true })).applied).toBe(true);
    await fail(db, at(cells, 1));
    const last = await endWave(db, batch.id, { runId: "run-1", reason, planned: wave!.next! });
    expect(last).toMatchObject({ next: null, done: true, changed: true, ended: [] });
    expect(last?.next === null && last.batch.status).toBe("partial");
    // A plan from before rounds were passed on: every unfinished cell counts as lost.
    const old = await newBatch(db, 1, ["m-a"]);
    await claimBatch(db, old.batch.id, "run-old");
    const ended = await endWave(db, old.batch.id, { runId: "run-old", reason, planned: null });
    expect(ended).toMatchObject({ next: null, done: true });
  });

  it("only books a provider call that ends after its cell was asked for again while the batch ran", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-a"]);
    await claimBatch(db, batch.id, "run-1");
    // Cell 1: its call is out when the cell is failed from above (its wave was lost), then retried.
    const lostCall = at(cells, 0);
    await recordAttemptStart(db, lostCall.id, { attempt: 0 });
    const planned = [{ promptIndex: 0, model: "m-a", round: 0 }];
    await endWave(db, batch.id, { runId: "run-1", reason: "lost", planned });
    expect(await resetFailedCells(db, batch.id)).toMatchObject({ newRun: false, cells: [{ round: 1 }] });
    const late = await recordAttemptResult(db, lostCall.id, {
      attempt: 0,
      round: 0,
      outcome: "failed",
      error: "late refusal",
    });
    // The retry is not eaten: still queued in round 1, the late call logged in round 0.
    expect(late.cell).toMatchObject({ status: "queued", round: 1, lastError: null });
    expect(late.cell!.attemptLog.map((e) => [e.round, e.outcome])).toEqual([[0, "failed"]]);
    // A late picture is kept for the retry to compose (paid once), but not for a new take.
    const paid = await recordAttemptResult(db, lostCall.id, {
      attempt: 1,
      round: 0,
      outcome: "ok",
      costUsd: 0.04,
      rawKey: "raw/late.png",
    });
    expect(paid.cell).toMatchObject({ status: "queued", rawKey: "raw/late.png" });
    expect(paid.cell!.costUsd).toBeCloseTo(0.04);
    // Cell 2: an interrupted call of its first round (a crash) answers only after a new take was asked.
    const shown = await succeed(db, at(cells, 1));
    await requeueTakes(db, batch.id, [{ promptIndex: 1, model: "m-a" }]);
    const stale = await recordAttemptResult(db, shown.id, {
      attempt: 5,
      round: 0,
      outcome: "ok",
      rawKey: "raw/stale.png",
    });
    expect(stale.cell).toMatchObject({ status: "queued", round: 1, take: 1, rawKey: null });
  });

  it("refuses takes past the budget, counting the cells still to make, and adds them to the estimate", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 2, ["m-a"], { budgetUsd: 0.1 });
    await claimBatch(db, batch.id, "run-1");
    await succeed(db, at(cells, 0), 0.04);
    const pick = [{ promptIndex: 0, model: "m-a" }];
    const prices = { "m-a": 0.04 };
    // $0.04 spent and $0.04 owed to cell 2 leave $0.02: a $0.04 take does not fit.
    expect(await requeueTakes(db, batch.id, pick, { prices })).toEqual({
      kind: "refused",
      reason: "budget",
      costUsd: 0.04,
      owedUsd: 0.04,
      leftUsd: expect.closeTo(0.02, 6) as number,
      budgetUsd: 0.1,
    });
    // Cell 2's picture is paid for: nothing is owed, and still only $0.02 is left.
    await recordAttemptStart(db, at(cells, 1).id, { attempt: 0 });
    await recordAttemptResult(db, at(cells, 1).id, {
      attempt: 0,
      outcome: "ok",
      costUsd: 0.04,
      rawKey: "raw/b.png",
    });
    expect(await requeueTakes(db, batch.id, pick, { prices })).toMatchObject({
      reason: "budget",
      owedUsd: 0,
    });
    await db.update(batches).set({ budgetUsd: 0.12 }).where(eq(batches.id, batch.id));
    expect(await requeueTakes(db, batch.id, pick, { prices })).toMatchObject({ kind: "queued" });
    expect((await getBatch(db, batch.id))?.batch.estimatedCostUsd).toBeCloseTo(0.12);
  });

  it("counts calls out from before a cancel against the budget, and lets free takes through", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 2, ["m-a", "m-free"], { budgetUsd: 0.1 });
    await claimBatch(db, batch.id, "run-1");
    await succeed(db, at(cells, 0), 0.04);
    const free = await succeed(db, at(cells, 1), 0);
    expect(free.model).toBe("m-free");
    await recordAttemptStart(db, at(cells, 2).id, { attempt: 0 });
    await cancelBatch(db, batch.id, { reason: "stop" });
    const check = { prices: { "m-a": 0.04, "m-free": 0 }, callWindowMs: 60_000 };
    // $0.04 spent and the call out at the cancel (it lands and counts) leave $0.02: a take does not fit.
    const take = [{ promptIndex: 0, model: "m-a" }];
    expect(await requeueTakes(db, batch.id, take, check)).toMatchObject({
      reason: "budget",
      owedUsd: 0.04,
      leftUsd: expect.closeTo(0.02, 6) as number,
    });
    // Once that call is past the window it is no longer owed.
    const later = { ...check, now: new Date(Date.now() + 61_000) };
    expect(await requeueTakes(db, batch.id, take, later)).toMatchObject({ kind: "queued" });
    // Spent past the budget (a call priced above its list price), a free take still goes.
    await db.update(batches).set({ budgetUsd: 0.03 }).where(eq(batches.id, batch.id));
    const freeTake = [{ promptIndex: free.promptIndex, model: free.model }];
    expect(await requeueTakes(db, batch.id, freeTake, check)).toMatchObject({ kind: "queued" });
  });

  it("refuses a retry whose calls would pass the budget; a failed cell with its picture stored is free", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-a"], { budgetUsd: 0.1 });
    await claimBatch(db, batch.id, "run-1");
    await succeed(db, at(cells, 0), 0.04);
    await succeed(db, at(cells, 1), 0.04);
    await fail(db, at(cells, 2));
    await finishBatchIfDone(db, batch.id);
    const check = { prices: { "m-a": 0.04 }, callWindowMs: 60_000 };
    expect(await resetFailedCells(db, batch.id, check)).toEqual({
      kind: "refused",
      reason: "budget",
      costUsd: 0.04,
      owedUsd: 0,
      leftUsd: expect.closeTo(0.02, 6) as number,
      budgetUsd: 0.1,
    });
    expect((await getBatch(db, batch.id))?.cells.map((c) => c.status)).toEqual([
      "succeeded",
      "succeeded",
      "failed",
    ]);
    // Failed after its call (its picture stored): composing it again costs nothing.
    await db
      .update(cellsTable)
      .set({ rawKey: "raw/stored.png" })
      .where(eq(cellsTable.id, at(cells, 2).id));
    expect(await resetFailedCells(db, batch.id, check)).toMatchObject({ newRun: true });
  });

  it("lets a run take a running batch over only from the run that hands it on", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 1, ["m-a"]);
    await claimBatch(db, batch.id, "run-1");
    // Named by another run, or by none: taken.
    expect(await claimBatch(db, batch.id, "run-2", "run-9")).toMatchObject({ claimed: false });
    expect(await claimBatch(db, batch.id, "run-2")).toMatchObject({ claimed: false });
    const taken = await claimBatch(db, batch.id, "run-2", "run-1");
    expect(taken).toMatchObject({ claimed: true, batch: { status: "running", runId: "run-2" } });
    // Its step again keeps it; the run that handed it on has no say any more.
    expect(await claimBatch(db, batch.id, "run-2", "run-1")).toMatchObject({ claimed: true });
    expect(await endWave(db, batch.id, { runId: "run-1", reason: "x", planned: [] })).toMatchObject({
      taken: true,
    });
    // A batch that finished meanwhile is not taken over.
    await succeed(db, at(cells, 0));
    await finishBatchIfDone(db, batch.id);
    expect(await claimBatch(db, batch.id, "run-3", "run-2")).toMatchObject({ claimed: false });
    expect((await getBatch(db, batch.id))?.batch.runId).toBe("run-2");
  });

  it("keeps the other takes to switch to, most recently shown first, and drops the oldest past the limit", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 2, ["m-a"]);
    const first = await succeed(db, at(cells, 0));
    const other = await succeed(db, at(cells, 1));
    await finishBatchIfDone(db, batch.id);
    const pick = { promptIndex: 0, model: "m-a" };
    const take = async (n: number) => {
      await requeueTakes(db, batch.id, [pick]);
      await recordAttemptStart(db, first.id, { attempt: 0 });
      await recordAttemptResult(db, first.id, {
        attempt: 0,
        outcome: "ok",
        rawKey: `raw/undo-take-${n}.png`,
      });
      return completeCell(
        db,
        first.id,
        { finalKey: `final/undo-take-${n}.jpg`, width: 1200, height: 630, bytes: 100 + n },
        { finishBatch: true },
      );
    };
    const finals = (cell: CellRow | null | undefined) => [
      cell?.finalKey,
      ...(cell?.others ?? []).map((o) => o.finalKey),
    ];
    const takeKey = (n: number) => `final/undo-take-${n}.jpg`;
    expect((await take(1)).dropped).toEqual([]);
    // Only a finished cell with that other take can switch; nothing changes otherwise.
    expect(await showOtherTake(db, batch.id, [pick, { promptIndex: 1, model: "m-a" }])).toEqual({
      kind: "refused",
      reason: "no-other-take",
      picks: [{ promptIndex: 1, model: "m-a" }],
    });
    expect(await showOtherTake(db, batch.id, [{ ...pick, other: 1 }])).toMatchObject({
      kind: "refused",
      reason: "no-other-take",
    });
    expect(await showOtherTake(db, batch.id, [{ promptIndex: 5, model: "m-a" }])).toMatchObject({
      kind: "refused",
      reason: "missing",
    });
    expect(await showOtherTake(db, "no-such-batch", [pick])).toBeNull();

    // Back to the first picture; the take leads the other takes, so switching again undoes it.
    const since = (await eventsSince(db, batch.id, 0)).at(-1)!.id;
    const back = await showOtherTake(db, batch.id, [pick]);
    expect(back?.kind).toBe("switched");
    const shown = back?.kind === "switched" ? at(back.cells, 0) : first;
    expect(shown).toMatchObject({
      status: "succeeded",
      rawKey: first.rawKey,
      finalKey: first.finalKey,
      bytes: first.bytes,
      finishedAt: first.finishedAt,
      take: 1,
    });
    expect(shown.others).toMatchObject([{ rawKey: "raw/undo-take-1.png", finalKey: takeKey(1) }]);
    expect((await eventsSince(db, batch.id, since)).map((e) => e.type)).toEqual(["cell.updated"]);
    const again = await showOtherTake(db, batch.id, [pick]);
    expect(finals(again?.kind === "switched" ? again.cells[0] : null)).toEqual([takeKey(1), first.finalKey]);
    // Both pictures are in use: neither raw image may be deleted.
    expect(await unsharedKeys(db, [first.rawKey!, "raw/undo-take-1.png"])).toEqual([]);

    // Each take leads the other takes with the picture it replaced, up to the limit; then the oldest goes.
    for (let n = 2; n <= OTHER_TAKES_KEPT; n++) expect((await take(n)).dropped).toEqual([]);
    const full = await take(OTHER_TAKES_KEPT + 1);
    expect(full.dropped).toMatchObject([{ rawKey: first.rawKey, finalKey: first.finalKey }]);
    const newestFirst = Array.from({ length: OTHER_TAKES_KEPT }, (_, i) => takeKey(OTHER_TAKES_KEPT - i));
    expect(finals(full.cell)).toEqual([takeKey(OTHER_TAKES_KEPT + 1), ...newestFirst]);
    expect(await unsharedKeys(db, [first.rawKey!, "raw/undo-take-1.png"])).toEqual([first.rawKey]);
    // Any other take can be picked: it is shown, and the picture it replaces leads the rest.
    const picked = await showOtherTake(db, batch.id, [{ ...pick, other: 2 }]);
    expect(finals(picked?.kind === "switched" ? picked.cells[0] : null)).toEqual([
      newestFirst[2],
      takeKey(OTHER_TAKES_KEPT + 1),
      ...newestFirst.filter((_, i) => i !== 2),
    ]);
    // Or named by its id (what the page sends): a name no longer among the other takes is refused.
    const shownNow = `undo-take-${OTHER_TAKES_KEPT - 2}.jpg`;
    expect(await showOtherTake(db, batch.id, [{ ...pick, other: shownNow }])).toMatchObject({
      kind: "refused",
      reason: "no-other-take",
    });
    const named = await showOtherTake(db, batch.id, [{ ...pick, other: "undo-take-1.jpg" }]);
    expect(named?.kind === "switched" && at(named.cells, 0).finalKey).toBe(takeKey(1));
    // Deleting the batch removes every picture, the other takes' too.
    const removed = await deleteBatch(db, batch.id);
    const made = Array.from({ length: OTHER_TAKES_KEPT + 1 }, (_, i) => i + 1);
    expect(removed.keys.sort()).toEqual(
      [
        ...made.map(takeKey),
        ...made.map((n) => `raw/undo-take-${n}.png`),
        other.finalKey,
        other.rawKey,
      ].sort(),
    );
  });

  it("puts the previous picture back when a take fails, is cancelled or loses its run", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-a"]);
    const before = await Promise.all(cells.map((c) => succeed(db, c)));
    await finishBatchIfDone(db, batch.id);
    const picks = before.map((c) => ({ promptIndex: c.promptIndex, model: c.model }));
    const restored = (cell: CellRow | null | undefined, was: CellRow) =>
      expect(cell).toMatchObject({
        status: "succeeded",
        rawKey: was.rawKey,
        finalKey: was.finalKey,
        finishedAt: was.finishedAt,
        previous: null,
        take: 1,
        errorKind: "take",
      });

    // Failed permanently: back to the picture it had, with why.
    await requeueTakes(db, batch.id, [at(picks, 0)]);
    await recordAttemptStart(db, at(cells, 0).id, { attempt: 0 });
    const failed = await recordAttemptResult(db, at(cells, 0).id, {
      attempt: 0,
      outcome: "failed",
      error: "blocked by moderation.",
      errorKind: "moderation",
    });
    restored(failed.cell, at(before, 0));
    expect(failed.cell?.lastError).toBe(
      "The new take failed (blocked by moderation); the previous picture is kept.",
    );
    expect((await finishBatchIfDone(db, batch.id))?.batch.status).toBe("succeeded");

    // Cancelled mid-take: restored, and still reported as ended by the cancel (its run must stop).
    await requeueTakes(db, batch.id, [at(picks, 1)]);
    await claimBatch(db, batch.id, "run-take");
    await recordAttemptStart(db, at(cells, 1).id, { attempt: 0 });
    const cancel = await cancelBatch(db, batch.id, { reason: "cancelled by the owner" });
    expect(cancel?.cancelled.map((c) => c.id)).toEqual([at(cells, 1).id]);
    restored(cancel?.cancelled[0], at(before, 1));
    // Nothing in the batch ended cancelled: it is not marked as a cancelled batch.
    expect(cancel?.batch).toMatchObject({ status: "succeeded", cancelReason: null });
    // Its call is still out: another take now could pay for two pictures, so it waits for the call.
    const window = { callWindowMs: 60_000 };
    const again = await requeueTakes(db, batch.id, [at(picks, 1)], window);
    expect(again).toMatchObject({ kind: "refused", reason: "in-flight", picks: [at(picks, 1)] });
    expect((again as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(50_000);
    const later = new Date(Date.now() + 61_000);
    expect((await requeueTakes(db, batch.id, [at(picks, 1)], { ...window, now: later }))?.kind).toBe(
      "queued",
    );
    await failTake(db, at(cells, 1).id);
    expect((await finishBatchIfDone(db, batch.id))?.batch.status).toBe("succeeded");

    // The run was lost: restored too.
    await requeueTakes(db, batch.id, [at(picks, 2)]);
    await claimBatch(db, batch.id, "run-lost");
    const lost = await abandonBatch(db, batch.id, { runId: "run-lost", reason: "the run failed" });
    restored(lost?.ended[0], at(before, 2));
    expect(lost?.batch.status).toBe("succeeded");
  });

  it("deleting a batch mid-take removes the previous picture too", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 1, ["m-a"]);
    const first = await succeed(db, at(cells, 0));
    await finishBatchIfDone(db, batch.id);
    await requeueTakes(db, batch.id, [{ promptIndex: 0, model: "m-a" }]);
    const result = await deleteBatch(db, batch.id);
    expect(result.keys.sort()).toEqual([first.finalKey, first.rawKey].sort());
  });
}

/** Ends a take by a permanent provider failure (the cell goes back to its previous picture). */
async function failTake(db: Db, cellId: string) {
  await recordAttemptStart(db, cellId, { attempt: 0 });
  await recordAttemptResult(db, cellId, {
    attempt: 0,
    outcome: "failed",
    error: "blocked",
    errorKind: "moderation",
  });
}

/** Three cells cancelled while running: 0 had succeeded, 1's provider call is still out, 2 never started. */
async function cancelledWithCallInFlight(db: Db) {
  const created = await newBatch(db, 3, ["m-a"]);
  const { batch, cells } = created;
  await claimBatch(db, batch.id, "run-1");
  await succeed(db, at(cells, 0));
  await recordAttemptStart(db, at(cells, 1).id, { attempt: 0 });
  await cancelBatch(db, batch.id, { reason: "cancelled by the owner" });
  return created;
}
