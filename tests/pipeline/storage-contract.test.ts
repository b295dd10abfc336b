import { createServer, type AddressInfo, type Socket } from "node:net";
/**
 * One contract, two adapters: the local file store and the Vercel Blob store (real @vercel/blob SDK against
 * the local fake of the Blob HTTP API) must behave identically for everything the pipeline relies on.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StorageKeyError } from "@/lib/errors";
import { startFakeVercelBlob, type FakeVercelBlob } from "@/lib/storage/fake-vercel-blob";
import { createLocalStore } from "@/lib/storage/local";
import type { BlobStore, ListPage } from "@/lib/storage/types";
import { createVercelStore } from "@/lib/storage/vercel";

interface Harness {
  store: BlobStore;
  teardown(): Promise<void>;
}

const adapters: [string, () => Promise<Harness>][] = [
  [
    "local",
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "blob-contract-"));
      return { store: createLocalStore({ dir }), teardown: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
  [
    "vercel (fake Blob API)",
    async () => {
      const fake: FakeVercelBlob = await startFakeVercelBlob();
      const previous = process.env.VERCEL_BLOB_API_URL;
      process.env.VERCEL_BLOB_API_URL = fake.apiUrl;
      return {
        store: createVercelStore({ token: fake.token, access: "public" }),
        async teardown() {
          if (previous === undefined) delete process.env.VERCEL_BLOB_API_URL;
          else process.env.VERCEL_BLOB_API_URL = previous;
          await fake.close();
        },
      };
    },
  ],
];

const bytes = (text: string) => Buffer.from(text, "utf8");

describe.each(adapters)("blob store contract: %s", (_name, setup) => {
  let h: Harness;
  beforeAll(async () => {
    h = await setup();
  });
  afterAll(async () => h.teardown());

  it("puts and gets bytes with content type and cache control", async () => {
    const data = Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01, 0x02, 0x03]);
    const put = await h.store.put("raw/abc.jpg", data, {
      contentType: "image/jpeg",
      cacheControlMaxAge: 31536000,
    });
    expect(put.key).toBe("raw/abc.jpg");
    expect(put.size).toBe(data.length);
    expect(put.etag).toBeTruthy();
    const got = await h.store.get("raw/abc.jpg");
    expect(got?.bytes.equals(data)).toBe(true);
    expect(got?.contentType).toBe("image/jpeg");
    expect(got?.cacheControl).toContain("max-age=31536000");
    expect(got?.size).toBe(data.length);
    expect(got?.etag).toBe(put.etag);
  });

  it("heads without the body and answers null for missing keys", async () => {
    await h.store.put("final/b1/0-gpt-image-1.5.jpg", bytes("hello"), { contentType: "image/jpeg" });
    const info = await h.store.head("final/b1/0-gpt-image-1.5.jpg");
    expect(info).toMatchObject({ key: "final/b1/0-gpt-image-1.5.jpg", size: 5, contentType: "image/jpeg" });
    expect(info?.uploadedAt).toBeInstanceOf(Date);
    expect(await h.store.head("final/b1/missing.jpg")).toBeNull();
    expect(await h.store.get("final/b1/missing.jpg")).toBeNull();
  });

  it("overwrites the same key instead of duplicating it (idempotent retries)", async () => {
    const first = await h.store.put("final/b2/3-gemini-3-pro-image.jpg", bytes("first"), {
      contentType: "image/jpeg",
    });
    const second = await h.store.put("final/b2/3-gemini-3-pro-image.jpg", bytes("second!"), {
      contentType: "image/png",
    });
    expect(second.etag).not.toBe(first.etag);
    const got = await h.store.get("final/b2/3-gemini-3-pro-image.jpg");
    expect(got?.bytes.toString()).toBe("second!");
    expect(got?.contentType).toBe("image/png");
    expect((await h.store.list("final/b2/")).map((b) => b.key)).toEqual([
      "final/b2/3-gemini-3-pro-image.jpg",
    ]);
  });

  it("lists by prefix, sorted, including partial-segment prefixes", async () => {
    for (const k of ["final/b3/1-a.jpg", "final/b3/0-a.jpg", "final/b30/0-a.jpg", "raw/zz.png"]) {
      await h.store.put(k, bytes(k), { contentType: "image/jpeg" });
    }
    expect((await h.store.list("final/b3/")).map((b) => b.key)).toEqual([
      "final/b3/0-a.jpg",
      "final/b3/1-a.jpg",
    ]);
    expect((await h.store.list("final/b3")).map((b) => b.key)).toEqual([
      "final/b3/0-a.jpg",
      "final/b3/1-a.jpg",
      "final/b30/0-a.jpg",
    ]);
    const listed = await h.store.list("final/b30/");
    expect(listed[0]).toMatchObject({ key: "final/b30/0-a.jpg", size: "final/b30/0-a.jpg".length });
    expect(await h.store.list("nothing-here/")).toEqual([]);
  });

  it("lists a prefix a page at a time, in key order, and deleting listed keys skips nothing after", async () => {
    const keys = Array.from({ length: 7 }, (_, i) => `pages/k${i}.jpg`);
    for (const k of [...keys].reverse()) await h.store.put(k, bytes(k), { contentType: "image/jpeg" });
    await h.store.put("pagesx/other.jpg", bytes("o"), { contentType: "image/jpeg" });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ListPage = await h.store.listPage("pages/", { cursor, limit: 3 });
      expect(page.blobs.length).toBeLessThanOrEqual(3);
      seen.push(...page.blobs.map((b) => b.key));
      // A sweep deletes what it listed before asking for the next page.
      await h.store.delete(page.blobs.map((b) => b.key));
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(keys);
    expect(pages).toBe(3);
    expect(await h.store.list("pages/")).toEqual([]);
    expect(await h.store.listPage("nothing-here/")).toEqual({ blobs: [], cursor: null });
    await expect(h.store.listPage("pages/", { limit: 0 })).rejects.toThrow(RangeError);
    await expect(h.store.listPage("pages/", { limit: 1001 })).rejects.toThrow(RangeError);
  });

  it("pages through nested keys in plain key order, one at a time", async () => {
    const keys = [
      "nest/a-b.jpg",
      "nest/a.jpg",
      "nest/a/x.jpg",
      "nest/a/y/z.jpg",
      "nest/a0.jpg",
      "nest/b/c.jpg",
    ];
    for (const k of keys) await h.store.put(k, bytes(k), { contentType: "image/jpeg" });
    const sorted = [...keys].sort();
    expect((await h.store.list("nest/")).map((b) => b.key)).toEqual(sorted);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ListPage = await h.store.listPage("nest/a", { cursor, limit: 1 });
      seen.push(...page.blobs.map((b) => b.key));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(sorted.filter((k) => k.startsWith("nest/a")));
  });

  it("deletes one key or many, and missing keys are fine", async () => {
    await h.store.put("tmp/x.jpg", bytes("x"), { contentType: "image/jpeg" });
    await h.store.put("tmp/y.jpg", bytes("y"), { contentType: "image/jpeg" });
    await h.store.put("tmp/z.jpg", bytes("z"), { contentType: "image/jpeg" });
    await h.store.delete("tmp/x.jpg");
    await h.store.delete(["tmp/y.jpg", "tmp/never-existed.jpg"]);
    expect((await h.store.list("tmp/")).map((b) => b.key)).toEqual(["tmp/z.jpg"]);
    expect(await h.store.get("tmp/x.jpg")).toBeNull();
  });

  it("gives every key a URL that contains the key", async () => {
    expect(h.store.url("final/b1/0-gpt-image-1.5.jpg")).toMatch(/final\/b1\/0-gpt-image-1\.5\.jpg$/);
  });

  it.each([
    "../etc/passwd",
    "/abs.jpg",
    "a//b.jpg",
    "a/../b.jpg",
    ".hidden",
    "a/.meta/x",
    "a\\b.jpg",
    "",
    "sp ace.jpg",
    "a/",
  ])("rejects the unsafe key %j on every operation", async (key) => {
    await expect(h.store.put(key, bytes("x"), { contentType: "text/plain" })).rejects.toThrow(
      StorageKeyError,
    );
    await expect(h.store.get(key)).rejects.toThrow(StorageKeyError);
    await expect(h.store.head(key)).rejects.toThrow(StorageKeyError);
    await expect(h.store.delete(key)).rejects.toThrow(StorageKeyError);
    expect(() => h.store.url(key)).toThrow(StorageKeyError);
  });
});

describe("local store specifics", () => {
  it("keeps files inside its folder, leaves no temp files, and serves URLs from /api/blob", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "blob-local-"));
    try {
      const store = createLocalStore({ dir });
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.put("raw/same.png", bytes(`v${i}`), { contentType: "image/png" }),
        ),
      );
      const got = await store.get("raw/same.png");
      expect(got?.bytes.toString()).toMatch(/^v\d+$/);
      expect(await readdir(path.join(dir, ".tmp"))).toEqual([]);
      expect(store.url("raw/same.png")).toBe("/api/blob/raw/same.png");
      await expect(store.list("../")).rejects.toThrow(StorageKeyError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it("writes again after its folders are removed behind its back", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "blob-local-"));
    try {
      const store = createLocalStore({ dir });
      await store.put("final/b1/0-m.jpg", bytes("one"), { contentType: "image/jpeg" });
      await rm(dir, { recursive: true, force: true });
      await store.put("final/b1/1-m.jpg", bytes("two"), { contentType: "image/jpeg" });
      expect((await store.get("final/b1/1-m.jpg"))?.bytes.toString()).toBe("two");
      expect((await store.head("final/b1/1-m.jpg"))?.contentType).toBe("image/jpeg");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("vercel store specifics", () => {
  it("talks to the Blob API named by VERCEL_BLOB_API_URL and writes keys verbatim", async () => {
    const fake = await startFakeVercelBlob({ storeId: "StoreAbc" });
    const previous = process.env.VERCEL_BLOB_API_URL;
    process.env.VERCEL_BLOB_API_URL = fake.apiUrl;
    try {
      const store = createVercelStore({ token: fake.token, access: "public" });
      await store.put("final/b9/0-local-preview.jpg", bytes("img"), { contentType: "image/jpeg" });
      expect([...fake.blobs.keys()]).toEqual(["final/b9/0-local-preview.jpg"]);
      expect(store.url("final/b9/0-local-preview.jpg")).toBe(
        "https://storeabc.public.blob.vercel-storage.com/final/b9/0-local-preview.jpg",
      );
      const privateStore = createVercelStore({ token: fake.token, access: "private" });
      expect(privateStore.url("raw/a.png")).toBe("/api/blob/raw/a.png");
      expect(() => createVercelStore({ token: "not-a-token", access: "public" })).toThrow(/read-write token/);
    } finally {
      if (previous === undefined) delete process.env.VERCEL_BLOB_API_URL;
      else process.env.VERCEL_BLOB_API_URL = previous;
      await fake.close();
    }
  });

  it("gives up on a Blob API that does not answer, saying what timed out (it held the cell for ever)", async () => {
    // Takes every connection and never answers.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const previous = process.env.VERCEL_BLOB_API_URL;
    process.env.VERCEL_BLOB_API_URL = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const store = createVercelStore({
        token: "vercel_blob_rw_Silent_secret",
        access: "public",
        timeoutMs: 1000,
      });
      await expect(
        store.put("final/b9/0-x.jpg", bytes("img"), { contentType: "image/jpeg" }),
      ).rejects.toThrow("Vercel Blob: put final/b9/0-x.jpg got no answer within 1 s");
      await expect(store.head("final/b9/0-x.jpg")).rejects.toThrow(
        /^Vercel Blob: head final\/b9\/0-x\.jpg got no answer/,
      );
    } finally {
      if (previous === undefined) delete process.env.VERCEL_BLOB_API_URL;
      else process.env.VERCEL_BLOB_API_URL = previous;
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
