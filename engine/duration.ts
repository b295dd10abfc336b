const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parses the SDK's duration strings ("1m30s", "2h", "500ms") into milliseconds.
 * Returns undefined for anything else. "" is zero, as the SDK emits it for 0.
 */
export function parseDuration(input: string): number | undefined {
  const s = input.trim();
  if (s === "") return 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * (UNITS[m[2] ?? ""] ?? 0);
    matched = re.lastIndex;
  }
  return matched === s.length ? total : undefined;
}

/** A sleep/timeout target: a duration relative to `now`, or an absolute ISO time. */
export function resolveTarget(input: string, now: number): number | undefined {
  const d = parseDuration(input);
  if (d !== undefined) return now + d;
  if (/^\d{4}-\d{2}-\d{2}T/.test(input)) {
    const t = Date.parse(input);
    if (Number.isFinite(t)) return t;
  }
  return undefined;
}

/** Retry-After header: integer seconds or an HTTP/ISO date. Returns a delay in ms. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}
