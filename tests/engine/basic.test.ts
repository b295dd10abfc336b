import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine } from "@/engine/server";
import { engineFor, makeClient, runsFinished, serveApp, getRun, tempDir, type App } from "./helpers";

describe("engine: sequential and parallel steps", () => {
  let engine: Awaited<ReturnType<typeof engineFor>>;
  let app: App;
  beforeAll(async () => {
    engine = await engineFor("basic");
    const client = makeClient("basic", engine.url);
    const seq = client.createFunction(
      { id: "seq", triggers: { event: "basic/seq" } },
      async ({ event, step }) => {
        const a = await step.run("a", () => (event.data as { n: number }).n + 1);
        const b = await step.run("b", () => a * 2);
        const c = await step.run("c", () => b + 3);
        return { a, b, c };
      },
    );
    const par = client.createFunction({ id: "par", triggers: { event: "basic/par" } }, async ({ step }) => {
      const xs = await Promise.all(Array.from({ length: 100 }, (_, i) => step.run(`p${i}`, () => i * i)));
      const total = await step.run("sum", () => xs.reduce((s, x) => s + x, 0));
      return { total, n: xs.length };
    });
    app = await serveApp(client, [seq, par]);
    await engine.syncApp(app.url);
    await client.send([
      { name: "basic/seq", data: { n: 1 } },
      { name: "basic/par", data: {} },
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await engine?.cleanup();
  });

  it("runs sequential steps with memoized state", async () => {
    const [run] = await runsFinished(engine.url, "basic-seq", 1);
    expect(run?.status).toBe("Completed");
    expect(run?.output).toEqual({ a: 2, b: 4, c: 7 });
    const full = await getRun(engine.url, run?.id ?? "");
    expect(full.steps?.map((s) => s.id)).toEqual(["a", "b", "c"]);
    expect(full.steps?.every((s) => s.status === "Completed" && s.attempts.length === 1)).toBe(true);
  });

  it("runs 100 parallel steps", async () => {
    const [run] = await runsFinished(engine.url, "basic-par", 1);
    expect(run?.status).toBe("Completed");
    expect(run?.output).toEqual({ total: 328350, n: 100 });
    const full = await getRun(engine.url, run?.id ?? "");
    expect(full.steps?.length).toBe(101);
  });
});

describe("engine: events sent before the first sync", () => {
  it("start their runs once the app has synced (a fresh data folder while the app starts)", async () => {
    const engine = await engineFor("early");
    const client = makeClient("early", engine.url);
    const fn = client.createFunction(
      { id: "greet", triggers: { event: "early/hello" } },
      async ({ event }) => ({
        hello: (event.data as { name: string }).name,
      }),
    );
    const app = await serveApp(client, [fn]);
    try {
      // Sent while no app has synced: accepted, and nothing can run yet.
      await client.send([
        { name: "early/hello", data: { name: "first" } },
        { name: "early/hello", data: { name: "second" } },
      ]);
      await engine.syncApp(app.url);
      const runs = await runsFinished(engine.url, "early-greet", 2);
      expect(
        runs.map((r) => r.output).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      ).toEqual([{ hello: "first" }, { hello: "second" }]);
      // Later events start one run each, as always (the held ones are not started again).
      await client.send({ name: "early/hello", data: { name: "third" } });
      expect(await runsFinished(engine.url, "early-greet", 3)).toHaveLength(3);
    } finally {
      await app.close();
      await engine.cleanup();
    }
  });

  it("are kept across a restart before that sync, and start their runs once, also after another restart", async () => {
    const data = tempDir("early-restart");
    const open = (port = 0) => startEngine({ port, dataDir: data.dir, retryBaseMs: 20, log: false });
    let engine = await open();
    const port = Number(new URL(engine.url).port);
    const client = makeClient("early-restart", engine.url);
    const fn = client.createFunction(
      { id: "greet", triggers: { event: "early/again" } },
      async ({ event }) => ({
        hello: (event.data as { name: string }).name,
      }),
    );
    const app = await serveApp(client, [fn]);
    try {
      await client.send({ name: "early/again", data: { name: "kept" } });
      await engine.close();
      engine = await open(port);
      await engine.syncApp(app.url);
      const [run] = await runsFinished(engine.url, "early-restart-greet", 1);
      expect(run?.output).toEqual({ hello: "kept" });
      // Released with its run: a restart (no new sync needed) starts nothing again.
      await engine.close();
      engine = await open(port);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await runsFinished(engine.url, "early-restart-greet", 1)).toHaveLength(1);
    } finally {
      await app.close();
      await engine.close();
      data.cleanup();
    }
  });
});
