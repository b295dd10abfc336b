import { manageAction } from "@/lib/batches/manage";
import { retryFailedCells } from "@/lib/batches/controls";
import { notAllowed, apiRoute } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Re-runs the failed cells only; succeeded and cancelled cells are left as they are. */
export const POST = apiRoute(async function POST(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
) {
  return manageAction(request, (await params).id, retryFailedCells, "retried");
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = notAllowed("POST");
