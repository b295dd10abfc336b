/**
 * A ceiling on wrong studio passwords: once `limit` attempts have failed within the last minute,
 * password checks stop (sign-in form, `X-Studio-Password`, a bearer password, and ADMIN_TOKEN wherever
 * it is taken: the gate, the owner controls and reads, gallery deletion) and the caller is told when to
 * try again. One window per process for every caller: without a trusted
 * proxy the client's address can be forged (X-Forwarded-For), so a per-address count would let a
 * guesser rotate addresses. Browsers already signed in are never affected (their cookie is checked
 * first), so an attack costs only new sign-ins while it lasts, and at 10 a minute a long random
 * password is out of reach.
 */
export const FAILED_PASSWORDS_PER_MINUTE = 10;
const WINDOW_MS = 60_000;

export class PasswordThrottle {
  private failures: number[] = [];

  constructor(private readonly limit = FAILED_PASSWORDS_PER_MINUTE) {}

  /** Milliseconds until a password may be checked again; 0 when it may be now. */
  waitMs(now = Date.now()): number {
    this.prune(now);
    if (this.failures.length < this.limit) return 0;
    return this.failures[this.failures.length - this.limit]! + WINDOW_MS - now;
  }

  fail(now = Date.now()): void {
    this.prune(now);
    this.failures.push(now);
    // Only the newest `limit` matter for waitMs.
    if (this.failures.length > this.limit) this.failures.splice(0, this.failures.length - this.limit);
  }

  private prune(now: number): void {
    let old = 0;
    while (old < this.failures.length && this.failures[old]! <= now - WINDOW_MS) old++;
    if (old) this.failures.splice(0, old);
  }
}

/**
 * The process-wide window the proxy, route handlers, actions and the sign-in form share: kept on
 * globalThis because Next bundles the proxy and the routes as separate module instances.
 */
const KEY = Symbol.for("thumbnail-studio.password-throttle");
export function passwordThrottle(): PasswordThrottle {
  const global = globalThis as { [KEY]?: PasswordThrottle };
  return (global[KEY] ??= new PasswordThrottle());
}

export function tooManyAttemptsMessage(waitMs: number): string {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return `Too many wrong studio passwords or admin tokens in the last minute: try again in ${seconds} s.`;
}

/** The API's usual error shape, 429 with Retry-After. */
export function tooManyAttemptsResponse(waitMs: number): Response {
  return Response.json(
    { error: tooManyAttemptsMessage(waitMs), issues: [] },
    {
      status: 429,
      headers: { "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))), "cache-control": "no-store" },
    },
  );
}
