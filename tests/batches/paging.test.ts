import { describe, expect, it } from "vitest";
import {
  applyPaged,
  endPaged,
  fromWire,
  pageInfo,
  pageLinks,
  batchPageHref,
  openAtParam,
  pagesWith,
  toPaged,
  toWire,
  viewOf,
} from "@/lib/batches/paging";
import type { CellDto } from "@/lib/batches/dto";
import { readEnv } from "@/lib/env";
import { batch, cell } from "../helpers/batch-dto";

/** 7 titles × 2 models; cell ids c<title>-<a|b>. */
function sample() {
  const cells: CellDto[] = [];
  for (let i = 0; i < 7; i++) {
    cells.push(cell(i, { id: `c${i}-a`, model: "model-a" }));
    cells.push(cell(i, { id: `c${i}-b`, model: "model-b" }));
  }
  return batch(cells);
}

describe("pageInfo", () => {
  it("cuts the titles into pages and reads the requested one", () => {
    expect(pageInfo(7, 3, "2")).toEqual({ page: 2, pages: 3, size: 3, from: 3, to: 6, titles: 7 });
    expect(pageInfo(7, 3, "3")).toMatchObject({ from: 6, to: 7 });
    expect(pageInfo(7, 100)).toEqual({ page: 1, pages: 1, size: 100, from: 0, to: 7, titles: 7 });
  });

  it("reads a malformed or out-of-range page as the nearest one", () => {
    expect(pageInfo(7, 3, "0").page).toBe(1);
    expect(pageInfo(7, 3, "99").page).toBe(3);
    expect(pageInfo(7, 3, "-2").page).toBe(1);
    expect(pageInfo(7, 3, "two").page).toBe(1);
    expect(pageInfo(7, 3, ["2", "3"]).page).toBe(2);
    expect(pageInfo(0, 3, "4")).toMatchObject({ page: 1, pages: 1, from: 0, to: 0 });
  });
});

describe("BATCH_PAGE_TITLES", () => {
  it("defaults to 100 titles a page and refuses what is not a whole number from 1 to 10,000, by name", () => {
    expect(readEnv({}).BATCH_PAGE_TITLES).toBe(100);
    expect(readEnv({ BATCH_PAGE_TITLES: " 25 " }).BATCH_PAGE_TITLES).toBe(25);
    expect(readEnv({ BATCH_PAGE_TITLES: "" }).BATCH_PAGE_TITLES).toBe(100);
    for (const bad of ["0", "abc", "2.5", "10001"])
      expect(() => readEnv({ BATCH_PAGE_TITLES: bad })).toThrow(
        `BATCH_PAGE_TITLES: must be a whole number from 1 to 10,000, got "${bad}"`,
      );
  });
});

