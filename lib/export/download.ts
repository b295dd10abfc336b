/** One finished image as a file download, named like its ZIP entry. */
import { asShown, getCell, getDb, type Db } from "@/lib/db";
import { contentTypeFor, extensionFor, getStorage, keyProblem, type BlobStore } from "@/lib/storage";
import { contentDisposition, imageFileName, indexWidth } from "./filenames";
import { bytesResponse } from "@/lib/http";

export const CELL_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface CellDownload {
  filename: string;
  bytes: Buffer;
  contentType: string;
  etag: string;
}

export type CellDownloadResult =
  { ok: true; download: CellDownload } | { ok: false; status: 400 | 404 | 409; error: string };

export async function cellDownload(
  cellId: string,
  options: { db?: Db; store?: BlobStore } = {},
): Promise<CellDownloadResult> {
  if (!CELL_ID.test(cellId)) return { ok: false, status: 400, error: "That is not an image id." };
  const db = options.db ?? (await getDb());
  const found = await getCell(db, cellId);
  if (!found) return { ok: false, status: 404, error: "No image with this id." };
  // A cell working on a new take still has the picture it shows meanwhile.
  const cell = asShown(found);
  if (cell.status !== "succeeded" || !cell.finalKey)
    return { ok: false, status: 409, error: `This image has no file yet (status: ${cell.status}).` };
  // Only finished thumbnails are downloadable: never raw model output or anything outside final/.
  if (!cell.finalKey.startsWith("final/") || keyProblem(cell.finalKey))
    return { ok: false, status: 404, error: "No image with this id." };
  const blob = await (options.store ?? getStorage()).get(cell.finalKey);
  if (!blob) return { ok: false, status: 404, error: "The image file is missing from storage." };
  const contentType = contentTypeFor(cell.finalKey);
  const filename = imageFileName({
    promptIndex: cell.promptIndex,
    prompt: cell.prompt,
    model: cell.model,
    ext: extensionFor(contentType === "application/octet-stream" ? "image/jpeg" : contentType),
    indexWidth: indexWidth(cell.promptIndex + 1),
  });
  return { ok: true, download: { filename, bytes: blob.bytes, contentType, etag: blob.etag } };
}

export function downloadResponse(download: CellDownload, request: Request): Response {
  return bytesResponse(request, download.bytes, download.etag, {
    "content-type": download.contentType,
    "content-disposition": contentDisposition(download.filename),
    // The same id can get a new image after a retry; ?v= in downloadUrlFor changes with it.
    "cache-control": "private, max-age=60",
    "x-content-type-options": "nosniff",
  });
}
