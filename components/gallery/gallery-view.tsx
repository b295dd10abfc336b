"use client";
/**
 * The gallery once JavaScript runs: filters apply in place (and update the address), older pages load as
 * the end of the list scrolls into view (or the lightbox steps past the last one), cards open the lightbox
 * and can be selected for ZIP or delete.
 * The selection outlives filter changes. Until it hydrates (or with JavaScript off) the same cards carry
 * plain form checkboxes for the no-JS selection form (no-js-selection.tsx).
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Lightbox, type LightboxItem } from "@/components/lightbox";
import { downloadUrlFor } from "@/lib/export/urls";
import { datesReversed } from "@/lib/gallery/dates";
import { hasFilters, toSearch, withBatchSearch, type GalleryFilters } from "@/lib/gallery/filters";
import { queryFixes, type LoadFailure } from "@/lib/gallery/load-failure";
import { deleteNotice } from "@/lib/gallery/notice";
import { shownText } from "@/lib/gallery/shown";
import type { ImageCount } from "@/lib/db";
import type { GalleryImageDto } from "@/lib/gallery/service";
import { useHydrated } from "@/lib/use-hydrated";
import { DeleteDialog } from "./delete-dialog";
import { GalleryCard } from "./gallery-card";
import type { BatchFilterHandle } from "./batch-filter";
import { GalleryFiltersForm, type FilterOptions } from "./gallery-filters";
import { GalleryImageMeta } from "./image-meta";
import {
  DateOrderState,
  EmptyState,
  ErrorState,
  SkeletonCards,
  gridClass,
  type FixLink,
} from "./gallery-states";
import { CountRow, Notice } from "./gallery-status";
import { makeLabels } from "./labels";
import { NoJsDeleteConfirm, NoJsSelectionForm, SELECTION_FORM_ID } from "./no-js-selection";
import { SelectionBar } from "./selection-bar";
import { useGalleryFeed, useLoadWhenNear } from "./use-gallery-feed";
import { useSelection } from "./use-selection";

export interface GalleryViewProps {
  images: GalleryImageDto[];
  nextCursor: string | null;
  /** How many images match in all (the first page only: null on a page that began at a cursor). */
  total?: ImageCount | null;
  /** The first page was refused on the server (a bad query or cursor). */
  error: LoadFailure | null;
  filters: GalleryFilters;
  limit?: number;
  /** The keyset cursor of the page the server rendered (an older page), if any. */
  cursor?: string;
  options: FilterOptions;
  /** Production mode: deleting needs the admin token. */
  deleteNeedsToken: boolean;
  /** Images the URL selected (`?ids=`): the no-JS confirm step's list, and the starting selection. */
  initialSelection?: GalleryImageDto[];
  /** `?confirm=delete` with a selection: the no-JS confirm step, or the delete dialog once hydrated. */
  confirmDelete?: boolean;
  /** Said on arrival, e.g. what a no-JS delete did. */
  notice?: string | null;
}

const DATE_ORDER_ID = "gallery-date-order";

// One-shot URL parts: read once by the page, then dropped from the address so a reload does not redo them.
const ONE_SHOT = ["ids", "confirm", "deleted", "skipped"];

type Item = LightboxItem & { image: GalleryImageDto };

