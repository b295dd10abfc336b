/**
 * The storage sweep against a real database (PGlite in memory) and real files (a temp folder): what
 * no cell uses goes, everything a cell uses or may still record stays.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeStep, generateStep, recordStep, type CellRef } from "@/lib/batches/cell-work";
import {
  batchOfKey,
  sweepOrphanBatchFiles,
  sweepOrphanRawPages,
  sweepOrphanRaws,
  SweepRefusedError,
} from "@/lib/batches/orphans";
import {
  cancelBatch,
  completeCell,
  createBatch,
  createDb,
  finishBatchIfDone,
  getBatch,
  requeueTakes,
  showOtherTake,
  type DbHandle,
} from "@/lib/db";
import { readEnv, scheduleOf, storageSweepSchedule } from "@/lib/env";
import { getStorage, rawImageKey } from "@/lib/storage";

let handle: DbHandle;
let blobDir: string;
const saved = { ...process.env };
const DAY = 24 * 60 * 60 * 1000;
/** A sweep a day and a half from now sees every file made by the test as old. */
const later = () => ({ graceMs: DAY, now: Date.now() + 1.5 * DAY });

beforeAll(async () => {
  blobDir = mkdtempSync(path.join(os.tmpdir(), "orphans-blob-"));
  process.env.BLOB_DIR = blobDir;
  delete process.env.BLOB_READ_WRITE_TOKEN;
  handle = await createDb({ dir: "memory" });
});

afterAll(async () => {
  process.env = saved;
  await handle.close();
  rmSync(blobDir, { recursive: true, force: true });
});

async function newBatch(prompts: string[]) {
  const input = {
    prompts,
    models: ["local-preview"],
    style: "neon",
    template: "bottom-bar",
    font: "inter",
    canvas: "blog",
  };
  return (await createBatch(handle.db, { input })).batch.id;
}

const ref = (batchId: string, promptIndex: number): CellRef => ({
  batchId,
  promptIndex,
  model: "local-preview",
});

/** generate and compose, without the record step. */
async function make(cell: CellRef) {
  const raw = await generateStep(handle.db, cell, 0, false);
  if (raw.kind !== "raw") throw new Error(`expected a raw image, got ${raw.kind}`);
  return composeStep(handle.db, cell, raw.rawKey, raw.spec);
}

async function finishedBatch(prompts: string[]) {
  const id = await newBatch(prompts);
  const images = [];
  for (const i of prompts.keys()) {
    const image = await make(ref(id, i));
    await recordStep(handle.db, image);
    images.push(image);
  }
  await finishBatchIfDone(handle.db, id);
  return { id, images };
}

const exists = async (key: string) => (await getStorage().head(key)) !== null;
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
const put = (key: string) => getStorage().put(key, jpeg, { contentType: "image/jpeg" });

