/** HTTP helpers for route handlers: one JSON error shape everywhere ({error, issues:[{path, message}]}). */
import { unstable_rethrow } from "next/navigation";
import type { FieldIssue } from "@/lib/batches/input";
import { EnvError } from "@/lib/errors";

export function jsonError(status: number, error: string, issues: FieldIssue[] = []): Response {
  return Response.json({ error, issues }, { status });
}

/*
 * The refusals several routes share, worded once: a client (or the CLI printing them) sees the same
 * line and the same issue for the same mistake, whichever route it asked.
 */

/** A batch id no batch has, as `{error, issues}` (for results that carry a status of their own). */
export function unknownBatchError(id: string): { error: string; issues: FieldIssue[] } {
  return {
    error: `No batch with id ${JSON.stringify(id)}.`,
    issues: [{ path: "id", message: "unknown batch" }],
  };
}

/** 404 for a batch id no batch has. */
export function unknownBatch(id: string): Response {
  const { error, issues } = unknownBatchError(id);
  return jsonError(404, error, issues);
}

/** What a list route's ?limit= must be. */
export const limitMessage = (max: number) => `limit must be a whole number from 1 to ${max}`;

/** A ?cursor= this API did not hand out (or one that no longer decodes). */
export const UNKNOWN_CURSOR: FieldIssue = { path: "cursor", message: "cursor is not one this API returned" };

/** Parses a JSON body; null with a ready 400 response when it is not JSON. */
export async function readJson(
  request: Request,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  // The media type before any parameters: application/json, or a JSON subtype (application/x+json).
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[\w.+-]+\+json$/.test(type)) {
    return {
      ok: false,
      response: jsonError(415, "Send the request body as JSON (Content-Type: application/json)."),
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

/**
 * The one byte range a GET asks for (RFC 9110 §14.2), or null for the whole body: no Range header, a
 * unit other than bytes, several ranges (served whole, as the RFC allows), a malformed header, or an
 * If-Range naming another version. "unsatisfiable" when the range starts past the end.
 */
export function byteRange(
  request: Request,
  size: number,
  etag: string,
): { start: number; end: number } | "unsatisfiable" | null {
  const header = request.headers.get("range");
  if (!header) return null;
  const ifRange = request.headers.get("if-range");
  // If-Range with a date, or a weak or other tag, means "send it all" (strong comparison only).
  if (ifRange !== null && ifRange.trim() !== etag) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match || (match[1] === "" && match[2] === "")) return null;
  if (match[1] === "") {
    // A suffix: the last n bytes.
    const length = Number(match[2]);
    if (length === 0) return "unsatisfiable";
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Number(match[2]);
  if (match[2] !== "" && end < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end: Math.min(end, size - 1) };
}

/**
 * A stored file as a GET answer: 304 when the client holds this version, 206 for one byte range, 416 for
 * a range past the end, else the whole body. `headers` are the ones every answer carries.
 */
export function bytesResponse(
  request: Request,
  bytes: Uint8Array,
  etag: string,
  headers: Record<string, string>,
): Response {
  const common = { ...headers, etag, "accept-ranges": "bytes" };
  if (notModified(request, etag)) return new Response(null, { status: 304, headers: common });
  const range = byteRange(request, bytes.length, etag);
  if (range === "unsatisfiable")
    return new Response(null, {
      status: 416,
      headers: { ...common, "content-range": `bytes */${bytes.length}` },
    });
  if (range) {
    const part = new Uint8Array(bytes.subarray(range.start, range.end + 1));
    return new Response(part, {
      status: 206,
      headers: {
        ...common,
        "content-range": `bytes ${range.start}-${range.end}/${bytes.length}`,
        "content-length": String(part.length),
      },
    });
  }
  return new Response(new Uint8Array(bytes), {
    headers: { ...common, "content-length": String(bytes.length) },
  });
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Handler = (request: Request) => Response;

/**
 * Handlers for the methods a route does not serve: 405 with an Allow header and the JSON error shape
 * every API answer has (Next's own 405 has neither), and OPTIONS naming only the methods served
 * (Next's own would name every exported handler, these refusals too). A route exports the ones it
 * lacks, e.g. `export const { POST, PUT, PATCH, DELETE, OPTIONS } = notAllowed("GET")`.
 */
export function notAllowed(...allowed: Method[]): Record<Method | "OPTIONS", Handler> {
  // Next answers HEAD from GET.
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse: Handler = (request) => {
    const response = jsonError(405, `${request.method} is not served here; use ${allowed.join(" or ")}.`, [
      { path: "(method)", message: `allowed: ${allow}` },
    ]);
    response.headers.set("allow", allow);
    return response;
  };
  const options: Handler = () => new Response(null, { status: 204, headers: { allow } });
  return { GET: refuse, POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse, OPTIONS: options };
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

/** Error codes of a database (or any server) that cannot be reached, anywhere in an error's causes. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ETIMEDOUT",
  "ECONNRESET",
  "EAI_AGAIN",
]);

function unreachable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && UNREACHABLE.has(code)) return true;
    if (/timeout exceeded when trying to connect|Connection terminated/i.test(e.message)) return true;
  }
  return false;
}

/**
 * A route handler whose unexpected failures still answer in the API's JSON error shape (Next's own 500
 * has an empty body): 503 when a server it needs (the database) cannot be reached, else 500. The
 * cause is logged here, not sent.
 */
export function apiRoute<A extends unknown[]>(
  handler: (...args: A) => Promise<Response> | Response,
): (...args: A) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      // Next's own signals (a dynamic route bailing out of prerendering, redirect(), notFound()) pass on.
      unstable_rethrow(error);
      const request = args[0] instanceof Request ? args[0] : null;
      const where = request ? `${request.method} ${new URL(request.url).pathname}` : "API";
      console.error(`${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (unreachable(error))
        return jsonError(503, "The database cannot be reached right now; try again shortly.");
      // A setting the server needs is missing or malformed: say which (not its value) so the operator
      // can tell from any answer, as `npm start` would have refused to start.
      if (error instanceof EnvError)
        return jsonError(
          503,
          "The server is not configured correctly; its operator must fix the settings named here (details in its log).",
          [...new Set(error.issues.map((i) => i.variable))].map((path) => ({
            path,
            message: "missing or invalid setting",
          })),
        );
      return jsonError(500, "The server failed to answer this request (the cause is in its log).");
    }
  };
}
