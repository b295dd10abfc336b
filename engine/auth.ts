import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Keys that make the engine behave like Inngest Cloud: requests to the app are signed, and the SDK's
 * calls back (register, checkpoints, REST API) must carry the signing key. With no signing key the
 * engine acts as a dev server and neither signs nor checks anything.
 */
export interface EngineKeys {
  signingKey?: string;
  /** Accepted as well (key rotation); the engine always signs with `signingKey`. */
  signingKeyFallback?: string;
  /** When set, `POST /e/:key` accepts only this key. */
  eventKey?: string;
}

const PREFIX = /^signkey-\w+-/;

/** Why a signing key is unusable, or undefined when it is fine. The SDK hashes the part after the prefix as hex. */
export function signingKeyProblem(key: string): string | undefined {
  const raw = key.replace(PREFIX, "");
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(raw))
    return "must be hex (an even number of 0-9a-f digits), optionally after a signkey-<env>- prefix";
  if (raw.length < 32) return "must have at least 32 hex digits";
  return undefined;
}

/** The SDK's canonical JSON (sorted keys, no spaces): what it hashes after parsing the request body. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(obj).sort()) {
    if (obj[k] === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * `X-Inngest-Signature` for a request body as Inngest Cloud sends it: `t=<unix s>&s=<hex>`, the
 * HMAC-SHA256 (keyed by the key without its `signkey-<env>-` prefix) of the canonical JSON of the
 * body followed by the timestamp. A request without a body (GET) signs the empty string.
 */
export function signRequest(body: string, signingKey: string, nowMs = Date.now()): string {
  const data = body === "" ? "" : canonicalJson(JSON.parse(body));
  const t = String(Math.round(nowMs / 1000));
  const s = createHmac("sha256", signingKey.replace(PREFIX, ""))
    .update(data + t)
    .digest("hex");
  return `t=${t}&s=${s}`;
}

/** The bearer token the SDK sends to the API: the prefix, then the SHA-256 of the key's hex bytes. */
export function hashSigningKey(signingKey: string): string {
  const prefix = PREFIX.exec(signingKey)?.[0] ?? "";
  const bytes = Buffer.from(signingKey.replace(PREFIX, ""), "hex");
  return prefix + createHash("sha256").update(bytes).digest("hex");
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * True when `authorization` carries one of the engine's signing keys: hashed as the SDK sends it, or
 * the plain key as Inngest's REST API also accepts it. Always true without a signing key (dev mode).
 */
export function bearerAllowed(authorization: string | undefined, keys: EngineKeys): boolean {
  if (!keys.signingKey) return true;
  const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
  if (!given) return false;
  return [keys.signingKey, keys.signingKeyFallback]
    .filter((k): k is string => !!k)
    .some((k) => same(given, hashSigningKey(k)) || same(given, k));
}

/** True when `/e/:key` may ingest with this key: any key unless the engine was given one. */
export function eventKeyAllowed(key: string, keys: EngineKeys): boolean {
  return !keys.eventKey || same(key, keys.eventKey);
}
