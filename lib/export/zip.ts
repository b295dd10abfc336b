/**
 * Export ZIPs: a whole batch (GET /api/batches/:id/zip) or a gallery selection (/api/images/zip), each
 * with manifest.json last, describing every cell including those without a file. A cell working on a
 * new take is exported with the picture it shows meanwhile (asShown).
 */
import { inArray } from "drizzle-orm";
import {
  asShown,
  cells,
  getBatch,
  getDb,
  takeUnderWay,
  type CellRow,
  type CellStatus,
  type Db,
} from "@/lib/db";
import { urlFor } from "@/lib/batches/blob-url";
import { extensionFor, contentTypeFor, getStorage, type BlobStore } from "@/lib/storage";
import { UniqueNames, contentDisposition, imageFileName, indexWidth } from "./filenames";
import {
  MANIFEST_NAME,
  absoluteUrl,
  batchManifest,
  manifestBytes,
  manifestFile,
  selectionManifest,
  type ManifestFile,
} from "./manifest";
import { zipStream, type ZipOutcome, type ZipSource } from "./zip-stream";

export const BATCH_ID = /^[A-Za-z0-9_-]{16,64}$/;

export interface ZipDownload {
  filename: string;
  /**
   * The archive, made when called: a ReadableStream reads ahead as soon as it exists, so a HEAD (which
   * only wants the headers) must not make one.
   */
  open(): ReadableStream<Uint8Array>;
  /** Number of image entries attempted (the manifest comes on top). */
  images: number;
}

export interface ZipOptions {
  /** Site origin (https://host) used to make URLs in the manifest absolute. */
  origin?: string | null;
  db?: Db;
  store?: BlobStore;
  now?: () => Date;
}

function hasImage(cell: CellRow): cell is CellRow & { finalKey: string } {
  return cell.status === "succeeded" && typeof cell.finalKey === "string";
}

function extOf(key: string): string {
  try {
    return extensionFor(contentTypeFor(key));
  } catch {
    return "jpg";
  }
}

function imageUrl(cell: CellRow & { finalKey: string }, origin: string | null): string {
  return absoluteUrl(urlFor(cell.finalKey, String(cell.finishedAt?.getTime() ?? 0)), origin);
}

/** A cell as exported: as shown, and the status of a new take under way. */
const shown = (row: CellRow) => ({ cell: asShown(row), newTake: takeUnderWay(row) });

interface Planned {
  /** As shown (asShown): a cell working on a new take with the picture it keeps. */
  cell: CellRow;
  name: string | null;
  /** The status of a new take under way (see takeUnderWay). */
  newTake: CellStatus | null;
}

/** Sources for the cells that have images, and the manifest entries filled in as each one is written. */
function plan(planned: Planned[], store: BlobStore, origin: string | null) {
  const withFiles = planned.filter(
    (p): p is Planned & { cell: CellRow & { finalKey: string }; name: string } =>
      Boolean(p.name && hasImage(p.cell)),
  );
  const outcomes = new Map<string, ZipOutcome>();
  const sources: ZipSource[] = withFiles.map(({ cell, name }) => ({
    name,
    mtime: cell.finishedAt,
    load: async () => (await store.get(cell.finalKey))?.bytes ?? null,
  }));
  const onOutcome = (index: number, outcome: ZipOutcome) => outcomes.set(withFiles[index]!.cell.id, outcome);
  const entries = (): ManifestFile[] =>
    planned.map(({ cell, name, newTake }) => {
      const outcome = outcomes.get(cell.id);
      if (!name || !hasImage(cell) || !outcome) return manifestFile(cell, null, null, null, newTake);
      if (!outcome.ok) return manifestFile(cell, null, null, outcome.reason, newTake);
      return manifestFile(cell, name, imageUrl(cell, origin), null, newTake);
    });
  return { sources, onOutcome, entries };
}

export async function batchZip(batchId: string, options: ZipOptions = {}): Promise<ZipDownload | null> {
  if (!BATCH_ID.test(batchId)) return null;
  const db = options.db ?? (await getDb());
  const found = await getBatch(db, batchId);
  if (!found) return null;
  const { batch } = found;
  const origin = options.origin ?? null;
  const names = new UniqueNames();
  names.claim(MANIFEST_NAME);
  const width = indexWidth(batch.input.prompts.length);
  const planned = found.cells.map(shown).map(({ cell, newTake }) => ({
    cell,
    newTake,
    name: hasImage(cell)
      ? names.claim(imageFileName({ ...cell, ext: extOf(cell.finalKey), indexWidth: width }))
      : null,
  }));
  const { sources, onOutcome, entries } = plan(planned, options.store ?? getStorage(), origin);
  const exportedAt = (options.now ?? (() => new Date()))();
  const shareUrl = origin ? `${origin}/b/${batch.id}` : null;
  const open = () =>
    zipStream(sources, {
      onOutcome,
      trailer: () => [
        {
          name: MANIFEST_NAME,
          bytes: manifestBytes(batchManifest(batch, entries(), shareUrl, exportedAt)),
          mtime: batch.finishedAt ?? exportedAt,
        },
      ],
    });
  return { filename: `thumbnails-${batch.id}.zip`, open, images: sources.length };
}

/**
 * Selected images from any batches, in the order asked for. Names are numbered by position in the
 * selection (not by prompt index, which repeats across batches). Null when no id names an image.
 */
export async function selectionZip(
  ids: readonly string[],
  options: ZipOptions = {},
): Promise<ZipDownload | null> {
  const db = options.db ?? (await getDb());
  const unique = [...new Set(ids)];
  const rows = unique.length ? await db.select().from(cells).where(inArray(cells.id, unique)) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const ordered = unique
    .map((id) => byId.get(id))
    .filter((row): row is CellRow => Boolean(row))
    .map(shown);
  if (ordered.length === 0) return null;
  const names = new UniqueNames();
  names.claim(MANIFEST_NAME);
  const width = indexWidth(ordered.length);
  const planned = ordered.map(({ cell, newTake }, position) => ({
    cell,
    newTake,
    name: hasImage(cell)
      ? names.claim(
          imageFileName({
            promptIndex: position,
            prompt: cell.prompt,
            model: cell.model,
            ext: extOf(cell.finalKey),
            indexWidth: width,
          }),
        )
      : null,
  }));
  const { sources, onOutcome, entries } = plan(
    planned,
    options.store ?? getStorage(),
    options.origin ?? null,
  );
  const exportedAt = (options.now ?? (() => new Date()))();
  const notFound = unique.filter((id) => !byId.has(id));
  const open = () =>
    zipStream(sources, {
      onOutcome,
      trailer: () => [
        {
          name: MANIFEST_NAME,
          bytes: manifestBytes(selectionManifest(entries(), notFound, exportedAt)),
          mtime: exportedAt,
        },
      ],
    });
  const stamp = exportedAt.toISOString().slice(0, 10);
  return { filename: `thumbnails-${stamp}-${sources.length}-images.zip`, open, images: sources.length };
}

/** The streaming HTTP response for a ZIP download; for a HEAD, its headers without making the archive. */
export function zipResponse(request: Request, download: ZipDownload): Response {
  return new Response(request.method === "HEAD" ? null : download.open(), {
    headers: {
      "content-type": "application/zip",
      "content-disposition": contentDisposition(download.filename),
      // The contents follow the batch as it fills in and as images are retried or deleted.
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
