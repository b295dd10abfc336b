import { denyWithoutAccess } from "@/lib/access-request";
import { deleteJson } from "@/lib/gallery/delete-http";
import { parseImageQuery } from "@/lib/gallery/query";
import { galleryPage } from "@/lib/gallery/service";
import { jsonError, notAllowed, apiRoute } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Every finished image, newest first: ?cursor=&limit=&model=&style=&template=&batch=&from=&to=; the
 * first page (no cursor) also has `total` ({count, capped}: how many match, counted up to 10,000).
 */
export const GET = apiRoute(async function GET(request: Request) {
  const denied = await denyWithoutAccess(request);
  if (denied) return denied;
  const query = parseImageQuery(new URL(request.url).searchParams);
  if (!query.ok) return jsonError(400, "Invalid gallery query.", query.issues);
  const page = await galleryPage(query.value);
  if (!page.ok) return jsonError(400, "Invalid gallery query.", page.issues);
  return Response.json(
    { images: page.images, nextCursor: page.nextCursor, total: page.total },
    { headers: { "cache-control": "no-store" } },
  );
});

/**
 * Deletes images (rows and blobs): body {"ids": [...]} (1–500). Open on an embedded install; in production
 * it needs `Authorization: Bearer $ADMIN_TOKEN` (401 without a token, 403 with a wrong one).
 */
export const DELETE = apiRoute(async function DELETE(request: Request) {
  const denied = await denyWithoutAccess(request);
  if (denied) return denied;
  return deleteJson(request);
});

export const { POST, PUT, PATCH, OPTIONS } = notAllowed("GET", "DELETE");
