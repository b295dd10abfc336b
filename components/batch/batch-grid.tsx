import type { CellDto } from "@/lib/batches/dto";
import { CellCard } from "./cell-card";
import type { TakeControl } from "./take-form";

export interface BatchGridProps {
  prompts: readonly string[];
  models: readonly string[];
  /** The cells of the rows shown (others are ignored). */
  cells: readonly CellDto[];
  /** The rows shown, by prompt index: from (inclusive) to (exclusive); all when absent. */
  rows?: { from: number; to: number };
  aspect: number;
  /** Column headings by model id (the catalog's labels); the id where absent. */
  modelLabels?: Record<string, string>;
  onOpen?: (cell: CellDto) => void;
  /** The owner's new-take control on finished images. */
  take?: TakeControl;
}

/**
 * Rows are prompts, columns are models. Each box keeps the canvas aspect, so nothing shifts on arrival.
 * Below `sm` each title is a card of its own: the title once, then its models' pictures stacked (side by
 * side where two fit), each named by its model, so a phone never scrolls sideways. Only the boxes change:
 * the table's rows, headers and cells (and so the keyboard's and a screen reader's order) stay the same.
 */
export function BatchGrid(props: BatchGridProps) {
  const { prompts, models, cells, rows, aspect, modelLabels, onOpen, take } = props;
  const byKey = new Map(cells.map((c) => [`${c.promptIndex}|${c.model}`, c]));
  const from = rows?.from ?? 0;
  const columns = {
    "--cols": `minmax(9rem, 14rem) repeat(${models.length}, minmax(14rem, 24rem))`,
  } as React.CSSProperties;
  // On a phone the column headings are read out but not shown: each picture carries its model's name.
  const heading = "sr-only text-xs font-medium uppercase tracking-wide text-zinc-400 sm:not-sr-only";
  return (
    <div
      className="overflow-x-auto focus:outline-none"
      role="table"
      aria-label="Thumbnails: prompts by models"
      // Where the takes bar sends the keyboard when the takes it asked for are on other pages.
      tabIndex={-1}
      data-take-grid
    >
      <div
        className="flex flex-col gap-4 sm:grid sm:min-w-fit sm:grid-cols-[var(--cols)] sm:gap-3"
        style={columns}
      >
        <div role="row" className="contents">
          <div role="columnheader" className={heading}>
            Title
          </div>
          {models.map((m) => (
            <div key={m} role="columnheader" title={m} className={heading}>
              {modelLabels?.[m] ?? m}
            </div>
          ))}
        </div>
        {prompts.slice(from, rows?.to ?? prompts.length).map((prompt, at) => {
          const i = from + at;
          return (
            <div
              role="row"
              key={i}
              className="grid grid-cols-[repeat(auto-fill,minmax(min(13rem,100%),1fr))] gap-3 rounded-lg border border-zinc-800 p-3 sm:contents"
            >
              {/* min-w-0 and breaks inside words: a long word or URL would otherwise widen its
                  column past the grid, or run over the pictures beside it. */}
              <div
                role="rowheader"
                className="col-span-full min-w-0 text-sm text-zinc-200 [overflow-wrap:anywhere] sm:col-span-1 sm:self-center"
              >
                <span className="text-zinc-400">{i + 1}.</span> <bdi>{prompt}</bdi>
              </div>
              {models.map((m) => {
                const cell = byKey.get(`${i}|${m}`);
                return (
                  <div role="cell" key={m} className="min-w-0">
                    {/* The column heading, shown where there are no columns; a screen reader has
                        the heading itself, and the picture's name says the model again. */}
                    <p
                      aria-hidden
                      title={m}
                      className="mb-1 text-xs font-medium uppercase tracking-wide text-zinc-400 [overflow-wrap:anywhere] sm:hidden"
                      data-testid="cell-model"
                    >
                      {modelLabels?.[m] ?? m}
                    </p>
                    {cell ? (
                      <CellCard
                        cell={cell}
                        aspect={aspect}
                        onOpen={onOpen}
                        take={take}
                        modelLabel={modelLabels?.[m]}
                      />
                    ) : (
                      // Deleted from the gallery, or left out of a restyle (no picture to reuse).
                      <div
                        className="flex items-center justify-center rounded-lg border border-dashed border-zinc-800 p-4 text-center text-xs text-zinc-400"
                        style={{ aspectRatio: String(aspect) }}
                        data-testid="cell-absent"
                      >
                        No image in this batch
                      </div>
                    )}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}
