/**
 * Why a page of GET /api/images did not load, and what can be done about it: a network error, a 5xx
 * or a wait (signed out, too many requests) may pass, so Retry; a refused query (400 naming its fields)
 * fails the same way every time, so the page names the fields and offers the query without them.
 * Client-safe, like filters.ts.
 */
import type { FieldIssue } from "@/lib/batches/input";
import {
  FILTER_KEYS,
  hasFilters,
  issuesText,
  loadError,
  type FilterKey,
  type GalleryFilters,
} from "./filters";

export interface LoadFailure {
  message: string;
  /** The fields a refused query names (none for other failures). */
  issues: FieldIssue[];
  /** The same request may load next time: Retry is offered. */
  retry: boolean;
}

/** 4xx answers that may pass without changing the query: signed in again, or after a wait. */
const PASSING = new Set([401, 408, 429]);

/** The failure a non-2xx answer of GET /api/images stands for, from its status and JSON body. */
export function responseFailure(
  status: number,
  body: { error?: string; issues?: FieldIssue[] },
): LoadFailure {
  const refused = status >= 400 && status < 500 && !PASSING.has(status);
  return { message: loadError(status, body), issues: refused ? (body.issues ?? []) : [], retry: !refused };
}

/** A query the server refused before asking the database (the server-rendered page's first page). */
export function refusedQuery(issues: FieldIssue[]): LoadFailure {
  return { message: issuesText(issues), issues, retry: false };
}

/** No answer at all (offline, the server down): trying again may work. */
export function networkFailure(message: string): LoadFailure {
  return { message, issues: [], retry: true };
}

/** A way to fix a refused query: the filters and page size to load instead. */
export interface QueryFix {
  label: string;
  filters: GalleryFilters;
  /** Keeps the page's size (`limit`); false: the size asked for is what was refused. */
  keepLimit: boolean;
}

const FIELD_NAMES: Record<FilterKey, string> = {
  q: "the title search",
  model: "the model",
  style: "the style",
  template: "the template",
  batch: "the batch",
  from: "the From date",
  to: "the To date",
};

const isFilterKey = (path: string): path is FilterKey => (FILTER_KEYS as readonly string[]).includes(path);

/**
 * One fix per field a refusal names, in its order: clear that filter; start from the newest images (a
 * cursor); use the usual page size (a limit). A refusal naming nothing the page can change: clear
 * every filter, or, with none, start over.
 */
export function queryFixes(issues: readonly FieldIssue[], filters: GalleryFilters): QueryFix[] {
  const fixes = new Map<string, QueryFix>();
  for (const { path } of issues) {
    if (fixes.has(path)) continue;
    if (isFilterKey(path) && filters[path] !== undefined) {
      const rest = { ...filters };
      delete rest[path];
      fixes.set(path, { label: `Clear ${FIELD_NAMES[path]}`, filters: rest, keepLimit: true });
    } else if (path === "cursor") {
      fixes.set(path, { label: "Start from the newest images", filters, keepLimit: true });
    } else if (path === "limit") {
      fixes.set(path, { label: "Show the usual number per page", filters, keepLimit: false });
    }
  }
  if (fixes.size > 0) return [...fixes.values()];
  return hasFilters(filters)
    ? [{ label: "Clear filters", filters: {}, keepLimit: true }]
    : [{ label: "Start from the newest images", filters: {}, keepLimit: false }];
}
