/**
 * Files in blob storage that no cell uses any more. They come from rare paths the steps cannot clean
 * up themselves: a take cancelled between its generate and record steps, a take whose compose failed,
 * a delete that failed after its rows were gone (a replaced take, a deleted batch or image), a contact
 * sheet whose stale versions were not removed. The storage sweep (inngest/functions/sweep-storage.ts)
 * deletes them.
 *
 * Only files older than a grace period are considered, so nothing is taken from a step that stored a
 * file and has not recorded it yet (generate stores the raw image and records its key side by side;
 * compose stores the thumbnail one step before record). Thumbnails of a batch with work under way are
 * never touched. Only the app's own prefixes (raw/, final/, sheets/) are looked at.
 */
import { batchBlobUse, unsharedKeys, type Db } from "@/lib/db";
import { contactSheetPrefix } from "@/lib/export/contact-sheet-cache";
import type { BlobStore, ListedBlob } from "@/lib/storage";

/** Keys checked against the database per query. */
const CHUNK = 500;

export interface OrphanSweepOptions {
  /** Files uploaded less than this long ago are left alone. */
  graceMs: number;
  now?: number;
}

export interface OrphanSweepReport {
  /** Files past the grace period that were checked. */
  checked: number;
  deleted: number;
  /** Bytes freed. */
  bytes: number;
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function oldFiles(store: BlobStore, prefix: string, options: OrphanSweepOptions) {
  const cutoff = (options.now ?? Date.now()) - options.graceMs;
  return (await store.list(prefix)).filter((blob) => blob.uploadedAt.getTime() < cutoff);
}

/** Deletes `doomed` (a subset of `files`) and reports on `files`. */
async function remove(
  store: BlobStore,
  files: readonly ListedBlob[],
  doomed: ReadonlySet<string>,
): Promise<OrphanSweepReport> {
  const gone = files.filter((blob) => doomed.has(blob.key));
  for (const part of chunks(gone)) await store.delete(part.map((blob) => blob.key));
  return {
    checked: files.length,
    deleted: gone.length,
    bytes: gone.reduce((sum, blob) => sum + blob.size, 0),
  };
}

/**
 * Raw images no cell references (as its picture, or as the picture a take may fall back to). Each
 * chunk is checked right before it is deleted, which keeps the window for a cell to take up the same
 * content-addressed key meanwhile small; should it happen, that cell's next reuse finds no file and
 * generates again (generate checks the file before reusing a key).
 */
export async function sweepOrphanRaws(
  db: Db,
  store: BlobStore,
  options: OrphanSweepOptions,
): Promise<OrphanSweepReport> {
  const files = await oldFiles(store, "raw/", options);
  const report: OrphanSweepReport = { checked: files.length, deleted: 0, bytes: 0 };
  for (const part of chunks(files)) {
    const unused = new Set(
      await unsharedKeys(
        db,
        part.map((blob) => blob.key),
      ),
    );
    const done = await remove(store, part, unused);
    report.deleted += done.deleted;
    report.bytes += done.bytes;
  }
  return report;
}

/** The batch id in final/<batchId>/… or sheets/b-<batchId>/…; null for any other shape. */
export function batchOfKey(key: string): string | null {
  const match = /^(?:final\/([^/]+)|sheets\/b-([^/]+))\/[^/]+$/.exec(key);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/**
 * Thumbnails and contact sheets: every file of a batch that no longer exists; a thumbnail of a
 * finished batch that none of its cells uses; a contact sheet older than its batch's newest one.
 */
export async function sweepOrphanBatchFiles(
  db: Db,
  store: BlobStore,
  options: OrphanSweepOptions,
): Promise<OrphanSweepReport> {
  const files = [
    ...(await oldFiles(store, "final/", options)),
    ...(await oldFiles(store, "sheets/", options)),
  ];
  const byBatch = new Map<string, ListedBlob[]>();
  for (const blob of files) {
    const batchId = batchOfKey(blob.key);
    if (!batchId) continue;
    const list = byBatch.get(batchId);
    if (list) list.push(blob);
    else byBatch.set(batchId, [blob]);
  }
  const doomed = new Set<string>();
  for (const ids of chunks([...byBatch.keys()])) {
    const use = await batchBlobUse(db, ids);
    for (const id of ids) {
      const own = byBatch.get(id) ?? [];
      const batch = use.get(id);
      if (!batch) own.forEach((blob) => doomed.add(blob.key));
      else for (const key of unusedFiles(id, own, batch.keys, batch.busy)) doomed.add(key);
    }
  }
  return remove(store, files, doomed);
}

function unusedFiles(batchId: string, own: ListedBlob[], used: Set<string>, busy: boolean): string[] {
  const sheetPrefix = contactSheetPrefix(batchId);
  const sheets = own.filter((blob) => blob.key.startsWith(sheetPrefix));
  const newest = Math.max(...sheets.map((blob) => blob.uploadedAt.getTime()));
  const staleSheets = sheets.filter((blob) => blob.uploadedAt.getTime() < newest);
  // A batch at work may be about to record a thumbnail it has just stored.
  const thumbnails = busy ? [] : own.filter((blob) => blob.key.startsWith("final/") && !used.has(blob.key));
  return [...staleSheets, ...thumbnails].map((blob) => blob.key);
}
