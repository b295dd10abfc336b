/**
 * PGlite is single-process: two processes opening one data folder corrupt it. A sibling lock file
 * holding the owner's pid (and start time, so a recycled pid after a crash is not mistaken for the
 * owner) turns that into a clear error instead.
 */
import fs from "node:fs";
import { processRunning, processStartTime } from "@/engine/process";

/** The live process holding `dir`'s lock, if any (`npm start` checks before it starts anything). */
export function dirLockOwner(dir: string): number | null {
  try {
    const owner = JSON.parse(fs.readFileSync(`${dir}.lock`, "utf8")) as {
      pid?: number;
      start?: string | null;
    };
    return typeof owner.pid === "number" && processRunning(owner.pid, owner.start) ? owner.pid : null;
  } catch {
    return null;
  }
}

export function acquireDirLock(dir: string): () => void {
  const lockPath = `${dir}.lock`;
  const mine = JSON.stringify({ pid: process.pid, start: processStartTime(process.pid) });
  for (let tries = 0; tries < 2; tries++) {
    try {
      fs.writeFileSync(lockPath, mine, { flag: "wx" });
      const release = () => {
        process.off("exit", release);
        try {
          if (fs.readFileSync(lockPath, "utf8") === mine) fs.unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
      // A server stopped by a signal exits without closing the database: leave no lock behind.
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let owner: { pid?: number; start?: string | null } = {};
    try {
      owner = JSON.parse(fs.readFileSync(lockPath, "utf8")) as typeof owner;
    } catch {
      // Unreadable or half-written lock: treat as stale.
    }
    if (typeof owner.pid === "number" && processRunning(owner.pid, owner.start)) {
      const who = owner.pid === process.pid ? "this process" : `process ${owner.pid}`;
      throw new Error(
        `PGlite data folder ${dir} is already open in ${who}; only one process may use it ` +
          `(stop the other one, or set DATABASE_URL to use a Postgres server)`,
      );
    }
    fs.rmSync(lockPath, { force: true });
  }
  throw new Error(`could not lock PGlite data folder ${dir} (lock file ${lockPath})`);
}
