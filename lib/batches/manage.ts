/** Shared handling of the owner-only batch actions (cancel, retry) for JSON clients and plain form posts. */
import { cookies } from "next/headers";
import { crossSite, jsonError, seeOther, wantsHtml } from "@/lib/http";
import { canManage, ownerCookieName } from "./owner";
import type { BatchDto } from "./dto";

export async function manageAction(
  request: Request,
  id: string,
  action: () => Promise<
    { batch: BatchDto; extra?: Record<string, unknown> } | { error: string; status: number } | null
  >,
): Promise<Response> {
  if (crossSite(request.headers)) {
    return jsonError(403, "This request came from another site; change the batch from its own page.");
  }
  const cookie = (await cookies()).get(ownerCookieName(id))?.value;
  if (!canManage(id, request.headers, cookie)) {
    return jsonError(
      403,
      "Only the person who created this batch can change it (owner cookie or bearer token).",
    );
  }
  const result = await action();
  if (!result) return jsonError(404, `No batch with id "${id}".`);
  if ("error" in result) return jsonError(result.status, result.error);
  if (wantsHtml(request)) return seeOther(`/b/${id}`);
  return Response.json({ batch: result.batch, ...result.extra });
}
