import { describe, expect, it } from "vitest";
import { planSplit } from "../../scripts/lib/cli-split";

const capIssue = (limit: number) => ({
  path: "prompts",
  message: `… the limit is ${limit} per batch`,
  code: "too_many_images" as const,
  limit,
});
const titles = (n: number) => Array.from({ length: n }, (_, i) => `Title ${i + 1}`);
const file = (prompts: string[], models = ["gpt-image-1-mini", "gemini-3-pro-image"]) => ({
  prompts,
  models,
  style: "neon",
  template: "bottom-bar",
  font: "inter",
});

describe("planSplit (npm run batch -- file --split)", () => {
  it("cuts the titles into batches of whole titles within the limit, in order", () => {
    const plan = planSplit(file(titles(7)), [capIssue(5)]);
    if (!plan?.ok) throw new Error(JSON.stringify(plan));
    expect([plan.perBatch, plan.titles]).toEqual([2, 7]);
    expect(plan.parts.map((p) => [p.from, p.body.prompts])).toEqual([
      [0, ["Title 1", "Title 2"]],
      [2, ["Title 3", "Title 4"]],
      [4, ["Title 5", "Title 6"]],
      [6, ["Title 7"]],
    ]);
    for (const part of plan.parts)
      expect(part.body).toMatchObject({ models: ["gpt-image-1-mini", "gemini-3-pro-image"], style: "neon" });
  });

  it("reads the seeds' positional file, and names retired model ids it maps", () => {
    const plan = planSplit(
      [titles(3), ["gpt-image-1"], "neon", "bottom-bar", "inter", "", ""],
      [capIssue(2)],
    );
    if (!plan?.ok) throw new Error(JSON.stringify(plan));
    expect(plan.parts.map((p) => p.body.prompts.length)).toEqual([2, 1]);
    expect(plan.parts[0]?.body.models).not.toContain("gpt-image-1");
    expect(plan.notices.join(" ")).toContain("gpt-image-1");
  });

  it("does not split a refusal that is not only the limit", () => {
    const other = { path: "models.0", message: 'unknown model "nope"' };
    expect(planSplit(file(titles(7)), [capIssue(5), other])).toBeNull();
    expect(planSplit(file(titles(7)), [other])).toBeNull();
    expect(planSplit(file(titles(7)), [])).toBeNull();
  });

  it("refuses to hand the file's budget to every batch, and models that alone pass the limit", () => {
    expect(planSplit({ ...file(titles(7)), budgetUsd: 2 }, [capIssue(5)])).toMatchObject({
      ok: false,
      error: expect.stringContaining("budgetUsd") as unknown,
    });
    expect(
      planSplit(file(titles(7), ["gpt-image-1-mini", "gemini-3-pro-image"]), [capIssue(1)]),
    ).toMatchObject({
      ok: false,
      error: expect.stringContaining("choose at most 1 models") as unknown,
    });
  });

  it("refuses a file that would make more batches than one submit may, as the studio does", () => {
    // 202 titles at 2 images per batch with 2 models: one title per batch, 202 batches.
    expect(planSplit(file(titles(202)), [capIssue(2)])).toEqual({
      ok: false,
      error:
        "--split: 202 titles make 202 batches of 1; at most 100 batches at once; submit the file in parts",
    });
    const hundred = planSplit(file(titles(100)), [capIssue(2)]);
    expect(hundred?.ok && hundred.parts.length).toBe(100);
  });
});
