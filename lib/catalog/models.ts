/**
 * The image model catalog, declared once. Id unions, zod schemas, UI option lists, size picking and cost
 * estimates are all derived from MODELS below; nothing else lists model ids by hand.
 */
import { z } from "zod";
import { UnknownModelError } from "@/lib/errors";
import type { ProviderId } from "@/lib/providers/types";
import {
  closestSize,
  freeFormSizes,
  geminiSizes,
  openAiSizes,
  previewSizes,
  type NativeSize,
} from "@/lib/catalog/model-sizes";

export type { NativeSize } from "@/lib/catalog/model-sizes";

interface PriceInfo {
  /** True when no published figure was found and the price is our estimate. */
  estimate: boolean;
  source: string;
  /** USD per million tokens, used to price a call from the usage the provider reports. */
  perMillionTokens?: { input: number; output: number };
}

interface CurrentModelSpec {
  provider: ProviderId;
  label: string;
  status: "current";
  description: string;
  sizes: readonly NativeSize[];
  qualities: readonly string[];
  defaultQuality: string;
  price: PriceInfo;
  /** Typical wall-clock per image, for progress estimates and simulator defaults. */
  latencyMs: { min: number; max: number };
  /** Requests in flight per model before providers typically start answering 429. */
  concurrency: number;
}

interface RetiredModelSpec {
  provider: ProviderId;
  label: string;
  status: "retired";
  retiredOn: string;
  successor: string;
  /** Why this successor, shown in the notice. */
  why: string;
}

/** Per provider (account-wide) defaults: which keys enable it and how many calls to keep in flight. */
export const PROVIDERS = {
  openai: { label: "OpenAI", keyEnv: ["OPENAI_API_KEY"], concurrency: 8 },
  google: { label: "Google Gemini", keyEnv: ["GEMINI_API_KEY", "GOOGLE_API_KEY"], concurrency: 4 },
  "local-preview": { label: "Offline preview", keyEnv: [], concurrency: 2 },
} as const satisfies Record<ProviderId, { label: string; keyEnv: readonly string[]; concurrency: number }>;

const OPENAI_TIERS = ["low", "medium", "high"] as const;
const GPT_IMAGE_15 = {
  square: { low: 0.009, medium: 0.034, high: 0.133 },
  wide: { low: 0.013, medium: 0.05, high: 0.2 },
};

