/** Gallery delete against a real (in-memory) database and a local blob store: rows, blobs, shared raws. */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  completeCell,
  createDb,
  getBatch,
  listImages,
  recordAttemptResult,
  recordAttemptStart,
  type CellRow,
  type Db,
  type DbHandle,
} from "@/lib/db";
import { contactSheetKey } from "@/lib/export/contact-sheet-cache";
import { deleteGalleryImages } from "@/lib/gallery/delete";
import { createLocalStore, type BlobStore } from "@/lib/storage";
import { at, newBatch } from "../db/fixtures";

let handle: DbHandle;
let db: Db;
let store: BlobStore;
let dir: string;

beforeAll(async () => {
  handle = await createDb({ dir: "memory" });
  db = handle.db;
  dir = mkdtempSync(path.join(os.tmpdir(), "gallery-delete-"));
  store = createLocalStore({ dir });
});

afterAll(async () => {
  await handle?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A finished cell whose raw and final images really exist in the store. */
async function finish(cell: CellRow, rawKey: string): Promise<{ raw: string; final: string }> {
  const final = `final/${cell.batchId}/${cell.promptIndex}-${cell.model}.jpg`;
  await store.put(rawKey, Buffer.from(`raw ${rawKey}`), { contentType: "image/png" });
  await store.put(final, Buffer.from(`final ${cell.id}`), { contentType: "image/jpeg" });
  await recordAttemptStart(db, cell.id, { attempt: 0 });
  await recordAttemptResult(db, cell.id, {
    attempt: 0,
    outcome: "ok",
    requestId: "r",
    costUsd: 0.04,
    rawKey,
  });
  await completeCell(db, cell.id, { finalKey: final, width: 1280, height: 720, bytes: 10 });
  return { raw: rawKey, final };
}

describe("deleteGalleryImages", () => {
  it("removes the rows and both blobs, leaves other cells alone, and skips unknown ids", async () => {
    const { batch, cells } = await newBatch(db, 3, ["local-preview"]);
    const files = await Promise.all(cells.map((c, i) => finish(c, `raw/own-${batch.id}-${i}.png`)));
    const gone = [at(cells, 0).id, at(cells, 2).id];

    const outcome = await deleteGalleryImages(db, store, [...gone, "no-such-id"]);

    expect(outcome.deleted.sort()).toEqual([...gone].sort());
    expect(outcome.skipped).toEqual(["no-such-id"]);
    expect(outcome.blobsDeleted).toBe(4);
    for (const i of [0, 2]) {
      expect(await store.head(at(files, i).raw)).toBeNull();
      expect(await store.head(at(files, i).final)).toBeNull();
    }
    expect(await store.head(at(files, 1).final)).not.toBeNull();
    const left = await listImages(db, { batchId: batch.id });
    expect(left.images.map((img) => img.cellId)).toEqual([at(cells, 1).id]);
    // The batch keeps its spend: the removed cells' cost moves aside, it does not vanish.
    const after = await getBatch(db, batch.id);
    expect(after?.cells).toHaveLength(1);
    expect(Number(after?.batch.removedCostUsd)).toBeCloseTo(0.08);
  });

  it("keeps a content-addressed raw image that another cell still uses", async () => {
    const { cells } = await newBatch(db, 2, ["local-preview"]);
    const shared = "raw/shared-sha.png";
    const a = await finish(at(cells, 0), shared);
    const b = await finish(at(cells, 1), shared);

    const first = await deleteGalleryImages(db, store, [at(cells, 0).id]);
    expect(first).toMatchObject({ deleted: [at(cells, 0).id], blobsDeleted: 1, blobsKept: 1 });
    expect(await store.head(a.final)).toBeNull();
    expect(await store.head(shared)).not.toBeNull();

    const second = await deleteGalleryImages(db, store, [at(cells, 1).id]);
    expect(second).toMatchObject({ blobsDeleted: 2, blobsKept: 0 });
    expect(await store.head(b.final)).toBeNull();
    expect(await store.head(shared)).toBeNull();
  });

  it("drops every cached contact sheet of a batch that lost images, and only of that batch", async () => {
    const { batch, cells } = await newBatch(db, 2, ["local-preview"]);
    const other = await newBatch(db, 1, ["local-preview"]);
    await finish(at(cells, 0), `raw/sheet-${batch.id}.png`);
    const sheets = [contactSheetKey(batch.id, "v1"), contactSheetKey(batch.id, "v2")];
    const kept = contactSheetKey(other.batch.id, "v1");
    for (const key of [...sheets, kept])
      await store.put(key, Buffer.from("jpeg"), { contentType: "image/jpeg" });

    const outcome = await deleteGalleryImages(db, store, [at(cells, 0).id]);

    // The raw and final image, plus both sheet versions (they show the deleted image).
    expect(outcome.blobsDeleted).toBe(4);
    for (const key of sheets) expect(await store.head(key)).toBeNull();
    expect(await store.head(kept)).not.toBeNull();
  });

  it("skips cells that are still in progress", async () => {
    const { cells } = await newBatch(db, 1, ["local-preview"]);
    const outcome = await deleteGalleryImages(db, store, [at(cells, 0).id]);
    expect(outcome).toMatchObject({ deleted: [], skipped: [at(cells, 0).id], blobsDeleted: 0 });
  });
});
