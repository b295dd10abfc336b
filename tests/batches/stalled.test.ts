import { afterEach, describe, expect, it, vi } from "vitest";
import {
  BATCH_IDLE_MS,
  ENGINE_STALL_MS,
  lastChange,
  msUntilIdle,
  msUntilStalled,
  stalledNow,
} from "@/lib/batches/stalled";

describe("a batch the workflow engine never started", () => {
  const createdAt = "2026-11-21T06:00:00.000Z";
  const t0 = Date.parse(createdAt);

  it("counts as stalled once it has been queued for ENGINE_STALL_MS", () => {
    expect(msUntilStalled({ status: "queued", createdAt }, t0 + 1_000)).toBe(ENGINE_STALL_MS - 1_000);
    expect(msUntilStalled({ status: "queued", createdAt }, t0 + ENGINE_STALL_MS)).toBe(0);
    expect(msUntilStalled({ status: "queued", createdAt }, t0 + 10 * ENGINE_STALL_MS)).toBe(0);
  });

  it("never does once it has started, or when its creation time is unreadable", () => {
    for (const status of ["running", "succeeded", "partial", "failed", "cancelled"] as const) {
      expect(msUntilStalled({ status, createdAt }, t0 + 10 * ENGINE_STALL_MS)).toBeNull();
    }
    expect(msUntilStalled({ status: "queued", createdAt: "not a date" }, t0)).toBeNull();
  });

  afterEach(() => vi.useRealTimers());

  it("is told as the server renders the page, from the clock at that moment", () => {
    vi.useFakeTimers({ now: t0 + ENGINE_STALL_MS - 1 });
    expect(stalledNow({ status: "queued", createdAt })).toBe(false);
    vi.setSystemTime(t0 + ENGINE_STALL_MS);
    expect(stalledNow({ status: "queued", createdAt })).toBe(true);
    expect(stalledNow({ status: "running", createdAt })).toBe(false);
  });
});

describe("a running batch nothing has changed in", () => {
  const startedAt = "2026-11-21T06:00:00.000Z";
  const t0 = Date.parse(startedAt);

  it("dates its last change from the latest cell change, else its start", () => {
    const cells = [
      { updatedAt: "2026-11-21T06:03:00.000Z" },
      { updatedAt: null },
      { updatedAt: "2026-11-21T06:01:00.000Z" },
    ];
    expect(lastChange({ startedAt, cells })).toBe("2026-11-21T06:03:00.000Z");
    expect(lastChange({ startedAt, cells: [] })).toBe(startedAt);
    expect(lastChange({ startedAt: null, cells: [{ updatedAt: null }] })).toBeNull();
  });

  it("counts as idle BATCH_IDLE_MS after its last change, only while running", () => {
    expect(msUntilIdle("running", startedAt, t0 + 60_000)).toBe(BATCH_IDLE_MS - 60_000);
    expect(msUntilIdle("running", startedAt, t0 + BATCH_IDLE_MS + 1)).toBe(0);
    for (const status of ["queued", "succeeded", "partial", "failed", "cancelled"] as const) {
      expect(msUntilIdle(status, startedAt, t0 + 2 * BATCH_IDLE_MS)).toBeNull();
    }
    expect(msUntilIdle("running", null, t0)).toBeNull();
    expect(msUntilIdle("running", "not a date", t0)).toBeNull();
  });
});
