/**
 * The owner's per-cell controls (new takes, switching to the other take): their body,
 * `{cells: [{promptIndex, model}]}` as JSON or one cell as the fields of a plain form post (a page with
 * JavaScript off), each cell at most once; and their route handler.
 */
import { z } from "zod";
import { denyWithoutAccess } from "@/lib/access-request";
import type { CellPick } from "@/lib/db";
import { jsonError, readJson, wantsHtml } from "@/lib/http";
import type { ManageOutcome } from "./controls";
import { fieldIssues } from "./input";
import { manageAction } from "./manage";

/** Far above any batch (MAX_IMAGES_PER_BATCH is at most 10,000): it only bounds the request. */
const MAX_PICKS = 10_000;

const pick = z.object({
  promptIndex: z.number().int().min(0, "must be 0 or more").max(MAX_PICKS, "is past any batch's titles"),
  model: z.string().trim().min(1, "is required").max(128),
});

const body = z.object({
  cells: z
    .array(pick)
    .min(1, "name at least one cell")
    .max(MAX_PICKS, `at most ${MAX_PICKS.toLocaleString("en")} cells at once`),
});

/** `invalid`: the error line of a 400, e.g. "Invalid request for new takes." */
async function readCellPicks(
  request: Request,
  invalid: string,
): Promise<{ ok: true; cells: CellPick[] } | { ok: false; response: Response }> {
  const raw = wantsHtml(request) ? await fromForm(request) : await readJson(request);
  if (!raw.ok) return raw;
  const parsed = body.safeParse(raw.value);
  if (!parsed.success) return { ok: false, response: jsonError(400, invalid, fieldIssues(parsed.error)) };
  const cells = parsed.data.cells;
  const seen = new Set<string>();
  for (const [i, c] of cells.entries()) {
    const key = `${c.promptIndex}\u0000${c.model}`;
    if (seen.has(key))
      return {
        ok: false,
        response: jsonError(400, invalid, [{ path: `cells.${i}`, message: "names the same cell twice" }]),
      };
    seen.add(key);
  }
  return { ok: true, cells };
}

/** A page with JavaScript off posts one cell: `promptIndex` and `model` fields. */
async function fromForm(request: Request): Promise<{ ok: true; value: unknown }> {
  const form = await request.formData();
  const index = String(form.get("promptIndex") ?? "");
  const promptIndex = /^\d+$/.test(index) ? Number(index) : index;
  return { ok: true, value: { cells: [{ promptIndex, model: String(form.get("model") ?? "") }] } };
}

/**
 * POST /api/batches/:id/<control>: behind the studio password (like the studio), owner only, then
 * `control` on the picked cells; 200 `{batch, [countKey]: n}` (a form post is sent back to the page).
 */
export function cellControlRoute(
  invalid: string,
  control: (batchId: string, cells: CellPick[]) => Promise<ManageOutcome | null>,
  countKey: string,
) {
  return async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const denied = denyWithoutAccess(request);
    if (denied) return denied;
    const { id } = await params;
    const picks = await readCellPicks(request, invalid);
    if (!picks.ok) return picks.response;
    return manageAction(request, id, (batchId) => control(batchId, picks.cells), countKey);
  };
}
