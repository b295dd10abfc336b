import { denyWithoutAccess } from "@/lib/access-request";
import { deleteForm, deleteJson } from "@/lib/gallery/delete-http";
import { notAllowed, wantsHtml, apiRoute } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Deletes gallery images. A form post (the gallery with JavaScript off: ids, token, filters) answers 303
 * back to /gallery?…&deleted=N&skipped=M; a JSON body {"ids": [...]} answers like DELETE /api/images.
 */
export const POST = apiRoute(async function POST(request: Request) {
  const denied = await denyWithoutAccess(request);
  if (denied) return denied;
  return wantsHtml(request) ? deleteForm(request) : deleteJson(request);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = notAllowed("POST");
