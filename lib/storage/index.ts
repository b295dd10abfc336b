/**
 * The blob store for this process: Vercel Blob when BLOB_READ_WRITE_TOKEN is set, else files under
 * BLOB_DIR (default .data/blob). Created lazily, once per configuration.
 */
import path from "node:path";
import { readEnv, type Env } from "@/lib/env";
import { createLocalStore } from "@/lib/storage/local";
import type { BlobStore } from "@/lib/storage/types";
import { createVercelStore } from "@/lib/storage/vercel";

let cached: { key: string; store: BlobStore } | null = null;

export function getStorage(env: Env = readEnv()): BlobStore {
  const key = JSON.stringify([
    env.BLOB_READ_WRITE_TOKEN,
    env.BLOB_ACCESS,
    env.BLOB_DIR,
    env.VERCEL_BLOB_API_URL,
    env.STORAGE_TIMEOUT_MS,
  ]);
  if (cached?.key === key) return cached.store;
  const store = env.BLOB_READ_WRITE_TOKEN
    ? createVercelStore({
        token: env.BLOB_READ_WRITE_TOKEN,
        access: env.BLOB_ACCESS,
        timeoutMs: env.STORAGE_TIMEOUT_MS,
      })
    : createLocalStore({ dir: path.resolve(env.BLOB_DIR) });
  cached = { key, store };
  return store;
}

export { createLocalStore } from "@/lib/storage/local";
export { createVercelStore, storeIdFromToken } from "@/lib/storage/vercel";
export * from "@/lib/storage/keys";
export * from "@/lib/storage/types";
