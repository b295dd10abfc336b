/** Image ids for a selection ZIP, from `?ids=a,b,c` or a body `{"ids": [...]}`; field-level issues. */
import { parseImageIds, type IdsResult } from "@/lib/image-ids";
import { MAX_ZIP_IDS } from "./urls";

export type { IdsResult };

export function parseZipIds(value: unknown): IdsResult {
  return parseImageIds(value, MAX_ZIP_IDS, "ids");
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
