/**
 * Provider faults on the whole stack: with 20% HTTP 500 and 10% 429-with-Retry-After from the simulator
 * (seeded), a 10 × 3 batch across both providers still succeeds cell by cell within the retry budget, and
 * the simulator's log agrees with what each cell recorded. A moderation block is permanent: one attempt.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { submitBatch } from "../../scripts/lib/batch-client";
import { BASE_REQUEST, groupOf, settled, simGroups } from "../fixtures/batch-helpers";
import { startStack, type Stack } from "../helpers/stack";

// Budget: 1 + CELL_RETRIES attempts. At a 30% fault rate per call, 9 attempts make a cell that never
// succeeds a ~2e-5 event, so the test does not flake; the assertion is that no cell needs more than that.
const CELL_RETRIES = 8;
const MODELS = ["gpt-image-1.5", "gpt-image-1-mini", "gemini-3-pro-image"];

let sim: Simulator;
let stack: Stack;

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    profile: {
      latencyMs: [50, 300],
      timeScale: 1,
      faults: { server_error: 0.2, rate_limit: 0.1 },
      retryAfterMs: 300,
      seed: 42,
    },
  });
  stack = await startStack({ PROVIDER_SIMULATOR_URL: sim.url, CELL_RETRIES: String(CELL_RETRIES) });
});

afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

describe("provider faults", () => {
  it("a 10 × 3 batch succeeds through 5xx and 429s, each cell within the retry budget", async () => {
    sim.reset();
    const prompts = Array.from({ length: 10 }, (_, i) => `Resilient title number ${i + 1}`);
    const created = await submitBatch(stack.appUrl, { ...BASE_REQUEST, prompts, models: MODELS });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const batch = await settled(stack.appUrl, created.id, 120_000);

    expect(batch.status).toBe("succeeded");
    expect(batch.counts.succeeded).toBe(30);
    const outcomes = sim.stats.byOutcome;
    expect(outcomes.server_error ?? 0).toBeGreaterThan(0);
    expect(outcomes.rate_limit ?? 0).toBeGreaterThan(0);

    const groups = simGroups(sim.requests);
    expect(groups).toHaveLength(30);
    for (const cell of batch.cells) {
      const label = `${cell.promptIndex} × ${cell.model}`;
      expect(cell.attempts, label).toBeGreaterThanOrEqual(1);
      expect(cell.attempts, label).toBeLessThanOrEqual(CELL_RETRIES + 1);
      const group = groupOf(groups, cell);
      // One simulator request per recorded attempt: no hidden SDK retries, no lost attempts.
      expect(group.length, label).toBe(cell.attempts);
      expect(
        group.map((r) => r.attempt),
        label,
      ).toEqual(group.map((_, i) => i + 1));
      expect(group.at(-1)?.outcome, label).toBe("ok");
      for (const r of group.slice(0, -1)) expect(["server_error", "rate_limit"], label).toContain(r.outcome);
      const simIds = group.map((r) => r.requestId);
      for (const id of cell.requestIds) expect(simIds, label).toContain(id);
      expect(cell.requestIds.at(-1), label).toBe(group.at(-1)?.requestId);
      // OpenAI reports x-request-id on errors too, so every attempt's id is on the cell.
      if (cell.model.startsWith("gpt-")) expect(cell.requestIds, label).toEqual(simIds);
    }
    const attempts = batch.cells.reduce((n, c) => n + c.attempts, 0);
    expect(sim.requests.length).toBe(attempts);
  });

  it("a moderation block fails exactly that cell per model, after one attempt, with a readable error", async () => {
    sim.reset();
    const prompts = ["A harmless title", "Forbidden content [sim:moderation]", "Another harmless title"];
    const created = await submitBatch(stack.appUrl, { ...BASE_REQUEST, prompts, models: MODELS });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const batch = await settled(stack.appUrl, created.id, 120_000);

    expect(batch.status).toBe("partial");
    const groups = simGroups(sim.requests);
    for (const cell of batch.cells) {
      const label = `${cell.promptIndex} × ${cell.model}`;
      if (cell.promptIndex !== 1) {
        expect(cell.status, label).toBe("succeeded");
        continue;
      }
      expect(cell.status, label).toBe("failed");
      expect(cell.attempts, label).toBe(1);
      expect(cell.error, label).toMatch(/safety|moderation|blocked|policy/i);
      expect(cell.error?.length ?? 0, label).toBeLessThan(400);
      expect(cell.imageUrl, label).toBeNull();
    }
    expect(batch.counts).toMatchObject({ succeeded: 6, failed: 3 });
    // Each blocked cell reached the provider exactly once: the block is not retried.
    const blocked = groups.filter((g) => g.some((r) => r.outcome === "moderation"));
    expect(blocked.map((g) => g.length)).toEqual([1, 1, 1]);
  });
});
