/**
 * PGlite is single-process: two processes opening one data folder corrupt it. A sibling lock file
 * holding the owner's pid (and start time, so a recycled pid after a crash is not mistaken for the
 * owner) turns that into a clear error instead.
 */
import fs from "node:fs";

function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22 (starttime) counted after the parenthesised command name, which may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(pid: number, startTime: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  const current = processStartTime(pid);
  return startTime === null || current === null || current === startTime;
}

/** The live process holding `dir`'s lock, if any (`npm start` checks before it starts anything). */
export function dirLockOwner(dir: string): number | null {
  try {
    const owner = JSON.parse(fs.readFileSync(`${dir}.lock`, "utf8")) as {
      pid?: number;
      start?: string | null;
    };
    return typeof owner.pid === "number" && isAlive(owner.pid, owner.start ?? null) ? owner.pid : null;
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
      return () => {
        try {
          if (fs.readFileSync(lockPath, "utf8") === mine) fs.unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let owner: { pid?: number; start?: string | null } = {};
    try {
      owner = JSON.parse(fs.readFileSync(lockPath, "utf8")) as typeof owner;
    } catch {
      // Unreadable or half-written lock: treat as stale.
    }
    if (typeof owner.pid === "number" && isAlive(owner.pid, owner.start ?? null)) {
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
