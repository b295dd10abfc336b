"use client";
/**
 * The gallery's batch filter: a select of batches with images, newest first, a page at a time, and a box
 * that finds batches by text in any of their titles (GET /api/batches, as the /batches page searches), so
 * any batch can be chosen without listing thousands. Without JavaScript the box is sent with the filter
 * form and the page lists the batches it finds.
 */
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from "react";
import { batchOptions } from "@/lib/gallery/batch-options";
import { issuesText } from "@/lib/gallery/filters";
import type { BatchListItem } from "@/lib/batches/service";
import type { Option } from "./labels";

/** What the gallery's Clear asks of the batch filter. */
export interface BatchFilterHandle {
  /** Empties the search box and lists the newest batches again (telling `onSearch`, with ""). */
  reset: () => void;
}

export interface BatchFilterProps {
  ref?: Ref<BatchFilterHandle>;
  /** The batch filtered on, if any. */
  current?: string;
  /** The first page of batches offered (those found by `search`, when set). */
  options: Option[];
  /** Where the next page of batches starts, when there is one. */
  next?: string | null;
  /** The search the page was rendered with (`?batchq=`). */
  search?: string;
  /** Once hydrated: searching and paging in place. */
  live: boolean;
  /** A search's batches are listed: the page carries its text in the links and the address it writes. */
  onSearch?: (search: string) => void;
  fieldClass: string;
  controlClass: string;
}

/** Searching applies once the keys rest this long, not on every key. */
const TYPING_MS = 300;
const PAGE = 50;

interface Listed {
  options: Option[];
  next: string | null;
  search: string;
  /** Labels of every batch offered so far: the chosen one keeps its label when a search no longer lists it. */
  known: ReadonlyMap<string, string>;
}

async function fetchBatches(
  search: string,
  cursor: string | null,
): Promise<Pick<Listed, "options" | "next">> {
  const params = new URLSearchParams({ withImages: "1", limit: String(PAGE) });
  if (search) params.set("q", search);
  if (cursor) params.set("cursor", cursor);
  const res = await fetch(`/api/batches?${params}`, { headers: { accept: "application/json" } });
  const body = (await res.json().catch(() => ({}))) as {
    batches?: (Omit<BatchListItem, "createdAt"> & { createdAt: string })[];
    nextCursor?: string | null;
    error?: string;
    issues?: { message: string }[];
  };
  if (!res.ok || !body.batches) {
    const said = body.issues?.length ? issuesText(body.issues) : body.error;
    throw new Error(said ?? `Batches could not be loaded (HTTP ${res.status}).`);
  }
  const options = batchOptions(body.batches.map((b) => ({ ...b, createdAt: new Date(b.createdAt) })));
  return { options, next: body.nextCursor ?? null };
}

export function BatchFilter({ ref, ...props }: BatchFilterProps) {
  const { current, live, fieldClass, controlClass } = props;
  const [listed, setListed] = useState<Listed>({
    options: props.options,
    next: props.next ?? null,
    search: props.search ?? "",
    known: new Map(props.options.map((o) => [o.value, o.label])),
  });
  const [typed, setTyped] = useState(props.search ?? "");
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const request = useRef(0);
  const typing = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(typing.current ?? undefined), []);

  const load = async (search: string, cursor: string | null) => {
    const ticket = ++request.current;
    setState({ busy: true, error: null });
    try {
      const page = await fetchBatches(search, cursor);
      if (ticket !== request.current) return;
      setListed((l) => ({
        search,
        next: page.next,
        // A further page adds the batches it has (none twice); a new search starts over.
        options: cursor
          ? [...l.options, ...page.options.filter((o) => !l.options.some((x) => x.value === o.value))]
          : page.options,
        known: new Map([...l.known, ...page.options.map((o) => [o.value, o.label] as const)]),
      }));
      setState({ busy: false, error: null });
      if (!cursor) props.onSearch?.(search);
    } catch (err) {
      if (ticket !== request.current) return;
      setState({ busy: false, error: (err as Error).message });
    }
  };
  const searchSoon = (text: string) => {
    clearTimeout(typing.current ?? undefined);
    typing.current = setTimeout(() => void load(text.trim(), null), TYPING_MS);
  };
  useImperativeHandle(ref, () => ({
    reset: () => {
      clearTimeout(typing.current ?? undefined);
      setTyped("");
      // Only when something else is listed, under way or said: the newest batches are shown already.
      if (listed.search || state.busy || state.error) void load("", null);
    },
  }));

  const list =
    current && !listed.options.some((o) => o.value === current)
      ? [{ value: current, label: listed.known.get(current) ?? current }, ...listed.options]
      : listed.options;
  const count = listed.options.length === 1 ? "1 batch" : `${listed.options.length} batches`;
  const found = !listed.search
    ? null
    : listed.options.length === 0
      ? `No batch with images has a title containing “${listed.search}”.`
      : `${count} with a title containing “${listed.search}”${listed.next ? ", newest first: More lists older ones" : ""}.`;
  const said = state.error ?? (state.busy ? "Finding batches…" : found);
  return (
    <div className={`${fieldClass} justify-end`}>
      <label className="flex flex-col gap-1">
        Batch
        <select name="batch" value={current ?? ""} onChange={() => undefined} className={controlClass}>
          <option value="">All</option>
          {list.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <div className="flex gap-1">
        <input
          type="search"
          dir="auto"
          name="batchq"
          value={typed}
          maxLength={200}
          aria-label="Find a batch by text in its titles"
          aria-describedby="batch-filter-found"
          placeholder="Find a batch…"
          onChange={(e) => {
            setTyped(e.target.value);
            if (live) searchSoon(e.target.value);
          }}
          onKeyDown={(e) => {
            // Enter searches at once instead of sending the whole filter form.
            if (!live || e.key !== "Enter") return;
            e.preventDefault();
            clearTimeout(typing.current ?? undefined);
            void load(typed.trim(), null);
          }}
          className={controlClass}
        />
        {live && listed.next ? (
          <button
            type="button"
            className="btn-secondary h-9 shrink-0 px-2"
            disabled={state.busy}
            onClick={() => void load(listed.search, listed.next)}
          >
            More
            <span className="sr-only"> batches</span>
          </button>
        ) : null}
      </div>
      {/* Always in the page (a live region must exist before its text changes); out of the row's
          layout while it has nothing to say, so the fields stay level. */}
      <p
        id="batch-filter-found"
        aria-live="polite"
        data-testid="batch-filter-found"
        className={!said ? "sr-only" : state.error ? "text-red-300" : "font-normal text-zinc-400"}
      >
        {said}
      </p>
    </div>
  );
}
