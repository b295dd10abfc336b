"use client";
/** Sticky bar for the selected images: count, clear, download as ZIP, delete. */
import { imagesZipUrl } from "@/lib/export/urls";
import { plural } from "@/lib/format";

export interface SelectionBarProps {
  ids: readonly string[];
  onClear: () => void;
  onDelete: () => void;
}

export function SelectionBar({ ids, onClear, onDelete }: SelectionBarProps) {
  if (ids.length === 0) return null;
  const joined = ids.join(",");
  // A long selection (hundreds of ids) would make an over-long URL: post it as a form field instead.
  const zipAsLink = joined.length <= 2000;
  return (
    <div
      className="pointer-events-none sticky bottom-4 z-30 flex justify-center px-2"
      data-testid="selection-bar"
    >
      <div
        role="region"
        aria-label="Selected images"
        className="pointer-events-auto flex flex-wrap items-center gap-2 rounded-xl border border-zinc-700 bg-zinc-900/95 px-3 py-2 shadow-2xl shadow-black/60 backdrop-blur"
      >
        <p
          className="px-1 text-sm font-medium text-zinc-100"
          aria-live="polite"
          data-testid="selection-count"
        >
          {plural(ids.length, "image")} selected
        </p>
        <button type="button" className="btn-secondary" onClick={onClear}>
          Clear
        </button>
        {zipAsLink ? (
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
        <button type="button" className="btn-danger" onClick={onDelete}>
          Delete…
        </button>
      </div>
    </div>
  );
}
