/**
 * Vercel Blob store through @vercel/blob. Keys are written verbatim (addRandomSuffix false) and may be
 * overwritten (allowOverwrite true), so deterministic keys make retries idempotent. The SDK reads its API
 * base from VERCEL_BLOB_API_URL, which is how tests point it at the local fake (lib/storage/fake-vercel-blob).
 */
import { BlobNotFoundError, del, head, list, put } from "@vercel/blob";
import { assertValidKey, assertValidPrefix } from "@/lib/storage/keys";
import {
  DEFAULT_CACHE_MAX_AGE,
  pageLimit,
  type BlobInfo,
  type BlobStore,
  type ListedBlob,
  type ListPage,
} from "@/lib/storage/types";

export interface VercelStoreOptions {
  token: string;
  /** Must match the store's access mode. Private blobs are served to browsers through /api/blob. */
  access: "public" | "private";
  /**
   * How long one call may take, the SDK's own retries included (STORAGE_TIMEOUT_MS): a store that does
   * not answer fails the step, which is retried, instead of holding it (and its cell) for ever.
   */
  timeoutMs?: number;
}

/** Runs one SDK call with a deadline; past it, an error that says what timed out and after how long. */
async function within<T>(
  timeoutMs: number,
  what: string,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  // An abort without a reason (an AbortError): the SDK stops on that, while on AbortSignal.timeout()'s
  // TimeoutError it goes on retrying with backoff.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await call(controller.signal);
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    throw new Error(`Vercel Blob: ${what} got no answer within ${Math.round(timeoutMs / 1000)} s`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Read-write tokens look like vercel_blob_rw_<storeId>_<secret>. */
export function storeIdFromToken(token: string): string {
  const storeId = token.split("_")[3];
  if (!token.startsWith("vercel_blob_rw_") || !storeId) {
    throw new RangeError(
      "BLOB_READ_WRITE_TOKEN does not look like a Vercel Blob read-write token (vercel_blob_rw_…)",
    );
  }
  return storeId;
}

export function createVercelStore(options: VercelStoreOptions): BlobStore {
  const { token, access, timeoutMs = 60_000 } = options;
  const storeId = storeIdFromToken(token);
  const publicUrl = (key: string) =>
    access === "public"
      ? `https://${storeId.toLowerCase()}.public.blob.vercel-storage.com/${assertValidKey(key)}`
      : `/api/blob/${assertValidKey(key)}`;

  /** What browsers should use: the blob's own URL when public, else our proxy route. */
  const browserUrl = (key: string, blobUrl: string) => (access === "public" ? blobUrl : `/api/blob/${key}`);

  async function headInfo(key: string): Promise<{ info: BlobInfo; blobUrl: string } | null> {
    try {
      const meta = await within(timeoutMs, `head ${key}`, (abortSignal) =>
        head(assertValidKey(key), { token, abortSignal }),
      );
      const info: BlobInfo = {
        key,
        size: meta.size,
        contentType: meta.contentType,
        cacheControl: meta.cacheControl,
        etag: meta.etag,
        uploadedAt: meta.uploadedAt,
        url: browserUrl(key, meta.url),
      };
      return { info, blobUrl: meta.url };
    } catch (error) {
      if (error instanceof BlobNotFoundError) return null;
      throw error;
    }
  }

  async function listPage(
    prefix: string,
    options: { cursor?: string | null; limit?: number } = {},
  ): Promise<ListPage> {
    assertValidPrefix(prefix);
    const limit = pageLimit(options.limit);
    const page = await within(timeoutMs, `list ${prefix}`, (abortSignal) =>
      list({ prefix, cursor: options.cursor ?? undefined, limit, token, abortSignal }),
    );
    return {
      blobs: page.blobs.map((b) => ({
        key: b.pathname,
        size: b.size,
        etag: b.etag,
        uploadedAt: b.uploadedAt,
        url: browserUrl(b.pathname, b.url),
      })),
      cursor: page.hasMore && page.cursor ? page.cursor : null,
    };
  }

  return {
    kind: "vercel",
    async put(key, bytes, opts) {
      const maxAge = opts.cacheControlMaxAge ?? DEFAULT_CACHE_MAX_AGE;
      const result = await within(timeoutMs, `put ${key}`, (abortSignal) =>
        put(assertValidKey(key), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
          access,
          token,
          contentType: opts.contentType,
          cacheControlMaxAge: maxAge,
          addRandomSuffix: false,
          allowOverwrite: true,
          abortSignal,
        }),
      );
      return {
        key,
        size: bytes.byteLength,
        contentType: result.contentType,
        cacheControl: `public, max-age=${maxAge}`,
        etag: result.etag,
        uploadedAt: new Date(),
        url: browserUrl(key, result.url),
      };
    },
    head: async (key) => (await headInfo(key))?.info ?? null,
    async get(key) {
      // The SDK's get() only fetches *.blob.vercel-storage.com hosts; fetching the URL head() returns works
      // against the real service and the local fake alike.
      const found = await headInfo(key);
      if (!found) return null;
      return within(timeoutMs, `get ${key}`, async (signal) => {
        const response = await fetch(found.blobUrl, {
          headers: access === "private" ? { authorization: `Bearer ${token}` } : {},
          cache: "no-store",
          signal,
        });
        if (response.status === 404) return null;
        if (!response.ok) throw new Error(`Vercel Blob: fetching ${key} failed with HTTP ${response.status}`);
        return { ...found.info, bytes: Buffer.from(await response.arrayBuffer()) };
      });
    },
    async list(prefix) {
      const out: ListedBlob[] = [];
      let cursor: string | null = null;
      do {
        const page = await listPage(prefix, { cursor });
        out.push(...page.blobs);
        cursor = page.cursor;
      } while (cursor);
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    listPage,
    async delete(keys) {
      const listOfKeys = typeof keys === "string" ? [keys] : [...keys];
      listOfKeys.forEach(assertValidKey);
      // The API takes at most 1000 URLs or pathnames per call.
      for (let i = 0; i < listOfKeys.length; i += 1000) {
        const slice = listOfKeys.slice(i, i + 1000);
        await within(timeoutMs, `delete of ${slice.length} key(s)`, (abortSignal) =>
          del(slice, { token, abortSignal }),
        );
      }
    },
    url: publicUrl,
  };
}
