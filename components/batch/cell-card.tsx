import Image from "next/image";
import { memo } from "react";
import type { CellDto } from "@/lib/batches/dto";
import { formatMs, formatUsd } from "@/lib/format";
import { StatusBadge } from "./status-badge";

export interface CellCardProps {
  cell: CellDto;
  /** Canvas aspect ratio (width / height): the box keeps it before and after the image arrives. */
  aspect: number;
  onOpen?: (cell: CellDto) => void;
}

/** Memoized: a live update re-renders only the cards whose cell changed. */
export const CellCard = memo(function CellCard({ cell, aspect, onOpen }: CellCardProps) {
  const pending = cell.status === "queued" || cell.status === "running" || cell.status === "retrying";
  return (
    <figure
      className="overflow-hidden rounded-lg border border-zinc-800 bg-zinc-900 [contain-intrinsic-size:auto_16rem] [content-visibility:auto]"
      data-testid="cell"
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
            className="block h-full w-full focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
            aria-label={`Open ${cell.model} image for “${cell.prompt}”`}
          >
            <Image
              src={cell.imageUrl}
              alt={cell.prompt}
              fill
              sizes="(max-width: 640px) 100vw, 24rem"
              className="object-cover"
            />
          </a>
        ) : pending ? (
          <div
            className="absolute inset-0 animate-pulse bg-gradient-to-br from-zinc-800 to-zinc-700"
            aria-hidden
          />
        ) : (
          <div className="absolute inset-0 flex items-center justify-center p-4 text-center text-sm text-zinc-400">
            {cell.status === "cancelled" ? "Cancelled" : "No image"}
          </div>
        )}
      </div>
      <figcaption className="space-y-1 p-2 text-xs text-zinc-400">
        <div className="flex items-center justify-between gap-2">
          <StatusBadge status={cell.status} />
          <span>
            {formatMs(cell.durationMs)} ·{" "}
            {cell.status === "succeeded" && cell.attempts === 0
              ? "picture reused"
              : `${cell.attempts} ${cell.attempts === 1 ? "attempt" : "attempts"}`}
            {cell.costUsd > 0 ? ` · ${formatUsd(cell.costUsd)}` : ""}
          </span>
        </div>
        {cell.error && cell.status !== "succeeded" ? (
          <p className="text-red-300" role="status">
            {cell.error}
          </p>
        ) : null}
      </figcaption>
    </figure>
  );
});
