import { describe, expect, it } from "vitest";
import { composeConcurrency, Slots } from "@/lib/compose/slots";

describe("compose slots", () => {
  it("lets `limit` holders in at once and the rest in arrival order as slots are given back", async () => {
    const slots = new Slots(2);
    const order: string[] = [];
    const a = await slots.acquire();
    const b = await slots.acquire();
    const waiting = ["c", "d"].map((name) => slots.acquire().then((release) => (order.push(name), release)));
    await Promise.resolve();
    expect([order, slots.queued]).toEqual([[], 2]);
    a();
    a(); // a second call gives nothing back twice
    const c = await waiting[0]!;
    expect([order, slots.queued]).toEqual([["c"], 1]);
    b();
    const d = await waiting[1]!;
    expect(order).toEqual(["c", "d"]);
    c();
    d();
    // Both free again: two more get in without waiting.
    await slots.acquire();
    await slots.acquire();
    expect(slots.queued).toBe(0);
  });

  it("defaults to the core count (at least 2) and rejects a bad COMPOSE_CONCURRENCY", () => {
    expect(composeConcurrency({})).toBeGreaterThanOrEqual(2);
    expect(composeConcurrency({ COMPOSE_CONCURRENCY: "3" })).toBe(3);
    for (const bad of ["0", "65", "1.5", "two"])
      expect(() => composeConcurrency({ COMPOSE_CONCURRENCY: bad })).toThrow(/COMPOSE_CONCURRENCY must be/);
  });
});
