import { parseZipIds, parseZipIdsQuery, type IdsResult } from "@/lib/export/ids-input";
import { siteOrigin } from "@/lib/export/origin";
import { selectionZip, zipResponse } from "@/lib/export/zip";
import { jsonError, readJson } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function respond(request: Request, parsed: IdsResult): Promise<Response> {
  if (!parsed.ok) return jsonError(400, "Invalid image selection.", parsed.issues);
  const download = await selectionZip(parsed.ids, { origin: siteOrigin(request.headers) });
  if (!download)
    return jsonError(404, "None of these images exist.", [{ path: "ids", message: "no such images" }]);
  return zipResponse(download);
}

/** Selected gallery images as a ZIP: ?ids=a,b,c (at most 500). */
export async function GET(request: Request) {
  return respond(request, parseZipIdsQuery(new URL(request.url).searchParams));
}

/** Same as GET for long selections: JSON {"ids": [...]} or a form field ids=a,b,c. */
export async function POST(request: Request) {
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
    const form = await request.formData();
    const params = new URLSearchParams();
    for (const value of form.getAll("ids")) if (typeof value === "string") params.append("ids", value);
    return respond(request, parseZipIdsQuery(params));
  }
  const body = await readJson(request);
  if (!body.ok) return body.response;
  return respond(request, parseZipIds(body.value));
}
