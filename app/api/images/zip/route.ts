import { denyWithoutAccess } from "@/lib/access-request";
import { parseZipIds, parseZipIdsQuery, type IdsResult } from "@/lib/export/ids-input";
import { siteOrigin } from "@/lib/export/origin";
import { selectionZip, zipResponse } from "@/lib/export/zip";
import { galleryHref, htmlResult } from "@/lib/gallery/form-result";
import { jsonError, notAllowed, readJson, wantsHtml, apiRoute } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function respond(request: Request, parsed: IdsResult, form?: FormData): Promise<Response> {
  // A form from the gallery with JavaScript off shows the refusal as a page with a way back.
  const back = form ? [{ href: galleryHref(form), label: "Back to the gallery" }] : [];
  if (!parsed.ok) {
    if (!form) return jsonError(400, "Invalid image selection.", parsed.issues);
    const none = form.getAll("ids").every((v) => typeof v !== "string" || !v.trim());
    return none
      ? htmlResult(400, "Select at least one image to download.", [], back)
      : htmlResult(400, "Invalid image selection.", parsed.issues, back);
  }
  const download = await selectionZip(parsed.ids, { origin: siteOrigin(request.headers) });
  if (!download)
    return form
      ? htmlResult(404, "None of these images exist any more.", [], back)
      : jsonError(404, "None of these images exist.", [{ path: "ids", message: "no such images" }]);
  return zipResponse(request, download);
}

/** Selected gallery images as a ZIP: ?ids=a,b,c (at most 500). */
export const GET = apiRoute(async function GET(request: Request) {
  const denied = await denyWithoutAccess(request);
  if (denied) return denied;
  return respond(request, parseZipIdsQuery(new URL(request.url).searchParams));
});

/** Only the headers: the archive is not made (Next would run GET and read images ahead for nothing). */
export const HEAD = GET;

/** Same as GET for long selections: JSON {"ids": [...]} or a form field ids=a,b,c (repeatable). */
export const POST = apiRoute(async function POST(request: Request) {
  const denied = await denyWithoutAccess(request);
  if (denied) return denied;
  if (wantsHtml(request)) {
    const form = await request.formData();
    const params = new URLSearchParams();
    for (const value of form.getAll("ids")) if (typeof value === "string") params.append("ids", value);
    return respond(request, parseZipIdsQuery(params), form);
  }
  const body = await readJson(request);
  if (!body.ok) return body.response;
  return respond(request, parseZipIds(body.value));
});

export const { PUT, PATCH, DELETE, OPTIONS } = notAllowed("GET", "POST");
