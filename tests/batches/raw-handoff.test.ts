import { describe, expect, it } from "vitest";
import { heldRawBytes, keepRaw, takeRaw } from "@/lib/batches/raw-handoff";

const mb = (n: number, fill: number) => Buffer.alloc(n * 1024 * 1024, fill);

describe("raw image hand-off", () => {
  it("gives the bytes once, and not after they expired", () => {
    keepRaw("raw/a.png", Buffer.from("a"), 1_000);
    expect(takeRaw("raw/a.png", 2_000)?.toString()).toBe("a");
    expect(takeRaw("raw/a.png", 2_000)).toBeUndefined();
    keepRaw("raw/b.png", Buffer.from("b"), 1_000);
    expect(takeRaw("raw/b.png", 1_000 + 120_000)).toBeUndefined();
    expect(heldRawBytes()).toBe(0);
  });

  it("keeps at most 64 MB, dropping the oldest first", () => {
    keepRaw("raw/1", mb(30, 1), 0);
    keepRaw("raw/2", mb(30, 2), 1);
    keepRaw("raw/3", mb(30, 3), 2);
    expect(heldRawBytes()).toBe(60 * 1024 * 1024);
    expect(takeRaw("raw/1", 3)).toBeUndefined();
    expect(takeRaw("raw/2", 3)?.[0]).toBe(2);
    expect(takeRaw("raw/3", 3)?.[0]).toBe(3);
    keepRaw("raw/huge", mb(65, 4), 4);
    expect([takeRaw("raw/huge", 5), heldRawBytes()]).toEqual([undefined, 0]);
  });

  it("replaces an entry kept twice under the same key", () => {
    keepRaw("raw/same", Buffer.from("one"), 0);
    keepRaw("raw/same", Buffer.from("two"), 1);
    expect(heldRawBytes()).toBe(3);
    expect(takeRaw("raw/same", 2)?.toString()).toBe("two");
  });
});
