import { jsonError } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Any /api/ address no route serves: JSON like every other API answer, not the site's HTML 404 page. */
function notFound(request: Request): Response {
  return jsonError(404, `No API at ${new URL(request.url).pathname}; see the README's API table.`);
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
// Next's own OPTIONS would answer 204 with every method allowed, for an address that serves none.
export const OPTIONS = notFound;
