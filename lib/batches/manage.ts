/**
 * Shared handling of the owner-only batch controls (cancel, retry, resume, resend) for JSON clients and
 * plain form posts: refuses other sites and non-owners, then 404 / the control's 409 or 503 / a 303 back
 * to the page for a form / `{batch, [countKey]: count}` as JSON, with `nextWave` from a control that
 * queued cells (true: the batch's run at work makes them after the cells under way; false: a run was
 * started for them). A form post (a page with JavaScript off) goes back to the page of the grid it came
 * from, and a refusal it meets is shown there, as is what a retry, resume or resend did: JSON would leave its
 * owner on the API's address.
 */
import { getBatchRow, getDb } from "@/lib/db";
import { crossSite, jsonError, seeOther, unknownBatch, wantsHtml } from "@/lib/http";
import { tooManyAttemptsMessage, tooManyAttemptsResponse } from "@/lib/access-throttle";
import { ownerDecision } from "./owner-cookie";
import type { ManageOutcome } from "./controls";
import { formPageOf, formReturnHref } from "./form-return";
import { requeuedNoteOf } from "./requeued-note";

/**
 * `page`: the grid page a form post named, for a caller that has read the body already (the cell
 * controls); otherwise read here from the form.
 */
export async function manageAction(
  request: Request,
  id: string,
  control: (id: string) => Promise<ManageOutcome | null>,
  countKey?: string,
  page?: number,
): Promise<Response> {
  if (crossSite(request.headers)) {
    return jsonError(403, "This request came from another site; change the batch from its own page.");
  }
  const form = wantsHtml(request) ? { page: page ?? (await formPageOf(request)) } : null;
  const owner = await ownerDecision(id, request.headers);
  if (!owner.granted) {
    // A bearer that was not checked: too many wrong passwords or admin tokens lately.
    if (owner.retryAfterMs > 0) {
      const wait = owner.retryAfterMs;
      return form
        ? seeOther(formReturnHref(id, form.page, tooManyAttemptsMessage(wait)))
        : tooManyAttemptsResponse(wait);
    }
    // A batch's existence is no secret (its page is public): an unknown id is said to be one.
    if (!(await getBatchRow(await getDb(), id))) return unknownBatch(id);
    const error = "Only the person who created this batch can change it (owner cookie or bearer token).";
    return form ? seeOther(formReturnHref(id, form.page, error)) : jsonError(403, error);
  }
  const result = await control(id);
  if (!result) return unknownBatch(id);
  if ("error" in result) {
    if (form) return seeOther(formReturnHref(id, form.page, result.error));
    const response = jsonError(result.status, result.error);
    if (result.retryAfterMs !== undefined) {
      response.headers.set("retry-after", String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))));
    }
    return response;
  }
  const wave = result.nextWave === undefined ? {} : { nextWave: result.nextWave };
  const answer = { batch: result.batch, ...(countKey ? { [countKey]: result.count } : {}), ...wave };
  // Back to the page, saying what a retry or resume did (queued after the current run, or started), or
  // that a resend went out: else the page would look as before the press.
  const note = requeuedNoteOf(answer) ?? result.note ?? null;
  if (form) return seeOther(formReturnHref(id, form.page, note, "done"));
  return Response.json(answer);
}
