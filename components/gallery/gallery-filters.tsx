"use client";
/**
 * Filters as a plain GET form (works with JavaScript off); with JavaScript, every change applies at once
 * without a page load.
 */
import { useEffect, useRef, useState, type FormEvent, type Ref } from "react";
import { FILTER_KEYS, hasFilters, type GalleryFilters } from "@/lib/gallery/filters";
import { BatchFilter, type BatchFilterHandle } from "./batch-filter";
import type { Option } from "./labels";

export interface FilterOptions {
  models: Option[];
  styles: Option[];
  templates: Option[];
  /** The first page of batches with images, newest first (those `batchSearch` finds, when set). */
  batches: Option[];
  /** Where the next page of batches starts. */
  batchesNext?: string | null;
  /** Text in a title the batches offered were found by (`?batchq=`, the form sent without JavaScript). */
  batchSearch?: string;
  /** Labels only (no font filter). */
  fonts?: Option[];
}

export interface GalleryFiltersProps {
  filters: GalleryFilters;
  options: FilterOptions;
  limit?: number;
  onApply?: (filters: GalleryFilters) => void;
  /** Clear in place (once hydrated): every filter and the batch filter's search, as its link does. */
  onClear?: () => void;
  /** The batch filter listed the batches a search found (in place, once hydrated). */
  onBatchSearch?: (search: string) => void;
  /** The batch filter, for Clear to empty its search. */
  batchFilterRef?: Ref<BatchFilterHandle>;
  /** The id of what says the dates are wrong (From after To): the date fields are marked invalid. */
  datesDescribedBy?: string;
}

const field = "flex min-w-0 flex-col gap-1 text-xs font-medium text-zinc-400";
const control =
  "h-9 w-full rounded-md border border-zinc-700 bg-zinc-900 px-2 text-sm text-zinc-100 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500 [color-scheme:dark]";

function read(form: HTMLFormElement): GalleryFilters {
  const data = new FormData(form);
  const out: GalleryFilters = {};
  for (const key of FILTER_KEYS) {
    const value = String(data.get(key) ?? "").trim();
    if (value) out[key] = value;
  }
  return out;
}

/** Typing in the title search applies once the keys rest this long, not on every key. */
const TYPING_MS = 300;

export function GalleryFiltersForm({
  filters,
  options,
  limit,
  onApply,
  onClear,
  onBatchSearch,
  batchFilterRef,
  datesDescribedBy,
}: GalleryFiltersProps) {
  const typing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const titleBox = useRef<HTMLInputElement>(null);
  const stopTyping = () => {
    if (typing.current !== null) clearTimeout(typing.current);
    typing.current = null;
  };
  useEffect(() => stopTyping, []);
  // The search box keeps what is typed; a search applied from elsewhere (Clear, a link) replaces it.
  const applied = filters.q ?? "";
  const [q, setQ] = useState(applied);
  const [shown, setShown] = useState(applied);
  if (applied !== shown) {
    setShown(applied);
    if (q.trim() !== applied) setQ(applied);
  }
  const submit = (event: FormEvent<HTMLFormElement>) => {
    if (!onApply) return;
    event.preventDefault();
    stopTyping();
    onApply(read(event.currentTarget));
  };
  const change = (event: FormEvent<HTMLFormElement>) => {
    if (!onApply) return;
    const form = event.currentTarget;
    stopTyping();
    const name = (event.target as HTMLInputElement).name;
    // Finding a batch changes what the batch filter offers, not the filters.
    if (name === "batchq") return;
    if (name === "q") typing.current = setTimeout(() => onApply(read(form)), TYPING_MS);
    else onApply(read(form));
  };
  const date = (name: "from" | "to", label: string) => (
    <label className={field}>
      {label}
      <input
        type="date"
        name={name}
        value={filters[name] ?? ""}
        onChange={() => undefined}
        aria-invalid={datesDescribedBy ? true : undefined}
        aria-describedby={datesDescribedBy}
        className={control}
      />
    </label>
  );

  const select = (name: "model" | "style" | "template", label: string, list: Option[]) => {
    const current = filters[name];
    // A filter from a link (say, a model no longer listed) still shows as selected even if it is not in the list.
    const all =
      current && !list.some((o) => o.value === current)
        ? [{ value: current, label: current }, ...list]
        : list;
    return (
      <label className={field}>
        {label}
        <select name={name} value={current ?? ""} onChange={() => undefined} className={control}>
          <option value="">All</option>
          {all.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
    );
  };
  return (
    <form
      action="/gallery"
      method="get"
      onSubmit={submit}
      onChange={change}
      role="search"
      aria-label="Filter images"
      className="grid grid-cols-2 items-end gap-3 rounded-xl border border-zinc-800 bg-zinc-900/60 p-3 sm:grid-cols-3 lg:grid-cols-[repeat(4,minmax(0,1fr))_9rem_9rem_auto]"
      data-testid="gallery-filters"
    >
      <label className={`${field} col-span-full`}>
        Title contains
        <input
          type="search"
          dir="auto"
          name="q"
          ref={titleBox}
          value={q}
          onChange={(event) => setQ(event.target.value)}
          maxLength={200}
          placeholder="e.g. espresso"
          className={control}
        />
      </label>
      {select("model", "Model", options.models)}
      {select("style", "Style", options.styles)}
      {select("template", "Template", options.templates)}
      <BatchFilter
        ref={batchFilterRef}
        current={filters.batch}
        options={options.batches}
        next={options.batchesNext}
        search={options.batchSearch}
        live={Boolean(onApply)}
        onSearch={onBatchSearch}
        fieldClass={field}
        controlClass={control}
      />
      {date("from", "From")}
      {date("to", "To")}
      {limit ? <input type="hidden" name="limit" value={limit} /> : null}
      <div className="col-span-2 flex gap-2 sm:col-span-3 lg:col-span-1">
        <button type="submit" className="btn-secondary h-9">
          Apply
        </button>
        {hasFilters(filters) ? (
          // Without JavaScript the link drops every filter and the batch filter's search (`batchq`).
          <a
            href={limit ? `/gallery?limit=${limit}` : "/gallery"}
            className="btn-secondary inline-flex h-9 items-center"
            onClick={(event) => {
              if (!onClear) return;
              event.preventDefault();
              stopTyping();
              onClear();
              // The link goes with the filters: the keyboard starts over at the form's first field.
              titleBox.current?.focus();
            }}
          >
            Clear
          </a>
        ) : null}
      </div>
    </form>
  );
}
