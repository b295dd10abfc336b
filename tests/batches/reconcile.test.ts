/** reconcileBatch over a real (in-memory) database with a fake run-status lookup. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { BatchDto } from "@/lib/batches/dto";
import type { RunStatus } from "@/lib/batches/run-status";
import type { CellRow, Db } from "@/lib/db";
import { at } from "../db/fixtures";

const saved = { ...process.env };
let lib: typeof import("@/lib/db");
let rec: typeof import("@/lib/batches/reconcile");
let fx: typeof import("../db/fixtures");
let db: Db;

const IDLE = 60_000;

beforeAll(async () => {
  Object.assign(process.env, { PGLITE_DIR: "memory", INNGEST_DEV: "http://127.0.0.1:9" });
  delete process.env.DATABASE_URL;
  lib = await import("@/lib/db");
  rec = await import("@/lib/batches/reconcile");
  fx = await import("../db/fixtures");
  db = await lib.getDb();
});

afterAll(async () => {
  await lib?.closeDb();
  process.env = saved;
});

/** A claimed 3-cell batch: one image finished, one paid for but not composed, one not started. */
async function runningBatch(runId = "run-1") {
  const { batch, cells } = await fx.newBatch(db, 3, ["gpt-image-1.5"]);
  await lib.claimBatch(db, batch.id, runId);
  await fx.succeed(db, at(cells, 0));
  const paid = at(cells, 1);
  await lib.recordAttemptStart(db, paid.id, { attempt: 0 });
  await lib.recordAttemptResult(db, paid.id, {
    attempt: 0,
    outcome: "ok",
    costUsd: 0.04,
    rawKey: "raw/paid.png",
  });
  return { id: batch.id, cells };
}

function deps(status: RunStatus | (() => Promise<RunStatus>), offsetMs = IDLE + 1_000) {
  const runStatus = vi.fn(typeof status === "function" ? status : async () => status);
  const stopRuns = vi.fn<(batchId: string, ended: CellRow[]) => Promise<void>>(async () => {});
  const clock = { now: Date.now() + offsetMs };
  const throttle = new rec.LookupThrottle(30_000);
  return {
    runStatus,
    stopRuns,
    clock,
    deps: { runStatus, stopRuns, idleMs: IDLE, now: () => clock.now, throttle },
  };
}

const cellsOf = async (id: string) => (await lib.getBatch(db, id))?.cells ?? [];

