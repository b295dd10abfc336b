/**
 * `npm run bench:engine`: throughput, dispatch latency and fan-out wall-clock of the local engine,
 * against the targets. The engine runs as its own process (as in production); the app is
 * served by the official SDK in this process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Inngest } from "inngest";
import { serve } from "inngest/node";

const ROOT = path.resolve(import.meta.dirname, "..");
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** Greedy list scheduling on `m` identical slots in list order: the makespan a perfect dispatcher reaches. */
function listSchedule(durations: number[], m: number): number {
  const free = Array.from({ length: m }, () => 0);
  for (const d of durations) {
    const i = free.indexOf(Math.min(...free));
    free[i] = (free[i] ?? 0) + d;
  }
  return Math.max(...free);
}

/** utime+stime of a process from /proc, in ms (Linux); NaN elsewhere. */
function engineCpuMs(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

async function main(): Promise<void> {
  const seed = Number(process.env.BENCH_SEED ?? 42);
  const rand = mulberry32(seed);
  const port = await freePort();
  const engineUrl = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-engine-"));
  const client = new Inngest({
    id: "bench",
    isDev: true,
    baseUrl: engineUrl,
    logger: quiet,
    internalLogger: quiet,
  });

  // 1) 200 runs × 5 no-op steps
  const stepStart = new Map<string, number>();
  const stepEnd = new Map<string, number>();
  const returned = new Map<string, number>();
  const noop = client.createFunction(
    { id: "noop5", triggers: { event: "bench/noop" } },
    async ({ runId, step }) => {
      for (let i = 0; i < 5; i++) {
        await step.run(`s${i}`, () => {
          stepStart.set(`${runId}:${i}`, performance.now());
          stepEnd.set(`${runId}:${i}`, performance.now());
        });
      }
      returned.set(runId, performance.now());
    },
  );

  // 2) and 3) two-level fan-out with leaves that take 400–2500 ms
  const leafDone = new Map<string, number>();
  const makeLeaf = (id: string, capped: boolean) =>
    client.createFunction(
      { id, triggers: { event: `bench/${id}` }, ...(capped ? { concurrency: { limit: 10 } } : {}) },
      async ({ event, step }) => {
        const d = event.data as { ms: number; key: string };
        await step.run("render", () => sleep(d.ms));
        leafDone.set(d.key, performance.now());
        return d.ms;
      },
    );
  const leafFree = makeLeaf("leaf-free", false);
  const leafCapped = makeLeaf("leaf-capped", true);
  const makePrompt = (id: string, leaf: typeof leafFree) =>
    client.createFunction({ id, triggers: { event: `bench/${id}` } }, async ({ event, step }) => {
      const d = event.data as { p: number; ms: number[]; tag: string };
      return Promise.all(
        d.ms.map((ms, m) =>
          step.invoke(`model-${m}`, { function: leaf, data: { ms, key: `${d.tag}:${d.p}:${m}` } }),
        ),
      );
    });
  const promptFree = makePrompt("prompt-free", leafFree);
  const promptCapped = makePrompt("prompt-capped", leafCapped);
  const rootDone = new Map<string, number>();
  const makeRoot = (id: string, prompt: typeof promptFree) =>
    client.createFunction({ id, triggers: { event: `bench/${id}` } }, async ({ event, step }) => {
      const d = event.data as { ms: number[][]; tag: string };
      const out = await Promise.all(
        d.ms.map((ms, p) => step.invoke(`prompt-${p}`, { function: prompt, data: { p, ms, tag: d.tag } })),
      );
      rootDone.set(d.tag, performance.now());
      return out.length;
    });
  const rootFree = makeRoot("root-free", promptFree);
  const rootCapped = makeRoot("root-capped", promptCapped);

  const handler = serve({
    client,
    functions: [noop, leafFree, leafCapped, promptFree, promptCapped, rootFree, rootCapped],
  });
  const server = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.address();
  const appUrl = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/api/inngest`;

  const engine: ChildProcess = spawn(process.execPath, ["--import", "tsx", "engine/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, ENGINE_PORT: String(port), ENGINE_DATA_DIR: dataDir, ENGINE_APP_URLS: appUrl },
    stdio: ["ignore", process.env.BENCH_ENGINE_LOG ? "inherit" : "ignore", "inherit"],
  });
  const results: { name: string; ok: boolean }[] = [];
  try {
    for (let i = 0; ; i++) {
      try {
        const h = (await (await fetch(`${engineUrl}/health`)).json()) as { apps: { functions: string[] }[] };
        if (h.apps.some((a) => a.functions.length === 7)) break;
      } catch {
        // not up yet
      }
      if (i > 600) throw new Error("engine did not come up with the app synced");
      await sleep(50);
    }
    const send = async (events: unknown[]) => {
      const res = await fetch(`${engineUrl}/e/bench`, { method: "POST", body: JSON.stringify(events) });
      if (!res.ok) throw new Error(`send failed: ${res.status}`);
    };
    const waitFor = async (cond: () => boolean, what: string, ms = 120_000) => {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out: ${what}`);
        await sleep(5);
      }
    };

    console.log(`engine bench — ${os.cpus().length} cores, node ${process.version}, seed ${seed}`);

    // Unloaded latency first: one run alone.
    await send([{ name: "bench/noop", data: {} }]);
    await waitFor(() => returned.size === 1, "warm-up run");
    const soloGaps: number[] = [];
    const [soloRun] = [...returned.keys()];
    for (let i = 1; i < 5; i++)
      soloGaps.push((stepStart.get(`${soloRun}:${i}`) ?? 0) - (stepEnd.get(`${soloRun}:${i - 1}`) ?? 0));
    returned.clear();
    stepStart.clear();
    stepEnd.clear();

    const cpu0 = { engine: engineCpuMs(engine.pid), app: process.cpuUsage() };
    const t0 = performance.now();
    await send(Array.from({ length: 200 }, (_, i) => ({ name: "bench/noop", data: { i } })));
    await waitFor(() => returned.size === 200, "200 no-op runs");
    const wall1 = Math.max(...returned.values()) - t0;
    const engineCpu = engineCpuMs(engine.pid) - cpu0.engine;
    const appCpu = process.cpuUsage(cpu0.app);
    const gaps: number[] = [];
    for (const runId of returned.keys()) {
      gaps.push((stepStart.get(`${runId}:0`) ?? 0) - t0);
      for (let i = 1; i < 5; i++)
        gaps.push((stepStart.get(`${runId}:${i}`) ?? 0) - (stepEnd.get(`${runId}:${i - 1}`) ?? 0));
    }
    const tps = 1000 / (wall1 / 1000);
    const ok1 = tps >= 300;
    results.push({ name: "throughput", ok: ok1 });
    console.log(`\n1) 200 runs × 5 no-op steps (1000 step transitions, all events sent at once)`);
    console.log(
      `   wall ${wall1.toFixed(0)} ms → ${tps.toFixed(0)} step transitions/s   target ≥ 300: ${ok1 ? "MET" : "MISSED"}`,
    );
    console.log(
      `   dispatch latency under that load (previous step end → next step start): p50 ${pct(gaps, 50).toFixed(1)} ms, p99 ${pct(gaps, 99).toFixed(1)} ms`,
    );
    console.log(
      `   CPU used: engine process ${engineCpu.toFixed(0)} ms, app (SDK) process ${((appCpu.user + appCpu.system) / 1000).toFixed(0)} ms; load average ${os.loadavg()[0]?.toFixed(2)} on ${os.cpus().length} cores`,
    );
    console.log(
      `   dispatch latency of a run alone: p50 ${pct(soloGaps, 50).toFixed(1)} ms, max ${Math.max(...soloGaps).toFixed(1)} ms`,
    );

    const matrix = Array.from({ length: 50 }, () =>
      Array.from({ length: 3 }, () => Math.round(400 + rand() * 2100)),
    );
    const flat = matrix.flat();
    const longest = Math.max(...flat);

    const t2 = performance.now();
    await send([{ name: "bench/root-free", data: { ms: matrix, tag: "free" } }]);
    await waitFor(() => rootDone.has("free"), "uncapped fan-out");
    const wall2 = (rootDone.get("free") ?? 0) - t2;
    const ok2 = wall2 <= longest + 1000;
    results.push({ name: "uncapped", ok: ok2 });
    console.log(
      `\n2) fan-out 50 prompts × 3 models via parallel step.invoke, leaves sleep 400–2500 ms, no cap`,
    );
    console.log(
      `   wall ${wall2.toFixed(0)} ms vs longest leaf ${longest} ms (+${(wall2 - longest).toFixed(0)} ms)   target ≤ +1000 ms: ${ok2 ? "MET" : "MISSED"}`,
    );

    const bound = listSchedule(flat, 10);
    const lower = Math.max(longest, flat.reduce((s, x) => s + x, 0) / 10);
    const t3 = performance.now();
    await send([{ name: "bench/root-capped", data: { ms: matrix, tag: "capped" } }]);
    await waitFor(() => rootDone.has("capped"), "capped fan-out");
    const wall3 = (rootDone.get("capped") ?? 0) - t3;
    const ratio = wall3 / bound;
    const ok3 = ratio <= 1.1;
    results.push({ name: "capped", ok: ok3 });
    console.log(`\n3) same fan-out with concurrency { limit: 10 } on the leaf function`);
    console.log(
      `   wall ${wall3.toFixed(0)} ms vs list-scheduling bound ${bound} ms (×${ratio.toFixed(3)}; work/10 lower bound ${lower.toFixed(0)} ms)   target ≤ ×1.10: ${ok3 ? "MET" : "MISSED"}`,
    );
  } finally {
    engine.kill("SIGTERM");
    await new Promise((r) => engine.once("exit", r));
    server.closeAllConnections();
    server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const missed = results.filter((r) => !r.ok).map((r) => r.name);
  console.log(missed.length ? `\nMISSED: ${missed.join(", ")}` : "\nall targets met");
  process.exit(missed.length ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(`bench-engine: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
