/** Server-only data layer. Import from "@/lib/db". */
export { closeDb, createDb, dbOptionsFromEnv, getDb, getDbHandle } from "./client";
export type { DbHandle, DbOptions } from "./client";
export { migrate } from "./migrate";
export type { MigrateResult } from "./migrate";
export { newId } from "./ids";
export * from "./schema";
export * from "./batches";
export * from "./lifecycle";
export * from "./batch-list";
export * from "./cells";
export * from "./events";
export * from "./gallery";
export { InvalidCursorError } from "./cursor";
export * from "./views";
export { rowsOf } from "./types";
export type { Db, Executor, Schema, Tx } from "./types";
export * from "./begin-attempt";
export { waitForBatchEvent } from "./event-wakeup";
