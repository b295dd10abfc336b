import type {
  AppDef,
  Attempt,
  EngineEvent,
  FnDef,
  PendingOp,
  Run,
  RunStatus,
  SerializedError,
  StepInfo,
} from "./types";
import { TERMINAL } from "./types";

/** Journal record shapes. `apply` is the single reducer used live and on replay. */
export type Rec =
  | { t: "app"; app: AppDef }
  | { t: "evt"; id: string; ts: number }
  /** An event sent before any app had synced: it waits for the first sync (see Store.held). */
  | { t: "hold"; event: EngineEvent }
  /** The first `n` held events have started their runs (committed with those runs' records). */
  | { t: "unhold"; n: number }
  | {
      t: "run";
      id: string;
      fnId: string;
      appId: string;
      event: EngineEvent;
      at: number;
      parent?: Run["parent"];
      idem?: string;
    }
  | { t: "start"; runId: string; at: number }
  | { t: "ver"; runId: string; v: number }
  | { t: "dis"; runId: string }
  | { t: "att"; runId: string; hash: string | null; id?: string; name?: string; op?: string; a: Attempt }
  | {
      t: "step";
      runId: string;
      hash: string;
      id: string;
      name: string;
      op: string;
      memo: unknown;
      failed?: boolean;
      a?: Attempt;
      at: number;
    }
  | { t: "pend"; runId: string; id: string; name: string; p: PendingOp }
  | { t: "end"; runId: string; status: RunStatus; output?: unknown; error?: SerializedError; at: number };

const EVENT_ID_TTL = 24 * 3600_000;

/** Finished runs kept for the read API (about a dozen 50 × 3 batches' worth). */
export const DEFAULT_MAX_FINISHED = 2_000;

export class Store {
  apps = new Map<string, AppDef>();
  fns = new Map<string, FnDef>();
  runs = new Map<string, Run>();
  eventIds = new Map<string, number>();
  idemKeys = new Map<string, number>();
  active = new Map<string, Set<string>>();
  /**
   * Events sent before any app had synced (a fresh data folder while the app starts), in order: the
   * first sync starts their runs. Journaled, so an engine restarted in between still starts them.
   */
  held: EngineEvent[] = [];
  /** Finished run ids, oldest first: past maxFinished the oldest are forgotten as new ones finish. */
  private finishedOrder: string[] = [];
  private finishedHead = 0;

  constructor(private readonly maxFinished = DEFAULT_MAX_FINISHED) {}

  apply(r: Rec): void {
    switch (r.t) {
      case "app": {
        const old = this.apps.get(r.app.url);
        for (const f of old?.functions ?? []) if (this.fns.get(f.id)?.url === f.url) this.fns.delete(f.id);
        this.apps.set(r.app.url, r.app);
        for (const f of r.app.functions) this.fns.set(f.id, f);
        return;
      }
      case "evt":
        this.eventIds.set(r.id, r.ts);
        return;
      case "hold":
        this.held.push(r.event);
        return;
      case "unhold":
        this.held.splice(0, r.n);
        return;
      case "run": {
        const run: Run = {
          id: r.id,
          fnId: r.fnId,
          appId: r.appId,
          event: r.event,
          status: "Queued",
          queuedAt: r.at,
          memo: {},
          stack: [],
          steps: new Map(),
          pending: new Map(),
          fnAttempts: [],
          disableImmediate: false,
          version: -1,
          parent: r.parent,
          inflight: new Set(),
          discovery: "idle",
          rediscover: false,
          calls: new Map(),
        };
        this.runs.set(run.id, run);
        this.activeSet(run.fnId).add(run.id);
        if (r.idem) this.idemKeys.set(r.idem, r.at);
        return;
      }
    }
    const run = this.runs.get(r.runId);
    if (!run) return;
    switch (r.t) {
      case "start":
        run.status = "Running";
        run.startedAt ??= r.at;
        return;
      case "ver":
        run.version = r.v;
        return;
      case "dis":
        run.disableImmediate = true;
        return;
      case "att":
        if (r.hash === null) run.fnAttempts.push(r.a);
        else
          this.step(
            run,
            r.hash,
            r.id ?? r.hash,
            r.name ?? r.id ?? r.hash,
            r.op ?? "StepRun",
            r.a.startedAt,
          ).attempts.push(r.a);
        return;
      case "step": {
        const s = this.step(run, r.hash, r.id, r.name, r.op, r.a?.startedAt ?? r.at);
        if (r.a) s.attempts.push(r.a);
        s.status = r.failed ? "Failed" : "Completed";
        s.endedAt = r.at;
        if (r.failed) s.error = (r.memo as { error?: SerializedError }).error;
        if (!(r.hash in run.memo)) run.stack.push(r.hash);
        run.memo[r.hash] = r.memo;
        run.pending.delete(r.hash);
        return;
      }
      case "pend": {
        const s = this.step(run, r.p.hash, r.id, r.name, r.p.kind, r.p.since);
        s.status = r.p.kind === "Sleep" ? "Sleeping" : r.p.kind === "WaitForEvent" ? "Waiting" : "Invoking";
        run.pending.set(r.p.hash, r.p);
        return;
      }
      case "end":
        run.status = r.status;
        run.endedAt = r.at;
        run.output = r.output;
        run.error = r.error;
        run.pending.clear();
        this.active.get(run.fnId)?.delete(run.id);
        this.forgetOldFinished(run.id);
        return;
    }
  }