describe("storage sweep", () => {
  it("reads the batch from thumbnail and contact sheet keys only", () => {
    expect(batchOfKey("final/abc/0-local-preview.jpg")).toBe("abc");
    expect(batchOfKey("sheets/b-abc/0123.jpg")).toBe("abc");
    expect(batchOfKey("raw/abc.jpg")).toBeNull();
    expect(batchOfKey("final/abc/deeper/0.jpg")).toBeNull();
    expect(batchOfKey("elsewhere/abc/0.jpg")).toBeNull();
  });

  it("deletes what a take cancelled between its steps left, and keeps every picture in use", async () => {
    const kept = await finishedBatch(["Kept one", "Kept two"]);
    // The take of the second title is generated and composed; the cancel lands before record.
    expect((await requeueTakes(handle.db, kept.id, [{ promptIndex: 1, model: "local-preview" }]))?.kind).toBe(
      "queued",
    );
    const take = await make(ref(kept.id, 1));
    await cancelBatch(handle.db, kept.id, { reason: "changed my mind" });
    const cells = (await getBatch(handle.db, kept.id))!.cells;
    expect(cells.map((c) => [c.status, c.finalKey])).toEqual([
      ["succeeded", kept.images[0]!.finalKey],
      ["succeeded", kept.images[1]!.finalKey],
    ]);
    expect([await exists(take.rawKey), await exists(take.finalKey)]).toEqual([true, true]);

    const store = getStorage();
    // Young files are never taken, orphans or not.
    expect(await sweepOrphanRaws(handle.db, store, { graceMs: DAY })).toMatchObject({ checked: 0 });
    const raws = await sweepOrphanRaws(handle.db, store, later());
    expect(raws.deleted).toBe(1);
    const files = await sweepOrphanBatchFiles(handle.db, store, later());
    expect(files.deleted).toBe(1);
    expect([await exists(take.rawKey), await exists(take.finalKey)]).toEqual([false, false]);
    for (const image of kept.images) {
      expect([await exists(image.rawKey), await exists(image.finalKey)]).toEqual([true, true]);
    }
  });

  it("deletes files of deleted batches and stale contact sheets, and leaves other prefixes alone", async () => {
    const live = await finishedBatch(["Still here"]);
    const gone = "b0000000000000000000000000gone";
    const strays = [`final/${gone}/0-local-preview.jpg`, `sheets/b-${gone}/aaaa.jpg`];
    const unrelated = ["exports/keep-me.jpg", "final/loose.jpg"];
    const oldSheet = `sheets/b-${live.id}/aaaa.jpg`;
    const newSheet = `sheets/b-${live.id}/bbbb.jpg`;
    for (const key of [...strays, ...unrelated, oldSheet]) await put(key);
    await new Promise((r) => setTimeout(r, 5));
    await put(newSheet);

    const report = await sweepOrphanBatchFiles(handle.db, getStorage(), later());
    expect(report.deleted).toBe(3);
    expect(report.bytes).toBe(3 * jpeg.length);
    for (const key of [...strays, oldSheet]) expect(await exists(key)).toBe(false);
    for (const key of [...unrelated, newSheet, live.images[0]!.finalKey])
      expect(await exists(key)).toBe(true);
  });

  it("keeps the thumbnails of a batch at work and a raw image any cell may use", async () => {
    const busy = await newBatch(["At work", "Queued"]);
    // Stored by compose, not recorded yet: the batch is running.
    const unrecorded = await make(ref(busy, 0));
    // A raw picture shared by a restyled batch stays while that batch uses it.
    const shared = await finishedBatch(["Shared"]);
    const restyle = await createBatch(handle.db, {
      input: {
        prompts: ["Shared"],
        models: ["local-preview"],
        style: "neon",
        template: "center-box",
        font: "inter",
        canvas: "blog",
      },
      cells: [{ promptIndex: 0, prompt: "Shared", model: "local-preview", rawKey: shared.images[0]!.rawKey }],
    });
    const stray = rawImageKey(Buffer.from("nobody uses this"), "image/jpeg");
    await put(stray);

    await sweepOrphanRaws(handle.db, getStorage(), later());
    await sweepOrphanBatchFiles(handle.db, getStorage(), later());
    expect(await exists(stray)).toBe(false);
    expect([await exists(unrecorded.rawKey), await exists(unrecorded.finalKey)]).toEqual([true, true]);
    expect(await exists(shared.images[0]!.rawKey)).toBe(true);
    expect((await getBatch(handle.db, restyle.batch.id))!.cells[0]!.rawKey).toBe(shared.images[0]!.rawKey);
  });
});