describe("page links for the lightbox", () => {
  it("link page 1 plainly, other pages by number, and say where the lightbox opens", () => {
    expect(batchPageHref("b1", 1)).toBe("/b/b1");
    expect(batchPageHref("b1", 3)).toBe("/b/b1?page=3");
    expect(batchPageHref("b1", 1, "last")).toBe("/b/b1?open=last");
    expect(batchPageHref("b1", 2, "first")).toBe("/b/b1?page=2&open=first");
    expect([openAtParam("first"), openAtParam(["last", "first"])]).toEqual(["first", "last"]);
    expect([openAtParam(undefined), openAtParam("middle"), openAtParam("")]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("pageLinks", () => {
  it("links the first, the last and two either side of the current page, with gaps between", () => {
    expect(pageLinks(1, 1)).toEqual([1]);
    expect(pageLinks(3, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(pageLinks(10, 50)).toEqual([1, null, 8, 9, 10, 11, 12, null, 50]);
    expect(pageLinks(1, 50)).toEqual([1, 2, 3, null, 50]);
    expect(pageLinks(50, 50)).toEqual([1, null, 48, 49, 50]);
  });
});

describe("pagesWith", () => {
  it("lists the pages holding a cell in the status, once each, ascending", () => {
    const cells = [
      { promptIndex: 9, status: "failed" as const },
      { promptIndex: 0, status: "failed" as const },
      { promptIndex: 1, status: "failed" as const },
      { promptIndex: 4, status: "succeeded" as const },
      { promptIndex: 7, status: "failed" as const },
    ];
    expect(pagesWith(cells, "failed", 3)).toEqual([1, 3, 4]);
    expect(pagesWith(cells, "cancelled", 3)).toEqual([]);
  });
});

describe("paged batch", () => {
  const page = pageInfo(7, 3, "2");

  it("sends full records for the page's cells only, and a summary of every other cell", () => {
    const wire = toWire(sample(), page);
    expect(wire.shown.map((c) => c.id)).toEqual(["c3-a", "c3-b", "c4-a", "c4-b", "c5-a", "c5-b"]);
    expect(wire.others).toHaveLength(8);
    expect(wire.others[0]).toEqual(["c0-a", 0, 0, "queued", 0, 0, 0, null, null]);
    const summaries = fromWire(wire).all.slice(6);
    expect(summaries[1]).toEqual({
      id: "c0-b",
      promptIndex: 0,
      model: "model-b",
      status: "queued",
      reusable: false,
      attempts: 0,
      costUsd: 0,
      updatedAt: null,
      errorKind: null,
    });
    expect(wire.head).not.toHaveProperty("cells");
    expect(wire.head).not.toHaveProperty("results");
    expect(wire.head.prompts).toHaveLength(7);
    // What the browser rebuilds from it counts the whole batch.
    expect(viewOf(fromWire(wire)).counts).toMatchObject({ total: 14, queued: 14 });
  });

  it("round-trips every summary field, also for a model missing from the batch's list", () => {
    const full = sample();
    const summary = {
      id: "c0-a",
      promptIndex: 0,
      model: "model-z",
      status: "failed" as const,
      reusable: true,
      attempts: 2,
      costUsd: 0.04,
      updatedAt: "2026-12-06T10:00:00Z",
      // Why it failed: the retry button says when the provider blocked the title for its content.
      errorKind: "moderation_blocked",
    };
    full.cells[0] = { ...full.cells[0]!, ...summary };
    const wire = toWire(full, page);
    expect(wire.models).toEqual(["model-a", "model-b", "model-z"]);
    expect(fromWire(wire).all.find((c) => c.id === "c0-a")).toEqual(summary);
  });

  it("counts live changes of cells on other pages without holding their full records", () => {
    const paged = fromWire(toWire(sample(), page));
    const next = applyPaged(paged, [
      {
        kind: "cell",
        cell: cell(0, { id: "c0-a", model: "model-a", status: "succeeded", imageUrl: "/0.jpg" }),
      },
      { kind: "cell", cell: cell(4, { id: "c4-b", model: "model-b", status: "failed", error: "blocked" }) },
      { kind: "cell-deleted", cellId: "c6-b" },
    ]);
    expect(viewOf(next).counts).toMatchObject({ total: 13, succeeded: 1, failed: 1, queued: 11, done: 2 });
    expect(next.all.find((c) => c.id === "c0-a")).not.toHaveProperty("imageUrl");
    expect(next.shown.find((c) => c.id === "c4-b")).toMatchObject({ status: "failed", error: "blocked" });
    expect(next.shown).toHaveLength(6);
    // Untouched shown cells keep their identity: their cards skip rendering.
    expect(next.shown[0]).toBe(paged.shown[0]);
  });

  it("takes in a new cell on its page, and only its summary elsewhere", () => {
    const paged = fromWire(toWire(sample(), page));
    const next = applyPaged(paged, [
      { kind: "cell", cell: cell(5, { id: "c5-c", model: "model-c" }) },
      { kind: "cell", cell: cell(6, { id: "c6-c", model: "model-c" }) },
    ]);
    expect(next.shown.map((c) => c.id)).toContain("c5-c");
    expect(next.shown.map((c) => c.id)).not.toContain("c6-c");
    expect(next.all).toHaveLength(16);
  });

  it("ignores a replayed state older than the one held, and returns the same object when nothing changed", () => {
    const paged = fromWire(toWire(sample(), page));
    const newer = applyPaged(paged, [
      {
        kind: "cell",
        cell: cell(3, { id: "c3-a", model: "model-a", status: "running", updatedAt: "2026-12-06T10:00:02Z" }),
      },
    ]);
    const replay = applyPaged(newer, [
      {
        kind: "cell",
        cell: cell(3, { id: "c3-a", model: "model-a", status: "queued", updatedAt: "2026-12-06T10:00:01Z" }),
      },
    ]);
    expect(replay).toBe(newer);
    expect(applyPaged(paged, [])).toBe(paged);
  });

  it("applies batch summaries to the head", () => {
    const paged = fromWire(toWire(sample(), page));
    const next = applyPaged(paged, [
      {
        kind: "batch",
        batch: {
          status: "cancelled",
          startedAt: null,
          finishedAt: "2026-12-06T10:00:09Z",
          actualCostUsd: 0,
          cancelReason: "stopped",
          notices: [],
        },
      },
    ]);
    expect(viewOf(next)).toMatchObject({ status: "cancelled", cancelReason: "stopped" });
    expect(next.shown).toBe(paged.shown);
  });

  it("keeps the calls out from before a cancel current, and none once the stream has ended", () => {
    const paged = fromWire(toWire({ ...sample(), status: "cancelled", callsOut: 2 }, page));
    const summary = {
      status: "cancelled" as const,
      startedAt: null,
      finishedAt: "2026-12-06T10:00:09Z",
      actualCostUsd: 0.04,
      cancelReason: "stopped",
      notices: [],
    };
    // A batch message without the count (an older server, another change) leaves it as it was.
    const other = applyPaged(paged, [{ kind: "batch", batch: summary }]);
    expect(viewOf(other).callsOut).toBe(2);
    const landed = applyPaged(other, [{ kind: "batch", batch: { ...summary, callsOut: 1 } }]);
    expect(viewOf(landed).callsOut).toBe(1);
    // The stream ends only once none is out: also for a page that missed the last count.
    expect(viewOf(endPaged(landed)).callsOut).toBe(0);
    // The cancelled cells' count (what Resume waits for) comes the same way, and ends with the stream.
    const waits = applyPaged(landed, [{ kind: "batch", batch: { ...summary, cancelledCallsOut: 1 } }]);
    expect(viewOf(waits)).toMatchObject({ callsOut: 1, cancelledCallsOut: 1 });
    expect(viewOf(endPaged(waits))).toMatchObject({ callsOut: 0, cancelledCallsOut: 0 });
    const none = endPaged(landed);
    expect(endPaged(none)).toBe(none);
  });

  it("splits the API's whole batch (after cancel or retry) again for the same page", () => {
    const full = sample();
    const again = toPaged(
      { ...full, cells: full.cells.map((c) => ({ ...c, status: "cancelled" as const })) },
      page,
    );
    expect(again.shown).toHaveLength(6);
    expect(again.all).toHaveLength(14);
    expect(viewOf(again).counts).toMatchObject({ cancelled: 14, done: 14 });
  });
});
