import { describe, expect, it } from "vitest";
import { HARD_MAX_IMAGES } from "@/lib/batches/input";
import {
  MAX_SPLIT_BATCHES,
  noSplitReason,
  splitInput,
  splitShape,
  type SplitInput,
} from "@/lib/batches/split";

const input = (titles: number, models: string[], extra: Partial<SplitInput> = {}): SplitInput => ({
  prompts: Array.from({ length: titles }, (_, i) => `Title ${i + 1}`),
  models: models as SplitInput["models"],
  style: "neon",
  template: "bottom-bar",
  font: "inter",
  canvas: "blog",
  context: "",
  extraPrompt: "",
  ...extra,
});

describe("splitInput", () => {
  it("cuts the titles into batches of whole titles, in order, each within the limit", () => {
    const split = splitInput(input(7, ["local-preview", "gpt-image-1.5"]), 5);
    expect(split).toMatchObject({ ok: true, perBatch: 2 });
    if (!split.ok) return;
    expect(split.parts.map((p) => [p.from, p.body.prompts])).toEqual([
      [0, ["Title 1", "Title 2"]],
      [2, ["Title 3", "Title 4"]],
      [4, ["Title 5", "Title 6"]],
      [6, ["Title 7"]],
    ]);
    // Everything but the titles is the same in every part.
    expect(new Set(split.parts.map((p) => JSON.stringify({ ...p.body, prompts: [] }))).size).toBe(1);
  });

  it("keeps input within the limit as one batch, budget and all", () => {
    const one = input(2, ["local-preview", "gpt-image-1.5"], { budgetUsd: 3 });
    expect(splitInput(one, 5)).toEqual({ ok: true, perBatch: 2, parts: [{ from: 0, body: one }] });
  });

  it("refuses a budget (each part would get all of it) and more models than the limit", () => {
    expect(splitInput(input(7, ["local-preview"], { budgetUsd: 3 }), 5)).toMatchObject({
      ok: false,
      path: "budgetUsd",
    });
    expect(splitInput(input(7, ["local-preview", "gpt-image-1.5"]), 1)).toMatchObject({
      ok: false,
      path: "models",
      error: expect.stringMatching(/choose at most 1 models/),
    });
  });
});

describe("splitShape", () => {
  it("says how many batches of how many titles, within the most one submit may make", () => {
    expect(splitShape(120, 1, 50)).toEqual({ batches: 3, perBatch: 50 });
    expect(splitShape(120, 3, 50)).toEqual({ batches: 8, perBatch: 16 });
    expect(splitShape(16 * MAX_SPLIT_BATCHES + 1, 3, 50)).toBeNull();
    expect(splitShape(3, 4, 3)).toBeNull();
    expect(splitShape(3, 0, 50)).toBeNull();
    expect(splitShape(HARD_MAX_IMAGES + 1, 1, HARD_MAX_IMAGES)).toBeNull();
  });
});

describe("noSplitReason", () => {
  it("says nothing when the titles can be split, or there is nothing to send", () => {
    expect(noSplitReason(120, 1, 50)).toBeNull();
    expect(noSplitReason(0, 3, 50)).toBeNull();
    expect(noSplitReason(30, 0, 50)).toBeNull();
  });

  it("says how many titles one submit takes on these models", () => {
    // 16 titles a batch on 3 models, at most 100 batches.
    expect(noSplitReason(2000, 3, 50)).toBe(
      "too many to send at once, even as several batches: one submit takes at most 1,600 titles on 3 models; send the rest afterwards, or choose fewer models",
    );
    expect(noSplitReason(HARD_MAX_IMAGES + 1, 1, HARD_MAX_IMAGES)).toMatch(
      /at most 10,000 titles on 1 model;/,
    );
  });

  it("asks for fewer models when one title alone is over the limit", () => {
    expect(noSplitReason(3, 4, 3)).toBe(
      "4 models make more images for one title than the limit of 3 per batch: choose at most 3 models",
    );
  });
});
