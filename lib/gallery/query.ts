/** Gallery query parameters (GET /api/images and the /gallery page), validated once. */
import { z } from "zod";
import { MAX_PAGE_SIZE } from "@/lib/db/gallery";
import type { FieldIssue } from "@/lib/batches/input";

const optional = z
  .string()
  .trim()
  .max(128)
  .optional()
  .transform((v) => (v === "" ? undefined : v));

const date = (what: string) =>
  optional.refine(
    (v) => v === undefined || !Number.isNaN(Date.parse(v)),
    `${what} must be a date (YYYY-MM-DD or ISO 8601)`,
  );

export const imageQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .max(200, "q (text the title contains) must be at most 200 characters")
    .optional()
    .transform((v) => (v === "" ? undefined : v)),
  cursor: optional,
  limit: optional.refine(
    (v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_PAGE_SIZE),
    `limit must be 1–${MAX_PAGE_SIZE}`,
  ),
  model: optional,
  style: optional,
  template: optional,
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
  const to = q.to ? new Date(q.to) : undefined;
  // A bare date for "to" means the whole day.
  if (to && q.to && /^\d{4}-\d{2}-\d{2}$/.test(q.to)) to.setUTCDate(to.getUTCDate() + 1);
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
      from: q.from ? new Date(q.from) : undefined,
      to,
    },
  };
}
