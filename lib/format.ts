/** Small display formatters shared by server and client components. */
export function formatUsd(usd: number): string {
  if (usd === 0) return "$0.00";
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

/** A price per image: to the tenth of a cent where it has one ($0.134, not $0.13), else as formatUsd. */
export function formatUnitPrice(usd: number): string {
  if (usd < 0.01) return formatUsd(usd);
  const mills = usd.toFixed(3);
  return mills.endsWith("0") ? `$${usd.toFixed(2)}` : `$${mills}`;
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
