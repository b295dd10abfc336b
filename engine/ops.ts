import { cel, CelError } from "./cel";
import type { Core } from "./core";
import { toError } from "./results";
import { failAttempt } from "./call";
import { resolveTarget } from "./duration";
import { errText } from "./log";
import { ulid } from "./ids";
import { runLimitError } from "./limits";
import { addWait, armTimer } from "./pending";
import type { WorkItem } from "./scheduler";
import type { Rec } from "./store";
import type { Attempt, Run } from "./types";

export interface Op {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown>;
  data?: unknown;
  error?: unknown;
  userland?: { id?: string; index?: number };
}

interface Meta {
  noRetry: string | undefined;
  retryAfter: number | undefined;
  started: number;
  /** Results stored while this call was out make its view stale: their own resume call follows. */
  stackAtDispatch: number;
  /** Size of the reply the ops came in (for the per-step output limit). */
  bodyBytes: number;
}

let groupSeq = 0;

const SUPPORTED_HINT =
  "supported: step.run, step.sleep/sleepUntil, step.waitForEvent, step.invoke, step.sendEvent, parallel steps";

/** Applies the ops of a 206 reply, as the official executor does for each opcode. */
export async function handleOps(core: Core, run: Run, item: WorkItem, ops: Op[], meta: Meta): Promise<void> {
  const now = Date.now();
  const recs: Rec[] = [];
  const after: (() => void)[] = [];
  let stored = false;
  let newWork = false;
  const seen = (h: string) => h in run.memo || run.pending.has(h);
  const label = (op: Op) => op.userland?.id ?? op.name ?? op.id;
  const attempt: Attempt = { attempt: item.attempt, startedAt: meta.started, endedAt: now };
  const fail = async (message: string) =>
    core.finishRun(run, "Failed", { error: { name: "Error", message } });

  // Inngest Cloud's per-run limits: over one, the run fails without retries (see limits.ts).
  const overLimit = runLimitError(run, ops, meta.bodyBytes, core.opts);
  if (overLimit) return core.finishRun(run, "Failed", { error: overLimit });

  if (ops.length > 1 && !run.disableImmediate) recs.push({ t: "dis", runId: run.id });
  // Ops reported together are awaited together (Promise.all): see Core.resumeAfter.
  const group = ops.length > 1 ? `${now.toString(36)}.${++groupSeq}` : undefined;
  const grouping = (op: Op) => ({
    ...(group && { group }),
    ...(op.opts?.parallelMode === "race" && { race: true }),
  });
  if (item.kind === "step" && item.hash && !ops.some((o) => o.id === item.hash))
    run.inflight.delete(item.hash);

  for (const op of ops) {
    if (!op || typeof op !== "object" || typeof op.id !== "string")
      return fail("engine: the app replied with a malformed op");
    const base = { runId: run.id, hash: op.id, id: label(op), name: op.displayName ?? label(op) };
    switch (op.op) {
      case "StepRun":
      case "RunComplete":
        if (op.op === "RunComplete") {
          if (recs.length) await core.commit(...recs);
          return core.finishRun(run, "Completed", { output: op.data ?? null });
        }
        if (item.hash === op.id) run.inflight.delete(op.id);
        if (op.id in run.memo) break;
        recs.push({
          t: "step",
          ...base,
          op: "StepRun",
          memo: { data: op.data ?? null },
          a: attempt,
          at: now,
        });
        stored = true;
        break;
      case "StepFailed": {
        if (item.hash === op.id) run.inflight.delete(op.id);
        if (op.id in run.memo) break;
        const error = toError(op.error, "step failed");
        core.log(
          `run ${run.id} step "${base.id}" failed permanently on attempt ${item.attempt + 1}: ${errText(error)}`,
        );
        recs.push({
          t: "step",
          ...base,
          op: "StepRun",
          memo: { error },
          failed: true,
          a: { ...attempt, error },
          at: now,
        });
        stored = true;
        break;
      }
      case "StepError": {
        if (op.id in run.memo) break;
        core.store.step(run, op.id, base.id, base.name, "StepRun", now);
        run.inflight.add(op.id);
        const stepItem: WorkItem = { ...item, kind: "step", hash: op.id };
        after.push(
          () =>
            void failAttempt(
              core,
              run,
              stepItem,
              toError(op.error, "step error"),
              meta.noRetry !== "true",
              meta.retryAfter,
              meta.started,
            ),
        );
        newWork = true;
        break;
      }
      case "StepPlanned":
        if (seen(op.id) || run.inflight.has(op.id)) break;
        core.store.step(run, op.id, base.id, base.name, "StepRun", now);
        run.inflight.add(op.id);
        after.push(() => core.enqueueStep(run, op.id, 0));
        newWork = true;
        break;
      case "Sleep": {
        if (seen(op.id)) break;
        const until = resolveTarget(op.name ?? "", now);
        if (until === undefined) return fail(`step "${base.id}": invalid sleep duration "${op.name}"`);
        recs.push({
          t: "pend",
          runId: run.id,
          id: base.id,
          name: base.name,
          p: { hash: op.id, kind: "Sleep", until, since: now, ...grouping(op) },
        });
        after.push(() => armTimer(core, run, op.id, until - Date.now()));
        newWork = true;
        break;
      }
      case "WaitForEvent": {
        if (seen(op.id)) break;
        const event = op.name ?? "";
        const expr = typeof op.opts?.if === "string" ? op.opts.if : undefined;
        const until = resolveTarget(typeof op.opts?.timeout === "string" ? op.opts.timeout : "", now);
        if (!event || until === undefined)
          return fail(`step "${base.id}": waitForEvent needs an event name and a timeout`);
        if (expr) {
          try {
            cel(expr, ["event", "async"]);
          } catch (err) {
            return fail(
              `function "${run.fnId}" step "${base.id}": waitForEvent ${err instanceof CelError ? err.message : String(err)}`,
            );
          }
        }
        recs.push({
          t: "pend",
          runId: run.id,
          id: base.id,
          name: base.name,
          p: { hash: op.id, kind: "WaitForEvent", until, event, expr, since: now, ...grouping(op) },
        });
        after.push(() => {
          addWait(core, event, run.id, op.id);
          armTimer(core, run, op.id, until - Date.now());
        });
        newWork = true;
        break;
      }
      case "InvokeFunction": {
        if (seen(op.id)) break;
        const target = typeof op.opts?.function_id === "string" ? op.opts.function_id : "";
        const fn = core.store.fns.get(target);
        if (!fn) {
          const error = {
            name: "Error",
            message: `could not invoke "${target}": no such function is synced with the engine`,
          };
          recs.push({ t: "step", ...base, op: "InvokeFunction", memo: { error }, failed: true, at: now });
          stored = true;
          break;
        }
        const payload = (op.opts?.payload ?? {}) as { data?: Record<string, unknown> };
        const timeout = typeof op.opts?.timeout === "string" ? op.opts.timeout : undefined;
        const until = timeout ? resolveTarget(timeout, now) : undefined;
        const event = {
          id: ulid(now),
          name: "inngest/function.invoked",
          data: { ...(payload.data ?? {}), _inngest: { fn_id: fn.id, correlation_id: `${run.id}.${op.id}` } },
          ts: now,
        };
        // The invoked run's event is an event like any other: Inngest Cloud holds it to the same limit.
        const bytes = Buffer.byteLength(JSON.stringify(event));
        if (bytes > core.opts.maxEventBytes) {
          const error = {
            name: "Error",
            message:
              `could not invoke "${target}": its event is ${bytes} bytes, more than an event may have ` +
              `(${core.opts.maxEventBytes}, ENGINE_MAX_EVENT_BYTES): pass a reference (an id, a storage key) instead of the data`,
          };
          recs.push({ t: "step", ...base, op: "InvokeFunction", memo: { error }, failed: true, at: now });
          stored = true;
          break;
        }
        const child = core.newRunRecord(fn, event, now, { runId: run.id, hash: op.id });
        recs.push(child, {
          t: "pend",
          runId: run.id,
          id: base.id,
          name: base.name,
          p: {
            hash: op.id,
            kind: "InvokeFunction",
            until,
            childRunId: child.id,
            since: now,
            ...grouping(op),
          },
        });
        after.push(() => {
          const c = core.store.runs.get(child.id);
          if (c) core.startRun(c);
          if (until !== undefined) armTimer(core, run, op.id, until - Date.now());
        });
        newWork = true;
        break;
      }
      default:
        if (recs.length) await core.commit(...recs);
        return fail(
          `function "${run.fnId}" step "${base.id}": operation "${op.op}" is not supported by the local engine (${SUPPORTED_HINT})`,
        );
    }
  }
  if (recs.length) await core.commit(...recs);
  if (!core.store.isActive(run)) return;
  for (const fn of after) fn();
  if (stored) core.maybeDiscover(run);
  else if (
    !newWork &&
    item.kind === "discovery" &&
    run.inflight.size === 0 &&
    run.pending.size === 0 &&
    !run.rediscover
  ) {
    // Results stored while this call was out (checkpoints, finished children) make its view stale.
    if (run.stack.length !== meta.stackAtDispatch) core.maybeDiscover(run);
    else
      await fail("engine: the function reported no new steps and nothing is pending (run cannot progress)");
  }
}
