import { describe, expect, it } from "vitest";
import { overLimitMessage, parseBatchInput, readBudgetField } from "@/lib/batches/input";
import { INVISIBLE_TITLES, VISIBLE_EDGE_TITLES } from "../compose/invisible-titles";

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

  it("takes a canvas by its id or by its size", () => {
    for (const [given, id] of [
      ["youtube", "youtube"],
      ["1280x720", "youtube"],
      ["1080×1080", "square"],
      [" 1200 x 630 ", "blog"],
    ]) {
      const r = parseBatchInput({ ...ok, canvas: given });
      expect(r.ok && r.value.canvas).toBe(id);
    }
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
    [{ ...ok, canvas: "1000x1000" }, "canvas", /unknown canvas "1000x1000"/],
    [{ ...ok, canvas: 1280 }, "canvas", /canvas must be text/],
    [{ ...ok, context: "c".repeat(1001) }, "context", /context is 1001 characters; the limit is 1000/],
    // One "character" of 2,000 stacked accents: within the count, far over any sane length.
    [{ ...ok, prompts: ["a" + "\u0301".repeat(2000)] }, "prompts.0", /title 1 is 2001 UTF-16 units long/],
    [{ ...ok, budgetUsd: -1 }, "budgetUsd", /at least \$0\.01/],
    [{ ...ok, budgetUsd: 0 }, "budgetUsd", /at least \$0\.01/],
    // Below a cent it was taken, then said as "$0.00" beside an estimate it could never cover.
    [{ ...ok, budgetUsd: 0.001 }, "budgetUsd", /^budget must be at least \$0\.01$/],
    [{ ...ok, budgetUsd: 100_001 }, "budgetUsd", /at most \$100,000/],
    // The API takes a number only: "$5" is the studio field's way of writing it.
    [{ ...ok, budgetUsd: "$5" }, "budgetUsd", /^budget must be a number of US dollars, such as 5 or 2\.50$/],
    [{ ...ok, extra: 1 }, "(root)", /unknown field\(s\): extra/],
    [["only prompts"], "prompts", /list of titles/],
    // Postgres refuses NUL in text and JSON and a lone surrogate in JSON: a 500, not a batch.
    [{ ...ok, prompts: ["ok", "a\u0000b"] }, "prompts.1", /title 2 contains a NUL character/],
    [{ ...ok, prompts: ["\ud800x"] }, "prompts.0", /title 1 contains half of a character/],
    [{ ...ok, prompts: ["x\udc00"] }, "prompts.0", /unpaired UTF-16 surrogate/],
    [{ ...ok, context: "c\u0000" }, "context", /context contains a NUL character/],
    [{ ...ok, context: "\ud800x" }, "context", /context contains half of a character/],
    [{ ...ok, extraPrompt: "e\u0000" }, "extraPrompt", /extra guidance contains a NUL character/],
    [{ ...ok, extraPrompt: "\udfff" }, "extraPrompt", /extra guidance contains half of a character/],
    [{ ...ok, prompts: ["ok", "\u200b\u200b"] }, "prompts.1", /title 2 has no visible characters/],
    [{ ...ok, prompts: ["x".repeat(101) + "👍".repeat(100)] }, "prompts.0", /201 characters/],
    [
      { ...ok, quality: "ultra" },
      "quality",
      /no model in this batch has quality "ultra"; choose one of standard/,
    ],
    [{ ...ok, quality: "" }, "quality", /cannot be empty/],
    [{ ...ok, quality: "high" }, "quality", /no model in this batch has quality "high"/],
    [
      [...Object.values(ok), null, null, "extra", "more"],
      "(root)",
      /9 elements; it takes at most 7: prompts, models, style, template, font, context, extraPrompt/,
    ],
    [[...Object.values(ok), "", "", ""], "(root)", /8 elements/],
  ])("rejects %j at %s", (raw, path, message) => {
    const found = issues(raw);
    expect(found.map((i) => i.path)).toContain(path);
    expect(found.find((i) => i.path === path)?.message).toMatch(message);
  });

  it.each(INVISIBLE_TITLES)("refuses the title %j, which the compositor cannot draw", (title) => {
    expect(issues({ ...ok, prompts: ["Fine", title] })).toEqual([
      {
        path: "prompts.1",
        message: "title 2 has no visible characters (only spaces, control, zero-width or joining characters)",
      },
    ]);
  });

  it("keeps titles that have something to draw among invisible characters", () => {
    const r = parseBatchInput({ ...ok, prompts: VISIBLE_EDGE_TITLES });
    expect(r.ok && r.value.prompts.length).toBe(VISIBLE_EDGE_TITLES.length);
  });

  it("counts a title's characters as a person does, not UTF-16 units", () => {
    // 👍 is two UTF-16 units, 👍🏽 four, 👨‍👩‍👧 eight, e + U+0301 two: one character each.
    for (const unit of ["👍", "👍🏽", "👨‍👩‍👧", "e\u0301"]) {
      expect(parseBatchInput({ ...ok, prompts: [unit.repeat(200)] }).ok, unit).toBe(true);
      expect(issues({ ...ok, prompts: [unit.repeat(201)] })).toEqual([
        { path: "prompts.0", message: "title 1 is 201 characters; the limit is 200" },
      ]);
    }
    expect(parseBatchInput({ ...ok, context: "👍".repeat(1000) }).ok).toBe(true);
    expect(issues({ ...ok, context: "👍".repeat(1001) }).map((i) => i.path)).toEqual(["context"]);
  });

  it("takes a quality one of the batch's models has; a one-tier model ignores another's tier", () => {
    const mixed = { ...ok, models: ["gpt-image-1.5", "local-preview"] };
    expect(parseBatchInput({ ...mixed, quality: "high" }).ok).toBe(true);
    expect(parseBatchInput({ ...ok, quality: "standard" }).ok).toBe(true);
    expect(issues({ ...mixed, quality: "standard" })).toEqual([
      {
        path: "quality",
        message: 'GPT Image 1.5 has no quality "standard"; choose one of low, medium, high',
      },
    ]);
  });

  it("accepts the positional form with all seven elements or fewer", () => {
    expect(parseBatchInput([...Object.values(ok), "Some context", "More"]).ok).toBe(true);
    expect(parseBatchInput(Object.values(ok)).ok).toBe(true);
  });

  it("caps titles × models", () => {
    const found = issues({ ...ok, prompts: ["a", "b", "c"], models: ["local-preview", "gpt-image-1.5"] }, 5);
    expect(found).toEqual([
      {
        path: "prompts",
        message: "3 titles × 2 models = 6 images; the limit is 5 per batch",
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

describe("the studio's budget field", () => {
  it.each([
    ["", undefined],
    ["   ", undefined],
    ["5", 5],
    ["$5", 5],
    [" $5 ", 5],
    ["$ 2.50", 2.5],
    ["0.01", 0.01],
    [".5", 0.5],
    ["5.", 5],
    ["-1", -1],
    // Thousands separators, where they can only be that: groups of three digits before the point.
    ["1,000", 1000],
    ["$1,000.50", 1000.5],
    ["$ 12,345", 12345],
    ["1,234,567.8", 1234567.8],
    // An exponent, as a spreadsheet may copy a number.
    ["1e3", 1000],
    ["2.5E+2", 250],
    ["1e-3", 0.001],
  ])("reads %j as %j", (typed, value) => {
    expect(readBudgetField(typed)).toBe(value);
  });

  it.each(["5$", "$$5", "five", "0x10", "Infinity", "$", "1_000", "e3", "1e", "$1,000$"])(
    "passes %j on as typed, for the schema to refuse",
    (typed) => {
      expect(readBudgetField(typed)).toBe(typed.trim());
      expect(issues({ ...ok, budgetUsd: readBudgetField(typed) })[0]?.message).toBe(
        "budget must be a number of US dollars, such as 5 or 2.50",
      );
    },
  );

  it.each(["1,5", "1,50", "$2,50", "1,0000", "1.000,50", "12,34,567", ",5", "1,"])(
    "refuses %j, whose commas could mean another amount, saying how to write it",
    (typed) => {
      expect(readBudgetField(typed)).toBe(typed);
      expect(issues({ ...ok, budgetUsd: readBudgetField(typed) })).toEqual([
        {
          path: "budgetUsd",
          message: `budget "${typed}" is not clear: write cents after a point ($2.50) and commas only between thousands ($1,000)`,
        },
      ]);
    },
  );

  it("says an amount past what a number holds is out of range, and one past $100,000 alike", () => {
    expect(readBudgetField("1e999")).toBe("1e999");
    expect(issues({ ...ok, budgetUsd: readBudgetField("1e999") })[0]?.message).toBe(
      "budget is at most $100,000",
    );
    expect(issues({ ...ok, budgetUsd: readBudgetField("-1e999") })[0]?.message).toBe(
      "budget must be at least $0.01",
    );
    expect(issues({ ...ok, budgetUsd: readBudgetField("$100,000.01") })[0]?.message).toBe(
      "budget is at most $100,000",
    );
    expect(issues({ ...ok, budgetUsd: readBudgetField("1e5") })).toEqual([]);
  });

  it("takes $5 as the budget the batch then has, and refuses a sub-cent one as the API does", () => {
    const r = parseBatchInput({ ...ok, budgetUsd: readBudgetField("$5") });
    expect(r.ok && r.value.budgetUsd).toBe(5);
    expect(issues({ ...ok, budgetUsd: readBudgetField("$0.001") })).toEqual([
      { path: "budgetUsd", message: "budget must be at least $0.01" },
    ]);
  });
});

describe("spend limit messages", () => {
  it("say both amounts as precisely as prices are said, never a cent budget as $0.00", () => {
    expect(overLimitMessage(0.2, "your budget", 0.01)).toBe(
      "estimated cost $0.20 exceeds your budget of $0.01",
    );
    expect(overLimitMessage(0.02, "your budget", 0.015)).toBe(
      "estimated cost $0.02 exceeds your budget of $0.015",
    );
    expect(overLimitMessage(0.134, "the per-batch limit (MAX_BATCH_COST_USD)", 0.1)).toBe(
      "estimated cost $0.134 exceeds the per-batch limit (MAX_BATCH_COST_USD) of $0.10",
    );
  });
});
