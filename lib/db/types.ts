import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

export type Schema = typeof schema;

/** One typed API over both drivers (PGlite in embedded mode, node-postgres with DATABASE_URL). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** A transaction handle; every repository helper that runs inside a transaction takes one. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Either a database or an open transaction. */
export type Executor = Db | Tx;

/** Rows from `execute()`: both drivers return an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  const rows = (result as { rows?: unknown }).rows;
  if (!Array.isArray(rows)) throw new Error("db: query result has no rows array");
  return rows as T[];
}
