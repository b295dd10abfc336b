"use client";
/**
 * The gallery's client state: the images shown, the keyset cursor for the next page, loading and error
 * states. Pages are merged by id, so an image never shows twice even if a page is fetched again.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { appendUnique, toSearch, type GalleryFilters } from "@/lib/gallery/filters";
import { networkFailure, responseFailure, type LoadFailure } from "@/lib/gallery/load-failure";
import type { ImageCount } from "@/lib/db";
import type { GalleryImageDto } from "@/lib/gallery/service";

export type FeedStatus = "idle" | "loading-first" | "loading-more" | "error-first" | "error-more";

export interface FeedState {
  images: GalleryImageDto[];
  nextCursor: string | null;
  /** How many images match in all, from the first page (null for a feed that began at a cursor). */
  total: ImageCount | null;
  status: FeedStatus;
  error: LoadFailure | null;
}

interface PageJson {
  images?: GalleryImageDto[];
  nextCursor?: string | null;
  total?: ImageCount;
  error?: string;
  issues?: { path: string; message: string }[];
}

/** A page that did not load, and whether asking again can help (lib/gallery/load-failure). */
class PageLoadError extends Error {
  constructor(readonly failure: LoadFailure) {
    super(failure.message);
  }
}

async function fetchPage(search: string, signal: AbortSignal) {
  const response = await fetch(`/api/images?${search}`, { signal, headers: { accept: "application/json" } });
  const body = (await response.json().catch(() => ({}))) as PageJson;
  if (!response.ok || !body.images) throw new PageLoadError(responseFailure(response.status, body));
  return { images: body.images, nextCursor: body.nextCursor ?? null, total: body.total ?? null };
}

export function useGalleryFeed(initial: FeedState, filters: GalleryFilters, limit: number | undefined) {
  const [state, setState] = useState(initial);
  const filtersRef = useRef<GalleryFilters>(filters);
  const inflight = useRef<AbortController | null>(null);
  const loading = useRef(false);
  // The latest state for callbacks fired by observers, without re-subscribing them on every change.
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  const run = useCallback(
    async (mode: "first" | "more") => {
      inflight.current?.abort();
      const controller = new AbortController();
      inflight.current = controller;
      loading.current = true;
      const cursor = mode === "more" ? stateRef.current.nextCursor : null;
      setState((s) => ({ ...s, status: mode === "first" ? "loading-first" : "loading-more", error: null }));
      try {
        const page = await fetchPage(toSearch(filtersRef.current, { limit, cursor }), controller.signal);
        loading.current = false;
        setState((s) => ({
          images: mode === "first" ? page.images : appendUnique(s.images, page.images),
          nextCursor: page.nextCursor,
          total: mode === "first" ? page.total : s.total,
          status: "idle",
          error: null,
        }));
      } catch (err) {
        if (controller.signal.aborted) return;
        loading.current = false;
        const error =
          err instanceof PageLoadError
            ? err.failure
            : networkFailure(err instanceof Error ? err.message : String(err));
        // A first page that failed counts nothing: the count of the filters before is not theirs.
        setState((s) =>
          mode === "first"
            ? { ...s, status: "error-first", error, total: null }
            : { ...s, status: "error-more", error },
        );
      }
    },
    [limit],
  );

  const reload = useCallback(
    (filters: GalleryFilters) => {
      filtersRef.current = filters;
      void run("first");
    },
    [run],
  );

  const loadMore = useCallback(() => {
    const s = stateRef.current;
    if (s.nextCursor && s.status === "idle" && !loading.current) void run("more");
  }, [run]);

  const retry = useCallback(() => {
    void run(stateRef.current.status === "error-more" ? "more" : "first");
  }, [run]);

  const remove = useCallback((ids: readonly string[]) => {
    const gone = new Set(ids);
    setState((s) => {
      const images = s.images.filter((img) => !gone.has(img.id));
      // Deleted from those counted (a capped count stays "10,000+").
      const removed = s.images.length - images.length;
      const total = s.total && !s.total.capped ? { ...s.total, count: s.total.count - removed } : s.total;
      return { ...s, images, total };
    });
  }, []);

  return { state, reload, loadMore, retry, remove };
}

/** Loads the next page as `sentinel` (the "Older images" link) comes within 600 px of the viewport. */
export function useLoadWhenNear(
  sentinel: RefObject<HTMLElement | null>,
  nextCursor: string | null,
  loadMore: () => void,
  shown: number,
) {
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
    // `shown` re-arms the observer after a page lands while the sentinel is still in view.
  }, [sentinel, nextCursor, loadMore, shown]);
}
