/**
 * In-process wake-ups for event readers. A writer appending a batch event rings the batch's bell; a
 * reader waiting between polls wakes at once instead of at its next poll. Only a hint: the reader
 * re-queries either way, and readers in other processes (several app instances on one Postgres) keep
 * polling. On PGlite the reader's query queues behind the writer's open transaction, so it sees the
 * commit; on a Postgres pool it may run first, find nothing and wait for the next ring or poll.
 */
import { EventEmitter } from "node:events";

// On globalThis: Next.js bundles each route separately, and writer and reader may be in different ones.
const KEY = Symbol.for("thumbnail-studio.batch-event-bell");
type WithBell = typeof globalThis & { [KEY]?: EventEmitter };
const store = globalThis as WithBell;

function bell(): EventEmitter {
  if (!store[KEY]) {
    store[KEY] = new EventEmitter();
    store[KEY].setMaxListeners(0);
  }
  return store[KEY];
}

export function ringBatch(batchId: string): void {
  // After the current tick: the writer's transaction is still open when it appends.
  setImmediate(() => bell().emit(batchId));
}

/**
 * Resolves true when the batch's bell rings, false after `timeoutMs` or when `signal` aborts.
 */
export function waitForBatchEvent(
  batchId: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (rung: boolean) => {
      clearTimeout(timer);
      bell().off(batchId, onRing);
      signal?.removeEventListener("abort", onQuit);
      resolve(rung);
    };
    const onRing = () => finish(true);
    const onQuit = () => finish(false);
    const timer = setTimeout(onQuit, timeoutMs);
    bell().once(batchId, onRing);
    signal?.addEventListener("abort", onQuit, { once: true });
  });
}
