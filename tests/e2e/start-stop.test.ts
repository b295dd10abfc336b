/**
 * `npm start` stopped with Ctrl-C while provider calls are out: it stops the engine first, waits for the
 * calls (each a paid picture), then stops the web app; started again, the batch finishes from the
 * pictures those calls stored, with no second call for any of them; a batch's live stream left open
 * does not hold it. A second Ctrl-C stops it at once. Killed outright (kill -9), the web app and the
 * engine it started follow it out on their own, the app once its calls have ended.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineDirOwner } from "@/engine/journal";
import { dirLockOwner } from "@/lib/db/pglite-lock";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { submitBatch } from "../../scripts/lib/batch-client";
import { BASE_REQUEST, settled, until } from "../fixtures/batch-helpers";

const root = path.resolve(import.meta.dirname, "../..");

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

let sim: Simulator;
let dataDir: string;
let env: NodeJS.ProcessEnv;
let appUrl: string;

/** Resolves once nothing answers on the web app's port, or fails after `timeoutMs`. */
function webStopped(timeoutMs: number): Promise<unknown> {
  return until(
    () =>
      fetch(`${appUrl}/api/health`).then(
        () => undefined,
        () => true,
      ),
    "web app stopped",
    timeoutMs,
  );
}

async function npmStart(startEnv: NodeJS.ProcessEnv = env): Promise<Started> {
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/start.ts"], {
    cwd: root,
    env: startEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (c: Buffer) => (text += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (text += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const up = until(
    async () => (text.includes("Thumbnail Studio is running") ? true : undefined),
    "npm start",
    120_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; it printed:\n${text}`);
  });
  // One that gives up (a refusal, a failed build) says why at once, rather than after the wait.
  const gaveUp = exited.then((code) => {
    throw new Error(`npm start exited (${code}) before it was up:\n${text}`);
  });
  await Promise.race([up, gaveUp]);
  return { child, output: () => text, exited };
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, profile: { latencyMs: [0, 0], timeScale: 1 } });
  dataDir = mkdtempSync(path.join(os.tmpdir(), "start-stop-"));
  const [port, enginePort] = [await freePort(), await freePort()];
  appUrl = `http://127.0.0.1:${port}`;
  env = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    ENGINE_PORT: String(enginePort),
    PROVIDER_SIMULATOR_URL: sim.url,
    NEXT_TELEMETRY_DISABLED: "1",
  };
});

afterAll(async () => {
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start, stopped while calls are out", () => {
  it("waits for them, and a restart finishes the batch from what they stored, calling nothing again", async () => {
    const first = await npmStart();
    let second: Started | undefined;
    try {
      const prompts = ["Slow one [sim:latency=4000]", "Slow two [sim:latency=4000]"];
      const created = await submitBatch(appUrl, { ...BASE_REQUEST, prompts, models: ["gpt-image-1.5"] });
      if (!created.ok) throw new Error(JSON.stringify(created));
      await until(
        async () => (sim.requests.filter((r) => r.outcome === "pending").length === 2 ? true : undefined),
        "both calls out",
      );
      // A reader on the batch's live stream (a batch page left open, a CLI's --wait) does not hold the
      // stop: the stream ends once the web app is asked to stop, and the app stops.
      const events = await fetch(`${appUrl}/api/batches/${created.id}/events`);
      const streamEnded = events.text().then(
        () => "ended",
        () => "ended",
      );
      // What a Ctrl-C does: one SIGINT (npm and tsx pass it on, so it may come twice).
      first.child.kill("SIGINT");
      expect(await first.exited).toBe(0);
      expect(await streamEnded).toBe("ended");
      expect(first.output()).toMatch(/start: waiting for 2 provider call\(s\) under way to end/);
      expect(sim.requests.map((r) => r.outcome)).toEqual(["ok", "ok"]);

      second = await npmStart();
      const done = await settled(appUrl, created.id, 60_000);
      expect(done.status).toBe("succeeded");
      expect(done.cells.map((c) => c.attempts)).toEqual([1, 1]);
      // Both pictures came from the calls made before the stop.
      expect(sim.requests).toHaveLength(2);
    } finally {
      for (const started of [first, second]) {
        if (started && started.child.exitCode === null) {
          started.child.kill("SIGINT");
          setTimeout(() => started.child.kill("SIGINT"), 1500);
          await started.exited;
        }
      }
    }
  }, 240_000);

  it("a second Ctrl-C stops it at once, the calls out or not", async () => {
    sim.reset();
    // A data folder of its own: its batch, left running, is not resumed by the next test's start.
    const ownDir = mkdtempSync(path.join(os.tmpdir(), "start-stop-"));
    const first = await npmStart({ ...env, DATA_DIR: ownDir });
    const prompts = ["Very slow one [sim:latency=120000]"];
    const created = await submitBatch(appUrl, { ...BASE_REQUEST, prompts, models: ["gpt-image-1.5"] });
    if (!created.ok) throw new Error(JSON.stringify(created));
    await until(
      async () => (sim.requests.some((r) => r.outcome === "pending") ? true : undefined),
      "the call out",
    );
    first.child.kill("SIGINT");
    await until(async () => (first.output().includes("start: waiting for") ? true : undefined), "waiting");
    // Past the second's grace for one Ctrl-C passed on twice.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    first.child.kill("SIGINT");
    // Not after the call's two minutes: the web app does not wait for it, nor for anything.
    expect(await first.exited).toBe(130);
    expect(first.output()).toContain("start: stopping now");
    await webStopped(10_000);
    rmSync(ownDir, { recursive: true, force: true });
  }, 240_000);

  it("killed outright, leaves nothing running: the web app stops once its calls end, and a restart finishes the batch", async () => {
    sim.reset();
    const first = await npmStart();
    let second: Started | undefined;
    try {
      const prompts = ["Killed one [sim:latency=3000]"];
      const created = await submitBatch(appUrl, { ...BASE_REQUEST, prompts, models: ["gpt-image-1.5"] });
      if (!created.ok) throw new Error(JSON.stringify(created));
      await until(
        async () => (sim.requests.some((r) => r.outcome === "pending") ? true : undefined),
        "the call out",
      );
      // tsx runs scripts/start.ts in a child process: that is the one to kill.
      const pid = first.child.pid!;
      const [startPid] = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/);
      process.kill(Number(startPid), "SIGKILL");
      await first.exited;
      // Still serving while its call is out, then gone once the call has ended.
      await until(
        async () => (sim.requests.every((r) => r.outcome === "ok") ? true : undefined),
        "call ended",
      );
      await webStopped(30_000);
      // Nor does anything hold the data folder: the app's database and the engine's journal are free.
      await until(
        () =>
          dirLockOwner(path.join(dataDir, "db")) === null &&
          engineDirOwner(path.join(dataDir, "engine")) === null,
        "the data folder to be let go",
        30_000,
      );

      second = await npmStart();
      const done = await settled(appUrl, created.id, 60_000);
      expect(done.status).toBe("succeeded");
      expect(sim.requests).toHaveLength(1);
    } finally {
      const started = second;
      if (started && started.child.exitCode === null) {
        started.child.kill("SIGINT");
        setTimeout(() => started.child.kill("SIGINT"), 1500);
        await started.exited;
      }
    }
  }, 240_000);
});
