/**
 * A ceiling on wrong studio passwords: once `limit` attempts have failed within the last minute,
 * password checks stop (sign-in form, `X-Studio-Password`, a bearer password, and ADMIN_TOKEN wherever
 * it is taken: the gate, the owner controls and reads, gallery deletion) and the caller is told when to
 * try again.
 *
 * Whose attempts count together depends on whether the client's address can be trusted. Without a
 * trusted proxy it can be forged (X-Forwarded-For), so a per-address count would let a guesser rotate
 * addresses: then one window per process counts every caller, and an attack costs new sign-ins while it
 * lasts (browsers already signed in are never affected: their cookie is checked first). Where a proxy
 * sets a header clients cannot (CLIENT_IP_HEADER, or x-real-ip on Vercel), each address gets its own
 * window, so a guesser holds off only itself, and all addresses together get a ceiling ten times as high,
 * which still keeps a long random password out of reach of many addresses at once.
 */
export const FAILED_PASSWORDS_PER_MINUTE = 10;
const WINDOW_MS = 60_000;

/** What the access checks need of a throttle: how long to wait, and counting a wrong password. */
export interface Throttle {
  /** Milliseconds until a password may be checked again; 0 when it may be now. */
  waitMs(now?: number): number;
  fail(now?: number): void;
}

export class PasswordThrottle implements Throttle {
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

  /** Whether no failure is left in the window. */
  idle(now = Date.now()): boolean {
    this.prune(now);
    return this.failures.length === 0;
  }

  private prune(now: number): void {
    let old = 0;
    while (old < this.failures.length && this.failures[old]! <= now - WINDOW_MS) old++;
    if (old) this.failures.splice(0, old);
  }
}

/** Wrong passwords from every address together, per minute, where addresses have windows of their own. */
export const FAILED_PASSWORDS_PER_MINUTE_ALL = 10 * FAILED_PASSWORDS_PER_MINUTE;
/** Addresses remembered at most; past it, those whose windows are empty are forgotten first. */
const MAX_ADDRESSES = 10_000;

/**
 * The header holding the client's address as a trusted proxy set it, or null when there is none (then
 * every caller shares one window). On Vercel the platform sets x-real-ip itself.
 */
export function clientAddressHeader(env: Readonly<Record<string, string | undefined>>): string | null {
  const named = env.CLIENT_IP_HEADER?.trim().toLowerCase();
  if (named) return named;
  return env.VERCEL?.trim() === "1" ? "x-real-ip" : null;
}

/** What is wrong with CLIENT_IP_HEADER, or null. */
export function clientAddressHeaderProblem(env: Readonly<Record<string, string | undefined>>): string | null {
  const named = env.CLIENT_IP_HEADER?.trim();
  if (!named || /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(named)) return null;
  return `CLIENT_IP_HEADER must be an HTTP header name (e.g. x-real-ip), got "${named}"`;
}

/** The windows of one process: one shared, and one per trusted address with a shared ceiling. */
class Windows {
  readonly shared = new PasswordThrottle(FAILED_PASSWORDS_PER_MINUTE);
  readonly all = new PasswordThrottle(FAILED_PASSWORDS_PER_MINUTE_ALL);
  private readonly byAddress = new Map<string, PasswordThrottle>();

  of(address: string): PasswordThrottle {
    let window = this.byAddress.get(address);
    if (!window) {
      if (this.byAddress.size >= MAX_ADDRESSES) this.forgetIdle();
      window = new PasswordThrottle(FAILED_PASSWORDS_PER_MINUTE);
      this.byAddress.set(address, window);
    }
    return window;
  }

  private forgetIdle(now = Date.now()): void {
    for (const [address, window] of this.byAddress) if (window.idle(now)) this.byAddress.delete(address);
    // Still full of live windows (a flood of addresses): the oldest go; the ceiling still holds.
    for (const address of this.byAddress.keys()) {
      if (this.byAddress.size < MAX_ADDRESSES) break;
      this.byAddress.delete(address);
    }
  }
}

/**
 * The process's windows, shared by the proxy, route handlers, actions and the sign-in form: kept on
 * globalThis because Next bundles the proxy and the routes as separate module instances.
 */
const KEY = Symbol.for("thumbnail-studio.password-throttle-windows");
function windows(): Windows {
  const global = globalThis as { [KEY]?: Windows };
  return (global[KEY] ??= new Windows());
}

/**
 * The throttle for a request: its address's window under the ceiling for all addresses when a trusted
 * proxy names the address (clientAddressHeader), else the one window every caller shares.
 */
export function passwordThrottle(
  headers?: Pick<Headers, "get"> | null,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Throttle {
  const w = windows();
  const header = clientAddressHeader(env);
  const address = header ? headers?.get(header)?.split(",")[0]?.trim().toLowerCase() : undefined;
  if (!address) return w.shared;
  const own = w.of(address);
  return {
    waitMs: (now = Date.now()) => Math.max(own.waitMs(now), w.all.waitMs(now)),
    fail: (now = Date.now()) => {
      own.fail(now);
      w.all.fail(now);
    },
  };
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
