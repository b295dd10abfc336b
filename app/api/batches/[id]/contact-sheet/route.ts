import { contactSheetBytes, contactSheetState } from "@/lib/export/contact-sheet-cache";
import { bytesResponse, notAllowed, notModified, apiRoute, unknownBatch } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The batch grid as a 1200×630 JPEG (the share page's og:image). With ?v=<current version> the response
 * is immutable; without it, revalidated by ETag (a stale ?v= gets the current sheet, briefly cached).
 */
export const GET = apiRoute(async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
) {
  const { id } = await params;
  const state = await contactSheetState(id);
  if (!state) return unknownBatch(id);
  const asked = new URL(request.url).searchParams.get("v");
  const cacheControl =
    asked === state.version
      ? "public, max-age=31536000, immutable"
      : state.final
        ? "public, max-age=300, stale-while-revalidate=86400"
        : "public, max-age=10";
  const headers = {
    "content-type": "image/jpeg",
    etag: state.etag,
    "cache-control": cacheControl,
    "x-content-type-options": "nosniff",
  };
  if (notModified(request, state.etag)) return new Response(null, { status: 304, headers });
  // A HEAD gets the headers without the sheet being drawn (Next would run all of GET for it).
  if (request.method === "HEAD")
    return new Response(null, { headers: { ...headers, "accept-ranges": "bytes" } });
  const bytes = await contactSheetBytes(state);
  return bytesResponse(request, bytes, state.etag, headers);
});

export const HEAD = GET;

export const { POST, PUT, PATCH, DELETE, OPTIONS } = notAllowed("GET");
