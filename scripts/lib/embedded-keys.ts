/**
 * The Inngest keys of an embedded install. The web app runs the SDK in cloud mode against the local
 * engine, so every call the engine makes is signed and checked, and nobody who can reach the web port
 * can run functions by posting to /api/inngest. The keys are made once and kept in the data dir (like
 * the app secret), so both processes agree across restarts; an older data dir gets them on first start.
 */
import { randomBytes } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface EmbeddedKeys {
  /** `signkey-local-<64 hex>`: the SDK hashes the hex part, so it must be hex. */
  signingKey: string;
  eventKey: string;
}

export const KEYS_FILE = "inngest-keys.json";

function valid(v: unknown): v is EmbeddedKeys {
  const k = v as Partial<EmbeddedKeys> | null;
  return (
    typeof k?.signingKey === "string" &&
    /^signkey-local-[0-9a-f]{64}$/.test(k.signingKey) &&
    typeof k.eventKey === "string" &&
    /^[0-9a-f]{64}$/.test(k.eventKey)
  );
}

/** Reads the data dir's keys, creating them on first use (atomically: concurrent starts agree). */
export function embeddedKeys(dataDir: string): EmbeddedKeys {
  const file = path.join(dataDir, KEYS_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const fresh: EmbeddedKeys = {
      signingKey: `signkey-local-${randomBytes(32).toString("hex")}`,
      eventKey: randomBytes(32).toString("hex"),
    };
    // Written whole under a temp name, then linked into place: a link fails if the file exists, so a
    // second process starting at the same moment keeps the first one's keys, and no reader sees half a file.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    parsed = undefined;
  }
  if (!valid(parsed))
    throw new Error(
      `${file} does not hold the embedded Inngest keys ({"signingKey":"signkey-local-<64 hex>","eventKey":"<64 hex>"}); delete it and start again to make new ones`,
    );
  return parsed;
}

/** The engine's environment: it signs with the key and only takes events under the event key. */
export function engineKeyEnv(keys: EmbeddedKeys): Record<string, string | undefined> {
  return {
    INNGEST_SIGNING_KEY: keys.signingKey,
    INNGEST_SIGNING_KEY_FALLBACK: undefined,
    INNGEST_EVENT_KEY: keys.eventKey,
  };
}

/**
 * The web app's Inngest environment: cloud mode (signatures verified) with the engine as its Inngest
 * Cloud. Each variable that picks the server or a key is set, replacing any from the shell: `npm start`
 * always runs the local engine, and an inherited INNGEST_SIGNING_KEY_FALLBACK would weaken the check.
 */
export function webKeyEnv(keys: EmbeddedKeys, engineUrl: string): Record<string, string | undefined> {
  return {
    INNGEST_DEV: "0",
    INNGEST_BASE_URL: engineUrl,
    INNGEST_API_BASE_URL: engineUrl,
    INNGEST_EVENT_API_BASE_URL: engineUrl,
    INNGEST_SIGNING_KEY: keys.signingKey,
    INNGEST_SIGNING_KEY_FALLBACK: undefined,
    INNGEST_EVENT_KEY: keys.eventKey,
  };
}
