import { beforeAll, describe, expect, it } from "vitest";
import { canManage, madeFor, newBrowserKey, ownedBatchId, ownerToken } from "@/lib/batches/owner";
import { newId } from "@/lib/db/ids";

beforeAll(() => {
  process.env.APP_SECRET ??= "a test secret of enough length";
});

describe("batches made for a browser's key", () => {
  it("carry a tag only that key gives, after 128 random bits", () => {
    const key = newBrowserKey();
    const ids = Array.from({ length: 50 }, () => ownedBatchId(key));
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{32}$/);
      expect(madeFor(id, key)).toBe(true);
    }
    expect(new Set(ids.map((id) => id.slice(0, 22))).size).toBe(50);
    const other = newBrowserKey();
    expect(ids.some((id) => madeFor(id, other))).toBe(false);
  });

  it("refuses a changed tag, a plain id and an empty key", () => {
    const key = newBrowserKey();
    const id = ownedBatchId(key);
    const flipped = id.slice(0, -1) + (id.endsWith("A") ? "B" : "A");
    expect(madeFor(flipped, key)).toBe(false);
    expect(madeFor(newId(), key)).toBe(false);
    expect(madeFor(id, "")).toBe(false);
  });

  it("lets the browser's key, the per-batch token or the admin token manage, and nothing else", () => {
    const key = newBrowserKey();
    const id = ownedBatchId(key);
    const none = new Headers();
    expect(canManage(id, none, undefined, key)).toBe(true);
    expect(canManage(id, none, undefined, newBrowserKey())).toBe(false);
    expect(canManage(id, none, undefined)).toBe(false);
    expect(canManage(id, none, ownerToken(id))).toBe(true);
    expect(canManage(id, new Headers({ authorization: `Bearer ${ownerToken(id)}` }), undefined)).toBe(true);
    expect(canManage(id, none, ownerToken(newId()), newBrowserKey())).toBe(false);
  });
});
