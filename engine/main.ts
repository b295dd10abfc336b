import { signingKeyProblem } from "./auth";
import { ABSOLUTE_MAX_STEPS, DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_STEPS } from "./limits";
import { startEngine } from "./server";
import { DEFAULT_MAX_FINISHED } from "./store";

/** `npm run engine`: the local Inngest engine as a process. Configuration is by environment. */
function intEnv(name: string, fallback: number): number {
  // Blank (or only spaces) is unset, as in npm start: Number("  ") would silently read as 0.
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`engine: ${name} must be a non-negative integer, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

/** INNGEST_SIGNING_KEY(_FALLBACK) must be keys the SDK can hash (hex), else every call would be refused. */
function keyEnv(name: string): string | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  const problem = signingKeyProblem(raw);
  if (problem) {
    process.stderr.write(`engine: ${name} ${problem}\n`);
    process.exit(2);
  }
  return raw;
}

function positiveEnv(name: string, fallback: number): number {
  const n = intEnv(name, fallback);
  if (n < 1) {
    process.stderr.write(`engine: ${name} must be a whole number of at least 1, got "${n}"\n`);
    process.exit(2);
  }
  return n;
}

function stepLimitEnv(): number {
  const n = intEnv("ENGINE_MAX_STEPS", DEFAULT_MAX_STEPS);
  if (n < 1 || n > ABSOLUTE_MAX_STEPS) {
    process.stderr.write(`engine: ENGINE_MAX_STEPS must be from 1 to ${ABSOLUTE_MAX_STEPS}, got "${n}"\n`);
    process.exit(2);
  }
  return n;
}

/** An on/off setting: unset or "1"/"true"/"on" is on, "0"/"false"/"off" off; anything else exits 2. */
function switchEnv(name: string): boolean {
  const raw = process.env[name]?.trim().toLowerCase();
  if (!raw || ["1", "true", "on"].includes(raw)) return true;
  if (["0", "false", "off"].includes(raw)) return false;
  process.stderr.write(`engine: ${name} must be on or off (1/0, true/false), got "${process.env[name]}"\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const appUrls = (process.env.ENGINE_APP_URLS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const u of appUrls) {
    try {
      new URL(u);
    } catch {
      process.stderr.write(`engine: ENGINE_APP_URLS entry "${u}" is not a URL\n`);
      process.exit(2);
    }
  }
  if (process.env.INNGEST_SIGNING_KEY_FALLBACK?.trim() && !process.env.INNGEST_SIGNING_KEY?.trim()) {
    process.stderr.write("engine: INNGEST_SIGNING_KEY_FALLBACK is set without INNGEST_SIGNING_KEY\n");
    process.exit(2);
  }
  const engine = await startEngine({
    port: intEnv("ENGINE_PORT", 8288),
    host: process.env.ENGINE_HOST?.trim() || "127.0.0.1",
    dataDir: process.env.ENGINE_DATA_DIR?.trim() || ".data/engine",
    appUrls,
    retryBaseMs: intEnv("ENGINE_RETRY_BASE_MS", 1000),
    transportWindowMs: intEnv("ENGINE_TRANSPORT_RETRY_MS", 5 * 60_000),
    callTimeoutMs: intEnv("ENGINE_CALL_TIMEOUT_MS", 30 * 60_000),
    syncIntervalMs: intEnv("ENGINE_SYNC_INTERVAL_MS", 10_000),
    maxFinishedRuns: intEnv("ENGINE_MAX_FINISHED_RUNS", DEFAULT_MAX_FINISHED),
    journalMaxBytes: intEnv("ENGINE_JOURNAL_MAX_BYTES", 32 * 1024 * 1024),
    checkpointing: switchEnv("ENGINE_CHECKPOINTING"),
    maxSteps: stepLimitEnv(),
    maxCalls: intEnv("ENGINE_MAX_CALLS", 0),
    maxEventBytes: positiveEnv("ENGINE_MAX_EVENT_BYTES", DEFAULT_MAX_EVENT_BYTES),
    signingKey: keyEnv("INNGEST_SIGNING_KEY"),
    signingKeyFallback: keyEnv("INNGEST_SIGNING_KEY_FALLBACK"),
    eventKey: process.env.INNGEST_EVENT_KEY?.trim() || undefined,
  });
  let stopping = false;
  const stop = (sig: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`[engine] ${sig}: finishing journal writes and stopping\n`);
    engine.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`engine: error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  // `tsx engine/main.ts` runs us under a wrapper process; a SIGKILL of the wrapper cannot be
  // forwarded and would leave this engine holding the port and data dir. Follow the parent out.
  const parent = process.ppid;
  if (process.env.ENGINE_EXIT_WITH_PARENT !== "0") {
    setInterval(() => {
      if (process.ppid !== parent) stop("parent process exited");
    }, 250).unref();
  }
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "EADDRINUSE")
    process.stderr.write(`engine: port already in use (${e.message}); set ENGINE_PORT\n`);
  else process.stderr.write(`engine: failed to start: ${e.stack ?? String(err)}\n`);
  process.exit(1);
});
