import { describe, expect, it } from "vitest";
import {
  ALL_MODEL_IDS,
  MODEL_IDS,
  PROVIDERS,
  anyModelIdSchema,
  costFromUsage,
  estimateCost,
  getModel,
  listModels,
  listRetiredModels,
  modelIdSchema,
  modelLabel,
  modelOptions,
  pickSize,
  resolveModel,
} from "@/lib/catalog/models";
import { STYLE_IDS, getStyle, styleIdSchema } from "@/lib/catalog/styles";
import { UnknownModelError } from "@/lib/errors";
import { PROVIDER_IDS } from "@/lib/providers/registry";

describe("model catalog integrity", () => {
  it("has the expected current models, preview first and clearly labelled", () => {
    expect(MODEL_IDS).toEqual([
      "local-preview",
      "gpt-image-1-mini",
      "gpt-image-1.5",
      "gpt-image-2",
      "gemini-3-pro-image",
    ]);
    expect(getModel("local-preview").label).toBe("Preview (offline)");
    expect(modelOptions()[0]).toMatchObject({ value: "local-preview", label: "Preview (offline)" });
  });

  it.each(listModels().map((m) => [m.id, m] as const))(
    "%s: adapter, sizes, tiers, prices, latency, concurrency",
    (_id, m) => {
      expect(PROVIDER_IDS).toContain(m.provider);
      expect(PROVIDERS[m.provider].concurrency).toBeGreaterThan(0);
      expect(m.sizes.length).toBeGreaterThan(0);
      expect(m.qualities).toContain(m.defaultQuality);
      for (const size of m.sizes) {
        expect(size.width).toBeGreaterThan(0);
        expect(size.height).toBeGreaterThan(0);
        for (const q of m.qualities)
          expect(size.priceUsd[q], `${m.id} ${size.id} ${q}`).toBeGreaterThanOrEqual(0);
      }
      expect(m.price.source.length).toBeGreaterThan(10);
      expect(m.latencyMs.max).toBeGreaterThanOrEqual(m.latencyMs.min);
      expect(m.concurrency).toBeGreaterThan(0);
      if (m.provider !== "local-preview") expect(estimateCost(m)).toBeGreaterThan(0);
    },
  );

  it("labels current and retired models for people, and unknown ids as themselves", () => {
    expect(modelLabel("local-preview")).toBe("Preview (offline)");
    expect(modelLabel("gpt-image-1")).toBe("GPT Image 1 (retired)");
    expect(modelLabel("no-such-model")).toBe("no-such-model");
  });

  it("marks gpt-image-2's price as an estimate with a source note", () => {
    const m = getModel("gpt-image-2");
    expect(m.price.estimate).toBe(true);
    expect(m.price.source).toMatch(/estimate/i);
  });

  it("carries the reference list prices", () => {
    expect(estimateCost(getModel("gpt-image-1-mini"), "low", "1024x1024")).toBe(0.005);
    expect(estimateCost(getModel("gpt-image-1.5"), "medium", "1536x1024")).toBe(0.05);
    expect(estimateCost(getModel("gemini-3-pro-image"), undefined, "16:9@2K")).toBe(0.134);
    expect(estimateCost(getModel("gemini-3-pro-image"), undefined, "1:1@4K")).toBe(0.24);
    expect(() => estimateCost(getModel("gpt-image-1.5"), "ultra")).toThrow(/no quality/);
  });

  it("prices from usage when token prices exist, else falls back to the list price", () => {
    expect(
      costFromUsage(getModel("gemini-3-pro-image"), { inputTokens: 0, outputTokens: 1120 }, 9),
    ).toBeCloseTo(0.1344, 4);
    expect(costFromUsage(getModel("gpt-image-2"), { inputTokens: 10, outputTokens: 1000 }, 0.05)).toBe(0.05);
    expect(costFromUsage(getModel("gpt-image-1.5"), null, 0.05)).toBe(0.05);
  });
});

