/** The owner cookies a browser gets for the batches it creates (see owner.ts for what they hold). */
import { cookies, headers as requestHeaders } from "next/headers";
import { siteOrigin } from "@/lib/export/origin";
import type { BatchDto } from "./dto";
import { isHttps, type AccessDecision } from "@/lib/access";
import { BROWSER_KEY_COOKIE, manageDecision, newBrowserKey, ownerCookieName } from "./owner";

/**
 * A year, HttpOnly, SameSite=Lax; Secure when the browser is on https (as the session cookie): these
 * are credentials for every batch the browser made, not to be sent over plain http. Next sets
 * X-Forwarded-Proto on every request (from a proxy's, else the connection's).
 */
async function keep() {
  const secure = isHttps(await requestHeaders(), "");
  return { httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 * 60 * 24 * 365, secure } as const;
}

export async function rememberOwner(batchId: string, token: string): Promise<void> {
  (await cookies()).set(ownerCookieName(batchId), token, await keep());
}

/**
 * This browser's key to the batches it makes (server actions): the one it holds, else a new one, set
 * now. Renewed for another year on each use.
 */
export async function browserKey(): Promise<string> {
  const jar = await cookies();
  const key = jar.get(BROWSER_KEY_COOKIE)?.value || newBrowserKey();
  jar.set(BROWSER_KEY_COOKIE, key, await keep());
  return key;
}

/** manageDecision with the request's cookies: the batch's own owner cookie, or the key of the browser that made it. */
export async function ownerDecision(
  batchId: string,
  headers: Headers = new Headers(),
): Promise<AccessDecision> {
  const jar = await cookies();
  return manageDecision(
    batchId,
    headers,
    jar.get(ownerCookieName(batchId))?.value,
    jar.get(BROWSER_KEY_COOKIE)?.value,
  );
}

export async function ownsBatch(batchId: string, headers: Headers = new Headers()): Promise<boolean> {
  return (await ownerDecision(batchId, headers)).granted;
}

/** 201 `{id, url, ownerToken, batch}` for a batch just created, with the owner cookie set. */
export async function createdResponse(
  request: Request,
  created: { id: string; ownerToken: string; batch: BatchDto },
): Promise<Response> {
  await rememberOwner(created.id, created.ownerToken);
  // The public origin (APP_URL, or the proxy's forwarded host), not the address Next was bound to.
  const url = new URL(`/b/${created.id}`, siteOrigin(request.headers) ?? request.url).toString();
  const { id, ownerToken, batch } = created;
  return Response.json({ id, url, ownerToken, batch }, { status: 201 });
}
