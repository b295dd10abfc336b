import { createHash } from "node:crypto";
import { cel, keyValue } from "./cel";
import { eventMatches } from "./config";
import type { Core } from "./core";
import { ulid } from "./ids";
import { resolvePending } from "./pending";
import { errText } from "./log";
import type { Rec } from "./store";
import type { EngineEvent, Run, RunStatus, SerializedError } from "./types";

export class EventInputError extends Error {
  override name = "EventInputError";
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The SDK sends `x-inngest-event-id-seed: <ms>,<entropy>` with every send and reuses it when it
 * retries the POST; ids derived from it make such a retry idempotent, as on the official server.
 */
function seededId(seed: string, i: number): string | undefined {
  const [ms, entropy] = seed.split(",");
  const t = Number(ms);
  if (!Number.isInteger(t) || t <= 0 || !entropy) return undefined;
  return ulid(t, createHash("sha1").update(`${entropy}:${i}`).digest());
}

/**
 * Levels of objects and arrays an event may nest. JSON.parse takes any depth, but JSON.stringify (the
 * size check, the journal, every call to the app) recurses and overflows the stack some thousands of
 * levels down: such an event answered 500 with a RangeError. Inngest Cloud's Go decoder stops at 10,000.
 */
export const MAX_EVENT_DEPTH = 1000;

/** Whether `value` nests objects or arrays deeper than `max` levels (iterative: any depth is safe to ask). */
function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function validate(
  raw: unknown,
  i: number,
  now: number,
  seed: string | undefined,
  maxBytes: number,
): EngineEvent & { callerId: boolean } {
  if (!isObj(raw)) throw new EventInputError(`events[${i}]: must be an object`);
  // Sent events only: the engine's own lifecycle events (no size limit) carry a sent one two levels down.
  if (Number.isFinite(maxBytes) && nestsDeeperThan(raw, MAX_EVENT_DEPTH))
    throw new EventInputError(
      `events[${i}]: nests objects or arrays more than ${MAX_EVENT_DEPTH} levels deep; send flatter data`,
    );
  const bytes = Buffer.byteLength(JSON.stringify(raw));
  if (bytes > maxBytes)
    throw new EventInputError(
      `events[${i}]: ${bytes} bytes, more than an event may have (${maxBytes}, ENGINE_MAX_EVENT_BYTES; ` +
        "Inngest Cloud takes 256 KiB on its free plan, 3 MiB on paid plans): send a reference (an id, a storage key) instead of the data",
    );
  if (typeof raw.name !== "string" || raw.name.trim() === "")
    throw new EventInputError(`events[${i}].name: required non-empty string`);
  if (raw.data !== undefined && raw.data !== null && !isObj(raw.data))
    throw new EventInputError(`events[${i}].data: must be an object`);
  if (raw.id !== undefined && raw.id !== null && (typeof raw.id !== "string" || raw.id === ""))
    throw new EventInputError(`events[${i}].id: must be a non-empty string`);
  if (raw.ts !== undefined && raw.ts !== null && typeof raw.ts !== "number")
    throw new EventInputError(`events[${i}].ts: must be a number (ms)`);
  const derived = typeof raw.id === "string" ? undefined : seed ? seededId(seed, i) : undefined;
  const callerId = typeof raw.id === "string" || derived !== undefined;
  return {
    ...raw,
    name: raw.name,
    data: isObj(raw.data) ? raw.data : {},
    id: typeof raw.id === "string" ? raw.id : (derived ?? ulid(now)),
    ts: typeof raw.ts === "number" && raw.ts > 0 ? raw.ts : now,
    callerId,
  };
}

/**
 * Accepts events: dedupes caller-supplied ids, creates one run per matching function, makes
 * that durable, then resumes matching waitForEvent steps and applies cancelOn rules. Sent events
 * over `maxBytes` refuse the whole send (the engine's own lifecycle events pass Infinity).
 */
export async function ingest(
  core: Core,
  raws: unknown[],
  seed?: string,
  maxBytes = core.opts.maxEventBytes,
): Promise<string[]> {
  const now = Date.now();
  const events = raws.map((r, i) => validate(r, i, now, seed, maxBytes));
  const ids: string[] = [];
  const recs: Rec[] = [];
  const fresh: EngineEvent[] = [];
  const batchIds = new Set<string>();
  let held = 0;
  for (const ev of events) {
    ids.push(ev.id);
    if (ev.callerId && (core.store.eventIds.has(ev.id) || batchIds.has(ev.id))) continue;
    const { callerId, ...event } = ev;
    if (callerId) {
      batchIds.add(ev.id);
      recs.push({ t: "evt", id: ev.id, ts: now });
    }
    fresh.push(event);
    if (core.store.fns.size === 0 && core.store.held.length + held < MAX_HELD) {
      recs.push({ t: "hold", event });
      held++;
    }
    runRecordsFor(core, event, now, recs);
  }
  if (recs.length) await core.commit(...recs);
  startRuns(core, recs);
  for (const event of fresh) {
    resumeWaits(core, event);
    applyCancels(core, event, now);
  }
  return ids;
}

/** At most this many events wait for the first sync (a client sending in a loop must not fill memory). */
const MAX_HELD = 10_000;

/**
 * Once functions are registered (after a sync, or at start when a restart came in between): the
 * events sent before any app had synced start the runs they would have started then, released in
 * the same commit. An event that already has a run of a function (the release was lost) starts no
 * second one. Returns how many events were held.
 */
export async function triggerHeldEvents(core: Core): Promise<number> {
  const held = [...core.store.held];
  if (core.store.fns.size === 0 || held.length === 0) return 0;
  const ids = new Set(held.map((e) => e.id));
  const started = new Set<string>();
  for (const run of core.store.runs.values())
    if (ids.has(run.event.id)) started.add(`${run.fnId} ${run.event.id}`);
  const now = Date.now();
  const planned: Rec[] = [];
  for (const event of held) runRecordsFor(core, event, now, planned);
  const recs = planned.filter((r) => r.t !== "run" || !started.has(`${r.fnId} ${r.event.id}`));
  await core.commit(...recs, { t: "unhold", n: held.length });
  startRuns(core, recs);
  return held.length;
}

/** The run records one event starts (one per function it triggers), appended to `recs`. */
function runRecordsFor(core: Core, event: EngineEvent, now: number, recs: Rec[]): void {
  for (const fn of core.store.fns.values()) {
    const trig = fn.triggers.find(
      (t) =>
        eventMatches(t.event, event.name) &&
        (!t.expression || cel(t.expression, ["event"])({ event }) === true),
    );
    if (!trig) continue;
    let idem: string | undefined;
    if (fn.idempotency) {
      idem = `${fn.id}:${keyValue(cel(fn.idempotency, ["event"]), { event })}`;
      if (core.store.idemKeys.has(idem) || recs.some((r) => r.t === "run" && r.idem === idem)) continue;
    }
    if (core.rateLimited(fn, event, now)) {
      core.log(`event ${event.name} ${event.id}: run of ${fn.id} skipped by rateLimit`);
      continue;
    }
    recs.push(core.newRunRecord(fn, event, now, undefined, idem));
  }
}

function startRuns(core: Core, recs: readonly Rec[]): void {
  for (const r of recs) {
    if (r.t !== "run") continue;
    const run = core.store.runs.get(r.id);
    if (run && core.store.isActive(run)) core.startRun(run);
  }
}

function resumeWaits(core: Core, event: EngineEvent): void {
  const waiting = core.waits.get(event.name);
  if (!waiting) return;
  for (const key of [...waiting]) {
    const [runId = "", hash = ""] = key.split(" ");
    const run = core.store.runs.get(runId);
    const p = run?.pending.get(hash);
    if (!run || !p) {
      waiting.delete(key);
      continue;
    }
    if (p.expr && cel(p.expr, ["event", "async"])({ event: run.event, async: event }) !== true) continue;
    waiting.delete(key);
    void resolvePending(core, run, hash, event);
  }
}

function applyCancels(core: Core, event: EngineEvent, now: number): void {
  for (const fn of core.store.fns.values()) {
    const rules = fn.cancel.filter((c) => c.event === event.name);
    if (rules.length === 0) continue;
    for (const runId of [...(core.store.active.get(fn.id) ?? [])]) {
      const run = core.store.runs.get(runId);
      if (!run) continue;
      const hit = rules.some(
        (c) =>
          (c.timeoutMs === undefined || now - run.queuedAt <= c.timeoutMs) &&
          (!c.if || cel(c.if, ["event", "async"])({ event: run.event, async: event }) === true),
      );
      if (hit) void cancelRun(core, run, `cancelled by event ${event.name} (${event.id})`);
    }
  }
}

export async function cancelRun(core: Core, run: Run, reason: string): Promise<void> {
  await core.finishRun(run, "Cancelled", { error: { name: "Cancelled", message: reason } });
}

function hasListener(core: Core, name: string): boolean {
  if (core.waits.get(name)?.size) return true;
  for (const fn of core.store.fns.values()) {
    if (fn.triggers.some((t) => eventMatches(t.event, name)) || fn.cancel.some((c) => c.event === name))
      return true;
  }
  return false;
}

/** inngest/function.finished, .failed (drives onFailure) and .cancelled, as the official server emits. */
export async function emitInternal(
  core: Core,
  run: Run,
  status: RunStatus,
  result: { output?: unknown; error?: SerializedError },
): Promise<void> {
  if (core.closed) return;
  const base = { function_id: run.fnId, run_id: run.id, event: run.event, events: [run.event] };
  const out: Record<string, unknown>[] = [];
  const finished =
    status === "Completed" ? { ...base, result: result.output ?? null } : { ...base, error: result.error };
  if (hasListener(core, "inngest/function.finished"))
    out.push({ name: "inngest/function.finished", data: finished });
  if (status === "Failed" && hasListener(core, "inngest/function.failed"))
    out.push({ name: "inngest/function.failed", data: { ...base, error: result.error } });
  if (status === "Cancelled" && hasListener(core, "inngest/function.cancelled"))
    out.push({ name: "inngest/function.cancelled", data: { ...base, error: result.error } });
  if (out.length === 0) return;
  try {
    await ingest(core, out, undefined, Infinity);
  } catch (err) {
    core.log(`could not emit internal events for run ${run.id}: ${errText(err)}`);
  }
}
