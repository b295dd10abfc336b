/** Skeletons, empty and error states for the gallery (server- and client-safe). */
import Link from "next/link";
import { dateText, strictDate } from "@/lib/gallery/dates";
import type { LoadFailure } from "@/lib/gallery/load-failure";

export function SkeletonCards({ count }: { count: number }) {
  return (
    <>
      {Array.from({ length: count }, (_, i) => (
        <li
          key={`skeleton-${i}`}
          aria-hidden
          className="overflow-hidden rounded-xl border border-zinc-800 bg-zinc-900"
          data-testid="gallery-skeleton"
        >
          <div className="aspect-video animate-pulse motion-reduce:animate-none bg-zinc-800" />
          <div className="space-y-2 p-3">
            <div className="h-3.5 w-4/5 animate-pulse motion-reduce:animate-none rounded bg-zinc-800" />
            <div className="h-3 w-3/5 animate-pulse motion-reduce:animate-none rounded bg-zinc-800" />
            <div className="h-3 w-2/5 animate-pulse motion-reduce:animate-none rounded bg-zinc-800" />
          </div>
        </li>
      ))}
    </>
  );
}

export const gridClass = "grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4";

export function EmptyState({
  filtered,
  clearHref,
  onClear,
}: {
  filtered: boolean;
  clearHref: string;
  onClear?: () => void;
}) {
  return (
    <div
      className="flex flex-col items-center gap-3 rounded-xl border border-dashed border-zinc-800 px-6 py-16 text-center"
      data-testid="gallery-empty"
    >
      {filtered ? (
        <>
          <p className="text-lg font-medium text-zinc-100">No images match these filters</p>
          <p className="text-sm text-zinc-400">Try another model, style or date range.</p>
          <a
            href={clearHref}
            className="btn-secondary"
            onClick={(event) => {
              if (!onClear) return;
              event.preventDefault();
              onClear();
            }}
          >
            Clear filters
          </a>
        </>
      ) : (
        <>
          <p className="text-lg font-medium text-zinc-100">No images yet</p>
          <p className="text-sm text-zinc-400">Finished thumbnails from every batch show up here.</p>
          <Link href="/" className="btn-primary">
            Start a batch
          </Link>
        </>
      )}
    </div>
  );
}

/** A link that applies in place once JavaScript runs (`onClick`), else loads its address. */
export interface FixLink {
  label: string;
  href: string;
  onClick?: () => void;
}

/**
 * Why images did not load. A failure that may pass (network, server error) offers Retry; a query the
 * server refused fails the same way every time, so the box names its fields and offers `fixes`.
 */
export function ErrorState({
  failure,
  onRetry,
  fixes = [],
}: {
  failure: LoadFailure;
  onRetry?: () => void;
  fixes?: FixLink[];
}) {
  const refused = !failure.retry;
  return (
    <div
      role="alert"
      className="flex flex-col items-center gap-3 rounded-xl border border-red-900/60 bg-red-950/30 px-6 py-10 text-center"
      data-testid="gallery-error"
    >
      <p className="font-medium text-red-200">
        {refused ? "The gallery cannot show images for this query" : "Images could not be loaded"}
      </p>
      {refused && failure.issues.length > 1 ? (
        <ul className="space-y-1 text-sm text-red-200/80">
          {failure.issues.map((issue, i) => (
            <li key={`${issue.path}-${i}`}>{issue.message}</li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-red-200/80">{failure.message}</p>
      )}
      {refused ? (
        <div className="flex flex-wrap justify-center gap-2">
          {fixes.map((fix) => (
            <a
              key={fix.label}
              href={fix.href}
              className="btn-secondary"
              onClick={(event) => {
                if (!fix.onClick) return;
                event.preventDefault();
                fix.onClick();
              }}
            >
              {fix.label}
            </a>
          ))}
        </div>
      ) : onRetry ? (
        <button type="button" className="btn-secondary" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

/** Said in place of the images when From is after To: no image can match, and "No images match" misled. */
export function DateOrderState({
  id,
  from,
  to,
  swapHref,
  onSwap,
}: {
  /** Named by the date fields' aria-describedby. */
  id: string;
  from: string;
  to: string;
  swapHref: string;
  onSwap?: () => void;
}) {
  // Only times from a link can be the same moment: two days the same are that whole day.
  const same = strictDate(from)?.getTime() === strictDate(to)?.getTime();
  return (
    <div
      role="alert"
      id={id}
      className="flex flex-col items-center gap-3 rounded-xl border border-red-900/60 bg-red-950/30 px-6 py-10 text-center"
      data-testid="gallery-date-order"
    >
      <p className="font-medium text-red-200">
        {same ? "The From and To dates are the same moment" : "The From date is after the To date"}
      </p>
      <p className="text-sm text-red-200/80">
        From is {dateText(from)} and To is {dateText(to)}, so no image can match.{" "}
        {same ? "Clear one of them." : "Swap them, or clear one."}
      </p>
      {same ? null : (
        <a
          href={swapHref}
          className="btn-secondary"
          onClick={(event) => {
            if (!onSwap) return;
            event.preventDefault();
            onSwap();
          }}
        >
          Swap the dates
        </a>
      )}
    </div>
  );
}
