/**
 * A cell's caption while it is made and once it has ended: a failed attempt that will be tried again
 * reads as what happens next, not in a failure's red, and a cell waiting for its first call says so.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CellCard, cellMeta } from "@/components/batch/cell-card";
import type { CellDto } from "@/lib/batches/dto";
import { cell } from "../helpers/batch-dto";

const render = (c: CellDto) => renderToStaticMarkup(createElement(CellCard, { cell: c, aspect: 16 / 9 }));
const rateLimit = "OpenAI rate limit reached for gpt-image-1.5 (it asked to wait 3.0 s).";

describe("cellMeta", () => {
  it("names what a cell still being made is at", () => {
    expect(cellMeta(cell(0, { status: "queued" }))).toBe("waiting its turn");
    expect(cellMeta(cell(0, { status: "running", attempts: 2 }))).toBe("attempt 2");
    expect(cellMeta(cell(0, { status: "retrying", attempts: 1 }))).toBe("1 attempt so far");
    // A failed cell asked for again (or a new take) waits with its earlier attempts counted.
    expect(cellMeta(cell(0, { status: "queued", attempts: 3 }))).toBe("waiting its turn · 3 attempts so far");
  });

  it("says how long a finished cell took in all, its calls and cost", () => {
    const done = { status: "succeeded", durationMs: 38_400, attempts: 3, costUsd: 0.051 } as const;
    expect(cellMeta(cell(0, done))).toBe("38.4 s · 3 attempts · $0.051");
    expect(cellMeta(cell(0, { status: "succeeded", attempts: 0, durationMs: 900 }))).toBe(
      "900 ms · picture reused",
    );
  });
});

describe("a cell's error text", () => {
  it("is a quiet note, saying it is tried again, while the cell is retried or made again", () => {
    const retrying = render(cell(0, { status: "retrying", attempts: 1, error: rateLimit }));
    expect(retrying).toContain(`Trying again after: ${rateLimit}`);
    expect(retrying).not.toContain("text-red-300");
    const running = render(cell(0, { status: "running", attempts: 2, error: rateLimit }));
    expect(running).toContain(`An earlier attempt failed: ${rateLimit}`);
    expect(running).not.toContain("text-red-300");
  });

  it("stays red and announced on a cell that failed", () => {
    const failed = render(cell(0, { status: "failed", attempts: 3, error: "Gemini had a server problem." }));
    expect(failed).toMatch(/<p class="text-red-300" role="status">Gemini had a server problem.<\/p>/);
  });
});
