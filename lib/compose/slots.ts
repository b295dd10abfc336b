import { availableParallelism } from "node:os";
import { numberSetting } from "@/lib/number-setting";

/**
 * How many images are composed at once in this process. A batch's leaves reach the compose step in
 * bursts (every provider answer that lands at once), and libuv runs sharp's work first come, first
 * served: a hundred composes started together meant a hundred decodes before the first encode, each
 * holding its decoded canvas (2–3 MB) the while. The cores are busy with a few anyway, so the rest
 * wait their turn here, holding only the provider's compressed bytes. COMPOSE_CONCURRENCY overrides
 * the default (the number of cores, at least 2).
 */
export class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Resolves when a slot is free; call the returned function to give it back (once). */
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so `active` never drops and rises again.
      if (next) next();
      else this.active--;
    };
  }

  get queued(): number {
    return this.waiting.length;
  }
}

export function composeConcurrency(env: Record<string, string | undefined> = process.env): number {
  return (
    numberSetting(env, "COMPOSE_CONCURRENCY", { min: 1, max: 64 }) ?? Math.max(2, availableParallelism())
  );
}

let shared: Slots | null = null;

/** The process's compose slots, sized on first use. */
export function composeSlots(): Slots {
  return (shared ??= new Slots(composeConcurrency()));
}
