/**
 * `npm run bench:batch`: a 50 × 3 batch through the whole app (built web app + local engine) on the provider
 * simulator (4–25 s per image scaled ×0.1), uncapped and with 10 calls per provider, printing wall-clock
 * against the bounds and the peak RSS of both processes.
 *
 * Each mode runs two batches on one stack: the first after start, and a second one (a warm server).
 *
 * Bounds: uncapped, the longest single simulated call (every leaf can run at once); capped, a greedy list
 * schedule per provider of the simulator's actual per-request latencies in arrival order with `cap`
 * machines (the best any dispatcher respecting the cap could do with that order), the max over providers.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { startSimulator, type SimRequestRecord, type Simulator } from "@/lib/simulator";
import { startStack, type Stack } from "../tests/helpers/stack";
import { followBatch, submitBatch } from "./lib/batch-client";
import { ensureBuild } from "./lib/processes";

const MODELS = ["gpt-image-1.5", "gpt-image-1-mini", "gemini-3-pro-image"];
const PROMPTS = Array.from({ length: 50 }, (_, i) => `Benchmark title number ${i + 1}`);

function treeRssKb(pid: number): number {
  // VmHWM (peak resident) of the process and every descendant.
  let total = 0;
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      total += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const kids = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim();
      for (const k of kids ? kids.split(/\s+/) : []) visit(Number(k));
    } catch {
      // The process ended between reads.
    }
  };
  visit(pid);
  return total;
}

function treeCpuMs(pid: number): number {
  // utime + stime of the process and every live descendant, in ms (clock ticks of 10 ms).
  let total = 0;
  const visit = (p: number) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) * 10;
      const kids = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim();
      for (const k of kids ? kids.split(/\s+/) : []) visit(Number(k));
    } catch {
      // The process ended between reads.
    }
  };
  visit(pid);
  return total;
}

function listSchedule(latencies: number[], cap: number): number {
  const machines = new Array<number>(Math.max(1, cap)).fill(0);
  for (const l of latencies) {
    let i = 0;
    for (let j = 1; j < machines.length; j++) if ((machines[j] ?? 0) < (machines[i] ?? 0)) i = j;
    machines[i] = (machines[i] ?? 0) + l;
  }
  return Math.max(...machines);
}

interface Figures {
  wallMs: number;
  bound: number;
  target: number;
  peakKb: number;
}

/**
 * Forgets the peak resident size (VmHWM) of the process and its descendants, so the next batch's peak
 * is its own (Linux: writing 5 to clear_refs). False when the kernel or permissions do not allow it.
 */
