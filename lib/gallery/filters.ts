/**
 * Gallery filters as the page and its client share them: plain strings straight from the URL, turned back
 * into a query string for GET /api/images and for the address bar. Client-safe (no server imports);
 * validation stays in query.ts on the server.
 */
export const FILTER_KEYS = ["q", "model", "style", "template", "batch", "from", "to"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type GalleryFilters = Partial<Record<FilterKey, string>>;

type Raw = Record<string, string | string[] | undefined> | URLSearchParams;

function first(raw: Raw, key: string): string | undefined {
  const value = raw instanceof URLSearchParams ? (raw.get(key) ?? undefined) : raw[key];
  const one = Array.isArray(value) ? value[0] : value;
  const trimmed = one?.trim();
  return trimmed ? trimmed : undefined;
}

/** The filters present in a URL's search params (empty values dropped). */
export function readFilters(raw: Raw): GalleryFilters {
  const out: GalleryFilters = {};
  for (const key of FILTER_KEYS) {
    const value = first(raw, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The page size asked for in the URL, if it is a positive integer (the API validates the upper bound). */
export function readLimit(raw: Raw): number | undefined {
  const value = first(raw, "limit");
  return value && /^\d{1,3}$/.test(value) && Number(value) > 0 ? Number(value) : undefined;
}

/**
 * The batch filter's search (`batchq`: text in a batch's titles), when the URL has one: not a filter of
 * the images, but carried with them so the batches the filter lists stay those asked for.
 */
export function readBatchSearch(raw: Raw): string | undefined {
  return first(raw, "batchq")?.slice(0, 200);
}

export function hasFilters(filters: GalleryFilters): boolean {
  return FILTER_KEYS.some((key) => filters[key] !== undefined);
}

/** A stable query string: filters in a fixed order, then the batch filter's search, limit and cursor. */
export function toSearch(
  filters: GalleryFilters,
  extra: { limit?: number; cursor?: string | null; batchq?: string } = {},
): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (extra.batchq) params.set("batchq", extra.batchq);
  if (extra.limit) params.set("limit", String(extra.limit));
  if (extra.cursor) params.set("cursor", extra.cursor);
  return params.toString();
}

/**
 * The address's query (`window.location.search`) with the batch filter's search replaced, or dropped when
 * `batchq` is empty; its filters, page size and cursor kept, in toSearch's order.
 */
export function withBatchSearch(current: string | URLSearchParams, batchq: string | undefined): string {
  const params = new URLSearchParams(current);
  const cursor = params.get("cursor")?.trim() || null;
  return toSearch(readFilters(params), {
    limit: readLimit(params),
    cursor,
    batchq: batchq?.trim() || undefined,
  });
}

/** Merges items by id, keeping the first copy: a page that overlaps what is shown adds nothing twice. */
export function appendUnique<T extends { id: string }>(current: readonly T[], next: readonly T[]): T[] {
  const seen = new Set(current.map((item) => item.id));
  const out = [...current];
  for (const item of next) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    out.push(item);
  }
  return out;
}

/** A refused gallery query as the page says it: every field's message, in order. */
export function issuesText(issues: readonly { message: string }[]): string {
  return issues.map((i) => i.message).join("; ");
}

/**
 * Why a page of GET /api/images did not load, from its JSON answer: the field messages of a refused
 * query (as the server-rendered page shows them), else its error, else the status.
 */
export function loadError(status: number, body: { error?: string; issues?: { message: string }[] }): string {
  if (body.issues?.length) return issuesText(body.issues);
  return body.error ?? `The gallery could not be loaded (HTTP ${status}).`;
}
