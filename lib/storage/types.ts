/** The one storage interface; `local` (files) and `vercel` (@vercel/blob) implement it identically. */

export interface PutOptions {
  contentType: string;
  /**
   * Browser/CDN cache lifetime in seconds (Vercel Blob's unit, minimum 60). Default 60: final keys are
   * overwritten on retry or re-composite; pass IMMUTABLE_MAX_AGE for content-addressed raw keys.
   */
  cacheControlMaxAge?: number;
}

export interface BlobInfo {
  key: string;
  size: number;
  contentType: string;
  cacheControl: string;
  etag: string;
  uploadedAt: Date;
  /** Where a browser can fetch it (local: the app's /api/blob route). */
  url: string;
}

export interface BlobObject extends BlobInfo {
  bytes: Buffer;
}

/** List entries carry no content type: Vercel's list API does not return one. */
export type ListedBlob = Omit<BlobInfo, "contentType" | "cacheControl">;

export interface ListPage {
  blobs: ListedBlob[];
  /** Pass to the next listPage call; null when there is nothing more. */
  cursor: string | null;
}

export const MAX_LIST_PAGE = 1000;

/** A listPage limit: a whole number from 1 to 1,000 (default 1,000). */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return MAX_LIST_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_PAGE)
    throw new RangeError(`list page limit must be a whole number from 1 to ${MAX_LIST_PAGE}, got ${limit}`);
  return limit;
}

export interface BlobStore {
  readonly kind: "local" | "vercel";
  /** Creates or overwrites the object at `key`. */
  put(key: string, bytes: Uint8Array, options: PutOptions): Promise<BlobInfo>;
  get(key: string): Promise<BlobObject | null>;
  head(key: string): Promise<BlobInfo | null>;
  /** Every object whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<ListedBlob[]>;
  /**
   * One page of `list(prefix)`: at most `limit` objects (1–1,000, default 1,000) after `cursor` (a
   * previous page's; none: from the start), and the cursor for the next page (null: no more). For
   * stores too big to list in one go; deleting listed objects does not disturb the pages after.
   */
  listPage(prefix: string, options?: { cursor?: string | null; limit?: number }): Promise<ListPage>;
  /** Deleting a missing key is not an error. */
  delete(keys: string | readonly string[]): Promise<void>;
  url(key: string): string;
}

export const DEFAULT_CACHE_MAX_AGE = 60;
export const IMMUTABLE_MAX_AGE = 365 * 24 * 60 * 60;

export function cacheControlHeader(maxAge: number): string {
  return `public, max-age=${maxAge}`;
}