function resetPeakRss(pid: number): boolean {
  let ok = true;
  const visit = (p: number) => {
    try {
      writeFileSync(`/proc/${p}/clear_refs`, "5");
      const kids = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim();
      for (const k of kids ? kids.split(/\s+/) : []) visit(Number(k));
    } catch {
      ok = false;
    }
  };
  visit(pid);
  return ok;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Submits one 50 × 3 batch, follows it to the end and prints its figures against the bounds. */
async function measure(
  label: string,
  stack: Stack,
  sim: Simulator,
  cap: number | null,
  prompts: string[],
): Promise<Figures> {
  sim.reset();
  let peakKb = 0;
  const pids = [stack.web.child.pid, stack.engine.child.pid].filter((p): p is number => !!p);
  const sampler = setInterval(() => {
    peakKb = Math.max(
      peakKb,
      pids.reduce((n, p) => n + treeRssKb(p), 0),
    );
  }, 200);
  const webPid = stack.web.child.pid ?? 0;
  const enginePid = stack.engine.child.pid ?? 0;
  const cpu0 = { web: treeCpuMs(webPid), engine: treeCpuMs(enginePid), self: process.cpuUsage() };
  try {
    const started = Date.now();
    const created = await submitBatch(stack.appUrl, {
      prompts,
      models: MODELS,
      style: "photorealistic",
      template: "bottom-bar",
      font: "inter",
    });
    if (!created.ok) throw new Error(`rejected: ${JSON.stringify(created.issues)}`);
    const batch = await followBatch(stack.appUrl, created.id, { unreachableMs: 10_000 });
    const wallMs = Date.now() - started;
    peakKb = Math.max(
      peakKb,
      pids.reduce((n, p) => n + treeRssKb(p), 0),
    );
    const self = process.cpuUsage(cpu0.self);
    const cpu = {
      web: treeCpuMs(webPid) - cpu0.web,
      engine: treeCpuMs(enginePid) - cpu0.engine,
      bench: Math.round((self.user + self.system) / 1000),
    };
    const ok = sim.requests.filter((r) => r.endedAt !== null);
    const dur = (r: SimRequestRecord) => (r.endedAt ?? r.startedAt) - r.startedAt;
    const longest = Math.max(...ok.map(dur));
    const byProvider = new Map<string, number[]>();
    for (const r of [...ok].sort((a, b) => a.seq - b.seq))
      byProvider.set(r.provider, [...(byProvider.get(r.provider) ?? []), dur(r)]);
    const bound =
      cap === null ? longest : Math.max(...[...byProvider.values()].map((ls) => listSchedule(ls, cap)));
    const target = cap === null ? bound + 1500 : bound * 1.15;
    console.log(
      `${label}: ${batch.counts.succeeded}/${batch.counts.total} succeeded, status ${batch.status}, ` +
        `${sim.requests.length} provider calls, max in flight openai ${sim.stats.maxInflight.openai} google ${sim.stats.maxInflight.google}`,
    );
    console.log(
      `  wall-clock ${s(wallMs)} · bound ${s(bound)} (${cap === null ? "longest leaf" : `list schedule, ${cap}/provider`})` +
        ` · target ${cap === null ? "bound + 1.5 s" : "1.15 × bound"} = ${s(target)} → ${wallMs <= target ? "MET" : "MISSED"}`,
    );
    console.log(
      `  peak RSS web + engine (process trees, VmHWM): ${(peakKb / 1024).toFixed(0)} MB (target < 600 MB)`,
    );
    const starts = ok.map((r) => r.startedAt - started).sort((a, b) => a - b);
    const lastEnd = Math.max(...ok.map((r) => (r.endedAt ?? r.startedAt) - started));
    console.log(
      `  timeline after submit: provider calls started ${s(starts[0] ?? 0)}–${s(starts.at(-1) ?? 0)}` +
        ` (median ${s(starts[Math.floor(starts.length / 2)] ?? 0)}), last call ended ${s(lastEnd)}, batch settled ${s(wallMs)}`,
    );
    const cores = availableParallelism();
    console.log(
      `  CPU: web ${s(cpu.web)}, engine ${s(cpu.engine)}, this process (simulator + client) ${s(cpu.bench)}` +
        ` = ${(((cpu.web + cpu.engine + cpu.bench) / (wallMs * cores)) * 100).toFixed(0)}% of ${cores} cores over the run`,
    );
    return { wallMs, bound, target, peakKb };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * One stack per cap, two batches on it: the first after start (code not yet compiled by V8, PGlite's
 * WebAssembly not yet tiered up), then a second like it, which is what a server that has been up a
 * while does. The peak RSS counters are reset in between, so each batch reports its own peak.
 */
async function run(label: string, cap: number | null): Promise<void> {
  const sim = await startSimulator({
    port: 0,
    profile: { latencyMs: [4000, 25000], timeScale: 0.1, inflightCap: null, seed: 7 },
  });
  const conc = String(cap ?? 1000);
  const stack = await startStack({
    PROVIDER_SIMULATOR_URL: sim.url,
    MAX_IMAGES_PER_BATCH: "150",
    PROVIDER_CONCURRENCY_OPENAI: conc,
    PROVIDER_CONCURRENCY_GOOGLE: conc,
  });
  try {
    await measure(`${label}, first batch after start`, stack, sim, cap, PROMPTS);
    const pids = [stack.web.child.pid ?? 0, stack.engine.child.pid ?? 0];
    const reset = pids.map(resetPeakRss).every(Boolean);
    const second = PROMPTS.map((p) => `${p}, second batch`);
    await measure(`${label}, second batch`, stack, sim, cap, second);
    if (!reset) console.log("  (peak RSS could not be reset between batches: it covers both)");
  } finally {
    await stack.stop();
    await sim.close();
  }
}

async function main() {
  await ensureBuild("inherit");
  console.log(`bench:batch: 50 × 3 (${MODELS.join(", ")}), simulator latency 4–25 s × 0.1`);
  await run("uncapped (1000/provider)", null);
  await run("capped (10/provider)", 10);
}

main().catch((err: unknown) => {
  console.error(`bench:batch: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
