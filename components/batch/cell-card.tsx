import Image from "next/image";
import { memo } from "react";
import { lightboxOpener } from "@/components/lightbox/opener";
import type { CellDto } from "@/lib/batches/dto";
import { formatMs, formatUsd, plural } from "@/lib/format";
import { StatusBadge } from "./status-badge";
import { OtherTakes, TakeForm, type TakeControl } from "./take-form";

export interface CellCardProps {
  cell: CellDto;
  /** Canvas aspect ratio (width / height): the box keeps it before and after the image arrives. */
  aspect: number;
  onOpen?: (cell: CellDto) => void;
  take?: TakeControl;
  /** The model's name as its column says it (the catalog's label); the id where absent. */
  modelLabel?: string;
}

/** Memoized: a live update re-renders only the cards whose cell changed. */
export const CellCard = memo(function CellCard({ cell, aspect, onOpen, take, modelLabel }: CellCardProps) {
  const model = modelLabel ?? cell.model;
  const pending = cell.status === "queued" || cell.status === "running" || cell.status === "retrying";
  return (
    <figure
      // Focusable from script only: the takes bar, put away while the card has no link or button
      // (a new take under way), sends the keyboard here rather than to the page's body.
      tabIndex={-1}
      aria-label={`${model}: “${cell.prompt}”`}
      className="overflow-hidden rounded-lg border border-zinc-800 bg-zinc-900 [contain-intrinsic-size:auto_16rem] [content-visibility:auto] focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
      data-testid="cell"
      data-cell-id={cell.id}
      data-status={cell.status}
      data-prompt-index={cell.promptIndex}
      data-model={cell.model}
    >
      <div className="relative w-full bg-zinc-800" style={{ aspectRatio: String(aspect) }}>
        {cell.imageUrl ? (
          <a
            href={cell.imageUrl}
            onClick={(e) => {
              if (!onOpen) return;
              e.preventDefault();
              onOpen(cell);
            }}
            // The focus ring is drawn over the picture: on the link itself the picture would cover it.
            className="relative block h-full w-full focus:outline-none after:pointer-events-none after:absolute after:inset-0 after:z-10 focus-visible:after:ring-4 focus-visible:after:ring-inset focus-visible:after:ring-sky-400"
            aria-label={`Open ${model} image for “${cell.prompt}”`}
            {...lightboxOpener(cell.id)}
          >
            <Image
              src={cell.imageUrl}
              alt={cell.prompt}
              fill
              sizes="(max-width: 640px) 100vw, 24rem"
              className="object-cover"
            />
          </a>
        ) : pending && cell.previousUrl ? (
          <>
            <Image
              src={cell.previousUrl}
              alt={`${cell.prompt} (the picture kept until the new take is ready)`}
              fill
              sizes="(max-width: 640px) 100vw, 24rem"
              className="object-cover opacity-40"
            />
            <div
              className="absolute inset-0 flex animate-pulse motion-reduce:animate-none items-center justify-center text-sm font-medium text-zinc-100"
              data-testid="cell-taking"
            >
              New take…
            </div>
          </>
        ) : pending ? (
          <div
            className="absolute inset-0 animate-pulse motion-reduce:animate-none bg-gradient-to-br from-zinc-800 to-zinc-700"
            aria-hidden
          />
        ) : (
          <div className="absolute inset-0 flex items-center justify-center p-4 text-center text-sm text-zinc-400">
            {cell.status !== "cancelled"
              ? "No image"
              : cell.reusable
                ? "Cancelled · its picture arrived and is kept: resuming finishes it at no cost"
                : "Cancelled"}
          </div>
        )}
      </div>
      <figcaption className="space-y-1 p-2 text-xs text-zinc-400">
        <div className="flex items-center justify-between gap-2">
          <StatusBadge status={cell.status} />
          <span data-testid="cell-meta">{cellMeta(cell)}</span>
        </div>
        {cell.error && pending ? (
          // An attempt that failed on a cell still being made: said quietly, as what comes next, not in
          // a failure's red (a rate limit retried a few seconds later is routine in a big batch).
          <p className="text-zinc-400" data-testid="cell-retry-reason">
            {cell.status === "retrying" ? "Trying again after: " : "An earlier attempt failed: "}
            {cell.error}
          </p>
        ) : cell.error && cell.status !== "succeeded" ? (
          <p className="text-red-300" role="status">
            {cell.error}
          </p>
        ) : null}
        {cell.note ? (
          <p className="text-amber-300" data-testid="cell-note">
            {cell.note}
          </p>
        ) : null}
        {take ? (
          <div className="flex flex-wrap items-center justify-end gap-2">
            <OtherTakes cell={cell} take={take} modelLabel={model} />
            <TakeForm cell={cell} take={take} modelLabel={model} skipToBar />
          </div>
        ) : null}
      </figcaption>
    </figure>
  );
});

/**
 * Time, tries and cost under a picture. A cell still waiting for its first call says so rather than
 * "– · 0 attempts"; one being made names the attempt under way; a finished one, how long it took in all
 * (waits for a retry included) and how many calls it made.
 */
export function cellMeta(cell: Pick<CellDto, "status" | "attempts" | "durationMs" | "costUsd">): string {
  const cost = cell.costUsd > 0 ? ` · ${formatUsd(cell.costUsd)}` : "";
  const sofar = cell.attempts > 0 ? `${plural(cell.attempts, "attempt")} so far` : "";
  if (cell.status === "queued") return ["waiting its turn", sofar].filter(Boolean).join(" · ") + cost;
  if (cell.status === "running") return `attempt ${cell.attempts || 1}${cost}`;
  if (cell.status === "retrying") return `${sofar}${cost}`;
  const tries =
    cell.status === "succeeded" && cell.attempts === 0 ? "picture reused" : plural(cell.attempts, "attempt");
  return `${formatMs(cell.durationMs)} · ${tries}${cost}`;
}
