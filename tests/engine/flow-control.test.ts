import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  engineFor,
  Gauge,
  listRuns,
  makeClient,
  runsFinished,
  serveApp,
  sleep,
  until,
  type App,
} from "./helpers";

describe("engine: concurrency, throttle, priority", () => {
  let engine: Awaited<ReturnType<typeof engineFor>>;
  let app: App;
  let client: ReturnType<typeof makeClient>;
  const gauge = new Gauge();
  const marks: { run: string; step: string; at: number }[] = [];
  const order: string[] = [];
  let releaseGate: () => void = () => {};
  const gate = new Promise<void>((r) => (releaseGate = r));
  const fairOrder: string[] = [];
  let releaseFairGate: () => void = () => {};
  const fairGate = new Promise<void>((r) => (releaseFairGate = r));

  beforeAll(async () => {
    engine = await engineFor("flow");
    client = makeClient("fc", engine.url);
    const unkeyed = client.createFunction(
      { id: "unkeyed", triggers: { event: "fc/unkeyed" }, concurrency: { limit: 3 } },
      async ({ step }) => {
        await Promise.all(
          [0, 1].map((i) => step.run(`work-${i}`, () => gauge.track("unkeyed", () => sleep(40)))),
        );
      },
    );
    const keyed = client.createFunction(
      { id: "keyed", triggers: { event: "fc/keyed" }, concurrency: { limit: 2, key: "event.data.provider" } },
      async ({ event, step }) => {
        const p = (event.data as { provider: string }).provider;
        await step.run("call", () =>
          gauge.track(`keyed:${p}`, () => gauge.track("keyed:all", () => sleep(60))),
        );
      },
    );
    const sleepy = client.createFunction(
      { id: "sleepy", triggers: { event: "fc/sleepy" }, concurrency: 1 },
      async ({ runId, step }) => {
        await step.run("a", () => marks.push({ run: runId, step: "a", at: Date.now() }));
        await step.sleep("nap", "1s");
        await step.run("b", () => marks.push({ run: runId, step: "b", at: Date.now() }));
      },
    );
    const throttled = client.createFunction(
      { id: "throttled", triggers: { event: "fc/throttled" }, throttle: { limit: 2, period: "1s" } },
      async ({ step }) => step.run("t", () => Date.now()),
    );
    const prio = client.createFunction(
      { id: "prio", triggers: { event: "fc/prio" }, concurrency: 1, priority: { run: "event.data.prio" } },
      async ({ event, step }) => {
        const d = event.data as { label: string; block?: boolean };
        await step.run("go", async () => {
          if (d.block) await gate;
          order.push(d.label);
        });
      },
    );
    // One call at a time in all, and a key queue per batch (as the app's image leaves have).
    const fair = client.createFunction(
      {
        id: "fair",
        triggers: { event: "fc/fair" },
        concurrency: [{ limit: 1 }, { limit: 1, key: "event.data.batch" }],
      },
      async ({ event, step }) => {
        const d = event.data as { label: string; block?: boolean };
        await step.run("go", async () => {
          if (d.block) await fairGate;
          fairOrder.push(d.label);
        });
        await step.run("after", () => d.label);
      },
    );
    app = await serveApp(client, [unkeyed, keyed, sleepy, throttled, prio, fair]);
    await engine.syncApp(app.url);
  });
  afterAll(async () => {
    await app?.close();
    await engine?.cleanup();
  });

  it("never exceeds an unkeyed concurrency limit (steps in flight)", async () => {
    await client.send(Array.from({ length: 12 }, () => ({ name: "fc/unkeyed", data: {} })));
    const runs = await runsFinished(engine.url, "fc-unkeyed", 12);
    expect(runs.every((r) => r.status === "Completed")).toBe(true);
    expect(gauge.max.get("unkeyed")).toBe(3);
  });

  it("applies a keyed limit per key", async () => {
    const providers = ["openai", "google", "local"];
    await client.send(
      Array.from({ length: 18 }, (_, i) => ({ name: "fc/keyed", data: { provider: providers[i % 3] } })),
    );
    const runs = await runsFinished(engine.url, "fc-keyed", 18);
    expect(runs.every((r) => r.status === "Completed")).toBe(true);
    for (const p of providers) expect(gauge.max.get(`keyed:${p}`)).toBe(2);
    expect(gauge.max.get("keyed:all")).toBeGreaterThan(2);
  });

  it("does not count sleeping runs against the limit", async () => {
    await client.send(Array.from({ length: 3 }, () => ({ name: "fc/sleepy", data: {} })));
    await runsFinished(engine.url, "fc-sleepy", 3);
    const as = marks.filter((m) => m.step === "a").map((m) => m.at);
    const bs = marks.filter((m) => m.step === "b").map((m) => m.at);
    expect(as).toHaveLength(3);
    expect(Math.max(...as)).toBeLessThan(Math.min(...bs));
  });

  it("throttles run starts", async () => {
    await client.send(Array.from({ length: 4 }, () => ({ name: "fc/throttled", data: {} })));
    const runs = await runsFinished(engine.url, "fc-throttled", 4);
    const starts = runs.map((r) => r.output as number).sort((a, b) => a - b);
    expect((starts[2] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("orders queued work by priority", async () => {
    await client.send({ name: "fc/prio", data: { label: "blocker", block: true, prio: 0 } });
    await until("blocker running", async () => {
      const r = await listRuns(engine.url, { function_id: "fc-prio" });
      return r.length === 1 ? r : undefined;
    });
    await sleep(150);
    await client.send({ name: "fc/prio", data: { label: "low-1", prio: 0 } });
    await sleep(20);
    await client.send({ name: "fc/prio", data: { label: "low-2", prio: 0 } });
    await sleep(20);
    await client.send({ name: "fc/prio", data: { label: "high", prio: 120 } });
    await sleep(100);
    releaseGate();
    await runsFinished(engine.url, "fc-prio", 4);
    expect(order).toEqual(["blocker", "high", "low-1", "low-2"]);
  });

  it("lets key queues take turns: a later key's work does not wait for an earlier key's backlog", async () => {
    await client.send({ name: "fc/fair", data: { label: "x", batch: "x", block: true } });
    await until("blocker running", async () => {
      const r = await listRuns(engine.url, { function_id: "fc-fair" });
      return r.length === 1 ? r : undefined;
    });
    await sleep(150);
    for (const label of ["a1", "a2", "a3", "a4", "b1", "b2"]) {
      await client.send({ name: "fc/fair", data: { label, batch: label[0] } });
      await sleep(20);
    }
    await until("all seven runs queued", async () => {
      const r = await listRuns(engine.url, { function_id: "fc-fair" });
      return r.length === 7 ? r : undefined;
    });
    releaseFairGate();
    const runs = await runsFinished(engine.url, "fc-fair", 7);
    expect(runs.every((r) => r.status === "Completed")).toBe(true);
    expect(fairOrder).toEqual(["x", "a1", "b1", "a2", "b2", "a3", "a4"]);
  });
});
