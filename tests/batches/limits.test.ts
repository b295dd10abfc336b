import { afterEach, describe, expect, it, vi } from "vitest";
import {
  DEFAULT_PROMPTS_PER_RUN,
  DEFAULT_RUN_MAX_STEPS,
  promptsPerRun,
  runMaxSteps,
} from "@/lib/batches/concurrency";
import { DEFAULT_MAX_IMAGES, HARD_MAX_IMAGES } from "@/lib/batches/input";
import { MODEL_IDS } from "@/lib/catalog/models";
import { maxBatchCostUsd, maxImagesPerBatch } from "@/lib/batches/limits";

describe("PROMPTS_PER_RUN", () => {
  it("defaults to 900 titles, leaving run-batch far below Inngest's 1,000 steps", () => {
    expect(promptsPerRun({})).toBe(DEFAULT_PROMPTS_PER_RUN);
    expect(DEFAULT_PROMPTS_PER_RUN + 2).toBeLessThan(1000);
    expect(promptsPerRun({ PROMPTS_PER_RUN: " 6 " })).toBe(6);
  });

  it.each(["1", "991", "12.5", "lots"])("refuses %s with a message naming the variable", (raw) => {
    expect(() => promptsPerRun({ PROMPTS_PER_RUN: raw })).toThrow(
      `PROMPTS_PER_RUN must be a whole number from 2 to 990, got "${raw}"`,
    );
  });
});

describe("RUN_MAX_STEPS", () => {
  it("defaults to Inngest's 1,000 steps per run, above a first wave of the most titles one run invokes", () => {
    expect(runMaxSteps({})).toBe(DEFAULT_RUN_MAX_STEPS);
    expect(DEFAULT_PROMPTS_PER_RUN + 2).toBeLessThan(DEFAULT_RUN_MAX_STEPS);
    expect(runMaxSteps({ RUN_MAX_STEPS: " 40 ", PROMPTS_PER_RUN: "20" })).toBe(40);
  });

  it.each(["7", "10001", "9.5", "many"])("refuses %s with a message naming the variable", (raw) => {
    expect(() => runMaxSteps({ RUN_MAX_STEPS: raw, PROMPTS_PER_RUN: "4" })).toThrow(
      `RUN_MAX_STEPS must be a whole number from 8 to 10,000, got "${raw}"`,
    );
  });

  it("refuses a limit a first wave of PROMPTS_PER_RUN titles and its hand-off would not fit", () => {
    expect(() => runMaxSteps({ RUN_MAX_STEPS: "500" })).toThrow(
      "RUN_MAX_STEPS (500) must be at least PROMPTS_PER_RUN + 3 (903): a run's first wave takes up to PROMPTS_PER_RUN + 2 steps",
    );
    expect(runMaxSteps({ RUN_MAX_STEPS: "500", PROMPTS_PER_RUN: "497" })).toBe(500);
  });
});

describe("run-prompt-group's invoke event", () => {
  it("stays under Inngest's 256 KiB event limit for the most titles a group takes, with every model", () => {
    // Longest model ids, two-digit rounds, the biggest title indexes: the worst a batch can send.
    const models = [...MODEL_IDS];
    const titles = Math.min(DEFAULT_PROMPTS_PER_RUN, Math.floor(HARD_MAX_IMAGES / models.length));
    const rows = Array.from({ length: titles }, (_, i) => ({
      promptIndex: HARD_MAX_IMAGES - titles + i,
      models,
      rounds: models.map(() => 99),
    }));
    const event = {
      id: "01JZZZZZZZZZZZZZZZZZZZZZZZ",
      name: "inngest/function.invoked",
      data: {
        batchId: "b".repeat(22),
        rows,
        _inngest: { fn_id: "thumbnail-studio-run-prompt-group", correlation_id: "r".repeat(80) },
      },
      ts: Date.now(),
    };
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(256 * 1024);
  });
});

describe("MAX_IMAGES_PER_BATCH", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("defaults to 50 and takes a raised cap up to 10,000", () => {
    vi.stubEnv("MAX_IMAGES_PER_BATCH", "");
    expect(maxImagesPerBatch()).toBe(DEFAULT_MAX_IMAGES);
    vi.stubEnv("MAX_IMAGES_PER_BATCH", "3000");
    expect(maxImagesPerBatch()).toBe(3000);
  });

  it("refuses a cap above 10,000: plans and result matrices must fit Inngest's 4 MiB step data", () => {
    vi.stubEnv("MAX_IMAGES_PER_BATCH", "50000");
    expect(() => maxImagesPerBatch()).toThrow(
      'MAX_IMAGES_PER_BATCH must be a whole number from 1 to 10,000, got "50000"',
    );
    expect(maxImagesPerBatch({ MAX_IMAGES_PER_BATCH: String(HARD_MAX_IMAGES) })).toBe(HARD_MAX_IMAGES);
    // The matrix of a batch at the cap, with long blob URLs, as run-batch's finish step returns it.
    const url = `https://abcdefghijklmnop.public.blob.vercel-storage.com/final/${"x".repeat(22)}/0000/gpt-image-1-mini.jpg?v=2026-12-06T12%3A00%3A00.000Z`;
    const matrix = Array.from({ length: HARD_MAX_IMAGES }, () => [url]);
    expect(Buffer.byteLength(JSON.stringify({ results: matrix }))).toBeLessThan(4 * 1024 * 1024);
  });
});

describe("MAX_BATCH_COST_USD", () => {
  it("is unset by default and takes amounts under a cent", () => {
    expect(maxBatchCostUsd({})).toBeNull();
    expect(maxBatchCostUsd({ MAX_BATCH_COST_USD: " 0.005 " })).toBe(0.005);
  });

  it.each(["0", "-1", "five", "Infinity"])("refuses %s with a message naming the variable", (raw) => {
    expect(() => maxBatchCostUsd({ MAX_BATCH_COST_USD: raw })).toThrow(
      /^MAX_BATCH_COST_USD must be a number from/,
    );
  });
});
