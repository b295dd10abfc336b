/**
 * Generate stores each new raw image and compose, usually the next step in the same request, reads it
 * back. With Vercel Blob that read is a download per image (time and transfer), so generate also hands
 * the bytes over in memory. Only a shortcut: compose falls back to storage when the bytes are not here
 * (another process, a crash, a retry after the entry expired). Raw keys are content-addressed, so bytes
 * under a key never change. Entries are taken once, expire, and are capped in total size.
 */
const MAX_BYTES = 64 * 1024 * 1024;
const TTL_MS = 120_000;

interface Entry {
  bytes: Buffer;
  at: number;
}

const entries = new Map<string, Entry>();
let total = 0;

function drop(key: string, entry: Entry): void {
  entries.delete(key);
  total -= entry.bytes.length;
}

export function keepRaw(key: string, bytes: Buffer, now = Date.now()): void {
  if (bytes.length > MAX_BYTES) return;
  const old = entries.get(key);
  if (old) drop(key, old);
  // Oldest first (Map keeps insertion order): expired entries, then whatever makes room.
  for (const [k, e] of entries) {
    if (now - e.at < TTL_MS && total + bytes.length <= MAX_BYTES) break;
    drop(k, e);
  }
  entries.set(key, { bytes, at: now });
  total += bytes.length;
}

/** The bytes generate kept for this key, once; undefined when absent or expired. */
export function takeRaw(key: string, now = Date.now()): Buffer | undefined {
  const entry = entries.get(key);
  if (!entry) return undefined;
  drop(key, entry);
  return now - entry.at < TTL_MS ? entry.bytes : undefined;
}

/** For tests: bytes currently held. */
export function heldRawBytes(): number {
  return total;
}
