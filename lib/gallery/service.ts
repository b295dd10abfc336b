/** The gallery: every finished image as public JSON. */
import {
  countImages,
  getDb,
  listImages,
  InvalidCursorError,
  type GalleryImage,
  type ImageCount,
} from "@/lib/db";
import { urlFor } from "@/lib/batches/blob-url";
import type { FieldIssue } from "@/lib/batches/input";
import { UNKNOWN_CURSOR } from "@/lib/http";
import type { ImageQuery } from "./query";

export interface GalleryImageDto {
  id: string;
  url: string;
  batchId: string;
  prompt: string;
  model: string;
  style: string;
  template: string;
  font: string;
  width: number | null;
  height: number | null;
  createdAt: string;
}

export function toImageDto(img: GalleryImage): GalleryImageDto {
  return {
    id: img.cellId,
    url: urlFor(img.key, String(img.createdAt.getTime())),
    batchId: img.batchId,
    prompt: img.prompt,
    model: img.model,
    style: img.style,
    template: img.template,
    font: img.font,
    width: img.width,
    height: img.height,
    createdAt: img.createdAt.toISOString(),
  };
}

/**
 * A page of images; the first page (no cursor) also says how many match in all (`total`, counted up to
 * COUNT_CAP: lib/db/gallery.ts), so the lightbox can say "3 / 1,204" while later pages load.
 */
export async function galleryPage(
  query: ImageQuery,
): Promise<
  | { ok: true; images: GalleryImageDto[]; nextCursor: string | null; total?: ImageCount }
  | { ok: false; issues: FieldIssue[] }
> {
  try {
    const db = await getDb();
    const [page, total] = await Promise.all([
      listImages(db, query),
      query.cursor ? undefined : countImages(db, query),
    ]);
    return {
      ok: true,
      nextCursor: page.nextCursor,
      images: page.images.map(toImageDto),
      ...(total ? { total } : {}),
    };
  } catch (err) {
    if (err instanceof InvalidCursorError) return { ok: false, issues: [UNKNOWN_CURSOR] };
    throw err;
  }
}
