import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import { getStorage } from "@/lib/storage";

describe("getStorage", () => {
  it("uses the local file store without a Blob token, in BLOB_DIR", () => {
    const store = getStorage(readEnv({ BLOB_DIR: "/tmp/blob-select-test" }));
    expect(store.kind).toBe("local");
    expect(store.url("raw/a.png")).toBe("/api/blob/raw/a.png");
  });

  it("uses Vercel Blob when BLOB_READ_WRITE_TOKEN is set, and reuses the instance per configuration", () => {
    const env = readEnv({ BLOB_READ_WRITE_TOKEN: "vercel_blob_rw_abc123_secret" });
    const store = getStorage(env);
    expect(store.kind).toBe("vercel");
    expect(getStorage(env)).toBe(store);
    expect(store.url("final/b/0-m.jpg")).toBe(
      "https://abc123.public.blob.vercel-storage.com/final/b/0-m.jpg",
    );
    expect(
      getStorage(
        readEnv({ BLOB_READ_WRITE_TOKEN: "vercel_blob_rw_abc123_secret", BLOB_ACCESS: "private" }),
      ).url("a.jpg"),
    ).toBe("/api/blob/a.jpg");
  });

  it("names the variable when the configuration is invalid", () => {
    expect(() => readEnv({ BLOB_ACCESS: "secret" })).toThrow(/BLOB_ACCESS/);
  });
});
