/** A request's list of image (cell) ids, `{"ids": [...]}`, validated with field-level issues. */
import { z } from "zod";
import { fieldIssues, type FieldIssue } from "@/lib/batches/input";

export type IdsResult = { ok: true; ids: string[] } | { ok: false; issues: FieldIssue[] };

const schemas = new Map<number, z.ZodType<{ ids: string[] }>>();

function schemaFor(max: number) {
  let schema = schemas.get(max);
  if (!schema) {
    schema = z.object({
      ids: z
        .array(
          z
            .string({ error: "each id must be a string" })
            .regex(/^[A-Za-z0-9_-]{1,64}$/, "each id must be an image id"),
          { error: "ids must be a list of image ids" },
        )
        .min(1, "ids must name at least one image")
        .max(max, `ids may name at most ${max} images`),
    });
    schemas.set(max, schema);
  }
  return schema;
}

/**
 * At most `max` ids, duplicates dropped (first occurrence kept). `rootPath` names issues about the
 * body as a whole (not an object, …).
 */
export function parseImageIds(value: unknown, max: number, rootPath = "(root)"): IdsResult {
  const parsed = schemaFor(max).safeParse(value);
  if (!parsed.success) {
    return { ok: false, issues: fieldIssues(parsed.error, rootPath) };
  }
  return { ok: true, ids: [...new Set(parsed.data.ids)] };
}
