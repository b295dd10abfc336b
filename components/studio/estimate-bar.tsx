import type { Estimate } from "@/lib/studio/estimate";
import type { ModelOption } from "@/lib/studio/options";
import { formatCount, formatMs, formatUsd, plural } from "@/lib/format";
import { useDebounced } from "@/lib/studio/use-debounced";
import { useHydrated } from "@/lib/use-hydrated";
import { useStickyBottom } from "@/lib/use-sticky-bottom";
import { sentence } from "./field-error";

export interface EstimateBarProps {
  estimate: Estimate;
  /** Titles that make images (blank lines left out). */
  titles: number;
  models: ModelOption[];
  maxImages: number;
  pending: boolean;
  error: string | null;
  /** Over the limit, the batches of whole titles the submit could be split into instead (null: none). */
  splitInto: { batches: number; perBatch: number } | null;
  /** Over the limit with no split offered, why (lib/batches/split.ts). */
  noSplit: string | null;
  split: boolean;
  onSplit: (split: boolean) => void;
}

/** How long the counts must stay put before a screen reader hears them. */
const ANNOUNCE_AFTER_MS = 1200;

/** Sticky footer: what the batch will make, cost at list price and take, before anything is spent. */
export function EstimateBar(props: EstimateBarProps) {
  const { estimate, titles, models, maxImages, pending, error, splitInto, noSplit, split, onSplit } = props;
  const over = estimate.images > maxImages;
  const sticky = useStickyBottom<HTMLDivElement>();
  // The estimate follows the form only with JavaScript: without, the server checks on submit.
  const hydrated = useHydrated();
  const summary =
    !hydrated || estimate.images === 0
      ? ""
      : `${plural(estimate.images, "image")}${over ? `, over the limit of ${formatCount(maxImages)}` : ""}, ` +
        `estimated ${formatUsd(estimate.totalUsd)}, about ${formatMs(estimate.wallClockMs)}`;
  const announced = useDebounced(summary, ANNOUNCE_AFTER_MS);
  return (
    <div
      ref={sticky}
      data-sticky-bottom
      className="sticky bottom-0 z-10 -mx-4 flex flex-wrap items-center justify-between gap-4 border-t border-zinc-800 bg-zinc-950/95 px-4 py-4 backdrop-blur"
    >
      {/* Read out once the counts settle, in one short line: the bar itself changes with every key,
          and as a live region it was read out whole, again and again, while titles were typed. */}
      <p className="sr-only" aria-live="polite" data-testid="estimate-announce">
        {announced}
      </p>
      <div className="text-sm text-zinc-300" data-testid="estimate">
        {!hydrated ? (
          <p data-testid="estimate-static">
            <span className="font-semibold text-zinc-100">
              Up to {formatCount(maxImages)} images a batch.
            </span>{" "}
            <span className="text-zinc-400">Cost and time are estimated here with JavaScript on.</span>
          </p>
        ) : estimate.images === 0 ? (
          <p data-testid="estimate-empty">
            <span className="font-semibold text-zinc-100">No images yet.</span>{" "}
            <span className="text-zinc-400">
              Add a title and pick a model (up to {formatCount(maxImages)} images).
            </span>
          </p>
        ) : (
          <p>
            {/* The counts of a long paste, checked at a glance: blank lines are not titles. */}
            <span data-testid="estimate-counts">
              {plural(titles, "title")} × {plural(models.length, "model")} ={" "}
            </span>
            <span
              className={over ? "font-semibold text-red-300" : "font-semibold text-zinc-100"}
              data-testid="estimate-images"
            >
              {plural(estimate.images, "image")}
            </span>{" "}
            <span className="text-zinc-400">(limit {formatCount(maxImages)})</span> · est.{" "}
            <span className="font-semibold text-zinc-100" data-testid="estimate-cost">
              {formatUsd(estimate.totalUsd)}
            </span>{" "}
            · about <span data-testid="estimate-time">{formatMs(estimate.wallClockMs)}</span>
          </p>
        )}
        {over && splitInto ? (
          <label className="mt-1 flex items-center gap-2 text-zinc-200">
            <input
              type="checkbox"
              name="split"
              value="1"
              checked={split}
              onChange={(e) => onSplit(e.target.checked)}
              className="h-4 w-4 accent-sky-500"
            />
            Send as {splitInto.batches} batches of up to {plural(splitInto.perBatch, "title")}
          </label>
        ) : over && noSplit ? (
          <p className="mt-1 text-red-300" data-testid="estimate-no-split">
            {sentence(noSplit)}.
          </p>
        ) : null}
        {models.length > 1 ? (
          <p className="text-xs text-zinc-400">
            {models.map((m) => `${m.label} ${formatUsd(estimate.perModelUsd[m.id] ?? 0)}`).join(" · ")}
          </p>
        ) : null}
      </div>
      <div className="flex items-center gap-3">
        {error ? (
          <p className="text-sm text-red-300" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn-primary px-5 py-2" disabled={pending}>
          {pending ? "Starting…" : "Generate thumbnails"}
        </button>
      </div>
    </div>
  );
}
