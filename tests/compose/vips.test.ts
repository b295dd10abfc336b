import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { enterCompose } from "@/lib/compose/vips";

const initial = sharp.concurrency();
afterEach(() => {
  sharp.concurrency(initial);
});

describe("libvips threads for the compositor", () => {
  it("uses two threads for a lone compose and one while several are in flight", () => {
    const leaveA = enterCompose({});
    expect(sharp.concurrency()).toBe(2);
    const leaveB = enterCompose({});
    expect(sharp.concurrency()).toBe(1);
    leaveB();
    leaveB(); // leaving twice counts once
    leaveA();
    const leaveC = enterCompose({});
    expect(sharp.concurrency()).toBe(2);
    leaveC();
  });

  it("honours COMPOSE_VIPS_THREADS and rejects nonsense", () => {
    const leave = enterCompose({ COMPOSE_VIPS_THREADS: "3" });
    expect(sharp.concurrency()).toBe(3);
    leave();
    expect(() => enterCompose({ COMPOSE_VIPS_THREADS: "many" })).toThrow(/COMPOSE_VIPS_THREADS/);
  });
});
