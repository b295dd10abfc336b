/**
 * Embedded mode (the default: PGlite, local files, local engine) versus production (a real Postgres or
 * Vercel Blob, or APP_MODE=production). Admin-only actions are open on an embedded install, which is a
 * person's own machine, and need the ADMIN_TOKEN bearer in production.
 */
export function isEmbedded(env: NodeJS.ProcessEnv = process.env): boolean {
  const mode = env.APP_MODE?.trim();
  if (mode === "production") return false;
  if (mode === "embedded") return true;
  return !env.DATABASE_URL?.trim() && !env.BLOB_READ_WRITE_TOKEN?.trim();
}

/** True when the request may perform admin actions (gallery delete). */
export function isAdmin(headers: Headers, env: NodeJS.ProcessEnv = process.env): boolean {
  if (isEmbedded(env)) return true;
  const expected = env.ADMIN_TOKEN?.trim();
  const given = headers
    .get("authorization")
    ?.match(/^Bearer\s+(.+)$/i)?.[1]
    ?.trim();
  return !!expected && !!given && given.length === expected.length && timingSafe(given, expected);
}

function timingSafe(a: string, b: string): boolean {
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
