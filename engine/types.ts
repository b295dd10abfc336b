/** Shared shapes of the engine's state. Everything here is plain JSON so it can be journaled. */

export interface EngineEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  [extra: string]: unknown;
}

export interface ConcurrencyDef {
  limit: number;
  key?: string;
  scope: "fn" | "env" | "account";
}

export interface FnDef {
  id: string;
  name: string;
  appId: string;
  url: string;
  triggers: { event: string; expression?: string }[];
  /** Cron schedules (triggers with `cron`): each fires inngest/scheduled.timer for this function only. */
  crons?: string[];
  retries: number;
  concurrency: ConcurrencyDef[];
  throttle?: { limit: number; periodMs: number; burst: number; key?: string };
  rateLimit?: { limit: number; periodMs: number; key?: string };
  idempotency?: string;
  /** Cancel a run not started within startMs of being queued, or not finished within finishMs of starting. */
  timeouts?: { startMs?: number; finishMs?: number };
  priority?: string;
  cancel: { event: string; timeoutMs?: number; if?: string }[];
}

export interface AppDef {
  appId: string;
  url: string;
  functions: FnDef[];
  syncedAt: number;
}

export type SerializedError = { name: string; message: string; stack?: string; [k: string]: unknown };

export interface Attempt {
  attempt: number;
  startedAt: number;
  endedAt?: number;
  error?: SerializedError;
}

export type StepStatus =
  "Scheduled" | "Running" | "Sleeping" | "Waiting" | "Invoking" | "Completed" | "Failed";

export interface StepInfo {
  hash: string;
  id: string;
  name: string;
  op: string;
  status: StepStatus;
  attempts: Attempt[];
  firstSeenAt: number;
  endedAt?: number;
  error?: SerializedError;
}

export type PendingKind = "Sleep" | "WaitForEvent" | "InvokeFunction";

export interface PendingOp {
  hash: string;
  kind: PendingKind;
  until?: number;
  event?: string;
  expr?: string;
  childRunId?: string;
  since: number;
  /** Set when the op was reported with others in one reply (Promise.all): the run resumes once all resolve. */
  group?: string;
  /** `group.parallel({ mode: "race" })`: the run resumes as soon as this op resolves. */
  race?: boolean;
}

export type RunStatus = "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";

export interface Run {
  id: string;
  fnId: string;
  appId: string;
  event: EngineEvent;
  status: RunStatus;
  queuedAt: number;
  startedAt?: number;
  endedAt?: number;
  output?: unknown;
  error?: SerializedError;
  memo: Record<string, unknown>;
  stack: string[];
  steps: Map<string, StepInfo>;
  pending: Map<string, PendingOp>;
  fnAttempts: Attempt[];
  disableImmediate: boolean;
  version: number;
  parent?: { runId: string; hash: string };
  /** Transient (rebuilt after replay): planned steps executing or waiting for a retry. */
  inflight: Set<string>;
  discovery: "idle" | "queued" | "running";
  rediscover: boolean;
  /** Transient: calls currently out that may checkpoint steps (queue item id -> attempt, last mark). */
  calls: Map<string, { attempt: number; last: number }>;
  /** Transient: an upper bound of the run state's size in bytes (limits.ts); unset until first needed. */
  stateBytes?: number;
}

export const TERMINAL: ReadonlySet<RunStatus> = new Set(["Completed", "Failed", "Cancelled"]);
