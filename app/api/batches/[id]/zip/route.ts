import { batchZip, zipResponse } from "@/lib/export/zip";
import { siteOrigin } from "@/lib/export/origin";
import { notAllowed, apiRoute, unknownBatch } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The batch's finished images and manifest.json as a streamed ZIP. Public, like the share page. */
export const GET = apiRoute(async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
) {
  const { id } = await params;
  const download = await batchZip(id, { origin: siteOrigin(request.headers) });
  if (!download) return unknownBatch(id);
  return zipResponse(request, download);
});

/** Only the headers: the archive is not made (Next would run GET and read images ahead for nothing). */
export const HEAD = GET;

export const { POST, PUT, PATCH, DELETE, OPTIONS } = notAllowed("GET");
