import { readBatchChecked } from "@/lib/batches/check-run";
import { jsonError } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const found = await readBatchChecked(id);
  if (!found) return jsonError(404, `No batch with id "${id}".`);
  // The newest change this read includes: a client streams /events from there instead of from the start.
  const headers = { "cache-control": "no-store", "x-last-event-id": String(found.lastEventId) };
  return Response.json(found.batch, { headers });
}
