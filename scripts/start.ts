/**
 * `npm start`: the whole product in embedded mode on one machine, offline and with no keys to set.
 * Builds the app when needed, then runs the web app and the local Inngest engine side by side, the app's
 * Inngest SDK in cloud mode with the engine as its server (keys made once in DATA_DIR).
 */
import net from "node:net";
import path from "node:path";
import {
  ensureBuild,
  root,
  spawnEngine,
  localUrl,
  spawnWeb,
  waitForAppSync,
  waitForProviderCalls,
  waitForHttp,
  type Proc,
} from "./lib/processes";
import { embeddedKeys } from "./lib/embedded-keys";
import { engineDirOwner } from "@/engine/journal";
import { dbOptionsFromEnv } from "@/lib/db/client";
import { dirLockOwner } from "@/lib/db/pglite-lock";
import { gentleStopWaitMs } from "@/lib/parent-watch";
import { dataDirProblem, engineDataDir, runsSimulator, startSettings } from "./lib/start-settings";

/** Fails fast, before a build, when a port is taken (often by an earlier `npm start` still running). */
async function ensureFree(name: string, portNumber: number, hostName: string): Promise<void> {
  const host = process.env[hostName]?.trim() || "127.0.0.1";
  const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const probe = net.createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => resolve(err));
    probe.listen(portNumber, host, () => probe.close(() => resolve(null)));
  });
  if (!error) return;
  // An address this machine does not have, or a name that does not resolve: HOST is wrong, not the port.
  if (["ENOTFOUND", "EAI_AGAIN", "EADDRNOTAVAIL"].includes(error.code ?? "")) {
    console.error(
      `start: ${hostName} "${host}" cannot be listened on (${error.code}); set it to an address of this machine, such as 127.0.0.1 or 0.0.0.0`,
    );
    process.exit(2);
  }
  const why =
    error.code === "EADDRINUSE"
      ? "is already in use (is the app already running?)"
      : `cannot be opened (${error.code ?? error.message})`;
  console.error(
    `start: port ${portNumber} (${name}) ${why}; stop what uses it or set ${name} to a free port`,
  );
  process.exit(1);
}

