import { legacyTakeAccess } from "@/lib/batches/legacy-takes";
import { getStorage, keyProblem } from "@/lib/storage";
import { bytesResponse, jsonError, notAllowed, notModified, apiRoute } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Serves the blobs whose URLs the store hands out as this route: the local store (embedded mode) and a
 * private Vercel Blob store (BLOB_ACCESS=private), whose blobs browsers cannot fetch themselves. A public
 * store's URLs are its own, so it is not served here. URLs the app hands out carry ?v=<version>, so a
 * response to such a URL never changes and is cached as immutable; without it, a short max-age. A take
 * its owner replaced, stored before take keys had a tag, is its owner's only (lib/batches/legacy-takes.ts).
 */
export const GET = apiRoute(async function GET(
  request: Request,
  { params }: { params: Promise<{ key: string[] }> },
) {
  const store = getStorage();
  const key = (await params).key.join("/");
  if (keyProblem(key)) return jsonError(404, "Not found.");
  if (!store.url(key).startsWith("/api/blob/"))
    return jsonError(404, "Blobs are served by Vercel Blob in this deployment.");
  const access = await legacyTakeAccess(key, request.headers);
  if (access === "hidden") return jsonError(404, "Not found.");
  const head = await store.head(key);
  if (!head) return jsonError(404, "Not found.");
  const versioned = new URL(request.url).searchParams.has("v");
  // The owner's own copy must not be kept by a shared cache and handed to someone else.
  const scope = access === "owner" ? "private" : "public";
  const headers = {
    "content-type": head.contentType,
    "cache-control": versioned ? `${scope}, max-age=31536000, immutable` : `${scope}, max-age=60`,
    "x-content-type-options": "nosniff",
  };
  if (notModified(request, head.etag))
    return new Response(null, { status: 304, headers: { ...headers, etag: head.etag } });
  const blob = await store.get(key);
  if (!blob) return jsonError(404, "Not found.");
  return bytesResponse(request, blob.bytes, blob.etag, headers);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = notAllowed("GET");
