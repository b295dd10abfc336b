/**
 * HEAD on the download routes answers with the download's headers and does none of its work: no archive
 * is made (no image read) and no contact sheet drawn. Next would otherwise run the whole GET for it.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { contactSheetKey, contactSheetState } from "@/lib/export/contact-sheet-cache";
import { getStorage, type BlobStore } from "@/lib/storage";
import { memoryApp } from "../helpers/memory-app";
import { makeBatch, succeedWith, type ExportEnv } from "./helpers";

const { dir } = memoryApp("head-routes-");

const batchZip = await import("@/app/api/batches/[id]/zip/route");
const sheet = await import("@/app/api/batches/[id]/contact-sheet/route");
const imagesZip = await import("@/app/api/images/zip/route");

async function finishedBatch() {
  const db = await getDb();
  const store = getStorage();
  const env = { db, store, blobDir: dir } as unknown as ExportEnv;
  const { batch, cells } = await makeBatch(db, ["Only title"], ["local-preview"]);
  const cell = await succeedWith(env, cells[0]!, [40, 90, 160]);
  return { batch, cell, store };
}

const head = (url: string) => new Request(url, { method: "HEAD" });

async function reads(store: BlobStore, run: () => Promise<Response>) {
  let count = 0;
  const original = store.get.bind(store);
  store.get = (key) => (count++, original(key));
  try {
    const response = await run();
    await new Promise((r) => setTimeout(r, 20));
    return { response, count };
  } finally {
    store.get = original;
  }
}

describe("HEAD on downloads", () => {
  it("gives a batch ZIP's headers without reading an image", async () => {
    const { batch, store } = await finishedBatch();
    const params = { params: Promise.resolve({ id: batch.id }) };
    const { response, count } = await reads(store, () =>
      batchZip.HEAD(head(`http://localhost/api/batches/${batch.id}/zip`), params),
    );
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toContain(`thumbnails-${batch.id}.zip`);
    expect(count).toBe(0);
  });

  it("gives a selection ZIP's headers without reading an image, and refuses a bad selection alike", async () => {
    const { cell, store } = await finishedBatch();
    const { response, count } = await reads(store, () =>
      imagesZip.HEAD(head(`http://localhost/api/images/zip?ids=${cell.id}`)),
    );
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
    expect(response.headers.get("content-disposition")).toContain("-1-images.zip");
    expect(count).toBe(0);
    expect((await imagesZip.HEAD(head("http://localhost/api/images/zip?ids="))).status).toBe(400);
  });

  it("gives the contact sheet's headers without drawing it", async () => {
    const { batch, store } = await finishedBatch();
    const params = () => ({ params: Promise.resolve({ id: batch.id }) });
    const url = `http://localhost/api/batches/${batch.id}/contact-sheet`;
    const response = await sheet.HEAD(head(url), params());
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    const state = (await contactSheetState(batch.id))!;
    expect(response.headers.get("etag")).toBe(state.etag);
    expect(await store.head(contactSheetKey(batch.id, state.version))).toBeNull();
    // GET draws and keeps it, under the same ETag.
    const got = await sheet.GET(new Request(url), params());
    expect(got.headers.get("etag")).toBe(state.etag);
    expect((await got.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    expect(await store.head(contactSheetKey(batch.id, state.version))).not.toBeNull();
  });

  it("is the usual 404 for an unknown batch", async () => {
    const params = { params: Promise.resolve({ id: "no-such-batch" }) };
    expect((await batchZip.HEAD(head("http://localhost/api/batches/x/zip"), params)).status).toBe(404);
    expect((await sheet.HEAD(head("http://localhost/api/batches/x/contact-sheet"), params)).status).toBe(404);
  });
});
