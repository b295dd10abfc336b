import { describe, expect, it, vi } from "vitest";
import type { CellStatus } from "@/lib/db/schema";
import {
  liveMarks,
  marksKey,
  marksSnapshot,
  readMarks,
  sentTakes,
  setMarks,
  subscribeMarks,
  takesEnded,
  writeMarks,
  type Mark,
} from "@/lib/batches/take-marks";

/** A Storage stand-in; `full` makes every write throw, as a full or refused storage does. */
function memoryStore(full = false) {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (full) throw new DOMException("quota", "QuotaExceededError");
      items.set(k, v);
    },
    removeItem: (k: string) => void items.delete(k),
  };
}

const mark = (id: string, promptIndex = 0, model = "gpt-image-1.5", attempts = 1): Mark => ({
  id,
  promptIndex,
  model,
  attempts,
});
const asMap = (...marks: Mark[]) => new Map(marks.map((m) => [m.id, m]));

describe("take marks kept for the tab", () => {
  it("round-trips marks per batch, and removes the key when none are left", () => {
    const store = memoryStore();
    const key = marksKey("batch-1");
    writeMarks(store, key, asMap(mark("a"), mark("b", 3, "local-preview")));
    expect([...readMarks(store, key).values()]).toEqual([mark("a"), mark("b", 3, "local-preview")]);
    expect(readMarks(store, marksKey("batch-2")).size).toBe(0);
    writeMarks(store, key, new Map());
    expect(store.items.has(key)).toBe(false);
  });

  it("reads anything else kept under the key as no marks, keeping only well-formed ones", () => {
    const store = memoryStore();
    for (const raw of ["{not json", '"a string"', "null", '{"id":"a"}']) {
      store.items.set("k", raw);
      expect(readMarks(store, "k").size).toBe(0);
    }
    store.items.set(
      "k",
      JSON.stringify([
        mark("a"),
        { id: 7 },
        { id: "b", promptIndex: 1.5, model: "m", attempts: 1 },
        { id: "c", promptIndex: 1, model: "m" },
        null,
      ]),
    );
    expect([...readMarks(store, "k").keys()]).toEqual(["a"]);
  });

  it("does not throw when the storage refuses a write", () => {
    expect(() => writeMarks(memoryStore(true), "k", asMap(mark("a")))).not.toThrow();
  });

  it("counts only marks of cells with the finished image they were marked on and a model that can take one", () => {
    const cells = [
      { id: "a", status: "succeeded" as const, attempts: 1 },
      { id: "b", status: "queued" as const, attempts: 1 },
      { id: "c", status: "succeeded" as const, attempts: 1 },
      { id: "d", status: "succeeded" as const, attempts: 2 },
    ];
    const prices = { "gpt-image-1.5": 0.05, "local-preview": 0 };
    // d: a take was made since it was marked (sent from a copy of the tab, or its answer was lost).
    const marks = asMap(mark("a"), mark("b"), mark("c", 0, "retired-model"), mark("gone"), mark("d"));
    expect([...liveMarks(marks, cells, prices).keys()]).toEqual(["a"]);
    expect(liveMarks(marks, cells, undefined).size).toBe(0);
    // Unchanged marks are the same Map, so nothing downstream renders again.
    const kept = asMap(mark("a"));
    expect(liveMarks(kept, cells, prices)).toBe(kept);
  });

  it("tells when the takes asked for have ended, not from cell states older than the request", () => {
    const queuedAt = "2026-12-06T10:00:05.000Z";
    const answer = [
      { id: "a", updatedAt: queuedAt },
      { id: "b", updatedAt: queuedAt },
    ];
    const sent = sentTakes(["a", "b"], answer);
    expect([...sent]).toEqual([
      ["a", queuedAt],
      ["b", queuedAt],
    ]);
    const cell = (id: string, status: CellStatus, updatedAt: string | null) => ({ id, status, updatedAt });
    // The page still showing both finished from before (the answer not applied yet): not ended.
    const before = "2026-12-06T10:00:01.000Z";
    expect(takesEnded(sent, [cell("a", "succeeded", before), cell("b", "succeeded", before)])).toBe(false);
    // One made, one under way.
    const later = "2026-12-06T10:00:09.000Z";
    expect(takesEnded(sent, [cell("a", "succeeded", later), cell("b", "running", later)])).toBe(false);
    // Made, or failed and back on its picture (succeeded, saying why), or cancelled: ended.
    expect(takesEnded(sent, [cell("a", "succeeded", later), cell("b", "succeeded", later)])).toBe(true);
    expect(takesEnded(sent, [cell("a", "failed", later), cell("b", "cancelled", queuedAt)])).toBe(true);
    // A cell gone (its title deleted) has nothing to wait for.
    expect(takesEnded(sent, [cell("a", "succeeded", later)])).toBe(true);
    // Queued at an unknown time: never taken for ended (its bar can be dismissed).
    const unknown = sentTakes(["c"], []);
    expect(takesEnded(unknown, [cell("c", "succeeded", later)])).toBe(false);
    expect(takesEnded(new Map(), [])).toBe(true);
  });

  it("holds the page's marks as a store: the same snapshot until set, listeners told, storage written through", () => {
    const store = memoryStore();
    const key = marksKey("store-batch");
    store.items.set(key, JSON.stringify([mark("a")]));
    const first = marksSnapshot(store, key);
    expect([...first.keys()]).toEqual(["a"]);
    expect(marksSnapshot(store, key)).toBe(first);
    const listener = vi.fn();
    const unsubscribe = subscribeMarks(listener);
    const next = asMap(mark("a"), mark("b"));
    setMarks(store, key, next);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(marksSnapshot(store, key)).toBe(next);
    expect(JSON.parse(store.items.get(key)!)).toEqual([mark("a"), mark("b")]);
    unsubscribe();
    // Without storage (refused) the marks still hold for the page.
    setMarks(null, marksKey("no-storage"), asMap(mark("z")));
    expect([...marksSnapshot(null, marksKey("no-storage")).keys()]).toEqual(["z"]);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
