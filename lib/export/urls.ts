/**
 * Links to the export routes. No server imports: client components (batch header, lightbox, gallery
 * selection bar) build their hrefs from here.
 */

export interface DownloadableCell {
  id: string;
  /** Changes when a retried cell gets a new image, so browsers do not reuse a stale download. */
  finishedAt?: string | null;
}

/** One finished image as an attachment with a readable name (GET /api/download/:cellId). */
export function downloadUrlFor(cell: DownloadableCell): string {
  const version = cell.finishedAt ? Date.parse(cell.finishedAt) : NaN;
  const query = Number.isFinite(version) ? `?v=${version}` : "";
  return `/api/download/${encodeURIComponent(cell.id)}${query}`;
}

/** Every finished image of a batch plus manifest.json. */
export function batchZipUrl(batchId: string): string {
  return `/api/batches/${encodeURIComponent(batchId)}/zip`;
}

/** The batch grid as one 1200×630 JPEG; `version` (see contactSheetVersion) makes the URL immutable. */
export function contactSheetUrl(batchId: string, version?: string): string {
  const query = version ? `?v=${encodeURIComponent(version)}` : "";
  return `/api/batches/${encodeURIComponent(batchId)}/contact-sheet${query}`;
}

/** Selected gallery images (by image id, which is the cell id) as one ZIP; at most MAX_ZIP_IDS. */
export function imagesZipUrl(ids: readonly string[]): string {
  return `/api/images/zip?ids=${ids.map(encodeURIComponent).join(",")}`;
}

export const MAX_ZIP_IDS = 500;
