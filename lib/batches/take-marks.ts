/**
 * The cells marked for a new take on a batch page, kept for the browser tab (sessionStorage) so that
 * marks made on one page of a big batch's grid are still there on the next: the pages are plain links.
 */
import type { CellSummary } from "./live";

export interface Mark {
  id: string;
  promptIndex: number;
  model: string;
  /**
   * The cell's provider calls when marked. Every paid take adds one, so a mark whose cell has more
   * has been sent (from this tab, even if the answer was lost, or from a copy of it) and never counts
   * again: it must not pay for a second take.
   */
  attempts: number;
}

/** Only what is needed: the storage is per tab, the key per batch. */
type MarkStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export const marksKey = (batchId: string) => `take-marks:${batchId}`;

const isMark = (v: unknown): v is Mark =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as Mark).id === "string" &&
  Number.isInteger((v as Mark).promptIndex) &&
  typeof (v as Mark).model === "string" &&
  Number.isInteger((v as Mark).attempts);

/** The marks kept under `key`; none when there are none or what is kept is not marks (never throws). */
export function readMarks(store: MarkStore, key: string): Map<string, Mark> {
  try {
    const raw: unknown = JSON.parse(store.getItem(key) ?? "[]");
    const marks = Array.isArray(raw) ? raw.filter(isMark) : [];
    return new Map(
      marks.map(({ id, promptIndex, model, attempts }) => [id, { id, promptIndex, model, attempts }]),
    );
  } catch {
    return new Map();
  }
}

/** Keeps `marks` under `key` (none: the key goes). Storage that is full or refused is not an error. */
export function writeMarks(store: MarkStore, key: string, marks: ReadonlyMap<string, Mark>): void {
  try {
    if (marks.size === 0) store.removeItem(key);
    else store.setItem(key, JSON.stringify([...marks.values()]));
  } catch {
    // Marks then last until the page changes, as before they were kept.
  }
}

/**
 * The marks still worth sending: of a cell of this batch that has a finished image, no provider call
 * since it was marked, and a model a take can be asked of here (its price known). A cell that started
 * a take meanwhile, or failed, drops out.
 */
export function liveMarks(
  marks: ReadonlyMap<string, Mark>,
  cells: readonly Pick<CellSummary, "id" | "status" | "attempts">[],
  prices: Readonly<Record<string, number>> | undefined,
): ReadonlyMap<string, Mark> {
  if (marks.size === 0) return marks;
  const finished = new Map(cells.filter((c) => c.status === "succeeded").map((c) => [c.id, c.attempts]));
  const live = [...marks.values()].filter(
    (m) => finished.get(m.id) === m.attempts && prices?.[m.model] !== undefined,
  );
  return live.length === marks.size ? marks : new Map(live.map((m) => [m.id, m]));
}

/**
 * New takes asked for from the page: per cell id, when its take was queued (the cell's `updatedAt` in
 * the batch the request answered with), null when that is not known.
 */
export type SentTakes = ReadonlyMap<string, string | null>;

/** The takes of the cells `ids` as `answer` (the batch the request answered with) has them queued. */
export function sentTakes(
  ids: Iterable<string>,
  answer: readonly Pick<CellSummary, "id" | "updatedAt">[],
): SentTakes {
  const at = new Map(answer.map((c) => [c.id, c.updatedAt]));
  return new Map([...ids].map((id) => [id, at.get(id) ?? null]));
}

const ENDED: ReadonlySet<CellSummary["status"]> = new Set(["succeeded", "failed", "cancelled"]);

/**
 * True once every take in `sent` has ended, as `cells` (every cell of the batch, kept live) show them:
 * its cell has finished since the take was queued (with the new picture, or with the one it kept and
 * why), or is gone. A cell's state from before the take was queued does not count: the page may not
 * have applied the answer yet. A take queued at an unknown time never counts as ended.
 */
export function takesEnded(
  sent: SentTakes,
  cells: readonly Pick<CellSummary, "id" | "status" | "updatedAt">[],
): boolean {
  if (sent.size === 0) return true;
  const byId = new Map(cells.map((c) => [c.id, c]));
  for (const [id, queuedAt] of sent) {
    const cell = byId.get(id);
    if (!cell) continue;
    if (!ENDED.has(cell.status) || queuedAt === null || !cell.updatedAt || cell.updatedAt < queuedAt)
      return false;
  }
  return true;
}

/*
 * The page's marks as an external store for useSyncExternalStore: read from the tab's storage once per
 * batch, then held here (the source of truth for this page, so marks work even where storage is refused)
 * and written through.
 */
const EMPTY: ReadonlyMap<string, Mark> = new Map();
const held = new Map<string, ReadonlyMap<string, Mark>>();
const listeners = new Set<() => void>();

/** The tab's sessionStorage, or null where there is none or it is refused (never throws). */
export function tabStorage(): MarkStore | null {
  try {
    return typeof window === "undefined" ? null : window.sessionStorage;
  } catch {
    return null;
  }
}

export function subscribeMarks(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The marks of batch `key` (the same Map until they change). */
export function marksSnapshot(store: MarkStore | null, key: string): ReadonlyMap<string, Mark> {
  let marks = held.get(key);
  if (!marks) {
    marks = store ? readMarks(store, key) : EMPTY;
    held.set(key, marks);
  }
  return marks;
}

export const noMarks = (): ReadonlyMap<string, Mark> => EMPTY;

export function setMarks(store: MarkStore | null, key: string, marks: ReadonlyMap<string, Mark>): void {
  held.set(key, marks);
  if (store) writeMarks(store, key, marks);
  for (const listener of listeners) listener();
}
