import { readBatchChecked } from "@/lib/batches/check-run";
import { jsonError } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const found = await readBatchChecked(id);
  if (!found) return jsonError(404, `No batch with id "${id}".`);
  return Response.json(found.batch, { headers: { "cache-control": "no-store" } });
}