describe("storage sweep, when the store looks shared", () => {
  it("keeps every picture a take may fall back to or its owner may switch to", async () => {
    // One cell with an other take, one in the middle of a take (its picture kept aside as previous).
    const { id, images } = await finishedBatch(["Switchable", "Mid-take"]);
    await requeueTakes(handle.db, id, [{ promptIndex: 0, model: "local-preview" }]);
    const taken = await make(ref(id, 0));
    await recordStep(handle.db, taken);
    await finishBatchIfDone(handle.db, id);
    await showOtherTake(handle.db, id, [{ promptIndex: 0, model: "local-preview" }]);
    await requeueTakes(handle.db, id, [{ promptIndex: 1, model: "local-preview" }]);
    const cells = (await getBatch(handle.db, id))!.cells;
    expect(cells.map((c) => [c.status, !!c.previous, c.others.length > 0])).toEqual([
      ["succeeded", false, true],
      ["queued", true, false],
    ]);
    await sweepOrphanRaws(handle.db, getStorage(), later());
    await sweepOrphanBatchFiles(handle.db, getStorage(), later());
    for (const key of [taken.rawKey, taken.finalKey, ...images.flatMap((i) => [i.rawKey, i.finalKey])])
      expect(await exists(key), key).toBe(true);
    // The take finishes (the batch settles) before the next test.
    const second = await make(ref(id, 1));
    await completeCell(handle.db, second.cellId, second, { finishBatch: true });
  });

  it("goes through the store a page at a time, from the cursor each part returns", async () => {
    const { images } = await finishedBatch(["Paged past"]);
    const strays = Array.from({ length: 5 }, (_, i) => rawImageKey(Buffer.from(`paged ${i}`), "image/jpeg"));
    for (const key of strays) await put(key);
    const store = getStorage();
    const options = { ...later(), pageSize: 2 };
    let at: { cursor: string | null; pages: number } = { cursor: null, pages: 1 };
    let deleted = 0;
    let parts = 0;
    do {
      const part = await sweepOrphanRawPages(handle.db, store, options, "delete", at);
      expect(part.report.checked).toBeLessThanOrEqual(2);
      deleted += part.report.deleted;
      at = { cursor: part.cursor, pages: 1 };
      parts++;
    } while (at.cursor !== null);
    expect(deleted).toBeGreaterThanOrEqual(strays.length);
    expect(parts).toBeGreaterThanOrEqual(3);
    for (const key of strays) expect(await exists(key)).toBe(false);
    expect(await exists(images[0]!.rawKey)).toBe(true);
  });

  it("refuses to delete more than a small share of what it checked, unless forced", async () => {
    const strays = Array.from({ length: 30 }, (_, i) => rawImageKey(Buffer.from(`stray ${i}`), "image/jpeg"));
    for (const key of strays) await put(key);
    const store = getStorage();
    const refused = sweepOrphanRaws(handle.db, store, later());
    await expect(refused).rejects.toThrow(SweepRefusedError);
    await expect(refused).rejects.toThrow(
      /^storage sweep refused: 30 of \d+ raw images are not used by any cell of this database\. .*Nothing was deleted/,
    );
    // However thinly the orphans spread over the pages of the listing: the count covers them all.
    await expect(sweepOrphanRaws(handle.db, store, { ...later(), pageSize: 2 })).rejects.toThrow(
      SweepRefusedError,
    );
    for (const key of strays) expect(await exists(key)).toBe(true);
    const forced = await sweepOrphanRaws(handle.db, store, { ...later(), force: true });
    expect(forced.deleted).toBe(30);
    for (const key of strays) expect(await exists(key)).toBe(false);
  });
});

describe("storage sweep settings", () => {
  it("runs every six hours after a day's grace unless told otherwise", () => {
    expect(scheduleOf("STORAGE_SWEEP_CRON", {})).toBe("23 */6 * * *");
    expect(scheduleOf("STORAGE_SWEEP_CRON", { STORAGE_SWEEP_CRON: "TZ=Europe/Paris 0 3 * * *" })).toBe(
      "TZ=Europe/Paris 0 3 * * *",
    );
    expect(scheduleOf("STORAGE_SWEEP_CRON", { STORAGE_SWEEP_CRON: "off" })).toBeNull();
    expect(scheduleOf("STORAGE_SWEEP_CRON", { STORAGE_SWEEP_CRON: "OFF" })).toBeNull();
    expect(readEnv({}).STORAGE_SWEEP_GRACE_MS).toBe(DAY);
    expect(readEnv({ STORAGE_SWEEP_GRACE_MS: "60000" }).STORAGE_SWEEP_GRACE_MS).toBe(60_000);
    // A Vercel Blob store may be another deployment's too: scheduled only when asked for.
    const token = { BLOB_READ_WRITE_TOKEN: "vercel_blob_rw_store_secret" };
    expect(storageSweepSchedule({})).toBe("23 */6 * * *");
    expect(storageSweepSchedule(token)).toBeNull();
    expect(storageSweepSchedule({ ...token, STORAGE_SWEEP_CRON: "0 4 * * *" })).toBe("0 4 * * *");
  });

  it("names a schedule it cannot use, and leaves the sweep unscheduled rather than breaking the app", () => {
    for (const [value, message] of [
      ["0 25 * * *", /STORAGE_SWEEP_CRON: cron "0 25 \* \* \*": hour 25 is out of range 0-23, or "off"/],
      ["@daily", /does not accept macros such as @daily/],
      ["TZ=Mars/Olympus 0 * * * *", /unknown time zone "Mars\/Olympus"/],
    ] as const) {
      expect(() => readEnv({ STORAGE_SWEEP_CRON: value })).toThrow(message);
      expect(scheduleOf("STORAGE_SWEEP_CRON", { STORAGE_SWEEP_CRON: value })).toBeNull();
    }
    expect(() => readEnv({ STORAGE_SWEEP_GRACE_MS: "1000" })).toThrow(
      /STORAGE_SWEEP_GRACE_MS: must be a whole number from 60,000 to 31,536,000,000 \(ms\), got "1000"/,
    );
  });
});
