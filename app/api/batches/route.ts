import { denyWithoutAccess, readStudioJson } from "@/lib/access-request";
import { BATCH_STATUSES, getDb, InvalidCursorError, listBatches, type BatchStatus } from "@/lib/db";
import type { FieldIssue } from "@/lib/batches/input";
import { batchListItem, submitBatch } from "@/lib/batches/service";
import { createdResponse } from "@/lib/batches/owner-cookie";
import { jsonError, limitMessage, notAllowed, apiRoute, UNKNOWN_CURSOR } from "@/lib/http";
import { unstorable } from "@/lib/user-text";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Accepts {prompts, models, style, template, font, ...} or the seeds' positional batch.json array. */
export const POST = apiRoute(async function POST(request: Request) {
  const body = await readStudioJson(request);
  if (!body.ok) return body.response;
  const result = await submitBatch(body.value);
  if (!result.ok) return jsonError(result.status, result.error, result.issues);
  return createdResponse(request, result);
});

/**
 * Recent batches, newest first: ?cursor=&limit= (1–100, default 20)&status=&q= (text in a title)
 * &withImages=1 (only batches with a picture to show: the gallery's batch filter)
 */
export const GET = apiRoute(async function GET(request: Request) {
  const denied = await denyWithoutAccess(request);
  if (denied) return denied;
  const q = new URL(request.url).searchParams;
  const issues: FieldIssue[] = [];
  // Digits only: Number() would also take "1e1", "0x10" and " 5".
  const limitText = q.get("limit");
  const limit = limitText === null ? 20 : /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    issues.push({ path: "limit", message: limitMessage(100) });
  const status = q.get("status") ?? undefined;
  if (status !== undefined && !(BATCH_STATUSES as readonly string[]).includes(status))
    issues.push({ path: "status", message: `status must be one of ${BATCH_STATUSES.join(", ")}` });
  const search = q.get("q")?.trim() || undefined;
  if (search !== undefined && search.length > 200)
    issues.push({ path: "q", message: "q (text a title contains) must be at most 200 characters" });
  const unsearchable = search === undefined ? null : unstorable(search);
  if (unsearchable) issues.push({ path: "q", message: `q (text a title contains) ${unsearchable}` });
  const withImages = q.get("withImages");
  if (withImages !== null && withImages !== "1")
    issues.push({
      path: "withImages",
      message: "withImages must be 1 (only batches with a picture to show) or left out",
    });
  if (issues.length > 0) return jsonError(400, "Invalid batch list query.", issues);
  try {
    const page = await listBatches(await getDb(), {
      cursor: q.get("cursor"),
      limit,
      status: status as BatchStatus | undefined,
      search,
      withImages: withImages === "1",
    });
    return Response.json(
      { ...page, batches: page.batches.map(batchListItem) },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (err) {
    if (!(err instanceof InvalidCursorError)) throw err;
    return jsonError(400, "Invalid batch list query.", [UNKNOWN_CURSOR]);
  }
});

export const { PUT, PATCH, DELETE, OPTIONS } = notAllowed("GET", "POST");
