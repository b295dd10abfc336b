import { readStudioJson } from "@/lib/access-request";
import { jsonError, notAllowed } from "@/lib/http";
import { parseFitRequest, shortenedTitles } from "@/lib/studio/fit";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/fit {titles, template, font, canvas?} → {shortened: [index, …]}: the titles the template
 * would end with "…" at its smallest size. Layout only; nothing is generated or stored.
 */
export async function POST(request: Request) {
  const body = await readStudioJson(request);
  if (!body.ok) return body.response;
  const parsed = parseFitRequest(body.value);
  if (!parsed.ok) return jsonError(400, "Invalid fit request.", parsed.issues);
  return Response.json({ shortened: await shortenedTitles(parsed.value) });
}

export const { GET, PUT, PATCH, DELETE, OPTIONS } = notAllowed("POST");
