/** Everything the studio form offers, derived from the catalogs and this server's environment. */
import { CANVASES, DEFAULT_CANVAS_ID } from "@/lib/catalog/canvases";
import { FONTS, DEFAULT_FONT_ID } from "@/lib/catalog/fonts";
import { estimateCost, getModel, pickSize, type ModelId } from "@/lib/catalog/models";
import { DEFAULT_STYLE, styleOptions } from "@/lib/catalog/styles";
import { TEMPLATES, DEFAULT_TEMPLATE_ID } from "@/lib/catalog/templates";
import { modelAvailability, PROVIDERS } from "@/lib/providers/registry";
import { providerConcurrency } from "@/lib/batches/concurrency";
import { maxBatchCostUsd, maxImagesPerBatch } from "@/lib/batches/limits";

export interface ModelOption {
  id: ModelId;
  label: string;
  provider: string;
  providerLabel: string;
  description: string;
  available: boolean;
  simulated: boolean;
  missingEnv: string | null;
  qualities: string[];
  defaultQuality: string;
  priceIsEstimate: boolean;
  /** List price per image for each canvas id, per quality tier. */
  priceUsd: Record<string, Record<string, number>>;
  latencyMs: { min: number; max: number };
  /** Calls in flight this server allows the model's provider. */
  providerConcurrency: number;
}

export interface StudioOptions {
  models: ModelOption[];
  styles: { value: string; label: string; swatches: readonly string[] }[];
  templates: { value: string; label: string; description: string }[];
  fonts: { value: string; label: string; category: string }[];
  canvases: { value: string; label: string; description: string; width: number; height: number }[];
  defaults: { style: string; template: string; font: string; canvas: string };
  maxImages: number;
  maxBatchCostUsd: number | null;
}

export function studioOptions(): StudioOptions {
  const models = modelAvailability().map((a): ModelOption => {
    const m = getModel(a.id);
    const priceUsd: Record<string, Record<string, number>> = {};
    for (const c of CANVASES) {
      const size = pickSize(m, c);
      priceUsd[c.id] = Object.fromEntries(m.qualities.map((q) => [q, estimateCost(m, q, size.id)]));
    }
    return {
      id: a.id,
      label: m.label,
      provider: m.provider,
      providerLabel: PROVIDERS[m.provider].label,
      description: m.description,
      available: a.available,
      simulated: a.simulated,
      missingEnv: a.missingEnv,
      qualities: [...m.qualities],
      defaultQuality: m.defaultQuality,
      priceIsEstimate: m.price.estimate,
      priceUsd,
      latencyMs: m.latencyMs,
      providerConcurrency: providerConcurrency(m.provider),
    };
  });
  return {
    models,
    styles: styleOptions(),
    templates: TEMPLATES.map((t) => ({ value: t.id, label: t.label, description: t.description })),
    fonts: FONTS.map((f) => ({ value: f.id, label: f.label, category: f.category })),
    canvases: CANVASES.map((c) => ({
      value: c.id,
      label: c.label,
      description: c.description,
      width: c.width,
      height: c.height,
    })),
    defaults: {
      style: DEFAULT_STYLE,
      template: DEFAULT_TEMPLATE_ID,
      font: DEFAULT_FONT_ID,
      canvas: DEFAULT_CANVAS_ID,
    },
    maxImages: maxImagesPerBatch(),
    maxBatchCostUsd: maxBatchCostUsd(),
  };
}
