import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { closeDb, getDb } from "@/lib/db";

/**
 * For a test file that calls route handlers: an in-memory database and a blob folder of its own, set in
 * the environment at once (so call this before importing the routes), no password gate, the database
 * opened before the tests, and the environment and the folder put back after them.
 */
export function memoryApp(prefix: string): { dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const saved = { ...process.env };
  process.env.PGLITE_DIR = "memory";
  process.env.BLOB_DIR = dir;
  delete process.env.DATABASE_URL;
  delete process.env.BLOB_READ_WRITE_TOKEN;
  delete process.env.STUDIO_PASSWORD;
  beforeAll(async () => {
    await getDb();
  });
  afterAll(async () => {
    await closeDb();
    rmSync(dir, { recursive: true, force: true });
    process.env = saved;
  });
  return { dir };
}