describe("retired ids", () => {
  it.each([
    ["gpt-image-1", "gpt-image-1.5"],
    ["dall-e-3", "gpt-image-1.5"],
    ["gemini-3-pro-image-preview", "gemini-3-pro-image"],
    ["gemini-2.5-flash-image", "gemini-3-pro-image"],
  ])("%s resolves to %s with a visible notice", (oldId, newId) => {
    const { model, notice } = resolveModel(oldId);
    expect(model.id).toBe(newId);
    expect(model.status).toBe("current");
    expect(notice).toContain(oldId);
    expect(notice).toContain(newId);
    expect(notice).toMatch(/retired/);
  });

  it("every retired model points at a current model of the same provider", () => {
    for (const r of listRetiredModels()) expect(getModel(r.successor).provider).toBe(r.provider);
  });

  it("current ids resolve to themselves without a notice; unknown ids throw a typed error", () => {
    expect(resolveModel("gpt-image-2")).toEqual({ model: getModel("gpt-image-2") });
    expect(() => resolveModel("midjourney-7")).toThrow(UnknownModelError);
    expect(() => getModel("gpt-image-1" as never)).toThrow(/retired; resolve it/);
  });

  it("zod schemas derive from the catalog", () => {
    expect(modelIdSchema.safeParse("gpt-image-1.5").success).toBe(true);
    expect(modelIdSchema.safeParse("gpt-image-1").success).toBe(false);
    expect(anyModelIdSchema.safeParse("gpt-image-1").success).toBe(true);
    expect(ALL_MODEL_IDS).toHaveLength(MODEL_IDS.length + listRetiredModels().length);
  });
});

describe("pickSize", () => {
  const cases: [string, number, number, string][] = [
    ["gpt-image-1.5", 1200, 630, "1536x1024"],
    ["gpt-image-1.5", 1080, 1080, "1024x1024"],
    ["gpt-image-1.5", 720, 1280, "1024x1536"],
    ["gpt-image-2", 1200, 630, "1536x800"],
    ["gpt-image-2", 1280, 720, "1536x864"],
    ["gemini-3-pro-image", 1200, 630, "16:9@1K"],
    ["gemini-3-pro-image", 1080, 1080, "1:1@1K"],
    ["gemini-3-pro-image", 2000, 630, "21:9@1K"],
    ["local-preview", 1200, 630, "1200x630"],
  ];
  it.each(cases)("%s for %ix%i → %s", (id, width, height, expected) => {
    expect(pickSize(getModel(id as never), { width, height }).id).toBe(expected);
  });

  it("honours an explicit Gemini image size and rejects empty canvases", () => {
    expect(pickSize(getModel("gemini-3-pro-image"), { width: 1280, height: 720 }, "4K").id).toBe("16:9@4K");
    expect(() => pickSize(getModel("gpt-image-1.5"), { width: 0, height: 10 })).toThrow(RangeError);
  });
});

describe("style catalog", () => {
  it("has the ids batch files use, each with a prompt fragment and a 3-5 colour palette", () => {
    const required =
      "photorealistic cinematic cartoon anime 3d pixel-art watercolor oil-painting sketch minimalist neon vintage".split(
        " ",
      );
    for (const id of required) expect(STYLE_IDS).toContain(id);
    for (const id of STYLE_IDS) {
      const s = getStyle(id);
      expect(s.prompt.length).toBeGreaterThan(20);
      expect(s.palette.length).toBeGreaterThanOrEqual(3);
      expect(s.palette.length).toBeLessThanOrEqual(5);
      for (const c of s.palette) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    }
    expect(styleIdSchema.safeParse("neon").success).toBe(true);
    expect(styleIdSchema.safeParse("vaporwave").success).toBe(false);
  });
});

describe("UI options", () => {
  it("list current models with a 'from' price at the default quality", () => {
    const options = modelOptions();
    expect(options.map((o) => o.value)).toEqual(MODEL_IDS);
    expect(options.find((o) => o.value === "gpt-image-1-mini")?.fromPriceUsd).toBe(0.011);
    expect(options.find((o) => o.value === "gemini-3-pro-image")?.fromPriceUsd).toBe(0.134);
    expect(options.find((o) => o.value === "local-preview")?.fromPriceUsd).toBe(0);
    expect(options.find((o) => o.value === "gpt-image-2")?.estimatedPrice).toBe(true);
  });
});
