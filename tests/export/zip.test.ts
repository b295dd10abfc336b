/** Batch and selection ZIPs: entries, names, manifest, byte-exact images, streaming without reading ahead. */
import { unzipSync, strFromU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchManifest, SelectionManifest } from "@/lib/export/manifest";
import { cellDownload } from "@/lib/export/download";
import { batchZip, selectionZip, zipResponse } from "@/lib/export/zip";
import { finishBatchIfDone, recordAttemptStart, requeueTakes } from "@/lib/db";
import type { BlobStore } from "@/lib/storage";
import {
  failWith,
  makeBatch,
  noisyJpeg,
  openExportEnv,
  readAll,
  succeedWith,
  type ExportEnv,
} from "./helpers";

let env: ExportEnv;
beforeAll(async () => {
  env = await openExportEnv();
});
afterAll(async () => {
  await env?.close();
});

const ORIGIN = "https://thumbs.example";

describe("batchZip", () => {
  it("holds every finished image named by title and model, and a manifest accounting for every cell", async () => {
    const prompts = ["Why fan-out beats sequential", "Crème brûlée: a guide", "Why fan-out beats sequential"];
    const { batch, cells } = await makeBatch(env.db, prompts, ["local-preview", "gpt-image-1.5"]);
    const [c0, c1, c2, c3, c4, c5] = cells;
    for (const [cell, colour] of [
      [c0, [200, 0, 0]],
      [c1, [0, 200, 0]],
      [c2, [0, 0, 200]],
      [c4, [9, 9, 9]],
      [c5, [90, 90, 90]],
    ] as const)
      await succeedWith(env, cell!, colour);
    await failWith(env, c3!, "blocked by moderation");

    const download = await batchZip(batch.id, { db: env.db, store: env.store, origin: ORIGIN });
    expect(download?.filename).toBe(`thumbnails-${batch.id}.zip`);
    const files = unzipSync(await readAll(download!.open()));
    // Cell order (prompt, then model as asked for), manifest last.
    expect(Object.keys(files)).toEqual([
      "01-why-fan-out-beats-sequential--local-preview.jpg",
      "01-why-fan-out-beats-sequential--gpt-image-1.5.jpg",
      "02-creme-brulee-a-guide--local-preview.jpg",
      "03-why-fan-out-beats-sequential--local-preview.jpg",
      "03-why-fan-out-beats-sequential--gpt-image-1.5.jpg",
      "manifest.json",
    ]);
    // Stored bytes come out unchanged.
    const stored = await env.store.get(`final/${batch.id}/0-local-preview.jpg`);
    expect(
      Buffer.from(files["01-why-fan-out-beats-sequential--local-preview.jpg"]!).equals(stored!.bytes),
    ).toBe(true);

    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as BatchManifest;
    expect(manifest).toMatchObject({
      kind: "batch",
      batchId: batch.id,
      url: `${ORIGIN}/b/${batch.id}`,
      status: "partial",
      style: "neon",
      template: "bottom-bar",
      font: "inter",
      canvas: "blog",
      prompts,
      models: ["local-preview", "gpt-image-1.5"],
      counts: { total: 6, files: 5, withoutFile: 1 },
    });
    expect(manifest.files).toHaveLength(6);
    const ok = manifest.files[0]!;
    expect(ok).toMatchObject({
      file: "01-why-fan-out-beats-sequential--local-preview.jpg",
      prompt: prompts[0],
      model: "local-preview",
      status: "succeeded",
      width: 1200,
      height: 630,
      attempts: 1,
      costUsd: 0.04,
      requestIds: [`req-${c0!.id}`],
      error: null,
    });
    expect(ok.url).toMatch(
      new RegExp(`^${ORIGIN}/api/blob/final/${batch.id}/0-local-preview\\.jpg\\?v=\\d+$`),
    );
    const failed = manifest.files.find((f) => f.cellId === c3!.id)!;
    expect(failed).toMatchObject({
      file: null,
      url: null,
      status: "failed",
      error: "blocked by moderation",
      errorKind: "moderation",
      promptIndex: 1,
      model: "gpt-image-1.5",
      requestIds: [`req-${c3!.id}`],
    });
  });

  it("lists an image missing from storage in the manifest instead of breaking the archive", async () => {
    const { batch, cells } = await makeBatch(env.db, ["One", "Two"], ["local-preview"]);
    const first = await succeedWith(env, cells[0]!, [10, 20, 30]);
    await succeedWith(env, cells[1]!, [30, 20, 10]);
    await env.store.delete(first.finalKey!);
    const download = await batchZip(batch.id, { db: env.db, store: env.store });
    const files = unzipSync(await readAll(download!.open()));
    expect(Object.keys(files)).toEqual(["02-two--local-preview.jpg", "manifest.json"]);
    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as BatchManifest;
    expect(manifest.url).toBeNull();
    expect(manifest.files[0]).toMatchObject({ file: null, status: "succeeded", errorKind: "missing" });
    expect(manifest.files[0]!.error).toContain("missing");
  });

  it("exports a cell working on a new take with the picture it shows meanwhile, as its download does", async () => {
    const { batch, cells } = await makeBatch(env.db, ["Taken again", "Left alone"], ["local-preview"]);
    const [taken, alone] = cells;
    const shown = await succeedWith(env, taken!, [10, 120, 200]);
    await succeedWith(env, alone!, [200, 120, 10]);
    await finishBatchIfDone(env.db, batch.id);
    const take = await requeueTakes(env.db, batch.id, [{ promptIndex: 0, model: "local-preview" }]);
    expect(take).toMatchObject({ kind: "queued", cells: [{ status: "queued", finalKey: null }] });

    const download = await batchZip(batch.id, { db: env.db, store: env.store, origin: ORIGIN });
    const files = unzipSync(await readAll(download!.open()));
    expect(Object.keys(files)).toEqual([
      "01-taken-again--local-preview.jpg",
      "02-left-alone--local-preview.jpg",
      "manifest.json",
    ]);
    const stored = await env.store.get(shown.finalKey!);
    expect(Buffer.from(files["01-taken-again--local-preview.jpg"]!).equals(stored!.bytes)).toBe(true);
    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as BatchManifest;
    // Marked as taken again, with the take's status; the cell left alone is not.
    expect(manifest.files[0]).toMatchObject({
      status: "succeeded",
      width: 1200,
      error: null,
      newTake: "queued",
    });
    expect(manifest.files[1]).toMatchObject({ status: "succeeded", newTake: null });
    expect(manifest.counts).toMatchObject({ files: 2, withoutFile: 0 });
    await recordAttemptStart(env.db, taken!.id, { attempt: 0 });
    const selection = await selectionZip([taken!.id], { db: env.db, store: env.store });
    const picked = JSON.parse(strFromU8(unzipSync(await readAll(selection!.open()))["manifest.json"]!));
    expect((picked as SelectionManifest).files).toMatchObject([{ status: "succeeded", newTake: "running" }]);

    const one = await cellDownload(taken!.id, { db: env.db, store: env.store });
    expect(one.ok && one.download.bytes.equals(stored!.bytes)).toBe(true);
  });

  it("is null for unknown or malformed ids", async () => {
    expect(await batchZip("AAAAAAAAAAAAAAAAAAAAAA", { db: env.db, store: env.store })).toBeNull();
    expect(await batchZip("../../etc/passwd", { db: env.db, store: env.store })).toBeNull();
  });

  it("streams: images are read only as the consumer pulls", async () => {
    const prompts = Array.from({ length: 12 }, (_, i) => `Title ${i + 1}`);
    const { batch, cells } = await makeBatch(env.db, prompts, ["local-preview"]);
    const photo = await noisyJpeg();
    expect(photo.length).toBeGreaterThan(200_000);
    for (const cell of cells) await succeedWith(env, cell, photo);
    let reads = 0;
    const counting: BlobStore = { ...env.store, get: (key) => (reads++, env.store.get(key)) };
    const download = await batchZip(batch.id, { db: env.db, store: counting });
    const reader = download!.open().getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    // One image in the queue plus a small read-ahead window: far fewer than the 12 images.
    expect(reads).toBeLessThanOrEqual(6);
    let total = first.value!.length;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
    }
    expect(reads).toBe(12);
    expect(total).toBeGreaterThan(12 * photo.length);
  });
  it("answers a HEAD with the download's headers and reads no image", async () => {
    const { batch, cells } = await makeBatch(env.db, ["One", "Two"], ["local-preview"]);
    for (const cell of cells) await succeedWith(env, cell, [1, 2, 3]);
    let reads = 0;
    const counting: BlobStore = { ...env.store, get: (key) => (reads++, env.store.get(key)) };
    const download = await batchZip(batch.id, { db: env.db, store: counting });
    const head = zipResponse(new Request("http://x/zip", { method: "HEAD" }), download!);
    expect(head.body).toBeNull();
    expect(head.headers.get("content-disposition")).toContain(`thumbnails-${batch.id}.zip`);
    expect(head.headers.get("content-type")).toBe("application/zip");
    await new Promise((r) => setTimeout(r, 20));
    expect(reads).toBe(0);
    const get = zipResponse(new Request("http://x/zip"), download!);
    expect(Object.keys(unzipSync(new Uint8Array(await get.arrayBuffer()))).length).toBe(3);
    expect(reads).toBe(2);
  });
});

