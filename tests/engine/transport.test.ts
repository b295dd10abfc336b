import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineFor, getRun, makeClient, runsFinished, serveApp, sleep, until, type App } from "./helpers";
import http from "node:http";
import type { InngestFunction } from "inngest";
import { serve } from "inngest/node";

describe("engine: app unreachable or restarting", () => {
  let engine: Awaited<ReturnType<typeof engineFor>>;
  let app: App | undefined;
  let client: ReturnType<typeof makeClient>;
  let fns: InngestFunction.Any[] = [];
  let port = 0;
  const lines: string[] = [];
  const effects = new Map<string, number>();
  let stepStarted = 0;

  beforeAll(async () => {
    engine = await engineFor("transport", { log: (l) => lines.push(l) });
    client = makeClient("tr", engine.url);
    // retries: 0 — a transport failure that burned an attempt would fail these runs.
    const job = client.createFunction(
      { id: "job", triggers: { event: "tr/job" }, retries: 0 },
      async ({ runId, step }) => {
        await step.run("one", () => effects.set(`${runId}:one`, (effects.get(`${runId}:one`) ?? 0) + 1));
        await step.run("two", async () => {
          stepStarted++;
          await sleep(300);
          effects.set(`${runId}:two`, (effects.get(`${runId}:two`) ?? 0) + 1);
        });
        return "ok";
      },
    );
    fns = [job];
    app = await serveApp(client, fns);
    port = Number(new URL(app.url).port);
    await engine.syncApp(app.url);
  });
  afterAll(async () => {
    await app?.close();
    await engine?.cleanup();
  });

  it("keeps retrying calls while the app is down without burning attempts", async () => {
    await app?.close();
    await client.send(Array.from({ length: 10 }, (_, i) => ({ name: "tr/job", data: { i } })));
    await sleep(1500);
    app = await serveApp(client, fns, port);
    const runs = await runsFinished(engine.url, "tr-job", 10, 30_000);
    expect(runs.every((r) => r.status === "Completed")).toBe(true);
    for (const r of runs) {
      const full = await getRun(engine.url, r.id);
      expect(full.steps?.every((s) => s.attempts.length === 1)).toBe(true);
      expect(effects.get(`${r.id}:one`)).toBe(1);
    }
    expect(lines.some((l) => /unreachable \(ECONNREFUSED/.test(l))).toBe(true);
    expect(lines.some((l) => /reachable again/.test(l))).toBe(true);
  });

  it("survives the app being killed mid-step (the interrupted step re-runs, earlier ones do not)", async () => {
    const before = stepStarted;
    const { ids } = await client.send({ name: "tr/job", data: { restart: true } });
    await until("step two running", () => (stepStarted > before ? true : undefined), 10_000, 5);
    await app?.close();
    await sleep(800);
    app = await serveApp(client, fns, port);
    const run = await until("restarted run done", async () => {
      const r = (await runsFinished(engine.url, "tr-job", 11, 30_000)).find((x) => x.event.id === ids[0]);
      return r?.status === "Completed" ? r : undefined;
    });
    expect(run.output).toBe("ok");
    expect(effects.get(`${run.id}:one`)).toBe(1);
    expect(effects.get(`${run.id}:two`)).toBeGreaterThanOrEqual(1);
  });

  it("waits while the app answers without the SDK (route still compiling, proxy 502)", async () => {
    const notReady = makeClient("tr2", engine.url);
    const fn = notReady.createFunction(
      { id: "nr", triggers: { event: "tr2/e" }, retries: 0 },
      async ({ step }) => step.run("s", () => "ready"),
    );
    const handler = serve({ client: notReady, functions: [fn] });
    let ready = false;
    const server = http.createServer((req, res) => {
      if (ready || req.method === "PUT") return void handler(req, res);
      res.writeHead(503, { "content-type": "text/html" });
      res.end("<h1>compiling…</h1>");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const addr = server.address();
    await engine.syncApp(`http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/api/inngest`);
    await notReady.send({ name: "tr2/e", data: {} });
    await sleep(1200);
    ready = true;
    const [run] = await runsFinished(engine.url, "tr2-nr", 1, 20_000);
    expect(run?.status).toBe("Completed");
    expect(run?.output).toBe("ready");
    expect(lines.some((l) => /HTTP 503 not from the Inngest SDK/.test(l))).toBe(true);
    server.closeAllConnections();
    server.close();
  });
});

describe("engine: an app that starts after the engine", () => {
  it("is synced soon after it comes up, not a whole sync interval later", async () => {
    const { freePort } = await import("../helpers/ports");
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}/api/inngest`;
    // A 60 s interval: only the quick retries of a failing first sync can list the app in time.
    const engine = await engineFor("late-app", { appUrls: [appUrl], syncIntervalMs: 60_000 });
    let app: App | undefined;
    try {
      await sleep(600); // the engine's first sync attempts fail: nothing listens yet
      const client = makeClient("late", engine.url);
      const fn = client.createFunction({ id: "f", triggers: { event: "late/e" } }, async () => "ok");
      app = await serveApp(client, [fn], port);
      const synced = await until(
        "the late app's functions",
        async () => {
          const health = (await (await fetch(`${engine.url}/health`)).json()) as {
            apps: { url: string; functions: string[] }[];
          };
          return health.apps.find((a) => a.url === appUrl)?.functions;
        },
        10_000,
      );
      expect(synced).toEqual(["late-f"]);
      await client.send({ name: "late/e", data: {} });
      const [run] = await runsFinished(engine.url, "late-f", 1);
      expect(run?.output).toBe("ok");
    } finally {
      await app?.close();
      await engine.cleanup();
    }
  });
});