const MODELS = {
  "local-preview": {
    provider: "local-preview",
    label: "Preview (offline)",
    status: "current",
    description:
      "Offline preview renderer: abstract composition from the style palette. Free, instant, no key.",
    sizes: previewSizes(),
    qualities: ["standard"],
    defaultQuality: "standard",
    price: { estimate: false, source: "Rendered locally; no charge." },
    latencyMs: { min: 20, max: 150 },
    concurrency: 2,
  },
  "gpt-image-1-mini": {
    provider: "openai",
    label: "GPT Image 1 mini",
    status: "current",
    description: "OpenAI's low-cost image model.",
    sizes: openAiSizes(
      { low: 0.005, medium: 0.011, high: 0.036 },
      { low: 0.006, medium: 0.015, high: 0.052 },
    ),
    qualities: OPENAI_TIERS,
    defaultQuality: "medium",
    price: {
      estimate: false,
      source:
        "List price from docs/image-providers.md (late 2026). Token rates ($2 text in, $8 image out per 1M) " +
        "are from OpenAI's pricing page, not the reference doc: verify before relying on usage-based cost.",
      perMillionTokens: { input: 2, output: 8 },
    },
    latencyMs: { min: 5_000, max: 25_000 },
    concurrency: 8,
  },
  "gpt-image-1.5": {
    provider: "openai",
    label: "GPT Image 1.5",
    status: "current",
    description: "OpenAI's general image model; successor of gpt-image-1.",
    sizes: openAiSizes(GPT_IMAGE_15.square, GPT_IMAGE_15.wide),
    qualities: OPENAI_TIERS,
    defaultQuality: "medium",
    price: {
      estimate: false,
      source:
        "Third-party list price, medium confidence (docs/image-providers.md). Token rates ($5 text in, $32 " +
        "image out per 1M) reproduce that list price at 1,056 output tokens per medium square image.",
      perMillionTokens: { input: 5, output: 32 },
    },
    latencyMs: { min: 5_000, max: 30_000 },
    concurrency: 8,
  },
  "gpt-image-2": {
    provider: "openai",
    label: "GPT Image 2",
    status: "current",
    description: "OpenAI's newest image model; accepts free-form sizes.",
    sizes: [...openAiSizes(GPT_IMAGE_15.square, GPT_IMAGE_15.wide), ...freeFormSizes(GPT_IMAGE_15.wide)],
    qualities: OPENAI_TIERS,
    defaultQuality: "medium",
    price: {
      estimate: true,
      source:
        "No published price in our reference; estimated at gpt-image-1.5's list price. Verify on openai.com/api/pricing.",
    },
    latencyMs: { min: 10_000, max: 60_000 },
    concurrency: 8,
  },
  "gemini-3-pro-image": {
    provider: "google",
    label: "Gemini 3 Pro Image",
    status: "current",
    description: "Google's Gemini 3 Pro image model (GA); aspect ratios at 1K, 2K or 4K.",
    sizes: geminiSizes({ "1K": 0.134, "2K": 0.134, "4K": 0.24 }),
    qualities: ["standard"],
    defaultQuality: "standard",
    price: {
      estimate: false,
      source:
        "Google list price (docs/image-providers.md): 1K/2K $0.134, 4K $0.24; equal to $120 per 1M image " +
        "output tokens at 1,120 (1K/2K) and 2,000 (4K) tokens per image.",
      perMillionTokens: { input: 2, output: 120 },
    },
    latencyMs: { min: 10_000, max: 30_000 },
    concurrency: 4,
  },
  "gpt-image-1": {
    provider: "openai",
    label: "GPT Image 1 (retired)",
    status: "retired",
    retiredOn: "2026-10-23",
    successor: "gpt-image-1.5",
    why: "its direct successor: same quality tiers, lower list price per tier",
  },
  "dall-e-3": {
    provider: "openai",
    label: "DALL·E 3 (retired)",
    status: "retired",
    retiredOn: "2026-05-12",
    successor: "gpt-image-1.5",
    why: "OpenAI's current general image model",
  },
  "gemini-3-pro-image-preview": {
    provider: "google",
    label: "Gemini 3 Pro Image preview (retired)",
    status: "retired",
    retiredOn: "2026",
    successor: "gemini-3-pro-image",
    why: "the GA release of the same model",
  },
  "gemini-2.5-flash-image": {
    provider: "google",
    label: "Gemini 2.5 Flash Image (retired)",
    status: "retired",
    retiredOn: "2026-10-02",
    successor: "gemini-3-pro-image",
    why: "the only current Gemini image model in the catalog; note it costs more ($0.134 vs $0.039 per image)",
  },
} as const satisfies Record<string, CurrentModelSpec | RetiredModelSpec>;

type Catalog = typeof MODELS;
export type AnyModelId = keyof Catalog;
export type ModelId = { [K in AnyModelId]: Catalog[K]["status"] extends "current" ? K : never }[AnyModelId];
export type RetiredModelId = Exclude<AnyModelId, ModelId>;
export type Model = CurrentModelSpec & { id: ModelId };
export type RetiredModel = RetiredModelSpec & { id: RetiredModelId; successor: ModelId };

const entries = Object.entries(MODELS) as [AnyModelId, CurrentModelSpec | RetiredModelSpec][];
const current = new Map<string, Model>();
const retired = new Map<string, RetiredModel>();
for (const [id, spec] of entries) {
  if (spec.status === "current") current.set(id, { ...spec, id: id as ModelId });
  else retired.set(id, { ...spec, id: id as RetiredModelId, successor: spec.successor as ModelId });
}

export const MODEL_IDS = [...current.keys()] as [ModelId, ...ModelId[]];
export const RETIRED_MODEL_IDS = [...retired.keys()] as RetiredModelId[];
export const ALL_MODEL_IDS = [...MODEL_IDS, ...RETIRED_MODEL_IDS] as [AnyModelId, ...AnyModelId[]];

