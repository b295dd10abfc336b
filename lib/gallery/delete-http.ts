/**
 * The gallery delete over HTTP: JSON clients (DELETE /api/images, or POST /api/images/delete with JSON)
 * get JSON; a form posted with JavaScript off (POST /api/images/delete) gets a 303 back to the gallery
 * with `?deleted=&skipped=`, or a readable HTML page saying what to fix. Both run the same checks in the
 * same order (admin token, then ids) before anything is deleted.
 */
import { getDb } from "@/lib/db";
import { jsonError, readJson } from "@/lib/http";
import { getStorage } from "@/lib/storage";
import { checkAdmin, deleteGalleryImages, parseDeleteRequest, type AdminCheck } from "./delete";
import { crossSite, seeOther } from "@/lib/http";
import { galleryHref, htmlResult } from "./form-result";
import { readSelectedIds } from "./selection";

/** The admin check's refusal headers: how to authenticate (401), or when to try again (429). */
function refusal(response: Response, admin: Extract<AdminCheck, { ok: false }>): Response {
  if (admin.status === 401) response.headers.set("www-authenticate", 'Bearer realm="admin"');
  if (admin.retryAfterMs)
    response.headers.set("retry-after", String(Math.max(1, Math.ceil(admin.retryAfterMs / 1000))));
  return response;
}

export async function deleteJson(request: Request): Promise<Response> {
  const admin = checkAdmin(request.headers);
  if (!admin.ok) {
    return refusal(jsonError(admin.status, admin.error, admin.issues), admin);
  }
  const body = await readJson(request);
  if (!body.ok) return body.response;
  const parsed = parseDeleteRequest(body.value);
  if (!parsed.ok) return jsonError(400, "Invalid delete request.", parsed.issues);
  const outcome = await deleteGalleryImages(await getDb(), getStorage(), parsed.ids);
  return Response.json(outcome, { headers: { "cache-control": "no-store" } });
}

/** Form fields: ids (repeated or comma-separated), token (production mode), and the gallery's filters. */
export async function deleteForm(request: Request): Promise<Response> {
  const form = await request.formData();
  const back = { href: galleryHref(form), label: "Back to the gallery" };
  if (crossSite(request.headers)) return htmlResult(403, "This form was sent from another site.", [], [back]);
  const raw = form.getAll("ids").filter((v): v is string => typeof v === "string");
  const ids = readSelectedIds(raw);
  const token = form.get("token");
  const headers = new Headers(request.headers);
  if (typeof token === "string" && token.trim()) headers.set("authorization", `Bearer ${token.trim()}`);
  const admin = checkAdmin(headers);
  if (!admin.ok) {
    const retry = ids.length
      ? [{ href: galleryHref(form, { ids: ids.join(","), confirm: "delete" }), label: "Try again" }]
      : [];
    return refusal(htmlResult(admin.status, admin.error, [], [...retry, back]), admin);
  }
  const parsed = parseDeleteRequest({ ids: raw.flatMap((v) => v.split(",")).map((v) => v.trim()) });
  if (!parsed.ok) {
    const noIds = raw.every((v) => !v.trim());
    const error = noIds ? "Select at least one image to delete." : "Invalid delete request.";
    return htmlResult(400, error, noIds ? [] : parsed.issues, [back]);
  }
  const outcome = await deleteGalleryImages(await getDb(), getStorage(), parsed.ids);
  return seeOther(
    galleryHref(form, {
      deleted: String(outcome.deleted.length),
      skipped: String(outcome.skipped.length),
    }),
  );
}
