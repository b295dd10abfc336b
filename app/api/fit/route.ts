import { readStudioJson } from "@/lib/access-request";
import { jsonError, notAllowed, apiRoute } from "@/lib/http";
import { fitTitles, parseFitRequest } from "@/lib/studio/fit";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/fit {titles, template, font, canvas?} → {shortened: [index, …], missing: [{index, glyphs}, …]}:
 * the titles the template would end with "…" at its smallest size, and those with characters no shipped
 * font draws. Layout only; nothing is generated or stored.
 */
export const POST = apiRoute(async function POST(request: Request) {
  const body = await readStudioJson(request);
  if (!body.ok) return body.response;
  const parsed = parseFitRequest(body.value);
  if (!parsed.ok) return jsonError(400, "Invalid fit request.", parsed.issues);
  return Response.json(await fitTitles(parsed.value));
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = notAllowed("POST");
