import type { Metadata } from "next";
import { GalleryView } from "@/components/gallery/gallery-view";
import { listModels } from "@/lib/catalog/models";
import { FONTS } from "@/lib/catalog/fonts";
import { listStyles } from "@/lib/catalog/styles";
import { TEMPLATES } from "@/lib/catalog/templates";
import { getDb, listBatches } from "@/lib/db";
import { batchOptions } from "@/lib/gallery/batch-options";
import { readFilters, readLimit } from "@/lib/gallery/filters";
import { refusedQuery } from "@/lib/gallery/load-failure";
import { readDeleteNotice } from "@/lib/gallery/notice";
import { parseImageQuery } from "@/lib/gallery/query";
import { readSelectedIds, selectedImages } from "@/lib/gallery/selection";
import { galleryPage } from "@/lib/gallery/service";
import { isEmbedded } from "@/lib/mode";
import { unstorable } from "@/lib/user-text";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Gallery" };

const noSelection = (ids: string[]) =>
  ids.length > 0
    ? "None of the selected images exist any more."
    : "Nothing to delete: tick the images you want first.";

/** The batch filter's search, when it is one the database can look for (else the newest batches). */
const batchQuery = (text: string | undefined) => {
  const typed = text?.trim().slice(0, 200);
  return typed && !unstorable(typed) ? typed : undefined;
};

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Server-rendered first page (complete without JavaScript); GalleryView takes over in the browser. */
export default async function GalleryPage({ searchParams }: Props) {
  const sp = await searchParams;
  const flat = Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const filters = readFilters(sp);
  const limit = readLimit(sp);
  const query = parseImageQuery(flat);
  const page = query.ok ? await galleryPage({ ...query.value, limit: query.value.limit ?? 24 }) : null;
  const error = !query.ok ? refusedQuery(query.issues) : page && !page.ok ? refusedQuery(page.issues) : null;
  const db = await getDb();
  // Only batches with an image to show: the others would list nothing (a batch filtered on from a link
  // still shows as chosen). The newest 50, or those with a title containing `batchq` (the batch filter's
  // search, sent with the form without JavaScript; the browser pages and searches through the API).
  const batchSearch = batchQuery(flat.batchq);
  const found = await listBatches(db, { limit: 50, withImages: true, search: batchSearch });
  const recent = found.batches;
  // A batch chosen from a link that is older than those: listed too, under its own label, not its id.
  const chosen = filters.batch;
  const older =
    chosen && !recent.some((b) => b.id === chosen)
      ? (await listBatches(db, { ids: [chosen], limit: 1 })).batches
      : [];
  // A selection in the URL: the no-JS confirm step (?confirm=delete&ids=…) or its Cancel link.
  const ids = readSelectedIds(sp.ids);
  const selection = await selectedImages(db, ids);
  const confirming = sp.confirm === "delete";
  const notice = readDeleteNotice(sp) ?? (confirming && selection.length === 0 ? noSelection(ids) : null);
  const options = {
    models: listModels().map((m) => ({ value: m.id, label: m.label })),
    styles: listStyles().map((s) => ({ value: s.id, label: s.label })),
    templates: TEMPLATES.map((t) => ({ value: t.id, label: t.label })),
    fonts: FONTS.map((f) => ({ value: f.id, label: f.label })),
    batches: batchOptions([...recent, ...older]),
    batchesNext: found.nextCursor,
    batchSearch,
  };
  return (
    <main className="mx-auto max-w-7xl space-y-5 px-4 py-8">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Gallery</h1>
        {sp.cursor ? (
          <a href="/gallery" className="text-sm text-sky-400 hover:underline">
            Back to the newest images
          </a>
        ) : null}
      </div>
      <GalleryView
        images={page?.ok ? page.images : []}
        nextCursor={page?.ok ? page.nextCursor : null}
        total={page?.ok ? page.total : null}
        error={error}
        filters={filters}
        limit={limit}
        options={options}
        deleteNeedsToken={!isEmbedded()}
        cursor={typeof flat.cursor === "string" ? flat.cursor : undefined}
        initialSelection={selection}
        confirmDelete={confirming && selection.length > 0}
        notice={notice}
      />
    </main>
  );
}
