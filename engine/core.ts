import type { EngineKeys } from "./auth";
import { cel, keyValue } from "./cel";
import { CronTimers } from "./cron-timers";
import { emitInternal, triggerHeldEvents } from "./events";
import { ulid } from "./ids";
import { Journal } from "./journal";
import { fmtMs, errText, type Logger } from "./log";
import { execItem } from "./call";
import { armRunTimeouts, resume } from "./pending";
import { childMemo } from "./results";
import { Scheduler, type Limits, type WorkItem } from "./scheduler";
import { Store, type Rec } from "./store";
import { AppCaller } from "./transport";
import type { EngineEvent, FnDef, PendingOp, Run, RunStatus, SerializedError } from "./types";

export interface CoreOptions {
  dataDir: string;
  retryBaseMs: number;
  transportWindowMs: number;
  callTimeoutMs: number;
  maxFinishedRuns: number;
  /** Let the SDK run sequential steps in one call and checkpoint each to /v1/checkpoint (v4 default). */
  checkpointing: boolean;
  /** Journal size that triggers a snapshot + new segment. */
  journalMaxBytes: number;
  /** Steps one run may have (Inngest Cloud's default 1,000); one more fails the run. */
  maxSteps: number;
  /** Bytes of state one run may hold (Inngest Cloud's 32 MiB); more fails the run. */
  maxStateBytes: number;
  /** Bytes one sent event may have (its JSON); a send with a bigger one is refused whole. */
  maxEventBytes: number;
  /** Calls to apps executing at once across all runs (an Inngest plan's concurrent steps); 0: no limit. */
  maxCalls: number;
  /** With a signing key the engine signs its calls like Inngest Cloud and checks the SDK's bearer. */
  keys: EngineKeys;
  /** The time cron schedules are read against (cron-timers.ts). */
  cronClock: () => number;
  log: Logger;
}

/** The engine's state machine: runs, their queue items, pending sleeps/waits/invokes, durability. */
export class Core {
  readonly store: Store;
  journal!: Journal;
  readonly scheduler: Scheduler;
  readonly caller: AppCaller;
  readonly crons = new CronTimers(this);
  readonly log: Logger;
  /** event name -> "runId hash" of runs waiting for it. */
  readonly waits = new Map<string, Set<string>>();
  private limitsCache = new Map<string, Limits>();
  private rateLog = new Map<string, number[]>();
  closed = false;

  constructor(readonly opts: CoreOptions) {
    this.log = opts.log;
    this.store = new Store(opts.maxFinishedRuns);
    this.caller = new AppCaller(opts.log, opts.transportWindowMs, opts.callTimeoutMs, opts.keys);
    this.scheduler = new Scheduler(
      (item) => this.limitsFor(item),
      (item) => execItem(this, item),
    );
  }

  async open(): Promise<void> {
    let records = 0;
    this.journal = await Journal.open(
      this.opts.dataDir,
      {
        onSnapshot: (s) => this.store.restore(s),
        onRecord: (r) => {
          records++;
          this.store.apply(r as Rec);
        },
        warn: (m) => this.log(`journal: ${m}`),
      },
      this.opts.journalMaxBytes,
    );
    const active = [...this.store.runs.values()].filter((r) => this.store.isActive(r));
    if (records > 0 || active.length > 0)
      this.log(
        `recovered ${this.store.runs.size} runs (${active.length} unfinished) from ${this.opts.dataDir}`,
      );
    await this.journal.compact(() => this.store.snapshot());
    for (const run of active) resume(this, run);
    // Held events whose runs did not start before a restart (the app may not sync anew: it has).
    if (this.store.held.length > 0) await triggerHeldEvents(this);
    this.crons.refresh();
  }

  /** Applies records to memory now; the promise resolves once they are durable. */
  commit(...recs: Rec[]): Promise<void> {
    const lines = recs.map((r) => JSON.stringify(r));
    for (const [i, r] of recs.entries()) {
      this.store.apply(r);
      // A saved step grows the run's state by at most its record (see limits.ts stateOverLimit).
      if (r.t === "step") {
        const run = this.store.runs.get(r.runId);
        if (run?.stateBytes !== undefined) run.stateBytes += lines[i]!.length * 3;
      }
    }
    // A synced app may have added, changed or removed cron schedules.
    if (recs.some((r) => r.t === "app")) this.crons.refresh();
    const p = this.journal.appendLines(lines);
    if (this.journal.needsCompaction()) void this.journal.compact(() => this.store.snapshot());
    return p;
  }

  fnOf(run: Run): FnDef | undefined {
    return this.store.fns.get(run.fnId);
  }

  /** How many invoking runs are above this one (bounded: a parent may already be forgotten). */
  private depth(run: Run): number {
    let d = 0;
    for (let r: Run | undefined = run; r?.parent && d < 64; d++) r = this.store.runs.get(r.parent.runId);
    return d;
  }

  private sortKey(run: Run): number {
    const fn = this.fnOf(run);
    let prio = 0;
    if (fn?.priority) {
      const v = Number(cel(fn.priority, ["event"])({ event: run.event }));
      if (Number.isFinite(v)) prio = Math.max(-600, Math.min(600, v));
    }
    return run.queuedAt - prio * 1000;
  }

