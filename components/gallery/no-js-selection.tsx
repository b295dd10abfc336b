/**
 * Select and delete with JavaScript off: the cards' checkboxes belong to the selection form below (by its
 * id), which either posts them to the ZIP route or asks /gallery for a confirm step; the confirm step posts
 * to the delete route, which answers 303 back here with a notice. Rendered only until the page hydrates,
 * then the selection bar and the delete dialog take over.
 */
import { FILTER_KEYS, toSearch, type GalleryFilters } from "@/lib/gallery/filters";
import type { GalleryImageDto } from "@/lib/gallery/service";
import { plural } from "@/lib/format";
import type { Labels } from "./labels";

export const SELECTION_FORM_ID = "gallery-selection";

interface Place {
  filters: GalleryFilters;
  limit?: number;
  cursor?: string;
  /** The batch filter's search (`?batchq=`), so the batch list comes back as it was. */
  batchq?: string;
}

/** The page the form was on, carried through the round trip. */
function PlaceFields({ filters, limit, cursor, batchq }: Place) {
  return (
    <>
      {FILTER_KEYS.map((key) =>
        filters[key] ? <input key={key} type="hidden" name={key} value={filters[key]} /> : null,
      )}
      {batchq ? <input type="hidden" name="batchq" value={batchq} /> : null}
      {limit ? <input type="hidden" name="limit" value={limit} /> : null}
      {cursor ? <input type="hidden" name="cursor" value={cursor} /> : null}
    </>
  );
}

export function NoJsSelectionForm(place: Place) {
  return (
    <form
      id={SELECTION_FORM_ID}
      action="/gallery"
      method="get"
      data-sticky-bottom
      className="sticky bottom-4 z-30 mx-auto flex w-fit max-w-full flex-wrap items-center justify-center gap-2 rounded-xl border border-zinc-700 bg-zinc-900/95 px-3 py-2 shadow-2xl shadow-black/60"
      aria-label="Selected images"
      data-testid="selection-form"
    >
      <PlaceFields {...place} />
      <input type="hidden" name="confirm" value="delete" />
      <p className="hidden px-1 text-sm text-zinc-300 sm:block">Tick images, then:</p>
      <button type="submit" className="btn-secondary" formMethod="post" formAction="/api/images/zip">
        Download selected as ZIP
      </button>
      <button type="submit" className="btn-danger">
        Delete selected…
      </button>
    </form>
  );
}

export interface NoJsDeleteConfirmProps extends Place {
  images: readonly GalleryImageDto[];
  needsToken: boolean;
  labels: Labels;
}

const LISTED = 8;

/** The second step of a delete without JavaScript: what goes, the admin token if needed, and Cancel. */
export function NoJsDeleteConfirm({ images, needsToken, labels, ...place }: NoJsDeleteConfirmProps) {
  const ids = images.map((img) => img.id).join(",");
  const { limit, cursor, batchq } = place;
  const search = toSearch(place.filters, { limit, cursor, batchq });
  const cancelHref = `/gallery?${search ? `${search}&` : ""}ids=${ids}`;
  return (
    <section
      aria-labelledby="confirm-delete-title"
      className="space-y-3 rounded-xl border border-red-900/60 bg-red-950/30 p-4"
      data-testid="confirm-delete"
    >
      <h2 id="confirm-delete-title" className="text-lg font-semibold text-zinc-100">
        Delete {plural(images.length, "selected image")}?
      </h2>
      <p className="text-sm text-zinc-300">
        The images and their stored files are removed for good. Their batches keep every other image.
      </p>
      <ul className="list-disc space-y-0.5 pl-5 text-sm text-zinc-300">
        {images.slice(0, LISTED).map((img) => (
          <li key={img.id}>
            <bdi>{img.prompt}</bdi> <span className="text-zinc-400">({labels.model(img.model)})</span>
          </li>
        ))}
        {images.length > LISTED ? <li>and {images.length - LISTED} more</li> : null}
      </ul>
      <form method="post" action="/api/images/delete" className="flex flex-wrap items-end gap-3">
        <PlaceFields {...place} />
        <input type="hidden" name="ids" value={ids} />
        {needsToken ? (
          <label className="flex flex-col gap-1 text-sm text-zinc-300">
            Admin token
            <input
              type="password"
              name="token"
              required
              autoComplete="current-password"
              className="h-9 rounded-md border border-zinc-700 bg-zinc-950 px-2 text-zinc-100 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500"
              aria-describedby="confirm-token-hint"
            />
          </label>
        ) : null}
        <button type="submit" className="btn-danger h-9">
          Delete {plural(images.length, "image")}
        </button>
        <a href={cancelHref} className="btn-secondary inline-flex h-9 items-center">
          Cancel
        </a>
        {needsToken ? (
          <p id="confirm-token-hint" className="basis-full text-xs text-zinc-400">
            This server runs in production mode: deleting needs its ADMIN_TOKEN.
          </p>
        ) : null}
      </form>
    </section>
  );
}
