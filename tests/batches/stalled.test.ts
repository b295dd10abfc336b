import { describe, expect, it } from "vitest";
import { ENGINE_STALL_MS, msUntilStalled } from "@/lib/batches/stalled";

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
});
