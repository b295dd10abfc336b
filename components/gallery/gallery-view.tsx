"use client";
/**
 * The gallery once JavaScript runs: filters apply in place (and update the address), older pages load as
 * the end of the list scrolls into view, cards open the lightbox and can be selected for ZIP or delete.
 */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { Lightbox, type LightboxItem } from "@/components/lightbox";
import { downloadUrlFor } from "@/lib/export/urls";
import { hasFilters, toSearch, type GalleryFilters } from "@/lib/gallery/filters";
import type { GalleryImageDto } from "@/lib/gallery/service";
import { plural } from "@/lib/format";
import { DeleteDialog } from "./delete-dialog";
import { GalleryCard } from "./gallery-card";
import { GalleryFiltersForm, type FilterOptions } from "./gallery-filters";
import { GalleryImageMeta } from "./image-meta";
import { EmptyState, ErrorState, SkeletonCards, gridClass } from "./gallery-states";
import { makeLabels } from "./labels";
import { SelectionBar } from "./selection-bar";
import { useGalleryFeed } from "./use-gallery-feed";

export interface GalleryViewProps {
  images: GalleryImageDto[];
  nextCursor: string | null;
  /** The first page failed on the server (bad query or database error). */
  error: string | null;
  filters: GalleryFilters;
  limit?: number;
  options: FilterOptions;
  /** Production mode: deleting needs the admin token. */
  deleteNeedsToken: boolean;
}

type Item = LightboxItem & { image: GalleryImageDto };

const noSubscribe = () => () => undefined;

export function GalleryView(props: GalleryViewProps) {
  const { options, limit, deleteNeedsToken } = props;
  const labels = useMemo(() => makeLabels(options), [options]);
  const [filters, setFilters] = useState(props.filters);
  const feed = useGalleryFeed(
    {
      images: props.images,
      nextCursor: props.nextCursor,
      status: props.error ? "error-first" : "idle",
      error: props.error,
    },
    props.filters,
    limit,
  );
  const { images, nextCursor, status, error } = feed.state;
  const hydrated = useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [openId, setOpenId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState("");
  const sentinel = useRef<HTMLAnchorElement>(null);

  const apply = (next: GalleryFilters) => {
    setFilters(next);
    setSelected(new Set());
    const search = toSearch(next, { limit });
    window.history.replaceState(null, "", search ? `/gallery?${search}` : "/gallery");
    feed.reload(next);
  };

  const { loadMore } = feed;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !nextCursor) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) loadMore();
      },
      { rootMargin: "600px 0px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [nextCursor, loadMore, images.length]);

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

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allSelected = images.length > 0 && images.every((img) => selected.has(img.id));
  const selectedIds = images.filter((img) => selected.has(img.id)).map((img) => img.id);
  const filtered = hasFilters(filters);
  const clearHref = limit ? `/gallery?limit=${limit}` : "/gallery";
  const olderHref = nextCursor ? `/gallery?${toSearch(filters, { limit, cursor: nextCursor })}` : null;

  return (
    <div className="space-y-5">
      <GalleryFiltersForm
        filters={filters}
        options={options}
        limit={limit}
        onApply={hydrated ? apply : undefined}
      />
      <div className="flex min-h-9 flex-wrap items-center justify-between gap-3 text-sm text-zinc-400">
        <p aria-live="polite" data-testid="gallery-count">
          {status === "loading-first"
            ? "Loading…"
            : `${plural(images.length, "image")} shown${nextCursor ? " · more below" : ""}`}
        </p>
        {hydrated && images.length > 0 ? (
          <label className="flex cursor-pointer items-center gap-2 text-zinc-300">
            <input
              type="checkbox"
              className="h-4 w-4 accent-sky-500"
              checked={allSelected}
              onChange={(e) => setSelected(e.target.checked ? new Set(images.map((i) => i.id)) : new Set())}
            />
            Select all shown
          </label>
        ) : null}
      </div>
      <p role="status" className="sr-only">
        {notice}
      </p>
      {status === "error-first" && error ? (
        <ErrorState message={error} onRetry={hydrated ? feed.retry : undefined} />
      ) : status === "loading-first" ? (
        <ul className={gridClass} aria-busy="true" aria-label="Loading images">
          <SkeletonCards count={Math.min(limit ?? 8, 8)} />
        </ul>
      ) : images.length === 0 ? (
        <EmptyState
          filtered={filtered}
          clearHref={clearHref}
          onClear={hydrated ? () => apply({}) : undefined}
        />
      ) : (
        <ul className={gridClass} data-testid="gallery" aria-busy={status === "loading-more"}>
          {images.map((image, i) => (
            <GalleryCard
              key={image.id}
              image={image}
              labels={labels}
              selectable={hydrated}
              selected={selected.has(image.id)}
              onSelectedChange={(on) => toggle(image.id, on)}
              onOpen={() => setOpenId(image.id)}
              priority={i < 4}
            />
          ))}
          {status === "loading-more" ? <SkeletonCards count={4} /> : null}
        </ul>
      )}
      {status === "error-more" && error ? <ErrorState message={error} onRetry={feed.retry} /> : null}
      {olderHref && status !== "error-more" && status !== "loading-first" ? (
        <div className="flex justify-center">
          <a
            ref={sentinel}
            href={olderHref}
            className="btn-secondary"
            data-testid="gallery-older"
            onClick={(event) => {
              if (!hydrated) return;
              event.preventDefault();
              loadMore();
            }}
          >
            {status === "loading-more" ? "Loading…" : "Older images"}
          </a>
        </div>
      ) : null}
      <SelectionBar
        ids={selectedIds}
        onClear={() => setSelected(new Set())}
        onDelete={() => setConfirming(true)}
      />
      <DeleteDialog
        ids={selectedIds}
        open={confirming}
        needsToken={deleteNeedsToken}
        onOpenChange={setConfirming}
        onDeleted={(deleted, skipped) => {
          feed.remove(deleted);
          setSelected(new Set());
          setNotice(
            `Deleted ${plural(deleted.length, "image")}.${skipped.length ? ` ${skipped.length} could not be deleted.` : ""}`,
          );
        }}
      />
      <Lightbox
        items={items}
        openId={openId}
        onOpenIdChange={setOpenId}
        renderMeta={(item) => <GalleryImageMeta image={item.image} labels={labels} />}
        downloadHref={(item) => downloadUrlFor({ id: item.id, finishedAt: item.image.createdAt })}
      />
    </div>
  );
}
