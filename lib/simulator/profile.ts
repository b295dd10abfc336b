/**
 * Simulator profiles: how slow and how unreliable the fake providers are. Faults are drawn from a seeded
 * RNG (reproducible runs) or forced per request by prompt markers such as "[sim:moderation]" or
 * "[sim:429*2]" (fail the first two attempts of that prompt, then succeed), so tests can target one cell.
 */

export const FAULT_KINDS = [
  "rate_limit",
  "quota",
  "server_error",
  "unavailable",
  "timeout",
  "moderation",
  "safety",
  "prompt_blocked",
  "malformed",
  "auth",
  "invalid",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface SimProfile {
  name: string;
  /** Per-image generation time before scaling, ms (the seeds describe 4-25 s). */
  latencyMs: [number, number];
  /** Multiplies every latency: 0.01 turns 4-25 s into 40-250 ms for benches and tests. */
  timeScale: number;
  /** Probability per request of each fault; the rest succeed. */
  faults: Partial<Record<FaultKind, number>>;
  /** Requests in flight per provider above which the simulator answers 429, like a real account. */
  inflightCap: number | null;
  /** Retry hint sent with 429 and 503 responses (Retry-After, retry-after-ms, Gemini RetryInfo). */
  retryAfterMs: number;
  seed: number;
}

const base: SimProfile = {
  name: "fast",
  latencyMs: [0, 0],
  timeScale: 1,
  faults: {},
  inflightCap: null,
  retryAfterMs: 1000,
  seed: 1,
};

export const PROFILES: Record<string, SimProfile> = {
  /** Instant and reliable: unit tests that only care about shapes. */
  fast: base,
  /** The seeds' 4-25 s per image at real speed, an account-like in-flight cap and occasional faults. */
  realistic: {
    ...base,
    name: "realistic",
    latencyMs: [4000, 25000],
    faults: { rate_limit: 0.03, server_error: 0.01, unavailable: 0.01, timeout: 0.005, malformed: 0.002 },
    inflightCap: 10,
    retryAfterMs: 2000,
  },
  /** Realistic shape at 1/100 speed, for benches of the whole batch path. */
  scaled: {
    ...base,
    name: "scaled",
    latencyMs: [4000, 25000],
    timeScale: 0.01,
    faults: { rate_limit: 0.03, server_error: 0.01, unavailable: 0.01, malformed: 0.002 },
    inflightCap: 10,
    retryAfterMs: 200,
  },
  /** Many transient faults: retry logic must carry every cell to the end. */
  flaky: {
    ...base,
    name: "flaky",
    latencyMs: [100, 600],
    faults: { rate_limit: 0.15, server_error: 0.1, unavailable: 0.1, timeout: 0.02, malformed: 0.03 },
    inflightCap: 6,
    retryAfterMs: 200,
  },
};

export function resolveProfile(
  profile?: string | Partial<SimProfile>,
  overrides: Partial<SimProfile> = {},
): SimProfile {
  let start: SimProfile = base;
  if (typeof profile === "string") {
    const named = PROFILES[profile];
    if (!named)
      throw new RangeError(`unknown simulator profile "${profile}"; use ${Object.keys(PROFILES).join(", ")}`);
    start = named;
  } else if (profile) {
    start = { ...base, ...profile };
  }
  const merged = { ...start, ...overrides, faults: { ...start.faults, ...overrides.faults } };
  validateProfile(merged);
  return merged;
}

function validateProfile(p: SimProfile): void {
  const [min, max] = p.latencyMs;
  if (!(min >= 0 && max >= min)) throw new RangeError(`latencyMs must be [min, max] with 0 <= min <= max`);
  if (!(p.timeScale >= 0)) throw new RangeError("timeScale must be >= 0");
  if (p.inflightCap !== null && !(Number.isInteger(p.inflightCap) && p.inflightCap > 0)) {
    throw new RangeError("inflightCap must be a positive integer or null");
  }
  let total = 0;
  for (const [kind, rate] of Object.entries(p.faults)) {
    if (!(FAULT_KINDS as readonly string[]).includes(kind))
      throw new RangeError(`unknown fault kind "${kind}"`);
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`fault rate for ${kind} must be within 0..1`);
    total += rate;
  }
  if (total > 1) throw new RangeError("fault rates add up to more than 1");
}

/** mulberry32: tiny, fast, good enough to make fault sequences reproducible from a seed. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MARKER_ALIASES: Record<string, FaultKind> = {
  "429": "rate_limit",
  "rate-limit": "rate_limit",
  quota: "quota",
  "500": "server_error",
  "503": "unavailable",
  timeout: "timeout",
  moderation: "moderation",
  safety: "safety",
  "prompt-blocked": "prompt_blocked",
  malformed: "malformed",
  auth: "auth",
  invalid: "invalid",
};

export interface PromptMarkers {
  fault?: { kind: FaultKind; times: number };
  latencyMs?: number;
}

/** Reads "[sim:<fault>]", "[sim:<fault>*N]" and "[sim:latency=MS]" markers from a prompt. */
export function parseMarkers(prompt: string): PromptMarkers {
  const out: PromptMarkers = {};
  for (const m of prompt.matchAll(/\[sim:([a-z0-9-]+)(?:\*(\d+)|=(\d+))?\]/gi)) {
    const name = (m[1] ?? "").toLowerCase();
    if (name === "latency" && m[3] !== undefined) out.latencyMs = Number(m[3]);
    const kind = MARKER_ALIASES[name];
    if (kind) out.fault = { kind, times: m[2] === undefined ? Infinity : Number(m[2]) };
  }
  return out;
}
