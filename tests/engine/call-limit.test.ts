import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine } from "@/engine/server";
import { engineFor, Gauge, makeClient, runsFinished, serveApp, sleep, type App } from "./helpers";

// ENGINE_MAX_CALLS: calls to apps executing at once across every run and function (an Inngest plan's
// concurrent steps). Queued work then goes deepest first: an invoked run before its parent's siblings.
describe("engine: limit on calls in flight, deepest runs first", () => {
  let engine: Awaited<ReturnType<typeof engineFor>>;
  let app: App;
  const gauge = new Gauge();
  const calls: string[] = [];

  beforeAll(async () => {
    engine = await engineFor("calls", { maxCalls: 1 });
    const client = makeClient("calls", engine.url);
    const busy = (id: string) =>
      client.createFunction({ id, triggers: { event: `calls/${id}` } }, async ({ step }) => {
        await step.run("work", () => gauge.track("all", () => sleep(30)));
      });
    const child = client.createFunction(
      { id: "child", triggers: { event: "calls/child" } },
      async ({ event, step }) => {
        calls.push(`child-${String(event.data.n)}`);
        return step.run("square", () => Number(event.data.n) ** 2);
      },
    );
    const top = client.createFunction(
      { id: "top", triggers: { event: "calls/top" } },
      async ({ event, step }) => {
        calls.push(`top-${String(event.data.n)}`);
        return step.invoke("child", { function: child, data: { n: event.data.n } });
      },
    );
    app = await serveApp(client, [busy("a"), busy("b"), child, top]);
    await engine.syncApp(app.url);
  });

  afterAll(async () => {
    await app?.close();
    await engine?.cleanup();
  });

  const send = (events: { name: string; data: Record<string, unknown> }[]) =>
    fetch(`${engine.url}/e/key`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(events),
    });

  it("never has more calls out than the limit, across functions", async () => {
    await send(Array.from({ length: 8 }, (_, i) => ({ name: i % 2 ? "calls/a" : "calls/b", data: { i } })));
    await runsFinished(engine.url, "calls-a", 4);
    await runsFinished(engine.url, "calls-b", 4);
    expect(gauge.max.get("all")).toBe(1);
  });

  it("runs an invoked child before starting the next top-level run", async () => {
    await send([1, 2, 3].map((n) => ({ name: "calls/top", data: { n } })));
    const done = await runsFinished(engine.url, "calls-top", 3);
    expect(done.map((r) => r.output).sort()).toEqual([1, 4, 9]);
    // Each top's first call invokes its child; the child (deeper) goes before the next top starts.
    expect(calls.indexOf("child-1")).toBeLessThan(calls.indexOf("top-2"));
    expect(calls.indexOf("child-2")).toBeLessThan(calls.indexOf("top-3"));
  });

  it("refuses a negative or fractional limit", async () => {
    await expect(startEngine({ port: 0, maxCalls: -1, log: false })).rejects.toThrow(/maxCalls/);
    await expect(startEngine({ port: 0, maxCalls: 1.5, log: false })).rejects.toThrow(/maxCalls/);
  });
});
