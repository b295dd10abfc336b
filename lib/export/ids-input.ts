/** Image ids for a selection ZIP, from `?ids=a,b,c` or a body `{"ids": [...]}`; field-level issues. */
import { z } from "zod";
import type { FieldIssue } from "@/lib/batches/input";
import { MAX_ZIP_IDS } from "./urls";

const idsSchema = z.object({
  ids: z
    .array(
      z
        .string({ error: "each id must be a string" })
        .regex(/^[A-Za-z0-9_-]{1,64}$/, "each id must be an image id"),
      { error: "ids must be a list of image ids" },
    )
    .min(1, "ids must name at least one image")
    .max(MAX_ZIP_IDS, `ids may name at most ${MAX_ZIP_IDS} images`),
});

export type IdsResult = { ok: true; ids: string[] } | { ok: false; issues: FieldIssue[] };

export function parseZipIds(value: unknown): IdsResult {
  const parsed = idsSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join(".") || "ids", message: i.message }));
    return { ok: false, issues };
  }
  return { ok: true, ids: [...new Set(parsed.data.ids)] };
}

/** `ids=a,b,c` (also repeated `ids=a&ids=b`); empty items are ignored. */
export function parseZipIdsQuery(params: URLSearchParams): IdsResult {
  const all = params.getAll("ids");
  if (all.length === 0)
    return { ok: false, issues: [{ path: "ids", message: "ids is required (ids=a,b,c)" }] };
  const ids = all
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  return parseZipIds({ ids });
}
