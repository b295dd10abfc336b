/**
 * Provider calls in flight adapt to what the provider takes: first the limit on its own, then the
 * generate step against the simulator with an account-like in-flight cap below the app's concurrency.
 */
import { describe, expect, it } from "vitest";
import { AttemptFailed, generateStep, type CellRef } from "@/lib/batches/cell-work";
import { createBatch, getBatch } from "@/lib/db";
import { CallLimit, type CallPermit } from "@/lib/providers/call-limit";
import { cellStepWorld } from "../helpers/cell-steps";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("CallLimit", () => {
  it("grants up to its limit at once; the next call starts when one ends, in order", async () => {
    const limit = new CallLimit(2);
    const a = await limit.acquire(60_000);
    await limit.acquire(60_000);
    const started: string[] = [];
    void limit.acquire(60_000).then(() => started.push("c"));
    void limit.acquire(60_000).then(() => started.push("d"));
    await tick();
    expect(started).toEqual([]);
    expect(limit.waiting).toBe(2);
    a.release();
    a.release(); // twice is once
    await tick();
    expect(started).toEqual(["c"]);
    expect(limit.inFlight).toBe(2);
  });

  it("a rate-limit answer lowers the limit below the calls then out; successes raise it back to the max", async () => {
    const limit = new CallLimit(8);
    const permits: CallPermit[] = [];
    for (let i = 0; i < 8; i++) permits.push(await limit.acquire(60_000));
    permits[7]!.rateLimited();
    expect(limit.limit).toBe(7);
    permits[7]!.release();
    permits[6]!.rateLimited();
    expect(limit.limit).toBe(6);
    permits[6]!.release();
    // Six out, limit six: a seventh waits.
    let seventh = false;
    void limit.acquire(60_000).then(() => (seventh = true));
    await tick();
    expect(seventh).toBe(false);
    // 4 × 6 successes in a row raise it by one, and the waiting call starts.
    for (let i = 0; i < 23; i++) permits[i % 6]!.succeeded();
    expect(limit.limit).toBe(6);
    permits[5]!.succeeded();
    expect(limit.limit).toBe(7);
    permits[0]!.release();
    await tick();
    expect(seventh).toBe(true);
    // Never above the configured concurrency, never below one.
    for (let i = 0; i < 100; i++) permits[1]!.succeeded();
    expect(limit.limit).toBe(8);
    const one = new CallLimit(3);
    const only = await one.acquire(60_000);
    only.rateLimited();
    expect(one.limit).toBe(1);
  });

  it("lets a call through after waiting its longest", async () => {
    const limit = new CallLimit(1);
    await limit.acquire(60_000);
    const started = Date.now();
    await limit.acquire(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    expect(limit.inFlight).toBe(2);
    expect(limit.waiting).toBe(0);
  });
});

describe("generate against an account that takes fewer calls at once than the app sends", () => {
  const world = cellStepWorld(
    { latencyMs: [80, 120], timeScale: 1, inflightCap: 2, retryAfterMs: 50, seed: 3 },
    { PROVIDER_CONCURRENCY_OPENAI: "5" },
  );

  it("settles at what the provider takes, so rate-limit refusals stop costing cells their tries", async () => {
    const prompts = Array.from({ length: 30 }, (_, i) => `Title ${i + 1}`);
    const input = {
      prompts,
      models: ["gpt-image-1.5"],
      style: "neon",
      template: "bottom-bar",
      font: "inter",
    };
    const { batch } = await createBatch(world.handle.db, { input: { ...input, canvas: "blog" } });
    // The workflow's side: 5 cells at once (the provider concurrency), each retried up to 4 times.
    const queue = prompts.map((_, i): CellRef => ({
      batchId: batch.id,
      promptIndex: i,
      model: "gpt-image-1.5",
    }));
    const outcomes: string[] = [];
    const worker = async () => {
      for (let cell = queue.shift(); cell; cell = queue.shift()) {
        for (let attempt = 0; ; attempt++) {
          try {
            outcomes.push((await generateStep(world.handle.db, cell, attempt, attempt === 4)).kind);
            break;
          } catch (err) {
            if (!(err instanceof AttemptFailed) || attempt === 4) {
              outcomes.push("failed");
              break;
            }
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 5 }, worker));
    expect(outcomes).toEqual(prompts.map(() => "raw"));
    const refused = world.sim.requests.filter((r) => r.outcome === "inflight_cap").length;
    // Without the limit three of every five calls are refused at once, again and again (dozens here,
    // and cells run out of tries); with it only the first few and the occasional probe for more room.
    expect(refused).toBeLessThanOrEqual(10);
    expect(world.sim.stats.maxInflight.openai).toBeLessThanOrEqual(3);
    const cells = (await getBatch(world.handle.db, batch.id))!.cells;
    expect(Math.max(...cells.map((c) => c.attempts))).toBeLessThanOrEqual(3);
  });
});
