/**
 * `npm run sim`: starts the provider simulator and prints the environment that points the app at it.
 *   npm run sim -- --profile scaled --port 4010 --inflight-cap 8 --fault rate_limit=0.05 --seed 7
 * Flags override SIM_PROFILE / SIM_PORT from the environment. Ctrl-C prints a summary and stops.
 */
import { parseArgs } from "node:util";
import { FAULT_KINDS, PROFILES, startSimulator, type FaultKind, type SimProfile } from "@/lib/simulator";

const USAGE = `usage: npm run sim -- [--profile ${Object.keys(PROFILES).join("|")}] [--port N] [--host H]
  [--latency MIN-MAX (ms)] [--time-scale F] [--inflight-cap N|none] [--retry-after MS] [--seed N]
  [--fault KIND=RATE ...]   kinds: ${FAULT_KINDS.join(", ")}`;

function fail(message: string): never {
  console.error(`sim: ${message}\n${USAGE}`);
  process.exit(2);
}

function number(name: string, raw: string, min = 0): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) fail(`--${name} must be a number >= ${min}, got "${raw}"`);
  return n;
}

function parse(): { profile: string; port: number; host: string; overrides: Partial<SimProfile> } {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        profile: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        latency: { type: "string" },
        "time-scale": { type: "string" },
        "inflight-cap": { type: "string" },
        "retry-after": { type: "string" },
        seed: { type: "string" },
        fault: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const overrides: Partial<SimProfile> = {};
  if (values.latency) {
    const m = /^(\d+)-(\d+)$/.exec(values.latency);
    if (!m) fail(`--latency must look like 4000-25000, got "${values.latency}"`);
    overrides.latencyMs = [Number(m[1]), Number(m[2])];
  }
  if (values["time-scale"]) overrides.timeScale = number("time-scale", values["time-scale"]);
  if (values["inflight-cap"]) {
    const raw = values["inflight-cap"];
    overrides.inflightCap = raw === "none" ? null : Math.floor(number("inflight-cap", raw, 1));
  }
  if (values["retry-after"]) overrides.retryAfterMs = number("retry-after", values["retry-after"]);
  if (values.seed) overrides.seed = Math.floor(number("seed", values.seed));
  if (values.fault) {
    const faults: Partial<Record<FaultKind, number>> = {};
    for (const spec of values.fault) {
      const [kind, rate] = spec.split("=");
      if (!kind || !(FAULT_KINDS as readonly string[]).includes(kind) || rate === undefined) {
        fail(`--fault must be KIND=RATE with KIND one of ${FAULT_KINDS.join(", ")}, got "${spec}"`);
      }
      faults[kind as FaultKind] = number("fault", rate);
    }
    overrides.faults = faults;
  }
  const portRaw = values.port ?? (process.env.SIM_PORT?.trim() || "4010");
  const port = number("port", portRaw);
  if (!Number.isInteger(port) || port > 65535) fail(`--port must be 0-65535, got "${portRaw}"`);
  return {
    profile: values.profile ?? (process.env.SIM_PROFILE?.trim() || "realistic"),
    port,
    host: values.host ?? "127.0.0.1",
    overrides,
  };
}

async function main(): Promise<void> {
  const { profile, port, host, overrides } = parse();
  let sim;
  try {
    sim = await startSimulator({ port, host, profile });
    if (Object.keys(overrides).length > 0) sim.setProfile(overrides);
  } catch (error) {
    // Not a usage error (a port in use, say): the one line, without the usage after it.
    const e = error as NodeJS.ErrnoException;
    console.error(
      e.code === "EADDRINUSE"
        ? `sim: ${host}:${port} is in use (another simulator or app?); pick another with --port, or 0 for any free one`
        : `sim: ${e.message}`,
    );
    process.exit(2);
  }
  const p = sim.profile;
  console.log(`Provider simulator listening on ${sim.url}`);
  console.log(
    `profile ${p.name}: latency ${p.latencyMs[0]}-${p.latencyMs[1]} ms × ${p.timeScale}, in-flight cap ${p.inflightCap ?? "none"}, ` +
      `faults ${JSON.stringify(p.faults)}, seed ${p.seed}`,
  );
  console.log(
    `\nPoint the app at it (OpenAI and Gemini SDKs, dummy keys):\n  export PROVIDER_SIMULATOR_URL=${sim.url}\n`,
  );
  console.log('Force a fault for one cell with a prompt marker, e.g. "[sim:moderation]" or "[sim:429*2]".');

  const stop = async () => {
    console.log(`\n${JSON.stringify(sim.stats, null, 2)}`);
    await sim.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

void main();