  /**
   * Keeps memory bounded in a long-lived engine: every finished run holds its event and step
   * results, and every compaction snapshot writes them all out.
   */
  private forgetOldFinished(id: string): void {
    this.finishedOrder.push(id);
    while (this.finishedOrder.length - this.finishedHead > this.maxFinished) {
      const old = this.finishedOrder[this.finishedHead++]!;
      const run = this.runs.get(old);
      if (run && !this.isActive(run)) this.runs.delete(old);
    }
    if (this.finishedHead > 4096 && this.finishedHead * 2 > this.finishedOrder.length) {
      this.finishedOrder = this.finishedOrder.slice(this.finishedHead);
      this.finishedHead = 0;
    }
  }

  step(run: Run, hash: string, id: string, name: string, op: string, at: number): StepInfo {
    let s = run.steps.get(hash);
    if (!s) {
      s = { hash, id, name, op, status: "Scheduled", attempts: [], firstSeenAt: at };
      run.steps.set(hash, s);
    }
    return s;
  }

  activeSet(fnId: string): Set<string> {
    let s = this.active.get(fnId);
    if (!s) this.active.set(fnId, (s = new Set()));
    return s;
  }

  isActive(run: Run): boolean {
    return !TERMINAL.has(run.status);
  }

  /** Full state for a snapshot; drops expired idempotency ids and the oldest finished runs. */
  snapshot(now = Date.now()): unknown {
    for (const [id, ts] of this.eventIds) if (now - ts > EVENT_ID_TTL) this.eventIds.delete(id);
    for (const [k, ts] of this.idemKeys) if (now - ts > EVENT_ID_TTL) this.idemKeys.delete(k);
    const finished = [...this.runs.values()].filter((r) => !this.isActive(r));
    for (const r of finished.slice(0, Math.max(0, finished.length - this.maxFinished)))
      this.runs.delete(r.id);
    return {
      v: 1,
      apps: [...this.apps.values()],
      eventIds: [...this.eventIds],
      idemKeys: [...this.idemKeys],
      held: this.held,
      runs: [...this.runs.values()].map((r) => ({
        ...r,
        steps: [...r.steps.values()],
        pending: [...r.pending.values()],
        inflight: undefined,
        discovery: undefined,
        rediscover: undefined,
        calls: undefined,
      })),
    };
  }

  restore(raw: unknown): void {
    const s = raw as {
      apps: AppDef[];
      eventIds: [string, number][];
      idemKeys: [string, number][];
      /** Absent in snapshots written before held events were journaled. */
      held?: EngineEvent[];
      runs: (Omit<Run, "steps" | "pending" | "inflight" | "calls"> & {
        steps: StepInfo[];
        pending: PendingOp[];
      })[];
    };
    for (const app of s.apps) this.apply({ t: "app", app });
    this.eventIds = new Map(s.eventIds);
    this.idemKeys = new Map(s.idemKeys);
    this.held = s.held ?? [];
    for (const r of s.runs) {
      const run: Run = {
        ...r,
        steps: new Map(r.steps.map((x) => [x.hash, x])),
        pending: new Map(r.pending.map((x) => [x.hash, x])),
        inflight: new Set(),
        discovery: "idle",
        rediscover: false,
        calls: new Map(),
      };
      this.runs.set(run.id, run);
      if (this.isActive(run)) this.activeSet(run.fnId).add(run.id);
    }
    const finished = [...this.runs.values()].filter((r) => !this.isActive(r));
    finished.sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
    for (const r of finished) this.forgetOldFinished(r.id);
  }
}
