/**
 * Whether a process is still running: asked by the locks that keep one owner per data folder (the
 * engine's journal, the app's PGlite folder) and by the web app following `npm start` out.
 *
 * Signal 0 asks the kernel whether the pid exists. A zombie exists too: a process that has exited and
 * waits for its parent to collect it. It holds no port and no file, so it counts as gone; where PID 1
 * never collects orphans (some containers), it would otherwise look alive for ever and every lock it
 * left would refuse the next start. With the start time recorded when the lock was taken, a pid the
 * system has since given to another process is not mistaken for the owner.
 */
import { readFileSync } from "node:fs";

interface ProcStat {
  state: string;
  startTime: string | null;
}

/** /proc/<pid>/stat's state and start time, or null where there is no /proc (not Linux) or no such pid. */
function procStat(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields counted after the parenthesised command name, which may itself hold spaces and ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0] ?? "", startTime: fields[19] ?? null };
  } catch {
    return null;
  }
}

/** The process's start time (clock ticks since boot) as /proc gives it, or null where unknown. */
export function processStartTime(pid: number): string | null {
  return procStat(pid)?.startTime ?? null;
}

/**
 * True while `pid` runs (also under another user), and, when `startTime` is given and known, is the
 * same process that had that start time.
 */
export function processRunning(pid: number, startTime?: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, under another user.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = procStat(pid);
  if (stat === null) return true; // No /proc to ask further: signal 0 is all there is.
  if (stat.state === "Z" || stat.state === "X") return false;
  return !startTime || stat.startTime === null || stat.startTime === startTime;
}
