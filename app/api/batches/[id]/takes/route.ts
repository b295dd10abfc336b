import { z } from "zod";
import { denyWithoutAccess } from "@/lib/access-request";
import { newTakes } from "@/lib/batches/controls";
import { manageAction } from "@/lib/batches/manage";
import { fieldIssues } from "@/lib/batches/input";
import { jsonError, readJson, wantsHtml } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

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

/**
 * New takes: `{cells: [{promptIndex, model}]}` (a form post sends one cell as fields) → each named cell
 * of this finished batch gets a new picture from its model, a paid call. Owner only; 200
 * `{batch, queued}`. The cell keeps its picture until the new one succeeds, and falls back to it if
 * the take fails or is cancelled.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const denied = denyWithoutAccess(request);
  if (denied) return denied;
  const { id } = await params;
  const raw = wantsHtml(request) ? await fromForm(request) : await readJson(request);
  if (!raw.ok) return raw.response;
  const parsed = body.safeParse(raw.value);
  if (!parsed.success) {
    return jsonError(400, "Invalid request for new takes.", fieldIssues(parsed.error));
  }
  const cells = parsed.data.cells;
  const seen = new Set<string>();
  for (const [i, c] of cells.entries()) {
    const key = `${c.promptIndex}\u0000${c.model}`;
    if (seen.has(key))
      return jsonError(400, "Invalid request for new takes.", [
        { path: `cells.${i}`, message: "names the same cell twice" },
      ]);
    seen.add(key);
  }
  return manageAction(request, id, (batchId) => newTakes(batchId, cells), "queued");
}

/** A page with JavaScript off posts one cell: `promptIndex` and `model` fields. */
async function fromForm(request: Request): Promise<{ ok: true; value: unknown }> {
  const form = await request.formData();
  const index = String(form.get("promptIndex") ?? "");
  const promptIndex = /^\d+$/.test(index) ? Number(index) : index;
  return { ok: true, value: { cells: [{ promptIndex, model: String(form.get("model") ?? "") }] } };
}
