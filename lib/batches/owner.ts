/**
 * Who may cancel or retry a batch. The batch id is shareable (it is the result page URL), so it can't be
 * the secret: the creator gets an owner token, an HMAC of the id under the app secret, set as a cookie
 * in the browser and returned to API clients. ADMIN_TOKEN (a bearer) may manage any batch.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

let cached: Buffer | null = null;

/**
 * APP_SECRET, else (embedded mode) a random secret kept in the data dir so tokens survive restarts.
 * Also keys the studio session cookie (lib/access.ts).
 */
export function appSecret(): Buffer {
  if (cached) return cached;
  const fromEnv = process.env.APP_SECRET?.trim();
  if (fromEnv) {
    if (fromEnv.length < 16) throw new Error("APP_SECRET must be at least 16 characters");
    return (cached = Buffer.from(fromEnv));
  }
  const file = path.resolve(process.env.DATA_DIR?.trim() || ".data", "app-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString("hex"), { flag: "wx", mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  return (cached = Buffer.from(readFileSync(file, "utf8").trim()));
}

export function ownerToken(batchId: string): string {
  return createHmac("sha256", appSecret()).update(`owner:${batchId}`).digest("base64url");
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const ownerCookieName = (batchId: string) => `owner_${batchId}`;

/** True when the request carries this batch's owner token (cookie or bearer) or the admin token. */
export function canManage(batchId: string, headers: Headers, cookieValue: string | undefined): boolean {
  const expected = ownerToken(batchId);
  if (cookieValue && same(cookieValue, expected)) return true;
  const auth = headers
    .get("authorization")
    ?.match(/^Bearer\s+(.+)$/i)?.[1]
    ?.trim();
  if (!auth) return false;
  const admin = process.env.ADMIN_TOKEN?.trim();
  return same(auth, expected) || (!!admin && same(auth, admin));
}
