/**
 * The resume control against a real (in-memory) database: its refusals, none of which reaches the
 * engine, and a batch running again whose cancelled cells it queues for that run (no run is started).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CellRow } from "@/lib/db";
import { sent } from "../helpers/inngest-sent";

vi.mock("@/inngest/client", () => import("../helpers/inngest-sent"));

// A change to land right after the control has read the batch, before it locks it (a race).
const race = vi.hoisted(() => ({ afterRead: null as null | (() => Promise<unknown>) }));
vi.mock("@/lib/db", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/db")>();
  return {
    ...actual,
    getBatch: async (...args: Parameters<typeof actual.getBatch>) => {
      const found = await actual.getBatch(...args);
      const change = race.afterRead;
      race.afterRead = null;
      await change?.();
      return found;
    },
  };
});

const saved = { ...process.env };
let db: typeof import("@/lib/db");
let controls: typeof import("@/lib/batches/controls");

beforeAll(async () => {
  // A key makes the model callable, so it has a list price for the budget (nothing is called).
  Object.assign(process.env, {
    PGLITE_DIR: "memory",
    INNGEST_DEV: "http://127.0.0.1:9",
    OPENAI_API_KEY: "sk-test",
  });
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

  it("refuses, as a retry does, when the resumed cells' calls would pass the budget", async () => {
    // Spent $0.05 of $0.05: the cancelled cell's new call has nothing left.
    const spent = await batchWithCancelledCell(0.05, "ended");
    expect(await controls.resumeBatch(spent)).toEqual({
      error:
        "Resuming 1 cancelled cell would cost about $0.05, more than is left of this batch's budget ($0.00 of $0.05).",
      status: 409,
    });
    // $0.04 left is not spent yet, but it does not cover the call at list price either: before, the cell
    // was resumed and its call paid past the budget.
    const short = await batchWithCancelledCell(0.09, "ended");
    expect(await controls.resumeBatch(short)).toMatchObject({
      error: expect.stringContaining("($0.04 of $0.09)"),
      status: 409,
    });
    const handle = await db.getDb();
    expect((await db.getBatch(handle, short))?.cells.map((c) => c.status).sort()).toEqual([
      "cancelled",
      "succeeded",
    ]);
    // Amounts that are not whole cents are said as they are: the budgets of batches made before
    // budgets below a cent were refused read "$0.01" (or "$0.06" for $0.055), and what was left "$0.0050".
    const odd = await batchWithCancelledCell(0.055, "ended");
    expect(await controls.resumeBatch(odd)).toMatchObject({
      error: expect.stringContaining("($0.005 of $0.055)"),
    });
    const subCent = await batchWithCancelledCell(0.005, "ended");
    expect(await controls.resumeBatch(subCent)).toMatchObject({
      error: expect.stringContaining("($0.00 of $0.005)"),
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
      error:
        "This batch is running and has no cancelled cells: there is nothing to resume (to start a stuck batch over, cancel it, then resume).",
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

  it("queues the cancelled cells of a batch running again for a retry after its current run", async () => {
    const id = await cancelledWithFailedCell();
    const handle = await db.getDb();
    expect((await db.resetFailedCells(handle, id)).cells).toHaveLength(1);
    await db.claimBatch(handle, id, "run-retry");
    sent.length = 0;
    const outcome = await controls.resumeBatch(id);
    expect(outcome).toMatchObject({ count: 1, nextWave: true, batch: { status: "running" } });
    // No run is started for them: the retry's run makes them once the retried cell has ended.
    expect(sent).toEqual([]);
    const after = await db.getBatch(handle, id);
    expect(after?.batch).toMatchObject({ status: "running", runId: "run-retry", cancelReason: null });
    expect(after?.cells.map((c) => [c.status, c.round])).toEqual([
      ["succeeded", 0],
      ["queued", 1],
      ["queued", 1],
    ]);
    // Nothing cancelled is left: another resume has nothing to do, and says why.
    expect(await controls.resumeBatch(id)).toEqual({
      error:
        "This batch is running and has no cancelled cells: there is nothing to resume (to start a stuck batch over, cancel it, then resume).",
      status: 409,
    });
  });

  it("queues them for the retry's run when a retry starts the batch again while the resume is under way", async () => {
    const id = await cancelledWithFailedCell();
    const handle = await db.getDb();
    sent.length = 0;
    // The resume reads the batch finished; the retry lands before it locks the batch. No run has
    // claimed the batch yet: the cells join the first wave of the retry's run, not a later one.
    race.afterRead = () => db.resetFailedCells(handle, id);
    expect(await controls.resumeBatch(id)).toMatchObject({ count: 1, nextWave: false });
    // One run for both (the retry's control sends it): the resume sent none of its own.
    expect(sent).toEqual([]);
    const after = await db.getBatch(handle, id);
    expect(after?.batch).toMatchObject({ status: "running", runId: null });
    expect(after?.cells.map((c) => c.status)).toEqual(["succeeded", "queued", "queued"]);
  });

  it("starts a run for a finished batch's cancelled cells, and says so", async () => {
    const id = await cancelledWithFailedCell();
    sent.length = 0;
    expect(await controls.resumeBatch(id)).toMatchObject({ count: 1, nextWave: false });
    expect(sent).toEqual([expect.objectContaining({ data: { batchId: id, reason: "resume" } })]);
  });

  it("checks a running batch's budget as a retry does, counting the cells it still has to make", async () => {
    // $0.05 spent of $0.10, and the retried cell still to make ($0.05): nothing is left for the resume.
    const id = await cancelledWithFailedCell(0.1);
    const handle = await db.getDb();
    await db.resetFailedCells(handle, id);
    expect(await controls.resumeBatch(id)).toEqual({
      error:
        "Resuming 1 cancelled cell would cost about $0.05, more than is left of this batch's budget once the images still being made are paid for ($0.00 of $0.10).",
      status: 409,
    });
    expect((await db.getBatch(handle, id))?.cells.map((c) => c.status)).toEqual([
      "succeeded",
      "queued",
      "cancelled",
    ]);
    // With room for both, it is queued with the retry: in the first wave of the run not yet claiming
    // the batch, and after the retried cell once that run has claimed it.
    const roomy = await cancelledWithFailedCell(0.15);
    await db.resetFailedCells(handle, roomy);
    expect(await controls.resumeBatch(roomy)).toMatchObject({ count: 1, nextWave: false });
    const claimed = await cancelledWithFailedCell(0.15);
    await db.resetFailedCells(handle, claimed);
    await db.claimBatch(handle, claimed, "run-claimed");
    expect(await controls.resumeBatch(claimed)).toMatchObject({ count: 1, nextWave: true });
  });
});

/** A cancelled batch with a succeeded cell, a failed one (to retry) and a cancelled one (to resume). */
async function cancelledWithFailedCell(budgetUsd: number | null = null): Promise<string> {
  const handle = await db.getDb();
  const { batch, cells } = await db.createBatch(handle, {
    input: {
      prompts: ["Paid for", "Refused", "Cancelled"],
      models: ["gpt-image-1.5"],
      style: "neon",
      template: "bottom-bar",
      font: "inter",
      canvas: "blog",
      budgetUsd,
    },
    budgetUsd,
  });
  const [paid, refused] = cells as [CellRow, CellRow, CellRow];
  await db.claimBatch(handle, batch.id, "run-3");
  await db.recordAttemptStart(handle, paid.id, { attempt: 0 });
  await db.recordAttemptResult(handle, paid.id, { attempt: 0, outcome: "ok", costUsd: 0.05 });
  await db.completeCell(handle, paid.id, { finalKey: "final/z.jpg", width: 1200, height: 630, bytes: 1 });
  await db.recordAttemptStart(handle, refused.id, { attempt: 0 });
  await db.recordAttemptResult(handle, refused.id, {
    attempt: 0,
    outcome: "failed",
    error: "blocked",
    errorKind: "moderation",
  });
  await db.cancelBatch(handle, batch.id, { reason: "cancelled by the owner" });
  expect((await db.getBatch(handle, batch.id))?.batch.status).toBe("cancelled");
  return batch.id;
}
