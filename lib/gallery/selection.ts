/**
 * A selection named in the page's URL (`ids=a,b` or repeated `ids=`): what the form without JavaScript
 * sends to its confirm step, and what the enhanced page picks up as its starting selection.
 */
import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { cells, type Db } from "@/lib/db";
import { MAX_DELETE_IDS } from "./delete";
import { toImageDto, type GalleryImageDto } from "./service";

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Well-formed ids only (anything else cannot name an image), each once, at most MAX_DELETE_IDS. */
export function readSelectedIds(raw: string | readonly string[] | undefined | null): string[] {
  const values = raw === undefined || raw === null ? [] : typeof raw === "string" ? [raw] : raw;
  const ids = values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => ID.test(v));
  return [...new Set(ids)].slice(0, MAX_DELETE_IDS);
}

/** The finished images among `ids`, newest first; unknown or unfinished ids are left out. */
export async function selectedImages(db: Db, ids: readonly string[]): Promise<GalleryImageDto[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      cellId: cells.id,
      batchId: cells.batchId,
      key: cells.finalKey,
      prompt: cells.prompt,
      model: cells.model,
      style: cells.style,
      template: cells.template,
      font: cells.font,
      width: cells.width,
      height: cells.height,
      bytes: cells.bytes,
      createdAt: cells.finishedAt,
    })
    .from(cells)
    .where(and(inArray(cells.id, [...ids]), eq(cells.status, "succeeded"), isNotNull(cells.finalKey)))
    .orderBy(desc(cells.finishedAt), desc(cells.id));
  return rows.map((row) => toImageDto({ ...row, key: row.key as string, createdAt: row.createdAt as Date }));
}
