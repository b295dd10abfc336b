/**
 * The workflow engine loses its state mid-batch (stopped, data folder deleted, restarted empty): the
 * batch's run is gone, so nothing would ever finish the batch. Once the batch has been idle past
 * RUN_CHECK_AFTER_MS, reading it looks the run up, finds it missing and fails the unfinished cells as
 * workflow errors; "Retry failed cells" then completes it, composing stored pictures without paying again.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchRunStatus } from "@/lib/batches/run-status";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { fetchBatch, submitBatch } from "../../scripts/lib/batch-client";
import { waitForAppSync } from "../../scripts/lib/processes";
import { bearer, groupOf, post, settled, simGroups, until } from "../fixtures/batch-helpers";
import { startStack, type Stack } from "../helpers/stack";

const MODEL = "gemini-3-pro-image";

let sim: Simulator;
let stack: Stack;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, profile: { latencyMs: [1500, 2000], timeScale: 1 } });
  // One call at a time, so the batch is still running when the engine goes.
  stack = await startStack({
    PROVIDER_SIMULATOR_URL: sim.url,
    PROVIDER_CONCURRENCY_GOOGLE: "1",
    RUN_CHECK_AFTER_MS: "1500",
  });
});

afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

/** The engine stops hard, its data folder is deleted, and it starts again empty. */
async function loseEngineState() {
  await stack.engine.kill("SIGKILL");
  rmSync(path.join(stack.dataDir, "engine"), { recursive: true, force: true });
  await stack.startEngine();
  await waitForAppSync(stack.engineUrl, stack.appUrl);
}

async function submit(prompts: string[]) {
  const created = await submitBatch(stack.appUrl, {
    prompts,
    models: [MODEL],
    style: "neon",
    template: "bottom-bar",
    font: "inter",
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  return created;
}

/** Waits, reading only the simulator's log (reading the batch would look its run up). */
async function oneMadeOneUnderWay() {
  const done = () => sim.requests.filter((r) => r.outcome === "ok").length;
  const before = done();
  await until(
    () => done() > before && sim.requests.some((r) => r.outcome === "pending"),
    "one picture made and the next call under way",
  );
}

describe("a batch whose workflow run the engine lost", () => {
  it("ends with its unfinished cells failed, and a retry completes it without paying twice", async () => {
    const prompts = Array.from({ length: 4 }, (_, i) => `Lost run title ${i + 1}`);
    const created = await submit(prompts);
    const id = created.id;
    await oneMadeOneUnderWay();
    // The client reads the engine's own answer for the batch's run: running now, missing after the loss.
    const runs = (await (await stack.engineApi("/v1/runs?function_id=run-batch")).json()) as {
      data: { id: string; event: { data: { batchId: string } } }[];
    };
    const runId = runs.data.find((r) => r.event.data.batchId === id)?.id ?? "none";
    const engine = { baseUrl: stack.engineUrl, mode: "cloud" as const, signingKey: stack.keys.signingKey };
    expect(await fetchRunStatus(runId, engine)).toEqual({ state: "running" });
    await loseEngineState();
    expect(await fetchRunStatus(runId, engine)).toEqual({ state: "missing" });
    // The call cut off from its run still finishes in the web server and stores its picture.
    await until(() => sim.requests.every((r) => r.outcome !== "pending"), "the call under way to end");

    const ended = await until(async () => {
      const batch = await fetchBatch(stack.appUrl, id);
      return batch.status === "running" ? undefined : batch;
    }, "the batch to end");
    expect(ended.status).toBe("partial");
    const failed = ended.cells.filter((c) => c.status === "failed");
    expect(failed.length).toBeGreaterThan(0);
    for (const cell of failed) {
      expect(cell.errorKind).toBe("workflow");
      expect(cell.error).toMatch(
        /^The batch's workflow run is gone from the workflow engine .* Retry the failed cells/,
      );
    }
    // Every picture paid for so far is stored on its cell.
    const groups = simGroups(sim.requests);
    const paid = ended.cells.filter(
      (c) => c.requestIds.length > 0 && groupOf(groups, c).some((r) => r.outcome === "ok"),
    );
    expect(paid.length).toBeGreaterThan(0);
    for (const cell of paid) expect(cell.reusable, `${cell.promptIndex}`).toBe(true);
    const before = sim.requests.length;

    const retried = await post(
      stack.appUrl,
      `/api/batches/${id}/retry`,
      undefined,
      bearer(created.ownerToken),
    );
    expect([retried.status, retried.json.retried]).toEqual([200, failed.length]);
    const done = await settled(stack.appUrl, id);
    expect(done.status).toBe("succeeded");

    const after = simGroups(sim.requests);
    expect(after).toHaveLength(prompts.length);
    // Each title was paid for exactly once; those with a stored picture got no call after the retry.
    for (const group of after) expect(group.filter((r) => r.outcome === "ok")).toHaveLength(1);
    for (const cell of paid) expect(groupOf(after, cell).every((r) => r.seq <= before)).toBe(true);
    const succeeded = ended.cells.filter((c) => c.status === "succeeded").length;
    const reused = failed.filter((c) => c.reusable).length;
    console.log(
      `lost-run: when the run was found gone ${succeeded} cells had succeeded and ${failed.length} failed ` +
        `(${reused} of them with a stored picture the retry reused); ${sim.requests.length} provider calls in all`,
    );
  });

  it("is ended by the scheduled sweep when nobody looks at it", async () => {
    const created = await submit([
      "Nobody is watching one",
      "Nobody is watching two",
      "Nobody is watching three",
    ]);
    await oneMadeOneUnderWay();
    await loseEngineState();
    await until(() => sim.requests.every((r) => r.outcome !== "pending"), "the call under way to end");
    // The sweep the schedule runs, asked for now (again until the batch has been idle long enough).
    const sweeps = async () => {
      const res = await stack.engineApi("/v1/runs?function_id=thumbnail-studio-end-lost-batches");
      return ((await res.json()) as { data: { status: string; output: { ended?: number } | null }[] }).data;
    };
    const ended = await until(async () => {
      const runs = await sweeps();
      if (runs.some((r) => r.status === "Completed" && (r.output?.ended ?? 0) >= 1)) return true;
      if (runs.every((r) => r.status !== "Running"))
        await fetch(`${stack.engineUrl}/e/${stack.keys.eventKey}`, {
          method: "POST",
          body: JSON.stringify({ name: "lost-runs/sweep.requested", data: {} }),
        });
      return undefined;
    }, "a sweep to end the batch");
    expect(ended).toBe(true);
    const batch = await fetchBatch(stack.appUrl, created.id);
    expect(batch.status).toBe("partial");
    expect(batch.cells.filter((c) => c.status === "failed").every((c) => c.errorKind === "workflow")).toBe(
      true,
    );
  });
});
