/**
 * The real batch functions on the local engine, in this process (PGlite in memory, local storage, the
 * offline model), with the database failing on purpose: a batch whose workflow stops for good ends with
 * readable failed cells that can be retried, instead of showing as running forever.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Inngest } from "inngest";
import type { BatchWithCells } from "@/lib/db";
import { engineFor, getJson, serveApp, type App, type RunView } from "../engine/helpers";

// Batches whose database writes fail (the leaf's record-failure step, or run-batch's claim), and
// batches whose generate or compose steps wait until released.
const faults = vi.hoisted(() => ({
  leafRecord: new Set<string>(),
  claim: new Set<string>(),
  hold: new Set<string>(),
  /** `${batchId}/${promptIndex}`: that title's generate waits until released. */
  holdTitle: new Set<string>(),
  holdCompose: new Set<string>(),
  release: [] as (() => void)[],
  /** Compose steps run per batch. */
  composed: new Map<string, number>(),
}));

vi.mock("@/lib/batches/cell-work", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/batches/cell-work")>();
  return {
    ...real,
    generateStep: async (...args: Parameters<typeof real.generateStep>) => {
      const [, ref] = args;
      if (faults.hold.has(ref.batchId) || faults.holdTitle.has(`${ref.batchId}/${ref.promptIndex}`))
        await new Promise<void>((r) => faults.release.push(r));
      return real.generateStep(...args);
    },
    composeStep: async (...args: Parameters<typeof real.composeStep>) => {
      const [, ref] = args;
      faults.composed.set(ref.batchId, (faults.composed.get(ref.batchId) ?? 0) + 1);
      if (faults.holdCompose.has(ref.batchId)) await new Promise<void>((r) => faults.release.push(r));
      if (faults.leafRecord.has(`${ref.batchId}/${ref.promptIndex}`)) throw new Error("disk full");
      return real.composeStep(...args);
    },
    recordFailureStep: (...args: Parameters<typeof real.recordFailureStep>) => {
      const [, ref, , kind] = args;
      if (kind !== "workflow" && faults.leafRecord.has(`${ref.batchId}/${ref.promptIndex}`)) {
        throw new Error("database unavailable");
      }
      return real.recordFailureStep(...args);
    },
  };
});

vi.mock("@/lib/db", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/db")>();
  return {
    ...real,
    claimBatch: (...args: Parameters<typeof real.claimBatch>) => {
      if (faults.claim.has(args[1])) throw new Error("database unavailable");
      return real.claimBatch(...args);
    },
  };
});

const saved = { ...process.env };
let engine: Awaited<ReturnType<typeof engineFor>>;
let app: App;
let blobDir: string;
let client: Inngest;
let db: typeof import("@/lib/db");

beforeAll(async () => {
  // The SDK logs each failing step the faults cause; the assertions below say what matters.
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
  engine = await engineFor("workflow-lost");
  blobDir = mkdtempSync(path.join(os.tmpdir(), "workflow-lost-blob-"));
  // Few steps per run: a run of three titles fits a second wave of two (5 + 2 + 1, and 1 to hand on,
  // make 9 of 10), one of four titles does not fit a second wave of three (6 + 3 + 1 + 1 = 11).
  Object.assign(process.env, {
    PGLITE_DIR: "memory",
    BLOB_DIR: blobDir,
    INNGEST_DEV: engine.url,
    RUN_MAX_STEPS: "10",
    PROMPTS_PER_RUN: "6",
  });
  delete process.env.DATABASE_URL;
  delete process.env.BLOB_READ_WRITE_TOKEN;
  const { functions } = await import("@/inngest/functions");
  db = await import("@/lib/db");
  client = (await import("@/inngest/client")).inngest;
  app = await serveApp(client, functions);
  await engine.syncApp(app.url);
}, 60_000);

afterAll(async () => {
  for (const release of faults.release.splice(0)) release();
  vi.restoreAllMocks();
  await app?.close();
  await engine?.cleanup();
  await db?.closeDb();
  process.env = saved;
  rmSync(blobDir, { recursive: true, force: true });
});

async function submit(prompts: string[]): Promise<string> {
  const created = await db.createBatch(await db.getDb(), {
    input: {
      prompts,
      models: ["local-preview"],
      style: "neon",
      template: "bottom-bar",
      font: "inter",
      canvas: "blog",
    },
    estimatedCostUsd: 0,
  });
  return created.batch.id;
}

