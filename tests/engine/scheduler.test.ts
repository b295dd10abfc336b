/** The dispatch queue on its own: key queues take turns without jumping other functions' places. */
import { describe, expect, it } from "vitest";
import { Scheduler, type Limits } from "@/engine/scheduler";

type Spec = { fn: string; queue?: string; depth: number };

/** A scheduler whose items never finish until released, with every item in one bucket of `calls`. */
function harness(calls: number, specs: Record<string, Spec>) {
  const started: string[] = [];
  const release = new Map<string, () => void>();
  const scheduler = new Scheduler(
    (item): Limits => {
      const spec = specs[item.runId]!;
      return {
        buckets: [{ id: "engine:calls", limit: calls }],
        ...(spec.queue && { queue: { fn: spec.fn, id: `${spec.fn}\n${spec.queue}` } }),
      };
    },
    (item) =>
      new Promise<void>((resolve) => {
        started.push(item.runId);
        release.set(item.runId, resolve);
      }),
  );
  const enqueue = (runId: string, sortKey: number) =>
    scheduler.enqueue({ runId, kind: "discovery", attempt: 0, depth: specs[runId]!.depth, sortKey });
  const settle = () => new Promise((r) => setTimeout(r, 10));
  return { scheduler, started, release, enqueue, settle };
}

describe("Scheduler key queues", () => {
  it("starts another key queue's item in place of one, not in place of another function's", async () => {
    const h = harness(2, {
      a0: { fn: "leaf", queue: "A", depth: 2 },
      a1: { fn: "leaf", queue: "A", depth: 2 },
      g1: { fn: "other", depth: 2 },
      b1: { fn: "leaf", queue: "B", depth: 1 },
    });
    h.enqueue("a0", 0);
    await h.settle();
    expect(h.started).toEqual(["a0"]);
    h.release.get("a0")!();
    await h.settle();
    // Queued in this order: a1, g1 (deeper) and b1. Queue A started last, so b1 takes a1's place;
    // g1 keeps its own.
    h.enqueue("a1", 1);
    h.enqueue("g1", 2);
    h.enqueue("b1", 3);
    await h.settle();
    expect(h.started).toEqual(["a0", "b1", "g1"]);
    h.release.get("b1")!();
    await h.settle();
    expect(h.started).toEqual(["a0", "b1", "g1", "a1"]);
    h.scheduler.close();
  });

  it("alternates between queues under a limit of one, however long the first queue's backlog", async () => {
    const specs: Record<string, Spec> = {};
    for (const id of ["a1", "a2", "a3", "a4"]) specs[id] = { fn: "leaf", queue: "A", depth: 1 };
    for (const id of ["b1", "b2"]) specs[id] = { fn: "leaf", queue: "B", depth: 1 };
    const h = harness(1, specs);
    ["a1", "a2", "a3", "a4", "b1", "b2"].forEach((id, i) => h.enqueue(id, i));
    for (let i = 0; i < 6; i++) {
      await h.settle();
      h.release.get(h.started.at(-1)!)!();
    }
    expect(h.started).toEqual(["a1", "b1", "a2", "b2", "a3", "a4"]);
    h.scheduler.close();
  });
});
