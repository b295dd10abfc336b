import { describe, expect, it } from "vitest";
import { Store } from "@/engine/store";

const event = { id: "e", name: "test/run", data: {}, ts: 0 };

function start(store: Store, id: string, at: number) {
  store.apply({ t: "run", id, fnId: "app-fn", appId: "app", event: { ...event, id: `e-${id}` }, at });
}

describe("finished run retention", () => {
  it("forgets the oldest finished runs past the limit and never an unfinished one", () => {
    const store = new Store(3);
    start(store, "live", 0);
    for (let i = 0; i < 10; i++) {
      start(store, `r${i}`, i);
      store.apply({ t: "end", runId: `r${i}`, status: "Completed", output: i, at: 100 + i });
    }
    expect([...store.runs.keys()].sort()).toEqual(["live", "r7", "r8", "r9"]);
    store.apply({ t: "end", runId: "live", status: "Failed", at: 200 });
    expect([...store.runs.keys()].sort()).toEqual(["live", "r8", "r9"]);
  });

  it("keeps counting from a restored snapshot, oldest finish first", () => {
    const first = new Store(3);
    for (const [id, end] of [
      ["a", 30],
      ["b", 10],
      ["c", 20],
    ] as const) {
      start(first, id, 0);
      first.apply({ t: "end", runId: id, status: "Completed", at: end });
    }
    const restored = new Store(3);
    restored.restore(JSON.parse(JSON.stringify(first.snapshot())));
    start(restored, "d", 40);
    restored.apply({ t: "end", runId: "d", status: "Completed", at: 50 });
    expect([...restored.runs.keys()].sort()).toEqual(["a", "c", "d"]);
  });
});
