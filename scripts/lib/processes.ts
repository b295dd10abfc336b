/**
 * Spawning the two embedded-mode processes (web app and local engine) and waiting for them. Shared by
 * `npm start`, the end-to-end tests and the batch benchmark, so all three run the app the same way.
 */
import { spawn, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { buildSync } from "esbuild";
import { providerConcurrency } from "@/lib/batches/concurrency";
import { PROVIDERS } from "@/lib/catalog/models";
import type { ProviderId } from "@/lib/providers/types";
import { engineKeyEnv, webKeyEnv, type EmbeddedKeys } from "./embedded-keys";

export const root = path.resolve(import.meta.dirname, "../..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

export interface Proc {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

type Io = "inherit" | "pipe" | "ignore";

/**
 * `detached`: in a process group of its own, so a Ctrl-C in the terminal reaches only the parent, which
 * then stops it in its own order (npm start: the engine first, the web app once its calls are done).
 */
function launch(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  url: string,
  io: Io,
  tag: string,
  detached = false,
): Proc {
  const child = spawn(cmd, args, { cwd: root, env, stdio: ["ignore", io, io], detached });
  if (io === "pipe") {
    const prefix = (chunk: Buffer) =>
      chunk
        .toString()
        .split("\n")
        .filter(Boolean)
        .map((l) => (l.startsWith(`[${tag}]`) ? `${l}\n` : `[${tag}] ${l}\n`))
        .join("");
    child.stdout?.on("data", (c: Buffer) => process.stdout.write(prefix(c)));
    child.stderr?.on("data", (c: Buffer) => process.stderr.write(prefix(c)));
  }
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return {
    child,
    url,
    exited,
    kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface EngineOptions {
  port: number;
  appUrl: string;
  dataDir: string;
  /** The install's keys (embeddedKeys(DATA_DIR)): the engine signs its calls with them. */
  keys: EmbeddedKeys;
  env?: Record<string, string | undefined>;
  io?: Io;
  detached?: boolean;
}

/**
 * The parent's environment without npm's own `npm_*` variables (npm run adds dozens). The
 * servers do not read them, and the Inngest SDK scans the whole environment several times per request.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => k.startsWith("npm_"))
        .map((k) => [k, undefined]),
    ),
  };
}

/**
 * How many calls the engine sends the web app at once, when ENGINE_MAX_CALLS is not set. The app is one
 * Node process: a batch of thousands of titles starts thousands of short runs, and with every call
 * in flight together each page request waited behind all of them (5,000 titles: about 35 s before
 * the batch page showed). Calls waiting on a provider hold a slot for seconds, so there is room for
 * every provider's concurrency, plus 32 for the short calls; nothing runs slower, it only queues in
 * the engine instead of inside the web server.
 */
export function defaultEngineCalls(env: Readonly<Record<string, string | undefined>>): number {
  const providers = Object.keys(PROVIDERS) as ProviderId[];
  return providers.reduce((n, p) => n + providerConcurrency(p, env as NodeJS.ProcessEnv), 32);
}

export function spawnEngine(o: EngineOptions): Proc {
  const merged = { ...inheritedEnv(), ...o.env };
  const env = {
    ...merged,
    ENGINE_MAX_CALLS: merged.ENGINE_MAX_CALLS?.trim() || String(defaultEngineCalls(merged)),
    ...engineKeyEnv(o.keys),
    ENGINE_PORT: String(o.port),
    ENGINE_DATA_DIR: o.dataDir,
    ENGINE_APP_URLS: `${o.appUrl}/api/inngest`,
  };
  // Plain node on the bundle: the pid we hold is the engine itself, so a kill -9 in a crash test really
  // kills the engine rather than orphaning it.
  const args = [engineBundle()];
  return launch(
    process.execPath,
    args,
    env,
    `http://127.0.0.1:${o.port}`,
    o.io ?? "pipe",
    "engine",
    o.detached,
  );
}

export interface WebOptions {
  port: number;
  engineUrl: string;
  dataDir: string;
  /** Same keys as the engine's: the SDK runs in cloud mode and verifies the engine's signatures. */
  keys: EmbeddedKeys;
  env?: Record<string, string | undefined>;
  io?: Io;
  detached?: boolean;
}

/**
 * `next start` compiles next.config.ts with SWC, which loads Next's native compiler (~25 MB
 * resident) into the server for good. The build already wrote the resolved config into
 * required-server-files.json, and Next's own standalone server starts from it by passing it in
 * this variable; doing the same skips the compiler. Without the file (or if a later Next drops
 * the variable) the config is simply read from next.config.ts again.
 */
function builtConfigEnv(): Record<string, string> {
  try {
    const built = JSON.parse(readFileSync(path.join(distDir(), "required-server-files.json"), "utf8")) as {
      config?: unknown;
    };
    return built.config ? { __NEXT_PRIVATE_STANDALONE_CONFIG: JSON.stringify(built.config) } : {};
  } catch {
    return {};
  }
}

/** The old-generation limit (MB) the web server gets unless NODE_OPTIONS sets one. */
export const WEB_HEAP_MB = 768;

/**
 * NODE_OPTIONS with a V8 old-generation limit added (unless it sets one, in MB or as a percentage).
 * V8 paces its collections by that limit, which defaults to a quarter of the machine's memory (4 GB on
 * a 16 GB machine and up): garbage then piles up, and web + engine reached 590-610 MB resident over
 * three 150-image batches here; with 768 MB, 430-480 MB. CPU time and wall-clock changed within their
 * run-to-run noise (at most about 1 s of CPU per batch). The live heap is far below the limit: those
 * batches also ran with a 160 MB limit.
 */
export function withHeapLimit(nodeOptions: string | undefined, mb = WEB_HEAP_MB): string {
  const given = (nodeOptions ?? "").trim();
  if (/(^|\s)--max[-_]old[-_]space[-_]size([-_]percentage)?[=\s]/.test(given)) return given;
  return `${given} --max-old-space-size=${mb}`.trim();
}

/** The web server's environment (exported for its test). */
export function webEnv(o: WebOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...inheritedEnv(),
    NEXT_TELEMETRY_DISABLED: "1",
    // glibc gives each of libvips' and libuv's threads its own malloc arena; with many images in flight
    // that fragments into ~100 MB more resident memory. Two arenas is the usual setting for sharp servers.
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX || "2",
    // Setting the mmap threshold also stops glibc from raising it each time a large block is freed:
    // image-sized buffers (a few hundred kB to a few MB) otherwise move into the main heap, which then
    // stays fragmented at its high-water mark (~50 MB more resident after two 150-image batches).
    MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ || "131072",
    ...builtConfigEnv(),
    DATA_DIR: o.dataDir,
    BLOB_DIR: path.join(o.dataDir, "blob"),
    ...o.env,
    PORT: String(o.port),
    ...webKeyEnv(o.keys, o.engineUrl),
    ENGINE_URL: o.engineUrl,
  };
  return { ...env, NODE_OPTIONS: withHeapLimit(env.NODE_OPTIONS) };
}

/**
 * The URL of a server of ours bound to `host` (HOST, ENGINE_HOST; default 127.0.0.1) on `port`, as this
 * machine reaches it: a wildcard address is reached on the loopback, any other on itself.
 */
export function localUrl(host: string | undefined, port: number): string {
  const h = host?.trim() || "127.0.0.1";
  if (h === "0.0.0.0") return `http://127.0.0.1:${port}`;
  if (h === "::" || h === "[::]") return `http://[::1]:${port}`;
  return h.includes(":") && !h.startsWith("[") ? `http://[${h}]:${port}` : `http://${h}:${port}`;
}

export function spawnWeb(o: WebOptions): Proc {
  const args = ["start", "-p", String(o.port), "-H", process.env.HOST?.trim() || "127.0.0.1"];
  return launch(
    bin("next"),
    args,
    webEnv(o),
    `http://127.0.0.1:${o.port}`,
    o.io ?? "pipe",
    "web",
    o.detached,
  );
}

/**
 * Calls `check` every `everyMs` until it returns true, or fails after `timeoutMs` with the last
 * reason it gave for not yet. A throw from `check` ends the wait at once.
 */
async function pollUntil(
  what: string,
  timeoutMs: number,
  everyMs: number,
  check: () => Promise<true | string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const result = await check();
    if (result === true) return;
    last = result;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${what} within ${timeoutMs} ms (${last})`);
}

const failure = (err: unknown) => (err as Error).message;

/** Polls `url` until it answers with any HTTP status below 500, or fails after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs = 60_000, proc?: Proc): Promise<void> {
  await pollUntil(`${url} did not come up`, timeoutMs, 200, async () => {
    if (proc && proc.child.exitCode !== null)
      throw new Error(`${url}: process exited (${proc.child.exitCode})`);
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(failure);
    if (typeof res === "string") return res;
    return res.status < 500 || `HTTP ${res.status}`;
  });
}

/**
 * Waits until the engine lists the app's functions. The engine creates runs only for functions it
 * knows when an event arrives, so a batch submitted before the first sync would never start.
 */
export async function waitForAppSync(engineUrl: string, appUrl: string, timeoutMs = 30_000): Promise<void> {
  const serveUrl = `${appUrl}/api/inngest`;
  await pollUntil(`the engine did not sync ${serveUrl}`, timeoutMs, 100, async () => {
    type Health = { apps?: { url: string; functions: string[] }[]; sync_errors?: Record<string, string> };
    const health = await fetch(`${engineUrl}/health`, { signal: AbortSignal.timeout(2_000) })
      .then((res) => res.json() as Promise<Health>)
      .catch(failure);
    if (typeof health === "string") return health;
    if (health.apps?.some((a) => a.url === serveUrl && a.functions.length > 0)) return true;
    return health.sync_errors?.[serveUrl] ?? "not synced yet";
  });
}

/**
 * What `next build` compiles: a change to any of them makes the build stale. Next also takes the root's
 * proxy.ts and instrumentation.ts, outside the folders: without them here, an edit to the password gate
 * went unbuilt.
 */
export const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "inngest",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "tsconfig.json",
  "package-lock.json",
];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, name)));
  return max;
}

/**
 * The engine as one JavaScript file, bundled by esbuild (a few ms) whenever engine/ changed: no
 * TypeScript loader in the running engine, which halves its memory (~80 MB → ~45 MB) and start time.
 */
export function engineBundle(): string {
  const out = path.join(root, ".engine", "main.mjs");
  const source = path.join(root, "engine");
  if (existsSync(out) && statSync(out).mtimeMs >= newestMtime(source)) return out;
  const result = buildSync({
    entryPoints: [path.join(source, "main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error("esbuild produced no engine bundle");
  // Temp file + rename: test files starting engines at the same time never run a half-written bundle.
  mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, out);
  return out;
}

export const distDir = () => path.join(root, process.env.NEXT_DIST_DIR || ".next");

/** True when there is no production build, or a source file changed after the last one. */
export function buildIsStale(): boolean {
  const stamp = path.join(distDir(), "BUILD_ID");
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return BUILD_INPUTS.some((p) => newestMtime(path.join(root, p)) > built);
}

/** Runs `next build` when the build is missing or stale. */
export async function ensureBuild(io: Io = "inherit"): Promise<void> {
  if (!buildIsStale()) return;
  const proc = launch(
    bin("next"),
    ["build"],
    { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    "",
    io,
    "build",
  );
  const code = await proc.exited;
  if (code !== 0) throw new Error(`next build failed (${code})`);
}

/**
 * Waits until the web app has no provider call out (its /api/health count), at most `timeoutMs`;
 * `onCount` hears each new count. Returns the calls still out at the end (0 when all ended, or when the
 * app no longer answers).
 */
export async function waitForProviderCalls(
  appUrl: string,
  timeoutMs: number,
  onCount: (n: number) => void,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  for (;;) {
    let n = 0;
    try {
      const res = await fetch(`${appUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      n = ((await res.json()) as { providerCalls?: number }).providerCalls ?? 0;
    } catch {
      return 0;
    }
    if (n !== last) onCount(n);
    last = n;
    if (n === 0 || Date.now() >= deadline) return n;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