  private limitsFor(item: WorkItem): Limits | null {
    const run = this.store.runs.get(item.runId);
    if (!run || !this.store.isActive(run)) return null;
    let l = this.limitsCache.get(run.id);
    if (!l) {
      const fn = this.fnOf(run);
      const scope = { event: run.event };
      const keyed: string[] = [];
      l = {
        buckets: (fn?.concurrency ?? []).map((c) => {
          const k = c.key ? keyValue(cel(c.key, ["event"]), scope) : "";
          const id =
            c.scope === "fn" ? `fn:${run.fnId}:${c.key ?? ""}:${k}` : `${c.scope}:${c.key ?? ""}:${k}`;
          if (c.key) keyed.push(id);
          return { id, limit: c.limit };
        }),
      };
      // Throttled functions keep first come, first served (the throttle admits runs in order).
      if (keyed.length > 0 && !fn?.throttle) l.queue = { fn: run.fnId, id: [run.fnId, ...keyed].join("\n") };
      if (this.opts.maxCalls > 0) l.buckets.push({ id: "engine:calls", limit: this.opts.maxCalls });
      if (fn?.throttle) {
        const k = fn.throttle.key ? keyValue(cel(fn.throttle.key, ["event"]), scope) : "";
        l.throttle = {
          id: `${run.fnId}:${k}`,
          limit: fn.throttle.limit + fn.throttle.burst,
          periodMs: fn.throttle.periodMs,
        };
      }
      this.limitsCache.set(run.id, l);
    }
    if (l.throttle && run.startedAt !== undefined) return { buckets: l.buckets };
    return l;
  }

  /** Sliding-window rate limit on run creation; true when the run must be skipped. */
  rateLimited(fn: FnDef, event: EngineEvent, now: number): boolean {
    if (!fn.rateLimit) return false;
    const k = fn.rateLimit.key ? keyValue(cel(fn.rateLimit.key, ["event"]), { event }) : "";
    const id = `${fn.id}:${k}`;
    const log = (this.rateLog.get(id) ?? []).filter((t) => now - t < (fn.rateLimit?.periodMs ?? 0));
    this.rateLog.set(id, log);
    if (log.length >= fn.rateLimit.limit) return true;
    log.push(now);
    return false;
  }

  enqueueDiscovery(run: Run, attempt = 0, delayMs = 0): void {
    run.discovery = "queued";
    this.scheduler.enqueue(
      { runId: run.id, kind: "discovery", attempt, depth: this.depth(run), sortKey: this.sortKey(run) },
      delayMs,
    );
  }

  enqueueStep(run: Run, hash: string, attempt: number, delayMs = 0): void {
    run.inflight.add(hash);
    this.scheduler.enqueue(
      { runId: run.id, kind: "step", hash, attempt, depth: this.depth(run), sortKey: this.sortKey(run) },
      delayMs,
    );
  }

  /** Called whenever a step result lands: re-run the function once no planned step is in flight. */
  maybeDiscover(run: Run): void {
    if (!this.store.isActive(run) || run.inflight.size > 0) return;
    if (run.discovery !== "idle") {
      run.rediscover = true;
      return;
    }
    this.enqueueDiscovery(run);
  }

  /**
   * A sleep, wait or invoke resolved. Ops reported together (Promise.all) resume the run once the last of
   * them resolves, as the official executor does by default; race-mode ops resume it at once.
   */
  resumeAfter(run: Run, resolved: PendingOp | undefined): void {
    const group = resolved?.group;
    if (group && !resolved.race && [...run.pending.values()].some((p) => p.group === group)) return;
    this.maybeDiscover(run);
  }

  backoff(attempt: number): number {
    const base = this.opts.retryBaseMs;
    return Math.min(base * 2 ** Math.min(attempt, 20), 24 * 3600_000) + Math.floor(Math.random() * base);
  }

  newRunRecord(
    fn: FnDef,
    event: EngineEvent,
    now: number,
    parent?: Run["parent"],
    idem?: string,
  ): Rec & { t: "run" } {
    return { t: "run", id: ulid(now), fnId: fn.id, appId: fn.appId, event, at: now, parent, idem };
  }

  startRun(run: Run): void {
    armRunTimeouts(this, run);
    this.enqueueDiscovery(run);
  }

  async finishRun(
    run: Run,
    status: RunStatus,
    result: { output?: unknown; error?: SerializedError },
  ): Promise<void> {
    if (!this.store.isActive(run)) return;
    const now = Date.now();
    for (const p of run.pending.values())
      if (p.kind === "WaitForEvent" && p.event) this.waits.get(p.event)?.delete(`${run.id} ${p.hash}`);
    const recs: Rec[] = [
      { t: "end", runId: run.id, status, output: result.output, error: result.error, at: now },
    ];
    const parent = run.parent ? this.store.runs.get(run.parent.runId) : undefined;
    const slot = parent && run.parent ? parent.pending.get(run.parent.hash) : undefined;
    const resumeParent = parent && slot?.childRunId === run.id && this.store.isActive(parent);
    if (parent && run.parent && resumeParent) {
      const s = parent.steps.get(run.parent.hash);
      recs.push({
        t: "step",
        runId: parent.id,
        hash: run.parent.hash,
        id: s?.id ?? run.parent.hash,
        name: s?.name ?? run.parent.hash,
        op: "InvokeFunction",
        memo: childMemo({ ...run, status, output: result.output, error: result.error }),
        failed: status !== "Completed",
        at: now,
      });
    }
    this.limitsCache.delete(run.id);
    await this.commit(...recs);
    const took = fmtMs(now - (run.startedAt ?? run.queuedAt));
    if (status === "Completed") this.log(`run ${run.id} ${run.fnId} completed in ${took}`);
    else if (status === "Failed")
      this.log(`run ${run.id} ${run.fnId} failed after ${took}: ${errText(result.error)}`);
    else
      this.log(
        `run ${run.id} ${run.fnId} cancelled after ${took}${result.error ? `: ${result.error.message}` : ""}`,
      );
    if (parent && resumeParent) this.resumeAfter(parent, slot);
    void emitInternal(this, run, status, result);
  }

  close(): void {
    this.closed = true;
    this.scheduler.close();
    this.caller.close();
    this.crons.close();
  }
}
