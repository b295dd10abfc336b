import { ownsBatch } from "@/lib/batches/owner-cookie";
import { readBatch } from "@/lib/batches/service";
import { batchEventStream } from "@/lib/batches/stream";
import { jsonError, notAllowed, apiRoute, unknownBatch } from "@/lib/http";
import { serverStopping } from "@/lib/server-stop";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/**
 * The batch and where its stream starts, or the refusal: 404 for no such batch, 400 for a position that
 * is not an event id (digits only: "1e3" or "0x10" is no id this stream sent).
 */
async function open(
  request: Request,
  { params }: Params,
): Promise<{ ok: true; id: string; after: number } | { ok: false; response: Response }> {
  const { id } = await params;
  const found = await readBatch(id);
  if (!found) return { ok: false, response: unknownBatch(id) };
  const header = request.headers.get("last-event-id");
  const raw = (header ?? new URL(request.url).searchParams.get("after") ?? "").trim() || "0";
  const after = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(after)) {
    const path = header === null ? "after" : "Last-Event-ID";
    // As every route words a bad parameter: a line naming the request, the field's own message in issues.
    const response = jsonError(400, "Invalid event stream position.", [
      { path, message: `${path} must be a non-negative integer (an event id this stream sent)` },
    ]);
    return { ok: false, response };
  }
  return { ok: true, id, after };
}

function streamHeaders(): Record<string, string> {
  return {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store, no-transform",
    // The server is stopping: the stream ends at once, and so does the connection. A reader reconnecting
    // on a kept-alive one (EventSource every 2 s, the CLI) would otherwise keep the server from stopping.
    connection: serverStopping().aborted ? "close" : "keep-alive",
    "x-accel-buffering": "no",
  };
}

/** Live changes as Server-Sent Events; resumable with Last-Event-ID (or ?after=<id>). */
export const GET = apiRoute(async function GET(request: Request, context: Params) {
  const opened = await open(request, context);
  if (!opened.ok) return opened.response;
  const owner = await ownsBatch(opened.id, request.headers);
  return new Response(batchEventStream(opened.id, opened.after, request.signal, owner), {
    headers: streamHeaders(),
  });
});

/**
 * Answered here rather than by Next from GET: Next drops a HEAD's body unread, and a stream nobody
 * reads or cancels went on polling the database for as long as its batch ran.
 */
export const HEAD = apiRoute(async function HEAD(request: Request, context: Params) {
  const opened = await open(request, context);
  return opened.ok ? new Response(null, { headers: streamHeaders() }) : opened.response;
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = notAllowed("GET");
