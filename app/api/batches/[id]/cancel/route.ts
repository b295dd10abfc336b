import { manageAction } from "@/lib/batches/manage";
import { cancelBatchById } from "@/lib/batches/controls";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return manageAction(request, (await params).id, cancelBatchById);
}
