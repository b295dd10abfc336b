/**
 * Shared handling of the owner-only batch controls (cancel, retry, resume, resend) for JSON clients and
 * plain form posts: refuses other sites and non-owners, then 404 / the control's 409 or 503 / a 303 back
 * to the page for a form / `{batch, [countKey]: count}` as JSON.
 */
import { crossSite, jsonError, seeOther, wantsHtml } from "@/lib/http";
import { ownsBatch } from "./owner-cookie";
import type { ManageOutcome } from "./controls";

export async function manageAction(
  request: Request,
  id: string,
  control: (id: string) => Promise<ManageOutcome | null>,
  countKey?: string,
): Promise<Response> {
  if (crossSite(request.headers)) {
    return jsonError(403, "This request came from another site; change the batch from its own page.");
  }
  if (!(await ownsBatch(id, request.headers))) {
    return jsonError(
      403,
      "Only the person who created this batch can change it (owner cookie or bearer token).",
    );
  }
  const result = await control(id);
  if (!result) return jsonError(404, `No batch with id "${id}".`);
  if ("error" in result) {
    const response = jsonError(result.status, result.error);
    if (result.retryAfterMs !== undefined && !wantsHtml(request)) {
      response.headers.set("retry-after", String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))));
    }
    return response;
  }
  if (wantsHtml(request)) return seeOther(`/b/${id}`);
  return Response.json({ batch: result.batch, ...(countKey ? { [countKey]: result.count } : {}) });
}
