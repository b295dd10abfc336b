import type { Core } from "./core";
import { toError } from "./results";
import { parseRetryAfter } from "./duration";
import { errText, fmtMs } from "./log";
import { ulid } from "./ids";
import { handleOps, type Op } from "./ops";
import { armRunTimeouts } from "./pending";
import type { WorkItem } from "./scheduler";
import type { AppResponse } from "./transport";
import type { Attempt, Run, SerializedError } from "./types";

function withStepId(url: string, stepId: string): string {
  const u = new URL(url);
  u.searchParams.set("stepId", stepId);
  return u.toString();
}

function header(res: AppResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: text === "" ? null : JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Executes one queue item: a discovery call (stepId=step) or a targeted call for a planned step. */
export async function execItem(core: Core, item: WorkItem): Promise<void> {
  const run = core.store.runs.get(item.runId);
  if (!run || !core.store.isActive(run)) return;
  if (item.kind === "discovery") run.discovery = "running";
  try {
    await execInner(core, run, item);
  } catch (err) {
    if (!core.closed) core.log(`internal error handling run ${run.id}: ${errText(err)}`);
    if (core.store.isActive(run) && !core.closed) {
      await core.finishRun(run, "Failed", {
        error: { name: "EngineError", message: `engine error: ${(err as Error).message}` },
      });
    }
  } finally {
    if (item.kind === "discovery" && run.discovery === "running") {
      run.discovery = "idle";
      if (run.rediscover) {
        run.rediscover = false;
        core.maybeDiscover(run);
      }
    }
  }
}

async function execInner(core: Core, run: Run, item: WorkItem): Promise<void> {
  const fn = core.fnOf(run);
  if (!fn) {
    await core.finishRun(run, "Failed", {
      error: { name: "Error", message: `function "${run.fnId}" is not synced with the engine` },
    });
    return;
  }
  const started = Date.now();
  if (run.startedAt === undefined) {
    void core.commit({ t: "start", runId: run.id, at: started });
    core.log(`run ${run.id} ${run.fnId} started (event ${run.event.name})`);
    armRunTimeouts(core, run);
  }
  const step = item.hash ? run.steps.get(item.hash) : undefined;
  if (step) step.status = "Running";
  const checkpointable = core.opts.checkpointing && item.kind === "discovery";
  let stackAtDispatch = run.stack.length;
  let qi = "";
  // Each try gets a fresh call id (unique across restarts): the checkpoint API answers 409 to an
  // execution whose call was abandoned, which makes that SDK execution stop.
  const makeBody = (): string | undefined => {
    run.calls.delete(qi);
    if (!core.store.isActive(run)) return undefined;
    qi = ulid();
    if (checkpointable) run.calls.set(qi, { attempt: item.attempt, last: Date.now() });
    stackAtDispatch = run.stack.length;
    return JSON.stringify({
      event: run.event,
      events: [run.event],
      steps: run.memo,
      ctx: {
        run_id: run.id,
        attempt: item.attempt,
        max_attempts: fn.retries + 1,
        disable_immediate_execution: run.disableImmediate,
        use_api: false,
        ...(checkpointable ? { fn_id: run.fnId, qi_id: qi } : {}),
        stack: { stack: run.stack, current: run.stack.length },
      },
      version: run.version,
    });
  };
  const url = item.kind === "step" && item.hash ? withStepId(fn.url, item.hash) : fn.url;
  let res: AppResponse;
  try {
    res = await core.caller.post(url, makeBody, { "x-run-id": run.id });
  } catch (err) {
    run.calls.delete(qi);
    if (core.closed || !core.store.isActive(run)) return;
    await failAttempt(
      core,
      run,
      item,
      { name: "TransportError", message: (err as Error).message },
      true,
      undefined,
      started,
    );
    return;
  }
  run.calls.delete(qi);
  if (core.closed || !core.store.isActive(run)) return;
  const ver = Number(header(res, "x-inngest-req-version"));
  if (Number.isInteger(ver) && ver !== run.version) void core.commit({ t: "ver", runId: run.id, v: ver });
  const parsed = parseJson(res.body);
  const noRetry = header(res, "x-inngest-no-retry");
  const retryAfter = parseRetryAfter(header(res, "retry-after"), Date.now());

  if (res.status === 200) {
    if (item.kind === "step") {
      // The SDK only answers 200 when the function itself returned; honour it.
      run.inflight.delete(item.hash ?? "");
    }
    await core.finishRun(run, "Completed", { output: parsed.ok ? parsed.value : res.body });
    return;
  }
  if (res.status === 206 && parsed.ok) {
    const ops = (Array.isArray(parsed.value) ? parsed.value : [parsed.value]) as Op[];
    const bodyBytes = Buffer.byteLength(res.body);
    await handleOps(core, run, item, ops, { noRetry, retryAfter, started, stackAtDispatch, bodyBytes });
    return;
  }
  const error = toError(parsed.ok ? parsed.value : res.body, `app answered HTTP ${res.status}`);
  const retriable = noRetry !== "true";
  await failAttempt(core, run, item, error, retriable, retryAfter, started);
}

/** A failed attempt of a step or of the function itself: retry per the function's `retries`, else fail. */
export async function failAttempt(
  core: Core,
  run: Run,
  item: WorkItem,
  error: SerializedError,
  retriable: boolean,
  retryAfterMs: number | undefined,
  started: number,
): Promise<void> {
  const fn = core.fnOf(run);
  const max = (fn?.retries ?? 4) + 1;
  const a: Attempt = { attempt: item.attempt, startedAt: started, endedAt: Date.now(), error };
  const canRetry = retriable && item.attempt + 1 < max;
  const delay = Math.min(retryAfterMs ?? core.backoff(item.attempt), 24 * 3600_000);
  if (item.kind === "step" && item.hash) {
    const s = run.steps.get(item.hash);
    const label = s?.id ?? item.hash;
    if (canRetry) {
      await core.commit({ t: "att", runId: run.id, hash: item.hash, id: s?.id, name: s?.name, op: s?.op, a });
      core.log(
        `run ${run.id} step "${label}" attempt ${item.attempt + 1}/${max} failed, retrying in ${fmtMs(delay)}${retryAfterMs !== undefined ? " (Retry-After)" : ""}: ${errText(error)}`,
      );
      core.enqueueStep(run, item.hash, item.attempt + 1, delay);
      return;
    }
    core.log(
      `run ${run.id} step "${label}" failed after ${item.attempt + 1} attempt(s)${retriable ? "" : " (not retriable)"}: ${errText(error)}`,
    );
    run.inflight.delete(item.hash);
    await core.commit({
      t: "step",
      runId: run.id,
      hash: item.hash,
      id: label,
      name: s?.name ?? label,
      op: s?.op ?? "StepRun",
      memo: { error },
      failed: true,
      a,
      at: Date.now(),
    });
    core.maybeDiscover(run);
    return;
  }
  if (canRetry) {
    await core.commit({ t: "att", runId: run.id, hash: null, a });
    core.log(
      `run ${run.id} ${run.fnId} attempt ${item.attempt + 1}/${max} failed, retrying in ${fmtMs(delay)}: ${errText(error)}`,
    );
    core.enqueueDiscovery(run, item.attempt + 1, delay);
    return;
  }
  await core.commit({ t: "att", runId: run.id, hash: null, a });
  await core.finishRun(run, "Failed", { error });
}
