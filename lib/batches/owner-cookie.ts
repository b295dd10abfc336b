/** The owner cookie a browser gets for a batch it created (see owner.ts for what the token is). */
import { cookies } from "next/headers";
import { siteOrigin } from "@/lib/export/origin";
import type { BatchDto } from "./dto";
import { ownerCookieName } from "./owner";

export async function rememberOwner(batchId: string, token: string): Promise<void> {
  (await cookies()).set(ownerCookieName(batchId), token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
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
