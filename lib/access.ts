/**
 * The optional studio password (STUDIO_PASSWORD): which paths a stranger may reach, the signed-in
 * cookie, and the credentials an API client may send instead. Pure (no env, no files): the proxy,
 * route handlers and server actions pass the password and the app secret in (see access-request.ts).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { tooManyAttemptsResponse, type Throttle } from "./access-throttle";

export const SESSION_COOKIE = "studio_session";
/** The CLI sends the password here so `Authorization` stays free for a batch's owner token. */
export const PASSWORD_HEADER = "x-studio-password";
export const SESSION_MAX_AGE_S = 60 * 60 * 24 * 30;

/**
 * The configured password, or null when the gate is off (unset or empty, the default). A value of only
 * spaces is a mistake `npm start` refuses (studioPasswordProblem); a server started some other way keeps
 * the gate on with it as typed, rather than opening the studio to everyone.
 */
export function studioPassword(env: Readonly<Record<string, string | undefined>>): string | null {
  const raw = env.STUDIO_PASSWORD;
  if (!raw) return null;
  return raw.trim() || raw;
}

/** What is wrong with STUDIO_PASSWORD (set, but to nothing but spaces), or null. */
export function studioPasswordProblem(env: Readonly<Record<string, string | undefined>>): string | null {
  const raw = env.STUDIO_PASSWORD;
  if (!raw || raw.trim()) return null;
  return "STUDIO_PASSWORD is set to only spaces, which no one can send; set a real password, or leave it unset (empty) for an open studio";
}

/**
 * "public": anyone (shareable results, files, health, Inngest, Next's assets, sign-in itself).
 * "page" / "api": needs a session; a page answers with a redirect to /signin, an API with 401 JSON.
 * Everything not listed as public is private, so a new route is gated until someone decides otherwise.
 */
export type PathAccess = "public" | "page" | "api";

const BATCH = "[^/]+";
/** Owner controls keep their own rule (owner token or ADMIN_TOKEN): they only act on an existing batch. */
const PUBLIC_API: [method: string | null, pattern: RegExp][] = [
  ["GET", new RegExp(`^/api/batches/${BATCH}$`)],
  ["GET", new RegExp(`^/api/batches/${BATCH}/(events|contact-sheet|zip)$`)],
  ["POST", new RegExp(`^/api/batches/${BATCH}/(cancel|retry|resume|resend)$`)],
  ["GET", /^\/api\/download\/[^/]+$/],
  [null, /^\/api\/blob\/.+/],
  ["GET", /^\/api\/health$/],
  [null, /^\/api\/inngest$/],
];

export function classifyPath(method: string, pathname: string): PathAccess {
  const m = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  if (path === "/api" || path.startsWith("/api/")) {
    const open = PUBLIC_API.some(([want, re]) => (want === null || want === m) && re.test(path));
    return open ? "public" : "api";
  }
  if (path.startsWith("/_next/")) return "public";
  // The share page stays public; its restyle action (a POST here) checks access itself.
  if (new RegExp(`^/b/${BATCH}$`).test(path)) return "public";
  if (path === "/signin" || path === "/signout") return "public";
  if (path === "/favicon.ico" || path === "/icon.svg" || path === "/robots.txt" || path.startsWith("/fonts/"))
    return "public";
  return "page";
}

function macKey(password: string, secret: Buffer): Buffer {
  return Buffer.concat([secret, Buffer.from([0]), Buffer.from(password, "utf8")]);
}

/** Epoch 0 signs as before epochs existed, so cookies from then stay valid until the first raise. */
function sessionMac(password: string, secret: Buffer, expires: number, epoch: number): string {
  const what = epoch === 0 ? `studio-session:v1:${expires}` : `studio-session:v2:${epoch}:${expires}`;
  return createHmac("sha256", macKey(password, secret)).update(what).digest("base64url");
}

/**
 * `<expiry seconds>.<mac>`, the mac over the session epoch too (lib/session-epoch.ts): a changed password
 * or app secret, or a raised epoch ("sign out everywhere"), invalidates every cookie at once.
 */
export function signSession(password: string, secret: Buffer, now = Date.now(), epoch = 0): string {
  const expires = Math.floor(now / 1000) + SESSION_MAX_AGE_S;
  return `${expires}.${sessionMac(password, secret, expires, epoch)}`;
}

