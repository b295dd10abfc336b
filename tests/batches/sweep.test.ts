/** The lost-run sweep over a real (in-memory) database, with the real reconcile and a fake run lookup. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunStatus } from "@/lib/batches/run-status";
import type { Db } from "@/lib/db";

const saved = { ...process.env };
let lib: typeof import("@/lib/db");
let rec: typeof import("@/lib/batches/reconcile");
let sweep: typeof import("@/lib/batches/sweep");
let fx: typeof import("../db/fixtures");
let db: Db;

const IDLE = 60_000;

beforeAll(async () => {
  Object.assign(process.env, { PGLITE_DIR: "memory", INNGEST_DEV: "http://127.0.0.1:9" });
  delete process.env.DATABASE_URL;
  lib = await import("@/lib/db");
  rec = await import("@/lib/batches/reconcile");
  sweep = await import("@/lib/batches/sweep");
  fx = await import("../db/fixtures");
  db = await lib.getDb();
});

afterAll(async () => {
  await lib?.closeDb();
  process.env = saved;
});

async function claimed(runId: string) {
  const { batch } = await fx.newBatch(db, 2, ["gpt-image-1.5"]);
  await lib.claimBatch(db, batch.id, runId);
  return batch.id;
}

describe("lost-run sweep", () => {
  it("finds only unfinished batches with a run, idle past the threshold", async () => {
    const idle = await claimed("run-idle");
    const unclaimed = (await fx.newBatch(db, 1, ["gpt-image-1.5"])).batch.id;
    const later = Date.now() + IDLE + 5_000;
    const found = await sweep.idleUnfinishedBatches(db, IDLE, later);
    expect(found).toContain(idle);
    expect(found).not.toContain(unclaimed);
    expect(await sweep.idleUnfinishedBatches(db, IDLE, Date.now())).not.toContain(idle);
  });

  it("ends the batches whose run is gone and leaves the others, counting what it ended", async () => {
    const gone = await claimed("run-gone");
    const alive = await claimed("run-alive");
    const status = async (runId: string): Promise<RunStatus> =>
      runId === "run-alive" ? { state: "running" } : { state: "missing" };
    const runStatus = vi.fn(status);
    const later = Date.now() + IDLE + 5_000;
    const check = (id: string) =>
      rec.reconcileBatch(db, id, {
        runStatus,
        idleMs: IDLE,
        now: () => later,
        throttle: new rec.LookupThrottle(30_000),
      });
    const ended = await sweep.sweepOnce({
      db: async () => db,
      idleMs: () => IDLE,
      check,
      now: () => later,
    });
    expect(ended).toBeGreaterThanOrEqual(1);
    expect((await lib.getBatch(db, gone))?.batch.status).toBe("failed");
    expect((await lib.getBatch(db, alive))?.batch.status).toBe("running");
    expect(runStatus).toHaveBeenCalledWith("run-alive");
  });

  it("logs and carries on when the database cannot be reached", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const ended = await sweep.sweepOnce({
      db: async () => {
        throw new Error("connection refused");
      },
      idleMs: () => IDLE,
      check: async () => null,
    });
    expect(ended).toBe(0);
    expect(error).toHaveBeenCalledWith("lost-run sweep: connection refused");
    error.mockRestore();
  });

  it("runs every ten minutes unless told otherwise, and names a schedule it cannot use", async () => {
    const env = await import("@/lib/env");
    expect(env.scheduleOf("RUN_SWEEP_CRON", {})).toBe("*/10 * * * *");
    expect(env.scheduleOf("RUN_SWEEP_CRON", { RUN_SWEEP_CRON: "*/2 * * * *" })).toBe("*/2 * * * *");
    expect(env.scheduleOf("RUN_SWEEP_CRON", { RUN_SWEEP_CRON: "off" })).toBeNull();
    expect(env.scheduleOf("RUN_SWEEP_CRON", { RUN_SWEEP_CRON: "300000" })).toBeNull();
    expect(() => env.readEnv({ RUN_SWEEP_CRON: "300000" })).toThrow(
      /RUN_SWEEP_CRON: cron "300000": expected 5 fields .*, or "off"/,
    );
  });
});