async function run(batchId: string, reason: "created" | "retry"): Promise<BatchWithCells> {
  await client.send({ name: "batch/requested", data: { batchId, reason } });
  await expect
    .poll(async () => (await db.getBatch(await db.getDb(), batchId))?.batch.status, { timeout: 30_000 })
    .toMatch(/^(succeeded|partial|failed|cancelled)$/);
  const found = await db.getBatch(await db.getDb(), batchId);
  if (!found) throw new Error("batch vanished");
  return found;
}

const cellStates = (b: BatchWithCells) => b.cells.map((c) => [c.status, c.errorKind]);

describe("a batch whose workflow stops for good", () => {
  it("fails the cell of a leaf run that could not record its own failure; the rest succeed", async () => {
    const batchId = await submit(["Kept", "Lost", "Also kept"]);
    faults.leafRecord.add(`${batchId}/1`);
    const ended = await run(batchId, "created");
    expect(ended.batch.status).toBe("partial");
    expect(cellStates(ended)).toEqual([
      ["succeeded", null],
      ["failed", "workflow"],
      ["succeeded", null],
    ]);
    expect(ended.cells[1]?.lastError).toBe(
      "This image's run failed (database unavailable). Retry the failed cells to run it again.",
    );

    // The picture was generated (and stored) before compose failed: the retry composes it again
    // without another provider call.
    const rawKey = ended.cells[1]?.rawKey;
    expect(rawKey).toBeTruthy();
    faults.leafRecord.clear();
    expect((await db.resetFailedCells(await db.getDb(), batchId)).cells).toHaveLength(1);
    const retried = await run(batchId, "retry");
    expect(retried.batch.status).toBe("succeeded");
    expect([retried.cells[1]?.attempts, retried.cells[1]?.rawKey]).toEqual([1, rawKey]);
  });

  it("ends every cell through onFailure when the batch run itself fails, and can be retried", async () => {
    const batchId = await submit(["Never", "started"]);
    faults.claim.add(batchId);
    const ended = await run(batchId, "created");
    expect(ended.batch.status).toBe("failed");
    expect(cellStates(ended)).toEqual([
      ["failed", "workflow"],
      ["failed", "workflow"],
    ]);
    expect(ended.cells[0]?.lastError).toBe(
      "The batch's workflow run failed (database unavailable). Retry the failed cells to run them again.",
    );

    faults.claim.clear();
    expect((await db.resetFailedCells(await db.getDb(), batchId)).cells).toHaveLength(2);
    const retried = await run(batchId, "retry");
    expect(retried.batch.status).toBe("succeeded");
    expect(retried.cells.every((c) => c.finalKey !== null)).toBe(true);
  });

  it("lets images under way when the batch run fails outright land on their cells", async () => {
    const batchId = await submit(["Late", "Also late"]);
    faults.holdCompose.add(batchId);
    await client.send({ name: "batch/requested", data: { batchId, reason: "created" } });
    // Both pictures are generated (and paid for); their composes wait.
    await expect.poll(() => faults.release.length, { timeout: 30_000 }).toBe(2);
    // What run-batch's onFailure does when the run fails for good while its leaves still work.
    const owner = (await db.getBatch(await db.getDb(), batchId))?.batch.runId;
    const reason =
      "The batch's workflow run failed (database unavailable). Retry the failed cells to run them again.";
    await db.abandonBatch(await db.getDb(), batchId, { runId: owner ?? "", reason });
    const abandoned = await db.getBatch(await db.getDb(), batchId);
    expect([abandoned?.batch.status, ...cellStates(abandoned!)]).toEqual([
      "failed",
      ["failed", "workflow"],
      ["failed", "workflow"],
    ]);

    for (const release of faults.release.splice(0)) release();
    await expect
      .poll(async () => (await db.getBatch(await db.getDb(), batchId))?.batch.status, { timeout: 30_000 })
      .toBe("succeeded");
    const ended = await db.getBatch(await db.getDb(), batchId);
    expect(cellStates(ended!)).toEqual([
      ["succeeded", null],
      ["succeeded", null],
    ]);
    for (const cell of ended!.cells)
      expect(existsSync(path.join(blobDir, cell.finalKey ?? "none"))).toBe(true);
  });

  it("cancels the batch and stops its leaves when its run is cancelled outside the app", async () => {
    const batchId = await submit(["Held", "Also held"]);
    faults.hold.add(batchId);
    await client.send({ name: "batch/requested", data: { batchId, reason: "created" } });
    await expect.poll(() => faults.release.length, { timeout: 30_000 }).toBe(2);
    const runsOf = async (fn: string) => {
      const runs = await getJson<{ data: RunView[] }>(`${engine.url}/v1/runs?function_id=${fn}`);
      return runs.data.filter((r) => r.event.data.batchId === batchId);
    };
    const [run] = await runsOf("run-batch");
    // As from the Inngest dashboard: the engine's REST API cancels the run itself.
    expect((await fetch(`${engine.url}/v1/runs/${run?.id}/cancel`, { method: "POST" })).ok).toBe(true);
    await expect
      .poll(async () => (await db.getBatch(await db.getDb(), batchId))?.batch.status, { timeout: 30_000 })
      .toBe("cancelled");
    const ended = await db.getBatch(await db.getDb(), batchId);
    expect(ended?.cells.map((c) => [c.status, c.lastError])).toEqual([
      ["cancelled", "The batch's workflow run was cancelled outside the app."],
      ["cancelled", "The batch's workflow run was cancelled outside the app."],
    ]);
    // Its leaves, still waiting on their provider calls, are told to stop too.
    await expect
      .poll(async () => (await runsOf("generate-cell-local-preview")).map((r) => r.status), {
        timeout: 30_000,
      })
      .toEqual(["Cancelled", "Cancelled"]);
    for (const release of faults.release.splice(0)) release();
  });

  it("stops the runs of a resumed round when the batch is cancelled a second time", async () => {
    const controls = await import("@/lib/batches/controls");
    const batchId = await submit(["Stopped", "twice"]);
    faults.hold.add(batchId);
    const leafStatuses = async () => {
      const url = `${engine.url}/v1/runs?function_id=generate-cell-local-preview`;
      const runs = await getJson<{ data: RunView[] }>(url);
      return runs.data.filter((r) => r.event.data.batchId === batchId).map((r) => r.status);
    };
    const releaseHeld = () => {
      for (const release of faults.release.splice(0)) release();
    };
    await client.send({ name: "batch/requested", data: { batchId, reason: "created" } });
    await expect.poll(() => faults.release.length, { timeout: 30_000 }).toBe(2);
    await controls.cancelBatchById(batchId);
    await expect.poll(leafStatuses, { timeout: 30_000 }).toEqual(["Cancelled", "Cancelled"]);
    releaseHeld();

    expect(await controls.resumeBatch(batchId)).toMatchObject({ count: 2 });
    await expect.poll(() => faults.release.length, { timeout: 30_000 }).toBe(2);
    // The second cancel's event must not be dropped as a repeat of the first.
    await controls.cancelBatchById(batchId);
    await expect
      .poll(leafStatuses, { timeout: 30_000 })
      .toEqual(["Cancelled", "Cancelled", "Cancelled", "Cancelled"]);
    releaseHeld();
    expect((await db.getBatch(await db.getDb(), batchId))?.batch.status).toBe("cancelled");
  });
});

