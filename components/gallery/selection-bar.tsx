"use client";
/**
 * Sticky bar for the selected images: how many, how many of them the current filters hide, clear,
 * download as ZIP, delete. Actions cover the whole selection, shown or not.
 */
import { imagesZipUrl, MAX_ZIP_IDS } from "@/lib/export/urls";
import { plural } from "@/lib/format";
import { useStickyBottom } from "@/lib/use-sticky-bottom";

export interface SelectionBarProps {
  ids: readonly string[];
  /** Selected images not in the list shown now. */
  hidden: number;
  /** Filters are on (so "not shown" is their doing). */
  filtered: boolean;
  onClear: () => void;
  onDelete: () => void;
  /** The bar itself: a card's "Go to selection" focuses it. */
  barRef?: React.Ref<HTMLDivElement>;
  /** Its Delete… button: where the keyboard goes back to when the delete dialog closes. */
  deleteRef?: React.Ref<HTMLButtonElement>;
}

export function SelectionBar(props: SelectionBarProps) {
  const { ids, hidden, filtered, onClear, onDelete, barRef, deleteRef } = props;
  const sticky = useStickyBottom<HTMLDivElement>();
  if (ids.length === 0) return null;
  const joined = ids.join(",");
  // A long selection (hundreds of ids) would make an over-long URL: post it as a form field instead.
  const zipAsLink = joined.length <= 2000;
  // The ZIP and delete routes take at most MAX_ZIP_IDS ids (the delete limit is the same).
  const tooMany = ids.length > MAX_ZIP_IDS;
  return (
    <div
      ref={sticky}
      data-sticky-bottom
      className="pointer-events-none sticky bottom-4 z-30 flex justify-center px-2"
      data-testid="selection-bar"
    >
      <div
        ref={barRef}
        tabIndex={-1}
        role="region"
        aria-label="Selected images"
        className="pointer-events-auto flex flex-wrap items-center gap-2 rounded-xl border border-zinc-700 bg-zinc-900/95 px-3 py-2 shadow-2xl shadow-black/60 backdrop-blur focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
      >
        <p className="px-1 text-sm text-zinc-100" aria-live="polite" data-testid="selection-count">
          <span className="font-medium">{plural(ids.length, "image")} selected</span>
          {hidden > 0 ? (
            <span className="text-amber-200" data-testid="selection-hidden">
              {` · ${hidden} not shown ${filtered ? "with these filters" : "here"}`}
            </span>
          ) : null}
        </p>
        <button type="button" className="btn-secondary" onClick={onClear}>
          Clear selection
        </button>
        {tooMany ? (
          <p className="text-sm text-amber-200" role="alert">
            At most {MAX_ZIP_IDS} at a time: clear some first.
          </p>
        ) : zipAsLink ? (
          <a href={imagesZipUrl(ids)} className="btn-secondary" download>
            Download ZIP
          </a>
        ) : (
          <form method="post" action="/api/images/zip">
            <input type="hidden" name="ids" value={joined} />
            <button type="submit" className="btn-secondary">
              Download ZIP
            </button>
          </form>
        )}
        <button ref={deleteRef} type="button" className="btn-danger" onClick={onDelete} disabled={tooMany}>
          Delete…
        </button>
      </div>
    </div>
  );
}
