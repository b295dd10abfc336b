import { describe, expect, it } from "vitest";
import {
  cancelSending,
  clearSentDraft,
  defaultValues,
  discardDraft,
  DRAFT_KEY,
  loadDraft,
  markSending,
  saveDraft,
  SENDING_KEY,
  valuesFromBatch,
  type DraftValues,
  type StorageLike,
} from "@/lib/studio/draft";
import type { StudioOptions } from "@/lib/studio/options";

/** A Storage double; `refuse` makes every write throw, as a full or disabled storage does. */
function memoryStorage(refuse = false): StorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => {
      if (refuse) throw new DOMException("quota", "QuotaExceededError");
      map.set(k, v);
    },
    removeItem: (k) => {
      if (refuse) throw new DOMException("denied", "SecurityError");
      map.delete(k);
    },
  };
}

const model = (id: string, available: boolean) => ({ id, available }) as StudioOptions["models"][number];

const options = {
  models: [model("gpt-image-1.5", false), model("local-preview", true), model("gemini-3-pro-image", true)],
  styles: [{ value: "cinematic" }, { value: "neon" }],
  templates: [{ value: "bottom-bar" }, { value: "overlay-center" }],
  fonts: [{ value: "inter" }, { value: "bangers" }],
  canvases: [{ value: "blog" }, { value: "youtube" }],
  defaults: { style: "cinematic", template: "bottom-bar", font: "inter", canvas: "blog" },
  maxImages: 50,
  maxBatchCostUsd: null,
} as unknown as StudioOptions;

const typed: DraftValues = {
  ...defaultValues(options),
  prompts: ["First title", "", "Second <title> & more"],
  models: ["local-preview", "gemini-3-pro-image"],
  style: "neon",
  template: "overlay-center",
  font: "bangers",
  canvas: "youtube",
  context: "A cooking blog",
  budget: "2.50",
};

describe("studio draft", () => {
  it("starts from the first available model and the catalog defaults", () => {
    expect(defaultValues(options)).toEqual({
      prompts: [""],
      models: ["local-preview"],
      style: "cinematic",
      template: "bottom-bar",
      font: "inter",
      canvas: "blog",
      quality: "",
      context: "",
      extraPrompt: "",
      budget: "",
    });
  });

  it("saves every field and reads it back exactly, with a rising revision", () => {
    const local = memoryStorage();
    expect(saveDraft(local, typed, options, 1_000)).toBe(1);
    expect(loadDraft(local, options)).toEqual({ values: typed, rev: 1, savedAt: 1_000 });
    expect(saveDraft(local, { ...typed, prompts: ["Changed"] }, options, 2_000)).toBe(2);
    expect(loadDraft(local, options)?.values.prompts).toEqual(["Changed"]);
  });

  it("stores nothing for an untouched form and removes an older draft when the form is cleared", () => {
    const local = memoryStorage();
    expect(saveDraft(local, defaultValues(options), options)).toBeNull();
    expect(local.map.size).toBe(0);
    saveDraft(local, typed, options);
    expect(saveDraft(local, defaultValues(options), options)).toBeNull();
    expect(local.getItem(DRAFT_KEY)).toBeNull();
  });

  it("falls back to the defaults for ids this server does not offer, and drops unavailable models", () => {
    const local = memoryStorage();
    local.setItem(
      DRAFT_KEY,
      JSON.stringify({
        rev: 4,
        savedAt: 5,
        values: {
          ...typed,
          models: ["gpt-image-1.5", "no-such-model", "gemini-3-pro-image", "gemini-3-pro-image"],
          style: "retired-style",
          template: 42,
          font: "comic-sans",
          canvas: null,
        },
      }),
    );
    expect(loadDraft(local, options)?.values).toEqual({
      ...typed,
      models: ["gemini-3-pro-image"],
      style: "cinematic",
      template: "bottom-bar",
      font: "inter",
      canvas: "blog",
    });
    local.setItem(DRAFT_KEY, JSON.stringify({ rev: 1, savedAt: 1, values: { prompts: [], models: [] } }));
    expect(loadDraft(local, options)?.values).toEqual(defaultValues(options));
  });

  it("keeps only strings from the stored titles and bounds their number and length", () => {
    const local = memoryStorage();
    const prompts = [7, "ok", null, "x".repeat(5_000), ...Array.from({ length: 12_000 }, (_, i) => `t${i}`)];
    local.setItem(DRAFT_KEY, JSON.stringify({ rev: 1, savedAt: 1, values: { prompts } }));
    const restored = loadDraft(local, options)!.values.prompts;
    expect(restored.length).toBeLessThanOrEqual(10_000);
    expect(restored.slice(0, 2)).toEqual(["ok", "x".repeat(1_000)]);
  });

  it("treats text that is not a draft as no draft", () => {
    const local = memoryStorage();
    for (const text of [
      "{not json",
      "null",
      "[]",
      '"text"',
      '{"values":{}}',
      '{"rev":"1","savedAt":1,"values":{}}',
    ]) {
      local.setItem(DRAFT_KEY, text);
      expect(loadDraft(local, options), text).toBeNull();
    }
  });

  it("never throws when storage refuses: the form goes on without a draft", () => {
    const refusing = memoryStorage(true);
    expect(saveDraft(refusing, typed, options)).toBeNull();
    expect(() => discardDraft(refusing)).not.toThrow();
    expect(() => markSending(refusing, 3)).not.toThrow();
    expect(() => cancelSending(refusing)).not.toThrow();
    expect(clearSentDraft(refusing, refusing)).toBe(false);
  });

  it("is removed by the batch page only when the revision sent is still the stored one", () => {
    const local = memoryStorage();
    const session = memoryStorage();
    const rev = saveDraft(local, typed, options);
    markSending(session, rev);
    expect(session.getItem(SENDING_KEY)).toBe("1");
    expect(clearSentDraft(session, local)).toBe(true);
    expect(local.getItem(DRAFT_KEY)).toBeNull();
    expect(session.getItem(SENDING_KEY)).toBeNull();

    // Typed on after sending (another tab): the newer draft stays.
    markSending(session, saveDraft(local, typed, options));
    saveDraft(local, { ...typed, prompts: ["Newer"] }, options);
    expect(clearSentDraft(session, local)).toBe(false);
    expect(loadDraft(local, options)?.values.prompts).toEqual(["Newer"]);
  });

  it("starts a form from an earlier batch: its titles and settings, checked, without its budget", () => {
    const batch = {
      prompts: ["One", "Two"],
      models: ["gpt-image-1.5", "gemini-3-pro-image"],
      style: "neon",
      template: "overlay-center",
      font: "retired-font",
      canvas: "youtube",
      quality: null,
      context: "ctx",
      extraPrompt: "more",
    };
    expect(valuesFromBatch(batch, options)).toEqual({
      prompts: ["One", "Two"],
      models: ["gemini-3-pro-image"],
      style: "neon",
      template: "overlay-center",
      font: "inter",
      canvas: "youtube",
      quality: "",
      context: "ctx",
      extraPrompt: "more",
      budget: "",
    });
    expect(valuesFromBatch({ ...batch, models: ["gpt-image-1.5"], quality: "high" }, options)).toMatchObject({
      models: ["local-preview"],
      quality: "high",
    });
  });

  it("stays when the submit was refused, or when a batch page is opened without a submit", () => {
    const local = memoryStorage();
    const session = memoryStorage();
    markSending(session, saveDraft(local, typed, options));
    cancelSending(session);
    expect(clearSentDraft(session, local)).toBe(false);
    expect(loadDraft(local, options)?.values).toEqual(typed);
  });
});
