/**
 * Where a plain form post from a batch page (JavaScript off) is sent back to: the page of the grid it
 * was posted from (its `page` field), and, when the control was refused, that page with the reason
 * shown on it, or, when a retry or resume went through, with what it did (as the page with JavaScript
 * says it). Without this the owner landed on page 1 after every button, or on the API's raw JSON.
 *
 * The text travels in the address, signed with the app secret and its kind: the page shows only words
 * this server wrote for this batch, so a crafted link cannot put words of its own on a batch page, nor
 * show a refusal as done.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { appSecret } from "./owner";
import { batchPageHref } from "./paging";

/** The hidden field each form on a batch page names its grid page in. */
export const PAGE_FIELD = "page";

/** Far above any batch's page count (at most 10,000 titles): bounds what a form may send. */
const MAX_PAGE = 100_000;

/** A reason longer than this is cut: it rides in a URL (the controls' reasons are far shorter). */
const MAX_NOTICE = 500;

/**
 * The grid page a form names: a positive whole number, else the first page. The batch page itself
 * reads a page past the last as the last one.
 */
export function formPage(value: FormDataEntryValue | null | undefined): number {
  if (typeof value !== "string" || !/^\d{1,6}$/.test(value.trim())) return 1;
  const page = Number(value.trim());
  return page >= 1 && page <= MAX_PAGE ? page : 1;
}

/** The `page` field of a form post; the first page when the body is not a form or has none. */
export async function formPageOf(request: Request): Promise<number> {
  try {
    return formPage((await request.formData()).get(PAGE_FIELD));
  } catch {
    return 1;
  }
}

function clip(text: string): string {
  const chars = [...text.trim()];
  return chars.length <= MAX_NOTICE ? chars.join("") : `${chars.slice(0, MAX_NOTICE - 1).join("")}…`;
}

/** `notice`: why a control was refused; `done`: what a control that went through did. */
export type NoticeKind = "notice" | "done";

function signature(batchId: string, notice: string, kind: NoticeKind): string {
  return createHmac("sha256", appSecret())
    .update(`${kind}:${batchId}:${notice}`)
    .digest("base64url")
    .slice(0, 22);
}

/**
 * The page of the grid a form post came from, with `notice` to show on it: why the control was refused,
 * or (`kind` "done") what it did. The text rides in the query parameter named by its kind.
 */
export function formReturnHref(
  batchId: string,
  page: number,
  notice?: string | null,
  kind: NoticeKind = "notice",
): string {
  const href = batchPageHref(batchId, page);
  if (notice === undefined || notice === null) return href;
  const text = clip(notice);
  const query = new URLSearchParams({ [kind]: text, sig: signature(batchId, text, kind) });
  return `${href}${href.includes("?") ? "&" : "?"}${query.toString()}`;
}

/**
 * The notice a batch page's address carries (its `notice` or `done` parameter, as `kind` says), when
 * this server signed it for this batch as that kind; else null.
 */
export function verifiedNotice(
  batchId: string,
  notice: string | string[] | undefined,
  sig: string | string[] | undefined,
  kind: NoticeKind = "notice",
): string | null {
  const text = Array.isArray(notice) ? notice[0] : notice;
  const given = Array.isArray(sig) ? sig[0] : sig;
  if (!text || !given || [...text].length > MAX_NOTICE) return null;
  const expected = Buffer.from(signature(batchId, text, kind));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? text : null;
}
