import { manageAction } from "@/lib/batches/manage";
import { resumeBatch } from "@/lib/batches/controls";
import { notAllowed, apiRoute } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Re-runs the cancelled cells; a picture already paid for is reused. While a run works on the batch
 * (again, for a retry or new take), it makes them after the cells under way: `nextWave` in the answer
 * says so (false for a batch still waiting for its run, whose first wave takes them).
 */
export const POST = apiRoute(async function POST(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
) {
  return manageAction(request, (await params).id, resumeBatch, "resumed");
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = notAllowed("POST");
