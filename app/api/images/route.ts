import { getDb } from "@/lib/db";
import { checkAdmin, deleteGalleryImages, parseDeleteRequest } from "@/lib/gallery/delete";
import { parseImageQuery } from "@/lib/gallery/query";
import { galleryPage } from "@/lib/gallery/service";
import { jsonError, readJson } from "@/lib/http";
import { getStorage } from "@/lib/storage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Every finished image, newest first: ?cursor=&limit=&model=&style=&template=&batch=&from=&to= */
export async function GET(request: Request) {
  const query = parseImageQuery(new URL(request.url).searchParams);
  if (!query.ok) return jsonError(400, "Invalid gallery query.", query.issues);
  const page = await galleryPage(query.value);
  if (!page.ok) return jsonError(400, page.error, [{ path: "cursor", message: page.error }]);
  return Response.json(
    { images: page.images, nextCursor: page.nextCursor },
    { headers: { "cache-control": "no-store" } },
  );
}

/**
 * Deletes images (rows and blobs): body {"ids": [...]} (1–500). Open on an embedded install; in production
 * it needs `Authorization: Bearer $ADMIN_TOKEN` (401 without a token, 403 with a wrong one).
 */
export async function DELETE(request: Request) {
  const admin = checkAdmin(request.headers);
  if (!admin.ok) {
    const response = jsonError(admin.status, admin.error, admin.issues);
    if (admin.status === 401) response.headers.set("www-authenticate", 'Bearer realm="admin"');
    return response;
  }
  const body = await readJson(request);
  if (!body.ok) return body.response;
  const parsed = parseDeleteRequest(body.value);
  if (!parsed.ok) return jsonError(400, "Invalid delete request.", parsed.issues);
  const outcome = await deleteGalleryImages(await getDb(), getStorage(), parsed.ids);
  return Response.json(outcome, { headers: { "cache-control": "no-store" } });
}
