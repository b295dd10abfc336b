import { describe, expect, it } from "vitest";
import { parseBatchInput } from "@/lib/batches/input";

const ok = {
  prompts: ["A title"],
  models: ["local-preview"],
  style: "neon",
  template: "bottom-bar",
  font: "inter",
};

function issues(raw: unknown, maxImages?: number) {
  const r = parseBatchInput(raw, { maxImages });
  return r.ok ? [] : r.issues;
}

describe("batch input schema", () => {
  it("accepts the named object and trims, collapses and drops blank titles", () => {
    const r = parseBatchInput({ ...ok, prompts: ["  Two   spaces  ", "", "   "] });
    expect(r.ok && r.value.prompts).toEqual(["Two spaces"]);
    expect(r.ok && r.value.canvas).toBe("blog");
  });

  it("accepts the seeds' positional batch.json and resolves retired models with a notice", () => {
    const r = parseBatchInput([
      ["A", "B"],
      ["gpt-image-1", "gemini-3-pro-image-preview"],
      "photorealistic",
      "bottom-bar",
      "inter",
      "",
      "",
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.models).toEqual(["gpt-image-1.5", "gemini-3-pro-image"]);
    expect(r.value.notices).toHaveLength(2);
    expect(r.value.notices[0]).toMatch(/gpt-image-1 was retired.*gpt-image-1\.5/);
  });

  it.each([
    [{ ...ok, prompts: [] }, "prompts", /at least one/],
    [{ ...ok, prompts: ["x".repeat(201)] }, "prompts.0", /201 characters; the limit is 200/],
    [{ ...ok, models: [] }, "models", /at least one model/],
    [{ ...ok, models: ["dall-e-9"] }, "models.0", /unknown model "dall-e-9"/],
    [{ ...ok, models: ["gpt-image-1", "gpt-image-1.5"] }, "models.1", /repeats gpt-image-1\.5/],
    [{ ...ok, style: "baroque" }, "style", /unknown style "baroque"/],
    [{ ...ok, template: "nope" }, "template", /unknown template/],
    [{ ...ok, font: "comic-sans" }, "font", /unknown font/],
    [{ ...ok, canvas: "a4" }, "canvas", /unknown canvas/],
    [{ ...ok, context: "c".repeat(1001) }, "context", /at most 1000/],
    [{ ...ok, budgetUsd: -1 }, "budgetUsd", /more than \$0/],
    [{ ...ok, extra: 1 }, "(root)", /unknown field\(s\): extra/],
    [["only prompts"], "prompts", /list of titles/],
  ])("rejects %j at %s", (raw, path, message) => {
    const found = issues(raw);
    expect(found.map((i) => i.path)).toContain(path);
    expect(found.find((i) => i.path === path)?.message).toMatch(message);
  });

  it("caps titles × models", () => {
    const found = issues({ ...ok, prompts: ["a", "b", "c"], models: ["local-preview", "gpt-image-1.5"] }, 5);
    expect(found).toEqual([
      {
        path: "prompts",
        message: "3 prompts × 2 models = 6 images; the limit is 5 per batch",
        code: "too_many_images",
        limit: 5,
      },
    ]);
  });

  it("names the missing key of an unavailable model", () => {
    const r = parseBatchInput(
      { ...ok, models: ["gpt-image-1.5"] },
      { missingEnvFor: () => "OPENAI_API_KEY" },
    );
    expect(r.ok ? [] : r.issues).toEqual([
      { path: "models.0", message: "GPT Image 1.5 is not available here: set OPENAI_API_KEY" },
    ]);
  });
});

describe("ids", () => {
  it("never start with - or _ (they are blob key segments)", async () => {
    const { newId } = await import("@/lib/db/ids");
    for (let i = 0; i < 5000; i++) expect(newId()).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{21}$/);
  });
});
