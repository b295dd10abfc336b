import { manageAction } from "@/lib/batches/manage";
import { cancelBatchById } from "@/lib/batches/controls";
import { notAllowed, apiRoute } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute(async function POST(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
) {
  return manageAction(request, (await params).id, cancelBatchById);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = notAllowed("POST");
