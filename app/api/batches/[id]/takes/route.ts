import { denyWithoutAccess } from "@/lib/access-request";
import { readCellPicks } from "@/lib/batches/cell-picks";
import { newTakes } from "@/lib/batches/controls";
import { manageAction } from "@/lib/batches/manage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * New takes: `{cells: [{promptIndex, model}]}` (a form post sends one cell as fields) → each named cell
 * of this finished batch gets a new picture from its model, a paid call. Owner only; 200
 * `{batch, queued}`. The cell keeps its picture until the new one succeeds, and falls back to it if
 * the take fails or is cancelled; the picture a successful take replaces becomes its other take.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const denied = denyWithoutAccess(request);
  if (denied) return denied;
  const { id } = await params;
  const picks = await readCellPicks(request, "Invalid request for new takes.");
  if (!picks.ok) return picks.response;
  return manageAction(request, id, (batchId) => newTakes(batchId, picks.cells), "queued");
}
