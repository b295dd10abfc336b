/**
 * One database per process: PGlite in a local folder by default, a Postgres server when DATABASE_URL
 * is set. Both are wrapped in drizzle with the same schema, so callers see one typed API (`Db`).
 */
import fs from "node:fs";
import path from "node:path";
import { numberSetting } from "@/lib/number-setting";
import { migrate } from "./migrate";
import { forDrizzle } from "./pglite-client";
import { initPgliteDir, isInitialized, PGLITE_OPTIONS } from "./pglite-init";
import { acquireDirLock } from "./pglite-lock";
import * as schema from "./schema";
import type { Db } from "./types";

export interface DbOptions {
  /** Postgres connection string; wins over `dir`. */
  url?: string;
  /** PGlite data folder, or "memory" for a throwaway in-memory database. */
  dir?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

export interface DbHandle {
  db: Db;
  driver: "pglite" | "postgres";
  /** Where the data lives: the folder, "memory", or the server URL without its password. */
  location: string;
  close(): Promise<void>;
}

/** Which database the environment selects: DATABASE_URL, else PGLITE_DIR, else $DATA_DIR/db (.data/db). */
export function dbOptionsFromEnv(env: Record<string, string | undefined> = process.env): DbOptions {
  const url = env.DATABASE_URL?.trim();
  if (url) return { url };
  const dir = env.PGLITE_DIR?.trim() || path.join(env.DATA_DIR?.trim() || ".data", "db");
  return { dir };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres";
  }
}

/** Connections the app keeps to a Postgres server at most: DATABASE_POOL_MAX, 10 unless set. */
export function databasePoolMax(env: Readonly<Record<string, string | undefined>> = process.env): number {
  return numberSetting(env, "DATABASE_POOL_MAX", { min: 1, max: 1000 }) ?? 10;
}

async function openPostgres(url: string): Promise<DbHandle> {
  const { Pool } = (await import("pg")).default;
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const max = databasePoolMax();
  // A server that does not answer fails a request after 10 s instead of holding it open.
  const pool = new Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", (error) => console.error(`db: idle Postgres client error: ${error.message}`));
  const db = drizzle(pool, { schema }) as unknown as Db;
  return { db, driver: "postgres", location: redact(url), close: () => pool.end() };
}

async function openPglite(dir: string): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  // Trigrams for gallery search (migration 0006); the extension ships inside the package, nothing downloads.
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const extensions = { pg_trgm };
  if (dir === "memory") {
    const client = new PGlite({ extensions });
    const db = drizzle({ client: await forDrizzle(client), schema }) as unknown as Db;
    return { db, driver: "pglite", location: "memory", close: () => client.close() };
  }
  const absolute = path.resolve(dir);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  const release = acquireDirLock(absolute);
  try {
    if (!isInitialized(absolute)) await initPgliteDir(absolute);
    const client = new PGlite(absolute, { ...PGLITE_OPTIONS, extensions });
    const db = drizzle({ client: await forDrizzle(client), schema }) as unknown as Db;
    const close = async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    };
    return { db, driver: "pglite", location: absolute, close };
  } catch (error) {
    release();
    throw error;
  }
}

/** Opens a database explicitly (tests, scripts). The caller owns it and must `close()` it. */
export async function createDb(options: DbOptions = dbOptionsFromEnv()): Promise<DbHandle> {
  const handle = options.url ? await openPostgres(options.url) : await openPglite(options.dir ?? "memory");
  if (options.migrate !== false) {
    try {
      await migrate(handle.db);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }
  return handle;
}

// On globalThis so Next.js dev hot reloads reuse the open database instead of opening a second one.
const GLOBAL_KEY = Symbol.for("thumbnail-studio.db");
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Promise<DbHandle> };
const store = globalThis as GlobalWithDb;

/** The process-wide database, opened (and migrated) on first use. */
export async function getDbHandle(): Promise<DbHandle> {
  let pending = store[GLOBAL_KEY];
  if (!pending) {
    pending = createDb(dbOptionsFromEnv());
    store[GLOBAL_KEY] = pending;
    // A failed open is not cached: the next request tries again.
    pending.catch(() => {
      if (store[GLOBAL_KEY] === pending) delete store[GLOBAL_KEY];
    });
  }
  return pending;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Closes the process-wide database (graceful shutdown). Safe to call when it was never opened. */
export async function closeDb(): Promise<void> {
  const pending = store[GLOBAL_KEY];
  if (!pending) return;
  delete store[GLOBAL_KEY];
  const handle = await pending.catch(() => null);
  await handle?.close();
}
