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
 * never touched. Only the app's own prefixes (raw/, final/, sheets/) are looked at. Each batch's files
 * (and each chunk of raw images) are checked again right before they are deleted, so a retry that
 * started meanwhile keeps its files.
 *
 * A store shared with another database (a preview deployment, a developer's machine holding the
 * production token, a database restored from an old backup) holds many files this database does not
 * know: a sweep that would delete more than a small share of what it checked refuses, deleting
 * nothing, unless forced. It therefore counts first and deletes after, going over the store a page of
 * its listing at a time both times, so no step has to hold or check the whole store.
 */
import { batchBlobUse, unsharedKeys, type Db } from "@/lib/db";
import { contactSheetPrefix } from "@/lib/export/contact-sheet-cache";
import type { BlobStore, ListedBlob } from "@/lib/storage";

/** Raw keys checked against the database per query. */
const CHUNK = 500;
/** Batches whose cells are read per query (a batch may have 10,000 cells). */
const BATCH_CHUNK = 20;
/** Past both, a sweep refuses: more files than this would go... */
const REFUSE_OVER_FILES = 20;
/** ...and more than this share of the files it checked. */
const REFUSE_OVER_SHARE = 0.1;

export interface OrphanSweepOptions {
  /** Files uploaded less than this long ago are left alone. */
  graceMs: number;
  now?: number;
  /** Delete however many files are orphans (the operator knows no other database uses the store). */
  force?: boolean;
  /** Files listed per page (1–1,000). */
  pageSize?: number;
}

export interface OrphanSweepReport {
  /** Files past the grace period that were checked. */
  checked: number;
  /** Of those, the ones no cell uses (what a delete pass would remove). */
  orphans: number;
  deleted: number;
  /** Bytes freed. */
  bytes: number;
}

/**
 * A sweep goes over a prefix twice, a page of the store listing at a time: "count" finds the orphans
 * and deletes nothing, so the refusal below can judge the whole store; "delete" then finds them again
 * and deletes them, each checked once more right before it goes.
 */
export type SweepPass = "count" | "delete";

/** Where a pass over one prefix goes on: a store listing cursor (null: from the start). */
export interface SweepPosition {
  cursor: string | null;
  /** Pages to go through before stopping (the caller goes on from the returned cursor). */
  pages: number;
}

export interface SweepPart {
  report: OrphanSweepReport;
  /** Where the next part starts; null when the prefix is done. */
  cursor: string | null;
}

/** The sweep would delete too much of the store: likely another database's files. Nothing was deleted. */
export class SweepRefusedError extends Error {
  override name = "SweepRefusedError";
}

const emptyReport = (): OrphanSweepReport => ({ checked: 0, orphans: 0, deleted: 0, bytes: 0 });

