/**
 * Local blob store: files under a folder (default .data/blob), served later by the app's /api/blob route.
 * Keys are validated strictly (lib/storage/keys), so no key can name a path outside the folder. Writes go to
 * a temp file then rename, so readers never see half an image. Metadata lives in a sidecar tree under
 * ".meta/" — a name no valid key can produce, because key segments cannot start with ".".
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { assertValidKey, assertValidPrefix, contentTypeFor, sha256Hex } from "@/lib/storage/keys";
import {
  DEFAULT_CACHE_MAX_AGE,
  cacheControlHeader,
  type BlobInfo,
  type BlobStore,
  type ListedBlob,
  pageLimit,
} from "@/lib/storage/types";

interface Sidecar {
  contentType: string;
  cacheControl: string;
  etag: string;
  size: number;
  uploadedAt: string;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

export function createLocalStore(options: { dir: string }): BlobStore {
  const root = path.resolve(options.dir);
  const dataPath = (key: string) => path.join(root, ...assertValidKey(key).split("/"));
  const metaPath = (key: string) => path.join(root, ".meta", ...assertValidKey(key).split("/")) + ".json";
  const url = (key: string) => `/api/blob/${assertValidKey(key)}`;

  // Folders this store has made: each write would otherwise pay two mkdir calls. A folder removed
  // behind our back shows up as ENOENT on the write or rename, which forgets it and retries once.
  const made = new Set<string>();
  async function ensureDir(dir: string): Promise<void> {
    if (made.has(dir)) return;
    await fs.mkdir(dir, { recursive: true });
    made.add(dir);
  }

  async function writeAtomic(target: string, bytes: Uint8Array, retry = true): Promise<void> {
    const tmpDir = path.join(root, ".tmp");
    await Promise.all([ensureDir(path.dirname(target)), ensureDir(tmpDir)]);
    const tmp = path.join(tmpDir, `${process.pid}-${randomBytes(8).toString("hex")}`);
    try {
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, target);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      if (!retry || !isMissing(error)) throw error;
      made.clear();
      await writeAtomic(target, bytes, false);
    }
  }

  async function readSidecar(key: string): Promise<Sidecar | null> {
    try {
      return JSON.parse(await fs.readFile(metaPath(key), "utf8")) as Sidecar;
    } catch (error) {
      if (isMissing(error) || error instanceof SyntaxError) return null;
      throw error;
    }
  }

  /**
   * The first `max` keys starting with `prefix` after `after`, in key order, reading only the folders
   * that can hold them: a folder's keys all start with its name and "/", so its entries sort by that
   * (a file "a-b" comes before the folder "a", whose keys start "a/"), and a folder wholly before
   * `after` is skipped unread. Each page of a big store costs about a page, not the whole store.
   */
  async function keysAfter(prefix: string, after: string | null, max: number) {
    assertValidPrefix(prefix);
    const dirPart = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    const out: { key: string; file: string }[] = [];
    async function walk(dir: string, rel: string): Promise<void> {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      const sorted = entries
        .filter((e) => !e.name.startsWith(".") && (e.isDirectory() || e.isFile()))
        .map((e) => {
          const key = rel ? `${rel}/${e.name}` : e.name;
          return { e, key, order: e.isDirectory() ? `${key}/` : key };
        })
        .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
      for (const { e, key, order } of sorted) {
        if (out.length >= max) return;
        if (e.isDirectory()) {
          // Only folders that can hold keys with the prefix, and keys after the cursor.
          if (!order.startsWith(prefix) && !prefix.startsWith(order)) continue;
          if (after !== null && order < after && !after.startsWith(order)) continue;
          await walk(path.join(dir, e.name), key);
        } else if (key.startsWith(prefix) && (after === null || key > after)) {
          out.push({ key, file: path.join(dir, e.name) });
        }
      }
    }
    await walk(path.join(root, ...dirPart.split("/").filter(Boolean)), dirPart);
    return out;
  }

  /**
   * One file at a time: each reads its sidecar too, and a big store must not run out of file handles.
   * A file deleted since it was listed (a sweep, a gallery delete) is left out.
   */
  async function listAll(files: { key: string; file: string }[]): Promise<ListedBlob[]> {
    const out: ListedBlob[] = [];
    for (const { key, file } of files) {
      let full;
      try {
        full = await info(key, await fs.stat(file));
      } catch (error) {
        if (isMissing(error)) continue;
        throw error;
      }
      out.push({ key, size: full.size, etag: full.etag, uploadedAt: full.uploadedAt, url: full.url });
    }
    return out;
  }

  async function info(key: string, stat: { size: number; mtime: Date }, bytes?: Buffer): Promise<BlobInfo> {
    const meta = await readSidecar(key);
    // A file dropped in by hand has no sidecar: derive what we can so it is still served correctly.
    const stale = !meta || meta.size !== stat.size;
    const etag = !stale ? meta.etag : `"${sha256Hex(bytes ?? (await fs.readFile(dataPath(key))))}"`;
    return {
      key,
      size: stat.size,
      contentType: meta?.contentType ?? contentTypeFor(key),
      cacheControl: meta?.cacheControl ?? cacheControlHeader(DEFAULT_CACHE_MAX_AGE),
      etag,
      uploadedAt: meta && !stale ? new Date(meta.uploadedAt) : stat.mtime,
      url: url(key),
    };
  }

  return {
    kind: "local",
    async put(key, bytes, opts) {
      assertValidKey(key);
      const sidecar: Sidecar = {
        contentType: opts.contentType,
        cacheControl: cacheControlHeader(opts.cacheControlMaxAge ?? DEFAULT_CACHE_MAX_AGE),
        etag: `"${sha256Hex(bytes)}"`,
        size: bytes.byteLength,
        uploadedAt: new Date().toISOString(),
      };
      await writeAtomic(dataPath(key), bytes);
      await writeAtomic(metaPath(key), Buffer.from(JSON.stringify(sidecar)));
      return { key, ...sidecar, uploadedAt: new Date(sidecar.uploadedAt), url: url(key) };
    },
    async head(key) {
      try {
        const stat = await fs.stat(dataPath(key));
        return stat.isFile() ? await info(key, stat) : null;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async get(key) {
      try {
        const bytes = await fs.readFile(dataPath(key));
        const stat = await fs.stat(dataPath(key));
        return { ...(await info(key, stat, bytes)), bytes };
      } catch (error) {
        if (isMissing(error) || (error as NodeJS.ErrnoException).code === "EISDIR") return null;
        throw error;
      }
    },
    async list(prefix) {
      return listAll(await keysAfter(prefix, null, Infinity));
    },
    async listPage(prefix, options = {}) {
      const limit = pageLimit(options.limit);
      // The cursor is the last key handed out: later pages hold the keys after it, so deleting listed
      // files does not shift them.
      const keys = await keysAfter(prefix, options.cursor ?? null, limit + 1);
      const page = keys.slice(0, limit);
      return {
        blobs: await listAll(page),
        cursor: keys.length > limit ? page[page.length - 1]!.key : null,
      };
    },
    async delete(keys) {
      const list = typeof keys === "string" ? [keys] : [...keys];
      list.forEach(assertValidKey);
      await Promise.all(
        list.flatMap((k) => [fs.rm(dataPath(k), { force: true }), fs.rm(metaPath(k), { force: true })]),
      );
    },
    url,
  };
}
