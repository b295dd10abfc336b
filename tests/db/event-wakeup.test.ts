import { describe, expect, it } from "vitest";
import { ringBatch, waitForBatchEvent } from "@/lib/db/event-wakeup";

const elapsed = async (p: Promise<boolean>) => {
  const t = performance.now();
  await p;
  return performance.now() - t;
};

describe("batch event wake-ups", () => {
  it("wakes a waiting reader of that batch, not of another", async () => {
    const mine = waitForBatchEvent("b1", 5_000);
    const other = waitForBatchEvent("b2", 300);
    ringBatch("b1");
    expect(await mine).toBe(true);
    expect(await other).toBe(false);
    const again = waitForBatchEvent("b1", 5_000);
    ringBatch("b1");
    expect(await elapsed(again)).toBeLessThan(1_000);
  });

  it("returns at the timeout or when the request is aborted", async () => {
    expect(await elapsed(waitForBatchEvent("b3", 50))).toBeGreaterThanOrEqual(40);
    const abort = new AbortController();
    const waiting = waitForBatchEvent("b4", 5_000, abort.signal);
    abort.abort();
    expect(await elapsed(waiting)).toBeLessThan(1_000);
  });
});
