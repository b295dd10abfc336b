/**
 * Dispatch queue. Ready items are ordered by (depth, sortKey, seq): runs deeper in an invoke tree
 * first, so work already started finishes before more is started (when calls are limited, a batch
 * of thousands of titles makes its first images instead of first starting every title), then the
 * run's queue time shifted by its priority, so older / higher-priority runs progress first. An item starts only when every
 * concurrency bucket it belongs to has room; a run's first item also passes its throttle.
 * Key queues take turns: the items of a function with keyed concurrency and no throttle form one queue
 * per key value (e.g. per batch), and when one of them may start, the earliest item of that function's
 * queue whose last start (of any item: a call or a step) is oldest starts instead, so a long backlog
 * under one key does not hold back another key's work (Inngest's key queues). So depth and priority
 * order work within a key queue, and between queues only where their last starts tie (never started).
 * Calls run concurrently: nothing here awaits an item before starting the next one.
 */
export interface WorkItem {
  runId: string;
  kind: "discovery" | "step";
  hash?: string;
  attempt: number;
  /** Invoke parents above the run (0 for a run started by an event). */
  depth: number;
  sortKey: number;
  seq: number;
  readyAt: number;
}

export interface Limits {
  buckets: { id: string; limit: number }[];
  throttle?: { id: string; limit: number; periodMs: number };
  /** The item's key queue: its function's keyed concurrency buckets (see the file comment). */
  queue?: { fn: string; id: string };
}

function before(a: WorkItem, b: WorkItem): boolean {
  if (a.depth !== b.depth) return a.depth > b.depth;
  if (a.sortKey !== b.sortKey) return a.sortKey < b.sortKey;
  return a.seq < b.seq;
}

export class Scheduler {
  private ready: WorkItem[] = [];
  private running = new Map<string, number>();
  /** Per key queue, when its last item started (a counter; see turn() in pump) and how many run. */
  private queueTurns = new Map<string, number>();
  private queueRunning = new Map<string, number>();
  private turns = 0;
  private throttleLog = new Map<string, number[]>();
  private timers = new Set<NodeJS.Timeout>();
  private pumpQueued = false;
  private seq = 0;
  private closed = false;
  inFlight = 0;

  constructor(
    /** Returns null when the item is stale (run gone or finished): it is dropped. */
    private readonly limitsOf: (item: WorkItem) => Limits | null,
    private readonly exec: (item: WorkItem) => Promise<void>,
  ) {}

  enqueue(item: Omit<WorkItem, "seq" | "readyAt">, delayMs = 0): void {
    if (this.closed) return;
    const full: WorkItem = { ...item, seq: this.seq++, readyAt: Date.now() + delayMs };
    if (delayMs > 0) this.after(delayMs, () => this.insert(full));
    else this.insert(full);
  }

