import { cellDownload, downloadResponse } from "@/lib/export/download";
import { jsonError, notAllowed, apiRoute } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One finished image as an attachment named `<index>-<title>--<model>.jpg`. Link with downloadUrlFor. */
export const GET = apiRoute(async function GET(
  request: Request,
  { params }: { params: Promise<{ cellId: string }> },
) {
  const { cellId } = await params;
  const result = await cellDownload(cellId);
  if (!result.ok) return jsonError(result.status, result.error, [{ path: "cellId", message: result.error }]);
  return downloadResponse(result.download, request);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = notAllowed("GET");
