import type { Core } from "./core";
import type { Attempt, Run, StepInfo } from "./types";

const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());
const dur = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? null : b - a;

function attemptJson(a: Attempt) {
  return {
    attempt: a.attempt,
    started_at: iso(a.startedAt),
    ended_at: iso(a.endedAt),
    duration_ms: dur(a.startedAt, a.endedAt),
    error: a.error ?? null,
  };
}

function stepJson(s: StepInfo) {
  const first = s.attempts[0]?.startedAt ?? s.firstSeenAt;
  return {
    hash: s.hash,
    id: s.id,
    name: s.name,
    op: s.op,
    status: s.status,
    attempts: s.attempts.map(attemptJson),
    started_at: iso(first),
    ended_at: iso(s.endedAt),
    duration_ms: dur(first, s.endedAt),
    error: s.error ?? null,
  };
}

export function runJson(core: Core, run: Run, withSteps: boolean) {
  const fn = core.store.fns.get(run.fnId);
  return {
    id: run.id,
    function_id: run.fnId,
    function_name: fn?.name ?? run.fnId,
    app_id: run.appId,
    status: run.status === "Queued" ? "Running" : run.status,
    queued: run.status === "Queued",
    event: run.event,
    output: run.status === "Completed" ? (run.output ?? null) : null,
    error: run.error ?? null,
    queued_at: iso(run.queuedAt),
    started_at: iso(run.startedAt),
    ended_at: iso(run.endedAt),
    parent_run_id: run.parent?.runId ?? null,
    timings: {
      queue_ms: dur(run.queuedAt, run.startedAt),
      run_ms: dur(run.startedAt, run.endedAt),
      total_ms: dur(run.queuedAt, run.endedAt),
    },
    step_count: run.steps.size,
    ...(withSteps
      ? { steps: [...run.steps.values()].map(stepJson), function_attempts: run.fnAttempts.map(attemptJson) }
      : {}),
  };
}

const STATUSES = new Set(["Running", "Completed", "Failed", "Cancelled"]);

/** GET /v1/runs filters; returns an error string for bad input. */
export function listRuns(
  core: Core,
  q: URLSearchParams,
): { data: ReturnType<typeof runJson>[] } | { error: string } {
  const fnId = q.get("function_id");
  const status = q.get("status");
  const eventId = q.get("event_id");
  const parent = q.get("parent_run_id");
  const limitRaw = q.get("limit");
  const limit = limitRaw === null ? 100 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    return { error: "limit: must be an integer between 1 and 10000" };
  if (status && !STATUSES.has(status)) return { error: `status: must be one of ${[...STATUSES].join(", ")}` };
  const out: ReturnType<typeof runJson>[] = [];
  const runs = [...core.store.runs.values()];
  for (let i = runs.length - 1; i >= 0 && out.length < limit; i--) {
    const r = runs[i];
    if (!r) continue;
    if (fnId && r.fnId !== fnId && r.fnId !== `${r.appId}-${fnId}`) continue;
    const st = r.status === "Queued" ? "Running" : r.status;
    if (status && st !== status) continue;
    if (eventId && r.event.id !== eventId) continue;
    if (parent && r.parent?.runId !== parent) continue;
    out.push(runJson(core, r, q.get("include") === "steps"));
  }
  return { data: out };
}