export function verifySession(
  value: string | undefined | null,
  password: string,
  secret: Buffer,
  now = Date.now(),
  epoch = 0,
): boolean {
  const match = value?.match(/^(\d{1,12})\.([A-Za-z0-9_-]{43})$/);
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires * 1000 <= now) return false;
  return sameText(match[2] ?? "", sessionMac(password, secret, expires, epoch));
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function sameText(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(headers: Pick<Headers, "get">): string | null {
  return (
    headers
      .get("authorization")
      ?.match(/^Bearer\s+(.+)$/i)?.[1]
      ?.trim() || null
  );
}

export interface AccessConfig {
  password: string | null;
  secret: Buffer;
  /** The operator's ADMIN_TOKEN also opens the gate (it already may delete and manage anything). */
  adminToken?: string | null;
  /** Counts wrong passwords and refuses to check more past its limit (see access-throttle.ts). */
  throttle?: Throttle;
  /** The session epoch cookies must be signed with (default 0); null when it cannot be read: none passes. */
  epoch?: number | null;
}

/** Denied with `retryAfterMs` > 0: a password was sent but not checked, too many were wrong lately. */
export type AccessDecision = { granted: true } | { granted: false; retryAfterMs: number };

const GRANTED: AccessDecision = { granted: true };
const DENIED: AccessDecision = { granted: false, retryAfterMs: 0 };

/**
 * A bearer checked against ADMIN_TOKEN, wherever the token is taken (the gate, the owner controls and reads,
 * gallery deletion): in constant time, and guesses count with wrong passwords in `throttle`, so the
 * token cannot be guessed faster than the password, through any route (none is checked while they wait).
 * Denied at once, uncounted, when either is missing: without ADMIN_TOKEN there is nothing to guess.
 */
export function adminTokenDecision(
  given: string | null | undefined,
  adminToken: string | null | undefined,
  throttle?: Throttle,
  now = Date.now(),
): AccessDecision {
  if (!given || !adminToken) return DENIED;
  const wait = throttle?.waitMs(now) ?? 0;
  if (wait > 0) return { granted: false, retryAfterMs: wait };
  if (sameText(given, adminToken)) return GRANTED;
  throttle?.fail(now);
  return DENIED;
}

/**
 * Granted when the gate is off, or the request carries the session cookie, `Authorization: Bearer
 * <password or ADMIN_TOKEN>`, or `X-Studio-Password: <password>`. A password or token that does
 * not match counts against the throttle; the cookie never does.
 */
export function accessDecision(
  headers: Pick<Headers, "get">,
  cookie: string | undefined | null,
  config: AccessConfig,
  now = Date.now(),
): AccessDecision {
  const { password, secret, adminToken, throttle, epoch = 0 } = config;
  if (!password) return GRANTED;
  if (epoch !== null && verifySession(cookie, password, secret, now, epoch)) return GRANTED;
  const header = headers.get(PASSWORD_HEADER);
  const bearer = bearerToken(headers);
  if (header === null && !bearer) return DENIED;
  const wait = throttle?.waitMs(now) ?? 0;
  if (wait > 0) return { granted: false, retryAfterMs: wait };
  const matches =
    (header !== null && sameText(header.trim(), password)) ||
    (!!bearer && (sameText(bearer, password) || (!!adminToken && sameText(bearer, adminToken))));
  if (matches) return GRANTED;
  throttle?.fail(now);
  return DENIED;
}

export function hasAccess(
  headers: Pick<Headers, "get">,
  cookie: string | undefined | null,
  config: AccessConfig,
  now = Date.now(),
): boolean {
  return accessDecision(headers, cookie, config, now).granted;
}

/**
 * Where to go after signing in: only a path on this site. Anything else (another origin,
 * protocol-relative `//evil`, backslash tricks, control characters, the sign-in page itself) → "/".
 */
export function safeNext(raw: string | null | undefined): string {
  if (!raw || raw.length > 2000 || !raw.startsWith("/") || /[\\\u0000-\u001f\u007f]/.test(raw)) return "/";
  if (raw.startsWith("//")) return "/";
  let url: URL;
  try {
    url = new URL(raw, "http://studio.invalid");
  } catch {
    return "/";
  }
  if (url.origin !== "http://studio.invalid") return "/";
  if (url.pathname === "/signin" || url.pathname === "/signout") return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

export function signinPath(next: string): string {
  return `/signin?next=${encodeURIComponent(safeNext(next))}`;
}

/** https as the browser sees it: a TLS-terminating proxy says so in X-Forwarded-Proto. */
export function isHttps(headers: Pick<Headers, "get">, url: string): boolean {
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (proto) return proto === "https";
  return url.startsWith("https:");
}

export const UNAUTHORIZED_MESSAGE =
  "This studio is password-protected: sign in at /signin, or send the password as " +
  "`Authorization: Bearer <STUDIO_PASSWORD>` (or `X-Studio-Password: <STUDIO_PASSWORD>`).";

/** The API's usual error shape, 401. */
export function unauthorizedResponse(): Response {
  return Response.json(
    { error: UNAUTHORIZED_MESSAGE, issues: [] },
    {
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="studio"', "cache-control": "no-store" },
    },
  );
}

/** The API's answer to a refused request: 429 while wrong passwords are throttled, else 401. */
export function deniedResponse(decision: Extract<AccessDecision, { granted: false }>): Response {
  return decision.retryAfterMs > 0 ? tooManyAttemptsResponse(decision.retryAfterMs) : unauthorizedResponse();
}

/** One cookie's value from a Cookie header (route handlers get a plain Request). */
export function cookieValue(headers: Pick<Headers, "get">, name: string): string | null {
  for (const part of headers.get("cookie")?.split(";") ?? []) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
