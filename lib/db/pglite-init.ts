/**
 * PGlite's first start in an empty folder runs initdb in a second WebAssembly instance whose memory
 * (~450 MB) the process keeps afterwards. Creating the cluster in a short-lived child process leaves
 * the server's memory as if it had opened an existing folder (~260 MB instead of ~850 MB resident).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";

/**
 * Postgres settings for the embedded database: PGlite 0.5's default start parameters (passing any
 * replaces them all) plus smaller shared buffers. The default 128 MB is sized for a server; this
 * database holds batches and cells, a few MB even for thousands of batches.
 */
export const PGLITE_OPTIONS = {
  startParams: [
    "--single",
    "-F",
    "-O",
    "-j",
    "-c",
    "search_path=public",
    "-c",
    "exit_on_error=false",
    "-c",
    "log_checkpoints=false",
    "-c",
    "max_worker_processes=0",
    "-c",
    "max_parallel_workers=0",
    "-c",
    "max_parallel_workers_per_gather=0",
    "-c",
    "io_method=sync",
    "-c",
    "max_parallel_maintenance_workers=0",
    "-c",
    "shared_buffers=32MB",
  ],
};

const CREATE = `
const [module, dir, options] = process.argv.slice(1);
const { PGlite } = require(module);
const db = new PGlite(dir, JSON.parse(options));
db.waitReady.then(() => db.close()).catch((error) => {
  console.error(String((error && error.message) || error));
  process.exit(1);
});
`;

/** True when `dir` already holds a Postgres cluster. */
export function isInitialized(dir: string): boolean {
  return fs.existsSync(path.join(dir, "PG_VERSION"));
}

/** Creates the cluster in `dir` (which must not hold one yet) in a child process. */
export async function initPgliteDir(dir: string): Promise<void> {
  const entry = createRequire(path.join(process.cwd(), "package.json")).resolve("@electric-sql/pglite");
  const args = ["-e", CREATE, entry, dir, JSON.stringify(PGLITE_OPTIONS)];
  try {
    await promisify(execFile)(process.execPath, args, { timeout: 120_000 });
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new Error(`db: could not create the PGlite database in ${dir}: ${detail}`);
  }
}
