/** Gallery query parameters (GET /api/images and the /gallery page), validated once. */
import { z } from "zod";
import { MAX_PAGE_SIZE } from "@/lib/db/gallery";
import type { FieldIssue } from "@/lib/batches/input";
import { unstorable } from "@/lib/user-text";

const optional = z
  .string()
  .trim()
  .max(128)
  .optional()
  .transform((v) => (v === "" ? undefined : v));

/** Text compared with stored values: the database refuses some characters outright (a 500). */
const storable =
  (what: string) =>
  (v: string | undefined, ctx: z.RefinementCtx): void => {
    const bad = v === undefined ? null : unstorable(v);
    if (bad) ctx.addIssue({ code: "custom", message: `${what} ${bad}` });
  };

const text = (what: string) => optional.superRefine(storable(what));

const FIRST_YEAR = 1970;
const LAST_YEAR = 9999;
/** The last moment a filter may name: Postgres misreads the six-digit years toISOString writes past it. */
const LATEST = Date.UTC(LAST_YEAR, 11, 31, 23, 59, 59, 999);
/** A day, or a time on it with its zone (Z or ±HH:MM): never a guess at local time. */
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** The moment `v` names, when it is a real calendar date (2026-02-31 is not) from 1970 to 9999, or null. */
export function strictDate(v: string): Date | null {
  const m = ISO_DATE.exec(v);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const midnight = new Date(Date.UTC(year, month - 1, day));
  if (year < FIRST_YEAR || midnight.getUTCMonth() !== month - 1 || midnight.getUTCDate() !== day) return null;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return null;
  const at = new Date(v);
  return Number.isNaN(at.getTime()) || at.getTime() > LATEST ? null : at;
}

const date = (what: string) =>
  optional.refine(
    (v) => v === undefined || strictDate(v) !== null,
    `${what} must be a real date from ${FIRST_YEAR} to ${LAST_YEAR}: YYYY-MM-DD, or ISO 8601 with a time zone (2026-01-31T12:00:00Z)`,
  );

export const imageQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .max(200, "q (text the title contains) must be at most 200 characters")
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .superRefine(storable("q (text the title contains)")),
  cursor: optional,
  limit: optional.refine(
    (v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_PAGE_SIZE),
    `limit must be 1–${MAX_PAGE_SIZE}`,
  ),
  model: text("model"),
  style: text("style"),
  template: text("template"),
  batch: optional.refine(
    (v) => v === undefined || /^[A-Za-z0-9_-]{1,64}$/.test(v),
    "batch must be a batch id",
  ),
  from: date("from"),
  to: date("to"),
});

export interface ImageQuery {
  /** Text the title contains. */
  search?: string;
  cursor?: string;
  limit?: number;
  model?: string;
  style?: string;
  template?: string;
  batchId?: string;
  from?: Date;
  to?: Date;
}

export function parseImageQuery(
  params: URLSearchParams | Record<string, string | undefined>,
): { ok: true; value: ImageQuery } | { ok: false; issues: FieldIssue[] } {
  const obj = params instanceof URLSearchParams ? Object.fromEntries(params) : params;
  const parsed = imageQuerySchema.safeParse(obj);
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    };
  const q = parsed.data;
  const to = q.to ? strictDate(q.to) : null;
  // A bare date for "to" means the whole day (up to the last moment a filter may name).
  if (to && q.to && /^\d{4}-\d{2}-\d{2}$/.test(q.to)) to.setTime(Math.min(to.getTime() + 86_400_000, LATEST));
  return {
    ok: true,
    value: {
      search: q.q,
      cursor: q.cursor,
      limit: q.limit ? Number(q.limit) : undefined,
      model: q.model,
      style: q.style,
      template: q.template,
      batchId: q.batch,
      from: (q.from && strictDate(q.from)) || undefined,
      to: to ?? undefined,
    },
  };
}