describe("a cell the compositor cannot make", () => {
  it("fails after one compose, not after every retry: its title has nothing to draw", async () => {
    // Stored before submits were checked for visible characters: zero-width spaces only.
    const batchId = await submit(["\u200b\u200b"]);
    const ended = await run(batchId, "created");
    expect(cellStates(ended)).toEqual([["failed", "failed"]]);
    expect(ended.cells[0]!.lastError).toMatch(/title/);
    expect(faults.composed.get(batchId)).toBe(1);
  });
});

describe("a batch asked for more while it runs", () => {
  it("queues new takes and retries asked for mid-run, and makes them as the same run's next wave", async () => {
    const controls = await import("@/lib/batches/controls");
    const batchId = await submit(["Held", "Taken", "Broken"]);
    faults.holdTitle.add(`${batchId}/0`);
    faults.leafRecord.add(`${batchId}/2`);
    const read = async () => (await db.getBatch(await db.getDb(), batchId))!;
    await client.send({ name: "batch/requested", data: { batchId, reason: "created" } });
    await expect
      .poll(async () => cellStates(await read()), { timeout: 30_000 })
      .toEqual([
        ["queued", null],
        ["succeeded", null],
        ["failed", "workflow"],
      ]);
    expect(faults.release).toHaveLength(1);
    const before = (await read()).cells[1]!;
    faults.leafRecord.clear();
    expect(await controls.newTakes(batchId, [{ promptIndex: 1, model: "local-preview" }])).toMatchObject({
      count: 1,
    });
    expect(await controls.retryFailedCells(batchId)).toMatchObject({ count: 1 });
    expect((await read()).batch.status).toBe("running");
    for (const release of faults.release.splice(0)) release();

    await expect.poll(async () => (await read()).batch.status, { timeout: 30_000 }).toBe("succeeded");
    const [held, taken, broken] = (await read()).cells;
    expect(held).toMatchObject({ status: "succeeded", round: 0 });
    expect(taken).toMatchObject({ status: "succeeded", round: 1, take: 1 });
    expect(taken!.finalKey).not.toBe(before.finalKey);
    expect(taken!.others).toMatchObject([{ finalKey: before.finalKey }]);
    expect(broken).toMatchObject({ status: "succeeded", round: 1, errorKind: null });
    // One run did it all: the take and the retry were its second wave, not runs of their own.
    const batchRuns = async () => {
      const runs = await getJson<{ data: RunView[] }>(`${engine.url}/v1/runs?function_id=run-batch`);
      const mine = runs.data.filter((r) => r.event.data.batchId === batchId);
      return mine.map((r) => [r.status, (r.output as { status?: string } | null)?.status]);
    };
    await expect.poll(batchRuns, { timeout: 10_000 }).toEqual([["Completed", "succeeded"]]);
  });

  it("makes the cancelled cells a resume queued mid-run as the same run's next wave", async () => {
    const controls = await import("@/lib/batches/controls");
    const batchId = await submit(["Taken", "Cancelled"]);
    faults.holdTitle.add(`${batchId}/1`);
    const read = async () => (await db.getBatch(await db.getDb(), batchId))!;
    await client.send({ name: "batch/requested", data: { batchId, reason: "created" } });
    await expect.poll(() => faults.release.length, { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => (await read()).cells[0]?.status, { timeout: 30_000 }).toBe("succeeded");
    expect(await controls.cancelBatchById(batchId)).toMatchObject({ count: 1 });
    faults.holdTitle.delete(`${batchId}/1`);
    for (const release of faults.release.splice(0)) release();
    // A new take runs the batch again; the resume lands while that run makes it.
    faults.holdTitle.add(`${batchId}/0`);
    expect(await controls.newTakes(batchId, [{ promptIndex: 0, model: "local-preview" }])).toMatchObject({
      nextWave: false,
    });
    await expect.poll(() => faults.release.length, { timeout: 30_000 }).toBe(1);
    expect(await controls.resumeBatch(batchId)).toMatchObject({ count: 1, nextWave: true });
    for (const release of faults.release.splice(0)) release();

    await expect.poll(async () => (await read()).batch.status, { timeout: 30_000 }).toBe("succeeded");
    expect((await read()).cells.map((c) => [c.status, c.round, c.take])).toEqual([
      ["succeeded", 1, 1],
      ["succeeded", 1, 0],
    ]);
    // The take's run made the resumed cell as its second wave: no run of its own was started.
    const batchRuns = async () => {
      const runs = await getJson<{ data: RunView[] }>(`${engine.url}/v1/runs?function_id=run-batch`);
      const mine = runs.data.filter((r) => r.event.data.batchId === batchId);
      return mine.map((r) => [r.event.data.reason, r.status]).sort();
    };
    await expect.poll(batchRuns, { timeout: 10_000 }).toEqual([
      ["created", "Cancelled"],
      ["take", "Completed"],
    ]);
  });

  it("hands the batch on to a new run when the next wave would not fit in the run's steps", async () => {
    const controls = await import("@/lib/batches/controls");
    const batchId = await submit(["Held", "Taken", "Also taken", "Taken too"]);
    faults.holdTitle.add(`${batchId}/0`);
    const read = async () => (await db.getBatch(await db.getDb(), batchId))!;
    await client.send({ name: "batch/requested", data: { batchId, reason: "created" } });
    await expect
      .poll(async () => (await read()).cells.map((c) => c.status), { timeout: 30_000 })
      .toEqual(["queued", "succeeded", "succeeded", "succeeded"]);
    const picks = [1, 2, 3].map((promptIndex) => ({ promptIndex, model: "local-preview" }));
    expect(await controls.newTakes(batchId, picks)).toMatchObject({ count: 3 });
    for (const release of faults.release.splice(0)) release();

    await expect.poll(async () => (await read()).batch.status, { timeout: 30_000 }).toBe("succeeded");
    expect((await read()).cells.map((c) => [c.status, c.take])).toEqual([
      ["succeeded", 0],
      ["succeeded", 1],
      ["succeeded", 1],
      ["succeeded", 1],
    ]);
    const batchRuns = async () => {
      const runs = await getJson<{ data: RunView[] }>(`${engine.url}/v1/runs?function_id=run-batch`);
      const mine = runs.data.filter((r) => r.event.data.batchId === batchId);
      return mine.map((r) => [r.event.data.reason, (r.output as { status?: string } | null)?.status]).sort();
    };
    await expect.poll(batchRuns, { timeout: 10_000 }).toEqual([
      ["created", "handed on to another run"],
      ["hand-off", "succeeded"],
    ]);
  });
});
