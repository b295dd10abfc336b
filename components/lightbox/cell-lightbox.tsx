"use client";
/** The lightbox for a batch page's cells: prompt, model, time, attempts, cost and provider request ids. */
import { useMemo } from "react";
import type { CellDto } from "@/lib/batches/dto";
import { OtherTakes, TakeForm, type TakeControl } from "@/components/batch/take-form";
import { formatMs, formatUsd } from "@/lib/format";
import { Lightbox, MetaRow, type LightboxItem, type LightboxProps } from "./lightbox";

export type CellLightboxItem = LightboxItem & { cell: CellDto };

/** Cells that have an image, in grid order (prompt, then model order as given). */
export function cellLightboxItems(cells: readonly CellDto[], models?: readonly string[]): CellLightboxItem[] {
  const column = new Map(models?.map((m, i) => [m, i]));
  const order = (c: CellDto) => c.promptIndex * 1000 + (column.get(c.model) ?? 0);
  return cells
    .filter((cell): cell is CellDto & { imageUrl: string } => cell.imageUrl !== null)
    .sort((a, b) => order(a) - order(b))
    .map((cell) => ({
      id: cell.id,
      src: cell.imageUrl,
      alt: cell.prompt,
      width: cell.width,
      height: cell.height,
      downloadName: `${cell.promptIndex + 1}-${cell.model}.jpg`,
      cell,
    }));
}

export function CellLightboxMeta(props: { cell: CellDto; take?: TakeControl; modelLabel?: string }) {
  const { cell, take, modelLabel } = props;
  return (
    <>
      {take ? (
        <div className="mb-3 flex flex-wrap items-center gap-2 text-sm">
          <TakeForm cell={cell} take={take} modelLabel={modelLabel} />
          <OtherTakes cell={cell} take={take} modelLabel={modelLabel} />
        </div>
      ) : null}
      <dl className="divide-y divide-zinc-800">
        <MetaRow term="Prompt">
          <bdi>{cell.prompt}</bdi>
        </MetaRow>
        {/* The name the grid's column says, and the id the API and the CLI's --cell take. */}
        <MetaRow term="Model">
          {modelLabel && modelLabel !== cell.model ? `${modelLabel} · ${cell.model}` : cell.model}
        </MetaRow>
        <MetaRow term="Time">{formatMs(cell.durationMs)}</MetaRow>
        <MetaRow term="Attempts">{cell.attempts}</MetaRow>
        <MetaRow term="Cost">{formatUsd(cell.costUsd)}</MetaRow>
        {cell.finishedAt ? (
          <MetaRow term="Finished">
            <time dateTime={cell.finishedAt}>{new Date(cell.finishedAt).toLocaleString()}</time>
          </MetaRow>
        ) : null}
        <MetaRow term="Request ids">
          {cell.requestIds.length === 0 ? (
            "–"
          ) : (
            <ul className="space-y-1 font-mono text-xs">
              {cell.requestIds.map((id) => (
                <li key={id}>{id}</li>
              ))}
            </ul>
          )}
        </MetaRow>
      </dl>
    </>
  );
}

export interface CellLightboxProps {
  cells: readonly CellDto[];
  models?: readonly string[];
  openId: string | null;
  onOpenIdChange: (id: string | null) => void;
  /** Per-image download URL (e.g. the export route); defaults to the image with `download`. */
  downloadHref?: (cell: CellDto) => string;
  /** The owner's new-take control (the batch page). */
  take?: TakeControl;
  /** Past the first or last image: e.g. the previous or next page of the grid. */
  beyond?: LightboxProps<CellLightboxItem>["beyond"];
  countScope?: string;
  /** Model names by id (the catalog's labels, as the grid's columns say them). */
  modelLabels?: Record<string, string>;
}

/** Ready to drop into the batch page: pass the cells and which one is open. */
export function CellLightbox(props: CellLightboxProps) {
  const { cells, models, openId, onOpenIdChange, downloadHref, take, beyond, countScope, modelLabels } =
    props;
  // Built only while open: the batch page renders this on every live update.
  const items = useMemo(
    () => (openId === null ? [] : cellLightboxItems(cells, models)),
    [openId, cells, models],
  );
  return (
    <Lightbox
      items={items}
      openId={openId}
      onOpenIdChange={onOpenIdChange}
      label="Thumbnail"
      renderMeta={(item) => (
        <CellLightboxMeta cell={item.cell} take={take} modelLabel={modelLabels?.[item.cell.model]} />
      )}
      downloadHref={downloadHref ? (item) => downloadHref(item.cell) : undefined}
      beyond={beyond}
      countScope={countScope}
    />
  );
}
