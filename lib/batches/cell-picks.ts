/**
 * The owner's per-cell controls (new takes, switching to another take): their body,
 * `{cells: [{promptIndex, model}]}` (switching: also `other`) as JSON, or one cell as the fields of a
 * plain form post (a page with JavaScript off), each cell at most once; and their route handler.
 */
import { z } from "zod";
import { denyWithoutAccess } from "@/lib/access-request";
import { OTHER_TAKES_KEPT } from "@/lib/db/schema";
import { OTHER_TAKE_ID } from "@/lib/db/take-id";
import { crossSite, jsonError, readJson, seeOther, wantsHtml } from "@/lib/http";
import { unstorable } from "@/lib/user-text";
import type { ManageOutcome } from "./controls";
import { formPage, formReturnHref, PAGE_FIELD } from "./form-return";
import { fieldIssues, type FieldIssue } from "./input";
import { manageAction } from "./manage";

/** Far above any batch (MAX_IMAGES_PER_BATCH is at most 10,000): it only bounds the request. */
const MAX_PICKS = 10_000;

const pick = z.object(
  {
    promptIndex: z
      .number({ error: "must be a title's index in the batch, from 0" })
      .int("must be a whole number")
      .min(0, "must be 0 or more")
      .max(MAX_PICKS, "is past any batch's titles"),
    model: z
      .string({ error: "must be a model id" })
      .trim()
      .min(1, "is required")
      .max(128)
      .superRefine((v, ctx) => {
        // The database refuses it (a 500); no model id has one.
        const bad = unstorable(v);
        if (bad) ctx.addIssue({ code: "custom", message: bad });
      }),
    /**
     * The cell's provider calls when the page showed it (what a mark for a new take records): a cell
     * with more has had a take since, from another tab or a copy of this one, and is refused rather
     * than paid for twice. Optional: API clients and the CLI name cells without it.
     */
    attempts: z.number({ error: "must be a number" }).int().min(0, "must be 0 or more").optional(),
  },
  { error: "each cell must be {promptIndex, model}" },
);

/**
 * Switching takes may say which other take: its id from the batch's `otherTakes` (what the page sends:
 * it cannot pick another picture if the list moved on meanwhile), or its position there (0: the one
 * shown most recently, the default).
 */
const switchPick = pick.extend({
  other: z
    .union([
      z
        .number()
        .int()
        .min(0, "must be 0 or more")
        .max(
          OTHER_TAKES_KEPT - 1,
          `must be below ${OTHER_TAKES_KEPT}: a cell keeps at most that many other takes`,
        ),
      z.string().regex(OTHER_TAKE_ID, "must be the id of one of the cell's otherTakes"),
    ])
    .optional(),
});

const bodyOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object(
    {
      cells: z
        .array(item, { error: "cells must be a list of {promptIndex, model}" })
        .min(1, "name at least one cell")
        .max(MAX_PICKS, `at most ${MAX_PICKS.toLocaleString("en")} cells at once`),
    },
    { error: "the body must be {cells: [{promptIndex, model}, …]}" },
  );
const bodies = { plain: bodyOf(pick), switch: bodyOf(switchPick) };

/**
 * `invalid`: the error line of a 400, e.g. "Invalid request for new takes." `page`: the grid page a
 * form post came from (undefined for JSON), where its answer sends it back.
 */
async function readCellPicks<K extends keyof typeof bodies>(
  request: Request,
  invalid: string,
  kind: K,
): Promise<
  | { ok: true; cells: z.infer<(typeof bodies)[K]>["cells"]; page?: number }
  | { ok: false; response: Response; issues?: FieldIssue[]; page?: number }
> {
  const form = wantsHtml(request) ? await fromForm(request) : null;
  const raw = form ?? (await readJson(request));
  if (!raw.ok) return raw;
  const page = form?.page;
  const refuse = (issues: FieldIssue[]) => ({
    ok: false as const,
    response: jsonError(400, invalid, issues),
    issues,
    page,
  });
  const parsed = bodies[kind].safeParse(raw.value);
  if (!parsed.success) return refuse(fieldIssues(parsed.error));
  const cells: z.infer<(typeof bodies)[K]>["cells"] = parsed.data.cells;
  const seen = new Set<string>();
  for (const [i, c] of cells.entries()) {
    const key = `${c.promptIndex}\u0000${c.model}`;
    if (seen.has(key)) return refuse([{ path: `cells.${i}`, message: "names the same cell twice" }]);
    seen.add(key);
  }
  return { ok: true, cells, page };
}

/**
 * A page with JavaScript off posts one cell: `promptIndex` and `model` fields (and `other`, a take's
 * id, to switch), and the grid page it shows (`page`), to be sent back to.
 */
async function fromForm(request: Request): Promise<{ ok: true; value: unknown; page: number }> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    // A body that does not parse as the form it claims: no fields, refused below as such.
    form = new FormData();
  }
  const number = (name: string) => {
    const text = String(form.get(name) ?? "");
    return /^\d+$/.test(text) ? Number(text) : text;
  };
  const cell = {
    promptIndex: number("promptIndex"),
    model: String(form.get("model") ?? ""),
    ...(form.has("attempts") ? { attempts: number("attempts") } : {}),
  };
  return {
    ok: true,
    value: { cells: [form.has("other") ? { ...cell, other: number("other") } : cell] },
    page: formPage(form.get(PAGE_FIELD)),
  };
}

/**
 * POST /api/batches/:id/<control>: behind the studio password (like the studio), owner only, then
 * `control` on the picked cells; 200 `{batch, [countKey]: n}` (a form post is sent back to the page).
 */
export function cellControlRoute<K extends keyof typeof bodies>(
  kind: K,
  invalid: string,
  control: (batchId: string, cells: z.infer<(typeof bodies)[K]>["cells"]) => Promise<ManageOutcome | null>,
  countKey: string,
) {
  return async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const denied = await denyWithoutAccess(request);
    if (denied) return denied;
    const { id } = await params;
    const picks = await readCellPicks(request, invalid, kind);
    if (!picks.ok) {
      // A form from a page of an older version, say: back to that page, saying what was wrong.
      if (picks.page === undefined || crossSite(request.headers)) return picks.response;
      const issue = picks.issues?.[0];
      return seeOther(
        formReturnHref(id, picks.page, issue ? `${invalid} ${issue.path}: ${issue.message}` : invalid),
      );
    }
    return manageAction(request, id, (batchId) => control(batchId, picks.cells), countKey, picks.page);
  };
}
