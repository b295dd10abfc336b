/**
 * The studio session epoch: a counter in the database (app_counters) that every session cookie is signed
 * with (lib/access.ts). "Sign out everywhere" raises it, so every cookie signed before stops passing the
 * gate, copies included. The gate reads it per request, so it is cached here for EPOCH_CACHE_MS: the
 * server that raised it knows at once, other servers of the deployment within that time.
 */
import { getDb, raiseCounter, readCounter } from "@/lib/db";

export const EPOCH_CACHE_MS = 5_000;
const COUNTER = "session_epoch";

interface EpochCache {
  value: number | null;
  readAt: number;
  pending: Promise<number | null> | null;
}

// On globalThis: the proxy and the route handlers are bundled apart, and must share one cache.
const KEY = Symbol.for("thumbnail-studio.session-epoch");
const store = globalThis as typeof globalThis & { [KEY]?: EpochCache };
const cache = (): EpochCache => (store[KEY] ??= { value: null, readAt: 0, pending: null });

/**
 * The current epoch, at most EPOCH_CACHE_MS old. Should the database not answer, the last value read
 * stands in; with none yet, null: no session cookie can then be checked, and the gate refuses them.
 */
export async function sessionEpoch(now = Date.now()): Promise<number | null> {
  const c = cache();
  if (c.value !== null && now - c.readAt < EPOCH_CACHE_MS) return c.value;
  c.pending ??= (async () => {
    try {
      const value = await readCounter(await getDb(), COUNTER);
      // Never back: a raise here may have landed while this read was out.
      if (c.value === null || value >= c.value) Object.assign(c, { value, readAt: Date.now() });
    } catch (error) {
      console.error(`access: could not read the session epoch: ${(error as Error).message}`);
    } finally {
      c.pending = null;
    }
    return c.value;
  })();
  return c.pending;
}

/** Signs every browser out (see above); returns the new epoch. */
export async function endAllSessions(): Promise<number> {
  const value = await raiseCounter(await getDb(), COUNTER);
  Object.assign(cache(), { value, readAt: Date.now() });
  return value;
}

/** Forgets the cached epoch (tests). */
export function forgetSessionEpoch(): void {
  Object.assign(cache(), { value: null, readAt: 0, pending: null });
}
