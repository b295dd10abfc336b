/**
 * Who may cancel or retry a batch. The batch id is shareable (it is the result page URL), so it can't be
 * the secret: the creator gets an owner token, an HMAC of the id under the app secret, returned to API
 * clients (and, for batches made through the API, set as a per-batch cookie). ADMIN_TOKEN (a bearer) may
 * manage any batch.
 *
 * A browser instead holds one random key (BROWSER_KEY_COOKIE) for every batch it makes: those batches'
 * ids end in a tag only that key and the app secret give, so ownership is checked without storing
 * anything, and the browser's cookies do not grow by one per batch (browsers keep about 180 per site
 * and drop the oldest; Node refuses request headers over 16 kB).
 */
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { adminTokenDecision, bearerToken, sameText, type AccessDecision } from "@/lib/access";
import { passwordThrottle } from "@/lib/access-throttle";
import { newId } from "@/lib/db/ids";
import { isEmbedded } from "@/lib/mode";
import { EnvError } from "@/lib/errors";

let cached: Buffer | null = null;

/**
 * APP_SECRET, else (embedded mode) a random secret kept in the data dir so tokens survive restarts.
 * Also keys the studio session cookie (lib/access.ts). Production against a shared database or blob
 * store must set it (appSecretProblem): there each instance would make its own, or fail on a read-only disk.
 */
export function appSecret(): Buffer {
  if (cached) return cached;
  const problem = appSecretProblem(process.env);
  if (problem) throw new EnvError([{ variable: "APP_SECRET", message: problem }]);
  const fromEnv = process.env.APP_SECRET?.trim();
  if (fromEnv) return (cached = Buffer.from(fromEnv));
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

/**
 * What is wrong with APP_SECRET, or null. Unset is fine on one machine (a secret is made in the data dir),
 * not in production mode with DATABASE_URL or BLOB_READ_WRITE_TOKEN: such a deployment may run many
 * instances (serverless), which must share one secret, and their disks may be read-only.
 */
export function appSecretProblem(env: Readonly<Record<string, string | undefined>>): string | null {
  const value = env.APP_SECRET?.trim();
  if (!value) {
    const remote = env.DATABASE_URL?.trim() || env.BLOB_READ_WRITE_TOKEN?.trim();
    if (!remote || isEmbedded(env)) return null;
    return "APP_SECRET must be set in production mode (DATABASE_URL or BLOB_READ_WRITE_TOKEN is set): at least 16 random characters, the same on every instance";
  }
  if (value.length >= 16) return null;
  return `APP_SECRET must be at least 16 characters, got ${value.length}`;
}

export function ownerToken(batchId: string): string {
  return createHmac("sha256", appSecret()).update(`owner:${batchId}`).digest("base64url");
}

export const ownerCookieName = (batchId: string) => `owner_${batchId}`;

/**
 * The unguessable part of a later take's stored key (lib/storage/keys.ts): the same for every attempt at
 * the take, so a retry overwrites its file; 96 bits no one without the app secret can work out.
 */
export function takeKeyTag(batchId: string, promptIndex: number, modelId: string, take: number): string {
  return createHmac("sha256", appSecret())
    .update(`take-key:${batchId}:${promptIndex}:${modelId}:${take}`)
    .digest("base64url")
    .slice(0, 16);
}

/** The cookie holding a browser's key to the batches it made. */
export const BROWSER_KEY_COOKIE = "studio_owner";

/** A new browser key: 256 random bits. */
export const newBrowserKey = () => randomBytes(32).toString("base64url");

const RANDOM_PART = 22;

function creatorTag(key: string, random: string): string {
  return createHmac("sha256", appSecret())
    .update(`creator:${key}:${random}`)
    .digest("base64url")
    .slice(0, 11);
}

/** A new batch id for the browser holding `key`: 128 random bits (as newId), then a 66-bit tag. */
export function ownedBatchId(key: string): string {
  const random = newId();
  return random + creatorTag(key, random);
}

/** True when `batchId` was made for the browser holding `key`. */
export function madeFor(batchId: string, key: string): boolean {
  if (batchId.length !== RANDOM_PART + 11 || !key) return false;
  return sameText(batchId.slice(RANDOM_PART), creatorTag(key, batchId.slice(0, RANDOM_PART)));
}

/**
 * Granted when the request carries this batch's owner token (per-batch cookie or bearer), the key of the
 * browser that made it, or the admin token. A bearer that is neither counts as a guess of ADMIN_TOKEN
 * (lib/access.ts), as everywhere the token is taken: these routes are public, and a batch's owner view
 * would otherwise tell a guesser when the token is right.
 */
export function manageDecision(
  batchId: string,
  headers: Headers,
  cookieValue: string | undefined,
  browserKey?: string,
): AccessDecision {
  if (browserKey && madeFor(batchId, browserKey)) return { granted: true };
  const expected = ownerToken(batchId);
  if (cookieValue && sameText(cookieValue, expected)) return { granted: true };
  const auth = bearerToken(headers);
  if (auth && sameText(auth, expected)) return { granted: true };
  return adminTokenDecision(auth, process.env.ADMIN_TOKEN?.trim(), passwordThrottle(headers));
}

export function canManage(
  batchId: string,
  headers: Headers,
  cookieValue: string | undefined,
  browserKey?: string,
): boolean {
  return manageDecision(batchId, headers, cookieValue, browserKey).granted;
}