async function main(): Promise<void> {
  // Before the build: a malformed setting would only show as failing pages and functions.
  const settings = startSettings(process.env);
  if (!settings.ok) {
    for (const problem of settings.problems) console.error(`start: ${problem}`);
    process.exit(2);
  }
  const { web: webPort, engine: enginePort } = settings.ports;
  await ensureFree("PORT", webPort, "HOST");
  await ensureFree("ENGINE_PORT", enginePort, "ENGINE_HOST");
  const dataDir = path.resolve(root, process.env.DATA_DIR?.trim() || ".data");
  // Where the two reach each other (and this script reaches both): the address each binds to.
  const appUrl = localUrl(process.env.HOST, webPort);
  const engineUrl = localUrl(process.env.ENGINE_HOST, enginePort);
  const unusable = dataDirProblem(dataDir);
  if (unusable) {
    console.error(`start: ${unusable}`);
    process.exit(1);
  }
  // Before the build: a data dir another npm start (or a server it left) is using.
  const engineDir = engineDataDir(process.env, root, dataDir);
  const db = dbOptionsFromEnv({ ...process.env, DATA_DIR: dataDir });
  const owner = engineDirOwner(engineDir) ?? (db.dir ? dirLockOwner(path.resolve(db.dir)) : null);
  if (owner !== null) {
    console.error(
      `start: ${dataDir} is in use by another running app (process ${owner}); stop it, or set DATA_DIR to another folder`,
    );
    process.exit(1);
  }
  // Before the build: a data dir whose key file is damaged fails in a second, not after minutes.
  const keys = embeddedKeys(dataDir);
  await ensureBuild();
  const procs: Proc[] = [];
  let engineProc: Proc | null = null;
  let webProc: Proc | null = null;
  // At once (a second Ctrl-C) is SIGKILL: Next ignores a signal after its first, and
  // its first waits for the requests under way, provider calls included.
  const stop = async (code: number, signal: NodeJS.Signals = "SIGTERM") => {
    await Promise.all(procs.map((p) => p.kill(signal)));
    process.exit(code);
  };
  // Ctrl-C (or SIGTERM from a service manager) stops gently: the engine first, so no new work is sent,
  // then the web app once the provider calls it has out have ended (paid for, and recorded so a
  // restart reuses them). A second Ctrl-C stops at once; so does a closed terminal.
  let stopping = false;
  let stoppingAt = 0;
  const stopGently = async () => {
    if (stopping) {
      // One Ctrl-C can arrive twice (the terminal signals the group, and npm passes it on).
      if (Date.now() - stoppingAt < 1000) return;
      console.error("start: stopping now");
      return stop(130, "SIGKILL");
    }
    stopping = true;
    stoppingAt = Date.now();
    if (!webProc || !engineProc) return stop(0);
    await engineProc.kill("SIGTERM");
    const waitMs = gentleStopWaitMs(process.env);
    const left = await waitForProviderCalls(appUrl, waitMs, (n) => {
      if (n > 0)
        console.error(
          `start: waiting for ${n} provider call(s) under way to end (at most ${Math.round(waitMs / 1000)} s; Ctrl-C again to stop now)`,
        );
    });
    if (left > 0) console.error(`start: ${left} provider call(s) still out; stopping anyway`);
    return stop(0);
  };
  process.on("SIGINT", () => void stopGently());
  process.on("SIGTERM", () => void stopGently());
  // A closed terminal: nothing is left to say "stopping now" to, so no second signal will come. The
  // children stop gently on their own (the web app once its provider calls end: those are paid for).
  process.on("SIGHUP", () => void stop(129));

  // Should this process die without stopping the web app (kill -9), the app follows it out (lib/parent-watch).
  const webEnv: Record<string, string> = { WEB_PARENT_PID: String(process.pid) };
  // Simulator mode: the real OpenAI/Gemini SDKs talk to a local imitation of their APIs (no keys, no cost).
  if (runsSimulator(process.env)) {
    const { startSimulator } = await import("@/lib/simulator");
    const simProfile = process.env.SIM_PROFILE?.trim() || "scaled";
    const sim = await startSimulator({
      port: settings.ports.sim,
      profile: simProfile,
    });
    webEnv.PROVIDER_SIMULATOR_URL = sim.url;
    console.log(`start: provider simulator on ${sim.url} (profile ${simProfile})`);
  }
  const engine = spawnEngine({ port: enginePort, appUrl, dataDir: engineDir, keys, detached: true });
  const web = spawnWeb({ port: webPort, engineUrl, dataDir, env: webEnv, keys, detached: true });
  procs.push(engine, web);
  engineProc = engine;
  webProc = web;
  for (const p of procs) {
    void p.exited.then((code) => {
      if (stopping) return;
      console.error(`start: ${p === web ? "web app" : "engine"} exited (${code}); stopping`);
      void stop(1);
    });
  }
  await Promise.all([waitForHttp(`${engineUrl}/health`, 60_000, engine), waitForHttp(appUrl, 120_000, web)]);
  await waitForAppSync(engineUrl, appUrl);
  const open = appUrl === localUrl(undefined, webPort) ? `http://localhost:${webPort}` : appUrl;
  console.log(`\nThumbnail Studio is running: open ${open}\n`);
  // Up, but not of use without its database (an unreachable DATABASE_URL): say so now.
  const health = await fetch(`${appUrl}/api/health`).then(
    async (res) => (res.ok ? null : ((await res.json()) as { db?: string }).db),
    (error: unknown) => (error as Error).message,
  );
  if (health) console.error(`start: the app is up, but ${health}; batches cannot be made until it can`);
}

main().catch((err: unknown) => {
  console.error(`start: ${(err as Error).message}`);
  process.exit(1);
});
