/** Gallery query parameters (GET /api/images and the /gallery page), validated once. */
import { z } from "zod";
import { ALL_MODEL_IDS, MODEL_IDS, resolveModel } from "@/lib/catalog/models";
import { isStyleId, STYLE_IDS } from "@/lib/catalog/styles";
import { isTemplateId, TEMPLATE_IDS } from "@/lib/catalog/templates";
import { MAX_PAGE_SIZE } from "@/lib/db/gallery";
import type { FieldIssue } from "@/lib/batches/input";
import { limitMessage } from "@/lib/http";
import { unstorable } from "@/lib/user-text";
import { datesReversed, endOf, FIRST_YEAR, LAST_YEAR, strictDate } from "./dates";

export { strictDate };

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

/**
 * A catalog id (after the storable check: a NUL is named once, as such). An id no catalog lists would
 * answer an empty page, as if no image matched: it is refused instead, naming the field.
 */
const catalogId = (what: string, known: (v: string) => boolean, ids: readonly string[]) =>
  text(what).superRefine((v, ctx) => {
    if (v === undefined || unstorable(v) || known(v)) return;
    ctx.addIssue({ code: "custom", message: `${what} "${v}" is not one of ${ids.join(", ")}` });
  });

/** Current model ids, and retired ones the catalog still resolves (old batches were made with them). */
const knownModel = (id: string) => (ALL_MODEL_IDS as readonly string[]).includes(id);

/**
 * The model ids a filter matches: the id itself, and for a retired id also its successor, as the catalog
 * resolves it (a batch file naming the retired id makes the successor's pictures today).
 */
export function modelFilter(id: string): string | string[] {
  const resolved = resolveModel(id).model.id;
  return resolved === id ? id : [id, resolved];
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
    limitMessage(MAX_PAGE_SIZE),
  ),
  model: catalogId("model", knownModel, MODEL_IDS),
  style: catalogId("style", isStyleId, STYLE_IDS),
  template: catalogId("template", isTemplateId, TEMPLATE_IDS),
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
  /** One model id, or a retired id and its successor (modelFilter). */
  model?: string | string[];
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
  // A range no moment is in would answer an empty page, as if no image matched: say why instead.
  if (datesReversed(q.from, q.to)) return { ok: false, issues: [reversedIssue(q.from ?? "", q.to ?? "")] };
  // A bare date for "to" means the whole day (up to the last moment a filter may name).
  const to = q.to ? endOf(q.to) : null;
  return {
    ok: true,
    value: {
      search: q.q,
      cursor: q.cursor,
      limit: q.limit ? Number(q.limit) : undefined,
      model: q.model && modelFilter(q.model),
      style: q.style,
      template: q.template,
      batchId: q.batch,
      from: (q.from && strictDate(q.from)) || undefined,
      to: to ?? undefined,
    },
  };
}

/** The issue for a from/to range that holds no moment (lib/gallery/dates.ts: datesReversed). */
function reversedIssue(from: string, to: string): FieldIssue {
  const same = strictDate(from)?.getTime() === strictDate(to)?.getTime();
  return {
    path: "from",
    message: `from (${from}) is ${same ? "the same moment as" : "after"} to (${to}), so no image can match; swap them or clear one`,
  };
}
