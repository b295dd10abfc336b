import { readBatchChecked } from "@/lib/batches/check-run";
import { batchForVisitors } from "@/lib/batches/dto";
import { ownsBatch } from "@/lib/batches/owner-cookie";
import { notAllowed, apiRoute, unknownBatch } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The batch, its cells and `results`; its owner also gets each cell's other takes (`otherTakes`). */
export const GET = apiRoute(async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
) {
  const { id } = await params;
  const found = await readBatchChecked(id);
  if (!found) return unknownBatch(id);
  // The newest change this read includes: a client streams /events from there instead of from the start.
  const headers = { "cache-control": "no-store", "x-last-event-id": String(found.lastEventId) };
  const owner = await ownsBatch(id, request.headers);
  return Response.json(owner ? found.batch : batchForVisitors(found.batch), { headers });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = notAllowed("GET");
