import { describe, expect, it } from "vitest";
import { batchOptions } from "@/lib/gallery/batch-options";

const batch = (id: string, title: string, at: string, prompts = 3, models = ["a", "b"]) => ({
  id,
  title,
  createdAt: new Date(at),
  prompts,
  models,
});

describe("the gallery's batch filter choices", () => {
  it("name the first title, the minute it was made and its size; alike batches add their id's start", () => {
    const options = batchOptions([
      batch("AAAAAAxyz", "Alpha mountain sunrise", "2026-12-07T09:22:10Z"),
      batch("BBBBBBxyz", "Alpha mountain sunrise", "2026-12-07T09:22:40Z"),
      batch("CCCCCCxyz", "Alpha mountain sunrise", "2026-12-07T09:23:00Z"),
      batch("DDDDDDxyz", "Alpha mountain sunrise", "2026-12-07T09:22:00Z", 5),
    ]);
    expect(options.map((o) => o.label.replace(/[\u2068\u2069]/g, ""))).toEqual([
      "Alpha mountain sunrise (2026-12-07 09:22, 3 × 2) · AAAAAA",
      "Alpha mountain sunrise (2026-12-07 09:22, 3 × 2) · BBBBBB",
      "Alpha mountain sunrise (2026-12-07 09:23, 3 × 2)",
      "Alpha mountain sunrise (2026-12-07 09:22, 5 × 2)",
    ]);
    expect(options.map((o) => o.value)).toEqual(["AAAAAAxyz", "BBBBBBxyz", "CCCCCCxyz", "DDDDDDxyz"]);
  });

  it("cut a long title by whole characters, never inside an emoji", () => {
    const [option] = batchOptions([
      batch("X", `${"x".repeat(38)}🚀🚀 emoji cut test`, "2026-12-07T09:22:00Z"),
    ]);
    expect(option!.label).toBe(`\u2068${"x".repeat(38)}🚀…\u2069 (2026-12-07 09:22, 3 × 2)`);
    expect(option!.label).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
