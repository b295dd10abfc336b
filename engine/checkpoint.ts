import type { Core } from "./core";
import { runLimitError } from "./limits";
import type { Rec } from "./store";

/**
 * POST /v1/checkpoint/:runId/async — the v4 SDK's async checkpointing: during a discovery call it
 * runs a step inline and reports its result here before running the next one. We answer only
 * once the result is durable, so an acknowledged step is never executed again. 409 tells the SDK
 * its execution is stale (run finished or cancelled, or the call is from before a restart) and
 * makes it stop.
 */
export async function checkpointAsync(
  core: Core,
  runId: string,
  body: unknown,
  bodyBytes: number,
): Promise<{ status: number; body: unknown }> {
  const run = core.store.runs.get(runId);
  const b = (body ?? {}) as { qi_id?: unknown; steps?: unknown };
  if (!run || !core.store.isActive(run))
    return { status: 409, body: { error: `run ${runId} is not running` } };
  const call = typeof b.qi_id === "string" ? run.calls.get(b.qi_id) : undefined;
  if (!call) return { status: 409, body: { error: "stale execution: no such call in flight" } };
  if (!Array.isArray(b.steps)) return { status: 400, body: { error: "steps: must be an array of ops" } };
  // Over a per-run limit the run fails, as on Inngest Cloud; 409 then stops the SDK's execution.
  const steps = b.steps as Record<string, unknown>[];
  const error = runLimitError(run, steps, bodyBytes, core.opts);
  if (error) {
    await core.finishRun(run, "Failed", { error });
    return { status: 409, body: { error: `run ${runId} failed: it exceeded a per-run limit` } };
  }
  const now = Date.now();
  const recs: Rec[] = [];
  for (const raw of steps) {
    const op = raw ?? {};
    if (op.op !== "StepRun" || typeof op.id !== "string") {
      return {
        status: 400,
        body: { error: `checkpointing op "${String(op.op)}" is not supported by the local engine` },
      };
    }
    if (op.id in run.memo) continue;
    const userland = (op.userland ?? {}) as { id?: string };
    const id = userland.id ?? (typeof op.name === "string" ? op.name : op.id);
    const name = typeof op.displayName === "string" ? op.displayName : id;
    recs.push({
      t: "step",
      runId,
      hash: op.id,
      id,
      name,
      op: "StepRun",
      memo: { data: op.data ?? null },
      a: { attempt: call.attempt, startedAt: call.last, endedAt: now },
      at: now,
    });
  }
  call.last = now;
  if (recs.length) await core.commit(...recs);
  return { status: 200, body: { ok: true } };
}