export function GalleryView(props: GalleryViewProps) {
  const { options, limit, cursor, deleteNeedsToken } = props;
  const labels = useMemo(() => makeLabels(options), [options]);
  const [filters, setFilters] = useState(props.filters);
  // The batch filter's search (`?batchq=`): kept in every link and form that keeps the filters, and in the
  // address a filter change writes, so the batch list comes back as it was.
  const [batchq, setBatchq] = useState(options.batchSearch);
  const batchFilter = useRef<BatchFilterHandle>(null);
  const feed = useGalleryFeed(
    {
      images: props.images,
      nextCursor: props.nextCursor,
      total: props.total ?? null,
      status: props.error ? "error-first" : "idle",
      error: props.error,
    },
    props.filters,
    limit,
  );
  const { images, nextCursor, status, error, total } = feed.state;
  const hydrated = useHydrated();
  const selection = useSelection(props.initialSelection ?? []);
  const { selected } = selection;
  const [openId, setOpenId] = useState<string | null>(null);
  // Stepping past the last image shown loads older images and goes on to the first of them.
  const [stepOnFrom, setStepOnFrom] = useState<string | null>(null);
  if (stepOnFrom !== null) {
    const at = images.findIndex((img) => img.id === stepOnFrom);
    const after = at >= 0 ? images[at + 1] : undefined;
    if (after || at < 0 || !nextCursor) setStepOnFrom(null);
    if (after && openId === stepOnFrom) setOpenId(after.id);
  }
  const { loadMore, retry } = feed;
  const beyond = useMemo(
    () => ({
      next: nextCursor
        ? () => {
            setStepOnFrom(openId);
            // After a failed load, the arrow tries again (the error shows under the grid meanwhile).
            if (status === "error-more") retry();
            else loadMore();
          }
        : undefined,
    }),
    [nextCursor, openId, loadMore, retry, status],
  );
  const [confirming, setConfirming] = useState(Boolean(props.confirmDelete));
  const [notice, setNotice] = useState(props.notice ?? "");
  const sentinel = useRef<HTMLAnchorElement>(null);
  // The delete dialog hands the keyboard back to Delete…, or to the notice once the selection is gone.
  const deleteRef = useRef<HTMLButtonElement>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const barRef = useRef<HTMLDivElement>(null);
  const toBar = useCallback(() => barRef.current?.focus(), []);
  const returnFocus = useCallback(
    () => (deleteRef.current?.isConnected ? deleteRef.current : noticeRef.current),
    [],
  );

  useEffect(() => {
    const url = new URL(window.location.href);
    if (!ONE_SHOT.some((key) => url.searchParams.has(key))) return;
    for (const key of ONE_SHOT) url.searchParams.delete(key);
    window.history.replaceState(null, "", `${url.pathname}${url.search}`);
  }, []);

  // Boxes ticked (or unticked) before hydration: React's first update would reset them, so adopt them.
  const { set: setSelected } = selection;
  const serverImages = props.images;
  useLayoutEffect(() => {
    const boxes = document.querySelectorAll<HTMLInputElement>(`input[form="${SELECTION_FORM_ID}"]`);
    const state = new Map(Array.from(boxes, (box) => [box.value, box.checked]));
    const pick = (on: boolean) => serverImages.filter((img) => state.get(img.id) === on);
    setSelected(pick(true), true);
    setSelected(pick(false), false);
  }, [setSelected, serverImages]);

  const show = (next: GalleryFilters, keptBatchq: string | undefined) => {
    setFilters(next);
    const search = toSearch(next, { limit, batchq: keptBatchq });
    window.history.replaceState(null, "", search ? `/gallery?${search}` : "/gallery");
    feed.reload(next);
  };
  const apply = (next: GalleryFilters) => show(next, batchq);
  // Clear empties the whole filter form, the batch filter's search too, as its link does without
  // JavaScript (it only keeps the page size): the batch list goes back to the newest batches.
  const clear = () => {
    batchFilter.current?.reset();
    setBatchq(undefined);
    show({}, undefined);
  };
  // A search of the batch filter has listed its batches: the address carries it at once, not only from
  // the next filter change, so a reload or a shared link lists them again. Replaced, not pushed (the
  // box already waits for typing to rest): Back leaves the gallery instead of stepping through words.
  // Read from the address, not this render's filters: a filter may have changed while the search ran.
  const batchSearched = useCallback((text: string) => {
    const search = text || undefined;
    setBatchq(search);
    const query = withBatchSearch(window.location.search, search);
    window.history.replaceState(null, "", query ? `/gallery?${query}` : "/gallery");
  }, []);

  useLoadWhenNear(sentinel, nextCursor, feed.loadMore, images.length);

  const items = useMemo<Item[]>(
    () =>
      images.map((image) => ({
        id: image.id,
        src: image.url,
        alt: image.prompt,
        width: image.width,
        height: image.height,
        image,
      })),
    [images],
  );

  // From after To: the API refuses the range, and the page says why instead of showing images.
  const reversed = datesReversed(filters.from, filters.to);
  const swapped = { ...filters, from: filters.to, to: filters.from };
  // Nor does a first page that failed: the images of the filters before are not shown under its error.
  const shownImages = reversed || status === "error-first" ? [] : images;
  const allSelected = images.length > 0 && images.every((img) => selected.has(img.id));
  const selectedIds = [...selected.keys()];
  const shown = new Set(images.map((img) => img.id));
  const hidden = selectedIds.filter((id) => !shown.has(id)).length;
  const filtered = hasFilters(filters);
  const place = { filters, limit, cursor, batchq };
  const clearHref = limit ? `/gallery?limit=${limit}` : "/gallery";
  // A refused query: each way to fix it, in place once hydrated (a page size only by loading the page).
  const fixes: FixLink[] =
    error && !error.retry
      ? queryFixes(error.issues, filters).map((fix) => {
          const search = toSearch(fix.filters, { limit: fix.keepLimit ? limit : undefined, batchq });
          return {
            label: fix.label,
            href: search ? `/gallery?${search}` : "/gallery",
            onClick: hydrated && fix.keepLimit ? () => apply(fix.filters) : undefined,
          };
        })
      : [];
  const olderHref = nextCursor
    ? `/gallery?${toSearch(filters, { limit, cursor: nextCursor, batchq })}`
    : null;

  return (
    <div className="space-y-5">
      <GalleryFiltersForm
        filters={filters}
        options={options}
        limit={limit}
        onApply={hydrated ? apply : undefined}
        onClear={hydrated ? clear : undefined}
        onBatchSearch={batchSearched}
        batchFilterRef={batchFilter}
        datesDescribedBy={reversed ? DATE_ORDER_ID : undefined}
      />
      <CountRow
        text={
          status === "loading-first"
            ? "Loading…"
            : `${shownText(shownImages.length, shownImages.length > 0 ? total : null)}${nextCursor && shownImages.length > 0 ? " · more below" : ""}`
        }
        selectAll={
          hydrated && shownImages.length > 0
            ? { checked: allSelected, onChange: (on) => selection.set(images, on) }
            : undefined
        }
      />
      <Notice text={notice} ref={noticeRef} />
      {!hydrated && props.confirmDelete && props.initialSelection?.length ? (
        <NoJsDeleteConfirm
          images={props.initialSelection}
          needsToken={deleteNeedsToken}
          labels={labels}
          {...place}
        />
      ) : null}
      {reversed ? (
        <DateOrderState
          id={DATE_ORDER_ID}
          from={filters.from ?? ""}
          to={filters.to ?? ""}
          swapHref={`/gallery?${toSearch(swapped, { limit, batchq })}`}
          onSwap={hydrated ? () => apply(swapped) : undefined}
        />
      ) : status === "error-first" && error ? (
        <ErrorState failure={error} onRetry={hydrated ? feed.retry : undefined} fixes={fixes} />
      ) : status === "loading-first" ? (
        <ul className={gridClass} aria-busy="true" aria-label="Loading images">
          <SkeletonCards count={Math.min(limit ?? 8, 8)} />
        </ul>
      ) : images.length === 0 ? (
        <EmptyState filtered={filtered} clearHref={clearHref} onClear={hydrated ? clear : undefined} />
      ) : (
        <ul className={gridClass} data-testid="gallery" aria-busy={status === "loading-more"}>
          {images.map((image, i) => (
            <GalleryCard
              key={image.id}
              image={image}
              labels={labels}
              formId={hydrated ? undefined : SELECTION_FORM_ID}
              selected={selected.has(image.id)}
              onSelectedChange={(on) => selection.set([image], on)}
              onOpen={() => setOpenId(image.id)}
              priority={i < 4}
              selection={hydrated ? { count: selectedIds.length, toBar } : undefined}
            />
          ))}
          {status === "loading-more" ? <SkeletonCards count={4} /> : null}
        </ul>
      )}
      {status === "error-more" && error && !reversed ? (
        <ErrorState failure={error} onRetry={feed.retry} fixes={fixes} />
      ) : null}
      {olderHref && !reversed && status !== "error-more" && status !== "loading-first" ? (
        <div className="flex justify-center">
          <a
            ref={sentinel}
            href={olderHref}
            className="btn-secondary"
            data-testid="gallery-older"
            onClick={(event) => {
              if (!hydrated) return;
              event.preventDefault();
              feed.loadMore();
            }}
          >
            {status === "loading-more" ? "Loading…" : "Older images"}
          </a>
        </div>
      ) : null}
      {hydrated ? (
        <SelectionBar
          ids={selectedIds}
          hidden={hidden}
          filtered={filtered}
          onClear={selection.clear}
          onDelete={() => setConfirming(true)}
          deleteRef={deleteRef}
          barRef={barRef}
        />
      ) : images.length > 0 && !props.confirmDelete ? (
        // While the confirm step asks, its buttons are the only ones: Cancel leads back to this form.
        <NoJsSelectionForm {...place} />
      ) : null}
      <DeleteDialog
        ids={selectedIds}
        hidden={hidden}
        open={confirming}
        needsToken={deleteNeedsToken}
        onOpenChange={setConfirming}
        returnFocus={returnFocus}
        onDeleted={(deleted, skipped) => {
          feed.remove(deleted);
          selection.remove(deleted);
          setNotice(
            `${deleteNotice(deleted.length, skipped.length)}${skipped.length ? " They stay selected." : ""}`,
          );
        }}
      />
      <Lightbox
        items={items}
        openId={openId}
        onOpenIdChange={setOpenId}
        renderMeta={(item) => <GalleryImageMeta image={item.image} labels={labels} />}
        downloadHref={(item) => downloadUrlFor({ id: item.id, finishedAt: item.image.createdAt })}
        beyond={beyond}
        total={total ?? undefined}
      />
    </div>
  );
}
