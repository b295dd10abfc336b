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
 * On a phone each title sits above its row, so two models fit side by side without scrolling.
 */
export function BatchGrid(props: BatchGridProps) {
  const { prompts, models, cells, rows, aspect, modelLabels, onOpen, take } = props;
  const byKey = new Map(cells.map((c) => [`${c.promptIndex}|${c.model}`, c]));
  const from = rows?.from ?? 0;
  const columns = {
    "--cols": `minmax(9rem, 14rem) repeat(${models.length}, minmax(14rem, 24rem))`,
    "--cols-phone": `repeat(${models.length}, minmax(10rem, 1fr))`,
  } as React.CSSProperties;
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
        className="grid min-w-fit grid-cols-[var(--cols-phone)] gap-3 sm:grid-cols-[var(--cols)]"
        style={columns}
      >
        <div role="row" className="contents">
          <div
            role="columnheader"
            className="hidden text-xs font-medium uppercase tracking-wide text-zinc-400 sm:block"
          >
            Title
          </div>
          {models.map((m) => (
            <div
              key={m}
              role="columnheader"
              title={m}
              className="text-xs font-medium uppercase tracking-wide text-zinc-400"
            >
              {modelLabels?.[m] ?? m}
            </div>
          ))}
        </div>
        {prompts.slice(from, rows?.to ?? prompts.length).map((prompt, at) => {
          const i = from + at;
          return (
            <div role="row" className="contents" key={i}>
              {/* min-w-0 and breaks inside words: a long word or URL would otherwise widen its
                  column past the grid on a phone, or run over the pictures beside it. On a phone
                  with more models than fit, the row scrolls sideways: its title stays in view, as
                  wide as the screen, rather than running off with the row. */}
              <div
                role="rowheader"
                className="sticky left-0 col-span-full -mb-1 min-w-0 max-w-[calc(100vw-2rem)] text-sm text-zinc-200 [overflow-wrap:anywhere] sm:static sm:col-span-1 sm:mb-0 sm:max-w-none sm:self-center"
              >
                <span className="text-zinc-400">{i + 1}.</span> <bdi>{prompt}</bdi>
              </div>
              {models.map((m) => {
                const cell = byKey.get(`${i}|${m}`);
                return (
                  <div role="cell" key={m}>
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
