import { ownsBatch } from "@/lib/batches/owner-cookie";
import { readBatch } from "@/lib/batches/service";
import { batchEventStream } from "@/lib/batches/stream";
import { jsonError, notAllowed, apiRoute } from "@/lib/http";
import { serverStopping } from "@/lib/server-stop";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Live changes as Server-Sent Events; resumable with Last-Event-ID (or ?after=<id>). */
export const GET = apiRoute(async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
) {
  const { id } = await params;
  const found = await readBatch(id);
  if (!found) return jsonError(404, `No batch with id "${id}".`);
  const raw = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after") ?? "0";
  const after = Number(raw);
  if (!Number.isSafeInteger(after) || after < 0) {
    return jsonError(400, "Last-Event-ID must be a non-negative integer.", [
      { path: "after", message: "not an event id" },
    ]);
  }
  const owner = await ownsBatch(id, request.headers);
  // The server is stopping: the stream ends at once, and so does the connection. A reader reconnecting
  // on a kept-alive one (EventSource every 2 s, the CLI) would otherwise keep the server from stopping.
  const stopping = serverStopping().aborted;
  return new Response(batchEventStream(id, after, request.signal, owner), {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      connection: stopping ? "close" : "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = notAllowed("GET");