export const modelIdSchema = z.enum(MODEL_IDS);
/** Accepts current and retired ids (old batch files); resolve with resolveModel before use. */
export const anyModelIdSchema = z.enum(ALL_MODEL_IDS);

export function listModels(): Model[] {
  return [...current.values()];
}

export function listRetiredModels(): RetiredModel[] {
  return [...retired.values()];
}

export function getModel(id: ModelId): Model {
  const model = current.get(id);
  if (model) return model;
  const old = retired.get(id);
  const hint =
    old && `Model "${id}" is retired; resolve it with resolveModel() first (successor: ${old.successor}).`;
  throw new UnknownModelError(id, MODEL_IDS, hint);
}

/** A model's label for people; the id itself for anything the catalog no longer lists. */
export function modelLabel(id: string): string {
  return current.get(id as ModelId)?.label ?? retired.get(id as RetiredModelId)?.label ?? id;
}

/** UI option list: current models only, preview first. */
export interface ModelOption {
  value: ModelId;
  label: string;
  provider: ProviderId;
  /** Cheapest list price per image at the default quality, for "from $x" labels. */
  fromPriceUsd: number;
  estimatedPrice: boolean;
}

export function modelOptions(): ModelOption[] {
  return listModels().map((m) => ({
    value: m.id,
    label: m.label,
    provider: m.provider,
    fromPriceUsd: Math.min(...m.sizes.map((s) => s.priceUsd[m.defaultQuality] ?? Infinity)),
    estimatedPrice: m.price.estimate,
  }));
}

/** Maps any known id to a current model; a retired id comes back with a notice to show the person. */
export function resolveModel(id: string): { model: Model; notice?: string } {
  const direct = current.get(id);
  if (direct) return { model: direct };
  const old = retired.get(id);
  if (old) {
    const model = getModel(old.successor);
    const notice =
      `${old.id} was retired (${old.retiredOn}); using ${model.id} instead, ${old.why}. ` +
      `Update the batch to ${model.id} to silence this notice.`;
    return { model, notice };
  }
  throw new UnknownModelError(id, MODEL_IDS);
}

export function pickSize(
  model: Model,
  canvas: { width: number; height: number },
  imageSize?: string,
): NativeSize {
  const sizes = imageSize ? model.sizes.filter((s) => s.imageSize === imageSize) : model.sizes;
  const candidates = sizes.length > 0 ? sizes : model.sizes;
  // Gemini lists every aspect at 1K, 2K and 4K: without an explicit choice, 1K (fastest, same price as 2K).
  const defaultTier = candidates.some((s) => s.imageSize) && !imageSize;
  return closestSize(
    defaultTier ? candidates.filter((s) => s.imageSize === "1K") : candidates,
    canvas.width,
    canvas.height,
  );
}

/** Finds a native size by id ("1536x1024", "16:9@2K") or exact pixel dimensions. */
export function findSize(
  model: Model,
  size: string | { width: number; height: number },
): NativeSize | undefined {
  if (typeof size === "string") return model.sizes.find((s) => s.id === size);
  return model.sizes.find((s) => s.width === size.width && s.height === size.height);
}

/** List price in USD for one image. Defaults: the model's default quality and its first native size. */
export function estimateCost(
  model: Model,
  quality?: string,
  size?: string | { width: number; height: number },
): number {
  const native = size === undefined ? model.sizes[0] : findSize(model, size);
  if (!native) throw new RangeError(`${model.id} has no native size ${JSON.stringify(size)}`);
  const tier = quality ?? model.defaultQuality;
  const price = native.priceUsd[tier];
  if (price === undefined) {
    throw new RangeError(`${model.id} has no quality "${tier}"; choose one of ${model.qualities.join(", ")}`);
  }
  return price;
}

/** Cost from reported token usage when the model has token prices, else the list price. */
export function costFromUsage(
  model: Model,
  usage: { inputTokens?: number; outputTokens?: number } | null,
  fallbackUsd: number,
): number {
  const rates = model.price.perMillionTokens;
  if (!rates || !usage || usage.outputTokens === undefined) return fallbackUsd;
  const usd = ((usage.inputTokens ?? 0) * rates.input + usage.outputTokens * rates.output) / 1_000_000;
  return Math.round(usd * 1e6) / 1e6;
}
