import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, listRuns, makeClient, serveApp, tempDir, until, type App } from "./helpers";

const ROOT = path.resolve(import.meta.dirname, "../..");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

/** The engine as a separate OS process, so kill -9 is a real crash. */
function spawnEngine(port: number, dataDir: string, appUrl: string, output: string[]): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "engine/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ENGINE_PORT: String(port),
      ENGINE_DATA_DIR: dataDir,
      ENGINE_APP_URLS: appUrl,
      ENGINE_RETRY_BASE_MS: "50",
      ENGINE_SYNC_INTERVAL_MS: "2000",
      // Small, so snapshots and segment switches happen (and get crashed into) during the test.
      ENGINE_JOURNAL_MAX_BYTES: "16384",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => output.push(d.toString()));
  return child;
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}

describe("engine: crash and resume (kill -9 of the engine process)", () => {
  const effects = new Map<string, number>();
  const effect = (runId: string, step: string) =>
    effects.set(`${runId}:${step}`, (effects.get(`${runId}:${step}`) ?? 0) + 1);
  const count = (step: string) =>
    [...effects].filter(([k]) => k.endsWith(`:${step}`)).reduce((s, [, n]) => s + n, 0);
  let port = 0;
  let engineUrl = "";
  let app: App;
  let engine: ChildProcess | undefined;
  const output: string[] = [];
  const data = tempDir("crash");
  let openGate: () => void = () => {};
  const gate = new Promise<void>((r) => (openGate = r));

  beforeAll(async () => {
    port = await freePort();
    engineUrl = `http://127.0.0.1:${port}`;
    const client = makeClient("crash", engineUrl);
    const staged = client.createFunction(
      { id: "staged", triggers: { event: "crash/staged" } },
      async ({ runId, step }) => {
        await step.run("s1", () => effect(runId, "s1"));
        await step.run("s2", () => effect(runId, "s2"));
        await step.sleep("between", "2s");
        await step.run("s3", () => effect(runId, "s3"));
        await step.run("s4", () => effect(runId, "s4"));
        return "done";
      },
    );
    const late = client.createFunction(
      { id: "late", triggers: { event: "crash/late" } },
      async ({ runId, step }) => {
        await step.sleep("first", "1s");
        await step.run("l1", () => effect(runId, "l1"));
        return "late-done";
      },
    );
    const inflight = client.createFunction(
      { id: "inflight", triggers: { event: "crash/inflight" } },
      async ({ runId, step }) => {
        await step.run("i1", () => effect(runId, "i1"));
        await step.run("i2", async () => {
          effect(runId, "i2");
          await gate;
        });
        await step.run("i3", () => effect(runId, "i3"));
        return "inflight-done";
      },
    );
    app = await serveApp(client, [staged, late, inflight]);
  });

  afterAll(async () => {
    if (engine && engine.exitCode === null) await kill9(engine);
    await app?.close();
    data.cleanup();
  });

  async function boot(): Promise<void> {
    engine = spawnEngine(port, data.dir, app.url, output);
    await until(
      "engine up with app synced",
      async () => {
        const h = await getJson<{ apps: { functions: string[] }[] }>(`${engineUrl}/health`);
        return h.apps.some((a) => a.functions.includes("crash-staged")) ? h : undefined;
      },
      30_000,
      50,
    );
  }

  async function send(events: { name: string; data: Record<string, unknown> }[]): Promise<string[]> {
    const res = await fetch(`${engineUrl}/e/key`, { method: "POST", body: JSON.stringify(events) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { ids: string[] }).ids;
  }

  it("resumes runs killed between steps: every completed step ran exactly once, no event lost", async () => {
    await boot();
    await send(Array.from({ length: 20 }, (_, i) => ({ name: "crash/staged", data: { i } })));
    // Kill when every run has persisted s1+s2 and is asleep before s3: a well-defined partway point.
    await until(
      "20 runs asleep after s2",
      async () => {
        const runs = await listRuns(engineUrl, { function_id: "crash-staged", include: "steps" });
        return runs.length === 20 &&
          runs.every((r) => r.steps?.some((s) => s.id === "between" && s.status === "Sleeping"))
          ? runs
          : undefined;
      },
      30_000,
      20,
    );
    // Events acknowledged just before the crash must survive it too.
    const lateIds = await send(Array.from({ length: 10 }, (_, i) => ({ name: "crash/late", data: { i } })));
    expect(lateIds).toHaveLength(10);
    await kill9(engine as ChildProcess);
    expect([count("s1"), count("s2"), count("s3"), count("s4"), count("l1")]).toEqual([20, 20, 0, 0, 0]);

    await boot();
    const done = await until(
      "all runs completed after restart",
      async () => {
        const a = await listRuns(engineUrl, { function_id: "crash-staged" });
        const b = await listRuns(engineUrl, { function_id: "crash-late" });
        return a.length === 20 && b.length === 10 && [...a, ...b].every((r) => r.status === "Completed")
          ? [...a, ...b]
          : undefined;
      },
      30_000,
    );
    expect(done).toHaveLength(30);
    for (const r of done.filter((x) => x.function_id === "crash-staged")) {
      for (const s of ["s1", "s2", "s3", "s4"]) expect(effects.get(`${r.id}:${s}`), `${r.id} ${s}`).toBe(1);
    }
    for (const r of done.filter((x) => x.function_id === "crash-late"))
      expect(effects.get(`${r.id}:l1`)).toBe(1);
  }, 90_000);

  it("completes a run whose step was in flight at the kill (that step runs at least once)", async () => {
    const [eventId] = await send([{ name: "crash/inflight", data: {} }]);
    await until("i2 started", () => (count("i2") >= 1 ? true : undefined), 20_000, 10);
    await kill9(engine as ChildProcess);
    openGate();
    await boot();
    const [run] = await until(
      "inflight run completed",
      async () => {
        const r = await listRuns(engineUrl, { function_id: "crash-inflight", event_id: eventId ?? "" });
        return r.length === 1 && r[0]?.status === "Completed" ? r : undefined;
      },
      30_000,
    );
    expect(run?.output).toBe("inflight-done");
    expect(effects.get(`${run?.id}:i1`)).toBe(1);
    expect(effects.get(`${run?.id}:i2`)).toBeGreaterThanOrEqual(1);
    expect(effects.get(`${run?.id}:i3`)).toBe(1);
  }, 60_000);
});