describe("selectionZip", () => {
  it("packs images from several batches in the order asked, numbering by position", async () => {
    const a = await makeBatch(env.db, ["Same title"], ["local-preview"]);
    const b = await makeBatch(env.db, ["Same title", "Pending one"], ["local-preview"]);
    const ca = await succeedWith(env, a.cells[0]!, [1, 2, 3]);
    const cb = await succeedWith(env, b.cells[0]!, [3, 2, 1]);
    const pending = b.cells[1]!;
    const download = await selectionZip([cb.id, "nope-not-here", ca.id, pending.id, cb.id], {
      db: env.db,
      store: env.store,
      origin: ORIGIN,
    });
    const files = unzipSync(await readAll(download!.open()));
    expect(Object.keys(files)).toEqual([
      "01-same-title--local-preview.jpg",
      "02-same-title--local-preview.jpg",
      "manifest.json",
    ]);
    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as SelectionManifest;
    expect(manifest.kind).toBe("selection");
    expect(manifest.notFound).toEqual(["nope-not-here"]);
    expect(manifest.files.map((f) => [f.cellId, f.batchId, f.file])).toEqual([
      [cb.id, b.batch.id, "01-same-title--local-preview.jpg"],
      [ca.id, a.batch.id, "02-same-title--local-preview.jpg"],
      [pending.id, b.batch.id, null],
    ]);
    expect(manifest.files[2]).toMatchObject({ status: "queued", error: "not finished (queued)" });
    expect(download!.filename).toMatch(/^thumbnails-\d{4}-\d{2}-\d{2}-2-images\.zip$/);
  });

  it("is null when no id names an image", async () => {
    expect(await selectionZip(["nothing", "here"], { db: env.db, store: env.store })).toBeNull();
  });
});
