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

export interface BlobStore {
  readonly kind: "local" | "vercel";
  /** Creates or overwrites the object at `key`. */
  put(key: string, bytes: Uint8Array, options: PutOptions): Promise<BlobInfo>;
  get(key: string): Promise<BlobObject | null>;
  head(key: string): Promise<BlobInfo | null>;
  /** Every object whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<ListedBlob[]>;
  /** Deleting a missing key is not an error. */
  delete(keys: string | readonly string[]): Promise<void>;
  url(key: string): string;
}

export const DEFAULT_CACHE_MAX_AGE = 60;
export const IMMUTABLE_MAX_AGE = 365 * 24 * 60 * 60;

export function cacheControlHeader(maxAge: number): string {
  return `public, max-age=${maxAge}`;
}
