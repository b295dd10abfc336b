import { manageAction } from "@/lib/batches/manage";
import { resendBatch } from "@/lib/batches/controls";
import { notAllowed, apiRoute } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Sends a batch the engine never started to the engine again (409 until it counts as stalled). */
export const POST = apiRoute(async function POST(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
) {
  return manageAction(request, (await params).id, resendBatch);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = notAllowed("POST");
