import { denyWithoutAccess } from "@/lib/access-request";
import { readCellPicks } from "@/lib/batches/cell-picks";
import { switchToAlternate } from "@/lib/batches/controls";
import { manageAction } from "@/lib/batches/manage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Switch to the other take: `{cells: [{promptIndex, model}]}` (a form post sends one cell as fields) →
 * each named cell of this finished batch shows the picture its last new take replaced again, and keeps
 * the one it showed as its other take (asking again switches back). No provider call. Owner only; 200
 * `{batch, swapped}`.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const denied = denyWithoutAccess(request);
  if (denied) return denied;
  const { id } = await params;
  const picks = await readCellPicks(request, "Invalid request to switch takes.");
  if (!picks.ok) return picks.response;
  return manageAction(request, id, (batchId) => switchToAlternate(batchId, picks.cells), "swapped");
}