export function addReport(total: OrphanSweepReport, part: OrphanSweepReport): void {
  total.checked += part.checked;
  total.orphans += part.orphans;
  total.deleted += part.deleted;
  total.bytes += part.bytes;
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function oldFiles(
  store: BlobStore,
  prefix: string,
  cursor: string | null,
  options: OrphanSweepOptions,
) {
  const cutoff = (options.now ?? Date.now()) - options.graceMs;
  const page = await store.listPage(prefix, { cursor, limit: options.pageSize });
  return { files: page.blobs.filter((blob) => blob.uploadedAt.getTime() < cutoff), cursor: page.cursor };
}

/** Goes over `prefix` page by page from `at` with `onPage`, at most `at.pages` pages. */
async function pages(
  at: SweepPosition,
  onPage: (cursor: string | null, report: OrphanSweepReport) => Promise<string | null>,
): Promise<SweepPart> {
  const report = emptyReport();
  let cursor = at.cursor;
  for (let page = 0; page < at.pages; page++) {
    cursor = await onPage(cursor, report);
    if (cursor === null) break;
  }
  return { report, cursor };
}

/** A whole pass in one go (tests, small stores). */
async function wholePass(part: (at: SweepPosition) => Promise<SweepPart>): Promise<OrphanSweepReport> {
  const total = emptyReport();
  let cursor: string | null = null;
  do {
    const done = await part({ cursor, pages: 100 });
    addReport(total, done.report);
    cursor = done.cursor;
  } while (cursor !== null);
  return total;
}

/**
 * After a count pass: refuses (SweepRefusedError) when the orphans found are more than a few files and
 * more than a small share of those checked, unless forced.
 */
export function guardSweep(
  what: string,
  counted: OrphanSweepReport,
  options: Pick<OrphanSweepOptions, "force">,
) {
  const { checked, orphans } = counted;
  if (options.force || orphans <= REFUSE_OVER_FILES || orphans <= checked * REFUSE_OVER_SHARE) return;
  throw new SweepRefusedError(
    `storage sweep refused: ${orphans} of ${checked} ${what} are not used by any cell of this database. ` +
      "Is the store shared with another database (a preview deployment, a copy of the production " +
      "token, a restored backup)? Nothing was deleted; send storage/sweep.requested with " +
      '{"force": true} if this database alone uses the store.',
  );
}

async function remove(store: BlobStore, gone: readonly ListedBlob[], report: OrphanSweepReport) {
  if (gone.length === 0) return;
  await store.delete(gone.map((blob) => blob.key));
  report.deleted += gone.length;
  report.bytes += gone.reduce((sum, blob) => sum + blob.size, 0);
}

/**
 * Raw images no cell references (as its picture, a take's previous one, or one of its other takes). A raw
 * key is content-addressed: should a cell take up the same key between the check and the delete, its
 * next reuse finds no file and generates again (generate checks the file before reusing a key).
 * One pass from `at`, a page at a time; `sweepOrphanRaws` does the whole store.
 */
export function sweepOrphanRawPages(
  db: Db,
  store: BlobStore,
  options: OrphanSweepOptions,
  pass: SweepPass,
  at: SweepPosition,
): Promise<SweepPart> {
  const unused = async (part: ListedBlob[]) => {
    const keys = new Set(
      await unsharedKeys(
        db,
        part.map((blob) => blob.key),
      ),
    );
    return part.filter((blob) => keys.has(blob.key));
  };
  return pages(at, async (cursor, report) => {
    const page = await oldFiles(store, "raw/", cursor, options);
    report.checked += page.files.length;
    for (const part of chunks(page.files)) {
      const orphans = await unused(part);
      report.orphans += orphans.length;
      if (pass === "delete") await remove(store, orphans, report);
    }
    return page.cursor;
  });
}

/** Counts, guards, deletes: the whole store's raw images in one go. */
export async function sweepOrphanRaws(db: Db, store: BlobStore, options: OrphanSweepOptions) {
  const counted = await wholePass((at) => sweepOrphanRawPages(db, store, options, "count", at));
  guardSweep("raw images", counted, options);
  const done = await wholePass((at) => sweepOrphanRawPages(db, store, options, "delete", at));
  return { ...done, checked: counted.checked, orphans: counted.orphans };
}

/** The batch id in final/<batchId>/… or sheets/b-<batchId>/…; null for any other shape. */
export function batchOfKey(key: string): string | null {
  const match = /^(?:final\/([^/]+)|sheets\/b-([^/]+))\/[^/]+$/.exec(key);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** The prefixes of files kept per batch: thumbnails, and contact sheets. */
export const BATCH_FILE_PREFIXES = ["final/", "sheets/"] as const;

/**
 * Thumbnails and contact sheets under `prefix` (one of BATCH_FILE_PREFIXES): every file of a batch
 * that no longer exists; a thumbnail of a finished batch that none of its cells uses; a contact sheet
 * older than its batch's newest one (among those listed on the same page: sheets of one batch split by
 * a page boundary wait for the next sweep). One pass from `at`, a page at a time;
 * `sweepOrphanBatchFiles` does both prefixes whole.
 */
export function sweepOrphanBatchFilePages(
  db: Db,
  store: BlobStore,
  prefix: (typeof BATCH_FILE_PREFIXES)[number],
  options: OrphanSweepOptions,
  pass: SweepPass,
  at: SweepPosition,
): Promise<SweepPart> {
  return pages(at, async (cursor, report) => {
    const page = await oldFiles(store, prefix, cursor, options);
    report.checked += page.files.length;
    const byBatch = new Map<string, ListedBlob[]>();
    for (const blob of page.files) {
      const batchId = batchOfKey(blob.key);
      if (!batchId) continue;
      const list = byBatch.get(batchId);
      if (list) list.push(blob);
      else byBatch.set(batchId, [blob]);
    }
    const unused = async (ids: string[]) => {
      const use = await batchBlobUse(db, ids);
      return ids.flatMap((id) => {
        const own = byBatch.get(id) ?? [];
        const batch = use.get(id);
        return batch ? unusedFiles(id, own, batch.keys, batch.busy) : own;
      });
    };
    if (pass === "count") {
      for (const ids of chunks([...byBatch.keys()], BATCH_CHUNK))
        report.orphans += (await unused(ids)).length;
      return page.cursor;
    }
    // Checked batch by batch right before its files go: a retry that began meanwhile keeps them.
    for (const id of byBatch.keys()) {
      const orphans = await unused([id]);
      report.orphans += orphans.length;
      await remove(store, orphans, report);
    }
    return page.cursor;
  });
}

/** Counts, guards, deletes: the whole store's thumbnails and contact sheets in one go. */
export async function sweepOrphanBatchFiles(
  db: Db,
  store: BlobStore,
  options: OrphanSweepOptions,
): Promise<OrphanSweepReport> {
  const pass = async (kind: SweepPass) => {
    const total = emptyReport();
    for (const prefix of BATCH_FILE_PREFIXES)
      addReport(
        total,
        await wholePass((at) => sweepOrphanBatchFilePages(db, store, prefix, options, kind, at)),
      );
    return total;
  };
  const counted = await pass("count");
  guardSweep("thumbnails and contact sheets", counted, options);
  const done = await pass("delete");
  return { ...done, checked: counted.checked, orphans: counted.orphans };
}

function unusedFiles(batchId: string, own: ListedBlob[], used: Set<string>, busy: boolean): ListedBlob[] {
  const sheetPrefix = contactSheetPrefix(batchId);
  const sheets = own.filter((blob) => blob.key.startsWith(sheetPrefix));
  const newest = Math.max(...sheets.map((blob) => blob.uploadedAt.getTime()));
  const staleSheets = sheets.filter((blob) => blob.uploadedAt.getTime() < newest);
  // A batch at work may be about to record a thumbnail it has just stored.
  const thumbnails = busy ? [] : own.filter((blob) => blob.key.startsWith("final/") && !used.has(blob.key));
  return [...staleSheets, ...thumbnails];
}
