/** HTTP helpers for route handlers: one JSON error shape everywhere ({error, issues:[{path, message}]}). */
import type { FieldIssue } from "@/lib/batches/input";

export function jsonError(status: number, error: string, issues: FieldIssue[] = []): Response {
  return Response.json({ error, issues }, { status });
}

/** Parses a JSON body; null with a ready 400 response when it is not JSON. */
export async function readJson(
  request: Request,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  // The media type before any parameters: application/json, or a JSON subtype (application/x+json).
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[\w.+-]+\+json$/.test(type)) {
    return {
      ok: false,
      response: jsonError(415, "Send the batch as JSON (Content-Type: application/json)."),
    };
  }
  const text = await request.text();
  if (text.length > 1_000_000)
    return { ok: false, response: jsonError(413, "The request body is larger than 1 MB.") };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return {
      ok: false,
      response: jsonError(400, `The body is not valid JSON: ${(err as Error).message}`, [
        { path: "(root)", message: "invalid JSON" },
      ]),
    };
  }
}

/**
 * Whether a GET's If-None-Match names `etag` (RFC 9110 §13.1.2): "*", or a list of tags compared
 * weakly (W/"x" matches "x"), as browsers and caches send them.
 */
export function notModified(request: Request, etag: string): boolean {
  const header = request.headers.get("if-none-match");
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => opaque(tag) === opaque(etag));
}

/** A form post from a page with JavaScript off wants a redirect back, not JSON. */
export function wantsHtml(request: Request): boolean {
  const type = request.headers.get("content-type") ?? "";
  return type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data");
}

/**
 * 303 to a path on this site. Relative, so the browser stays on the address it used: behind a proxy or
 * on another host name, `request.url` in a route handler can name the address Next listens on instead.
 */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}

/**
 * True for a request a page on another site made (a form post, say): it must not change anything here,
 * whatever cookie the browser sent along.
 */
export function crossSite(headers: Headers): boolean {
  const site = headers.get("sec-fetch-site");
  if (site) return site !== "same-origin" && site !== "none";
  const origin = headers.get("origin");
  if (!origin) return false;
  const host = (headers.get("x-forwarded-host") ?? headers.get("host"))?.split(",")[0]?.trim();
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
