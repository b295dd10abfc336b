import type { Core } from "./core";
import { childMemo } from "./results";
import type { Run } from "./types";

// Sleeps, waits and invokes: their timers, the wait index, and storing their results.

/** Re-arms everything a recovered run was doing, then asks the SDK where it stands. */
export function resume(core: Core, run: Run): void {
  const now = Date.now();
  armRunTimeouts(core, run);
  for (const p of run.pending.values()) {
    if (p.kind === "InvokeFunction" && p.childRunId) {
      const child = core.store.runs.get(p.childRunId);
      if (child && !core.store.isActive(child)) {
        void resolvePending(core, run, p.hash, childMemo(child));
        continue;
      }
      if (!child) {
        void resolvePending(
          core,
          run,
          p.hash,
          { error: { name: "Error", message: "invoked run was lost" } },
          true,
        );
        continue;
      }
    }
    if (p.kind === "WaitForEvent" && p.event) addWait(core, p.event, run.id, p.hash);
    if (p.until !== undefined) armTimer(core, run, p.hash, Math.max(0, p.until - now));
  }
  // A step that had failed attempts and no result was waiting for (or running) a retry: continue
  // its attempt count instead of starting over; a discovery would run it again from attempt 0.
  const max = (core.fnOf(run)?.retries ?? 4) + 1;
  const retrying = [...run.steps.values()].filter(
    (s) => s.op === "StepRun" && s.attempts.length > 0 && !(s.hash in run.memo) && !run.pending.has(s.hash),
  );
  for (const s of retrying) {
    const next = Math.max(...s.attempts.map((a) => a.attempt)) + 1;
    if (next < max) {
      core.enqueueStep(run, s.hash, next, core.backoff(next - 1));
      continue;
    }
    const error = s.attempts[s.attempts.length - 1]?.error ?? { name: "Error", message: "step failed" };
    void core
      .commit({
        t: "step",
        runId: run.id,
        hash: s.hash,
        id: s.id,
        name: s.name,
        op: "StepRun",
        memo: { error },
        failed: true,
        at: now,
      })
      .then(() => core.maybeDiscover(run));
  }
  if (retrying.length === 0) core.enqueueDiscovery(run);
}

/** `timeouts.start` / `timeouts.finish`: cancel the run when the deadline passes (derivable on resume). */
export function armRunTimeouts(core: Core, run: Run): void {
  const t = core.fnOf(run)?.timeouts;
  if (!t) return;
  const now = Date.now();
  const cancelAt = (at: number, why: string) =>
    core.scheduler.after(Math.max(0, at - now), () => {
      if (core.store.isActive(run) && (why === "finish" || run.startedAt === undefined)) {
        void core.finishRun(run, "Cancelled", {
          error: { name: "InngestTimeoutError", message: `run exceeded timeouts.${why}` },
        });
      }
    });
  if (run.startedAt === undefined && t.startMs !== undefined) cancelAt(run.queuedAt + t.startMs, "start");
  if (run.startedAt !== undefined && t.finishMs !== undefined) cancelAt(run.startedAt + t.finishMs, "finish");
}

export function addWait(core: Core, event: string, runId: string, hash: string): void {
  let s = core.waits.get(event);
  if (!s) core.waits.set(event, (s = new Set()));
  s.add(`${runId} ${hash}`);
}

export function armTimer(core: Core, run: Run, hash: string, delayMs: number): void {
  core.scheduler.after(delayMs, () => {
    const p = run.pending.get(hash);
    if (!p) return;
    if (p.kind === "InvokeFunction") {
      void resolvePending(
        core,
        run,
        hash,
        {
          error: {
            name: "InngestInvokeTimeoutError",
            message: "Timed out waiting for invoked function to complete",
          },
        },
        true,
      );
    } else void resolvePending(core, run, hash, p.kind === "Sleep" ? { data: null } : null);
  });
}

/** Stores the result of a sleep / wait / invoke and lets the run continue. */
export async function resolvePending(
  core: Core,
  run: Run,
  hash: string,
  memo: unknown,
  failed = false,
): Promise<void> {
  const p = run.pending.get(hash);
  if (!p || !core.store.isActive(run)) return;
  if (p.kind === "WaitForEvent" && p.event) core.waits.get(p.event)?.delete(`${run.id} ${hash}`);
  const s = run.steps.get(hash);
  await core.commit({
    t: "step",
    runId: run.id,
    hash,
    id: s?.id ?? hash,
    name: s?.name ?? hash,
    op: p.kind,
    memo,
    failed,
    at: Date.now(),
  });
  core.resumeAfter(run, p);
}
