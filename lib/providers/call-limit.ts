/**
 * Provider calls in flight from this process, adapting to what the provider accepts. The workflow's
 * concurrency limit (PROVIDER_CONCURRENCY_*) is fixed; an account may take fewer calls at once, and
 * answers the rest with 429 at once. Each such refusal costs a cell one of its tries, and the freed slot
 * goes straight to another cell's try, which is refused too: a batch of hundreds then failed mostly on
 * rate limits. So a rate-limit answer lowers this process's limit to one below the calls then in flight,
 * and each run of successes four times as long as the limit raises it by one, up to the configured
 * concurrency.
 * A call past the limit waits here, before its attempt is logged or its cell shows as running.
 *
 * Per process: on a host running several copies of the app, each adapts on its own.
 */
import type { ProviderId } from "./types";

/**
 * Successes in a row, per call of the limit, before it is raised by one: each raise is a probe the
 * provider may refuse (one try of one cell), so it comes after a few rounds of calls at the limit.
 */
const PROBE_AFTER = 4;

export interface CallPermit {
  /** The provider answered with a picture. */
  succeeded(): void;
  /** The provider refused the call for its rate limit (429). */
  rateLimited(): void;
  /** The call is over (whatever the outcome); idempotent. */
  release(): void;
}

export class CallLimit {
  #limit: number;
  #inFlight = 0;
  #streak = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly max: number) {
    this.#limit = max;
  }

  /** Calls the provider is currently thought to take at once. */
  get limit(): number {
    return this.#limit;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * A permit for one call: at once while under the limit, else when one ends. After `maxWaitMs` the
   * call goes ahead anyway, so no step waits here without end (the provider may then refuse it).
   */
  acquire(maxWaitMs: number): Promise<CallPermit> {
    if (this.#inFlight < this.#limit && this.#waiting.length === 0) return Promise.resolve(this.#grant());
    return new Promise((resolve) => {
      const start = () => {
        clearTimeout(timer);
        resolve(this.#grant());
      };
      const timer = setTimeout(() => {
        const at = this.#waiting.indexOf(start);
        if (at >= 0) this.#waiting.splice(at, 1);
        resolve(this.#grant());
      }, maxWaitMs);
      timer.unref();
      this.#waiting.push(start);
    });
  }

  #grant(): CallPermit {
    this.#inFlight += 1;
    let released = false;
    return {
      succeeded: () => {
        this.#streak += 1;
        if (this.#streak >= PROBE_AFTER * this.#limit && this.#limit < this.max) {
          this.#limit += 1;
          this.#streak = 0;
        }
      },
      rateLimited: () => {
        // The calls out when the provider said no (this one included) were one too many.
        this.#limit = Math.max(1, Math.min(this.#limit, this.#inFlight - 1));
        this.#streak = 0;
      },
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight -= 1;
        while (this.#inFlight < this.#limit && this.#waiting.length > 0) this.#waiting.shift()!();
      },
    };
  }
}

// On globalThis: Next may bundle this module into more than one route, and the counts are the process's.
const registry = globalThis as typeof globalThis & { __providerCallLimits?: Map<ProviderId, CallLimit> };
const limits = (registry.__providerCallLimits ??= new Map<ProviderId, CallLimit>());

/**
 * Provider calls this process has out or waiting to go out, all providers together: what a graceful
 * stop waits for (a call that went out after the engine stopped is still recorded, and reused later).
 */
export function providerCallsInFlight(): number {
  let n = 0;
  for (const limit of limits.values()) n += limit.inFlight + limit.waiting;
  return n;
}

/** This process's limit for `provider`, made at its configured concurrency on first use. */
export function callLimit(provider: ProviderId, concurrency: () => number): CallLimit {
  let limit = limits.get(provider);
  if (!limit) {
    limit = new CallLimit(concurrency());
    limits.set(provider, limit);
  }
  return limit;
}
