/**
 * The studio's live estimate (runs in the browser): images, list cost and expected wall-clock. Wall-clock
 * assumes each provider runs at most its concurrency cap of calls at once at its models' typical latency,
 * providers in parallel: the batch takes as long as its slowest provider's queue.
 */
export interface EstimateModel {
  id: string;
  provider: string;
  qualities: string[];
  defaultQuality: string;
  priceUsd: Record<string, Record<string, number>>;
  latencyMs: { min: number; max: number };
  providerConcurrency: number;
}

export interface Estimate {
  images: number;
  totalUsd: number;
  perModelUsd: Record<string, number>;
  wallClockMs: number;
}

/**
 * A model's list price per image on `canvas` at the tier the batch would use: `quality` where the model has
 * it, else the model's default (as the submit sends it). Undefined where the catalog has no price.
 */
export function unitPrice(
  m: Pick<EstimateModel, "qualities" | "defaultQuality" | "priceUsd">,
  canvas: string,
  quality: string | undefined,
): number | undefined {
  const tier = quality && m.qualities.includes(quality) ? quality : m.defaultQuality;
  return m.priceUsd[canvas]?.[tier];
}

export function estimateBatch(
  prompts: number,
  models: readonly EstimateModel[],
  canvas: string,
  quality: string | undefined,
): Estimate {
  const perModelUsd: Record<string, number> = {};
  const byProvider = new Map<string, { cells: number; cap: number; latency: number }>();
  for (const m of models) {
    const price = unitPrice(m, canvas, quality) ?? 0;
    perModelUsd[m.id] = round(price * prompts);
    const typical = (m.latencyMs.min + m.latencyMs.max) / 2;
    const p = byProvider.get(m.provider) ?? { cells: 0, cap: m.providerConcurrency, latency: 0 };
    p.cells += prompts;
    p.latency = Math.max(p.latency, typical);
    byProvider.set(m.provider, p);
  }
  let wallClockMs = 0;
  for (const p of byProvider.values()) {
    if (p.cells === 0) continue;
    wallClockMs = Math.max(wallClockMs, Math.ceil(p.cells / Math.max(1, p.cap)) * p.latency);
  }
  const totalUsd = round(Object.values(perModelUsd).reduce((a, b) => a + b, 0));
  return { images: prompts * models.length, totalUsd, perModelUsd, wallClockMs };
}

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
