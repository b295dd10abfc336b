import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineFor, getRun, makeClient, runsFinished, serveApp, sleep, until, type App } from "./helpers";
import type { InngestFunction } from "inngest";

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
});
