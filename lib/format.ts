/** Small display formatters shared by server and client components. */

/**
 * An amount of US dollars as precisely as prices are set: to the tenth of a cent where it has one
 * ($0.134 and a $0.015 budget, not $0.13 and $0.01, so 60 images at $0.134 read $8.04 beside a price
 * that adds up to it), else in cents ($8.04, $0.00); below a cent, to the hundredth of a cent where it
 * has one ($0.005, $0.0042).
 */
export function formatUsd(usd: number): string {
  const [whole, frac = ""] = usd.toFixed(Math.abs(usd) < 0.01 ? 4 : 3).split(".");
  const digits = frac.replace(/0+$/, "");
  // An amount that is not nothing is not said as $0.00.
  if (digits === "" && whole === "0" && usd !== 0) return `$${whole}.${frac}`;
  return `$${whole}.${digits.padEnd(2, "0")}`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "5–25 s", "20–150 ms": a latency range in one unit. */
export function formatRange(minMs: number, maxMs: number): string {
  if (maxMs < 1000) return `${Math.round(minMs)}–${Math.round(maxMs)} ms`;
  const s = (ms: number) =>
    ms >= 10_000 || ms % 1000 === 0 ? String(Math.round(ms / 1000)) : (ms / 1000).toFixed(1);
  return `${s(minMs)}–${s(maxMs)} s`;
}
