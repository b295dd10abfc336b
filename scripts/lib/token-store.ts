/**
 * The CLI's per-user memory of owner tokens, so `npm run batch -- cancel <id>` works for batches this user
 * submitted without pasting a token. One JSON file, keyed by app origin + batch id (two servers can hold
 * the same id), readable only by its owner (0600 in a 0700 folder) and replaced atomically (write a
 * temporary file, rename) under a short lock so two CLIs saving at once do not drop each other's entry.
 */
import {
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TitleRange } from "./cli-titles";

/** Environment variables as read here (process.env, or a test's own). */
export type Env = Record<string, string | undefined>;

const FILE = "owner-tokens.json";
/** Entries kept: the newest this many, so the file (rewritten on every save) stays small for good. */
export const MAX_TOKENS = 5_000;

interface StoreFile {
  version: 1;
  /**
   * `${origin} ${batchId}` → token and when it was saved; `titles`: which titles of the file it was
   * submitted from the batch holds, when not simply 1–n (a blank title, or a part of a --split file).
   */
  tokens: Record<string, { token: string; savedAt: string; titles?: TitleRange }>;
}

/** $XDG_CONFIG_HOME/thumbnail-studio, else ~/.config/thumbnail-studio (XDG: a relative value is ignored). */
export function storeDir(env: Env = process.env): string {
  const xdg = env.XDG_CONFIG_HOME?.trim();
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME?.trim() || os.homedir(), ".config");
  return path.join(base, "thumbnail-studio");
}

const keyOf = (appUrl: string, batchId: string) => `${new URL(appUrl).origin} ${batchId}`;

function readStore(file: string): StoreFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, tokens: {} };
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<StoreFile>;
    if (parsed && typeof parsed.tokens === "object" && parsed.tokens !== null)
      return { version: 1, tokens: parsed.tokens };
  } catch {
    // Falls through: get() then finds nothing and the next save() replaces the file with a valid one.
  }
  throw new StoreCorrupt(file);
}

class StoreCorrupt extends Error {
  constructor(file: string) {
    super(`${file} is not a token store file`);
  }
}

export class TokenStore {
  readonly dir: string;
  readonly file: string;

  constructor(
    env: Env = process.env,
    private readonly maxTokens = MAX_TOKENS,
  ) {
    this.dir = storeDir(env);
    this.file = path.join(this.dir, FILE);
  }

  /** The stored token for this batch on this app, or null (also when the file is missing or unreadable). */
  get(appUrl: string, batchId: string): string | null {
    try {
      return readStore(this.file).tokens[keyOf(appUrl, batchId)]?.token ?? null;
    } catch {
      return null;
    }
  }

  /** Which titles of its file the batch holds, as saved with its token; null when 1–n or not known here. */
  titles(appUrl: string, batchId: string): TitleRange | null {
    try {
      return validRange(readStore(this.file).tokens[keyOf(appUrl, batchId)]?.titles) ?? null;
    } catch {
      return null;
    }
  }

  /** Which of these batches on this app have a stored token (one read of the file for them all). */
  owned(appUrl: string, batchIds: readonly string[]): Set<string> {
    let tokens: StoreFile["tokens"];
    try {
      tokens = readStore(this.file).tokens;
    } catch {
      return new Set();
    }
    return new Set(batchIds.filter((id) => tokens[keyOf(appUrl, id)]?.token));
  }

  /** Saves (or replaces) a batch's token. Throws with a readable message when the file cannot be written. */
  save(appUrl: string, batchId: string, token: string, titles?: TitleRange): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.locked(() => {
      let store: StoreFile;
      try {
        store = readStore(this.file);
      } catch (err) {
        if (!(err instanceof StoreCorrupt)) throw err;
        store = { version: 1, tokens: {} };
      }
      const entry: StoreFile["tokens"][string] = { token, savedAt: new Date().toISOString() };
      if (titles) entry.titles = titles;
      store.tokens[keyOf(appUrl, batchId)] = entry;
      this.replace(`${JSON.stringify(pruned(store, this.maxTokens), null, 2)}\n`);
    });
  }

  private replace(text: string): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }

  /** A lock file made with O_EXCL; one left behind by a killed CLI is taken over after 10 s. */
  private locked(work: () => void): void {
    const lock = `${this.file}.lock`;
    const deadline = Date.now() + 5_000;
    for (;;) {
      try {
        closeSync(openSync(lock, "wx", 0o600));
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        if (stale(lock)) rmSync(lock, { force: true });
        else if (Date.now() > deadline) throw new Error(`${lock} is held by another process`);
        else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
      }
    }
    try {
      work();
    } finally {
      rmSync(lock, { force: true });
    }
  }
}

/** A saved range as written by save(); anything else (a hand-edited file) counts as none. */
function validRange(value: unknown): TitleRange | undefined {
  const r = value as Partial<TitleRange> | undefined;
  const whole = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 1;
  if (!r || !whole(r.from) || !whole(r.to) || r.to < r.from || !Array.isArray(r.blank)) return undefined;
  if (!r.blank.every((n) => whole(n) && n > r.from! && n < r.to!)) return undefined;
  return { from: r.from, to: r.to, blank: r.blank };
}

/** The newest `max` entries (ISO savedAt orders as text); the oldest batches' tokens go first. */
function pruned(store: StoreFile, max: number): StoreFile {
  const entries = Object.entries(store.tokens);
  if (entries.length <= max) return store;
  entries.sort((a, b) => (a[1].savedAt < b[1].savedAt ? 1 : a[1].savedAt > b[1].savedAt ? -1 : 0));
  return { version: 1, tokens: Object.fromEntries(entries.slice(0, max)) };
}

function stale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > 10_000;
  } catch {
    return false;
  }
}
