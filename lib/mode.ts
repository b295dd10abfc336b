import { adminTokenDecision, bearerToken, type AccessDecision } from "@/lib/access";
import { passwordThrottle } from "@/lib/access-throttle";

/**
 * Embedded mode (the default: PGlite, local files, local engine) versus production (a real Postgres or
 * Vercel Blob, or APP_MODE=production). Admin-only actions are open on an embedded install, which is a
 * person's own machine, and need the ADMIN_TOKEN bearer in production.
 */
export function isEmbedded(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const mode = env.APP_MODE?.trim();
  if (mode === "production") return false;
  if (mode === "embedded") return true;
  return !env.DATABASE_URL?.trim() && !env.BLOB_READ_WRITE_TOKEN?.trim();
}

/**
 * Whether the request may perform admin actions (gallery delete): granted on an embedded install, else
 * with the ADMIN_TOKEN bearer (wrong ones count with wrong passwords; none is checked while they wait).
 */
export function adminDecision(headers: Headers, env: NodeJS.ProcessEnv = process.env): AccessDecision {
  if (isEmbedded(env)) return { granted: true };
  return adminTokenDecision(bearerToken(headers), env.ADMIN_TOKEN?.trim(), passwordThrottle(headers, env));
}
