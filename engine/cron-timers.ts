/**
 * Cron triggers: one timer per (function, schedule), armed for the schedule's next minute. When it
 * fires, the function alone gets a run of an `inngest/scheduled.timer` event with `data.cron` set to
 * its schedule, as on Inngest's servers. The event id is derived from the function, the schedule and
 * the minute, so an engine restarted within that minute does not start it twice. A sync keeps the
 * timers of schedules it did not change. Times missed (the engine down, the machine asleep for more
 * than a minute) are not made up: the next run is the next matching minute.
 */
import type { Core } from "./core";
import { nextFire, parseTriggerCron } from "./cron";
import { errText } from "./log";
import type { EngineEvent } from "./types";

/** setTimeout takes at most 2^31 - 1 ms; a longer wait is armed again when that much has passed. */
const MAX_DELAY_MS = 2 ** 31 - 1;
const MINUTE = 60_000;

export const CRON_EVENT = "inngest/scheduled.timer";

export function cronEventId(fnId: string, source: string, at: number): string {
  return `cron-${fnId}-${source}-${at}`;
}

const keyOf = (fnId: string, source: string) => `${fnId}\n${source}`;

export class CronTimers {
  private timers = new Map<string, NodeJS.Timeout>();
  private next = new Map<string, { fnId: string; cron: string; at: number }>();

  constructor(private readonly core: Core) {}

  /**
   * Arms a timer for every cron schedule of the functions now known and drops those of schedules gone
   * (call after the list changes); a schedule already armed keeps its timer.
   */
  refresh(): void {
    if (this.core.closed) return this.close();
    const now = this.core.opts.cronClock();
    const wanted = new Set<string>();
    for (const fn of this.core.store.fns.values()) {
      for (const source of fn.crons ?? []) {
        const key = keyOf(fn.id, source);
        wanted.add(key);
        if (!this.timers.has(key)) this.arm(fn.id, source, now);
      }
    }
    for (const [key, timer] of this.timers) {
      if (wanted.has(key)) continue;
      clearTimeout(timer);
      this.timers.delete(key);
      this.next.delete(key);
    }
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.next.clear();
  }

  /** The next time each (function, schedule) fires, for the read API and tests. */
  upcoming(): { fnId: string; cron: string; at: number }[] {
    return [...this.next.values()];
  }

  private arm(fnId: string, source: string, after: number): void {
    const key = keyOf(fnId, source);
    const at = nextFire(parseTriggerCron(source), after);
    this.next.set(key, { fnId, cron: source, at });
    const wait = (until: number) => {
      const delay = Math.max(0, until - this.core.opts.cronClock());
      const timer = setTimeout(
        () => (delay > MAX_DELAY_MS ? wait(until) : void this.fire(fnId, source, at)),
        Math.min(delay, MAX_DELAY_MS),
      );
      timer.unref();
      this.timers.set(key, timer);
    };
    wait(at);
  }

  private async fire(fnId: string, source: string, at: number): Promise<void> {
    const core = this.core;
    const fn = core.store.fns.get(fnId);
    if (core.closed || !fn?.crons?.includes(source)) return;
    const late = core.opts.cronClock() - at;
    this.arm(fnId, source, Math.max(at, at + late));
    if (late > MINUTE) {
      core.log(`cron "${source}" of ${fnId}: ${Math.round(late / 1000)} s late (asleep?), not started`);
      return;
    }
    const id = cronEventId(fnId, source, at);
    if (core.store.eventIds.has(id)) return;
    const now = Date.now();
    const event: EngineEvent = { id, name: CRON_EVENT, data: { cron: source }, ts: at };
    try {
      const rec = core.newRunRecord(fn, event, now);
      await core.commit({ t: "evt", id, ts: now }, rec);
      const run = core.store.runs.get(rec.id);
      if (run && core.store.isActive(run)) core.startRun(run);
      core.log(`cron "${source}" started run ${rec.id} of ${fnId}`);
    } catch (err) {
      core.log(`cron "${source}" of ${fnId}: could not start a run: ${errText(err)}`);
    }
  }
}
