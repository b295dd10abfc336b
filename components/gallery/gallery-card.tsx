"use client";
import Image from "next/image";
import Link from "next/link";
import { lightboxOpener } from "@/components/lightbox/opener";
import type { GalleryImageDto } from "@/lib/gallery/service";
import type { Labels } from "./labels";

export interface GalleryCardProps {
  image: GalleryImageDto;
  labels: Labels;
  /** Without JavaScript: the selection form the checkbox belongs to (it posts the ids itself). */
  formId?: string;
  selected: boolean;
  onSelectedChange: (selected: boolean) => void;
  onOpen: () => void;
  /** The first few cards load eagerly: they are above the fold. */
  priority?: boolean;
  /** Once JavaScript runs: the selection's size and a move of the keyboard to its bar. */
  selection?: { count: number; toBar: () => void };
}

/**
 * One image in a box of its own canvas's shape (known before it loads, so nothing moves), without bars;
 * 16:9 for an image whose size is not recorded. A selected card's checkbox is followed by a button to
 * the selection bar, shown only while focused: the bar comes after every card loaded, and tabbing on
 * loads more.
 */
export function GalleryCard(props: GalleryCardProps) {
  const { image, labels, formId, selected } = props;
  return (
    <li
      className={`group relative overflow-hidden rounded-xl border bg-zinc-900 transition-colors motion-reduce:transition-none ${selected ? "border-sky-500 ring-1 ring-sky-500" : "border-zinc-800 hover:border-zinc-700"}`}
      data-testid="gallery-image"
      data-id={image.id}
    >
      <a
        href={image.url}
        onClick={(event) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey) return;
          event.preventDefault();
          props.onOpen();
        }}
        style={{ aspectRatio: image.width && image.height ? `${image.width} / ${image.height}` : "16 / 9" }}
        className="relative block bg-zinc-950 focus:outline-none after:pointer-events-none after:absolute after:inset-0 after:z-10 focus-visible:after:ring-4 focus-visible:after:ring-inset focus-visible:after:ring-sky-400"
        aria-label={`Open “${image.prompt}” (${labels.model(image.model)})`}
        data-testid="gallery-open"
        {...lightboxOpener(image.id)}
      >
        <Image
          src={image.url}
          alt={image.prompt}
          fill
          sizes="(max-width: 640px) 100vw, (max-width: 1024px) 50vw, (max-width: 1280px) 33vw, 300px"
          className="object-contain"
          priority={props.priority}
        />
      </a>
      <label className="absolute left-2 top-2 flex h-8 w-8 cursor-pointer items-center justify-center rounded-md bg-zinc-950/80 backdrop-blur focus-within:ring-2 focus-within:ring-sky-400">
        <input
          type="checkbox"
          className="h-4 w-4 cursor-pointer accent-sky-500"
          checked={selected}
          onChange={(event) => props.onSelectedChange(event.target.checked)}
          aria-label={`Select “${image.prompt}” (${labels.model(image.model)})`}
          {...(formId ? { form: formId, name: "ids", value: image.id } : {})}
        />
      </label>
      {selected && props.selection ? (
        <div className="absolute left-12 top-2 z-20">
          <button
            type="button"
            onClick={props.selection.toBar}
            className="sr-only whitespace-nowrap rounded-md border border-sky-500 bg-zinc-950/90 px-2 py-1 text-xs text-sky-100 focus:not-sr-only"
          >
            Go to selection ({props.selection.count})
          </button>
        </div>
      ) : null}
      <div className="space-y-1 p-3">
        {/* Breaks inside a long word or URL, so the clamp ends its second line with "…". */}
        <p
          dir="auto"
          className="line-clamp-2 text-sm font-medium leading-snug text-zinc-100 [overflow-wrap:anywhere]"
        >
          {image.prompt}
        </p>
        <p className="flex flex-wrap items-center gap-x-1.5 text-xs text-zinc-400">
          <span>{labels.model(image.model)}</span>
          <span aria-hidden>·</span>
          <span>{labels.style(image.style)}</span>
          <span aria-hidden>·</span>
          <span>{labels.template(image.template)}</span>
        </p>
        <p className="flex items-center justify-between text-xs text-zinc-400">
          <time dateTime={image.createdAt}>{labels.date(image.createdAt)}</time>
          <Link href={`/b/${image.batchId}`} className="text-sky-400 hover:underline">
            Batch
          </Link>
        </p>
      </div>
    </li>
  );
}
