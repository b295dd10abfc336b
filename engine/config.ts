import { cel } from "./cel";
import { parseTriggerCron } from "./cron";
import { parseDuration } from "./duration";
import type { ConcurrencyDef, FnDef } from "./types";

/** Config keys the engine does not implement: a function using one is rejected at sync. */
const UNSUPPORTED = ["debounce", "batchEvents", "singleton"] as const;

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

function period(fnId: string, field: string, v: unknown): number {
  const ms = typeof v === "string" ? parseDuration(v) : undefined;
  if (ms === undefined || ms <= 0)
    throw new ConfigError(`function "${fnId}": ${field} period "${String(v)}" is not a duration`);
  return ms;
}

function expr(fnId: string, field: string, src: unknown, roots: string[]): string | undefined {
  if (src === undefined || src === null || src === "") return undefined;
  if (typeof src !== "string")
    throw new ConfigError(`function "${fnId}": ${field} must be a string expression`);
  try {
    cel(src, roots);
  } catch (err) {
    throw new ConfigError(`function "${fnId}": ${field} ${(err as Error).message}`);
  }
  return src;
}

/** Validates one function config from a register payload and normalizes it; throws ConfigError. */
export function normalizeFunction(raw: unknown, appId: string): FnDef {
  if (!isObj(raw) || typeof raw.id !== "string" || !raw.id)
    throw new ConfigError("function config without an id");
  const id = raw.id;
  for (const k of UNSUPPORTED) {
    if (raw[k] !== undefined && raw[k] !== null) {
      throw new ConfigError(
        `function "${id}": "${k}" is not supported by the local engine (use the official dev server or Inngest Cloud)`,
      );
    }
  }
  const step = isObj(raw.steps) ? raw.steps.step : undefined;
  const runtime = isObj(step) && isObj(step.runtime) ? step.runtime : undefined;
  if (!runtime || typeof runtime.url !== "string")
    throw new ConfigError(`function "${id}": missing steps.step.runtime.url`);
  if (runtime.type !== undefined && runtime.type !== "http") {
    throw new ConfigError(
      `function "${id}": runtime type "${String(runtime.type)}" is not supported (http only)`,
    );
  }
  const retriesRaw = isObj(step) && isObj(step.retries) ? step.retries.attempts : undefined;
  const retries = typeof retriesRaw === "number" ? Math.max(0, Math.min(20, Math.floor(retriesRaw))) : 4;

  const triggers: FnDef["triggers"] = [];
  const crons: string[] = [];
  for (const t of Array.isArray(raw.triggers) ? raw.triggers : []) {
    if (!isObj(t)) continue;
    if (typeof t.cron === "string") {
      try {
        parseTriggerCron(t.cron);
      } catch (err) {
        throw new ConfigError(`function "${id}": ${(err as Error).message}`);
      }
      crons.push(t.cron);
      continue;
    }
    if (typeof t.event !== "string" || !t.event)
      throw new ConfigError(`function "${id}": trigger without an event name`);
    triggers.push({
      event: t.event,
      expression: expr(id, `trigger "${t.event}" expression`, t.expression, ["event"]),
    });
  }

  const concurrency: ConcurrencyDef[] = [];
  const rawConc = raw.concurrency;
  const concList =
    rawConc === undefined || rawConc === null ? [] : Array.isArray(rawConc) ? rawConc : [rawConc];
  if (concList.length > 2)
    throw new ConfigError(`function "${id}": at most 2 concurrency limits are allowed`);
  for (const c of concList) {
    const o = typeof c === "number" ? { limit: c } : isObj(c) ? c : undefined;
    if (!o || typeof o.limit !== "number")
      throw new ConfigError(`function "${id}": concurrency needs a numeric limit`);
    const scope = o.scope === undefined ? "fn" : o.scope;
    if (scope !== "fn" && scope !== "env" && scope !== "account") {
      throw new ConfigError(`function "${id}": concurrency scope "${String(scope)}" is not supported`);
    }
    if (o.limit <= 0) continue;
    concurrency.push({
      limit: Math.floor(o.limit),
      scope,
      key: expr(id, "concurrency key", o.key, ["event"]),
    });
  }

  let throttle: FnDef["throttle"];
  if (isObj(raw.throttle)) {
    const t = raw.throttle;
    if (typeof t.limit !== "number" || t.limit < 1)
      throw new ConfigError(`function "${id}": throttle needs limit >= 1`);
    throttle = {
      limit: Math.floor(t.limit),
      periodMs: period(id, "throttle", t.period),
      burst: typeof t.burst === "number" ? Math.max(0, Math.floor(t.burst)) : 0,
      key: expr(id, "throttle key", t.key, ["event"]),
    };
  }
  let rateLimit: FnDef["rateLimit"];
  if (isObj(raw.rateLimit)) {
    const r = raw.rateLimit;
    if (typeof r.limit !== "number" || r.limit < 1)
      throw new ConfigError(`function "${id}": rateLimit needs limit >= 1`);
    rateLimit = {
      limit: Math.floor(r.limit),
      periodMs: period(id, "rateLimit", r.period),
      key: expr(id, "rateLimit key", r.key, ["event"]),
    };
  }
  const priority = isObj(raw.priority) ? expr(id, "priority.run", raw.priority.run, ["event"]) : undefined;
  const idempotency = expr(id, "idempotency", raw.idempotency, ["event"]);
  let timeouts: FnDef["timeouts"];
  if (isObj(raw.timeouts)) {
    const t = raw.timeouts;
    timeouts = {
      startMs: t.start === undefined ? undefined : period(id, "timeouts.start", t.start),
      finishMs: t.finish === undefined ? undefined : period(id, "timeouts.finish", t.finish),
    };
  }

  const cancel: FnDef["cancel"] = [];
  for (const c of Array.isArray(raw.cancel) ? raw.cancel : []) {
    if (!isObj(c) || typeof c.event !== "string")
      throw new ConfigError(`function "${id}": cancel entry needs an event`);
    const timeoutMs = typeof c.timeout === "string" ? period(id, "cancel timeout", c.timeout) : undefined;
    cancel.push({
      event: c.event,
      timeoutMs,
      if: expr(id, `cancelOn "${c.event}" if`, c.if, ["event", "async"]),
    });
  }

  return {
    id,
    name: typeof raw.name === "string" ? raw.name : id,
    appId,
    url: runtime.url,
    triggers,
    ...(crons.length > 0 ? { crons } : {}),
    retries,
    concurrency,
    throttle,
    rateLimit,
    idempotency,
    timeouts,
    priority,
    cancel,
  };
}

/** Event-name match with the official wildcard rule: a trigger ending in "*" matches by prefix. */
export function eventMatches(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  return pattern.endsWith("*") && name.startsWith(pattern.slice(0, -1));
}
