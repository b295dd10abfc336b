/**
 * The web app that `npm start` runs sits in a process group of its own (so a Ctrl-C reaches only
 * `npm start`, which then stops things in order). The price: should `npm start` die without a chance
 * to stop it (kill -9, the OOM killer), nothing would stop the web app, and it would go on holding the
 * port and the database folder, so the next `npm start` could not run. The engine follows its parent
 * out; so does the web app, here: once its parent is gone it waits for the provider calls it has out
 * (each one a paid picture that is recorded and reused by the next start), as a Ctrl-C would, then
 * stops the way a SIGTERM stops it.
 */
import { processRunning } from "@/engine/process";

export interface ParentWatch {
  /** The pid the process had as parent when it started (`npm start` passes its own). */
  parentPid: number;
  /** Provider calls this process has out or waiting (providerCallsInFlight). */
  callsOut: () => number;
  /** How long to wait for those calls at most. */
  maxWaitMs: number;
  everyMs?: number;
  /** Defaults for the process; tests pass their own. */
  parentGone?: () => boolean;
  stop?: () => void;
  log?: (line: string) => void;
}

/** Starts watching; the returned function stops the watch. Timers do not keep the process alive. */
export function followParent(watch: ParentWatch): () => void {
  const every = watch.everyMs ?? 500;
  const parentGone = watch.parentGone ?? goneCheck(watch.parentPid);
  const stop = watch.stop ?? (() => process.kill(process.pid, "SIGTERM"));
  const log = watch.log ?? ((line: string) => console.error(line));
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  const schedule = (fn: () => void) => {
    if (ended) return;
    timer = setTimeout(fn, every);
    timer.unref();
  };
  const drain = (deadline: number) => {
    const out = watch.callsOut();
    if (out === 0 || Date.now() >= deadline) {
      if (out > 0) log(`web: ${out} provider call(s) still out; stopping anyway`);
      ended = true;
      stop();
      return;
    }
    schedule(() => drain(deadline));
  };
  const check = () => {
    if (!parentGone()) return schedule(check);
    const out = watch.callsOut();
    log(
      `web: the process that started this app (pid ${watch.parentPid}) is gone; stopping` +
        (out > 0 ? ` once the ${out} provider call(s) under way have ended` : ""),
    );
    drain(Date.now() + watch.maxWaitMs);
  };
  schedule(check);
  return () => {
    ended = true;
    clearTimeout(timer);
  };
}

/**
 * Gone: the pid no longer runs, or, when it is this process's parent, this process was handed to
 * another parent (at once when the parent dies, even while it lingers unreaped).
 */
function goneCheck(pid: number): () => boolean {
  const child = process.ppid === pid;
  return () => (child && process.ppid !== pid) || !processRunning(pid);
}

/** The parent pid `npm start` hands the web app in WEB_PARENT_PID, or null when unset or malformed. */
export function parentPidFrom(env: Record<string, string | undefined>): number | null {
  const raw = env.WEB_PARENT_PID;
  if (!raw || !/^\d+$/.test(raw)) return null;
  const pid = Number(raw);
  return pid > 1 ? pid : null;
}

/** How long a gentle stop waits for provider calls under way: their timeout, at most 5 minutes. */
export function gentleStopWaitMs(env: Record<string, string | undefined>): number {
  return Math.min(Number(env.PROVIDER_TIMEOUT_MS) || 180_000, 300_000);
}
