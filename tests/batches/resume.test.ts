/** The resume control's refusals, against a real (in-memory) database; none of them reaches the engine. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CellRow } from "@/lib/db";

const saved = { ...process.env };
let db: typeof import("@/lib/db");
let controls: typeof import("@/lib/batches/controls");

beforeAll(async () => {
  Object.assign(process.env, { PGLITE_DIR: "memory", INNGEST_DEV: "http://127.0.0.1:9" });
  delete process.env.DATABASE_URL;
  db = await import("@/lib/db");
  controls = await import("@/lib/batches/controls");
});

afterAll(async () => {
  await db?.closeDb();
  process.env = saved;
});

async function batchWithCancelledCell(budgetUsd: number | null, lateCall: "running" | "ended" | null) {
  const handle = await db.getDb();
  const { batch, cells } = await db.createBatch(handle, {
    input: {
      prompts: ["Paid for", "Cancelled"],
      models: ["gpt-image-1.5"],
      style: "neon",
      template: "bottom-bar",
      font: "inter",
      canvas: "blog",
      budgetUsd,
    },
    budgetUsd,
  });
  const [paid, cancelled] = cells as [CellRow, CellRow];
  await db.claimBatch(handle, batch.id, "run-1");
  await db.recordAttemptStart(handle, paid.id, { attempt: 0 });
  await db.recordAttemptResult(handle, paid.id, { attempt: 0, outcome: "ok", costUsd: 0.05 });
  await db.completeCell(handle, paid.id, { finalKey: "final/x.jpg", width: 1200, height: 630, bytes: 1 });
  if (lateCall) await db.recordAttemptStart(handle, cancelled.id, { attempt: 0 });
  await db.cancelBatch(handle, batch.id, { reason: "cancelled by the owner" });
  if (lateCall === "ended") {
    await db.recordAttemptResult(handle, cancelled.id, { attempt: 0, outcome: "failed", error: "x" });
  }
  return batch.id;
}

describe("resume", () => {
  it("waits while a call from before the cancel may still be running", async () => {
    const id = await batchWithCancelledCell(null, "running");
    const outcome = await controls.resumeBatch(id);
    expect(outcome).toEqual({
      error:
        "1 image from before the cancel may still be generating. Resume once it has finished (at most 4 minutes), so nothing is paid for twice.",
      status: 409,
      retryAfterMs: expect.any(Number),
    });
    // When that call is past the provider timeout (+30 s), which started just now.
    const { retryAfterMs } = outcome as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThan(180_000);
    expect(retryAfterMs).toBeLessThanOrEqual(210_000);
  });

  it("refuses a batch that has spent its budget when no cancelled cell has a picture to reuse", async () => {
    const id = await batchWithCancelledCell(0.05, "ended");
    expect(await controls.resumeBatch(id)).toEqual({
      error: "This batch has spent its budget of $0.05: resumed cells would stop again at once.",
      status: 409,
    });
  });

  it("refuses a running batch and one with nothing cancelled, and answers null for an unknown id", async () => {
    const handle = await db.getDb();
    expect(await controls.resumeBatch("no-such-batch")).toBeNull();
    const { batch, cells } = await db.createBatch(handle, {
      input: {
        prompts: ["Runs to the end"],
        models: ["gpt-image-1.5"],
        style: "neon",
        template: "bottom-bar",
        font: "inter",
        canvas: "blog",
        budgetUsd: 0.01,
      },
      budgetUsd: 0.01,
    });
    await db.claimBatch(handle, batch.id, "run-2");
    expect(await controls.resumeBatch(batch.id)).toEqual({
      error: "The batch is still running: cancel it first, or wait for it to finish.",
      status: 409,
    });
    const cell = cells[0] as CellRow;
    await db.recordAttemptStart(handle, cell.id, { attempt: 0 });
    await db.recordAttemptResult(handle, cell.id, { attempt: 0, outcome: "ok", costUsd: 0.05 });
    await db.completeCell(handle, cell.id, { finalKey: "final/y.jpg", width: 1200, height: 630, bytes: 1 });
    await db.finishBatchIfDone(handle, batch.id);
    // Past its budget, but nothing to resume: that is the reason given.
    expect(await controls.resumeBatch(batch.id)).toEqual({
      error: "This batch has no cancelled cells to resume.",
      status: 409,
    });
  });
});
