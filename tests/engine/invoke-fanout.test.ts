import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NonRetriableError } from "inngest";
import { engineFor, makeClient, runsFinished, serveApp, listRuns, until, type App } from "./helpers";

describe("engine: invoke, sendEvent fan-out, wildcard triggers, idempotency", () => {
  let engine: Awaited<ReturnType<typeof engineFor>>;
  let app: App;
  let client: ReturnType<typeof makeClient>;
  const wildcardSeen: string[] = [];
  const bodyRuns = { all: 0, race: 0 };

  beforeAll(async () => {
    engine = await engineFor("invoke");
    client = makeClient("inv", engine.url);
    const leaf = client.createFunction(
      { id: "leaf", triggers: { event: "inv/leaf" } },
      async ({ event, step }) => {
        const d = event.data as { x: number; fail?: boolean; slow?: boolean };
        if (d.fail) throw new NonRetriableError(`leaf refused ${d.x}`);
        if (d.slow) await step.sleep("wait", "3s");
        return step.run("square", () => d.x * d.x);
      },
    );
    const mid = client.createFunction(
      { id: "mid", triggers: { event: "inv/mid" } },
      async ({ event, step }) => {
        const d = event.data as { x: number };
        const a = await step.invoke("leaf-a", { function: leaf, data: { x: d.x } });
        const b = await step.invoke("leaf-b", { function: leaf, data: { x: d.x + 1 } });
        return a + b;
      },
    );
    const top = client.createFunction({ id: "top", triggers: { event: "inv/top" } }, async ({ step }) => {
      const sums = await Promise.all(
        [1, 2, 3].map((x) => step.invoke(`mid-${x}`, { function: mid, data: { x } })),
      );
      let caught = "";
      try {
        await step.invoke("bad-leaf", { function: leaf, data: { x: 9, fail: true } });
      } catch (err) {
        caught = (err as Error).message;
      }
      let timedOut = "";
      try {
        await step.invoke("slow-leaf", { function: leaf, data: { x: 1, slow: true }, timeout: "1s" });
      } catch (err) {
        timedOut = (err as Error).name + ": " + (err as Error).message;
      }
      return { sums, caught, timedOut };
    });
    const fanout = client.createFunction(
      { id: "fanout", triggers: { event: "inv/fanout" } },
      async ({ step }) => {
        const ids = await step.sendEvent(
          "send-200",
          Array.from({ length: 200 }, (_, i) => ({ name: "inv/item.created", data: { i } })),
        );
        return ids.ids.length;
      },
    );
    const item = client.createFunction(
      { id: "item", triggers: { event: "inv/item.created" } },
      async ({ event, step }) => {
        return step.run("double", () => (event.data as { i: number }).i * 2);
      },
    );
    const wild = client.createFunction({ id: "wild", triggers: { event: "wild/*" } }, async ({ event }) => {
      wildcardSeen.push(String(event.name));
      return event.name;
    });
    const napper = client.createFunction(
      { id: "napper", triggers: { event: "inv/napper" } },
      async ({ event, step }) => {
        const d = event.data as { ms: number };
        await step.sleep("nap", `${d.ms}ms`);
        return d.ms;
      },
    );
    const all = client.createFunction({ id: "all", triggers: { event: "inv/all" } }, async ({ step }) => {
      bodyRuns.all++;
      return Promise.all(
        [1500, 1000, 1200, 1100, 1300].map((ms, i) =>
          step.invoke(`nap-${i}`, { function: napper, data: { ms } }),
        ),
      );
    });
    const race = client.createFunction(
      { id: "race", triggers: { event: "inv/race" } },
      async ({ step, group }) => {
        bodyRuns.race++;
        return group.parallel(() =>
          Promise.race([
            step.invoke("fast", { function: napper, data: { ms: 1000 } }),
            step.invoke("slow", { function: napper, data: { ms: 3000 } }),
          ]),
        );
      },
    );
    app = await serveApp(client, [leaf, mid, top, fanout, item, wild, napper, all, race]);
    await engine.syncApp(app.url);
  });
  afterAll(async () => {
    await app?.close();
    await engine?.cleanup();
  });

  it("nests step.invoke three levels deep, feeding back results, errors and timeouts", async () => {
    await client.send({ name: "inv/top", data: {} });
    const [run] = await runsFinished(engine.url, "inv-top", 1, 30_000);
    expect(run?.status).toBe("Completed");
    // mid(x) = x^2 + (x+1)^2
    expect(run?.output).toEqual({
      sums: [5, 13, 25],
      caught: "leaf refused 9",
      timedOut: "InngestInvokeTimeoutError: Timed out waiting for invoked function to complete",
    });
    const mids = await listRuns(engine.url, { function_id: "inv-mid" });
    expect(mids).toHaveLength(3);
    expect(
      mids.every((m) => m.parent_run_id === run?.id && m.event.name === "inngest/function.invoked"),
    ).toBe(true);
    const leaves = await listRuns(engine.url, { function_id: "inv-leaf" });
    expect(leaves.filter((l) => mids.some((m) => m.id === l.parent_run_id))).toHaveLength(6);
  });

  it("resumes a Promise.all of invokes once, when the last child finishes", async () => {
    await client.send({ name: "inv/all", data: {} });
    const [run] = await runsFinished(engine.url, "inv-all", 1, 30_000);
    expect(run?.output).toEqual([1500, 1000, 1200, 1100, 1300]);
    // First call reports the five invokes; the next one finds every result. Not one call per child.
    expect(bodyRuns.all).toBe(2);
  });

  it("calls a race-mode group again as soon as its first op resolves", async () => {
    await client.send({ name: "inv/race", data: {} });
    const [run] = await runsFinished(engine.url, "inv-race", 1, 30_000);
    expect(run?.output).toBe(1000);
    // Initial call, one when "fast" resolves, one when "slow" does (the SDK still reports the loser).
    expect(bodyRuns.race).toBe(3);
  });

  it("fans out step.sendEvent to 200 runs", async () => {
    await client.send({ name: "inv/fanout", data: {} });
    const [f] = await runsFinished(engine.url, "inv-fanout", 1);
    expect(f?.output).toBe(200);
    const items = await runsFinished(engine.url, "inv-item", 200, 60_000);
    expect(items.every((r) => r.status === "Completed")).toBe(true);
    const outputs = items.map((r) => r.output as number).sort((a, b) => a - b);
    expect(outputs).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
  });

  it("matches wildcard triggers by prefix", async () => {
    await client.send([
      { name: "wild/one", data: {} },
      { name: "wild/two.sub", data: {} },
      { name: "wilder/no", data: {} },
    ]);
    const runs = await runsFinished(engine.url, "inv-wild", 2);
    expect(runs.map((r) => r.output).sort()).toEqual(["wild/one", "wild/two.sub"]);
    expect(wildcardSeen.sort()).toEqual(["wild/one", "wild/two.sub"]);
  });

  it("is idempotent on a caller-supplied event id", async () => {
    const first = await client.send({ id: "dedupe-1", name: "inv/item.created", data: { i: 1000 } });
    const again = await client.send({ id: "dedupe-1", name: "inv/item.created", data: { i: 1000 } });
    expect(first.ids).toEqual(["dedupe-1"]);
    expect(again.ids).toEqual(["dedupe-1"]);
    await until("dedupe run", async () => {
      const runs = await listRuns(engine.url, { function_id: "inv-item", event_id: "dedupe-1" });
      return runs.length === 1 && runs[0]?.status === "Completed" ? runs : undefined;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(await listRuns(engine.url, { function_id: "inv-item", event_id: "dedupe-1" })).toHaveLength(1);
  });

  it("treats a retried POST with the same x-inngest-event-id-seed as the same events", async () => {
    const post = async () => {
      const res = await fetch(`${engine.url}/e/key`, {
        method: "POST",
        headers: { "x-inngest-event-id-seed": "1790000000000,c2VlZC1lbnRyb3B5" },
        body: JSON.stringify([{ name: "inv/item.created", data: { i: 2000 } }]),
      });
      return ((await res.json()) as { ids: string[] }).ids;
    };
    const a = await post();
    const b = await post();
    expect(a).toEqual(b);
    await until("seeded run", async () => {
      const runs = await listRuns(engine.url, { function_id: "inv-item", event_id: a[0] ?? "" });
      return runs[0]?.status === "Completed" ? runs : undefined;
    });
    expect(await listRuns(engine.url, { function_id: "inv-item", event_id: a[0] ?? "" })).toHaveLength(1);
  });

  it("answers bad event payloads with 400 and a field message", async () => {
    const res = await fetch(`${engine.url}/e/key`, { method: "POST", body: JSON.stringify([{ data: {} }]) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/events\[0\]\.name/);
  });
});
