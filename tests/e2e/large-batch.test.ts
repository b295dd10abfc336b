/**
 * Batches larger than one workflow run may fan out to. Inngest runs at most 1,000 steps per run (the
 * local engine enforces the same limit), and run-batch takes a step per title: past PROMPTS_PER_RUN
 * titles it fans out through run-prompt-group, one per slice of titles. Scaled down here: the engine
 * allows 8 steps per run and a run invokes at most 6 titles, so 14 titles need three groups.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { submitBatch } from "../../scripts/lib/batch-client";
import { BASE_REQUEST, settled } from "../fixtures/batch-helpers";
import { startStack, type Stack } from "../helpers/stack";

const MODELS = ["gpt-image-1-mini", "gemini-3-pro-image"];
const ENGINE_MAX_STEPS = 8;

interface RunView {
  id: string;
  function_id: string;
  status: string;
  step_count: number;
  error: { name: string; message: string } | null;
  output: { batchId?: string; results?: (string | null)[][] } | null;
  event: { data: { batchId?: string } };
  parent_run_id: string | null;
}

let sim: Simulator;

async function runsOf(stack: Stack, fn: string): Promise<RunView[]> {
  const res = await stack.engineApi(`/v1/runs?limit=10000&function_id=${fn}`);
  return ((await res.json()) as { data: RunView[] }).data;
}

/** The batch's run-batch run once its output is recorded (a moment after the batch row settles). */
async function rootRun(stack: Stack, batchId: string): Promise<RunView> {
  let found: RunView | undefined;
  await expect
    .poll(
      async () => (found = (await runsOf(stack, "run-batch")).find((r) => r.output?.batchId === batchId)),
      {
        timeout: 10_000,
      },
    )
    .toBeDefined();
  return found!;
}

const titles = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} title ${i + 1}`);

/** A stack for the enclosing describe: the engine allows ENGINE_MAX_STEPS, a run invokes `perRun` titles. */
function stackInvoking(perRun: number): () => Stack {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      PROVIDER_SIMULATOR_URL: sim.url,
      ENGINE_MAX_STEPS: String(ENGINE_MAX_STEPS),
      PROMPTS_PER_RUN: String(perRun),
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return () => stack;
}

/** Submits `n` titles × MODELS and waits until the batch has settled. */
async function runBatch(stack: Stack, n: number, tag: string) {
  const created = await submitBatch(stack.appUrl, {
    ...BASE_REQUEST,
    prompts: titles(n, tag),
    models: MODELS,
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  return { id: created.id, batch: await settled(stack.appUrl, created.id) };
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, profile: { latencyMs: [20, 80], timeScale: 1, seed: 5 } });
});

afterAll(async () => {
  await sim?.close();
});

describe("fan-out within the engine's step limit", () => {
  const stackOf = stackInvoking(6);

  it("invokes every title directly up to the per-run count: exactly the step limit", async () => {
    const stack = stackOf();
    const { id, batch } = await runBatch(stack, 6, "Direct");
    expect(batch.status).toBe("succeeded");
    expect(batch.counts.succeeded).toBe(12);
    const run = await rootRun(stack, id);
    // start, one invoke per title, finish.
    expect(run.step_count).toBe(ENGINE_MAX_STEPS);
    const groups = (await runsOf(stack, "run-prompt-group")).filter((r) => r.event.data.batchId === id);
    expect(groups).toEqual([]);
  });

  it("fans 14 titles out through groups of 6, with every run within the limit and every image made", async () => {
    sim.reset();
    const stack = stackOf();
    const { id, batch } = await runBatch(stack, 14, "Grouped");
    expect(batch.status).toBe("succeeded");
    expect(batch.counts.succeeded).toBe(28);
    expect(batch.results).toHaveLength(14);
    for (const row of batch.results) expect(row.every((url) => typeof url === "string")).toBe(true);

    const top = await rootRun(stack, id);
    expect(top.status).toBe("Completed");
    // The workflow's result is still the whole matrix, as the API serves it.
    expect(top.output?.results).toEqual(batch.results);
    expect(top.step_count).toBe(2 + 3); // start, three groups, finish

    const groups = (await runsOf(stack, "run-prompt-group")).filter((r) => r.event.data.batchId === id);
    expect(groups.map((g) => g.status)).toEqual(["Completed", "Completed", "Completed"]);
    expect(groups.every((g) => g.parent_run_id === top.id)).toBe(true);
    expect(groups.map((g) => g.step_count).sort()).toEqual([2, 6, 6]);

    const prompts = (await runsOf(stack, "run-prompt")).filter((r) => r.event.data.batchId === id);
    expect(prompts).toHaveLength(14);
    const groupIds = new Set(groups.map((g) => g.id));
    expect(prompts.every((p) => p.parent_run_id !== null && groupIds.has(p.parent_run_id))).toBe(true);
    for (const r of [top, ...groups, ...prompts]) expect(r.step_count).toBeLessThanOrEqual(ENGINE_MAX_STEPS);
    // One provider call per cell: grouping repeats nothing.
    expect(sim.requests).toHaveLength(28);
    expect(sim.requests.every((r) => r.attempt === 1)).toBe(true);
  });
});

describe("a run over the step limit", () => {
  // Every title invoked from run-batch itself (990 per run): with 8 titles, start and the invokes
  // make 9 steps, one too many, before any title starts.
  const stackOf = stackInvoking(990);

  it("ends the batch with its cells failed, naming the limit, and spends nothing", async () => {
    sim.reset();
    const stack = stackOf();
    const { id, batch } = await runBatch(stack, 8, "Overflow");
    expect(batch.status).toBe("failed");
    expect(batch.counts.failed).toBe(16);
    for (const cell of batch.cells) expect(cell.error).toContain("step limit of 8 steps");
    const top = (await runsOf(stack, "run-batch")).find((r) => r.event.data.batchId === id)!;
    expect(top.error?.name).toBe("InngestErrFunctionOverflowed");
    expect(sim.requests).toHaveLength(0);
  });
});