describe("reconcileBatch", () => {
  it("leaves a batch that changed recently alone, without a lookup", async () => {
    const { id } = await runningBatch();
    const d = deps({ state: "missing" }, IDLE - 5_000);
    expect(await rec.reconcileBatch(db, id, d.deps)).toEqual({ action: "none", why: "recent change" });
    expect(d.runStatus).not.toHaveBeenCalled();
  });

  it("leaves an idle batch whose run is active, or whose run cannot be told, alone", async () => {
    const { id } = await runningBatch();
    const active = deps({ state: "running" });
    expect(await rec.reconcileBatch(db, id, active.deps)).toEqual({ action: "none", why: "run active" });
    expect(active.runStatus).toHaveBeenCalledWith("run-1");
    const unknown = deps({ state: "unknown", reason: "HTTP 503" });
    expect(await rec.reconcileBatch(db, id, unknown.deps)).toEqual({
      action: "none",
      why: "run status unknown",
      detail: "HTTP 503",
    });
    expect((await lib.getBatchRow(db, id))?.status).toBe("running");
  });

  it("looks a batch's run up at most once per window, sharing a lookup under way", async () => {
    const { id } = await runningBatch();
    const slow = async (): Promise<RunStatus> => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { state: "running" };
    };
    const d = deps(slow);
    const [a, b] = await Promise.all([
      rec.reconcileBatch(db, id, d.deps),
      rec.reconcileBatch(db, id, d.deps),
    ]);
    expect([a, b]).toEqual([
      { action: "none", why: "run active" },
      { action: "none", why: "run active" },
    ]);
    expect(await rec.reconcileBatch(db, id, d.deps)).toEqual({ action: "none", why: "throttled" });
    expect(d.runStatus).toHaveBeenCalledTimes(1);
    d.clock.now += 30_000;
    expect(await rec.reconcileBatch(db, id, d.deps)).toEqual({ action: "none", why: "run active" });
    expect(d.runStatus).toHaveBeenCalledTimes(2);
  });

  it("ends the batch when its run ended: unfinished cells fail as workflow errors and can be retried", async () => {
    const { id, cells } = await runningBatch();
    const d = deps({ state: "ended", status: "Failed" });
    expect(await rec.reconcileBatch(db, id, d.deps)).toEqual({ action: "ended", run: "ended", failed: 2 });
    // Leftover runs of the round (a leaf sleeping out a retry delay) are told to stop.
    expect(d.stopRuns.mock.calls.map(([batchId, ended]) => [batchId, ended.map((c) => c.id)])).toEqual([
      [id, [at(cells, 1).id, at(cells, 2).id]],
    ]);
    const after = await cellsOf(id);
    expect(after.map((c) => [c.status, c.errorKind])).toEqual([
      ["succeeded", null],
      ["failed", "workflow"],
      ["failed", "workflow"],
    ]);
    expect(at(after, 1).lastError).toBe(
      "The batch's workflow run ended (Failed) without finishing this image. Retry the failed cells to run them again.",
    );
    expect((await lib.getBatchRow(db, id))?.status).toBe("partial");
    // The picture already paid for stays on its cell, so the retry composes it instead of paying again.
    const retried = (await lib.resetFailedCells(db, id)).cells;
    expect(retried.map((c: CellRow) => [c.id, c.rawKey])).toEqual([
      [at(cells, 1).id, "raw/paid.png"],
      [at(cells, 2).id, null],
    ]);
  });

  it("ends the batch when the engine no longer knows its run", async () => {
    const { id } = await runningBatch();
    const d = deps({ state: "missing" });
    expect(await rec.reconcileBatch(db, id, d.deps)).toEqual({ action: "ended", run: "missing", failed: 2 });
    expect(at(await cellsOf(id), 2).lastError).toMatch(
      /^The batch's workflow run is gone from the workflow engine/,
    );
    expect(await rec.reconcileBatch(db, id, deps({ state: "missing" }).deps)).toEqual({
      action: "none",
      why: "not running",
    });
  });

  it("never touches a newer round: unclaimed, or claimed by another run while the old one was looked up", async () => {
    const { id } = await runningBatch();
    const newRound = async (): Promise<RunStatus> => {
      // While this lookup is under way the old run's failure handler ends the batch, its owner retries
      // and a new run claims the next round.
      await lib.abandonBatch(db, id, { runId: "run-1", reason: "The batch's workflow run failed." });
      await lib.resetFailedCells(db, id);
      expect(await rec.reconcileBatch(db, id, deps({ state: "missing" }).deps)).toEqual({
        action: "none",
        why: "no run",
      });
      await lib.claimBatch(db, id, "run-2");
      return { state: "missing" };
    };
    const late = deps(newRound);
    expect(await rec.reconcileBatch(db, id, late.deps)).toEqual({ action: "none", why: "not the owner" });
    expect(late.stopRuns).not.toHaveBeenCalled();
    const after = await cellsOf(id);
    expect(after.map((c) => c.status)).toEqual(["succeeded", "queued", "queued"]);
    expect(await lib.getBatchRow(db, id)).toMatchObject({ status: "running", runId: "run-2" });
  });

  it("does nothing for a finished or unknown batch", async () => {
    const { batch, cells } = await fx.newBatch(db, 1, ["gpt-image-1.5"]);
    await lib.claimBatch(db, batch.id, "run-3");
    await fx.succeed(db, at(cells, 0));
    await lib.finishBatchIfDone(db, batch.id);
    const d = deps({ state: "missing" });
    expect(await rec.reconcileBatch(db, batch.id, d.deps)).toEqual({ action: "none", why: "not running" });
    expect(await rec.reconcileBatch(db, "no-such-batch", d.deps)).toEqual({
      action: "none",
      why: "no batch",
    });
    expect(d.runStatus).not.toHaveBeenCalled();
  });
});

describe("mayHaveLostRun (the read paths' cheap gate before reconcileBatch)", () => {
  it("passes an unfinished batch unchanged for the threshold, and nothing else", async () => {
    const { mayHaveLostRun } = await import("@/lib/batches/check-run");
    const t0 = Date.parse("2026-11-21T06:00:00.000Z");
    const batch = (status: string, updatedAt: string | null) =>
      ({
        status,
        createdAt: "2026-11-21T06:00:00.000Z",
        startedAt: "2026-11-21T06:00:01.000Z",
        cells: [{ updatedAt }],
      }) as unknown as BatchDto;
    const changed = "2026-11-21T06:01:00.000Z";
    expect(mayHaveLostRun(batch("running", changed), t0 + 60_000 + IDLE, IDLE)).toBe(true);
    expect(mayHaveLostRun(batch("running", changed), t0 + 60_000 + IDLE - 1, IDLE)).toBe(false);
    expect(mayHaveLostRun(batch("queued", null), t0 + IDLE, IDLE)).toBe(true);
    for (const status of ["succeeded", "partial", "failed", "cancelled"])
      expect(mayHaveLostRun(batch(status, changed), t0 + 10 * IDLE, IDLE)).toBe(false);
  });
});
