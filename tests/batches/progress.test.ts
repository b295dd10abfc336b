/**
 * The running batch's summary beyond its done counts: cells in progress, to try again and waiting, and
 * a rough time left from each model's own pace (models run side by side at their providers' limits).
 */
import { describe, expect, it } from "vitest";
import { countCells } from "@/lib/batches/dto";
import { formatRemaining, remainingMs, runningParts } from "@/lib/batches/progress";
import type { CellSummary } from "@/lib/batches/live";

type C = Pick<CellSummary, "model" | "status" | "updatedAt">;
const at = (s: number) => new Date(Date.UTC(2026, 11, 8, 1, 0, s)).toISOString();
const start = at(0);

/** `n` cells of `model` finished every `every` s from `from` s, then `left` waiting. */
function cells(model: string, n: number, every: number, left: number, from = 10): C[] {
  return [
    ...Array.from({ length: n }, (_, i) => ({
      model,
      status: "succeeded" as const,
      updatedAt: at(from + i * every),
    })),
    ...Array.from({ length: left }, () => ({ model, status: "queued" as const, updatedAt: at(-5) })),
  ];
}

describe("remainingMs", () => {
  it("is unknown until every model with cells left has finished a few", () => {
    expect(remainingMs(cells("a", 3, 2, 10), start)).toBeNull();
    expect(remainingMs([...cells("a", 10, 2, 10), ...cells("b", 2, 2, 10)], start)).toBeNull();
  });

  it("is the slowest model's rest at its own pace", () => {
    // a: one every 2 s, 10 left → 20 s; b: one every 5 s, 6 left → 30 s.
    const all = [...cells("a", 10, 2, 10), ...cells("b", 5, 5, 6)];
    expect(remainingMs(all, start)).toBe(30_000);
  });

  it("leaves out a model that has finished, and is unknown when nothing is left", () => {
    expect(remainingMs([...cells("a", 10, 2, 4), ...cells("b", 1, 1, 0)], start)).toBe(8_000);
    expect(remainingMs(cells("a", 10, 2, 0), start)).toBeNull();
  });

  it("reads the pace of this run only: finishes before a resume do not slow it down", () => {
    // Ten finished an hour ago (before a cancel); the resumed cells were asked for at 3600 s.
    const before = cells("a", 10, 60, 0, -3600);
    const resumed = [
      ...Array.from({ length: 5 }, (_, i) => ({
        model: "a",
        status: "succeeded" as const,
        updatedAt: at(3610 + i * 2),
      })),
      ...Array.from({ length: 10 }, () => ({ model: "a", status: "queued" as const, updatedAt: at(3600) })),
    ];
    expect(remainingMs([...before, ...resumed], start)).toBe(20_000);
  });
});

describe("runningParts", () => {
  it("says what is in progress, to try again and waiting, then the time left", () => {
    const list: C[] = [
      ...cells("a", 10, 2, 0),
      { model: "a", status: "running", updatedAt: at(30) },
      { model: "a", status: "retrying", updatedAt: at(30) },
      { model: "a", status: "queued", updatedAt: at(-5) },
      { model: "a", status: "queued", updatedAt: at(-5) },
    ];
    expect(runningParts(countCells(list), list, start)).toEqual([
      "1 in progress",
      "1 to try again",
      "2 waiting their turn",
      "about 10 s left",
    ]);
  });

  it("has nothing to say once every cell has ended", () => {
    const list = cells("a", 3, 2, 0);
    expect(runningParts(countCells(list), list, start)).toEqual([]);
  });
});

describe("formatRemaining", () => {
  it("rounds to what a person plans by", () => {
    expect(formatRemaining(3_000)).toBe("about 10 s left");
    expect(formatRemaining(44_000)).toBe("about 40 s left");
    expect(formatRemaining(6.4 * 60_000)).toBe("about 6 min left");
    expect(formatRemaining(150 * 60_000)).toBe("about 3 h left");
  });
});
