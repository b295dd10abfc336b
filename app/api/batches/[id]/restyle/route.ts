import { denyWithoutAccess } from "@/lib/access-request";
import { createdResponse, ownsBatch } from "@/lib/batches/owner-cookie";
import { restyleBatch } from "@/lib/batches/restyle";
import { jsonError, notAllowed, readJson, apiRoute } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * A new batch from this one's pictures with another template, font, canvas or titles:
 * `{template?, font?, canvas?, prompts?}`. Owner only, like cancel and retry; 201 `{id, url, ownerToken, batch}`;
 * 409 while the batch has not finished.
 */
export const POST = apiRoute(async function POST(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
) {
  const denied = await denyWithoutAccess(request);
  if (denied) return denied;
  const { id } = await params;
  if (!(await ownsBatch(id, request.headers))) {
    return jsonError(
      403,
      "Only the person who created this batch can restyle it (owner cookie or bearer token).",
    );
  }
  const body = await readJson(request);
  if (!body.ok) return body.response;
  const result = await restyleBatch(id, body.value);
  if (!result.ok) return jsonError(result.status, result.error, result.issues);
  return createdResponse(request, result);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = notAllowed("POST");
