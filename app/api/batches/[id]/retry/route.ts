import { manageAction } from "@/lib/batches/manage";
import { retryFailedCells } from "@/lib/batches/controls";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Re-runs the failed cells only; succeeded and cancelled cells are left as they are. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return manageAction(request, id, async () => {
    const result = await retryFailedCells(id);
    if (!result || "error" in result) return result;
    return { batch: result.batch, extra: { retried: result.count } };
  });
}
