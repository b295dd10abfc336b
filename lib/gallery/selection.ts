/**
 * A selection named in the page's URL (`ids=a,b` or repeated `ids=`): what the form without JavaScript
 * sends to its confirm step, and what the enhanced page picks up as its starting selection.
 */
import { shownImages, type Db } from "@/lib/db";
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

/** The images `ids` show (a cell taken again: the picture it keeps), newest first; unknown ids and cells showing none are left out. */
export async function selectedImages(db: Db, ids: readonly string[]): Promise<GalleryImageDto[]> {
  return (await shownImages(db, ids)).map(toImageDto);
}