  /** setTimeout that survives delays beyond the 24.8-day timer limit and is cleared on close. */
  after(ms: number, fn: () => void): void {
    if (this.closed) return;
    const step = Math.min(ms, 2 ** 31 - 1);
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        if (ms > step) this.after(ms - step, fn);
        else fn();
      },
      Math.max(0, step),
    );
    this.timers.add(t);
  }

  get queued(): number {
    return this.ready.length;
  }

  private insert(item: WorkItem): void {
    let lo = 0;
    let hi = this.ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.ready[mid];
      if (m && before(m, item)) lo = mid + 1;
      else hi = mid;
    }
    this.ready.splice(lo, 0, item);
    this.schedulePump();
  }

  schedulePump(): void {
    if (this.pumpQueued || this.closed) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    const now = Date.now();
    const full = new Set<string>();
    const keep: WorkItem[] = [];
    const started = new Set<WorkItem>();
    let wakeAt = Infinity;
    const limitsAt = new Map<WorkItem, Limits | null>();
    // Per function with key queues: each queue's items, in order.
    const queues = new Map<string, Map<string, WorkItem[]>>();
    for (const item of this.ready) {
      const limits = this.limitsOf(item);
      limitsAt.set(item, limits);
      if (!limits?.queue) continue;
      let byId = queues.get(limits.queue.fn);
      if (!byId) queues.set(limits.queue.fn, (byId = new Map()));
      const items = byId.get(limits.queue.id);
      if (items) items.push(item);
      else byId.set(limits.queue.id, [item]);
    }
    /** Per key queue, how many of its items (in order) were started in this pump. */
    const taken = new Map<string, number>();
    const hasRoom = (limits: Limits) => {
      if (!limits.buckets.some((b) => full.has(b.id) || (this.running.get(b.id) ?? 0) >= b.limit))
        return true;
      for (const b of limits.buckets) if ((this.running.get(b.id) ?? 0) >= b.limit) full.add(b.id);
      return false;
    };
    /**
     * The earliest waiting item, if it can start, of the function's key queue that started an item
     * longest ago (or never): the queues take turns, whatever the limit.
     */
    const turn = (fn: string): WorkItem | null => {
      let best: { item: WorkItem; last: number } | null = null;
      for (const [id, items] of queues.get(fn) ?? []) {
        let at = taken.get(id) ?? 0;
        while (at < items.length && started.has(items[at]!)) at++;
        taken.set(id, at);
        const head = items[at];
        const limits = head && limitsAt.get(head);
        if (!head || !limits || !hasRoom(limits)) continue;
        const last = this.queueTurns.get(id) ?? -1;
        if (!best || last < best.last || (last === best.last && before(head, best.item)))
          best = { item: head, last };
      }
      return best?.item ?? null;
    };
    for (const item of this.ready) {
      if (started.has(item)) continue;
      const limits = limitsAt.get(item);
      if (!limits) continue;
      if (!hasRoom(limits)) {
        keep.push(item);
        continue;
      }
      if (limits.throttle) {
        const t = limits.throttle;
        const log = (this.throttleLog.get(t.id) ?? []).filter((x) => now - x < t.periodMs);
        this.throttleLog.set(t.id, log);
        if (log.length >= t.limit) {
          wakeAt = Math.min(wakeAt, (log[0] ?? now) + t.periodMs);
          keep.push(item);
          continue;
        }
        log.push(now);
      } else if (limits.queue) {
        // One item of this function starts here: this one, or another key queue's if it is that one's turn.
        const next = turn(limits.queue.fn);
        if (next && next !== item) {
          started.add(next);
          this.start(next, limitsAt.get(next)!);
          keep.push(item);
          continue;
        }
      }
      started.add(item);
      this.start(item, limits);
    }
    this.ready = keep.filter((item) => !started.has(item));
    // Forget the turns of key queues with nothing waiting or running (every batch has its own).
    if (this.queueTurns.size > 1000) {
      const waiting = new Set([...queues.values()].flatMap((byId) => [...byId.keys()]));
      for (const id of this.queueTurns.keys())
        if (!waiting.has(id) && !this.queueRunning.has(id)) this.queueTurns.delete(id);
    }
    if (wakeAt !== Infinity) this.after(Math.max(1, wakeAt - now), () => this.schedulePump());
  }

  private start(item: WorkItem, limits: Limits): void {
    for (const b of limits.buckets) this.running.set(b.id, (this.running.get(b.id) ?? 0) + 1);
    const queue = limits.queue?.id;
    if (queue) {
      this.queueTurns.set(queue, this.turns++);
      this.queueRunning.set(queue, (this.queueRunning.get(queue) ?? 0) + 1);
    }
    this.inFlight++;
    void this.exec(item)
      .catch(() => {})
      .finally(() => {
        this.inFlight--;
        for (const b of limits.buckets) {
          const n = (this.running.get(b.id) ?? 1) - 1;
          if (n <= 0) this.running.delete(b.id);
          else this.running.set(b.id, n);
        }
        if (queue) {
          const n = (this.queueRunning.get(queue) ?? 1) - 1;
          if (n <= 0) this.queueRunning.delete(queue);
          else this.queueRunning.set(queue, n);
        }
        this.schedulePump();
      });
  }

  /** Max over buckets of items executing now, for tests and /health. */
  runningByBucket(): Record<string, number> {
    return Object.fromEntries(this.running);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.ready = [];
  }
}
