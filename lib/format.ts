/** Small display formatters shared by server and client components. */

/**
 * An amount of US dollars as precisely as prices are set: to the tenth of a cent where it has one
 * ($0.134 and a $0.015 budget, not $0.13 and $0.01, so 60 images at $0.134 read $8.04 beside a price
 * that adds up to it), else in cents ($8.04, $0.00); below a cent, to the hundredth of a cent where it
 * has one ($0.005, $0.0042). From $10 on, in cents with thousands separated ($1,299.94, not $1299.935):
 * there a tenth of a cent is noise that makes a total harder to read.
 */
export function formatUsd(usd: number): string {
  if (Math.abs(usd) >= 10) {
    return `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  const [whole, frac = ""] = usd.toFixed(Math.abs(usd) < 0.01 ? 4 : 3).split(".");
  const digits = frac.replace(/0+$/, "");
  // An amount that is not nothing is not said as $0.00.
  if (digits === "" && whole === "0" && usd !== 0) return `$${whole}.${frac}`;
  return `$${whole}.${digits.padEnd(2, "0")}`;
}

/** A count as people read it: 1,600 titles, not 1600. */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) {
    const m = Math.floor(ms / 60_000);
    return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
  }
  // Past an hour, seconds are noise: "2 h 26 min", not "145 min 50 s".
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** "5–25 s", "20–150 ms": a latency range in one unit. */
export function formatRange(minMs: number, maxMs: number): string {
  if (maxMs < 1000) return `${Math.round(minMs)}–${Math.round(maxMs)} ms`;
  const s = (ms: number) =>
    ms >= 10_000 || ms % 1000 === 0 ? String(Math.round(ms / 1000)) : (ms / 1000).toFixed(1);
  return `${s(minMs)}–${s(maxMs)} s`;
}
