/**
 * Answers for plain form posts from the gallery with JavaScript off: a 303 back to the page, or a small
 * readable HTML page for a refusal (the browser shows the body as it is, so JSON would read as noise).
 */
import { escapeHtml } from "@/lib/html";
import type { FieldIssue } from "@/lib/batches/input";
import { readBatchSearch, readFilters, readLimit, toSearch } from "./filters";

/**
 * The gallery address a form came from: its filters, the batch filter's search, page size and cursor,
 * as hidden fields sent them.
 */
export function galleryHref(form: FormData, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of form) if (typeof value === "string") params.append(key, value);
  const cursor = params.get("cursor")?.trim() || null;
  const search = new URLSearchParams(
    toSearch(readFilters(params), { limit: readLimit(params), cursor, batchq: readBatchSearch(params) }),
  );
  for (const [key, value] of Object.entries(extra)) search.set(key, value);
  const query = search.toString();
  return query ? `/gallery?${query}` : "/gallery";
}

export interface HtmlLink {
  href: string;
  label: string;
}

export function htmlResult(status: number, error: string, issues: FieldIssue[], links: HtmlLink[]): Response {
  const items = issues.map((i) => `<li>${escapeHtml(i.message)}</li>`).join("");
  const anchors = links
    .map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a>`)
    .join(" &middot; ");
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(error)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;background:#09090b;color:#f4f4f5;max-width:40rem;margin:4rem auto;padding:0 1rem}
h1{font-size:1.25rem}li{color:#fca5a5}a{color:#38bdf8}</style></head>
<body><main><h1>${escapeHtml(error)}</h1>${items ? `<ul>${items}</ul>` : ""}<p>${anchors}</p></main></body></html>
`;
  return new Response(body, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
