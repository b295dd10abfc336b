import { describe, expect, it } from "vitest";
import { StorageKeyError } from "@/lib/errors";
import {
  assertValidKey,
  batchPrefix,
  contentTypeFor,
  extensionFor,
  finalImageKey,
  legacyTakeKey,
  keyProblem,
  rawImageKey,
} from "@/lib/storage/keys";

describe("raw image keys", () => {
  it("are content-addressed: same bytes → same key, different bytes → different key", () => {
    const a = Buffer.from("image-a");
    expect(rawImageKey(a, "image/png")).toBe(rawImageKey(Buffer.from("image-a"), "image/png"));
    expect(rawImageKey(a, "image/png")).not.toBe(rawImageKey(Buffer.from("image-b"), "image/png"));
    expect(rawImageKey(a, "image/jpeg")).toMatch(/^raw\/[0-9a-f]{64}\.jpg$/);
    // sha256("") is well known: the key is the real digest, not a truncated or salted one.
    expect(rawImageKey(Buffer.alloc(0), "image/webp")).toBe(
      "raw/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.webp",
    );
  });

  it("refuses content types it has no extension for", () => {
    expect(() => rawImageKey(Buffer.from("x"), "application/x-unknown")).toThrow(/no file extension/);
  });
});

describe("final image keys", () => {
  it("are derived from (batch, prompt index, model) only", () => {
    const key = finalImageKey({ batchId: "b_01HZX", promptIndex: 7, modelId: "gpt-image-1.5" });
    expect(key).toBe("final/b_01HZX/7-gpt-image-1.5.jpg");
    expect(finalImageKey({ batchId: "b_01HZX", promptIndex: 7, modelId: "gpt-image-1.5" })).toBe(key);
    expect(
      finalImageKey({ batchId: "b_01HZX", promptIndex: 7, modelId: "gpt-image-1.5", mime: "image/webp" }),
    ).toBe("final/b_01HZX/7-gpt-image-1.5.webp");
    expect(assertValidKey(key)).toBe(key);
    expect(key.startsWith(batchPrefix("b_01HZX"))).toBe(true);
  });

  it("name a later take apart from the first, so a take never overwrites the picture it may fall back to", () => {
    const input = { batchId: "b_01HZX", promptIndex: 7, modelId: "gpt-image-1.5" };
    expect(finalImageKey({ ...input, take: 0 })).toBe("final/b_01HZX/7-gpt-image-1.5.jpg");
    const tag = "Zq3_x-9aB0cD1eF2";
    expect(finalImageKey({ ...input, take: 2, tag })).toBe(`final/b_01HZX/7-gpt-image-1.5-t2-${tag}.jpg`);
    expect(finalImageKey({ ...input, take: 2, tag }).startsWith(batchPrefix("b_01HZX"))).toBe(true);
    // A later take with no tag (or a short one) would be a key anyone could guess.
    expect(() => finalImageKey({ ...input, take: 2 })).toThrow(/a later take needs a tag/);
    expect(() => finalImageKey({ ...input, take: 2, tag: "short" })).toThrow(StorageKeyError);
  });

  it("recognise a later take's key from before tags, and nothing else", () => {
    expect(legacyTakeKey("final/b_01HZX/7-gpt-image-1.5-t2.jpg")).toEqual({
      batchId: "b_01HZX",
      promptIndex: 7,
      modelId: "gpt-image-1.5",
    });
    for (const key of [
      "final/b_01HZX/7-gpt-image-1.5.jpg",
      "final/b_01HZX/7-gpt-image-1.5-t2-Zq3_x-9aB0cD1eF2.jpg",
      "final/b_01HZX/7-gpt-image-1.5-t0.jpg",
      "raw/abc-t2.jpg",
    ])
      expect(legacyTakeKey(key), key).toBeNull();
  });

  it.each([
    { batchId: "../x", promptIndex: 0, modelId: "m" },
    { batchId: "b/1", promptIndex: 0, modelId: "m" },
    { batchId: "b", promptIndex: -1, modelId: "m" },
    { batchId: "b", promptIndex: 1.5, modelId: "m" },
    { batchId: "b", promptIndex: 0, modelId: "a/b" },
    { batchId: "", promptIndex: 0, modelId: "m" },
    { batchId: "b", promptIndex: 0, modelId: "m", take: -1 },
    { batchId: "b", promptIndex: 0, modelId: "m", take: 0.5 },
  ])("rejects unsafe parts %j", (input) => {
    expect(() => finalImageKey(input)).toThrow(StorageKeyError);
  });
});

describe("key validation", () => {
  it.each(["raw/abc.png", "final/b1/0-gpt-image-1.5.jpg", "a", "A_b-c.d/e"])("accepts %j", (key) => {
    expect(keyProblem(key)).toBeNull();
  });

  it.each([
    "",
    "/a",
    "a/",
    "a//b",
    "..",
    "a/../b",
    "./a",
    ".meta/a",
    "a\\b",
    "a b",
    "a%2Fb",
    "é.png",
    "-a",
    "a".repeat(513),
  ])("rejects %j", (key) => {
    expect(keyProblem(key)).not.toBeNull();
    expect(() => assertValidKey(key)).toThrow(StorageKeyError);
  });
});

describe("content types", () => {
  it("maps between extensions and MIME types both ways", () => {
    expect(extensionFor("image/jpeg")).toBe("jpg");
    expect(extensionFor("IMAGE/PNG; charset=binary")).toBe("png");
    expect(contentTypeFor("raw/x.jpg")).toBe("image/jpeg");
    expect(contentTypeFor("raw/x.jpeg")).toBe("image/jpeg");
    expect(contentTypeFor("raw/x.webp")).toBe("image/webp");
    expect(contentTypeFor("raw/x.bin")).toBe("application/octet-stream");
  });
});
