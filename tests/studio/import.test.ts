import { describe, expect, it } from "vitest";
import { dedupe, importFile, importModels, jsonProblem, parseCsv, repeatedRows } from "@/lib/studio/import";
import { estimateBatch, type EstimateModel } from "@/lib/studio/estimate";

describe("importing titles", () => {
  it("reads .txt lines, skipping blanks and a BOM", () => {
    expect(importFile("t.txt", "\uFEFFOne\r\n\n Two \n")).toEqual({
      ok: true,
      value: { prompts: ["One", "Two"] },
    });
  });

  it("reads the title column of a CSV with quotes, commas and newlines", () => {
    const csv = 'id,title\n1,"Commas, quotes ""and"" more"\n2,"Two\nlines"\n';
    expect(parseCsv(csv)).toEqual([
      ["id", "title"],
      ["1", 'Commas, quotes "and" more'],
      ["2", "Two\nlines"],
    ]);
    expect(importFile("t.csv", csv)).toEqual({
      ok: true,
      value: { prompts: ['Commas, quotes "and" more', "Two\nlines"] },
    });
    expect(importFile("t.csv", "First\nSecond")).toEqual({
      ok: true,
      value: { prompts: ["First", "Second"] },
    });
  });

  it("reads the seeds' positional batch.json and the named object", () => {
    const positional = importFile(
      "batch.json",
      JSON.stringify([["A", "B"], ["gpt-image-1"], "neon", "center-box", "lora", "ctx", ""]),
    );
    expect(positional).toEqual({
      ok: true,
      value: {
        prompts: ["A", "B"],
        models: ["gpt-image-1"],
        style: "neon",
        template: "center-box",
        font: "lora",
        context: "ctx",
        extraPrompt: "",
      },
    });
    const named = importFile("b.json", JSON.stringify({ prompts: ["X"], canvas: "square" }));
    expect(named.ok && named.value.canvas).toBe("square");
  });

  it("says what is wrong with a bad file", () => {
    // Not the parser's own words ("Unexpected token 'o', …", "Expected property name …"), which differ
    // between browsers and name no place.
    expect(importFile("b.json", "{not json")).toEqual({
      ok: false,
      error: "That file is not valid JSON (unexpected “n” at line 1, column 2).",
    });
    expect(importFile("b.json", "[1,2]")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/list of titles/),
    });
    expect(importFile("b.pdf", "x")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/\.txt, \.csv or batch\.json/),
    });
    expect(importFile("t.txt", "\n\n")).toMatchObject({ ok: false, error: "The file has no titles in it." });
  });

  it.each([
    // Read as far as "n" of null goes.
    ['{"prompts": ["a", nope]}', "unexpected “o” at line 1, column 20"],
    ['[\n  "One",\n  "Two",\n]', "unexpected “]” at line 4, column 1"],
    ["{'prompts': ['a']}", "unexpected “'” at line 1, column 2"],
    ['{"prompts": ["a"]', "it ends before the JSON is complete: is part of it missing?"],
    ['["a" "b"]', 'unexpected “"” at line 1, column 6'],
    ['["a\nb"]', "unexpected line break at line 1, column 4"],
    ["[01]", "unexpected “1” at line 1, column 3"],
    ['["a"] 😀', "unexpected “😀” at line 1, column 7"],
    ["\uFEFF  ", "it is empty"],
  ])("says where %j stops being JSON", (text, problem) => {
    expect(importFile("batch.json", text)).toEqual({
      ok: false,
      error: `That file is not valid JSON (${problem}).`,
    });
  });

  it("finds no problem in any JSON the parser reads", () => {
    for (const text of [
      '{"a": [1, -0.5, 2e10, 3E-2, true, false, null, "x\\"\\u00e9\\n", {}, []]}',
      " \r\n [ ] ",
      '"only a string"',
      "0",
      '{"nested": {"deeper": [[[{"k": "v"}]]]}}',
    ]) {
      JSON.parse(text);
      expect(jsonProblem(text)).toBeNull();
    }
  });

  it("de-duplicates ignoring case and spacing, keeping the first", () => {
    expect(dedupe(["Hello  world", "hello world", "Other", "HELLO WORLD"])).toEqual([
      "Hello  world",
      "Other",
    ]);
  });
});

describe("live estimate", () => {
  const model = (
    id: string,
    provider: string,
    price: number,
    cap: number,
    latency: number,
  ): EstimateModel => ({
    id,
    provider,
    qualities: ["medium"],
    defaultQuality: "medium",
    priceUsd: { blog: { medium: price } },
    latencyMs: { min: latency, max: latency },
    providerConcurrency: cap,
  });

  it("sums list prices and takes the slowest provider queue for wall-clock", () => {
    const e = estimateBatch(
      10,
      [model("a", "p1", 0.05, 8, 10_000), model("b", "p1", 0.01, 8, 20_000), model("c", "p2", 0.1, 4, 5_000)],
      "blog",
      undefined,
    );
    expect(e.images).toBe(30);
    expect(e.totalUsd).toBe(1.6);
    // p1: 20 cells at cap 8 → 3 waves of 20 s; p2: 10 cells at cap 4 → 3 waves of 5 s.
    expect(e.wallClockMs).toBe(60_000);
  });
});

describe("importModels", () => {
  const cards = [
    { id: "gpt-image-1.5", label: "GPT Image 1.5", available: true, missingEnv: null },
    { id: "local-preview", label: "Local preview", available: true, missingEnv: null },
    { id: "gemini-3-pro-image", label: "Gemini 3 Pro Image", available: false, missingEnv: "GEMINI_API_KEY" },
  ];

  it("maps retired ids to their successors once, and says so", () => {
    expect(importModels(["gpt-image-1", "dall-e-3", "local-preview"], cards)).toEqual({
      models: ["gpt-image-1.5", "local-preview"],
      notes: [
        "gpt-image-1 is retired: using GPT Image 1.5 instead",
        "dall-e-3 is retired: using GPT Image 1.5 instead",
      ],
    });
  });

  it("leaves out unknown ids and models not available here, saying why", () => {
    expect(importModels(["sdxl", " ", "gemini-3-pro-image"], cards)).toEqual({
      models: [],
      notes: [
        'left out unknown model "sdxl"',
        "left out Gemini 3 Pro Image, not available here (set GEMINI_API_KEY)",
      ],
    });
  });
});

describe("repeatedRows", () => {
  it("names each repeat's first row, as dedupe would drop it, and leaves blank rows alone", () => {
    const rows = ["Hello  world", "", "Other", "hello world", "", "HELLO WORLD", "other "];
    expect([...repeatedRows(rows)]).toEqual([
      [3, 0],
      [5, 0],
      [6, 2],
    ]);
    expect(dedupe(rows).filter((p) => p.trim())).toEqual(["Hello  world", "Other"]);
  });
});
