/**
 * The studio password gate as route handlers, server actions and the layout call it: lib/access.ts with
 * this process's STUDIO_PASSWORD, ADMIN_TOKEN and app secret. The proxy (proxy.ts) runs the same check
 * first; handlers and actions check again so a matcher mistake cannot open them.
 */
import { cookies, headers } from "next/headers";
import {
  accessDecision,
  cookieValue,
  deniedResponse,
  hasAccess,
  SESSION_COOKIE,
  verifySession,
} from "./access";
import { accessConfig } from "./access-config";
import { readJson } from "./http";

export async function requestHasAccess(request: Request): Promise<boolean> {
  return hasAccess(
    request.headers,
    cookieValue(request.headers, SESSION_COOKIE),
    await accessConfig(request.headers),
  );
}

/** null when the request may go on, else the 401 (or 429) to return. */
export async function denyWithoutAccess(request: Request): Promise<Response | null> {
  const cookie = cookieValue(request.headers, SESSION_COOKIE);
  const decision = accessDecision(request.headers, cookie, await accessConfig(request.headers));
  return decision.granted ? null : deniedResponse(decision);
}

/**
 * A JSON body for a route behind the studio password: the gate's answer, or readJson's (415, 413, 400),
 * or the parsed value.
 */
export async function readStudioJson(
  request: Request,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const denied = await denyWithoutAccess(request);
  return denied ? { ok: false, response: denied } : readJson(request);
}

/** For server actions and pages: the same check on the current request. */
export async function hasStudioAccess(): Promise<boolean> {
  const jar = await cookies();
  const sent = await headers();
  return hasAccess(sent, jar.get(SESSION_COOKIE)?.value, await accessConfig(sent));
}

/** True when the gate is on and this browser holds a valid session (the nav's sign-out control). */
export async function signedInSession(): Promise<boolean> {
  const config = await accessConfig();
  if (!config.password || config.epoch === null) return false;
  const value = (await cookies()).get(SESSION_COOKIE)?.value;
  return verifySession(value, config.password, config.secret, Date.now(), config.epoch);
}
